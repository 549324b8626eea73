"""HF007: a root ``requirements.txt`` that installs everything the app imports."""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hffix.deps import (
    conflicts,
    distributions,
    dockerfile,
    implied,
    manifests,
    modules,
    reqfiles,
    tooling,
    tree,
)
from hffix.deps.stdlib import NEWER_MODULES, STDLIB_310, is_stdlib
from hffix.findings import FixSafety, Severity, Status
from hffix.fixes import Delete, Edit, Fix, Write
from hffix.formats.dockerfile import build_context, is_docker_file, is_dockerfile
from hffix.formats.dockerfile import parse as parse_dockerfile
from hffix.formats.requirements import (
    LineKind,
    RequirementLine,
    canonical_name,
    merge_requirements,
    parse_requirements,
    requirement_name,
    strip_comment,
)
from hffix.project.layout import is_test_module
from hffix.repository.workspace import Unreadable
from hffix.rules.base import Example, Rule, RuleContext
from hffix.textio import TextFormat

if TYPE_CHECKING:
    from packaging.markers import Marker
    from packaging.specifiers import SpecifierSet

ROOT_FILE = "requirements.txt"
PACKAGES_FILE = "packages.txt"  # Debian packages a Space installs before requirements.txt
SPEC_MINIMUM = ("fastapi", "uvicorn", "pydantic", "sqlmodel", "python-dotenv")
_PY310 = {"python_version": "3.10", "python_full_version": "3.10.12", "extra": ""}
_STDLIB_DISTRIBUTIONS = {canonical_name(m): m for m in STDLIB_310 if not m.startswith("_")}
_FREEZE_MIN_LINES = 15
_ENV_FILES = (".env.example", ".env.sample", ".env.template", ".env")


def _marker_allows_310(line: RequirementLine) -> bool:
    requirement = line.requirement
    if requirement is None or requirement.marker is None:
        return True
    marker: Marker = requirement.marker
    try:
        return marker.evaluate({**_PY310})
    except Exception:  # an undefined variable: keep the line and say it applies
        return True


def _commented(line: RequirementLine, why: str) -> str:
    physical = line.text.split("\n")
    physical[0] = f"# {physical[0]}  # hffix: {why}"
    return "\n".join([physical[0], *(f"# {p}" for p in physical[1:])])


# An import name that is plausibly also its distribution's name (`chromadb`, `pika`):
# lower case, no leading underscore. Private and CamelCase modules are never guessed.
_PLAUSIBLE_NAME = re.compile(r"[a-z][a-z0-9_]{1,}")

# A line hffix commented out on an earlier run: `# dotenv>=0.9  # hffix: not python-dotenv`.
_COMMENTED_BY_HFFIX = re.compile(r"^#\s*(?P<line>[^#]+?)\s+# hffix: ", re.MULTILINE)


def _commented_names(text: str) -> set[str]:
    """Canonical names of the requirements hffix commented out in ``text``: merging a
    manifest that still lists one must not bring it back (a second run would change
    the file again)."""
    names = set()
    for match in _COMMENTED_BY_HFFIX.finditer(text):
        name = requirement_name(match.group("line").strip())
        if name is not None:
            names.add(canonical_name(name))
    return names


_SQL_PACKAGES = frozenset({"sqlalchemy", "sqlmodel"})


def _listed(requirements: list[conflicts.Declared], but: str) -> str:
    """The requirements that matter to ``but``'s releases, for a message."""
    rows = conflicts.PUBLISHED.get(but, ())
    shown = [d.text for d in requirements if any(d.name in r for _, r in rows)]
    return ", ".join(f"`{text}`" for text in shown) or "the pinned versions"


def _bare_lines(text: str) -> dict[str, RequirementLine]:
    """Requirement lines that are a name (extras allowed) and nothing else, by name."""
    found: dict[str, RequirementLine] = {}
    for line in parse_requirements(text):
        if line.kind is not LineKind.REQUIREMENT or line.name is None or "\n" in line.text:
            continue
        requirement = line.requirement
        if requirement is None or not (
            requirement.specifier or requirement.marker or requirement.url
        ):
            found.setdefault(line.name, line)
    return found


def _bounded_line(line: RequirementLine, specifier: str) -> str:
    """A bare requirement line with ``specifier`` after its name (and extras); its comment
    kept."""
    logical = line.logical
    return line.text.replace(logical, logical + specifier, 1)


def _replaced(text: str, changes: dict[int, tuple[str, str]], newline: str) -> str:
    """``text`` with the lines numbered in ``changes`` replaced."""
    if not changes:
        return text
    out = [
        changes[line.line][0] if line.line in changes else line.text
        for line in parse_requirements(text)
    ]
    joined = newline.join(p for chunk in out for p in chunk.split("\n"))
    return joined + newline if text.endswith(("\n", "\r")) else joined


_FIND_LINKS = dockerfile.ExtraKind.FIND_LINKS
_PYPI = frozenset({"https://pypi.org/simple", "https://pypi.python.org/simple"})

# A local path or URL: pip installs it, its distribution name is just not known here.
_LOCAL_OR_URL = re.compile(r"^(\.{0,2}/|[A-Za-z][\w+.-]*://|[\w.-]+\.(whl|zip|tar\.gz)$)")


@dataclass
class _Declared:
    names: set[str] = field(default_factory=set)  # listed by name
    provided: set[str] = field(default_factory=set)  # listed, or installed by a listed extra
    specifiers: dict[str, list[SpecifierSet]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # name -> its (first) line, stripped

    def has(self, name: str, *, explicit: bool = False) -> bool:
        return name in (self.names if explicit else self.provided)

    def satisfies_below(self, name: str, version: str) -> bool:
        """Whether a declaration of ``name`` allows only versions below ``version``."""
        specifiers = [spec for spec in self.specifiers.get(name, []) if spec]
        if not specifiers:
            return False
        from packaging.specifiers import SpecifierSet

        floor = SpecifierSet(f">={version}")
        return any(not conflicts.overlap(spec, floor) for spec in specifiers)

    def allows_below(self, name: str, version: str) -> bool:
        """Whether every declaration of ``name`` allows some version below ``version``."""
        specifiers = [spec for spec in self.specifiers.get(name, []) if spec]
        if not specifiers:
            return True
        from packaging.specifiers import SpecifierSet

        below = SpecifierSet(f"<{version}")
        return all(conflicts.overlap(spec, below) for spec in specifiers)


class Requirements(Rule):
    """
    ## What it does
    Makes the root `requirements.txt` declare what the Space must install. A missing file
    is created. Only the Space's own service is merged in: first the requirements file a
    Dockerfile HF006 deleted installed (`pip install -r requirements/base.txt`; a root pin
    none of its versions allows is reported), then the manifests of the app's folder chain:
    nested requirement files (`backend/requirements.txt`, with their `-r` includes inlined),
    `pyproject.toml` (PEP 621 `dependencies`, Poetry's `[tool.poetry.dependencies]`
    converted to PEP 440: `^1.2` -> `>=1.2,<2.0`), `Pipfile` `[packages]` and `setup.py`'s
    `install_requires`; the root's manifests only when the app's folder has none of its own.
    Build, test and lint tools are not merged; neither is a line that contradicts another
    (`starlette>=0.50` beside `fastapi==0.109.0`: each is reported, from fastapi's,
    sqlmodel's and pydantic-settings' published requirements). The spec's five (`fastapi`,
    `uvicorn`, `pydantic`, `sqlmodel`, `python-dotenv`) are added when missing; a bare
    `fastapi`, `sqlmodel` or `pydantic-settings` (added or listed) is bounded to releases
    that accept what is pinned (`sqlmodel<0.0.12` beside `SQLAlchemy==1.4.52`), and the
    spec's `pydantic` becomes `pydantic<2` for code written for pydantic 1; every third-party
    import of the code the app runs (not tests, docs, examples or hidden folders) is
    declared, through a curated import -> distribution table (`jwt` -> PyJWT, `cv2` ->
    opencv-python-headless, ...), else the installed environment's metadata, else it is
    reported; and packages that only a feature implies are added with the reason (`Form` ->
    python-multipart, `EmailStr` -> email-validator, a driver for each database URL:
    `postgresql+asyncpg://` -> asyncpg, `mysql://` -> mysqlclient, `mongodb+srv://` ->
    dnspython; passlib's bcrypt -> `bcrypt<5`), following the pins (`SQLAlchemy==1.4` means
    psycopg2 for `postgresql://`; `psycopg2` counts as `psycopg2-binary`). Entries that
    cannot be right are commented out or reported: standard-library names (`typing`,
    `asyncio`), names that are not the package the code imports (`sklearn`, `jose` for
    python-jose), paths on another machine, freezes of another environment, and
    requirements that cannot install together.

    Existing lines, pins, comments, markers and order are kept; names compare canonically
    (`python_dotenv` = `python-dotenv`, `uvicorn[standard]` counts as `uvicorn`).

    What a Dockerfile that HF006 deleted installed other than by name is carried too: an
    index (`--index-url`, `--extra-index-url`) as an `--extra-index-url` line, archive and
    git URLs as they were, a credential in a URL replaced by a `${VARIABLE}` that pip
    expands (reported as a secret to set in the Space). Local paths (`-e ./vendor/lib`, a
    wheel) are reported with their place in the repository: a Space installs
    requirements.txt before the repository's files are in place. A requirements.txt,
    main.py, README.md or packages.txt that git ignores is read and fixed all the same, and
    reported: a Space pushed with git does not get it.

    ## Why it matters
    SP-HF-05 and FR-02: the Space installs the root `requirements.txt` and nothing else; a
    package missing there is "Module not found" at start-up, and a line pip cannot
    install fails the build.

    ## Example
    ```python
    # main.py, with no requirements.txt
    from fastapi import FastAPI, Form
    import jwt
    ```
    creates `requirements.txt` with `fastapi`, `uvicorn`, `pydantic`, `sqlmodel`,
    `python-dotenv`, `PyJWT` and `python-multipart`.

    ## Fix safety
    Safe: lines are only added or, when pip could not install them or they shadow the
    package the code imports, commented out with the reason. A file stored as UTF-16 is
    rewritten as UTF-8 when it changes. Replacing `jwt` by PyJWT is unsafe (the `jwt`
    distribution has its own API) and needs `--unsafe-fixes`. Unknown imports are
    reported; adding one under its own name is a guess, applied only with
    `--unsafe-fixes`. `[tool.hffix] environment-metadata = false` stops the lookup
    in the installed environment.
    """

    code = "HF007"
    name = "requirements"
    spec = "SP-HF-05"
    MESSAGE = "requirements.txt does not declare what the Space must install"
    fixes = (FixSafety.SAFE, FixSafety.UNSAFE, FixSafety.DISPLAY_ONLY)
    OPTIONS = ("environment-metadata",)
    severity = Severity.WARNING  # the Space starts; a dependency or setting is missing

    VALID = (
        Example(
            before={
                "main.py": "import yaml\nfrom fastapi import FastAPI\n\napp = FastAPI()\n",
                "requirements.txt": "fastapi==0.115.0\nuvicorn[standard]\npydantic\n"
                "sqlmodel\npython_dotenv\nPyYAML\n",
            }
        ),
    )
    INVALID = (
        Example(
            before={"main.py": "from fastapi import FastAPI, Form\n\napp = FastAPI()\n"},
            after={
                "requirements.txt": "fastapi\nuvicorn\npydantic\nsqlmodel\npython-dotenv\n"
                "python-multipart\n"
            },
            codes=("HF007",),
        ),
        Example(
            before={
                "main.py": "import dataclasses\nimport yaml\nfrom fastapi import FastAPI\n\n"
                "app = FastAPI()\n",
                "requirements.txt": "fastapi\nuvicorn\npydantic\nsqlmodel\n"
                "python-dotenv\ndataclasses\n",
            },
            after={
                "requirements.txt": "fastapi\nuvicorn\npydantic\nsqlmodel\n"
                "python-dotenv\n# dataclasses  # hffix: standard library in Python 3.10"
                "\nPyYAML\n",
            },
            codes=("HF007",),
        ),
    )

    def run(self, ctx: RuleContext) -> None:
        _Run(ctx).run()
        _note_gitignored(ctx)


# The Space's files a git push must carry: hffix reads and fixes them even when git ignores
# them (see hffix.repository.discovery.ALWAYS_READ), and says so.
_SPACE_FILES = ("requirements.txt", "main.py", "README.md", "packages.txt")


def _note_gitignored(ctx: RuleContext) -> None:
    workspace = ctx.workspace
    for path in _SPACE_FILES:
        if path in workspace.gitignored and workspace.exists(path) and ctx.allows(path):
            ctx.report(
                path,
                f"{path} is ignored by git (.gitignore or .git/info/exclude): hffix reads and "
                "fixes it, but a Space pushed with git will not get it; stop ignoring it "
                f"(add `!{path}` to .gitignore) and commit it",
                status=Status.MANUAL,
            )


@dataclass(frozen=True)
class _Addition:
    line: str
    name: str
    reason: str
    where: str = ""  # "path:line" that showed the need
    unsafe: bool = False  # a guess (the import's own name): only with --unsafe-fixes


class _Run:
    def __init__(self, ctx: RuleContext) -> None:
        self.ctx = ctx
        self.ws = ctx.workspace
        self.facts = ctx.facts
        self.environment = ctx.config.option("environment-metadata", True) is not False
        self._locals: set[str] | None = None
        self._disk_dirs: set[str] | None = None
        self._moved: dict[str, str] | None = None  # disk path -> its path in the view
        self._reported_messages: set[str] = set()
        self._imported: set[str] = set()  # distributions the app's code imports
        self.original_names: set[str] = set()  # names the root file declared on disk
        self.original_lines: dict[str, int] = {}  # name -> its first line there
        self._dockerfiles: list[tuple[str, dockerfile.Harvest]] | None = None
        self.files: list[str] = []  # the Python files the started app can import
        self.pydantic_1: implied.Need | None = None  # `pydantic<2`: the code is pydantic 1's
        self.apt: dict[str, str] = {}  # Debian package -> the requirement that needs it
        self.pydantic_2: implied.ApiUse | None = None  # pydantic 2 API the code uses
        self.app_files: list[str] = []  # those of them that are not test code
        # Findings the final requirements.txt resolves: reported with it as their fix.
        self._resolved: list[tuple[str, int, bool]] = []  # (message, line, unsafe)

    def _fixed(
        self, path: str, message: str, *, line: int = 0, col: int = 0, unsafe: bool = False
    ) -> None:
        """A finding the rewritten requirements.txt resolves (reported by :meth:`finish`)."""
        assert path == ROOT_FILE and col in (0, 1)
        self._resolved.append((message, line, unsafe))

    def finish(self, edits: tuple[Edit, ...]) -> None:
        """Report the findings the edits of requirements.txt resolve, with those edits as
        their fix (safe, or unsafe for an addition only --unsafe-fixes makes)."""
        safe, unsafe = Fix.safe(*edits), Fix.unsafe(*edits)
        for message, line, is_unsafe in self._resolved:
            fix = unsafe if is_unsafe else safe
            self.ctx.report(ROOT_FILE, message, fix=fix, line=line, col=1 if line else 0)

    # ------------------------------------------------------------------ reading
    def declared(self, text: str) -> _Declared:
        result = _Declared()
        lines = list(parse_requirements(text))
        for line in list(lines):
            if line.kind is LineKind.INCLUDE and line.target and "://" not in line.target:
                lines.extend(reqfiles.flatten(self.ws, posixpath.normpath(line.target)).lines)
        for line in lines:
            if line.name is None or not _marker_allows_310(line):
                continue
            result.names.add(line.name)
            result.provided.add(line.name)
            result.provided |= distributions.alternatives(line.name)
            result.texts.setdefault(line.name, line.logical)
            if line.requirement is not None:
                extras = frozenset(line.requirement.extras)
                result.provided |= distributions.provided_by_extras(line.name, extras)
                result.specifiers.setdefault(line.name, []).append(line.requirement.specifier)
            # A bare name (no requirement to parse) allows every version: no specifier.
        return result

    def run(self) -> None:
        """Check and rebuild requirements.txt."""
        ctx = self.ctx
        existing = reqfiles.read(self.ws, ROOT_FILE) if self.ws.exists(ROOT_FILE) else None
        if self.ws.exists(ROOT_FILE) and existing is None:
            why = reqfiles.why_unreadable(self.ws, ROOT_FILE)
            ctx.diagnose(ROOT_FILE, f"{why}; requirements not checked")
            return
        if existing is not None and not ctx.allows(ROOT_FILE):
            return
        newline = existing.fmt.newline if existing is not None else "\n"
        text = existing.text if existing is not None else ""
        if existing is None:
            self._fixed(
                ROOT_FILE,
                "requirements.txt is missing (SP-HF-05: the Space installs only the root "
                "requirements.txt): created",
            )

        if existing is not None:
            self.report_unreadable_lines(text)
        lines = [line for line in parse_requirements(text) if line.name]
        self.original_names = {line.name for line in lines if line.name}
        self.original_lines = {line.name: line.line for line in reversed(lines) if line.name}
        uses = self.code_imports()
        text = self.merge_sources(text, newline, uses)
        text = self.fix_wrong_entries(text, newline, uses)
        declared_text = text  # what the repository declared, before hffix adds anything
        additions = self.additions(text, uses)
        listed = {line.name for line in parse_requirements(text) if line.name}
        if additions:
            text = merge_requirements(text, "\n".join(a.line for a in additions), newline)
        # Listed, but for other Pythons only (`fastapi==1.0; python_version >= "3.12"`): the
        # merge keeps the file's line, so nothing is added; one finding says which.
        marked_out = [a.name for a in additions if canonical_name(a.name) in listed]
        if marked_out:
            names = ", ".join(f"`{name}`" for name in marked_out[:8])
            more = f" and {len(marked_out) - 8} more" if len(marked_out) > 8 else ""
            ctx.report(
                ROOT_FILE,
                f"{names}{more} are listed with an environment marker that leaves them out on "
                "Python 3.10, the Space's, although the app needs them: fix the markers by hand",
                status=Status.MANUAL,
            )
        text = self.narrow_bare_lines(text, newline)
        text = self.carry_dockerfile_extras(text, newline)
        for addition in additions:
            if addition.name in marked_out:
                continue
            # An added line is not on disk yet: the finding names the file as a whole.
            where = f" ({addition.where})" if addition.where else ""
            self._fixed(
                ROOT_FILE,
                f"added `{addition.line}`: {addition.reason}{where}",
                unsafe=addition.unsafe,
            )
        self.finish((*self.write(existing, text), *self.packages_txt()))
        self.check_freeze(text, declared_text, uses)
        self.check_conflicts(text)

    def report_unreadable_lines(self, text: str) -> None:
        """Lines of the root file that pip cannot read, and includes that are not there."""
        for line in parse_requirements(text):
            if line.kind is LineKind.OTHER and not _LOCAL_OR_URL.match(line.logical):
                message = (
                    f"`{line.logical[:60]}` is not a requirement pip can read: fix or remove it"
                )
            elif line.kind in (LineKind.INCLUDE, LineKind.CONSTRAINT) and line.target:
                if self.ws.exists(posixpath.normpath(line.target)):
                    continue
                message = f"includes `{line.target}`, which is not in the repository"
            else:
                continue
            if self.ctx.allows(ROOT_FILE, line.line):
                self.ctx.report(ROOT_FILE, message, status=Status.MANUAL, line=line.line, col=1)

    # ------------------------------------------------------------------ sources
    def merge_sources(self, text: str, newline: str, uses: dict[str, tuple[str, str, int]]) -> str:
        """``text`` with what the Space's own manifests declare: the requirement files the
        deleted Dockerfiles installed (the Space's source of truth), then those of the app's
        folder chain (:func:`tree.manifest_folders`), never another service's."""
        if self.ctx.app_undecided:
            # Which folder is the Space's is not known: other services' manifests stay out.
            return text
        # Build and test tools stay out, unless the app's code imports one.
        self._imported = {
            canonical_name(r.distribution)
            for module in uses
            if (r := distributions.resolve(module, environment=self.environment)) is not None
        }
        merged: set[str] = {ROOT_FILE}
        for path, origin in self._dockerfile_requirement_files():
            if path in merged:
                continue
            merged.add(path)
            text = self._merge_file(text, newline, path, truth=origin)
        folders = tree.manifest_folders(self.ws, self.facts)
        for folder in folders:
            nested = posixpath.join(folder, ROOT_FILE)
            if folder and nested not in merged and self.ws.exists(nested):
                merged.add(nested)
                text = self._merge_file(text, newline, nested)
        for folder in folders:
            pyproject = posixpath.join(folder, "pyproject.toml")
            source = self.ctx.text(pyproject) if self.ws.exists(pyproject) else None
            if source is not None:
                for declared in manifests.pyproject_dependencies(pyproject, source):
                    text = self._merge_declared(text, declared, newline)
            pipfile = posixpath.join(folder, "Pipfile")
            source = self.ctx.text(pipfile) if self.ws.exists(pipfile) else None
            if source is not None:
                text = self._merge_declared(
                    text, manifests.pipfile_packages(pipfile, source), newline
                )
            setup = posixpath.join(folder, "setup.py")
            source = self.ctx.text(setup) if self.ws.exists(setup) else None
            found = manifests.setup_py_requirements(setup, source) if source else None
            if found is not None:
                text = self._merge_declared(text, found, newline)
        return text

    def _merge_file(self, text: str, newline: str, path: str, truth: str = "") -> str:
        """``text`` with the requirements file at ``path`` (its includes inlined) merged;
        ``truth``: the Dockerfile that installed it, whose pins the root file should have."""
        flat = reqfiles.flatten(self.ws, path)
        extra = "\n".join(line.text for line in flat.lines)
        source = f"{path}, which {truth} installed" if truth else path
        if truth:
            self._differing_pins(text, extra, path, truth)
        text = self._merge(text, extra, newline, source)
        for missing in flat.missing:
            self.ctx.report(
                path, f"includes `{missing}`, which is not in the repository", status=Status.MANUAL
            )
        return text

    def _differing_pins(self, text: str, extra: str, path: str, truth: str) -> None:
        """Root lines that allow none of the versions the file the Dockerfile installed
        allows (``fastapi==0.100.0`` there, ``fastapi==0.115.6`` here): reported."""
        mine = {d.name: d for d in conflicts.declared(text)}
        for theirs in conflicts.declared(extra):
            ours = mine.get(theirs.name)
            if ours is None or conflicts.overlap(ours.specifier, theirs.specifier):
                continue
            self.ctx.report(
                ROOT_FILE,
                f"`{ours.text}` is not the version `{theirs.text}` of {path}, which {truth} "
                "installed: the Space installs requirements.txt, so check which version "
                "the app needs",
                status=Status.MANUAL,
                line=ours.line if theirs.name in self.original_names else 0,
                col=1 if theirs.name in self.original_names and ours.line else 0,
            )

    def _dockerfile_requirement_files(self) -> list[tuple[str, str]]:
        """(path in the view, Dockerfile) of every requirements file a Dockerfile HF006
        deleted installed with ``pip install -r`` (mapped through its WORKDIR and COPY)."""
        if not self.ctx.config.enabled("HF006"):
            return []
        found: list[tuple[str, str]] = []
        for path, harvested in self._deleted_dockerfiles():
            context = self._context(path)
            for file, at in harvested.pip_files_at:
                if "://" in file:
                    continue
                original = dockerfile.repository_path(file, at, context, self._disk_dir)
                if original is None or self._disk_dir(original):
                    continue
                now = self._view_path(original, False)
                if now is not None and now != ROOT_FILE and self.ws.exists(now):
                    found.append((now, path))
        return found

    def _merge_declared(self, text: str, declared: manifests.Declared, newline: str) -> str:
        path = declared.source.split(" (")[0]
        for problem in declared.problems:
            self.ctx.report(path, f"{declared.source}: {problem}", status=Status.MANUAL)
        return self._merge(text, "\n".join(declared.lines), newline, declared.source)

    def _merge(self, text: str, extra: str, newline: str, source: str) -> str:
        dropped = _commented_names(text)
        kept: list[str] = []
        tools: list[str] = []
        versions = conflicts.has_versions(text) or conflicts.has_versions(extra)
        accepted = conflicts.declared(text) if versions else []
        for line in parse_requirements(extra):
            if line.name is not None and canonical_name(line.name) in dropped:
                continue
            if (
                line.name is not None
                and line.name not in self._imported
                and tooling.tool_kind(line.name) is not None
            ):
                tools.append(line.name)
                continue
            candidate = conflicts.declared(line.text) if versions else []
            clash = next(
                (
                    c
                    for new in candidate
                    for old in accepted
                    if new.name != old.name and (c := conflicts.conflict_between(old, new))
                ),
                None,
            )
            if clash is not None:
                self._report_once(
                    f"`{line.logical}` from {source} was not merged: {clash.describe()}; "
                    "choose the versions by hand"
                )
                continue
            accepted.extend(candidate)
            kept.append(line.text)
        extra = "\n".join(kept)
        merged = merge_requirements(text, extra, newline, source=source)
        if merged != text or tools:
            added = [
                line.name or line.logical
                for line in parse_requirements(merged[len(text) :])
                if line.kind not in (LineKind.BLANK, LineKind.COMMENT)
            ]
            left_out = (
                f"; left out build and test tools {', '.join(dict.fromkeys(tools))}"
                if tools
                else ""
            )
            if merged != text:
                self._fixed(
                    ROOT_FILE,
                    f"merged {len(added)} line(s) from {source}: {', '.join(added)}{left_out}",
                )
        return merged

    # ------------------------------------------------------------------ Dockerfiles
    def carry_dockerfile_extras(self, text: str, newline: str) -> str:
        """What the Dockerfiles HF006 deleted installed other than by name: index and
        find-links options, URLs, local paths and editables (HF006 carries requirements by
        name through ``Facts.requirements``). Each is added to requirements.txt, a path made
        relative to the repository root from the Dockerfile's WORKDIR and COPY, or reported
        for the user; a credential in a URL is read from a variable the Space must set."""
        if self.ctx.app_undecided or not self.ctx.config.enabled("HF006"):
            return text
        lines: list[tuple[str, str]] = []  # (requirements.txt line, reason)
        for path, found in self._deleted_dockerfiles():
            context = self._context(path)
            for extra in found.pip_extras:
                where = f"`RUN pip install` in {path}:{extra.line}"
                carried = self._carried(extra, context)
                if carried is None:
                    continue
                what, text_or_why = carried
                if what == "line":
                    index = extra.kind is dockerfile.ExtraKind.INDEX
                    note = "; PyPI stays the main index" if index else ""
                    lines.append((text_or_why, f"{where} (HF006 deleted the Dockerfile){note}"))
                else:
                    option = extra.kind in (_FIND_LINKS, dockerfile.ExtraKind.INDEX)
                    verb = "used" if option else "installed"
                    self._report_once(f"{where} {verb} `{extra.written}`, {text_or_why}")
            for credential in found.credentials:
                self._credential(credential, f"{path}:{credential.line}")
        if not lines:
            return text
        merged = merge_requirements(text, "\n".join(line for line, _ in lines), newline)
        added = {line.logical for line in parse_requirements(merged[len(text) :])}
        for line, reason in lines:
            if line in added:
                added.discard(line)
                self._fixed(ROOT_FILE, f"added `{line}`: {reason}")
        return merged

    def _deleted_dockerfiles(self) -> list[tuple[str, dockerfile.Harvest]]:
        """The Dockerfiles on disk that are gone from the view (HF006 deleted them), read
        from disk; one of several identical files."""
        if self._dockerfiles is not None:
            return self._dockerfiles
        kept = {self.ws.origin(path) for path in self.ws.paths()}
        found: list[tuple[str, dockerfile.Harvest]] = []
        texts: set[str] = set()
        for path in sorted(self.ws.disk):
            if path in kept or not is_dockerfile(path):
                continue
            try:
                text = self.ws.original_text(path)
            except Unreadable:
                continue
            if text not in texts:
                texts.add(text)
                found.append((path, dockerfile.harvest(text)))
        self._dockerfiles = found
        return found

    def _context(self, path: str) -> str:
        """The build context of the Dockerfile at ``path`` on disk: its folder, or the root
        when its COPY sources are there (see :func:`build_context`)."""
        folder = posixpath.dirname(path)
        if not folder:
            return folder
        try:
            text = self.ws.original_text(path)
        except Unreadable:
            return folder
        holds_files = any(
            posixpath.dirname(p) == folder and not is_docker_file(p) for p in self.ws.disk
        )

        def exists(candidate: str) -> bool:
            return candidate in self.ws.disk or self._disk_dir(candidate)

        return build_context(parse_dockerfile(text), folder, exists, holds_files)

    def _carried(self, extra: dockerfile.PipExtra, context: str) -> tuple[str, str] | None:
        """``("line", requirements.txt line)`` for ``extra``, ``("manual", why)`` when the
        Space cannot get it that way, or ``None`` when nothing needs carrying (PyPI itself,
        the project's own folder, whose manifest is merged above)."""
        kind, value = extra.kind, extra.value
        if kind is dockerfile.ExtraKind.TRUSTED_HOST:
            return "line", f"--trusted-host {value}"
        if "://" in value:
            if kind is dockerfile.ExtraKind.INDEX:
                if value.rstrip("/") in _PYPI:
                    return None
                return "line", f"--extra-index-url {value}"
            option = {
                dockerfile.ExtraKind.FIND_LINKS: "--find-links ",
                dockerfile.ExtraKind.EDITABLE: "-e ",
            }.get(kind, "")
            return "line", option + value
        path = value.partition("[")[0]
        original = dockerfile.repository_path(path, extra, context, self._disk_dir)
        if original is None:
            return "manual", (
                "which no COPY brought from the repository (downloaded or made in the "
                "image): add what it installs to requirements.txt by hand"
            )
        if original == "":
            return None
        folder = self._disk_dir(original)
        if not folder and original not in self.ws.disk:
            return "manual", (
                f"the repository's `{original}`, which hffix does not see (git-ignored?): a "
                "Space cannot install it; publish it and add it to requirements.txt by hand"
            )
        now = self._view_path(original, folder)
        if now == "":
            return None
        shown = f"`{now or original}{'/' if folder else ''}`"
        return "manual", (
            f"the repository's {shown}: a Space installs requirements.txt before the "
            "repository's files are in place, so a local path there fails its build; publish "
            "it (a package index or a git URL) and add that to requirements.txt"
        )

    def _disk_dir(self, path: str) -> bool:
        if self._disk_dirs is None:
            dirs = {""}
            for file in self.ws.disk:
                parts = file.split("/")[:-1]
                dirs.update("/".join(parts[:end]) for end in range(1, len(parts) + 1))
            self._disk_dirs = dirs
        return path in self._disk_dirs

    def _view_path(self, original: str, folder: bool) -> str | None:
        """Where the file or folder ``original`` of the disk is in the view (after a hoist)."""
        if self._moved is None:
            self._moved = {}
            for path in self.ws.paths():
                origin = self.ws.origin(path)
                if origin is not None:
                    self._moved[origin] = path
        if not folder:
            return self._moved.get(original)
        prefix = original + "/"
        for origin, now in self._moved.items():
            if origin.startswith(prefix):
                rest = origin[len(prefix) :]
                if now == rest:
                    return ""
                return now[: -len(rest) - 1] if now.endswith("/" + rest) else None
        return None

    def _credential(self, credential: dockerfile.Credential, where: str) -> None:
        name = credential.variable
        self.facts.variables.add(name)
        if credential.value:
            self.facts.secret_values.add(credential.value)
            message = (
                f"`RUN pip install` in {where} had a credential in a URL: requirements.txt "
                f"reads it from `${{{name}}}` instead, which pip expands; set {name} as a "
                "secret in the Space settings and rotate it, since it was committed"
            )
        else:
            message = (
                f"`RUN pip install` in {where} read a credential from `{name}`: "
                f"requirements.txt reads it from `${{{name}}}`, which pip expands; set {name} "
                "as a secret in the Space settings"
            )
        self._report_once(message, variables=(name,), secret=bool(credential.value))

    def _report_once(
        self, message: str, *, variables: tuple[str, ...] = (), secret: bool = False
    ) -> None:
        if message in self._reported_messages:
            return
        self._reported_messages.add(message)
        self.ctx.report(
            ROOT_FILE, message, status=Status.MANUAL, variables=variables, secret=secret
        )

    # ------------------------------------------------------------------ code
    def _tree(self, path: str) -> ast.Module | None:
        """The session's shared ``ast`` of ``path`` (parsed once for every rule)."""
        return self.ctx.session.tree(path)

    def _imports(self, path: str) -> list[modules.ImportUse] | None:
        """The imports of ``path`` (the session's :data:`~hffix.deps.modules.IMPORTS`)."""
        return self.ctx.analysis(modules.IMPORTS, path)

    def code_imports(self) -> dict[str, tuple[str, str, int]]:
        """Third-party top-level imports of the runtime code: module -> (module, path, line)."""
        roots = tree.import_roots(self.ws, self.facts)
        entries = tree.app_modules(self.ws, self.facts)
        first_party = set(self.facts.first_party) or modules.first_party_names(self.ws, roots)
        found: dict[str, tuple[str, str, int]] = {}
        self.files = modules.runtime_files(self.ws, entries, roots, self._imports)
        # A module that imports pytest is test code: not the app's needs.
        self.app_files = [p for p in self.files if not is_test_module(p, self._tree(p))]
        for path in self.app_files:
            source = self.ctx.text(path)
            if source is None or self.ctx.config.ignored_in(path, Requirements.code):
                continue
            for use in self._imports(path) or ():
                if use.level or use.type_checking or use.optional or not use.module:
                    continue
                top = use.module.split(".")[0]
                if (
                    is_stdlib(top)
                    or top in first_party
                    or top in NEWER_MODULES
                    or top == "__future__"
                ):
                    continue
                key = use.module if top in distributions.NAMESPACE_ROOTS else top
                if top in distributions.NAMESPACE_ROOTS and len(use.module.split(".")) < 2:
                    key = ".".join([use.module, *use.names[:1]]) if use.names else use.module
                found.setdefault(key, (key, path, use.line))
        return found

    def _add(
        self,
        line: str,
        name: str,
        reason: str,
        where: str = "",
        explicit: bool = False,
        *,
        unsafe: bool = False,
    ) -> None:
        if name in self._planned or self._declared.has(name, explicit=explicit):
            return
        self._planned.add(name)
        self._additions.append(_Addition(line, name, reason, where, unsafe))

    def additions(self, text: str, uses: dict[str, tuple[str, str, int]]) -> list[_Addition]:
        self._declared = declared = self.declared(text)
        self._declared_text = text
        self._planned: set[str] = set()
        self._additions: list[_Addition] = []
        carried = {
            parsed[0].name: (line, reason)
            for line, reason in self.facts.requirements.items()
            if (parsed := parse_requirements(line)) and parsed[0].name
        }
        pydantic = None if self.ctx.app_undecided else self._pydantic_need()
        self.pydantic_1 = pydantic
        bare = _bare_lines(text).get("pydantic")
        for name in SPEC_MINIMUM:
            if name == "pydantic" and pydantic is not None and not bare:
                # `pydantic<2` for pydantic 1 code, in the spec's place (a bare `pydantic`
                # already listed is narrowed by narrow_bare_lines).
                self._need(pydantic)
            if name in carried:
                # A Dockerfile's pin of a spec package (`uvicorn[standard]==0.30.1`) is
                # kept, not replaced by the spec's bare name.
                line, reason = carried[name]
                self._add(line, name, reason)
            self._add(name, name, "SP-HF-05 requires it in every Space", explicit=True)
        for name, (line, reason) in carried.items():
            self._add(line, name, reason)
        if self.ctx.app_undecided:
            # Which folder the Space serves is not known: what one service's code imports
            # is not right for the others, so only the spec's minimum is added.
            return self._bounded(text)
        for module, (_, path, number) in sorted(uses.items(), key=lambda kv: (kv[1][1], kv[1][2])):
            self._import_need(module, path, number)
        toolkits = {m.split(".")[0] for m in uses}
        # What requirements.txt will hold after this run counts, not only what it holds
        # now: the spec's sqlmodel (added here) brings SQLAlchemy, and a second run would
        # otherwise find the drivers this one did not.
        adding = {canonical_name(a.name) for a in self._additions}
        if declared.has("sqlalchemy") or declared.has("sqlmodel") or adding & _SQL_PACKAGES:
            toolkits.add("sqlalchemy")
        if any(declared.has(n) for n in ("pymongo", "motor")):
            toolkits.add("pymongo")
        families = implied.database_families(toolkits)
        # SQLAlchemy below 2.1 (as declared) loads psycopg2 for postgresql:// and installs
        # greenlet by itself.
        legacy = declared.satisfies_below("sqlalchemy", "2.1.0")
        pin = declared.texts.get("sqlalchemy") if legacy else None
        for path in self.app_files:
            source = self.ctx.text(path)
            if source is not None:
                for need in implied.python_needs(
                    path,
                    source,
                    self._tree(path),
                    uses=self._imports(path),
                    sqlalchemy=pin,
                    databases=families,
                    greenlet=not legacy,
                ):
                    self._need(need)
            original = self._original_text(path)
            if families and original is not None and original != source:
                # A URL that HF005 moved to the environment still names the driver the app
                # loads (only the scheme is read; the value is never copied).
                for need in implied.url_needs(original, path, sqlalchemy=pin, databases=families):
                    self._need(need)
        if families:
            for folder in tree.backend_folders(self.ws, self.facts):
                for name in _ENV_FILES:
                    env_path = posixpath.join(folder, name)
                    env_text = self.ctx.text(env_path) if self.ws.exists(env_path) else None
                    for need in implied.url_needs(
                        env_text or "", env_path, sqlalchemy=pin, databases=families
                    ):
                        self._need(need)
        return self._bounded(text)

    def _bounded(self, text: str) -> list[_Addition]:
        """The additions, an unpinned fastapi, sqlmodel or pydantic-settings bounded to the
        releases that accept what the requirements pin (`sqlmodel<0.0.12` beside
        `SQLAlchemy==1.4.52`); one no release accepts is reported and left out."""
        planned = "\n".join([text, *(a.line for a in self._additions)])
        if not conflicts.has_versions(planned):
            return self._additions  # nothing is pinned: the newest releases fit
        everything = self._with_code_needs(conflicts.declared(planned))
        result: list[_Addition] = []
        for addition in self._additions:
            if addition.name not in conflicts.PUBLISHED or addition.line != addition.name:
                result.append(addition)
                continue
            bound = conflicts.upper_bound(addition.name, everything)
            if bound is None:
                self.ctx.report(
                    ROOT_FILE,
                    f"`{addition.name}` ({addition.reason}) was not added: no release of it "
                    f"accepts {_listed(everything, addition.name)}; choose the versions by hand",
                    status=Status.MANUAL,
                )
                continue
            if bound.specifier:
                line = f"{addition.name}{bound.specifier}"
                reason = f"{addition.reason}; below {bound.specifier[1:]}, as {bound.why}"
                addition = _Addition(line, addition.name, reason, addition.where, addition.unsafe)
            result.append(addition)
        return result

    def narrow_bare_lines(self, text: str, newline: str) -> str:
        """``text`` with a bare ``pydantic`` (the spec's) narrowed to ``pydantic<2`` for
        pydantic 1 code, and a bare ``fastapi``, ``sqlmodel`` or ``pydantic-settings``
        bounded to the releases that accept what is pinned (`sqlmodel<0.0.12` beside
        `SQLAlchemy==1.4.52`): a bare name allows those versions, so the bound only says
        what pip would otherwise find by walking back through every newer release."""
        bare = _bare_lines(text)
        changes: dict[int, tuple[str, str]] = {}  # line number -> (new line, reason)
        if self.pydantic_1 is not None and "pydantic" in bare:
            line = bare.pop("pydantic")
            where = self.ctx.where(self.pydantic_1.path, self.pydantic_1.line)
            changes[line.line] = (
                _bounded_line(line, "<2"),
                f"{self.pydantic_1.reason} ({where}), and a bare `pydantic` installs 2",
            )
        if changes or any(name in conflicts.PUBLISHED for name in bare):
            planned = _replaced(text, changes, newline)
            pinned = conflicts.has_versions(planned)
            everything = self._with_code_needs(conflicts.declared(planned)) if pinned else []
            for name, line in bare.items():
                if name not in conflicts.PUBLISHED or not everything:
                    continue
                bound = conflicts.upper_bound(name, everything)
                if bound is None:
                    self._report_once(
                        f"`{line.logical}`: no release of {name} accepts "
                        f"{_listed(everything, name)}: pip cannot install requirements.txt "
                        "as it is; choose versions that fit"
                    )
                elif bound.specifier:
                    changes[line.line] = (_bounded_line(line, bound.specifier), bound.why)
        if not changes:
            return text
        for number, (new, reason) in changes.items():
            old = next(r for r in parse_requirements(text) if r.line == number)
            on_disk = (
                old.name in self.original_names
                and self.original_lines.get(old.name or "") == number
            )
            shown = strip_comment(new).strip()
            self._fixed(
                ROOT_FILE,
                f"`{old.logical}`: replaced by `{shown}`: {reason}",
                line=number if on_disk else 0,
                col=1 if on_disk else 0,
            )
        return _replaced(text, changes, newline)

    def _with_code_needs(self, declared: list[conflicts.Declared]) -> list[conflicts.Declared]:
        """``declared`` and, when the code uses pydantic 2 API, ``pydantic>=2`` as what the
        code needs: a bound must not bring back a pydantic 1."""
        if self.pydantic_2 is None:
            return declared
        use = self.pydantic_2
        needed = conflicts.declared("pydantic>=2")[0]
        what = f"pydantic>=2 ({use.what} in {self.ctx.where(use.path, use.line)})"
        return [*declared, conflicts.Declared(what, needed.name, needed.specifier)]

    def _pydantic_need(self) -> implied.Need | None:
        """``pydantic<2`` when the app's code is written for pydantic 1 (see
        :func:`implied.pydantic_api`); reported instead when that cannot be."""
        found = [
            use
            for path in self.app_files
            if (source := self.ctx.text(path)) is not None
            for use in implied.pydantic_api(path, source, self._tree(path), self._imports(path))
        ]
        v1 = [u for u in found if u.version == 1]
        v2 = [u for u in found if u.version == 2]
        breaking = [u for u in v1 if u.breaks]
        if v2 and not breaking:
            self.pydantic_2 = v2[0]  # what pins allow must include a pydantic 2
        if not v1 or (v2 and not breaking):
            return None  # pydantic 2 code, or 2 runs its deprecated pydantic 1 API
        # An import that fails names the problem best; then other API pydantic 2 refuses.
        first = sorted(breaking or v1, key=lambda use: not use.what.startswith("`from"))[0]
        where = self.ctx.where(first.path, first.line)
        if v2:
            other = v2[0]
            self.ctx.report(
                ROOT_FILE,
                f"the app's code mixes pydantic 1 API that pydantic 2 removed ({first.what}, "
                f"{where}) with pydantic 2 API ({other.what}, "
                f"{self.ctx.where(other.path, other.line)}): no pydantic runs both; finish "
                "the migration to pydantic 2",
                status=Status.MANUAL,
            )
            return None
        declared = self._declared
        chose_2 = declared.has("pydantic", explicit=True) and not declared.allows_below(
            "pydantic", "2"
        )
        if chose_2 and not breaking:
            return None  # pydantic 2 chosen on purpose; it runs the deprecated API
        what = "which pydantic 2 removed" if first.breaks else "which pydantic 2 runs differently"
        reason = f"{first.what} is pydantic 1 API, {what}"
        need = implied.Need("pydantic<2", "pydantic", reason, first.path, first.line, below="2")
        pin = conflicts.declared("pydantic<2")[0]
        for requirement in conflicts.declared(self._declared_text):
            clash = conflicts.conflict_between(requirement, pin)
            if clash is not None and requirement.name != "pydantic":
                self.ctx.report(
                    ROOT_FILE,
                    f"{reason} ({where}), but `{requirement.text}` needs pydantic 2 "
                    f"({clash.why}): pin pydantic below 2 with versions of {requirement.name} "
                    "that accept it, or migrate the code to pydantic 2",
                    status=Status.MANUAL,
                )
                return None
        return need

    def _original_text(self, path: str) -> str | None:
        origin = self.ws.origin(path) if self.ws.exists(path) else None
        if origin is None:
            return None
        try:
            return self.ws.original_text(origin)
        except Unreadable:
            return None

    def _import_need(self, module: str, path: str, line: int) -> None:
        resolution = distributions.resolve(module, environment=self.environment)
        if resolution is None:
            top = module.split(".")[0]
            if self._declared.has(canonical_name(top)):
                return  # a requirement of the import's own name provides it (chromadb)
            if not self.ctx.allows(path, line):
                return
            plausible = (
                _PLAUSIBLE_NAME.fullmatch(top)
                and top not in distributions.NAMESPACE_ROOTS  # `google` is no distribution
                and top not in self._local_names()  # a folder or module of this repository
            )
            guess = canonical_name(top) if plausible else None
            if guess is not None and self.ctx.unsafe_fixes:
                reason = f"imported as `{module}`; no table knows it, so its own name is assumed"
                self._add(guess, guess, reason, self.ctx.where(path, line), unsafe=True)
                return
            advice = (
                f"--unsafe-fixes adds `{guess}` (check it is the distribution you mean)"
                if guess is not None
                else "add it by hand"
            )
            self.ctx.report(
                path,
                f"`{module}` is imported but not declared in requirements.txt, and hffix "
                f"does not know which distribution provides it: {advice}",
                status=Status.UNSAFE_FIX if guess is not None else Status.MANUAL,
                line=line,
                col=1,
            )
            return
        name = canonical_name(resolution.distribution)
        if name in self.skip_imports:
            return
        requirement = resolution.distribution
        if name == "python-jose":
            requirement = "python-jose[cryptography]"
        source = "" if resolution.source == "table" else " (from the installed environment)"
        self._add(requirement, name, f"imported as `{module}`{source}", self.ctx.where(path, line))

    def _local_names(self) -> set[str]:
        """Every folder and module name anywhere in the repository (`services` for
        src/services/): an import of one is this project's code under another root, never
        a distribution to guess."""
        if self._locals is None:
            names: set[str] = set()
            for path in self.ws.paths():
                parts = path.split("/")
                names.update(parts[:-1])
                if parts[-1].endswith(".py"):
                    names.add(parts[-1][:-3])
            self._locals = names
        return self._locals

    def _need(self, need: implied.Need) -> None:
        where = self.ctx.where(need.path, need.line)
        if need.below is not None and self._declared.has(need.name, explicit=True):
            if not self._declared.satisfies_below(need.name, need.below):
                key = (need.name, "below")
                if key not in self.reported:
                    self.reported.add(key)
                    other = ", or migrate the code to pydantic 2" if need.name == "pydantic" else ""
                    if "BaseSettings" in need.reason:
                        other += " (`BaseSettings` is in pydantic-settings there)"
                    line = self.original_lines.get(need.name, 0)
                    self.ctx.report(
                        ROOT_FILE,
                        f"`{need.name}` is not pinned below {need.below}: {need.reason} "
                        f"({where}); pin it as `{need.requirement}`{other}",
                        status=Status.MANUAL,
                        line=line,
                        col=1 if line else 0,
                    )
            return
        # A pin must be explicit: an extra such as passlib[bcrypt] installs the newest bcrypt.
        added = len(self._additions)
        self._add(need.requirement, need.name, need.reason, where, explicit=need.below is not None)
        if need.apt and len(self._additions) > added:
            self.apt.update(dict.fromkeys(need.apt, need.name))

    # ------------------------------------------------------------------ wrong entries
    def fix_wrong_entries(
        self, text: str, newline: str, uses: dict[str, tuple[str, str, int]]
    ) -> str:
        self.skip_imports: set[str] = set()
        self.reported: set[tuple[str, str]] = set()
        imported = {m.split(".")[0] for m in uses}
        out: list[str] = []
        changed = False
        for line in parse_requirements(text):
            replacement = self._check_line(line, imported)
            if replacement is not None:
                out.append(replacement)
                changed = True
            else:
                out.append(line.text)
        if not changed:
            return text
        joined = newline.join(p for chunk in out for p in chunk.split("\n"))
        return joined + newline if text.endswith(("\n", "\r")) else joined

    def _check_line(self, line: RequirementLine, imported: set[str]) -> str | None:
        ctx = self.ctx
        at = line.line
        logical = line.logical
        if line.kind in (LineKind.REQUIREMENT, LineKind.OTHER, LineKind.EDITABLE) and (
            "file:///" in logical
            or ":\\" in logical
            or logical.split("@")[-1].strip().startswith("/")
        ):
            ctx.report(
                ROOT_FILE,
                f"`{logical}` installs from a path on another machine; the Space cannot "
                "install it: publish it or vendor the code",
                status=Status.MANUAL,
                line=at,
                col=1,
            )
            return None
        name = line.name
        if name is None or line.kind is not LineKind.REQUIREMENT or not _marker_allows_310(line):
            return None
        stdlib = _STDLIB_DISTRIBUTIONS.get(name) or distributions.STDLIB_BACKPORTS.get(name)
        if stdlib is not None:
            why = "standard library in Python 3.10"
            self._fixed(
                ROOT_FILE,
                f"`{logical}` names the standard-library module `{stdlib}`; the PyPI "
                "package of that name is an old backport pip may fail to install on 3.10: "
                "commented out",
                line=at,
                col=1,
            )
            return _commented(line, why)
        wrong = distributions.WRONG_DISTRIBUTIONS.get(name)
        if wrong is None:
            return None
        imports_it = wrong.module.split(".")[0] in imported
        right = wrong.right or "the right distribution"
        if name == "jwt" and imports_it:
            if ctx.unsafe_fixes:
                self._fixed(
                    ROOT_FILE,
                    f"`{logical}`: {wrong.why}; the code imports `jwt` the way PyJWT is used: "
                    "replaced by PyJWT",
                    line=at,
                    col=1,
                    unsafe=True,
                )
                return _commented(line, "not PyJWT")
            self.skip_imports.add(canonical_name(right))
            ctx.report(
                ROOT_FILE,
                f"`{logical}`: {wrong.why}; if the code means PyJWT, replace it "
                "(--unsafe-fixes does)",
                status=Status.UNSAFE_FIX,
                line=at,
                col=1,
            )
            return None
        if not wrong.installs or imports_it:
            tail = f" ({right} is added for `import {wrong.module}`)" if imports_it else ""
            self._fixed(
                ROOT_FILE,
                f"`{logical}`: {wrong.why}: commented out{tail}",
                line=at,
                col=1,
            )
            return _commented(line, f"not {right}" if wrong.right else wrong.why)
        ctx.report(
            ROOT_FILE,
            f"`{logical}`: {wrong.why}; did you mean {right}?",
            status=Status.MANUAL,
            line=at,
            col=1,
        )
        return None

    def check_conflicts(self, text: str) -> None:
        """Requirements of the final file that cannot install together (the repository's
        own lines: hffix merges and adds none that contradict): reported."""
        if not conflicts.has_versions(text):
            return
        for clash in conflicts.conflicts(conflicts.declared(text)):
            self._report_once(
                f"{clash.describe()}: pip cannot install requirements.txt; choose versions that fit"
            )

    def check_freeze(
        self, text: str, declared_text: str, uses: dict[str, tuple[str, str, int]]
    ) -> None:
        """A pinned list that looks like another environment's `pip freeze` and lacked what
        the app imports (``declared_text``: the root file plus the merged manifests)."""
        lines = [r for r in parse_requirements(text) if r.kind is LineKind.REQUIREMENT]
        pinned = [
            r for r in lines if r.requirement is not None and "==" in str(r.requirement.specifier)
        ]
        if len(lines) < _FREEZE_MIN_LINES or len(pinned) < 0.9 * len(lines):
            return
        before = self.declared(declared_text)
        lacking = []
        for module in sorted(uses):
            resolution = distributions.resolve(module, environment=self.environment)
            if resolution and not before.has(canonical_name(resolution.distribution)):
                lacking.append(module)
        if lacking:
            self.ctx.report(
                ROOT_FILE,
                f"requirements.txt looks like `pip freeze` of another environment ({len(pinned)} "
                f"pinned packages) yet lacked what the app imports ({', '.join(lacking)}): "
                "check the pins against the app's real needs",
                status=Status.MANUAL,
            )

    # ------------------------------------------------------------------ writing
    def packages_txt(self) -> tuple[Edit, ...]:
        """packages.txt with the Debian packages an added requirement builds against
        (mysqlclient: the MySQL client library), written with requirements.txt."""
        if not self.apt:
            return ()
        exists = self.ws.exists(PACKAGES_FILE)
        existing = self.ctx.text(PACKAGES_FILE) if exists else ""
        if existing is None:
            return ()
        have = {line.split("#")[0].strip() for line in existing.splitlines()}
        missing = [p for p in self.apt if p not in have]
        if not missing:
            return ()
        newline = self.ws.newline(PACKAGES_FILE) if exists else "\n"
        prefix = existing if not existing or existing.endswith(("\n", "\r")) else existing + newline
        return (Write(PACKAGES_FILE, prefix + newline.join(missing) + newline),)

    def write(self, existing: reqfiles.ReadFile | None, text: str) -> tuple[Edit, ...]:
        """The edits that give requirements.txt ``text`` (UTF-8 when pip could not read it)."""
        if existing is not None and text == existing.text and existing.recovered is None:
            return ()
        if existing is None:
            return (Write(ROOT_FILE, text),)
        if existing.recovered is not None:
            self._fixed(
                ROOT_FILE,
                f"requirements.txt is {existing.recovered}, which pip cannot read: "
                "rewritten as UTF-8",
            )
            return (Delete(ROOT_FILE), Write(ROOT_FILE, text, reqfiles.UTF8_FORMAT))
        if not existing.is_utf8:
            self._fixed(
                ROOT_FILE,
                f"requirements.txt was stored as {existing.fmt.encoding}"
                f"{' with a byte-order mark' if existing.fmt.bom else ''}: rewritten as UTF-8",
            )
            return (Write(ROOT_FILE, text, TextFormat("utf-8", b"", existing.fmt.newline)),)
        return (Write(ROOT_FILE, text),)
