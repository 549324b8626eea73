"""HF005 and data modules: what the ``ast`` settles before libcst is asked.

A statement that assigns a list, set or tuple display holds data unless a string in it is
recognisable by its shape; a dict entry's value is judged by its key, not by the name the
dict is assigned to. A module with more strings than libcst is asked to parse
(:data:`hffix.secrets.astscan.MAX_EDITED_STRINGS`) is read from the ``ast`` alone: what it
holds is reported for manual work, what it reads is listed in ``.env.example``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

import hffix
from hffix import envfile
from hffix.findings import Status
from hffix.secrets import astscan
from hffix.secrets.prefilter import may_hold_secret_in

OPENAI = "sk-proj-Vq3Lm8Zx2Rt7Wp4Kd9Hs1Jf6Gc0Ay5Bn"


@pytest.mark.parametrize(
    ("source", "worth"),
    [
        ('KEYS = ["tok0000001", "tok0000002"]\n', False),  # data: a list display
        ('API_KEYS: ClassVar = "tok0000001x"\n', False),  # data: a ClassVar
        ('TOKENS = ("Zx9Lm2Qw8Er4Ty6Ui1Op3As7D",)\n', False),  # random-looking, but data
        (f'KEYS = ["tok0000001", "{OPENAI}"]\n', True),  # a shape is a secret anywhere
        ('API_KEYS = {"k000001": "v123456789", "k000002": "v987654321"}\n', False),
        ('TABLE = {"password": "Zq8vX2mLp9rT4w"}\n', True),  # the key names it
        ('API_KEY = "Zq8vX2mLp9rT4w"\n', True),
        ('CONFIG = {"k": make(api_key="Zq8vX2mLp9rT4w")}\n', True),  # a name inside the entry
    ],
)
def test_the_ast_filter_knows_data_statements_and_dict_keys(source: str, worth: bool) -> None:
    tree = ast.parse(source)
    assert may_hold_secret_in(tree, source, data=True) is worth
    # Without ``data`` the filter still lets every statement with a candidate through.
    if not worth and "{" not in source:
        assert may_hold_secret_in(tree, source)


def test_what_the_ast_alone_reports_in_a_large_module() -> None:
    source = (
        f'OPENAI_API_KEY = "{OPENAI}"\n'
        'SECRET_KEY = "k3y-for-signing-tokens!"\n'
        'PASSWORD_HASH = "$2b$12$abcdefghijklmnopqrstuv"\n'
        'ALLOWED = ["Zq8vX2mLp9rT4wKe", "hunter22"]\n'
        'client = make(api_key="Pn5Vx2Lr8Tq3Wz9K")\n'
        'TABLE = {"db_password": "Rv8Kq3Wz6Tn1Xp4L", "title": "Notes"}\n'
        '"""A docstring with a key: sk-proj-Tz6Kp1Wx8Lq3Vm9Rd2Hs7Jf4Gc0Ay5Bn"""\n'
        'os.environ["DB_PASSWORD"] = "Hq7Lp2Wz9Xc4Vb8N"\n'
    )
    found = astscan.secrets_in(ast.parse(source), source)
    assert [(s.literal.line, s.literal.col, s.variable, s.where) for s in found] == [
        (1, 18, "OPENAI_API_KEY", "`OPENAI_API_KEY = …`"),
        (2, 14, "SECRET_KEY", "`SECRET_KEY = …`"),
        (5, 23, "API_KEY", "`api_key=`"),
        (6, 25, "DB_PASSWORD", 'the "db_password" entry'),
        (8, 29, "DB_PASSWORD", '`os.environ["DB_PASSWORD"] = …`'),
    ]


def test_columns_count_characters_not_bytes() -> None:
    source = f'TITLE = "é"; OPENAI_API_KEY = "{OPENAI}"\n'
    [found] = astscan.secrets_in(ast.parse(source), source)
    assert source[found.literal.col - 1 :].startswith(f'"{OPENAI}"')


def test_the_variables_a_large_module_reads_go_to_the_example_file(
    make_repo: Callable[..., Path],
) -> None:
    keys = "".join(f'    "tok{i:07d}",\n' for i in range(astscan.MAX_EDITED_STRINGS + 1))
    data = (
        "import os\n\n"
        'MODEL = os.getenv("MODEL_NAME", "tiny")\n'
        'REGION = os.environ["AWS_REGION"]\n'
        'os.environ["IGNORED_WRITE"] = "x"\n'
        f"KEYS = [\n{keys}]\n"
    )
    root = make_repo({"config.py": f'OPENAI_API_KEY = "{OPENAI}"\n', "data.py": data})
    result = hffix.fix(root, write=True, select=["HF005"])
    assert result.error is None
    assert [(f.path, f.status) for f in result.findings] == [
        (".env.example", Status.FIXED),  # lists what the app reads, the large module too
        (".gitignore", Status.FIXED),  # .env, where those variables go locally
        ("config.py", Status.FIXED),
    ]
    example = (root / ".env.example").read_text()
    assert envfile.declared_names(example) == {"AWS_REGION", "MODEL_NAME", "OPENAI_API_KEY"}
    assert "# read at data.py:4; no default: the app needs it\nAWS_REGION=\n" in example
    assert "# read at data.py:3; has a default\nMODEL_NAME=\n" in example
    assert (root / "data.py").read_text() == data
