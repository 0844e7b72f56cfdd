"""Mine the recurring formulations (提法) of a corpus and track them across groups.

Chinese policy language runs on fixed formulations: quoted slogans (“动态清零”),
numbered formulas (四个意识, 五位一体, 三区两通道), series of short parallel
clauses (早发现、早报告、早隔离、早治疗), repeated-affix patterns (再部署再检查再落实,
从严从紧从细, 压紧压实, 实而又实) and longer phrases that recur word for word from one
document to the next. :func:`find_slogans` finds them in any corpus, with no list
of expected answers: five *generators* propose candidates from the clean
(Simplified) text, identical candidates are merged, every candidate is counted
in every document, variants are grouped into *families* and the result is ranked.

Generators (each also public, so it can be tried on a single text):

* :func:`quoted_phrases` — text between quotation marks, with length limits.
* :func:`numbered_formulations` — a Chinese numeral followed by a head word,
  never a date or a quantity (2月4日, 一名, 24小时 are rejected by the measure
  words in ``data/slogans.yaml``).
* :func:`enumerations` — series of short items of similar length joined by 、
  (or by ，when the items share a template), reported whole.
* :func:`affix_patterns` — a repeated prefix (再部署再检查再落实), a repeated
  suffix (应检尽检) or a reduplication frame (实而又实).
* :func:`recurring_ngrams` — character n-grams inside punctuation-free runs that
  recur in several documents and are *closed* (kept maximal).

Around the miner: :func:`slogan_occurrences` (every occurrence, tidy),
:func:`slogan_matrix` (document × slogan counts), :func:`sharing` (shared by all
groups, by some, by one), :func:`family_table` (variants side by side),
:func:`position_profile` (where slogans sit along documents), the bilingual glossary
(:func:`load_glossary`, :func:`glossary_join`, :func:`missing_glosses`, :func:`pinyin`)
and :func:`lexicon_candidates` for the reviewed step into the segmentation lexicon.
Figures are in :mod:`analysis.plots.slogans`.

All settings (quotation marks, numerals, measure words, word classes, ranking
weights) live in ``data/slogans.yaml``. Word boundaries come from jieba's own
general dictionary, never from the project lexicon, so the miner is not told
the formulations it should find. See ``docs/feeding-the-lexicon.md`` for how
mined formulations reach the lexicon (a reviewed step, never automatic).
"""
from __future__ import annotations

import csv
import logging
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from statistics import median
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .text import CJK_CLASS
from .corpus import Corpus
from .config import DEFAULT_BY
from .config import data_file

__all__ = [
    "KINDS",
    "SLOGAN_COLUMNS",
    "Match",
    "load_settings",
    "quoted_phrases",
    "numbered_formulations",
    "enumerations",
    "affix_patterns",
    "recurring_ngrams",
    "text_candidates",
    "find_slogans",
    "slogan_occurrences",
    "slogan_matrix",
    "sharing",
    "family_table",
    "position_profile",
    "lexicon_candidates",
    "write_lexicon_candidates",
    "OCCURRENCE_COLUMNS",
    "load_glossary",
    "pinyin",
    "glossary_join",
    "missing_glosses",
]

#: Kinds of formulation, most specific first: a text found by several generators
#: is reported under the first of its kinds in this order.
KINDS = ("numbered", "affix", "enumeration", "quoted", "ngram", "title")

#: Columns of :func:`find_slogans`' result, in order.
SLOGAN_COLUMNS = [
    "rank", "slogan", "kind", "family", "core", "count", "n_docs", "documents", "n_groups", "groups",
    "score", "evidence", "length", "context",
]

_CJK_RE = re.compile(f"[{CJK_CLASS}]")
_CJK_RUN_RE = re.compile(f"[{CJK_CLASS}]+")
_DIGITS = "0123456789"
_QUOTE_CHARS = "“”「」『』‘’\""


def _is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def _n_cjk(s: str) -> int:
    return len(_CJK_RE.findall(s))


# --------------------------------------------------------------------------- settings


class Settings:
    """The miner's settings, read from ``data/slogans.yaml`` (see the comments there).

    Every key of the file is an attribute (``settings.quantity_units``); ``raw`` is the
    parsed file.
    """

    def __init__(self, raw: Mapping):
        self.raw = dict(raw)
        self.__dict__.update(self.raw)

    def __repr__(self) -> str:
        return f"Settings({len(self.raw)} keys)"


@lru_cache(maxsize=4)
def _settings_cached(path: str) -> Settings:
    import yaml

    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    required = {"quotes", "numerals", "quantity_units", "priors", "function_tags"}
    missing = required - set(raw)
    if missing:
        raise ValueError(f"{path}: missing settings {sorted(missing)}")
    return Settings(raw)


def load_settings(path: str | Path | None = None) -> Settings:
    """Read the miner's settings (default ``data/slogans.yaml``)."""
    return _settings_cached(str(Path(path) if path else data_file("slogans.yaml")))


# --------------------------------------------------------------------------- jieba (general dictionary only)


@lru_cache(maxsize=1)
def _jieba():
    """jieba with its general dictionary only: the project lexicon is *not* loaded."""
    import jieba
    import jieba.posseg

    logging.getLogger("jieba").setLevel(logging.ERROR)
    jieba.setLogLevel(logging.ERROR)
    tk = jieba.Tokenizer()
    tk.initialize()
    pos = jieba.posseg.POSTokenizer(tk)
    return tk, pos.word_tag_tab, pos


@lru_cache(maxsize=200_000)
def _cut(text: str) -> tuple[str, ...]:
    tk = _jieba()[0]
    return tuple(tk.cut(text, HMM=False))


@lru_cache(maxsize=200_000)
def _bounds(text: str) -> frozenset[int]:
    """Offsets in ``text`` where a jieba word starts or ends (0 and len included).

    The same maximum-probability route through jieba's dictionary as
    ``jieba.cut(text, HMM=False)``, without its per-call overhead (the text here is a
    short window of Chinese characters).
    """
    tk = _jieba()[0]
    route: dict = {}
    tk.calc(text, tk.get_DAG(text), route)
    out, x, n = {0}, 0, len(text)
    while x < n:
        x = route[x][1] + 1
        out.add(x)
    return frozenset(out)


def _spanned(text: str, cut: int, reach: int = 7) -> bool:
    """Is there a dictionary word of two or more characters across ``cut``?

    jieba (without HMM) only makes dictionary words and single characters, so when no
    dictionary word spans a position, that position is a word boundary whatever the
    context. Its prefix dictionary (prefixes are stored with frequency 0) lets the
    search stop early.
    """
    freq = _jieba()[0].FREQ
    n = len(text)
    for a in range(max(0, cut - reach), cut):
        b = a + 1
        while b <= n:
            f = freq.get(text[a:b])
            if f is None:
                break
            if b > cut and f > 0:
                return True
            b += 1
    return False


def _is_boundary(text: str, cut: int, pad: int = 4) -> bool:
    """Is ``cut`` a jieba word boundary of ``text``? (Start and end always are.)

    Decided by :func:`_spanned` when no word spans it, else by segmenting only
    ``pad`` characters either side, so the cost does not grow with the sentence.
    """
    if cut <= 0 or cut >= len(text):
        return True
    if not _spanned(text, cut):
        return True
    lo, hi = max(0, cut - pad), min(len(text), cut + pad)
    return (cut - lo) in _bounds(text[lo:hi])


def _window_bounds(text: str, a: int, b: int, pad: int = 4) -> set[int]:
    """Word boundaries of ``text`` between ``a`` and ``b``, from one jieba call on a window
    reaching ``pad`` characters beyond either end (its artificial edges are left out)."""
    lo, hi = max(0, a - pad), min(len(text), b + pad)
    out = {lo + k for k in _bounds(text[lo:hi])}
    if lo > 0:
        out.discard(lo)
    if hi < len(text):
        out.discard(hi)
    return out


def _tag(word: str) -> str | None:
    """jieba's dictionary tag of ``word`` (None if it is not a dictionary word)."""
    return _jieba()[1].get(word)


def _is_dict_word(word: str) -> bool:
    return _jieba()[0].FREQ.get(word, 0) > 0


def _has_tag(word: str, tags: Iterable[str]) -> bool:
    t = _tag(word)
    return t is not None and t in tags


# --------------------------------------------------------------------------- generators


@dataclass(frozen=True)
class Match:
    """One candidate found by a generator in one text.

    ``start``/``end`` are offsets in the text, ``kind`` the generator, ``core``
    the shared part that defines the candidate's family ('' if none), ``items``
    the items of an enumeration or the units of an affix pattern, and
    ``regularity`` (0–1) how regular its structure is.
    """

    start: int
    end: int
    text: str
    kind: str
    core: str = ""
    items: tuple[str, ...] = ()
    regularity: float = 0.0


def quoted_phrases(text: str, *, titles: bool = False, settings: Settings | None = None) -> list[Match]:
    """Phrases between quotation marks (“…”, 「…」, 『…』, ‘…’, "…").

    A quotation is a candidate when it holds at least ``quoted_min_cjk`` Chinese
    characters, at most ``quoted_max_chars`` characters, no sentence punctuation
    (。！？；: that is reported speech) and at most ``quoted_max_separators``
    commas or enumeration commas. Titles in 《》 are skipped, or returned as kind
    ``"title"`` with ``titles=True``. (:func:`find_slogans` also files a quotation
    shaped as a numbered formulation, “两节”, “三非”, under ``numbered``.)
    """
    s = settings or load_settings()
    pairs = [("quoted", tuple(p)) for p in s.quotes]
    if titles:
        pairs += [("title", tuple(p)) for p in s.title_quotes]
    out = []
    for kind, (open_, close) in pairs:
        excl = re.escape(open_ + close)
        rx = re.compile(re.escape(open_) + f"([^\\n{excl}]{{1,200}})" + re.escape(close))
        for m in rx.finditer(text):
            body = m.group(1)
            if kind == "quoted":
                if _n_cjk(body) < s.quoted_min_cjk or len(body) > s.quoted_max_chars:
                    continue
                if re.search(r"[。！？!?；;]", body) or len(re.findall("[、，,]", body)) > s.quoted_max_separators:
                    continue
                if body.strip() != body:
                    continue
            elif _n_cjk(body) < 2:
                continue
            out.append(Match(m.start(1), m.end(1), body, kind, regularity=0.5))
    return sorted(out, key=lambda m: (m.start, m.end))


def _numbered_shape(body: str, s: Settings) -> bool:
    """True for a short quoted text shaped as a numbered formulation (四个意识, 两节, 三区两通道)."""
    if not (2 <= len(body) <= s.numbered_max_chars) or not all(_is_cjk(c) for c in body):
        return False
    if _pair_ends(body, 0, s):
        return True
    i = 0
    while i < len(body) and body[i] in s.numerals:
        i += 1
    if i == 0 or i == len(body) or body[i] in s.list_markers or body[i] in s.number_context:
        return False
    return not any(body[i:].startswith(u) for u in s.quantity_units)


def _pair_ends(text: str, p: int, s: Settings) -> list[int]:
    """Possible ends of a pair template N X M Y at ``p`` (三区两通道, 四不两直, 五位一体, 一人一策).

    X and Y are 1–2 characters that are not numerals; shorter slots first.
    """
    nums = s.pair_numerals
    if p >= len(text) or text[p] not in nums or (p + 1 < len(text) and text[p + 1] in nums):
        return []
    ends = []
    for k in (1, 2):
        r = p + 1 + k
        x = text[p + 1 : r]
        if len(x) < k or not all(_is_cjk(c) and c not in nums and c not in s.number_context for c in x):
            continue
        if r < len(text) and text[r] in nums and not (r + 1 < len(text) and text[r + 1] in nums):
            for m in (1, 2):
                y = text[r + 1 : r + 1 + m]
                if len(y) == m and all(_is_cjk(c) and c not in nums and c not in s.number_context for c in y):
                    ends.append(r + 1 + m)
    return ends


def numbered_formulations(text: str, *, settings: Settings | None = None) -> list[Match]:
    """Numbered formulations: a numeral and the word it counts (四个意识, 两个维护, 十四五, 三区两通道).

    Rules (settings in ``data/slogans.yaml``):

    * the numeral is a run of ``numerals`` (or of one or two digits) that starts a jieba
      word and is not part of a larger number or an ordinal (第一, 二百, 十余), nor the start
      of a name (三亚, 九江: jieba proper nouns);
    * a *pair template* N X M Y (三区两通道, 四不两直, 五位一体, 一人一策) is a candidate
      when it ends on a word boundary; otherwise a lone 一 (the indefinite article)
      is not a numbered formulation;
    * the numeral must not be followed by a measure word of time, date or quantity
      (``quantity_units``: 2月4日, 一名, 24小时, 两轮) or by a list marker (一是, 二要);
    * the formulation ends at the first word boundary that gives it at least
      ``numbered_min_chars`` characters and does not fall on a numeral (三区两 → 三区两通道),
      it has at most ``numbered_max_chars`` and holds no function word at its head.
    """
    s = settings or load_settings()
    nums = s.pair_numerals
    context = s.number_context
    units = tuple(s.quantity_units)
    out = []
    last_end = -1
    run_rx = re.compile(f"[{CJK_CLASS}0-9]*")
    for mnum in re.finditer(f"[{nums}0-9百千万亿〇零]+", text):
        i, j = mnum.start(), mnum.end()
        if i < last_end:
            continue
        numeral = mnum.group(0)
        prev = text[i - 1] if i else ""
        if (prev and (prev in context or (prev.isascii() and prev.isalnum())))\
                or any(c in "百千万亿〇零" for c in numeral) or (numeral.isdigit() and len(numeral) > 2):
            continue  # part of a number, a large number, or a year (2023中国)
        n = run_rx.match(text, j).end()  # end of the run of Chinese characters and digits
        end, pair = None, False
        if j == i + 1:
            for e in _pair_ends(text[:n], i, s):
                if e - i <= s.numbered_max_chars and {i, e} <= _window_bounds(text, i, e):
                    end, pair = e, True
                    break
        if end is None and j < n:
            ok = (
                (numeral.isdigit() or all(c in s.numerals for c in numeral))
                and _is_cjk(text[j])
                and text[j] not in s.list_markers
                and text[j] not in context
                and not text.startswith(units, j)
            )
            if ok:
                hi = min(n, i + s.numbered_max_chars)
                bounds = _window_bounds(text, i, hi)
                if i in bounds:
                    for e in sorted(b for b in bounds if j < b <= hi):
                        if not _CJK_ONLY_RE.match(text[j:e]):
                            break  # the head is Chinese (两个15% is not 两个1)
                        if e - i < s.numbered_min_chars or text[e - 1] in nums:
                            continue
                        end = e
                        break
        if end is None or not (s.numbered_min_chars <= end - i <= s.numbered_max_chars):
            continue
        if numeral.isdigit() and end - j < 2:
            continue  # 10个: a count, not a formulation
        head = text[i + 1 : end] if pair else text[j:end]
        toks = _cut(head)
        if _has_tag(toks[0], s.function_tags) or _has_tag(toks[-1], s.function_tags):
            continue
        first = _cut(text[i:end])[0]
        if not pair and len(first) > len(numeral) and _has_tag(first, s.proper_tags):
            continue  # a name that begins with a numeral: 三亚, 六安, 九江
        out.append(Match(i, end, text[i:end], "numbered", regularity=1.0 if pair else 0.5))
        last_end = end
    return out


def _sentences(text: str, s: Settings) -> list[tuple[int, int]]:
    """Spans of ``text`` between sentence breaks; a quotation holding a series is its own span."""
    spans = [(m.start(), m.end()) for m in re.finditer(f"[^{re.escape(s.sentence_breaks)}]+", text)]
    seps = re.escape(s.enumeration_separators)
    rxs = []
    for open_, close in s.quotes:
        if open_ != close:
            excl = re.escape(open_ + close)
            rxs.append(re.compile(re.escape(open_) + f"[^{excl}]*[{seps}][^{excl}]*" + re.escape(close)))
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
        if n == len(seg) or not _has_tag(edge, ftags):
            out.append((item, off))
    return out


def _cut_ok(seg: str, item: str, off: int, from_end: bool) -> bool:
    cut = off if from_end else off + len(item)
    return _is_boundary(seg, cut)


def _proper_share(items: Sequence[str], core: str, s: Settings) -> float:
    """Share of items that are names (or whose slot is a name): 宝鸡市 → 宝鸡 (ns)."""
    fixed = set(core.replace("□", ""))
    tags = set(s.proper_tags)
    n = 0
    for it in items:
        body = "".join(c for c in it if c not in _QUOTE_CHARS)
        slot = "".join(c for c in body if c not in fixed) if fixed else body
        if _has_tag(body, tags) or (slot and _has_tag(slot, tags)):
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
    for a, b in _sentences(text, s):
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
    reg = max(0.0, reg - s.vocabulary_penalty * _all_words(items))
    return Match(start, end, sent[start:end], "enumeration", core, tuple(items), round(reg, 4))


def _all_words(items: Sequence[str]) -> bool:
    """Are all items ordinary dictionary words (省委、省政府; 检验/检测)? Formulations coin
    parallel phrases (外防输入、内防反弹; 走深走实); a series of existing words is a list."""
    return all(_is_dict_word(it) for it in items)


def _names(items: Sequence[str], s: Settings) -> bool:
    """Are most items personal or place names (jieba's tagger with HMM, for unknown names)?"""
    if not all(2 <= len(it) <= 3 and not _is_dict_word(it) for it in items[:3]):
        return False  # names are short words that jieba's dictionary does not know
    tags = set(s.proper_tags)
    hits = 0
    for k, it in enumerate(items[:3]):
        if _tag_hmm(it) in tags:
            hits += 1
            if hits >= 2:
                return True
        elif k == 1 and hits == 0:
            return False  # neither of the first two is a name
    return False


@lru_cache(maxsize=50_000)
def _tag_hmm(item: str) -> str | None:
    """jieba's tag for ``item`` when its tagger (with HMM, for unknown words) keeps it whole."""
    words = list(_jieba()[2].cut(item))
    return words[0].flag if len(words) == 1 else None


def _parse_prefix(run: str, i: int, plen: int, s: Settings) -> list[tuple[int, tuple[str, ...]]]:
    """P S1 P S2 … at ``i``: every (end, units) with at least two units."""
    P = run[i : i + plen]
    results = []
    j, units = i, ()
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
                    results.append((j + plen + k, units + (P + slot,)))
            break
        units = units + (P + run[j + plen : j + plen + nxt],)
        j += plen + nxt
    return results


def _parse_suffix(run: str, i: int, slen: int, plen: int, s: Settings) -> tuple[int, tuple[str, ...]] | None:
    """S1 P S2 P … at ``i`` (应检尽检): the affix P follows each slot."""
    P = run[i + slen : i + slen + plen]
    if len(P) < plen:
        return None
    units, j = (), i
    while True:
        ok = None
        for k in ((slen,) if not units else range(1, s.slot_max_chars + 1)):
            slot = run[j : j + k]
            if len(slot) == k and P not in slot and run[j + k : j + k + plen] == P:
                ok = k
                break
        if ok is None:
            break
        units += (run[j : j + ok] + P,)
        j += ok + plen
    return (j, units) if len(units) >= 2 else None


def _units_ok(run: str, i: int, units: Sequence[str], affix: str, prefix: bool, bounds: set[int]) -> bool:
    """Each unit is one word, or the affix is a word of its own inside it."""
    pos = i
    for u in units:
        end = pos + len(u)
        if pos not in bounds or end not in bounds:
            return False
        a_start, a_end = (pos, pos + len(affix)) if prefix else (end - len(affix), end)
        if not (_is_dict_word(u) or (a_start in bounds and a_end in bounds)):
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
    words of different lengths that share a first character (增加值增长).

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
                if _has_tag(affix, ftags) or _has_tag(affix, ptags):
                    continue
                if typ != 2:
                    slots = [u[len(affix):] if typ == 0 else u[: -len(affix)] for u in units]
                    if any(_has_tag(x, ftags) for x in slots):
                        continue
                    longest = max(len(x) for x in slots[:-1])
                    if typ == 0 and len(slots[-1]) > longest and not _is_dict_word(slots[-1]):
                        continue
                bounds = _window_bounds(run, i, end)
                # a frame may start inside a word (要紧而又紧: 要紧 is one word); its inner
                # boundaries, checked below, show the frame itself
                if (i not in bounds and typ != 2) or end not in bounds:
                    continue
                if typ == 2:
                    if not (i + 1 in bounds and end - 1 in bounds):
                        continue
                    reg = 0.5
                else:
                    if len(set(units)) < len(units) or all(_has_tag(u, ntags) for u in units):
                        continue
                    if len({len(u) for u in units}) > 1 and all(_is_dict_word(u) for u in units):
                        continue  # 增加值/增长: two words that merely share a first character
                    if not _units_ok(run, i, units, affix, typ == 0, bounds):
                        continue
                    reg = min(1.0, 0.5 + 0.25 * (len(units) - 1)) * (1.0 if len({len(u) for u in units}) == 1 else 0.8)
                hits.append((typ, Match(base + i, base + end, run[i:end], "affix", core, tuple(units), round(reg, 4))))
        # where patterns overlap keep prefix patterns first, then frames, then suffix
        # patterns, and the longest of each type
        hits.sort(key=lambda h: ((0, 2, 1)[h[0]], -(h[1].end - h[1].start), h[1].start))
        taken: list[Match] = []
        for _, h in hits:
            if any(h.start < t.end and t.start < h.end for t in taken):
                continue
            taken.append(h)
        out += taken
    return sorted(set(out), key=lambda m: (m.start, m.end))


def _needs_confirmation(m: Match) -> bool:
    """Suffix patterns and frames need corpus-level confirmation (see :func:`affix_patterns`)."""
    prefix = m.core.endswith("□") and m.core.count("□") == 1 and not m.core.startswith("□")
    return m.kind == "affix" and not prefix


def _filler(m: Match) -> str:
    """What fills the slots of a suffix pattern or frame: 应接尽接 (应□尽□) → 接, 实而又实 → 实."""
    rx = "^" + "".join("(.+?)" if c == "□" else re.escape(c) for c in m.core) + "$"
    g = re.match(rx, m.text)
    return g.group(1) if g else m.text


def text_candidates(text: str, *, settings: Settings | None = None) -> pd.DataFrame:
    """What the four text generators find in one text, before any counting or ranking.

    Returns
    -------
    DataFrame
        generator (quoted, numbered, enumeration, affix), start, end, text, core, items
        (joined by " | "); in generator order, then by position. Suffix patterns and frames
        are listed here although :func:`find_slogans` keeps them only when the corpus
        confirms them.
    """
    s = settings or load_settings()
    rows = []
    for name, gen in (("quoted", quoted_phrases), ("numbered", numbered_formulations),
                      ("enumeration", enumerations), ("affix", affix_patterns)):
        for m in gen(text, settings=s):
            rows.append((name, m.start, m.end, m.text, m.core, " | ".join(m.items)))
    return pd.DataFrame(rows, columns=["generator", "start", "end", "text", "core", "items"])


# --------------------------------------------------------------------------- hashing index


_B = 0x100000001B3  # odd, so it has an inverse modulo 2**64
_BINV = pow(_B, -1, 2**64)
_MASK = 2**64 - 1


def _hash(s: str) -> int:
    h, p = 0, 1
    for ch in s:
        h = (h + ord(ch) * p) & _MASK
        p = (p * _B) & _MASK
    return h


class _TextIndex:
    """All texts joined (NUL between documents) with polynomial prefix hashes mod 2**64.

    ``window(pos, n)`` hashes the n characters at each position in O(1), so counting
    every occurrence of thousands of strings costs one vectorised pass per length.
    """

    def __init__(self, texts: Sequence[str]):
        self.texts = list(texts)
        joined = "\x00".join(self.texts)
        self.joined = joined
        self.codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        n = len(self.codes)
        starts = np.cumsum([0] + [len(t) + 1 for t in self.texts[:-1]]) if self.texts else np.array([0])
        self.starts = np.asarray(starts, dtype=np.int64)
        self.doc_of = np.zeros(n, dtype=np.int64)
        if len(self.texts) > 1:
            self.doc_of[self.starts[1:]] = 1
            self.doc_of = np.cumsum(self.doc_of)
        pw = np.empty(n + 1, dtype=np.uint64)
        ipw = np.empty(n + 1, dtype=np.uint64)
        pw[0] = ipw[0] = 1
        if n:
            pw[1:] = np.uint64(_B)
            ipw[1:] = np.uint64(_BINV)
            with np.errstate(over="ignore"):
                pw = np.cumprod(pw, dtype=np.uint64)
                ipw = np.cumprod(ipw, dtype=np.uint64)
        self.ipw = ipw
        with np.errstate(over="ignore"):
            self.H = np.concatenate([np.zeros(1, dtype=np.uint64), np.cumsum(self.codes * pw[:n], dtype=np.uint64)])

    def window(self, pos: np.ndarray, n: int) -> np.ndarray:
        with np.errstate(over="ignore"):
            return (self.H[pos + n] - self.H[pos]) * self.ipw[pos]

    def find(self, strings: Iterable[str]) -> dict[str, np.ndarray]:
        """Every (overlapping) start position of each string in the joined text."""
        by_len: dict[int, dict[int, str]] = defaultdict(dict)
        for s in set(strings):
            if s:
                by_len[len(s)][_hash(s)] = s
        out: dict[str, np.ndarray] = {}
        N = len(self.codes)
        for n, table in by_len.items():
            if n > N:
                for s in table.values():
                    out[s] = np.zeros(0, dtype=np.int64)
                continue
            # only positions whose first character starts some candidate of this length
            lut = np.zeros(0x110000, dtype=bool)
            lut[[ord(s[0]) for s in table.values()]] = True
            pos = np.flatnonzero(lut[self.codes[: N - n + 1]]).astype(np.int64)
            h = self.window(pos, n)
            keys = np.sort(np.fromiter(table.keys(), dtype=np.uint64, count=len(table)))
            hit = _member(h, keys)
            hp, hh = pos[hit], h[hit]
            order = np.argsort(hh, kind="stable")
            hp, hh = hp[order], hh[order]
            uniq, first = np.unique(hh, return_index=True)
            bounds = list(first) + [len(hh)]
            found = {}
            for k, u in enumerate(uniq):
                found[int(u)] = hp[bounds[k] : bounds[k + 1]]
            for hv, s in table.items():
                p = found.get(hv, np.zeros(0, dtype=np.int64))
                # guard against hash collisions
                if len(p) and self.joined[p[0] : p[0] + n] != s:
                    p = np.array([q for q in p if self.joined[q : q + n] == s], dtype=np.int64)
                out[s] = np.sort(p)
        return out

    def local(self, p: int) -> tuple[int, int]:
        """(document index, offset in that document) of a global position."""
        d = int(self.doc_of[p])
        return d, int(p - self.starts[d])


def _member(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Boolean mask: which ``values`` are in ``keys`` (a hash table: linear time)."""
    if not len(keys):
        return np.zeros(len(values), dtype=bool)
    return pd.Series(values, copy=False).isin(keys).to_numpy()


def _group_stats(h: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For hashes ``h`` with a companion value: unique hashes, counts, distinct companions."""
    order = np.lexsort((other, h))
    hs, os_ = h[order], other[order]
    new_h = np.ones(len(hs), dtype=bool)
    new_h[1:] = hs[1:] != hs[:-1]
    new_pair = new_h.copy()
    new_pair[1:] |= os_[1:] != os_[:-1]
    idx = np.flatnonzero(new_h)
    counts = np.diff(np.append(idx, len(hs)))
    distinct = np.add.reduceat(new_pair.astype(np.int64), idx) if len(idx) else np.zeros(0, dtype=np.int64)
    return hs[idx], counts, distinct


def recurring_ngrams(texts: Sequence[str], *, min_docs: int = 2, min_len: int = 4, max_len: int = 24) -> pd.DataFrame:
    """Closed character n-grams that recur in at least ``min_docs`` texts.

    N-grams are taken inside runs of Chinese characters only, so they never cross
    punctuation, digits or line breaks. They are grown level by level (an n-gram
    can only be frequent if both its (n−1)-grams are), with polynomial hashing, so
    the cost is about linear in the corpus size.

    An n-gram is *closed* (kept maximal) when it has at least two different left
    neighbours and at least two different right neighbours, a run boundary counting as
    a new neighbour each time (Feng et al.'s *accessor variety*). A fragment such
    as 态清零 (always preceded by 动) is therefore not reported beside 动态清零.

    Returns
    -------
    DataFrame
        ngram, length, count, n_docs, left_variety, right_variety; sorted by
        count (descending), then n-gram.
    """
    cols = ["ngram", "length", "count", "n_docs", "left_variety", "right_variety"]
    idx = _TextIndex(texts)
    N = len(idx.codes)
    if N == 0:
        return pd.DataFrame(columns=cols)
    chars = idx.joined
    is_cjk = _cjk_mask(idx.codes)
    # run end for each position (exclusive), run start
    pos_all = np.arange(N, dtype=np.int64)
    breaks = np.flatnonzero(~is_cjk)
    nxt = np.searchsorted(breaks, pos_all, side="left")
    run_end = np.where(nxt < len(breaks), breaks[np.minimum(nxt, len(breaks) - 1)], N)
    prv = np.searchsorted(breaks, pos_all, side="right") - 1
    run_start = np.where(prv >= 0, breaks[np.maximum(prv, 0)] + 1, 0)
    rows = []
    n = 2
    pos = pos_all[is_cjk & (pos_all + n <= run_end)]
    while len(pos) and n <= max_len:
        h = idx.window(pos, n)
        docs = idx.doc_of[pos]
        uh, cnt, ndoc = _group_stats(h, docs)
        freq_mask = ndoc >= min_docs
        fh = uh[freq_mask]  # sorted
        keep = _member(h, fh)
        pos, h = pos[keep], h[keep]
        if not len(pos):
            break
        if n >= min_len:
            left = np.where(pos > run_start[pos], idx.codes[np.maximum(pos - 1, 0)].astype(np.int64), -(pos + 1))
            right_pos = pos + n
            right = np.where(right_pos < run_end[pos], idx.codes[np.minimum(right_pos, N - 1)].astype(np.int64),
                             -(pos + 1))
            _, _, lv = _group_stats(h, left)
            uh2, c2, rv = _group_stats(h, right)
            _, _, dv = _group_stats(h, idx.doc_of[pos])
            order = np.lexsort((pos, h))
            first_pos = pos[order][np.r_[True, h[order][1:] != h[order][:-1]]]
            closed = (lv >= 2) & (rv >= 2)
            for hv, c, d, l_, r_, fp in zip(uh2[closed], c2[closed], dv[closed], lv[closed], rv[closed], first_pos[closed]):
                rows.append((chars[fp : fp + n], n, int(c), int(d), int(l_), int(r_)))
        # next level: windows of n+1 whose two n-gram parts are both frequent
        fset = np.unique(h)
        cand = pos[pos + n + 1 <= run_end[pos]]
        if not len(cand):
            break
        nh = idx.window(cand + 1, n)
        cand = cand[_member(nh, fset)]
        pos = cand
        n += 1
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["count", "ngram"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _cjk_mask(codes: np.ndarray) -> np.ndarray:
    c = codes
    return ((c >= 0x3400) & (c <= 0x4DBF)) | ((c >= 0x4E00) & (c <= 0x9FFF)) | ((c >= 0xF900) & (c <= 0xFAFF))


# --------------------------------------------------------------------------- the miner


@dataclass
class _Cand:
    text: str
    kinds: set[str] = field(default_factory=set)
    cores: dict[str, str] = field(default_factory=dict)  # kind -> core
    units: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> items or units
    regularity: float = 0.0
    component: bool = False  # equal to an item or unit of a structured candidate
    matches: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # kind -> generator hits

    def kind(self) -> str:
        return next(k for k in KINDS if k in self.kinds)

    def core(self) -> str:
        return next((self.cores[k] for k in KINDS if self.cores.get(k)), "")

    def items(self) -> tuple[str, ...]:
        return next((self.units[k] for k in ("enumeration", "affix") if self.units.get(k)), ())


def _add(cands: dict[str, _Cand], m: Match) -> None:
    c = cands.get(m.text)
    if c is None:
        c = cands[m.text] = _Cand(m.text)
    c.kinds.add(m.kind)
    c.matches[m.kind] += 1
    if m.core and not c.cores.get(m.kind):
        c.cores[m.kind] = m.core
    if m.items and not c.units.get(m.kind):
        c.units[m.kind] = m.items
    c.regularity = max(c.regularity, m.regularity)


def _ngram_ok(g: str, s: Settings, stop: frozenset[str]) -> bool:
    """An n-gram is a candidate when it does not start or end with a stopword or a
    function word, is not one ordinary dictionary word (idioms, tags i and l, are
    fine) and is not mostly names."""
    toks = _cut(g)
    if not toks:
        return False
    for t in (toks[0], toks[-1]):
        if t in stop or _has_tag(t, s.function_tags):
            return False
    if len(toks) == 1 and _is_dict_word(g) and _tag(g) not in ("i", "l"):
        return False
    proper = sum(len(t) for t in toks if _has_tag(t, s.proper_tags))
    return proper / len(g) < 0.5


def _unit_length(c: _Cand) -> float:
    return float(max(1, _n_cjk(c.text)))


def _strengths(c: _Cand, count: int, s: Settings) -> dict[str, float]:
    """How much each generator that found ``c`` vouches for it (0–1).

    Structural generators vouch fully. Quotation marks vouch in proportion to the
    share of occurrences that are quoted, full from ``quote_share_full`` on: “动态清零”
    is quoted almost every time, 产业 once in thousands of uses.
    """
    out = {}
    for k in c.kinds:
        if k in ("quoted", "title"):
            out[k] = min(1.0, c.matches.get(k, 0) / max(1.0, s.quote_share_full * count))
        else:
            out[k] = 1.0
    return out


def _score(c: _Cand, count: int, n_docs: int, n_groups: int, n_total: int, g_total: int, s: Settings) -> float:
    """The ranking score (documented in :func:`find_slogans`)."""
    kind = c.kind()
    strength = _strengths(c, count, s)
    evidence = sum(v for k, v in strength.items() if k not in (kind, "title"))
    ulen = _unit_length(c)  # Chinese characters, without separators and quotation marks
    lo, hi = s.ideal_min_chars, s.ideal_max_chars
    dev = math.log2(lo / ulen) if ulen < lo else math.log2(ulen / hi) if ulen > hi else 0.0
    if kind == "ngram":
        # a long verbatim match across documents is unlikely by chance; a short one is a term
        regularity = min(1.0, max(0.0, (ulen - s.ngram_min_chars) / s.ngram_full_chars))
        frequency = -s.burst_weight * math.log2(count / max(1, n_docs))
        evidence += 1 if c.component else 0
    else:
        regularity = c.regularity
        frequency = s.count_weight * math.log2(1 + count / max(1, n_docs))
    spread_docs = math.log2(n_docs) / math.log2(n_total) if n_total > 1 else 0.0
    spread_groups = math.log2(n_groups) / math.log2(g_total) if g_total > 1 else 0.0
    return (float(s.priors.get(kind, 0.0)) * strength[kind]
            + s.structure_weight * regularity
            + s.evidence_weight * evidence
            + s.docs_weight * spread_docs
            + s.groups_weight * spread_groups
            + frequency
            - s.length_weight * dev)


def _overlap(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 3 and (a in b or b in a))


def _linked(x: _Cand, y: _Cand) -> bool:
    """Are two candidates variants of one formulation? (See :func:`_families`.)"""
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


def _keys(c: _Cand) -> set[tuple[str, str]]:
    keys = {("u", c.text)}
    core = c.core()
    if core:
        keys.add(("c", core))
    for u in c.items():
        keys.add(("u", u))
        keys.update(("s", u[a:b]) for a in range(len(u)) for b in range(a + 3, len(u) + 1))
    return keys


def _families(ranked: Sequence[str], cands: Mapping[str, _Cand]) -> dict[str, str]:
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


def _positions(idx: "_TextIndex", strings: Iterable[str], s: Settings) -> dict[str, np.ndarray]:
    """Start positions (in ``idx.joined``) of every occurrence of each string.

    A string that starts with a numeral is not counted where the numeral continues a
    number (十大 inside 二十大).
    """
    found = idx.find(strings)
    context = set(s.number_context + s.pair_numerals)
    for t, pos in found.items():
        if len(pos) and (t[0] in s.pair_numerals or t[0] in _DIGITS):
            keep = np.array([p == 0 or idx.joined[p - 1] not in context for p in pos], dtype=bool)
            found[t] = pos[keep]
    return found


def _drop_subsumed(rows: list[dict], share: float) -> list[dict]:
    """Keep formulations maximal: drop a text when a longer one contains it and accounts
    for at least ``share`` of its occurrences (四好农村 inside 四好农村路, 132 of 132)."""
    count = {r["slogan"]: r["count"] for r in rows}
    drop = set()
    for r in rows:
        u, cu = r["slogan"], r["count"]
        if len(u) > 16:
            continue
        for a in range(len(u)):
            for b in range(a + 2, len(u) + 1):
                v = u[a:b]
                if v != u and v in count and cu >= share * count[v]:
                    drop.add(v)
    return [r for r in rows if r["slogan"] not in drop]


def _aligned(idx: "_TextIndex", pos: np.ndarray, n: int, sample: int = 3) -> bool:
    """Does the n-gram start and end on word boundaries in most of its first occurrences?

    阻断疫情传播 and 切断疫情传播 both contain 断疫情传播, a closed n-gram that cuts a word
    in two: it is dropped here.
    """
    ok = 0
    picks = pos[:: max(1, len(pos) // sample)][:sample]
    for p in picks:
        d, off = idx.local(int(p))
        text = idx.texts[d]
        ok += _is_boundary(text, off) and _is_boundary(text, off + n)
    return 2 * ok >= len(picks)


def _context(text: str, start: int, end: int, width: int = 12) -> str:
    left = text[max(0, start - width) : start].replace("\n", "⏎")
    right = text[end : end + width].replace("\n", "⏎")
    return f"{'…' if start > width else ''}{left}【{text[start:end]}】{right}{'…' if end + width < len(text) else ''}"


def find_slogans(
    corp: Corpus,
    by: str | None = DEFAULT_BY,
    *,
    kinds: Iterable[str] | None = None,
    min_docs: int | None = None,
    include_titles: bool = False,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Mine the recurring formulations of a corpus, ranked, with their spread across groups.

    Works on the clean Simplified text (``d.text``) of any corpus: a Traditional
    original gives the same result. Candidates come from five generators
    (:func:`quoted_phrases`, :func:`numbered_formulations`, :func:`enumerations`,
    :func:`affix_patterns`, :func:`recurring_ngrams`); a text found by several is
    merged into one row, reported under its most specific kind (order of
    :data:`KINDS`) with every generator listed in ``evidence``. Every candidate is
    then counted wherever it occurs, quoted or not.

    Ranking. Each slogan gets (weights ``w`` in ``data/slogans.yaml``)

        score = prior[kind]·strength + w_s·regularity + w_e·evidence
                + w_d·log2(n_docs)/log2(N) + w_g·log2(n_groups)/log2(G)
                + frequency − w_l·length_penalty

    * ``prior[kind]``: how strong the kind's evidence of a fixed formulation is: a
      numeral summarising a list and a repeated affix are deliberate constructions
      (highest), a parallel series and quotation marks (the author's own flag) come next,
      a bare recurring n-gram is the weakest (negative);
    * ``strength`` (0–1): 1 for structural kinds; for a quotation the share of the
      phrase's occurrences that are quoted (full from ``quote_share_full``), so a word
      quoted once among thousands of uses is not a slogan;
    * ``regularity`` (0–1): structure. Series: whether the items share a template, the
      share of characters they share by position, equal lengths, the number of items.
      Affix patterns: the number of units, whether their slots also take other affixes
      (实: 压实, 落实, 抓实) and whether the affix takes several slots. Both lose
      ``vocabulary_penalty`` when every item is an ordinary dictionary word (检验检测).
      Pair templates (三区两通道) score 1, other numbered formulations 0.5. N-grams: their
      length beyond ``ngram_min_chars`` (a long verbatim match is unlikely by chance);
    * ``evidence``: the strengths of the other generators that found the same text
      (四个意识 is quoted and numbered), plus 1 for an n-gram that is an item of a series;
    * spread: the documents (out of N) and groups (out of G) that use it, on a log
      scale relative to the corpus, so weights mean the same on 5 or 500 documents;
    * ``frequency``: ``w_c·log2(1 + count/n_docs)`` for structured kinds; for a bare
      n-gram ``−w_b·log2(count/n_docs)``, because repetition within documents marks a
      topic (疫情防控 on every line), not a formulation;
    * ``length_penalty``: log2 distance of the length in Chinese characters from
      ``ideal_min_chars``–``ideal_max_chars``.

    Ties are broken by the slogan's text, so the order is deterministic. A text inside
    a longer slogan that accounts for at least ``subsumed_share`` of its occurrences is
    dropped, so a long formula is not also reported as its fragments.

    Families. Variants that share a core are one family (see :func:`_families`): same
    template or affix (守土□责; 从□ with a shared unit), two series sharing two items,
    or a single formulation that is an item of a templated series. The family is
    labelled with its best-ranked member, and members join it only through that member.

    Parameters
    ----------
    corp : Corpus
    by : str or None
        Manifest column whose values are the groups (None: each document is a group).
    kinds : iterable of str, optional
        Keep only these kinds (default: all but ``title``).
    min_docs : int, optional
        Documents an n-gram must recur in (default: ``ngram_min_docs``, or
        ``ngram_min_doc_share`` of the documents if that is more).
    include_titles : bool
        Also report document titles quoted in 《》 (kind ``title``).
    settings : Settings, optional
        Other settings than ``data/slogans.yaml`` (:func:`load_settings`).

    Returns
    -------
    DataFrame
        One row per slogan with the columns of :data:`SLOGAN_COLUMNS`: rank, slogan,
        kind, family, core, count, n_docs, documents (ids joined by ", "), n_groups,
        groups (joined by ", "), score, evidence (generators joined by "+"), length,
        context (the first occurrence, 【marked】 in its sentence).
    """
    s = settings or load_settings()
    docs = list(corp)
    ids = [d.id for d in docs]
    groups = corp.groups(by)
    group_of = {i: str(groups[i]) for i in ids}
    texts = [d.text for d in docs]
    cands: dict[str, _Cand] = {}
    pending: list[Match] = []  # suffix patterns and frames, confirmed below
    prefixed: list[Match] = []
    for text in texts:
        for m in quoted_phrases(text, titles=include_titles, settings=s):
            _add(cands, m)
            if m.kind == "quoted" and _numbered_shape(m.text, s):
                _add(cands, Match(m.start, m.end, m.text, "numbered", regularity=1.0))
        for m in numbered_formulations(text, settings=s):
            _add(cands, m)
        for m in enumerations(text, settings=s):
            _add(cands, m)
        for m in affix_patterns(text, settings=s):
            (pending if _needs_confirmation(m) else prefixed).append(m)
    fillers: dict[str, set[str]] = defaultdict(set)
    for m in pending:
        fillers[m.core].add(_filler(m))
    # paradigm: a slot that takes several affixes (实: 压实, 落实, 抓实, 从实) and an affix that
    # takes several slots (做: 做大, 做强, 做优) mark a productive formula; two dictionary words
    # sharing a character (检验检测, 教育教学) are vocabulary
    slot_affixes: dict[str, set[str]] = defaultdict(set)
    affix_slots: dict[str, set[str]] = defaultdict(set)
    for m in prefixed:
        affix = m.core[:-1]
        for u in m.items:
            slot_affixes[u[len(affix):]].add(affix)
            affix_slots[affix].add(u[len(affix):])
    for m in prefixed:
        affix = m.core[:-1]
        paradigm = sum(len(slot_affixes[u[len(affix):]]) >= 2 for u in m.items) / len(m.items)
        productive = len(affix_slots[affix]) >= 3
        base = (0.3 if len(m.items) == 2 else 0.5) * (1.0 if len({len(u) for u in m.items}) == 1 else 0.8)
        reg = base + 0.3 * paradigm + 0.2 * productive - s.vocabulary_penalty * _all_words(m.items)
        _add(cands, Match(m.start, m.end, m.text, m.kind, m.core, m.items, round(max(0.0, reg), 4)))
    for m in pending:
        if len(fillers[m.core]) >= s.frame_min_fillers:
            _add(cands, Match(m.start, m.end, m.text, m.kind, m.core, m.items, 0.8))
    from .lexicon import stopwords

    stop = stopwords()
    if min_docs is None:
        min_docs = max(int(s.ngram_min_docs), math.ceil(s.ngram_min_doc_share * len(docs)))
    if len(docs) >= min_docs:
        ng = recurring_ngrams(texts, min_docs=min_docs, min_len=s.ngram_min_chars, max_len=s.ngram_max_chars)
        for g in ng["ngram"]:
            if g in cands or _ngram_ok(g, s, stop):
                _add(cands, Match(0, 0, g, "ngram"))
    parts = {u for c in cands.values() for k in ("enumeration", "affix") for u in c.units.get(k, ())}
    for t, c in cands.items():
        c.component = t in parts
    wanted = set(kinds) if kinds is not None else set(KINDS) - ({"title"} if not include_titles else set())
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kind(s) {sorted(unknown)}; use some of {', '.join(KINDS)}")
    cands = {t: c for t, c in cands.items() if c.kind() in wanted}
    idx = _TextIndex(texts)
    found = _positions(idx, cands, s)
    g_total = len(set(group_of.values()))
    rows = []
    for t, c in cands.items():
        pos = found[t]
        if not len(pos):
            continue
        if c.kinds == {"ngram"} and not _aligned(idx, pos, len(t)):
            continue
        dix = idx.doc_of[pos]
        doc_ids = [ids[i] for i in sorted(set(int(x) for x in dix))]
        grp = sorted({group_of[i] for i in doc_ids})
        d0, off = idx.local(int(pos[0]))
        score = _score(c, len(pos), len(doc_ids), len(grp), len(docs), g_total, s)
        rows.append({
            "slogan": t, "kind": c.kind(), "core": c.core(), "count": int(len(pos)), "n_docs": len(doc_ids),
            "documents": ", ".join(doc_ids), "n_groups": len(grp), "groups": ", ".join(grp),
            "score": round(score, 4), "evidence": "+".join(k for k in KINDS if k in c.kinds),
            "length": len(t), "context": _context(texts[d0], off, off + len(t)),
        })
    rows = _drop_subsumed(rows, s.subsumed_share)
    df = pd.DataFrame(rows, columns=[c for c in SLOGAN_COLUMNS if c not in ("rank", "family")])
    if df.empty:
        out = pd.DataFrame(columns=SLOGAN_COLUMNS)
        return out
    df = df.sort_values(["score", "slogan"], ascending=[False, True], kind="stable").reset_index(drop=True)
    family = _families(list(df["slogan"]), cands)
    df.insert(2, "family", [family[t] for t in df["slogan"]])
    df.insert(0, "rank", np.arange(1, len(df) + 1))
    return df[SLOGAN_COLUMNS]


# --------------------------------------------------------------------------- where slogans occur

OCCURRENCE_COLUMNS = ["rank", "slogan", "kind", "family", "doc_id", "group", "start", "end", "position"]


def slogan_occurrences(corp: Corpus, slogans: pd.DataFrame, by: str | None = DEFAULT_BY, *,
                       top: int | None = None) -> pd.DataFrame:
    """Every occurrence of the slogans in the clean texts: one row per occurrence.

    Parameters
    ----------
    corp : Corpus
    slogans : DataFrame
        :func:`find_slogans`' result (or any frame with ``slogan``; ``rank``, ``kind``
        and ``family`` are carried over when present).
    by : str or None
        Manifest column reported as ``group``.
    top : int, optional
        Only the ``top`` first rows of ``slogans``.

    Returns
    -------
    DataFrame
        rank, slogan, kind, family, doc_id, group, start, end, position (start divided
        by the document's length, 0–1); in slogan order, then corpus order, then start.
        Overlapping occurrences of different slogans are all kept.
    """
    s = load_settings()
    sl = slogans.head(top) if top is not None else slogans
    docs = list(corp)
    ids = [d.id for d in docs]
    groups = corp.groups(by)
    idx = _TextIndex([d.text for d in docs])
    found = _positions(idx, sl["slogan"], s)
    rows = []
    for i, r in enumerate(sl.itertuples(index=False)):
        text = r.slogan
        for p in found.get(text, ()):
            d, off = idx.local(int(p))
            n = max(1, len(docs[d].text))
            rows.append((getattr(r, "rank", i + 1), text, getattr(r, "kind", ""), getattr(r, "family", text),
                         ids[d], str(groups[ids[d]]), off, off + len(text), round(off / n, 4)))
    return pd.DataFrame(rows, columns=OCCURRENCE_COLUMNS)


def slogan_matrix(occurrences: pd.DataFrame, corp: Corpus | None = None, by: str | None = DEFAULT_BY, *,
                  level: str = "doc", max_rows: int | None = None) -> pd.DataFrame:
    """Document × slogan (or group × slogan) counts from :func:`slogan_occurrences`.

    Parameters
    ----------
    occurrences : DataFrame
        :func:`slogan_occurrences`.
    corp : Corpus, optional
        With it, every document appears (rows of zeros included), in group then corpus order.
    level : {"doc", "group"}
        One row per document (index ``group``, ``doc_id``) or per group (index ``group``).
    max_rows : int, optional
        Keep only the rows with the most occurrences (ties: the first in order), in their
        original order: a readable heatmap of a large corpus.

    Returns
    -------
    DataFrame
        Counts; columns are the slogans in rank order.
    """
    if level not in ("doc", "group"):
        raise ValueError("level must be 'doc' or 'group'")
    occ = occurrences
    slog = occ.drop_duplicates("slogan").sort_values(["rank", "slogan"])["slogan"].tolist()
    counts = occ.groupby(["group", "doc_id", "slogan"]).size()
    wide = counts.unstack("slogan", fill_value=0) if len(counts) else pd.DataFrame()
    if corp is not None:
        ids = corp.ids
        grp = corp.groups(by)
        order = sorted(range(len(ids)), key=lambda k: (str(grp[ids[k]]), k))
        full = pd.MultiIndex.from_tuples([(str(grp[ids[k]]), ids[k]) for k in order], names=["group", "doc_id"])
        wide = wide.reindex(full, fill_value=0)
    wide = wide.reindex(columns=slog, fill_value=0).astype(int)
    if level == "group":
        wide = wide.groupby(level="group", sort=False).sum()
    if max_rows is not None and len(wide) > max_rows:
        totals = wide.sum(axis=1).to_numpy()
        keep = sorted(sorted(range(len(wide)), key=lambda k: (-totals[k], k))[:max_rows])
        wide = wide.iloc[keep]
    wide.columns.name = "slogan"
    return wide


def sharing(slogans: pd.DataFrame, groups: Iterable[str]) -> pd.DataFrame:
    """Which slogans all groups share, which several share, which one group uses alone.

    Parameters
    ----------
    slogans : DataFrame
        :func:`find_slogans`' result (``groups`` holds the groups joined by ", ").
    groups : iterable of str
        Every group of the corpus (``corp.groups(by).unique()``).

    Returns
    -------
    DataFrame
        rank, slogan, kind, family, n_groups, ``shared`` ("all groups", "2 groups", …,
        "1 group"), ``band`` (the same with at most five groups; with more, "all groups",
        "more than half", "2 groups to half", "1 group") and, for at most 12 groups, one
        boolean column per group; in the order of ``slogans``.
    """
    allg = sorted({str(g) for g in groups})
    G = len(allg)
    out = slogans[[c for c in ("rank", "slogan", "kind", "family", "n_groups") if c in slogans]].copy()
    members = slogans["groups"].fillna("").map(lambda x: set(filter(None, x.split(", "))))
    sizes = [len(m & set(allg)) for m in members]
    out["shared"] = ["all groups" if G > 1 and k == G else f"{k} group{'s' if k != 1 else ''}" for k in sizes]

    def band(k: int) -> str:
        if G <= 5 or k == 1 or k == G:
            return "all groups" if G > 1 and k == G else f"{k} group{'s' if k != 1 else ''}"
        return "more than half" if k > G / 2 else "2 groups to half"

    out["band"] = [band(k) for k in sizes]
    if G <= 12:
        for g in allg:
            out[g] = [g in m for m in members]
    return out.reset_index(drop=True)


def family_table(slogans: pd.DataFrame, occurrences: pd.DataFrame, *, min_members: int = 2,
                 top_families: int | None = None, max_groups: int = 12) -> pd.DataFrame:
    """Variant families side by side: each member with its count in every group.

    Parameters
    ----------
    slogans : DataFrame
        :func:`find_slogans`' result.
    occurrences : DataFrame
        :func:`slogan_occurrences` for (at least) those slogans.
    min_members : int
        Only families with at least this many members.
    top_families : int, optional
        Only the best-ranked families.
    max_groups : int
        With more groups than this, the per-group columns are left out (count, n_docs and
        n_groups remain).

    Returns
    -------
    DataFrame
        family, rank, slogan, kind, count, n_docs, n_groups, then one count column per
        group; families in order of their best member, members by rank.
    """
    sizes = slogans.groupby("family")["slogan"].transform("size")
    fam = slogans[sizes >= min_members]
    order = fam.groupby("family")["rank"].min().sort_values(kind="stable")
    if top_families is not None:
        order = order.head(top_families)
    fam = fam[fam["family"].isin(order.index)]
    table = fam[["family", "rank", "slogan", "kind", "count", "n_docs", "n_groups"]].copy()
    counts = occurrences.groupby(["slogan", "group"]).size().unstack("group", fill_value=0)
    if 0 < counts.shape[1] <= max_groups:
        table = table.merge(counts, left_on="slogan", right_index=True, how="left")
        table[list(counts.columns)] = table[list(counts.columns)].fillna(0).astype(int)
    table["_f"] = table["family"].map(order)
    table = table.sort_values(["_f", "rank"], kind="stable").drop(columns="_f")
    return table.reset_index(drop=True)


def position_profile(occurrences: pd.DataFrame, *, bins: int = 3) -> pd.DataFrame:
    """Where slogans cluster along documents: share of each group's occurrences per part.

    Each document is cut into ``bins`` equal parts by position (0–1); the table gives, per
    group, the number of occurrences and the share falling in each part ("1/3", "2/3",
    "3/3" for thirds), so groups that front-load or close with formulations stand out.
    """
    occ = occurrences
    part = np.minimum((occ["position"].to_numpy() * bins).astype(int), bins - 1)
    labels = [f"{k + 1}/{bins}" for k in range(bins)]
    tab = pd.crosstab(occ["group"], pd.Categorical([labels[k] for k in part], categories=labels))
    shares = tab.div(tab.sum(axis=1), axis=0).round(3)
    shares.insert(0, "occurrences", tab.sum(axis=1))
    shares.columns.name = None
    return shares.reset_index()


# --------------------------------------------------------------------------- lexicon and glossary

LEXICON_COLUMNS = ["term", "freq", "pos", "gloss"]


def lexicon_candidates(slogans: pd.DataFrame, *, top: int | None = 100, min_docs: int = 1,
                       lexicon: str | Path | None = None, glossary: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mined formulations that the segmentation lexicon does not have yet, for review.

    Never writes the lexicon: the rows are proposals for a person to check and paste
    into ``data/lexicon.tsv`` (see ``docs/feeding-the-lexicon.md``).

    A candidate term is a slogan among the ``top`` first (or an item of a series among
    them) that is made only of Chinese characters, 3–12 long, found in at least
    ``min_docs`` documents, is not in the lexicon, and that the segmenter (jieba with the
    current lexicon) does not already keep whole.

    Returns
    -------
    DataFrame
        term, freq (empty: jieba picks the smallest frequency that keeps it whole), pos
        (``l``: fixed expression or formulation), gloss (from the glossary, else empty: to
        write), then the evidence for the reviewer: rank, kind, count, n_docs, source
        (the slogan it comes from).
    """
    from .lexicon import is_word, load_lexicon

    known = set(load_lexicon(lexicon)["term"])
    gl = load_glossary() if glossary is None else glossary
    gloss = dict(zip(gl["term"], gl["english"])) if len(gl) else {}
    sl = slogans.head(top) if top is not None else slogans
    sl = sl[sl["n_docs"] >= min_docs]
    rows, seen = [], set()
    only_cjk = re.compile(f"^[{CJK_CLASS}]{{3,12}}$")
    for r in sl.itertuples(index=False):
        terms = [(r.slogan, r.slogan)]
        if "、" in r.slogan or "，" in r.slogan:
            terms = [(it, r.slogan) for it in re.split("[、，]", r.slogan)]
        for term, source in terms:
            term = term.strip("“”「」")
            if term in seen or term in known or not only_cjk.match(term):
                continue
            seen.add(term)
            if is_word(term, lexicon):
                continue
            rows.append({"term": term, "freq": "", "pos": "l", "gloss": gloss.get(term, ""),
                         "rank": int(r.rank), "kind": r.kind, "count": int(r.count), "n_docs": int(r.n_docs),
                         "source": source})
    return pd.DataFrame(rows, columns=LEXICON_COLUMNS + ["rank", "kind", "count", "n_docs", "source"])


def write_lexicon_candidates(candidates: pd.DataFrame, path: str | Path) -> Path:
    """Write :func:`lexicon_candidates` as a TSV for review (never into the lexicon itself).

    The file has the lexicon's four columns; above each row a ``#`` comment gives the
    evidence (rank, kind, count, documents, source), so reviewed rows can be pasted
    into ``analysis/data/lexicon.tsv`` as they are. Refuses to overwrite the lexicon.
    """
    from .config import data_file as _df

    path = Path(path)
    if path.resolve() == _df("lexicon.tsv").resolve():
        raise ValueError("write the candidates to a review file, not into the lexicon itself")
    lines = [
        "# Lexicon candidates mined by analysis.slogans.find_slogans(); NOT part of the lexicon.",
        "# Review each row (docs/feeding-the-lexicon.md): keep real formulations, write or check",
        "# the English gloss, then paste the kept rows (without the comment lines) into",
        "# analysis/data/lexicon.tsv.",
        "\t".join(LEXICON_COLUMNS),
    ]
    for r in candidates.itertuples(index=False):
        lines.append(f"# rank {r.rank} · {r.kind} · {r.count} occurrences in {r.n_docs} documents · from {r.source}")
        lines.append("\t".join(str(getattr(r, c)) for c in LEXICON_COLUMNS))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GLOSSARY_COLUMNS = ["term", "pinyin", "english", "note"]


def pinyin(text: str) -> str:
    """Hanyu pinyin with tone marks, one syllable per character, separated by spaces.

    Uses pypinyin's own dictionary of words for the readings of polyphones (重要 zhòng,
    重复 chóng); punctuation and other characters are kept as they are.
    """
    from pypinyin import Style, pinyin as _pinyin

    opening, tight = "“「『‘（", "“「『‘（、，。；：！？"
    out = ""
    for (syl,) in _pinyin(text, style=Style.TONE, errors=lambda x: [x]):
        if not any(c.isalpha() for c in syl):  # a run of punctuation
            if syl[0] in opening:
                out += (" " if out and not out.endswith(" ") else "") + syl
            else:
                out = out.rstrip(" ") + syl
        else:
            out += ("" if not out or out[-1] in tight else " ") + syl
    return out


def load_glossary(path: str | Path | None = None) -> pd.DataFrame:
    """The bilingual glossary of formulations (``data/glossary.tsv``).

    Columns term, pinyin, english, note; an empty pinyin is generated with :func:`pinyin`.
    Raises ValueError for a missing column, a duplicate term or a row without English.
    """
    path = Path(path) if path else data_file("glossary.tsv")
    df = pd.read_csv(path, sep="\t", dtype=str, comment="#", keep_default_na=False, quoting=csv.QUOTE_NONE)
    missing = set(GLOSSARY_COLUMNS) - set(df.columns)
    if missing:
        raise ValueError(f"{path}: the glossary needs the columns {', '.join(GLOSSARY_COLUMNS)}; missing {sorted(missing)}")
    for c in GLOSSARY_COLUMNS:
        df[c] = df[c].str.strip()
    dup = sorted(df.loc[df["term"].duplicated(), "term"])
    if dup:
        raise ValueError(f"{path}: duplicate terms {dup}")
    empty = df.loc[(df["term"] == "") | (df["english"] == ""), "term"].tolist()
    if empty:
        raise ValueError(f"{path}: every row needs a term and an English gloss (check {empty})")
    df["pinyin"] = [p or pinyin(t) for t, p in zip(df["term"], df["pinyin"])]
    return df[GLOSSARY_COLUMNS].reset_index(drop=True)


def glossary_join(slogans: pd.DataFrame, glossary: pd.DataFrame | None = None) -> pd.DataFrame:
    """Slogans with pinyin and their English gloss, for readers who do not read Chinese.

    Every slogan keeps its row: ``pinyin`` is taken from the glossary or generated, and
    ``english`` is empty (``glossed`` False) when the glossary has no entry yet, so
    missing glosses show instead of disappearing (see :func:`missing_glosses`).
    """
    gl = load_glossary() if glossary is None else glossary
    out = slogans.merge(gl.rename(columns={"term": "slogan"}), on="slogan", how="left")
    out["glossed"] = out["english"].fillna("").ne("")
    out["pinyin"] = [p if isinstance(p, str) and p else pinyin(t) for t, p in zip(out["slogan"], out["pinyin"])]
    out[["english", "note"]] = out[["english", "note"]].fillna("")
    return out


def missing_glosses(slogans: pd.DataFrame, glossary: pd.DataFrame | None = None, *, top: int = 50) -> pd.DataFrame:
    """The ``top`` best-ranked slogans that the glossary does not gloss yet (rank, slogan, kind, pinyin)."""
    joined = glossary_join(slogans.head(top), glossary)
    return joined.loc[~joined["glossed"], ["rank", "slogan", "kind", "pinyin"]].reset_index(drop=True)
