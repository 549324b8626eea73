"""hffix: repair FastAPI backend repositories so they build and start on Hugging Face Spaces.

The Python API is :func:`check` and :func:`fix`; each returns a :class:`Result`.
"""

from hffix.api import RepoStatus, Result, check, fix
from hffix.findings import Diagnostic, Finding, FixSafety, Status

__all__ = [
    "Diagnostic",
    "Finding",
    "FixSafety",
    "RepoStatus",
    "Result",
    "Status",
    "check",
    "fix",
]
__version__ = "0.1.0"
