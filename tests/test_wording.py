"""--check, --dry-run and the API without write speak in the conditional."""

from __future__ import annotations

import re

import pytest

from hffix.wording import conditional
from tests.conftest import CORPUS


@pytest.mark.parametrize(
    ("done", "would"),
    [
        (
            "Dockerfile in a Python Space (SP-HF-02: Docker Spaces are forbidden): deleted; "
            "it installed `httpx`",
            "Dockerfile in a Python Space (SP-HF-02: Docker Spaces are forbidden): would be "
            "deleted; it installed `httpx`",
        ),
        ("added `pydantic`: SP-HF-05 requires it", "would add `pydantic`: SP-HF-05 requires it"),
        (
            "hardcoded secret `ab…` in `KEY = …`: now read from KEY; set it in the Space",
            "hardcoded secret `ab…` in `KEY = …`: would be read from KEY; set it in the Space",
        ),
        (
            "`--port 8000` on a `uvicorn` command line: removed, the Space decides the port",
            "`--port 8000` on a `uvicorn` command line: would be removed, the Space decides "
            "the port",
        ),
        (
            "requirements.txt is missing (...): created",
            "requirements.txt is missing (...): would be created",
        ),
        # Quoted code and longer words are never rewritten.
        ("`added = 1; deleted` holds", "`added = 1; deleted` holds"),
        ("x: createdAt is a field", "x: createdAt is a field"),
        ("`uvicorn.run()` starts its own server", "`uvicorn.run()` starts its own server"),
    ],
)
def test_conditional(done: str, would: str) -> None:
    assert conditional(done) == would


_PAST = re.compile(
    r"(?:^|: |; )(?:deleted|removed|created|added |now read from |wrote |moved |merged |"
    r"commented out|set to |rewritten as |updated |chose )"
)


def test_every_fixable_corpus_finding_reads_in_the_conditional() -> None:
    """Every message the corpus snapshots (``--check`` output) show as fixable keeps no
    outcome in the past tense outside quoted code."""
    messages = [
        line.split(" ", 3)[3]
        for snapshot in CORPUS.glob("*/check.txt")
        for line in snapshot.read_text(encoding="utf-8").splitlines()
        if line.split(" ", 3)[2:3] == ["fixable"]
    ]
    assert len(messages) > 100
    for message in messages:
        prose = " ".join(message.split("`")[0::2])
        assert not _PAST.search(prose), message
        assert conditional(message) == message, "conditional twice changes nothing"
