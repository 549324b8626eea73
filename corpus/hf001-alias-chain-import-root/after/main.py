# Hugging Face Spaces entrypoint written by hffix: serves `app` from backend/api/main.py.
import os
import sys

from dotenv import load_dotenv

_ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_ROOT, "backend"))
load_dotenv()

from api.main import app  # noqa: E402

__all__ = ["app"]
