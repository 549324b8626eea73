"""The session's shared parses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hffix.config import Config
from hffix.repository.workspace import Workspace
from hffix.session import Session


def session(root: Path) -> Session:
    return Session(Workspace.load(root), Config())


def test_syntax_tree_is_parsed_once_with_the_310_grammar(make_repo: Callable[..., Path]) -> None:
    root = make_repo(
        {
            "ok.py": "import os\n",
            "new.py": "try:\n    pass\nexcept* ValueError:\n    pass\n",
            "bad.py": "print 'py2'\n",
        }
    )
    s = session(root)
    ok, new, bad = s.syntax("ok.py"), s.syntax("new.py"), s.syntax("bad.py")
    assert ok is not None and ok.tree is not None and ok.error is None
    assert s.syntax("ok.py") is ok, "a second request must reuse the parse"
    assert new is not None and new.tree is not None and new.error is not None
    assert "3.11" in str(new.error)
    assert bad is not None and bad.tree is None and bad.error is not None
    s.workspace.write("ok.py", "import sys\n")
    again = s.syntax("ok.py")
    assert again is not ok and again is not None and again.tree is not None


def test_unreadable_file_is_diagnosed_once(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"bin.py": b"\x00\x01\x02"})
    s = session(root)
    assert s.syntax("bin.py") is None and s.parse("bin.py") is None
    assert list(s.diagnostics) == ["bin.py"]


def test_a_rule_that_raises_costs_only_its_own_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug in one rule: its failure is reported (the traceback under -v), the other rules'
    findings are listed, and the repository is left untouched."""
    from hffix.cli import main
    from hffix.rules.hf007_requirements import Requirements

    def broken(self: Requirements, ctx: object) -> None:
        raise KeyError("requirements.txt")

    monkeypatch.setattr(Requirements, "run", broken)
    (tmp_path / "server.py").write_text(
        'from fastapi import FastAPI\n\napp = FastAPI()\nSECRET_KEY = "Zq8vX2mLp9rT4wKe-real"\n'
    )
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert main(["--write", "-v", "--no-color", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "HF007 failed (internal error: KeyError: 'requirements.txt')" in err
    assert "nothing written" in err
    assert "Traceback" in err
    assert "HF005" in err and "HF001" in err  # the other rules still reported
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
