"""The one Dockerfile parser (hffix.formats.dockerfile) HF001, HF006 and HF007 share."""

from __future__ import annotations

import pytest

from hffix.deps import dockerfile
from hffix.formats.dockerfile import build_context, instructions, is_dockerfile, parse


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("Dockerfile", True),
        ("dockerfile", True),
        ("backend/Dockerfile.dev", True),
        ("Dockerfilefront.dev", True),
        ("Dockerfile-api", True),
        ("docker/api/Dockerfile", True),
        (".devcontainer/Dockerfile", True),
        ("api.Dockerfile", True),
        ("services/prod-dockerfile", True),
        ("Containerfile", True),
        ("docs/Dockerfile.md", False),
        ("Dockerfile.dockerignore", False),
        ("scripts/dockerfile_lint.sh", False),
        ("templates/Dockerfile.j2", False),
        ("mydockerfile", False),
    ],
)
def test_dockerfile_names(path: str, expected: bool) -> None:
    assert is_dockerfile(path) is expected


def test_directives_continuations_comments_and_here_documents() -> None:
    text = (
        "# syntax=docker/dockerfile:1\n"
        "# escape=`\n"
        "FROM python:3.10\n"
        "RUN apt-get update && `\n"
        "    # a comment inside the continuation\n"
        "    apt-get install -y curl\n"
        "RUN <<EOF\n"
        "pip install \\\n"
        "  httpx\n"
        "FROM fake\n"  # inside the here-document: no instruction
        "EOF\n"
        "CMD uvicorn main:app\n"
    )
    found = [(i.keyword, i.argument, i.line) for i in instructions(text)]
    assert found == [
        ("FROM", "python:3.10", 3),
        ("RUN", "apt-get update && apt-get install -y curl", 4),
        ("RUN", "<<EOF", 7),
        ("CMD", "uvicorn main:app", 12),
    ]
    run = parse(text).stages[1].runs[1]
    assert run.scripts() == ["pip install httpx", "FROM fake"]


def test_a_here_document_without_its_terminator_is_no_here_document() -> None:
    text = 'FROM python\nRUN echo "a <<b"\nCMD uvicorn main:app\n'
    assert [i.keyword for i in instructions(text)] == ["FROM", "RUN", "CMD"]


def test_variables_args_and_stage_inheritance() -> None:
    parsed = parse(
        "ARG PY=3.11\n"
        "ARG ROOT=/srv\n"
        "FROM python:${PY}-slim AS base\n"
        "ARG ROOT\n"
        "ENV APP=$ROOT/app LEGACY some value\n"
        "ENV TOOLS=${MISSING:-/opt/tools}\n"
        "ARG APP=/ignored\n"
        "WORKDIR $APP\n"
        "COPY requirements.txt ./\n"
        'CMD ["uvicorn", "main:app"]\n'
        "FROM base AS prod\n"
        'ENTRYPOINT ["./start.sh"]\n'
    )
    base, prod = parsed.stages[1], parsed.stages[2]
    assert base.base == "python:3.11-slim" and base.name == "base"
    assert base.env["APP"] == "/srv/app" and base.env["TOOLS"] == "/opt/tools"
    assert base.workdir == "/srv/app"
    assert [(c.sources, c.destination, c.into) for c in base.copies] == [
        (("requirements.txt",), "/srv/app", True)
    ]
    # A stage built FROM another starts with its state; ENTRYPOINT drops an inherited CMD.
    assert prod.parent == base.index and prod.workdir == "/srv/app"
    assert prod.copies == base.copies and prod.cmd is None
    assert prod.entrypoint is not None and prod.entrypoint.words == ("./start.sh",)


def test_the_run_stage_and_what_its_image_is_made_of() -> None:
    parsed = parse(
        "FROM python:3.11 AS builder\n"
        "RUN pip install --prefix=/install -r requirements.txt\n"
        "FROM builder AS test\n"
        "RUN pip install pytest\n"
        'CMD ["pytest"]\n'
        "FROM node:20 AS web\n"
        "RUN npm ci\n"
        "FROM python:3.11-slim AS final\n"
        "COPY --from=builder /install /usr/local\n"
        "RUN --mount=type=bind,from=web,target=/web cp -r /web/dist /static\n"
        'CMD ["uvicorn", "main:app"]\n'
        "FROM final AS debug\n"
        'CMD ["pytest", "-x"]\n'
    )
    run = parsed.run_stage()
    assert run.name == "final"  # the debug stage after it runs tests, not the app
    assert [s.name for s in parsed.reached(run)] == ["builder", "web", "final"]
    assert [s.name for s in parsed.lineage(parsed.stages[-1])] == ["final", "debug"]


def test_build_context_falls_back_to_the_root() -> None:
    parsed = parse("FROM python\nCOPY backend/ /srv/\nCOPY . /extra\n")
    folders = {"", "backend", "docker", "docker/api"}
    assert build_context(parsed, "docker/api", folders.__contains__, holds_files=False) == ""
    # `COPY .` can mean a folder that holds more than Docker files.
    beside = parse("FROM python\nCOPY . /srv\n")
    assert build_context(beside, "docker/api", folders.__contains__, holds_files=True) == (
        "docker/api"
    )
    assert build_context(beside, "docker/api", folders.__contains__, holds_files=False) == ""


def test_harvest_takes_only_the_image_that_runs() -> None:
    found = dockerfile.harvest(
        "FROM python:3.11 AS builder\n"
        "RUN apt-get update && apt-get install -y build-essential libpq-dev\n"
        "RUN pip install poetry==1.8.3 && pip install --prefix=/install httpx==0.27.0\n"
        "FROM builder AS test\n"
        "RUN pip install pytest respx\n"
        'CMD ["pytest"]\n'
        "FROM python:3.11-slim\n"
        "ENV MODE=prod\n"
        "RUN apt-get update && apt-get install -y libpq5\n"
        "COPY --from=builder /install /usr/local\n"
        'CMD ["uvicorn", "main:app"]\n'
    )
    assert [p for p, _ in found.pip_packages] == ["httpx==0.27.0"]
    assert [(p, kind) for p, _, kind in found.tools] == [("poetry==1.8.3", "build tool")]
    assert [p for p, _ in found.other_stages] == ["pytest", "respx"]
    assert [p for p, _ in found.apt_packages] == ["libpq5"]  # not the builder's compilers
    assert [n for n, _, _ in found.env] == ["MODE"]
    assert [i.keyword for i in found.commands] == ["CMD"]


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("FROM python:3.10\nCMD uvicorn main:app\n", dockerfile.Role.BACKEND),
        ("FROM ubuntu:22.04\nRUN pip install fastapi\n", dockerfile.Role.BACKEND),
        ("FROM node:20\nRUN npm ci\nCMD npm start\n", dockerfile.Role.FRONTEND),
        ("FROM nginx:1.27-alpine\nCOPY dist/ /usr/share/nginx/html/\n", dockerfile.Role.FRONTEND),
        (
            "FROM node:20 AS web\nRUN npm ci\nFROM python:3.11\nCOPY --from=web /d /d\n"
            'CMD ["gunicorn", "app:app"]\n',
            dockerfile.Role.BACKEND,
        ),
        ("FROM alpine\nCMD echo hi\n", dockerfile.Role.UNKNOWN),
    ],
)
def test_what_a_dockerfile_builds(text: str, role: dockerfile.Role) -> None:
    assert dockerfile.role(text) is role
