"""Choosing one environment variable per secret, across every module of a repository.

Each :class:`~.pysource.Site` proposes a variable from its place (:func:`proposal`): the one
the code already reads there (``os.getenv("KEY", …)``, a settings field) wins; then a secret
name held by an assignment (``SECRET_KEY = …``); then a keyword, dict key or parameter; then
the convention for the kind of secret (``OPENAI_API_KEY`` for ``sk-…``, ``DATABASE_URL`` for
a Postgres URL). Sites holding the same secret form one group and share the best proposal;
two different secrets never share a variable (the second gets ``_2``).

:func:`repeats` adds the other places where a secret found somewhere appears verbatim, even
where nothing around it says "secret" (``jwt.decode(token, "…")`` next to
``SECRET_KEY = "…"``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from hffix.secrets import names
from hffix.secrets.classify import Verdict, is_distinctive
from hffix.secrets.names import NameSignal
from hffix.secrets.pysource import Fix, Literal, Site


def proposal(site: Site) -> tuple[str, int]:
    """(variable, rank) the place of ``site`` suggests; a lower rank is a better name."""
    context = site.context
    detection = site.detection
    if context.fixed_variable:
        return context.fixed_variable, 0
    embedded_password = site.fix is Fix.EMBED and detection.password_variable is not None
    default = detection.password_variable if embedded_password else detection.variable
    if default is not None and (context.partial or site.fix is Fix.EMBED):
        return default, 3  # the name holds more than the secret ("token " + "ghp_…")
    name = context.name
    if name:
        base = names.env_name(name)
        if base and names.is_url_name(name) and detection.password_span and not embedded_password:
            return base, context.rank
        strength = names.signal(name)
        if base and strength in (NameSignal.STRONG, NameSignal.WEAK):
            if not names.is_generic(base):
                return base, context.rank
            if default is None:
                return names.qualified(context.prefix, base), context.rank
    if default is not None:
        return default, 3
    if name and names.env_name(name):
        return names.qualified(context.prefix, names.env_name(name)), context.rank + 1
    return names.qualified(context.prefix, "SECRET"), 5


def _group_key(site: Site) -> str:
    return site.secret


def assign_variables(sites: Sequence[Site]) -> None:
    """Set :attr:`Site.variable`, :attr:`Site.rank` and a shared verdict on every site."""
    groups: dict[str, list[Site]] = defaultdict(list)
    for site in sites:
        site.variable, site.rank = proposal(site)
        groups[_group_key(site)].append(site)
    taken: dict[str, str] = {}  # variable -> the secret it holds
    numbered: dict[str, int] = {}  # variable -> the number _free tries next after it
    ordered = sorted(groups.values(), key=lambda g: min((s.rank, s.path, s.line, s.col) for s in g))
    for group in ordered:
        best = min(group, key=lambda s: (s.rank, s.path, s.line, s.col))
        variable = best.variable
        secret = _group_key(best)
        if best.rank > 0 and taken.get(variable, secret) != secret:
            # The conventional name is another secret's: the place's own name is better than _2.
            own = [a for s in group if (a := _own_name(s)) and taken.get(a, secret) == secret]
            variable = own[0] if own else _free(variable, secret, taken, numbered)
        taken.setdefault(variable, secret)
        verdict = (
            Verdict.SAFE
            if any(s.detection.verdict is Verdict.SAFE for s in group)
            else Verdict.UNSAFE
        )
        for site in group:
            if site.rank > 0 or site.context.fixed_variable is None:
                site.variable = variable
            if site.detection.verdict is not verdict:
                site.detection = replace(site.detection, verdict=verdict)


def _own_name(site: Site) -> str | None:
    """The variable the place itself suggests (``GITHUB_FINE_GRAINED = …``), if it names one."""
    name = site.context.name
    if not name or site.context.rank > 2 or len(names.words(name)) < 2:
        return None  # `z = …` is no name for a variable
    return names.qualified(site.context.prefix, names.env_name(name))


def _free(variable: str, secret: str, taken: dict[str, str], numbered: dict[str, int]) -> str:
    """``variable``, or the first ``variable_N`` not holding another secret. ``numbered``
    remembers where the search stopped: a thousand secrets under one name cost a thousand
    steps, not half a million."""
    if taken.get(variable, secret) == secret:
        return variable
    number = numbered.get(variable, 2)
    while taken.get(f"{variable}_{number}", secret) != secret:
        number += 1
    numbered[variable] = number
    return f"{variable}_{number}"


def distinctive_secrets(sites: Sequence[Site]) -> dict[str, Site]:
    """Secrets whose every other verbatim occurrence is surely the same secret."""
    known: dict[str, Site] = {}
    for site in sites:
        if (
            site.fix is not Fix.EMBED
            and site.secret == site.value
            and site.detection.verdict is Verdict.SAFE
            and is_distinctive(site.value)
        ):
            known.setdefault(site.value, site)
    return known


def repeats(known: dict[str, Site], literals: Iterable[Literal]) -> list[Site]:
    """New sites for plain literals equal to a secret found at another site."""
    found: list[Site] = []
    for literal in literals:
        origin = known.get(literal.value)
        if origin is None:
            continue
        context = literal.context
        fix = context.fix
        if fix is Fix.REPLACE and context.partial:
            fix = Fix.REPLACE_IN_CONCAT
        site = Site(
            path=literal.path,
            node=literal.node,
            statement=literal.statement,
            value=literal.value,
            secret=literal.value,
            raw_secret=literal.raw,
            detection=origin.detection,
            context=context,
            fix=fix,
            quote=literal.quote,
            notes=["the same value as another finding"],
        )
        site.line, site.col, site.lines = literal.line, literal.col, literal.lines
        site.string_key, site.target_key = literal.string_key, literal.target_key
        found.append(site)
    return found
