"""HF006: Dockerfiles in a Python Space, harvested for what they knew, then deleted."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from hffix.deps import dockerfile, tree
from hffix.findings import FixSafety, Status
from hffix.fixes import Delete, Edit, Fix, Write
from hffix.formats.dockerfile import build_context, is_docker_file, is_dockerfile, parse
from hffix.formats.requirements import requirement_name
from hffix.project import frontmatter, runcommands
from hffix.python.servers import SERVER_MODULES
from hffix.rules.base import Example, Rule, RuleContext
from hffix.secrets.classify import classify

PACKAGES_FILE = "packages.txt"
_COMPOSE_NAME = re.compile(r"^(?:docker-)?compose(?:[.-].+)?\.ya?ml$", re.IGNORECASE)
_SECRET_NAME = re.compile(
    r"(SECRET|TOKEN|PASSWORD|PASSWD|PWD|API_?KEY|PRIVATE|CREDENTIAL|ACCESS_KEY|_KEY$|^KEY$|"
    r"AUTH|SALT|SIGNING)",
    re.IGNORECASE,
)
_URL_CREDENTIALS = re.compile(r"://[^/\s:@]+:[^/\s@]+@")
_BUILD_ONLY_ENV = re.compile(
    r"^(PYTHON[A-Z_]*|PIP_[A-Z_]*|POETRY_[A-Z_]*|UV_[A-Z_]*|PIPENV_[A-Z_]*|PATH|HOME|LANG|"
    r"LANGUAGE|LC_[A-Z_]*|DEBIAN_FRONTEND|VIRTUAL_ENV|PORT|HOST|APP_HOME|WORKDIR|TERM)$"
)
_PYTHON_APT = re.compile(r"^(python3?(\.\d+)?(-[\w.+-]+)?|python-is-python3|pip)$")
# Folders of other people's code, whose Dockerfiles are none of the repository's business.
_VENDORED = frozenset({"node_modules", ".venv", "venv", "site-packages", ".git", ".tox"})
_INSTALLERS = frozenset({"pip", "setuptools", "wheel"})
_KEPT = "kept: a Python Space never builds it (SP-HF-02), so it changes nothing there"


_DOCKER_SPACE = (
    "left as it is, because README.md's front matter says `sdk: docker` and no "
    "`[tool.hffix] sdk` names the SDK to switch to: the Space is built from this Dockerfile "
    "until then (see HF008)"
)


def _declares_docker_space(ctx: RuleContext) -> bool:
    """README.md's front matter makes this a Docker Space, and the configuration does not
    say what to switch to: deleting the Dockerfile would leave a Space that cannot build."""
    if ctx.config.option("sdk") is not None or not ctx.workspace.exists("README.md"):
        return False
    text = ctx.text("README.md")
    try:
        front = frontmatter.parse(text) if text is not None else None
    except frontmatter.FrontMatterError:
        return False
    entry = front.entries.get("sdk") if front is not None else None
    return entry is not None and frontmatter.scalar(entry) == "docker"


# Commands that prepare nothing the app needs: not start-up steps.
_TRIVIAL_COMMANDS = frozenset(
    {"cd", "echo", "printf", "export", "set", "true", "sleep", "exec", "wait", "env", "ls", "cat"}
)
# The words that start a server on a command line (`fastapi run` starts with `fastapi`).
_SERVERS = (*SERVER_MODULES, "granian", "fastapi")


def _script_reader(ctx: RuleContext, dockerfile_path: str) -> Callable[[str], str | None]:
    """Reads a script the command runs (``./prestart.sh``), from the Dockerfile's folder."""
    folder = posixpath.dirname(dockerfile_path)

    def read(name: str) -> str | None:
        for candidate in (posixpath.normpath(posixpath.join(folder, name)), name.lstrip("/")):
            if ctx.workspace.exists(candidate):
                return ctx.text(candidate)
        return None

    return read


def startup_steps(command: str, read_script: Callable[[str], str | None]) -> list[str]:
    """The commands ``command`` (a CMD or ENTRYPOINT, shell or exec form) runs before it
    starts the server; a shell script it runs (``./prestart.sh``, an ``ENTRYPOINT`` script
    ending in ``exec "$@"`` that runs the ``CMD``) is read the same way, one level deep.
    Empty when it starts no server: then its commands are not the app's."""
    argv = runcommands.exec_form(command)
    text = runcommands.shlex_join(argv) if argv is not None else command
    steps, started = _steps(text, read_script)
    return steps if started else []


_SCRIPT_ARGUMENTS = re.compile(r"\"\$(?:@|\{@\})\"|\$(?:@|\{@\})")


def _with_arguments(line: str, arguments: str) -> str:
    """A script's line with ``"$@"`` replaced by the arguments the script was given."""
    return _SCRIPT_ARGUMENTS.sub(lambda _: arguments, line)


def _steps(text: str, read_script: Callable[[str], str | None] | None) -> tuple[list[str], bool]:
    """(commands before the server, whether a server is started) for one command line."""
    steps: list[str] = []
    for words in runcommands.simple_commands(runcommands.split_words(text)):
        head = posixpath.basename(words[0])
        if head == "exec" and len(words) > 1:
            words = words[1:]
            head = posixpath.basename(words[0])
        if head in {"sh", "bash"} and len(words) > 2 and words[1] in {"-c", "-ec", "-ce"}:
            inner, started = _steps(words[2], read_script)
            steps.extend(inner)
            if started:
                return steps, True
            continue
        if head in _SERVERS or (head.startswith("python") and "uvicorn" in words[1:3]):
            return steps, True
        if head in _TRIVIAL_COMMANDS or "=" in words[0]:
            continue
        at = 1 if head in {"sh", "bash"} and len(words) > 1 else 0
        script = words[at]
        body = read_script(script) if read_script is not None and script.endswith(".sh") else None
        if body is not None:
            # The script's own arguments (an ENTRYPOINT script's CMD) stand for "$@".
            arguments = runcommands.shlex_join(words[at + 1 :])
            for line in body.splitlines():
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                inner, started = _steps(_with_arguments(line, arguments), None)
                steps.extend(f"{step} (in {script})" for step in inner)
                if started:
                    return steps, True
            continue
        steps.append(" ".join(words)[:80])
    return steps, False


def _ancestors(folder: str) -> list[str]:
    found = []
    while folder:
        found.append(folder)
        folder = posixpath.dirname(folder)
    return found


def _mask(value: str) -> str:
    return f"**** ({len(value)} characters, not copied)"


def is_secret(name: str, value: str) -> bool:
    return bool(_SECRET_NAME.search(name) or _URL_CREDENTIALS.search(value))


class Docker(Rule):
    """
    ## What it does
    Finds Dockerfiles under any name and anywhere (`Dockerfile` in any case, `Dockerfile.*`,
    `*.Dockerfile`, `Dockerfilefront.dev`, `Containerfile`, `docker/api/Dockerfile`). One
    beside the backend's code, or that copies the app's folder in, is deleted with the
    backend's `.dockerignore`, after harvesting the image that runs the app (the stage whose
    command starts it, the stages it is built from and those it copies files from):
    `RUN pip install` packages go to requirements.txt (through HF007; build and test tools
    such as pip, poetry, uv and pytest are not runtime dependencies), `apt-get install`
    packages of the running image to `packages.txt` (the Spaces file for Debian packages),
    `ENV` names to the variables the Space must set (values of secrets are reported
    masked, never copied), and the `CMD`/`ENTRYPOINT` is named in the finding; commands it
    ran before the server (`alembic upgrade head`, a `prestart.sh`) are reported. A
    Dockerfile that builds a frontend, a dev container or another service is reported and
    kept. Compose files (`docker-compose*.yml`, `compose*.yaml`) are reported and kept;
    `[tool.hffix] compose = "delete"` deletes them too.

    ## Why it matters
    SP-HF-02 and SP-HF-10: the Space is a Python Space; Docker Spaces are forbidden. A
    Dockerfile left in the repository contradicts the SDK setting, and what it installed
    or set is silently lost when the Space does not run it.

    ## Example
    ```dockerfile
    FROM python:3.10-slim
    RUN apt-get update && apt-get install -y ffmpeg
    RUN pip install --no-cache-dir fastapi uvicorn
    ENV OPENAI_API_KEY=sk-...
    CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "7860"]
    ```
    The Dockerfile is deleted; `ffmpeg` goes to `packages.txt`, `fastapi` and `uvicorn` to
    requirements.txt, and `OPENAI_API_KEY` is reported as a secret to set in the Space.

    ## Fix safety
    Safe for a Python Space: the Space never runs the file. Everything it installed is
    carried over; values of `ENV` are reported (secrets masked), as the Space settings are
    where they belong.
    """

    code = "HF006"
    name = "dockerfile"
    spec = "SP-HF-02"
    MESSAGE = "Dockerfile in a Python Space"
    fixes = (FixSafety.SAFE, FixSafety.DISPLAY_ONLY)
    OPTIONS = ("compose", "sdk")

    VALID = (Example(before={"main.py": "app = None\n", "docs/docker.md": "# Dockerfile\n"}),)
    INVALID = (
        Example(
            before={
                "main.py": "app = None\n",
                "dockerfile": "FROM python:3.10\nRUN apt-get update && apt-get install -y "
                "--no-install-recommends ffmpeg libgl1 && rm -rf /var/lib/apt/lists/*\n"
                'CMD ["uvicorn", "main:app"]\n',
                ".dockerignore": ".venv\n",
            },
            after={"dockerfile": None, ".dockerignore": None, "packages.txt": "ffmpeg\nlibgl1\n"},
            codes=("HF006",),
        ),
    )

    def run(self, ctx: RuleContext) -> None:
        folders = tree.backend_folders(ctx.workspace, ctx.facts)
        root_of_imports = ctx.facts.app.import_root.strip("/") if ctx.facts.app else ""
        apt: dict[str, str] = {}
        deleted: list[tuple[str, str, list[str]]] = []  # Dockerfile, message, variables
        docker_space = _declares_docker_space(ctx)
        keep_all = ctx.app_undecided or docker_space
        for path in ctx.workspace.paths():
            folder = posixpath.dirname(path)
            if _VENDORED.intersection(path.split("/")[:-1]) or not ctx.allows(path):
                continue
            inside = folder in folders or bool(
                root_of_imports and (folder + "/").startswith(root_of_imports + "/")
            )
            name = posixpath.basename(path)
            if is_dockerfile(path):
                if keep_all:
                    if inside:
                        # The Dockerfile is how the repository runs today and the evidence
                        # a later run chooses the app from: nothing is harvested or deleted.
                        what = f"{Docker.MESSAGE} (SP-HF-02: Docker Spaces are forbidden)"
                        message = (
                            ctx.kept_message(what)
                            if ctx.app_undecided
                            else f"{what}: {_DOCKER_SPACE}"
                        )
                        ctx.report(path, message, status=Status.MANUAL)
                    continue
                why_kept = self._not_the_space(ctx, path, inside)
                if why_kept is not None:
                    message = f"{Docker.MESSAGE}: {why_kept}; {_KEPT}"
                    ctx.report(path, message, status=Status.MANUAL)
                    continue
                harvested = self._dockerfile(ctx, path, apt)
                if harvested is not None:
                    deleted.append((path, *harvested))
            elif not inside:
                continue
            elif name.lower().endswith(".dockerignore"):
                if not keep_all:
                    message = f"{name} is only read by Docker builds: deleted"
                    ctx.report(path, message, fix=Fix.safe(Delete(path)))
            elif _COMPOSE_NAME.match(name):
                self._compose(ctx, path)
        # Each Dockerfile goes with what was harvested from it: its apt packages reach
        # packages.txt in the same fix (written once, whichever Dockerfile comes first).
        packages = self._packages_txt(ctx, apt)
        for path, message, names in deleted:
            edits: list[Edit] = [Delete(path)]
            if packages is not None and path in apt.values():
                edits.append(packages)
            fix = Fix(tuple(edits), startup=True)
            ctx.report(path, message, fix=fix, variables=names)

    def _not_the_space(self, ctx: RuleContext, path: str, inside: bool) -> str | None:
        """Why the Dockerfile at ``path`` is not the one that built the Space's backend (it
        is then kept), or ``None``: it is beside the backend's code (``inside`` its folders),
        or copies the app's folder in."""
        folder = posixpath.dirname(path)
        if ".devcontainer" in path.split("/"):
            return "it defines a development container (.devcontainer/), not the Space"
        text = ctx.text(path)
        if text is None:
            return None if inside else "it could not be read"
        role = dockerfile.role(text)
        files = [p for p in ctx.workspace.paths() if posixpath.dirname(p) == folder]
        beside_frontend = any(posixpath.basename(p) == "package.json" for p in files) and not any(
            p.endswith(".py") for p in files
        )
        if role is dockerfile.Role.FRONTEND or (
            beside_frontend and role is not dockerfile.Role.BACKEND
        ):
            where = f" ({folder}/)" if folder else ""
            return f"it builds a frontend{where}, not the Python backend"
        if inside:
            return None
        if self._copies_the_app(ctx, path, text):
            return None
        under = f"{folder}/"
        if any(p.startswith(under) and p.endswith(".py") for p in ctx.workspace.paths()):
            return f"it builds another service ({folder}/), not the app the Space serves"
        return "it does not build the app the Space serves (no COPY brings in its folder)"

    def _copies_the_app(self, ctx: RuleContext, path: str, text: str) -> bool:
        """Whether the Dockerfile (outside the backend's folders: `docker/api/Dockerfile`)
        copies the app's module into the image, read from its folder or the root."""
        app = ctx.facts.app
        if app is None or ctx.facts.no_app:
            return False
        module = ctx.workspace.origin(app.module_path) or app.module_path
        disk = ctx.workspace.disk
        folder = posixpath.dirname(path)
        dirs = {posixpath.dirname(p) for p in disk}
        dirs |= {d for p in list(dirs) for d in _ancestors(p)}

        def exists(candidate: str) -> bool:
            return candidate in disk or candidate in dirs

        holds_files = any(posixpath.dirname(p) == folder and not is_docker_file(p) for p in disk)
        parsed = parse(text)
        context = build_context(parsed, folder, exists, holds_files)
        stage = parsed.run_stage()
        for member in parsed.reached(stage):
            for copy in member.copies:
                for source in copy.sources:
                    joined = posixpath.normpath(posixpath.join(context, source.strip("/") or "."))
                    repo = "" if joined == "." else joined
                    if repo.startswith(".."):
                        continue
                    if not repo or module == repo or module.startswith(repo + "/"):
                        return True
        return False

    def _dockerfile(
        self, ctx: RuleContext, path: str, apt: dict[str, str]
    ) -> tuple[str, list[str]] | None:
        """Harvest the Dockerfile at ``path``; the message of its deletion and the variables
        it set, or ``None`` when it cannot be read."""
        text = ctx.text(path)
        if text is None:
            return None
        found = dockerfile.harvest(text)
        harvested: list[str] = []
        pip = found.pip_packages
        for package, line in pip:
            if requirement_name(package) is not None:
                ctx.facts.requirements.setdefault(
                    package,
                    f"`RUN pip install` in {ctx.where(path, line)} (HF006 deleted the Dockerfile)",
                )
        if pip and ctx.config.enabled("HF007"):
            harvested.append(
                f"pip packages {', '.join(f'`{p}`' for p, _ in pip)} -> requirements.txt"
            )
        elif pip:
            ctx.report(
                path,
                f"`RUN pip install` installed {', '.join(f'`{p}`' for p, _ in pip)}; HF007 is "
                "not selected, so add them to requirements.txt by hand",
                status=Status.MANUAL,
                line=pip[0][1],
                col=1,
            )
        # pip, setuptools and wheel are upgraded by most Dockerfiles: not worth a word.
        named = [p for p, _, _ in found.tools if requirement_name(p) not in _INSTALLERS]
        if named:
            tools = ", ".join(f"`{p}`" for p in dict.fromkeys(named))
            harvested.append(f"build and test tools {tools} left out")
        if found.other_stages:
            other = ", ".join(f"`{p}`" for p in dict.fromkeys(p for p, _ in found.other_stages))
            harvested.append(f"{other} of build stages the app's image does not use left out")
        if found.pip_files:
            installed = list(dict.fromkeys(f for f, _ in found.pip_files))
            files = ", ".join(f"`{f}`" for f in installed)
            at_root = posixpath.dirname(path) == "" and installed == ["requirements.txt"]
            merge = (
                ""
                if at_root
                else " (HF007 merges it into requirements.txt)"
                if ctx.config.enabled("HF007")
                else " (HF007 is not selected: merge it into requirements.txt by hand)"
            )
            harvested.append(f"it installed {files}{merge}")
        debian = [(p, line) for p, line in found.apt_packages if not _PYTHON_APT.match(p)]
        for package, _line in debian:
            apt.setdefault(package, path)
        if debian:
            harvested.append(f"apt packages {', '.join(p for p, _ in debian)} -> packages.txt")
        if found.alpine_packages:
            ctx.report(
                path,
                "`apk add` installs Alpine packages ("
                + ", ".join(p for p, _ in found.alpine_packages)
                + "); add their Debian names to packages.txt by hand",
                status=Status.MANUAL,
                line=found.alpine_packages[0][1],
                col=1,
            )
        names = self._env(ctx, path, found.env)
        if names:
            harvested.append(f"ENV names {', '.join(names)} -> variables to set in the Space")
        started = [i for i in found.commands if i.keyword in {"CMD", "ENTRYPOINT"}]
        if started:
            said = " and ".join(f"{i.keyword} `{i.argument}`" for i in started)
            harvested.append(f"it started the app with {said}")
            self._startup_steps(ctx, path, started)
        summary = "; ".join(harvested) if harvested else "nothing to carry over"
        return (
            f"{Docker.MESSAGE} (SP-HF-02: Docker Spaces are forbidden): deleted; {summary}",
            names,
        )

    def _startup_steps(
        self, ctx: RuleContext, path: str, started: list[dockerfile.Instruction]
    ) -> None:
        """Commands the container ran before the server (`alembic upgrade head && uvicorn
        ...`, a `prestart.sh`, an ENTRYPOINT script that ends with `exec "$@"`): a Space runs
        only the app, so each is reported."""
        entrypoint = next((i for i in started if i.keyword == "ENTRYPOINT"), None)
        cmd = next((i for i in started if i.keyword == "CMD"), None)
        command = (entrypoint or cmd or started[0]).argument
        if entrypoint is not None and cmd is not None:
            # The container runs ENTRYPOINT with CMD as its arguments.
            words = runcommands.exec_form(entrypoint.argument)
            arguments = runcommands.exec_form(cmd.argument)
            if words is not None and arguments is not None:
                command = runcommands.shlex_join([*words, *arguments])
        steps = startup_steps(command, _script_reader(ctx, path))
        if steps:
            shown = ", ".join(f"`{step}`" for step in steps[:4])
            ctx.report(
                path,
                f"the container ran {shown} before starting the app; a Space only imports "
                "main.py, so nothing runs it: call it from the app's lifespan (startup) or run "
                "it once by hand",
                status=Status.MANUAL,
                line=(entrypoint or cmd or started[0]).line,
                col=1,
            )

    def _env(self, ctx: RuleContext, path: str, env: list[tuple[str, str, int]]) -> list[str]:
        names: list[str] = []
        for name, value, line in env:
            if _BUILD_ONLY_ENV.match(name) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                continue
            if name not in names:
                names.append(name)
            ctx.facts.variables.add(name)
            literal = value and not value.startswith("$")
            detection = classify(value, name) if literal else None
            if literal and (detection is not None or is_secret(name, value)):
                shown = detection.masked if detection is not None else _mask(value)
                ctx.report(
                    path,
                    f"`ENV {name}` holds a secret value {shown}: set {name} as a secret "
                    "in the Space settings and rotate it, since it was committed",
                    status=Status.MANUAL,
                    line=line,
                    col=1,
                    variables=[name],
                    secret=True,
                )
            elif literal:
                ctx.report(
                    path,
                    f"`ENV {name}` gave the app a default value the Space will not have: set "
                    f"{name} as a variable in the Space settings (the value is not copied)",
                    status=Status.MANUAL,
                    line=line,
                    col=1,
                    variables=[name],
                )
        return names

    def _compose(self, ctx: RuleContext, path: str) -> None:
        if str(ctx.config.option("compose", "keep")).lower() == "delete":
            ctx.report(path, "compose file in a Python Space: deleted", fix=Fix.safe(Delete(path)))
            return
        ctx.report(
            path,
            "compose file kept: a Python Space does not run it, so services it starts "
            '(databases, caches) must come from elsewhere; `[tool.hffix] compose = "delete"` '
            "deletes it",
            status=Status.MANUAL,
        )

    def _packages_txt(self, ctx: RuleContext, apt: dict[str, str]) -> Write | None:
        """packages.txt with the apt packages not yet in it, or ``None`` if it needs none."""
        if not apt:
            return None
        existing = ctx.text(PACKAGES_FILE) if ctx.workspace.exists(PACKAGES_FILE) else ""
        if existing is None:
            return None
        have = {line.split("#")[0].strip() for line in existing.splitlines()}
        missing = [p for p in apt if p not in have]
        if not missing:
            return None
        newline = ctx.workspace.newline(PACKAGES_FILE)
        prefix = existing if not existing or existing.endswith(("\n", "\r")) else existing + newline
        return Write(PACKAGES_FILE, prefix + newline.join(missing) + newline)
