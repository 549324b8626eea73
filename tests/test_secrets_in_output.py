"""No report holds a secret: messages that quote the repository are masked.

A repository plants secrets where hffix quotes text back to the user (a Dockerfile's CMD and
ENV, a credentialed pip URL, code left in a ``__main__`` block, a config file); every
output format is scanned for the values and for any run of 8 of their characters.

The second half plants a distinct value in every place hffix reads (code, settings, .env,
Dockerfile ENV/ARG/RUN/CMD, requirements.txt, private keys in a module, in a docstring and
in a .pem, package.json, Procfile, Makefile, a shell script, a notebook, README front
matter, a ``__main__`` block) and scans every channel: ``--check`` in the four formats,
``--write``, the ``--redact`` patch, the Python API, a bulk run's ``--report`` and
``hffix verify --no-boot``. The one output allowed to hold values is the patch of a
``--dry-run`` without ``--redact`` (it removes them); only its standard error is scanned.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import hffix
from hffix.cli import main
from hffix.secrets.redact import mask_text, redact

OPENAI = "sk-proj-Qw7Zr2Lm9Xv4Tn8Bp3Kd6Hs1Jf5Gc0Ay"
GITHUB = "ghp_Vb3Nm8Qw2Er7Ty1Ui6Op4As9Df5Gh0JkLzX"
PASSWORD = "Zq8vX2mLp9rT4wKe"
DB_URL_PASSWORD = "n0tes-Pa55-w0rd-77"

FILES = {
    "backend/Dockerfile": (
        "FROM python:3.10-slim\n"
        "WORKDIR /srv\n"
        "COPY . .\n"
        f"RUN pip install git+https://x-access-token:{GITHUB}@github.com/acme/tools.git\n"
        f'CMD ["sh", "-c", "OPENAI_API_KEY={OPENAI} uvicorn app.main:app --host 0.0.0.0"]\n'
    ),
    "backend/app/__init__.py": "",
    "backend/app/main.py": (
        "import os\n\n"
        "from fastapi import FastAPI\n\n"
        "app = FastAPI()\n\n\n"
        "def seed() -> None:\n"
        "    print(os.environ['DB_PASSWORD'])\n\n\n"
        'if __name__ == "__main__":\n'
        f'    os.environ["DB_PASSWORD"] = "{PASSWORD}"\n'
        "    seed()\n"
    ),
    "backend/alembic.ini": (
        "[alembic]\n"
        f"sqlalchemy.url = postgresql://notes:{DB_URL_PASSWORD}@db.internal.example.com/notes\n"
    ),
    "backend/requirements.txt": "fastapi\nuvicorn\n",
    "README.md": "# Notes\n",
}
SECRETS = (OPENAI, GITHUB, PASSWORD, DB_URL_PASSWORD)
# What every token of a provider starts with: documented, printed in rule docs, not secret.
PUBLIC_PREFIXES = ("sk-proj-", "ghp_")


def _leaks(output: str) -> list[str]:
    found = []
    for secret in SECRETS:
        public = next((p for p in PUBLIC_PREFIXES if secret.startswith(p)), "")
        for start in range(len(public), len(secret) - 7):
            if secret[start : start + 8] in output:
                found.append(f"{secret[:4]}… ({secret[start : start + 8]!r})")
                break
    return found


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
@pytest.mark.parametrize("mode", ["--check", "--write"])
def test_no_output_format_holds_a_planted_secret(
    make_repo: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    output_format: str,
    mode: str,
) -> None:
    root = make_repo(FILES)
    main([mode, "--format", output_format, "--no-color", "-v", str(root)])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Dockerfile" in output  # the findings that quote the repository are there
    assert _leaks(output) == []


def test_mask_text_masks_named_values_and_shapes_and_keeps_the_rest() -> None:
    assert OPENAI not in mask_text(f"CMD `OPENAI_API_KEY={OPENAI} uvicorn main:app`")
    assert "uvicorn main:app" in mask_text(f"CMD `OPENAI_API_KEY={OPENAI} uvicorn main:app`")
    quoted = mask_text(f'runs `os.environ["DB_PASSWORD"] = "{PASSWORD}"`')
    assert PASSWORD not in quoted and "DB_PASSWORD" in quoted
    url = mask_text(f"git+https://x-access-token:{GITHUB}@github.com/acme/tools.git")
    assert GITHUB not in url and "github.com/acme/tools.git" in url
    plain = "merged 3 line(s) from backend/requirements.txt: fastapi, uvicorn, httpx"
    assert mask_text(plain) == plain
    assert mask_text('`LOG_LEVEL=info` and `title = "Notes"`') == (
        '`LOG_LEVEL=info` and `title = "Notes"`'
    )


def test_the_redacted_patch_masks_every_secret_it_shows(
    make_repo: Callable[..., Path], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """--redact: not only the values HF005 moved, but a deleted Dockerfile's ENV and ARG and
    a key on a Procfile line the port fix touches."""
    root = make_repo(
        {
            **FILES,
            "backend/Dockerfile": FILES["backend/Dockerfile"]
            + f"ENV OPENAI_API_KEY={OPENAI}\nARG GITHUB_TOKEN={GITHUB}\n",
            "Procfile": f"web: DB_PASSWORD={PASSWORD} uvicorn main:app --port 8000\n",
        }
    )
    main(["--dry-run", "--redact", "--no-color", str(root)])
    out = capsysbinary.readouterr().out.decode("utf-8", "replace")
    assert "diff --git a/backend/Dockerfile" in out and "Procfile" in out
    assert _leaks(out) == []


# ------------------------------------------------------------------ every place, every channel
# Made-up values, each distinct, none sharing a run of 8 characters with another or with
# anything hffix prints of its own.
PLANTED = {
    "main_environ": "Hq7Lp2Wz9Xc4Vb8N",  # os.environ["DB_PASSWORD"] = ... in __main__
    "main_positional": "Zx9Lm2Qw8Er4Ty6Ui1Op3As7D",  # Client("...") in __main__
    "settings_field": "Kf3Jd8Sa1Lq6Wp0Ez",  # a BaseSettings field's default
    "dotenv": "hf_Qa1Ws2Ed3Rf4Tg5Yh6Uj7Ik8Ol9Pz0XcVb",  # .env
    "docker_env": "sk-proj-Dk4Ev9Nm2Qs7Tz1Lp6Wx3Rb8Hc5Jg0YfAu",  # ENV NAME=value
    "docker_env_legacy": "Pw4Rt9Yu2Io7Pa3Sd",  # ENV NAME value
    "docker_arg": "gsk_Ar7Gm2Bq9Xn4Vc1Lz6Wp3Ks8Jd5Hf0Ty2Ue8Ri4Oa",  # ARG NAME=value
    "docker_run_pip": "ghp_Rn5Pi9Pq2Xw7Lm4Tz8Bv1Hc6Js3Gd0KfAy",  # RUN pip install git+https://
    "docker_cmd": "sk-proj-Cm8Dq3Wn7Xz2Lp5Tv9Rb4Hk1Js6Gf0YeAu",  # CMD with OPENAI_API_KEY=
    "requirements_pip": "ghp_Qr2Eq8Zx5Cv1Bn7Lm4Kj9Hg3Fd6Sa0PoIu",  # git+https:// in requirements
    "module_key": "Kp7Vd9kQ2mZ8xR4wL1tN6yB3cF0hJ5sGa9Wm",  # a private key, one line, \n escapes
    "module_key_lines": "Mr5Tq8Wx2Lm7Vb4Nc1Yp6Hd9Gs0Jk3FeUi7Op",  # a private key over lines
    "module_key_lines_2": "Wq3Er8Ty1Ui6Op2As7Df4Gh9Jk0Lz5Xc3Vb8Nm1Qa6Ws2Ed",
    "docstring_key": "Dk1Qw8Er3Ty7Ui2Op6As4Df9Gh5Jk0Lz3Xc8Vb2Nm7",  # a key in a docstring
    "docstring_key_end": "Lq2Wx7Vc1Bn6",  # its short last line
    "pem_file": "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKL",  # certs/server.pem
    "package_json": "sk-proj-Pj6Kd1Wq8Xs3Lz7Tn2Rv5Hb9Jc4Gm0YeAu",  # package.json
    "procfile": "sk_live_Pf9Cx2Vb7Nm4Lk1Jh6Gf3Dd8Ss5Aa0Qw",  # Procfile NAME=value
    "procfile_flag": "Fl7Ag2Zx9Cv4Bn1Mq",  # Procfile --api-key value
    "makefile": "sk-ant-api03-Mk4Fq9Lz2Xw7Vc1Bn6Tr3Hy8Js5Gd0KfAuEo",  # Makefile recipe
    "makefile_quoted": "Mq5Uo8Te3Dx1Vb6N",  # export PASSWORD="..." in a recipe
    "start_sh": "xai-St8Rs3Qp7Xw2Lz6Vc1Bn5Tr9Hy4Js0GdKfAuEoMi3Nq7Wx1Lz5Vc9Bn2Tr6Hy0Js4",
    "notebook_token": "hf_zdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFR",  # os.environ[...] = in a cell
    "notebook_named": "Nb8Pw2Zx6Cv1Bn9M",  # password = "..." in a cell
    "readme": "AIzaIBXuDL7DxtpYlSXpfKtHF4vUCsMehGAkWvj",  # README front matter
    "alembic": "Ab8Lm3Xy7Pq2Wz6",  # alembic.ini URL password
    "setup_cfg": "In1Pw7Zx3Cv9Bn5M",  # db_password = value in setup.cfg
}
# What every value of a provider starts with: documented, printed in rule docs, not secret.
PLANTED_PREFIXES = ("sk-proj-", "ghp_", "hf_", "gsk_", "sk_live_", "sk-ant-api03-", "xai-", "AIza")


def _planted_repository() -> dict[str, str]:
    p = PLANTED
    one_line_key = (
        "-----BEGIN RSA PRIVATE KEY-----\\n"
        + p["module_key"]
        + "\\n-----END RSA PRIVATE KEY-----\\n"
    )
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": [
                    "import os\n",
                    f'os.environ["HF_TOKEN"] = "{p["notebook_token"]}"\n',
                    f'password = "{p["notebook_named"]}"\n',
                ],
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    package = {
        "name": "web",
        "scripts": {"dev": "vite"},
        "config": {"openaiKey": p["package_json"]},
    }
    return {
        "main.py": (
            '"""Demo.\n\n-----BEGIN OPENSSH PRIVATE KEY-----\n'
            f"{p['docstring_key']}\n{p['docstring_key_end']}==\n"
            '-----END OPENSSH PRIVATE KEY-----\n"""\n'
            "import os\n\nimport uvicorn\nfrom fastapi import FastAPI\n\n"
            "from settings import Settings\n\napp = FastAPI()\n\n\n"
            '@app.get("/")\ndef root() -> dict[str, str]:\n    return {"ok": "yes"}\n\n\n'
            'if __name__ == "__main__":\n'
            f'    os.environ["DB_PASSWORD"] = "{p["main_environ"]}"\n'
            f'    client = Client("{p["main_positional"]}")\n'
            '    uvicorn.run(app, host="0.0.0.0", port=8000)\n'
        ),
        "settings.py": (
            "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
            f'    secret_key: str = "{p["settings_field"]}"\n'
        ),
        "signing.py": f'PRIVATE_KEY = "{one_line_key}"\n',
        "keys.py": (
            'SIGNING_KEY = """-----BEGIN RSA PRIVATE KEY-----\n'
            f"{p['module_key_lines']}\n{p['module_key_lines_2']}\n"
            '-----END RSA PRIVATE KEY-----\n"""\n'
        ),
        "setup.cfg": f"[db]\ndb_password = {p['setup_cfg']}\n",
        ".env": f"HF_TOKEN={p['dotenv']}\n",
        "Dockerfile": (
            "FROM python:3.10-slim\nWORKDIR /app\nCOPY . .\n"
            f"ENV ANTHROPIC_KEY={p['docker_env']}\n"
            f"ENV DB_PASSWORD {p['docker_env_legacy']}\n"
            f"ARG GROQ_API_KEY={p['docker_arg']}\n"
            "RUN pip install "
            f"git+https://x-access-token:{p['docker_run_pip']}@github.com/acme/tools.git\n"
            f'CMD ["sh", "-c", "OPENAI_API_KEY={p["docker_cmd"]} '
            'uvicorn main:app --host 0.0.0.0 --port 8000"]\n'
        ),
        "requirements.txt": (
            "fastapi\nuvicorn\n"
            f"git+https://x-access-token:{p['requirements_pip']}@github.com/acme/lib.git\n"
        ),
        "certs/server.pem": (
            f"-----BEGIN RSA PRIVATE KEY-----\n{p['pem_file']}\n-----END RSA PRIVATE KEY-----\n"
        ),
        "web/package.json": json.dumps(package, indent=2) + "\n",
        "Procfile": (
            f"web: STRIPE_SECRET_KEY={p['procfile']} uvicorn main:app --host 0.0.0.0 "
            f"--port 8000 --api-key {p['procfile_flag']}\n"
        ),
        "Makefile": (
            f'run:\n\texport PASSWORD="{p["makefile_quoted"]}"; \\\n'
            f"\tANTHROPIC_API_KEY={p['makefile']} uvicorn main:app --port 8000\n"
        ),
        "start.sh": (
            f"#!/bin/sh\nexport XAI_API_KEY={p['start_sh']}\n"
            "exec uvicorn main:app --host 0.0.0.0 --port 8000\n"
        ),
        "notebooks/explore.ipynb": json.dumps(notebook, indent=1) + "\n",
        "README.md": f"---\ntitle: Demo\nsdk: gradio\napi_key: {p['readme']}\n---\n\n# Demo\n",
        "alembic.ini": (
            f"[alembic]\nsqlalchemy.url = postgresql://app:{p['alembic']}@db.prod.example.com/app\n"
        ),
    }


def test_the_planted_values_share_no_run_of_8_characters() -> None:
    """So that a leak names the place it comes from."""
    runs = {name: _runs(value) for name, value in PLANTED.items()}
    for name, value in runs.items():
        for other, seen in runs.items():
            assert other == name or not value & seen, (name, other)


def _runs(secret: str) -> set[str]:
    public = next((p for p in PLANTED_PREFIXES if secret.startswith(p)), "")
    return {secret[i : i + 8] for i in range(len(public), len(secret) - 7)}


def _planted_leaks(output: str) -> list[str]:
    """The planted values ``output`` shows whole or by a run of 8 of their characters (past
    a provider's public prefix), by name."""
    found = []
    for name, secret in PLANTED.items():
        public = next((p for p in PLANTED_PREFIXES if secret.startswith(p)), "")
        if any(secret[i : i + 8] in output for i in range(len(public), len(secret) - 7)):
            found.append(name)
    return found


@pytest.fixture
def planted(make_repo: Callable[..., Path]) -> Path:
    root = make_repo(_planted_repository())
    (root / "start.sh").chmod(0o755)
    return root


def _cli(capsysbinary: pytest.CaptureFixture[bytes], *args: str) -> str:
    main(list(args))
    captured = capsysbinary.readouterr()
    return (captured.out + captured.err).decode("utf-8", "replace")


CLI_CHANNELS = {
    "check-text": ["--check", "--no-color", "-v"],
    "check-json": ["--check", "--format", "json"],
    "check-sarif": ["--check", "--format", "sarif"],
    "check-github": ["--check", "--format", "github"],
    "check-json-unsafe": ["--check", "--format", "json", "--unsafe-fixes"],
    "dry-run-redact": ["--dry-run", "--redact", "--no-color", "-v"],
    "dry-run-redact-unsafe": ["--dry-run", "--redact", "--unsafe-fixes", "--no-color", "-v"],
    "write": ["--write", "--no-color", "-v"],
    "verify-no-boot": ["verify", "--no-boot", "--no-color"],
    "verify-no-boot-json": ["verify", "--no-boot", "--format", "json"],
}


@pytest.mark.parametrize("channel", sorted(CLI_CHANNELS))
def test_no_channel_shows_a_planted_value(
    planted: Path, capsysbinary: pytest.CaptureFixture[bytes], channel: str
) -> None:
    output = _cli(capsysbinary, *CLI_CHANNELS[channel], str(planted))
    assert "HF005" in output or "hardcoded-secret" in output  # the findings are there
    assert _planted_leaks(output) == []


def test_a_dry_run_without_redact_shows_values_only_in_its_patch(
    planted: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """The one legitimate exception: the patch removes the values, so it holds them (it
    must apply); the summary on standard error holds none."""
    main(["--dry-run", "--no-color", "-v", str(planted)])
    captured = capsysbinary.readouterr()
    assert _planted_leaks(captured.out.decode("utf-8", "replace"))  # the patch: values
    assert _planted_leaks(captured.err.decode("utf-8", "replace")) == []


def test_the_python_api_shows_no_planted_value(planted: Path) -> None:
    for result in (hffix.check(planted), hffix.fix(planted, unsafe_fixes=True)):
        assert result.error is None
        texts = [f.message for f in result.findings] + [str(d) for d in result.diagnostics]
        assert any(f.code == "HF005" for f in result.findings)
        assert _planted_leaks("\n".join(texts)) == []
        assert _planted_leaks(redact(result.patch, result.facts.secret_values).decode()) == []


def test_a_bulk_report_shows_no_planted_value(
    planted: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    for rel, text in _planted_repository().items():
        (other / rel).parent.mkdir(parents=True, exist_ok=True)
        (other / rel).write_text(text)
    listing = tmp_path / "repos.txt"
    listing.write_text(f"{planted}\n{other}\n")
    report = tmp_path / "report.jsonl"
    output = _cli(
        capsysbinary, "--check", "--repos-from", str(listing), "--report", str(report), "-j", "1"
    )
    lines = report.read_text().splitlines()
    assert len(lines) == 2 and all(json.loads(line)["findings"] for line in lines)
    assert _planted_leaks(report.read_text() + output) == []


def test_every_place_that_holds_a_key_is_reported(planted: Path) -> None:
    """The places this change added, at the line and column the key has on disk."""
    found = {(f.path, f.line, f.col) for f in hffix.check(planted).findings if f.code == "HF005"}
    text = _planted_repository()
    for path, name in [
        ("Procfile", "procfile"),
        ("Procfile", "procfile_flag"),
        ("Makefile", "makefile"),
        ("Makefile", "makefile_quoted"),
        ("start.sh", "start_sh"),
        ("notebooks/explore.ipynb", "notebook_token"),
        ("notebooks/explore.ipynb", "notebook_named"),
    ]:
        line, col = _position(text[path], PLANTED[name])
        assert (path, line, col) in found, (path, name)
    assert ("certs/server.pem", 1, 1) in found


def _position(text: str, value: str) -> tuple[int, int]:
    for number, line in enumerate(text.splitlines(), start=1):
        if value in line:
            return number, line.index(value) + 1
    raise AssertionError(value)


# ------------------------------------------------------------------ mask_text, redact
@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("web: STRIPE_SECRET_KEY=sk_live_Pf9Cx2Vb7Nm4Lk1Jh6Gf3Dd8Ss5Aa0Qw uvicorn", "Pf9Cx2Vb"),
        ("uvicorn main:app --api-key Fl7Ag2Zx9Cv4Bn1Mq --reload", "Fl7Ag2Zx"),
        ("ENV DB_PASSWORD Pw4Rt9Yu2Io7Pa3Sd", "Pw4Rt9Yu"),
        ("db_password = In1Pw7Zx3Cv9Bn5M", "In1Pw7Zx"),
        ("DB_PASSWORD := Rv8Kq3Wz6Tn1Xp4L", "Rv8Kq3Wz"),
        ('    secret_key: str = "Kf3Jd8Sa1Lq6Wp0Ez"', "Kf3Jd8Sa"),
        ('password: Optional[str] = "Kf3Jd8Sa1Lq6Wp0Ez"', "Kf3Jd8Sa"),
        ('client = Client("Zx9Lm2Qw8Er4Ty6Ui1Op3As7D")', "Zx9Lm2Qw"),
        ('"password = \\"Nb8Pw2Zx6Cv1Bn9M\\"\\n",', "Nb8Pw2Zx"),
        ("https://api.example.com/v1/Zx9Lm2Qw8Er4Ty6Ui1Op3As7D/items", "Zx9Lm2Qw"),
        (
            'KEY = "-----BEGIN RSA PRIVATE KEY-----\\nMr5Tq8Wx2Lm\\n-----END RSA PRIVATE KEY-----"',
            "Mr5Tq8Wx",
        ),
    ],
)
def test_mask_text_masks_every_form_of_a_secret(text: str, secret: str) -> None:
    assert secret not in mask_text(text)


def test_mask_text_masks_a_token_before_a_private_key_and_keeps_the_rest() -> None:
    key = "-----BEGIN RSA PRIVATE KEY-----\\nMr5Tq8Wx2Lm\\n-----END RSA PRIVATE KEY-----"
    text = f"token {GITHUB}, then {key} and {OPENAI}."
    assert mask_text(text) == ("token ghp_…zX, then -----BEGIN … PRIVATE KEY----- and sk-p…Ay.")


def test_mask_text_keeps_the_name_and_the_code_around_a_secret() -> None:
    masked = mask_text("web: STRIPE_SECRET_KEY=sk_live_Pf9Cx2Vb7Nm4Lk1Jh6Gf3Dd8Ss5Aa0Qw uvicorn")
    assert masked == "web: STRIPE_SECRET_KEY=sk_l…Qw uvicorn"
    for code in [
        'client = OpenAI(api_key=os.environ.get("OPENAI_API_KEY"))',
        "password=settings.db_password",
        "api_key=self.api_key,",
        "token: list[str] = []",
        "TOKEN=$(cat /run/secrets/token)",
        "uvicorn main:app --host 0.0.0.0 --port 8000 --workers 4 --log-level debug",
        "routers/v2/handlers3.py and app.core.security_settings_module",
        "python_version: 3.10",
    ]:
        assert mask_text(code) == code


def _hunk(*lines: str) -> bytes:
    body = "".join(f"{line}\n" for line in lines)
    return f"diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1,9 +1,8 @@\n{body}".encode()


def test_redact_masks_a_private_key_over_several_lines_of_a_patch() -> None:
    body = ("Mr5Tq8Wx2Lm7Vb4Nc1Yp6Hd9Gs0Jk3FeUi7Op", "Wq3Er8Ty1Ui6", "Lq2Wx7Vc1Bn6==")
    opened = _hunk(
        '-KEY = """-----BEGIN RSA PRIVATE KEY-----',
        *(f"-{line}" for line in body),
        '------END RSA PRIVATE KEY-----"""',
        '+KEY = os.environ.get("KEY")',
    )
    # A hunk that starts inside a key (its first lines out of the context shown).
    inside = _hunk(
        *(f" {line}" for line in body[1:]), " -----END RSA PRIVATE KEY-----", "-import os"
    )
    for patch in (opened, inside):
        redacted = redact(patch, set()).decode()
        assert not any(line[:8] in redacted for line in body), redacted
        assert 'KEY = os.environ.get("KEY")' in redacted or "-import os" in redacted


def test_redact_masks_a_moved_value_of_several_lines_line_by_line() -> None:
    value = "-----BEGIN RSA PRIVATE KEY-----\nAbc123Def456Ghi789\n-----END RSA PRIVATE KEY-----\n"
    patch = _hunk('-KEY = """' + value.split("\n")[0], "-Abc123Def456Ghi789", "-x", "+y")
    assert b"Abc123De" not in redact(patch, {value})


def test_diagnostics_and_errors_never_hold_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Diagnostics and a repository's error may quote the repository (a parser's message,
    an exception's text): both pass through the same masking as findings."""
    from hffix import api
    from hffix.config import Config
    from hffix.repository.workspace import Workspace
    from hffix.rules.hf007_requirements import Requirements
    from hffix.session import Session

    key = "sk-proj-" + "Qm7Zr2Lk9Vt4Xw8Np3Hs6Jd1Fc5Gb0Ay"
    (tmp_path / "main.py").write_text("x = 1\n")
    session = Session(Workspace.load(tmp_path), Config())
    session.diagnose("main.py", f'cannot parse, skipped: line 1: `API_KEY = "{key}"`')

    def broken(self: Requirements, ctx: object) -> None:
        raise KeyError(f"no entry for {key}")

    monkeypatch.setattr(Requirements, "run", broken)
    result = api.check(tmp_path)
    texts = [session.diagnostics["main.py"].message, result.error or ""]
    assert result.error is not None and "HF007 failed" in result.error
    assert not any(key[:12] in text or key[-12:] in text for text in texts), texts
