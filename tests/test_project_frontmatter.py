"""README front matter: the line-based reader agrees with a YAML parser, edits keep bytes."""

from __future__ import annotations

import pytest

from hffix.project import frontmatter
from hffix.project.frontmatter import FrontMatterError

VALID = [
    "---\ntitle: Todo\nsdk: gradio\n---\n",
    "---\ntitle: 'it''s here'\npython_version: 3.10\ntags:\n  - a\n  - b\n---\nbody\n",
    "---\ndesc: >\n  folded\n  text\napp_file: app.py # the app\n---\n",
    '---\nemoji: 🚀\nx: "a # b"\nk: {a: 1,\n  b: 2}\n---\n',
    "---\n# a comment\n\ntitle: x\n---\n",
    '---\nkey: "multi\n  line"\n---\n',
    "---\r\ntitle: crlf\r\n---\r\nbody\r\n",
]
BROKEN = [
    ("---\ntitle: My app: the best\n---\n", 2, "`: `"),
    ("---\ntitle: x\ntitle: y\n---\n", 3, "duplicate"),
    ('---\ntitle: "unclosed\n---\n', 2, "unclosed"),
    ("---\ntitle: [a, b\n---\n", 2, "brackets"),
    ("---\n\ttitle: x\n---\n", 2, "tabs"),
    ("---\ntitle x\n---\n", 2, "key: value"),
    ("---\n- a\n---\n", 2, "mapping"),
    ("---\ntitle: @me\n---\n", 2, "quote it"),
    ("---\ntitle: x\n", 1, "closing"),
    ("---\n  indented: first\n---\n", 2, "indented"),  # valid YAML, but not edited
]


@pytest.mark.parametrize("text", VALID)
def test_valid_front_matter_parses(text: str) -> None:
    front = frontmatter.parse(text)
    assert front is not None and front.entries


@pytest.mark.parametrize(("text", "line", "words"), BROKEN)
def test_broken_front_matter_is_refused_with_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(FrontMatterError) as raised:
        frontmatter.parse(text)
    assert raised.value.line == line and words in raised.value.reason


@pytest.mark.parametrize("text", [t for t in VALID] + [t for t, _, _ in BROKEN])
def test_agrees_with_pyyaml(text: str) -> None:
    """What a YAML library rejects we reject (PyYAML accepts duplicate keys; Spaces does not)."""
    yaml = pytest.importorskip("yaml")
    block, _ = frontmatter.split(text)
    inner = "".join(block.splitlines(keepends=True)[1:-1]) if block else None
    try:
        loaded = yaml.safe_load(inner) if inner is not None else None
        yaml_ok = isinstance(loaded, dict)
    except yaml.YAMLError:
        yaml_ok = False
    try:
        ours = frontmatter.parse(text) is not None
    except FrontMatterError as exc:
        if exc.unsupported:
            return  # valid YAML in a layout hffix refuses to edit, and says so
        ours = False
    if "duplicate" in text or "title: y" in text:
        assert not ours
    else:
        assert ours == yaml_ok


def test_scalars_as_yaml_reads_them() -> None:
    front = frontmatter.parse(
        "---\na: plain\nb: 'it''s'\nc: \"q\\\"d 🚀\" # c\nd: 3.10\ne:\n  - x\nf: [1]\n---\n"
    )
    assert front is not None
    values = {k: frontmatter.scalar(e) for k, e in front.entries.items()}
    assert values == {"a": "plain", "b": "it's", "c": 'q"d 🚀', "d": "3.1", "e": None, "f": None}


def test_with_value_keeps_every_other_byte() -> None:
    text = "---\r\ntitle: x\r\napp_file:   app.py   # was\r\nempty:\r\n---\r\nbody"
    front = frontmatter.parse(text)
    assert front is not None
    changed = frontmatter.with_value(front, "app_file", "main.py", "\r\n")
    assert changed == text.replace("app.py", "main.py")
    front = frontmatter.parse(changed)
    assert front is not None
    filled = frontmatter.with_value(front, "empty", '"v"', "\r\n")
    assert 'empty: "v"\r\n' in filled
    front = frontmatter.parse(filled)
    assert front is not None
    added = frontmatter.with_value(front, "new", "1", "\r\n")
    assert added.endswith('empty: "v"\r\nnew: 1\r\n---\r\nbody')


def test_multiline_values_are_not_edited() -> None:
    front = frontmatter.parse("---\napp_file: >\n  app.py\n---\n")
    assert front is not None and front.entries["app_file"].multiline
    with pytest.raises(ValueError):
        frontmatter.with_value(front, "app_file", "main.py", "\n")


def test_render_scalar_quotes_what_yaml_would_retype() -> None:
    assert frontmatter.render_scalar("main.py") == "main.py"
    assert frontmatter.render_scalar("3.10") == '"3.10"'
    assert frontmatter.render_scalar("yes") == '"yes"'
    assert frontmatter.render_scalar("a: b") == '"a: b"'
    assert frontmatter.render_scalar("main.py", quote=True) == '"main.py"'


def test_split() -> None:
    assert frontmatter.split("# no front matter\n") == ("", "# no front matter\n")
    assert frontmatter.split("---\na: 1\n---\nbody\n") == ("---\na: 1\n---\n", "body\n")
    assert frontmatter.split("---\nunclosed\n") == ("", "---\nunclosed\n")
