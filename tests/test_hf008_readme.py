"""HF008 as a rule: settings, suppression, byte-for-byte edits, what it refuses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import hffix
from hffix.api import Result
from hffix.findings import Status

MakeRepo = Callable[..., Path]
GOOD = '---\napp_file: main.py\npython_version: "3.10"\n---\n'


def run(root: Path, **kwargs: object) -> Result:
    result = hffix.fix(root, write=True, select=["HF008"], **kwargs)  # type: ignore[arg-type]
    assert result.error is None, result.error
    return result


def readme(root: Path) -> bytes:
    return (root / "README.md").read_bytes()


def test_compliant_and_absent_readmes(make_repo: MakeRepo) -> None:
    assert run(make_repo({"README.md": GOOD})).findings == []
    assert run(make_repo({"main.py": ""}, "no-readme")).findings == []
    single = make_repo(
        {"README.md": "---\napp_file: 'main.py'\npython_version: '3.10'\n---\n"}, "q"
    )
    assert run(single).findings == []


def test_settings_from_pyproject(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "pyproject.toml": '[tool.hffix]\napp-file = "app.py"\npython_version = "3.11"\n',
            "README.md": GOOD,
        }
    )
    run(root)
    assert readme(root) == b'---\napp_file: app.py\npython_version: "3.11"\n---\n'


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ('sdk = "docker"', "SP-HF-02"),
        ('sdk = "python"', "not one of gradio"),
        ('python-version = "3"', "not a Python 3.x"),
        ("app-file = 3", "not a path"),
    ],
)
def test_bad_settings_are_reported(make_repo: MakeRepo, setting: str, words: str) -> None:
    root = make_repo({"pyproject.toml": f"[tool.hffix]\n{setting}\n", "README.md": "# x\n"})
    result = run(root)
    (finding,) = result.findings
    assert finding.path == "pyproject.toml" and words in finding.message
    assert readme(root) == b"# x\n"


def test_bom_and_utf8_body_survive(make_repo: MakeRepo) -> None:
    root = make_repo({"README.md": "\ufeff# Café ☕\n".encode()})
    run(root)
    assert readme(root) == (
        b'\xef\xbb\xbf---\napp_file: main.py\npython_version: "3.10"\n---\n\n'
        b"# Caf\xc3\xa9 \xe2\x98\x95\n"
    )


def test_empty_readme_and_blank_first_line(make_repo: MakeRepo) -> None:
    empty = make_repo({"README.md": ""})
    run(empty)
    assert readme(empty) == GOOD.encode()
    blank = make_repo({"README.md": "\nText\n"}, "blank")
    run(blank)
    assert readme(blank) == GOOD.encode() + b"\nText\n"


def test_suppressed_key_line(make_repo: MakeRepo) -> None:
    text = "---\napp_file: app.py  # hffix: ignore[HF008]\npython_version: '3.10'\n---\n"
    root = make_repo({"README.md": text})
    assert run(root).findings == []
    assert readme(root) == text.encode()


def test_multiline_value_is_reported(make_repo: MakeRepo) -> None:
    text = "---\napp_file: >\n  app.py\npython_version: '3.10'\n---\n"
    root = make_repo({"README.md": text})
    (finding,) = run(root).findings
    assert finding.status is Status.MANUAL and finding.line == 2
    assert readme(root) == text.encode()


def test_sdk_is_added_when_configured_and_missing(make_repo: MakeRepo) -> None:
    root = make_repo({"pyproject.toml": '[tool.hffix]\nsdk = "gradio"\n', "README.md": GOOD})
    run(root)
    assert readme(root) == b'---\napp_file: main.py\npython_version: "3.10"\nsdk: gradio\n---\n'


def test_no_front_matter_with_sdk_configured(make_repo: MakeRepo) -> None:
    root = make_repo({"pyproject.toml": '[tool.hffix]\nsdk = "static"\n', "README.md": "x\n"})
    run(root)
    assert readme(root) == (
        b'---\nsdk: static\napp_file: main.py\npython_version: "3.10"\n---\n\nx\n'
    )


def test_indented_front_matter_is_not_edited(make_repo: MakeRepo) -> None:
    text = "---\n  title: x\n  app_file: app.py\n---\n"
    root = make_repo({"README.md": text})
    (finding,) = run(root).findings
    assert "does not edit" in finding.message and finding.status is Status.MANUAL
    assert readme(root) == text.encode()


def test_fix_is_idempotent(make_repo: MakeRepo) -> None:
    root = make_repo({"README.md": "---\ntitle: x\npython_version: 3.10\n---\nbody"})
    run(root)
    assert run(root).changes == []
    assert readme(root) == b'---\ntitle: x\npython_version: "3.10"\napp_file: main.py\n---\nbody'
