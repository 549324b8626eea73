# Hugging Face Spaces entrypoint written by hffix: serves `app` from orders-api/main.py.
import importlib.util
import os
import sys

from dotenv import load_dotenv

_ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_ROOT, "orders-api"))
load_dotenv()

_spec = importlib.util.spec_from_file_location(
    "_hffix_app", os.path.join(_ROOT, "orders-api", "main.py")
)
_module = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _module
_spec.loader.exec_module(_module)
app = _module.app
