# Hugging Face Spaces entrypoint written by hffix: serves `app` from backend/src/main.py.
import importlib.machinery
import importlib.util
import os
import sys

from dotenv import load_dotenv

_ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_ROOT, "backend"))
load_dotenv()

# `src` is backend/src/ for the app, a folder without __init__.py, which loses to the package src/
# at the repository root: load it as the package `src` first.
_spec = importlib.machinery.ModuleSpec("src", None, is_package=True)
_spec.submodule_search_locations.append(os.path.join(_ROOT, "backend", "src"))
sys.modules[_spec.name] = importlib.util.module_from_spec(_spec)

from src.main import app  # noqa: E402

__all__ = ["app"]
