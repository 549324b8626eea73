"""The session's one analysis cache (:mod:`hffix.analysis`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import libcst as cst
import pytest

import hffix.session
from hffix import api
from hffix.analysis import AnalysisCycle, FileAnalysis, RepositoryAnalysis
from hffix.config import Config
from hffix.deps.modules import IMPORTS
from hffix.repository.workspace import Workspace
from hffix.session import SYNTAX, Session, SyntaxTree

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def session(root: Path) -> Session:
    return Session(Workspace.load(root), Config())


def counting(name: str, calls: list[str]) -> FileAnalysis[int]:
    def compute(_session: Session, path: str, text: str) -> int:
        calls.append(path)
        return len(text)

    return FileAnalysis(name, compute)


def test_a_file_analysis_is_computed_once_per_text(make_repo: Callable[..., Path]) -> None:
    s = session(make_repo({"a.py": "x = 1\n", "b.py": "y = 22\n"}))
    calls: list[str] = []
    size = counting("size", calls)
    assert s.analyses.file(size, "a.py") == 6
    assert s.analyses.file(size, "a.py") == 6
    assert s.analyses.file(size, "b.py") == 7
    assert calls == ["a.py", "b.py"]
    s.workspace.write("a.py", "x = 100\n")  # an edit: the next request sees the new text
    assert s.analyses.file(size, "a.py") == 8
    assert calls == ["a.py", "b.py", "a.py"]


def test_analyses_of_one_file_are_kept_apart(make_repo: Callable[..., Path]) -> None:
    s = session(make_repo({"a.py": "import os\n"}))
    calls: list[str] = []
    size = counting("size", calls)
    other = counting("size", calls)  # the same name is another analysis: identity counts
    assert s.analyses.file(size, "a.py") == s.analyses.file(other, "a.py") == 10
    assert calls == ["a.py", "a.py"]
    imports = s.analyses.file(IMPORTS, "a.py")
    assert imports is not None and [use.module for use in imports] == ["os"]
    assert s.analyses.file(IMPORTS, "a.py") is imports


def test_an_analysis_reads_another(make_repo: Callable[..., Path]) -> None:
    s = session(make_repo({"a.py": "import os\n"}))
    tree = s.tree("a.py")
    depth = FileAnalysis("statements", lambda ses, path, _text: len(ses.tree(path).body))  # type: ignore[union-attr]
    assert s.analyses.file(depth, "a.py") == 1
    assert s.tree("a.py") is tree, "the analysis it read was not computed again"


def test_a_cycle_is_a_bug_and_says_so(make_repo: Callable[..., Path]) -> None:
    s = session(make_repo({"a.py": "x = 1\n"}))

    def compute(ses: Session, path: str, _text: str) -> int:
        return ses.analyses.file(loop, path) or 0

    loop: FileAnalysis[int] = FileAnalysis("loop", compute)
    with pytest.raises(AnalysisCycle, match=r"loop of a\.py"):
        s.analyses.file(loop, "a.py")


def test_an_unreadable_file_has_no_analysis_and_one_diagnostic(
    make_repo: Callable[..., Path],
) -> None:
    s = session(make_repo({"bin.py": b"\x00\xff\xfe\x00"}))
    calls: list[str] = []
    size = counting("size", calls)
    assert s.analyses.file(size, "bin.py") is None
    assert s.analyses.file(SYNTAX, "bin.py") is None
    assert calls == []
    assert list(s.diagnostics) == ["bin.py"]


def test_a_written_module_keeps_the_tree_it_was_written_from(
    make_repo: Callable[..., Path],
) -> None:
    from hffix.fixes import Fix, ReplaceModule

    s = session(make_repo({"a.py": "x = 1\n"}))
    module = cst.parse_module("x = 2\n")
    s.apply(Fix.safe(ReplaceModule("a.py", module)))
    assert s.workspace.text("a.py") == "x = 2\n"
    assert s.parse("a.py") is module


def test_repository_analyses_once_and_decided_ones_lazily(make_repo: Callable[..., Path]) -> None:
    s = session(make_repo({"a.py": "x = 1\n", "b.py": "y = 2\n"}))
    counted: list[int] = []

    def count(ses: Session) -> int:
        counted.append(1)
        return len(ses.workspace.paths())

    files = RepositoryAnalysis("files", count)
    assert s.analyses.repository(files) == s.analyses.repository(files) == 2
    assert counted == [1]

    decided: RepositoryAnalysis[frozenset[str]] = RepositoryAnalysis("decided")
    assert s.analyses.repository(decided) is None, "not decided yet"
    asked: list[int] = []

    def closure() -> frozenset[str]:
        asked.append(1)
        return frozenset({"a.py"})

    s.analyses.decide(decided, closure)
    assert asked == [], "a decision is computed when first asked for"
    assert s.analyses.repository(decided) == frozenset({"a.py"})
    assert s.analyses.repository(decided) == frozenset({"a.py"})
    assert asked == [1]
    s.analyses.release()
    assert s.analyses.repository(decided) is None


def test_a_run_parses_each_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over every corpus case, every rule together: no text is parsed twice, by ``ast``
    or by libcst (an edited file's new text is a new text)."""
    parsed: Counter[tuple[str, str]] = Counter()
    cst_parsed: Counter[tuple[str, str]] = Counter()
    real_ast, real_cst = hffix.session._parse_ast, hffix.session._parse_cst

    def parse_ast(text: str, path: str) -> SyntaxTree:
        parsed[(path, text)] += 1
        return real_ast(text, path)

    def parse_cst(ses: Session, path: str, text: str) -> cst.Module | None:
        cst_parsed[(path, text)] += 1
        return real_cst(ses, path, text)

    monkeypatch.setattr(hffix.session, "_parse_ast", parse_ast)
    monkeypatch.setattr(hffix.session, "_parse_cst", parse_cst)
    cases = sorted(p for p in CORPUS.iterdir() if (p / "before").is_dir())
    assert len(cases) > 50
    twice: list[str] = []
    parses = cst_parses = 0
    for case in cases:
        parsed.clear()
        cst_parsed.clear()
        api.check(case / "before", unsafe_fixes=True)
        parses += sum(parsed.values())
        cst_parses += sum(cst_parsed.values())
        twice += [
            f"{case.name}: {k[0]}" for c in (parsed, cst_parsed) for k, n in c.items() if n > 1
        ]
    assert parses > 100 and cst_parses > 50, "the counters are not wired"
    assert twice == []
