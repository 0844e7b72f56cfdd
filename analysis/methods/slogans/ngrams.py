"""Counting strings in a corpus: the hashing index (:class:`TextIndex`), :func:`recurring_ngrams`, :func:`positions`."""
from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

from ...cluster import DaskPool, scheduler_address
from ...text import CJK_CLASS, codepoints
from .settings import Settings

__all__ = ["TextIndex", "recurring_ngrams", "positions", "occurrences", "DocumentTexts", "text_batches", "INDEX_CHARS"]

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
        # each character's document (the NUL after a document counts as its own): an empty last text included
        sizes = np.array([len(t) + 1 for t in self.texts], dtype=np.int64)
        self.doc_of = np.repeat(np.arange(len(self.texts), dtype=np.int64), sizes)[:n]
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

    Out of core: the texts are indexed in runs of about :data:`INDEX_CHARS` characters
    (:func:`text_batches`). With one run, as for most corpora, everything stays in memory;
    with several, each level reads the texts again (``texts`` is then best a lazy sequence
    such as :class:`DocumentTexts`), the candidate positions of each run wait in a
    temporary folder, and memory holds the n-gram tables (which grow with the corpus'
    vocabulary of n-grams, not with its text). The result is the same either way.

    Returns
    -------
    DataFrame
        ngram, length, count, n_docs, left_variety, right_variety; sorted by
        count (descending), then n-gram.
    """
    cols = ["ngram", "length", "count", "n_docs", "left_variety", "right_variety"]
    with _Runs(texts) as runs:
        rows = []
        level, frequent, stats = 2, None, None
        while True:
            parts, variety = [], []
            for r, run in runs:
                if level == 2:
                    pos = run.starts_of(2)
                else:
                    prev = runs.load(r)
                    pos_prev = prev[_member(run.idx.window(prev, level - 1), frequent)]
                    if level - 1 >= min_len:
                        variety.append(run.variety(pos_prev, level - 1))
                    if level > max_len:
                        continue
                    pos = pos_prev[pos_prev + level <= run.run_end[pos_prev]]
                    pos = pos[_member(run.idx.window(pos + 1, level - 1), frequent)]
                parts.append(_group_stats(run.idx.window(pos, level), run.idx.doc_of[pos]))
                runs.save(r, pos)
                if len(parts) > 1 and sum(len(p[0]) for p in parts) >= MERGE_AT:  # the runs' tables, merged
                    parts = [_sum_stats(parts)]
                if len(variety) > 1 and sum(len(v[0]) for v in variety) >= MERGE_AT:
                    variety = [_merge_variety(variety)]
            if variety:
                rows += _closed(variety, stats, level - 1, texts)
            if level > max_len or not parts:
                break
            stats = _sum_stats(parts)
            frequent = stats[0][stats[2] >= min_docs]
            if not len(frequent):
                break
            level += 1
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["count", "ngram"], ascending=[False, True], kind="stable").reset_index(drop=True)


#: entries of the runs' n-gram tables held before they are merged (:func:`recurring_ngrams`)
MERGE_AT = 4_000_000

#: Characters of text indexed at once by :func:`recurring_ngrams`, :func:`occurrences` and the miner (about
#: 40 bytes of index per character: 4 million characters take about 160 MB).
INDEX_CHARS = 4_000_000


def text_batches(texts: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """Consecutive runs of ``texts`` of about :data:`INDEX_CHARS` characters: (index of the first text, texts).

    A text is never split; a text longer than :data:`INDEX_CHARS` is a run of its own.
    """
    batch: list[str] = []
    first = n = 0
    for i, t in enumerate(texts):
        if batch and n + len(t) > INDEX_CHARS:
            yield first, batch
            batch, first, n = [], i, 0
        batch.append(t)
        n += len(t)
    if batch:
        yield first, batch


class DocumentTexts(Sequence):
    """The clean texts of documents as a sequence, each read (from the document cache) when asked for.

    ``DocumentTexts(corp)`` is a sequence of strings that does not hold the texts: the slogan
    miner reads a large corpus through it run by run (:func:`text_batches`). ``lengths`` are the
    texts' lengths, known without reading them.
    """

    def __init__(self, docs: Iterable, index: Sequence[int] | None = None):
        self.docs = list(docs)
        self.index = list(range(len(self.docs))) if index is None else list(index)

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return DocumentTexts(self.docs, self.index[i])
        return self.docs[self.index[i]].text

    def __iter__(self) -> Iterator[str]:
        return (self.docs[k].text for k in self.index)

    def subset(self, index: Sequence[int]) -> "DocumentTexts":
        """The texts at ``index`` (positions in this sequence)."""
        return DocumentTexts(self.docs, [self.index[i] for i in index])

    @property
    def lengths(self) -> np.ndarray:
        return np.array([self.docs[k].n_chars for k in self.index], dtype=np.int64)


def subset(texts: Sequence[str], index: Sequence[int]) -> Sequence[str]:
    """The texts at ``index``: a list, or a :class:`DocumentTexts` that still reads lazily."""
    if isinstance(texts, DocumentTexts):
        return texts.subset(index)
    return [texts[i] for i in index]


def text_lengths(texts: Sequence[str]) -> np.ndarray:
    """The lengths of ``texts`` (without reading a :class:`DocumentTexts`)."""
    if isinstance(texts, DocumentTexts):
        return texts.lengths
    return np.array([len(t) for t in texts], dtype=np.int64)


class _Run:
    """One run of texts indexed (:class:`TextIndex`) with the bounds of its runs of Chinese characters."""

    def __init__(self, first: int, texts: list[str]):
        self.first = first
        self.idx = idx = TextIndex(texts)
        N = len(idx.codes)
        self.is_cjk = _cjk_mask(idx.codes)
        pos_all = np.arange(N, dtype=np.int64)
        # a sentinel break at each end, so a text of Chinese characters only has bounds too
        breaks = np.r_[-1, np.flatnonzero(~self.is_cjk), N]
        nxt = np.searchsorted(breaks, pos_all, side="left")
        self.run_end = breaks[nxt]
        self.run_start = breaks[np.searchsorted(breaks, pos_all, side="right") - 1] + 1

    def starts_of(self, n: int) -> np.ndarray:
        """Positions where a window of ``n`` Chinese characters starts."""
        pos = np.arange(len(self.idx.codes), dtype=np.int64)
        return pos[self.is_cjk & (pos + n <= self.run_end)]

    def variety(self, pos: np.ndarray, n: int):
        """For the n-grams at ``pos``: left and right neighbours, and the first occurrence of each."""
        idx = self.idx
        N = len(idx.codes)
        h = idx.window(pos, n)
        inner_left = pos > self.run_start[pos]
        left = idx.codes[np.maximum(pos - 1, 0)].astype(np.int64)
        right_pos = pos + n
        inner_right = right_pos < self.run_end[pos]
        right = idx.codes[np.minimum(right_pos, N - 1)].astype(np.int64)
        order = np.lexsort((pos, h))
        hs = h[order]
        new = np.r_[True, hs[1:] != hs[:-1]] if len(hs) else np.zeros(0, dtype=bool)
        first = pos[order][new]
        doc = idx.doc_of[first]
        return (hs[new], (self.first + doc).astype(np.int64), first - idx.starts[doc],
                _pairs(h[inner_left], left[inner_left]), _tally(h[~inner_left]),
                _pairs(h[inner_right], right[inner_right]), _tally(h[~inner_right]))


class _Runs:
    """The runs of :func:`text_batches` over ``texts``, read again for each pass; with one run, kept in memory.

    ``save``/``load`` keep an array per run between passes: in memory with one run, else in a
    temporary folder removed at the end.
    """

    def __init__(self, texts: Sequence[str]):
        self.texts = texts
        # one run (text_batches) when the texts fit in INDEX_CHARS or there is one text: their lengths tell, so
        # nothing is read twice
        one = len(texts) <= 1 or int(text_lengths(texts).sum()) <= INDEX_CHARS
        self.single: _Run | None = _Run(0, list(texts)) if one and len(texts) else None
        self.n_runs = 0 if not len(texts) else (1 if one else 2)
        self.held: dict[int, np.ndarray] = {}
        self.folder: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> "_Runs":
        if self.n_runs > 1:
            self.folder = tempfile.TemporaryDirectory(prefix="analysis-ngrams-")
        return self

    def __exit__(self, *exc) -> None:
        if self.folder is not None:
            self.folder.cleanup()

    def __iter__(self) -> Iterator[tuple[int, _Run]]:
        if self.single is not None:
            if len(self.single.idx.codes):
                yield 0, self.single
            return
        for r, (first, batch) in enumerate(text_batches(self.texts)):
            run = _Run(first, batch)
            if len(run.idx.codes):
                yield r, run

    def save(self, r: int, arr: np.ndarray) -> None:
        if self.folder is None:
            self.held[r] = arr
        else:
            np.save(Path(self.folder.name) / f"{r}.npy", arr)

    def load(self, r: int) -> np.ndarray:
        if self.folder is None:
            return self.held[r]
        return np.load(Path(self.folder.name) / f"{r}.npy")


def _pairs(h: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (hash, value) pairs."""
    if not len(h):
        return h, other
    order = np.lexsort((other, h))
    hs, os_ = h[order], other[order]
    new = np.r_[True, (hs[1:] != hs[:-1]) | (os_[1:] != os_[:-1])]
    return hs[new], os_[new]


def _tally(h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct hashes and how often each occurs."""
    u, c = np.unique(h, return_counts=True)
    return u, c.astype(np.int64)


def _sum_stats(parts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Merge :func:`_group_stats` of runs with disjoint documents: counts and distinct documents add up."""
    if len(parts) == 1:
        return parts[0]
    h = np.concatenate([p[0] for p in parts])
    cnt = np.concatenate([p[1] for p in parts])
    ndoc = np.concatenate([p[2] for p in parts])
    return _reduce(h, cnt, ndoc)


def _reduce(h: np.ndarray, *values: np.ndarray):
    """Distinct hashes (sorted) with each value summed over equal hashes."""
    order = np.argsort(h, kind="stable")
    hs = h[order]
    if not len(hs):
        return (hs, *(v[order] for v in values))
    idx = np.flatnonzero(np.r_[True, hs[1:] != hs[:-1]])
    return (hs[idx], *(np.add.reduceat(v[order], idx) for v in values))


def _merge_variety(parts) -> tuple:
    """Several runs' :meth:`_Run.variety` as one: each n-gram's first occurrence, the distinct (n-gram,
    neighbour) pairs, the run boundaries summed."""
    keys = np.concatenate([p[0] for p in parts])
    docs = np.concatenate([p[1] for p in parts])
    offs = np.concatenate([p[2] for p in parts])
    order = np.lexsort((offs, docs, keys))
    keys, docs, offs = keys[order], docs[order], offs[order]
    new = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, dtype=bool)
    merged = [keys[new], docs[new], offs[new]]
    for k in (3, 5):
        merged.append(_pairs(np.concatenate([p[k][0] for p in parts]), np.concatenate([p[k][1] for p in parts])))
        merged.append(_reduce(np.concatenate([p[k + 1][0] for p in parts]), np.concatenate([p[k + 1][1] for p in parts])))
    return tuple(merged)


def _variety_of(keys: np.ndarray, pair_parts, tally_parts) -> np.ndarray:
    """Distinct neighbours of each of ``keys`` (sorted): distinct neighbour characters over all runs, plus
    every run boundary (each counts as a new neighbour)."""
    h = np.concatenate([p[0] for p in pair_parts])
    v = np.concatenate([p[1] for p in pair_parts])
    h, _ = _pairs(h, v)
    out = np.zeros(len(keys), dtype=np.int64)
    u, c = np.unique(h, return_counts=True)
    out[np.searchsorted(keys, u)] += c
    th = np.concatenate([p[0] for p in tally_parts])
    tc = np.concatenate([p[1] for p in tally_parts])
    np.add.at(out, np.searchsorted(keys, th), tc)
    return out


def _closed(parts, stats, n: int, texts: Sequence[str]) -> list[tuple]:
    """Rows of the closed n-grams of length ``n`` from the runs' :meth:`_Run.variety`."""
    uh, cnt, ndoc = stats
    keys = np.concatenate([p[0] for p in parts])
    docs = np.concatenate([p[1] for p in parts])
    offs = np.concatenate([p[2] for p in parts])
    order = np.lexsort((offs, docs, keys))  # the first occurrence: the earliest document, then offset
    keys, docs, offs = keys[order], docs[order], offs[order]
    new = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, dtype=bool)
    keys, docs, offs = keys[new], docs[new], offs[new]
    lv = _variety_of(keys, [p[3] for p in parts], [p[4] for p in parts])
    rv = _variety_of(keys, [p[5] for p in parts], [p[6] for p in parts])
    at = np.searchsorted(uh, keys)
    closed = np.flatnonzero((lv >= 2) & (rv >= 2))
    rows = []
    for k in closed:
        d, o = int(docs[k]), int(offs[k])
        rows.append((texts[d][o : o + n], n, int(cnt[at[k]]), int(ndoc[at[k]]), int(lv[k]), int(rv[k])))
    return rows


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


def occurrences(texts: Sequence[str], strings: Iterable[str], s: Settings) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every occurrence of each string in ``texts``, as (document indices, offsets), in corpus order.

    The texts are indexed run by run (:func:`text_batches`), so a corpus larger than memory is
    searched with :data:`INDEX_CHARS` characters indexed at a time; what is held is the
    occurrences found, three 32-bit numbers each. With a Dask scheduler (``$ANALYSIS_SCHEDULER``) each run is
    searched by a worker (:func:`run_occurrences`). Numerals are treated as in :func:`positions`.
    """
    strings = list(dict.fromkeys(strings))
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    first = 0

    def gather(found) -> None:
        nonlocal first
        n_texts, which, docs, offs = found
        parts.append((which, (first + docs).astype(np.int32), offs))
        first += n_texts

    if scheduler_address():
        with DaskPool(scheduler_address()) as pool:
            for f in pool.map_runs(run_occurrences, texts, INDEX_CHARS, strings, s):
                gather(f.result())
    else:
        for _, batch in text_batches(texts):
            gather(run_occurrences(batch, strings, s))
    which = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int32)
    order = np.argsort(which, kind="stable")  # by string; runs, and positions within a run, stay in order
    which = which[order]
    docs = np.concatenate([p[1] for p in parts])[order] if parts else which
    offs = np.concatenate([p[2] for p in parts])[order] if parts else which
    bounds = np.searchsorted(which, np.arange(len(strings) + 1))
    return {t: (docs[bounds[i]:bounds[i + 1]], offs[bounds[i]:bounds[i + 1]]) for i, t in enumerate(strings)}


def run_occurrences(texts: Sequence[str], strings: Sequence[str], s: Settings
                    ) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """The occurrences of ``strings`` in a run of texts: (the number of texts, then for each occurrence the
    string's index in ``strings``, the document in the run and the offset, by string then position)."""
    idx = TextIndex(list(texts))
    found = positions(idx, strings, s)
    which, pos = [], []
    for i, t in enumerate(strings):
        p = found.get(t)
        if p is not None and len(p):
            which.append(np.full(len(p), i, dtype=np.int32))
            pos.append(p)
    if not pos:
        empty = np.zeros(0, dtype=np.int32)
        return len(idx.texts), empty, empty, empty
    pos = np.concatenate(pos)
    docs = idx.doc_of[pos]
    return len(idx.texts), np.concatenate(which), docs.astype(np.int32), (pos - idx.starts[docs]).astype(np.int32)
