"""Diffusion of formulations: who used a formulation first, when each group took it up, how it spread.

* :func:`dated_documents`: each document's date as an interval (a date known only to its month or year covers
  the whole month or year); undated documents are named in a warning, never dropped silently.
* :func:`formulation_uses`: every document that uses a formulation, with its count (literal matching on the
  clean text, as :func:`analysis.kwic` does, so every use is a concordance line).
* :func:`diffusion`: per formulation, its first use (date, document, group), ties, and its spread.
* :func:`adoption`: per formulation and group, the group's first use and its lag after the first use anywhere.
* :func:`diffusion_by_period`: per formulation and period, how many documents use it, out of how many.

Dates and precision. A document dated ``1921`` may come before or after one dated ``1921-07-23``: such
documents cannot be ordered. A formulation's first use is *tied* when more than one document may have come
first (documents of the same day, or whose coarse dates overlap the earliest); tied documents are listed, not
ordered. Lags are counted between the first days of the dates' precisions and flagged ``lag_exact`` only when
both dates are days.
"""
from __future__ import annotations

import warnings
from typing import Iterable

import pandas as pd

from ..config import DEFAULT_BY
from ..corpus import Corpus
from .slogans import find_slogans
from .trends import dated_periods

__all__ = ["dated_documents", "formulation_list", "formulation_uses", "first_users", "diffusion", "adoption", "diffusion_by_period",
           "DIFFUSION_COLUMNS", "ADOPTION_COLUMNS", "PERIOD_COLUMNS"]

DIFFUSION_COLUMNS = ["formulation", "first_date", "precision", "first_doc", "first_group", "tied", "tied_docs",
                     "n_docs", "n_groups", "count", "last_date"]
ADOPTION_COLUMNS = ["formulation", "group", "first_date", "precision", "first_doc", "tied", "lag_days",
                    "lag_exact", "documents", "group_documents"]
PERIOD_COLUMNS = ["formulation", "period", "start", "documents_using", "documents", "share"]
_ENDS = {"day": pd.offsets.Day(0), "month": pd.offsets.MonthEnd(0), "year": pd.offsets.YearEnd(0)}


def dated_documents(corp: Corpus, date: str = "date", *, warn: bool = True) -> pd.DataFrame:
    """Each document's date as an interval: id, date (first day of its precision), precision (``day``,
    ``month``, ``year``, ``""`` when undated), end (last day the date covers; NaT when undated), in corpus order.

    With ``warn``, a warning names every undated document (the analyses leave them out or mark them).
    """
    out = corp.periods(f"{date}:year")[["id", "date", "precision"]].copy()
    out["end"] = [d + _ENDS[p] if p else pd.NaT for d, p in zip(out["date"], out["precision"])]
    out["end"] = pd.to_datetime(out["end"])
    undated = out.loc[out["date"].isna(), "id"].tolist()
    if warn and undated:
        warnings.warn(f"{len(undated)} document(s) without a {date!r} left out of the time axis: "
                      f"{', '.join(map(str, undated))}", stacklevel=2)
    return out


def formulation_list(corp: Corpus, formulations, *, by=DEFAULT_BY, top: int = 30, **miner_options) -> list[str]:
    """The formulations to trace: the given strings (or a :func:`find_slogans` table's ``slogan`` column, its
    ``top`` first rows), else the ``top`` best-ranked formulations mined from ``corp``; duplicates dropped."""
    if formulations is None:
        formulations = find_slogans(corp, by=by, **miner_options)
    if isinstance(formulations, pd.DataFrame):
        formulations = formulations["slogan"].head(top) if top else formulations["slogan"]
    if isinstance(formulations, str):
        formulations = [formulations]
    out = list(dict.fromkeys(str(f) for f in formulations if str(f)))
    if not out:
        raise ValueError("no formulations to trace: give at least one non-empty string")
    return out


def formulation_uses(corp: Corpus, formulations: Iterable[str], *, by=DEFAULT_BY, date: str = "date") -> pd.DataFrame:
    """Every dated document that uses each formulation: formulation, doc_id, group, date, precision, end, count.

    ``count`` is the number of non-overlapping literal matches in the clean text (the lines
    ``analysis.kwic(corp, formulation)`` shows). In formulation order, then by date, then corpus order;
    undated documents are left out with a warning naming them.
    """
    dates = dated_documents(corp, date).set_index("id")
    groups = corp.groups(by)
    rows = []
    for k, f in enumerate(formulations):
        for i, d in enumerate(corp):
            n = d.text.count(f)
            if n and not pd.isna(dates.at[d.id, "date"]):
                rows.append((f, d.id, str(groups[d.id]), dates.at[d.id, "date"], dates.at[d.id, "precision"],
                             dates.at[d.id, "end"], n, k, i))
    out = pd.DataFrame(rows, columns=["formulation", "doc_id", "group", "date", "precision", "end", "count",
                                      "_term", "_order"])
    out = out.sort_values(["_term", "date", "_order"], kind="stable")
    return out.drop(columns=["_term", "_order"]).reset_index(drop=True)


def first_users(uses: pd.DataFrame) -> pd.DataFrame:
    """The documents of ``uses`` (one formulation's, sorted by date) that may have come first: those whose date
    begins no later than every other date ends (one row, unless dates tie or coarse dates overlap)."""
    return uses[uses["date"] <= uses["end"].min()]


def diffusion(corp: Corpus, formulations=None, *, by=DEFAULT_BY, date: str = "date", top: int = 30,
              **miner_options) -> pd.DataFrame:
    """When each formulation was first used, by whom, and how far it spread.

    Parameters
    ----------
    corp : Corpus
    formulations : iterable of str, or a :func:`find_slogans` table, optional
        The formulations to trace; default: the ``top`` best-ranked ones :func:`find_slogans` mines.
    by : str or None
        The groups (manifest column, or a period such as ``date:decade``).
    date : str
        The manifest column of ISO dates.
    top : int
        How many mined formulations (or rows of a given table) to trace.
    **miner_options
        Passed to :func:`find_slogans` when mining.

    Returns
    -------
    DataFrame
        :data:`DIFFUSION_COLUMNS`: formulation, first_date, precision (of the first date), first_doc,
        first_group, tied (more than one document may have been first: same day, or overlapping coarse dates),
        tied_docs (those documents, ", "-joined, first_doc first), n_docs, n_groups, count (dated documents
        only), last_date. In the order of ``formulations``; a formulation no dated document uses keeps its row,
        with n_docs 0 and no first use.
    """
    terms = formulation_list(corp, formulations, by=by, top=top, **miner_options)
    uses = formulation_uses(corp, terms, by=by, date=date)
    used = {f: _first_use_row(f, g) for f, g in uses.groupby("formulation", sort=False)}
    unused = (pd.NaT, "", "", "", False, "", 0, 0, 0, pd.NaT)
    out = pd.DataFrame([used.get(f, (f, *unused)) for f in terms], columns=DIFFUSION_COLUMNS)
    out["first_date"] = pd.to_datetime(out["first_date"])
    out["last_date"] = pd.to_datetime(out["last_date"])
    return out


def _first_use_row(formulation: str, uses: pd.DataFrame) -> tuple:
    first = first_users(uses)
    head = first.iloc[0]
    return (formulation, head["date"], head["precision"], head["doc_id"], head["group"], len(first) > 1,
            ", ".join(first["doc_id"]), uses["doc_id"].nunique(), uses["group"].nunique(), int(uses["count"].sum()),
            uses["date"].max())


def adoption(corp: Corpus, formulations=None, *, by=DEFAULT_BY, date: str = "date", top: int = 30,
             **miner_options) -> pd.DataFrame:
    """When each group first used each formulation, and how long after its first use anywhere.

    Parameters are those of :func:`diffusion`.

    Returns
    -------
    DataFrame
        :data:`ADOPTION_COLUMNS`: formulation, group, first_date (the group's first use), precision, first_doc,
        tied (another document of the group may have been first), lag_days (days from the formulation's first
        use anywhere; 0 for the first group), lag_exact (both dates are days: a lag between a year and a day is
        a lower bound of sorts, not a measurement), documents (the group's dated documents that use it),
        group_documents (the group's dated documents). A group that never uses a formulation has no row.
        Per formulation in the order of ``formulations``, groups by first use.
    """
    terms = formulation_list(corp, formulations, by=by, top=top, **miner_options)
    uses = formulation_uses(corp, terms, by=by, date=date)
    sizes = _dated_group_sizes(corp, by, date)
    rows = []
    for f, g in uses.groupby("formulation", sort=False):
        origin = first_users(g).iloc[0]
        for group, gu in g.groupby("group", sort=False):
            rows.append(_adoption_row(f, group, gu, origin, sizes[group]))
    out = pd.DataFrame(rows, columns=ADOPTION_COLUMNS)
    return out


def _adoption_row(formulation: str, group: str, uses: pd.DataFrame, origin: pd.Series, group_docs: int) -> tuple:
    first = first_users(uses)
    head = first.iloc[0]
    lag = (head["date"] - origin["date"]).days
    exact = head["precision"] == "day" and origin["precision"] == "day"
    return (formulation, group, head["date"], head["precision"], head["doc_id"], len(first) > 1, lag, exact,
            uses["doc_id"].nunique(), group_docs)


def _dated_group_sizes(corp: Corpus, by, date: str) -> dict[str, int]:
    dates = dated_documents(corp, date, warn=False)
    dated = dates.loc[dates["date"].notna(), "id"]
    return corp.groups(by).astype(str).loc[dated].value_counts().to_dict()


def diffusion_by_period(corp: Corpus, formulations, period: str | None = None, by=None) -> pd.DataFrame:
    """How many documents use each formulation, period by period (and group by group with ``by``).

    Parameters
    ----------
    corp : Corpus
    formulations : iterable of str, or a :func:`find_slogans` table
    period : str
        ``COLUMN:FREQ`` (``date:year``, ``date:decade``, ``date:5y`` …; default: the corpus's
        :meth:`~analysis.corpus.Corpus.default_period`); a document dated more coarsely than the periods is an
        error that names it.
    by : str or None
        Also split each period by this grouping (adds a ``group`` column after ``start``).

    Returns
    -------
    DataFrame
        formulation, period, start (the period's first day), [group,] documents_using, documents (dated
        documents of the period [and group]), share; every period that has documents, also where none uses the
        formulation (share 0), in time order. Undated documents are left out with a warning naming them.
    """
    terms = formulation_list(corp, formulations, top=0)
    periods = dated_periods(corp, period, caller="diffusion_by_period")[["id", "period", "start"]].copy()
    keys = ["period", "start"] + (["group"] if by is not None else [])
    if by is not None:
        periods["group"] = periods["id"].map(corp.groups(by).astype(str))
    texts = {d.id: d.text for d in corp}
    frames = []
    for f in terms:
        used = periods.assign(_uses=periods["id"].map(lambda i: f in texts[i]))
        counts = used.groupby(keys, sort=True).agg(documents_using=("_uses", "sum"), documents=("id", "size"))
        frames.append(counts.reset_index().assign(formulation=f))
    out = pd.concat(frames, ignore_index=True)
    out["documents_using"] = out["documents_using"].astype(int)
    out["share"] = out["documents_using"] / out["documents"]
    return out[["formulation"] + keys + ["documents_using", "documents", "share"]]
