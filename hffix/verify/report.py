"""What ``hffix verify`` found: plain data, rendered by :mod:`hffix.verify.render`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class Mark(Enum):
    PASS = "pass"
    FAIL = "fail"
    INFO = "info"  # cannot be checked on this machine (e.g. a Space setting)


@dataclass
class CheckItem:
    """One line of the checklist (SP-HF-10) or of the rules section."""

    label: str
    mark: Mark
    codes: list[str] = field(default_factory=list)  # rule codes (or spec sections) behind a FAIL
    detail: str = ""
    findings: list[str] = field(default_factory=list)  # "path:line:col: CODE message" lines


@dataclass
class Probe:
    path: str
    status: int | None = None  # None: no HTTP answer
    seconds: float = 0.0
    error: str = ""  # transport error, when there was no answer
    required: bool = False  # given with --path: must answer 2xx/3xx
    ok: bool = False
    note: str = ""


@dataclass
class Failure:
    """Why the app did not start or answer, in one actionable line, and where."""

    kind: str  # import-error, missing-module, missing-variable, no-app, not-asgi, ...
    reason: str  # the one line shown to the user
    file: str | None = None  # repository path when the problem is in the repository
    line: int | None = None
    detail: str = ""  # the traceback or tool output behind it


@dataclass
class Interpreter:
    python: str
    version: str = ""
    installed: bool = False  # a virtual environment built from requirements.txt by --install
    venv: str | None = None
    cached: bool = False
    note: str = ""


@dataclass
class Boot:
    attempted: bool = False
    skipped: str = ""  # why there was no boot
    disabled: bool = False  # --no-boot: the user asked for the checklist only
    pid: int | None = None
    port: int | None = None
    import_seconds: float | None = None
    startup_seconds: float | None = None
    ready: bool = False
    probes: list[Probe] = field(default_factory=list)
    stopped_cleanly: bool | None = None
    forced_kill: bool = False
    shutdown_seconds: float | None = None
    failure: Failure | None = None
    warnings: list[str] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return (
            self.attempted
            and self.ready
            and self.failure is None
            and all(probe.ok for probe in self.probes)
        )


@dataclass
class EnvReport:
    """Environment variables the app expects, and which of them were not given."""

    expected: dict[str, str] = field(default_factory=dict)  # name -> where it is listed
    missing: list[str] = field(default_factory=list)
    given: list[str] = field(default_factory=list)  # names from --env-file / -e
    clean: bool = False  # --clean-env: the app saw only the given variables
    notes: list[str] = field(default_factory=list)


@dataclass
class VerifyReport:
    path: str
    checklist: list[CheckItem] = field(default_factory=list)
    rules: list[CheckItem] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)
    fixable: int = 0  # findings `hffix --write` would fix
    env: EnvReport = field(default_factory=EnvReport)
    interpreter: Interpreter | None = None
    boot: Boot = field(default_factory=Boot)
    error: str | None = None  # the repository could not be verified at all (exit 2)

    @property
    def checklist_ok(self) -> bool:
        return not any(item.mark is Mark.FAIL for item in (*self.checklist, *self.rules)) and (
            not self.diagnostics
        )

    @property
    def ok(self) -> bool:
        return self.error is None and self.checklist_ok and (self.boot.ok or self.boot.disabled)

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            return 2
        return 0 if self.ok else 1

    def reason(self) -> str:
        """The first thing to fix, in one line ("" when everything passed)."""
        if self.error is not None:
            return self.error
        if self.boot.failure is not None:
            return self.boot.failure.reason
        for probe in self.boot.probes:
            if not probe.ok:
                return probe.note or f"GET {probe.path} failed"
        failed = [item for item in (*self.checklist, *self.rules) if item.mark is Mark.FAIL]
        if failed:
            first = failed[0]
            codes = f" ({', '.join(first.codes)})" if first.codes else ""
            more = f"; {len(failed) - 1} more item(s) failed" if len(failed) > 1 else ""
            hint = "; `hffix --write` fixes what it can" if self.fixable else ""
            return f"checklist: {first.label} failed{codes}{more}{hint}"
        if self.diagnostics:
            return f"hffix could not read {self.diagnostics[0]}"
        if not self.boot.ok and not self.boot.disabled and self.boot.skipped:
            return self.boot.skipped
        return ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        data["checklist_ok"] = self.checklist_ok
        data["boot"]["ok"] = self.boot.ok
        data["exit_code"] = self.exit_code
        data["reason"] = self.reason()
        plain: dict[str, Any] = _plain(data)
        return plain


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
