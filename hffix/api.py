"""The Python API: :func:`check` and :func:`fix`. The command line is a thin layer over these.

>>> import hffix
>>> result = hffix.fix("path/to/repo", write=False)   # doctest: +SKIP
>>> result.status, [f.code for f in result.findings]  # doctest: +SKIP
('fixable', ['HF002'])
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import traceback
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Any

from hffix.config import Config, ConfigError, load_config, load_config_file
from hffix.engine import plan
from hffix.facts import Facts
from hffix.findings import Diagnostic, Finding, Status
from hffix.repository.discovery import Skipped
from hffix.repository.workspace import FileChange
from hffix.textio import DecodeError


class RepoStatus(Enum):
    COMPLIANT = "compliant"  # nothing to change, nothing to report
    FIXED = "fixed"  # --write fixed every finding
    FIXABLE = "fixable"  # --write would fix every finding (nothing was written)
    NEEDS_MANUAL_WORK = "needs-manual-work"  # findings or unreadable files remain
    FAILED = "failed"  # the repository could not be processed; see ``error``


@dataclass
class Result:
    """The outcome for one repository."""

    root: Path
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    changes: list[FileChange] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    facts: Facts = field(default_factory=Facts)
    written: bool = False
    error: str | None = None
    traceback: str | None = None
    duration: float = 0.0  # seconds spent on this repository

    @cached_property
    def patch(self) -> bytes:
        """The git-style patch of :attr:`changes`, relative to :attr:`root`."""
        from hffix.repository.patch import render_patch

        return render_patch(self.changes)

    @property
    def remaining(self) -> list[Finding]:
        return [f for f in self.findings if f.remains]

    @property
    def fixed(self) -> list[Finding]:
        return [f for f in self.findings if f.status is Status.FIXED]

    @property
    def variables(self) -> list[str]:
        """Environment variables the user has to set in the Space's settings: every one,
        :attr:`secrets` and :attr:`space_variables` together."""
        return sorted(set(self.facts.variables).union(*(f.variables for f in self.findings)))

    @property
    def secrets(self) -> list[str]:
        """The :attr:`variables` to set as the Space's *Secrets*: a name that holds a
        credential (``DATABASE_URL``, ``…_API_KEY``, ``…SECRET``, ``HF_TOKEN``:
        :func:`hffix.secrets.names.holds_credential`), or the one variable of a finding
        about a committed secret (a random-looking value moved into ``BUILD_STAMP``)."""
        from hffix.secrets.names import holds_credential

        moved = {f.variables[0] for f in self.findings if f.secret and len(f.variables) == 1}
        return [name for name in self.variables if name in moved or holds_credential(name)]

    @property
    def space_variables(self) -> list[str]:
        """The :attr:`variables` to set as the Space's *Variables*: all but :attr:`secrets`."""
        secrets = set(self.secrets)
        return [name for name in self.variables if name not in secrets]

    @property
    def status(self) -> RepoStatus:
        if self.error is not None:
            return RepoStatus.FAILED
        if self.remaining or self.diagnostics:
            return RepoStatus.NEEDS_MANUAL_WORK
        if self.changes or self.findings:
            return RepoStatus.FIXED if self.written else RepoStatus.FIXABLE
        return RepoStatus.COMPLIANT


class RepositoryTimeout(BaseException):
    """Raised inside a repository's planning when ``timeout`` runs out.

    A BaseException, so that no ``except Exception`` in a rule can swallow it.
    """


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (main thread on Unix only; elsewhere no limit)."""
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise RepositoryTimeout(f"timed out after {seconds:g} s; nothing written")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, float(seconds or 0))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class _Overrides:
    """What the caller sets over a repository's own ``[tool.hffix]``."""

    select: Iterable[str] | None = None
    ignore: Iterable[str] = ()
    extend_select: Iterable[str] = ()
    exclude: Iterable[str] = ()
    unsafe_fixes: bool | None = None
    options: Mapping[str, Any] | None = None
    # A TOML file whose [tool.hffix] table is used instead of the repository's own.
    config_file: str | os.PathLike[str] | None = None


def _config_for(root: Path, overrides: _Overrides) -> Config:
    if overrides.config_file is not None:
        base = load_config_file(Path(overrides.config_file))
    else:
        base = load_config(root)
    return base.with_overrides(
        select=overrides.select,
        ignore=overrides.ignore,
        extend_select=overrides.extend_select,
        exclude=overrides.exclude,
        unsafe_fixes=overrides.unsafe_fixes,
        options=overrides.options,
    )


def fix(
    path: str | os.PathLike[str],
    write: bool = False,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    unsafe_fixes: bool | None = None,
    options: Mapping[str, Any] | None = None,
    timeout: float | None = None,
    extend_select: Iterable[str] = (),
    exclude: Iterable[str] = (),
    config_file: str | os.PathLike[str] | None = None,
) -> Result:
    """Plan the fixes for the repository at ``path``; apply them when ``write`` is true.

    Never raises for a bad repository: problems are in :attr:`Result.error` (the repository
    is untouched) or :attr:`Result.diagnostics` (files that were skipped). ``timeout``
    bounds the planning, in seconds; writing, once started, always completes or rolls back.
    ``select``/``ignore``/``extend_select``/``exclude`` and ``options`` (the rules' keys)
    are set over the repository's ``[tool.hffix]``, or over ``config_file``'s when given;
    an unknown rule code or key is the result's error.
    """
    started = time.perf_counter()
    overrides = _Overrides(
        select, ignore, extend_select, exclude, unsafe_fixes, options, config_file
    )
    result = _fix(Path(path), write, overrides, timeout)
    if result.error is not None:  # an exception's text may quote the repository
        from hffix.secrets.redact import mask_text

        result.error = mask_text(result.error)
    if not result.written and (not write or result.changes or result.error is not None):
        _in_the_conditional(result)
    result.duration = time.perf_counter() - started
    return result


def _in_the_conditional(result: Result) -> None:
    """Nothing was written: the fixes are to come, and their findings say so ("would be
    deleted", not "deleted"; see :mod:`hffix.wording`)."""
    from hffix.wording import conditional

    result.findings = [
        replace(f, message=conditional(f.message)) if f.status is Status.FIXED else f
        for f in result.findings
    ]


def recover_interrupted(root: Path, write: bool) -> tuple[str | None, list[Diagnostic]]:
    """Undo the write an interrupted ``--write`` left at ``root`` (a journal), before anything
    reads the repository: ``(error, notes)``. Without ``write`` nothing changes and a
    pending journal is the error. ``--commit`` calls this before git looks at the tree."""
    if not (os.path.lexists(root / ".hffix-journal") or os.path.lexists(root / ".hffix-journal.d")):
        return None, []
    from hffix.repository import journal

    recovery = journal.recover(root, write)
    if recovery.error is not None:
        return recovery.error, []
    return None, [Diagnostic(journal.JOURNAL, recovery.note)] if recovery.note else []


def _fix(root: Path, write: bool, overrides: _Overrides, timeout: float | None) -> Result:
    result = Result(root)
    if not root.exists():
        result.error = f"{root}: no such file or folder"
        return result
    if not root.is_dir():
        result.error = f"{root}: not a folder (give the repository's root folder)"
        return result
    error, notes = recover_interrupted(root, write)
    if error is not None:
        result.error = error
        return result
    try:
        config = _config_for(root, overrides)
        with _time_limit(timeout):
            planned = plan(root, config)
    except ConfigError as exc:
        result.error = str(exc)
        return result
    except RepositoryTimeout as exc:
        result.error = str(exc)
        return result
    except DecodeError as exc:
        result.error = f"cannot encode a fixed file: {exc}"
        return result
    except Exception as exc:  # a bug in a rule must not stop a bulk run
        result.error = f"internal error: {type(exc).__name__}: {exc}"
        result.traceback = traceback.format_exc()
        return result
    result.findings = planned.findings
    result.diagnostics = [*notes, *planned.diagnostics]
    result.changes = planned.changes
    result.facts = planned.facts
    result.skipped = planned.skipped
    if planned.failures:
        failed = "; ".join(f"{f.code} failed (internal error: {f.error})" for f in planned.failures)
        result.error = f"{failed}; nothing written, the other rules' findings are listed"
        result.traceback = "".join(f.traceback for f in planned.failures)
        return result
    if write and result.changes:
        from hffix.repository.writer import WriteError, apply_changes  # only a write needs it

        try:
            apply_changes(root, result.changes)
        except WriteError as exc:
            result.error = str(exc)
            return result
        result.written = True
    return result


def check(
    path: str | os.PathLike[str],
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    unsafe_fixes: bool | None = None,
    options: Mapping[str, Any] | None = None,
    timeout: float | None = None,
    extend_select: Iterable[str] = (),
    exclude: Iterable[str] = (),
    config_file: str | os.PathLike[str] | None = None,
) -> Result:
    """Report what :func:`fix` would do, without writing anything."""
    return fix(
        path,
        write=False,
        select=select,
        ignore=ignore,
        unsafe_fixes=unsafe_fixes,
        options=options,
        timeout=timeout,
        extend_select=extend_select,
        exclude=exclude,
        config_file=config_file,
    )
