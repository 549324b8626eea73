"""Dockerfiles, parsed once for every reader (HF001's run commands, HF006/HF007's harvest).

:func:`parse` reads a Dockerfile the way BuildKit does, as far as hffix needs it:

- parser directives at the top (``# escape=`` changes the line-continuation character),
  comment lines (also inside a continued instruction), continuation lines joined, and
  here-documents (``RUN <<EOF`` ... ``EOF``) attached to their instruction;
- build stages, ``FROM image [AS name]``: a stage built ``FROM`` an earlier stage starts
  with that stage's state (variables, ``WORKDIR``, copies, ``CMD`` and ``ENTRYPOINT``), as
  in Docker; setting ``ENTRYPOINT`` drops an inherited ``CMD``;
- ``ENV`` (both forms) and ``ARG`` (a default never overrides an ``ENV``; a bare ``ARG``
  takes the global default declared before the first ``FROM``), with ``$VAR``, ``${VAR}``
  and ``${VAR:-default}`` expanded in later values, in ``WORKDIR`` and in ``COPY``
  destinations (an unknown variable is left as written);
- ``WORKDIR`` (a relative one is joined to the one in force); ``COPY``/``ADD`` from the
  build context (sources as written, globs and URLs left out) or from another stage or
  image (``--from``, and ``RUN --mount=...,from=``); ``RUN`` with the working folder and
  the copies in force; ``CMD`` and ``ENTRYPOINT`` in exec and shell form.

Which stage runs the app (:meth:`Dockerfile.run_stage`) and which stages its image is made
of (:meth:`Dockerfile.reached`) say what a harvest may take from a multi-stage build.
Nothing here knows the repository: mapping image paths back to it is the reader's job.
"""

from __future__ import annotations

import json
import posixpath
import re
import shlex
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

_DIRECTIVE = re.compile(r"^#\s*([A-Za-z][\w-]*)\s*=\s*(\S+)\s*$")
_INSTRUCTION = re.compile(r"^\s*([A-Za-z]+)(?:\s+(.*))?$", re.DOTALL)
_HEREDOC = re.compile(r"(?<!<)<<(?!<)(-?)([\"']?)([A-Za-z_][\w.-]*)\2")
_VARIABLE = re.compile(r"\$\{([A-Za-z_]\w*)(?:(:?-)([^}]*))?\}|\$([A-Za-z_]\w*)")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_MOUNT_FROM = re.compile(r"(?:^|,)from=([^,\s]+)")
# Dockerfile names: `Dockerfile`, `Dockerfile.dev`, `Dockerfilefront.dev`, `Dockerfile-api`,
# `api.Dockerfile`, `prod-dockerfile`, Podman's `Containerfile`, in any case...
_NAME = re.compile(
    r"(^|/)((docker|container)file[^/]*|[^/]*[._-](docker|container)file)$", re.IGNORECASE
)
# ...but not documentation, scripts, data, templates or a Dockerfile's own ignore file.
_NOT_A_DOCKERFILE = re.compile(
    r"\.(md|markdown|rst|adoc|txt|html?|py|sh|ps1|bat|cmd|json|ya?ml|toml|ini|cfg|lock|ipynb|"
    r"j2|jinja2?|tmpl|tpl|template|dockerignore|orig|bak|swp|png|svg)$",
    re.IGNORECASE,
)
# A CMD or ENTRYPOINT that starts the app: a server, Python itself or a script; one that runs
# tests does not (a `test` stage after the one that serves).
_STARTS_APP = re.compile(
    r"(^|[\s/\"'])(uvicorn|gunicorn|hypercorn|granian|daphne|fastapi|python[\d.]*)(\s|$)"
    r"|[\w.-]\.(sh|py)\b"
)
_RUNS_TESTS = re.compile(r"\b(pytest|tox|nox|unittest|coverage)\b")


def is_dockerfile(path: str) -> bool:
    """Whether the repository path ``path`` names a Dockerfile (see :data:`_NAME`)."""
    return _NAME.search(path) is not None and _NOT_A_DOCKERFILE.search(path) is None


_COMPOSE = re.compile(r"(^|/)(docker-)?compose([.-][^/]*)?\.ya?ml$", re.IGNORECASE)


def is_docker_file(path: str) -> bool:
    """A Dockerfile, a ``.dockerignore`` (``Dockerfile.dockerignore`` too) or a compose file."""
    return (
        is_dockerfile(path)
        or path.lower().endswith(".dockerignore")
        or _COMPOSE.search(path) is not None
    )


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case
    argument: str  # continuations joined
    line: int  # 1-based line of the keyword
    heredocs: tuple[str, ...] = ()  # bodies of its here-documents, in order


@dataclass(frozen=True)
class Copy:
    """A ``COPY``/``ADD`` from the build context: what lands where in the image."""

    sources: tuple[str, ...]  # as written, relative to the build context
    destination: str  # absolute path in the image (WORKDIR and variables applied)
    into: bool  # the destination is a folder the sources go into (ends with / or several)
    line: int = 0


@dataclass(frozen=True)
class Command:
    """A ``CMD`` or ``ENTRYPOINT``: exec form (``words``) or shell form (``text``)."""

    instruction: Instruction
    words: tuple[str, ...] | None  # the exec form's words; None for the shell form

    @property
    def line(self) -> int:
        return self.instruction.line

    @property
    def text(self) -> str:
        """The shell form as written, or the exec form's words joined as a shell line."""
        return shlex.join(self.words) if self.words is not None else self.instruction.argument


@dataclass(frozen=True)
class Run:
    """A ``RUN`` instruction with the state it runs in."""

    instruction: Instruction
    workdir: str  # absolute, in the image
    copies: tuple[Copy, ...]  # copies from the build context so far (inherited ones first)

    @property
    def line(self) -> int:
        return self.instruction.line

    def scripts(self) -> list[str]:
        """The shell text it runs: the command line (exec form words joined) and, for a
        here-document fed to the shell (``RUN <<EOF``, ``RUN bash <<EOF``), its lines."""
        argument = _without_mount_options(self.instruction.argument)
        if argument.startswith("["):
            return [" ".join(_QUOTED.findall(argument))]
        if not self.instruction.heredocs:
            return [argument]
        command = _HEREDOC.sub("", argument).strip()
        words = command.split()
        fed_to_shell = not words or posixpath.basename(words[0]) in {"sh", "bash", "ash", "dash"}
        scripts = [command] if command and not fed_to_shell else []
        if fed_to_shell:
            for body in self.instruction.heredocs:
                joined = re.sub(r"\s*\\\n\s*", " ", body)  # continued lines of the script
                scripts.extend(line.strip() for line in joined.splitlines() if line.strip())
        return scripts


@dataclass
class Stage:
    """One build stage: ``FROM`` up to the next ``FROM``."""

    index: int  # 0 is what comes before the first FROM (global ARGs)
    name: str | None  # the `AS` name, lower case
    base: str  # the image or stage it is built FROM, variables expanded ("" for stage 0)
    line: int
    parent: int | None = None  # index of the earlier stage it is built FROM
    workdir: str = "/"
    env: dict[str, str] = field(default_factory=dict)  # variables in force, expanded
    env_lines: list[tuple[str, str, int]] = field(default_factory=list)  # own ENV, as written
    copies: list[Copy] = field(default_factory=list)  # from the build context
    runs: list[Run] = field(default_factory=list)  # its own RUN instructions
    workdirs: list[Instruction] = field(default_factory=list)  # its own WORKDIR instructions
    cmd: Command | None = None  # in force (its own, or inherited through FROM)
    entrypoint: Command | None = None
    sources: list[str] = field(default_factory=list)  # COPY --from / RUN --mount from=


@dataclass(frozen=True)
class Dockerfile:
    stages: list[Stage]

    def stage(self, reference: str) -> Stage | None:
        """The stage an ``AS`` name (or a stage number) refers to, if it is one."""
        key = reference.lower()
        for stage in self.stages[1:]:
            if stage.name == key or (key.isdigit() and stage.index == int(key) + 1):
                return stage
        return None

    def last_with_command(self) -> Stage | None:
        """The last stage with a ``CMD`` or ``ENTRYPOINT`` in force."""
        return next((s for s in reversed(self.stages) if s.cmd or s.entrypoint), None)

    def run_stage(self) -> Stage:
        """The stage whose image runs the app: the last one whose ``CMD``/``ENTRYPOINT``
        starts a server, Python or a script, else the last with any command (a ``test``
        stage running pytest after it is not), else the last stage."""
        for stage in reversed(self.stages):
            command = stage.entrypoint or stage.cmd
            if command is not None and _starts_app(command):
                return stage
        return self.last_with_command() or self.stages[-1]

    def lineage(self, stage: Stage) -> list[Stage]:
        """``stage`` and the stages it is built ``FROM``, oldest first."""
        chain = [stage]
        while chain[-1].parent is not None:
            chain.append(self.stages[chain[-1].parent])
        return chain[::-1]

    def reached(self, stage: Stage) -> list[Stage]:
        """The stages ``stage``'s image is made of: its lineage and, transitively, the
        stages it copies or mounts files from; in file order."""
        seen: set[int] = set()
        todo = [stage]
        while todo:
            current = todo.pop()
            if current.index in seen:
                continue
            seen.add(current.index)
            for member in self.lineage(current):
                todo.append(member)
                for source in member.sources:
                    found = self.stage(source)
                    if found is not None:
                        todo.append(found)
        return [s for s in self.stages if s.index in seen]


def _starts_app(command: Command) -> bool:
    text = command.text
    return _STARTS_APP.search(text) is not None and _RUNS_TESTS.search(text) is None


def exec_form(argument: str) -> list[str] | None:
    """The words of an exec-form argument (``["uvicorn", "main:app"]``), or None."""
    if not argument.startswith("["):
        return None
    try:
        value = json.loads(argument)
    except ValueError:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [str(v) for v in value]
    return None


def expand(value: str, env: Mapping[str, str]) -> str:
    """``value`` with ``$VAR``, ``${VAR}`` and ``${VAR:-default}`` replaced from ``env``."""

    def sub(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(4)
        operator, default = match.group(2), match.group(3) or ""
        if name in env and not (operator == ":-" and env[name] == ""):
            return env[name]
        return default if operator else match.group(0)

    return _VARIABLE.sub(sub, value)


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text, posix=True)
    except ValueError:
        return text.split()


def _escape_character(lines: list[str]) -> str:
    """The escape character the parser directives at the top set (``\\`` by default)."""
    escape = "\\"
    for raw in lines:
        match = _DIRECTIVE.match(raw.strip().lstrip("\ufeff"))
        if match is None:
            break
        if match.group(1).lower() == "escape":
            escape = match.group(2)[0]
    return escape


def instructions(text: str) -> Iterator[Instruction]:
    """Every instruction of a Dockerfile, continuations joined, comments skipped."""
    lines = text.splitlines()
    escape = _escape_character(lines)
    buffer: list[str] = []
    start = 0
    index = 0
    while index < len(lines):
        number, stripped = index + 1, lines[index].strip()
        index += 1
        if not buffer and (not stripped or stripped.startswith("#")):
            continue
        if buffer and stripped.startswith("#"):
            continue  # comment lines inside a continued instruction
        if not buffer:
            start = number
        if stripped.endswith(escape):
            buffer.append(stripped[: -len(escape)].rstrip())
            continue
        buffer.append(stripped)
        instruction, index = _instruction(buffer, start, lines, index)
        buffer = []
        if instruction is not None:
            yield instruction
    if buffer:
        instruction, _ = _instruction(buffer, start, lines, len(lines))
        if instruction is not None:
            yield instruction


def _instruction(
    parts: list[str], start: int, lines: list[str], index: int
) -> tuple[Instruction | None, int]:
    """The instruction of the joined ``parts`` and the index of the line after it (past its
    here-documents, each read only when its terminator is found)."""
    match = _INSTRUCTION.match(" ".join(part for part in parts if part))
    if match is None:
        return None, index
    keyword, argument = match.group(1).upper(), (match.group(2) or "").strip()
    bodies: list[str] = []
    if keyword in {"RUN", "COPY", "ADD"} and "<<" in argument:
        for heredoc in _HEREDOC.finditer(argument):
            strip_tabs, word = heredoc.group(1) == "-", heredoc.group(3)
            body: list[str] = []
            for end in range(index, len(lines)):
                line = lines[end].lstrip("\t") if strip_tabs else lines[end]
                if line.strip() == word:
                    bodies.append("\n".join(body))
                    index = end + 1
                    break
                body.append(line)
            else:
                break  # no terminator: not a here-document after all
    return Instruction(keyword, argument, start, tuple(bodies)), index


def _without_mount_options(argument: str) -> str:
    """A ``RUN`` argument without its leading ``--mount=``/``--network=``... flags."""
    words = argument.split(" ")
    while words and words[0].startswith("--"):
        words.pop(0)
    return " ".join(words).strip()


def _env_pairs(argument: str) -> list[tuple[str, str]]:
    words = _split(argument)
    if words and "=" not in words[0]:
        # Legacy form: ENV NAME value with spaces
        return [(words[0], " ".join(words[1:]))] if len(words) >= 2 else []
    pairs = []
    for word in words:
        name, equals, value = word.partition("=")
        if name and equals:
            pairs.append((name, value))
    return pairs


def _copy(argument: str, stage: Stage, line: int) -> Copy | None:
    """A ``COPY``/``ADD`` from the build context, or None (``--from`` is recorded)."""
    words = exec_form(argument)
    if words is None:
        words = _QUOTED.findall(argument) if argument.startswith("[") else _split(argument)
    for word in words:
        if word.startswith("--from="):
            stage.sources.append(word.partition("=")[2])
            return None
    args = [w for w in words if not w.startswith("--")]
    if len(args) < 2:
        return None
    *sources, destination = args
    kept = tuple(s for s in sources if "://" not in s and not any(c in s for c in "*?["))
    if not kept:
        return None
    destination = expand(destination, stage.env)
    into = destination.endswith("/") or len(sources) > 1
    absolute = posixpath.normpath(posixpath.join(stage.workdir, destination))
    return Copy(kept, absolute, into, line)


def _new_stage(instruction: Instruction, stages: list[Stage], global_args: dict[str, str]) -> Stage:
    words = [w for w in instruction.argument.split() if not w.startswith("--")]
    base = expand(words[0], global_args) if words else ""
    name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
    stage = Stage(len(stages), name, base, instruction.line)
    parent = Dockerfile(stages).stage(base) if base and not base.isdigit() else None
    if parent is not None:
        stage.parent = parent.index
        stage.workdir = parent.workdir
        stage.env = dict(parent.env)
        stage.copies = list(parent.copies)
        stage.cmd, stage.entrypoint = parent.cmd, parent.entrypoint
    return stage


def parse(text: str) -> Dockerfile:
    """The stages of a Dockerfile (see the module's documentation)."""
    stages = [Stage(0, None, "", 0)]
    global_args: dict[str, str] = {}
    inherited_cmd: set[int] = set()  # stages whose CMD came with FROM
    for instruction in instructions(text):
        keyword, argument, line = instruction.keyword, instruction.argument, instruction.line
        stage = stages[-1]
        if keyword == "FROM":
            stage = _new_stage(instruction, stages, global_args)
            stages.append(stage)
            if stage.cmd is not None:
                inherited_cmd.add(stage.index)
        elif keyword == "ENV":
            for name, value in _env_pairs(argument):
                stage.env_lines.append((name, value, line))
                stage.env[name] = expand(value, stage.env)
        elif keyword == "ARG":
            for name, value, has_default in _arg_pairs(argument):
                if stage.index == 0:
                    if has_default:  # a global default, for FROM lines and bare ARGs
                        global_args[name] = stage.env[name] = expand(value, stage.env)
                elif name in stage.env:
                    continue  # an ENV (or an earlier ARG) of that name wins
                elif has_default:
                    stage.env[name] = expand(value, stage.env)
                elif name in global_args:
                    stage.env[name] = global_args[name]
        elif keyword == "WORKDIR":
            target = expand(argument.strip(), stage.env)
            stage.workdir = posixpath.normpath(posixpath.join(stage.workdir, target))
            stage.workdirs.append(instruction)
        elif keyword in {"COPY", "ADD"}:
            copy = _copy(argument, stage, line)
            if copy is not None:
                stage.copies.append(copy)
        elif keyword == "RUN":
            for mount in re.findall(r"--mount=(\S+)", argument):
                stage.sources.extend(_MOUNT_FROM.findall(mount))
            stage.runs.append(Run(instruction, stage.workdir, tuple(stage.copies)))
        elif keyword in {"CMD", "ENTRYPOINT"}:
            words = exec_form(argument)
            command = Command(instruction, tuple(words) if words is not None else None)
            if keyword == "CMD":
                stage.cmd = command
                inherited_cmd.discard(stage.index)
            else:
                stage.entrypoint = command
                if stage.index in inherited_cmd:  # Docker resets an inherited CMD
                    stage.cmd = None
                    inherited_cmd.discard(stage.index)
    return Dockerfile(stages)


def _arg_pairs(argument: str) -> list[tuple[str, str, bool]]:
    """``ARG NAME[=default] ...``: (name, default, whether a default is given)."""
    pairs = []
    for word in _split(argument):
        name, equals, value = word.partition("=")
        if re.fullmatch(r"[A-Za-z_]\w*", name):
            pairs.append((name, value, bool(equals)))
    return pairs


def build_context(
    parsed: Dockerfile, folder: str, exists: Callable[[str], bool], holds_files: bool = True
) -> str:
    """The repository folder the Dockerfile is built from: its own ``folder``, unless none
    of its ``COPY`` sources is there but some are at the repository root (a
    ``docker/api/Dockerfile`` built with the root as context, ``COPY backend /srv``).
    ``holds_files``: whether ``folder`` holds anything but Docker files; if not, ``COPY .``
    cannot mean it. ``exists`` says which repository paths are files or folders."""
    sources = [s for stage in parsed.stages for c in stage.copies for s in c.sources]
    if not folder or not sources:
        return folder

    def found(base: str) -> bool:
        for source in sources:
            path = posixpath.normpath(posixpath.join(base, source.strip("/") or "."))
            if path == base and base == folder and not holds_files:
                continue
            if not path.startswith("..") and exists("" if path == "." else path):
                return True
        return False

    return "" if not found(folder) and found("") else folder
