"""``hffix verify`` boots real servers on 127.0.0.1 and explains each failure in one line.

Every repository is made in a temporary folder; every test checks that the server's whole
process group is gone afterwards (see ``verify_json``). No test names a port: the child
binds port 0 and reports what the operating system gave it.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from hffix.verify import VerifyOptions, verify
from tests.verify_helpers import (
    GOOD_MAIN,
    REQUIREMENTS,
    assert_no_leak,
    process_gone,
    verify_json,
    verify_text,
)

MakeRepo = Callable[..., Path]

# Every test here but the last boots a server: the quick loop (-m "not slow") skips them.
pytestmark = [
    pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX"),
    pytest.mark.slow,
]


def test_good_app_answers_on_loopback(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"main.py": GOOD_MAIN, "requirements.txt": REQUIREMENTS})
    code, data = verify_json(capsys, root, "--path", "/health")
    assert code == 0, data["reason"]
    boot = data["boot"]
    assert boot["ready"] and boot["ok"]
    assert 1024 <= boot["port"] <= 65535
    assert boot["startup_seconds"] > 0
    assert boot["import_seconds"] is not None
    statuses = {probe["path"]: probe["status"] for probe in boot["probes"]}
    assert statuses == {"/": 200, "/openapi.json": 200, "/health": 200}
    assert boot["stopped_cleanly"] is True
    assert not boot["forced_kill"]
    assert [item["mark"] for item in data["checklist"][:5]] == ["pass"] * 5
    assert data["interpreter"]["python"] == sys.executable
    assert not data["interpreter"]["installed"]
    assert not list(root.rglob("__pycache__")), "verify left bytecode in the repository"


def test_good_app_text_report(make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({"main.py": GOOD_MAIN, "requirements.txt": REQUIREMENTS})
    code, out = verify_text(capsys, root)
    assert code == 0
    assert "runs the repository's code" in out
    assert "✔ main.py at the repository root" in out
    assert "using the current interpreter" in out
    assert "serving on 127.0.0.1:" in out
    assert "GET /openapi.json    200" in out
    assert out.rstrip().endswith("the checklist passes and the app answered")


def test_two_boots_get_their_own_ports(make_repo: MakeRepo) -> None:
    first = make_repo({"main.py": GOOD_MAIN, "requirements.txt": REQUIREMENTS}, name="one")
    second = make_repo({"main.py": GOOD_MAIN, "requirements.txt": REQUIREMENTS}, name="two")
    reports = [verify(root, VerifyOptions(timeout=30)) for root in (first, second)]
    for report in reports:
        assert report.exit_code == 0, report.reason()
        assert report.boot.pid is not None and process_gone(report.boot.pid)
    assert all(report.boot.port for report in reports)


def test_missing_module_names_the_line_and_the_requirement(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    # cv2 is deliberately not in the test environment (the test extra never installs it).
    pytest.importorskip("fastapi")
    if importlib.util.find_spec("cv2") is not None:
        pytest.skip("cv2 is installed here; the test needs a module that is missing")
    main_py = "from fastapi import FastAPI\nimport cv2\n\napp = FastAPI()\n"
    root = make_repo({"main.py": main_py, "requirements.txt": REQUIREMENTS})
    code, out = verify_text(capsys, root)
    assert code == 1
    summary = [line for line in out.splitlines() if line.startswith("✘ ")]
    reason = summary[0]
    assert reason.startswith("✘ module 'cv2' not found (imported at main.py:2)")
    assert summary[1].startswith("✘ and ")  # HF007 reports the undeclared import too
    assert reason.endswith("; add opencv-python-headless to requirements.txt")
    assert "ModuleNotFoundError: No module named 'cv2'" in out  # the traceback is shown


def test_missing_module_that_lives_in_a_subfolder(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    main_py = "from fastapi import FastAPI\nfrom routes import router\n\napp = FastAPI()\n"
    root = make_repo(
        {
            "main.py": main_py,
            "requirements.txt": REQUIREMENTS,
            "backend/routes.py": "router = None\n",
        }
    )
    code, data = verify_json(capsys, root)
    assert code == 1
    assert data["boot"]["failure"]["kind"] == "missing-module"
    assert "it is backend/routes.py" in data["reason"]
    assert "fix the import path" in data["reason"]


def test_exception_at_import_names_file_and_line(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(
        {
            "main.py": "from fastapi import FastAPI\nimport settings\n\napp = FastAPI()\n",
            "settings.py": "LIMIT = 10\nRATIO = LIMIT / 0\n",
            "requirements.txt": REQUIREMENTS,
        }
    )
    code, data = verify_json(capsys, root)
    assert code == 1
    failure = data["boot"]["failure"]
    assert failure["kind"] == "import-error"
    assert (failure["file"], failure["line"]) == ("settings.py", 2)
    assert data["reason"] == (
        "settings.py:2: ZeroDivisionError: division by zero (raised while importing main)"
    )


def test_exception_at_startup_names_file_and_line(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    main_py = """\
from contextlib import asynccontextmanager

from fastapi import FastAPI


def connect() -> None:
    raise ConnectionRefusedError("database refused the connection")


@asynccontextmanager
async def lifespan(app: FastAPI):
    connect()
    yield


app = FastAPI(lifespan=lifespan)
"""
    root = make_repo({"main.py": main_py, "requirements.txt": REQUIREMENTS})
    code, data = verify_json(capsys, root)
    assert code == 1
    assert data["boot"]["import_seconds"] is not None
    assert not data["boot"]["ready"]
    assert data["reason"] == (
        "main.py:7: ConnectionRefusedError: database refused the connection (raised at startup)"
    )
    assert "Application startup failed" in data["boot"]["stderr"]


MISSING_VARIABLE = {
    "main.py": "from fastapi import FastAPI\n\nimport config\n\napp = FastAPI()\n",
    "config.py": "import os\n\nDATABASE_URL = os.environ['DATABASE_URL']\n",
    ".env.example": "DATABASE_URL=\nOPENAI_API_KEY=\n",
    "requirements.txt": REQUIREMENTS,
}


def test_missing_variable_is_named_with_its_listing(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    root = make_repo(MISSING_VARIABLE)
    code, data = verify_json(capsys, root)
    assert code == 1
    assert data["env"]["missing"] == ["DATABASE_URL", "OPENAI_API_KEY"]  # reported before boot
    assert data["boot"]["failure"]["kind"] == "missing-variable"
    assert data["reason"] == "set DATABASE_URL, listed in .env.example (read at config.py:3)"


def test_missing_variable_given_with_e_and_env_file(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    root = make_repo(MISSING_VARIABLE)
    code, data = verify_json(capsys, root, "-e", "DATABASE_URL=sqlite://")
    assert code == 0, data["reason"]
    assert data["env"]["missing"] == ["OPENAI_API_KEY"]
    env_file = root.parent / "local.env"
    env_file.write_text('export DATABASE_URL="sqlite://"  # local\nOPENAI_API_KEY=sk-test\n')
    code, data = verify_json(capsys, root, "--env-file", str(env_file))
    assert code == 0, data["reason"]
    assert data["env"]["missing"] == []
    assert sorted(data["env"]["given"]) == ["DATABASE_URL", "OPENAI_API_KEY"]


def test_clean_env_hides_this_shells_variables(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    root = make_repo(MISSING_VARIABLE)
    code, data = verify_json(capsys, root)
    assert code == 0, data["reason"]
    code, data = verify_json(capsys, root, "--clean-env")
    assert code == 1
    assert data["reason"].startswith("set DATABASE_URL")


def test_missing_app_attribute(make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(
        {"main.py": "from fastapi import FastAPI\n\napi = FastAPI()\n", "requirements.txt": "x\n"}
    )
    code, data = verify_json(capsys, root)
    assert code == 1
    assert data["reason"].startswith("main.py has no attribute app")
    assert "it defines the app `api`: add `app = api`" in data["reason"]
    item = data["checklist"][1]
    assert item["label"] == "`app` exposed by main.py"
    assert item["mark"] == "fail" and item["codes"]


def test_app_that_is_not_asgi(make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({"main.py": "app = 'hello'\n", "requirements.txt": REQUIREMENTS})
    code, data = verify_json(capsys, root)
    assert code == 1
    assert data["boot"]["failure"]["kind"] == "not-asgi"
    assert data["reason"].startswith("main.app is a str, not an ASGI application")


def test_syntax_error_and_exit_at_import(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(
        {"main.py": "from fastapi import FastAPI\napp = FastAPI(\n", "requirements.txt": "x\n"},
        name="syntax",
    )
    code, data = verify_json(capsys, root)
    assert code == 1
    assert data["boot"]["failure"]["kind"] == "syntax-error"
    assert data["reason"].startswith("main.py:2")
    assert "SyntaxError" in data["reason"]

    root = make_repo(
        {"main.py": "import sys\n\nsys.exit(3)\n", "requirements.txt": "x\n"}, name="exits"
    )
    code, data = verify_json(capsys, root)
    assert code == 1
    assert data["reason"].startswith("main.py:3 exits while importing main (SystemExit: 3)")


def test_server_error_on_a_probe(make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    main_py = """\
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def root() -> dict[str, float]:
    return {"ratio": 1 / 0}
"""
    root = make_repo({"main.py": main_py, "requirements.txt": REQUIREMENTS})
    code, data = verify_json(capsys, root)
    assert code == 1
    probes = {probe["path"]: probe for probe in data["boot"]["probes"]}
    assert probes["/"]["status"] == 500 and not probes["/"]["ok"]
    assert probes["/openapi.json"]["ok"]
    assert data["reason"] == "GET / answered 500: main.py:8: ZeroDivisionError: division by zero"


def test_required_path_must_answer_2xx(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"main.py": GOOD_MAIN, "requirements.txt": REQUIREMENTS})
    code, data = verify_json(capsys, root, "--path", "/missing")
    assert code == 1
    assert data["reason"] == "GET /missing answered 404, expected a 2xx or 3xx answer"


def test_startup_that_does_not_finish_in_time(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    main_py = """\
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app: FastAPI):
    time.sleep(600)
    yield


app = FastAPI(lifespan=lifespan)
"""
    root = make_repo({"main.py": main_py, "requirements.txt": REQUIREMENTS})
    started = time.monotonic()
    code, data = verify_json(capsys, root, "--timeout", "1.5")
    assert code == 1
    assert data["boot"]["failure"]["kind"] == "timeout"
    assert data["reason"].startswith("startup did not finish within 1.5 s")
    # SIGTERM cannot interrupt the blocking sleep: the group is killed after the timeout.
    assert data["boot"]["forced_kill"]
    assert time.monotonic() - started < 30


def test_server_started_at_import_is_named(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    main_py = """\
import uvicorn
from fastapi import FastAPI

app = FastAPI()
uvicorn.run(app, host="127.0.0.1", port=0)
"""
    root = make_repo({"main.py": main_py, "requirements.txt": REQUIREMENTS})
    code, data = verify_json(capsys, root, "--timeout", "3")
    assert code == 1
    assert data["boot"]["failure"]["kind"] == "server-at-import"
    assert "starts its own server while it is imported" in data["reason"]
    hf002 = [item for item in data["rules"] if item["label"].startswith("HF002")]
    assert hf002 and hf002[0]["mark"] == "fail"


def test_processes_started_by_the_app_are_killed(
    make_repo: MakeRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pid_file = tmp_path / "helper.pid"
    main_py = f"""\
import subprocess
import sys

from fastapi import FastAPI

helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
with open({str(pid_file)!r}, "w") as handle:
    handle.write(str(helper.pid))

app = FastAPI()
"""
    root = make_repo({"main.py": main_py, "requirements.txt": REQUIREMENTS})
    code, data = verify_json(capsys, root)
    assert code == 0, data["reason"]
    helper = int(pid_file.read_text())
    assert process_gone(helper)
    assert any("left processes running" in warning for warning in data["boot"]["warnings"])


def _ended(pid: int, timeout: float = 5.0) -> bool:
    """True once ``pid`` is gone or a zombie (killed, waiting for whoever adopted it to reap
    it: in a container that may be nobody)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            state = ""
        if state == "Z":
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def test_a_child_started_by_the_lifespan_is_ended(
    make_repo: MakeRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The app's startup spawns a process and never stops it: once verify returns, the
    process is gone (the server's whole process group is killed on shutdown)."""
    pid_file = tmp_path / "sleeper.pid"
    main_py = f"""\
import subprocess
from contextlib import asynccontextmanager

from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app: FastAPI):
    sleeper = subprocess.Popen(["sleep", "300"])
    with open({str(pid_file)!r}, "w") as handle:
        handle.write(str(sleeper.pid))
    yield


app = FastAPI(lifespan=lifespan)
"""
    root = make_repo({"main.py": main_py, "requirements.txt": REQUIREMENTS})
    code, data = verify_json(capsys, root)
    assert code == 0, data["reason"]
    assert data["boot"]["ready"]
    sleeper = int(pid_file.read_text())
    assert _ended(sleeper), f"the app's child {sleeper} outlived verify"
    assert any("left processes running" in warning for warning in data["boot"]["warnings"])


def test_shutdown_that_hangs_is_killed(make_repo: MakeRepo) -> None:
    main_py = """\
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app: FastAPI):
    yield
    time.sleep(600)


app = FastAPI(lifespan=lifespan)
"""
    root = make_repo({"main.py": main_py, "requirements.txt": REQUIREMENTS})
    report = verify(root, VerifyOptions(timeout=30, shutdown_timeout=1.0))
    assert report.boot.ready and report.boot.forced_kill
    assert not report.boot.stopped_cleanly
    assert any("did not stop within 1 s" in warning for warning in report.boot.warnings)
    assert report.exit_code == 0  # it served; the hang is a warning
    assert_no_leak(report.to_dict())


def test_no_main_py_is_not_booted(make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({"app/main.py": GOOD_MAIN, "requirements.txt": REQUIREMENTS})
    code, data = verify_json(capsys, root)
    assert code == 1
    assert not data["boot"]["attempted"]
    assert data["boot"]["pid"] is None
    assert data["checklist"][0]["mark"] == "fail"
    assert data["reason"].startswith("checklist: main.py at the repository root failed")
