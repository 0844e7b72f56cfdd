"""Rise and fall: keyness of each period against the one before it, and the lifespan of every term.

Both count the rhetoric view's tokens, as :func:`analysis.keyness` does by default: content words
(``content=True``) with the corpus's phrases joined (``phrases=True``); pass other tokenizer options
to change them. Undated documents are left out with a warning naming them
(:func:`analysis.methods.trends.dated_periods`).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import sparse

from ..config import RATE_PER
from ..corpus import Corpus
from ..errors import AnalysisError
from ..vectors import Dfm, dfm
from .keyness import MIN_DOCS, MIN_GROUP_TOKENS, document_columns, filter_min_docs, group_rows, keyness_dfm
from .trends import dated_periods

__all__ = ["adjacent_keyness", "term_lifespans", "LIFESPAN_COLUMNS", "STATUSES"]

#: Options of :func:`adjacent_keyness` passed to :func:`~analysis.methods.keyness.keyness_dfm`.
_STATS_OPTIONS = ("min_count", "correction", "alpha0", "smoothing", "ci", "background", "williams", "yates", "fisher")
#: … and to :func:`~analysis.methods.keyness.document_columns`.
_DOC_OPTIONS = ("correction", "doc_test", "permutations", "exact_limit", "seed")

#: Columns of :func:`term_lifespans`, in order.
LIFESPAN_COLUMNS = ["term", "count", "docs", "first_date", "first_doc", "first_period", "last_date", "last_doc",
                    "last_period", "peak_period", "peak_per_10k", "periods_present", "periods", "status"]

#: The statuses of :func:`term_lifespans` (see its docstring).
STATUSES = ("throughout", "intermittent", "new", "faded", "new and faded")


def _ordered_periods(periods: pd.DataFrame) -> list[str]:
    """The periods that have documents, in time order."""
    return periods.drop_duplicates("period").sort_values("start")["period"].tolist()


def _document_dfm(corp: Corpus, ids: list[str], content: bool, phrases, options: dict) -> Dfm:
    """The documents × terms counts of the rhetoric view, restricted to ``ids`` (in that order)."""
    docs = dfm(corp, content=content, phrases=phrases, **options)
    rows = pd.Index(docs.rows).get_indexer(ids)
    return Dfm(docs.matrix[rows].tocsr(), list(ids), docs.terms, np.asarray(docs.n_chars)[rows])


def _split_options(options: dict) -> tuple[dict, dict, dict]:
    """Keyness options for the statistics, for the document columns, and the rest (tokenizer options)."""
    if "compare" in options or "groups" in options or "by" in options:
        raise TypeError("adjacent_keyness compares each period with the one before: compare, groups and by "
                        "are not options here")
    stats = {k: options[k] for k in _STATS_OPTIONS if k in options}
    docs = {k: options[k] for k in _DOC_OPTIONS if k in options}
    rest = {k: v for k, v in options.items() if k not in _STATS_OPTIONS and k not in _DOC_OPTIONS}
    return stats, docs, rest


def _pair_keyness(docs: Dfm, labels: np.ndarray, previous: str, current: str, stats: dict, doc_options: dict,
                  min_docs) -> pd.DataFrame:
    """Keyness of ``current`` against ``previous`` from their documents alone (as :func:`analysis.keyness`
    on a corpus of the two periods)."""
    rows = np.flatnonzero((labels == previous) | (labels == current))
    sub = Dfm(docs.matrix[rows].tocsr(), [docs.rows[i] for i in rows], docs.terms, np.asarray(docs.n_chars)[rows])
    table = keyness_dfm(group_rows(sub, labels[rows]), compare="pairwise", groups=[current], **stats)
    table = document_columns(table, sub, labels[rows], **doc_options)
    table = filter_min_docs(table, min_docs)
    table.insert(0, "previous", previous)
    table.insert(0, "period", current)
    return table


def adjacent_keyness(corp: Corpus, period: str | None = None, *, min_docs: int | None = MIN_DOCS,
                     content: bool = True, phrases=True, **keyness_options) -> pd.DataFrame:
    """Keyness of each period against the one before it: what rose (positive ``g2``) and what fell.

    Parameters
    ----------
    corp : Corpus
    period : str
        The time axis, ``COLUMN:FREQ`` (``date:year``, ``date:decade``, ``date:20y`` …; default: the corpus's
        :meth:`~analysis.corpus.Corpus.default_period`). Periods without documents are skipped: each period
        with documents is compared with the previous one that has some.
    min_docs, content, phrases
        As in :func:`analysis.keyness`.
    **keyness_options
        The other options of :func:`analysis.keyness` (``min_count``, ``correction``, ``alpha0``,
        ``doc_test``, ``permutations``, ``seed``, ``williams`` … and tokenizer options such as
        ``drop_proper``); not ``by``, ``compare`` or ``groups``.

    Returns
    -------
    DataFrame
        period, previous, then the columns of :func:`analysis.keyness` (group = period, reference =
        previous; dispersion and document-level columns included), for each pair of adjacent periods in
        time order. Each comparison is :func:`analysis.keyness` on a corpus of the two periods' documents:
        the log-odds prior is their pooled counts (pass ``background=`` for another), ``p_adj`` is
        adjusted within the comparison. A period with fewer than 10 content tokens (keyness's bound) is
        left out, with a warning naming it: the next period is compared with the one before it.
    """
    stats, doc_options, rest = _split_options(keyness_options)
    periods = dated_periods(corp, period, caller="adjacent_keyness")
    order = _ordered_periods(periods)
    if len(order) < 2:
        raise AnalysisError(f"adjacent_keyness needs at least two periods with documents; {period} gives "
                            f"{len(order)} ({', '.join(order)}). Fix: use shorter periods (date:year)")
    docs = _document_dfm(corp, periods["id"].tolist(), content, phrases, rest)
    labels = periods["period"].to_numpy(dtype=object)
    order = _comparable(order, docs, labels)
    frames = [_pair_keyness(docs, labels, previous, current, stats, doc_options, min_docs)
              for previous, current in zip(order, order[1:])]
    return pd.concat(frames, ignore_index=True)


def _comparable(order: list[str], docs: Dfm, labels: np.ndarray) -> list[str]:
    """The periods with at least :data:`MIN_GROUP_TOKENS` content tokens (keyness's bound); the others are
    left out with a warning, so the next period is compared with the last one that can be."""
    sizes = pd.Series(np.asarray(docs.matrix.sum(axis=1)).ravel()).groupby(labels).sum()
    small = [p for p in order if sizes[p] < MIN_GROUP_TOKENS]
    if small:
        named = ", ".join(f"{p} ({int(sizes[p])})" for p in small)
        warnings.warn(f"adjacent_keyness: periods with fewer than {MIN_GROUP_TOKENS} content tokens cannot be "
                      f"compared and are left out: {named}; the period after each is compared with the one before "
                      "it. Fix: check those documents, or use wider periods", UserWarning, stacklevel=3)
    kept = [p for p in order if p not in small]
    if len(kept) < 2:
        raise AnalysisError(f"adjacent_keyness: fewer than two periods have {MIN_GROUP_TOKENS} content tokens "
                            f"({named}). Fix: use wider periods")
    return kept


# --------------------------------------------------------------------------- lifespans


def _status(first: np.ndarray, last: np.ndarray, present: np.ndarray, n_periods: int) -> np.ndarray:
    """Each term's status from the indices of its first and last period and its number of periods."""
    starts, stays = first == 0, last == n_periods - 1
    return np.select([starts & stays & (present == n_periods), starts & stays, stays, starts],
                     ["throughout", "intermittent", "new", "faded"], "new and faded")


def _period_matrix(labels: np.ndarray, order: list[str]) -> sparse.csr_matrix:
    """Periods × documents indicator, periods in ``order``."""
    code = {p: i for i, p in enumerate(order)}
    return sparse.csr_matrix((np.ones(len(labels)), ([code[p] for p in labels], np.arange(len(labels)))),
                             shape=(len(order), len(labels)))


def _first_last(m: sparse.csc_matrix) -> tuple[np.ndarray, np.ndarray]:
    """The first and last row (document) using each column (term); every column has at least one."""
    m = m.tocsc()
    m.sort_indices()
    starts, ends = m.indptr[:-1], m.indptr[1:] - 1
    return m.indices[starts], m.indices[ends]


def term_lifespans(corp: Corpus, period: str | None = None, *, min_count: int = 5, min_docs: int = 2,
                   content: bool = True, phrases=True, **options) -> pd.DataFrame:
    """When each term appears, peaks and fades: its first and last use, its peak period and its status.

    Parameters
    ----------
    corp : Corpus
    period : str
        The time axis, ``COLUMN:FREQ`` (``date:year``, ``date:decade`` …; default: the corpus's
        :meth:`~analysis.corpus.Corpus.default_period`).
    min_count, min_docs : int
        Only terms used at least ``min_count`` times in at least ``min_docs`` dated documents (a term of one
        document has no life of its own: it is that document's).
    content, phrases, **options
        Tokenizer options, as :func:`analysis.keyness` (content words, the corpus's phrases joined).

    Returns
    -------
    DataFrame
        :data:`LIFESPAN_COLUMNS`: term, count, docs (documents using it), first_date and first_doc (the
        earliest dated document using it; on a tie of dates, the first in corpus order), first_period,
        last_date and last_doc (the latest; on a tie, the last in corpus order), last_period, peak_period
        (the period where its rate per 10,000 characters is highest; the earliest on a tie), peak_per_10k,
        periods_present (periods with documents that use it), periods (periods with documents), and status:

        * ``throughout``: used in every period;
        * ``intermittent``: used in the first and the last period, but missing from some between;
        * ``new``: first used after the first period, and still used in the last;
        * ``faded``: used in the first period, no longer in the last;
        * ``new and faded``: first used after the first period, no longer in the last.

        "First" and "last" period are those with documents. Rows sorted by first_date, then by count
        (descending), then term.
    """
    periods = dated_periods(corp, period, caller="term_lifespans")
    order = _ordered_periods(periods)
    if len(order) < 2:
        raise AnalysisError(f"term_lifespans needs at least two periods with documents; {period} gives "
                            f"{len(order)}. Fix: use shorter periods (date:year)")
    periods = periods.sort_values("date", kind="stable").reset_index(drop=True)  # time order, ties in corpus order
    docs = _document_dfm(corp, periods["id"].tolist(), content, phrases, options)
    m = docs.matrix.tocsc()
    count = np.asarray(m.sum(axis=0)).ravel()
    used = np.asarray((m > 0).sum(axis=0)).ravel()
    keep = np.flatnonzero((count >= min_count) & (used >= max(1, min_docs)))
    m = m[:, keep]
    P = np.asarray((_period_matrix(periods["period"].to_numpy(), order) @ m).todense())
    chars = _period_matrix(periods["period"].to_numpy(), order) @ np.asarray(docs.n_chars, dtype=float)
    rates = RATE_PER * P / chars[:, None]
    present = P > 0
    first_p, last_p = present.argmax(axis=0), len(order) - 1 - present[::-1].argmax(axis=0)
    first_d, last_d = _first_last(m)
    peak = rates.argmax(axis=0)
    order_arr = np.asarray(order, dtype=object)
    out = pd.DataFrame({
        "term": np.asarray(docs.terms, dtype=object)[keep], "count": count[keep].astype(np.int64),
        "docs": used[keep].astype(np.int64),
        "first_date": periods["date"].to_numpy()[first_d], "first_doc": periods["id"].to_numpy()[first_d],
        "first_period": order_arr[first_p],
        "last_date": periods["date"].to_numpy()[last_d], "last_doc": periods["id"].to_numpy()[last_d],
        "last_period": order_arr[last_p],
        "peak_period": order_arr[peak], "peak_per_10k": rates[peak, np.arange(len(keep))],
        "periods_present": present.sum(axis=0).astype(np.int64), "periods": len(order),
        "status": _status(first_p, last_p, present.sum(axis=0), len(order)),
    }, columns=LIFESPAN_COLUMNS)
    out = out.sort_values(["first_date", "count", "term"], ascending=[True, False, True], kind="stable")
    return out.reset_index(drop=True)
