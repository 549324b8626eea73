"""How a repository says it starts: run commands and the server launches inside them.

Sources, read from the current workspace view (HF006 deletes Dockerfiles later, so HF001
reads them first):

- Dockerfiles (``Dockerfile``, any case, ``Dockerfile.*``, ``*.Dockerfile``): the last
  stage's ``ENTRYPOINT``/``CMD`` (exec and shell form), ``WORKDIR``, ``ENV PYTHONPATH`` and
  ``COPY``/``ADD`` so that container paths map back to repository folders; a script the
  container runs (``CMD ["./start.sh"]``) is read with the container's working folder.
- ``Procfile`` lines, ``Makefile`` recipes (simple ``$(VAR)`` definitions expanded), shell
  scripts (``cd`` followed, ``cd "$(dirname "$0")"`` understood), ``[project.scripts]`` and
  ``[tool.poetry.scripts]`` in ``pyproject.toml``.

A :class:`Launch` is one server or Python program a command starts: ``uvicorn``,
``gunicorn``, ``hypercorn``, ``granian``, ``daphne`` (``MODULE:ATTR``, ``--factory``,
``create_app()``, ``--app-dir``, ``--chdir``, ``--pythonpath``), ``fastapi run|dev [PATH]``,
``python -m MODULE`` and ``python FILE.py``, behind wrappers such as ``poetry run``,
``uv run`` or ``exec``.
"""

from __future__ import annotations

import json
import posixpath
import re
import shlex
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from hffix.facts import RunCommand
from hffix.project.layout import Layout, join, parent

SERVERS = frozenset({"uvicorn", "gunicorn", "hypercorn", "granian", "daphne", "fastapi"})
# How much a source says about how the app is deployed; higher wins when sources disagree.
PRIORITY = {"docker": 3, "procfile": 3, "make": 2, "script": 2, "pyproject": 1, "python": 1}
APP_SPEC = re.compile(
    r"^(?P<module>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):(?P<attr>[A-Za-z_]\w*)(?P<call>\(.*\))?$"
)
_PYTHON = re.compile(r"^python(?:\d+(?:\.\d+)?)?(?:\.exe)?$")
_ASSIGNMENT = re.compile(r"^[A-Za-z_]\w*=")
_OPERATORS = frozenset({"&&", "||", ";", "|", "&", ";;", "|&"})
_PY_OPTIONS_WITH_VALUE = frozenset({"-X", "-W", "-Q"})
_SKIP_FIRST = frozenset({"echo", "printf", "pip", "pip3", "apt-get", "apk", "npm", "yarn"})
_MAKE_VAR = re.compile(r"^([A-Za-z_][\w.]*)\s*(?::=|::=|\?=|=)\s*(.*)$")
_MAKE_REF = re.compile(r"\$[({]([A-Za-z_][\w.]*)[)}]")
_SCRIPT_DIR_HINTS = ("dirname", "BASH_SOURCE", "$0", "${0")
_DOCKERFILE = re.compile(r"(^|/)(dockerfile(\.[^/]*)?|[^/]*\.dockerfile)$", re.IGNORECASE)
_SHELL_SCRIPT = re.compile(r"\.(sh|bash)$")
_MAKEFILE = re.compile(r"(^|/)(GNUmakefile|makefile|Makefile|[^/]*\.mk)$")

PathMapper = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Launch:
    """A server or Python program one run command starts."""

    command: RunCommand
    origin: str  # "docker", "procfile", "make", "script", "pyproject" or "python"
    module: str | None = None  # "app.main" of app.main:app, or of python -m app.main
    attribute: str | None = None  # "app" of app.main:app; the function of a pyproject script
    file: str | None = None  # repository path of python FILE.py or fastapi run FILE
    base: str | None = None  # repository folder ``module`` resolves from; None if unknown
    factory: bool = False  # --factory, or gunicorn's create_app()
    python_path: tuple[str, ...] = ()  # more repository folders on sys.path (PYTHONPATH)
    server: bool = True  # False for python FILE.py / python -m MODULE of a non-server

    @property
    def priority(self) -> int:
        return PRIORITY.get(self.origin, 0)

    def describe(self) -> str:
        where = f"{self.command.source}:{self.command.line}" if self.command.line else ""
        text = " ".join(self.command.argv)
        if self.origin == "python" and self.module and self.attribute:
            text = f'uvicorn.run("{self.module}:{self.attribute}")'

        if len(text) > 70:
            text = text[:67] + "..."
        return f"`{text}` ({where})" if where else f"`{text}`"


@dataclass
class ShellState:
    """The shell state a command line runs in: working folder (None: unknown) and env."""

    cwd: str | None
    script_dir: str
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Harvest:
    """Everything read: commands for the facts, launches for choosing the app."""

    commands: list[RunCommand] = field(default_factory=list)
    launches: list[Launch] = field(default_factory=list)
    _seen: set[tuple[str, int, tuple[str, ...]]] = field(default_factory=set)

    def add(self, launch: Launch) -> None:
        command = launch.command
        key = (command.source, command.line, command.argv)
        if key in self._seen:
            return
        self._seen.add(key)
        self.commands.append(command)
        self.launches.append(launch)


# ---------------------------------------------------------------- shell words
def split_words(text: str) -> list[str]:
    """Shell words and operators of one command line; quotes removed, comments dropped."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:  # unbalanced quotes: fall back to plain words
        return text.split()


def shlex_join(words: list[str]) -> str:
    """Words back into one command line that :func:`split_words` splits into them again."""
    return shlex.join(words)


def simple_commands(words: list[str]) -> Iterator[list[str]]:
    current: list[str] = []
    for word in words:
        if word in _OPERATORS:
            if current:
                yield current
            current = []
        else:
            current.append(word)
    if current:
        yield current


def resolve_path(cwd: str | None, path: str, mapper: PathMapper | None) -> str | None:
    """The repository path ``path`` names from ``cwd``; None when it is outside the repository."""
    if "$" in path or path.startswith("~"):
        return None
    if path.startswith("/"):
        return mapper(posixpath.normpath(path)) if mapper is not None else None
    if cwd is None:
        return None
    joined = posixpath.normpath(posixpath.join(cwd or ".", path))
    if joined == ".":
        return ""
    if joined.startswith("../") or joined == "..":
        return None
    return joined


# ---------------------------------------------------------------- one command
def parse_command(
    words: list[str],
    state: ShellState,
    *,
    source: str,
    line: int,
    origin: str,
    mapper: PathMapper | None = None,
) -> Launch | None:
    """The launch in one simple command, updating ``state`` for ``cd`` and ``export``."""
    env = dict(state.env)
    index = 0
    while index < len(words) and _ASSIGNMENT.match(words[index]):
        name, _, value = words[index].partition("=")
        env[name] = value
        index += 1
    words = words[index:]
    if not words:
        state.env.update(env)  # a bare assignment line sets a shell variable
        return None
    head = words[0]
    if head == "cd":
        target = words[1] if len(words) > 1 else "~"
        if any(hint in target for hint in _SCRIPT_DIR_HINTS):
            # cd "$(dirname "$0")/..": the script's folder, then what follows the expression
            rest = re.split(r"[)}]", target)[-1].strip("/")
            state.cwd = resolve_path(state.script_dir, rest or ".", mapper)
        else:
            state.cwd = resolve_path(state.cwd, target, mapper)
        return None
    if head == "export":
        for word in words[1:]:
            if "=" in word:
                name, _, value = word.partition("=")
                state.env[name] = value
        return None
    if posixpath.basename(head) in _SKIP_FIRST:
        return None
    command = RunCommand(source=source, line=line, argv=tuple(words), workdir=state.cwd)
    python_path = _python_path(env.get("PYTHONPATH"), state.cwd, mapper)
    for position, word in enumerate(words):
        name = posixpath.basename(word)
        if name in SERVERS:
            return _server(name, words[position + 1 :], command, origin, state, python_path, mapper)
        if _PYTHON.match(name):
            return _python(words[position + 1 :], command, origin, state, python_path, mapper)
    return None


def _python_path(value: str | None, cwd: str | None, mapper: PathMapper | None) -> tuple[str, ...]:
    if not value:
        return ()
    found = []
    for item in value.split(":"):
        resolved = resolve_path(cwd, item, mapper) if item else None
        if resolved is not None:
            found.append(resolved)
    return tuple(found)


def _option(args: list[str], *names: str) -> str | None:
    for index, arg in enumerate(args):
        for name in names:
            if arg == name and index + 1 < len(args):
                return args[index + 1]
            if arg.startswith(name + "="):
                return arg[len(name) + 1 :]
    return None


def _server(
    name: str,
    args: list[str],
    command: RunCommand,
    origin: str,
    state: ShellState,
    python_path: tuple[str, ...],
    mapper: PathMapper | None,
) -> Launch | None:
    cwd = state.cwd
    if name == "fastapi":
        return _fastapi_cli(args, command, origin, cwd, python_path, mapper)
    if name == "gunicorn":
        chdir = _option(args, "--chdir")
        if chdir is not None:
            cwd = resolve_path(cwd, chdir, mapper)
        extra = _option(args, "--pythonpath")
        if extra:
            python_path += _python_path(extra.replace(",", ":"), cwd, mapper)
    spec = next((m for m in map(APP_SPEC.match, args) if m is not None), None)
    if spec is None:
        return None
    base = cwd
    app_dir = _option(args, "--app-dir") if name == "uvicorn" else None
    if app_dir is not None:
        base = resolve_path(cwd, app_dir, mapper)
    factory = "--factory" in args or spec["call"] is not None
    return Launch(
        replace(command, workdir=cwd),
        origin,
        module=spec["module"],
        attribute=spec["attr"],
        base=base,
        factory=factory,
        python_path=python_path,
    )


def _fastapi_cli(
    args: list[str],
    command: RunCommand,
    origin: str,
    cwd: str | None,
    python_path: tuple[str, ...],
    mapper: PathMapper | None,
) -> Launch | None:
    if not args or args[0] not in {"run", "dev"}:
        return None
    rest = args[1:]
    attribute = _option(rest, "--app")
    valued = {"--app", "--host", "--port", "--root-path", "--workers", "--proxy-headers"}
    path = None
    skip = False
    for arg in rest:
        if skip:
            skip = False
            continue
        if arg in valued:
            skip = True
            continue
        if not arg.startswith("-"):
            path = arg
            break
    file = resolve_path(cwd, path, mapper) if path else None
    return Launch(
        command,
        origin,
        attribute=attribute,
        file=file,
        base=cwd if path is None else None,
        python_path=python_path,
    )


def _python(
    args: list[str],
    command: RunCommand,
    origin: str,
    state: ShellState,
    python_path: tuple[str, ...],
    mapper: PathMapper | None,
) -> Launch | None:
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "-m" and index + 1 < len(args):
            module = args[index + 1]
            if module in SERVERS:
                return _server(
                    module, args[index + 2 :], command, origin, state, python_path, mapper
                )
            return Launch(
                command,
                origin,
                module=module,
                base=state.cwd,
                python_path=python_path,
                server=False,
            )
        if arg == "-c":
            return None
        if arg in _PY_OPTIONS_WITH_VALUE:
            index += 2
            continue
        if arg.startswith("-"):
            index += 1
            continue
        if arg.endswith(".py"):
            file = resolve_path(state.cwd, arg, mapper)
            if file is None:
                return None
            return Launch(command, origin, file=file, python_path=python_path, server=False)
        return None
    return None


def parse_lines(
    lines: Iterable[tuple[int, str]],
    state: ShellState,
    *,
    source: str,
    origin: str,
    mapper: PathMapper | None = None,
    persistent_cd: bool = True,
) -> Iterator[Launch]:
    """Launches in shell command lines; ``cd`` carries over to later lines when persistent."""
    for number, text in lines:
        line_state = state if persistent_cd else ShellState(state.cwd, state.script_dir, state.env)
        for words in simple_commands(split_words(text)):
            launch = parse_command(
                words, line_state, source=source, line=number, origin=origin, mapper=mapper
            )
            if launch is not None:
                yield launch


def logical_lines(
    text: str, *, escape: str = "\\", comments: bool = True
) -> Iterator[tuple[int, str]]:
    """(first line number, text) of each line, continuation lines joined."""
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if comments and stripped.startswith("#") and not pending:
            continue
        if comments and stripped.startswith("#") and pending:
            continue  # comment lines inside a continued instruction are dropped
        if not pending:
            start = number
        if raw.rstrip().endswith(escape):
            pending.append(raw.rstrip()[: -len(escape)])
            continue
        pending.append(raw)
        yield start, _joined(pending)
        pending = []
    if pending:
        yield start, _joined(pending)


def _joined(parts: list[str]) -> str:
    """Continued lines joined; the first keeps its indentation (a Makefile recipe's tab)."""
    return " ".join([parts[0].rstrip(), *(part.strip() for part in parts[1:])])


# ---------------------------------------------------------------- Dockerfiles
@dataclass
class _Copy:
    container: str
    repo: str
    is_dir: bool


@dataclass
class _Stage:
    workdir: str = "/"
    env: dict[str, str] = field(default_factory=dict)
    copies: list[_Copy] = field(default_factory=list)
    entrypoint: tuple[list[str], bool, int] | None = None  # (words, exec form, line)
    cmd: tuple[list[str], bool, int] | None = None


def is_dockerfile(path: str) -> bool:
    return _DOCKERFILE.search(path) is not None


def _expand(value: str, env: dict[str, str]) -> str:
    def sub(match: re.Match[str]) -> str:
        return env.get(match.group(1) or match.group(2), match.group(0))

    return re.sub(r"\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)", sub, value)


def exec_form(rest: str) -> list[str] | None:
    """The words of a Dockerfile exec-form argument (`["uvicorn", "main:app"]`), or None."""
    if not rest.startswith("["):
        return None
    try:
        value = json.loads(rest)
    except ValueError:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [str(v) for v in value]
    return None


class DockerMapper:
    """Maps container paths of one Dockerfile stage back to repository paths via COPY/ADD."""

    def __init__(self, layout: Layout, copies: list[_Copy]) -> None:
        self.layout = layout
        self.copies = copies

    def __call__(self, container: str) -> str | None:
        for copy in reversed(self.copies):
            if container == copy.container:
                return copy.repo
            if copy.is_dir and container.startswith(copy.container.rstrip("/") + "/"):
                rest = container[len(copy.container.rstrip("/")) + 1 :]
                candidate = join(copy.repo, rest)
                if self.layout.is_dir(candidate) or self.layout.is_file(candidate):
                    return candidate
        return self._parent_of_copies(container)

    def _parent_of_copies(self, container: str) -> str | None:
        """``WORKDIR /code`` with ``COPY ./app /code/app``: /code is the folder holding app/."""
        prefix = container.rstrip("/") + "/"
        bases: set[str] = set()
        for copy in self.copies:
            if not copy.container.startswith(prefix):
                continue
            tail = copy.container[len(prefix) :].rstrip("/")
            if copy.repo == tail:
                bases.add("")
            elif copy.repo.endswith("/" + tail):
                bases.add(copy.repo[: -len(tail) - 1])
            else:
                return None
        return bases.pop() if len(bases) == 1 else None


def _docker_stages(text: str, folder: str, layout: Layout) -> list[_Stage]:
    escape = "\\"
    for raw in text.splitlines():
        directive = re.match(r"^#\s*escape\s*=\s*(\S)\s*$", raw)
        if directive:
            escape = directive.group(1)
            continue
        if raw.strip() and not raw.lstrip().startswith("#"):
            break
    stages: list[_Stage] = [_Stage()]
    for number, line in logical_lines(text, escape=escape):
        instruction, _, rest = line.strip().partition(" ")
        keyword = instruction.upper()
        rest = rest.strip()
        stage = stages[-1]
        if keyword == "FROM":
            stages.append(_Stage())
        elif keyword == "WORKDIR":
            target = _expand(rest, stage.env)
            stage.workdir = posixpath.normpath(posixpath.join(stage.workdir, target))
        elif keyword in {"ENV", "ARG"}:
            _docker_env(rest, stage.env, keyword == "ARG")
        elif keyword in {"COPY", "ADD"}:
            _docker_copy(rest, stage, folder, layout)
        elif keyword in {"CMD", "ENTRYPOINT"}:
            exec_words = exec_form(rest)
            value = (
                (exec_words, True, number) if exec_words is not None else ([rest], False, number)
            )
            if keyword == "CMD":
                stage.cmd = value
            else:
                stage.entrypoint = value
    return stages


def _docker_env(rest: str, env: dict[str, str], is_arg: bool) -> None:
    words = split_words(rest)
    if words and "=" not in words[0]:
        if is_arg:
            return
        if len(words) >= 2:
            env[words[0]] = " ".join(words[1:])
        return
    for word in words:
        name, sep, value = word.partition("=")
        if sep and (not is_arg or name not in env):
            env[name] = _expand(value, env)


def _docker_copy(rest: str, stage: _Stage, folder: str, layout: Layout) -> None:
    words = exec_form(rest) or split_words(rest)
    if any(w.startswith("--from") for w in words):
        return
    args = [w for w in words if not w.startswith("--")]
    if len(args) < 2:
        return
    *sources, dest = args
    dest = _expand(dest, stage.env)
    dest_path = posixpath.normpath(posixpath.join(stage.workdir, dest))
    into = dest.endswith("/") or len(sources) > 1
    for src in sources:
        if "://" in src or any(c in src for c in "*?["):
            continue
        repo = posixpath.normpath(join(folder, src.strip("/") or "."))
        repo = "" if repo == "." else repo
        if repo.startswith(".."):
            continue
        if layout.is_dir(repo):
            stage.copies.append(_Copy(dest_path, repo, True))
        elif layout.is_file(repo):
            target = join(dest_path, posixpath.basename(repo)) if into else dest_path
            stage.copies.append(_Copy("/" + target.lstrip("/"), repo, False))


class _Harvester:
    """Reads every run-command source of one repository into a :class:`Harvest`."""

    def __init__(self, layout: Layout, read: Callable[[str], str | None]) -> None:
        self.layout = layout
        self.read = read
        self.result = Harvest()
        self.scripts: dict[str, str] = {}

    def run(self) -> Harvest:
        paths = sorted(self.layout.files)
        for path in paths:
            if _SHELL_SCRIPT.search(path):
                text = self.read(path)
                if text is not None:
                    self.scripts[path] = text
        for path in paths:
            if is_dockerfile(path):
                text = self.read(path)
                if text is not None:
                    self.dockerfile(path, text)
        for path in paths:
            name = posixpath.basename(path)
            reader = (
                _procfile_launches
                if name == "Procfile"
                else _makefile_launches
                if _MAKEFILE.search(path)
                else _pyproject_launches
                if name == "pyproject.toml"
                else None
            )
            if reader is not None:
                text = self.read(path)
                if text is not None:
                    reader(path, text, self.result)
        for path in self.scripts:
            folder = parent(path)
            self.script(path, ShellState(folder, folder))
        return self.result

    def script(self, path: str, state: ShellState) -> None:
        text = self.scripts.get(path)
        if text is None:
            return
        for launch in parse_lines(logical_lines(text), state, source=path, origin="script"):
            self.result.add(launch)

    def dockerfile(self, path: str, text: str) -> None:
        stages = _docker_stages(text, parent(path), self.layout)
        stage = next((s for s in reversed(stages) if s.cmd or s.entrypoint), None)
        if stage is None:
            return
        mapper = DockerMapper(self.layout, stage.copies)
        workdir = mapper(stage.workdir)
        state = ShellState(workdir, workdir or "", {"PYTHONPATH": stage.env.get("PYTHONPATH", "")})
        for text_line, number in _docker_runs(stage):
            words = split_words(text_line)
            shell = len(words) >= 3 and posixpath.basename(words[0]) in {"sh", "bash"}
            if shell and words[1] == "-c":
                text_line = words[2]
            for command in simple_commands(split_words(text_line)):
                script = _script_of(command, state, mapper)
                if script is not None and script in self.scripts:
                    self.script(script, ShellState(state.cwd, parent(script), dict(state.env)))
                    continue
                launch = parse_command(
                    command, state, source=path, line=number, origin="docker", mapper=mapper
                )
                if launch is not None:
                    self.result.add(launch)


def _docker_runs(stage: _Stage) -> list[tuple[str, int]]:
    """The shell text the container runs, with the line of the instruction saying it."""
    entry, cmd = stage.entrypoint, stage.cmd
    if entry is not None and not entry[1]:
        return [(entry[0][0], entry[2])]
    if entry is not None:
        words = entry[0] + (cmd[0] if cmd is not None and cmd[1] else [])
        return [(shlex.join(words), entry[2])]
    if cmd is not None:
        return [(cmd[0][0] if not cmd[1] else shlex.join(cmd[0]), cmd[2])]
    return []


def _script_of(words: list[str], state: ShellState, mapper: PathMapper | None) -> str | None:
    """The repository path of a shell script a command runs (``./start.sh``, ``sh start.sh``)."""
    if not words:
        return None
    target = words[0]
    if posixpath.basename(target) in {"sh", "bash"} and len(words) > 1:
        target = words[1]
    if not _SHELL_SCRIPT.search(target):
        return None
    return resolve_path(state.cwd, target, mapper)


# ---------------------------------------------------------------- other sources
def _procfile_launches(path: str, text: str, harvest: Harvest) -> None:
    folder = parent(path)
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"^\s*([\w-]+)\s*:\s*(.+)$", line)
        if not match or match.group(1) == "release":
            continue
        state = ShellState(folder, folder)
        for launch in parse_lines(
            [(number, match.group(2))], state, source=path, origin="procfile"
        ):
            harvest.add(launch)


def _makefile_launches(path: str, text: str, harvest: Harvest) -> None:
    folder = parent(path)
    variables: dict[str, str] = {}
    recipes: list[tuple[int, str]] = []
    for number, line in logical_lines(text):
        if line.startswith("\t"):
            recipe = line.strip().lstrip("@-+").strip()
            recipes.append((number, recipe))
            continue
        match = _MAKE_VAR.match(line.strip())
        if match and not line.startswith((" ", "\t")):
            variables[match.group(1)] = match.group(2).strip()

    def expand(text_line: str) -> str:
        for _ in range(5):
            new = _MAKE_REF.sub(lambda m: variables.get(m.group(1), m.group(0)), text_line)
            if new == text_line:
                break
            text_line = new
        return text_line

    expanded = [(number, expand(recipe)) for number, recipe in recipes]
    state = ShellState(folder, folder)
    for launch in parse_lines(expanded, state, source=path, origin="make", persistent_cd=False):
        harvest.add(launch)


def _pyproject_launches(path: str, text: str, harvest: Harvest) -> None:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        document = tomlkit.parse(text).unwrap()
    except TOMLKitError:
        return
    folder = parent(path)
    tables = [
        document.get("project", {}).get("scripts", {}),
        document.get("tool", {}).get("poetry", {}).get("scripts", {}),
    ]
    lines = text.splitlines()
    for table in tables:
        if not isinstance(table, dict):
            continue
        for name, value in table.items():
            if not isinstance(value, str):
                continue
            match = APP_SPEC.match(value.strip())
            if match is None:
                continue
            number = next(
                (i for i, line in enumerate(lines, start=1) if value in line and name in line),
                0,
            )
            command = RunCommand(source=path, line=number, argv=(str(name),), workdir=folder)
            harvest.add(
                Launch(
                    command,
                    "pyproject",
                    module=match["module"],
                    attribute=match["attr"],
                    base=None,
                    server=False,
                )
            )


def harvest(layout: Layout, read: Callable[[str], str | None]) -> Harvest:
    """Every run command of the repository, in a stable order (Dockerfiles first)."""
    return _Harvester(layout, read).run()
