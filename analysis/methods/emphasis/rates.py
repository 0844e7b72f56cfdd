"""Rates: each category's rate per 10,000 characters in each group, with bootstrap intervals.

:func:`emphasis` is the main table of the analysis; :func:`emphasis_by_document`
is the same table with each document its own group. Rates are hits per
:data:`analysis.config.RATE_PER` characters of clean text, in columns named
after :data:`analysis.config.RATE_UNIT` (:data:`RATE`, :data:`RATE_LOW`,
:data:`RATE_HIGH`), like every rate of the suite.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd
from scipy import sparse

from ...config import DEFAULT_BY, RATE_PER, RATE_UNIT
from ...corpus import Corpus
from .bootstrap import DEFAULT_SEED, bootstrap_sums, check_boot, group_rng
from .instrument import emphasis_settings, instrument_for
from .tables import Tables, corpus_tables, document_groups, report_columns, sentence_counts

__all__ = ["RATE", "RATE_LOW", "RATE_HIGH", "per_unit", "bootstrap_unit", "emphasis", "emphasis_by_document"]

#: The rate column: hits per :data:`~analysis.config.RATE_PER` characters (``per_10k``).
RATE = RATE_UNIT
#: Lower bound of the rate's bootstrap interval (``per_10k_low``).
RATE_LOW = f"{RATE_UNIT}_low"
#: Upper bound of the rate's bootstrap interval (``per_10k_high``).
RATE_HIGH = f"{RATE_UNIT}_high"

_UNITS = ("auto", "sentence", "document")


def per_unit(hits, chars):
    """Hits per :data:`~analysis.config.RATE_PER` characters (numbers or arrays, broadcast)."""
    return RATE_PER * hits / chars


def _check_unit(unit: str) -> None:
    if unit not in _UNITS:
        raise ValueError(f"unit must be 'auto', 'sentence' or 'document' (got {unit!r})")


def bootstrap_unit(group_sizes, unit: str = "auto") -> tuple[str, str]:
    """What the bootstrap resamples, and why: ``(unit, reason)``.

    ``unit="auto"`` resamples documents when every group has at least
    ``document_bootstrap_min_docs`` documents (``data/emphasis_settings.yaml``, 5):
    sentences of one document are not independent, so their bootstrap is too narrow
    when documents are there to resample; with fewer documents in some group it
    resamples sentences (a document bootstrap of one to four documents is degenerate).
    An explicit ``"sentence"`` or ``"document"`` is kept.
    """
    _check_unit(unit)
    sizes = [int(n) for n in group_sizes]
    if unit != "auto":
        return unit, f"{unit} bootstrap asked for"
    need = int(emphasis_settings()["document_bootstrap_min_docs"])
    smallest = min(sizes) if sizes else 0
    if smallest >= need:
        return "document", f"every group has at least {need} documents (smallest: {smallest})"
    return "sentence", (f"a group has only {smallest} document(s), fewer than {need}: sentences resampled "
                        "(a lower bound on the uncertainty)")


def _select_categories(cats: pd.DataFrame, M: np.ndarray, categories: Iterable[str] | None):
    """Keep only the reported categories named in ``categories`` (all when None)."""
    if categories is None:
        return cats, M
    wanted = list(dict.fromkeys(categories))
    unknown = [c for c in wanted if c not in set(cats["category"])]
    if unknown:
        raise KeyError(f"unknown categories {unknown}; categories: {', '.join(cats['category'])}")
    keep = cats["category"].isin(wanted).to_numpy()
    return cats[keep].reset_index(drop=True), M[:, keep]


def _sentence_units(tab: Tables, M: np.ndarray) -> sparse.csr_matrix:
    """One row per sentence: [hits (C), sentences with a hit (C), characters, sentences], sparse
    (:func:`~analysis.methods.emphasis.tables.sentence_counts`)."""
    n_sent = len(tab.sent_len)
    Y = sentence_counts(tab, M)
    with_hit = Y.copy()
    with_hit.data = np.ones_like(with_hit.data)
    rest = sparse.csr_matrix(np.column_stack([tab.sent_len, np.ones(n_sent)]).astype(np.float64))
    return sparse.hstack([Y, with_hit, rest], format="csr", dtype=np.float64)


def _group_units(X_all: sparse.csr_matrix, tab: Tables, in_group: np.ndarray, unit: str) -> np.ndarray:
    """The rows of one group's resampling units (dense): its sentences, or its documents (sentence rows summed)."""
    rows = np.flatnonzero(in_group)
    X = X_all[rows]
    if unit == "document":
        X = sparse.csr_matrix((np.ones(rows.size), (np.unique(tab.sent_doc[rows], return_inverse=True)[1],
                                                     np.arange(rows.size)))) @ X
    return X.toarray()


def _percentile_bounds(S: np.ndarray, C: int, level: float) -> list[np.ndarray]:
    """Rate low/high and share low/high of ``C`` categories from replicate sums ``S`` (as in :func:`_sentence_units`)."""
    alpha = (1 - level) / 2
    stats = np.hstack([per_unit(S[:, :C], S[:, [2 * C]]), S[:, C:2 * C] / S[:, [2 * C + 1]]])
    lo, hi = np.quantile(stats, [alpha, 1 - alpha], axis=0)
    return [lo[:C], hi[:C], lo[C:], hi[C:]]


def _score_table(names: list, cats: pd.DataFrame, tot: np.ndarray, bounds: np.ndarray, n_docs: np.ndarray) -> pd.DataFrame:
    """The tidy table: one row per group and category."""
    G, C = len(names), len(cats)
    out = pd.DataFrame({"group": np.repeat(np.array(names, dtype=object), C)})
    for col in ("category", "kind", "zh", "en"):
        out[col] = np.tile(cats[col].to_numpy(), G)
    out["count"] = tot[:, :C].ravel().astype(np.int64)
    out["n_chars"] = np.repeat(tot[:, 2 * C], C).astype(np.int64)
    out["n_sentences"] = np.repeat(tot[:, 2 * C + 1], C).astype(np.int64)
    out["n_docs"] = np.repeat(n_docs, C)
    out[RATE] = per_unit(tot[:, :C], tot[:, [2 * C]]).ravel()
    out[RATE_LOW], out[RATE_HIGH] = bounds[:, 0].ravel(), bounds[:, 1].ravel()
    out["sentences_with"] = tot[:, C:2 * C].ravel().astype(np.int64)
    out["sentence_share"] = (tot[:, C:2 * C] / tot[:, [2 * C + 1]]).ravel()
    out["share_low"], out["share_high"] = bounds[:, 2].ravel(), bounds[:, 3].ravel()
    return out


def emphasis(corp: Corpus, by: str | None = DEFAULT_BY, *, lexicon=None, n_boot: int = 2000, level: float = 0.95,
             seed: int = DEFAULT_SEED, unit: str = "auto", categories: Iterable[str] | None = None,
             totals: bool = True) -> pd.DataFrame:
    """Rate of each category per 10,000 characters in each group, with bootstrap intervals.

    Parameters
    ----------
    corp : Corpus
    by : str or None
        Manifest column to group by; ``None`` (or ``"id"``) scores each document.
    lexicon : name, path, mapping or EmphasisLexicon, optional
        An instrument (``"governance"``, ``"covid"``, ``"force"`` or a YAML file;
        :func:`~analysis.methods.emphasis.load_emphasis_lexicon`). Default: the one the
        corpus folder names in its ``corpus.yaml``, else ``governance``.
    n_boot : int
        Bootstrap replicates (0: point estimates only, intervals NaN).
    level : float
        Confidence level of the percentile intervals.
    seed : int
        Seed of the random streams (one per group, derived from seed and name).
    unit : {"auto", "sentence", "document"}
        What the bootstrap resamples within a group. ``"auto"`` (default):
        documents when every group has at least five (``document_bootstrap_min_docs``),
        else sentences (:func:`bootstrap_unit`); the table says which and why.
    categories : iterable of str, optional
        Report only these category ids (pooled rows included by name).
    totals : bool
        Add the pooled rows ``all_topic`` and ``all_force`` (every stretch of
        text counted once, even where a shared term credits two categories).

    Returns
    -------
    DataFrame
        group, category, kind, zh, en, count, n_chars, n_sentences, n_docs,
        per_10k (hits per 10,000 characters), per_10k_low, per_10k_high,
        sentences_with, sentence_share, share_low, share_high, boot_unit (what the
        bootstrap resampled: sentence or document) and boot_reason (why). ``sentence_share`` is the share of sentences
        with at least one hit of the category (for ``obligation``: the share
        of sentences that carry an obligation or imperative marker); its
        interval comes from the same replicates. Rows: groups sorted, then
        categories in lexicon order.

    Notes
    -----
    Each replicate computes a ratio of sums (hits in the resampled sentences
    / their characters) and the interval is the percentile interval of the
    replicates. A category with no hit in a group gets the interval [0, 0]:
    the bootstrap cannot see beyond the words that are there, so read zero
    counts with the group's n_chars in mind.
    """
    check_boot(n_boot, level)
    _check_unit(unit)
    lex = instrument_for(corp, lexicon)
    tab = corpus_tables(corp, lex)
    cats, M = _select_categories(*report_columns(lex, totals), categories)
    X_all = _sentence_units(tab, M)
    doc_group = document_groups(corp, by, tab)
    sent_group = doc_group[tab.sent_doc] if len(tab.sent_doc) else np.array([], dtype=object)
    names = sorted(set(doc_group), key=str)
    unit, reason = bootstrap_unit([(doc_group == g).sum() for g in names], unit)
    C = len(cats)
    tot = np.zeros((len(names), 2 * C + 2))
    bounds = np.full((len(names), 4, C), np.nan)  # rate low/high, share low/high
    n_docs = np.zeros(len(names), dtype=np.int64)
    for gi, g in enumerate(names):
        X = _group_units(X_all, tab, sent_group == g, unit)
        tot[gi] = X.sum(axis=0)
        n_docs[gi] = int((doc_group == g).sum())
        if n_boot > 0:
            bounds[gi] = _percentile_bounds(bootstrap_sums(X, n_boot, group_rng(seed, g)), C, level)
    out = _score_table(names, cats, tot, bounds, n_docs)
    out["boot_unit"], out["boot_reason"] = unit, reason
    return out


def emphasis_by_document(corp: Corpus, **options) -> pd.DataFrame:
    """:func:`emphasis` for each document (``group`` holds the document id); same options."""
    options.pop("by", None)
    return emphasis(corp, by=None, **options)
