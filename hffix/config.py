"""Settings for one repository: ``[tool.hffix]`` in its ``pyproject.toml``, plus CLI overrides.

Recognised keys::

    [tool.hffix]
    select = ["HF002", "HF003"]          # only these rules (default: all)
    ignore = ["HF005"]                    # never these rules
    exclude = ["legacy/", "*.ipynb"]      # gitignore-style patterns, relative to the repository
    unsafe-fixes = false
    test-paths = ["tests/"]               # files treated as tests (several rules skip them)
    [tool.hffix.per-file-ignores]
    "scripts/*" = ["HF003"]

Rules read further keys through :meth:`Config.option`; each rule declares them in
``Rule.OPTIONS`` and documents them. A key or rule code nobody knows is an error, with a
suggestion (``selct`` -> ``select``), as in ruff: a typo must not silently do nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hffix.textio import DecodeError, decode

if TYPE_CHECKING:
    import pathspec

CORE_KEYS = frozenset({"select", "ignore", "exclude", "unsafe-fixes", "per-file-ignores"})
# Keys several rules read through Config.option (each rule's own are in Rule.OPTIONS).
SHARED_OPTIONS = frozenset({"test-paths"})
ALL = "ALL"  # in select or ignore: every rule


class ConfigError(Exception):
    """The repository's configuration cannot be used; the message is one line."""


def _gitwildmatch(patterns: Iterable[str]) -> pathspec.GitIgnoreSpec:
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)


@functools.lru_cache(maxsize=1024)
def _pattern(pattern: str) -> pathspec.GitIgnoreSpec:
    """One ``per-file-ignores`` pattern, compiled once: rules ask for every file."""
    return _gitwildmatch([pattern])


@dataclass(frozen=True)
class Config:
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    exclude: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, frozenset[str]] = field(default_factory=dict)
    unsafe_fixes: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)

    def enabled(self, code: str) -> bool:
        if ALL in self.ignore or code in self.ignore or _prefix_selected(code, self.ignore):
            return False
        if self.select is None or ALL in self.select:
            return True
        return code in self.select or _prefix_selected(code, self.select)

    def ignored_in(self, path: str, code: str) -> bool:
        """True when ``per-file-ignores`` silences ``code`` for the repository path ``path``."""
        if not self.per_file_ignores:  # most repositories: asked for every file by every rule
            return False
        return any(
            (ALL in codes or code in codes or _prefix_selected(code, codes))
            and _pattern(pattern).match_file(path)
            for pattern, codes in self.per_file_ignores.items()
        )

    def option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)

    def with_overrides(
        self,
        *,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] = (),
        extend_select: Iterable[str] = (),
        exclude: Iterable[str] = (),
        unsafe_fixes: bool | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> Config:
        """This configuration with a caller's settings over it: ``select`` replaces,
        ``extend_select`` adds to what is selected (nothing to add when all is), ``ignore``
        and ``exclude`` add."""
        check_keys(options or {}, "options")
        chosen = rule_codes(select, "select") if select is not None else self.select
        extra = rule_codes(extend_select, "extend-select")
        if chosen is not None and extra:
            chosen = chosen | extra
        return replace(
            self,
            select=chosen,
            ignore=self.ignore | rule_codes(ignore, "ignore"),
            exclude=(*self.exclude, *(inside_repository(p, "exclude") for p in exclude)),
            unsafe_fixes=self.unsafe_fixes if unsafe_fixes is None else unsafe_fixes,
            options={**self.options, **(options or {})},
        )


@functools.cache  # the rules are fixed once imported; every repository's reading asks
def _known_codes() -> tuple[str, ...]:
    from hffix.rules import ALL_RULES  # here: the rules import this module's users

    return tuple(rule.code for rule in ALL_RULES)


@functools.cache
def _known_keys() -> frozenset[str]:
    from hffix.rules import ALL_RULES

    return frozenset(CORE_KEYS | SHARED_OPTIONS).union(*(rule.OPTIONS for rule in ALL_RULES))


def _suggestion(word: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def rule_codes(codes: Iterable[str], where: str) -> frozenset[str]:
    """``codes`` upper-cased, each ``ALL``, a rule's code or a prefix of one (``HF00``);
    raises :class:`ConfigError` naming the first unknown one and the closest known code."""
    known = _known_codes()
    result: set[str] = set()
    for raw in codes:
        code = raw.strip().upper()
        if not code or (code != ALL and not any(k.startswith(code) for k in known)):
            hint = _suggestion(code, [*known, ALL]) or f" (known: {', '.join(known)}, ALL)"
            raise ConfigError(f"{where}: unknown rule code `{raw}`{hint}")
        result.add(code)
    return frozenset(result)


def check_keys(table: Mapping[str, Any], where: str) -> None:
    """Raise :class:`ConfigError` for a key no rule reads (with the closest known key)."""
    known = _known_keys()
    for key in table:
        if key.replace("_", "-") not in known:
            raise ConfigError(f"{where}: unknown key `{key}`{_suggestion(key, known)}")


def _prefix_selected(code: str, select: frozenset[str]) -> bool:
    return any(code.startswith(prefix) for prefix in select)


def _string_list(value: Any, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[tool.hffix] {key} must be a list of strings")
    return [str(v) for v in value]


def inside_repository(pattern: str, key: str) -> str:
    parts = pattern.replace("\\", "/").split("/")
    if pattern.startswith(("/", "~")) or ".." in parts:
        raise ConfigError(f"[tool.hffix] {key} entry {pattern!r} points outside the repository")
    return pattern


def read_tool_table(pyproject: Path) -> Mapping[str, Any]:
    """The ``[tool.hffix]`` table of ``pyproject`` as plain Python values ({} if absent)."""
    try:
        raw = pyproject.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"{pyproject.name}: cannot read: {exc.strerror}") from None
    import tomlkit  # imported here: a repository without pyproject.toml never needs it
    from tomlkit.exceptions import TOMLKitError

    try:
        text, _ = decode(raw, python=False)
        document = tomlkit.parse(text)
    except (DecodeError, TOMLKitError) as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(f"{pyproject.name}: invalid TOML: {first_line}") from None
    tool = document.unwrap().get("tool", {})
    table = tool.get("hffix", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject.name}: [tool.hffix] must be a table")
    return table


def load_config(root: Path) -> Config:
    """Read ``root/pyproject.toml``; raises :class:`ConfigError` for anything unusable."""
    return _from_table(read_tool_table(root / "pyproject.toml"))


def load_config_file(path: Path) -> Config:
    """The configuration in ``path``: a ``pyproject.toml``-style file's ``[tool.hffix]``,
    or, when it has no ``[tool]`` table (an ``hffix.toml``), its top level. A fleet run
    applies one configuration to repositories it does not own this way (``--config``)."""
    if not path.is_file():
        raise ConfigError(f"--config {path}: no such file")
    table = read_tool_table(path)
    if not table:
        table = _top_level_table(path)
    return _from_table(table)


def _top_level_table(path: Path) -> Mapping[str, Any]:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        text, _ = decode(path.read_bytes(), python=False)
        document = tomlkit.parse(text).unwrap()
    except (OSError, DecodeError, TOMLKitError) as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(f"{path.name}: invalid TOML: {first_line}") from None
    return {} if "tool" in document else document


def _from_table(table: Mapping[str, Any]) -> Config:
    check_keys(table, "[tool.hffix]")
    select = table.get("select")
    per_file: dict[str, frozenset[str]] = {}
    raw_per_file = table.get("per-file-ignores", {})
    if not isinstance(raw_per_file, dict):
        raise ConfigError("[tool.hffix] per-file-ignores must be a table")
    for pattern, codes in raw_per_file.items():
        inside_repository(pattern, "per-file-ignores")
        per_file[pattern] = rule_codes(
            _string_list(codes, "per-file-ignores"), "[tool.hffix] per-file-ignores"
        )
    unsafe = table.get("unsafe-fixes", False)
    if not isinstance(unsafe, bool):
        raise ConfigError("[tool.hffix] unsafe-fixes must be true or false")
    return Config(
        select=(
            rule_codes(_string_list(select, "select"), "[tool.hffix] select")
            if select is not None
            else None
        ),
        ignore=rule_codes(_string_list(table.get("ignore", []), "ignore"), "[tool.hffix] ignore"),
        exclude=tuple(
            inside_repository(p, "exclude")
            for p in _string_list(table.get("exclude", []), "exclude")
        ),
        per_file_ignores=per_file,
        unsafe_fixes=unsafe,
        options={k: v for k, v in table.items() if k not in CORE_KEYS},
    )
