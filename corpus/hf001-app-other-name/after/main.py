# Hugging Face Spaces entrypoint written by hffix: serves `api` from server.py as `app`.
from dotenv import load_dotenv

load_dotenv()

from server import api as app  # noqa: E402

__all__ = ["app"]
