"""HF001 as a rule: what it writes, what it refuses, and the facts it leaves for later rules."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import hffix
from hffix.api import Result
from hffix.findings import Status

APP = "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/x')\ndef x():\n    return 1\n"
MakeRepo = Callable[..., Path]


def run(root: Path, **kwargs: object) -> Result:
    result = hffix.fix(root, write=True, select=["HF001"], **kwargs)  # type: ignore[arg-type]
    assert result.error is None, result.error
    return result


def files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def messages(result: Result) -> str:
    return "\n".join(f"{f.path}:{f.status.value}: {f.message}" for f in result.findings)


def importable(root: Path) -> list[str]:
    """Paths of the app's routes, imported the way a Space does."""
    code = "import main; print(sorted(r.path for r in main.app.routes if hasattr(r, 'path')))"
    proc = subprocess.run(
        [sys.executable, "-B", "-c", code], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return eval(proc.stdout)  # a list literal printed by the child


def test_facts_for_later_rules(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "Procfile": "web: cd backend && uvicorn app.main:app\n",
            "backend/app/__init__.py": "",
            "backend/app/main.py": APP,
            "backend/app/util.py": "",
            "frontend/index.html": "",
        }
    )
    result = run(root)
    facts = result.facts
    assert facts.app is not None
    assert (facts.app.module_path, facts.app.attribute, facts.app.import_root) == (
        "backend/app/main.py",
        "app",
        "backend",
    )
    assert facts.entry_modules == {"main.py", "backend/app/main.py"}
    assert {"app", "main"} <= facts.first_party
    assert [c.source for c in facts.run_commands] == ["Procfile"]
    assert "python-dotenv" in facts.requirements
    assert "/x" in importable(root)


def test_compliant_repository_only_records_facts(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": APP, "other.py": APP})
    result = run(root)
    assert result.findings == [] and result.changes == []
    assert result.facts.app is not None and result.facts.app.module_path == "main.py"


def test_app_from_pyproject_setting(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "pyproject.toml": '[tool.hffix]\napp = "svc/b.py:app"\n',
            "svc/a.py": APP,
            "svc/b.py": APP.replace("/x", "/b"),
        }
    )
    run(root)
    assert importable(root) == ["/b", "/docs", "/docs/oauth2-redirect", "/openapi.json", "/redoc"]


def test_app_option_that_names_nothing_is_reported(make_repo: MakeRepo) -> None:
    root = make_repo({"a.py": APP})
    result = run(root, options={"app": "b:app"})
    assert [f.status for f in result.findings] == [Status.MANUAL]
    assert "b:app" in messages(result) and not (root / "main.py").exists()


def test_option_naming_another_app_than_main_py_serves(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": APP, "admin.py": APP})
    result = run(root, options={"app": "admin:app"})
    assert [f.status for f in result.findings] == [Status.UNSAFE_FIX]
    assert "serves a different app" in messages(result)
    assert files(root)["main.py"] == APP


def test_own_shim_is_rewritten_when_the_choice_changes(make_repo: MakeRepo) -> None:
    root = make_repo({"a.py": APP, "b.py": APP.replace("/x", "/b")})
    run(root, options={"app": "a:app"})
    assert "from a import app" in files(root)["main.py"]
    run(root, options={"app": "b:app"})
    assert "from b import app" in files(root)["main.py"]


def test_existing_main_py_with_the_app_under_another_name(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": APP.replace("app", "api")})
    result = run(root)
    assert files(root)["main.py"].endswith("    return 1\n\napp = api\n")
    assert "added `app = api`" in messages(result)
    assert run(root).changes == []


def test_factory_that_needs_arguments(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "factory.py": "from fastapi import FastAPI\n\n\ndef create_app(settings):\n"
            "    return FastAPI()\n"
        }
    )
    result = run(root)
    assert "needs arguments" in messages(result) and not (root / "main.py").exists()


def test_app_built_inside_a_function(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "run.py": "import uvicorn\nfrom fastapi import FastAPI\n\n\ndef main():\n"
            "    app = FastAPI()\n    uvicorn.run(app)\n"
        }
    )
    result = run(root)
    (finding,) = result.findings
    assert finding.status is Status.MANUAL and finding.path == "run.py" and finding.line == 6
    assert "inside `main()`" in finding.message


def test_main_block_that_cannot_be_lifted(make_repo: MakeRepo) -> None:
    text = (
        "import sys\nfrom fastapi import FastAPI\n\nif __name__ == '__main__':\n"
        "    title = sys.argv[1]\n    app = FastAPI(title=title)\n"
    )
    root = make_repo({"serve.py": text})
    result = run(root)
    assert "needs `title`, which the block sets" in messages(result)
    assert files(root) == {"serve.py": text}


def test_main_block_lift_moves_imports_and_decorated_routes(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "serve.py": "import uvicorn\n\nif __name__ == '__main__':\n"
            "    from fastapi import FastAPI\n    app = FastAPI()\n\n    @app.get('/y')\n"
            "    def y():\n        return 2\n\n    uvicorn.run(app)\n"
        }
    )
    run(root)
    assert files(root)["serve.py"] == (
        "import uvicorn\n\n"
        '# hffix: moved out of `if __name__ == "__main__":` so the Space can import the app.\n'
        "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get('/y')\ndef y():\n    return 2\n"
        "\nif __name__ == '__main__':\n    uvicorn.run(app)\n"
    )
    assert "/y" in importable(root)


def test_hoist_falls_back_to_a_shim_on_collisions(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "Makefile": "run:\n\techo root\n",
            "backend/Makefile": "run:\n\tuvicorn main:app\n",
            "backend/main.py": APP,
        }
    )
    result = run(root)
    assert "these files collide: backend/Makefile and Makefile" in messages(result)
    assert "from backend.main import app" in files(root)["main.py"]
    assert "/x" in importable(root)


def test_hoisted_main_py_is_the_app(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "README.md": "# r\n",
            "Makefile": "run:\n\tcd backend && uvicorn main:app\n",
            "backend/main.py": APP,
        }
    )
    result = run(root)
    assert files(root) == {
        "README.md": "# r\n",
        "Makefile": files(root)["Makefile"],
        "main.py": APP,
    }
    text = messages(result)
    assert "main.py is the app" in text and "Makefile:2" in text  # the stale cd backend


def test_hoist_is_refused_when_the_app_reaches_outside_its_folder(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "README.md": "# r\n",
            "docs/guide.md": "guide\n",
            "backend/main.py": APP
            + "import os\nGUIDE = os.path.join(os.path.dirname(__file__), '..', 'docs', 'guide.md')"
            "\nopen(GUIDE)\n",
        }
    )
    result = run(root)
    assert "not moved to the root because backend/main.py:11 refers to files outside backend/" in (
        messages(result)
    )
    assert (root / "backend" / "main.py").exists()


def test_per_file_ignores_and_tests(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "pyproject.toml": '[tool.hffix.per-file-ignores]\n"legacy/*" = ["HF001"]\n',
            "legacy/old.py": APP,
            "tests/test_api.py": APP,
            "api/server.py": APP,
        }
    )
    result = run(root)
    assert "api/server.py" in messages(result) and "only FastAPI app" in messages(result)
    root2 = make_repo(
        {"pyproject.toml": '[tool.hffix.per-file-ignores]\n"main.py" = ["HF001"]\n', "a.py": APP},
        "repo2",
    )
    assert run(root2).findings == []


def test_unsafe_move_aside_updates_references(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "main.py": "import sys\n\nprint(sys.argv)\n",
            "Procfile": "worker: python -m main --loop\nweb: uvicorn api:app\n",
            "tool.py": "import main\nimport main as m\nfrom main import sys\n",
            "sub/main.py": "",
            "sub/user.py": "import main\n",
            "api.py": APP,
        }
    )
    result = run(root, unsafe_fixes=True)
    out = files(root)
    assert out["main_script.py"] == "import sys\n\nprint(sys.argv)\n"
    assert out["Procfile"] == "worker: python -m main_script --loop\nweb: uvicorn api:app\n"
    assert out["tool.py"] == (
        "import main_script as main\nimport main_script as m\nfrom main_script import sys\n"
    )
    assert out["sub/user.py"] == "import main\n"  # its `main` is sub/main.py
    assert "from api import app" in out["main.py"]
    assert "moved the old main.py" in messages(result)


def test_main_py_that_does_not_parse_is_never_overwritten(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": "print 'python 2'\n", "api.py": APP})
    result = run(root, unsafe_fixes=False)
    assert "does not parse" in messages(result)
    assert files(root)["main.py"] == "print 'python 2'\n"


def test_module_that_cannot_be_imported_by_name_is_loaded_from_its_file(
    make_repo: MakeRepo,
) -> None:
    root = make_repo({"my-api/main.py": APP, "web/index.html": ""})
    result = run(root)
    text = files(root)["main.py"]
    assert "spec_from_file_location" in text and '"my-api", "main.py"' in text
    assert "loads `app`" in messages(result)
    assert "/x" in importable(root)


def test_middleware_wrapped_app_is_served_wrapped(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "server.py": APP + "from starlette.middleware.gzip import GZipMiddleware\n"
            "app = GZipMiddleware(app)\n",
            "web/index.html": "",
        }
    )
    run(root)
    proc = subprocess.run(
        [sys.executable, "-B", "-c", "import main; print(type(main.app).__name__)"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.strip() == "GZipMiddleware", proc.stderr


def test_main_py_whose_app_name_is_taken_is_not_aliased(make_repo: MakeRepo) -> None:
    text = "import typer\nfrom fastapi import FastAPI\n\napp = typer.Typer()\napi = FastAPI()\n"
    root = make_repo({"main.py": text})
    result = run(root)
    assert [f.status for f in result.findings] == [Status.UNSAFE_FIX]
    assert "uses the name `app` for something else" in messages(result)
    assert files(root) == {"main.py": text}


def test_app_option_as_a_path_keeps_the_import_root(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "backend/app/__init__.py": "",
            "backend/app/main.py": "from app.routes import r\n" + APP,
            "backend/app/routes.py": "r = 1\n",
            "backend/admin.py": APP,
            "web/index.html": "",
        }
    )
    run(root, options={"app": "backend/app/main.py:app"})
    assert "from app.main import app" in files(root)["main.py"]
    assert "/x" in importable(root)


def test_unsafe_fix_moves_a_main_py_whose_app_is_named_otherwise(make_repo: MakeRepo) -> None:
    text = (
        "import typer\nfrom fastapi import FastAPI\n\napp = typer.Typer()\napi = FastAPI()\n\n\n"
        "@api.get('/z')\ndef z():\n    return 3\n"
    )
    root = make_repo({"main.py": text, "typer.py": "class Typer:\n    pass\n"})
    run(root, unsafe_fixes=True)
    out = files(root)
    assert out["main_script.py"] == text
    assert "from main_script import api as app" in out["main.py"]
    assert "/z" in importable(root)


def test_apps_in_docs_examples_and_hidden_folders_are_not_candidates(
    make_repo: Callable[..., Path],
) -> None:
    """A template in .claude/, an example in docs/ or examples/: not the Space's app, so
    the one real app is chosen instead of an ambiguity."""
    app = "from fastapi import FastAPI\n\napp = FastAPI()\n"
    root = make_repo(
        {
            "service/main.py": app,
            ".claude/templates/api.py": app,
            "docs/tutorial/first.py": app,
            "examples/minimal.py": app,
        }
    )
    result = hffix.check(root, select=["HF001"])
    [finding] = result.findings
    assert "service/main.py" in finding.message and finding.status is Status.FIXED
