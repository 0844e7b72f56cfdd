"""Counting strings in a corpus: the hashing index (:class:`TextIndex`), :func:`recurring_ngrams`, :func:`positions`."""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from ...text import CJK_CLASS, codepoints
from .settings import Settings

__all__ = ["TextIndex", "recurring_ngrams", "positions"]

_DIGITS = "0123456789"

_B = 0x100000001B3  # odd, so it has an inverse modulo 2**64
_BINV = pow(_B, -1, 2**64)
_MASK = 2**64 - 1


def _hash(s: str) -> int:
    """The polynomial hash of ``s`` that :meth:`TextIndex.window` computes for a window."""
    h, p = 0, 1
    for ch in s:
        h = (h + ord(ch) * p) & _MASK
        p = (p * _B) & _MASK
    return h


class TextIndex:
    """All texts joined (NUL between documents) with polynomial prefix hashes mod 2**64.

    ``window(pos, n)`` hashes the n characters at each position in O(1), so counting
    every occurrence of thousands of strings costs one vectorised pass per length.
    """

    def __init__(self, texts: Sequence[str]):
        self.texts = list(texts)
        joined = "\x00".join(self.texts)
        self.joined = joined
        self.codes = codepoints(joined).astype(np.uint64)
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
    idx = TextIndex(texts)
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


@lru_cache(maxsize=1)
def _cjk_ranges() -> tuple[tuple[int, int], ...]:
    """The code-point ranges of :data:`analysis.text.CJK_CLASS` (a character class of ranges)."""
    pairs = re.findall("(.)-(.)", CJK_CLASS, flags=re.S)
    if "".join(f"{a}-{b}" for a, b in pairs) != CJK_CLASS:
        raise ValueError(f"analysis.text.CJK_CLASS is not a class of ranges: {CJK_CLASS!r}")
    return tuple((ord(a), ord(b)) for a, b in pairs)


def _cjk_mask(codes: np.ndarray) -> np.ndarray:
    """Which code points are Chinese characters (:data:`analysis.text.CJK_CLASS`), for a whole array."""
    mask = np.zeros(len(codes), dtype=bool)
    for lo, hi in _cjk_ranges():
        mask |= (codes >= lo) & (codes <= hi)
    return mask


def positions(idx: TextIndex, strings: Iterable[str], s: Settings) -> dict[str, np.ndarray]:
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
