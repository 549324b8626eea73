"""Facts one rule learns and a later rule needs, shared through the session.

Rules run in a fixed order (see :mod:`hffix.rules`); a rule that discovers something other
rules depend on (where the app lives, what a Dockerfile said) records it here instead of
the later rule recomputing it. Each field names the rule that fills it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hffix.analysis import RepositoryAnalysis


@dataclass(frozen=True)
class RunCommand:
    """A command line the repository uses to start itself (Dockerfile CMD, Procfile, ...)."""

    source: str  # repository path of the file that says it
    line: int
    argv: tuple[str, ...]
    workdir: str | None = None  # folder the command runs in, relative to the repository root


@dataclass(frozen=True)
class AppLocation:
    """Where the FastAPI application object lives, after the entrypoint fix."""

    module_path: str  # repository path of the module file, e.g. "main.py" or "backend/app/main.py"
    attribute: str  # e.g. "app"
    import_root: str  # folder its first-party imports resolve from; "" for the repository root
    factory: bool = False  # attribute is a function returning the app


# HF001's decision: the Python modules `import main` loads once the fix is applied (its
# import closure, paths after the fix); None when HF001 did not run or chose no app. Rules
# that change how code starts (HF002, HF003, HF004) change only these: a dev script, a test
# or another service's module keeps working as it does. Computed on first use: summarising
# the closure is the dearest part of a compliant run. Ask RuleContext.in_space.
SPACE_MODULES: RepositoryAnalysis[frozenset[str]] = RepositoryAnalysis("the Space's modules")


@dataclass
class Facts:
    # HF001: the app the Space will serve; None when it could not be found or chosen.
    app: AppLocation | None = None
    # HF001 (and HF003 itself): repository paths of Python modules the Space starts from,
    # root main.py and the module that defines the app. HF003 strips __main__ blocks there.
    entry_modules: set[str] = field(default_factory=set)
    # HF001: set when it looked for the app and chose none (ambiguous, missing, or the fix
    # needs --unsafe-fixes). Rules then leave how the repository starts today alone: server
    # starts, __main__ blocks, Dockerfiles, run scripts and other folders' manifests.
    no_app: bool = False
    # HF001: how the repository said it starts (read before HF006 deletes Dockerfiles).
    run_commands: list[RunCommand] = field(default_factory=list)
    # HF001: top-level module and package names that are first-party (not on PyPI).
    first_party: set[str] = field(default_factory=set)
    # Any rule: environment variables the code reads after the fix; listed for the user.
    variables: set[str] = field(default_factory=set)
    # Any rule: requirement lines HF007 must add, with the reason shown to the user
    # (e.g. {"tomli>=2; python_version < '3.11'": "HF010: tomllib fallback"}).
    requirements: dict[str, str] = field(default_factory=dict)
    # HF005: the secret values it moved out of the code (as evaluated and as written), for
    # `--redact` only (hffix.secrets.redact). Never print, log or report them.
    secret_values: set[str] = field(default_factory=set, repr=False)
