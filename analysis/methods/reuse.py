"""Direction of reuse: for each passage two documents share, which one is the likely source.

* :func:`reuse_direction`: :func:`analysis.shared_passages`' table with a direction: the earlier document is the
  likely source, the later one the target. Documents whose dates cannot be ordered (the same day, or coarse
  dates that overlap, such as ``2020`` and ``2020-05-01``) are flagged ``same day`` (``same month``,
  ``same year``), not ordered; a pair with an undated document is ``undated``. Every passage is kept.
* :func:`who_reuses_whom`: the directed passages summed by the groups of source and target.

A date says which text came first, not that the later one copied it: both may quote a third text outside the
corpus. "Likely source" is meant in that sense.
"""
from __future__ import annotations

import pandas as pd

from ..corpus import Corpus
from .diffusion import dated_documents
from .similarity import shared_passages

__all__ = ["reuse_direction", "who_reuses_whom", "FORWARD", "UNDATED", "REUSE_COLUMNS"]

FORWARD = "earlier → later"
UNDATED = "undated"
#: The columns :func:`reuse_direction` adds to the passages.
REUSE_COLUMNS = ["source", "target", "source_date", "target_date", "source_precision", "target_precision", "lag_days",
                 "lag_exact", "direction"]
_RANK = {"year": 0, "month": 1, "day": 2}


def reuse_direction(corp: Corpus, passages: pd.DataFrame | None = None, *, date: str = "date", min_len: int = 8,
                    **passage_options) -> pd.DataFrame:
    """The shared passages, each with its likely direction of reuse.

    Parameters
    ----------
    corp : Corpus
    passages : DataFrame, optional
        :func:`analysis.shared_passages`' table; computed with ``min_len`` and ``passage_options`` when None.
    date : str
        The manifest column of ISO dates.

    Returns
    -------
    DataFrame
        Every row of ``passages`` (doc_a, doc_b, passage, length, start_a, start_b, n) with
        :data:`REUSE_COLUMNS`: source (the earlier document), target (the later), source_date, target_date,
        source_precision, target_precision (``day``, ``month``, ``year``; ``""`` when undated), lag_days (days between the first days of the dates), lag_exact (both dates are days), direction
        (``earlier → later``; ``same day``, ``same month`` or ``same year`` when the dates cannot be ordered, the
        coarser precision named; ``undated`` when a document has no date). Unordered and undated pairs keep
        source = doc_a and target = doc_b (corpus order). Undated documents are named in a warning.
    """
    if passages is None:
        passages = shared_passages(corp, min_len=min_len, **passage_options)
    dates = dated_documents(corp, date).set_index("id")
    out = passages.copy()
    directed = [_direct(a, b, dates) for a, b in zip(out["doc_a"], out["doc_b"])]
    extra = pd.DataFrame(directed, columns=REUSE_COLUMNS, index=out.index)
    for col in REUSE_COLUMNS:
        out[col] = extra[col]
    out["source_date"] = pd.to_datetime(out["source_date"])
    out["target_date"] = pd.to_datetime(out["target_date"])
    out["lag_days"] = out["lag_days"].astype("Int64")
    return out


def _direct(a: str, b: str, dates: pd.DataFrame) -> tuple:
    """source, target, their dates, lag, exactness and direction for one pair of documents."""
    da, db = dates.loc[a], dates.loc[b]
    if pd.isna(da["date"]) or pd.isna(db["date"]):
        return a, b, da["date"], db["date"], da["precision"], db["precision"], None, False, UNDATED
    if db["end"] < da["date"]:  # b ends before a begins
        a, b, da, db = b, a, db, da
    exact = da["precision"] == "day" and db["precision"] == "day"
    lag = (db["date"] - da["date"]).days
    if da["end"] < db["date"]:
        return a, b, da["date"], db["date"], da["precision"], db["precision"], lag, exact, FORWARD
    coarser = min(da["precision"], db["precision"], key=_RANK.get)
    return a, b, da["date"], db["date"], da["precision"], db["precision"], lag, exact, f"same {coarser}"


def who_reuses_whom(directed: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Who reuses whom: the directed passages summed by the groups of source and target.

    Parameters
    ----------
    directed : DataFrame
        :func:`reuse_direction`'s table.
    groups : Series
        Document id → group (``corp.groups(by)``).

    Returns
    -------
    DataFrame
        source_group, target_group, direction, passages (rows), chars (their characters, summed), pairs (pairs of
        documents), median_lag_days; one row per source group, target group and direction (so unordered and
        undated pairs stay visible, apart from the ordered ones), most characters first.
    """
    cols = ["source_group", "target_group", "direction", "passages", "chars", "pairs", "median_lag_days"]
    if directed.empty:
        return pd.DataFrame(columns=cols)
    df = directed.assign(source_group=directed["source"].map(groups).astype(str),
                         target_group=directed["target"].map(groups).astype(str),
                         _pair=directed["source"] + "\x00" + directed["target"],
                         _lag=directed["lag_days"].astype("float64"))
    out = (df.groupby(["source_group", "target_group", "direction"], sort=True)
             .agg(passages=("passage", "size"), chars=("length", "sum"), pairs=("_pair", "nunique"),
                  median_lag_days=("_lag", "median"))
             .reset_index())
    out = out.sort_values(["chars", "source_group", "target_group"], ascending=[False, True, True], kind="stable")
    return out[cols].reset_index(drop=True)
