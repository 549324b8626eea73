"""The import root and Python's name resolution over the repository's files."""

from __future__ import annotations

import libcst as cst
import pytest

from hffix.project.apps import AppGraph
from hffix.project.importroot import (
    ROOT_PACKAGE,
    ImportRoot,
    absolute_imports,
    import_root,
    make_absolute,
    shadowed,
)
from hffix.project.layout import Layout


def root_of(files: dict[str, str], module: str, **named: str) -> ImportRoot:
    built = AppGraph(Layout(files), files.get)
    built.discover([p for p in files if p.endswith(".py")])
    return import_root(built, module, named.get("base"), "the command")


def test_layout_resolution_order() -> None:
    layout = Layout(
        {
            "app.py": "",
            "app/__init__.py": "",
            "app/core.py": "",
            "api.py": "",
            "api/static/x.py": "",
            "ns/mod.py": "",
            "my-backend/main.py": "",
            "weird.py/inner.py": "",
        }
    )
    assert layout.resolve("", "app").path == "app/__init__.py"  # type: ignore[union-attr]
    assert layout.resolve("", "app.core").path == "app/core.py"  # type: ignore[union-attr]
    assert layout.resolve("", "api").kind == "module"  # type: ignore[union-attr]
    assert layout.resolve("", "api.static") is None  # a module is not a package
    assert layout.resolve("", "ns").kind == "namespace"  # type: ignore[union-attr]
    assert layout.importable_as("app.py", "") is None  # shadowed by the package
    assert layout.module_name("my-backend/main.py", "") is None
    assert layout.module_name("my-backend/main.py", "my-backend") == "main"
    assert layout.module_name("weird.py/inner.py", "") is None
    assert layout.top_level_names("") == {"app", "api", "ns"}


def test_absolute_imports_decide() -> None:
    root = root_of(
        {
            "backend/app/main.py": "from app.core.config import settings\n",
            "backend/app/core/config.py": "settings = 1\n",
        },
        "backend/app/main.py",
    )
    assert (root.folder, root.dotted) == ("backend", "app.main")
    assert "app.core.config" in root.reason


def test_imports_of_reached_modules_count_too() -> None:
    root = root_of(
        {
            "svc/main.py": "import routes\n",
            "svc/routes.py": "from svc_lib.helpers import x\n",
            "svc/svc_lib/helpers.py": "x = 1\n",
        },
        "svc/main.py",
    )
    assert root.folder == "svc" and root.dotted == "main"


def test_relative_imports_need_the_package() -> None:
    root = root_of(
        {
            "server/api/main.py": "from .db import x\nfrom ..shared import y\n",
            "server/api/db.py": "",
            "server/shared.py": "",
        },
        "server/api/main.py",
    )
    assert root.folder == "" and root.dotted == "server.api.main"


def test_regular_package_chain_without_other_evidence() -> None:
    root = root_of(
        {"web/pkg/__init__.py": "", "web/pkg/sub/__init__.py": "", "web/pkg/sub/app.py": ""},
        "web/pkg/sub/app.py",
    )
    assert (root.folder, root.dotted) == ("web", "pkg.sub.app")
    assert "regular package" in root.reason


def test_own_folder_by_default() -> None:
    root = root_of({"backend/main.py": "import os\n"}, "backend/main.py")
    assert (root.folder, root.dotted) == ("backend", "main")


def test_hyphenated_folders_cannot_be_crossed() -> None:
    root = root_of(
        {"my-api/app/main.py": "from app.x import y\n", "my-api/app/x.py": ""},
        "my-api/app/main.py",
    )
    assert root.folder == "my-api"


def test_sys_path_additions_make_imports_resolve_anywhere() -> None:
    root = root_of(
        {
            "api/main.py": "import sys, os\nsys.path.insert(0, os.path.join("
            "os.path.dirname(__file__), '..', 'lib'))\nfrom helpers import x\n",
            "lib/helpers.py": "",
        },
        "api/main.py",
    )
    assert root.folder == "api" and root.unresolved == ()


def test_run_command_folder_wins() -> None:
    root = root_of(
        {"backend/app/main.py": "", "backend/app/__init__.py": ""},
        "backend/app/main.py",
        base="backend/app",
    )
    assert (root.folder, root.dotted) == ("backend/app", "main")
    assert "the command" in root.reason


def test_unresolved_first_party_imports_are_listed() -> None:
    root = root_of(
        {
            "a/b/main.py": "from b.x import y\nfrom a.z import w\n",
            "a/b/x.py": "",
            "a/z.py": "",
            "a/b/c.py": "",
        },
        "a/b/main.py",
    )
    # b.x resolves only from a/, a.z only from the root: a tie, broken by the nearer folder
    assert root.folder == "a" and root.unresolved == ("a.z",)


def test_repository_root_that_is_a_package() -> None:
    relative = root_of(
        {"__init__.py": "", "api.py": "from .routes import r\n", "routes.py": ""}, "api.py"
    )
    assert relative.package == ROOT_PACKAGE and relative.dotted is None
    named = root_of(
        {"__init__.py": "", "api.py": "from myproj.routes import r\n", "routes.py": ""},
        "api.py",
    )
    assert named.package == "myproj"
    plain = root_of({"__init__.py": "", "api.py": "import routes\n", "routes.py": ""}, "api.py")
    assert plain.package is None and plain.dotted == "api"


def test_the_launchers_imports_count_with_the_app_modules() -> None:
    """`app = chat.app; uvicorn.run(app)` in backend/api/main.py: chat.py imports nothing,
    but the script's `api.routers` resolves only from backend/, not from its own folder."""
    files = {
        "backend/api/main.py": "from api.routers import chat\n\napp = chat.app\n",
        "backend/api/routers/chat.py": "import fastapi\n\napp = fastapi.FastAPI()\n",
    }
    built = AppGraph(Layout(files), files.get)
    built.discover(list(files))
    alone = import_root(built, "backend/api/routers/chat.py", "backend/api", "x", weak=True)
    assert alone.folder == "backend/api"
    root = import_root(
        built,
        "backend/api/routers/chat.py",
        "backend/api",
        "x",
        weak=True,
        launcher="backend/api/main.py",
    )
    assert (root.folder, root.dotted) == ("backend", "api.routers.chat")


def test_a_launcher_with_relative_imports_needs_its_package() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/factory.py": "",
        "shop/run.py": "from .factory import create_app\n",
    }
    built = AppGraph(Layout(files), files.get)
    root = import_root(built, "shop/factory.py", "shop", "x", weak=True, launcher="shop/run.py")
    assert (root.folder, root.dotted) == ("", "shop.factory")


def test_names_found_elsewhere_first() -> None:
    layout = Layout(
        {
            "src/__init__.py": "",
            "backend/src/main.py": "",
            "utils.py": "",
            "backend/utils/text.py": "",
            "backend/jwt/tokens.py": "",
            "backend/email/send.py": "",
            "backend/app/__init__.py": "",
            "app/__init__.py": "",
            "backend/plain/x.py": "",
            "backend/shared/a.py": "",
            "shared/b.py": "",
        }
    )
    names = ["src", "utils", "jwt", "email", "app", "plain", "shared", "fastapi", "main"]
    found = {s.name: (s.folder, s.by, s.stdlib) for s in shadowed(layout, ["backend"], names)}
    assert found == {
        "src": ("backend/src", "the package src/ at the repository root", False),
        "utils": ("backend/utils", "the module utils.py at the repository root", False),
        "jwt": ("backend/jwt", "the module of the distribution PyJWT", False),
        "email": ("backend/email", "the standard library's module", True),
    }
    # backend/app is a regular package: first on sys.path, it wins over the root's app/;
    # two namespace folders named `shared` join into one package.
    assert shadowed(layout, [""], names) == []


def test_relative_imports_that_reach_the_root() -> None:
    files = {
        "__init__.py": "",
        "main.py": "from .routes import r\nfrom . import models\n",
        "routes.py": "from .models import M\n\ndef f():\n    from .models import N\n",
        "models.py": "",
        "api/__init__.py": "from ..models import M\nfrom .sub import x\n",
        "api/sub.py": "",
    }
    built = AppGraph(Layout(files), files.get)
    plans = absolute_imports(built, "main.py")
    assert not isinstance(plans, str)
    assert [(p.path, p.depth, p.targets) for p in plans] == [
        ("main.py", 0, {(1, "routes"): "routes", (1, ""): ""}),
        ("routes.py", 0, {(1, "models"): "models"}),
    ]
    files["main.py"] += "from .api import x\n"
    built = AppGraph(Layout(files), files.get)
    plans = absolute_imports(built, "main.py")
    assert not isinstance(plans, str)
    assert ("api/__init__.py", 1, {(2, "models"): "models"}) in [
        (p.path, p.depth, p.targets) for p in plans
    ]
    module = cst.parse_module(files["api/__init__.py"])
    plan = next(p for p in plans if p.path == "api/__init__.py")
    assert make_absolute(module, plan).code == "from models import M\nfrom .sub import x\n"
    main_plan = next(p for p in plans if p.path == "main.py")
    code = make_absolute(cst.parse_module("from . import (a as b, models,)\n"), main_plan).code
    assert code == "import a as b, models\n"  # parentheses and a trailing comma dropped
    assert make_absolute(cst.parse_module(files["main.py"]), main_plan).code == (
        "from routes import r\nimport models\nfrom api import x\n"
    )


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ({"routes.py": "from myproj.models import M\n"}, "imports `myproj.…`"),
        ({"main.py": "from ..up import x\n"}, "reaches above the repository root"),
        ({"main.py": "from .json import x\n", "json.py": ""}, "standard library's module"),
        ({"main.py": "from . import setting\n"}, "`setting` is not a module at the root"),
    ],
)
def test_relative_imports_that_cannot_be_made_absolute(extra: dict[str, str], why: str) -> None:
    files = {
        "__init__.py": "",
        "main.py": "from .routes import r\n",
        "routes.py": "",
        "models.py": "",
    }
    files.update(extra)
    built = AppGraph(Layout(files), files.get)
    found = absolute_imports(built, "main.py")
    assert isinstance(found, str) and why.replace("the root", "the repository root") in found
