"""Lifting an app built only inside ``if __name__ == "__main__":`` to module level.

The Space imports the module and never runs the block, so an app created there does not
exist for it (and HF002/HF003 strip such blocks). The statement that binds the app moves
to module level, just above the block, with the statements that configure it (method calls
on it, ``app.state.x = ...``, a re-binding such as ``app = Middleware(app)``, route
functions decorated with it) and the block's imports they use. What starts the server
stays in the block for HF002/HF003. When a moved statement needs a name the block itself
sets (``args = parser.parse_args(); app = create_app(args.config)``) nothing moves:
:class:`CannotLift` says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hffix.python.servers import is_main_guard
from hffix.python.walk import iter_nodes

if TYPE_CHECKING:
    import libcst as cst

COMMENT = '# hffix: moved out of `if __name__ == "__main__":` so the Space can import the app.'


class CannotLift(Exception):
    """The app cannot be moved safely; the message says why."""


def _reads(node: cst.CSTNode) -> set[str]:
    """Plain names a node reads (attribute and keyword names excluded)."""
    import libcst as cst

    names: set[str] = set()
    skip: set[cst.CSTNode] = set()
    for found in iter_nodes(node):  # parents first: an attribute before its name
        if isinstance(found, cst.Attribute):
            skip.add(found.attr)
        elif isinstance(found, cst.Arg) and found.keyword is not None:
            skip.add(found.keyword)
        elif isinstance(found, cst.Name) and found not in skip:
            names.add(found.value)
    return names


def _binds(stmt: cst.BaseStatement) -> set[str]:
    """Names a statement of the block binds."""
    import libcst as cst

    names: set[str] = set()
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        names.add(stmt.name.value)
    if isinstance(stmt, cst.For) and isinstance(stmt.target, cst.Name):
        names.add(stmt.target.value)
    if isinstance(stmt, cst.With):
        for item in stmt.items:
            if item.asname is not None and isinstance(item.asname.name, cst.Name):
                names.add(item.asname.name.value)
    if isinstance(stmt, cst.SimpleStatementLine):
        for small in stmt.body:
            names |= _small_binds(small)
    return names


def _small_binds(small: cst.BaseSmallStatement) -> set[str]:
    import libcst as cst

    names: set[str] = set()
    if isinstance(small, cst.Assign):
        for target in small.targets:
            if isinstance(target.target, cst.Name):
                names.add(target.target.value)
    elif isinstance(small, (cst.AnnAssign, cst.AugAssign)) and isinstance(small.target, cst.Name):
        names.add(small.target.value)
    elif isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(
        small.names, cst.ImportStar
    ):
        for alias in small.names:
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                names.add(alias.asname.name.value)
            else:
                names.add(cst.Module([]).code_for_node(alias.name).split(".")[0])
    return names


def _is_import(stmt: cst.BaseStatement) -> bool:
    import libcst as cst

    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body
    )


def _configures(stmt: cst.BaseStatement, app: str) -> bool:
    """A statement that only configures the app: ``app.x(...)``, ``app.a.b = v``,
    ``app = Wrapper(app, ...)``, or a function decorated with ``@app....``."""
    import libcst as cst

    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        return any(app in _reads(d.decorator) for d in stmt.decorators)
    if not isinstance(stmt, cst.SimpleStatementLine):
        return False
    for small in stmt.body:
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            func = small.value.func
            if not (_rooted_at(func, app) and isinstance(func, cst.Attribute)):
                return False
        elif isinstance(small, cst.Assign):
            targets = [t.target for t in small.targets]
            if all(isinstance(t, cst.Attribute) and _rooted_at(t, app) for t in targets):
                continue
            rebinds = all(isinstance(t, cst.Name) and t.value == app for t in targets)
            if not (rebinds and isinstance(small.value, cst.Call) and app in _reads(small.value)):
                return False
        else:
            return False
    return True


def _rooted_at(node: cst.BaseExpression, name: str) -> bool:
    import libcst as cst

    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name) and node.value == name


def lift_app(module: cst.Module, app: str) -> cst.Module:
    """``module`` with ``app``'s construction moved out of its ``__main__`` block."""
    import libcst as cst

    index = next((i for i, s in enumerate(module.body) if is_main_guard(s)), None)
    if index is None:
        raise CannotLift("no `__main__` block")
    guard = module.body[index]
    assert isinstance(guard, cst.If)
    if not isinstance(guard.body, cst.IndentedBlock):
        raise CannotLift("the block is written on one line")
    body = list(guard.body.body)
    start = next((i for i, s in enumerate(body) if app in _binds(s) and not _is_import(s)), None)
    if start is None:
        raise CannotLift(f"`{app}` is not assigned at the top of the block")
    moved = {start} | {i for i in range(start + 1, len(body)) if _configures(body[i], app)}
    used = set().union(*(_reads(body[i]) for i in moved)) - {app}
    imports = {
        i for i, s in enumerate(body) if i not in moved and _is_import(s) and _binds(s) & used
    }
    kept_binds = set().union(
        *(_binds(s) for i, s in enumerate(body) if i not in moved and i not in imports)
    )
    clash = sorted(used & kept_binds)
    if clash:
        raise CannotLift(f"building it needs `{clash[0]}`, which the block sets")
    order = sorted(imports) + sorted(moved)
    lifted: list[cst.BaseStatement] = []
    for position, i in enumerate(order):
        stmt = body[i]
        if position == 0:
            own = [line for line in _leading(stmt) if line.comment is not None]
            comment = cst.EmptyLine(comment=cst.Comment(COMMENT))
            stmt = stmt.with_changes(leading_lines=[*guard.leading_lines, comment, *own])
        lifted.append(stmt)
    rest = [s for i, s in enumerate(body) if i not in moved and i not in imports]
    new_body = list(module.body[:index]) + lifted
    if rest:
        first = rest[0]
        rest[0] = first.with_changes(
            leading_lines=[line for line in _leading(first) if line.comment is not None]
        )
        block = guard.body.with_changes(body=rest)
        new_body.append(guard.with_changes(body=block, leading_lines=[cst.EmptyLine()]))
    new_body.extend(module.body[index + 1 :])
    return module.with_changes(body=new_body)


def _leading(stmt: cst.BaseStatement) -> list[cst.EmptyLine]:
    import libcst as cst

    if isinstance(stmt, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
        return list(stmt.leading_lines)
    return []
