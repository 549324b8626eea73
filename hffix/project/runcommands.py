"""How a repository says it starts: run commands and the server launches inside them.

Sources, read from the current workspace view (HF006 deletes Dockerfiles later, so HF001
reads them first):

- Dockerfiles (any name :func:`is_dockerfile` accepts: ``Dockerfile`` in any case,
  ``Dockerfile.*``, ``*.Dockerfile``, ``Containerfile``), parsed by
  :mod:`hffix.formats.dockerfile`: the last stage's ``ENTRYPOINT``/``CMD`` (exec and shell
  form), ``WORKDIR``, ``ENV PYTHONPATH`` and ``COPY``/``ADD`` so that container paths map
  back to repository folders (from the Dockerfile's folder, or the root when the copies
  name root folders); a script the container runs (``CMD ["./start.sh"]``) is read with
  the container's working folder.
- ``Procfile`` lines (and ``Procfile.dev``-style variants, weaker), ``Makefile`` recipes
  (simple ``$(VAR)`` definitions expanded), shell scripts (``cd`` followed, ``cd
  "$(dirname "$0")"`` understood), ``[project.scripts]`` and ``[tool.poetry.scripts]`` in
  ``pyproject.toml``.
- Deployment configurations: ``vercel.json`` (the ``.py`` files its ``builds``, ``routes``
  and ``rewrites`` name), ``fly.toml`` (``[processes]``, ``[experimental] cmd``),
  ``render.yaml`` (``startCommand``, run in ``rootDir``), App Engine's ``app.yaml``
  (``entrypoint``); and, weakest, ``run:`` steps of GitHub workflows that start a server
  (in their ``working-directory``). YAML is read line by line (:func:`yaml_values`): block
  mappings, sequences, plain, quoted and block scalars, which is all these files use.

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
from hffix.formats import dockerfile as dockerfile_format
from hffix.project.layout import Layout, join, parent

SERVERS = frozenset({"uvicorn", "gunicorn", "hypercorn", "granian", "daphne", "fastapi"})
# How much a source says about how the app is deployed; higher wins when sources disagree.
PRIORITY = {
    "docker": 3,
    "procfile": 3,
    "vercel": 3,
    "fly": 3,
    "render": 3,
    "appengine": 3,
    "procfile-variant": 2,
    "make": 2,
    "script": 2,
    "pyproject": 1,
    "python": 1,
    "workflow": 1,
}
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
_SHELL_SCRIPT = re.compile(r"\.(sh|bash)$")
_MAKEFILE = re.compile(r"(^|/)(GNUmakefile|makefile|Makefile|[^/]*\.mk)$")
_PROCFILE_VARIANT = re.compile(r"^Procfile\.[\w.-]+$")
_WORKFLOW = re.compile(r"^\.github/workflows/[^/]+\.ya?ml$")
_YAML_KEY = re.compile(r"""^(?P<key>[\w.-]+|"[^"]*"|'[^']*')[ \t]*:(?:[ \t]+(?P<value>.*))?$""")
_BLOCK = re.compile(r"^[|>][+-]?\d?[+-]?$")

PathMapper = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Launch:
    """A server or Python program one run command starts."""

    command: RunCommand
    origin: str  # a key of PRIORITY: "docker", "procfile", "make", "python", ...
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
# Parsed by hffix.formats.dockerfile (HF006/HF007 read the same model); here the stage that
# runs is mapped back to the repository and its command to launches.
is_dockerfile = dockerfile_format.is_dockerfile
exec_form = dockerfile_format.exec_form


@dataclass
class _Copy:
    container: str
    repo: str
    is_dir: bool


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


def _docker_copies(stage: dockerfile_format.Stage, context: str, layout: Layout) -> list[_Copy]:
    """The stage's copies from the build context ``context``, as repository paths (sources
    outside the repository or not in it are left out)."""
    copies: list[_Copy] = []
    for copy in stage.copies:
        for source in copy.sources:
            repo = posixpath.normpath(join(context, source.strip("/") or "."))
            repo = "" if repo == "." else repo
            if repo.startswith(".."):
                continue
            if layout.is_dir(repo):
                copies.append(_Copy(copy.destination, repo, True))
            elif layout.is_file(repo):
                name = posixpath.basename(repo)
                target = join(copy.destination, name) if copy.into else copy.destination
                copies.append(_Copy("/" + target.lstrip("/"), repo, False))
    return copies


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
            reader = _reader_for(path)
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
        parsed = dockerfile_format.parse(text)
        stage = parsed.last_with_command()
        if stage is None:
            return
        layout, folder = self.layout, parent(path)
        holds_files = not folder or any(
            parent(f) == folder and not dockerfile_format.is_docker_file(f) for f in layout.files
        )
        context = dockerfile_format.build_context(
            parsed, folder, lambda p: layout.is_dir(p) or layout.is_file(p), holds_files
        )
        mapper = DockerMapper(self.layout, _docker_copies(stage, context, self.layout))
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


def _docker_runs(stage: dockerfile_format.Stage) -> list[tuple[str, int]]:
    """The shell text the container runs, with the line of the instruction saying it."""
    entry, cmd = stage.entrypoint, stage.cmd
    if entry is not None and entry.words is None:
        return [(entry.instruction.argument, entry.line)]
    if entry is not None and entry.words is not None:
        words = [*entry.words, *(cmd.words if cmd is not None and cmd.words is not None else ())]
        return [(shlex.join(words), entry.line)]
    if cmd is not None:
        return [(cmd.text, cmd.line)]
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
Reader = Callable[[str, str, Harvest], None]


def _reader_for(path: str) -> Reader | None:
    name = posixpath.basename(path)
    readers: dict[str, Reader] = {
        "Procfile": _procfile_launches,
        "pyproject.toml": _pyproject_launches,
        "vercel.json": _vercel_launches,
        "fly.toml": _fly_launches,
        "render.yaml": _render_launches,
        "render.yml": _render_launches,
        "app.yaml": _appengine_launches,
        "app.yml": _appengine_launches,
    }
    if name in readers:
        return readers[name]
    if _PROCFILE_VARIANT.match(name):
        return _procfile_variant_launches
    if _MAKEFILE.search(path):
        return _makefile_launches
    if _WORKFLOW.match(path):
        return _workflow_launches
    return None


def _procfile_launches(path: str, text: str, harvest: Harvest, origin: str = "procfile") -> None:
    folder = parent(path)
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"^\s*([\w-]+)\s*:\s*(.+)$", line)
        if not match or match.group(1) == "release":
            continue
        state = ShellState(folder, folder)
        for launch in parse_lines([(number, match.group(2))], state, source=path, origin=origin):
            harvest.add(launch)


def _procfile_variant_launches(path: str, text: str, harvest: Harvest) -> None:
    """``Procfile.dev``, ``Procfile.local``: how the app runs elsewhere, weaker evidence."""
    _procfile_launches(path, text, harvest, "procfile-variant")


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return 0


def _vercel_launches(path: str, text: str, harvest: Harvest) -> None:
    """The Python files Vercel serves: ``builds[].src`` (with ``@vercel/python``) and the
    ``.py`` destinations of ``routes`` and ``rewrites``; Vercel imports the file and
    serves its ``app``."""
    try:
        document = json.loads(text)
    except ValueError:
        return
    if not isinstance(document, dict):
        return
    folder = parent(path)
    targets: list[str] = []
    for build in _dicts(document.get("builds")):
        source = build.get("src")
        use = str(build.get("use", ""))
        if isinstance(source, str) and "python" in use:
            targets.append(source)
    for route in [*_dicts(document.get("routes")), *_dicts(document.get("rewrites"))]:
        target = route.get("dest", route.get("destination"))
        if isinstance(target, str):
            targets.append(target)
    for target in dict.fromkeys(targets):
        clean = target.split("?")[0].strip("/")
        if any(c in clean for c in "*$(:[") or not clean:
            continue
        file = clean if clean.endswith(".py") else None
        if file is None:
            continue
        repo = resolve_path(folder, file, None)
        if repo is None:
            continue
        command = RunCommand(path, _line_of(text, target), ("vercel", file), folder)
        harvest.add(Launch(command, "vercel", file=repo, server=True))


def _dicts(value: object) -> list[dict[str, object]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _fly_launches(path: str, text: str, harvest: Harvest) -> None:
    """``[processes]`` commands and ``[experimental] cmd`` of a Fly.io app, run from the
    folder of fly.toml."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        document = tomlkit.parse(text).unwrap()
    except TOMLKitError:
        return
    folder = parent(path)
    commands: list[object] = []
    processes = document.get("processes")
    if isinstance(processes, dict):
        commands.extend(processes.values())
    experimental = document.get("experimental")
    if isinstance(experimental, dict):
        commands.append(experimental.get("cmd"))
    for value in commands:
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            line_text = shlex_join([str(v) for v in value])
            needle = str(value[-1])
        elif isinstance(value, str):
            line_text = needle = value
        else:
            continue
        number = _line_of(text, needle)
        state = ShellState(folder, folder)
        for launch in parse_lines([(number, line_text)], state, source=path, origin="fly"):
            harvest.add(launch)


def _render_launches(path: str, text: str, harvest: Harvest) -> None:
    """``startCommand`` of each Render web service (workers and cron jobs serve no
    HTTP), run in its ``rootDir``."""
    folder = parent(path)
    for value in yaml_values(text, "startCommand"):
        if value.siblings.get("type", "web") != "web":
            continue
        root = value.siblings.get("rootDir", "")
        cwd = resolve_path(folder, root or ".", None)
        if cwd is None:
            continue
        state = ShellState(cwd, cwd)
        for launch in parse_lines(value.lines, state, source=path, origin="render"):
            harvest.add(launch)


def _appengine_launches(path: str, text: str, harvest: Harvest) -> None:
    """App Engine's ``entrypoint:`` (top level of app.yaml), run from its folder."""
    folder = parent(path)
    for value in yaml_values(text, "entrypoint"):
        if value.indent:
            continue
        state = ShellState(folder, folder)
        for launch in parse_lines(value.lines, state, source=path, origin="appengine"):
            harvest.add(launch)


def _workflow_launches(path: str, text: str, harvest: Harvest) -> None:
    """``run:`` steps of a GitHub workflow that start a server (CI often boots the app
    for end-to-end tests), in the step's ``working-directory``; other programs (tests,
    linters) say nothing about the app."""
    for value in yaml_values(text, "run"):
        cwd = resolve_path("", value.siblings.get("working-directory", "") or ".", None)
        if cwd is None:
            continue
        state = ShellState(cwd, cwd)
        for launch in parse_lines(value.lines, state, source=path, origin="workflow"):
            if launch.server:
                harvest.add(launch)


# ---------------------------------------------------------------- YAML, line by line
@dataclass(frozen=True)
class YamlValue:
    """One ``key: value`` of a YAML file with the scalar's lines and the keys beside it."""

    line: int
    indent: int  # of the key (a list item's key counts the "- " as indentation)
    lines: list[tuple[int, str]]  # (line number, text): one line, or a block scalar's lines
    siblings: dict[str, str]  # the other plain scalar keys of the same mapping


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            decoded = json.loads(value)
        except ValueError:
            return value[1:-1]
        return decoded if isinstance(decoded, str) else value[1:-1]
    return re.split(r"[ \t]#", value, maxsplit=1)[0].strip()


@dataclass
class _YamlLine:
    number: int
    indent: int  # where the mapping key (if any) starts
    item: bool  # starts a list item ("- ")
    key: str | None
    value: str
    raw: str


def _yaml_lines(text: str) -> list[_YamlLine]:
    lines: list[_YamlLine] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip(" "))
        item = False
        content = raw[indent:]
        while content.startswith("- ") or content == "-":
            item = True
            offset = 2 if content.startswith("- ") else 1
            content = content[offset:]
            indent += offset + (len(content) - len(content.lstrip(" ")))
            content = content.lstrip(" ")
        match = _YAML_KEY.match(content) if stripped and not stripped.startswith("#") else None
        key = match["key"].strip("'\"") if match else None
        value = (match["value"] or "") if match else ""
        lines.append(_YamlLine(number, indent, item, key, value, raw))
    return lines


def yaml_values(text: str, key: str) -> Iterator[YamlValue]:
    """Every scalar value of ``key`` in a block-style YAML document, with its siblings."""
    lines = _yaml_lines(text)
    for index, entry in enumerate(lines):
        if entry.key != key:
            continue
        found = _scalar(lines, index)
        if found is None:
            continue
        yield YamlValue(entry.number, entry.indent, found, _siblings(lines, index))


def _scalar(lines: list[_YamlLine], index: int) -> list[tuple[int, str]] | None:
    entry = lines[index]
    value = entry.value.strip()
    following: list[_YamlLine] = []  # the lines indented deeper than the key: its value's
    for later in lines[index + 1 :]:
        if later.raw.strip() and len(later.raw) - len(later.raw.lstrip(" ")) <= entry.indent:
            break
        following.append(later)
    if _BLOCK.match(value):
        body = [(later.number, later.raw) for later in following]
        while body and not body[-1][1].strip():
            body.pop()
        width = min((len(t) - len(t.lstrip(" ")) for _, t in body if t.strip()), default=0)
        texts = [(number, t[width:]) for number, t in body]
        if value.startswith(">"):  # folded: one line
            joined = " ".join(t.strip() for _, t in texts if t.strip())
            return [(texts[0][0], joined)] if texts else None
        return [(number, t) for number, t in texts if t.strip()]
    if not value:
        return None  # a nested mapping or sequence
    if value[0] in "[{":
        return None  # a flow collection
    parts = [_unquote(value)] if value[0] in "'\"" else [value]
    if value[0] not in "'\"":
        parts += [later.raw.strip() for later in following if later.raw.strip()]
        parts = [_unquote(" ".join(parts))]
    return [(entry.number, parts[0])]


def _siblings(lines: list[_YamlLine], index: int) -> dict[str, str]:
    """Plain scalar keys of the mapping ``lines[index]`` is in (same indentation, up to
    the lines that leave it)."""
    indent = lines[index].indent
    found: dict[str, str] = {}

    def take(entry: _YamlLine) -> None:
        if entry.key is not None and entry.indent == indent and entry.value.strip():
            value = entry.value.strip()
            if not _BLOCK.match(value) and value[0] not in "[{":
                found.setdefault(entry.key, _unquote(value))

    for entry in reversed(lines[:index] if not lines[index].item else []):
        if not entry.raw.strip():
            continue
        if entry.indent < indent:
            break
        take(entry)
        if entry.item and entry.indent == indent:
            break  # the first key of this list item
    for entry in lines[index + 1 :]:
        if not entry.raw.strip():
            continue
        if entry.indent < indent or (entry.item and entry.indent == indent):
            break
        take(entry)
    return found


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
