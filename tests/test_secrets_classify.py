"""The verdict table: (literal, name) -> secret (safe / unsafe fix) or not a secret.

Every value below is fake: format-valid, marked FAKE where the format allows.
"""

from __future__ import annotations

import pytest

from hffix.secrets.classify import Verdict, classify, is_distinctive, mask, recognise

OPENAI_PROJ = "sk-proj-FAKEECcNQf2suOoOOsgAwpIYiIP9K2zzSxxnF1eKUpTXYgwM"
OPENAI_LEGACY = "sk-FAKEzqHxqcAsblDvliin8NvY40XDNXvzMWKYCBf1BTHaFiMP"
ANTHROPIC = (
    "sk-ant-api03-FAKEfzk1J-o82PYnILGwQGvBSBBXKd5t5T33JnbYfPrYs5ClnrIehe6bhqHxzui-"
    "4HOIhdTNc4SKjGmTY8unPk9ybaMd6AA"
)
HF = "hf_FAKEOkSWPJJAVepElDtJpJPityTDrmIwMk"
GITHUB = "ghp_FAKEMp4t3skn2H7sCB2jZ5uK8pRA2pocvvDv"
GITHUB_PAT = (
    "github_pat_11FAKEkzkdfPBScRTaQES2_kQU8KhDetUPPDABkRQlOh2f5QjRJDRZUmaS35YKFUVeYwL4IQ9FMVWMk0Oz"
)
AWS = "AKIAFAKE3902W4CHMMT2"
GOOGLE = "AIzaFAKEjmqeLb7PwBH2N1zLePZlSfnK_9UpXdx"
STRIPE = "sk_live_FAKEVdHnOm27ZrE2ke02Ne6gfEHUZIGUdIKSxr2Hv9Y1"
SLACK = "xoxb-0000000000-FAKEv9UF8kF6JMvBiTCMbkAh"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJmYWtlLXVzZXIiLCJuYW1lIjoiRkFLRSJ9."
    "FAKEhf-crVQ3S8UH5Nmkn_SOFFfI-D_-3l6BadJ7lMT"
)
GROQ = "gsk_FAKEH5MeDRmitmDXJTHBLv47aF1PvrCNg0jzs8jaDkjQWL3Ecs0H"
SENDGRID = "SG.FAKEniBxXUGfzeJMH8NHH7.wgaINy2zYNHHc5cmoRq6qcXtD4wFoqPRGd9oL1BRrTe"
RANDOM = "MpNkB9nscFryRPfkKVSrusG1IwhXSY3Z7Pci4oPL"
HEX = "00461e0808759b99653fa9f6ebf66bf8d17c19b7"
NEON = "postgresql://neondb_owner:npg_FAKEGdv5fXSM@ep-fake-123456.us-east-2.aws.neon.tech/neondb"
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEFAKE\n-----END RSA PRIVATE KEY-----"

SAFE, UNSAFE, NO = "safe", "unsafe", None

TABLE: list[tuple[str, str | None, str | None]] = [
    # Provider formats: secrets whatever the name.
    (OPENAI_PROJ, "OPENAI_API_KEY", SAFE),
    (OPENAI_PROJ, None, SAFE),
    (OPENAI_LEGACY, "client_key", SAFE),
    (ANTHROPIC, "ANTHROPIC_API_KEY", SAFE),
    (HF, "token", SAFE),
    (GITHUB, "GH", SAFE),
    (GITHUB_PAT, None, SAFE),
    (AWS, "AWS_ACCESS_KEY_ID", SAFE),
    (GOOGLE, "gemini_key", SAFE),
    (STRIPE, "stripe", SAFE),
    (SLACK, "SLACK_BOT_TOKEN", SAFE),
    (JWT, "SUPABASE_SERVICE_ROLE_KEY", SAFE),
    (GROQ, "GROQ_API_KEY", SAFE),
    (SENDGRID, "SENDGRID", SAFE),
    (PEM, "PRIVATE_KEY", SAFE),
    (f"Bearer {OPENAI_PROJ}", "Authorization", SAFE),
    (f"Bearer {RANDOM}", "Authorization", SAFE),
    # Credentials URLs.
    (NEON, "DATABASE_URL", SAFE),
    (NEON, "engine_url", SAFE),
    ("mysql+pymysql://app:FAKEmy5qlPw@db.example-host.io:3306/app", None, SAFE),
    ("mongodb+srv://admin:FAKEm0ngoPass@cluster0.fake1.mongodb.net/db", "MONGO_URI", SAFE),
    ("redis://:FAKEr3disPa55@redis-12345.c1.us-east-1.ec2.cloud.redislabs.com:12345", None, SAFE),
    ("amqps://worker:FAKEamqpPa55@rabbit.fake-host.io/vhost", "BROKER_URL", SAFE),
    ("postgresql://postgres:postgres@localhost:5432/app", "DATABASE_URL", NO),
    ("postgresql://user:password@host:5432/dbname", "DATABASE_URL", NO),
    ("amqp://guest:guest@rabbitmq:5672//", "CELERY_BROKER_URL", NO),
    ("postgresql://${DB_USER}:${DB_PASSWORD}@db/app", "DATABASE_URL", NO),
    ("sqlite:///./app.db", "DATABASE_URL", NO),
    ("postgresql://db.internal:5432/app", "DATABASE_URL", NO),
    ("https://o123.ingest.sentry.io/456", "SENTRY_DSN", NO),
    # Strong names with a real-looking literal.
    ("k3y-for-signing-tokens!", "SECRET_KEY", SAFE),
    ("supersecret", "JWT_SECRET", SAFE),
    ("better-auth-s3cret-0123", "BETTER_AUTH_SECRET", SAFE),
    ("hunter2", "password", SAFE),
    ("Pa55word!", "dbPassword", SAFE),
    ("smtp-pass-123", "SMTP_PASS", SAFE),
    ("abc-123-def", "openaiApiKey", SAFE),
    ("django-insecure-FAKE^k2@x9#q!v7z$w3", "SECRET_KEY", SAFE),
    ("550e8400-e29b-41d4-a716-446655440000", "API_KEY", SAFE),
    # Weak names: unsafe unless the value is recognisable.
    ("abc123xyz", "AUTH_TOKEN", UNSAFE),
    ("t0k-3n-value", "github_token", UNSAFE),
    (RANDOM, "STRIPE_KEY", SAFE),
    (HEX, "webhook_token", SAFE),
    ("users", "CACHE_KEY", NO),
    ("access_token", "TOKEN_KEY", NO),
    # High entropy under a neutral name or none: unsafe.
    (RANDOM, "SOME_VALUE", UNSAFE),
    (HEX, None, UNSAFE),
    # Placeholders and empty values.
    ("changeme", "SECRET_KEY", NO),
    ("change-me-in-production", "SECRET_KEY", NO),
    ("<your-key>", "OPENAI_API_KEY", NO),
    ("your_api_key_here", "API_KEY", NO),
    ("your-secret-key", "SECRET_KEY", NO),
    ("${VAR}", "PASSWORD", NO),
    ("$OPENAI_API_KEY", "OPENAI_API_KEY", NO),
    ("xxx", "TOKEN", NO),
    ("sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "OPENAI_API_KEY", NO),
    ("sk-...", "OPENAI_API_KEY", NO),
    ("", "SECRET", NO),
    ("   ", "PASSWORD", NO),
    ("AKIAIOSFODNN7EXAMPLE", "AWS_ACCESS_KEY_ID", NO),
    ("{{ secret }}", "SECRET", NO),
    # Names that describe a secret without holding it.
    ("HS256", "ALGORITHM", NO),
    ("HS256", "JWT_ALGORITHM", NO),
    ("/auth/token", "TOKEN_URL", NO),
    ("token", "tokenUrl", NO),
    ("30", "ACCESS_TOKEN_EXPIRE_MINUTES", NO),
    ("gpt-4o-mini", "OPENAI_MODEL", NO),
    ("X-API-Key", "API_KEY_HEADER", NO),
    ("X-API-Key", "api_key_name", NO),
    ("bearer", "token_type", NO),
    ("OPENAI_API_KEY", "API_KEY_ENV", NO),
    ("-----BEGIN PUBLIC KEY-----\nMIIBFAKE\n-----END PUBLIC KEY-----", "PUBLIC_KEY", NO),
    ("pk_live_FAKE51HqLyjWDarjtT1zdp7dc0123456789", "STRIPE_PUBLISHABLE_KEY", NO),
    ("1234567890-fake.apps.googleusercontent.com", "GOOGLE_CLIENT_ID", NO),
    (HEX, "FILE_SHA256", NO),
    ("$2b$12$FAKEhashFAKEhashFAKEhashFAKEhashFAKEhashFAKEhash12345", "ADMIN_PASSWORD_HASH", NO),
    ("user:{user_id}", "SESSION_KEY", NO),
    ("Incorrect username or password", "PASSWORD_ERROR", NO),
    ("Enter your password", "password_hint", NO),
    # Look-alikes found in real libraries.
    ("password_get_info", "Password Hashing", NO),
    (".types", "Secret", NO),
    ("app.core.security", "SECRET_MODULE", NO),
    ("[A-Za-z0-9_-]+", "key", NO),
    ("+i6t-not-inline", "token_variants", NO),
    ("TF2_SetPlayerPowerPlay", None, NO),
    ("gss_krb5_import_cred_data", None, NO),
    ("passwd", "password", NO),
    ("test", "SECRET_KEY", NO),
    ("-", "password", NO),
    ("apiKey", "apiKey", NO),
    ("LOCALAPPDATA", "key", NO),
    ("#bygroup", "token", NO),
    # Neutral names with ordinary values.
    ("demo", "APP_NAME", NO),
    ("hunter2", "name", NO),
    ("admin@example.com", "ADMIN_EMAIL", NO),
    ("0.0.0.0", "HOST", NO),
    ("my_super_secret_key_123", None, NO),
]


@pytest.mark.parametrize(("value", "name", "expected"), TABLE)
def test_verdict(value: str, name: str | None, expected: str | None) -> None:
    found = classify(value, name)
    assert (found.verdict.value if found else None) == expected


def test_table_is_large_enough() -> None:
    assert len(TABLE) >= 60
    assert {v for _, _, v in TABLE} == {SAFE, UNSAFE, NO}


@pytest.mark.parametrize(
    ("value", "kind", "variable"),
    [
        (OPENAI_PROJ, "OpenAI API key", "OPENAI_API_KEY"),
        (ANTHROPIC, "Anthropic API key", "ANTHROPIC_API_KEY"),
        (HF, "Hugging Face token", "HF_TOKEN"),
        (GITHUB, "GitHub token", "GITHUB_TOKEN"),
        (GITHUB_PAT, "GitHub token", "GITHUB_TOKEN"),
        (AWS, "AWS access key ID", "AWS_ACCESS_KEY_ID"),
        (GOOGLE, "Google API key", "GOOGLE_API_KEY"),
        (STRIPE, "Stripe secret key", "STRIPE_SECRET_KEY"),
        (SLACK, "Slack token", "SLACK_BOT_TOKEN"),
        (JWT, "JSON Web Token", "ACCESS_TOKEN"),
        (NEON, "credentials URL", "DATABASE_URL"),
        ("redis://:FAKEr3disPa55@cache.fake.io:6379", "credentials URL", "REDIS_URL"),
        ("mongodb://u:FAKEm0ngoPass@mongo.fake.io/db", "credentials URL", "MONGODB_URI"),
        ("amqp://u:FAKEamqpPa55@mq.fake.io//", "credentials URL", "AMQP_URL"),
    ],
)
def test_kind_and_conventional_variable(value: str, kind: str, variable: str) -> None:
    found = recognise(value)
    assert found is not None
    assert (found.kind, found.variable) == (kind, variable)


def test_embedded_secret_span() -> None:
    value = f"Authorization: Bearer {OPENAI_PROJ}"
    found = recognise(value)
    assert found is not None and not found.whole(value)
    assert found.secret(value) == OPENAI_PROJ


def test_url_password_span_and_variable() -> None:
    value = "postgresql://admin:FAKEpw12345@"
    found = recognise(value)
    assert found is not None and found.password_span is not None
    start, end = found.password_span
    assert value[start:end] == "FAKEpw12345"
    assert found.password_variable == "DB_PASSWORD"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("sk-proj-abcdefghijklmnop9o", "sk-p…9o"),
        ("k3y-for-signing!", "k3y-…g!"),
        ("hunter2!x", "hu…"),
        ("hunter2", "…"),
    ],
)
def test_mask(value: str, masked: str) -> None:
    assert mask(value) == masked


def test_masked_forms_never_contain_the_secret() -> None:
    for value, name, _ in TABLE:
        found = classify(value, name)
        if found is not None and len(found.secret(value)) >= 8:
            assert found.secret(value) not in found.masked
            assert found.masked.count("…") == 1


def test_url_mask_hides_the_password() -> None:
    found = classify(NEON, "DATABASE_URL")
    assert found is not None
    assert found.masked == "postgresql://neondb_owner:…@ep-fake-123456.us-east-2.aws.neon.tech"


@pytest.mark.parametrize(
    ("value", "distinctive"),
    [("admin", False), ("supersecret", False), ("k3y-for-signing", True), (RANDOM, True)],
)
def test_distinctive(value: str, distinctive: bool) -> None:
    assert is_distinctive(value) is distinctive


def test_secret_slot_accepts_credential_words() -> None:
    assert classify("secret", "JWT_SECRET") is None
    found = classify("secret", "JWT_SECRET", slot=True)
    assert found is not None and found.verdict is Verdict.SAFE


def test_verdict_enum_values() -> None:
    assert {v.value for v in Verdict} == {SAFE, UNSAFE}
