# Hugging Face Spaces entrypoint written by hffix: serves `app` from services/search/main.py.
from dotenv import load_dotenv

load_dotenv()

from services.search.main import app  # noqa: E402

__all__ = ["app"]
