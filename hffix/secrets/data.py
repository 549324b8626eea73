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

if TYPE_CHECKING:
    from hffix.secrets.pysource import Site

# Password hashes (bcrypt, argon2, crypt(3), passlib's pbkdf2): what a database stores
# instead of a password.
_PASSWORD_HASH = re.compile(r"^\$(2[abxy]|argon2(id|i|d)|pbkdf2[-\w]*|scrypt|[156])\$")
_KEYWORD_OF = re.compile(r"^`(?P<keyword>\w+)=` of `(?P<callee>[\w.]+)\(\)`$")
_ARGUMENT_OF = re.compile(r"^argument \d+ of `(?P<callee>[\w.]+)\(\)`$")
_HASHING = ("hash", "encrypt", "verify", "check_password", "set_password")


def data_reason(site: Site, tree: ast.Module | None, first_party: Collection[str]) -> str | None:
    """Why ``site`` holds data rather than a secret the Space must be given, or None."""
    if recognise(site.secret) is not None:
        return None
    value = site.value
    if _PASSWORD_HASH.match(value):
        return "a password hash"
    if any(ch.isalpha() and not ch.isascii() for ch in value) or len(value.split()) >= 3:
        return "human-language text"
    where = site.context.where
    callee = _callee(where)
    if callee is not None:
        short = callee.rsplit(".", 1)[-1]
        if any(word in short.lower() for word in _HASHING):
            return f"an argument of `{short}()`, which hashes or checks it"
        if short[:1].isupper() and _first_party_class(tree, short, first_party):
            return f"an argument of the app's own `{short}` (seed or demo data)"
    statement = site.statement
    if statement is not None and _collection_or_classvar(statement):
        return "one of a collection of strings (a denylist or a set of choices)"
    name = site.context.name
    if name and tree is not None and _module_constant(tree, name) and _compared(tree, name):
        return f"`{name}` is a constant the code compares against (a sentinel)"
    return None


def is_comparison(site: Site) -> bool:
    """The literal is an operand of ``==``/``!=``: rewriting it into an environment read
    would change what the check tests (a guard against a known dev key would pass)."""
    return site.context.where.startswith("a comparison with")


def _module_constant(tree: ast.Module, name: str) -> bool:
    """``name`` is assigned at module level (``_DEV_KEY = "..."``)."""
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return True
    return False


def _callee(where: str) -> str | None:
    match = _KEYWORD_OF.match(where) or _ARGUMENT_OF.match(where)
    return match.group("callee") if match else None


def _first_party_class(tree: ast.Module | None, name: str, first_party: Collection[str]) -> bool:
    """``name`` is a class the module defines or imports from the app's own code."""
    if tree is None:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == name:
            return True
        if isinstance(node, ast.ImportFrom) and any(
            (alias.asname or alias.name) == name for alias in node.names
        ):
            module = node.module or ""
            return bool(node.level) or module.split(".")[0] in first_party
    return False


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


def _compared(tree: ast.Module, name: str) -> bool:
    """Some comparison (``==``, ``!=``, ``in``) has ``name`` or ``x.name`` as an operand."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        for operand in (node.left, *node.comparators):
            if (isinstance(operand, ast.Name) and operand.id == name) or (
                isinstance(operand, ast.Attribute) and operand.attr == name
            ):
                return True
    return False
