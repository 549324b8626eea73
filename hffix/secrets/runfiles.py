"""Secrets in the files that start the app or explore it: Procfiles, Makefiles, shell
scripts and the code cells of Jupyter notebooks.

HF005 reports them (display-only): a key on a command line (``web: OPENAI_API_KEY=sk-…
uvicorn main:app``, ``export HF_TOKEN=hf_…``, ``--api-key …``, a Makefile's
``DB_PASSWORD := …``) or in a notebook cell (``os.environ["HF_TOKEN"] = "hf_…"``,
``%env OPENAI_API_KEY=sk-…``) is committed with the repository, and the Space has its own
settings for secrets. A value is reported when the classifier is sure of it
(:class:`~hffix.secrets.classify.Verdict` ``SAFE``): a shape (a provider token, a
credentials URL, a private key, a bearer token), or a name that makes it a secret.
Expansions (``$OPENAI_API_KEY``, ``${TOKEN}``, ``$(cat …)``) and placeholders are not.
Positions are the file's own lines and columns (1-based, in characters); for a notebook,
those of its JSON text.
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
from dataclasses import dataclass
from typing import Any

from hffix.secrets.classify import Detection, Verdict, recognise
from hffix.secrets.names import NameSignal, env_name, signal
from hffix.textio import line_starts

_RUN_NAMES = frozenset({"Makefile", "makefile", "GNUmakefile", "justfile", "Justfile", ".envrc"})
_RUN_SUFFIXES = (".sh", ".bash", ".zsh", ".mk")
_MAGIC = re.compile(r"^[ \t]*[%!]")  # IPython magics and shell escapes: command lines


@dataclass(frozen=True)
class LineSecret:
    """A secret on a line of a file: where it starts, what it is, the variable it belongs in."""

    line: int
    col: int
    detection: Detection
    variable: str


def is_run_file(path: str) -> bool:
    """Procfiles, Makefiles, justfiles, shell scripts, ``.envrc``."""
    base = posixpath.basename(path)
    return base.startswith("Procfile") or base in _RUN_NAMES or base.endswith(_RUN_SUFFIXES)


def is_notebook(path: str) -> bool:
    return path.endswith(".ipynb")


def _variable(detection: Detection, name: str | None) -> str:
    if detection.password_span is not None and detection.password_variable:
        return detection.variable or detection.password_variable
    if name and signal(name) in (NameSignal.STRONG, NameSignal.WEAK) and env_name(name):
        return env_name(name)
    return detection.variable or (env_name(name) if name else "") or "SECRET"


def line_secrets(line: str, *, shell: bool = True) -> list[tuple[int, Detection, str]]:
    """The secrets the classifier is sure of on one line: (offset, detection with the
    secret's span, variable), left to right. ``shell``: a command line (``NAME=value``,
    ``--name value``, ``export NAME=value``); else Python code, where only quoted values
    have a name (``NAME = "value"``, ``api_key="value"``, ``environ["NAME"] = "value"``)."""
    from hffix.secrets.formats import may_have_shape
    from hffix.secrets.redact import QUOTED_PATTERNS, SHELL_PATTERNS, named_values

    found: list[tuple[int, Detection, str]] = []
    taken: list[tuple[int, int]] = []
    for named in named_values(line, SHELL_PATTERNS if shell else QUOTED_PATTERNS):
        detection = named.detection
        if detection.verdict is not Verdict.SAFE:
            continue
        start, end = named.start + detection.start, named.start + detection.end
        if any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        found.append((start, detection, _variable(detection, named.name)))
    if may_have_shape(line):
        position = 0
        while position < len(line):
            shaped = recognise(line[position:])
            if shaped is None:
                break
            start, end = position + shaped.start, position + shaped.end
            position += max(shaped.end, shaped.start + 1)
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
                found.append((start, shaped, _variable(shaped, None)))
    found.sort(key=lambda item: item[0])
    return found


def run_file_secrets(text: str) -> list[LineSecret]:
    """The secrets of a Procfile, Makefile or shell script (comments included: a key in a
    comment is committed too)."""
    found: list[LineSecret] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for offset, detection, variable in line_secrets(line):
            found.append(LineSecret(number, offset + 1, detection, variable))
    return found


# ------------------------------------------------------------------ notebooks
def notebook_secrets(text: str) -> list[LineSecret] | None:
    """The secrets of a notebook's code cells, at their line and column in the notebook's
    JSON text (line 0 when a cell's line cannot be found in it); ``None`` if ``text`` is no
    notebook. A cell that parses as Python is read with the ``ast`` (assignments, keyword
    arguments, dict entries, as HF005 reads modules); magics (``%env``, ``!export``) as
    command lines; a cell that does not parse, line by line."""
    try:
        document: Any = json.loads(text)
    except ValueError:
        return None
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        return None
    locator = _Locator(text)
    found: list[LineSecret] = []
    for cell in cells:
        if not isinstance(cell, dict):
            continue
        source = cell.get("source", [])
        lines = _source_lines(source)
        if lines is None:
            continue
        places = locator.find(source, lines)  # every cell's, to keep the cursor in step
        if cell.get("cell_type") != "code":
            continue
        for index, offset, detection, variable in _cell_secrets(lines):
            place = places[index] if index < len(places) else None
            line, col = (0, 0) if place is None else place
            if place is not None:
                col += len(_escaped(lines[index][:offset], locator.ascii))
            found.append(LineSecret(line, col, detection, variable))
    return found


def _source_lines(source: object) -> list[str] | None:
    """A cell's source as nbformat writes it: a list of lines (each with its newline), or
    one string."""
    if isinstance(source, str):
        return source.splitlines(keepends=True)
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return list(source)
    return None


def _cell_secrets(lines: list[str]) -> list[tuple[int, int, Detection, str]]:
    """(index of the line in the cell, offset in that line, detection, variable)."""
    from hffix.secrets import astscan

    stripped = [line.rstrip("\r\n") for line in lines]
    magics = {i for i, line in enumerate(stripped) if _MAGIC.match(line)}
    found: list[tuple[int, int, Detection, str]] = []
    for index in sorted(magics):
        for offset, detection, variable in line_secrets(stripped[index]):
            found.append((index, offset, detection, variable))
    code = "\n".join("" if i in magics else line for i, line in enumerate(stripped))
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        for index, line in enumerate(stripped):
            if index not in magics:
                for offset, detection, variable in line_secrets(line, shell=False):
                    found.append((index, offset, detection, variable))
        return found
    for secret in astscan.secrets_in(tree, code):
        index = secret.literal.line - 1
        line = stripped[index] if index < len(stripped) else ""
        # The literal's start; the secret itself, when its text shows as it is.
        offset = secret.literal.col - 1
        detection = secret.detection
        shown = secret.literal.value[detection.start : detection.end]
        at = line.find(shown, offset) if shown else -1
        found.append((index, at if at != -1 else offset, detection, secret.variable))
    return found


def _escaped(text: str, ascii_only: bool) -> str:
    """``text`` as a JSON string spells it, without the quotes."""
    return json.dumps(text, ensure_ascii=ascii_only)[1:-1]


class _Locator:
    """Finds the lines of the cells, in order, in a notebook's JSON text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ascii = text.isascii()  # written with \\uXXXX escapes (json's default)
        self.cursor = 0
        self.misses = 0  # a search that fails reads to the end: a few, then no more
        self._starts = line_starts(text)

    def find(self, source: object, lines: list[str]) -> list[tuple[int, int] | None]:
        """For each line of a cell, the (line, 1-based column) where its text starts in the
        JSON text, or None: a list of lines is one JSON string a line; a string is one
        JSON string (its lines joined by ``\\n`` escapes)."""
        if isinstance(source, str):
            start = self._string(source)
            if start is None:
                return [None] * len(lines)
            number, col = start
            places: list[tuple[int, int] | None] = []
            for line in lines:
                places.append((number, col))
                col += len(_escaped(line, self.ascii))
            return places
        return [self._string(line) for line in lines]

    def _string(self, value: str) -> tuple[int, int] | None:
        import bisect

        if self.misses > 20:
            return None
        needle = '"' + _escaped(value, self.ascii) + '"'
        at = self.text.find(needle, self.cursor)
        if at == -1:
            self.misses += 1
            return None
        self.cursor = at + len(needle)
        number = bisect.bisect_right(self._starts, at)
        return number, at - self._starts[number - 1] + 2  # the column after the quote
