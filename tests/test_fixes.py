"""Rules describe, the engine applies: a rule reports a finding with a Fix, and only the
engine (RuleContext.report -> Session.apply) edits the view, deciding the status from the
fix's applicability, ``--unsafe-fixes`` and whether an app is chosen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from hffix import engine
from hffix.config import Config
from hffix.findings import FixSafety, Status
from hffix.fixes import Delete, Fix, Write
from hffix.repository.workspace import Workspace
from hffix.rules.base import Rule, RuleContext
from hffix.session import Session
from tests.conftest import CORPUS, copy_tree


class _Probe(Rule):
    code = "HF999"
    name = "probe"
    spec = "test"
    MESSAGE = "probe"
    fixes: ClassVar[tuple[FixSafety, ...]] = (FixSafety.SAFE, FixSafety.UNSAFE)

    def run(self, ctx: RuleContext) -> None:  # pragma: no cover - driven by the tests
        raise NotImplementedError


def _context(root: Path, **config: Any) -> RuleContext:
    return RuleContext(Session(Workspace.load(root), Config(**config)), _Probe())


def test_a_shared_fix_is_applied_once_and_the_status_comes_from_the_engine(
    make_repo: Callable[..., Path],
) -> None:
    ctx = _context(make_repo({"a.py": "x = 1\n"}))
    applied: list[Fix] = []
    apply = ctx.session.apply
    ctx.session.apply = lambda fix: (applied.append(fix), apply(fix))[1]  # type: ignore[method-assign]
    fix = Fix.safe(Write("a.py", "x = 2\n"))
    assert ctx.report("a.py", "first", fix=fix, line=1, col=1) is Status.FIXED
    assert ctx.report("a.py", "second", fix=fix, line=1, col=5) is Status.FIXED
    assert applied == [fix]
    assert ctx.workspace.text("a.py") == "x = 2\n"
    assert [f.status for f in ctx.session.findings] == [Status.FIXED, Status.FIXED]


def test_an_unsafe_fix_waits_for_unsafe_fixes(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"a.py": "x = 1\n"})
    ctx = _context(root)
    status = ctx.report("a.py", "m", fix=Fix.unsafe(Delete("a.py")))
    assert status is Status.UNSAFE_FIX and ctx.workspace.exists("a.py")
    finding = ctx.session.findings[0]
    assert finding.applicability is FixSafety.UNSAFE and finding.remains

    ctx = _context(root, unsafe_fixes=True)
    assert ctx.report("a.py", "m", fix=Fix.unsafe(Delete("a.py"))) is Status.FIXED
    assert not ctx.workspace.exists("a.py")
    assert ctx.session.findings[0].unsafe, "an applied unsafe fix stays marked unsafe"


def test_a_startup_fix_is_withheld_while_no_app_is_chosen(make_repo: Callable[..., Path]) -> None:
    ctx = _context(make_repo({"Procfile": "web: uvicorn main:app --port 8000\n"}))
    ctx.facts.no_app = True
    fix = Fix.safe(Write("Procfile", "web: uvicorn main:app\n"), startup=True)
    status = ctx.report("Procfile", "`--port 8000`: removed", fix=fix, subject="`--port 8000`")
    assert status is Status.MANUAL
    assert ctx.workspace.text("Procfile") == "web: uvicorn main:app --port 8000\n"
    message = ctx.session.findings[0].message
    assert message.startswith("`--port 8000`: left as it is, because no app is chosen")
    # The same kind of fix that does not touch how the repository starts is applied.
    assert ctx.report("Procfile", "other", fix=Fix.safe(Write("x.txt", "x\n"))) is Status.FIXED


def test_a_partial_fix_is_applied_and_its_finding_stays_manual(
    make_repo: Callable[..., Path],
) -> None:
    ctx = _context(make_repo({"a.py": "x = 1\n"}))
    status = ctx.report("a.py", "m", fix=Fix.safe(Write("a.py", "x = 3\n")), remains=True)
    assert status is Status.MANUAL and ctx.workspace.text("a.py") == "x = 3\n"


def test_a_finding_needs_either_a_fix_or_a_status(make_repo: Callable[..., Path]) -> None:
    ctx = _context(make_repo({"a.py": "x = 1\n"}))
    with pytest.raises(ValueError, match="needs a status"):
        ctx.report("a.py", "m")
    with pytest.raises(ValueError, match="from the engine"):
        ctx.report("a.py", "m", status=Status.FIXED, fix=Fix.safe(Delete("a.py")))
    with pytest.raises(ValueError, match="display-only"):
        Fix((), FixSafety.DISPLAY_ONLY)


def test_a_draft_records_edits_and_leaves_the_view_as_it_was(
    make_repo: Callable[..., Path],
) -> None:
    workspace = Workspace.load(make_repo({"backend/main.py": "app = 1\n", "README.md": "r\n"}))
    with workspace.draft() as edits:
        workspace.rename("backend/main.py", "main.py")
        workspace.write("main.py", workspace.text("main.py") + "x = 2\n")
        workspace.delete("README.md")
        assert workspace.paths() == ["main.py"]
    assert workspace.paths() == ["README.md", "backend/main.py"]
    assert workspace.text("backend/main.py") == "app = 1\n"
    assert [type(e).__name__ for e in edits] == ["Rename", "Write", "Delete"]


@pytest.fixture
def only_the_engine_edits(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Make every edit of the view outside Session.apply or a draft a recorded violation."""
    violations: list[str] = []
    applying: list[bool] = []
    original_apply = Session.apply

    def apply(self: Session, fix: Fix) -> None:
        applying.append(True)
        try:
            original_apply(self, fix)
        finally:
            applying.pop()

    monkeypatch.setattr(Session, "apply", apply)
    for name in ("write", "delete", "rename", "set_mode"):
        original = getattr(Workspace, name)

        def guarded(
            self: Workspace, *args: Any, __name: str = name, __o: Any = original, **kwargs: Any
        ) -> Any:
            if not applying and self._recorder is None:
                violations.append(f"{__name}{args[:1]}")
            return __o(self, *args, **kwargs)

        monkeypatch.setattr(Workspace, name, guarded)
    yield violations


@pytest.mark.parametrize(
    "case",
    sorted(p.name for p in CORPUS.iterdir() if (p / "before").is_dir()),
)
def test_no_rule_edits_the_view_itself(
    case: str, tmp_path: Path, only_the_engine_edits: list[str]
) -> None:
    """Over every corpus case, every edit of the view comes from a reported fix."""
    root = tmp_path / "repo"
    copy_tree(CORPUS / case / "before", root)
    engine.plan(root, Config(unsafe_fixes=True))
    engine.plan(root, Config())
    assert only_the_engine_edits == []


def test_a_fixed_finding_must_carry_its_fix(make_repo: Callable[..., Path]) -> None:
    ctx = _context(make_repo({"a.py": "x = 1\n"}))
    with pytest.raises(ValueError, match="carries the Fix"):
        ctx.report("a.py", "m", status=Status.FIXED)
