# Hugging Face Spaces entrypoint written by hffix: serves `app` from app/main.py.
from dotenv import load_dotenv

load_dotenv()

from app.main import app  # noqa: E402

__all__ = ["app"]
