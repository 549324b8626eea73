"""Reading a Dockerfile for what a Python Space must keep: packages, variables, the command.

Only what HF006 harvests is understood: instructions (continuations joined, comments and
parser directives skipped), ``ENV`` in both forms, ``RUN`` shell commands split at ``&&``,
``||``, ``;`` and ``|``, and within them ``pip install`` and ``apt-get``/``apt install``.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass

_ESCAPE_DIRECTIVE = re.compile(r"^#\s*escape\s*=\s*(\S)", re.IGNORECASE)
_INSTRUCTION = re.compile(r"^\s*([A-Za-z]+)(?:\s+(.*))?$", re.DOTALL)
_SHELL_SPLIT = re.compile(r"\s*(?:&&|\|\||;|\|)\s*")
# pip options that take a value (the value is not a package).
_PIP_VALUE_OPTIONS = frozenset(
    {
        "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target",
        "--prefix", "--root", "--src", "--trusted-host", "--platform", "--python-version",
        "--implementation", "--abi", "--progress-bar", "--cache-dir", "--log", "--timeout",
        "--retries", "--proxy", "--cert", "--client-cert", "--upgrade-strategy",
        "--config-settings", "-C", "--global-option", "--no-binary", "--only-binary",
    }
)  # fmt: skip
_PIP_FILE_OPTIONS = frozenset({"-r", "--requirement", "-c", "--constraint", "-e", "--editable"})
_APT_VALUE_OPTIONS = frozenset({"-o", "--option", "-t", "--target-release", "-c"})


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case
    argument: str  # continuations joined
    line: int  # 1-based line of the keyword


@dataclass(frozen=True)
class Harvest:
    """What a Dockerfile said that the Space still needs."""

    pip_packages: list[tuple[str, int]]  # requirement text, line
    pip_files: list[tuple[str, int]]  # -r files named by RUN pip install
    apt_packages: list[tuple[str, int]]
    alpine_packages: list[tuple[str, int]]  # apk add: Alpine names, not Debian's
    env: list[tuple[str, str, int]]  # name, value, line
    commands: list[Instruction]  # CMD / ENTRYPOINT / WORKDIR


def instructions(text: str) -> Iterator[Instruction]:
    escape = "\\"
    lines = text.splitlines()
    for raw in lines[:5]:
        match = _ESCAPE_DIRECTIVE.match(raw.strip())
        if match:
            escape = match.group(1)
    buffer: list[str] = []
    start = 0
    for number, raw in enumerate(lines, 1):
        stripped = raw.strip()
        if not buffer and (not stripped or stripped.startswith("#")):
            continue
        if buffer and stripped.startswith("#"):
            continue  # comment lines inside a continued instruction
        if not buffer:
            start = number
        if stripped.endswith(escape):
            buffer.append(stripped[: -len(escape)])
            continue
        buffer.append(stripped)
        joined = " ".join(part for part in buffer if part)
        buffer = []
        match = _INSTRUCTION.match(joined)
        if match:
            yield Instruction(match.group(1).upper(), (match.group(2) or "").strip(), start)
    if buffer:
        match = _INSTRUCTION.match(" ".join(buffer))
        if match:
            yield Instruction(match.group(1).upper(), (match.group(2) or "").strip(), start)


def _env_pairs(argument: str) -> list[tuple[str, str]]:
    try:
        words = shlex.split(argument, posix=True)
    except ValueError:
        words = argument.split()
    if words and "=" not in words[0]:
        # Legacy form: ENV NAME value with spaces
        return [(words[0], " ".join(words[1:]))]
    pairs = []
    for word in words:
        name, _, value = word.partition("=")
        if name:
            pairs.append((name, value))
    return pairs


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command, posix=True)
    except ValueError:
        return command.split()


def _pip_install(words: list[str]) -> tuple[list[str], list[str]] | None:
    """(packages, requirement files) when ``words`` is a pip install command."""
    index = 0
    while index < len(words) and "=" in words[index] and not words[index].startswith("-"):
        index += 1  # VAR=value prefixes
    words = words[index:]
    if not words:
        return None
    head = words[0].rsplit("/", 1)[-1]
    rest: list[str]
    if head in {"pip", "pip3"} or re.fullmatch(r"pip3\.\d+", head):
        rest = words[1:]
    elif re.fullmatch(r"python(?:3(?:\.\d+)?)?", head) and words[1:3] == ["-m", "pip"]:
        rest = words[3:]
    elif head == "uv" and words[1:2] == ["pip"]:
        rest = words[2:]
    else:
        return None
    if not rest or rest[0] != "install":
        return None
    packages: list[str] = []
    files: list[str] = []
    skip_next = False
    file_next = False
    for word in rest[1:]:
        if skip_next:
            skip_next = False
            continue
        if file_next:
            files.append(word)
            file_next = False
            continue
        if word in _PIP_FILE_OPTIONS:
            file_next = word in {"-r", "--requirement"}
            skip_next = not file_next
            continue
        if word.startswith("-"):
            option = word.split("=", 1)[0]
            if option in _PIP_VALUE_OPTIONS and "=" not in word:
                skip_next = True
            if option in {"-r", "--requirement"} and "=" in word:
                files.append(word.split("=", 1)[1])
            continue
        if word in {".", ".."} or word.startswith(("./", "/", "../")) or word.endswith(".whl"):
            continue
        packages.append(word)
    return packages, files


def _apt_install(words: list[str]) -> list[str] | None:
    if not words:
        return None
    head = words[0].rsplit("/", 1)[-1]
    if head not in {"apt-get", "apt"} or "install" not in words:
        return None
    packages: list[str] = []
    skip_next = False
    for word in words[words.index("install") + 1 :]:
        if skip_next:
            skip_next = False
            continue
        if word.startswith("-"):
            skip_next = word in _APT_VALUE_OPTIONS
            continue
        packages.append(word.split("=", 1)[0])
    return packages


def harvest(text: str) -> Harvest:
    result = Harvest([], [], [], [], [], [])
    for instruction in instructions(text):
        if instruction.keyword == "ENV":
            for name, value in _env_pairs(instruction.argument):
                result.env.append((name, value, instruction.line))
        elif instruction.keyword in {"CMD", "ENTRYPOINT", "WORKDIR"}:
            result.commands.append(instruction)
        elif instruction.keyword == "RUN":
            argument = instruction.argument
            if argument.startswith("["):
                argument = " ".join(re.findall(r'"((?:[^"\\]|\\.)*)"', argument))
            for command in _SHELL_SPLIT.split(argument):
                words = _words(command)
                pip = _pip_install(words)
                if pip is not None:
                    result.pip_packages.extend((p, instruction.line) for p in pip[0])
                    result.pip_files.extend((f, instruction.line) for f in pip[1])
                    continue
                apt = _apt_install(words)
                if apt is not None:
                    result.apt_packages.extend((p, instruction.line) for p in apt)
                    continue
                if words[:2] == ["apk", "add"]:
                    result.alpine_packages.extend(
                        (w, instruction.line) for w in words[2:] if not w.startswith("-")
                    )
    return result
