"""Which documents resemble each other, and which reuse each other's wording?

* :func:`doc_similarity`: cosine similarity of the documents' TF-IDF vectors
  (a square DataFrame), :func:`similarity_pairs` for the same in long format.
* :func:`cluster_linkage` / :func:`clusters`: hierarchical clustering of the
  documents on the distance ``1 - cosine`` (scipy).
* :func:`shared_passages`: the passages two documents have in common,
  character for character: maximal common substrings of at least
  ``min_len`` characters, found by hashing character n-grams (see its
  docstring for the algorithm and its cost). :func:`passage_summary` turns
  them into one row per pair of documents (how much of each one's text
  reappears in the other).

Similar vocabulary (cosine) and shared wording (passages) are different
things: two notices on the same topic share words; a notice that copies a
central directive shares sentences.
"""
from __future__ import annotations

import re
from typing import Iterable

import numpy as np
import pandas as pd

from ..corpus import Corpus
from ..vectors import dfm

__all__ = ["doc_similarity", "similarity_pairs", "cluster_linkage", "clusters", "shared_passages", "passage_summary",
           "passage_spread", "PASSAGE_COLUMNS"]

PASSAGE_COLUMNS = ["doc_a", "doc_b", "passage", "length", "start_a", "start_b"]
_HASH_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit multiplier (golden ratio); fixed, so results are reproducible
_WORD_RE = re.compile(r"\w")


# --------------------------------------------------------------------------- cosine similarity


def doc_similarity(corp: Corpus, *, sublinear_tf: bool = False, **options) -> pd.DataFrame:
    """Cosine similarity of every pair of documents on TF-IDF weights.

    The weights are those of :func:`analysis.tfidf` (scikit-learn's
    ``TfidfTransformer``: smooth IDF, L2-normalised rows), kept sparse, so the
    cosine is the dot product of two rows.

    Parameters
    ----------
    corp : Corpus
    sublinear_tf : bool
        Use ``1 + log(tf)`` instead of raw counts.
    **options
        Tokenizer options of :func:`analysis.tokenize` (e.g. ``drop_proper=True``).

    Returns
    -------
    DataFrame
        Square, documents × documents in corpus order, 1 on the diagonal
        (0 for a document with no tokens), symmetric.
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    d = dfm(corp, **options)
    x = TfidfTransformer(sublinear_tf=sublinear_tf).fit_transform(d.matrix)
    sim = (x @ x.T).toarray()
    sim = np.clip((sim + sim.T) / 2.0, 0.0, 1.0)
    idx = pd.Index(d.rows, name="doc_id")
    return pd.DataFrame(sim, index=idx, columns=pd.Index(d.rows, name="other"))


def similarity_pairs(sim: pd.DataFrame, groups: pd.Series | None = None) -> pd.DataFrame:
    """Long format of a square similarity matrix: one row per unordered pair.

    Parameters
    ----------
    sim : DataFrame
        Output of :func:`doc_similarity`.
    groups : Series, optional
        Document id → group (``corp.groups(by)``): adds ``group_a``,
        ``group_b`` and ``same_group``.

    Returns
    -------
    DataFrame
        doc_a, doc_b, similarity (``doc_a`` before ``doc_b`` in matrix
        order), most similar first, ties by doc_a, doc_b.
    """
    ids = list(sim.index)
    ia, ib = np.triu_indices(len(ids), k=1)
    vals = sim.to_numpy()[ia, ib]
    out = pd.DataFrame({"doc_a": np.asarray(ids, dtype=object)[ia], "doc_b": np.asarray(ids, dtype=object)[ib],
                        "similarity": vals})
    if groups is not None:
        out["group_a"] = out["doc_a"].map(groups)
        out["group_b"] = out["doc_b"].map(groups)
        out["same_group"] = out["group_a"] == out["group_b"]
    out = out.sort_values(["similarity", "doc_a", "doc_b"], ascending=[False, True, True], kind="stable")
    return out.reset_index(drop=True)


def cluster_linkage(sim: pd.DataFrame, method: str = "average") -> np.ndarray:
    """Hierarchical clustering of documents on the distance ``1 - similarity``.

    Parameters
    ----------
    sim : DataFrame
        Square similarity matrix (:func:`doc_similarity`).
    method : str
        scipy linkage method: ``"average"`` (UPGMA, default), ``"complete"``,
        ``"single"``, ``"weighted"``. (Ward and centroid assume Euclidean
        distances and are refused.)

    Returns
    -------
    numpy.ndarray
        scipy's linkage matrix (``scipy.cluster.hierarchy.linkage`` format),
        leaves in the order of ``sim.index``.
    """
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    if method in ("ward", "centroid", "median"):
        raise ValueError(f"method {method!r} needs Euclidean distances; use 'average', 'complete', 'single' or 'weighted'")
    if len(sim) < 2:
        raise ValueError("clustering needs at least two documents")
    dist = 1.0 - sim.to_numpy(dtype=float)
    dist = np.clip((dist + dist.T) / 2.0, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    return linkage(squareform(dist, checks=False), method=method)


def clusters(sim: pd.DataFrame, n_clusters: int, *, method: str = "average") -> pd.DataFrame:
    """Cut the document tree into ``n_clusters`` flat clusters.

    Returns
    -------
    DataFrame
        doc_id, cluster (1 … n, numbered by scipy's ``fcluster``).
    """
    from scipy.cluster.hierarchy import fcluster

    z = cluster_linkage(sim, method)
    labels = fcluster(z, t=n_clusters, criterion="maxclust")
    return pd.DataFrame({"doc_id": list(sim.index), "cluster": labels.astype(int)})


# --------------------------------------------------------------------------- shared passages


def _ngram_hashes(text: str, k: int) -> np.ndarray:
    """Polynomial hash (mod 2**64) of every character k-gram of ``text``; O(n·k) vectorised."""
    n = len(text) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        h = h * _HASH_BASE + codes[j : j + n]
    return h


def _pairs_within_groups(starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i < j) of every two elements inside each run ``[start, start+size)``."""
    # element e of a run pairs with the elements after it in the run
    n_elem = int(sizes.sum())
    elem = np.repeat(starts, sizes) + (np.arange(n_elem) - np.repeat(np.cumsum(sizes) - sizes, sizes))
    run_end = np.repeat(starts + sizes, sizes)
    n_after = run_end - elem - 1
    total = int(n_after.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    left = np.repeat(elem, n_after)
    offset = np.arange(total) - np.repeat(np.cumsum(n_after) - n_after, n_after)
    return left.astype(np.int64), (left + 1 + offset).astype(np.int64)


_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "(": ")", "【": "】", "《": "》", "〈": "〉"}


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so it begins and ends with a word character (letter, digit, CJK).

    A quotation mark or bracket is kept at either end when its partner is
    inside the span or encloses it (``“动态清零”`` stays balanced), but only
    within the original span.
    """
    s0, e0 = start, end
    while start < end and not _WORD_RE.match(text[start]):
        start += 1
    while end > start and not _WORD_RE.match(text[end - 1]):
        end -= 1
    if start == end:
        return start, end
    span = text[start:end]
    for op, cl in _PAIRS.items():
        if start > s0 and end < e0 and text[start - 1] == op and text[end] == cl:
            start, end = start - 1, end + 1  # an enclosing pair: “外防输入”
            span = text[start:end]
        if end < e0 and text[end] == cl and span.count(op) > span.count(cl):
            end += 1
            span = text[start:end]
        if start > s0 and text[start - 1] == op and span.count(cl) > span.count(op):
            start -= 1
            span = text[start:end]
    return start, end


def shared_passages(corp: Corpus | dict[str, str], *, min_len: int = 8, docs: Iterable[str] | None = None,
                    max_docs: int | None = None, dedupe: bool = True, max_pairs: int = 20_000_000) -> pd.DataFrame:
    """Passages of at least ``min_len`` characters that two documents share word for word.

    Algorithm: every character ``min_len``-gram of every (clean) text is
    hashed with a 64-bit polynomial hash (vectorised). The hashes of all
    documents are sorted together; equal hashes in different documents give
    matching positions ``(doc_a, i, doc_b, j)``. Matches on the same diagonal
    (same ``j - i``) with consecutive ``i`` are merged into one maximal
    common substring. Every passage is checked character by character before
    it is reported, so a hash collision can never produce a false passage.
    Passages are then trimmed to start and end on a word character (dropping
    leading/trailing whitespace and punctuation) and kept if still
    ``min_len`` characters long, so whitespace-only or punctuation-only runs
    (dotted leaders, blank lines) never count.

    Cost: O(N·k) to hash and O(N log N) to sort for N characters in all,
    plus O(P) for the P matching n-gram pairs. P grows with the square of how
    often one formula recurs (a phrase found in every one of D documents
    yields D²/2 pairs per n-gram), so set ``max_docs`` to skip n-grams
    present in more than that many documents (a corpus-wide formula is a
    finding of its own: count it with :func:`analysis.kwic`).

    Parameters
    ----------
    corp : Corpus or dict
        A corpus (its clean texts) or ``{doc_id: text}``.
    min_len : int
        Minimum passage length in characters (default 8; at least 2).
    docs : iterable of str, optional
        Only these document ids.
    max_docs : int, optional
        Ignore n-grams that occur in more than this many documents.
    dedupe : bool
        Keep one row per pair of documents and passage text (its first
        occurrence in each), with the number of occurrence pairs in ``n``.
        With False every occurrence pair is a row (``n`` = 1).
    max_pairs : int
        Refuse (ValueError, with advice) when more matching n-gram pairs than
        this would be materialised, instead of exhausting memory.

    Returns
    -------
    DataFrame
        doc_a, doc_b, passage, length, start_a, start_b, n. ``doc_a`` comes
        before ``doc_b`` in corpus order; offsets are character offsets into
        the clean texts (``text_a[start_a:start_a+length] == passage``).
        Longest first, then doc_a, doc_b, start_a, start_b.
    """
    if min_len < 2:
        raise ValueError("min_len must be at least 2")
    texts = {d.id: d.text for d in corp} if isinstance(corp, Corpus) else {str(k): str(v) for k, v in corp.items()}
    if docs is not None:
        wanted = set(docs)
        missing = wanted - set(texts)
        if missing:
            raise KeyError(f"unknown document id(s): {sorted(missing)}")
        texts = {k: v for k, v in texts.items() if k in wanted}
    ids = list(texts)
    k = min_len
    hashes, doc_idx, pos = [], [], []
    for i, doc_id in enumerate(ids):
        h = _ngram_hashes(texts[doc_id], k)
        hashes.append(h)
        doc_idx.append(np.full(len(h), i, dtype=np.int64))
        pos.append(np.arange(len(h), dtype=np.int64))
    empty = pd.DataFrame(columns=PASSAGE_COLUMNS + ["n"])
    if not hashes or sum(len(h) for h in hashes) == 0:
        return empty
    h = np.concatenate(hashes)
    di = np.concatenate(doc_idx)
    ps = np.concatenate(pos)
    order = np.lexsort((ps, di, h))
    h, di, ps = h[order], di[order], ps[order]
    # runs of equal hashes
    brk = np.flatnonzero(np.diff(h) != 0) + 1
    starts = np.concatenate([[0], brk])
    sizes = np.diff(np.concatenate([starts, [len(h)]]))
    multi = sizes > 1
    starts, sizes = starts[multi], sizes[multi]
    # keep runs spanning at least two documents (di is sorted inside a run)
    first_doc = di[starts]
    last_doc = di[starts + sizes - 1]
    cross = first_doc != last_doc
    starts, sizes = starts[cross], sizes[cross]
    if max_docs is not None and len(starts):
        new_doc = np.concatenate([[True], (np.diff(di) != 0) | (np.diff(h) != 0)])
        cum = np.cumsum(new_doc)
        n_docs = cum[starts + sizes - 1] - cum[starts] + 1
        ok = n_docs <= max_docs
        starts, sizes = starts[ok], sizes[ok]
    n_pairs = int((sizes * (sizes - 1) // 2).sum())
    if n_pairs > max_pairs:
        raise ValueError(f"{n_pairs:,} matching n-gram pairs exceed max_pairs={max_pairs:,}: a formula recurs in many "
                         "documents; pass max_docs (e.g. a third of the documents) or a larger min_len")
    li, ri = _pairs_within_groups(starts, sizes)
    keep = di[li] != di[ri]  # same-document repeats are not shared passages
    li, ri = li[keep], ri[keep]
    da, pa, db, pb = di[li], ps[li], di[ri], ps[ri]  # di sorted within a run, so da < db
    if len(da) == 0:
        return empty
    diag = pb - pa
    o = np.lexsort((pa, diag, db, da))
    da, pa, db, pb, diag = da[o], pa[o], db[o], pb[o], diag[o]
    new_run = np.ones(len(da), dtype=bool)
    new_run[1:] = (da[1:] != da[:-1]) | (db[1:] != db[:-1]) | (diag[1:] != diag[:-1]) | (pa[1:] != pa[:-1] + 1)
    run_start = np.flatnonzero(new_run)
    run_last = np.concatenate([run_start[1:], [len(da)]]) - 1
    rows = []
    for s, e in zip(run_start, run_last):
        a, b = int(da[s]), int(db[s])
        sa, sb = int(pa[s]), int(pb[s])
        length = int(pa[e]) - sa + k
        ta, tb = texts[ids[a]], texts[ids[b]]
        if ta[sa : sa + length] != tb[sb : sb + length]:
            continue  # hash collision: never report a passage that is not there
        t0, t1 = _trim(ta, sa, sa + length)
        if t1 - t0 < min_len:
            continue
        rows.append((ids[a], ids[b], ta[t0:t1], t1 - t0, t0, sb + (t0 - sa)))
    out = pd.DataFrame(rows, columns=PASSAGE_COLUMNS)
    if out.empty:
        return empty
    out["n"] = 1
    rank = {d: i for i, d in enumerate(ids)}
    out = out.assign(_a=out["doc_a"].map(rank), _b=out["doc_b"].map(rank))
    out = out.sort_values(["_a", "_b", "start_a", "start_b"], kind="stable")
    if dedupe:
        grp = out.groupby(["_a", "_b", "passage"], sort=False)
        first = grp.head(1).copy()
        first["n"] = grp["n"].transform("size").loc[first.index]
        out = first
    out = out.sort_values(["length", "_a", "_b", "start_a", "start_b"], ascending=[False, True, True, True, True],
                          kind="stable")
    return out.drop(columns=["_a", "_b"]).reset_index(drop=True)


def _covered(intervals: list[tuple[int, int]]) -> int:
    total, cur_s, cur_e = 0, None, None
    for s, e in sorted(intervals):
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        total += cur_e - cur_s
    return total


def passage_summary(passages: pd.DataFrame, lengths: pd.Series | dict | None = None,
                    groups: pd.Series | None = None) -> pd.DataFrame:
    """One row per pair of documents that share passages.

    Parameters
    ----------
    passages : DataFrame
        Output of :func:`shared_passages` (with ``dedupe=False`` the coverage
        counts every occurrence; with the default, first occurrences only).
    lengths : Series or dict, optional
        Document id → number of characters (``corp.to_frame().set_index("id")["n_chars"]``):
        adds ``share_a`` and ``share_b``, the fraction of each document's text
        covered by the shared passages.
    groups : Series, optional
        Document id → group: adds ``group_a`` and ``group_b``.

    Returns
    -------
    DataFrame
        doc_a, doc_b, n_passages, longest, chars_a, chars_b (characters of
        each document inside shared passages, overlaps counted once)
        [, share_a, share_b][, group_a, group_b]; most shared characters first.
    """
    cols = ["doc_a", "doc_b", "n_passages", "longest", "chars_a", "chars_b"]
    if passages.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for (a, b), g in passages.groupby(["doc_a", "doc_b"], sort=False):
        ca = _covered(list(zip(g["start_a"], g["start_a"] + g["length"])))
        cb = _covered(list(zip(g["start_b"], g["start_b"] + g["length"])))
        rows.append((a, b, len(g), int(g["length"].max()), ca, cb))
    out = pd.DataFrame(rows, columns=cols)
    if lengths is not None:
        lengths = pd.Series(lengths)
        out["share_a"] = out["chars_a"] / out["doc_a"].map(lengths)
        out["share_b"] = out["chars_b"] / out["doc_b"].map(lengths)
    if groups is not None:
        out["group_a"] = out["doc_a"].map(groups)
        out["group_b"] = out["doc_b"].map(groups)
    out["_tot"] = out["chars_a"] + out["chars_b"]
    out = out.sort_values(["_tot", "doc_a", "doc_b"], ascending=[False, True, True], kind="stable")
    return out.drop(columns="_tot").reset_index(drop=True)


def passage_spread(passages: pd.DataFrame, groups: pd.Series | None = None) -> pd.DataFrame:
    """The shared passages found in the most documents: formulas repeated across the corpus.

    Parameters
    ----------
    passages : DataFrame
        Output of :func:`shared_passages`. A passage counts for a document
        when that exact text was found shared between it and another document.
    groups : Series, optional
        Document id → group: adds ``n_groups``.

    Returns
    -------
    DataFrame
        passage, length, n_docs, [n_groups,] docs (ids joined with ", ", in
        sorted order); most documents first, then longest, then passage.
    """
    cols = ["passage", "length", "n_docs"] + (["n_groups"] if groups is not None else []) + ["docs"]
    if passages.empty:
        return pd.DataFrame(columns=cols)
    long = pd.concat([passages[["passage", "doc_a"]].rename(columns={"doc_a": "doc"}),
                      passages[["passage", "doc_b"]].rename(columns={"doc_b": "doc"})]).drop_duplicates()
    rows = []
    for passage, g in long.groupby("passage", sort=True):
        docs = sorted(g["doc"])
        row = {"passage": passage, "length": len(passage), "n_docs": len(docs)}
        if groups is not None:
            row["n_groups"] = pd.Series(docs).map(groups).nunique()
        row["docs"] = ", ".join(docs)
        rows.append(row)
    out = pd.DataFrame(rows, columns=cols)
    out = out.sort_values(["n_docs", "length", "passage"], ascending=[False, False, True], kind="stable")
    return out.reset_index(drop=True)
