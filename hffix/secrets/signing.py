"""Names whose values the app signs, verifies or encrypts with.

``jwt.encode(payload, SECRET_KEY)``, ``URLSafeTimedSerializer(settings.secret_key)``,
``Fernet(KEY)``, ``hmac.new(KEY, …)``, ``SessionMiddleware(secret_key=…)``,
``app.secret_key = …``, ``app.config["JWT_SECRET_KEY"] = …``: the names (``SECRET_KEY``,
``secret_key``, ``KEY``) of what these are given. A public placeholder held under one of
them (``JWT_KEY = "your-secret-key"``) lets anyone forge what the app signs, whatever the
name says (:func:`hffix.secrets.classify.weak_key`). Read from the shared ``ast``; names
are matched across modules by how they are spelt.
"""

from __future__ import annotations

import ast

from hffix.secrets.names import env_name, is_generic, is_signing_key_name
from hffix.secrets.reads import ModuleNames

# Text a module that signs with a named key holds.
NEEDLES = (
    "jwt",
    "encode",
    "decode",
    "Fernet",
    "itsdangerous",
    "hmac",
    "secret_key",
    "signing_key",
    "secret=",
    "Serializer",
    "Signer",
    "SessionMiddleware",
    "pbkdf2",
    "SECRET_KEY",
)
# (qualified callee, index of the key argument, its keyword).
_CALLS: dict[str, tuple[int, str]] = {
    "jwt.encode": (1, "key"),
    "jwt.decode": (1, "key"),
    "jwt.api_jwt.encode": (1, "key"),
    "jwt.api_jwt.decode": (1, "key"),
    "jose.jwt.encode": (1, "key"),
    "jose.jwt.decode": (1, "key"),
    "itsdangerous.URLSafeTimedSerializer": (0, "secret_key"),
    "itsdangerous.URLSafeSerializer": (0, "secret_key"),
    "itsdangerous.TimedSerializer": (0, "secret_key"),
    "itsdangerous.Serializer": (0, "secret_key"),
    "itsdangerous.TimestampSigner": (0, "secret_key"),
    "itsdangerous.Signer": (0, "secret_key"),
    "cryptography.fernet.Fernet": (0, "key"),
    "hmac.new": (0, "key"),
    "hmac.digest": (0, "key"),
    "hashlib.pbkdf2_hmac": (2, "salt"),
}
# Keyword arguments that take a signing key in any call (``SessionMiddleware``,
# ``JWTStrategy(secret=…)``, ``AuthJWT``'s settings).
_KEYWORDS = frozenset({"secret_key", "signing_key", "jwt_secret", "jwt_secret_key", "secret"})


def may_sign(text: str) -> bool:
    return any(needle in text for needle in NEEDLES)


def _specific(name: str | None) -> str | None:
    """``name``, unless it says too little to tell one value from another (``key``,
    ``secret``, ``token``, ``k``: a parameter's name; the literals held under it elsewhere
    are other things)."""
    if not name or len(name) < 4 or is_generic(env_name(name)):
        return None
    return name


def _held(node: ast.AST | None) -> str | None:
    """The name an argument is held under: ``KEY``, ``settings.JWT_SECRET``,
    ``KEY.encode()``, ``str(KEY)``, ``bytes(KEY, "utf-8")``."""
    for _ in range(4):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in ("encode", "get_secret_value"):
                node = func.value
                continue
            if isinstance(func, ast.Name) and func.id in ("str", "bytes") and node.args:
                node = node.args[0]
                continue
            return None
        break
    if isinstance(node, ast.Name):
        return _specific(node.id)
    if isinstance(node, ast.Attribute):
        return _specific(node.attr)
    return None


def signing_names(tree: ast.Module) -> set[str]:
    """The names of the values ``tree`` signs, verifies or encrypts with (see the module
    docstring), as spelt where they are passed."""
    names = ModuleNames(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            place = _CALLS.get(names.qualified(node.func) or "")
            if place is not None:
                index, keyword = place
                argument = next((k.value for k in node.keywords if k.arg == keyword), None)
                if argument is None and len(node.args) > index:
                    argument = node.args[index]
                held = _held(argument)
                if held:
                    found.add(held)
            for keyword_arg in node.keywords:
                if keyword_arg.arg in _KEYWORDS:
                    held = _held(keyword_arg.value)
                    if held:
                        found.add(held)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            key: str | None = None
            if isinstance(target, ast.Attribute):
                key = target.attr
            elif isinstance(target, ast.Subscript):
                slice_value = target.slice
                if isinstance(slice_value, ast.Constant) and isinstance(slice_value.value, str):
                    key = slice_value.value
            if key is not None and key != "secret_key" and not is_signing_key_name(key):
                continue
            if key is not None and not isinstance(target, ast.Name):
                held = _held(node.value)
                if held:
                    found.add(held)
    return found
