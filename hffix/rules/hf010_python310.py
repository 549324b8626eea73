"""HF010: code and settings that do not run on the Space's Python 3.10."""

from __future__ import annotations

import ast
import contextlib
import re

from hffix.deps import manifests
from hffix.deps.modules import IMPORTS
from hffix.deps.syntax310 import NewerName, may_use_newer_names, newer_names, problems_in
from hffix.findings import FixSafety, Status
from hffix.fixes import Fix, Write
from hffix.formats.requirements import merge_requirements
from hffix.repository.workspace import is_python_path
from hffix.rules.base import Example, Rule, RuleContext
from hffix.secrets.scope import tests_matcher

TOMLI_REQUIREMENT = 'tomli>=2.0.1; python_version < "3.11"'
_PY310_RELEASES = [f"3.10.{patch}" for patch in range(0, 21)]
_TOMLI_COMMENT = "  # Python 3.10: tomllib is new in 3.11"


def _allows_310(specifier: str) -> bool | None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        spec = SpecifierSet(specifier)
    except InvalidSpecifier:
        return None
    return any(spec.contains(v, prereleases=True) for v in _PY310_RELEASES)


def _line_of(text: str, pattern: str) -> int:
    match = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 0


class Python310(Rule):
    """
    ## What it does
    Checks that every Python file parses as Python 3.10 and reports, with file and line,
    syntax from later versions: `except*`, `type X = ...` and generic `def f[T]()`
    (PEP 695), f-strings that reuse their quotes or hold backslashes or comments (PEP 701),
    `*` in subscripts (PEP 646), `except A, B:` without parentheses (PEP 758). It reports
    standard-library modules and names newer than 3.10 (`enum.StrEnum`, `datetime.UTC`,
    `typing.Self`, `ExceptionGroup`) unless guarded by `try`/`except ImportError` or a
    `sys.version_info` check, and `requires-python`, Poetry's `python`, `.python-version`
    and `runtime.txt` values that exclude 3.10. `import tomllib` gets a fallback to
    `tomli`, and `tomli` (for Python < 3.11) is added to requirements.txt.

    ## Why it matters
    SP-HF-06 and the Constraints section: the Space runs Python 3.10. Newer syntax is a
    SyntaxError at import time; a newer module or name is an ImportError at start-up.

    ## Example
    ```python
    import tomllib
    ```
    becomes
    ```python
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: tomllib is new in 3.11
        import tomli as tomllib
    ```

    ## Fix safety
    The `tomllib` fallback is safe: `tomli` is the library `tomllib` was made from and has
    the same API. Everything else needs a decision (rewrite the syntax, use a backport such
    as `typing_extensions`, or change a version setting) and is only reported.
    """

    code = "HF010"
    name = "python-310"
    spec = "SP-HF-06"
    MESSAGE = "does not run on Python 3.10, the Space's Python"
    fixes = (FixSafety.SAFE, FixSafety.DISPLAY_ONLY)

    VALID = (
        Example.module(
            "try:\n    import tomllib\nexcept ModuleNotFoundError:\n    import tomli as tomllib\n"
        ),
        Example.module(
            "import sys\n\nif sys.version_info >= (3, 11):\n    from enum import StrEnum\n"
        ),
    )
    INVALID = (
        Example(
            before={"main.py": "import tomllib\n", "requirements.txt": "fastapi\n"},
            after={
                "main.py": "try:\n    import tomllib\nexcept ModuleNotFoundError:"
                + _TOMLI_COMMENT
                + "\n    import tomli as tomllib\n",
                "requirements.txt": f"fastapi\n{TOMLI_REQUIREMENT}\n",
            },
            codes=("HF010",),
        ),
        Example.module("from enum import StrEnum\n", codes=["HF010"]),
        Example.module("try:\n    pass\nexcept* ValueError:\n    pass\n", codes=["HF010"]),
    )

    def run(self, ctx: RuleContext) -> None:
        fixed_tomllib = False
        is_test = tests_matcher(ctx.config)  # the Space never runs tests (test-paths)
        for path in ctx.workspace.paths():
            if not is_python_path(path) or ctx.config.ignored_in(path, self.code):
                continue
            if is_test(path):
                continue
            text = ctx.text(path)
            if text is None:
                continue
            shared = ctx.syntax(path)
            if shared is None:
                continue
            problems = problems_in(text, shared.tree, shared.error)
            for problem in problems:
                if ctx.allows(path, problem.line):
                    ctx.report(
                        path,
                        f"{Python310.MESSAGE}: {problem.message}",
                        status=Status.MANUAL,
                        line=problem.line,
                        col=1,
                    )
            if problems:
                continue
            uses = ctx.analysis(IMPORTS, path) if shared.tree is not None else None
            if shared.tree is not None and uses is not None and may_use_newer_names(text, uses):
                fixed_tomllib |= self._newer_names(ctx, path, text, shared.tree)
        if fixed_tomllib:
            self._add_tomli(ctx)
        self._settings(ctx)

    # ------------------------------------------------------------------ standard library
    def _newer_names(self, ctx: RuleContext, path: str, text: str, tree: ast.Module) -> bool:
        lines = text.splitlines(keepends=True)
        found_names = [found for found in newer_names(tree) if ctx.allows(path, found.line)]
        newline = ctx.workspace.newline(path)
        fallbacks = [_tomllib_fallback(found, lines, newline) for found in found_names]
        edits = [edit for edit in fallbacks if edit is not None]
        for first, last, new in sorted(edits, reverse=True):
            lines[first - 1 : last] = [new]
        fix = Fix.safe(Write(path, "".join(lines)))  # every fallback of the module at once
        for found, fallback in zip(found_names, fallbacks, strict=True):
            if fallback is not None:
                message = (
                    f"{found.what} is new in Python {found.version}: falls back to `tomli` on 3.10"
                )
                ctx.report(path, f"{Python310.MESSAGE}: {message}", fix=fix, line=found.line, col=1)
            else:
                ctx.report(
                    path,
                    f"{Python310.MESSAGE}: {found.what} is new in Python {found.version}; "
                    f"{_hint(found.what)}",
                    status=Status.MANUAL,
                    line=found.line,
                    col=1,
                )
        return bool(edits)

    def _add_tomli(self, ctx: RuleContext) -> None:
        path = "requirements.txt"
        if ctx.workspace.exists(path):
            text = ctx.text(path)
            if text is None:
                return
            merged = merge_requirements(text, TOMLI_REQUIREMENT, ctx.workspace.newline(path))
        else:
            text, merged = "", TOMLI_REQUIREMENT + "\n"
        if merged != text:
            ctx.report(
                path,
                f"added `{TOMLI_REQUIREMENT}` for the tomllib fallback",
                fix=Fix.safe(Write(path, merged)),
            )

    # ------------------------------------------------------------------ settings
    def _settings(self, ctx: RuleContext) -> None:
        ws = ctx.workspace
        if ws.exists("pyproject.toml") and ctx.allows("pyproject.toml"):
            text = ctx.text("pyproject.toml")
            for where, constraint in _pyproject_pythons(text or ""):
                allowed = _allows_310(constraint)
                if allowed is False:
                    pattern = (
                        r"^\s*requires-python\s*="
                        if where == "requires-python"
                        else (r"^\s*python\s*=")
                    )
                    ctx.report(
                        "pyproject.toml",
                        f"{where} `{constraint}` excludes Python 3.10, the Space's Python",
                        status=Status.MANUAL,
                        line=_line_of(text or "", pattern),
                        col=1,
                    )
        for name, strip in ((".python-version", ""), ("runtime.txt", "python-")):
            if not ws.exists(name) or not ctx.allows(name):
                continue
            text = ctx.text(name) or ""
            value = next((v.strip() for v in text.splitlines() if v.strip()), "")
            version = value[len(strip) :] if value.startswith(strip) else value
            if value and not re.match(r"^3\.10(\.|$)", version):
                ctx.report(
                    name,
                    f"asks for Python `{value}`; the Space runs 3.10",
                    status=Status.MANUAL,
                    line=1,
                    col=1,
                )


_HINTS = {
    "`typing.": "import it from `typing_extensions`",
    "`enum.StrEnum`": "use `class Name(str, Enum)` on 3.10",
    "`datetime.UTC`": "use `datetime.timezone.utc`",
    "`asyncio.timeout": "use the `async-timeout` package or `asyncio.wait_for`",
    "`ExceptionGroup`": "import it from the `exceptiongroup` backport",
    "`BaseExceptionGroup`": "import it from the `exceptiongroup` backport",
}


def _hint(what: str) -> str:
    for prefix, hint in _HINTS.items():
        if what.startswith(prefix):
            return hint
    return "use code Python 3.10 has"


def _pyproject_pythons(text: str) -> list[tuple[str, str]]:
    document = manifests.load_toml(text)
    if document is None:
        return []
    found: list[tuple[str, str]] = []
    project = document.get("project")
    if isinstance(project, dict) and isinstance(project.get("requires-python"), str):
        found.append(("requires-python", project["requires-python"]))
    tool = document.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    deps = poetry.get("dependencies") if isinstance(poetry, dict) else None
    if isinstance(deps, dict) and isinstance(deps.get("python"), str):
        with contextlib.suppress(manifests.ConversionError):
            found.append(("Poetry's python", manifests.poetry_constraint(deps["python"])))
    return found


def _tomllib_fallback(
    found: NewerName, lines: list[str], newline: str
) -> tuple[int, int, str] | None:
    """(first line, last line, replacement) for an unguarded tomllib import, if simple."""
    node = found.node
    if node is None or node.end_lineno is None or node.end_col_offset is None:
        return None
    if isinstance(node, ast.Import):
        if len(node.names) != 1 or node.names[0].name != "tomllib":
            return None
        fallback = f"import tomli as {node.names[0].asname or 'tomllib'}"
    elif isinstance(node, ast.ImportFrom) and node.module == "tomllib":
        fallback = None
    else:
        return None
    first, last = node.lineno, node.end_lineno
    head = lines[first - 1][: node.col_offset]
    tail = lines[last - 1][node.end_col_offset :].strip()
    if head.strip() or (tail and not tail.startswith("#")):
        return None  # shares its line with other code
    original = "".join(lines[first - 1 : last])
    statement = original[len(head) :].rstrip("\r\n")
    if fallback is None:
        fallback = re.sub(r"^from\s+tomllib\b", "from tomli", statement, count=1)
    unit = "\t" if "\t" in head else "    "
    body = newline.join(unit + part for part in statement.splitlines())
    fallback_body = newline.join(unit + part for part in fallback.splitlines())
    text = (
        f"{head}try:{newline}{head}{body}{newline}{head}except ModuleNotFoundError:"
        f"{_TOMLI_COMMENT}{newline}{head}{fallback_body}{newline}"
    )
    return first, last, text
