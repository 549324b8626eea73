"""HF003: ``if __name__ == "__main__":`` blocks in the modules a Space starts from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hffix.findings import FixSafety, Status
from hffix.fixes import Fix, ReplaceModule
from hffix.project.pysummary import FASTAPI_CLASSES
from hffix.python import edits
from hffix.python.importmap import ImportMap
from hffix.python.imports import freed_imports, without_aliases
from hffix.python.names import NameUses, assigned_names, find_all, small_statements
from hffix.python.positions import Positions, top_level_lines
from hffix.python.servers import (
    COROUTINE_RUNNERS,
    SERVER_MODULES,
    has_main_guard,
    is_main_guard,
    is_server_module,
    is_server_statement,
    launches_server_process,
    qualified,
    server_variables,
)
from hffix.rules.base import Example, Rule, RuleContext

if TYPE_CHECKING:
    import libcst as cst

LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "critical", "exception", "log"}
)
EXITS = frozenset({"sys.exit", "exit", "quit", "os._exit", "builtins.exit"})

LIFESPAN_TEMPLATE = """\
_hffix_startup_after = {app}.router.lifespan_context


@asynccontextmanager
async def _hffix_lifespan(asgi_app):
    pass
    async with _hffix_startup_after(asgi_app) as state:
        yield state


{app}.router.lifespan_context = _hffix_lifespan
"""
LIFESPAN_COMMENT = '# hffix: moved from `if __name__ == "__main__":`, runs when the app starts.'


class MainBlock(Rule):
    """
    ## What it does
    Finds `if __name__ == "__main__":` blocks in the modules a Space starts from (the
    root `main.py` and the module that defines the FastAPI `app`) and, in any module,
    blocks whose job is to start a server. Statements that only serve the server start
    (`uvicorn.run`, its `Config`/`Server` objects, the host/port variables feeding them,
    `print`/log messages, `import uvicorn`) are dropped; a block left with nothing else is
    removed. A standalone script's block that starts no server is left alone.

    ## Why it matters
    SP-HF-04: `main.py` MUST NOT rely on `if __name__ == '__main__'`. The Space imports
    `main` and serves `app`; the block never runs there. Any work in it (creating tables,
    seeding, logging set-up) silently stops happening.

    ## Example
    ```python
    app = FastAPI()

    if __name__ == "__main__":
        create_db_and_tables()
        uvicorn.run(app, port=8000)
    ```
    The safe fix removes the server start, keeps `create_db_and_tables()` in the block and
    reports it as unfixed. With `--unsafe-fixes` the work moves into the app's startup: a
    lifespan that runs it, then the app's existing lifespan (or its startup handlers).

    ## Fix safety
    Removing server plumbing is safe. Moving other statements into the startup is unsafe:
    they then run in the server's event loop on every start (`asyncio.run(x())` becomes
    `await x()`), and they run before the app's own startup, as they did before. Blocks
    whose statements bind names used elsewhere, call `sys.exit`, or have an `else:` are
    only reported.
    """

    code = "HF003"
    name = "main-block"
    spec = "SP-HF-04"
    MESSAGE = '`if __name__ == "__main__":` block in a module the Space starts from'
    fixes = (FixSafety.SAFE, FixSafety.UNSAFE, FixSafety.DISPLAY_ONLY)

    VALID = (
        Example.module(
            'import sys\n\n\ndef seed():\n    pass\n\n\nif __name__ == "__main__":\n    seed()\n',
            path="scripts/seed.py",
        ),
        Example.module('TEXT = """\nif __name__ == "__main__":\n    main()\n"""\n'),
    )
    INVALID = (
        Example.module(
            "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
            'if __name__ == "__main__":\n    uvicorn.run(app, port=8000)\n',
            "from fastapi import FastAPI\n\napp = FastAPI()\n",
            codes=["HF003"],
        ),
        Example.module(
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n\ndef init():\n    pass\n\n\n"
            'if __name__ == "__main__":\n    init()\n',
            "from fastapi import FastAPI\nfrom contextlib import asynccontextmanager\n\n"
            "app = FastAPI()\n\n\ndef init():\n    pass\n\n\n" + LIFESPAN_COMMENT + "\n"
            "_hffix_startup_after = app.router.lifespan_context\n\n\n@asynccontextmanager\n"
            "async def _hffix_lifespan(asgi_app):\n    init()\n"
            "    async with _hffix_startup_after(asgi_app) as state:\n        yield state\n\n\n"
            "app.router.lifespan_context = _hffix_lifespan\n",
            codes=["HF003"],
            unsafe_fixes=True,
        ),
    )

    def run(self, ctx: RuleContext) -> None:
        for path, text in ctx.python_files("__main__"):
            syntax = ctx.syntax(path)
            tree = syntax.tree if syntax is not None else None
            if tree is not None and not has_main_guard(tree):
                continue  # the slow parse only for modules that have a block
            if not ctx.in_space(path):
                continue  # a dev script, a test or another service: the Space never runs it
            module = ctx.parse(path)
            if module is None or not any(is_main_guard(s) for s in module.body):
                continue
            lines = top_level_lines(module, tree) if tree is not None else None
            transformer = _MainBlocks(ctx, path, module, text, lines)
            result = transformer.fix()
            if transformer.needs_asynccontextmanager:  # rare: imported here, libcst.codemod
                from libcst.codemod import CodemodContext  # pulls in matchers (slow import)
                from libcst.codemod.visitors import AddImportsVisitor

                context = CodemodContext(filename=path)
                AddImportsVisitor.add_needed_import(context, "contextlib", "asynccontextmanager")
                result = AddImportsVisitor(context).transform_module(result)
            result = edits.tidy_module_start(module, result)
            # One rewritten module resolves every block; it changes how the repository
            # starts, so it waits for the app to be chosen (HF001).
            safe = Fix.safe(ReplaceModule(path, result), startup=True)
            unsafe = Fix.unsafe(ReplaceModule(path, result), startup=True)
            for issue in transformer.issues:
                fix: Fix | None = None
                if issue.status is Status.FIXED:
                    fix = unsafe if issue.unsafe else safe
                elif issue.status is Status.UNSAFE_FIX:
                    fix = unsafe
                elif issue.edited:  # trimmed of its server start; the rest is the user's
                    fix = safe
                ctx.report(
                    path,
                    issue.message,
                    fix=fix,
                    status=Status.MANUAL if fix is None else None,
                    remains=issue.status is Status.MANUAL,
                    subject=_STARTS_THE_REPOSITORY,
                    line=issue.line,
                    col=1,
                )


_STARTS_THE_REPOSITORY = '`if __name__ == "__main__":` block that starts the repository'


@dataclass(frozen=True)
class _Issue:
    line: int
    message: str
    status: Status
    edited: bool = False  # the block was trimmed although the finding remains
    unsafe: bool = False  # the fix applied needs --unsafe-fixes


@dataclass
class _Block:
    """A ``__main__`` block split into server plumbing and the other work it does."""

    plumbing: list[cst.BaseStatement]
    work: list[cst.BaseStatement]
    starts_server: bool
    movable: bool
    why_not_movable: str


class _MainBlocks:
    """Rewrites the module-level ``__main__`` blocks of one module.

    Only module-level statements change, so this is no tree visitor: :meth:`fix` rebuilds
    the module's body, and the analyses that need the whole tree (who reads a name, which
    imports a removal frees) each run once, only when a block needs them.
    """

    def __init__(
        self,
        rule_ctx: RuleContext,
        path: str,
        module: cst.Module,
        text: str,
        lines: dict[cst.CSTNode, int] | None = None,
    ) -> None:
        self.rule_ctx = rule_ctx
        self.path = path
        self.issues: list[_Issue] = []
        self.needs_asynccontextmanager = False
        self._unused_runners: list[cst.CSTNode] = []  # `asyncio.run` turned into `await`
        self._tree = module
        self._text = text
        self._names = ImportMap(module)
        self._lines = lines  # line of each module-level statement, from the shared ast
        self._positions = Positions(module)

    def _line(self, stmt: cst.BaseStatement) -> int:
        if self._lines is not None and stmt in self._lines:
            return self._lines[stmt]
        return self._positions.line(stmt)

    def fix(self) -> cst.Module:
        """The module with its blocks fixed (the same object when nothing changes)."""
        return self._rewrite(self._tree)

    # ------------------------------------------------------------ analysis
    def _app_name(self, module: cst.Module) -> str | None:
        """The module-level name bound to ``FastAPI(...)``, else a module-level ``app``."""
        import libcst as cst

        fallback = None
        for stmt in module.body:
            for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
                value = getattr(small, "value", None)
                for name in assigned_names(small):
                    if isinstance(value, cst.Call) and qualified(
                        self._names, value.func, FASTAPI_CLASSES
                    ):
                        return name
                    if name == "app":
                        fallback = name
                if isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(
                    small.names, cst.ImportStar
                ):
                    for alias in small.names:
                        if alias.evaluated_alias == "app" or (
                            alias.asname is None and alias.evaluated_name == "app"
                        ):
                            fallback = "app"
        return fallback

    def _is_plumbing_small(self, small: cst.BaseSmallStatement, servers: frozenset[str]) -> bool:
        import libcst as cst

        if isinstance(small, cst.Pass):
            return True
        if isinstance(small, (cst.Import, cst.ImportFrom)):
            return _imports_server_module(small)
        if not isinstance(small, cst.Expr):
            return False
        if is_server_statement(small, self._names, servers) or launches_server_process(small):
            return True
        value = small.value
        if isinstance(value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            return True
        if isinstance(value, cst.Call):
            func = value.func
            if isinstance(func, cst.Name) and func.value == "print":
                return True
            if isinstance(func, cst.Attribute) and func.attr.value in LOG_METHODS:
                owner = func.value
                return isinstance(owner, cst.Name) and "log" in owner.value.lower()
        return False

    def _split(self, guard: cst.If, module_uses: NameUses, servers: frozenset[str]) -> _Block:
        import libcst as cst

        suite = guard.body
        body: list[cst.BaseStatement]
        if isinstance(suite, cst.IndentedBlock):
            body = list(suite.body)
        elif isinstance(suite, cst.SimpleStatementSuite):
            body = [cst.SimpleStatementLine(body=suite.body)]
        else:
            body = []
        smalls = [s for stmt in body for s in small_statements(stmt)]
        plumbing_smalls = {s for s in smalls if self._is_plumbing_small(s, servers)}
        starts = any(
            is_server_statement(s, self._names, servers) or launches_server_process(s)
            for s in smalls
        )
        # Assignments used only by plumbing (port, host, uvicorn.Config, ...) are plumbing.
        changed = True
        while changed:
            changed = False
            for small in smalls:
                names = assigned_names(small)
                if small in plumbing_smalls or not names:
                    continue
                inside = [*plumbing_smalls, small]
                if all(module_uses.only_within(n, inside) for n in names):
                    plumbing_smalls.add(small)
                    changed = True
        plumbing: list[cst.BaseStatement] = []
        work: list[cst.BaseStatement] = []
        for stmt in body:
            parts = small_statements(stmt)
            (plumbing if parts and all(s in plumbing_smalls for s in parts) else work).append(stmt)
        why = self._why_not_movable(work, module_uses)
        return _Block(plumbing, work, starts, not why, why)

    def _why_not_movable(self, work: Sequence[cst.BaseStatement], uses: NameUses) -> str:
        import libcst as cst

        block_smalls = [s for stmt in work for s in small_statements(stmt)]
        for stmt in work:
            for small in small_statements(stmt):
                if isinstance(small, (cst.Global, cst.Nonlocal, cst.Return)):
                    return "it uses `global`/`return`"
                for name in assigned_names(small):
                    if not uses.only_within(name, block_smalls):
                        return f"it sets `{name}`, which other code reads"
            for call in find_all(stmt, cst.Call):
                if qualified(self._names, call.func, EXITS):
                    return "it exits the process"
            for node in find_all(stmt, (cst.FunctionDef, cst.ClassDef)):
                assert isinstance(node, (cst.FunctionDef, cst.ClassDef))
                if not uses.only_within(node.name.value, block_smalls):
                    return f"it defines `{node.name.value}`, which other code reads"
        return ""

    # ------------------------------------------------------------ transform
    def _rewrite(self, module: cst.Module) -> cst.Module:
        import libcst as cst

        is_entry = (
            self.path == "main.py"
            or self.path in self.rule_ctx.facts.entry_modules
            or self._defines_app(module)
        )
        servers = server_variables(module, self._names, self._text)
        uses = NameUses.deferred(module)
        app_name = self._app_name(module)
        replacements: dict[int, list[cst.BaseStatement]] = {}
        removed: list[cst.CSTNode] = []
        for index, original in enumerate(module.body):
            if not isinstance(original, cst.If) or not is_main_guard(original):
                continue
            line = self._line(original)
            replacement, gone = self._fix_block(original, line, is_entry, servers, uses, app_name)
            if replacement is not None:
                replacements[index] = replacement
                removed.extend(gone)
        if not replacements:
            return module
        # Only the server package's own imports go with the block: `from shop.api import
        # app` in main.py is a re-export even when the block was its only reader.
        freed = freed_imports(module, removed, only=is_server_module)
        freed_statements: set[cst.CSTNode] = set(freed.statements)
        statements: list[cst.BaseStatement] = []
        doomed: set[cst.CSTNode] = set()
        for index, stmt in enumerate(module.body):
            if index in replacements:
                if not replacements[index]:
                    doomed.add(stmt)
                statements.extend(replacements[index] or [stmt])
            elif isinstance(stmt, cst.SimpleStatementLine):
                line_kept = self._without_freed(stmt, freed_statements, freed.aliases)
                if line_kept is None:
                    doomed.add(stmt)
                    statements.append(stmt)
                else:
                    statements.append(line_kept)
            else:
                statements.append(stmt)
        body, footer = edits.remove_statements(statements, lambda s: s in doomed)
        return module.with_changes(body=body, footer=[*footer, *module.footer])

    @staticmethod
    def _without_freed(
        line: cst.SimpleStatementLine,
        freed: set[cst.CSTNode],
        aliases: dict[cst.CSTNode, set[str]],
    ) -> cst.SimpleStatementLine | None:
        """A module-level line minus the imports the removal left unused."""
        import libcst as cst

        smalls: list[cst.BaseSmallStatement] = []
        for small in line.body:
            if small in freed:
                continue
            if isinstance(small, (cst.Import, cst.ImportFrom)) and small in aliases:
                smalls.append(without_aliases(small, aliases[small]))
            else:
                smalls.append(small)
        if not smalls:
            return None
        if len(smalls) == len(line.body) and all(
            a is b for a, b in zip(smalls, line.body, strict=True)
        ):
            return line
        smalls[-1] = smalls[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        return line.with_changes(body=smalls)

    def _defines_app(self, module: cst.Module) -> bool:
        import libcst as cst

        for assign in find_all(module, (cst.Assign, cst.AnnAssign)):
            value = getattr(assign, "value", None)
            if isinstance(value, cst.Call) and qualified(self._names, value.func, FASTAPI_CLASSES):
                return True
        return False

    def _fix_block(
        self,
        guard: cst.If,
        line: int,
        is_entry: bool,
        servers: frozenset[str],
        uses: NameUses,
        app_name: str | None,
    ) -> tuple[list[cst.BaseStatement] | None, list[cst.CSTNode]]:
        """(statements replacing the block, [] to delete it, None to keep it; removed nodes)."""
        import libcst as cst

        block = self._split(guard, uses, servers)
        if not (is_entry or block.starts_server):
            return None, []
        if self.rule_ctx.app_undecided and not block.starts_server:
            return None, []  # no app chosen: a script's own block is not the Space's business
        if not self.rule_ctx.allows(self.path, line):
            return None, []
        if guard.orelse is not None:
            self._issue(
                line, f"{MainBlock.MESSAGE}; it has an `else:` branch, fix by hand", Status.MANUAL
            )
            return None, []
        detached, _ = edits.split_leading_lines(guard.leading_lines)
        if not block.work:
            self._issue(
                line, f"{MainBlock.MESSAGE}; it only started a server: removed", Status.FIXED
            )
            return [], [guard]
        work_names = ", ".join(self._describe(s) for s in block.work)
        movable = block.movable and app_name is not None
        why = block.why_not_movable or "no module-level `app` to attach it to"
        if movable and self.rule_ctx.unsafe_fixes:
            self._issue(
                line,
                f"{MainBlock.MESSAGE}; moved {work_names} into the app's startup",
                Status.FIXED,
                unsafe=True,
            )
            assert app_name is not None
            lifespan = self._lifespan(guard, block.work, detached, app_name)
            return lifespan, [*block.plumbing, *self._unused_runners]
        if movable:
            message = (
                f"{MainBlock.MESSAGE}; it still runs {work_names}, which the Space never runs "
                "(--unsafe-fixes moves it into the app's startup)"
            )
            status = Status.UNSAFE_FIX
        else:
            message = (
                f"{MainBlock.MESSAGE}; it still runs {work_names}, which the Space never runs; "
                f"move it by hand ({why})"
            )
            status = Status.MANUAL
        if not block.plumbing or not isinstance(guard.body, cst.IndentedBlock):
            self._issue(line, message, status)
            return None, []
        self._issue(line, message, status, edited=True)
        # The trim is a change of its own: it gets its own [fixed] finding.
        starts = ", ".join(self._describe(s) for s in block.plumbing[:2])
        self._issue(
            line,
            f"{MainBlock.MESSAGE}; removed the server start from it ({starts}); its other "
            "statements stay",
            Status.FIXED,
            edited=True,
        )
        trimmed = edits.remove_from_block(guard.body, lambda s: any(s is p for p in block.plumbing))
        return [guard.with_changes(body=trimmed)], list(block.plumbing)

    def _issue(
        self, line: int, message: str, status: Status, *, edited: bool = False, unsafe: bool = False
    ) -> None:
        self.issues.append(_Issue(line, message, status, edited, unsafe))

    def _describe(self, stmt: cst.BaseStatement) -> str:
        code = self._tree.code_for_node(stmt.with_changes(leading_lines=[])).strip()
        first = code.splitlines()[0] if code else ""
        return f"`{first[:57]}...`" if len(first) > 60 else f"`{first}`"

    def _lifespan(
        self,
        guard: cst.If,
        work: Sequence[cst.BaseStatement],
        detached: list[cst.EmptyLine],
        app_name: str,
    ) -> list[cst.BaseStatement]:
        import libcst as cst

        self.needs_asynccontextmanager = True
        template = cst.parse_module(
            LIFESPAN_TEMPLATE.format(app=app_name).replace("\n", self._tree.default_newline),
            config=self._tree.config_for_parsing,
        )
        statements = list(template.body)
        func = statements[1]
        assert isinstance(func, cst.FunctionDef) and isinstance(func.body, cst.IndentedBlock)
        moved = []
        for stmt in work:
            awaited, runner = self._awaited(stmt)
            moved.append(awaited)
            if runner is not None:
                self._unused_runners.append(runner)
        func = func.with_changes(body=func.body.with_changes(body=[*moved, *func.body.body[1:]]))
        comment = cst.EmptyLine(comment=cst.Comment(LIFESPAN_COMMENT))
        first = statements[0].with_changes(leading_lines=[*detached, comment])
        return [first, func, statements[2]]

    def _awaited(self, stmt: cst.BaseStatement) -> tuple[cst.BaseStatement, cst.CSTNode | None]:
        """``asyncio.run(x())`` as a statement becomes ``await x()`` inside the lifespan;
        returns the new statement and the runner expression it no longer uses."""
        import libcst as cst

        if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
            return stmt, None
        small = stmt.body[0]
        if (
            isinstance(small, cst.Expr)
            and isinstance(small.value, cst.Call)
            and len(small.value.args) == 1
            and qualified(self._names, small.value.func, COROUTINE_RUNNERS)
        ):
            awaited = cst.Await(expression=small.value.args[0].value)
            return stmt.with_changes(body=[small.with_changes(value=awaited)]), small.value.func
        return stmt, None


def _imports_server_module(small: cst.Import | cst.ImportFrom) -> bool:
    import libcst as cst

    if isinstance(small, cst.ImportFrom):
        module = small.module
        name = cst.Module([]).code_for_node(module) if module is not None else ""
        return name.split(".")[0] in SERVER_MODULES
    return all(alias.evaluated_name.split(".")[0] in SERVER_MODULES for alias in small.names)
