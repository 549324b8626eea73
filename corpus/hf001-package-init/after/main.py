# Hugging Face Spaces entrypoint written by hffix: serves `app` from todo/__init__.py.
from dotenv import load_dotenv

load_dotenv()

from todo import app  # noqa: E402

__all__ = ["app"]
