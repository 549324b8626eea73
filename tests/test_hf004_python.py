"""HF004 in Python: server ports read from PORT, other services' ports untouched."""

from __future__ import annotations

import ast
import stat
from collections.abc import Callable
from pathlib import Path

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

import hffix
from hffix.findings import Status
from hffix.rules import hf004_port
from hffix.rules.hf004_port import is_server_port_name


def _fix(root: Path) -> hffix.Result:
    result = hffix.fix(root, write=True, select=["HF004"])
    assert result.error is None, result.error
    assert hffix.fix(root, select=["HF004"]).changes == [], "not idempotent"
    return result


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("PORT = 8000\n", 'import os\n\nPORT = int(os.environ.get("PORT", "8000"))\n'),
        (
            "API_PORT: int = 8080\n",
            'import os\n\nAPI_PORT: int = int(os.environ.get("PORT", "8080"))\n',
        ),
        ('SERVER_PORT = "9000"\n', 'import os\n\nSERVER_PORT = os.environ.get("PORT", "9000")\n'),
        (
            "import os\n\nport = os.getenv('PORT', 7860)\n",
            "import os\n\nport = int(os.getenv('PORT', \"7860\"))\n",
        ),
        (
            "from pydantic import BaseModel\n\n\nclass Server(BaseModel):\n    port: int = 8000\n",
            "from pydantic import BaseModel\nimport os\n\n\nclass Server(BaseModel):\n"
            '    port: int = int(os.environ.get("PORT", "8000"))\n',
        ),
        (
            "import uvicorn\n\nconfig = uvicorn.Config('main:app', port=8000)\n",
            "import uvicorn\nimport os\n\n"
            'config = uvicorn.Config(\'main:app\', port=int(os.environ.get("PORT", "8000")))\n',
        ),
    ],
)
def test_rewritten(make_repo: Callable[..., Path], before: str, after: str) -> None:
    root = make_repo({"settings.py": before})
    result = _fix(root)
    assert (root / "settings.py").read_text() == after
    assert [f.status for f in result.findings] == [Status.FIXED]


@pytest.mark.parametrize(
    "source",
    [
        "DB_PORT = 5432\nREDIS_PORT = 6379\nSMTP_PORT = 587\nPOSTGRES_PORT = '5432'\n",
        "import os\n\nPORT = int(os.environ.get('PORT', '8000'))\n",
        "import os\n\nport = int(os.getenv('PORT', 8000))\n",
        "import os\n\nPORT = os.getenv('PORT', '8000')\n",
        "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
        "    port: int = 8000\n",
        "import redis\n\nr = redis.Redis(host='cache', port=6379)\n",
        "import smtplib\n\ns = smtplib.SMTP('mail', port=587)\n",
        "def serve():\n    PORT = 8000\n    return PORT\n",
        "PORT = compute()\nTIMEOUT_PORT = 3\n",
        "PORT = 8000  # hffix: ignore[HF004]\n",
        "PORT = 0  # any free port\n",
        "class Scheduler:\n    default_port = 8786\n",
    ],
)
def test_left_alone(make_repo: Callable[..., Path], source: str) -> None:
    root = make_repo({"app.py": source})
    result = _fix(root)
    assert (root / "app.py").read_text() == source
    assert result.findings == []


@pytest.mark.parametrize(
    ("name", "server"),
    [
        ("PORT", True),
        ("port", True),
        ("API_PORT", True),
        ("serverPort", True),
        ("HTTP_PORT", True),
        ("DB_PORT", False),
        ("REDIS_PORT", False),
        ("SMTP_PORT", False),
        ("MAIL_PORT", False),
        ("FRONTEND_PORT", False),
        ("PORTS", False),
    ],
)
def test_server_port_names(name: str, server: bool) -> None:
    assert is_server_port_name(name) is server


def test_scripts_keep_their_mode(make_repo: Callable[..., Path]) -> None:
    root = make_repo(
        {
            "start.sh": "#!/bin/sh\nexec uvicorn main:app --host 0.0.0.0 --port 8000\n",
            "Procfile": "web: uvicorn main:app --port $PORT\n",
        }
    )
    (root / "start.sh").chmod(0o755)
    result = _fix(root)
    assert (root / "start.sh").read_text() == "#!/bin/sh\nexec uvicorn main:app --host 0.0.0.0\n"
    assert (root / "start.sh").stat().st_mode & stat.S_IXUSR
    assert (root / "Procfile").read_text() == "web: uvicorn main:app --port $PORT\n"
    assert [(f.path, f.line, f.col) for f in result.findings] == [("start.sh", 2, 38)]


def test_test_files_are_left_alone(make_repo: Callable[..., Path]) -> None:
    files = {
        "tests/test_server.py": "PORT = 8000\n",
        "tests/run.sh": "uvicorn main:app --port 8000\n",
    }
    root = make_repo(files)
    assert _fix(root).findings == []
    assert (root / "tests/test_server.py").read_text() == "PORT = 8000\n"


_LITERALS = ["8000", "'8000'", "0", "70000", "'80'", "True", "8_000", "-1", "None", "'x'"]
_NAMES = ["PORT", "API_PORT", "DB_PORT", "port", "serverPort", "REDIS_PORT"]
_FRAGMENTS = [
    "{name} = {lit}\n",
    "{name}: int = {lit}\n",
    "uvicorn.run(app, port={lit})\n",
    "config = uvicorn.Config(app, host='0.0.0.0', port={lit})\n",
    "sock = connect(host, port={lit})\n",
    "value = os.getenv('{name}', {lit})\n",
    "value = os.environ.get('{name}', default={lit})\n",
    "value = int(os.getenv('{name}', {lit}))\n",
    "class Settings(BaseSettings):\n    {name}: int = {lit}\n",
    "class Server(BaseModel):\n    {name} = {lit}\n",
    "def serve():\n    {name} = {lit}\n    return {name}\n",
]
_HEADER = (
    "import os\n\nimport uvicorn\nfrom fastapi import FastAPI\nfrom pydantic import BaseModel\n"
    "from pydantic_settings import BaseSettings\n\napp = FastAPI()\n"
)


def _same_findings_without_the_filter(root: Path, source: str) -> None:
    (root / "config.py").write_text(source)
    found = [(f.line, f.message) for f in hffix.check(root, select=["HF004"]).findings]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hf004_port, "may_hold_port", lambda tree: True)
        unfiltered = [(f.line, f.message) for f in hffix.check(root, select=["HF004"]).findings]
    assert found == unfiltered
    if unfiltered:
        assert hf004_port.may_hold_port(ast.parse(source))


@pytest.mark.parametrize("fragment", _FRAGMENTS)
@pytest.mark.parametrize("name", ["PORT", "port", "DB_PORT"])
@pytest.mark.parametrize("lit", ["8000", "'8000'", "0", "True", "None"])
def test_the_ast_filter_hides_no_port_in_one_place(
    tmp_path: Path, fragment: str, name: str, lit: str
) -> None:
    """``may_hold_port`` only skips work: with it and without it, the same findings."""
    _same_findings_without_the_filter(tmp_path, _HEADER + fragment.format(name=name, lit=lit))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    parts=st.lists(
        st.tuples(st.sampled_from(_FRAGMENTS), st.sampled_from(_NAMES), st.sampled_from(_LITERALS)),
        min_size=1,
        max_size=3,
    )
)
def test_the_ast_filter_hides_no_port_in_several_places(
    tmp_path_factory: pytest.TempPathFactory, parts: list[tuple[str, str, str]]
) -> None:
    """The same, for several places in one module."""
    source = _HEADER + "".join(f.format(name=n, lit=lit) for f, n, lit in parts)
    _same_findings_without_the_filter(tmp_path_factory.mktemp("ports"), source)


def test_the_ast_filter_passes_over_other_ports() -> None:
    source = "import redis\n\nDB_PORT = 5432\nclient = redis.Redis(host='cache', port=None)\n"
    assert not hf004_port.may_hold_port(ast.parse(source))
