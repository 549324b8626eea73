# Hugging Face Spaces entrypoint written by hffix: serves `app` from api.py.
import importlib.util
import os
import sys

from dotenv import load_dotenv

_ROOT = os.path.dirname(os.path.abspath(__file__))
load_dotenv()

# The repository root is the package `hffix_root` (it has __init__.py); load it so.
_spec = importlib.util.spec_from_file_location(
    "hffix_root", os.path.join(_ROOT, "__init__.py"), submodule_search_locations=[_ROOT]
)
_package = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _package
_spec.loader.exec_module(_package)

from hffix_root.api import app  # noqa: E402

__all__ = ["app"]
