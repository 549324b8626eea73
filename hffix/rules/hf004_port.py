"""HF004: hardcoded server ports, in Python and on server command lines."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterable

from hffix.deps.modules import IMPORTS, ImportUse
from hffix.findings import FixSafety
from hffix.fixes import Fix, ReplaceModule, Write
from hffix.python import edits
from hffix.python.imports import ensure_module_import
from hffix.python.servers import SERVER_CONFIGS, SERVER_FUNCTIONS
from hffix.repository.workspace import Unreadable
from hffix.rules import hf004_shell as shell
from hffix.rules.base import Example, Rule, RuleContext
from hffix.secrets.names import env_name
from hffix.secrets.scope import tests_matcher

PORT_CALLS = SERVER_FUNCTIONS | SERVER_CONFIGS | {"granian.Granian", "granian.server.Granian"}
# PORT, API_PORT, serverPort...: the port the app's own server listens on. DB_PORT,
# REDIS_PORT, SMTP_PORT and other services' ports never match.
SERVER_PORT = re.compile(
    r"^(?:(?:API|APP|APPLICATION|SERVER|HTTP|HTTPS|WEB|WEBSERVER|UVICORN|GUNICORN|HYPERCORN|"
    r"GRANIAN|BACKEND|SERVICE|LISTEN|LISTENING|FASTAPI|ASGI|BIND)_)?PORT$"
)
VARIABLE = "PORT"
# Clients of other services: in a module that imports one, a bare `PORT` constant is that
# service's port (`SMTP_HOST = ...; PORT = 587`), not the app's.
OTHER_SERVICE_MODULES = frozenset(
    {
        "aio_pika",
        "aiokafka",
        "aioredis",
        "aiosmtplib",
        "asyncpg",
        "ftplib",
        "imaplib",
        "kafka",
        "ldap3",
        "motor",
        "mysql",
        "nats",
        "paramiko",
        "pika",
        "poplib",
        "psycopg",
        "psycopg2",
        "pymongo",
        "pymysql",
        "redis",
        "smtplib",
        "socket",
    }
)


def imports_other_service(uses: Iterable[ImportUse]) -> bool:
    """Whether a module with imports ``uses`` imports a client of another service (see
    OTHER_SERVICE_MODULES); read from the imports HF007 also lists
    (:data:`hffix.deps.modules.IMPORTS`)."""
    return any(not use.level and use.module.split(".")[0] in OTHER_SERVICE_MODULES for use in uses)


# "port" as a word or the last part of a name: PORT, api_port, serverPort, port=; not "import".
_MENTIONS_PORT = re.compile(
    r"(?<![A-Za-z])(?:port|PORT|Port)(?![a-z])|[a-z0-9]Port(?![a-z])|_PORT|_port"
)


def _mentions_port(text: str) -> bool:
    """``_MENTIONS_PORT.search``, after a plain substring test that rules most modules out:
    every match holds PORT, Port, or a port that is not the one inside `import`."""
    if "PORT" not in text and "Port" not in text and "port" not in text.replace("import", ""):
        return False
    return _MENTIONS_PORT.search(text) is not None


def is_server_port_name(name: str) -> bool:
    return bool(SERVER_PORT.match(env_name(name)))


def may_hold_port(tree: ast.Module) -> bool:
    """False only if :class:`~hffix.rules.hf004_transform.Ports` can find nothing in the
    module whose ``ast`` is ``tree``.

    Every finding is a port literal held where the app's own port goes: a ``port=``
    keyword, a constant named for the server's port (``PORT = 8000``), or the integer
    default of a call that also names such a variable (``os.getenv("PORT", 8000)``). Where
    and in what call do not matter here: one walk of the shared ``ast`` instead of a libcst
    parse and transform, for modules that only mention ports (a database's, a socket's)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword):
            if node.arg == "port" and _is_port_constant(node.value):
                return True
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if (
                node.value is not None
                and _is_port_constant(node.value)
                and any(isinstance(t, ast.Name) and is_server_port_name(t.id) for t in targets)
            ):
                return True
        elif isinstance(node, ast.Call):
            arguments = (*node.args, *(keyword.value for keyword in node.keywords))
            values = [v.value for v in arguments if isinstance(v, ast.Constant)]
            if any(type(v) is int for v in values) and any(
                isinstance(v, str) and is_server_port_name(v) for v in values
            ):
                return True
    return False


def _is_port_constant(node: ast.expr) -> bool:
    """An ``int`` or a string of digits: what ``hf004_transform._port_literal``
    may take for a port."""
    if not isinstance(node, ast.Constant):
        return False
    return type(node.value) is int or (isinstance(node.value, str) and node.value.isdigit())


class HardcodedPort(Rule):
    """
    ## What it does
    Finds ports the app's server is told to listen on. In Python: `port=` of
    `uvicorn.run` / `uvicorn.Config` (calls HF002 left in place), module and class
    constants named `PORT`, `API_PORT`, `SERVER_PORT`, `APP_PORT`... and model or dataclass
    fields named so, with a literal value, and `os.environ.get("PORT", 8000)` with a number
    as default (a `str` when set, an `int` when not). Each becomes
    `int(os.environ.get("PORT", "8000"))` (a string literal stays a string:
    `os.environ.get("PORT", "8000")`), keeping the old port as the local default, with
    `import os` added once. Database, Redis, SMTP and other services' ports are left alone
    (`DB_PORT`, `SMTP_PORT`, and a bare `PORT` in a module that imports such a service's
    client: `smtplib`, `redis`, `pika`, `psycopg`, `socket`, ...); so are pydantic
    `BaseSettings` fields, which already read the environment.

    On command lines in Procfiles, shell scripts, Makefiles, justfiles, `tox.ini`,
    `pyproject.toml` task tables, `package.json` scripts and extensionless start scripts,
    `--port N`, `--port=N`, `-p N` and gunicorn/hypercorn `-b`/`--bind host:N` are removed
    from `uvicorn`, `gunicorn`, `hypercorn`, `granian` and `fastapi run` commands. Ports
    taken from a variable (`--port $PORT`) are already compliant. File modes are kept.

    ## Why it matters
    SP-HF-07 and FR-04: hardcoded ports and `--port` flags are forbidden. The Space runs
    the app behind its own proxy on the port it chooses; a fixed port is a "Port error"
    (SP-HF-09).

    ## Example
    ```python
    PORT = 8000
    ```
    becomes
    ```python
    import os

    PORT = int(os.environ.get("PORT", "8000"))
    ```
    and `web: uvicorn main:app --host 0.0.0.0 --port 8000` in a Procfile becomes
    `web: uvicorn main:app --host 0.0.0.0`.

    ## Fix safety
    Safe: local runs keep their port (it is the default), the Space gets the one it
    sets. Test files and fixtures are not touched (`[tool.hffix] test-paths`). Suppress
    with `# hffix: ignore[HF004]` on a Python line, or per-file-ignores.
    """

    code = "HF004"
    name = "hardcoded-port"
    spec = "SP-HF-07"
    MESSAGE = "server port {port} hardcoded in {where}"
    fixes = (FixSafety.SAFE, FixSafety.DISPLAY_ONLY)

    VALID = (
        Example.module(
            'import os\n\nPORT = int(os.environ.get("PORT", "8000"))\nDB_PORT = 5432\n'
            "REDIS_PORT = 6379\nSMTP_PORT = 587\n"
        ),
        Example(before={"Procfile": "web: uvicorn main:app --host 0.0.0.0 --port $PORT\n"}),
    )
    INVALID = (
        Example.module(
            "PORT = 8000\n",
            'import os\n\nPORT = int(os.environ.get("PORT", "8000"))\n',
            codes=["HF004"],
            path="config.py",
        ),
        Example(
            before={"Procfile": "web: uvicorn main:app --host 0.0.0.0 --port 8000\n"},
            after={"Procfile": "web: uvicorn main:app --host 0.0.0.0\n"},
            codes=("HF004",),
        ),
    )

    def run(self, ctx: RuleContext) -> None:
        is_test = tests_matcher(ctx.config)
        for path in ctx.workspace.paths():
            if is_test(path) or ctx.config.ignored_in(path, self.code):
                continue
            if path.endswith(".py"):
                self._python(ctx, path)
            else:
                self._commands(ctx, path)

    # ------------------------------------------------------------ Python
    def _python(self, ctx: RuleContext, path: str) -> None:
        text = ctx.text(path)
        if text is None or not _mentions_port(text):
            return
        syntax = ctx.syntax(path)
        if syntax is not None and syntax.tree is not None and not may_hold_port(syntax.tree):
            return
        if not ctx.in_space(path):
            return  # a dev script or another service: its port is its own business
        module = ctx.parse(path)
        if module is None:
            return
        uses = ctx.analysis(IMPORTS, path)
        other_service = imports_other_service(uses or [])
        from hffix.rules.hf004_transform import Ports  # imports libcst

        transformer = Ports(ctx, path, module, other_service=other_service)
        result = module.visit(transformer)
        if transformer.needs_os:
            result = ensure_module_import(result, "os")
        # One rewritten module resolves every port in it; it changes how the repository
        # starts, so it waits for the app to be chosen (HF001).
        fix = Fix.safe(ReplaceModule(path, edits.tidy_module_start(module, result)), startup=True)
        for issue in transformer.issues:
            subject = issue.message.split(": now read")[0]
            ctx.report(
                path, issue.message, fix=fix, subject=subject, line=issue.line, col=issue.col
            )

    # ------------------------------------------------------------ command lines
    def _commands(self, ctx: RuleContext, path: str) -> None:
        workspace = ctx.workspace
        base = posixpath.basename(path)
        executable = bool(workspace.mode(path) & 0o100)
        named = base in ("package.json", "pyproject.toml") or shell.is_shell_like(path)
        if not named and not ("." not in base and executable):
            return
        try:
            text = workspace.text(path)
        except Unreadable as exc:
            if named:  # an executable without extension may well be a binary: say nothing
                ctx.diagnose(exc.path, exc.reason)
            return
        if not shell.SERVER.search(text):
            return
        removals = shell.removals_in_file(path, text, executable)
        kept = [
            r for r in removals or () if ctx.allows(path, shell.position(text, r.option_start)[0])
        ]
        fix = Fix.safe(Write(path, shell.apply(text, kept)), startup=True)
        for removal in kept:
            line, col = shell.position(text, removal.option_start)
            what = f"`{removal.option}` on a `{removal.command}` command line"
            message = f"{what}: removed, the Space decides the port"
            ctx.report(path, message, fix=fix, subject=what, line=line, col=col)
