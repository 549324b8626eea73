"""Run commands: every source, the launch inside each command, and working folders."""

from __future__ import annotations

import pytest

from hffix.project.layout import Layout
from hffix.project.runcommands import (
    Launch,
    ShellState,
    harvest,
    parse_command,
    split_words,
    yaml_values,
)


def launches(files: dict[str, str]) -> list[Launch]:
    return harvest(Layout(files), files.get).launches


def only(files: dict[str, str]) -> Launch:
    found = launches(files)
    assert len(found) == 1, found
    return found[0]


def command(line: str, cwd: str | None = "") -> Launch | None:
    words = split_words(line)
    return parse_command(words, ShellState(cwd, cwd or ""), source="x", line=1, origin="script")


@pytest.mark.parametrize(
    ("line", "module", "attribute", "factory"),
    [
        ("uvicorn main:app", "main", "app", False),
        ("uvicorn app.main:app --host 0.0.0.0 --port 8000 --reload", "app.main", "app", False),
        ("python -m uvicorn api.app:create_app --factory", "api.app", "create_app", True),
        ("python3.11 -u -m uvicorn app:api", "app", "api", False),
        (
            "gunicorn -k uvicorn.workers.UvicornWorker -b 0.0.0.0:8000 app.main:app",
            "app.main",
            "app",
            False,
        ),
        ("gunicorn -w 2 'app.factory:create_app()'", "app.factory", "create_app", True),
        ("hypercorn --bind 0.0.0.0:80 svc.asgi:application", "svc.asgi", "application", False),
        ("granian --interface asgi main:app", "main", "app", False),
        ("poetry run uvicorn app.main:app", "app.main", "app", False),
        ("uv run --with x uvicorn app.main:app", "app.main", "app", False),
        ("PORT=8000 exec uvicorn main:app", "main", "app", False),
        (
            "opentelemetry-instrument --traces_exporter console uvicorn main:app",
            "main",
            "app",
            False,
        ),
    ],
)
def test_server_commands(line: str, module: str, attribute: str, factory: bool) -> None:
    launch = command(line)
    assert launch is not None
    assert (launch.module, launch.attribute, launch.factory) == (module, attribute, factory)
    assert launch.server


@pytest.mark.parametrize(
    "line",
    [
        "echo uvicorn main:app",
        "pip install uvicorn fastapi",
        "uvicorn --help",
        "gunicorn -b 0.0.0.0:8000",  # no app
        "python -c 'import main'",
        "npm run dev",
    ],
)
def test_commands_that_start_no_app(line: str) -> None:
    launch = command(line)
    assert launch is None or (launch.module is None and launch.file is None)


def test_app_dir_and_chdir_change_the_import_folder() -> None:
    launch = command("uvicorn --app-dir src pkg.main:app", "backend")
    assert launch is not None and launch.base == "backend/src"
    gunicorn = command("gunicorn --chdir api app:app", "")
    assert gunicorn is not None and gunicorn.base == "api" and gunicorn.command.workdir == "api"


def test_python_scripts_and_modules() -> None:
    script = command("python backend/run.py --debug", "")
    assert script is not None and script.file == "backend/run.py" and not script.server
    module = command("python -m app", "svc")
    assert module is not None and module.module == "app" and module.base == "svc"
    assert command("python ../outside.py", "") is None  # not in the repository


def test_fastapi_cli() -> None:
    launch = command("fastapi run backend/main.py --port 80 --app api")
    assert launch is not None and launch.file == "backend/main.py" and launch.attribute == "api"
    default = command("fastapi dev", "api")
    assert default is not None and default.file is None and default.base == "api"


def test_pythonpath_assignment_is_a_sys_path_folder() -> None:
    launch = command("PYTHONPATH=src uvicorn pkg.main:app", "")
    assert launch is not None and launch.python_path == ("src",)


def test_procfile_cd_and_process_types() -> None:
    launch = only(
        {
            "Procfile": "web: cd backend && uvicorn app.main:app --port $PORT\n"
            "release: python manage.py migrate\n",
            "backend/app/main.py": "",
        }
    )
    assert launch.origin == "procfile" and launch.base == "backend"
    assert launch.command.source == "Procfile" and launch.command.line == 1


def test_makefile_variables_and_recipe_shells() -> None:
    found = launches(
        {
            "Makefile": "APP ?= app.main:app\n\nrun:\n\tcd api && uvicorn $(APP) --reload\n"
            "\nother:\n\tuvicorn other:app\n",
            "api/app/main.py": "",
        }
    )
    assert [(f.module, f.base) for f in found] == [("app.main", "api"), ("other", "")]
    assert found[0].command.line == 4  # each recipe line is its own shell: cd does not leak


def test_shell_script_follows_cd_and_its_own_folder() -> None:
    launch = only(
        {
            "scripts/start.sh": '#!/bin/sh\nset -e\ncd "$(dirname "$0")/.."\ncd backend\n'
            "exec uvicorn app.main:app \\\n  --host 0.0.0.0\n",
            "backend/app/main.py": "",
        }
    )
    assert launch.base == "backend" and launch.command.line == 5


def test_dockerfile_workdir_and_copy_map_back_to_the_repository() -> None:
    launch = only(
        {
            "Dockerfile": "FROM python:3.11\nWORKDIR /code\nCOPY ./backend /code\n"
            'ENV PYTHONPATH=/code/src\nCMD ["uvicorn", "app.main:app", "--port", "80"]\n',
            "backend/app/main.py": "",
            "backend/src/lib.py": "",
        }
    )
    assert launch.origin == "docker" and launch.command.line == 5
    assert launch.base == "backend" and launch.python_path == ("backend/src",)


def test_dockerfile_workdir_above_the_copied_folders() -> None:
    launch = only(
        {
            "Dockerfile": "FROM python\nWORKDIR /code\nCOPY ./requirements.txt /code/\n"
            "COPY ./app /code/app\nCMD uvicorn app.main:app\n",
            "requirements.txt": "",
            "app/main.py": "",
        }
    )
    assert launch.base == ""


def test_dockerfile_last_stage_entrypoint_with_cmd_and_shell_wrapper() -> None:
    launch = only(
        {
            "Dockerfile": "FROM node AS web\nCMD npm start\n\nFROM python\nWORKDIR /srv\n"
            "COPY . .\n"
            'ENTRYPOINT ["sh", "-c"]\nCMD ["cd api && uvicorn main:app"]\n',
            "api/main.py": "",
        }
    )
    assert launch.base == "api" and launch.module == "main"


def test_dockerfile_script_runs_in_the_container_workdir() -> None:
    launch = only(
        {
            "deploy/Dockerfile": "FROM python\nWORKDIR /app\nCOPY . /app\nCMD ./start.sh\n",
            "deploy/start.sh": "python -m service\n",
            "deploy/service/__main__.py": "",
        }
    )
    assert launch.command.source == "deploy/start.sh"
    assert launch.module == "service" and launch.base == "deploy"


def test_dockerfile_built_from_the_root_maps_its_copies_from_there() -> None:
    launch = only(
        {
            "docker/api/Dockerfile": "FROM python\nWORKDIR /srv\nCOPY backend/ /srv/\n"
            'CMD ["uvicorn", "app.main:app"]\n',
            "backend/app/main.py": "",
        }
    )
    assert launch.base == "backend" and launch.module == "app.main"


def test_dockerfile_stage_built_from_another_keeps_its_state() -> None:
    launch = only(
        {
            "Dockerfile": "FROM python AS base\nWORKDIR /code\nCOPY ./api /code\n"
            "CMD uvicorn main:app\nFROM base AS prod\nRUN pip install gunicorn\n",
            "api/main.py": "",
        }
    )
    assert launch.base == "api" and launch.command.line == 4


def test_unmappable_workdir_is_unknown() -> None:
    launch = only({"Dockerfile": "FROM python\nWORKDIR /opt/x\nCMD uvicorn main:app\n"})
    assert launch.base is None


def test_pyproject_scripts() -> None:
    launch = only(
        {
            "pyproject.toml": '[project]\nname = "x"\n\n[project.scripts]\n'
            'serve = "pkg.cli:serve"\n\n[tool.poetry.scripts]\nbad = 3\n',
        }
    )
    assert launch.origin == "pyproject" and (launch.module, launch.attribute) == (
        "pkg.cli",
        "serve",
    )
    assert launch.command.line == 5 and not launch.server


def test_broken_sources_are_ignored() -> None:
    assert launches({"pyproject.toml": "[project\n", "Procfile": "nonsense\n"}) == []
    assert launches({"Dockerfile": 'CMD ["unclosed\n'}) == []


def test_facts_commands_keep_argv_and_workdir() -> None:
    found = harvest(
        Layout({"Procfile": "", "api/main.py": ""}),
        {"Procfile": "web: cd api && uvicorn main:app\n"}.get,
    )
    assert [(c.argv, c.workdir) for c in found.commands] == [(("uvicorn", "main:app"), "api")]


# ---------------------------------------------------------------- deployment configurations
def test_vercel_json_names_the_python_files_it_serves() -> None:
    found = launches(
        {
            "vercel.json": '{"builds": [{"src": "api/index.py", "use": "@vercel/python"},\n'
            '  {"src": "web/**", "use": "@vercel/static"}],\n'
            ' "rewrites": [{"source": "/(.*)", "destination": "/api/other.py"}]}\n',
            "api/index.py": "",
            "api/other.py": "",
        }
    )
    assert [(f.origin, f.file, f.server, f.command.line) for f in found] == [
        ("vercel", "api/index.py", True, 1),
        ("vercel", "api/other.py", True, 3),
    ]
    assert launches({"vercel.json": "[1, 2]"}) == launches({"vercel.json": "{"}) == []


def test_fly_toml_processes_and_experimental_cmd() -> None:
    found = launches(
        {
            "deploy/fly.toml": 'app = "shop"\n\n[processes]\n'
            '  web = "uvicorn app.main:app --port 8080"\n'
            '  worker = "python -m worker"\n\n[experimental]\n  cmd = ["gunicorn", "other:app"]\n',
        }
    )
    assert [(f.origin, f.module, f.base, f.command.line, f.server) for f in found] == [
        ("fly", "app.main", "deploy", 4, True),
        ("fly", "worker", "deploy", 5, False),
        ("fly", "other", "deploy", 8, True),
    ]
    assert found[0].priority == 3


def test_render_yaml_web_services_in_their_root_dir() -> None:
    found = launches(
        {
            "render.yaml": "services:\n"
            "  - type: web  # the API\n"
            "    name: api\n"
            "    rootDir: backend\n"
            "    startCommand: 'uvicorn app.main:app --host 0.0.0.0'\n"
            "  - name: site\n"
            "    startCommand: |\n"
            "      cd web\n"
            "      gunicorn -k uvicorn.workers.UvicornWorker site:app\n"
            "  - type: worker\n"
            "    startCommand: uvicorn never:app\n",
        }
    )
    assert [(f.module, f.base, f.command.line) for f in found] == [
        ("app.main", "backend", 5),
        ("site", "web", 9),
    ]


def test_app_engine_entrypoint_is_top_level_only() -> None:
    found = launches(
        {
            "svc/app.yaml": "runtime: python310\n"
            "entrypoint: gunicorn -b :$PORT -k uvicorn.workers.UvicornWorker main:app\n"
            "handlers:\n  - url: /.*\n    script: auto\n",
            "other/app.yaml": "env:\n  entrypoint: uvicorn nested:app\n",
        }
    )
    assert [(f.origin, f.module, f.base) for f in found] == [("appengine", "main", "svc")]


def test_procfile_variants_are_weaker_than_the_procfile() -> None:
    found = launches(
        {"Procfile": "web: uvicorn prod:app\n", "Procfile.dev": "web: uvicorn dev:app --reload\n"}
    )
    assert [(f.module, f.origin, f.priority) for f in found] == [
        ("prod", "procfile", 3),
        ("dev", "procfile-variant", 2),
    ]


def test_workflow_run_steps_that_start_a_server() -> None:
    found = launches(
        {
            ".github/workflows/e2e.yml": "jobs:\n"
            "  e2e:\n"
            "    steps:\n"
            "      - uses: actions/checkout@v4\n"
            "      - name: serve\n"
            "        working-directory: backend\n"
            "        run: |\n"
            "          pip install -r requirements.txt\n"
            "          uvicorn app.main:app --port 8000 &\n"
            "          python -m pytest\n"
            "      - run: python scripts/seed.py\n"
            "      - run: >\n"
            "          cd api &&\n"
            "          uvicorn server:app\n",
            ".github/workflows/notes.md": "run: uvicorn x:app\n",
        }
    )
    assert [(f.origin, f.module, f.base, f.command.line, f.priority) for f in found] == [
        ("workflow", "app.main", "backend", 9, 1),
        ("workflow", "server", "api", 13, 1),
    ]


def test_yaml_values_read_line_by_line() -> None:
    text = (
        "# comment\n"
        "top: 'it''s'\n"
        "list:\n"
        '  - key: "a \\"b\\""\n'
        "    other: plain value # trailing\n"
        "  - key: >-\n"
        "      folded\n"
        "      text\n"
        "    nested:\n"
        "      deep: 1\n"
        "  - key: [flow]\n"
        "  - key:\n"
        "      child: 2\n"
        "plain: continued\n"
        "  on the next line\n"
    )
    assert [(v.line, v.lines, v.siblings) for v in yaml_values(text, "key")] == [
        (4, [(4, 'a "b"')], {"other": "plain value"}),
        (6, [(7, "folded text")], {}),
    ]
    assert [v.lines for v in yaml_values(text, "top")] == [[(2, "it's")]]
    assert [v.lines for v in yaml_values(text, "plain")] == [[(14, "continued on the next line")]]
