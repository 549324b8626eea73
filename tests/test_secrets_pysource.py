"""The first pass's helpers: import-map name resolution and the statement walk."""

from __future__ import annotations

import libcst as cst

from hffix.python.importmap import ImportMap, walk_statements
from hffix.secrets.pysource import Fix, scan_module

SOURCE = """\
import os
import os.path as osp
from pydantic_settings import BaseSettings as Base
from decouple import config as cfg
from .local import helper

if True:
    from jwt import encode
"""


def _resolve(imports: ImportMap, expression: str) -> set[str]:
    return {q.name for q in imports(cst.parse_expression(expression))}


def test_import_map_resolves_aliases() -> None:
    imports = ImportMap(cst.parse_module(SOURCE))
    assert _resolve(imports, "os.environ.get") == {"os.environ.get"}
    assert _resolve(imports, "osp.join") == {"os.path.join"}
    assert _resolve(imports, "Base") == {"pydantic_settings.BaseSettings"}
    assert _resolve(imports, "cfg") == {"decouple.config"}
    assert _resolve(imports, "helper") == {".local.helper"}
    assert _resolve(imports, "encode") == {"jwt.encode"}
    assert _resolve(imports, "unknown.thing") == {"unknown.thing"}
    assert _resolve(imports, "f()") == set()


def test_walk_statements_reaches_nested_blocks() -> None:
    module = cst.parse_module(
        "try:\n    import a\nexcept E:\n    import b\nelse:\n    import c\nfinally:\n"
        "    import d\nclass K:\n    def m(self):\n        with x:\n            import e\n"
        "match q:\n    case 1:\n        import f\n"
    )
    found = [
        module.code_for_node(s).strip()
        for s in walk_statements(module)
        if isinstance(s, cst.Import)
    ]
    assert sorted(found) == ["import a", "import b", "import c", "import d", "import e", "import f"]


def test_positions_are_computed_only_for_modules_with_findings() -> None:
    clean = scan_module("clean.py", cst.parse_module('NAME = "demo"\nMODE = "dev"\n'))
    assert clean.sites() == [] and not clean.positions.computed
    dirty = scan_module("dirty.py", cst.parse_module('x = 1\nSECRET_KEY = "k3y-for-signing!"\n'))
    [site] = dirty.sites()
    assert dirty.positions.computed
    assert (site.line, site.col, site.fix) == (2, 14, Fix.REPLACE)
    assert site.string_key[0] == "SimpleString"


def test_distinctive_literals_are_kept_for_repeats() -> None:
    scan = scan_module("a.py", cst.parse_module('x = sign("k3y-for-signing!")\ny = "plain"\n'))
    assert [lit.value for lit in scan.literals({"k3y-for-signing!"})] == ["k3y-for-signing!"]
    assert scan.literals({"other"}) == []
