"""The rule registry. Rules run in the order of :data:`ALL_RULES`.

The order matters where one rule consumes what another left: HF003 reads ``__main__``
blocks before HF002 strips the server calls inside them, so it can tell a block whose
job was to start a server from a script's block.
"""

from __future__ import annotations

from hffix.config import Config
from hffix.rules.base import Rule
from hffix.rules.hf001_entrypoint import Entrypoint
from hffix.rules.hf002_server_start import ServerStartCall
from hffix.rules.hf003_main_block import MainBlock
from hffix.rules.hf004_port import HardcodedPort
from hffix.rules.hf005_secret import HardcodedSecret
from hffix.rules.hf006_docker import Docker
from hffix.rules.hf007_requirements import Requirements
from hffix.rules.hf008_readme import ReadmeFrontMatter
from hffix.rules.hf010_python310 import Python310

ALL_RULES: tuple[type[Rule], ...] = (
    Entrypoint,
    MainBlock,
    ServerStartCall,
    Docker,
    HardcodedPort,
    HardcodedSecret,
    Requirements,  # HF007: after HF006 and HF005 once they are registered
    ReadmeFrontMatter,  # HF008: after HF007
    Python310,  # HF010: last
)

RULES_BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in ALL_RULES}


def selected_rules(config: Config) -> list[type[Rule]]:
    return [rule for rule in ALL_RULES if config.enabled(rule.code)]


def get_rule(code: str) -> type[Rule] | None:
    return RULES_BY_CODE.get(code.upper())
