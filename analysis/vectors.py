"""Counts (layer 8): document-term matrices and TF-IDF for a corpus, by document or by group.

Naming follows quanteda: ``toks = tokens(corp)``, ``dfmat = dfm(corp, by="genre")``.
Counts are streamed from the stored segmentations, a chunk of documents at a
time, and stored themselves (:mod:`analysis.store`), so building several
matrices from one corpus segments each document once.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from .cluster import DaskPool, scheduler_address
from .config import cache_enabled, data_file
from .corpus import Corpus
from .lexicon import TokenOptions, gazetteer_version, lexicon_fingerprint, pair_filter, stopwords
from .segmentation import backend_name, backend_version
from .store import file_digest, iter_segmented, key, read_counts, segmented, write_counts
from .tokenization import compound, corpus_options

__all__ = ["Dfm", "dfm", "tfidf", "document_counts", "count_partition", "merge_counts", "COUNT_VERSION",
           "PARTITION_CHARS"]

#: Bump when counting (this module, or the token filter of :mod:`analysis.lexicon`) changes its
#: output: part of the key of cached counts.
COUNT_VERSION = "2"


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


#: documents are counted in chunks of about this many distinct (document, token) pairs:
#: memory holds one chunk's pairs at a time besides the counts
COUNT_CHUNK_TYPES = 250_000


def _chunks(segs, size: int):
    """Lists of consecutive segmentations with about ``size`` types each (at least one segmentation)."""
    chunk, n = [], 0
    for seg in segs:
        chunk.append(seg)
        n += len(seg.tokens)
        if n >= size:
            yield chunk
            chunk, n = [], 0
    if chunk:
        yield chunk


def _count(segs, options: TokenOptions) -> tuple[sparse.csr_matrix, list[str]]:
    """Document-term counts streamed from segmentations, a chunk of documents at a time.

    Each distinct token (``(token, pos)`` pair with ``drop_proper``) is
    filtered once for the whole corpus (same rules as
    :func:`analysis.tokenize`). Per chunk, the documents' types are numbered
    with :func:`pandas.factorize` (hashing in C, not a dictionary lookup per
    type), each type's count is one ``bincount`` over the chunk's token
    indices, and the chunk's (document, term, count) triples become sparse
    rows, which sum those of two types that give one term (case, tags).
    Memory holds the vocabulary, the non-zero counts and one chunk's types,
    never every document's tokens.
    """
    decide = pair_filter(options, stopwords() if options.stopwords else frozenset())
    by_pair = options.drop_proper or options.content  # decisions that read the tag
    vocab: dict[str, int] = {}
    decided: dict = {}  # token (or (token, pos)) -> term id, -1 if dropped
    indptr, indices, data = [np.zeros(1, dtype=np.int64)], [], []
    n_docs = 0
    for chunk in _chunks(segs, COUNT_CHUNK_TYPES):
        n_docs += len(chunk)
        n_types = np.fromiter(map(len, (s.tokens for s in chunk)), dtype=np.int64, count=len(chunk))
        starts = np.cumsum(n_types) - n_types
        total = int(n_types.sum())
        if total:
            codes, uniq = pd.factorize(np.fromiter(chain.from_iterable(s.tokens for s in chunk), dtype=object,
                                                   count=total))
            uniq = uniq.tolist()
            if by_pair:  # a key per (token, pos): the pair's codes combined
                pcodes, puniq = pd.factorize(np.fromiter(chain.from_iterable(s.pos for s in chunk), dtype=object,
                                                         count=total))
                codes, inverse = np.unique(codes * len(puniq) + pcodes, return_inverse=True)
                puniq = puniq.tolist()
                keys = [(uniq[c // len(puniq)], puniq[c % len(puniq)]) for c in codes.tolist()]
                codes = inverse.ravel()
            else:
                keys = uniq
            ids = list(map(decided.get, keys))
            for i in [i for i, v in enumerate(ids) if v is None]:  # types not seen in earlier chunks
                key = keys[i]
                term = decide(*key) if by_pair else decide(key, "")
                ids[i] = decided[key] = -1 if term is None else vocab.setdefault(term, len(vocab))
            term_of_type = np.asarray(ids, dtype=np.int64)[codes]
            seq = np.concatenate([s.seq.astype(np.int64) + start for s, start in zip(chunk, starts.tolist())])
            per_type = np.bincount(seq, minlength=total)
            kept = term_of_type >= 0
            # this chunk's rows, the counts of two types that give one term summed
            part = sparse.csr_matrix(
                (per_type[kept], (np.repeat(np.arange(len(chunk)), n_types)[kept], term_of_type[kept])),
                shape=(len(chunk), len(vocab)), dtype=np.int64)
            part.sum_duplicates()
            indptr.append(part.indptr[1:] + indptr[-1][-1])
            indices.append(part.indices.astype(np.int32))  # vocabulary ids: 4 bytes each, half the memory
            data.append(part.data)
        else:
            indptr.append(np.full(len(chunk), indptr[-1][-1]))
    terms = sorted(vocab)
    rank = np.empty(len(vocab), dtype=np.int32)
    rank[[vocab[t] for t in terms]] = np.arange(len(terms), dtype=np.int32)
    # the matrix is assembled with as few copies as it can be: it is the largest thing counting holds
    ind = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int32)
    del indices
    np.take(rank, ind, out=ind)
    dat = np.concatenate(data) if data else np.zeros(0, dtype=np.int64)
    del data
    return _assemble(dat, ind, np.concatenate(indptr), (n_docs, len(terms))), terms


def _assemble(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, shape) -> sparse.csr_matrix:
    """The count matrix in the one form counting gives: int64 counts, 32-bit indices when they fit, sorted."""
    if len(indices) < 2**31 - 1:
        indices, indptr = indices.astype(np.int32, copy=False), indptr.astype(np.int32, copy=False)
    else:
        indices, indptr = indices.astype(np.int64, copy=False), indptr.astype(np.int64, copy=False)
    m = sparse.csr_matrix((data.astype(np.int64, copy=False), indices, indptr), shape=shape, copy=False)
    m.sort_indices()
    return m


# --------------------------------------------------------------------------- on a Dask cluster

#: characters of text a Dask task segments and counts (a partition of the corpus's documents)
PARTITION_CHARS = 4_000_000


def count_partition(texts: list[str], options: TokenOptions, lexicon=None) -> tuple[sparse.csr_matrix, list[str]]:
    """One partition's counts, on a worker: its documents segmented (through the worker's caches) and counted
    (:func:`_count`) on the partition's own vocabulary."""
    segs = (segmented(t, lexicon) for t in texts)
    return _count((compound(s, options.phrases) for s in segs) if options.phrases else segs, options)


def merge_counts(parts: Sequence[tuple[sparse.csr_matrix, list[str]]]) -> tuple[sparse.csr_matrix, list[str]]:
    """Partitions' counts stacked in order on the union of their vocabularies: what counting them together
    gives (:func:`_count`), since a document's counts never depend on another's."""
    terms = sorted(set().union(*(t for _, t in parts)))
    col = {t: i for i, t in enumerate(terms)}
    data, indices, indptr, rows = [], [], [np.zeros(1, dtype=np.int64)], 0
    for m, t in parts:
        remap = np.fromiter(map(col.__getitem__, t), dtype=np.int64, count=len(t))
        data.append(m.data)
        indices.append(remap[m.indices])
        indptr.append(m.indptr[1:].astype(np.int64) + indptr[-1][-1])
        rows += m.shape[0]
    empty = np.zeros(0, dtype=np.int64)
    return _assemble(np.concatenate(data) if data else empty, np.concatenate(indices) if indices else empty,
                     np.concatenate(indptr), (rows, len(terms))), terms


def _counts_on_cluster(texts: Iterable[str], options: TokenOptions, lexicon=None
                       ) -> tuple[sparse.csr_matrix, list[str]]:
    """Counts made on the Dask cluster (``$ANALYSIS_SCHEDULER``): the documents go in partitions of about
    :data:`PARTITION_CHARS` characters, read here one partition at a time (at most two per worker wait), each
    segmented and counted by a worker (:func:`count_partition`), and the partitions' counts are reduced into one
    matrix on the cluster (:func:`merge_counts`); only the matrix comes back."""
    with DaskPool(scheduler_address(), needs=tuple(lexicon or ())) as pool:
        parts = pool.map_runs(count_partition, texts, PARTITION_CHARS, options, lexicon)
        return (parts[0] if len(parts) == 1 else pool.submit(merge_counts, parts)).result()


def document_counts(texts: Iterable[str], options: TokenOptions, lexicon=None, digests: Sequence[str] | None = None
                    ) -> tuple[sparse.csr_matrix, list[str]]:
    """Document-term counts of ``texts`` (:func:`_count` of their segmentations), through the cache of counts.

    The key covers every text (or its ``digests``, :attr:`analysis.corpus.Document.digest`, which spare
    reading the texts when the counts are cached), the lexicon, the segmenter, the options, the stopword list
    itself and :data:`COUNT_VERSION`, so any change to them counts again (from the cached segmentations).
    ``ANALYSIS_CACHE=off`` skips it. ``texts`` are read one at a time (a generator streams a corpus from disk).
    """
    if digests is None:
        texts = digests = list(texts)
    k = _counts_key(digests, options, lexicon) if len(digests) and cache_enabled() else None
    if k is not None:
        hit = read_counts(k, len(digests))
        if hit is not None:
            return hit
    if scheduler_address():
        m, terms = _counts_on_cluster(texts, options, lexicon)
    else:
        segs = iter_segmented(texts, lexicon=lexicon)
        m, terms = _count((compound(s, options.phrases) for s in segs) if options.phrases else segs, options)
    if m.shape[0] != len(digests):
        raise ValueError(f"{m.shape[0]} texts counted for {len(digests)} digests")
    if k is not None:
        write_counts(k, m, terms)
    return m, terms


def _counts_key(texts: Sequence[str], options: TokenOptions, lexicon=None) -> str:
    """Key of a corpus's counts: the counting version, segmenter, lexicon, options (phrases included), the
    stopwords, the data files of the token rules, and every text (or its digest)."""
    stop = sorted(stopwords()) if options.stopwords else []
    opts = [options.stopwords, options.punctuation, options.numbers, options.min_chars, options.drop_proper,
            sorted(options.keep), options.content, sorted(options.phrases)]
    rules = file_digest([data_file("pos_classes.tsv"), data_file("quantity_units.txt")])
    return key("counts", COUNT_VERSION, backend_version(backend_name()), lexicon_fingerprint(lexicon), repr(opts),
               "\n".join(stop), rules, gazetteer_version() if options.drop_proper else "", *texts)


def dfm(corp: Corpus, by: str | None = None, **options) -> Dfm:
    """Count matrix of content tokens, one row per document or per group of ``by``.

    Parameters
    ----------
    corp : Corpus
    by : str, optional
        A manifest column; rows are its values, sorted. None (the default):
        one row per document. Pass :data:`analysis.config.DEFAULT_BY` for the
        column named by ``$ANALYSIS_BY``.
    **options
        Passed to :func:`analysis.tokenize`; ``phrases=True`` also joins the corpus's phrases
        (:func:`analysis.find_phrases`), or pass a phrase table, a TSV path or token sequences.
    """
    m, terms = document_counts(corp.texts(), corpus_options(corp, options), corp.lexicon,
                               digests=[d.digest for d in corp])
    n_chars = np.array([d.n_chars for d in corp], dtype=np.int64)
    rows = corp.ids
    if by is not None:
        groups = corp.groups(by)
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
