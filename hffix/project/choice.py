"""Which app the Space serves, and the reason given to the user.

In order: ``--app`` / ``[tool.hffix] app``; an ``app`` the root ``main.py`` already
exposes; the app the run commands name (Dockerfile, Procfile and deployment configurations
over Procfile variants, Makefile and scripts over ``uvicorn.run(...)`` in code and CI
steps; commands of equal weight that disagree make the choice ambiguous unless one app
contains the others); the one app that mounts, includes or wraps all the others; the
shallowest. Test code is never a candidate. When none of these decides, :class:`Undecided`
lists the candidates and nothing is written.

``uvicorn.run(app)`` names the object; the module imported for it is the script itself
when the script configures that object at module level (routes, middleware added after
``app = chat.app``), else the module that builds it. ``uvicorn.run(create_app(...))``
names the factory with the call (:class:`~hffix.project.pysummary.FactoryCall`), which
HF001 reproduces in main.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hffix.facts import RunCommand
from hffix.project.apps import AppGraph, AppSite, Origin, site_depth
from hffix.project.layout import Layout, ancestors, depth, join, parent
from hffix.project.pysummary import Binding, CodeLaunch, FactoryCall
from hffix.project.runcommands import APP_SPEC, Launch, ShellState, parse_command

FASTAPI_CLI_FILES = ("main.py", "app.py", "api.py", "app/main.py", "app/app.py", "app/api.py")


@dataclass(frozen=True)
class Named:
    """A run command (or a server start in code) that names one app."""

    site: AppSite
    base: str | None  # the folder it imports the module from, when known
    cwd: str | None  # the working folder it runs in, when known
    priority: int
    describe: str
    python_path: tuple[str, ...] = ()
    launcher: str | None = None  # the module whose code starts the server (uvicorn.run)
    call: FactoryCall | None = None  # uvicorn.run(create_app(...)): the call to reproduce


@dataclass(frozen=True)
class Choice:
    site: AppSite
    reason: str
    named: Named | None = None
    main_block: Binding | None = None  # the app is built only in this __main__ block binding


@dataclass(frozen=True)
class Undecided:
    message: str


SiteFilter = Callable[[AppSite], bool]


class Chooser:
    def __init__(self, graph: AppGraph, launches: Iterable[Launch], usable: SiteFilter) -> None:
        self.graph = graph
        self.layout: Layout = graph.layout
        self.launches = list(launches)
        self.usable = usable

    # ------------------------------------------------------------ launches → apps
    def named(self) -> list[Named]:
        found: list[Named] = []
        for launch in [*self.launches, *self._code_launches()]:
            named = self._resolve_launch(launch)
            if named is not None and self.usable(named.site):
                found.append(named)
        found.extend(self._code_objects())
        return found

    def _code_launches(self) -> list[Launch]:
        launches: list[Launch] = []
        for path, summary in sorted(self.graph.summaries.items()):
            for code in summary.launches if summary else ():
                launch = self._code_launch(path, code)
                if launch is not None:
                    launches.append(launch)
        return launches

    def _code_launch(self, path: str, code: CodeLaunch) -> Launch | None:
        if code.words:
            return parse_command(
                list(code.words),
                ShellState(None, parent(path)),
                source=path,
                line=code.line,
                origin="python",
            )
        if code.spec is None:
            return None
        match = APP_SPEC.match(code.spec)
        if match is None:
            return None
        argv = ("uvicorn", code.spec, *(("--factory",) if code.factory else ()))
        command = RunCommand(source=path, line=code.line, argv=argv, workdir=None)
        return Launch(
            command,
            "python",
            module=match["module"],
            attribute=match["attr"],
            factory=code.factory or match["call"] is not None,
        )

    def _code_objects(self) -> list[Named]:
        """``uvicorn.run(app)``: the module serves that object when run as a script;
        ``uvicorn.run(create_app(...))``: that factory, called with those arguments."""
        found: list[Named] = []
        for path, summary in sorted(self.graph.summaries.items()):
            for code in summary.launches if summary else ():
                site, shown = self._code_site(path, code)
                if site is not None and self.usable(site):
                    where = f"`uvicorn.run({shown})` ({path}:{code.line})"
                    call = code.call if site.factory else None
                    found.append(Named(site, parent(path), None, 1, where, (), path, call))
        return found

    def _code_site(self, path: str, code: CodeLaunch) -> tuple[AppSite | None, str]:
        """The site ``uvicorn.run(...)`` in ``path`` serves, and how to show the argument."""
        if code.call is not None:
            shown = f"{'.'.join(code.call.callee)}({'...' if code.call.arguments else ''})"
            return self._factory_site(path, code.call, code.line), shown
        if code.app is None or code.app.factory is not None or not code.app.parts:
            return None, ""
        site = self._site_for_object(path, code.app.parts, code.line, code.module_level)
        return site, ".".join(code.app.parts)

    def _factory_site(self, path: str, call: FactoryCall, line: int) -> AppSite | None:
        resolved = self.graph.resolve(path, call.callee, 0, line)
        if resolved is None or resolved.origin is None or resolved.kind != "factory":
            return None
        origin = resolved.origin
        return self.graph.site_at(origin.path, origin.name)

    def _site_for_object(
        self, path: str, parts: tuple[str, ...], line: int, module_level: bool = False
    ) -> AppSite | None:
        resolved = self.graph.resolve(path, parts, 0, None)
        if resolved is None or resolved.origin is None or resolved.kind != "app":
            return None
        origin = resolved.origin
        sites = [s for s in self.graph.sites if s.origin == origin]
        if not sites:
            return None
        summary = self.graph.summary(path)
        configured = summary.configured if summary is not None else {}
        # The script itself when it configures the object it serves (`app = chat.app;
        # app.include_router(users.router)`: importing only chat.py would lose those routes)
        # and importing it starts nothing; else the module that builds the app, else the
        # script. Never a __main__.py, whose import would run it; never the factory when an
        # object made by it is served (calling the factory again builds an app without the
        # routes added afterwards).
        return min(
            sites,
            key=lambda s: (
                s.path.endswith("__main__.py"),
                s.factory,
                not (s.path == path and s.name in configured and not module_level),
                s.path != origin.path,
                s.path != path,
                s.path,
            ),
        )

    def _resolve_launch(self, launch: Launch) -> Named | None:
        if launch.origin == "pyproject":
            return None
        if launch.file is not None and launch.server:
            return self._fastapi_cli(launch, launch.file)
        if launch.file is not None:
            return self._script(launch, launch.file, parent(launch.file))
        if launch.module is None:
            if launch.server and launch.base is not None:  # fastapi run without a path
                for name in FASTAPI_CLI_FILES:
                    path = join(launch.base, name)
                    if self.layout.is_file(path):
                        return self._fastapi_cli(launch, path)
            return None
        found = self._module_file(launch)
        if found is None:
            return None
        path, base = found
        if not launch.server:
            if path.endswith("__init__.py"):
                path = join(parent(path), "__main__.py")
                if not self.layout.is_file(path):
                    return None
            return self._script(launch, path, base)
        attribute = launch.attribute or "app"
        site = self.graph.site_at(path, attribute) or self.graph.declared_site(
            path, attribute, factory=launch.factory
        )
        if site is None:
            return None
        if launch.factory and not site.factory:
            site = AppSite(site.path, site.name, site.line, site.origin, True)
        return Named(
            site,
            base,
            launch.command.workdir,
            launch.priority,
            launch.describe(),
            launch.python_path,
        )

    def _module_file(self, launch: Launch) -> tuple[str, str] | None:
        module = launch.module or ""
        bases: list[str] = []
        if launch.base is not None:
            bases = [launch.base, *launch.python_path]
        else:
            bases = list(ancestors(parent(launch.command.source)))
        for base in bases:
            found = self.layout.resolve(base, module)
            if found is not None and found.is_file:
                return found.path, base
        if launch.base is not None and launch.origin != "python":
            return None
        # The folder is unknown: a unique file anywhere whose path ends with the module's.
        tails = (module.replace(".", "/") + ".py", module.replace(".", "/") + "/__init__.py")
        matches = sorted(
            p for p in self.layout.files if any(p == t or p.endswith("/" + t) for t in tails)
        )
        if len(matches) != 1:
            return None
        path = matches[0]
        tail = next(t for t in tails if path == t or path.endswith("/" + t))
        return path, path[: -len(tail)].rstrip("/")

    def _fastapi_cli(self, launch: Launch, path: str) -> Named | None:
        names = [launch.attribute] if launch.attribute else ["app", "api"]
        site = None
        for name in names:
            site = self.graph.site_at(path, name)
            if site is not None:
                break
        if site is None and not launch.attribute:
            local = [s for s in self.graph.sites if s.path == path and not s.factory]
            site = local[0] if len(local) == 1 else None
        if site is None:
            return None
        folder: str | None = parent(path)
        while folder and self.layout.is_regular_package(folder):
            folder = parent(folder)
        if launch.origin == "vercel":
            folder = None  # Vercel loads the file by path: its imports say where they resolve
        return Named(site, folder, launch.command.workdir, launch.priority, launch.describe())

    def _script(self, launch: Launch, path: str, base: str) -> Named | None:
        summary = self.graph.summary(path)
        if summary is None:
            return None
        for code in summary.launches:
            site: AppSite | None = None
            if code.spec is not None:
                match = APP_SPEC.match(code.spec)
                if match is None:
                    continue
                for folder in (base, *ancestors(parent(path))):
                    found = self.layout.resolve(folder, match["module"])
                    if found is not None and found.is_file:
                        site = self.graph.site_at(found.path, match["attr"])
                        base = folder
                        break
            else:
                site, _ = self._code_site(path, code)
            if site is not None:
                call = code.call if site.factory else None
                return Named(
                    site,
                    base,
                    launch.command.workdir,
                    launch.priority,
                    launch.describe(),
                    (),
                    path,
                    call,
                )
        local = [s for s in self.graph.sites if s.path == path and not s.factory]
        if len(local) == 1:
            return Named(local[0], base, launch.command.workdir, launch.priority, launch.describe())
        return None

    # ------------------------------------------------------------ choosing
    def representative(self, sites: list[AppSite], named: list[Named]) -> AppSite:
        for entry in sorted(named, key=lambda n: -n.priority):
            if entry.site in sites:
                return entry.site

        def key(site: AppSite) -> tuple[int, int, int, int, int, str]:
            return (
                1 if site.path.endswith("__main__.py") else 0,
                1 if site.factory else 0,
                1 if site.needs_arguments else 0,
                site_depth(site),
                0 if site.path == site.origin.path else 1,
                site.path,
            )

        return min(sites, key=key)

    def choose(self) -> Choice | Undecided | None:
        """The app to serve; None when the repository has none that can be imported."""
        sites = [s for s in self.graph.sites if self.usable(s)]
        groups = self.graph.groups(sites)
        named = self.named()
        if not groups and not named:
            return self._main_block()
        for group in {n.site.origin for n in named} - set(groups):
            groups[group] = [n.site for n in named if n.site.origin == group]
        decided = self._by_run_commands(groups, named)
        if decided is not None:
            return decided
        roots = [o for o in groups if not any(o in self.graph.descendants(p) for p in groups)]
        if len(groups) > 1 and len(roots) == 1:
            origin = roots[0]
            inner = sorted(
                self.representative(groups[o], named).spec()
                for o in self.graph.descendants(origin)
                if o in groups
            )
            site = self.representative(groups[origin], named)
            shown = ", ".join(inner[:4]) + (" ..." if len(inner) > 4 else "")
            return Choice(site, f"it mounts, includes or wraps the other apps ({shown})")
        if len(groups) == 1:
            origin = next(iter(groups))
            site = self.representative(groups[origin], named)
            return Choice(site, "it is the only FastAPI app in the repository")
        best = {o: self.representative(groups[o], named) for o in roots}
        shallowest = min(site_depth(s) for s in best.values())
        top = [s for s in best.values() if site_depth(s) == shallowest]
        if len(top) == 1:
            others = sorted(s.spec() for s in best.values() if s is not top[0])
            return Choice(
                top[0], f"it is the shallowest of {len(best)} apps (others: {', '.join(others)})"
            )
        listed = ", ".join(sorted(s.spec() for s in best.values()))
        return Undecided(
            f"{len(best)} FastAPI apps and nothing says which one the Space serves ({listed}); "
            "choose with --app MODULE:ATTR or [tool.hffix] app"
        )

    def _by_run_commands(
        self, groups: dict[Origin, list[AppSite]], named: list[Named]
    ) -> Choice | Undecided | None:
        if not named:
            return None
        top = max(n.priority for n in named)
        best = [n for n in named if n.priority == top]
        origins = {n.site.origin for n in best}
        if len(origins) > 1:
            containers = [o for o in origins if origins - {o} <= self.graph.descendants(o)]
            if len(containers) == 1:
                origins = {containers[0]}
            elif top >= 2:
                listed = "; ".join(sorted({f"{n.describe} names {n.site.spec()}" for n in best}))
                return Undecided(
                    f"the run commands name different apps ({listed}); "
                    "choose with --app MODULE:ATTR or [tool.hffix] app"
                )
            else:
                return None  # servers started from code disagree: let the other rules decide
        origin = next(iter(origins))
        entry = next(n for n in best if n.site.origin == origin)
        return Choice(entry.site, f"{entry.describe} names it", entry)

    def _main_block(self) -> Choice | Undecided | None:
        blocks = [(p, b) for p, b in self.graph.main_block_apps]
        blocks = [
            (p, b) for p, b in blocks if self.usable(AppSite(p, b.name, b.line, _origin(p, b)))
        ]
        if not blocks:
            return None
        least = min(depth(p) for p, _ in blocks)
        top = [(p, b) for p, b in blocks if depth(p) == least]
        if len(top) > 1:
            listed = ", ".join(f"{p}:{b.name}" for p, b in top)
            return Undecided(
                f"several apps are built only in `__main__` blocks ({listed}); "
                "choose with --app MODULE:ATTR"
            )
        path, binding = top[0]
        site = AppSite(path, binding.name, binding.line, _origin(path, binding))
        return Choice(site, "it is the only FastAPI app", main_block=binding)


def _origin(path: str, binding: Binding) -> Origin:
    return Origin(path, binding.line, "instance", binding.name)


def parse_app_option(value: str) -> tuple[str, str, bool] | None:
    """``mod:attr``, ``path/file.py:attr`` or ``mod:create_app()`` → (target, attr, factory)."""
    target, sep, attr = value.strip().rpartition(":")
    if not sep or not target or not attr:
        return None
    factory = attr.endswith("()")
    attr = attr.removesuffix("()")
    if not attr.isidentifier():
        return None
    return target, attr, factory


def option_site(graph: AppGraph, value: str, source: str) -> tuple[AppSite, str | None] | Undecided:
    """The site ``--app`` / ``[tool.hffix] app`` names, with the folder to import it from."""
    parsed = parse_app_option(value)
    if parsed is None:
        return Undecided(f"{source} {value!r} is not MODULE:ATTR")
    target, attr, factory = parsed
    layout = graph.layout
    base: str | None = None  # a file path says nothing about the import root
    if target.endswith(".py") or "/" in target:
        path = target.removeprefix("./")
        if not layout.is_file(path):
            return Undecided(f"{source} {value!r}: no file {path}")
    else:
        tails = (target.replace(".", "/") + ".py", target.replace(".", "/") + "/__init__.py")
        matches = sorted(
            p for p in layout.files if any(p == t or p.endswith("/" + t) for t in tails)
        )
        at_root = [p for p in matches if p in tails]
        if at_root:
            matches = at_root
        if len(matches) != 1:
            where = ", ".join(matches) if matches else "no such module"
            return Undecided(f"{source} {value!r}: cannot tell which module it means ({where})")
        path = matches[0]
        tail = next(t for t in tails if path == t or path.endswith("/" + t))
        base = path[: -len(tail)].rstrip("/")
    site = graph.site_at(path, attr) or graph.declared_site(path, attr, factory=factory)
    if site is None:
        return Undecided(f"{source} {value!r}: {path} has no module-level `{attr}`")
    if factory and not site.factory:
        site = AppSite(site.path, site.name, site.line, site.origin, True)
    return site, base
