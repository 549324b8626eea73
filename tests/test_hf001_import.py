"""An entrypoint that imports on the first try (issue #15).

Each repository shape here used to give a main.py whose ``import main`` failed, or served
an app without some of its routes. After ``--write`` the fixed tree is imported the way a
Space imports it (a fresh interpreter whose working folder is the repository root) and a
route is called with starlette's TestClient; or HF001 refuses with a manual finding and
the repository stays as it was.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import hffix
from hffix.api import Result
from hffix.findings import Status
from hffix.project.entrypoint import is_hffix_shim, serves
from tests.conftest import CORPUS, copy_tree, snapshot

MakeRepo = Callable[..., Path]
REQUIREMENTS = "fastapi\nuvicorn\npydantic\nsqlmodel\npython-dotenv\n"

# Imports main as a Space does, then reports what one GET answers and how the repository's
# files were loaded: every module name each file was executed under.
PROBE = r"""
import json, os, sys, warnings

warnings.simplefilter("ignore")
try:
    import uvicorn

    uvicorn.run = lambda *args, **kwargs: None
except ImportError:
    pass
root = os.path.realpath(os.getcwd())
out = {}
try:
    import main
except Exception as exc:
    print("PROBE=" + json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
    raise SystemExit(0)
from starlette.testclient import TestClient

path = sys.argv[1]
if path:
    response = TestClient(main.app).get(path)
    out["status"] = response.status_code
    out["body"] = response.json()
files = {}
for name, module in list(sys.modules.items()):
    file = getattr(module, "__file__", None)
    if file and os.path.realpath(file).startswith(root + os.sep):
        files.setdefault(os.path.relpath(os.path.realpath(file), root), []).append(name)
out["files"] = files
served = sys.argv[2]
if served:
    owners = [m for m in sys.modules.values() if getattr(m, "__file__", None)
              and os.path.realpath(m.__file__) == os.path.join(root, served)]
    attr = sys.argv[3]
    out["same_app"] = [getattr(m, attr, None) is main.app for m in owners]
print("PROBE=" + json.dumps(out))
"""


def run(root: Path, **kwargs: Any) -> Result:
    result = hffix.fix(root, write=True, select=["HF001"], **kwargs)
    assert result.error is None, result.traceback or result.error
    return result


def probe(
    root: Path,
    path: str = "/",
    served: str = "",
    attr: str = "app",
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    environment.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-B", "-c", PROBE, path, served, attr],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("PROBE="):
            found: dict[str, Any] = json.loads(line[len("PROBE=") :])
            return found
    raise AssertionError(f"the probe did not report: {proc.stderr[-2000:]}")


def answers(root: Path, path: str = "/") -> Any:
    found = probe(root, path)
    assert "error" not in found, found["error"]
    assert found["status"] == 200, found
    assert not [f for f, names in found["files"].items() if len(names) > 1], found["files"]
    return found["body"]


def messages(result: Result) -> str:
    return "\n".join(f"{f.path}:{f.status.value}: {f.message}" for f in result.findings)


# ---------------------------------------------------------------- 1. names found elsewhere
SRC_CLI = {
    "src/__init__.py": "",
    "src/main.py": "def main() -> None:\n    print('cli')\n",
    "backend/src/main.py": "from fastapi import FastAPI\n\nfrom .routes import router\n\n"
    "app = FastAPI()\napp.include_router(router)\n",
    "backend/src/routes.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
    "@router.get('/')\ndef index() -> dict[str, str]:\n    return {'from': 'backend'}\n",
    "backend/requirements.txt": REQUIREMENTS,
}


def test_a_root_package_does_not_shadow_the_apps_namespace_folder(make_repo: MakeRepo) -> None:
    root = make_repo(SRC_CLI)
    result = run(root)
    assert "load it as the package `src` first" in messages(result)
    assert answers(root) == {"from": "backend"}
    assert run(root).changes == []  # the second run finds its own main.py as it would write it


def test_a_root_module_shadows_a_namespace_folder_of_the_closure(make_repo: MakeRepo) -> None:
    """Not only the shim's own import: `import utils.text` in the app finds utils.py at the
    root before backend/utils/ (no __init__.py)."""
    root = make_repo(
        {
            "utils.py": "def shout(text: str) -> str:\n    return text.upper()\n",
            "backend/app/__init__.py": "",
            "backend/app/main.py": "from fastapi import FastAPI\n\nfrom utils.text import "
            "title\n\napp = FastAPI()\n\n\n@app.get('/')\ndef index() -> str:\n"
            "    return title('ok')\n",
            "backend/utils/text.py": "def title(text: str) -> str:\n    return text.title()\n",
            "frontend/index.html": "",
        }
    )
    result = run(root)
    assert "the module utils.py at the repository root" in messages(result)
    assert answers(root) == "Ok"


def test_a_namespace_folder_named_like_the_standard_library_is_reported(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            "backend/main.py": "from fastapi import FastAPI\n\nfrom secrets.keys import KEY\n\n"
            "app = FastAPI(title=KEY)\n",
            "backend/secrets/keys.py": "KEY = 'k'\n",
            "frontend/index.html": "",
        }
    )
    before = snapshot(root)
    result = run(root)
    assert [f.status for f in result.findings] == [Status.MANUAL]
    assert "the standard library's module `secrets` first" in messages(result)
    assert snapshot(root) == before


def test_an_installed_distribution_does_not_shadow_the_apps_folder(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "backend/main.py": "from fastapi import FastAPI\n\nfrom jwt.tokens import issue\n\n"
            "app = FastAPI()\n\n\n@app.get('/')\ndef index() -> str:\n    return issue()\n",
            "backend/jwt/tokens.py": "def issue() -> str:\n    return 'token'\n",
            "frontend/index.html": "",
        }
    )
    result = run(root)
    assert "the module of the distribution PyJWT" in messages(result)
    assert "sys.modules[_spec.name]" in (root / "main.py").read_text()


# ---------------------------------------------------------------- 2. alias chains
def test_the_script_that_configures_the_served_object_is_imported(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "backend/api/main.py": "import uvicorn\n\nfrom api.routers import chat, users\n\n"
            "app = chat.app\napp.include_router(users.router)\n\n"
            "if __name__ == '__main__':\n    uvicorn.run(app)\n",
            "backend/api/routers/chat.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
            "backend/api/routers/users.py": "from fastapi import APIRouter\n\n"
            "router = APIRouter()\n\n\n@router.get('/')\ndef users() -> list[str]:\n"
            "    return ['ada']\n",
            "frontend/index.html": "",
        }
    )
    result = run(root)
    assert "imports `app` from backend/api/main.py" in messages(result)
    assert "import root backend/" in messages(result)
    assert answers(root) == ["ada"]


def test_an_alias_only_script_still_sets_the_import_root(make_repo: MakeRepo) -> None:
    """`app = chat.app; uvicorn.run(app)`: chat.py is served (the script adds nothing), but
    from backend/, where the script's `api.routers` resolves, not from the script's own
    folder: chat.py keeps the name `api.routers.chat` it has when the script runs."""
    root = make_repo(
        {
            "backend/api/main.py": "import uvicorn\n\nfrom api.routers import chat\n\n"
            "app = chat.app\n\nif __name__ == '__main__':\n    uvicorn.run(app)\n",
            "backend/api/routers/chat.py": "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
            "@app.get('/')\ndef index() -> str:\n    return 'chat'\n",
            "frontend/index.html": "",
        }
    )
    result = run(root)
    assert "imports `app` from backend/api/routers/chat.py" in messages(result)
    assert "from api.routers.chat import app" in (root / "main.py").read_text()
    assert answers(root) == "chat"


# ---------------------------------------------------------------- 3. factory arguments
FACTORY = (
    "from fastapi import FastAPI\n\n\n"
    "def create_app(title: str, debug: bool = False) -> FastAPI:\n"
    "    app = FastAPI(title=title, debug=debug)\n\n    @app.get('/')\n"
    "    def index() -> dict[str, object]:\n"
    "        return {'title': app.title, 'debug': app.debug}\n\n"
    "    return app\n"
)


@pytest.mark.parametrize(
    ("runner", "expected"),
    [
        (
            "import uvicorn\n\nfrom shop.factory import create_app\n"
            "from shop.names import TITLE\n\nif __name__ == '__main__':\n"
            "    uvicorn.run(create_app(TITLE, debug=True))\n",
            {"title": "Shop", "debug": True},
        ),
        (  # a module-level name of the script itself, imported from it
            "import uvicorn\n\nfrom shop.factory import create_app\n\nTITLE = 'Local'\n\n\n"
            "def serve() -> None:\n    uvicorn.run(create_app(title=TITLE + '!'))\n",
            {"title": "Local!", "debug": False},
        ),
        (  # an import in the __main__ block, a relative one made absolute
            "import uvicorn\n\nfrom .factory import create_app\n\n"
            "if __name__ == '__main__':\n    from shop import names\n\n"
            "    uvicorn.run(create_app(names.TITLE.lower()))\n",
            {"title": "shop", "debug": False},
        ),
    ],
    ids=["import", "own-name", "block-import"],
)
def test_a_factory_is_called_with_the_arguments_of_its_call_site(
    make_repo: MakeRepo, runner: str, expected: dict[str, object]
) -> None:
    root = make_repo(
        {
            "shop/__init__.py": "",
            "shop/factory.py": FACTORY,
            "shop/names.py": "TITLE = 'Shop'\n",
            "shop/run.py": runner,
        }
    )
    result = run(root)
    assert "calls it with the arguments shop/run.py" in messages(result)
    assert answers(root) == expected
    assert run(root).changes == []


@pytest.mark.parametrize(
    ("runner", "why"),
    [
        (
            "import sys\n\nimport uvicorn\n\nfrom shop.factory import create_app\n\n"
            "if __name__ == '__main__':\n    title = sys.argv[1]\n"
            "    uvicorn.run(create_app(title))\n",
            "`title` is set in the `__main__` block of shop/run.py",
        ),
        (
            "import uvicorn\n\nfrom shop.factory import create_app\n\n\ndef serve(title):\n"
            "    uvicorn.run(create_app(title))\n",
            "`title` is set inside the function that calls it",
        ),
        (
            "import uvicorn\n\nfrom shop.factory import create_app\n\n"
            "if __name__ == '__main__':\n    uvicorn.run(create_app(*[t for t in 'ab']))\n",
            "is more than names, literals and calls",
        ),
        (
            "import uvicorn\n\nfrom shop.factory import create_app\n\n"
            "if __name__ == '__main__':\n    uvicorn.run(create_app(UNDEFINED))\n",
            "`UNDEFINED` is not defined where shop/run.py:6 uses it",
        ),
    ],
    ids=["main-block", "local", "comprehension", "undefined"],
)
def test_arguments_main_py_cannot_reproduce_are_reported(
    make_repo: MakeRepo, runner: str, why: str
) -> None:
    root = make_repo({"shop/__init__.py": "", "shop/factory.py": FACTORY, "shop/run.py": runner})
    before = snapshot(root)
    result = run(root)
    assert [f.status for f in result.findings] == [Status.MANUAL]
    assert why in messages(result)
    assert snapshot(root) == before


def test_hffix_leaves_the_runner_when_the_call_cannot_be_reproduced(make_repo: MakeRepo) -> None:
    """With every rule: no app is chosen, so HF002/HF003 keep the script's server start."""
    runner = (
        "import sys\n\nimport uvicorn\n\nfrom shop.factory import create_app\n\n"
        "if __name__ == '__main__':\n    uvicorn.run(create_app(sys.argv[1]))\n"
    )
    root = make_repo({"shop/__init__.py": "", "shop/factory.py": FACTORY, "shop/run.py": runner})
    result = hffix.fix(root, write=True, select=["HF001", "HF002", "HF003", "HF004"])
    assert result.error is None
    assert (root / "shop/run.py").read_text() == runner
    assert not (root / "main.py").exists()


def test_a_factory_with_defaults_served_from_a_root_main_py(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "main.py": FACTORY.replace("title: str", "title: str = 'API'")
            + "\n\nif __name__ == '__main__':\n    import uvicorn\n\n"
            "    uvicorn.run(create_app('Main', debug=True))\n",
        }
    )
    result = run(root)
    assert "added `app = create_app('Main', debug=True)` (as main.py:17 calls it)" in (
        messages(result)
    )
    assert answers(root) == {"title": "Main", "debug": True}


# ---------------------------------------------------------------- 4. relative imports at the root
def test_relative_imports_of_a_root_package_are_reported_when_it_is_named(
    make_repo: MakeRepo,
) -> None:
    """Code that imports the root package by its name (`from notes.models import Note`) runs
    from the folder above: the root is not the import root, so nothing is rewritten."""
    root = make_repo(
        {
            "__init__.py": "",
            "main.py": "from fastapi import FastAPI\n\nfrom .routes import router\n\n"
            "app = FastAPI()\napp.include_router(router)\n",
            "routes.py": "from fastapi import APIRouter\n\nfrom notes.models import Note\n\n"
            "router = APIRouter()\n",
            "models.py": "class Note:\n    pass\n",
        }
    )
    before = snapshot(root)
    result = run(root)
    assert [f.status for f in result.findings] == [Status.MANUAL]
    assert "its code also imports `notes.…`" in messages(result)
    assert snapshot(root) == before


def test_a_relative_import_of_a_standard_library_name_is_reported(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "__init__.py": "",
            "main.py": "from fastapi import FastAPI\n\nfrom .email import send\n\n"
            "app = FastAPI()\n",
            "email.py": "def send() -> None:\n    pass\n",
        }
    )
    result = run(root)
    assert "`email` would be the standard library's module" in messages(result)
    assert (root / "main.py").read_text().count("from .email import send") == 1


# ---------------------------------------------------------------- 5. more run-command evidence
TWO_APPS = {
    "alpha/server.py": "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/')\n"
    "def index() -> str:\n    return 'alpha'\n",
    "beta/server.py": "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/')\n"
    "def index() -> str:\n    return 'beta'\n",
    "requirements.txt": REQUIREMENTS,
}


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("fly.toml", '[processes]\n  web = "uvicorn beta.server:app"\n'),
        ("fly.toml", '[experimental]\n  cmd = ["uvicorn", "beta.server:app"]\n'),
        ("render.yaml", "services:\n  - type: web\n    startCommand: uvicorn beta.server:app\n"),
        ("app.yaml", "runtime: python310\nentrypoint: gunicorn beta.server:app\n"),
        ("vercel.json", '{"builds": [{"src": "beta/server.py", "use": "@vercel/python"}]}'),
        ("Procfile.dev", "web: uvicorn beta.server:app --reload\n"),
        (
            ".github/workflows/smoke.yaml",
            "jobs:\n  smoke:\n    steps:\n      - run: uvicorn beta.server:app &\n",
        ),
    ],
)
def test_deployment_configurations_name_the_app(
    make_repo: MakeRepo, source: str, text: str
) -> None:
    assert "FastAPI apps and nothing says" in messages(run(make_repo(TWO_APPS, "plain")))
    root = make_repo({**TWO_APPS, source: text})
    result = run(root)
    assert f"({source}:" in messages(result)
    assert answers(root) == "beta"


# ---------------------------------------------------------------- 6. one copy of the app
def _fixed_shims() -> list[Any]:
    params = []
    for folder in sorted(CORPUS.iterdir()):
        tree = folder / "after" if (folder / "after").is_dir() else folder / "before"
        main = tree / "main.py"
        if main.is_file() and is_hffix_shim(main.read_text(encoding="utf-8")):
            params.append(pytest.param(tree, id=folder.name))
    return params


SHIMS = _fixed_shims()


def test_the_corpus_has_every_shim_shape() -> None:
    texts = [
        (tree / "main.py").read_text(encoding="utf-8") for tree in (p.values[0] for p in SHIMS)
    ]
    assert any("ModuleSpec(" in t for t in texts)  # a folder loaded as a package
    assert any('"main", os.path.join' in t for t in texts)  # the app module as `main`
    assert any('"_hffix_app"' in t for t in texts)  # loaded by its path
    assert any("hffix_root" in t for t in texts)  # the root as a package
    assert any("app = create_app(" in t for t in texts)  # a factory called
    assert any("from app.main import app" in t for t in texts)  # the plain sys.path form


@pytest.mark.parametrize("tree", SHIMS)
def test_main_app_is_the_app_modules_app_loaded_once(tree: Path, tmp_path: Path) -> None:
    """`main.app is <module>.app` for the module the shim serves, and no file of the
    repository was executed under two names (the root and a subfolder both on sys.path)."""
    root = copy_tree(tree, tmp_path / "repo")
    text = (root / "main.py").read_text(encoding="utf-8")
    target = serves(text)
    assert target is not None, "hffix's main.py says what it serves"
    path, attr, factory = target
    env = {"DATABASE_URL": "sqlite://", "SECRET_KEY": "x", "OPENAI_API_KEY": "x"}
    found = probe(root, "", "" if factory else path, attr, env)
    if "error" in found:
        pytest.skip(f"the app cannot be imported here: {found['error']}")
    twice = {f: names for f, names in found["files"].items() if len(names) > 1}
    assert twice == {}, f"loaded under two names: {twice}"
    if not factory:
        assert found["same_app"] == [True], found  # exactly one module is that file


# ---------------------------------------------------------------- 7. hffix's own main.py
def test_hffix_keeps_its_own_main_py_when_the_evidence_is_gone(make_repo: MakeRepo) -> None:
    app = "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/')\ndef i() -> str:\n"
    root = make_repo(
        {
            "orders-api/main.py": app + "    return 'orders'\n",
            "admin/main.py": app + "    return 'admin'\n",
            "Dockerfile": 'FROM python:3.10\nWORKDIR /srv\nCOPY orders-api/ /srv/\nCMD ["uvicorn", '
            '"main:app"]\n',
            "requirements.txt": REQUIREMENTS,
        }
    )
    hffix.fix(root, write=True, select=["HF001", "HF006"])
    assert not (root / "Dockerfile").exists()
    again = hffix.check(root)
    assert [f for f in again.findings if f.code == "HF001"] == []
    assert answers(root) == "orders"
    # A run command naming the other app is new evidence: it wins over hffix's choice.
    (root / "Procfile").write_text("web: cd admin && uvicorn main:app\n")
    changed = run(root)
    assert "Procfile:1" in messages(changed)
    assert answers(root) == "admin"


def test_an_old_shim_that_no_longer_imports_is_rewritten(make_repo: MakeRepo) -> None:
    """A main.py from an earlier hffix (the plain sys.path form, shadowed by src/) still
    names its app: hffix plans it again and writes the form that imports."""
    root = make_repo(
        {
            **SRC_CLI,
            "main.py": "# Hugging Face Spaces entrypoint written by hffix: serves `app` from "
            "backend/src/main.py.\nimport os\nimport sys\n\nfrom dotenv import load_dotenv\n\n"
            "_ROOT = os.path.dirname(os.path.abspath(__file__))\n"
            'sys.path.insert(0, os.path.join(_ROOT, "backend"))\nload_dotenv()\n\n'
            "from src.main import app  # noqa: E402\n",
        }
    )
    assert "error" in probe(root)
    result = run(root)
    assert "chose it because main.py, which hffix wrote, serves it" in messages(result)
    assert answers(root) == {"from": "backend"}


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX")
def test_verify_agrees_with_a_fix_that_boots(tmp_path: Path) -> None:
    """`hffix verify` on a fixed tree whose app boots and answers is ready: no finding
    about hffix's own main.py fails it."""
    from hffix.verify import VerifyOptions, verify

    root = copy_tree(CORPUS / "hf001-own-shim-kept" / "before", tmp_path / "repo")
    report = verify(root, VerifyOptions(timeout=30))
    assert report.boot.ok, report.reason()
    assert report.ok, report.reason()


def test_an_edited_shim_that_still_serves_the_app_is_kept(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "backend/app/__init__.py": "",
            "backend/app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
            "@app.get('/')\ndef index() -> str:\n    return 'ok'\n",
            "frontend/index.html": "",
        }
    )
    run(root)
    edited = (root / "main.py").read_text() + "\napp.title = 'Edited by hand'\n"
    (root / "main.py").write_text(edited)
    assert run(root).findings == []
    assert (root / "main.py").read_text() == edited
