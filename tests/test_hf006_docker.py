"""HF006: reading Dockerfiles, and the rule's harvest-then-delete on small repositories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import hffix
from hffix.deps import dockerfile
from hffix.findings import Status

DOCKERFILE = """\
# escape=\\
FROM python:3.10-slim AS base
ENV A=1 B="two words" \\
    PYTHONUNBUFFERED=1
ENV LEGACY some value
RUN apt-get update && \\
    # a comment inside the continuation
    apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confnew \\
      libpq-dev=15.* gcc && rm -rf /var/lib/apt/lists/*
RUN python3 -m pip install --no-cache-dir -i https://example.org/simple "uvicorn[standard]>=0.30" \\
    -r requirements.txt --upgrade pip && uv pip install httpx
RUN ["pip", "install", "orjson"]
RUN pip install -e . && pip install ./wheels/x.whl
WORKDIR /srv
CMD ["uvicorn", "main:app"]
"""


def test_harvest() -> None:
    found = dockerfile.harvest(DOCKERFILE)
    assert [(n, v) for n, v, _ in found.env] == [
        ("A", "1"),
        ("B", "two words"),
        ("PYTHONUNBUFFERED", "1"),
        ("LEGACY", "some value"),
    ]
    assert [p for p, _ in found.apt_packages] == ["libpq-dev", "gcc"]
    assert [p for p, _ in found.pip_packages] == ["uvicorn[standard]>=0.30", "httpx", "orjson"]
    assert [(p, kind) for p, _, kind in found.tools] == [("pip", "build tool")]
    assert [f for f, _ in found.pip_files] == ["requirements.txt"]
    assert [i.keyword for i in found.commands] == ["WORKDIR", "CMD"]
    assert found.pip_packages[0][1] == 10  # line of the RUN keyword
    # What is no requirement by name is kept apart, never among the packages: the index
    # and the local wheel (`-e .` is the project itself).
    assert [(e.kind, e.value, e.line) for e in found.pip_extras] == [
        (dockerfile.ExtraKind.INDEX, "https://example.org/simple", 10),
        (dockerfile.ExtraKind.PATH, "./wheels/x.whl", 13),
    ]


def test_pip_arguments_by_kind() -> None:
    found = dockerfile.harvest(
        "FROM python:3.10\n"
        "RUN pip install --index-url=https://i.example/simple -f ./wheels --trusted-host h.example"
        " -e./lib -rreqs.txt --editable git+https://github.com/o/r.git#egg=r"
        " https://x.example/p-1.0.tar.gz https://x.example/q-1.0-py3-none-any.whl"
        " 'name @ https://x.example/n.zip' vendor/pkg ./pkg.whl pkg.tar.gz .. --target /t plain\n"
    )
    assert [p for p, _ in found.pip_packages] == [
        "https://x.example/q-1.0-py3-none-any.whl",  # a wheel URL names its distribution
        "name @ https://x.example/n.zip",
        "plain",
    ]
    assert [f for f, _ in found.pip_files] == ["reqs.txt"]
    assert [e.written for e in found.pip_extras] == [
        "--index-url https://i.example/simple",
        "--find-links ./wheels",
        "--trusted-host h.example",
        "-e ./lib",
        "-e git+https://github.com/o/r.git#egg=r",
        "https://x.example/p-1.0.tar.gz",
        "vendor/pkg",
        "./pkg.whl",
        "pkg.tar.gz",
    ]


@pytest.mark.parametrize(
    ("url", "hidden", "variable", "value"),
    [
        (
            "git+https://user:s3cr3t@github.com/o/r.git#egg=r",
            "git+https://user:${GITHUB_TOKEN}@github.com/o/r.git#egg=r",
            "GITHUB_TOKEN",
            "s3cr3t",
        ),
        (
            "git+https://ghp_token123@github.com/o/r.git",
            "git+https://${GITHUB_TOKEN}@github.com/o/r.git",
            "GITHUB_TOKEN",
            "ghp_token123",
        ),
        (  # GitHub's token-as-user form keeps x-oauth-basic
            "https://tok:x-oauth-basic@github.com/o/r/archive/main.zip",
            "https://${GITHUB_TOKEN}:x-oauth-basic@github.com/o/r/archive/main.zip",
            "GITHUB_TOKEN",
            "tok",
        ),
        (
            "https://oauth2:glpat-abc@gitlab.example.com:8443/g/p.git",
            "https://oauth2:${EXAMPLE_TOKEN}@gitlab.example.com:8443/g/p.git",
            "EXAMPLE_TOKEN",
            "glpat-abc",
        ),
        (  # read from a build argument: the same name, nothing committed
            "https://__token__:$pypi_token@pypi.example.org/simple",
            "https://__token__:${PYPI_TOKEN}@pypi.example.org/simple",
            "PYPI_TOKEN",
            "",
        ),
        ("git+ssh://git@github.com/o/r.git", "git+ssh://git@github.com/o/r.git", None, None),
        ("https://git@example.org/r.git", "https://git@example.org/r.git", None, None),
        (
            "git+https://github.com/o/r.git@v1#egg=r",
            "git+https://github.com/o/r.git@v1#egg=r",
            None,
            None,
        ),
        ("https://10.0.0.5/simple", "https://10.0.0.5/simple", None, None),
    ],
)
def test_credentials_become_variables_pip_expands(
    url: str, hidden: str, variable: str | None, value: str | None
) -> None:
    found: list[dockerfile.Credential] = []
    assert dockerfile.hide_credentials(url, 3, found) == hidden
    if variable is None:
        assert found == []
    else:
        assert found == [dockerfile.Credential(variable, value or "", 3)]


def test_two_tokens_for_one_host_get_two_variables() -> None:
    found: list[dockerfile.Credential] = []
    first = dockerfile.hide_credentials("https://a1@github.com/o/a.git", 1, found)
    second = dockerfile.hide_credentials("https://b2@github.com/o/b.git", 2, found)
    again = dockerfile.hide_credentials("https://a1@github.com/o/c.git", 3, found)
    assert (first, second, again) == (
        "https://${GITHUB_TOKEN}@github.com/o/a.git",
        "https://${GITHUB_TOKEN_2}@github.com/o/b.git",
        "https://${GITHUB_TOKEN}@github.com/o/c.git",
    )
    assert dockerfile.credential_variable("10.0.0.5") == "INDEX_TOKEN"


def test_paths_in_the_image_map_back_through_workdir_and_copy() -> None:
    found = dockerfile.harvest(
        "FROM python:3.10 AS build\n"
        "COPY . /elsewhere\n"
        "FROM python:3.10\n"  # a new stage forgets the COPY of the last one
        "WORKDIR /srv\n"
        "COPY requirements.txt .\n"
        "COPY libs/ ./vendor/\n"
        "COPY wheels /opt/wheels\n"
        "COPY tool-1.0.whl extra.whl /tmp/\n"
        "COPY --from=build /elsewhere/x /x\n"
        "RUN pip install -e ./vendor/geo /opt/wheels/a.whl /tmp/tool-1.0.whl /x/y.whl "
        "/elsewhere/z.whl ../srv/vendor/geo[fast]\n"
    )
    folders = {"", "backend", "backend/libs", "backend/libs/geo", "backend/wheels"}
    mapped = [
        dockerfile.repository_path(e.value.partition("[")[0], e, "backend", folders.__contains__)
        for e in found.pip_extras
    ]
    assert mapped == [
        "backend/libs/geo",
        "backend/wheels/a.whl",
        "backend/tool-1.0.whl",
        None,  # copied from another stage: made in the image
        None,
        "backend/libs/geo",
    ]


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in root.rglob("*")
        if p.is_file()
    }


def test_secret_values_are_masked_never_copied(make_repo: Callable[..., Path]) -> None:
    secret = "sk-live-0123456789abcdef0123456789abcdef"
    root = make_repo(
        {
            "main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "Dockerfile": f"FROM python:3.10\nENV STRIPE_API_KEY={secret}\n"
            "ENV DATABASE_URL=postgresql://app:hunter2@db/app\nENV DEBUG=0\n",
        }
    )
    result = hffix.fix(root, write=True, select=["HF006"])
    assert result.error is None
    text = "\n".join(f.message for f in result.findings)
    assert secret not in text and "hunter2" not in text
    assert "STRIPE_API_KEY" in text and "DATABASE_URL" in text
    assert "`ENV DEBUG` gave the app a default value" in text  # values are never printed
    assert {"STRIPE_API_KEY", "DATABASE_URL", "DEBUG"} <= result.facts.variables
    assert all(secret not in content for content in _files(root).values())
    assert "Dockerfile" not in _files(root)


def test_packages_txt_is_merged_with_its_newlines(make_repo: Callable[..., Path]) -> None:
    root = make_repo(
        {
            "main.py": "app = None\n",
            "packages.txt": "ffmpeg\r\nlibgl1",
            "Dockerfile": "FROM python:3.10\nRUN apt-get install -y ffmpeg git python3-pip\n",
        }
    )
    result = hffix.fix(root, write=True, select=["HF006"])
    assert result.error is None
    assert (root / "packages.txt").read_bytes() == b"ffmpeg\r\nlibgl1\r\ngit\r\n"


def test_dockerfiles_outside_the_backend_are_reported_and_kept(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo(
        {
            "main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "frontend/Dockerfile": "FROM node:20\n",
            "frontend/package.json": "{}\n",
            ".devcontainer/Dockerfile": "FROM mcr.microsoft.com/devcontainers/python:3.11\n",
            "docs/Dockerfile.md": "# not a Dockerfile\n",
            "docs/Containerfile.txt": "x\n",
        }
    )
    before = _files(root)
    result = hffix.fix(root, write=True, select=["HF006"])
    assert _files(root) == before
    found = {f.path: f.message for f in result.findings}
    assert set(found) == {"frontend/Dockerfile", ".devcontainer/Dockerfile"}
    assert "builds a frontend (frontend/)" in found["frontend/Dockerfile"]
    assert "development container" in found[".devcontainer/Dockerfile"]
    assert all(f.status is Status.MANUAL for f in result.findings)


def test_pip_packages_reach_requirements_through_hf007(make_repo: Callable[..., Path]) -> None:
    root = make_repo(
        {
            "main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "Dockerfile": "FROM python:3.10\n"
            "RUN pip install --no-cache-dir fastapi gunicorn==22.0\n",
        }
    )
    result = hffix.fix(root, write=True, select=["HF006", "HF007"])
    assert result.error is None
    lines = (root / "requirements.txt").read_text().splitlines()
    assert "gunicorn==22.0" in lines and lines.count("fastapi") == 1
    reasons = [f.message for f in result.findings if "gunicorn" in f.message and f.code == "HF007"]
    assert reasons and "Dockerfile:2" in reasons[0]
    assert all(f.status is Status.FIXED for f in result.findings)


def test_env_values_never_reach_messages(tmp_path: Path) -> None:
    """A token under a neutral name is masked; a plain default is not printed at all."""
    token = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFGH"
    (tmp_path / "Dockerfile").write_text(
        f"FROM python:3.10\nENV UPSTREAM={token}\nENV MODE=verbose-mode-value\n"
    )
    result = hffix.check(tmp_path, select=["HF006"])
    text = "\n".join(f.message for f in result.findings)
    assert token not in text and "verbose-mode-value" not in text
    assert "UPSTREAM" in text and "MODE" in text


def test_startup_steps_before_the_server() -> None:
    from hffix.rules.hf006_docker import startup_steps

    script = "set -e\nalembic upgrade head\npython -m app.initial_data\nexec uvicorn app.main:app\n"

    def read(name: str) -> str | None:
        return script if name.endswith("prestart.sh") else None

    assert startup_steps('sh -c "alembic upgrade head && uvicorn main:app"', read) == [
        "alembic upgrade head"
    ]
    assert startup_steps('["sh", "-c", "python -m seed && uvicorn main:app"]', read) == [
        "python -m seed"
    ]
    assert startup_steps('["./prestart.sh"]', read) == [
        "alembic upgrade head (in ./prestart.sh)",
        "python -m app.initial_data (in ./prestart.sh)",
    ]
    assert startup_steps("cd /app && export X=1 && exec uvicorn main:app", read) == []
    assert startup_steps('["uvicorn", "main:app"]', read) == []
    assert startup_steps("python manage.py migrate", read) == []  # starts no server


def test_an_entrypoint_script_runs_the_cmd_through_its_arguments() -> None:
    from hffix.rules.hf006_docker import startup_steps

    def read(name: str) -> str | None:
        return 'set -e\nalembic upgrade head\nexec "$@"\n' if name == "./entrypoint.sh" else None

    # ENTRYPOINT ["./entrypoint.sh"] with CMD ["uvicorn", "main:app"]: the script's "$@".
    assert startup_steps('["./entrypoint.sh", "uvicorn", "main:app"]', read) == [
        "alembic upgrade head (in ./entrypoint.sh)"
    ]
    assert startup_steps('["./entrypoint.sh"]', read) == []  # nothing started: not the app's


def test_the_space_s_dockerfile_outside_the_backend(make_repo: Callable[..., Path]) -> None:
    """docker/api/Dockerfile copies the backend in from the root: it is the Space's; another
    service's Dockerfile, beside its own code, is kept."""
    root = make_repo(
        {
            "backend/app/__init__.py": "",
            "backend/app/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "frontend/package.json": "{}\n",
            "docker/api/Dockerfile": "FROM python:3.10\nCOPY backend/ /srv/\nWORKDIR /srv\n"
            'RUN pip install gunicorn\nCMD ["gunicorn", "app.main:app"]\n',
            "worker/run.py": "print('work')\n",
            "worker/Dockerfile": 'FROM python:3.10\nCOPY . /w\nCMD ["python", "/w/run.py"]\n',
        }
    )
    result = hffix.fix(root, write=True, select=["HF001", "HF006", "HF007"])
    assert result.error is None
    files = _files(root)
    assert "docker/api/Dockerfile" not in files and "worker/Dockerfile" in files
    assert "gunicorn" in files["requirements.txt"].splitlines()
    kept = [f.message for f in result.findings if f.path == "worker/Dockerfile"]
    assert kept and "another service (worker/)" in kept[0]
