# Hugging Face Spaces entrypoint written by hffix: serves `app` from api/index.py.
from dotenv import load_dotenv

load_dotenv()

from api.index import app  # noqa: E402

__all__ = ["app"]
