"""Variant families: candidates grouped around their best-ranked member (:func:`families`)."""
from __future__ import annotations

from collections import defaultdict
from typing import Mapping, Sequence

from ...text import NUMERAL_CHARS
from .candidates import Candidate
from .words import is_dict_word, tag

__all__ = ["families", "content_chars"]

#: Characters that are never content: separators, quotation marks, the template's slot mark.
_NOT_CONTENT = frozenset("、，,；;“”‘’「」『』\"'□ ") | NUMERAL_CHARS


def content_chars(c: Candidate) -> frozenset[str]:
    """The characters of a candidate beyond its template: its text without the core's fixed
    characters, numerals, separators and quotation marks (从严从紧从细 with core 从□: 严紧细)."""
    fixed = set(c.core().replace("□", ""))
    return frozenset(ch for ch in c.text if ch not in fixed and ch not in _NOT_CONTENT)


def _number(c: Candidate) -> bool:
    return all(ch in NUMERAL_CHARS for ch in c.text)


def _vocabulary(item: str) -> bool:
    """An ordinary dictionary word (not an idiom): 科技, 教育 — shared by lists that have nothing else in common."""
    return is_dict_word(item) and tag(item) not in ("i", "l")


def _overlap(a: str, b: str) -> bool:
    """Do two items count as shared: equal, or one (3+ characters) inside the other?"""
    return a == b or (min(len(a), len(b)) >= 3 and (a in b or b in a))


def _linked(x: Candidate, y: Candidate) -> bool:
    """Are two candidates variants of one formulation? (See :func:`families`.)"""
    if _number(x) or _number(y):
        return False
    xu, yu = x.items(), y.items()
    shared = sum(1 for a in xu if any(_overlap(a, b) for b in yu))
    core = x.core()
    if core and core == y.core() and content_chars(x) & content_chars(y):
        fixed = len(core.replace("□", ""))
        if fixed >= 2 or shared >= 1:
            return True
    if x.units.get("enumeration") and y.units.get("enumeration"):
        meaningful = sum(1 for a in xu if not _vocabulary(a) and any(_overlap(a, b) for b in yu))
        if meaningful >= 2:
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

    Candidates with items (series, affix patterns) are taken first, in rank order, then
    the others. Each one joins the family of the first (best-ranked) family *leader* it
    is linked to, or leads a new family; linking to leaders only (never to other members)
    keeps families from chaining. A family is labelled with its best-ranked member. Two candidates
    are linked when

    (a) they have the same core (template or affix), share content characters beyond
        it (:func:`content_chars`: a template alone is a device, not a meaning, so 实而又实
        and 严而又严, or 形式主义、官僚主义 and 帝国主义、殖民主义, stay apart), and the core
        holds at least two fixed characters (守土□责: 守土有责、守土负责、守土尽责 and
        守土有责、守土担责、守土尽责) or they share an item or unit (从□: 从严从紧从细 and
        从严、从实、从快 share 从严);
    (b) two series share at least two items that are not ordinary dictionary words, an
        item counting as shared when it equals, contains or is contained in an item of the
        other (守土有责 in 守土有责不动摇; 科技、教育 shared by two lists of fields is not);
    (c) a single formulation is an item of a series that has a core (外防输入 in
        外防输入、内防反弹).

    A number (二千二百) is never linked to anything.
    """
    index: dict[tuple[str, str], list[str]] = defaultdict(list)
    family: dict[str, str] = {}
    rank = {t: i for i, t in enumerate(ranked)}
    # candidates with items (series, affix patterns) lead first, so two single formulations
    # that are items of one series (守土有责, 守土尽责) meet in its family; the family is then
    # named after its best-ranked member
    order = sorted(ranked, key=lambda t: (not cands[t].items(), rank[t]))
    for t in order:
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
    best: dict[str, str] = {}
    for t in ranked:
        best.setdefault(family[t], t)
    return {t: best[family[t]] for t in ranked}
