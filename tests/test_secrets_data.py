"""Literals a secret-ish name holds that are data: never reported, never rewritten."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import hffix

MODULE_HEAD = "from app.models import User\n\n"


@pytest.mark.parametrize(
    ("label", "source"),
    [
        (
            "bcrypt hash",
            'ADMIN = {"password": "$2b$12$abcdefghijklmnopqrstuvWXYZabcdefghijklmnopqrstu"}\n',
        ),
        (
            "argon2 hash",
            'ROOT_PASSWORD = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g"\n',
        ),
        ("sentence", 'TOKEN_EXPIRED = "your session token has expired, sign in again"\n'),
        (
            "non-ASCII text",
            'PASSWORD_HINT = "mindestens acht Zeichen, eine Zahl und ein Großbuchstabe"\n',
        ),
        ("own model", 'DEMO = User(name="demo", password="temp-pass-123")\n'),
        ("hashing call", 'HASHED = hash_secret("demo-pass-456")\n'),
        (
            "ClassVar",
            "from typing import ClassVar\n\nclass P:\n"
            '    WEAK_KEYS: ClassVar[set[str]] = {"changeme-please", "dev-jwt-key-1"}\n',
        ),
        (
            "sentinel",
            '_DEV_KEY = "dev-key-for-local-runs-only"\n\ndef prod(key: str) -> bool:\n'
            "    return key != _DEV_KEY\n",
        ),
    ],
)
def test_data_under_a_secret_name_is_left_alone(
    make_repo: Callable[..., Path], label: str, source: str
) -> None:
    root = make_repo(
        {
            "app/__init__.py": "",
            "app/models.py": "class User:\n    def __init__(self, **kw: str) -> None: ...\n",
            "app/data.py": MODULE_HEAD + source,
        }
    )
    result = hffix.check(root, select=["HF005"])
    assert [f.message for f in result.findings] == [], label


def test_a_constant_nobody_compares_is_still_a_secret(make_repo: Callable[..., Path]) -> None:
    root = make_repo(
        {"app/data.py": '_DEV_KEY = "Zq8vX2mLp9rT4wKe-real-looking"\nprint(_DEV_KEY)\n'}
    )
    result = hffix.check(root, select=["HF005"])
    assert [f.path for f in result.findings if f.code == "HF005"] == [
        ".env.example",  # the variable it moves to is listed there
        ".gitignore",
        "app/data.py",
    ]
