"""HF008: README.md front matter declares the app file and the Python version."""

from __future__ import annotations

import re
from typing import Any

from hffix.findings import FixSafety, Severity, Status
from hffix.fixes import Fix, Write
from hffix.project import frontmatter
from hffix.project.frontmatter import FrontMatter, FrontMatterError
from hffix.rules.base import Example, Rule, RuleContext

README = "README.md"
DEFAULT_APP_FILE = "main.py"
DEFAULT_PYTHON = "3.10"
# What the Spaces configuration reference accepts for `sdk`, minus docker (SP-HF-02).
ALLOWED_SDKS = ("gradio", "streamlit", "static")


class ReadmeFrontMatter(Rule):
    """
    ## What it does
    Makes README.md's YAML front matter (the Space's configuration) say
    `app_file: main.py` and `python_version: "3.10"`: missing keys are added before the
    closing `---`, wrong values are replaced in place, a README without front matter gets
    a block at the top. Every other key, comment, quote and the body stay byte for byte.
    `sdk: docker` is reported (a Docker Space is forbidden by SP-HF-02). Front matter that
    is not valid YAML is reported with its line and never rewritten.

    Settings in `[tool.hffix]`: `app-file` (default `main.py`), `python-version` (default
    `"3.10"`) and `sdk`. The spec asks for the "Python" SDK, but the Spaces configuration
    reference only accepts `gradio`, `streamlit`, `docker` and `static` for `sdk`, so hffix
    never picks one: it sets `sdk` only when `[tool.hffix] sdk` names one of `gradio`,
    `streamlit` or `static`.

    ## Why it matters
    SP-HF-06: the Space runs the file named by `app_file` with the Python version named by
    `python_version`; "If App File is not main.py → build FAIL". YAML reads an unquoted
    `python_version: 3.10` as the number 3.1, so the value is written quoted.

    ## Example
    ```yaml
    ---
    title: Todo API
    sdk: gradio
    app_file: app.py
    python_version: 3.10
    ---
    ```
    becomes
    ```yaml
    ---
    title: Todo API
    sdk: gradio
    app_file: main.py
    python_version: "3.10"
    ---
    ```

    ## Fix safety
    Safe: only the two keys change, line by line. A key whose value spans several lines,
    broken YAML and `sdk: docker` (without `[tool.hffix] sdk`) are reported for a human.
    Suppress with `# hffix: ignore[HF008]` on the key's line.
    """

    code = "HF008"
    name = "readme-front-matter"
    spec = "SP-HF-06"
    MESSAGE = "README.md front matter must declare the Space's app file and Python version"
    fixes = (FixSafety.SAFE, FixSafety.DISPLAY_ONLY)
    OPTIONS = ("app-file", "python-version", "sdk")
    severity = Severity.WARNING  # the Space starts; a dependency or setting is missing

    VALID = (
        Example(before={"README.md": '---\napp_file: main.py\npython_version: "3.10"\n---\n'}),
        Example(before={"main.py": "app = None\n"}),
    )
    INVALID = (
        Example(
            before={"README.md": "---\ntitle: Todo\napp_file: app.py\n---\n\n# Todo\n"},
            after={
                "README.md": '---\ntitle: Todo\napp_file: main.py\npython_version: "3.10"\n'
                "---\n\n# Todo\n"
            },
            codes=("HF008",),
        ),
        Example(
            before={"README.md": "# Todo\n"},
            after={"README.md": '---\napp_file: main.py\npython_version: "3.10"\n---\n\n# Todo\n'},
            codes=("HF008",),
        ),
    )

    def run(self, ctx: RuleContext) -> None:
        if not ctx.workspace.exists(README) or ctx.config.ignored_in(README, self.code):
            return
        settings = _settings(ctx)
        if settings is None:
            return
        text = ctx.text(README)
        if text is None:
            return
        try:
            front = frontmatter.parse(text)
        except FrontMatterError as exc:
            what = (
                "is laid out in a way hffix does not edit"
                if exc.unsupported
                else ("is not valid YAML")
            )
            ctx.report(
                README,
                f"README.md front matter {what} ({exc.reason}); hffix does not "
                "rewrite it: fix it by hand",
                status=Status.MANUAL,
                line=exc.line,
                col=1,
            )
            return
        newline = ctx.workspace.newline(README)
        if front is None:
            _add_block(ctx, text, settings, newline)
            return
        _Edit(ctx, front, settings, newline).run()


def _option(ctx: RuleContext, key: str, default: Any = None) -> Any:
    value = ctx.config.option(key)
    if value is None:
        value = ctx.config.option(key.replace("-", "_"))
    return default if value is None else value


def _settings(ctx: RuleContext) -> dict[str, str] | None:
    app_file = _option(ctx, "app-file", DEFAULT_APP_FILE)
    python = _option(ctx, "python-version", DEFAULT_PYTHON)
    sdk = _option(ctx, "sdk")
    problems = []
    if not isinstance(app_file, str) or not app_file or app_file.startswith("/"):
        problems.append(f"app-file = {app_file!r} is not a path inside the repository")
    if not isinstance(python, str) or not re.fullmatch(r"3\.\d+(\.\d+)?", python):
        problems.append(f"python-version = {python!r} is not a Python 3.x or 3.x.x version")
    if sdk is not None and sdk not in ALLOWED_SDKS:
        problems.append(
            f"sdk = {sdk!r} is not one of {', '.join(ALLOWED_SDKS)} (Spaces also accepts "
            "docker, which SP-HF-02 forbids)"
        )
    if problems:
        ctx.report(
            "pyproject.toml",
            f"[tool.hffix] {'; '.join(problems)}; HF008 did not run",
            status=Status.MANUAL,
        )
        return None
    settings = {"app_file": str(app_file), "python_version": str(python)}
    if sdk is not None:
        settings["sdk"] = str(sdk)
    return settings


def _rendered(key: str, value: str) -> str:
    return frontmatter.render_scalar(value, quote=key == "python_version")


def _add_block(ctx: RuleContext, text: str, settings: dict[str, str], newline: str) -> None:
    keys = [k for k in ("sdk", "app_file", "python_version") if k in settings]
    block = frontmatter.new_block([(k, _rendered(k, settings[k])) for k in keys], newline)
    gap = newline if text and not text.startswith(("\n", "\r")) else ""
    shown = " and ".join(f"`{k}: {_rendered(k, settings[k])}`" for k in keys)
    ctx.report(
        README,
        f"{ReadmeFrontMatter.MESSAGE}: it has no front matter; added {shown}",
        fix=Fix.safe(Write(README, block + gap + text)),
        line=1,
        col=1,
    )


class _Edit:
    def __init__(
        self, ctx: RuleContext, front: FrontMatter, settings: dict[str, str], newline: str
    ) -> None:
        self.ctx = ctx
        self.front = front
        self.settings = settings
        self.newline = newline
        self.changes: list[tuple[int, str]] = []  # (line, message) of each value set

    def run(self) -> None:
        for key in ("app_file", "python_version"):
            self._ensure(key, self.settings[key])
        self._sdk()
        if self.changes:  # one edited README for every value set
            fix = Fix.safe(Write(README, "".join(self.front.lines)))
            for line, message in self.changes:
                self.ctx.report(README, message, fix=fix, line=line, col=1)

    def _line(self, key: str) -> int:
        entry = self.front.entries.get(key)
        return entry.first + 1 if entry is not None else self.front.close + 1

    def _set(self, key: str, value: str) -> None:
        text = frontmatter.with_value(self.front, key, _rendered(key, value), self.newline)
        parsed = frontmatter.parse(text)
        assert parsed is not None
        self.front = parsed

    def _ensure(self, key: str, want: str) -> None:
        entry = self.front.entries.get(key)
        line = self._line(key)
        if entry is not None and not self.ctx.allows(README, line):
            return
        rendered = _rendered(key, want)
        if entry is None:
            why = f"`{key}` is missing"
        elif entry.multiline:
            self.ctx.report(
                README,
                f"{ReadmeFrontMatter.MESSAGE}: `{key}` spans several lines; set it to "
                f"`{rendered}` by hand",
                status=Status.MANUAL,
                line=line,
                col=1,
            )
            return
        else:
            current = frontmatter.scalar(entry)
            if current == want:
                return
            why = f"`{key}` is `{entry.value}`"
            if key == "python_version" and current is not None and current != entry.value:
                why += f", which YAML reads as the number {current}"
        self._set(key, want)
        self.changes.append((line, f"{ReadmeFrontMatter.MESSAGE}: {why}; set to `{rendered}`"))

    def _sdk(self) -> None:
        entry = self.front.entries.get("sdk")
        line = self._line("sdk")
        if entry is not None and not self.ctx.allows(README, line):
            return
        current = frontmatter.scalar(entry) if entry is not None else None
        wanted = self.settings.get("sdk")
        if wanted is not None and current != wanted:
            if entry is not None and entry.multiline:
                return
            self._set("sdk", wanted)
            was = f"`sdk: {entry.value}`" if entry is not None else "no `sdk`"
            self.changes.append(
                (
                    line,
                    f"README.md front matter had {was}; set to `sdk: {wanted}` ([tool.hffix] sdk)",
                )
            )
        elif wanted is None and current == "docker":
            self.ctx.report(
                README,
                "`sdk: docker` makes this a Docker Space, which SP-HF-02 forbids; set "
                "[tool.hffix] sdk to the SDK to use (Spaces accepts gradio, streamlit, "
                "docker, static) and run hffix again",
                status=Status.MANUAL,
                line=line,
                col=1,
            )
