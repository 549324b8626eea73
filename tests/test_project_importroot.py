"""The import root and Python's name resolution over the repository's files."""

from __future__ import annotations

from hffix.project.apps import AppGraph
from hffix.project.importroot import ROOT_PACKAGE, ImportRoot, import_root
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
