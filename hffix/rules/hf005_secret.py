"""HF005: secrets written into the code instead of read from the environment."""

from __future__ import annotations

import ast
import functools
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING

from hffix import envfile
from hffix import fixes as fx  # `fixes` is the rule's applicabilities
from hffix.findings import FixSafety, Status
from hffix.project.layout import Layout
from hffix.repository.workspace import Unreadable
from hffix.rules.base import Example, Rule, RuleContext
from hffix.secrets import names
from hffix.secrets.classify import (
    DEFAULT_CREDENTIALS,
    PLACEHOLDER_KEY,
    VARIABLE_NAME_KEY,
    WEAK_KINDS,
    Verdict,
    classify,
    mask,
)
from hffix.secrets.data import DataFacts, data_reason, is_comparison
from hffix.secrets.naming import assign_variables, distinctive_secrets, repeats
from hffix.secrets.prefilter import may_hold_secret, may_hold_secret_in, may_hold_shaped
from hffix.secrets.pysource import Fix, ModuleScan, NodeKey, Site, scan_module
from hffix.secrets.rewrite import Action, rewrite
from hffix.secrets.scope import TestCode

if TYPE_CHECKING:
    from hffix.secrets.astscan import AstString
    from hffix.secrets.reads import EnvScan, Unprovided
    from hffix.secrets.runfiles import LineSecret

CONFIG_SUFFIXES = (
    ".ini",
    ".cfg",
    ".conf",
    ".toml",
    ".yaml",
    ".yml",
    ".json",
    ".properties",
    ".pem",
)
LOCK_FILES = frozenset(
    {"package-lock.json", "poetry.lock", "Pipfile.lock", "uv.lock", "yarn.lock", "pdm.lock"}
)
ROTATE = "set it in the Space's settings (Secrets) and rotate it: git history keeps the old value"
SET_IT = "set it in the Space's settings (Secrets)"
# Why a weak finding matters, after its place in the message ({variable}: where it goes).
_WEAK_WHY = {
    PLACEHOLDER_KEY: " (a Space started without {variable} signs with this public value)",
    VARIABLE_NAME_KEY: (
        " (a variable's name, not its value: a Space started without {variable} signs with "
        "this public text)"
    ),
    DEFAULT_CREDENTIALS: (
        " (a well-known default password on a local host: a Space has no such server)"
    ),
}
# Fixes that take a default away (the app then fails loudly when the variable is unset).
_DEFAULT_FIXES = frozenset({Fix.DROP_DEFAULT, Fix.SETTINGS_DEFAULT, Fix.OR_FALLBACK})


class HardcodedSecret(Rule):
    """
    ## What it does
    Finds secrets written into Python code and moves them to environment variables. A
    string is judged by its value and by the name it is held under together. Values:
    provider formats (OpenAI `sk-`/`sk-proj-`, Anthropic, Hugging Face `hf_`, GitHub,
    AWS `AKIA…`, Google `AIza…`, Stripe, Slack, SendGrid, JSON Web Tokens, private keys),
    URLs with `user:password@` (Postgres/Neon, MySQL, MongoDB, Redis, AMQP) and long
    random-looking strings. Names: `…SECRET`, `…PASSWORD`, `…API_KEY`, `…PRIVATE_KEY`,
    `DATABASE_URL`, `BETTER_AUTH_SECRET`, `OPENAI_API_KEY` (strong); `…TOKEN`, `…KEY`,
    `AUTH`, `SALT` (weak). Places: assignments (module, class, `self.x`,
    `app.config["X"]`), pydantic `BaseSettings`/`BaseModel` and dataclass fields,
    `Field(default=…)`, keyword arguments (`OpenAI(api_key=…)`), dict entries, parameter
    defaults, comparisons, `jwt.encode(…, "secret")`, defaults of `os.getenv`,
    `os.environ.get` and decouple's `config`, `os.getenv("X") or "…"`, f-strings and `+`
    chains that embed a secret. The same secret found in several places becomes one
    variable everywhere, also where nothing around it says "secret".

    The literal becomes `os.environ.get("NAME")` (`import os` added once); a
    `BaseSettings` field loses its default (or gets `None` if its type allows it) so
    pydantic-settings reads the variable; an environment read loses its default;
    `os.environ["NAME"] = "…"` is removed. A real-looking value in `.env.example` is
    blanked. Secrets in `.ini`/`.cfg`/`.toml`/`.yaml`/`.json`/`.properties` files (by shape,
    or by name when the value mixes letters and digits: `alembic.ini`'s `sqlalchemy.url`, a
    compose file's `environment:`, a JSON settings file) and private keys in `.pem` files
    are reported for manual work. So are keys in the files that run the app and in
    notebooks: Procfiles, Makefiles, shell scripts (`NAME=value`, `export NAME=value`,
    `--api-key value`, `NAME := value`, a bearer header) and the code cells of `.ipynb`
    notebooks (`%env NAME=value`, `os.environ["NAME"] = "…"`), at the line and column they
    have on disk. `ENV` lines of Dockerfiles are HF006's.

    Weak findings: a public placeholder where the app signs with it (a signing key's name,
    `SECRET_KEY`, `JWT_SECRET`…, or a name passed to `jwt.encode`, itsdangerous, `Fernet`,
    `hmac.new`, `SessionMiddleware` anywhere: `os.getenv("SECRET_KEY", "change-me")`,
    `JWT_KEY = "your-secret-key"`, `SECRET_KEY = "MY_APP_SECRET"`), and URLs logging in with
    a well-known default password on a local host (`postgres:postgres@localhost`).

    The Space's environment: every variable the Space's modules read (`os.environ`,
    `os.getenv`, pydantic-settings fields with `env_prefix`, aliases and nested
    delimiters, decouple, environs, `dotenv_values`, helpers passing their parameter on)
    is listed in `.env.example`, names only, secrets first, each under a comment saying
    where it is read and whether it has a default; the report lists Space secrets and
    Space variables apart. Dotenv files that are not git-ignored are added to `.gitignore`
    (never deleted, values never copied), except a front-end's (`NEXT_PUBLIC_*`, `VITE_*`
    names beside a `package.json`). What a Space cannot give is reported for manual work:
    Docker secret files (`/run/secrets/…`), `os.environ.clear()`, dotenv files loaded from
    a fixed absolute path, `dotenv_values` mappings read without the environment.

    A module of more than 5,000 strings (generated data) or nested too deeply for libcst
    is read from the `ast` alone and not edited: its recognisable secrets (provider
    formats, credentials URLs, private keys, a strong name holding a literal) and repeats
    of secrets found elsewhere are reported for manual work.

    Left alone: values read from the environment, placeholders under other names
    (`<your-key>`, `changeme`, `your_api_key_here`, `${VAR}`, `xxx`, `sua-chave-aqui`,
    `votre-cle-ici`), empty strings, URLs without a password (`sqlite:///…`) or with a
    template one, algorithm names, URL paths (`TOKEN_URL = "/auth/token"`), expiry
    settings, model names, public keys, OpenAPI examples, docstrings, a bare `key=` of a
    call that takes no credential, data (arguments of the app's models, of hashing calls and
    of any call in seed code; comparison guards), and test code: `[tool.hffix] test-paths`
    (`[]` to include tests) and modules importing pytest, unittest or hypothesis.

    ## Why it matters
    SP-HF-08 and FR-03: every secret must be read from an environment variable
    (`DATABASE_URL`, `BETTER_AUTH_SECRET`, `OPENAI_API_KEY`); hardcoded secrets are rejected
    by Hugging Face, and anything pushed to a Space repository is readable by whoever can
    see it.

    ## Example
    ```python
    client = OpenAI(api_key="sk-proj-…")
    ```
    becomes (with `import os` added after the module's imports)
    ```python
    client = OpenAI(api_key=os.environ.get("OPENAI_API_KEY"))
    ```
    and the summary asks to set `OPENAI_API_KEY` in the Space's settings and to rotate the
    key, since git history keeps it. Reports show only a masked form (`sk-p…9o`).

    ## Fix safety
    Safe when the value is recognisably a secret (provider format, credentials URL, high
    entropy under a secret-ish name) or a strong secret name holds a literal that is not a
    placeholder. Unsafe (applied with `--unsafe-fixes`) when only a weak signal suggests it:
    a `…TOKEN`/`…KEY` name with a short value, or a random-looking value under a neutral
    name; a placeholder signing key or a default-password URL (the fix drops the default
    so the app fails loudly when the variable is unset). A compared literal is never
    rewritten. Bytes literals, secrets split across implicit concatenations, modules too
    large or too deep to edit, configuration and run files and notebooks are only reported.
    Suppress with `# hffix: ignore[HF005]` or `# pragma: allowlist secret` on the line.
    """

    code = "HF005"
    name = "hardcoded-secret"
    spec = "SP-HF-08"
    MESSAGE = "{kind} `{masked}` in {where}"
    fixes = (FixSafety.SAFE, FixSafety.UNSAFE, FixSafety.DISPLAY_ONLY)
    # detect-secrets' pragmas, so a repository that already uses them needs no second one.
    PRAGMAS = ("pragma: allowlist secret",)
    NEXTLINE_PRAGMAS = ("pragma: allowlist nextline secret",)

    VALID = (
        Example(
            before={
                "main.py": 'import os\n\nSECRET_KEY = os.environ.get("SECRET_KEY")\n'
                'ALGORITHM = "HS256"\nACCESS_TOKEN_EXPIRE_MINUTES = 30\n'
                'TOKEN_URL = "/auth/token"\n',
                ".env.example": "SECRET_KEY=\n",
                ".gitignore": ".env\n",
            }
        ),
        Example.module(
            'DATABASE_URL = "sqlite:///./app.db"\nOPENAI_API_KEY = "<your-key>"\n'
            'HF_TOKEN = "your_hf_token_here"\n'
        ),
    )
    INVALID = (
        Example(
            before={
                "main.py": 'from openai import OpenAI\n\nclient = OpenAI(api_key="sk-proj-'
                'Zq4mN8vR2tL6xW0yB3cF7hJ1kP5sD9gA")\n'
            },
            after={
                "main.py": "from openai import OpenAI\nimport os\n\n"
                'client = OpenAI(api_key=os.environ.get("OPENAI_API_KEY"))\n',
                ".env.example": f"{envfile.HEADER}\n\n{envfile.SECRETS_HEADING}\n"
                "# read at main.py:3; no default: the app needs it\nOPENAI_API_KEY=\n",
                ".gitignore": ".env\n",
            },
            codes=("HF005",),
        ),
        Example(
            before={
                "config.py": 'SECRET_KEY = "k3y-for-signing-tokens!"\n',
                ".gitignore": "*.pyc\n",
            },
            after={
                "config.py": 'import os\n\nSECRET_KEY = os.environ.get("SECRET_KEY")\n',
                ".env.example": f"{envfile.HEADER}\n\n{envfile.SECRETS_HEADING}\n"
                "# read at config.py:1; no default: the app needs it\nSECRET_KEY=\n",
                ".gitignore": "*.pyc\n.env\n",
            },
            codes=("HF005",),
        ),
        Example(
            before={
                "auth.py": "import os\n\nimport jwt\n\n"
                'SECRET_KEY = os.getenv("SECRET_KEY", "change-me-in-production")\n\n\n'
                "def token(claims):\n    return jwt.encode(claims, SECRET_KEY)\n",
                ".env.example": "SECRET_KEY=\n",
                ".gitignore": ".env\n",
            },
            after={
                "auth.py": 'import os\n\nimport jwt\n\nSECRET_KEY = os.getenv("SECRET_KEY")\n\n\n'
                "def token(claims):\n    return jwt.encode(claims, SECRET_KEY)\n",
            },
            codes=("HF005",),
            unsafe_fixes=True,
        ),
    )

    def run(self, ctx: RuleContext) -> None:
        tests = TestCode(ctx.config)
        others = set(ctx.facts.variables)  # what earlier rules found (a Dockerfile's ENV)
        order: list[str] = []  # the app's modules (not tests), in the order they are read
        for path, text in ctx.python_files():
            if not tests.module(path, text, functools.partial(_tree, ctx, path)):
                order.append(path)
        # Read before any fix of this rule: positions are those of the view as found.
        environment = _environment(ctx, order)
        signing = _signing_names(ctx, order)
        modules: dict[str, ModuleScan] = {}
        large: dict[str, int] = {}  # modules read from the ast alone: their string count
        filtered_out: list[str] = []
        for path in order:
            text = ctx.text(path) or ""
            if _worth_scanning(ctx, path, text, signing):
                _scan(ctx, path, modules, large, signing)
            else:
                filtered_out.append(path)
        scans = [modules[path] for path in order if path in modules]
        sites = [s for scan in scans for s in scan.sites() if ctx.allows(s.path, *s.lines)]
        if sites:
            # First-party names from HF001, else the repository root's packages and modules
            # (a listing of every path: only when some literal is to be judged).
            own = ctx.facts.first_party or Layout(ctx.workspace.paths()).top_level_names("")
            facts = DataFacts()
            sites = [s for s in sites if not self._is_data(ctx, s, own, facts)]
        known = distinctive_secrets(sites)
        if known:
            # A module the filters passed over can still repeat a secret found elsewhere.
            for path in filtered_out:
                if _has_string_in(ctx, path, known):
                    _scan(ctx, path, modules, large, signing)
            scans = [modules[path] for path in order if path in modules]
            literals = [
                x for scan in scans for x in scan.literals(known) if ctx.allows(x.path, *x.lines)
            ]
            sites.extend(repeats(known, literals))
        assign_variables(sites)
        done = self._fix_modules(ctx, modules, sites)
        for path in sorted(large):
            self._report_large(ctx, path, large[path], known)
        self._unprovided(ctx, environment)
        self._config_files(ctx, tests)
        self._run_files(ctx, tests)
        self._dotenv(ctx, tests, environment, done, others)

    @staticmethod
    def _is_data(
        ctx: RuleContext, site: Site, first_party: Collection[str], facts: DataFacts
    ) -> bool:
        """A literal under a secret-ish name that is data (see :mod:`hffix.secrets.data`)."""
        syntax = ctx.syntax(site.path)
        tree = syntax.tree if syntax is not None else None
        return data_reason(site, tree, first_party, facts) is not None

    # ------------------------------------------------------------ modules read from the ast
    def _report_large(
        self, ctx: RuleContext, path: str, count: int, known: Mapping[str, Site]
    ) -> None:
        """Findings in a module HF005 does not parse with libcst (:mod:`hffix.secrets.astscan`):
        too many strings, or one libcst refuses (nested too deeply). Recognisable secrets and
        repeats of secrets found elsewhere are reported, for the user to move by hand."""
        from hffix.secrets import astscan

        syntax = ctx.syntax(path)
        text = ctx.text(path)
        if syntax is None or syntax.tree is None or text is None:
            return
        why = (
            f"a module of more than {astscan.MAX_EDITED_STRINGS} strings, too many to edit safely"
            if count
            else "a module hffix cannot edit (see its warning)"
        )
        reported: set[tuple[int, int]] = set()
        for item in astscan.secrets_in(syntax.tree, text):
            found, where = item.detection, item.literal
            if not ctx.allows(path, where.line):
                continue
            reported.add((where.line, where.col))
            what = f"{found.kind} `{found.masked}` in {item.where}"
            self._report_by_hand(ctx, path, where, what, why, item.variable)
        if not known:
            return
        for where in astscan.strings_in(syntax.tree, text, known):
            if (where.line, where.col) in reported or not ctx.allows(path, where.line):
                continue
            origin = known[where.value]
            what = f"{origin.detection.kind} `{mask(where.value)}` (the same value as another "
            what += "finding)"
            self._report_by_hand(ctx, path, where, what, why, origin.variable or "SECRET")

    def _report_by_hand(
        self,
        ctx: RuleContext,
        path: str,
        where: AstString,
        what: str,
        why: str,
        variable: str,
    ) -> None:
        ctx.report(
            path,
            f"{what}, {why}: move it to the {variable} environment variable by hand and "
            "rotate it: git history keeps it",
            status=Status.MANUAL,
            line=where.line,
            col=where.col,
            variables=[variable],
            secret=True,
        )

    # ------------------------------------------------------------ Python code
    def _fix_modules(
        self, ctx: RuleContext, modules: dict[str, ModuleScan], sites: list[Site]
    ) -> list[Site]:
        """Rewrite the modules holding ``sites``; the sites whose fix is applied in this run."""
        by_path: dict[str, list[Site]] = defaultdict(list)
        for site in sites:
            by_path[site.path].append(site)
        done_sites: list[Site] = []
        for path in sorted(by_path):
            planned = [s for s in by_path[path] if _applies(ctx, s)]
            strings: dict[NodeKey, list[Action]] = defaultdict(list)
            targets: dict[NodeKey, Action] = {}
            for site in planned:
                action = Action(
                    site.fix,
                    site.variable,
                    quote=site.quote,
                    raw_secret=site.raw_secret,
                    settings_none=site.context.settings_none,
                )
                if site.fix in (Fix.REPLACE, Fix.REPLACE_IN_CONCAT, Fix.EMBED):
                    strings[site.string_key].append(action)
                elif site.target_key is not None:
                    targets[site.target_key] = action
            applied: set[NodeKey] = set()
            rewritten: fx.Edit | None = None
            if planned:
                scan = modules[path]
                result, applied = rewrite(scan.module, strings, targets, scan.positions)
                if applied:
                    rewritten = fx.ReplaceModule(path, result)
            # One rewritten module resolves every secret moved out of it: safe for a
            # recognised secret, unsafe for a guess (rewritten only with --unsafe-fixes).
            module_fix = {
                verdict_safe: (fx.Fix.safe if verdict_safe else fx.Fix.unsafe)(rewritten)
                for verdict_safe in (True, False)
                if rewritten is not None
            }
            chosen = {id(site) for site in planned}  # by identity: Site's == compares fields
            for site in sorted(by_path[path], key=lambda s: (s.line, s.col)):
                done = id(site) in chosen and _key_of(site) in applied
                fix = module_fix[site.detection.verdict is Verdict.SAFE] if done else None
                status = self._report(ctx, site, fix=fix)
                if done and status is Status.FIXED:
                    done_sites.append(site)
                    ctx.facts.variables.add(site.variable)
                    if site.detection.kind not in WEAK_KINDS:
                        ctx.facts.secret_values.update({site.secret, site.raw_secret})
        return done_sites

    def _report(self, ctx: RuleContext, site: Site, *, fix: fx.Fix | None) -> Status:
        detection = site.detection
        text = self.MESSAGE.format(
            kind=detection.kind, masked=detection.masked, where=site.context.where
        )
        if site.notes:
            text += f" ({', '.join(site.notes)})"
        variable = site.variable
        weak = detection.kind in WEAK_KINDS
        if weak:
            text += _WEAK_WHY[detection.kind].format(variable=variable)
        status: Status | None = None  # with a fix, the engine decides
        if fix is not None:
            if site.fix is Fix.REMOVE_STATEMENT:
                text += f": the assignment is removed; {variable} must come from the environment"
            elif weak and site.fix in _DEFAULT_FIXES:
                text += f": removed the default; {variable} must come from the environment"
            else:
                text += f": now read from {variable}"
            text += "; " + (SET_IT if weak else ROTATE)
        elif site.fix is Fix.MANUAL or detection.verdict is Verdict.SAFE:
            status = Status.MANUAL
            text += f": move it to the {variable} environment variable by hand"
            text += "" if weak else " and rotate it"
        elif weak and site.fix in _DEFAULT_FIXES:
            text += f": --unsafe-fixes drops the default so the app fails loudly without {variable}"
            status = Status.UNSAFE_FIX
        else:
            status = Status.UNSAFE_FIX
            text += f": --unsafe-fixes reads it from {variable} instead"
        needed = () if status is Status.UNSAFE_FIX else (variable,)  # to set once applied
        return ctx.report(
            site.path,
            text,
            status=status,
            fix=fix,
            line=site.line,
            col=site.col,
            variables=needed,
            unsafe=fix is None and detection.verdict is not Verdict.SAFE,
            # A placeholder signing key is one to replace, as a committed one is to rotate.
            secret=detection.kind != DEFAULT_CREDENTIALS,
        )

    # ------------------------------------------------------------ configuration files
    def _config_files(self, ctx: RuleContext, tests: TestCode) -> None:
        """Secrets in .ini/.toml/.yaml/.json files (:mod:`hffix.secrets.configfiles`:
        alembic.ini's sqlalchemy.url, a compose file's ``environment:``, a JSON settings
        file): reported, not rewritten, since each format reads the environment its own
        way."""
        from hffix.secrets import configfiles

        for path in ctx.workspace.paths():
            base = posixpath.basename(path)
            if not base.endswith(CONFIG_SUFFIXES) or base in LOCK_FILES or tests(path):
                continue
            if configfiles.is_documentation(path) or not ctx.allows(path):
                continue
            text = ctx.text(path)
            if text is None or not (may_hold_shaped(text) or _NAMED_NEEDLE.search(text)):
                continue
            for found in configfiles.config_secrets(text):
                if not ctx.allows(path, found.line):
                    continue
                detection, variable = found.detection, found.variable
                what = f"{detection.kind} `{detection.masked}` in {base}"
                if found.weak:
                    message = (
                        f"{what}{_WEAK_WHY[detection.kind].format(variable=variable)}: read it "
                        f"from the {variable} environment variable instead"
                    )
                else:
                    message = (
                        f"{what}: read it from the {variable} environment variable instead "
                        "and rotate it: git history keeps it"
                    )
                ctx.report(
                    path,
                    message,
                    status=Status.MANUAL,
                    line=found.line,
                    col=found.col,
                    variables=[variable],
                    secret=not found.weak,
                )

    # ------------------------------------------------------------ what a Space cannot give
    def _unprovided(self, ctx: RuleContext, environment: Environment) -> None:
        """What the Space's code expects that a Space cannot give it
        (:class:`hffix.secrets.reads.Unprovided`): reported for manual work."""
        for path, scan in environment.items():
            for item in scan.unprovided:
                if not ctx.allows(path, item.line):
                    continue
                message = _unprovided_message(item)
                ctx.report(
                    path,
                    message,
                    status=Status.MANUAL,
                    line=item.line,
                    col=item.col,
                    variables=item.variables,
                )

    # ------------------------------------------------------------ run files
    def _run_files(self, ctx: RuleContext, is_test: Callable[[str], bool]) -> None:
        """Keys in Procfiles, Makefiles, shell scripts and notebooks' code cells
        (:mod:`hffix.secrets.runfiles`): reported, not rewritten (a command line or a cell
        reads the environment its own way)."""
        from hffix.secrets import runfiles

        for path in ctx.workspace.paths():
            notebook = runfiles.is_notebook(path)
            if not (notebook or runfiles.is_run_file(path)) or is_test(path):
                continue
            if not ctx.allows(path):
                continue
            text = ctx.text(path)
            if text is None or (not may_hold_shaped(text) and not _NAMED_NEEDLE.search(text)):
                continue
            found = runfiles.notebook_secrets(text) if notebook else runfiles.run_file_secrets(text)
            base = posixpath.basename(path)
            for item in found or ():
                if item.line and not ctx.allows(path, item.line):
                    continue
                what = "a code cell of " if notebook else ""
                detection = item.detection
                ctx.report(
                    path,
                    f"{detection.kind} `{detection.masked}` in {what}{base}: set "
                    f"{item.variable} in the Space's settings (Secrets) instead, read it "
                    "from the environment, and rotate it: git history keeps it",
                    status=Status.MANUAL,
                    line=item.line,
                    col=_disk_col(ctx, path, item, text) if item.line else 0,
                    variables=[item.variable],
                    secret=True,
                )

    # ------------------------------------------------------------ dotenv files
    def _dotenv(
        self,
        ctx: RuleContext,
        is_test: Callable[[str], bool],
        environment: Environment,
        done: list[Site],
        others: set[str],
    ) -> None:
        workspace = ctx.workspace
        dotenvs = [p for p in workspace.paths() if envfile.is_dotenv(p) and not is_test(p)]
        dotenvs = _backend_dotenvs(ctx, dotenvs)
        for path in workspace.paths():
            if envfile.is_example(path) and not is_test(path):
                self._clean_example(ctx, path)
        listed = _listed(ctx, environment, done, others)
        ctx.facts.variables.update(
            item.name for item in listed if item.name not in envfile.PLATFORM_VARIABLES
        )
        example_written = self._update_example(ctx, listed, bool(done or others))
        ignoring: fx.Fix | None = None
        if dotenvs or example_written:
            ignoring = self._update_gitignore(ctx, dotenvs, example_written)
            if example_written and not dotenvs and ignoring is not None and ignoring.edits:
                ctx.report(
                    envfile.GITIGNORE,
                    "`.env`, where the variables go for a local run, is not git-ignored: "
                    "added `.env` to .gitignore",
                    fix=ignoring,
                )
        for path in dotenvs:
            self._report_dotenv(ctx, path, ignoring)

    def _report_dotenv(self, ctx: RuleContext, path: str, ignoring: fx.Fix | None) -> None:
        """``ignoring``: the .gitignore change that ignores it; ``None`` when .gitignore
        cannot be edited, and the finding says why and stays for the user."""
        text = ctx.text(path)
        if text is None or not ctx.allows(path):
            return
        names: list[str] = []
        secrets: list[str] = []
        for entry in envfile.entries(text):
            if entry.name not in names:
                names.append(entry.name)
            found = classify(entry.value, entry.name)
            if found is not None and found.verdict is Verdict.SAFE:
                secrets.append(f"{entry.name} ({found.kind} `{found.masked}`)")
        base = posixpath.basename(path)
        if ignoring is not None:
            message = f"`{path}` is not git-ignored: added `{base}` to .gitignore"
        else:
            message = (
                f"`{path}` is not git-ignored, and hffix cannot edit .gitignore (it is not "
                f"readable text): add `{base}` to it by hand"
            )
        if secrets:
            message += (
                f"; it holds {', '.join(secrets)}. If it was ever committed, run "
                f"`git rm --cached {path}` and rotate them: git history keeps them"
            )
        ctx.report(
            path,
            message,
            fix=ignoring,
            status=None if ignoring is not None else Status.MANUAL,
            variables=names,
            secret=bool(secrets),
        )

    def _clean_example(self, ctx: RuleContext, path: str) -> None:
        """Example files are committed on purpose: real-looking secrets in them lose their value."""
        text = ctx.text(path)
        if text is None or not ctx.allows(path):
            return
        found_here = []
        for entry in envfile.entries(text):
            found = classify(entry.value, entry.name)
            if found is not None and found.verdict is Verdict.SAFE and ctx.allows(path, entry.line):
                found_here.append((entry, found))
        if not found_here:
            return
        # One edited example file resolves every value found in it.
        blanked = envfile.blank_values(text, [entry.line for entry, _ in found_here])
        fix = fx.Fix.safe(fx.Write(path, blanked))
        for entry, found in found_here:
            ctx.facts.secret_values.add(entry.value)
            ctx.report(
                path,
                f"{found.kind} `{found.masked}` as the value of {entry.name}: the value is "
                f"removed (example files list names only); rotate it: git history keeps it",
                fix=fix,
                line=entry.line,
                col=1,
                variables=[entry.name],
                secret=True,
            )

    def _update_example(self, ctx: RuleContext, listed: list[envfile.Listed], wanted: bool) -> bool:
        """Write the variables the app reads into ``.env.example`` (secrets, then variables;
        where each is read and whether it has a default; names only). A new file is written
        when the app needs one: a secret moved out of the code, a variable another rule
        found, or a variable read without a default or holding a credential; an existing
        file is completed whenever it lacks one."""
        workspace = ctx.workspace
        path = envfile.EXAMPLE
        if not workspace.exists(path) and (workspace.root / path).exists():
            return False  # git-ignored or excluded: not ours to touch
        current = ctx.text(path) if workspace.exists(path) else None
        if workspace.exists(path) and current is None:
            return False
        needed = wanted or any(item.secret or not item.default for item in listed)
        if current is None and not needed:
            return False
        newline = workspace.newline(path) if workspace.exists(path) else "\n"
        updated = envfile.updated_example(current, listed, newline)
        if updated is None:
            return False
        present = envfile.declared_names(current or "")
        declared = envfile.declared_names(updated)
        added = sorted({item.name for item in listed} & declared - present)
        shown = ", ".join(f"`{name}`" for name in added[:8]) + (", ..." if len(added) > 8 else "")
        ctx.report(
            path,
            f"{path} lists the environment variables the app reads, for the Space's "
            f"settings: added {shown}",
            fix=fx.Fix.safe(fx.Write(path, updated)),
        )
        return True

    def _update_gitignore(
        self, ctx: RuleContext, dotenvs: list[str], example: bool
    ) -> fx.Fix | None:
        """The fix that adds the .gitignore lines ignoring ``dotenvs`` (or ``.env``; no edit
        when they are there); ``None`` when the file exists but cannot be read as text."""
        workspace = ctx.workspace
        path = envfile.GITIGNORE
        current = ctx.text(path) if workspace.exists(path) else None
        if workspace.exists(path) and (current is None or "\x00" in current):
            return None
        wanted = dotenvs or ([".env"] if example else [])
        newline = workspace.newline(path) if workspace.exists(path) else "\n"
        updated = envfile.updated_gitignore(current, wanted, newline)
        return fx.Fix(() if updated is None else (fx.Write(path, updated),))


def _unprovided_message(item: Unprovided) -> str:
    """What a Space cannot give the code, and what to do instead (one line)."""
    names = ", ".join(item.variables)
    if item.kind == "docker-secret":
        if item.variables:
            return (
                f"the Docker secret file `{item.subject}` is read here, and a Space has no such "
                f"file: read the {item.variables[0]} environment variable instead and set it "
                "in the Space's settings (Secrets)"
            )
        return (
            f"Docker secret files (`{item.subject}`) are read here, and a Space has none: read "
            "each secret from an environment variable instead and set it in the Space's "
            "settings (Secrets)"
        )
    if item.kind == "environ-clear":
        return (
            "`os.environ.clear()` empties the environment, and with it the secrets and "
            "variables the Space sets: remove it, or keep what the app needs"
        )
    if item.kind == "fixed-env-file":
        return (
            f"a .env file is loaded from the fixed path `{item.subject}`, which does not exist "
            "on a Space: set its variables in the Space's settings instead (the app gets them "
            "from the environment)"
        )
    return (
        f"`{item.subject}` holds `dotenv_values(…)`, a .env file that is not pushed to a Space, "
        f"and the code reads {names} from it, never from the environment the Space sets: "
        "merge the environment in (`{**dotenv_values(), **os.environ}`) or read os.environ"
    )


Environment = dict[str, "EnvScan"]  # module path -> what it reads (the Space's modules)


def _tree(ctx: RuleContext, path: str) -> ast.Module | None:
    syntax = ctx.syntax(path)
    return syntax.tree if syntax is not None else None


def _environment(ctx: RuleContext, order: list[str]) -> Environment:
    """What the Space's modules (``order``, tests left out; every one while no app is
    chosen) read of the environment (:mod:`hffix.secrets.reads`), and what they expect that a
    Space cannot give. Functions passing a parameter to a read count in every module."""
    from hffix.secrets import reads

    candidates: list[tuple[str, ast.Module]] = []
    for path in order:
        text = ctx.text(path)
        if text is None or not reads.may_read(text) or not ctx.in_space(path):
            continue
        tree = _tree(ctx, path)
        if tree is not None:
            candidates.append((path, tree))
    modules = [(path, reads.ModuleEnv(tree)) for path, tree in candidates]
    wrappers: dict[str, reads.Wrapper] = {}
    local: dict[str, dict[str, reads.Wrapper]] = {}
    for path, module in modules:
        local[path] = module.wrappers()
        for name, wrapper in local[path].items():
            if "env" in name.lower():  # by name only across modules: only clear names
                wrappers.setdefault(name, wrapper)
    found: Environment = {}
    for path, module in modules:
        scan = module.scan({**wrappers, **local[path]})
        if scan.reads or scan.unprovided:
            found[path] = scan
    return found


def _signing_names(ctx: RuleContext, order: list[str]) -> frozenset[str]:
    """The names the app's modules sign with (:func:`hffix.secrets.signing.signing_names`)."""
    from hffix.secrets import signing

    found: set[str] = set()
    for path in order:
        text = ctx.text(path)
        if text is None or not signing.may_sign(text):
            continue
        tree = _tree(ctx, path)
        if tree is not None:
            found |= signing.signing_names(tree)
    return frozenset(found)


def _listed(
    ctx: RuleContext, environment: Environment, done: list[Site], others: set[str]
) -> list[envfile.Listed]:
    """Every variable the Space's code reads once this run's fixes are applied: those it
    read as found (``environment``, located on disk) and those the moved secrets (``done``)
    are now read from, without a default there; and those earlier rules named (``others``:
    a Dockerfile's ``ENV``). A Space secret when its name says it holds a credential
    (:func:`hffix.secrets.names.holds_credential`) or a secret moved into it."""
    places: dict[str, list[str]] = defaultdict(list)
    defaults: dict[str, bool] = {}
    moved: set[str] = set()
    read_at: set[tuple[str, str, int]] = set()
    for path, scan in environment.items():
        for read in scan.reads:
            read_at.add((read.variable, path, read.line))
            where = ctx.where(path, read.line)
            if where not in places[read.variable]:
                places[read.variable].append(where)
            defaults[read.variable] = defaults.get(read.variable, True) and read.default
    for site in done:
        # Now read without a default; at the read it sits in (a field's default), if any.
        span = range(min(site.lines or (site.line,)), max(site.lines or (site.line,)) + 1)
        if not any((site.variable, site.path, line) in read_at for line in span):
            where = ctx.where(site.path, site.line)
            if where not in places[site.variable]:
                places[site.variable].append(where)
        defaults[site.variable] = False
        if site.detection.kind != DEFAULT_CREDENTIALS:  # the URL's name says it already
            moved.add(site.variable)
    for name in others:
        if name not in places:
            places[name] = []
            defaults[name] = False
    return [
        envfile.Listed(
            name,
            secret=name in moved or names.holds_credential(name),
            where=tuple(places[name]),
            default=defaults[name],
        )
        for name in sorted(places)
    ]


def _backend_dotenvs(ctx: RuleContext, dotenvs: list[str]) -> list[str]:
    """``dotenvs`` without a front-end build's (:func:`hffix.envfile.is_frontend_env`)."""
    kept: list[str] = []
    layout: Layout | None = None
    for path in dotenvs:
        folder = posixpath.dirname(path)
        package = posixpath.join(folder, "package.json") if folder else "package.json"
        text = ctx.text(path) if ctx.workspace.exists(package) else None
        if text is not None:
            layout = layout or Layout(ctx.workspace.paths())
            if envfile.is_frontend_env(text, has_python=layout.has_python(folder)):
                continue
        kept.append(path)
    return kept


def _worth_scanning(ctx: RuleContext, path: str, text: str, signing: frozenset[str]) -> bool:
    """The filters of :mod:`hffix.secrets.prefilter`: the text, then the shared ``ast``. A
    module that does not parse goes on to libcst, which says why."""
    if not may_hold_secret(text, signing):
        return False
    tree = _tree(ctx, path)
    return tree is None or may_hold_secret_in(tree, text, data=True, signing=signing)


def _scan(
    ctx: RuleContext,
    path: str,
    modules: dict[str, ModuleScan],
    large: dict[str, int],
    signing: frozenset[str],
) -> None:
    """Scan ``path`` with libcst into ``modules``; or, when it has too many strings for that
    or libcst refuses it, note it in ``large`` (its string count, 0 if refused), to be read
    from the ``ast`` (:mod:`hffix.secrets.astscan`)."""
    from hffix.secrets import astscan

    if path in modules or path in large:
        return
    syntax = ctx.syntax(path)
    tree = syntax.tree if syntax is not None else None
    text = ctx.text(path)
    if tree is not None and text is not None:
        count = astscan.too_large(tree, text)
        if count:
            large[path] = count
            return
    module = ctx.parse(path)
    if module is not None:
        modules[path] = scan_module(path, module, signing)
    elif tree is not None:
        large[path] = 0  # libcst refused it (too deep, too new; diagnosed): what the ast shows


def _has_string_in(ctx: RuleContext, path: str, values: Collection[str]) -> bool:
    """Whether a string literal of ``path`` has one of ``values`` (escapes evaluated)."""
    text = ctx.text(path)
    if text is None or ("\\" not in text and not any(value in text for value in values)):
        return False  # written without escapes, a repeat shows in the text as it is
    syntax = ctx.syntax(path)
    if syntax is None or syntax.tree is None:
        return False
    return any(
        type(node) is ast.Constant and isinstance(node.value, str) and node.value in values
        for node in ast.walk(syntax.tree)
    )


# A name a secret may be given under (what may_hold_shaped does not see: short values).
_NAMED_NEEDLE = re.compile("|".join(names.SIGNAL_STEMS), re.IGNORECASE)


def _disk_col(ctx: RuleContext, path: str, item: LineSecret, text: str) -> int:
    """The column of ``item`` (found in the view's ``text``) on the line it has on disk: an
    earlier rule may have shortened that line before it (HF004 drops ``--port 8000``)."""
    where = ctx.positions.locate(path, item.line, item.col)
    if not where.line:
        return item.col
    try:
        disk = ctx.workspace.original_text(where.path).splitlines()
    except (Unreadable, KeyError):
        return item.col
    view = text.splitlines()
    if not 0 < where.line <= len(disk) or not 0 < item.line <= len(view):
        return item.col
    line = view[item.line - 1]
    shown = line[item.col - 1 : item.col - 1 + 12]  # the secret's first characters
    on_disk = disk[where.line - 1]
    if on_disk == line or not shown:
        return item.col
    at = on_disk.find(shown)
    return at + 1 if at != -1 else item.col


def _key_of(site: Site) -> NodeKey | None:
    if site.fix in (Fix.REPLACE, Fix.REPLACE_IN_CONCAT, Fix.EMBED):
        return site.string_key
    return site.target_key


def _applies(ctx: RuleContext, site: Site) -> bool:
    if site.fix is Fix.MANUAL or "bytes literal" in site.notes or is_comparison(site):
        return False
    return site.detection.verdict is Verdict.SAFE or ctx.unsafe_fixes
