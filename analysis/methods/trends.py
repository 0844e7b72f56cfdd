"""Trends: how often terms and phrases are used, period by period, per 10,000 characters with intervals.

:func:`trends` counts each term by literal matching on the clean text, exactly as
:func:`analysis.kwic` finds it (:func:`analysis.methods.concordance.pattern_regex`), so every count is a
number of concordance lines one can read. A term may be a word, a phrase or a whole formulation
(坚持以人民为中心的发展思想): matching is on characters, not tokens.

Slogans and emphasis categories over time need nothing new: every analysis that takes ``by`` takes a
period, so ``analysis.emphasis(corp, by="date:year")`` gives each category's rate per year with its
intervals, and ``analysis.find_slogans(corp, by="date:decade")`` the formulations with their periods.
Rising and falling vocabulary is in :mod:`analysis.methods.shifts`.
"""
from __future__ import annotations

import warnings
from typing import Iterable

import numpy as np
import pandas as pd

from ..config import RATE_PER, SEED
from ..corpus import Corpus
from ..errors import AnalysisError
from .concordance import pattern_regex
from .emphasis.bootstrap import bootstrap_sums, check_boot, group_rng

__all__ = ["trends", "dated_periods", "term_counts", "TREND_COLUMNS", "ALL"]

#: The one group of :func:`trends` with ``by=None``: the whole corpus.
ALL = "all"

#: Columns of :func:`trends`, in order.
TREND_COLUMNS = ["term", "period", "start", "end", "group", "documents", "count", "n_chars", "per_10k",
                 "per_10k_low", "per_10k_high"]


def dated_periods(corp: Corpus, period: str | None = None, *, caller: str = "trends") -> pd.DataFrame:
    """The dated documents' periods (``corp.periods(period)`` without the undated ones), in corpus order.

    Undated documents have no place on a time axis: they are left out with a warning that names them
    (never silently). Raises :class:`AnalysisError` when no document is dated.
    """
    table = corp.periods(period)
    undated = table.loc[table["period"] == "", "id"].tolist()
    if len(undated) == len(table):
        column = period.rsplit(":", 1)[0]
        raise AnalysisError(f"{caller}: no document has a date in the column {column!r}, so there is no time axis. "
                            f"Fix: fill in {column!r} (YYYY-MM-DD, YYYY-MM or YYYY), or join dates with --metadata")
    if undated:
        named = ", ".join(undated[:10]) + (f" … ({len(undated)} in all)" if len(undated) > 10 else "")
        warnings.warn(f"{caller}: {len(undated)} undated document(s) left out of the time axis: {named}. "
                      "Fix: give them a date to include them", UserWarning, stacklevel=3)
    return table[table["period"] != ""].reset_index(drop=True)


def term_counts(corp: Corpus, terms: Iterable[str], ids: Iterable[str] | None = None) -> np.ndarray:
    """Occurrences of each term in each document (documents × terms), as :func:`analysis.kwic` finds them:
    literal, non-overlapping, on the clean text. ``ids`` restricts and orders the documents (default: all)."""
    patterns = [pattern_regex(t) for t in terms]
    docs = [corp[i] for i in ids] if ids is not None else list(corp)
    out = np.zeros((len(docs), len(patterns)), dtype=np.int64)
    for r, d in enumerate(docs):
        for c, rx in enumerate(patterns):
            out[r, c] = sum(1 for m in rx.finditer(d.text) if m.end() > m.start())
    return out


def _term_list(terms) -> list[str]:
    """The terms asked for, in order, once each; a ValueError for none or an empty one."""
    terms = [terms] if isinstance(terms, str) else list(terms)
    terms = list(dict.fromkeys(str(t).strip() for t in terms))
    if not terms or any(not t for t in terms):
        raise ValueError("trends needs at least one term, and no empty term (give terms=['改革开放', ...])")
    return terms


def _cell_bounds(X: np.ndarray, n_boot: int, level: float, rng: np.random.Generator) -> np.ndarray:
    """Percentile bounds (2 × terms) of the rate of each term of one cell: ``X`` is documents × (terms …,
    characters); each replicate resamples the documents and takes summed counts over summed characters."""
    terms = X.shape[1] - 1
    if X.shape[0] < 2 or n_boot == 0:
        return np.full((2, terms), np.nan)
    S = bootstrap_sums(X, n_boot, rng)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = RATE_PER * S[:, :terms] / S[:, [terms]]
    alpha = (1 - level) / 2
    return np.nanquantile(rates, [alpha, 1 - alpha], axis=0)


def _cells(periods: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """One row per (period, group) that has documents: period, start, end, group and the row numbers of its
    documents in ``periods``, in time order, then group."""
    frame = periods.assign(group=groups.reindex(periods["id"]).to_numpy(), row=np.arange(len(periods)))
    cells = (frame.groupby(["start", "period", "end", "group"], sort=True)["row"].agg(list).reset_index())
    return cells[["period", "start", "end", "group", "row"]]


def trends(corp: Corpus, terms: str | Iterable[str], *, by: str | None = None, period: str | None = None,
           n_boot: int = 2000, level: float = 0.95, seed: int = SEED) -> pd.DataFrame:
    """How often each term is used in each period (and group), per 10,000 characters, with intervals.

    Parameters
    ----------
    corp : Corpus
    terms : str or iterable of str
        Words, phrases or whole formulations, matched literally on the clean text as
        :func:`analysis.kwic` matches them (so a cell's ``count`` is the number of its concordance lines).
    by : str or None
        A grouping column (resolved by ``corp.groups(by)``): one line per group. None (the default): one
        group for the whole corpus, labelled ``"all"`` (:data:`ALL`) — unlike the other analyses, where None
        makes each document its own group.
    period : str
        The time axis, ``COLUMN:FREQ`` (``date:year``, ``date:month``, ``date:decade``, ``date:20y`` …;
        :mod:`analysis.corpus.periods`). Default: the corpus's :meth:`~analysis.corpus.Corpus.default_period`.
    n_boot : int
        Bootstrap replicates (0: no intervals).
    level : float
        Confidence level of the percentile intervals.
    seed : int
        Seed; each (period, group) cell has its own stream derived from it and the cell's name, so a cell's
        interval does not change when other cells, periods or terms are added.

    Returns
    -------
    DataFrame
        :data:`TREND_COLUMNS`: term, period (label), start and end (the period's first and last day, a real
        time axis), group, documents (in the cell), count, n_chars (clean characters of the cell's
        documents), per_10k (count per 10,000 characters), per_10k_low, per_10k_high. Rows: terms in the
        order given, then periods in time order, then groups. A period and group with documents but no
        occurrence is a row with count 0; periods without documents are absent.

    Notes
    -----
    The intervals are document-level: a percentile bootstrap over the documents of the cell, each
    replicate the ratio of summed counts to summed characters. A cell of one document gets no interval
    (NaN): resampling one document gives that document every time, an interval of width zero that would
    claim a certainty one text cannot give. Undated documents are left out, with a warning naming them.

    See also
    --------
    analysis.emphasis : with ``by="date:year"``, each emphasis category's rate per period, with intervals.
    analysis.find_slogans : with ``by="date:decade"``, the formulations and the periods that use them.
    analysis.adjacent_keyness, analysis.term_lifespans : what rose and fell, and when each term lived.
    """
    check_boot(n_boot, level)
    terms = _term_list(terms)
    periods = dated_periods(corp, period, caller="trends")
    groups = corp.groups(by) if by is not None else pd.Series(ALL, index=corp.ids)
    counts = term_counts(corp, terms, periods["id"])
    chars = np.array([len(corp[i].text) for i in periods["id"]], dtype=np.int64)
    X = np.column_stack([counts, chars]).astype(float)
    rows = []
    for cell in _cells(periods, groups).itertuples(index=False):
        x = X[cell.row]
        low, high = _cell_bounds(x, n_boot, level, group_rng(seed, f"{cell.period}\x1f{cell.group}"))
        total = x.sum(axis=0)
        for j, term in enumerate(terms):
            rows.append((term, cell.period, cell.start, cell.end, cell.group, len(cell.row), int(total[j]),
                         int(total[-1]), RATE_PER * total[j] / total[-1] if total[-1] else np.nan, low[j], high[j]))
    out = pd.DataFrame(rows, columns=TREND_COLUMNS)
    order = {t: i for i, t in enumerate(terms)}
    out = out.sort_values(["term", "start", "group"], key=lambda s: s.map(order) if s.name == "term" else s,
                          kind="stable")
    return out.reset_index(drop=True)
