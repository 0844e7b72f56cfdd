"""Generator: series of short parallel items (:func:`enumerations`: 早发现、早报告、早隔离、早治疗)."""
from __future__ import annotations

import re
from functools import lru_cache
from statistics import median
from typing import Sequence

from ...text import CJK_CLASS
from .match import Match
from .settings import Settings, load_settings
from .words import all_words, has_tag, is_boundary, is_dict_word, tag_hmm

__all__ = ["enumerations"]

_QUOTE_CHARS = "“”「」『』‘’\""


def _series_spans(text: str, s: Settings) -> list[tuple[int, int]]:
    """Spans of ``text`` where a series may lie; a quotation holding a series is its own span.

    The breaks are the miner's own ``sentence_breaks`` (``data/slogans.yaml``), not
    :data:`analysis.text.SENTENCE_ENDS`: besides the ends of sentences they cut at colons,
    brackets, 《》 and ellipses, where no series runs across.
    """
    spans = [(m.start(), m.end()) for m in re.finditer(f"[^{re.escape(s.sentence_breaks)}]+", text)]
    seps = re.escape(s.enumeration_separators)
    rxs = []
    for open_, close in s.quotes:
        if open_ != close:
            excl = re.escape(open_ + close)
            # up to the first separator, then to the closing mark: one way to match, so no
            # backtracking over every separator of an unclosed quotation (“、、、…)
            rxs.append(re.compile(re.escape(open_) + f"[^{excl}{seps}]*[{seps}][^{excl}]*" + re.escape(close)))
    out = []
    for a, b in spans:
        piece = text[a:b]
        cuts = sorted(c for rx in rxs for m in rx.finditer(piece) for c in (a + m.start(), a + m.end() - 1))
        pos = a
        for c in cuts:
            if c > pos:
                out.append((pos, c))
            pos = c + 1
        if pos < b:
            out.append((pos, b))
    return out


def _template(items: Sequence[str]) -> tuple[str, float]:
    """The shared structure of items: (core, regularity).

    Equal lengths: the characters shared at the same position by every item,
    runs of slots shown as one □ (守土有责/守土负责/守土尽责 → 守土□责, regularity 3/4).
    Unequal lengths: the common prefix and suffix (抓实/抓细/抓具体 → 抓□).
    """
    lens = {len(x) for x in items}
    if len(lens) == 1:
        n = lens.pop()
        core, fixed, slot = [], 0, False
        for k in range(n):
            if len({x[k] for x in items}) == 1:
                core.append(items[0][k])
                fixed += 1
                slot = False
            elif not slot:
                core.append("□")
                slot = True
        if fixed == 0 or fixed == n:
            return "", 0.0
        return "".join(core), fixed / n
    pre = _common_prefix(items)
    suf = _common_prefix([x[::-1] for x in items])[::-1]
    if len(pre) + len(suf) >= min(len(x) for x in items):
        suf = ""
    if not pre and not suf:
        return "", 0.0
    mean = sum(len(x) for x in items) / len(items)
    return pre + "□" + suf, (len(pre) + len(suf)) / mean


def _common_prefix(items: Sequence[str]) -> str:
    first = items[0]
    k = 0
    while k < len(first) and all(len(x) > k and x[k] == first[k] for x in items):
        k += 1
    return first[:k]


def _fits(item: str, core: str) -> bool:
    """Does ``item`` fit a template core (□ = one or more slot characters)?"""
    return "□" in core and bool(_core_rx(core).match(item))


@lru_cache(maxsize=4096)
def _core_rx(core: str) -> re.Pattern:
    return re.compile("^" + "".join(".+" if c == "□" else re.escape(c) for c in core) + "$")


_ITEM_RE = re.compile(f"^(?:[{CJK_CLASS}]|[“”「」『』‘’])+$")
_CJK_ONLY_RE = re.compile(f"^[{CJK_CLASS}]+$")


def _clean_item(item: str, s: Settings) -> bool:
    if not (s.item_min_chars <= len(item) <= s.item_max_chars) or not _ITEM_RE.match(item):
        return False
    if _CJK_ONLY_RE.match(item):
        return True
    if len(item) - sum(item.count(q) for q in _QUOTE_CHARS) < s.item_min_chars:
        return False
    return item.count("“") == item.count("”") and item.count("「") == item.count("」")


def _trim_options(seg: str, L: int, core: str, from_end: bool, s: Settings) -> list[tuple[str, int]]:
    """Edge items of length about ``L`` that can be cut out of ``seg`` (its tail, or its head).

    Returns (item, offset in seg) pairs, best first: length ``L``, then ``L − 1`` and
    ``L + 1``. With a template the item must fit it; an item never begins (first item) or
    ends (last item) with a function word (残疾人和, 慈善等). Whether the cut falls on a
    word boundary is checked later (:func:`_cut_ok`), only for series that pass every
    cheaper test.
    """
    out = []
    ftags = s.function_tags
    for n in (L, L - 1, L + 1):
        if n < s.item_min_chars or n > len(seg):
            continue
        off = len(seg) - n if from_end else 0
        item = seg[off : off + n]
        if not _clean_item(item, s) or (core and not _fits(item, core)):
            continue
        edge = item[0] if from_end else item[-1]  # the character at the cut, if there is one
        if n == len(seg) or not has_tag(edge, ftags):
            out.append((item, off))
    return out


def _cut_ok(seg: str, item: str, off: int, from_end: bool) -> bool:
    cut = off if from_end else off + len(item)
    return is_boundary(seg, cut)


def _proper_share(items: Sequence[str], core: str, s: Settings) -> float:
    """Share of items that are names (or whose slot is a name): 宝鸡市 → 宝鸡 (ns)."""
    fixed = set(core.replace("□", ""))
    tags = set(s.proper_tags)
    n = 0
    for it in items:
        body = "".join(c for c in it if c not in _QUOTE_CHARS)
        slot = "".join(c for c in body if c not in fixed) if fixed else body
        if has_tag(body, tags) or (slot and has_tag(slot, tags)):
            n += 1
    return n / len(items)


def enumerations(text: str, *, settings: Settings | None = None) -> list[Match]:
    """Series of short parallel items: 早发现、早报告、早隔离、早治疗; 不麻痹、不放松、不侥幸.

    Inside a sentence (or inside a quotation that holds a series), a *run* is a
    stretch of segments joined by the same separator, 、 or ，. Interior
    segments are the items; they must be ``item_min_chars``–``item_max_chars``
    Chinese characters (quotation marks allowed: 增强“四个意识”). The first and the
    last segment may carry context (切实做到早发现): they give their tail or head
    of the items' median length ``L`` (± 1 when it fits the template). The items'
    template (see :func:`_template`) is the series' ``core``.

    A series is kept when it has at least three items of length ``L ± 1``, or two
    items sharing a template (外防输入、内防反弹; 人民至上、生命至上); two items cut out of
    longer segments must be at most ``pair_max_chars`` long and share a quarter of
    their characters. A run joined by ，needs a template and whole clauses
    (疫情就是命令，防控就是责任). Lists of names (宝鸡市、咸阳市、渭南市; 何文浩、黄俊华、周成方)
    are dropped: half of their items (or slots) are proper nouns for jieba.
    """
    s = settings or load_settings()
    out = set()
    seps = s.enumeration_separators
    sep_rx = re.compile(f"[{re.escape(seps)}]")
    for a, b in _series_spans(text, s):
        sent = text[a:b]
        if not sep_rx.search(sent):
            continue
        segs, pos = [], 0
        for m in sep_rx.finditer(sent):
            segs.append((pos, m.start(), m.group(0)))
            pos = m.end()
        segs.append((pos, len(sent), ""))
        for sep in seps:
            k = 0
            while k < len(segs) - 1:
                if segs[k][2] != sep:
                    k += 1
                    continue
                m = k
                while m < len(segs) - 1 and segs[m][2] == sep:
                    m += 1
                for x in _series(sent, segs[k : m + 1], sep, s):
                    out.add(Match(a + x.start, a + x.end, x.text, x.kind, x.core, x.items, x.regularity))
                k = m
    return sorted(out, key=lambda x: (x.start, -x.end))


def _series(sent: str, run: list[tuple[int, int, str]], sep: str, s: Settings) -> list[Match]:
    """Series in one run of segments (the run is split at interior segments that are not items)."""
    pieces, cur = [], [0]
    for idx in range(1, len(run)):
        cur.append(idx)
        if idx < len(run) - 1 and not _clean_item(sent[run[idx][0] : run[idx][1]], s):
            pieces.append(cur)
            cur = [idx]
    pieces.append(cur)
    out = []
    for piece in pieces:
        if len(piece) >= 2:
            m = _one_series(sent, [run[i] for i in piece], sep, s)
            if m is not None:
                out.append(m)
    return out


def _one_series(sent: str, run: list[tuple[int, int, str]], sep: str, s: Settings) -> Match | None:
    texts = [sent[x:y] for x, y, _ in run]
    interior = texts[1:-1]
    first_seg, last_seg = texts[0], texts[-1]
    if sep != "、" and len(interior) < 2 and (len(first_seg) > s.item_max_chars or len(last_seg) > s.item_max_chars):
        return None  # clauses joined by ，must be short whole clauses
    if interior:
        L = int(median(len(t) for t in interior))
    else:
        L = min(len(first_seg), len(last_seg), s.item_max_chars)
        # fast exit: two items must share a character at the same position
        if L < s.item_min_chars or not any(x == y for x, y in zip(first_seg[-L:], last_seg[:L])):
            return None
    if L < s.item_min_chars:
        return None
    core = _template(interior)[0] if len(interior) >= 2 else ""
    if not core:
        probe = [first_seg[-L:], *interior, last_seg[:L]]
        if len({len(p) for p in probe}) == 1:
            core = _template(probe)[0]
    if not core and (sep != "、" or len(run) < 3):
        return None  # two items, or items joined by ，: only with a shared template
    firsts = _trim_options(first_seg, L, core, True, s) + [None]
    lasts = _trim_options(last_seg, L, core, False, s) + [None]
    for first in firsts:
        for last in lasts:
            m = _check_series(sent, run, sep, interior, first, last, s)
            if m is None:
                continue
            if first is not None and not _cut_ok(first_seg, first[0], first[1], True):
                continue
            if last is not None and not _cut_ok(last_seg, last[0], last[1], False):
                continue
            return m
    return None


def _check_series(sent, run, sep, interior, first, last, s: Settings) -> Match | None:
    """Validate one choice of edge items (everything but word boundaries)."""
    last_seg = sent[run[-1][0] : run[-1][1]]
    items = list(interior)
    if first is not None:
        items.insert(0, first[0])
        start = run[0][0] + first[1]
    elif len(run) > 2:
        start = run[1][0]
    else:
        return None
    if last is not None:
        items.append(last[0])
        end = run[-1][0] + last[1] + len(last[0])
    elif len(run) > 2:
        end = run[-2][1]
    else:
        return None
    if len(items) < 2 or len(set(items)) < len(items):
        return None
    lens = [len(it) for it in items]
    if max(lens) - min(lens) > 2 or any(abs(n - median(lens)) > 1 for n in lens):
        return None
    core, regularity = _template(items)
    if (len(items) < 3 or sep != "、") and not core:
        return None
    trimmed = (first is not None and first[1] > 0) or (last is not None and last[1] + len(last[0]) < len(last_seg))
    if sep != "、" and len(interior) < 2 and trimmed:
        return None  # items joined by ，are whole clauses unless a longer series fixes the template
    if len(items) == 2 and trimmed and (max(lens) > s.pair_max_chars or regularity < 0.25):
        return None
    if _proper_share(items, core, s) >= 0.5:
        return None
    if not core and _names(items, s):
        return None
    equal = len(set(lens)) == 1
    reg = 0.4 * bool(core) + 0.3 * regularity + 0.15 * equal + 0.15 * min(1.0, (len(items) - 1) / 3)
    reg = max(0.0, reg - s.vocabulary_penalty * all_words(items))
    return Match(start, end, sent[start:end], "enumeration", core, tuple(items), round(reg, 4))


def _names(items: Sequence[str], s: Settings) -> bool:
    """Are most items personal or place names (jieba's tagger with HMM, for unknown names)?"""
    if not all(2 <= len(it) <= 3 and not is_dict_word(it) for it in items[:3]):
        return False  # names are short words that jieba's dictionary does not know
    tags = set(s.proper_tags)
    hits = 0
    for k, it in enumerate(items[:3]):
        if tag_hmm(it) in tags:
            hits += 1
            if hits >= 2:
                return True
        elif k == 1 and hits == 0:
            return False  # neither of the first two is a name
    return False
