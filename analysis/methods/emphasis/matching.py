"""Matching: every occurrence of every lexicon term in a text, and what the rules make of it.

Occurrences are found as substrings (all of them, also overlapping ones),
then exclusion contexts, token matching and longest-match-first decide which
count. :func:`match_corpus` does this for a whole corpus at once (memoised);
:func:`match_text` shows the result for one string.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from ...cluster import DaskPool, scheduler_address
from ...corpus import Corpus
from ...tokenization import segment_pairs
from ...text import codepoints, sentence_spans
from .instrument import EmphasisLexicon, load_emphasis_lexicon

__all__ = ["COUNTED", "EXCLUDED", "NOT_TOKEN", "INSIDE", "DocMatch", "resolve_overlaps", "match_texts",
           "match_corpus", "status_label", "match_text"]

#: Status of an occurrence: it counts.
COUNTED = 0
#: Status of an occurrence: it lies inside one of its term's exclusion contexts.
EXCLUDED = 1
#: Status of an occurrence: token matching, and the segmenter puts it inside a longer word.
NOT_TOKEN = 2
#: Status of an occurrence: a longer (or, on a tie, earlier) overlapping match won.
INSIDE = 3


@dataclass
class DocMatch:
    """All occurrences of all terms in one text, with what happened to each."""

    n_chars: int
    sentences: np.ndarray  # (n, 2)
    start: np.ndarray
    end: np.ndarray
    term: np.ndarray  # index into lexicon.compiled
    status: np.ndarray
    detail: list  # exclusion context, covering token, or index of the winning occurrence


def _find_all(text: str, sub: str) -> list[int]:
    out, i = [], text.find(sub)
    while i >= 0:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


def resolve_overlaps(start: np.ndarray, end: np.ndarray, order_key: list[str], live: np.ndarray, n_chars: int):
    """Longest match first among the ``live`` occurrences.

    Returns (accepted mask, blocker index or -1). Occurrences that overlap no
    other live occurrence are accepted without the greedy loop.
    """
    n = len(start)
    accepted = np.zeros(n, dtype=bool)
    blocker = np.full(n, -1, dtype=np.int64)
    idx = np.flatnonzero(live)
    if idx.size == 0:
        return accepted, blocker
    by_start = idx[np.lexsort((end[idx], start[idx]))]
    s, e = start[by_start], end[by_start]
    run_end = np.maximum.accumulate(e)
    new_cluster = np.ones(len(by_start), dtype=bool)
    new_cluster[1:] = s[1:] >= run_end[:-1]
    cluster = np.cumsum(new_cluster)
    sizes = np.bincount(cluster)
    single = sizes[cluster] == 1
    accepted[by_start[single]] = True
    crowded = by_start[~single]
    if crowded.size:
        lengths = end[crowded] - start[crowded]
        keys = np.asarray(order_key, dtype=object)[crowded].astype(str)
        order = crowded[np.lexsort((keys, start[crowded], -lengths))]
        owner = np.full(n_chars, -1, dtype=np.int64)
        for ci in order:
            seg = owner[start[ci]:end[ci]]
            taken = seg[seg >= 0]
            if taken.size:
                blocker[ci] = taken[0]
            else:
                owner[start[ci]:end[ci]] = ci
                accepted[ci] = True
    return accepted, blocker


class _Finder:
    """All (also overlapping) occurrences of literal strings in one text, with numpy.

    The text's code points are sorted once (stable, so equal characters keep
    their order); the occurrences of a string are the positions of its first
    character, narrowed by comparing each following character.
    """

    def __init__(self, text: str):
        self.codes = codepoints(text)
        self.order = np.argsort(self.codes, kind="stable")
        self.sorted = self.codes[self.order]

    def find(self, s: str) -> np.ndarray:
        c = codepoints(s)
        lo, hi = np.searchsorted(self.sorted, c[0], side="left"), np.searchsorted(self.sorted, c[0], side="right")
        pos = self.order[lo:hi]
        n = self.codes.size
        for k in range(1, c.size):
            pos = pos[pos + k < n]
            pos = pos[self.codes[pos + k] == c[k]]
        return pos.astype(np.int64)


_SEP = "\x00"  # joins the texts of a corpus; no term contains it, so no match spans two documents


@dataclass
class _Occurrences:
    """Every occurrence in the joined texts (parallel arrays), while the rules are applied."""

    start: np.ndarray
    end: np.ndarray
    term: np.ndarray
    names: np.ndarray  # the term of each occurrence, as a string (tie-break of the overlap resolution)
    status: np.ndarray
    detail: np.ndarray


def _find_occurrences(finder: _Finder, lex: EmphasisLexicon) -> _Occurrences:
    """Every occurrence of every term, marked excluded where an exclusion context covers it."""
    starts, terms, status, detail = [], [], [], []
    for ti, t in enumerate(lex.compiled):
        pos = finder.find(t.term)
        if not pos.size:
            continue
        st = np.full(pos.size, COUNTED, dtype=np.int8)
        det = np.full(pos.size, None, dtype=object)
        for ctx in t.exclude:  # sorted: the first context that covers an occurrence is reported
            where = finder.find(ctx)
            if where.size:
                blocked = (where[:, None] + np.array(_find_all(ctx, t.term))[None, :]).ravel()
                hit = np.isin(pos, blocked) & (st == COUNTED)
                st[hit], det[hit] = EXCLUDED, ctx
        starts.append(pos)
        terms.append(np.full(pos.size, ti, dtype=np.int64))
        status.append(st)
        detail.append(det)
    start = np.concatenate(starts) if starts else np.zeros(0, dtype=np.int64)
    term = np.concatenate(terms) if terms else np.zeros(0, dtype=np.int64)
    status_a = np.concatenate(status) if status else np.zeros(0, dtype=np.int8)
    detail_a = np.concatenate(detail) if detail else np.zeros(0, dtype=object)
    lengths = np.array([len(t.term) for t in lex.compiled], dtype=np.int64)
    names = np.array([t.term for t in lex.compiled], dtype=object)[term]
    return _Occurrences(start, start + lengths[term], term, names, status_a, detail_a)


def _resolve_with_tokens(occ: _Occurrences, lex: EmphasisLexicon, joined: str, sents: np.ndarray, segmentation=None):
    """Longest match first, with token matching; returns (accepted, blocker) and marks NOT_TOKEN in ``occ``.

    Only occurrences that win the overlap resolution need the segmenter; one
    that is not a word of its own is dropped and the resolution is run again.
    """
    accepted, blocker = resolve_overlaps(occ.start, occ.end, occ.names, occ.status == COUNTED, len(joined))
    token_mode = np.array([t.match == "token" for t in lex.compiled], dtype=bool)[occ.term]
    checked = np.zeros(len(occ.start), dtype=bool)
    while (check := np.flatnonzero(accepted & token_mode & ~checked)).size:
        checked[check] = True
        sidx = np.searchsorted(sents[:, 0], occ.start[check], side="right") - 1
        for si in np.unique(sidx):
            s0, s1 = (int(x) for x in sents[si])
            tok_starts, toks, off = [], [], s0
            for tok, _ in segment_pairs(joined[s0:s1], segmentation):
                tok_starts.append(off)
                toks.append(tok)
                off += len(tok)
            for ci in check[sidx == si]:
                k = bisect.bisect_right(tok_starts, int(occ.start[ci])) - 1
                if toks[k] != occ.names[ci] or tok_starts[k] != occ.start[ci]:
                    occ.status[ci], occ.detail[ci] = NOT_TOKEN, toks[k]
        accepted, blocker = resolve_overlaps(occ.start, occ.end, occ.names, occ.status == COUNTED, len(joined))
    return accepted, blocker


def _split_by_document(occ: _Occurrences, accepted: np.ndarray, blocker: np.ndarray, lens: np.ndarray,
                       offsets: np.ndarray, doc_sents: list) -> tuple[DocMatch, ...]:
    """One :class:`DocMatch` per text; occurrences in document order of start, then term."""
    inside = (occ.status == COUNTED) & ~accepted
    occ.status[inside] = INSIDE
    doc = np.searchsorted(offsets, occ.start, side="right") - 1
    perm = np.lexsort((occ.term, occ.start, doc))
    local = np.empty(len(perm), dtype=np.int64)
    local[perm] = np.arange(len(perm))
    first = np.searchsorted(doc[perm], np.arange(len(lens)), side="left")
    local -= first[doc]
    occ.detail[inside] = local[blocker[inside]]  # the winning occurrence, by its index within the document
    bounds = np.append(first, len(perm))
    out = []
    for di in range(len(lens)):
        sel = perm[bounds[di]:bounds[di + 1]]
        out.append(DocMatch(int(lens[di]), doc_sents[di], occ.start[sel] - offsets[di], occ.end[sel] - offsets[di],
                            occ.term[sel], occ.status[sel], list(occ.detail[sel])))
    return tuple(out)


@lru_cache(maxsize=8)
def match_texts(texts: tuple[str, ...], lex: EmphasisLexicon, segmentation=None) -> tuple[DocMatch, ...]:
    """Match the lexicon in several texts at once (one search per term over the joined texts).

    ``segmentation`` is the lexicon of the segmenter that decides ``match: token`` terms (a corpus's own,
    :attr:`analysis.Corpus.lexicon`; None: the package's)."""
    joined = _SEP.join(texts)
    lens = np.array([len(t) for t in texts], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lens + 1)[:-1]]).astype(np.int64)
    doc_sents = [sentence_spans(t) for t in texts]
    sents = np.vstack([s + o for s, o in zip(doc_sents, offsets)]) if texts else np.zeros((0, 2), dtype=np.int64)
    occ = _find_occurrences(_Finder(joined), lex)
    accepted, blocker = _resolve_with_tokens(occ, lex, joined, sents, segmentation)
    return _split_by_document(occ, accepted, blocker, lens, offsets, doc_sents)


def _match(text: str, lex: EmphasisLexicon) -> DocMatch:
    return match_texts((text,), lex)[0]


#: characters of text matched together at most: a corpus is matched in runs of documents this long, so its
#: texts are never all in memory (no match spans two documents, so the runs give what one run would)
MATCH_CHUNK_CHARS = 20_000_000
#: the matches of the corpora matched last (keyed by their documents' digests, the lexicon and the segmenter's)
_CORPUS_MATCHES: dict = {}


#: characters of text in each task on a Dask cluster
CLUSTER_CHUNK_CHARS = 4_000_000


def match_run(texts: list[str], lex: EmphasisLexicon, segmentation=None) -> tuple[DocMatch, ...]:
    """:func:`match_texts` of a run of texts, not memoised: a task on a Dask cluster."""
    return match_texts.__wrapped__(tuple(texts), lex, segmentation)


def match_corpus(corp: Corpus, lex: EmphasisLexicon) -> tuple[DocMatch, ...]:
    """:func:`match_texts` of the corpus's clean texts: one :class:`DocMatch` per document, in corpus order.

    The texts are read and matched in runs of :data:`MATCH_CHUNK_CHARS` characters; the result is memoised for
    the last few corpora (by the documents' digests, so without reading a text). With a Dask scheduler
    (``$ANALYSIS_SCHEDULER``, :mod:`analysis.cluster`) the runs, of :data:`CLUSTER_CHUNK_CHARS` characters, are
    matched by the cluster's workers, the lexicon travelling with each task; no match spans two documents, so
    the result is the same."""
    k = (tuple(d.digest for d in corp), lex, corp.lexicon)
    hit = _CORPUS_MATCHES.get(k)
    if hit is not None:
        return hit
    if scheduler_address():
        with DaskPool(scheduler_address(), needs=tuple(corp.lexicon or ())) as pool:
            runs = pool.map_runs(match_run, corp.texts(), CLUSTER_CHUNK_CHARS, lex, corp.lexicon)
            out = tuple(m for f in runs for m in f.result())
    elif sum(d.n_chars for d in corp) <= MATCH_CHUNK_CHARS:
        out = match_texts(tuple(corp.texts()), lex, corp.lexicon)
    else:
        parts, run, n = [], [], 0
        for d in corp:
            run.append(d.text)
            n += d.n_chars
            if n >= MATCH_CHUNK_CHARS:
                parts.extend(match_texts.__wrapped__(tuple(run), lex, corp.lexicon))
                run, n = [], 0
        if run:
            parts.extend(match_texts.__wrapped__(tuple(run), lex, corp.lexicon))
        out = tuple(parts)
    while len(_CORPUS_MATCHES) >= 4:
        _CORPUS_MATCHES.pop(next(iter(_CORPUS_MATCHES)))
    _CORPUS_MATCHES[k] = out
    return out


def status_label(m: DocMatch, i: int, lex: EmphasisLexicon) -> str:
    """What happened to occurrence ``i`` of ``m``, in words (``counted``, ``excluded: inside 要求`` …)."""
    st = m.status[i]
    if st == COUNTED:
        return "counted"
    if st == EXCLUDED:
        return f"excluded: inside {m.detail[i]}"
    if st == NOT_TOKEN:
        return f"not a word: inside {m.detail[i]}"
    return f"overlapped by {lex.compiled[m.term[m.detail[i]]].term}"


def match_text(text: str, lexicon=None) -> pd.DataFrame:
    """Every occurrence of every lexicon term in ``text``, and whether it counts.

    Returns
    -------
    DataFrame
        start, end, term, categories (``+``-joined ids), counted (bool) and
        status: ``counted``, ``excluded: inside 要求``, ``not a word: inside
        须臾`` (token matching) or ``overlapped by 决不能`` (a longer match won);
        sorted by start, then term.
    """
    lex = load_emphasis_lexicon(lexicon)
    m = _match(text, lex)
    cats = lex.category_ids
    rows = [(int(m.start[i]), int(m.end[i]), lex.compiled[m.term[i]].term,
             "+".join(cats[c] for c in lex.compiled[m.term[i]].categories),
             bool(m.status[i] == COUNTED), status_label(m, i, lex)) for i in range(len(m.start))]
    df = pd.DataFrame(rows, columns=["start", "end", "term", "categories", "counted", "status"])
    return df.sort_values(["start", "term"], kind="stable").reset_index(drop=True)
