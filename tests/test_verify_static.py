"""`hffix verify` without a boot: `import main` must be able to work before it says ready."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import hffix
from hffix.api import Result
from hffix.verify import VerifyOptions, checklist, verify
from hffix.verify.report import Boot, Mark
from hffix.verify.static import main_import

MakeRepo = Callable[..., Path]
APP = "from fastapi import FastAPI\n\napp = FastAPI()\n"
SHIM_HEAD = (
    "import os\nimport sys\n\n_ROOT = os.path.dirname(os.path.abspath(__file__))\n"
    'sys.path.insert(0, os.path.join(_ROOT, "backend"))\n\n'
)


@pytest.mark.parametrize(
    ("files", "detail"),
    [
        (
            {"__init__.py": "", "main.py": "from .routes import router\n" + APP, "routes.py": ""},
            "main.py:1: `from .routes import router` is a relative import",
        ),
        (  # the root's regular package src/ wins over backend/src/ (no __init__.py)
            {
                "main.py": SHIM_HEAD + "from src.main import app\n",
                "src/__init__.py": "",
                "src/main.py": "def cli() -> None: ...\n",
                "backend/src/main.py": APP,
            },
            "main.py:7: `from src.main import app` finds src/main.py, which has no `app`",
        ),
        (
            {"main.py": "from api.routes import app\n", "api/__init__.py": "", "api/db.py": ""},
            "main.py:1: `from api.routes import app` needs `api.routes`, which is not in",
        ),
        (
            {"main.py": "import helpers.text\n" + APP, "helpers.py": ""},
            "(No module named 'helpers.text')",
        ),
    ],
    ids=["relative", "shadowed", "missing-module", "module-not-package"],
)
def test_imports_that_cannot_work(make_repo: MakeRepo, files: dict[str, str], detail: str) -> None:
    found = main_import(make_repo(files))
    assert not found.ok
    assert detail in found.detail


@pytest.mark.parametrize(
    "files",
    [
        {"main.py": APP},
        {"main.py": "import numpy\nfrom fastapi import FastAPI\n\napp = FastAPI()\n"},
        {"main.py": SHIM_HEAD + "from app.main import app\n", "backend/app/main.py": APP},
        {
            "main.py": "from pkg import tools, VALUE\n",
            "pkg/__init__.py": "VALUE = 1\n",
            "pkg/tools.py": "",
        },
        {"main.py": "from pkg import *\n", "pkg/__init__.py": "from .inner import *\n"},
        # sys.path changed in a way the files cannot say: nothing is claimed
        {"main.py": "import sys\nsys.path.append(sys.argv[0])\nfrom nowhere.at import all\n"},
        {"main.py": "import logging.config\nfrom json import loads\n" + APP, "logging/x.py": ""},
    ],
    ids=["plain", "third-party", "shim", "names", "star", "unknown-path", "stdlib"],
)
def test_imports_that_can_work(make_repo: MakeRepo, files: dict[str, str]) -> None:
    found = main_import(make_repo(files))
    assert found.ok, found.detail


def test_hffix_shims_import_as_the_files_say(make_repo: MakeRepo) -> None:
    """Every main.py hffix writes passes the static look, the shadow-proof form included."""
    root = make_repo(
        {
            "src/__init__.py": "",
            "src/main.py": "",
            "backend/src/main.py": "from fastapi import FastAPI\n\nfrom .r import R\n\n"
            "app = FastAPI()\n",
            "backend/src/r.py": "R = 1\n",
        }
    )
    hffix.fix(root, write=True, select=["HF001"])
    assert "ModuleSpec" in (root / "main.py").read_text()
    assert main_import(root).ok


def test_the_app_item_fails_on_an_import_that_cannot_work(make_repo: MakeRepo) -> None:
    root = make_repo({"__init__.py": "", "main.py": "from .routes import router\n" + APP})
    items, _, _ = checklist.build(root, Result(root), [])
    item = next(i for i in items if i.label == checklist.APP_EXPOSED)
    assert item.mark is Mark.FAIL and "relative import" in item.detail
    # The boot is the real test: an import it made refutes the static doubt.
    checklist.confirm_app(items, Boot(attempted=True, import_seconds=0.1))
    item = next(i for i in items if i.label == checklist.APP_EXPOSED)
    assert (item.mark, item.detail) == (Mark.PASS, "imported by the boot")


def test_verify_no_boot_is_not_ready_when_import_main_cannot_work(make_repo: MakeRepo) -> None:
    """Even with HF001 ignored (which would report the relative import itself)."""
    root = make_repo(
        {
            "__init__.py": "",
            "main.py": "from fastapi import FastAPI\n\nfrom .routes import router\n\n"
            "app = FastAPI()\napp.include_router(router)\n",
            "routes.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n",
            "requirements.txt": "fastapi\nuvicorn\npydantic\nsqlmodel\npython-dotenv\n",
            "pyproject.toml": '[tool.hffix]\nignore = ["HF001"]\n',
        }
    )
    report = verify(root, VerifyOptions(boot=False))
    assert not report.ok
    assert "`app` exposed by main.py failed" in report.reason()
    hffix.fix(root, write=True)  # HF001 ignored: nothing rewrites the import
    assert not verify(root, VerifyOptions(boot=False)).ok


def test_dockerfiles_anywhere_are_found(tmp_path: Path) -> None:
    """verify must never say "no Dockerfile" while one exists below the root."""
    from hffix.verify.static import dockerfiles

    (tmp_path / "docker" / "api").mkdir(parents=True)
    (tmp_path / "docker" / "api" / "Dockerfile").write_text("FROM python:3.10\n")
    (tmp_path / "web.dockerfile").write_text("FROM node:20\n")
    (tmp_path / "Dockerfile").write_text("FROM python:3.10\n")
    assert dockerfiles(tmp_path) == ["Dockerfile", "web.dockerfile", "docker/api/Dockerfile"]
