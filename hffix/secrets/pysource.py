"""HF005's first pass over one Python module: every string literal, where it sits, and the
secrets among them.

For each literal the visitor climbs the syntax tree to the place that names it: an
assignment target (``SECRET_KEY = …``, ``self.token = …``, ``app.config["SECRET_KEY"] = …``),
a settings or model field (through ``Field(default=…)``), a keyword argument
(``OpenAI(api_key=…)``), a dict key (``{"api_key": …}``), a parameter default, a comparison
(``password == …``), the default of an environment read (``os.getenv("KEY", …)``), or a known
secret position (``jwt.encode(payload, …)``). It passes through ``+`` concatenations,
conditional expressions, ``or`` fallbacks and collections on the way. The place decides the
name the value is judged under (:func:`hffix.secrets.classify.classify`) and how it can be
fixed (:class:`Fix`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING, cast

from hffix.python.importmap import ImportMap
from hffix.python.positions import Positions
from hffix.python.walk import iter_with_parents
from hffix.secrets import names
from hffix.secrets.classify import (
    Detection,
    classify,
    default_credentials,
    is_distinctive,
    recognise,
    weak_key,
)
from hffix.secrets.envreads import env_call, environ_subscript, string_value
from hffix.secrets.settings import (
    SettingsClass,
    field_alias,
    is_field_call,
    settings_classes,
)

if TYPE_CHECKING:
    import libcst as cst
    from libcst.metadata import CodeRange, QualifiedName

NodeKey = tuple[str, int, int, int, int]  # node type, start line/column, end line/column


def _subclasses(*bases: type) -> set[type]:
    found: set[type] = set()
    todo: list[type] = list(bases)
    while todo:
        current = todo.pop()
        children: list[type] = current.__subclasses__()
        for child in children:
            if child not in found:
                found.add(child)
                todo.append(child)
    return found | set(bases)


@functools.cache
def _stringless() -> frozenset[type]:
    """Node types that never hold a string literal: their children (whitespace, tokens) are
    skipped."""
    import libcst as cst

    return frozenset(
        _subclasses(
            cst.Name,
            cst.Integer,
            cst.Float,
            cst.Imaginary,
            cst.Import,
            cst.ImportFrom,
            cst.BaseParenthesizableWhitespace,
            cst.Newline,
            cst.TrailingWhitespace,
            cst.EmptyLine,
            cst.Comment,
            cst.Comma,
            cst.Dot,
            cst.Colon,
            cst.AssignEqual,
            cst.AssignTarget,
            cst.BaseBinaryOp,
            cst.BaseBooleanOp,
            cst.BaseCompOp,
            cst.BaseUnaryOp,
            cst.BaseAugOp,
            cst.LeftParen,
            cst.RightParen,
            cst.LeftSquareBracket,
            cst.RightSquareBracket,
            cst.LeftCurlyBrace,
            cst.RightCurlyBrace,
            cst.Semicolon,
            cst.Pass,
            cst.Break,
            cst.Continue,
        )
    )


class Fix(Enum):
    REPLACE = "replace"  # the literal becomes os.environ.get("NAME")
    REPLACE_IN_CONCAT = "replace-in-concat"  # os.environ.get("NAME", "") inside a + chain
    EMBED = "embed"  # the secret part of a longer string becomes an f-string field
    DROP_DEFAULT = "drop-default"  # os.getenv("NAME", "…") -> os.getenv("NAME")
    SETTINGS_DEFAULT = "settings-default"  # BaseSettings field: default removed (or None)
    REMOVE_STATEMENT = "remove-statement"  # os.environ["NAME"] = "…" removed
    OR_FALLBACK = "or-fallback"  # os.getenv("NAME") or "…" -> os.getenv("NAME")
    MANUAL = "manual"  # reported only


# Keyword arguments and dict keys whose values document or describe, never configure.
DESCRIPTIVE = frozenset(
    {
        "example",
        "examples",
        "openapi_examples",
        "json_schema_extra",
        "schema_extra",
        "description",
        "title",
        "summary",
        "help",
        "metavar",
        "alias",
        "validation_alias",
        "serialization_alias",
        "env",
        "pattern",
        "regex",
        "response_description",
        "deprecated",
        "tags",
        "media_type",
        "doc",
        "comment",
        "placeholder",
    }
)
# Calls whose string arguments are names of things, never values.
NAMING_CALLS = frozenset(
    {
        "TypeVar",
        "typing.TypeVar",
        "NewType",
        "typing.NewType",
        "ParamSpec",
        "typing.ParamSpec",
        "collections.namedtuple",
        "namedtuple",
        "getattr",
        "setattr",
        "hasattr",
        "delattr",
        "logging.getLogger",
        "contextvars.ContextVar",
    }
)
# Positional arguments that are secrets by their position: (qualified callee, index) -> name.
POSITIONAL = {
    ("jwt.encode", 1): "JWT_SECRET",
    ("jwt.decode", 1): "JWT_SECRET",
    ("jwt.api_jwt.encode", 1): "JWT_SECRET",
    ("jwt.api_jwt.decode", 1): "JWT_SECRET",
    ("jose.jwt.encode", 1): "JWT_SECRET",
    ("jose.jwt.decode", 1): "JWT_SECRET",
    ("itsdangerous.URLSafeTimedSerializer", 0): "SECRET_KEY",
    ("itsdangerous.URLSafeSerializer", 0): "SECRET_KEY",
    ("itsdangerous.TimestampSigner", 0): "SECRET_KEY",
    ("itsdangerous.Signer", 0): "SECRET_KEY",
    ("cryptography.fernet.Fernet", 0): "FERNET_KEY",
    ("supabase.create_client", 1): "SUPABASE_KEY",
    ("smtplib.SMTP.login", 1): "SMTP_PASSWORD",
}
# Methods of this class match by their name alone, on any object: a mail client's type is
# rarely known where ``server.login(user, "…")`` is called.
BY_METHOD_NAME = "smtplib.SMTP."
# Top-level modules whose clients take credentials, and the variable prefix they suggest.
CLIENT_PREFIXES = {
    "openai": "OPENAI",
    "langchain_openai": "OPENAI",
    "anthropic": "ANTHROPIC",
    "langchain_anthropic": "ANTHROPIC",
    "groq": "GROQ",
    "langchain_groq": "GROQ",
    "cohere": "COHERE",
    "mistralai": "MISTRAL",
    "google": "GOOGLE",
    "pinecone": "PINECONE",
    "supabase": "SUPABASE",
    "redis": "REDIS",
    "pymongo": "MONGO",
    "motor": "MONGO",
    "stripe": "STRIPE",
    "sendgrid": "SENDGRID",
    "twilio": "TWILIO",
    "github": "GITHUB",
    "huggingface_hub": "HF",
    "psycopg2": "DB",
    "psycopg": "DB",
    "asyncpg": "DB",
    "pymysql": "DB",
    "aiomysql": "DB",
    "mysql": "DB",
    "sqlalchemy": "DB",
    "smtplib": "SMTP",
    "aiosmtplib": "SMTP",
    "boto3": "AWS",
    "replicate": "REPLICATE",
    "qdrant_client": "QDRANT",
    "weaviate": "WEAVIATE",
    "elasticsearch": "ELASTICSEARCH",
    "jwt": "JWT",
    "jose": "JWT",
}
_GETTER_PREFIX = re.compile(r"^(?:get|load|read|fetch|make|build|create)_+", re.IGNORECASE)


def returned_name(function: str) -> str:
    """The name a string returned by ``function`` is judged under: ``get_password`` ->
    ``password``."""
    return _GETTER_PREFIX.sub("", function)


_ALLOWS_NONE = re.compile(r"\bNone\b|\bOptional\b|\bAny\b")


@dataclass(frozen=True)
class Context:
    """Where a literal sits, as far as naming and fixing it are concerned."""

    name: str | None = None  # the name the value is held under, as written
    prefix: str | None = None  # owner of a generic name: callee module, class, dict owner
    fixed_variable: str | None = None  # the variable the code already reads there
    fix: Fix = Fix.REPLACE
    target: cst.CSTNode | None = None  # the node the fix edits, when not the literal
    partial: bool = False  # one operand of a + chain
    where: str = "a string"  # for messages; never contains a value
    rank: int = 3  # how good a name the place gives: 0 best
    slot: bool = False  # a position that only ever takes a secret (jwt.encode's key)
    settings_none: bool = False  # SETTINGS_DEFAULT: the annotation allows None
    # A weak name (``key=``) of a call that takes no credential (``store.put(key=…)``): only
    # a value recognisable by its shape or randomness is a secret there.
    shape_only: bool = False


SKIP = Context(fix=Fix.MANUAL, where="")


@dataclass(kw_only=True)
class _Located:
    """Where a literal is. Filled in by :meth:`locate` once positions are known, so that
    modules without findings never pay for position metadata."""

    path: str
    node: cst.CSTNode = field(repr=False)  # the string node
    statement: cst.CSTNode | None = field(repr=False)  # the small statement holding it
    line: int = 0
    col: int = 0
    lines: tuple[int, ...] = ()  # lines a suppression comment may sit on
    string_key: NodeKey = ("", 0, 0, 0, 0)
    target_key: NodeKey | None = None

    def locate(self, positions: Positions, target: cst.CSTNode | None) -> None:
        where = positions.range(self.node)
        self.line, self.col = where.start.line, where.start.column + 1
        lines = {where.start.line, where.end.line}
        if self.statement is not None:
            outer = positions.range(self.statement)
            lines |= {outer.start.line, outer.end.line}
        self.lines = tuple(sorted(lines))
        self.string_key = node_key(self.node, where)
        self.target_key = node_key(target, positions.range(target)) if target is not None else None


@dataclass(kw_only=True)
class Site(_Located):
    """One literal to report (and usually fix)."""

    value: str  # the literal's value
    secret: str  # the secret text (the value, or a part of it)
    raw_secret: str  # the secret as written in the source (escapes kept)
    detection: Detection
    context: Context
    fix: Fix
    variable: str = ""  # chosen by the rule once every module is read
    rank: int = 3
    quote: str = '"'
    notes: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Literal(_Located):
    """A distinctive literal that is not a secret on its own (kept to find repeats)."""

    value: str
    raw: str
    context: Context
    quote: str


def node_key(node: cst.CSTNode, where: CodeRange) -> NodeKey:
    return (
        type(node).__name__,
        where.start.line,
        where.start.column,
        where.end.line,
        where.end.column,
    )


def _prefix_for(qualified_name: str) -> str | None:
    head = qualified_name.split(".")[0]
    return CLIENT_PREFIXES.get(head)


class _Collector:
    """Finds the secrets of one module: :meth:`on_visit` sees every node, parents first
    (:func:`scan_module` drives it with the fast walk and fills in the parents)."""

    def __init__(
        self, path: str, module: cst.Module, signing: Collection[str] = frozenset()
    ) -> None:
        self.path = path
        self.module = module
        self.signing = signing
        self.settings: dict[str, SettingsClass] = {}
        self.sites: list[Site] = []
        self.literals: list[Literal] = []
        self.imports = ImportMap(module)
        self.parents: dict[int, cst.CSTNode] = {}
        self._stringless = _stringless()

    def on_visit(self, node: cst.CSTNode) -> bool:
        """Looks at ``node``; returns whether its children are worth a look."""
        # Hand-dispatched: this runs for every node of every module, so it stays minimal.
        import libcst as cst

        kind = type(node)
        if kind is cst.SimpleString:
            self._literal(cast(cst.SimpleString, node))
            return False
        if kind is cst.ConcatenatedString:
            concatenated = cast(cst.ConcatenatedString, node)
            if isinstance(concatenated.evaluated_value, str):
                self._literal(concatenated)
                return False
            return True  # holds an f-string: look at its parts one by one
        if kind is cst.FormattedString:
            self._formatted(cast(cst.FormattedString, node))
            return False
        if kind is cst.Module:
            self.settings = settings_classes(cast(cst.Module, node), self._names)
        return kind not in self._stringless

    # ------------------------------------------------------------ metadata helpers
    def _parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The parent of ``node``, which must be the node being visited or an ancestor."""
        return self.parents.get(id(node))

    def _names(self, node: cst.CSTNode) -> set[QualifiedName]:
        return self.imports(node)

    def _callee(self, call: cst.Call) -> tuple[str, str]:
        """(qualified name or source text, short text for messages) of a call's function."""
        found = sorted(q.name for q in self._names(call.func))
        text = self.module.code_for_node(call.func)
        short = text if len(text) <= 40 else text.rsplit(".", 1)[-1][:40]
        return (found[0] if found else text), short

    def _statement(self, node: cst.CSTNode) -> cst.CSTNode | None:
        import libcst as cst

        current: cst.CSTNode | None = node
        while current is not None and not isinstance(current, cst.BaseSmallStatement):
            current = self._parent(current)
        return current

    def _class_of(self, stmt: cst.CSTNode) -> cst.ClassDef | None:
        """The class whose body holds the small statement ``stmt`` directly."""
        import libcst as cst

        line = self._parent(stmt)
        block = self._parent(line) if line is not None else None
        owner = self._parent(block) if block is not None else None
        return owner if isinstance(owner, cst.ClassDef) else None

    def _function_of(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        import libcst as cst

        current = self._parent(node)
        while current is not None and not isinstance(current, cst.FunctionDef):
            current = self._parent(current)
        return current

    # ------------------------------------------------------------ literals
    def _literal(self, node: cst.SimpleString | cst.ConcatenatedString) -> None:
        import libcst as cst

        raw_value = node.evaluated_value
        is_bytes = isinstance(raw_value, bytes)
        if raw_value is None:
            return
        value = raw_value.decode("latin-1") if isinstance(raw_value, bytes) else raw_value
        if not value or len(value) > 20_000:
            return
        context = self._context(node)
        if context is SKIP:
            return
        detection = classify(value, self._signal_name(context), slot=context.slot)
        if detection is not None and context.shape_only and detection.kind in NAMED_KINDS:
            detection = None
        if detection is None and not is_bytes:
            detection = self._weak(value, context)
        quote = node.quote[0] if isinstance(node, cst.SimpleString) else '"'
        raw = node.raw_value if isinstance(node, cst.SimpleString) else value
        if detection is None:
            if not is_bytes and isinstance(node, cst.SimpleString) and is_distinctive(value):
                self.literals.append(
                    Literal(
                        path=self.path,
                        node=node,
                        statement=self._statement(node),
                        value=value,
                        raw=raw,
                        context=context,
                        quote=quote,
                    )
                )
            return
        fix, secret_span = self._fix_for(node, context, detection, value, is_bytes)
        secret = value[secret_span[0] : secret_span[1]]
        raw_secret = secret if secret in raw else raw
        if fix is Fix.EMBED and (secret not in raw or raw.count(secret) != 1):
            fix = Fix.MANUAL
        self.sites.append(
            Site(
                path=self.path,
                node=node,
                statement=self._statement(node),
                value=value,
                secret=secret,
                raw_secret=raw_secret,
                detection=detection,
                context=context,
                fix=fix,
                quote=quote,
                notes=["bytes literal"] if is_bytes else [],
            )
        )

    def _fix_for(
        self,
        node: cst.SimpleString | cst.ConcatenatedString,
        context: Context,
        detection: Detection,
        value: str,
        is_bytes: bool,
    ) -> tuple[Fix, tuple[int, int]]:
        import libcst as cst

        whole = detection.whole(value)
        span = (detection.start, detection.end)
        password = detection.password_span
        if is_bytes:
            return Fix.MANUAL, span
        if context.fix is not Fix.REPLACE:
            if whole:
                return context.fix, span
            if context.fix is Fix.MANUAL or isinstance(node, cst.ConcatenatedString):
                return Fix.MANUAL, span
            return Fix.EMBED, span
        if isinstance(node, cst.ConcatenatedString):
            return (Fix.REPLACE if whole else Fix.MANUAL), span
        if context.partial:
            if password is not None:
                return Fix.EMBED, password
            return (Fix.REPLACE_IN_CONCAT if whole else Fix.EMBED), span
        return (Fix.REPLACE if whole else Fix.EMBED), span

    def _formatted(self, node: cst.FormattedString) -> None:
        import libcst as cst

        if "b" in node.prefix.lower():
            return
        context = self._context(node)
        if context is SKIP:
            return
        for part in node.parts:
            if not isinstance(part, cst.FormattedStringText):
                continue
            detection = recognise(part.value)
            if detection is None:
                continue
            span = detection.password_span or (detection.start, detection.end)
            secret = part.value[span[0] : span[1]]
            if detection.password_span is not None:
                detection = replace(detection, variable=detection.password_variable)
            self.sites.append(
                Site(
                    path=self.path,
                    node=node,
                    statement=self._statement(node),
                    value=part.value,
                    secret=secret,
                    raw_secret=secret,
                    detection=detection,
                    context=replace(context, partial=True),
                    fix=Fix.EMBED if part.value.count(secret) == 1 else Fix.MANUAL,
                    quote=node.quote[0],
                )
            )

    # ------------------------------------------------------------ context
    def _signal_name(self, context: Context) -> str | None:
        return context.fixed_variable or context.name

    def _weak(self, value: str, context: Context) -> Detection | None:
        """A weak finding (:data:`hffix.secrets.classify.WEAK_KINDS`): a URL logging in with
        a well-known default password anywhere but in a comparison; a public placeholder
        where the app signs with it (a signing key's name, a name passed to ``jwt.encode``
        and the like in any module, a secret position)."""
        if context.where.startswith("a comparison"):
            return None
        if "://" in value:
            found = default_credentials(value)
            if found is not None:
                return found
        name = self._signal_name(context)
        signs = context.slot or any(
            candidate is not None
            and (names.is_signing_key_name(candidate) or candidate in self.signing)
            for candidate in (context.fixed_variable, context.name)
        )
        return weak_key(value, name) if signs else None

    def _context(self, node: cst.CSTNode) -> Context:
        import libcst as cst

        child: cst.CSTNode = node
        partial = False
        field_call: cst.Call | None = None
        while True:
            parent = self._parent(child)
            if parent is None:
                return Context(partial=partial)
            if isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Add):
                partial = True
            elif isinstance(parent, cst.IfExp):
                if child is parent.test:
                    return SKIP
            elif isinstance(parent, (cst.List, cst.Tuple, cst.Set, cst.Element)):
                pass
            elif isinstance(parent, cst.BooleanOperation):
                fallback = self._or_fallback(parent, child)
                if fallback is not None:
                    return fallback
            elif isinstance(parent, cst.DictElement):
                return self._dict_context(parent, child, partial)
            elif isinstance(parent, cst.Arg):
                call = self._parent(parent)
                if not isinstance(call, cst.Call):
                    return SKIP
                if is_field_call(call, self._names) and _is_default_arg(call, parent):
                    field_call = call
                    child = call
                    continue
                return self._arg_context(call, parent, partial)
            elif isinstance(parent, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
                if child is not parent.value:
                    return SKIP
                target = (
                    parent.targets[0].target if isinstance(parent, cst.Assign) else parent.target
                )
                return self._assign_context(parent, target, partial, field_call)
            elif isinstance(parent, cst.Param):
                if child is not parent.default:
                    return SKIP
                name = parent.name.value
                return Context(name=name, partial=partial, where=f"the default of `{name}`", rank=2)
            elif isinstance(parent, (cst.ComparisonTarget, cst.Comparison)):
                return self._comparison_context(parent, child, partial)
            elif isinstance(parent, cst.Return):
                function = self._function_of(parent)
                if function is None:
                    return Context(partial=partial)
                name = returned_name(function.name.value)
                where = f"the return value of `{function.name.value}()`"
                return Context(name=name, partial=partial, where=where, rank=2)
            else:
                # Docstrings and bare strings, subscripts, annotations, decorators,
                # f-string fields, match patterns...
                return SKIP
            child = parent

    def _or_fallback(self, parent: cst.BooleanOperation, child: cst.CSTNode) -> Context | None:
        import libcst as cst

        if not isinstance(parent.operator, cst.Or) or child is not parent.right:
            return None
        left = parent.left
        variable: str | None = None
        if isinstance(left, cst.Call):
            read = env_call(left, self._names)
            if read is not None and read.default is None and not read.setdefault:
                variable = read.variable
        if variable is None:
            return None
        return Context(
            name=variable,
            fixed_variable=variable,
            fix=Fix.OR_FALLBACK,
            target=parent,
            where=f"the fallback of the `{variable}` read",
            rank=0,
        )

    def _owner(self, node: cst.CSTNode) -> tuple[str | None, bool]:
        """(a name for the dict or list ``node`` belongs to, whether it is documentation)."""
        import libcst as cst

        child = node
        while True:
            parent = self._parent(child)
            if parent is None:
                return None, False
            if isinstance(parent, cst.DictElement):
                key = string_value(parent.key)
                if key is not None and key.lower() in DESCRIPTIVE:
                    return None, True
            elif isinstance(parent, cst.Arg):
                if parent.keyword is not None and parent.keyword.value in DESCRIPTIVE:
                    return None, True
                call = self._parent(parent)
                if isinstance(call, cst.Call):
                    callee, _ = self._callee(call)
                    return _prefix_for(callee) or _class_like(callee), False
                return None, False
            elif isinstance(parent, (cst.Assign, cst.AnnAssign)):
                target = (
                    parent.targets[0].target if isinstance(parent, cst.Assign) else parent.target
                )
                owner = _target_name(target)
                if owner is not None and owner.lower() in DESCRIPTIVE:
                    return None, True
                return owner, False
            elif isinstance(parent, (cst.BaseSmallStatement, cst.BaseCompoundStatement)):
                return None, False
            child = parent

    def _dict_context(self, element: cst.DictElement, child: cst.CSTNode, partial: bool) -> Context:
        if child is not element.value:
            return SKIP
        key = string_value(element.key)
        if key is None:
            return SKIP
        if key.lower() in DESCRIPTIVE:
            return SKIP
        owner, documentation = self._owner(element)
        if documentation:
            return SKIP
        return Context(name=key, prefix=owner, partial=partial, where=f'the "{key}" entry', rank=2)

    def _arg_context(self, call: cst.Call, arg: cst.Arg, partial: bool) -> Context:
        import libcst as cst

        read = env_call(call, self._names)
        callee, short = self._callee(call)
        if read is not None:
            if read.default is not arg:
                return SKIP
            if read.setdefault:
                stmt = self._statement(call)
                owner = self._parent(call)
                removable = isinstance(stmt, cst.Expr) and owner is stmt
                return Context(
                    name=read.variable,
                    fixed_variable=read.variable,
                    fix=Fix.REMOVE_STATEMENT if removable else Fix.MANUAL,
                    target=stmt if removable else None,
                    where=f'`os.environ.setdefault("{read.variable}", …)`',
                    rank=0,
                )
            return Context(
                name=read.variable,
                fixed_variable=read.variable,
                fix=Fix.DROP_DEFAULT,
                target=call,
                where=f'the default of `{short}("{read.variable}", …)`',
                rank=0,
            )
        keyword = arg.keyword.value if arg.keyword is not None else None
        if keyword is not None and keyword in DESCRIPTIVE:
            return SKIP
        if keyword is None and (callee in NAMING_CALLS or short in NAMING_CALLS):
            return SKIP
        prefix = _prefix_for(callee) or _class_like(short)
        if keyword is not None:
            shape_only = (
                names.signal(keyword) is names.NameSignal.WEAK
                and prefix is None
                and not _takes_credentials(callee)
            )
            return Context(
                name=keyword,
                prefix=prefix,
                partial=partial,
                where=f"`{keyword}=` of `{short}()`",
                shape_only=shape_only,
            )
        index = next(i for i, a in enumerate(call.args) if a is arg)
        position = POSITIONAL.get((callee, index))
        if position is None and isinstance(call.func, cst.Attribute):
            position = POSITIONAL.get((f"{BY_METHOD_NAME}{call.func.attr.value}", index))
            if position is not None and call.func.attr.value != "login":
                position = None
        where = f"argument {index + 1} of `{short}()`"
        return Context(
            name=position,
            prefix=prefix,
            partial=partial,
            where=where,
            rank=2,
            slot=position is not None,
        )

    def _assign_context(
        self,
        stmt: cst.Assign | cst.AnnAssign | cst.AugAssign,
        target: cst.BaseExpression,
        partial: bool,
        field_call: cst.Call | None,
    ) -> Context:
        import libcst as cst

        variable = environ_subscript(target, self._names)
        if variable is not None:
            direct = field_call is None and not partial
            return Context(
                name=variable,
                fixed_variable=variable,
                fix=Fix.REMOVE_STATEMENT if direct and isinstance(stmt, cst.Assign) else Fix.MANUAL,
                target=stmt,
                where=f'`os.environ["{variable}"] = …`',
                rank=0,
            )
        name = _target_name(target)
        if name is None:
            return Context(partial=partial)
        owner = self._class_of(stmt)
        settings = self.settings.get(owner.name.value) if owner is not None else None
        if settings is not None and isinstance(target, cst.Name):
            alias = field_alias(field_call) if field_call is not None else None
            variable = settings.variable(name, alias)
            settings_default = isinstance(stmt, cst.AnnAssign) and not partial
            allows_none = isinstance(stmt, cst.AnnAssign) and bool(
                _ALLOWS_NONE.search(self.module.code_for_node(stmt.annotation.annotation))
            )
            return Context(
                name=name,
                fixed_variable=variable,
                fix=Fix.SETTINGS_DEFAULT if settings_default else Fix.REPLACE,
                target=(field_call or stmt) if settings_default else None,
                partial=partial,
                where=f"the `{name}` field of `{settings.name}`",
                rank=0,
                settings_none=allows_none,
            )
        prefix = owner.name.value if owner is not None else None
        where = f"`{name} = …`" if owner is None else f"`{owner.name.value}.{name}`"
        return Context(name=name, prefix=prefix, partial=partial, where=where, rank=1)

    def _comparison_context(
        self, parent: cst.CSTNode, child: cst.CSTNode, partial: bool
    ) -> Context:
        import libcst as cst

        comparison = parent if isinstance(parent, cst.Comparison) else self._parent(parent)
        if not isinstance(comparison, cst.Comparison):
            return SKIP
        operands: list[cst.BaseExpression] = [comparison.left]
        operands += [t.comparator for t in comparison.comparisons]
        if not all(
            isinstance(t.operator, (cst.Equal, cst.NotEqual)) for t in comparison.comparisons
        ):
            return SKIP
        for operand in operands:
            if operand is child:
                continue
            name = _target_name(operand)
            if name is not None:
                return Context(
                    name=name, partial=partial, where=f"a comparison with `{name}`", rank=2
                )
        return Context(partial=partial, where="a comparison")


# What :func:`classify` calls a value only a name makes a secret.
NAMED_KINDS = frozenset({"hardcoded secret", "possible secret"})
_CREDENTIAL_CALL_WORDS = (
    "auth",
    "login",
    "connect",
    "client",
    "credential",
    "token",
    "sign",
    "encode",
    "decode",
    "jwt",
    "crypt",
    "secret",
    "password",
)


def _takes_credentials(callee: str) -> bool:
    """Whether a call's name says it takes a credential (``authenticate``, ``connect``,
    ``create_access_token``): where a bare ``key=``/``token=`` is one."""
    last = callee.rsplit(".", 1)[-1].lower()
    return any(word in last for word in _CREDENTIAL_CALL_WORDS)


def _is_default_arg(call: cst.Call, arg: cst.Arg) -> bool:
    if arg.keyword is not None:
        return arg.keyword.value == "default"
    return bool(call.args) and call.args[0] is arg


def _target_name(target: cst.BaseExpression) -> str | None:
    import libcst as cst

    if isinstance(target, cst.Name):
        return target.value
    if isinstance(target, cst.Attribute):
        return target.attr.value
    if isinstance(target, cst.Subscript) and len(target.slice) == 1:
        index = target.slice[0].slice
        if isinstance(index, cst.Index):
            return string_value(index.value)
    return None


def _class_like(text: str) -> str | None:
    """``Github`` for ``Github(...)``; nothing for generic names such as ``Client``."""
    last = text.rsplit(".", 1)[-1]
    if not last[:1].isupper() or last in _GENERIC_CLASSES:
        return None
    return last


_GENERIC_CLASSES = frozenset(
    {"Client", "AsyncClient", "Session", "Config", "Settings", "Api", "API", "Connection"}
)


class ModuleScan:
    """What one module holds: its secrets, and distinctive literals that may repeat one."""

    def __init__(self, module: cst.Module, sites: list[Site], literals: list[Literal]) -> None:
        self.module = module
        self.positions = Positions(module)  # computed on first use, shared with the rewrite
        self._sites = sites
        self._literals = literals

    def _locate(self, items: Sequence[Site | Literal]) -> None:
        for item in items:
            item.locate(self.positions, item.context.target)

    def sites(self) -> list[Site]:
        self._locate(self._sites)
        return self._sites

    def literals(self, values: Collection[str]) -> list[Literal]:
        """The literals whose value is one of ``values``."""
        found = [x for x in self._literals if x.value in values]
        self._locate(found)
        return found


def scan_module(
    path: str, module: cst.Module, signing: Collection[str] = frozenset()
) -> ModuleScan:
    """Every secret and every distinctive plain literal of ``module``. ``signing``: the
    names the repository signs with (:func:`hffix.secrets.signing.signing_names`)."""
    collector = _Collector(path, module, signing)
    parents = collector.parents
    for node, parent in iter_with_parents(module, prune=lambda n: not collector.on_visit(n)):
        if parent is not None:
            parents[id(node)] = parent  # set before on_visit looks at the node
    return ModuleScan(module, collector.sites, collector.literals)
