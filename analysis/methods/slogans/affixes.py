"""Generator: repeated-affix patterns (:func:`affix_patterns`: 再部署再检查再落实, 应检尽检, 实而又实)."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from typing import Iterable, Sequence

from ...text import CJK_CLASS
from .match import Match
from .settings import Settings, load_settings
from .words import has_tag, is_dict_word, window_bounds

__all__ = ["affix_patterns", "needs_confirmation", "filler"]

_CJK_RUN_RE = re.compile(f"[{CJK_CLASS}]+")


def _parse_prefix(run: str, i: int, plen: int, s: Settings) -> list[tuple[int, tuple[str, ...]]]:
    """P S1 P S2 … at ``i``: every (end, units) with at least two units.

    A pattern's units are all different (:func:`affix_patterns` drops any other), so the
    parse stops with nothing at the first unit that repeats one before it: a run of one
    character (一一一…) or any periodic stretch is not walked to its end, and each parse
    reads at most as many units as it keeps.
    """
    P = run[i : i + plen]
    results = []
    j, units, seen = i, [], set()
    while run[j : j + plen] == P:
        nxt = None
        for k in range(1, s.slot_max_chars + 1):
            slot = run[j + plen : j + plen + k]
            if len(slot) < k or P in slot:
                break
            if run[j + plen + k : j + plen + k + plen] == P:
                nxt = k
                break
        if nxt is None:
            if units:
                for k in range(1, s.slot_max_chars + 1):
                    slot = run[j + plen : j + plen + k]
                    if len(slot) < k or P in slot:
                        break
                    results.append((j + plen + k, (*units, P + slot)))
            break
        unit = P + run[j + plen : j + plen + nxt]
        if unit in seen:
            return []  # every result would repeat this unit
        seen.add(unit)
        units.append(unit)
        j += plen + nxt
    return results


def _parse_suffix(run: str, i: int, slen: int, plen: int, s: Settings) -> tuple[int, tuple[str, ...]] | None:
    """S1 P S2 P … at ``i`` (应检尽检): the affix P follows each slot.

    As in :func:`_parse_prefix`, a unit that repeats an earlier one ends the parse with
    nothing, since a pattern's units are all different.
    """
    P = run[i + slen : i + slen + plen]
    if len(P) < plen:
        return None
    units, seen, j = [], set(), i
    while True:
        ok = None
        for k in ((slen,) if not units else range(1, s.slot_max_chars + 1)):
            slot = run[j : j + k]
            if len(slot) == k and P not in slot and run[j + k : j + k + plen] == P:
                ok = k
                break
        if ok is None:
            break
        unit = run[j : j + ok] + P
        if unit in seen:
            return None  # the pattern would repeat this unit
        seen.add(unit)
        units.append(unit)
        j += ok + plen
    return (j, tuple(units)) if len(units) >= 2 else None


def _units_ok(run: str, i: int, units: Sequence[str], affix: str, prefix: bool, bounds: set[int]) -> bool:
    """Each unit is one word, or the affix is a word of its own inside it."""
    pos = i
    for u in units:
        end = pos + len(u)
        if pos not in bounds or end not in bounds:
            return False
        a_start, a_end = (pos, pos + len(affix)) if prefix else (end - len(affix), end)
        if not (is_dict_word(u) or (a_start in bounds and a_end in bounds)):
            return False
        pos = end
    return True


_RECUR_RE = re.compile(f"(?=([{CJK_CLASS}]{{1,2}})[{CJK_CLASS}]{{1,2}}\\1)")


def affix_patterns(text: str, *, settings: Settings | None = None) -> list[Match]:
    """Repeated-affix patterns inside punctuation-free runs.

    * prefix: P S1 P S2 (P S3 …) — 再部署再检查再落实, 从严从紧从细, 压紧压实, 抓实抓细抓具体;
    * suffix: S1 P S2 P — 应检尽检, 应接尽接;
    * frame: X M1 M2 X — 实而又实, 紧而又紧.

    The affix P is 1–``affix_max_chars`` characters, each slot 1–``slot_max_chars``
    (a longer last slot must be a word: 抓具体). A frame needs word boundaries around
    its middle and at its end. Word boundaries (jieba, general dictionary) decide where a pattern may start
    and end and that each unit is a word or the affix a word of its own inside it
    (so 从严从紧从细落实 gives 从严从紧从细, and 放假不放松 gives nothing). Neither the
    affix nor a slot is a function word (``function_tags``), the affix is not a name
    (``proper_tags``), and a pattern whose units are all
    dictionary nouns (市委市政府) is a list of names, not a formulation; nor are dictionary
    words of different lengths that share a first character (增加值增长). The units of a
    prefix or suffix pattern are all different: a unit that comes back is repetition
    (一一一…, 口口口… in OCR text), so the parse stops there and the time stays linear in
    the length of such a run.

    ``core`` is P□ (prefix), S1□S2□ (suffix) or □M1M2□ (frame). Suffix patterns and
    frames are only kept by :func:`find_slogans` when their core occurs with at least
    ``frame_min_fillers`` different fillers in the corpus (应□尽□: 应检尽检, 应接尽接),
    which separates a productive pattern from a chance repetition.
    """
    s = settings or load_settings()
    ftags, ntags, ptags = set(s.function_tags), set(s.noun_tags), set(s.proper_tags)
    out = []
    amax, smax = s.affix_max_chars, s.slot_max_chars
    for run_m in _CJK_RUN_RE.finditer(text):
        run, base = run_m.group(0), run_m.start()
        n = len(run)
        if n < 4:
            continue
        hits = []
        cands_at: dict[int, list] = defaultdict(list)
        for q in _RECUR_RE.finditer(run):  # every pattern has a 1–2 character unit that recurs
            i, P = q.start(), q.group(1)
            plen = len(P)
            if plen > amax:
                continue
            for end, units in _parse_prefix(run, i, plen, s):
                cands_at[i].append((0, end, units, P, P + "□"))
            for slen in range(1, smax + 1):
                if i - slen >= 0:
                    r = _parse_suffix(run, i - slen, slen, plen, s)
                    if r is not None:
                        core = "".join(u[:-plen] + "□" for u in r[1])
                        cands_at[i - slen].append((1, r[0], r[1], P, core))
            if plen == 1 and i + 3 < n and run[i + 3] == P and P not in run[i + 1 : i + 3]:
                cands_at[i].append((2, i + 4, (P, run[i + 1 : i + 3], P), P, "□" + run[i + 1 : i + 3] + "□"))
        for i in sorted(cands_at):
            cand = cands_at[i]
            for typ, end, units, affix, core in cand:
                if has_tag(affix, ftags) or has_tag(affix, ptags):
                    continue
                if typ != 2:
                    slots = [u[len(affix):] if typ == 0 else u[: -len(affix)] for u in units]
                    if any(has_tag(x, ftags) for x in slots):
                        continue
                    longest = max(len(x) for x in slots[:-1])
                    if typ == 0 and len(slots[-1]) > longest and not is_dict_word(slots[-1]):
                        continue
                bounds = window_bounds(run, i, end)
                # a frame may start inside a word (要紧而又紧: 要紧 is one word); its inner
                # boundaries, checked below, show the frame itself
                if (i not in bounds and typ != 2) or end not in bounds:
                    continue
                if typ == 2:
                    if not (i + 1 in bounds and end - 1 in bounds):
                        continue
                    reg = 0.5
                else:
                    if len(set(units)) < len(units) or all(has_tag(u, ntags) for u in units):
                        continue
                    if len({len(u) for u in units}) > 1 and all(is_dict_word(u) for u in units):
                        continue  # 增加值/增长: two words that merely share a first character
                    if not _units_ok(run, i, units, affix, typ == 0, bounds):
                        continue
                    reg = min(1.0, 0.5 + 0.25 * (len(units) - 1)) * (1.0 if len({len(u) for u in units}) == 1 else 0.8)
                hits.append((typ, Match(base + i, base + end, run[i:end], "affix", core, tuple(units), round(reg, 4))))
        # where patterns overlap keep prefix patterns first, then frames, then suffix
        # patterns, and the longest of each type
        hits.sort(key=lambda h: ((0, 2, 1)[h[0]], -(h[1].end - h[1].start), h[1].start))
        out += _first_disjoint(h for _, h in hits)
    return sorted(set(out), key=lambda m: (m.start, m.end))


def _first_disjoint(matches: Iterable[Match]) -> list[Match]:
    """Each match that overlaps none of those kept before it, in the given order.

    The kept matches are disjoint, so, sorted by start, their ends are sorted too: the
    last one starting before a match ends is the only one that can overlap it.
    """
    starts: list[int] = []
    ends: list[int] = []
    taken = []
    for m in matches:
        k = bisect_left(starts, m.end)  # kept matches starting before m ends: the first k
        if k and ends[k - 1] > m.start:
            continue
        starts.insert(k, m.start)
        ends.insert(k, m.end)
        taken.append(m)
    return taken


def needs_confirmation(m: Match) -> bool:
    """Suffix patterns and frames need corpus-level confirmation (see :func:`affix_patterns`)."""
    prefix = m.core.endswith("□") and m.core.count("□") == 1 and not m.core.startswith("□")
    return m.kind == "affix" and not prefix


def filler(m: Match) -> str:
    """What fills the slots of a suffix pattern or frame: 应接尽接 (应□尽□) → 接, 实而又实 → 实."""
    rx = "^" + "".join("(.+?)" if c == "□" else re.escape(c) for c in m.core) + "$"
    g = re.match(rx, m.text)
    return g.group(1) if g else m.text
