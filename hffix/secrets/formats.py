"""Provider credential formats: tokens recognisable by their shape alone.

Each :class:`Provider` has a regular expression for the token's published shape (a fixed
prefix followed by a run of token characters), a human label used in messages, and the
environment variable that provider's SDK reads by convention. Publishable keys that are
meant to be public (Stripe ``pk_live_…``, Supabase anon keys) are deliberately absent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from hffix.secrets.placeholders import is_placeholder

_BEFORE = r"(?<![A-Za-z0-9_\-])"
_AFTER = r"(?![A-Za-z0-9_\-])"


@dataclass(frozen=True)
class Provider:
    label: str  # "OpenAI API key"
    variable: str  # conventional environment variable
    pattern: re.Pattern[str]  # group 1 is the random body after the fixed prefix
    prefix: str = ""  # the fixed prefix alone, as a regular expression


@dataclass(frozen=True)
class Match:
    provider: Provider
    start: int
    end: int

    def text(self, value: str) -> str:
        return value[self.start : self.end]


def _provider(label: str, variable: str, prefix: str, body: str) -> Provider:
    return Provider(label, variable, re.compile(f"{_BEFORE}{prefix}({body}){_AFTER}"), prefix)


PROVIDERS: tuple[Provider, ...] = (
    _provider(
        "Anthropic API key",
        "ANTHROPIC_API_KEY",
        r"sk-ant-(?:api|admin)\d\d-",
        r"[A-Za-z0-9_\-]{32,}",
    ),
    _provider(
        "OpenAI API key",
        "OPENAI_API_KEY",
        r"sk-(?:proj|svcacct|admin|None)-",
        r"[A-Za-z0-9_\-]{32,}",
    ),
    _provider("OpenAI API key", "OPENAI_API_KEY", r"sk-", r"[A-Za-z0-9]{32,}"),
    _provider("Groq API key", "GROQ_API_KEY", r"gsk_", r"[A-Za-z0-9]{40,}"),
    _provider("xAI API key", "XAI_API_KEY", r"xai-", r"[A-Za-z0-9]{60,}"),
    _provider("Hugging Face token", "HF_TOKEN", r"hf_", r"[A-Za-z0-9]{30,40}"),
    _provider("Hugging Face token", "HF_TOKEN", r"api_org_", r"[A-Za-z0-9]{30,40}"),
    _provider("GitHub token", "GITHUB_TOKEN", r"gh[pousr]_", r"[A-Za-z0-9]{36,}"),
    _provider("GitHub token", "GITHUB_TOKEN", r"github_pat_", r"[A-Za-z0-9_]{60,}"),
    _provider("GitLab token", "GITLAB_TOKEN", r"glpat-", r"[A-Za-z0-9_\-]{20,}"),
    _provider(
        "AWS access key ID", "AWS_ACCESS_KEY_ID", r"(?:AKIA|ASIA|ABIA|ACCA)", r"[A-Z0-9]{16}"
    ),
    _provider("Google API key", "GOOGLE_API_KEY", r"AIza", r"[A-Za-z0-9_\-]{35}"),
    _provider(
        "Google OAuth client secret", "GOOGLE_CLIENT_SECRET", r"GOCSPX-", r"[A-Za-z0-9_\-]{28}"
    ),
    _provider(
        "Stripe secret key", "STRIPE_SECRET_KEY", r"(?:sk|rk)_(?:live|test)_", r"[A-Za-z0-9]{20,}"
    ),
    _provider("Stripe webhook secret", "STRIPE_WEBHOOK_SECRET", r"whsec_", r"[A-Za-z0-9]{24,}"),
    _provider("Slack token", "SLACK_BOT_TOKEN", r"xox[abposr]-", r"[A-Za-z0-9\-]{10,}"),
    _provider("Slack app token", "SLACK_APP_TOKEN", r"xapp-\d-", r"[A-Za-z0-9\-]{10,}"),
    _provider(
        "Slack webhook URL",
        "SLACK_WEBHOOK_URL",
        r"https://hooks\.slack\.com/services/",
        r"T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]{16,}",
    ),
    _provider(
        "SendGrid API key", "SENDGRID_API_KEY", r"SG\.", r"[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}"
    ),
    _provider("Replicate API token", "REPLICATE_API_TOKEN", r"r8_", r"[A-Za-z0-9]{37}"),
    _provider("npm token", "NPM_TOKEN", r"npm_", r"[A-Za-z0-9]{36}"),
    # An Azure storage account key (64 bytes, base64) in a connection string.
    _provider(
        "Azure storage account key", "AZURE_STORAGE_KEY", r"AccountKey=", r"[A-Za-z0-9+/]{86}=="
    ),
    _provider(
        "LangSmith API key", "LANGSMITH_API_KEY", r"lsv2_(?:pt|sk)_", r"[a-f0-9]{32}_[a-f0-9]{10}"
    ),
    _provider("Pinecone API key", "PINECONE_API_KEY", r"pcsk_", r"[A-Za-z0-9_]{40,}"),
    _provider("Telegram bot token", "TELEGRAM_BOT_TOKEN", r"\d{8,10}:AA", r"[A-Za-z0-9_\-]{33}"),
    _provider(
        "JSON Web Token",
        "ACCESS_TOKEN",
        r"eyJ",
        r"[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{16,}",
    ),
)
PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")
PRIVATE_KEY_LABEL = "private key"
# "Bearer <token>" / "Token <token>" in an Authorization value: the token part.
BEARER = re.compile(r"(?:^|[\s\"'])(?:Bearer|Token|token|bearer)\s+([A-Za-z0-9._~+/\-]{20,}=*)")


# What every shape :func:`hffix.secrets.classify.recognise` knows holds: a provider's fixed
# prefix, ``://`` (credentials URLs), the private key marker, the bearer words. One search
# of this rules out most strings at once (a data module's hundred thousand literals), where
# the patterns one by one cost twenty searches each.
SHAPE_HINT = re.compile(
    "|".join(
        (
            *dict.fromkeys(provider.prefix for provider in PROVIDERS),
            "://",
            "-----BEGIN ",
            "Bearer|Token|token|bearer",
        )
    )
)


def may_have_shape(value: str) -> bool:
    """False only if no provider token, credentials URL, private key or bearer token can be
    found in ``value`` (a necessary condition of :func:`hffix.secrets.classify.recognise`)."""
    return SHAPE_HINT.search(value) is not None


def _body_is_placeholder(match: re.Match[str]) -> bool:
    body = match.group(1)
    if is_placeholder(body) or len(set(body.lower())) <= 4:
        return True
    lower = body.lower()
    return any(w in lower for w in ("your", "xxxx", "example", "placeholder", "here"))


def provider_matches(value: str) -> Iterator[Match]:
    """Every provider token in ``value``, left to right, placeholders (``sk-xxxx…``) skipped."""
    taken: list[tuple[int, int]] = []
    for provider in PROVIDERS:
        for match in provider.pattern.finditer(value):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            if _body_is_placeholder(match):
                continue
            taken.append((start, end))
            yield Match(provider, start, end)


def first_provider_match(value: str) -> Match | None:
    found = sorted(provider_matches(value), key=lambda m: m.start)
    return found[0] if found else None
