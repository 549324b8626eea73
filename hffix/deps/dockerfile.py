"""Reading a Dockerfile for what a Python Space must keep: packages, variables, the command.

The Dockerfile is parsed by :mod:`hffix.formats.dockerfile` (also HF001's reader); this module
takes from it what HF006 harvests, and only from the image that runs the app
(:meth:`~hffix.formats.dockerfile.Dockerfile.run_stage`): ``pip install`` from that stage,
the stages it is built ``FROM`` and the stages it copies files from (a builder's
``pip install --prefix``); ``apt-get``/``apk`` packages and ``ENV`` from that stage and the
stages it is built from (a builder's compilers never reach the image). ``RUN`` shell
commands are split at ``&&``, ``||``, ``;`` and ``|``. Build, test and development tools
(:mod:`hffix.deps.tooling`: ``pip install poetry poetry-plugin-export``, ``pytest``) are set
apart in :attr:`Harvest.tools`, never among the packages.

``pip install`` arguments come in two kinds. Requirements known by name (``fastapi``,
``pkg @ URL``, a VCS URL with ``#egg=``) are :attr:`Harvest.pip_packages`, ready for
requirements.txt: a credential in a URL is replaced by a ``${VARIABLE}`` reference, which
pip expands from the environment. Everything else (index and find-links options, unnamed
URLs, local paths and editables) is a :class:`PipExtra`, with the ``WORKDIR`` and ``COPY``
instructions in force, so that HF007 can carry it with its path made relative to the
repository root (:func:`repository_path`) or report it.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from hffix.deps.tooling import requirement_tool_kind
from hffix.formats.dockerfile import Copy, Dockerfile, Instruction, Run, Stage, parse
from hffix.formats.requirements import requirement_name

__all__ = [
    "Copy",
    "Credential",
    "ExtraKind",
    "Harvest",
    "Instruction",
    "PipExtra",
    "Role",
    "credential_variable",
    "harvest",
    "hide_credentials",
    "repository_path",
    "role",
]

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
_PIP_FILE_OPTIONS = frozenset({"-r", "--requirement", "-c", "--constraint"})
_PIP_EDITABLE = frozenset({"-e", "--editable"})
# pip options whose value the Space's install needs too: option -> its requirements.txt form
# (an index that replaced PyPI in the image is added to it: the Space also needs PyPI).
_PIP_CARRIED_OPTIONS = {
    "-i": "--extra-index-url",
    "--index-url": "--extra-index-url",
    "--extra-index-url": "--extra-index-url",
    "-f": "--find-links",
    "--find-links": "--find-links",
    "--trusted-host": "--trusted-host",
}
# user:password@ or token@ in a URL; group 1 the user (or the token), group 2 the password.
_USERINFO = re.compile(r"(?<=://)([^/@\s:]*)(?::([^/@\s]*))?@")
# Names that are user names in a URL, not tokens (``git@``, GitLab's ``oauth2:TOKEN``).
_PLAIN_USERS = frozenset({"git", "oauth2", "x-access-token", "x-token-auth", "__token__", "token"})
# A credential the Dockerfile already read from a variable ($TOKEN, ${TOKEN}).
_SHELL_VARIABLE = re.compile(r"^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))$")
_APT_VALUE_OPTIONS = frozenset({"-o", "--option", "-t", "--target-release", "-c"})


class ExtraKind(Enum):
    INDEX = "index"  # -i / --index-url / --extra-index-url URL
    FIND_LINKS = "find-links"  # -f / --find-links URL-OR-PATH
    TRUSTED_HOST = "trusted-host"  # --trusted-host HOST
    URL = "url"  # an archive or VCS URL whose distribution name is not written
    PATH = "path"  # a local folder or archive (./vendor/lib, ./wheels/x.whl)
    EDITABLE = "editable"  # -e PATH-OR-URL


@dataclass(frozen=True)
class Credential:
    """A credential found in a URL, replaced by ``${variable}`` in what is carried."""

    variable: str  # the environment variable requirements.txt now reads it from
    value: str  # the committed value; "" when the Dockerfile already read a variable
    line: int


@dataclass(frozen=True)
class PipExtra:
    """A ``pip install`` argument that is no requirement by name, with its context."""

    kind: ExtraKind
    value: str  # as written, but for credentials (replaced by ${VARIABLE})
    line: int
    workdir: str  # WORKDIR in force (absolute, in the image)
    copies: tuple[Copy, ...]  # COPY/ADD of the build context so far, in this stage

    @property
    def written(self) -> str:
        """How the Dockerfile's command line said it (credentials replaced)."""
        option = {
            ExtraKind.INDEX: "--index-url ",
            ExtraKind.FIND_LINKS: "--find-links ",
            ExtraKind.TRUSTED_HOST: "--trusted-host ",
            ExtraKind.EDITABLE: "-e ",
        }.get(self.kind, "")
        return option + self.value


@dataclass(frozen=True)
class Harvest:
    """What a Dockerfile said that the Space still needs."""

    pip_packages: list[tuple[str, int]]  # requirement text, line
    pip_files: list[tuple[str, int]]  # -r files named by RUN pip install
    apt_packages: list[tuple[str, int]]
    alpine_packages: list[tuple[str, int]]  # apk add: Alpine names, not Debian's
    env: list[tuple[str, str, int]]  # name, value, line
    commands: list[Instruction]  # WORKDIR, and the ENTRYPOINT and CMD the image runs
    pip_extras: list[PipExtra] = field(default_factory=list)
    credentials: list[Credential] = field(default_factory=list)
    # Build, test and development tools `pip install` named: (requirement, line, kind).
    tools: list[tuple[str, int, str]] = field(default_factory=list)
    # pip packages of stages the app's image is not made of (a `test` stage): (text, line).
    other_stages: list[tuple[str, int]] = field(default_factory=list)
    workdir: str = "/"  # the image's working folder when it runs the app
    pip_files_at: list[tuple[str, PipExtra]] = field(default_factory=list)  # file, context


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command, posix=True)
    except ValueError:
        return command.split()


@dataclass
class _PipArguments:
    packages: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    extras: list[tuple[ExtraKind, str]] = field(default_factory=list)


# Every option whose value is the next word (or follows "=").
_PIP_TAKES_VALUE = frozenset(
    {*_PIP_VALUE_OPTIONS, *_PIP_FILE_OPTIONS, *_PIP_EDITABLE, *_PIP_CARRIED_OPTIONS}
)
_SHORT_WITH_VALUE = frozenset({"-e", "-r", "-c", "-i", "-f", "-t", "-C"})
_ARCHIVE = (".whl", ".tar.gz", ".tgz", ".tar.bz2", ".zip")


def _positional(word: str) -> ExtraKind | None:
    """What a ``pip install`` argument is: ``None`` for a requirement known by name."""
    if "://" in word:
        return None if requirement_name(word) is not None else ExtraKind.URL
    if "/" in word or word.startswith(".") or word.lower().endswith(_ARCHIVE):
        return ExtraKind.PATH
    return None


def _the_project(word: str) -> bool:
    """``.`` or ``..``: the project itself, whose manifest HF007 merges."""
    return posixpath.normpath(word) in {".", ".."}


def _pip_install(words: list[str]) -> _PipArguments | None:
    """The arguments of ``words`` when it is a pip install command."""
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
    result = _PipArguments()
    pending: str | None = None  # the option whose value comes next
    for word in rest[1:]:
        if pending is not None:
            _option_value(result, pending, word)
            pending = None
            continue
        if word.startswith("-"):
            option, equals, value = word.partition("=")
            if not word.startswith("--") and option[:2] in _SHORT_WITH_VALUE and len(option) > 2:
                option, equals, value = option[:2], "=", word[2:]  # -e./lib, -rrequirements.txt
            if option in _PIP_TAKES_VALUE:
                if equals:
                    _option_value(result, option, value)
                else:
                    pending = option
            continue
        if _the_project(word):
            continue
        kind = _positional(word)
        if kind is None:
            result.packages.append(word)
        else:
            result.extras.append((kind, word))
    return result


def _option_value(result: _PipArguments, option: str, value: str) -> None:
    if option in {"-r", "--requirement"}:
        result.files.append(value)
    elif option in _PIP_EDITABLE:
        if not _the_project(value):
            result.extras.append((ExtraKind.EDITABLE, value))
    elif option in _PIP_CARRIED_OPTIONS:
        kind = {
            "--extra-index-url": ExtraKind.INDEX,
            "--find-links": ExtraKind.FIND_LINKS,
            "--trusted-host": ExtraKind.TRUSTED_HOST,
        }[_PIP_CARRIED_OPTIONS[option]]
        result.extras.append((kind, value))
    # any other option's value (-c FILE, --target DIR, ...) is no package


def credential_variable(host: str) -> str:
    """The environment variable a credential for ``host`` is read from: the name before
    the top-level domain (``github.com`` -> ``GITHUB_TOKEN``)."""
    labels = [label for label in host.lower().split(".") if label]
    label = labels[-2] if len(labels) >= 2 else (labels[0] if labels else "")
    name = re.sub(r"[^a-z0-9]+", "_", label).strip("_").upper()
    if not name or not name[0].isalpha():
        name = "INDEX"
    return f"{name}_TOKEN"


def hide_credentials(text: str, line: int, found: list[Credential]) -> str:
    """``text`` with a URL's password (or token) replaced by ``${VARIABLE}``, which pip
    expands from the environment; each replaced credential is appended to ``found``."""
    match = _USERINFO.search(text)
    if match is None or text[: match.start()].lower().rstrip(":/").endswith("ssh"):
        return text  # no credential, or ssh's user (git@): a key, not a URL secret
    user, password = match.group(1), match.group(2)
    host = re.match(r"[^/:@\s?#]*", text[match.end() :])
    variable = credential_variable(host.group(0) if host else "")
    # GitHub's `TOKEN:x-oauth-basic@` (or `TOKEN:@`) has the token where the user goes.
    token_first = password is None or password.lower() in {"", "x-oauth-basic"}
    secret = user if token_first else password or ""
    if not secret or (token_first and user.lower() in _PLAIN_USERS):
        return text
    value = secret
    read = _SHELL_VARIABLE.match(secret)
    if read is not None:
        # The Dockerfile read it from a build argument: the Space reads the same name.
        named = (read.group(1) or read.group(2)).upper()
        variable, value = (named if re.fullmatch(r"[A-Z_][A-Z0-9_]*", named) else variable), ""
    base, number = variable, 2
    while value and {c.value for c in found if c.variable == variable} - {value, ""}:
        # Another credential for the same host: a variable of its own.
        variable, number = f"{base}_{number}", number + 1
    found.append(Credential(variable, value, line))
    reference = f"${{{variable}}}"
    if password is None:
        userinfo = reference
    else:
        userinfo = f"{reference}:{password}" if token_first else f"{user}:{reference}"
    return text[: match.start()] + userinfo + "@" + text[match.end() :]


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


def repository_path(
    path: str, extra: PipExtra, context: str, is_dir: Callable[[str], bool]
) -> str | None:
    """The repository path of ``path`` as ``pip install`` read it in the image: its
    ``WORKDIR`` and the ``COPY`` instructions before it, from the build context folder
    ``context`` (the Dockerfile's folder, ``""`` for the root), taken back. ``None`` when
    no ``COPY`` put it there (downloaded or built in the image) or it lies outside the
    repository. ``is_dir`` says which repository paths are folders (a folder's content is
    what ``COPY`` copies)."""
    inside = posixpath.normpath(posixpath.join(extra.workdir, path))
    for copy in reversed(extra.copies):
        for source in reversed(copy.sources):
            joined = posixpath.normpath(posixpath.join(context, source.lstrip("/")))
            repo = "" if joined == "." else joined
            if repo == ".." or repo.startswith("../"):
                continue
            if not is_dir(repo):
                # A file lands at the destination, or in it when that is a folder of the
                # image (`COPY x.whl .`): which one only the image knows, so either.
                into = posixpath.join(copy.destination, posixpath.basename(repo))
                if inside == into or (inside == copy.destination and not copy.into):
                    return repo
                continue
            prefix = copy.destination.rstrip("/") + "/"  # a folder's content lands in it
            if inside == copy.destination:
                return repo
            if inside.startswith(prefix):
                rest = inside[len(prefix) :]
                return posixpath.join(repo, rest) if repo else rest
    return None


class Role(Enum):
    """What a Dockerfile builds, from what it installs, runs and starts from."""

    BACKEND = "backend"  # a Python image, pip, or a command that starts Python
    FRONTEND = "frontend"  # Node, nginx...: npm, yarn, a web server, and no Python
    UNKNOWN = "unknown"


_PYTHON_IMAGE = re.compile(
    r"python|pypy|conda|mamba|uvicorn|gunicorn|fastapi|pytorch|tensorflow|huggingface|jupyter",
    re.IGNORECASE,
)
_FRONTEND_IMAGE = re.compile(
    r"(^|/)(node|nginx|nginxinc/[\w-]+|httpd|caddy|bun|deno|oven/bun|traefik)(:|@|$)",
    re.IGNORECASE,
)
_PYTHON_COMMAND = re.compile(
    r"(^|[\s/\"'])(pip3?|uv|poetry|pipenv|python[\d.]*|uvicorn|gunicorn|hypercorn|granian|"
    r"daphne|fastapi)(\s|$)"
)
_FRONTEND_COMMAND = re.compile(r"(^|[\s/\"'])(npm|npx|yarn|pnpm|bun|nginx|vite|next)(\s|$)")


def role(text: str) -> Role:
    """Whether the Dockerfile ``text`` builds a Python backend, a frontend, or neither."""
    parsed = parse(text)
    stage = parsed.run_stage()
    reached = parsed.reached(stage)
    lineage = parsed.lineage(stage)
    image = lineage[0].base
    command = stage.entrypoint or stage.cmd
    texts = [script for s in reached for run in s.runs for script in run.scripts()]
    texts += [command.text] if command is not None else []
    if _PYTHON_IMAGE.search(image) or any(_PYTHON_COMMAND.search(t) for t in texts):
        return Role.BACKEND
    if _FRONTEND_IMAGE.search(image) or any(_FRONTEND_COMMAND.search(t) for t in texts):
        return Role.FRONTEND
    return Role.UNKNOWN


def harvest(text: str) -> Harvest:
    """What the image that runs the app installed and set (see the module's documentation)."""
    parsed = parse(text)
    stage = parsed.run_stage()
    reached = parsed.reached(stage)
    lineage = {s.index for s in parsed.lineage(stage)}
    result = Harvest([], [], [], [], [], _commands(parsed, stage), workdir=stage.workdir)
    for current in parsed.stages:
        if current.index not in {s.index for s in reached}:
            for run in current.runs:
                for words in _commands_of(run.scripts()):
                    pip = _pip_install(words)
                    if pip is not None:
                        result.other_stages.extend((p, run.line) for p in pip.packages)
            continue
        in_image = current.index in lineage
        if in_image:
            result.env.extend(current.env_lines)
        for run in current.runs:
            _harvest_run(run, result, in_image=in_image)
    return result


def _commands(parsed: Dockerfile, stage: Stage) -> list[Instruction]:
    """The WORKDIR instructions of the stage's lineage and the ENTRYPOINT and CMD it runs."""
    found = [w for s in parsed.lineage(stage) for w in s.workdirs]
    found += [c.instruction for c in (stage.entrypoint, stage.cmd) if c is not None]
    return sorted(found, key=lambda instruction: instruction.line)


def _commands_of(scripts: list[str]) -> list[list[str]]:
    return [_words(command) for script in scripts for command in _SHELL_SPLIT.split(script)]


def _harvest_run(run: Run, result: Harvest, *, in_image: bool) -> None:
    line = run.line
    for words in _commands_of(run.scripts()):
        pip = _pip_install(words)
        if pip is not None:
            found = result.credentials
            for package in pip.packages:
                tool = requirement_tool_kind(package)
                if tool is not None:
                    result.tools.append((package, line, tool))
                    continue
                result.pip_packages.append((hide_credentials(package, line, found), line))
            for file in pip.files:
                result.pip_files.append((file, line))
                context = PipExtra(ExtraKind.PATH, file, line, run.workdir, run.copies)
                result.pip_files_at.append((file, context))
            for kind, value in pip.extras:
                hidden = hide_credentials(value, line, found)
                result.pip_extras.append(PipExtra(kind, hidden, line, run.workdir, run.copies))
            continue
        if not in_image:
            continue  # a builder's system packages never reach the image that runs
        apt = _apt_install(words)
        if apt is not None:
            result.apt_packages.extend((p, line) for p in apt)
            continue
        if words[:2] == ["apk", "add"]:
            result.alpine_packages.extend((w, line) for w in words[2:] if not w.startswith("-"))
