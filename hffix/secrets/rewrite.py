"""HF005's second pass over one module: apply the planned fixes (see :class:`~.pysource.Fix`).

Nodes are found again by their position (:data:`~.pysource.NodeKey`), computed on the very
module the scan read (no copy), so the plan made by the scan applies node for node. The
transformer itself is in :mod:`hffix.secrets.rewriter`, imported (with libcst) on the first
rewrite.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hffix.python import edits
from hffix.python.imports import FreedImports, ensure_module_import, freed_imports
from hffix.python.names import find_all
from hffix.python.positions import Positions
from hffix.secrets.pysource import Fix, NodeKey, node_key

if TYPE_CHECKING:
    import libcst as cst


@dataclass(frozen=True)
class Action:
    fix: Fix
    variable: str
    quote: str = '"'  # quote style of the literal, reused for the variable name
    raw_secret: str = ""  # EMBED: the text to take out of the string
    settings_none: bool = False  # SETTINGS_DEFAULT: set None instead of removing


def rewrite(
    module: cst.Module,
    strings: Mapping[NodeKey, Sequence[Action]],
    targets: Mapping[NodeKey, Action],
    positions: Positions | None = None,
) -> tuple[cst.Module, set[NodeKey]]:
    """``module`` with the planned fixes, and the keys of the nodes they were applied to.

    ``positions``: the scan's positions of ``module``, if it has them already. Imports that
    only removed statements used are removed with them."""
    import libcst as cst

    from hffix.secrets.rewriter import Rewriter

    positions = positions or Positions(module)
    freed = FreedImports()
    if any(action.fix is Fix.REMOVE_STATEMENT for action in targets.values()):
        removed = [
            stmt
            for stmt in find_all(module, cst.BaseSmallStatement)
            if (action := targets.get(node_key(stmt, positions.range(stmt)))) is not None
            and action.fix is Fix.REMOVE_STATEMENT
        ]
        freed = freed_imports(module, removed)
    rewriter = Rewriter(positions, strings, targets, freed)
    result = module.visit(rewriter)
    if rewriter.needs_os:
        result = ensure_module_import(result, "os")
    return edits.tidy_module_start(module, result), rewriter.applied
