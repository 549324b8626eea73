"""Names: splitting, environment variable spelling, signal strength, qualification."""

from __future__ import annotations

import pytest

from hffix.secrets.names import NameSignal, env_name, is_url_name, qualified, signal, words


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("openaiApiKey", ["openai", "api", "key"]),
        ("OPENAI_API_KEY", ["openai", "api", "key"]),
        ("openai-api-key", ["openai", "api", "key"]),
        ("openaiAPIKey2", ["openai", "api", "key", "2"]),
        ("HTTPServerPort", ["http", "server", "port"]),
        ("tokenUrl", ["token", "url"]),
    ],
)
def test_words(name: str, expected: list[str]) -> None:
    assert words(name) == expected


@pytest.mark.parametrize(
    ("name", "variable"),
    [
        ("openai_api_key", "OPENAI_API_KEY"),
        ("betterAuthSecret", "BETTER_AUTH_SECRET"),
        ("db.password", "DB_PASSWORD"),
        ("Authorization", "AUTHORIZATION"),
    ],
)
def test_env_name(name: str, variable: str) -> None:
    assert env_name(name) == variable


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SECRET_KEY", NameSignal.STRONG),
        ("BETTER_AUTH_SECRET", NameSignal.STRONG),
        ("OPENAI_API_KEY", NameSignal.STRONG),
        ("apiKey", NameSignal.STRONG),
        ("db_password", NameSignal.STRONG),
        ("DB_PASS", NameSignal.STRONG),
        ("PRIVATE_KEY", NameSignal.STRONG),
        ("AWS_SECRET_ACCESS_KEY", NameSignal.STRONG),
        ("HF_TOKEN", NameSignal.WEAK),
        ("token", NameSignal.WEAK),
        ("STRIPE_KEY", NameSignal.WEAK),
        ("salt", NameSignal.WEAK),
        ("CACHE_KEY", NameSignal.NEUTRAL),
        ("primary_key", NameSignal.NEUTRAL),
        ("APP_NAME", NameSignal.EXCLUDED),
        ("DEBUG", NameSignal.NEUTRAL),
        ("max_tokens", NameSignal.EXCLUDED),
        ("ACCESS_TOKEN_EXPIRE_MINUTES", NameSignal.EXCLUDED),
        ("TOKEN_URL", NameSignal.EXCLUDED),
        ("DATABASE_URL", NameSignal.EXCLUDED),
        ("ALGORITHM", NameSignal.EXCLUDED),
        ("API_KEY_HEADER", NameSignal.EXCLUDED),
        ("PUBLIC_KEY", NameSignal.EXCLUDED),
        ("PASSWORD_HASH", NameSignal.EXCLUDED),
        ("CLIENT_ID", NameSignal.EXCLUDED),
        (None, NameSignal.NEUTRAL),
    ],
)
def test_signal(name: str | None, expected: NameSignal) -> None:
    assert signal(name) is expected


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("DATABASE_URL", True),
        ("SQLALCHEMY_DATABASE_URI", True),
        ("SENTRY_DSN", True),
        ("mongo_connection_string", True),
        ("SECRET_KEY", False),
    ],
)
def test_url_names(name: str, url: bool) -> None:
    assert is_url_name(name) is url


@pytest.mark.parametrize(
    ("prefix", "variable", "expected"),
    [
        ("redis_config", "PASSWORD", "REDIS_PASSWORD"),
        ("DATABASES", "PASSWORD", "DATABASE_PASSWORD"),
        ("Github", "TOKEN", "GITHUB_TOKEN"),
        ("OPENAI", "OPENAI_API_KEY", "OPENAI_API_KEY"),
        ("settings", "PASSWORD", "PASSWORD"),
        (None, "TOKEN", "TOKEN"),
    ],
)
def test_qualified(prefix: str | None, variable: str, expected: str) -> None:
    assert qualified(prefix, variable) == expected


def test_test_path_matcher_agrees_with_the_spec_with_and_without_its_shortcut() -> None:
    import pathspec

    from hffix.secrets.scope import DEFAULT_TEST_PATHS, _matcher, _needles

    paths = [
        "tests/a.py",
        "app/test_x.py",
        "a/b_test.py",
        "conftest.py",
        "src/app.py",
        "fixtures/x.json",
        "app/testing/x.py",
        "latest/x.py",
        "app/contest.py",
        "testdata",
        "pkg/test_data/x.csv",
    ]
    for patterns in (DEFAULT_TEST_PATHS, ("*.py",), ("[ab]c/x", "!bc/x"), ("docs/", "# c", "")):
        spec = pathspec.GitIgnoreSpec.from_lines(patterns)
        matcher = _matcher(tuple(patterns))
        for path in [*paths, "ac/x", "bc/x", "docs/a.md"]:
            assert matcher(path) == bool(spec.match_file(path)), (patterns, path)
    assert _needles(("a\\*b",)) is None  # escapes: no shortcut
    assert _needles(("*",)) is None  # nothing literal to look for
