"""A pathological module never takes the run down: the rest of the repository is fixed.

Each module here is valid Python that some parser cannot take: libcst's native parser
crashed the process (SIGSEGV) on a 10,000-term chain, and its visitors overflowed the stack
on deep nesting, which aborted the whole repository as an internal error. The modules are
generated here, not committed. hffix runs in a subprocess, so a crash shows as its exit
status instead of killing the test run.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REQUIREMENTS = "fastapi\nuvicorn\npydantic\nsqlmodel\npython-dotenv\n"
MAIN = "from fastapi import FastAPI\n\nimport config\nimport hostile\n\napp = FastAPI()\n"
# A secret elsewhere in the repository: it must still be fixed.
CONFIG = 'OPENAI_API_KEY = "sk-proj-Qw7Zr2Lm9Xv4Tn8Bp3Kd6Hs1Jf5Gc0Ay"\n'

HOSTILE = {
    "chain-10000": 'import uvicorn\nTOKEN = "a8f3k2m9x7q1w5e4"\nx = ' + "+".join(["1"] * 10_000),
    "chain-1000": "import uvicorn\nx = " + "+".join(["1"] * 1_000) + "\nuvicorn.run(x)",
    "brackets-190": "import uvicorn\nx = " + "[" * 190 + "]" * 190 + "\nuvicorn.run(x)",
    "calls-150": "import uvicorn\nx = " + "f(" * 150 + "1" + ")" * 150 + "\nuvicorn.run(x)",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_pathological_module_is_skipped_and_the_rest_is_fixed(
    make_repo: Callable[..., Path], name: str
) -> None:
    root = make_repo(
        {
            "main.py": MAIN,
            "config.py": CONFIG,
            "hostile.py": HOSTILE[name] + "\n",
            "requirements.txt": REQUIREMENTS,
        }
    )
    proc = subprocess.run(
        [sys.executable, "-m", "hffix", "--write", "--no-color", "-v", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "internal error" not in proc.stderr
    assert "hostile.py: warning: nested more than 100 levels deep: not edited" in proc.stderr
    assert "sk-proj-" not in (root / "config.py").read_text()  # the secret was still moved
    assert (root / "hostile.py").read_text() == HOSTILE[name] + "\n"
