"""The SP-HF-10 checklist: direct looks at the files, rule findings where a rule is active."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hffix.api import Result
from hffix.findings import Finding, Status
from hffix.verify import checklist
from hffix.verify.checklist import RuleInfo
from hffix.verify.envvars import (
    EnvFileError,
    child_environment,
    example_names,
    parse_assignment,
    parse_env_text,
)
from hffix.verify.report import Boot, Failure, Mark
from hffix.verify.static import app_binding, dockerfiles, front_matter, hardcoded_ports

MakeRepo = Callable[..., Path]

COMPLIANT = {"main.py": "from fastapi import FastAPI\napp = FastAPI()\n", "requirements.txt": "x\n"}


def _marks(items: list[checklist.CheckItem]) -> dict[str, tuple[str, list[str]]]:
    return {item.label: (item.mark.value, item.codes) for item in items}


def test_compliant_repository(make_repo: MakeRepo) -> None:
    root = make_repo(COMPLIANT)
    items, rules, diagnostics = checklist.build(root, Result(root), [RuleInfo("HF002", "x")])
    marks = _marks(items)
    assert all(mark != "fail" for mark, _ in marks.values())
    assert marks[checklist.PYTHON_SDK][0] == "info"  # no README front matter to read
    assert [(r.label, r.mark) for r in rules] == [("HF002 x", Mark.PASS)]
    assert diagnostics == []


def test_direct_checks_name_the_spec_when_no_rule_covers_them(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "server.py": "api = 1\n",
            "Dockerfile": "FROM python\n",
            "Procfile": "web: uvicorn main:app --port 8000\n",
            "README.md": "---\nsdk: docker\n---\n# x\n",
        }
    )
    items, _, _ = checklist.build(root, Result(root), [])
    marks = _marks(items)
    assert marks[checklist.MAIN_AT_ROOT] == ("fail", ["SP-HF-03"])
    assert marks[checklist.APP_EXPOSED] == ("fail", ["SP-HF-04"])
    assert marks[checklist.REQUIREMENTS] == ("fail", ["SP-HF-05"])
    assert marks[checklist.NO_DOCKERFILE] == ("fail", ["SP-HF-02"])
    assert marks[checklist.NO_PORTS] == ("fail", ["SP-HF-07"])
    assert marks[checklist.PYTHON_SDK] == ("fail", ["SP-HF-06"])


def test_rule_codes_replace_spec_sections_once_rules_are_active(make_repo: MakeRepo) -> None:
    root = make_repo({"server.py": "", "Dockerfile": "FROM python\n"})
    result = Result(root)
    result.findings = [
        Finding("HF004", "server.py", 3, 1, "hardcoded port 8000", Status.FIXED),
        Finding("HF006", "Dockerfile", 0, 0, "Dockerfile makes a Docker Space", Status.FIXED),
    ]
    rules = [RuleInfo(code, code.lower()) for code in ("HF001", "HF004", "HF006", "HF007")]
    items, lines, _ = checklist.build(root, result, rules)
    marks = _marks(items)
    assert marks[checklist.MAIN_AT_ROOT] == ("fail", ["HF001"])
    assert marks[checklist.REQUIREMENTS] == ("fail", ["HF007"])
    assert marks[checklist.NO_DOCKERFILE] == ("fail", ["HF006"])
    # HF004 decides the port item: its finding fails it, though no direct pattern matched.
    assert marks[checklist.NO_PORTS] == ("fail", ["HF004"])
    port_item = next(item for item in items if item.label == checklist.NO_PORTS)
    assert port_item.findings == [
        "server.py:3:1: HF004 hardcoded port 8000 [hffix --write fixes this]"
    ]
    assert [(line.label, line.mark) for line in lines] == [
        ("HF001 hf001", Mark.PASS),
        ("HF004 hf004", Mark.FAIL),
        ("HF006 hf006", Mark.FAIL),
        ("HF007 hf007", Mark.PASS),
    ]


def test_active_port_rule_without_findings_passes(make_repo: MakeRepo) -> None:
    root = make_repo({**COMPLIANT, "Procfile": "web: uvicorn main:app --port 8000\n"})
    items, _, _ = checklist.build(root, Result(root), [RuleInfo("HF004", "ports")])
    assert _marks(items)[checklist.NO_PORTS] == ("pass", [])


def test_boot_confirms_or_refutes_the_static_app_check(make_repo: MakeRepo) -> None:
    root = make_repo({"main.py": "from helpers import *\n", "requirements.txt": ""})
    items, _, _ = checklist.build(root, Result(root), [])
    item = next(i for i in items if i.label == checklist.APP_EXPOSED)
    assert item.mark is Mark.PASS and "import *" in item.detail
    boot = Boot(attempted=True, failure=Failure("no-app", "main.py has no attribute app"))
    checklist.confirm_app(items, boot)
    item = next(i for i in items if i.label == checklist.APP_EXPOSED)
    assert item.mark is Mark.FAIL and item.detail == "main.py has no attribute app"


@pytest.mark.parametrize(
    ("source", "state"),
    [
        ("app = FastAPI()\n", "yes"),
        ("app: FastAPI = FastAPI()\n", "yes"),
        ("from .server import app\n", "yes"),
        ("from server import api as app\n", "yes"),
        ("try:\n    from a import app\nexcept ImportError:\n    app = None\n", "yes"),
        ("app, other = make()\n", "yes"),
        ("def app(scope, receive, send):\n    pass\n", "yes"),
        ("def build():\n    app = FastAPI()\n    return app\n", "no"),
        ("class A:\n    app = 1\n", "no"),
        ("[app for app in range(3)]\n", "no"),
        ("from server import *\n", "maybe"),
        ("app = (\n", "unreadable"),
    ],
)
def test_static_app_binding(make_repo: MakeRepo, source: str, state: str) -> None:
    root = make_repo({"main.py": source})
    assert app_binding(root).state == state


def test_dockerfiles_front_matter_and_ports(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "dockerfile": "",
            "Dockerfile.dev": "",
            "api.Dockerfile": "",
            "docker-compose.yml": "",
            "README.md": "---\ntitle: X\nsdk: gradio  # comment\napp_file: main.py\n---\nbody\n",
            "start.sh": "exec uvicorn main:app --host 0.0.0.0 --port=7860\n",
            "db.py": "engine = connect(host='x', port=5432)\n",
            "main.py": "uvicorn.run(app, port=8000)\n",
        }
    )
    assert dockerfiles(root) == ["Dockerfile.dev", "api.Dockerfile", "dockerfile"]
    assert front_matter(root) == {"title": "X", "sdk": "gradio", "app_file": "main.py"}
    hits = hardcoded_ports(root)
    assert any(hit.startswith("start.sh:1:") for hit in hits)
    assert any(hit.startswith("main.py:1:") for hit in hits)
    assert not any(hit.startswith("db.py") for hit in hits)


def test_env_files() -> None:
    text = (
        "# comment\n"
        "export A=1\n"
        "B = 'two # not a comment'\n"
        'C="line\\nbreak"\n'
        "D=value # comment\n"
        'E="multi\nline"\n'
        "not a variable\n"
        "F=\n"
    )
    assert parse_env_text(text) == {
        "A": "1",
        "B": "two # not a comment",
        "C": "line\nbreak",
        "D": "value",
        "E": "multi\nline",
        "F": "",
    }
    assert parse_assignment("X=a=b") == ("X", "a=b")
    with pytest.raises(EnvFileError):
        parse_assignment("novalue")
    with pytest.raises(EnvFileError):
        parse_assignment("1X=2")


def test_example_names_and_clean_environment(make_repo: MakeRepo) -> None:
    root = make_repo({".env.example": "DATABASE_URL=\n# OLD=\nOPENAI_API_KEY=sk-...\n"})
    assert example_names(root) == ["DATABASE_URL", "OPENAI_API_KEY"]
    base = {"PATH": "/bin", "HOME": "/root", "SECRET": "s"}
    assert child_environment({"A": "1"}, clean=True, base=base) == {
        "PATH": "/bin",
        "HOME": "/root",
        "A": "1",
    }
    assert child_environment({"A": "1"}, clean=False, base=base)["SECRET"] == "s"
