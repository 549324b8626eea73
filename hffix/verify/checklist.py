"""The spec's validation checklist (SP-HF-10) and every rule's findings, as ✔/✘ lines.

Each checklist item combines what the files say directly (a root ``main.py`` exists, a
``Dockerfile`` does not) with the findings of the rule that enforces it. Where that rule is
not registered or is disabled by the repository's configuration, the item falls back to a
direct look at the files, so the checklist means the same whichever rules are installed.
The rule codes shown behind a ✘ are those to pass to ``hffix --explain``; when no rule
covers an item, the spec section is shown instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hffix.api import Result
from hffix.findings import Finding, Status
from hffix.verify.report import Boot, CheckItem, Mark
from hffix.verify.static import (
    app_binding,
    dockerfiles,
    front_matter,
    hardcoded_ports,
    main_import,
)

# The checklist's own labels, used by the boot to find the item it confirms.
MAIN_AT_ROOT = "main.py at the repository root"
APP_EXPOSED = "`app` exposed by main.py"
REQUIREMENTS = "requirements.txt present"
NO_DOCKERFILE = "no Dockerfile"
NO_PORTS = "no hardcoded ports"
PYTHON_SDK = "Space set to the Python SDK"


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str


def finding_line(finding: Finding) -> str:
    suffix = {
        Status.FIXED: " [hffix --write fixes this]",
        Status.UNSAFE_FIX: " [fix needs --unsafe-fixes]",
        Status.MANUAL: "",
    }[finding.status]
    return f"{finding.location()}: {finding.code} {finding.message}{suffix}"


class _Checklist:
    def __init__(self, root: Path, result: Result, active: Iterable[str]) -> None:
        self.root = root
        self.result = result
        self.active = set(active)

    def findings(self, code: str) -> list[Finding]:
        return [f for f in self.result.findings if f.code == code]

    def codes_for(self, code: str, spec: str) -> list[str]:
        return [code] if code in self.active else [spec]

    def item(
        self,
        label: str,
        code: str,
        spec: str,
        direct: Callable[[], tuple[bool, str]],
        *,
        rule_decides: bool,
    ) -> CheckItem:
        """An item failing on the direct check, or on ``code``'s findings when ``rule_decides``.

        ``rule_decides`` is for items whose direct check is only a rough fallback: then an
        active rule's verdict replaces it.
        """
        findings = self.findings(code) if code in self.active else []
        if rule_decides and code in self.active:
            if findings:
                return CheckItem(
                    label,
                    Mark.FAIL,
                    [code],
                    findings[0].message,
                    [finding_line(f) for f in findings],
                )
            return CheckItem(label, Mark.PASS)
        passed, detail = direct()
        if passed:
            return CheckItem(label, Mark.PASS, detail=detail)
        return CheckItem(
            label,
            Mark.FAIL,
            self.codes_for(code, spec),
            detail,
            [finding_line(f) for f in findings],
        )

    def main_at_root(self) -> CheckItem:
        def direct() -> tuple[bool, str]:
            if (self.root / "main.py").is_file():
                return True, ""
            return False, "no main.py at the repository root: the Space finds nothing to run"

        return self.item(MAIN_AT_ROOT, "HF001", "SP-HF-03", direct, rule_decides=False)

    def app_exposed(self) -> CheckItem:
        binding = app_binding(self.root)

        def direct() -> tuple[bool, str]:
            if binding.state in {"yes", "maybe"}:
                # `import main` must work for the name to exist (a relative import, a module
                # that is not where main.py looks for it): the boot confirms or refutes.
                imported = main_import(self.root)
                if not imported.ok:
                    return False, imported.detail
            if binding.state == "yes":
                return True, f"bound at {binding.detail} (static)"
            if binding.state == "maybe":
                return True, f"not bound by name; {binding.detail} (the boot checks it)"
            return False, binding.detail

        return self.item(APP_EXPOSED, "HF001", "SP-HF-04", direct, rule_decides=False)

    def requirements(self) -> CheckItem:
        def direct() -> tuple[bool, str]:
            if (self.root / "requirements.txt").is_file():
                return True, ""
            return False, "no requirements.txt at the repository root: the Space installs nothing"

        return self.item(REQUIREMENTS, "HF007", "SP-HF-05", direct, rule_decides=False)

    def no_dockerfile(self) -> CheckItem:
        def direct() -> tuple[bool, str]:
            found = dockerfiles(self.root)
            if not found:
                return True, ""
            at_root = [path for path in found if "/" not in path]
            if at_root:
                return False, f"{', '.join(at_root)} at the root makes the Space a Docker Space"
            return False, (
                f"{', '.join(found[:3])} in the repository: SP-HF-02 allows no Dockerfile "
                "(hffix --check says which it deletes and which it keeps)"
            )

        return self.item(NO_DOCKERFILE, "HF006", "SP-HF-02", direct, rule_decides=False)

    def no_ports(self) -> CheckItem:
        def direct() -> tuple[bool, str]:
            hits = hardcoded_ports(self.root)
            if not hits:
                return True, "" if "HF004" in self.active else "(rough check: HF004 not available)"
            return False, hits[0]

        return self.item(NO_PORTS, "HF004", "SP-HF-07", direct, rule_decides=True)

    def python_sdk(self) -> CheckItem:
        def direct() -> tuple[bool, str]:
            matter = front_matter(self.root)
            if matter is None:
                return True, ""
            sdk = matter.get("sdk", "")
            if sdk.lower() == "docker":
                return False, "README.md front matter says `sdk: docker` (SP-HF-02)"
            app_file = matter.get("app_file")
            if app_file and app_file != "main.py":
                return False, f"README.md front matter says `app_file: {app_file}`, not main.py"
            return True, f"sdk: {sdk}" if sdk else ""

        item = self.item(PYTHON_SDK, "HF008", "SP-HF-06", direct, rule_decides=False)
        if item.mark is Mark.PASS and "HF008" in self.active and self.findings("HF008"):
            found = self.findings("HF008")
            return CheckItem(
                PYTHON_SDK, Mark.FAIL, ["HF008"], found[0].message, [finding_line(f) for f in found]
            )
        if item.mark is Mark.PASS and front_matter(self.root) is None:
            return CheckItem(
                PYTHON_SDK,
                Mark.INFO,
                detail="no README.md front matter: choose the SDK in the Space's settings",
            )
        return item


def build(
    root: Path, result: Result, rules: Sequence[RuleInfo]
) -> tuple[list[CheckItem], list[CheckItem], list[str]]:
    """The checklist, one line per rule that ran, and the diagnostics (files hffix skipped)."""
    active = [rule.code for rule in rules]
    checks = _Checklist(root, result, active)
    checklist = [
        checks.main_at_root(),
        checks.app_exposed(),
        checks.requirements(),
        checks.no_dockerfile(),
        checks.no_ports(),
        checks.python_sdk(),
    ]
    lines: list[CheckItem] = []
    for rule in rules:
        found = checks.findings(rule.code)
        label = f"{rule.code} {rule.name}"
        if found:
            lines.append(
                CheckItem(label, Mark.FAIL, [rule.code], "", [finding_line(f) for f in found])
            )
        else:
            lines.append(CheckItem(label, Mark.PASS))
    known = set(active)
    for finding in result.findings:
        if finding.code not in known:
            known.add(finding.code)
            others = [finding_line(f) for f in result.findings if f.code == finding.code]
            lines.append(CheckItem(finding.code, Mark.FAIL, [finding.code], "", others))
    diagnostics = [str(d) for d in result.diagnostics]
    return checklist, lines, diagnostics


def confirm_app(checklist: list[CheckItem], boot: Boot) -> None:
    """Update the static `app` item with what the boot saw (the import is the real test)."""
    for index, item in enumerate(checklist):
        if item.label != APP_EXPOSED or not boot.attempted:
            continue
        failure = boot.failure
        if failure is not None and failure.kind in {"no-app", "not-asgi"}:
            codes = item.codes or ["SP-HF-04"]
            checklist[index] = CheckItem(
                item.label, Mark.FAIL, codes, failure.reason, item.findings
            )
        elif boot.import_seconds is not None:
            # The import is the real test: a static doubt it refutes is dropped.
            detail = "imported by the boot"
            if item.mark is not Mark.FAIL:
                detail = _joined(item.detail, detail)
            checklist[index] = CheckItem(item.label, Mark.PASS, [], detail, [])


def _joined(first: str, second: str) -> str:
    return f"{first}; {second}" if first else second
