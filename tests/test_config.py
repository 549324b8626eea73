"""[tool.hffix], --select/--ignore and API options: unknown keys and codes are errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hffix import api
from hffix.cli import main
from hffix.config import ALL, Config, ConfigError, load_config, rule_codes


def test_unknown_key_in_pyproject_is_an_error_with_a_suggestion(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"pyproject.toml": '[tool.hffix]\nselct = ["HF001"]\n'})
    with pytest.raises(ConfigError, match=r"unknown key `selct` \(did you mean `select`\?\)"):
        load_config(root)


def test_every_documented_key_is_accepted(make_repo: Callable[..., Path]) -> None:
    root = make_repo(
        {
            "pyproject.toml": "[tool.hffix]\n"
            'select = ["HF0"]\nignore = ["HF010"]\nexclude = ["legacy/"]\n'
            'unsafe-fixes = false\ntest-paths = ["tests/"]\napp = "app.main:app"\n'
            'app-file = "main.py"\npython_version = "3.10"\nsdk = "gradio"\n'
            'compose = "keep"\nenvironment-metadata = false\n'
            '[tool.hffix.per-file-ignores]\n"scripts/*" = ["HF003", "ALL"]\n'
        }
    )
    config = load_config(root)
    assert config.enabled("HF001") and not config.enabled("HF010")
    assert config.ignored_in("scripts/x.py", "HF005")


def test_unknown_codes_are_errors_everywhere(make_repo: Callable[..., Path]) -> None:
    with pytest.raises(ConfigError, match="unknown rule code `HF999`"):
        rule_codes(["HF999"], "--select")
    with pytest.raises(ConfigError, match="did you mean `HF005`"):
        rule_codes(["HF05"], "--select")
    root = make_repo({"pyproject.toml": '[tool.hffix]\nignore = ["HF01X"]\n'})
    with pytest.raises(ConfigError, match="ignore: unknown rule code `HF01X`"):
        load_config(root)
    with pytest.raises(ConfigError, match="unknown key `ap`"):
        Config().with_overrides(options={"ap": "main:app"})


def test_all_and_prefixes() -> None:
    assert not Config().with_overrides(ignore=[ALL]).enabled("HF002")
    select_all = Config().with_overrides(select=["all"])
    assert all(select_all.enabled(c) for c in ("HF001", "HF010"))
    prefix = Config().with_overrides(select=["HF00"], ignore=["HF01"])
    assert prefix.enabled("HF007") and not prefix.enabled("HF010")


def test_cli_unknown_code_is_a_usage_error(
    make_repo: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo({"main.py": "import uvicorn\nuvicorn.run('main:app')\n"})
    assert main(["--check", "--select", "HF999", str(repo)]) == 2
    err = capsys.readouterr().err
    assert "unknown rule code `HF999`" in err and len(err.strip().splitlines()) == 1
    assert main(["--check", "--ignore", "ALL", str(repo)]) == 0


def test_api_unknown_option_is_the_repositorys_error(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"main.py": "x = 1\n"})
    result = api.check(repo, options={"ap": "main:app"})
    assert result.error is not None and "unknown key `ap` (did you mean `app`?)" in result.error
    assert result.findings == []


def test_test_paths_reaches_the_rules(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"pyproject.toml": '[tool.hffix]\ntest-paths = ["qa/"]\n'})
    assert load_config(root).option("test-paths") == ["qa/"]


def test_per_file_ignores_match_as_gitignore_patterns() -> None:
    config = Config(per_file_ignores={"scripts/*": frozenset({"HF003"}), "/x.py": frozenset({ALL})})
    assert config.ignored_in("scripts/a.py", "HF003")
    assert not config.ignored_in("scripts/a.py", "HF004")
    assert config.ignored_in("x.py", "HF010") and not config.ignored_in("sub/x.py", "HF010")
    assert not Config().ignored_in("scripts/a.py", "HF003")
