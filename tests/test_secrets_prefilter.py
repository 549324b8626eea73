"""HF005's filters never hide a finding: each condition of the text filter is held to the
classifier part it stands for, and both filters to the scan itself, over generated values,
names and call sites."""

from __future__ import annotations

import ast

import hypothesis.strategies as st
import libcst as cst
import pytest
from hypothesis import given, settings

from hffix.secrets import formats, names
from hffix.secrets.classify import classify, may_be_named_secret, recognise
from hffix.secrets.entropy import is_high_entropy
from hffix.secrets.names import SIGNAL_STEMS, NameSignal, signal
from hffix.secrets.prefilter import may_hold_secret, may_hold_secret_in, may_hold_shaped
from hffix.secrets.pysource import BY_METHOD_NAME, POSITIONAL, scan_module

KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/=.~"


def _provider_token(provider: formats.Provider) -> st.SearchStrategy[str]:
    """Tokens matching the provider's shape (its pattern without the word-boundary guards)."""
    pattern = provider.pattern.pattern
    pattern = pattern.removeprefix(formats._BEFORE).removesuffix(formats._AFTER)
    return st.from_regex(pattern, fullmatch=True)


@pytest.mark.parametrize("provider", formats.PROVIDERS, ids=lambda p: p.pattern.pattern[20:40])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_provider_tokens_pass_both_filters(provider: formats.Provider, data: st.DataObject) -> None:
    token = data.draw(_provider_token(provider))
    if recognise(token) is None:
        return  # a placeholder-looking body (``xxxx…``): no finding to hide
    assert may_hold_shaped(f"api = '{token}'\n")
    assert may_hold_secret(f"api = '{token}'\n")


def test_the_shortest_slack_tokens_pass() -> None:
    """The two shapes shorter than a run of 20 key characters."""
    for token in ("xoxb-1a2b3c4d5e", "xapp-1-A1B2C3D4E5"):
        assert recognise(token) is not None
        assert may_hold_shaped(f'X = "{token}"')


@settings(max_examples=200, deadline=None)
@given(
    scheme=st.sampled_from(["postgresql", "mysql+pymysql", "redis", "mongodb+srv", "amqp"]),
    user=st.text("abcdefgh", max_size=6),
    password=st.text("abcdefghXYZ0123!$%^&*()", min_size=1, max_size=12),
    host=st.text("abcdef.-", min_size=1, max_size=10),
)
def test_credentials_urls_pass(scheme: str, user: str, password: str, host: str) -> None:
    url = f"{scheme}://{user}:{password}@{host}/db"
    if recognise(url) is not None:
        assert may_hold_shaped(url)


def test_private_keys_and_bearer_tokens_pass() -> None:
    key = "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEA\\n"
    bearer = "Bearer 9fK2mQ7xL4pR8tZ1wV6nB3cY5hJ0"
    for value in (key, bearer):
        assert recognise(value) is not None
        assert may_hold_shaped(f'HEADERS = "{value}"')


@settings(max_examples=500, deadline=None)
@given(value=st.text(KEY_CHARS, min_size=20, max_size=80))
def test_random_looking_values_pass(value: str) -> None:
    if is_high_entropy(value):
        assert may_hold_shaped(f'x = "{value}"')
        assert may_hold_secret(f'x = "{value}"')


_WORDS = sorted(
    names.STRONG_WORDS
    | names.WEAK_WORDS
    | {w for pair in names.STRONG_PAIRS for w in pair}
    | {"pw", "pwd", "db", "openai", "better", "client", "value", "str", "2", "my", "app"}
    | {"word", "phrase", "get", "load", "id", "url", "expire"}
)


@st.composite
def _names(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4))
    style = draw(st.sampled_from(["snake", "upper", "camel", "kebab", "joined"]))
    if style == "snake":
        return "_".join(parts)
    if style == "upper":
        return "_".join(parts).upper()
    if style == "camel":
        return parts[0] + "".join(p.capitalize() for p in parts[1:])
    if style == "kebab":
        return "-".join(parts)
    return "".join(parts)


@settings(max_examples=1000, deadline=None)
@given(name=_names())
def test_every_name_that_signals_a_secret_holds_a_stem(name: str) -> None:
    if signal(name) in (NameSignal.STRONG, NameSignal.WEAK):
        assert any(stem in name.lower() for stem in SIGNAL_STEMS)
        assert may_hold_secret(f'{name} = "hunter22"\n')


def _call(callee: str, index: int) -> str:
    root = callee.split(".")[0]
    args = ", ".join(['"hunter2hunter2"' if i == index else "payload" for i in range(index + 1)])
    return f"import {root}\n\nx = {callee}({args})\n"


@pytest.mark.parametrize(("callee", "index"), sorted(POSITIONAL))
def test_secret_positions_pass(callee: str, index: int) -> None:
    source = _call(callee, index)
    found = scan_module("m.py", cst.parse_module(source)).sites()
    assert found, "the position takes a secret"
    assert may_hold_secret(source)
    assert may_hold_secret_in(ast.parse(source), source)


def test_a_login_on_any_object_passes() -> None:
    assert any(c.startswith(BY_METHOD_NAME) for c, _ in POSITIONAL)
    source = 'server.login("me@example.com", "c0rrectH0rse")\n'
    assert scan_module("m.py", cst.parse_module(source)).sites()
    assert may_hold_secret(source)
    assert may_hold_secret_in(ast.parse(source), source)


_PLACES = [
    "{name} = {value}\n",
    "client = Client({name}={value})\n",
    "CONFIG = {{'{name}': {value}}}\n",
    "def f({name}={value}):\n    return 1\n",
    "if {name} == {value}:\n    pass\n",
    "class Settings:\n    {name}: str = {value}\n",
    "def get_{name}():\n    if ready:\n        return {value}\n    return None\n",
    "import os\n\nx = os.getenv('{name}') or {value}\n",
    "class C:\n    def m(self):\n        try:\n            self.{name} = {value}\n"
    "        except KeyError:\n            pass\n",
    "f = lambda {name}={value}: {name}\n",
    "headers = [({name!r}, {value})]\n",
    "from pydantic_settings import BaseSettings\n\n\nclass S(BaseSettings):\n"
    "    {name}: str = {value}\n",
    "x = 1\n{name} = (\n    {value}\n)\n",  # the value on its own line
    "client = Client(\n    {name}=\n        {value},\n)\n",
    "def connect(\n    user='app',\n    {name}={value},\n):\n    return None\n",
    "match command:\n    case Point(x=0):\n        {name} = {value}\n",
    "for item in items:\n    with lock:\n        {name} = {value}\n",
]
_VALUES = ["hunter22", "Tr0ub4dor3x", "abc", "postgres", "s3cr3t-v4lue", "x" * 30]


@settings(max_examples=1000, deadline=None)
@given(
    name=_names() | st.sampled_from(["value", "data", "cfg", "label", "item"]),
    value=st.sampled_from(_VALUES) | st.text(KEY_CHARS, min_size=1, max_size=30),
    place=st.sampled_from(_PLACES),
)
def test_no_module_with_a_finding_is_filtered_out(name: str, value: str, place: str) -> None:
    if not name.isidentifier():
        name = "_".join(names.words(name)) or "x"
    source = place.format(name=name, value=repr(value))
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return
    if scan_module("m.py", module).sites():
        assert may_hold_secret(source)
        assert may_hold_secret_in(ast.parse(source), source)


@settings(max_examples=1000, deadline=None)
@given(
    value=st.sampled_from(_VALUES) | st.text(KEY_CHARS + " :@'", max_size=30),
    name=_names() | st.sampled_from(["", "value", "JWT_SECRET", "SMTP_PASSWORD"]),
    slot=st.booleans(),
)
def test_a_named_finding_needs_a_value_the_named_branch_admits(
    value: str, name: str, slot: bool
) -> None:
    """What the ast filter assumes of :func:`classify`: a name (or a secret position, taken
    as the strongest name) turns a value into a finding only if ``may_be_named_secret``
    admits it for that name's signal."""
    if classify(value, name or None, slot=slot) is not None:
        strength = NameSignal.STRONG if slot else signal(name or None)
        assert classify(value) is not None or may_be_named_secret(value, strength)


MODEL = """\"\"\"Items: the password and the api key live elsewhere.\"\"\"
from sqlmodel import Field, SQLModel


class Item(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(index=True, description="A title, shown in lists")


def newest(items: list[Item]) -> Item | None:
    # sorted by key: the id
    for item in sorted(items, key=lambda i: i.id or 0):
        pass
    return None
"""


def test_the_ast_filter_passes_over_what_only_the_text_mentions() -> None:
    """``key`` as a keyword argument, ``pass``, a docstring and a comment: the text filter
    lets the module through, the ast filter sees no string a name could make a secret."""
    assert may_hold_secret(MODEL)
    assert not may_hold_secret_in(ast.parse(MODEL), MODEL)
    with_secret = MODEL + '\nAPI_KEY = "q9Zx7Lm2Wp4Rt8"\n'
    assert may_hold_secret_in(ast.parse(with_secret), with_secret)


@pytest.mark.parametrize(
    "source",
    [
        'TOKEN = b"q9Zx7Lm2Wp4Rt8"\n',  # bytes
        'x = f"postgresql://app:s3cretpw99@{host}/app"\n',  # f-string part
        'CONFIG = {"db_pass": "q9Zx7Lm2Wp4Rt8"}\n',  # a name held in a string
        "from pydantic_settings import BaseSettings\n\n\nclass S(BaseSettings):\n"
        '    model_config = {"env_prefix": "SEC"}\n'
        '    ret: str = "q9Zx7Lm2Wp4Rt8"\n',  # SECRET: a name made of two parts
        "from pydantic_settings import BaseSettings\n\n\nclass S(BaseSettings):\n"
        '    passWord: str = "hunter22"\n',  # read as PASSWORD: upper-cased, a strong name
        'def get_db_pw():\n    return "hunter22"\n',  # named after the function
        # a block whose own line holds no quote: a match case, an except handler
        "match command:\n    case 'go':\n        pass\n    case Point(x=0):\n"
        '        API_KEY = "hunter22abc"\n',
        'try:\n    pass\nexcept KeyError:\n    API_KEY = "hunter22abc"\n',
    ],
)
def test_both_filters_keep_what_the_scan_finds(source: str) -> None:
    assert scan_module("m.py", cst.parse_module(source)).sites(), "the scan finds it"
    assert may_hold_secret_in(ast.parse(source), source)
    assert may_hold_secret(source)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_the_ast_filter_counts_lines_as_ast_does(newline: str) -> None:
    """The statements to read are found by line: a file with CRLF or lone CR endings finds
    the same ones."""
    source = newline.join(["import os", "", "x = 1", "if ready:", "    API_KEY = 'hunter22x9'", ""])
    tree = ast.parse(source)
    assert scan_module("m.py", cst.parse_module(source)).sites()
    assert may_hold_secret_in(tree, source)


@pytest.mark.parametrize("signing", [(), ("SIGNING_SECRET",)])
def test_lines_are_counted_where_each_needle_was_found(signing: tuple[str, ...]) -> None:
    """Stems are looked for in the lower-cased text, where a capital dotted I (``İ``) is
    two characters: an offset there is not one in the text, but both have the same
    newlines before it. Twenty such letters above a key put it on the wrong line once."""
    source = (
        '"""Şehirler: İSTANBUL, İZMİR, İNEGÖL, İSKENDERUN, İSPARTA, DİYARBAKIR, BİTLİS,\n'
        'KİLİS, SİİRT, BİLECİK, İĞDIR, SİNOP, SİVAS, GİRESUN, RİZE."""\n'
        "import os\n\n"
        'API_KEY = "hunter22abc"\n'
        "DEBUG = os.environ.get('DEBUG') == '1'\n"
    )
    assert sum(len(ch.lower()) - 1 for ch in source) >= 20
    assert scan_module("m.py", cst.parse_module(source)).sites()
    assert may_hold_secret_in(ast.parse(source), source, data=True, signing=signing)


@pytest.mark.parametrize(
    ("source", "signing"),
    [
        # blocks in blocks, none of whose headers holds a string
        (
            "def outer():\n    def inner():\n        if ready:\n"
            '            API_KEY = "hunter22abc"\n',
            (),
        ),
        (
            "with open(p) as f:\n    while True:\n        try:\n            pass\n"
            '        finally:\n            TOKEN = "hunter22abc"\n',
            (),
        ),
        (
            "async def main():\n    async with s:\n        async for x in y:\n"
            '            db_password = "hunter22abc"\n',
            (),
        ),
        ('if a:\n    pass\nelif b:\n    pass\nelse:\n    API_KEY = "hunter22abc"\n', ()),
        ('for x in y:\n    pass\nelse:\n    API_KEY = "hunter22abc"\n', ()),
        # a return named after a stem-named function it is nested in
        (
            "class C:\n    def get_token(self):\n        for x in y:\n            if x:\n"
            '                return "hunter22abc"\n',
            (),
        ),
        # a header over several lines, its first holding a quote but no stem
        (
            "@app.get('/')\ndef handler(\n    user='app',\n    password='hunter22abc',\n):\n"
            "    return None\n",
            (),
        ),
        (
            "@app.get('/')\ndef handler(\n    user='app',\n    password=\n        'hunter22abc',\n"
            "):\n    return None\n",
            (),
        ),
        # a string in an expression's own body
        ('API_KEY = "q9Zx7Lm2Wp4Rt8" if ready else None\n', ()),
        # characters of several bytes before a random-looking value under a neutral name
        ('# café, naïve, 日本語\nx = 1\nvalue = "q9Zx7Lm2Wp4Rt8Kd3Jf6Hs1Vb"\n', ()),
        # a name the repository signs with
        ('SIGNER = "change-me"\n', ("SIGNER",)),
        ('app.config["SIGNER"] = "change-me"\n', ("SIGNER",)),
    ],
)
def test_the_ast_filter_finds_the_statement_wherever_it_is(
    source: str, signing: tuple[str, ...]
) -> None:
    assert scan_module("m.py", cst.parse_module(source), signing).sites(), "the scan finds it"
    tree = ast.parse(source)
    assert may_hold_secret_in(tree, source, signing=signing)
    assert may_hold_secret_in(tree, source, data=True, signing=signing)


_BLOCKS = [
    "def f():\n",
    "async def f():\n",
    "def get_secret():\n",
    "@app.get('/')\ndef f(request):\n",
    "class C:\n",
    "if ready:\n",
    "if ready:\n    pass\nelse:\n",
    "for item in items:\n",
    "while ready:\n",
    "with lock:\n",
    "try:\n",
    "try:\n    pass\nexcept KeyError:\n",
    "try:\n    pass\nfinally:\n",
    "match command:\n    case 'go':\n",
]


def _nest(source: str, blocks: list[str]) -> str:
    """``source`` in ``blocks``, the first outermost (a ``try`` closed by its handler)."""
    for block in reversed(blocks):
        header = block.splitlines()[-1]
        indent = " " * (len(header) - len(header.lstrip()) + 4)
        inner = "".join(f"{indent}{line}\n" if line else "\n" for line in source.splitlines())
        close = "except Exception:\n    pass\n" if block.endswith("try:\n") else ""
        source = block + inner + close
    return source


@settings(max_examples=500, deadline=None)
@given(
    name=_names() | st.sampled_from(["value", "data", "label"]),
    value=st.sampled_from(_VALUES) | st.text(KEY_CHARS, min_size=1, max_size=30),
    place=st.sampled_from(_PLACES),
    blocks=st.lists(st.sampled_from(_BLOCKS), max_size=3),
)
def test_no_finding_in_a_block_is_filtered_out(
    name: str, value: str, place: str, blocks: list[str]
) -> None:
    """The statements are walked block by block, passing over those with no quote or no
    stem on any of their lines: a finding inside them is still reached."""
    if not name.isidentifier():
        name = "_".join(names.words(name)) or "x"
    source = _nest(place.format(name=name, value=repr(value)), blocks)
    try:
        module = cst.parse_module(source)
        tree = ast.parse(source)
    except (cst.ParserSyntaxError, SyntaxError):
        return
    if scan_module("m.py", module).sites():
        assert may_hold_secret_in(tree, source)
        assert may_hold_secret_in(tree, source, data=True)


def test_a_module_without_a_quote_or_a_stem_is_passed_over() -> None:
    for source in ("password = read()\n", "x = 'q'\n", ""):
        assert not may_hold_secret_in(ast.parse(source), source)
