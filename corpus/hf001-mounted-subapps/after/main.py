# Hugging Face Spaces entrypoint written by hffix: serves `app` from services/gateway.py.
from dotenv import load_dotenv

load_dotenv()

from services.gateway import app  # noqa: E402

__all__ = ["app"]
