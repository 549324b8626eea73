"""``hffix verify`` output: a text report for people, JSON for scripts."""

from __future__ import annotations

import json
from typing import TextIO

from hffix.verify.report import Boot, CheckItem, Mark, VerifyReport

_SYMBOL = {Mark.PASS: "✔", Mark.FAIL: "✘", Mark.INFO: "·"}
_COLOR = {Mark.PASS: "32", Mark.FAIL: "31", Mark.INFO: "2"}
_TAIL_LINES = 30


class _Out:
    def __init__(self, stream: TextIO, color: bool) -> None:
        self.stream = stream
        self.color = color

    def paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def mark(self, mark: Mark) -> str:
        return self.paint(_SYMBOL[mark], _COLOR[mark])

    def line(self, text: str = "") -> None:
        self.stream.write(text + "\n")


def _item(out: _Out, item: CheckItem, width: int) -> None:
    shown = [code for code in item.codes if code not in item.label.split()]
    codes = f"[{', '.join(shown)}] " if shown and item.mark is Mark.FAIL else ""
    detail = f"{codes}{item.detail}".strip()
    label = item.label.ljust(width) if detail else item.label
    out.line(f"  {out.mark(item.mark)} {label}  {detail}".rstrip())
    for finding in item.findings:
        out.line(f"      {finding}")


def _tail(text: str, lines: int | None) -> list[str]:
    rows = text.rstrip().splitlines()
    return rows if lines is None else rows[-lines:]


def _boot(out: _Out, report: VerifyReport, verbose: bool) -> None:
    boot: Boot = report.boot
    interpreter = report.interpreter
    if interpreter is not None:
        version = f"Python {interpreter.version} " if interpreter.version else ""
        out.line(f"Boot — {version}at {interpreter.python}")
        out.line(f"  using {interpreter.note}")
    else:
        out.line("Boot")
    if boot.disabled:
        out.line(f"  {out.mark(Mark.INFO)} {boot.skipped}")
        return
    if not boot.attempted:
        out.line(f"  {out.mark(Mark.FAIL)} {boot.skipped}")
        if boot.failure is not None and boot.failure.detail and verbose:
            for row in _tail(boot.failure.detail, None):
                out.line(f"      {row}")
        elif boot.failure is not None and boot.failure.detail:
            for row in _tail(boot.failure.detail, 15):
                out.line(f"      {row}")
        return
    if boot.import_seconds is not None:
        out.line(f"  {out.mark(Mark.PASS)} imported main:app in {boot.import_seconds:.2f} s")
    if boot.ready:
        where = f"127.0.0.1:{boot.port}" if boot.port else "127.0.0.1"
        seconds = boot.startup_seconds or 0.0
        out.line(
            f"  {out.mark(Mark.PASS)} serving on {where} in {seconds:.2f} s "
            f"(uvicorn, lifespan startup complete)"
        )
    for probe in boot.probes:
        status = str(probe.status) if probe.status is not None else "---"
        mark = Mark.PASS if probe.ok else Mark.FAIL
        timing = f"{probe.seconds * 1000:.0f} ms"
        note = f"  {probe.note}" if probe.note else ""
        out.line(f"  {out.mark(mark)} GET {probe.path.ljust(16)} {status:>3}  {timing:>7}{note}")
    if boot.failure is not None:
        out.line(f"  {out.mark(Mark.FAIL)} {boot.failure.reason}")
    if boot.stopped_cleanly:
        out.line(f"  {out.mark(Mark.PASS)} stopped cleanly in {boot.shutdown_seconds or 0:.2f} s")
    elif boot.ready:
        out.line(f"  {out.mark(Mark.FAIL)} did not stop cleanly")
    for warning in boot.warnings:
        out.line(f"  ! {warning}")
    if boot.failure is not None or not boot.ok or verbose:
        limit = None if verbose else _TAIL_LINES
        if boot.failure is not None and boot.failure.detail.strip():
            out.line("")
            out.line("  traceback:" if "Traceback" in boot.failure.detail else "  details:")
            for row in _tail(boot.failure.detail, limit):
                out.line(f"    {row}")
        for name, text in (("stdout", boot.stdout), ("stderr", boot.stderr)):
            if text.strip():
                more = "" if verbose else f", last {_TAIL_LINES} lines"
                out.line("")
                out.line(f"  app {name}{more}:")
                for row in _tail(text, limit):
                    out.line(f"    {row}")


def render_text(report: VerifyReport, stream: TextIO, *, color: bool, verbose: bool) -> None:
    out = _Out(stream, color)
    if report.error is not None:
        out.line(f"{out.mark(Mark.FAIL)} {report.error}")
        return
    out.line(
        f"hffix verify {report.path} — runs the repository's code: imports main:app and "
        f"serves it on 127.0.0.1"
    )
    out.line("")
    out.line("Checklist (SP-HF-10)")
    width = max((len(item.label) for item in report.checklist), default=0)
    for item in report.checklist:
        _item(out, item, width)
    if report.rules:
        out.line("Rules")
        width = max(len(item.label) for item in report.rules)
        for item in report.rules:
            _item(out, item, width)
    for diagnostic in report.diagnostics:
        out.line(f"  {out.mark(Mark.FAIL)} hffix could not read {diagnostic}")
    env = report.env
    if env.expected or env.given or env.notes or env.clean:
        out.line("")
        out.line("Environment")
        source = "only the given variables" if env.clean else "this shell's environment"
        given = f" plus {len(env.given)} given" if env.given and not env.clean else ""
        out.line(f"  the app starts with {source}{given}")
        present = [name for name in env.expected if name not in env.missing]
        if present:
            out.line(f"  {out.mark(Mark.PASS)} set: {', '.join(present)}")
        if env.missing:
            listed = sorted({env.expected[name] for name in env.missing})
            out.line(
                f"  ! not set: {', '.join(env.missing)} (listed in {', '.join(listed)}); "
                f"give them with -e NAME=VALUE or --env-file"
            )
        for note in env.notes:
            out.line(f"  ! {note}")
    out.line("")
    _boot(out, report, verbose)
    out.line("")
    if report.ok:
        what = "the checklist passes" + ("" if report.boot.disabled else " and the app answered")
        out.line(f"{out.mark(Mark.PASS)} ready for Spaces: {what}")
    else:
        out.line(f"{out.mark(Mark.FAIL)} {report.reason()}")
        failed = [i for i in (*report.checklist, *report.rules) if i.mark is Mark.FAIL]
        if failed and not report.reason().startswith("checklist:"):
            fix = "; `hffix --write` fixes what it can" if report.fixable else ""
            out.line(f"{out.mark(Mark.FAIL)} and {len(failed)} checklist/rule line(s) above{fix}")


def render_json(report: VerifyReport, stream: TextIO) -> None:
    json.dump(report.to_dict(), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
