# Hugging Face Spaces entrypoint written by hffix: serves `app` from backend/main.py.
import importlib.util
import os
import sys

from dotenv import load_dotenv

_ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_ROOT, "backend"))
load_dotenv()

# backend/main.py is the module `main` for the app (backend/routers/polls.py:3 imports it so): load
# it under that name, in this file's place.
_spec = importlib.util.spec_from_file_location(
    "main", os.path.join(_ROOT, "backend", "main.py")
)
_module = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _module
_spec.loader.exec_module(_module)
app = _module.app
