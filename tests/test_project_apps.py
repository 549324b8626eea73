"""Finding apps across modules, and choosing the one the Space serves."""

from __future__ import annotations

from hffix.project.apps import AppGraph
from hffix.project.choice import Choice, Chooser, Undecided, option_site, parse_app_option
from hffix.project.layout import Layout, is_test_path
from hffix.project.pysummary import summarize
from hffix.project.runcommands import harvest


def graph(files: dict[str, str]) -> AppGraph:
    built = AppGraph(Layout(files), files.get)
    built.discover([p for p in files if p.endswith(".py")])
    return built


def sites(files: dict[str, str]) -> set[str]:
    return {s.spec() for s in graph(files).sites}


def choose(files: dict[str, str]) -> Choice | Undecided | None:
    built = graph(files)
    launches = harvest(built.layout, files.get).launches
    return Chooser(built, launches, lambda s: not is_test_path(s.path)).choose()


def chosen(files: dict[str, str]) -> str:
    result = choose(files)
    assert isinstance(result, Choice), result
    return result.site.spec()


def test_every_import_form_of_the_class() -> None:
    assert sites(
        {
            "a.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "b.py": "from fastapi import FastAPI as F\napi = F(title='x')\n",
            "c.py": "import fastapi\nserver = fastapi.FastAPI()\n",
            "d.py": "import fastapi as fa\nfrom fastapi.applications import FastAPI\n"
            "x: FastAPI = fa.FastAPI()\ny = FastAPI()\n",
            "e.py": "from fastapi import FastAPI\nclass App(FastAPI):\n    pass\napp = App()\n",
            "f.py": "app = FastAPI()\n",  # never imported: not the class
        }
    ) == {"a.py:app", "b.py:api", "c.py:server", "d.py:x", "d.py:y", "e.py:app"}


def test_aliases_reexports_and_attribute_chains_share_one_origin() -> None:
    built = graph(
        {
            "pkg/__init__.py": "from .server import app\n",
            "pkg/server.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "other.py": "import pkg.server\nasgi = pkg.server.app\n",
            "star.py": "from pkg.server import *\n",
            "main2.py": "from pkg import app as api\napplication = api\n",
        }
    )
    origins = {s.spec(): s.origin for s in built.sites}
    assert set(origins) == {
        "pkg/__init__.py:app",
        "pkg/server.py:app",
        "other.py:asgi",
        "main2.py:api",
        "main2.py:application",
    }
    assert len(set(origins.values())) == 1
    assert built.site_at("star.py", "app") is not None  # through the star import


def test_factories_and_their_results() -> None:
    built = graph(
        {
            "factory.py": "from fastapi import FastAPI\n\ndef create_app(debug=False) -> FastAPI:\n"
            "    return build()\n\ndef build():\n    application = FastAPI()\n"
            "    return application\n\ndef needs(settings):\n    return FastAPI()\n",
            "asgi.py": "from factory import create_app\napp = create_app()\n",
        }
    )
    specs = {s.spec(): s for s in built.sites}
    assert set(specs) == {
        "factory.py:create_app()",
        "factory.py:build()",
        "factory.py:needs()",
        "asgi.py:app",
    }
    assert specs["factory.py:needs()"].needs_arguments
    assert specs["asgi.py:app"].origin == specs["factory.py:create_app()"].origin


def test_a_wrapper_contains_the_app_it_wraps() -> None:
    built = graph(
        {
            "main.py": "from fastapi import FastAPI\nfrom starlette.middleware.cors import "
            "CORSMiddleware\napp = FastAPI()\napp = CORSMiddleware(app, allow_origins=['*'])\n"
        }
    )
    (site,) = built.sites
    assert site.origin.kind == "wrapper"
    assert any(o.kind == "instance" for o in built.descendants(site.origin))


def test_apps_built_in_main_blocks_and_functions() -> None:
    built = graph(
        {
            "run.py": "import uvicorn\nfrom fastapi import FastAPI\n"
            "if __name__ == '__main__':\n    app = FastAPI()\n    uvicorn.run(app)\n",
            "cli.py": "from fastapi import FastAPI\ndef main():\n    app = FastAPI()\n"
            "    serve(app)\n",
        }
    )
    assert built.sites == []
    assert [(p, b.name) for p, b in built.main_block_apps] == [("run.py", "app")]
    assert built.function_apps == [("cli.py", "main", 3)]


def test_only_app_and_tests_do_not_count() -> None:
    files = {
        "api/server.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "tests/conftest.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "test_x.py": "from fastapi import FastAPI\napp = FastAPI()\n",
    }
    result = choose(files)
    assert isinstance(result, Choice) and result.site.spec() == "api/server.py:app"
    assert "only" in result.reason


def test_mounting_app_wins_over_shallower_mounted_ones() -> None:
    files = {
        "sub.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "deep/gateway.py": "from fastapi import FastAPI\nfrom sub import app as sub_app\n"
        "api = FastAPI()\napi.mount('/sub', sub_app)\n",
    }
    result = choose(files)
    assert isinstance(result, Choice) and result.site.spec() == "deep/gateway.py:api"
    assert "sub.py:app" in result.reason


def test_include_router_of_another_apps_router_counts() -> None:
    files = {
        "v1.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "v2.py": "from fastapi import FastAPI\nimport v1\napp = FastAPI()\n"
        "app.include_router(v1.app.router)\n",
    }
    assert chosen(files) == "v2.py:app"


def test_factory_that_mounts_counts_as_container() -> None:
    files = {
        "users.py": "from fastapi import FastAPI\nusers = FastAPI()\n",
        "factory.py": "from fastapi import FastAPI\nfrom users import users\n"
        "def create_app():\n    app = FastAPI()\n    app.mount('/u', users)\n    return app\n",
    }
    assert chosen(files) == "factory.py:create_app()"


def test_shallowest_and_ambiguity() -> None:
    assert (
        chosen(
            {
                "app.py": "from fastapi import FastAPI\napp = FastAPI()\n",
                "examples/demo.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            }
        )
        == "app.py:app"
    )
    result = choose(
        {f"main-v{i}.py": "from fastapi import FastAPI\napp = FastAPI()\n" for i in range(1, 4)}
    )
    assert isinstance(result, Undecided)
    assert "main-v1.py:app" in result.message and "--app" in result.message


def test_run_commands_decide_and_outrank_code() -> None:
    files = {
        "a.py": "from fastapi import FastAPI\nimport uvicorn\napp = FastAPI()\n"
        "if __name__ == '__main__':\n    uvicorn.run('a:app')\n",
        "b.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "Procfile": "web: uvicorn b:app\n",
    }
    result = choose(files)
    assert isinstance(result, Choice) and result.site.spec() == "b.py:app"
    assert "Procfile:1" in result.reason and result.named is not None
    del files["Procfile"]
    assert chosen(files) == "a.py:app"


def test_disagreeing_deployment_commands_are_ambiguous() -> None:
    result = choose(
        {
            "a.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "b.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "Procfile": "web: uvicorn b:app\n",
            "Dockerfile": "FROM python\nWORKDIR /x\nCOPY . .\nCMD uvicorn a:app\n",
        }
    )
    assert isinstance(result, Undecided) and "different apps" in result.message


def test_run_command_naming_an_unrecognised_object_is_trusted() -> None:
    result = choose(
        {
            "asgi.py": "from framework import build\napplication = build()\n",
            "Procfile": "web: gunicorn -k uvicorn.workers.UvicornWorker asgi:application\n",
        }
    )
    assert isinstance(result, Choice) and result.site.origin.kind == "declared"


def test_script_run_follows_its_uvicorn_run() -> None:
    files = {
        "serve.py": "import uvicorn\nuvicorn.run('web.api:app', port=1)\n",
        "web/api.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "web/other.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "Makefile": "run:\n\tpython serve.py\n",
    }
    assert chosen(files) == "web/api.py:app"


def test_main_block_app_is_chosen_when_nothing_else_exists() -> None:
    result = choose(
        {
            "run.py": "from fastapi import FastAPI\nif __name__ == '__main__':\n"
            "    app = FastAPI()\n",
        }
    )
    assert isinstance(result, Choice) and result.main_block is not None


def test_no_app() -> None:
    assert choose({"x.py": "print(1)\n"}) is None


def test_app_option_forms() -> None:
    built = graph(
        {
            "svc/a/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "svc/b/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        }
    )
    found = option_site(built, "svc.b.main:app", "--app")
    assert not isinstance(found, Undecided) and found[0].path == "svc/b/main.py"
    by_path = option_site(built, "svc/a/main.py:app", "--app")
    assert not isinstance(by_path, Undecided) and by_path[0].path == "svc/a/main.py"
    for bad, words in [
        ("main:app", "cannot tell"),
        ("svc.b.main:nope", "no module-level"),
        ("nothing", "not MODULE:ATTR"),
        ("svc/c.py:app", "no file"),
    ]:
        result = option_site(built, bad, "--app")
        assert isinstance(result, Undecided) and words in result.message
    assert parse_app_option("pkg.mod:create_app()") == ("pkg.mod", "create_app", True)


def test_reexport_prefilter() -> None:
    from hffix.project.apps import imports_any

    names, stems = {"app", "create_app"}, {"server"}
    assert imports_any("from .server import *\n", names, stems)
    assert imports_any("from pkg import (\n    other,\n    app,\n)\n", names, stems)
    assert imports_any("import pkg.server as s\n", names, stems)
    assert imports_any("from pkg import server\n", names, stems)
    assert not imports_any("from app.models import User\nimport os\n", names, stems)
    assert not imports_any("x = 'import app'\n", names, stems)


def test_discovery_reads_only_modules_that_can_reexport() -> None:
    files = {f"app/pkg/m{i}.py": f"from app.pkg.m{i + 1} import thing\n" for i in range(50)}
    files["app/main.py"] = "from fastapi import FastAPI\napp = FastAPI()\n"
    files["app/__init__.py"] = "from .main import (\n    app,\n)\n"
    built = AppGraph(Layout(files), files.get)
    built.discover(["app/main.py"])
    assert {s.spec() for s in built.sites} == {"app/main.py:app", "app/__init__.py:app"}
    assert len(built.summaries) < 10


def test_python_m_package_serves_the_app_its_main_module_starts() -> None:
    files = {
        "Makefile": "run:\n\tpython -m service\n",
        "service/__init__.py": "",
        "service/__main__.py": "import uvicorn\n\nfrom .api import app\n\nuvicorn.run(app)\n",
        "service/api.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "other/api.py": "from fastapi import FastAPI\napp = FastAPI()\n",
    }
    assert chosen(files) == "service/api.py:app"  # never the __main__ module, which runs


def test_module_level_configuration_is_recorded() -> None:
    summary = summarize(
        "m.py",
        "app = other.app\napp.include_router(r)\napp.state.db = 1\nsetup(api)\n\n"
        "@server.get('/')\ndef f():\n    late.x()\n\nif __name__ == '__main__':\n"
        "    block.run()\n",
    )
    assert summary is not None
    # a name passed to a module-level call counts (`setup(api)`); a decorated def is its line
    assert summary.configured == {"app": 2, "r": 2, "api": 4, "server": 7}


def test_a_factory_call_handed_to_uvicorn_run() -> None:
    summary = summarize(
        "run.py",
        "import sys\nimport uvicorn\nfrom f import create_app, Settings\n\n"
        "uvicorn.run(create_app(Settings(debug=True), title='Shop'))\n\n"
        "def serve(port):\n    uvicorn.run(factory.create_app(port=port))\n\n"
        "if __name__ == '__main__':\n"
        "    uvicorn.run(create_app(lambda: 1))\n"
        "    uvicorn.run(create_app(sys.argv[1]))\n",
    )
    assert summary is not None
    calls = [(c.line, c.module_level, c.call) for c in summary.launches]
    assert [(line, level) for line, level, _ in calls] == [
        (5, True),
        (8, False),
        (11, False),
        (12, False),
    ]
    first, in_function, lambda_, argv = (call for _, _, call in calls)
    assert first is not None and first.callee == ("create_app",)
    assert (first.names, first.portable, first.local) == (("Settings",), True, ())
    assert first.text == "Settings(debug=True), title='Shop'"
    assert first.arguments == ((5, 23, 5, 43), (5, 45, 5, 57))
    assert in_function is not None and in_function.callee == ("factory", "create_app")
    assert in_function.local == ("port",)
    assert lambda_ is not None and not lambda_.portable
    assert argv is not None and not argv.portable  # the command line: a Space has none


def test_the_script_that_configures_the_object_it_serves_is_chosen() -> None:
    files = {
        "api/chat.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
        "api/main.py": "import uvicorn\nfrom api import chat\n\napp = chat.app\n"
        "app.add_middleware(M)\n\nif __name__ == '__main__':\n    uvicorn.run(app)\n",
    }
    assert chosen(files) == "api/main.py:app"
    # Only an alias: the module that builds the app is imported.
    files["api/main.py"] = files["api/main.py"].replace("app.add_middleware(M)\n", "")
    assert chosen(files) == "api/chat.py:app"
    # A server started at module level: importing the script would start it.
    files["api/main.py"] = "import uvicorn\nfrom api import chat\n\napp = chat.app\napp.x = 1\n"
    files["api/main.py"] += "uvicorn.run(app)\n"
    assert chosen(files) == "api/chat.py:app"


def test_uvicorn_run_of_a_factory_call_names_the_factory_with_its_call() -> None:
    files = {
        "shop/factory.py": "from fastapi import FastAPI\n\n\ndef make(title):\n"
        "    return FastAPI(title=title)\n",
        "shop/run.py": "import uvicorn\nfrom shop.factory import make\n\n"
        "if __name__ == '__main__':\n    uvicorn.run(make('Shop'))\n",
    }
    result = choose(files)
    assert isinstance(result, Choice) and result.site.spec() == "shop/factory.py:make()"
    assert result.named is not None and result.named.launcher == "shop/run.py"
    assert result.named.call is not None and result.named.call.text == "'Shop'"
