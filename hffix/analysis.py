"""The session's one analysis cache, in the style of LibCST's metadata providers.

An *analysis* is a named computation the rules share: a :class:`FileAnalysis` reads one
file's current text (its ``ast``, its libcst module, its imports), a
:class:`RepositoryAnalysis` reads the repository or a decision a rule made about it (the
Space's import closure once HF001 chose the app). Rules and the helpers they call ask the
cache, :attr:`hffix.session.Session.analyses`, never keep one of their own::

    IMPORTS = FileAnalysis("imports", lambda session, path, text: imports_of(text, ...))
    uses = session.analyses.file(IMPORTS, path)  # computed once per text of ``path``

A file analysis is computed at most once per text: the cache keeps, per analysis and
path, the text object it was computed from, and a later edit of the file (a new text in
the workspace view) makes the next request compute it again. An analysis may ask for
others (IMPORTS reads SYNTAX); a cycle is a bug and raises. A repository analysis is
computed once per run, on first request; one that stands for a rule's decision is
*decided* by that rule (:meth:`AnalysisCache.decide`, lazily: the closure is computed only
if a later rule asks) and is ``None`` until then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar, cast

if TYPE_CHECKING:
    from hffix.session import Session

_T = TypeVar("_T")


@dataclass(frozen=True, eq=False)
class FileAnalysis(Generic[_T]):
    """What one file's text says, computed by ``compute(session, path, text)``."""

    name: str
    compute: Callable[[Session, str, str], _T]

    def __repr__(self) -> str:
        return f"FileAnalysis({self.name!r})"


@dataclass(frozen=True, eq=False)
class RepositoryAnalysis(Generic[_T]):
    """What the repository says, computed by ``compute(session)`` once per run; with no
    ``compute``, a value a rule decides (:meth:`AnalysisCache.decide`)."""

    name: str
    compute: Callable[[Session], _T] | None = None

    def __repr__(self) -> str:
        return f"RepositoryAnalysis({self.name!r})"


class AnalysisCycle(RuntimeError):
    """An analysis asked, directly or not, for itself."""


class AnalysisCache:
    """Every analysis of one repository run, computed on first request and kept."""

    def __init__(self, session: Session) -> None:
        self._session = session
        # (analysis, path) -> (the text it was computed from, its value)
        self._files: dict[tuple[FileAnalysis[object], str], tuple[str, object]] = {}
        self._repository: dict[RepositoryAnalysis[object], object] = {}
        self._decided: dict[RepositoryAnalysis[object], Callable[[], object]] = {}
        self._computing: set[object] = set()

    def file(self, analysis: FileAnalysis[_T], path: str) -> _T | None:
        """``analysis`` of ``path``'s current text; ``None`` when it cannot be read (the
        session diagnoses why, once)."""
        text = self._session.text(path)
        if text is None:
            return None
        key = (cast(FileAnalysis[object], analysis), path)
        cached = self._files.get(key)
        if cached is not None and cached[0] is text:
            return cast(_T, cached[1])
        if key in self._computing:
            raise AnalysisCycle(f"{analysis.name} of {path} asked for itself")
        self._computing.add(key)
        try:
            value = analysis.compute(self._session, path, text)
        finally:
            self._computing.discard(key)
        self._files[key] = (text, value)
        return value

    def seed(self, analysis: FileAnalysis[_T], path: str, text: str, value: _T) -> None:
        """Record ``value`` as ``analysis`` of ``text``, the text ``path`` now has (a rule
        that wrote a module keeps the tree it wrote it from)."""
        self._files[(cast(FileAnalysis[object], analysis), path)] = (text, value)

    def repository(self, analysis: RepositoryAnalysis[_T]) -> _T | None:
        """``analysis`` of the repository: computed once; for a decided analysis, ``None``
        until a rule decided it."""
        key = cast(RepositoryAnalysis[object], analysis)
        if key in self._repository:
            return cast(_T, self._repository[key])
        compute: Callable[[], object] | None = self._decided.pop(key, None)
        if compute is None and analysis.compute is not None:
            session, own = self._session, analysis.compute
            compute = lambda: own(session)  # noqa: E731
        if compute is None:
            return None
        if key in self._computing:
            raise AnalysisCycle(f"{analysis.name} asked for itself")
        self._computing.add(key)
        try:
            value = compute()
        finally:
            self._computing.discard(key)
        self._repository[key] = value
        return cast(_T, value)

    def decide(self, analysis: RepositoryAnalysis[_T], compute: Callable[[], _T]) -> None:
        """A rule's decision: ``analysis`` is what ``compute()`` gives, computed when first
        asked for (and the closure let go then)."""
        key = cast(RepositoryAnalysis[object], analysis)
        self._repository.pop(key, None)
        self._decided[key] = compute

    def release(self) -> None:
        """Forget every analysis: the rules are done (the trees are the run's dearest
        memory)."""
        self._files.clear()
        self._repository.clear()
        self._decided.clear()
