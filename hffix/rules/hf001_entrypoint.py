"""HF001: a root ``main.py`` that exposes the repository's FastAPI ``app``."""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from hffix.deps.tree import is_app_code
from hffix.facts import SPACE_MODULES, AppLocation
from hffix.findings import FixSafety, Status
from hffix.fixes import Edit, Fix
from hffix.project import runcommands
from hffix.project.apps import AppGraph, AppSite
from hffix.project.choice import Choice, Chooser, Named, Undecided, option_site
from hffix.project.entrypoint import (
    Package,
    Shim,
    is_hffix_shim,
    render,
    serves,
    shim_folders,
)
from hffix.project.layout import Layout, display_folder, is_inside, is_test_path, join
from hffix.project.pysummary import Binding, FactoryCall, ModuleSummary
from hffix.repository.workspace import Unreadable, Workspace
from hffix.rules.base import Example, Rule, RuleContext

if TYPE_CHECKING:  # the fixes' machinery is imported where a fix needs it (start-up)
    from hffix.project.hoist import HoistBlocked, HoistPlan
    from hffix.project.importroot import ImportRoot

DOTENV_REQUIREMENT = "python-dotenv"
# Names the generated main.py binds itself; a factory's arguments may read them only as
# the same imports main.py makes.
_SHIM_NAMES = {
    "app": "",
    "_ROOT": "",
    "_spec": "",
    "_module": "",
    "_package": "",
    "importlib": "",
    "os": "import os",
    "sys": "import sys",
    "load_dotenv": "from dotenv import load_dotenv",
}


class Entrypoint(Rule):
    """
    ## What it does
    Finds the FastAPI app wherever it is — `NAME = FastAPI(...)` through any import form,
    aliases and middleware wrappers (`app = CORSMiddleware(app)`), factories
    (`def create_app() -> FastAPI`, `app = create_app()`, `--factory` in a run command),
    re-exports from a package `__init__.py`, an app built only in a `__main__` block — and
    gives the repository a root `main.py` that exposes it as `app`.

    Which app: `--app MODULE:ATTR` (or `[tool.hffix] app`); else the one the run commands
    name (Dockerfile `CMD`/`ENTRYPOINT`/`WORKDIR`, Procfile, vercel.json, fly.toml,
    render.yaml, App Engine's app.yaml; then Procfile.dev-style variants, Makefile, shell
    scripts; then `[project.scripts]`, `uvicorn.run("pkg.mod:app")`, `uvicorn.run(app)`,
    `python -m pkg` and CI workflow steps that start a server); else the one that mounts,
    includes or wraps the others; else the shallowest. A `main.py` hffix wrote earlier keeps
    its app unless a run command names another. Test code never counts. When that does not
    decide, the candidates are reported and nothing is written. A script that serves an
    object it configures (`app = chat.app; app.include_router(...); uvicorn.run(app)`) is
    the module imported, so nothing it adds is lost.

    The import root (the folder the app's absolute imports resolve from: `backend/` for
    `backend/app/main.py` importing `app.core`) comes from the run command, relative
    imports, the imports that actually resolve, `sys.path` changes in the code and package
    markers. Then:

    - **hoist**: when the repository root holds only that backend folder and metadata
      (README, LICENSE, .gitignore, docs, CI and Docker files), its files move to the root
      (renames). Requirement files, README.md and .gitignore that collide are merged;
      any other collision stops the hoist and a shim is written instead;
    - **shim** otherwise: a root `main.py` puts the import root first on `sys.path` and
      imports the app; it changes into the app's old working folder when the app opens
      files relative to it (`StaticFiles(directory="static")`, `open("data.json")`). A
      name the app means as a folder without `__init__.py` that Python would resolve to
      something else first (the root's `src/` package for `backend/src/`, an installed
      distribution) is loaded as that package before the import; one the standard library
      has is reported. An app module its own modules import as `main` is loaded under
      that name, in the shim's place, so there is one copy of it;
    - an app at the root under another name or as a factory gets a `main.py` that
      re-exports it as `app` (`app = create_app()` for factories). A factory is called
      with the arguments of the code that serves it (`uvicorn.run(create_app(settings=
      Settings()))`), the names they read imported as that code imports them; arguments
      that cannot be reproduced (set in a `__main__` block, local) are reported;
    - a root `main.py` that already exposes `app` but imports relatively (`from .routes
      import router`: the repository root has `__init__.py`) gets those imports, and those
      of the modules it reaches that go up to the root, written as absolute ones; when the
      code also imports the root package by name, that is reported.

    ## Why it matters
    SP-HF-03 and SP-HF-04: the Space starts `main.py` at the repository root and serves its
    `app`; a backend nested in a folder or named otherwise never starts ("Build never
    starts: missing main.py", SP-HF-09).

    ## Example
    ```text
    backend/app/main.py      app = FastAPI(); from app.core.config import settings
    frontend/package.json
    ```
    gets
    ```python
    # Hugging Face Spaces entrypoint written by hffix: serves `app` from backend/app/main.py.
    import os
    import sys

    from dotenv import load_dotenv

    _ROOT = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(_ROOT, "backend"))
    load_dotenv()

    from app.main import app  # noqa: E402

    __all__ = ["app"]
    ```

    ## Fix safety
    Safe: the app, its modules and its imports stay as they were; a hoist only renames
    and merges without dropping a line. A root `main.py` that is something else (a CLI, a
    bot) is never overwritten: the finding says so, and `--unsafe-fixes` moves it to
    `main_script.py` (references in code, Procfile, Makefile, scripts, CI updated).
    The generated `main.py` calls `load_dotenv()`; HF001 asks for `python-dotenv` in
    requirements.txt.
    """

    code = "HF001"
    name = "entrypoint"
    spec = "SP-HF-03"
    MESSAGE = "no root `main.py` exposes the FastAPI `app`"
    fixes = (FixSafety.SAFE, FixSafety.UNSAFE, FixSafety.DISPLAY_ONLY)
    OPTIONS = ("app",)

    VALID = (
        Example.module("from fastapi import FastAPI\n\napp = FastAPI()\n"),
        Example(
            before={
                "main.py": "from api.server import app\n",
                "api/server.py": "import fastapi\n\napp = fastapi.FastAPI()\n",
            }
        ),
    )
    INVALID = (
        Example(
            before={"server.py": "from fastapi import FastAPI\n\napi = FastAPI()\n"},
            after={
                "main.py": "# Hugging Face Spaces entrypoint written by hffix: serves `api` "
                "from server.py as `app`.\n"
                "from dotenv import load_dotenv\n\nload_dotenv()\n\n"
                "from server import api as app  # noqa: E402\n"
                "\n"
                '__all__ = ["app"]\n'
            },
            codes=("HF001",),
        ),
        Example(
            before={
                "README.md": "# Todo\n",
                "backend/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
                "backend/requirements.txt": "fastapi\n",
            },
            after={
                "backend/main.py": None,
                "backend/requirements.txt": None,
                "main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
                "requirements.txt": "fastapi\n",
            },
            codes=("HF001",),
        ),
    )

    def run(self, ctx: RuleContext) -> None:
        if ctx.config.ignored_in("main.py", self.code):
            return
        run = _Run(ctx)
        # The entrypoint is one multi-file change (a hoist, a moved main.py, a shim, a
        # lifted app): planned in a draft of the view, reported as one fix.
        with ctx.workspace.draft() as edits:
            run.run()
        run.finish(edits)
        ctx.facts.no_app = ctx.facts.app is None


def _reader(workspace: Workspace) -> Callable[[str], str | None]:
    def read(path: str) -> str | None:
        try:
            return workspace.text(path)
        except (Unreadable, KeyError):
            return None

    return read


@dataclass(frozen=True)
class _Placed:
    """Where the app is after the fix."""

    module_path: str
    attribute: str
    import_root: str
    factory: bool
    extra_paths: tuple[str, ...] = ()
    # The modules `import main` loads after the fix (paths after it), when known here;
    # otherwise _record follows main.py's imports.
    closure: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Call:
    """How main.py calls a factory: the arguments and the imports they need."""

    arguments: str = ""
    imports: tuple[str, ...] = ()
    source: str = ""  # where the arguments come from (``run.py:7``)


class _Run:
    """One run of HF001 on one repository."""

    def __init__(self, ctx: RuleContext) -> None:
        self.ctx = ctx
        self.workspace = ctx.workspace
        self.layout = Layout(self.workspace.paths())
        # Plain functions, not bound methods: a graph holding this object would make a
        # reference cycle that keeps the session's trees alive until a full collection.
        self.read = _reader(self.workspace)
        self.tree = ctx.session.tree
        self.graph = AppGraph(self.layout, self.read, self.tree)
        self.moved_aside = False  # --unsafe-fixes moved a root main.py that is not the app
        self.resolved: list[tuple[str, str, int]] = []  # (path, message, line), see report

    def report(self, message: str, status: Status, path: str = "main.py", line: int = 0) -> None:
        """Report now, or (a finding the draft's edits resolve) once the draft is done."""
        if status is Status.FIXED:
            self.resolved.append((path, message, line))
        else:
            self.ctx.report(path, message, status=status, line=line, col=1 if line else 0)

    def finish(self, edits: list[Edit]) -> None:
        """Report the findings the drafted edits resolve, with those edits as their fix:
        unsafe once the old main.py was moved aside (--unsafe-fixes)."""
        if not edits:
            assert not self.resolved, "a finding reported as fixed with nothing changed"
            return
        applicability = FixSafety.UNSAFE if self.moved_aside else FixSafety.SAFE
        fix = Fix(tuple(edits), applicability)
        assert self.resolved, "an entrypoint change no finding reports"
        for path, message, line in self.resolved:
            self.ctx.report(path, message, fix=fix, line=line, col=1 if line else 0)

    # ------------------------------------------------------------ the run
    def run(self) -> None:
        harvest = runcommands.harvest(self.layout, self.read)
        self.ctx.facts.run_commands.extend(harvest.commands)
        if not self.ctx.config.option("app") and self._root_app() is not None:
            # Compliant already: resolving `main.app` reads only the modules it goes
            # through, so the rest of the repository needs no summary.
            self._record(_Placed("main.py", "app", "", False))
            self._relative_imports_in_main()
            return
        self.graph.discover(self._seeds(harvest.launches))
        chooser = Chooser(self.graph, harvest.launches, self._usable)
        choice = self._decide(chooser)
        if choice is None:
            return
        site = choice.site
        if choice.main_block is not None and not self._lift(site):
            return
        if site.factory and site.needs_arguments and not (choice.named and choice.named.call):
            self.report(
                f"{Entrypoint.MESSAGE}: `{site.name}()` in {site.path} needs arguments, so "
                "hffix cannot call it; bind the app at module level (`app = "
                f"{site.name}(...)`) or give its parameters defaults",
                Status.MANUAL,
            )
            return
        main_summary = self.graph.summary("main.py")
        if site.path == "main.py" and main_summary is not None:
            taken = site.name != "app" and "app" in main_summary.bindings
            if not taken:  # else main.py uses the name `app` for something else
                self._alias_in_main(site, choice)
                return
        moved = ""
        if self.layout.is_file("main.py"):
            text = self.read("main.py")
            if text is None or not is_hffix_shim(text):
                made = self._make_room(site)
                if made is None:
                    return
                moved, new_name = made
                if site.path == "main.py":  # the app itself moved with the old main.py
                    site = replace(site, path=new_name)
                    choice = replace(choice, site=site)
        self._place(choice, moved)

    def _relative_imports_in_main(self) -> None:
        """The Space imports main.py as the top-level module `main`, where a relative import
        (`from .routes import router`) fails: "attempted relative import with no known
        parent package". With the repository root as the import root they are written as
        absolute imports (in main.py and in the modules it reaches); else reported."""
        summary = self.graph.summary("main.py")
        relative = [ref for ref in summary.imports if ref.level] if summary is not None else []
        if not relative:
            return
        first = relative[0]
        dots = "." * first.level
        names = ", ".join(first.names) if first.names else "..."
        written = f"from {dots}{first.module} import {names}"
        message = (
            f"main.py exposes `app` but imports relatively (`{written}`); the Space imports "
            'it as the top-level module `main`, where that fails with "attempted relative '
            'import with no known parent package"'
        )
        from hffix.project.importroot import absolute_imports, make_absolute

        plans = absolute_imports(self.graph, "main.py")
        parsed = [] if isinstance(plans, str) else [(p, self.ctx.parse(p.path)) for p in plans]
        if isinstance(plans, str) or any(module is None for _, module in parsed):
            why = plans if isinstance(plans, str) else "a module does not parse"
            self.report(
                f"{message}: write these imports as absolute ones ({why})",
                Status.MANUAL,
                "main.py",
                first.line,
            )
            return
        for plan, module in parsed:
            if module is not None:
                self.ctx.session.replace_module(plan.path, make_absolute(module, plan))
        where = ", ".join(plan.path for plan, _ in parsed)
        self.report(
            f"{message}; rewritten as absolute imports from the repository root, its import "
            f"root ({where})",
            Status.FIXED,
            "main.py",
            first.line,
        )

    def _seeds(self, launches: list[runcommands.Launch]) -> list[str]:
        seeds = []
        for path in self.layout.files:
            if not path.endswith(".py") or self.ctx.config.ignored_in(path, Entrypoint.code):
                continue
            name = path.rsplit("/", 1)[-1]
            if "/" not in path or name in {"__init__.py", "__main__.py"}:
                seeds.append(path)
                continue
            text = self.read(path)
            # Every way to build an app names the class (`FastAPI(`, `fastapi.FastAPI(`,
            # `class App(FastAPI)`, `import FastAPI as F`); modules that only use APIRouter
            # or HTTPException need no summary. Re-exports are found by discover().
            if text is not None and ("FastAPI" in text or "uvicorn" in text):
                seeds.append(path)
        for launch in launches:
            if launch.file is not None:
                seeds.append(launch.file)
        return sorted(set(seeds))

    def _usable(self, site: AppSite) -> bool:
        """An app the Space may serve: not a test's, not in docs, examples, templates or a
        hidden folder (`.claude/`), not excluded by per-file-ignores (--app overrides)."""
        return (
            not is_test_path(site.path)
            and is_app_code(site.path)
            and not self.ctx.config.ignored_in(site.path, Entrypoint.code)
        )

    # ------------------------------------------------------------ choosing
    def _decide(self, chooser: Chooser) -> Choice | None:
        option = self.ctx.config.option("app")
        root_app = self._root_app()
        if option:
            found = option_site(self.graph, str(option), "the app option")
            if isinstance(found, Undecided):
                self.report(f"{Entrypoint.MESSAGE}: {found.message}", Status.MANUAL)
                return None
            site, base = found
            named = Named(site, base, None, 9, f"the app option `{option}`")
            if root_app is not None and root_app.origin == site.origin:
                self._record(_Placed("main.py", "app", "", False))
                return None
            return Choice(site, f"the app option `{option}` names it", named)
        if root_app is not None:
            self._record(_Placed("main.py", "app", "", False))
            return None
        own = self._own_shim(chooser)
        decided = chooser.choose()
        if own is not None and not (
            # a run command (not a guess) that names another app now wins
            isinstance(decided, Choice)
            and decided.named is not None
            and decided.named.priority >= 2
            and decided.site.origin != own.site.origin
        ):
            return Choice(own.site, "main.py, which hffix wrote, serves it", own)
        if decided is None:
            self._no_app()
            return None
        if isinstance(decided, Undecided):
            self.report(f"{Entrypoint.MESSAGE}: {decided.message}", Status.MANUAL)
            return None
        return decided

    def _root_app(self) -> AppSite | None:
        if not self.layout.is_file("main.py") or is_hffix_shim(self.read("main.py") or ""):
            return None  # hffix's own main.py is planned again (below) and compared
        site = self.graph.site_at("main.py", "app")
        return site if site is not None and not site.factory else None

    def _own_shim(self, chooser: Chooser) -> Named | None:
        """The app hffix's own main.py serves, when it is still there: hffix chose it
        with evidence that may be gone since (HF006 deletes the Dockerfile that named it),
        so it stays the choice unless a run command names another app; main.py is then
        planned again and compared."""
        text = self.read("main.py") if self.layout.is_file("main.py") else None
        target = serves(text) if text is not None and is_hffix_shim(text) else None
        if text is None or target is None:
            return None
        path, name, factory = target
        if not self.layout.is_file(path):
            return None
        site = self.graph.site_at(path, name) or self.graph.declared_site(
            path, name, factory=factory
        )
        if site is None or site.factory != factory or not self._usable(site):
            return None
        folders, chdir = shim_folders(text)
        base = folders[0] if folders and self.layout.importable_as(path, folders[0]) else None
        named = Named(site, base, chdir, 8, "hffix's main.py", folders[1:])
        # The arguments a factory is called with come from the code that calls it.
        for other in chooser.named():
            if other.site.origin == site.origin and other.call is not None:
                return replace(named, launcher=other.launcher, call=other.call)
        return named

    def _no_app(self) -> None:
        inside = [(p, f, line) for p, f, line in self.graph.function_apps if not is_test_path(p)]
        if inside:
            path, function, line = inside[0]
            self.report(
                f"{Entrypoint.MESSAGE}: the app is built inside `{function}()` in {path}; "
                "build it at module level (or in a factory that returns it) so it can be "
                "imported, or name it with --app",
                Status.MANUAL,
                path,
                line,
            )
            return
        self.report(
            f"{Entrypoint.MESSAGE}: no FastAPI app found in the repository "
            "(looked for `FastAPI(...)`, factories returning one and run commands naming one)",
            Status.MANUAL,
        )

    # ------------------------------------------------------------ special cases
    def _lift(self, site: AppSite) -> bool:
        from hffix.project.lift import CannotLift, lift_app

        module = self.ctx.parse(site.path)
        try:
            if module is None:
                raise CannotLift("it does not parse")
            lifted = lift_app(module, site.name)
        except CannotLift as exc:
            self.report(
                f'`{site.name}` is built only inside `if __name__ == "__main__":`, which the '
                f"Space never runs; move it to module level by hand ({exc})",
                Status.MANUAL,
                site.path,
                site.line,
            )
            return False
        self.ctx.session.replace_module(site.path, lifted)
        self.report(
            f'`{site.name}` was built only inside `if __name__ == "__main__":`, which the '
            "Space never runs; moved it to module level",
            Status.FIXED,
            site.path,
            site.line,
        )
        return True

    def _alias_in_main(self, site: AppSite, choice: Choice) -> None:
        if site.name == "app" and not site.factory:  # e.g. just lifted out of __main__
            self._record(_Placed("main.py", "app", "", False))
            return
        call = self._factory_call(choice, ("",), "", "main.py")
        if isinstance(call, str):
            self._cannot_call(site, call)
            return
        value = self._append_app("main.py", site, call)
        self.report(
            f"{Entrypoint.MESSAGE}: main.py calls it `{site.name}`; added `app = {value}`"
            f"{self._called_as(call, True)} ({choice.reason})",
            Status.FIXED,
        )
        self._record(_Placed("main.py", "app", "", False))

    def _append_app(self, path: str, site: AppSite, call: _Call) -> str:
        """Append `app = <site>` (the factory's call) to ``path``; returns the value."""
        text = self.read(path) or ""
        newline = self.workspace.newline(path)
        value = f"{site.name}({call.arguments})" if site.factory else site.name
        prefix = text if not text or text.endswith(("\n", "\r")) else text + newline
        imports = "".join(f"{line}  # noqa: E402{newline}" for line in call.imports)
        self.workspace.write(path, f"{prefix}{newline}{imports}app = {value}{newline}")
        return value

    @staticmethod
    def _called_as(call: _Call, appended: bool = False) -> str:
        if not call.arguments:
            return ""
        if appended:
            return f" (as {call.source} calls it)"
        return f" and calls it with the arguments {call.source} passes"

    def _cannot_call(self, site: AppSite, why: str) -> None:
        self.report(
            f"{Entrypoint.MESSAGE}: `{site.name}()` in {site.path} is called with arguments "
            f"hffix cannot write into main.py ({why}); bind the app at module level (`app = "
            f"{site.name}(...)`)",
            Status.MANUAL,
        )

    # ------------------------------------------------------------ factory arguments
    def _factory_call(
        self, choice: Choice, folders: tuple[str, ...], prefix: str, into: str | None
    ) -> _Call | str:
        """How main.py calls the chosen factory: with the arguments the code that starts
        the server passes (`uvicorn.run(create_app(settings=Settings()))`), importing the
        names they read from where that code has them; or why it cannot. ``folders`` are
        main.py's import folders, ``prefix`` the root package's name, ``into`` a module the
        call is appended to (its own module-level names need no import)."""
        named = choice.named
        if not choice.site.factory or named is None or named.call is None:
            return _Call()
        call, launcher = named.call, named.launcher or ""
        summary = self.graph.summary(launcher)
        code = next((c for c in summary.launches if c.call is call), None) if summary else None
        if summary is None or code is None:
            return "the code that calls it cannot be read"
        text = self._arguments_text(launcher, call)
        source = f"{launcher}:{code.line}"
        if not call.arguments:
            return _Call(source=source)
        if not text:
            return f"the arguments at {source} cannot be read back"
        if not call.portable:
            return f"`{text}` at {source} is more than names, literals and calls"
        if call.local:
            return f"`{call.local[0]}` is set inside the function that calls it ({source})"
        into_summary = self.graph.summary(into) if into is not None else None
        imports: list[str] = []
        for name in call.names:
            binding = self._binding_at(summary, name, code.line)
            own = into is not None and into == launcher and name in summary.bindings
            if own and binding is not None and binding not in summary.main_block:
                continue  # the module the call is appended to has the name itself
            if into_summary is not None and into != launcher and name in into_summary.bindings:
                return f"`{name}` at {source} is also a name of {into}"
            if binding is None:
                if hasattr(builtins, name):
                    continue
                return f"`{name}` is not defined where {source} uses it"
            if binding.value.kind == "import":
                line = self._import_line(launcher, binding, summary, folders, prefix)
            elif binding in summary.main_block:
                return f"`{name}` is set in the `__main__` block of {launcher}"
            elif code.module_level or launcher.endswith("__main__.py"):
                return f"`{name}` is defined in {launcher}, whose import starts the server"
            else:
                module = self._dotted(launcher, folders, prefix)
                line = f"from {module} import {name}" if module else None
            if line is None:
                return f"`{name}` ({source}) cannot be imported from main.py"
            allowed = _SHIM_NAMES.get(name)
            if allowed is not None and line != allowed:
                return f"`{name}` ({source}) is a name main.py uses itself"
            imports.append(line)
        return _Call(text, tuple(dict.fromkeys(imports)), source)

    def _arguments_text(self, path: str, call: FactoryCall) -> str:
        """The arguments as written at the call, else as ``ast.unparse`` writes them."""
        text = self.read(path)
        if text is None:
            return call.text
        lines = text.splitlines()
        parts: list[str] = []
        for line, col, end_line, end_col in call.arguments:
            if line != end_line or line > len(lines):
                return call.text
            data = lines[line - 1].encode("utf-8")
            parts.append(data[col:end_col].decode("utf-8", "replace"))
        joined = ", ".join(parts)
        try:
            ast.parse(f"f({joined})", mode="eval")
        except SyntaxError:
            return call.text
        return joined

    @staticmethod
    def _binding_at(summary: ModuleSummary, name: str, line: int) -> Binding | None:
        """What ``name`` is when ``line`` runs: a `__main__` block's own binding above the
        line, else the module-level one."""
        block = [b for b in summary.main_block if b.name == name and b.line < line]
        if block and summary.main_block_line and line > summary.main_block_line:
            return block[-1]
        # In a function, the name is looked up when it runs: the final module-level value.
        return summary.binding_before(name, line) or summary.bindings.get(name)

    def _import_line(
        self,
        path: str,
        binding: Binding,
        summary: ModuleSummary,
        folders: tuple[str, ...],
        prefix: str,
    ) -> str | None:
        """``binding``'s import, written as main.py needs it (absolute, from its folders)."""
        value = binding.value
        module = value.module or ""
        if value.attr is None:  # import a.b / import a.b as c
            if binding.name == module:  # `import a.b` binds a: import what the line says
                refs = [
                    r.module
                    for r in summary.imports
                    if r.line == binding.line and not r.level and r.module.split(".")[0] == module
                ]
                full = refs[0] if refs else module
            else:
                full = module
            target = self.graph.resolve_module(path, full, 0)
            if target is not None and self._dotted(target, folders, prefix) != full:
                return None
            if binding.name == module:
                return f"import {full}"
            return f"import {full} as {binding.name}"
        target = self.graph.resolve_module(path, module, value.level)
        if target is None and value.level:
            return None
        if target is not None:
            found = self._dotted(target, folders, prefix)
            if found is None:
                return None
            module = found
        alias = f" as {binding.name}" if binding.name != value.attr else ""
        return f"from {module} import {value.attr}{alias}"

    def _dotted(self, path: str, folders: tuple[str, ...], prefix: str) -> str | None:
        """The module name main.py imports ``path`` (a file or a namespace folder) by."""
        layout = self.layout
        for folder in folders:
            if not is_inside(path, folder):
                continue
            if path.endswith(".py"):
                name = layout.importable_as(path, folder)
            else:
                rel = path[len(folder) + 1 :] if folder else path
                name = rel.replace("/", ".")
                found = layout.resolve(folder, name) if name else None
                name = name if found is not None and found.path == path else None
            if name is None:
                continue
            top = name.split(".")[0]
            first = next((f for f in folders if layout.find_name(f, top) is not None), None)
            if first == folder:
                return f"{prefix}.{name}" if prefix else name
        return None

    def _make_room(self, site: AppSite) -> tuple[str, str] | None:
        """Move a root main.py that is something else aside, or say why not."""
        what = "does not expose the app"
        summary = self.graph.summary("main.py")
        if summary is None:
            what = "does not parse"
        elif site.path == "main.py":
            what = f"defines the app as `{site.name}` but uses the name `app` for something else"
        elif any(s.path == "main.py" for s in self.graph.sites):
            what = "serves a different app"
        if not self.ctx.unsafe_fixes:
            self.report(
                f"{Entrypoint.MESSAGE}: main.py {what}, and hffix never overwrites it; the app "
                f"is {site.spec()} (--unsafe-fixes moves main.py to main_script.py and "
                "updates what refers to it)",
                Status.UNSAFE_FIX,
            )
            return None
        from hffix.project.moveaside import CannotMoveAside, move_aside

        try:
            new, updated = move_aside(self.workspace, self.graph, self.ctx.parse)
        except CannotMoveAside as exc:
            self.report(
                f"{Entrypoint.MESSAGE}: main.py {what}; moving it aside would leave "
                f"{', '.join(exc.paths[:3])} importing the new main.py, and hffix cannot edit "
                f"{'it' if len(exc.paths) == 1 else 'them'}: move main.py and update its "
                f"imports by hand (the app is {site.spec()})",
                Status.MANUAL,
            )
            return None
        self.moved_aside = True
        self.layout = Layout(self.workspace.paths())
        self.graph.layout = self.layout
        refs = f"; updated {', '.join(updated)}" if updated else ""
        return f"moved the old main.py, which {what}, to {new}{refs}", new

    # ------------------------------------------------------------ placing
    def _place(self, choice: Choice, moved: str) -> None:
        site = choice.site
        named = choice.named
        from hffix.project.hoist import HoistBlocked, HoistPlan
        from hffix.project.importroot import import_root

        named_by = "that command"
        if named is not None and named.priority >= 8:
            named_by = "the app option" if named.priority == 9 else "hffix's main.py"
        root = import_root(
            self.graph,
            site.path,
            named.base if named else None,
            named_by,
            weak=named is not None and named.priority <= 1,  # the code's own uvicorn.run
            launcher=named.launcher if named else None,
        )
        modules = self.graph.reachable(site.path)
        cwd = named.cwd if named is not None and named.cwd is not None else root.folder
        cwd_uses = self._cwd_uses(modules, cwd)
        extra = tuple(p for p in (named.python_path if named else ()) if p != root.folder)
        notes: list[str] = [moved] if moved else []
        plan: HoistPlan | HoistBlocked | None = None
        if root.folder and not moved:
            plan = self._hoist_plan(root, modules, cwd, cwd_uses)
        if isinstance(plan, HoistPlan):
            self._hoist(choice, root, plan, extra, notes, modules)
            return
        if isinstance(plan, HoistBlocked) and plan.reason:
            notes.append(f"not moved to the root because {plan.reason}")
        chdir = cwd if cwd_uses and cwd else None
        if root.package is not None and site.path == "main.py":
            self.report(
                f"{Entrypoint.MESSAGE}: main.py is part of the package the repository root "
                f"forms ({root.reason}), so it cannot also be the top-level `main` the Space "
                "imports; rename it (e.g. to app.py) and run hffix again",
                Status.MANUAL,
            )
            return
        shim = self._shim(site, root.folder, root.dotted, extra, chdir, cwd_uses, modules)
        if root.package is not None:
            dotted = self.layout.module_name(site.path, "")
            shim = replace(shim, root_package=root.package, import_name=f"{root.package}.{dotted}")
        folders = shim.sys_paths or (root.folder,)
        call = self._factory_call(choice, folders, root.package or "", None)
        if isinstance(call, str):
            self._cannot_call(site, call)
            return
        shim = replace(shim, arguments=call.arguments, argument_imports=call.imports)
        packages = self._packages(shim, modules)
        if isinstance(packages, str):
            self.report(f"{Entrypoint.MESSAGE}: {packages}", Status.MANUAL)
            return
        shim = replace(shim, packages=packages)
        placed = _Placed(
            site.path, site.name, root.folder, site.factory, closure=("main.py", *modules)
        )
        text = render(shim)
        current = self.read("main.py") if not moved else None
        if current == text or (current is not None and self._keeps(current, shim, site)):
            # hffix's own shim, exactly as it would write it (the importlib forms, which the
            # app graph cannot follow), or one that still serves the app: compliant.
            self._record(placed)
            return
        self.workspace.write("main.py", text)
        how = "imports" if shim.import_name and not shim.as_main else "loads"
        message = (
            f"{Entrypoint.MESSAGE}: wrote main.py, which {how} `{site.name}` from "
            f"{site.path}{self._called_as(call)}; chose it because {choice.reason}"
        )
        if root.package:
            message += f"; {root.reason}, so main.py loads it as the package `{root.package}`"
        elif root.folder:
            message += f"; import root {display_folder(root.folder)} because {root.reason}"
        if chdir:
            message += (
                f"; main.py changes into {chdir}/ because the app opens "
                f"{self._describe_uses(cwd_uses)} relative to that folder"
            )
        if shim.as_main:
            message += f"; {shim.as_main[0].lower()}{shim.as_main[1:].rstrip('.')}"
        for package in packages:
            message += f"; {package.why[0].lower()}{package.why[1:].rstrip('.')}"
        if root.unresolved:
            names = ", ".join(f"`{n}`" for n in root.unresolved[:3])
            message += f"; check imports that do not resolve from there: {names}"
        self._finish(message, notes, placed)

    def _keeps(self, current: str, shim: Shim, site: AppSite) -> bool:
        """hffix's own main.py (perhaps edited since) that imports the chosen app is kept,
        unless the shim planned now adds what importing it needs: a folder loaded as a
        package, the app module as `main`, a factory's arguments."""
        if not is_hffix_shim(current) or shim.packages or shim.as_main:
            return False
        if shim.arguments and f"({shim.arguments})" not in current:
            return False
        served = self.graph.site_at("main.py", "app")
        return served is not None and served.origin == site.origin

    def _packages(self, shim: Shim, modules: list[str]) -> tuple[Package, ...] | str:
        """Folders main.py must load as packages before importing the app: the app means
        a name as a folder without __init__.py, which Python resolves to a package or
        module of that name anywhere else on sys.path first (the root's `src/` for the
        app's `backend/src/`). A name of the standard library is reported instead."""
        if not shim.sys_paths or shim.root_package is not None:
            return ()
        names: set[str] = set()
        if shim.import_name and not shim.as_main:
            names.add(shim.import_name.split(".")[0])
        for path in modules:
            summary = self.graph.summary(path)
            names.update(
                ref.module.split(".")[0]
                for ref in (summary.imports if summary is not None else ())
                if not ref.level and ref.module
            )
        from hffix.project.importroot import shadowed

        found = shadowed(self.layout, shim.sys_paths, names)
        for shadow in found:
            if shadow.stdlib:
                return (
                    f"the app imports `{shadow.name}` from {shadow.folder}/, a folder "
                    f"without __init__.py, but Python finds {shadow.by} `{shadow.name}` "
                    "first; rename the folder (and its imports) and run hffix again"
                )
        return tuple(
            Package(
                s.name,
                s.folder,
                f"`{s.name}` is {s.folder}/ for the app, a folder without __init__.py, "
                f"which loses to {s.by}: load it as the package `{s.name}` first.",
            )
            for s in found
        )

    def _shim(
        self,
        site: AppSite,
        folder: str,
        dotted: str | None,
        extra: tuple[str, ...],
        chdir: str | None,
        cwd_uses: list[tuple[str, int, str]],
        modules: list[str] | tuple[str, ...] = (),
    ) -> Shim:
        import_name = dotted
        as_main = ""
        if dotted is not None and dotted.split(".")[0] == "main":
            # The root main.py is module `main`; import the app's module by its path instead.
            from_root = self.layout.importable_as(site.path, "")
            first = from_root.split(".")[0] if from_root else ""
            clear = from_root is not None and self.layout.find_name(folder, first) is None
            import_name = from_root if clear else None
            importer = self._imports_main(site, modules) if dotted == "main" else None
            if importer is not None and site.name == "app" and not site.factory:
                # Its own modules import it as `main` (`from main import settings`): it
                # must be that module, once, so it takes main.py's place in sys.modules.
                as_main = (
                    f"{site.path} is the module `main` for the app ({importer} imports it "
                    "so): load it under that name, in this file's place."
                )
        paths = tuple(p for p in (folder, *extra) if p)
        names = sorted({text for _, _, text in cwd_uses})
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        why = f"The app opens {shown} relative to its working folder." if chdir else ""
        return Shim(
            app_path=site.path,
            attribute=site.name,
            factory=site.factory,
            sys_paths=paths,
            import_name=import_name,
            chdir=chdir,
            chdir_why=why,
            as_main=as_main,
        )

    def _imports_main(self, site: AppSite, modules: list[str] | tuple[str, ...]) -> str | None:
        """Where a module of the app imports the app's module by the name `main`."""
        for path in modules:
            summary = self.graph.summary(path)
            for ref in summary.imports if summary is not None else ():
                if ref.level or ref.module.split(".")[0] != "main":
                    continue
                if self.graph.resolve_module(path, "main", 0) == site.path:
                    return f"{path}:{ref.line}"
        return None

    def _hoist_plan(
        self,
        root: ImportRoot,
        modules: list[str],
        cwd: str,
        cwd_uses: list[tuple[str, int, str]],
    ) -> HoistPlan | HoistBlocked:
        from hffix.project.hoist import HoistBlocked, plan_hoist

        top = root.folder.split("/")[0]
        named = self._imports_by_name(modules, top)
        if named is not None:
            path, module = named
            return HoistBlocked(
                f"{path} imports `{module}`, which would no longer exist with {top}/ as the root"
            )
        if cwd_uses and cwd != top:
            return HoistBlocked(
                f"the app opens {self._describe_uses(cwd_uses)} relative to {display_folder(cwd)}"
            )
        for path in modules:
            summary = self.graph.summary(path)
            if summary is None:
                continue
            outside = [u for u in summary.paths if u.outside]
            outside += [
                u
                for u in summary.paths
                if u.repo_path is not None and not is_inside(u.repo_path, top)
            ]
            if (
                outside
                or summary.sys_path_outside
                or any(not is_inside(p, top) for p in summary.sys_path)
            ):
                line = outside[0].line if outside else 0
                where = f"{path}:{line}" if line else path
                return HoistBlocked(f"{where} refers to files outside {top}/")
        return plan_hoist(self.workspace, self.layout, top)

    def _imports_by_name(self, modules: list[str], top: str) -> tuple[str, str] | None:
        """A module of the app that imports the folder to hoist by its name (`billing`
        importing `billing.models`): hoisting would remove that package."""
        for path in modules:
            summary = self.graph.summary(path)
            for ref in summary.imports if summary is not None else ():
                if ref.level or ref.module.split(".")[0] != top:
                    continue
                if self.layout.resolve("", ref.module) is not None:
                    return path, ref.module
        return None

    def _hoist(
        self,
        choice: Choice,
        root: ImportRoot,
        plan: HoistPlan,
        extra: tuple[str, ...],
        notes: list[str],
        modules: list[str],
    ) -> None:
        from hffix.project.hoist import folder_after, moved_path, stale_references

        site = choice.site
        top = plan.top
        module_path = moved_path(site.path, top)
        into = site.path if module_path == "main.py" else None
        call = self._factory_call(choice, (root.folder,), "", into)
        if isinstance(call, str):
            self._cannot_call(site, call)
            return
        stale = stale_references(self.workspace, self.layout, top)
        plan.apply(self.workspace)
        self.layout = Layout(self.workspace.paths())
        new_root = folder_after(root.folder, top)
        new_extra = tuple(folder_after(p, top) for p in extra if is_inside(p, top))
        message = f"{Entrypoint.MESSAGE}: {plan.summary()}"
        if module_path == "main.py" and site.name == "app" and not site.factory:
            message += f"; main.py is the app; chose {site.spec()} because {choice.reason}"
        elif module_path == "main.py":
            value = self._append_app("main.py", site, call)
            message += (
                f"; added `app = {value}` to main.py{self._called_as(call, True)}; chose "
                f"{site.spec()} because {choice.reason}"
            )
        else:
            dotted = self.layout.importable_as(module_path, new_root)
            shim = self._shim(
                AppSite(module_path, site.name, site.line, site.origin, site.factory),
                new_root,
                dotted,
                new_extra,
                None,
                [],
            )
            shim = replace(shim, arguments=call.arguments, argument_imports=call.imports)
            self.workspace.write("main.py", render(shim))
            message += (
                f"; wrote main.py, which imports `{site.name}` from {module_path}"
                f"{self._called_as(call)}; chose {site.spec()} because {choice.reason}"
            )
        message += f"; import root {display_folder(root.folder)} because {root.reason}"
        if stale:
            notes.append(f"these still mention {top}/: {', '.join(stale[:5])}")
        notes.extend(plan.notes)
        closure = ("main.py", *(moved_path(p, top) for p in modules))
        if module_path == "main.py":
            placed = _Placed("main.py", "app", new_root, False, new_extra, closure)
        else:
            placed = _Placed(module_path, site.name, new_root, site.factory, new_extra, closure)
        self._finish(message, notes, placed)

    def _finish(self, message: str, notes: list[str], placed: _Placed) -> None:
        if notes:
            message += "; " + "; ".join(notes)
        self.report(message, Status.FIXED)
        self._record(placed)
        self.ctx.facts.requirements.setdefault(
            DOTENV_REQUIREMENT, "HF001: the generated main.py calls load_dotenv()"
        )

    def _record(self, placed: _Placed) -> None:
        facts = self.ctx.facts
        facts.app = AppLocation(
            placed.module_path, placed.attribute, placed.import_root, placed.factory
        )
        facts.entry_modules.update({"main.py", placed.module_path})
        graph, entry = self.graph, placed.module_path

        def load_space() -> frozenset[str]:
            closure = placed.closure or tuple(graph.reachable("main.py"))
            return frozenset({"main.py", entry, *closure})

        self.ctx.session.analyses.decide(SPACE_MODULES, load_space)
        layout = Layout(self.workspace.paths())
        names = layout.top_level_names("") | layout.top_level_names(placed.import_root)
        folders = set(placed.extra_paths)
        if placed.module_path == "main.py":
            # A root main.py that puts folders on sys.path (hffix's shim among them) makes
            # their modules first-party too.
            summary = self.graph.summary("main.py")
            folders.update(summary.sys_path if summary is not None else ())
        for folder in sorted(folders):
            names |= layout.top_level_names(folder)
        facts.first_party.update(names)

    # ------------------------------------------------------------ working folder
    def _cwd_uses(self, modules: list[str], cwd: str) -> list[tuple[str, int, str]]:
        """Paths the app's modules open relative to the working folder that exist there."""
        found: list[tuple[str, int, str]] = []
        for path in modules:
            summary = self.graph.summary(path)
            for use in summary.paths if summary else ():
                if use.cwd_relative is None:
                    continue
                target = join(cwd, use.cwd_relative)
                if self.layout.is_file(target) or self.layout.is_dir(target):
                    found.append((path, use.line, use.cwd_relative))
        return sorted(found, key=lambda use: (modules.index(use[0]), use[1]))

    @staticmethod
    def _describe_uses(uses: list[tuple[str, int, str]]) -> str:
        names = sorted({text for _, _, text in uses})
        shown = ", ".join(f"`{n}`" for n in names[:3]) + (" ..." if len(names) > 3 else "")
        path, line, _ = uses[0]
        return f"{shown} ({path}:{line})"
