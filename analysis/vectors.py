"""Tokens, document-term matrices and TF-IDF for a corpus, by document or by group.

Naming follows quanteda: ``toks = tokens(corp)``, ``dfmat = dfm(corp, by="region")``.
Segmentation is memoised per text, so building several matrices from one
corpus segments each document once.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import filterfalse
from typing import Iterable

import numpy as np
import pandas as pd
from scipy import sparse

from .corpus import Corpus
from .segmentation import TokenOptions, _filter_pair, filter_segmented, segment_pairs, stopwords

__all__ = ["tokens", "token_table", "Dfm", "dfm", "tfidf"]


def tokens(corp: Corpus, **options) -> dict[str, list[str]]:
    """Content tokens of every document, ``{doc_id: [token, …]}``.

    ``options`` are those of :func:`analysis.tokenize` (stopwords, punctuation,
    numbers, min_chars, drop_proper, keep).
    """
    from .parallel import iter_segmented

    opts = _options(options)
    return {d.id: filter_segmented(seg, opts) for d, seg in zip(corp, iter_segmented(d.text for d in corp))}


def _options(options: dict) -> TokenOptions:
    """:class:`TokenOptions` from :func:`analysis.tokenize`'s keyword arguments."""
    options = dict(options)
    keep = frozenset(options.pop("keep", ()))
    return TokenOptions(keep=keep, **options)


def token_table(corp: Corpus) -> pd.DataFrame:
    """Every token of every document (lossless): doc_id, position, token, pos, start, end."""
    frames = []
    for d in corp:
        pairs = segment_pairs(d.text)
        starts = np.cumsum([0] + [len(t) for t, _ in pairs[:-1]]) if pairs else []
        frames.append(
            pd.DataFrame(
                {
                    "doc_id": d.id,
                    "position": np.arange(len(pairs)),
                    "token": [t for t, _ in pairs],
                    "pos": [p for _, p in pairs],
                    "start": starts,
                }
            )
        )
    df = pd.concat(frames, ignore_index=True)
    df["end"] = df["start"] + df["token"].str.len()
    return df


@dataclass
class Dfm:
    """A sparse document-(or group-)term count matrix.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        Counts, rows × terms.
    rows : list of str
        Document ids, or group names when built with ``by``.
    terms : list of str
        The vocabulary, sorted.
    n_chars : numpy.ndarray
        Characters of clean text per row (for rates per 10,000 characters).
    """

    matrix: sparse.csr_matrix
    rows: list[str]
    terms: list[str]
    n_chars: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        """Dense DataFrame, rows × terms (small corpora only)."""
        return pd.DataFrame(self.matrix.toarray(), index=pd.Index(self.rows, name="row"), columns=self.terms)

    def totals(self) -> pd.Series:
        """Total count of each term over all rows, most frequent first (ties alphabetical)."""
        s = pd.Series(np.asarray(self.matrix.sum(axis=0)).ravel(), index=self.terms, name="count")
        return s.sort_index().sort_values(ascending=False, kind="stable")

    def tidy(self) -> pd.DataFrame:
        """Long format: row, term, count (non-zero cells only)."""
        coo = self.matrix.tocoo()
        df = pd.DataFrame(
            {"row": np.asarray(self.rows, dtype=object)[coo.row], "term": np.asarray(self.terms, dtype=object)[coo.col], "count": coo.data}
        )
        return df.sort_values(["row", "count", "term"], ascending=[True, False, True], kind="stable").reset_index(drop=True)

    def trim(self, min_count: int = 1, min_rows: int = 1) -> "Dfm":
        """Keep terms with at least ``min_count`` occurrences in at least ``min_rows`` rows."""
        counts = np.asarray(self.matrix.sum(axis=0)).ravel()
        rows = np.asarray((self.matrix > 0).sum(axis=0)).ravel()
        keep = np.flatnonzero((counts >= min_count) & (rows >= min_rows))
        return Dfm(self.matrix[:, keep].tocsr(), self.rows, [self.terms[i] for i in keep], self.n_chars)


def _build(docs_tokens: Iterable[list[str]]) -> tuple[sparse.csr_matrix, list[str]]:
    vocab: dict[str, int] = {}
    indptr, indices = [0], []
    for toks in docs_tokens:
        for t in toks:
            indices.append(vocab.setdefault(t, len(vocab)))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.int64)
    m = sparse.csr_matrix((data, np.asarray(indices, dtype=np.int64), np.asarray(indptr)), shape=(len(indptr) - 1, len(vocab)))
    m.sum_duplicates()
    terms = sorted(vocab, key=vocab.get)
    order = np.argsort(np.asarray(terms, dtype=object), kind="stable")
    return m[:, order].tocsr(), [terms[i] for i in order]


def _count(segs, options: TokenOptions) -> tuple[sparse.csr_matrix, list[str]]:
    """Document-term counts streamed from segmentations, one document at a time.

    Each distinct ``(token, pos)`` pair is filtered once (same rules as
    :func:`analysis.tokenize`) and counted with numpy, so memory holds the
    vocabulary and the non-zero counts, never every document's tokens.
    """
    stop = stopwords() if options.stopwords else frozenset()
    vocab: dict[str, int] = {}
    # token (or (token, pos) when proper nouns are dropped) -> term id, -1 if dropped
    decided: dict = {}
    by_pair = options.drop_proper
    indptr, indices, data = [0], [], []
    for seg in segs:
        keys = list(zip(seg.tokens, seg.pos)) if by_pair else seg.tokens
        for key in filterfalse(decided.__contains__, keys):  # distinct tokens not seen in earlier documents
            tok, flag = key if by_pair else (key, "")
            term = _filter_pair(tok, flag, options, stop)
            decided[key] = -1 if term is None else vocab.setdefault(term, len(vocab))
        ids = np.fromiter(map(decided.__getitem__, keys), dtype=np.int64, count=len(keys))
        col = ids[seg.seq] if len(seg.seq) else ids[:0]
        cols, counts = np.unique(col[col >= 0], return_counts=True)
        indices.append(cols)
        data.append(counts)
        indptr.append(indptr[-1] + len(cols))
    terms = sorted(vocab)
    rank = np.empty(len(vocab), dtype=np.int64)
    rank[[vocab[t] for t in terms]] = np.arange(len(terms))
    ind = rank[np.concatenate(indices)] if indices else np.zeros(0, dtype=np.int64)
    dat = np.concatenate(data).astype(np.int64) if data else np.zeros(0, dtype=np.int64)
    m = sparse.csr_matrix((dat, ind, np.asarray(indptr, dtype=np.int64)), shape=(len(indptr) - 1, len(terms)))
    m.sort_indices()
    return m, terms


def dfm(corp: Corpus, by: str | None = None, **options) -> Dfm:
    """Count matrix of content tokens, one row per document or per group of ``by``.

    Parameters
    ----------
    corp : Corpus
    by : str, optional
        A manifest column (``"region"``, ``"genre"``, …); rows are its values, sorted.
    **options
        Passed to :func:`analysis.tokenize`.
    """
    from .parallel import iter_segmented

    m, terms = _count(iter_segmented(d.text for d in corp), _options(options))
    n_chars = np.array([len(d.text) for d in corp], dtype=np.int64)
    rows = corp.ids
    if by is not None:
        groups = corp.group_column(by).reindex(corp.ids)
        names = sorted(groups.unique())
        ind = sparse.csr_matrix(
            (np.ones(len(rows)), ([names.index(g) for g in groups], np.arange(len(rows)))), shape=(len(names), len(rows))
        )
        m = (ind @ m).tocsr().astype(np.int64)
        n_chars = np.asarray(ind @ n_chars).astype(np.int64)
        rows = names
    return Dfm(m, list(rows), terms, n_chars)


def tfidf(corp: Corpus, by: str | None = None, *, sublinear_tf: bool = False, **options) -> pd.DataFrame:
    """TF-IDF weights (scikit-learn's ``TfidfTransformer``, smooth IDF, L2 rows), rows × terms.

    With ``by``, each group's documents are pooled into one "document" first.
    With only a handful of groups, IDF is nearly binary: a term in every group
    gets the minimum weight however unevenly it is used, so prefer
    :func:`analysis.keyness` for comparing groups.
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    d = dfm(corp, by=by, **options)
    weights = TfidfTransformer(sublinear_tf=sublinear_tf).fit_transform(d.matrix)
    return pd.DataFrame(weights.toarray(), index=pd.Index(d.rows, name="row"), columns=d.terms)
