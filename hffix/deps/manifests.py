"""Runtime dependencies declared outside requirements files, as PEP 508 requirement lines.

* ``pyproject.toml`` ``[project] dependencies`` (PEP 621) are already PEP 508.
* ``[tool.poetry.dependencies]`` uses Poetry's constraint language; :func:`poetry_constraint`
  converts it exactly: ``^1.2.3`` -> ``>=1.2.3,<2.0.0``, ``^0.2.3`` -> ``>=0.2.3,<0.3.0``,
  ``~1.2`` -> ``>=1.2,<1.3``, ``*`` -> any, ``1.2.3`` -> ``==1.2.3``; table forms keep
  ``extras``, ``markers``, ``python`` and ``platform``; ``optional = true`` entries belong to an
  extra and are left out, as are git/url/path sources that cannot be expressed portably.
* ``Pipfile`` ``[packages]``: versions are PEP 440 already (``"*"`` = any).
* ``setup.py``: the ``install_requires`` of its ``setup(...)`` call when it is written out
  (a list of strings, or a module-level name bound to one); ``setup_requires`` is what
  builds the project, not what runs it.

Optional dependencies, dependency groups and dev dependencies (uv, PDM, Hatch, Poetry groups,
Pipfile ``[dev-packages]``, ``extras_require``, ``tests_require``) are not what the Space
runs and are left out.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_VERSION = re.compile(r"^\s*v?(?P<release>\d+(?:\.\d+)*)(?P<rest>[^\s,]*)\s*$")
_OPERATOR = re.compile(r"^\s*(===|==|!=|~=|<=|>=|<|>)\s*(\S+)\s*$")


class ConversionError(ValueError):
    """A constraint with no exact PEP 440 equivalent; the message says which."""


@dataclass
class Declared:
    """Requirement lines a manifest declares, and what could not be converted."""

    source: str  # e.g. "pyproject.toml ([tool.poetry.dependencies])"
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _bump(release: list[int], index: int) -> str:
    upper = [*release[:index], release[index] + 1]
    upper += [0] * (len(release) - len(upper))
    return ".".join(str(p) for p in upper)


def _caret(version: str) -> str:
    match = _VERSION.match(version)
    if match is None:
        raise ConversionError(f"`^{version}` is not a version")
    release = [int(p) for p in match["release"].split(".")]
    # The left-most non-zero part may not change; all zeros: the last part may (^0.0 -> <0.1).
    index = next((i for i, p in enumerate(release) if p != 0), len(release) - 1)
    return f">={version.strip().lstrip('v')},<{_bump(release, index)}"


def _tilde(version: str) -> str:
    match = _VERSION.match(version)
    if match is None:
        raise ConversionError(f"`~{version}` is not a version")
    release = [int(p) for p in match["release"].split(".")]
    index = 0 if len(release) == 1 else 1
    return f">={version.strip().lstrip('v')},<{_bump(release, index)}"


def poetry_constraint(constraint: str) -> str:
    """Poetry's version constraint as a PEP 440 specifier ('' = any version)."""
    text = constraint.strip()
    if "||" in text or "|" in text:
        raise ConversionError(f"`{constraint}` is an OR of ranges, which PEP 440 cannot express")
    if text in {"", "*"}:
        return ""
    specs: list[str] = []
    for part in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", text):
        part = part.strip()
        if not part or part == "*":
            continue
        if part.startswith("^"):
            specs.append(_caret(part[1:]))
        elif part.startswith("~") and not part.startswith("~="):
            specs.append(_tilde(part[1:]))
        elif _OPERATOR.match(part):
            operator = _OPERATOR.match(part)
            assert operator is not None
            specs.append(f"{operator[1]}{operator[2]}")
        elif _VERSION.match(part) or re.match(r"^\d+(\.\d+)*\.\*$", part):
            specs.append(f"=={part}")
        else:
            raise ConversionError(f"`{constraint}` is not a Poetry version constraint")
    return ",".join(specs)


def _python_marker(constraint: str) -> str:
    specifier = poetry_constraint(constraint)
    clauses = []
    for spec in specifier.split(","):
        if not spec:
            continue
        match = re.match(r"^(===|==|!=|~=|<=|>=|<|>)(.+)$", spec)
        assert match is not None
        variable = "python_full_version" if match[2].count(".") >= 2 else "python_version"
        clauses.append(f'{variable} {match[1]} "{match[2]}"')
    return " and ".join(clauses)


def _joined_markers(*markers: str) -> str:
    present = [m for m in markers if m]
    if len(present) <= 1:
        return present[0] if present else ""
    return " and ".join(f"({m})" for m in present)


def _requirement(name: str, specifier: str, extras: list[str], marker: str) -> str:
    from packaging.requirements import Requirement

    extra_text = f"[{','.join(extras)}]" if extras else ""
    line = f"{name}{extra_text}{specifier}"
    if marker:
        line += f"; {marker}"
    Requirement(line)  # raises InvalidRequirement for anything malformed
    return line


def _poetry_entry(name: str, value: Any, out: Declared) -> None:
    if isinstance(value, list):
        for item in value:
            _poetry_entry(name, item, out)
        return
    if isinstance(value, str):
        out.lines.append(_requirement(name, poetry_constraint(value), [], ""))
        return
    if not isinstance(value, Mapping):
        out.problems.append(f"`{name}`: unexpected value {value!r}")
        return
    if value.get("optional"):
        return
    if "git" in value or "url" in value:
        url = str(value.get("url") or value["git"])
        if "git" in value:
            ref = value.get("rev") or value.get("tag") or value.get("branch")
            url = f"git+{url}" + (f"@{ref}" if ref else "")
        marker = _joined_markers(
            str(value.get("markers", "")),
            _python_marker(str(value["python"])) if "python" in value else "",
        )
        out.lines.append(f"{name} @ {url}" + (f" ; {marker}" if marker else ""))
        return
    if "path" in value:
        out.problems.append(f"`{name}` comes from the local path `{value['path']}`; add it by hand")
        return
    platform = f'sys_platform == "{value["platform"]}"' if "platform" in value else ""
    marker = _joined_markers(
        str(value.get("markers", "")),
        _python_marker(str(value["python"])) if "python" in value else "",
        platform,
    )
    extras = [str(e) for e in value.get("extras", [])]
    specifier = poetry_constraint(str(value.get("version", "*")))
    out.lines.append(_requirement(name, specifier, extras, marker))


def load_toml(text: str) -> dict[str, Any] | None:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        document: dict[str, Any] = tomlkit.parse(text).unwrap()
    except TOMLKitError:
        return None
    return document


def pyproject_dependencies(path: str, text: str) -> list[Declared]:
    """What ``pyproject.toml`` declares for runtime: PEP 621 and Poetry tables."""
    from packaging.requirements import InvalidRequirement, Requirement

    document = load_toml(text)
    if document is None:
        return [Declared(path, problems=["not valid TOML; its dependencies were not read"])]
    result: list[Declared] = []
    project = document.get("project")
    if isinstance(project, Mapping) and isinstance(project.get("dependencies"), list):
        declared = Declared(f"{path} ([project] dependencies)")
        for item in project["dependencies"]:
            try:
                Requirement(str(item))
                declared.lines.append(str(item))
            except InvalidRequirement as exc:
                declared.problems.append(f"`{item}` is not a valid requirement: {exc}")
        result.append(declared)
    tool = document.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, Mapping) else None
    dependencies = poetry.get("dependencies") if isinstance(poetry, Mapping) else None
    if isinstance(dependencies, Mapping):
        declared = Declared(f"{path} ([tool.poetry.dependencies])")
        for name, value in dependencies.items():
            if str(name).lower() == "python":
                continue
            try:
                _poetry_entry(str(name), value, declared)
            except (ConversionError, InvalidRequirement) as exc:
                declared.problems.append(f"`{name}`: {exc}")
        result.append(declared)
    return result


def pipfile_packages(path: str, text: str) -> Declared:
    """``[packages]`` of a Pipfile as requirement lines."""
    from packaging.requirements import InvalidRequirement

    declared = Declared(f"{path} ([packages])")
    document = load_toml(text)
    if document is None:
        declared.problems.append("not valid TOML; its packages were not read")
        return declared
    packages = document.get("packages", {})
    if not isinstance(packages, Mapping):
        return declared
    marker_keys = ("os_name", "sys_platform", "platform_machine", "python_version")
    for name, value in packages.items():
        try:
            if isinstance(value, str):
                declared.lines.append(
                    _requirement(str(name), "" if value == "*" else value, [], "")
                )
                continue
            if not isinstance(value, Mapping):
                declared.problems.append(f"`{name}`: unexpected value {value!r}")
                continue
            if "path" in value or "file" in value:
                declared.problems.append(f"`{name}` comes from a local path; add it by hand")
                continue
            if "git" in value:
                ref = value.get("ref")
                url = f"git+{value['git']}" + (f"@{ref}" if ref else "")
                declared.lines.append(f"{name} @ {url}")
                continue
            version = str(value.get("version", "*"))
            marker = _joined_markers(
                str(value.get("markers", "")),
                *(f"{key} {value[key]}" for key in marker_keys if key in value),
            )
            extras = [str(e) for e in value.get("extras", [])]
            line = _requirement(str(name), "" if version == "*" else version, extras, marker)
            declared.lines.append(line)
        except InvalidRequirement as exc:
            declared.problems.append(f"`{name}`: {exc}")
    return declared


def setup_py_requirements(path: str, text: str) -> Declared | None:
    """``install_requires`` of a ``setup.py``, or ``None`` when it has no such list written
    out (computed from a file, which is then merged itself, or not there at all)."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    lists: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                lists[target.id] = node.value
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or _call_name(call.func) != "setup":
            continue
        for keyword in call.keywords:
            if keyword.arg != "install_requires":
                continue
            value = keyword.value
            if isinstance(value, ast.Name):
                value = lists.get(value.id, value)
            items = _strings(value)
            if items is None:
                return None
            declared = Declared(f"{path} (install_requires)")
            for item in items:
                try:
                    Requirement(item)
                    declared.lines.append(item)
                except InvalidRequirement as exc:
                    declared.problems.append(f"`{item}` is not a valid requirement: {exc}")
            return declared
    return None


def _call_name(function: ast.expr) -> str:
    if isinstance(function, ast.Name):
        return function.id
    return function.attr if isinstance(function, ast.Attribute) else ""


def _strings(node: ast.expr) -> list[str] | None:
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    items = []
    for element in node.elts:
        if not isinstance(element, ast.Constant) or not isinstance(element.value, str):
            return None
        items.append(element.value)
    return items
