"""Literals that a secret-ish name holds but that are data, not configuration.

Moving such a literal to an environment variable breaks the code (a seeded user inserted
with ``password=None``, a denylist that no longer exists, a guard that compares against
``None``), so HF005 neither reports nor rewrites it. This applies only to findings that come
from a name: a value recognisable by its shape (a provider token, a credentials URL, a
private key) is a secret wherever it stands.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection
from typing import TYPE_CHECKING

from hffix.secrets.classify import recognise
from hffix.secrets.names import is_signing_key_name

if TYPE_CHECKING:
    from hffix.secrets.pysource import Site

# Password hashes (bcrypt, argon2, crypt(3), passlib's pbkdf2): what a database stores
# instead of a password.
PASSWORD_HASH = re.compile(r"^\$(2[abxy]|argon2(id|i|d)|pbkdf2[-\w]*|scrypt|[156])\$")
_KEYWORD_OF = re.compile(r"^`(?P<keyword>\w+)=` of `(?P<callee>[\w.]+)\(\)`$")
_ARGUMENT_OF = re.compile(r"^argument \d+ of `(?P<callee>[\w.]+)\(\)`$")
_HASHING = ("hash", "encrypt", "verify", "check_password", "set_password")
_COMPARED = re.compile(r"^a comparison with `(?P<name>\w+)`$")
_UPPER_NAME = re.compile(r"^_*[A-Z][A-Z0-9_]*$")
# Words of a path that make it seed, demo or fixture code: what it passes to constructors
# and functions is data it inserts, not the app's configuration.
SEED_WORDS = frozenset(
    {
        "seed",
        "seeds",
        "seeder",
        "seeders",
        "seeding",
        "demo",
        "demos",
        "sample",
        "samples",
        "populate",
        "fixture",
        "fixtures",
        "mock",
        "mocks",
        "fake",
        "fakes",
        "dummy",
        "initial",
        "faker",
    }
)
_PATH_WORDS = re.compile(r"[^a-z0-9]+")


def is_seed_path(path: str) -> bool:
    """``seed.py``, ``scripts/seed_db.py``, ``app/demo_data.py``, ``initial_data.py``,
    ``seeds/users.py``: by the file's name, or the folder holding it (not a whole app kept
    in a ``demo/`` folder)."""
    parts = path.lower().split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    folder = parts[-2] if len(parts) > 1 else ""
    return not SEED_WORDS.isdisjoint(_PATH_WORDS.split(stem)) or folder in _SEED_FOLDERS


_SEED_FOLDERS = frozenset({"seeds", "seeders", "seed", "fixtures", "mocks", "fakes"})


class DataFacts:
    """What :func:`data_reason` reads of a module's whole ``ast``, gathered in one walk per
    module the first time a site of it asks: a module of ten thousand named constants is
    judged in linear time, not by a walk of the module per constant."""

    def __init__(self) -> None:
        self._modules: dict[int, tuple[ast.Module, _ModuleFacts]] = {}

    def of(self, tree: ast.Module) -> _ModuleFacts:
        cached = self._modules.get(id(tree))
        if cached is None or cached[0] is not tree:
            cached = (tree, _ModuleFacts(tree))
            self._modules[id(tree)] = cached
        return cached[1]


class _ModuleFacts:
    def __init__(self, tree: ast.Module) -> None:
        self.constants: set[str] = set()  # names assigned at module level
        for node in tree.body:
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AnnAssign)
                else []
            )
            self.constants.update(t.id for t in targets if isinstance(t, ast.Name))
        self.compared: set[str] = set()  # names and attributes that are operands of a comparison
        # The first class definition or ``from … import`` of each name, in ast.walk's order.
        self._named: dict[str, ast.ClassDef | ast.ImportFrom] = {}
        self._modules: dict[str, str] = {}  # ``import x.y as z``: z -> x
        for found in ast.walk(tree):
            if isinstance(found, ast.Compare):
                for operand in (found.left, *found.comparators):
                    if isinstance(operand, ast.Name):
                        self.compared.add(operand.id)
                    elif isinstance(operand, ast.Attribute):
                        self.compared.add(operand.attr)
            elif isinstance(found, ast.ClassDef):
                self._named.setdefault(found.name, found)
            elif isinstance(found, ast.ImportFrom):
                for alias in found.names:
                    self._named.setdefault(alias.asname or alias.name, found)
            elif isinstance(found, ast.Import):
                for alias in found.names:
                    local = alias.asname or alias.name.split(".")[0]
                    self._modules.setdefault(local, alias.name.split(".")[0])

    def first_party_name(self, name: str, first_party: Collection[str]) -> bool:
        """``name`` is a class the module defines, or a name (a class, a module) it imports
        from the app's own code."""
        node = self._named.get(name)
        if node is None:
            return self._modules.get(name, "") in first_party
        if isinstance(node, ast.ClassDef):
            return True
        return bool(node.level) or (node.module or "").split(".")[0] in first_party


def data_reason(
    site: Site,
    tree: ast.Module | None,
    first_party: Collection[str],
    facts: DataFacts | None = None,
) -> str | None:
    """Why ``site`` holds data rather than a secret the Space must be given, or None.
    ``facts`` keeps what is read of each module's ``ast`` from one site to the next."""
    if recognise(site.secret) is not None:
        return None
    value = site.value
    if PASSWORD_HASH.match(value):
        return "a password hash"
    if any(ch.isalpha() and not ch.isascii() for ch in value) or len(value.split()) >= 3:
        return "human-language text"
    facts = facts or DataFacts()
    where = site.context.where
    callee = _callee(where)
    if callee is not None:
        short = callee.rsplit(".", 1)[-1]
        if any(word in short.lower() for word in _HASHING):
            return f"an argument of `{short}()`, which hashes or checks it"
        if short[:1].isupper() and tree is not None:
            module = facts.of(tree)
            owner = callee.split(".")[0] if "." in callee else short
            if module.first_party_name(owner, first_party):
                return f"an argument of the app's own `{short}` (seed or demo data)"
        if is_seed_path(site.path):
            return f"an argument of `{short}()` in seed or demo code"
    compared = _COMPARED.match(where)
    if compared is not None:
        name = compared.group("name")
        if _UPPER_NAME.match(name) or is_signing_key_name(name):
            return f"a guard against a known value of `{name}` (never rewritten)"
    statement = site.statement
    if statement is not None and _collection_or_classvar(statement):
        return "one of a collection of strings (a denylist or a set of choices)"
    name = site.context.name
    if name and tree is not None and site.context.fixed_variable is None:
        module = facts.of(tree)
        if name in module.constants and name in module.compared:
            return f"`{name}` is a constant the code compares against (a sentinel)"
    return None


def is_comparison(site: Site) -> bool:
    """The literal is an operand of ``==``/``!=``: rewriting it into an environment read
    would change what the check tests (a guard against a known dev key would pass)."""
    return site.context.where.startswith("a comparison with")


def _callee(where: str) -> str | None:
    match = _KEYWORD_OF.match(where) or _ARGUMENT_OF.match(where)
    return match.group("callee") if match else None


def is_data_statement(statement: ast.AST) -> bool:
    """The ``ast`` twin of the collection test of :func:`data_reason`: an assignment of a
    list, set or tuple display (``KEYS = ["…", …]``), or of a ``ClassVar``. Every string in
    such a statement is data unless recognisable by its shape."""
    if isinstance(statement, ast.AnnAssign):
        for node in ast.walk(statement.annotation):
            if (isinstance(node, ast.Name) and node.id == "ClassVar") or (
                isinstance(node, ast.Attribute) and node.attr == "ClassVar"
            ):
                return True
        value = statement.value
    elif isinstance(statement, ast.Assign):
        value = statement.value
    else:
        return False
    return isinstance(value, (ast.List, ast.Set, ast.Tuple))


def _collection_or_classvar(statement: object) -> bool:
    import libcst as cst

    if isinstance(statement, cst.AnnAssign):
        annotation = statement.annotation.annotation
        if "ClassVar" in _names(annotation):
            return True
        value = statement.value
    elif isinstance(statement, cst.Assign):
        value = statement.value
    else:
        return False
    return isinstance(value, (cst.Set, cst.List, cst.Tuple))


def _names(node: object) -> set[str]:
    """The names spelt in a libcst expression (``ClassVar`` in ``ClassVar[set[str]]``)."""
    import libcst as cst

    from hffix.python.walk import iter_nodes

    assert isinstance(node, cst.CSTNode)
    return {n.value for n in iter_nodes(node) if isinstance(n, cst.Name)}
