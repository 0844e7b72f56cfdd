"""Variant families: candidates grouped around their best-ranked member (:func:`families`)."""
from __future__ import annotations

from collections import defaultdict
from typing import Mapping, Sequence

from .candidates import Candidate

__all__ = ["families"]


def _overlap(a: str, b: str) -> bool:
    """Do two items count as shared: equal, or one (3+ characters) inside the other?"""
    return a == b or (min(len(a), len(b)) >= 3 and (a in b or b in a))


def _linked(x: Candidate, y: Candidate) -> bool:
    """Are two candidates variants of one formulation? (See :func:`families`.)"""
    xu, yu = x.items(), y.items()
    shared = sum(1 for a in xu if any(_overlap(a, b) for b in yu))
    core = x.core()
    if core and core == y.core():
        fixed = len(core.replace("□", ""))
        if fixed >= 2 or shared >= 1:
            return True
    if x.units.get("enumeration") and y.units.get("enumeration") and shared >= 2:
        return True
    if not xu and y.core() and x.text in yu:
        return True
    if not yu and x.core() and y.text in xu:
        return True
    return False


def _keys(c: Candidate) -> set[tuple[str, str]]:
    """Where a family leader is indexed: its text, core, items and their parts of 3+ characters."""
    keys = {("u", c.text)}
    core = c.core()
    if core:
        keys.add(("c", core))
    for u in c.items():
        keys.add(("u", u))
        keys.update(("s", u[a:b]) for a in range(len(u)) for b in range(a + 3, len(u) + 1))
    return keys


def families(ranked: Sequence[str], cands: Mapping[str, Candidate]) -> dict[str, str]:
    """Group variants into families around their best-ranked member; text -> family label.

    Candidates are taken in rank order. Each one joins the family of the first
    (best-ranked) family *leader* it is linked to, or leads a new family; linking to
    leaders only (never to other members) keeps families from chaining. Two candidates
    are linked when

    (a) they have the same core (template or affix) and the core holds at least two
        fixed characters (守土□责: 守土有责、守土负责、守土尽责 and 守土有责、守土担责、守土尽责;
        □而又□: 实而又实 and 严而又严), or a one-character core and a shared item or unit
        (从□: 从严从紧从细 and 从严、从实、从快 share 从严; 一□: 一企一策 and 一县一策 share
        一策, while 一带一路 stays apart);
    (b) two series share at least two items, an item counting as shared when it equals,
        contains or is contained in an item of the other (守土有责 in 守土有责不动摇);
    (c) a single formulation is an item of a series that has a core (外防输入 in
        外防输入、内防反弹).
    """
    index: dict[tuple[str, str], list[str]] = defaultdict(list)
    family: dict[str, str] = {}
    rank = {t: i for i, t in enumerate(ranked)}
    for t in ranked:
        c = cands[t]
        keys = _keys(c)
        leaders = sorted({ld for k in keys for ld in index.get(k, ())}, key=rank.__getitem__)
        for ld in leaders:
            if _linked(c, cands[ld]):
                family[t] = ld
                break
        else:
            family[t] = t
            for k in keys:
                index[k].append(t)
    return family
