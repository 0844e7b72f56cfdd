"""Where slogans occur: every occurrence, document × slogan counts, sharing across groups, families side by side, positions."""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from ...config import DEFAULT_BY
from ...corpus import Corpus
from .ngrams import DocumentTexts, occurrences, text_lengths
from .settings import load_settings

__all__ = ["OCCURRENCE_COLUMNS", "slogan_occurrences", "slogan_matrix", "sharing", "family_table", "position_profile"]

OCCURRENCE_COLUMNS = ["rank", "slogan", "kind", "family", "doc_id", "group", "start", "end", "position"]


def slogan_occurrences(corp: Corpus, slogans: pd.DataFrame, by: str | None = DEFAULT_BY, *,
                       top: int | None = None) -> pd.DataFrame:
    """Every occurrence of the slogans in the clean texts: one row per occurrence.

    Parameters
    ----------
    corp : Corpus
    slogans : DataFrame
        :func:`find_slogans`' result (or any frame with ``slogan``; ``rank``, ``kind``
        and ``family`` are carried over when present).
    by : str or None
        Manifest column reported as ``group``.
    top : int, optional
        Only the ``top`` first rows of ``slogans``.

    Returns
    -------
    DataFrame
        rank, slogan, kind, family, doc_id, group, start, end, position (start divided
        by the document's length, 0–1); in slogan order, then corpus order, then start.
        Overlapping occurrences of different slogans are all kept.
    """
    s = load_settings()
    sl = slogans.head(top) if top is not None else slogans
    docs = list(corp)
    ids = [d.id for d in docs]
    groups = corp.groups(by)
    texts = DocumentTexts(docs)  # searched run by run: a corpus larger than memory works
    found = occurrences(texts, sl["slogan"], s)
    length = np.maximum(1, text_lengths(texts))
    rows = []
    for i, r in enumerate(sl.itertuples(index=False)):
        text = r.slogan
        dix, offs = found[text]
        for d, off in zip(dix.tolist(), offs.tolist()):
            rows.append((getattr(r, "rank", i + 1), text, getattr(r, "kind", ""), getattr(r, "family", text),
                         ids[d], str(groups[ids[d]]), off, off + len(text), round(off / int(length[d]), 4)))
    return pd.DataFrame(rows, columns=OCCURRENCE_COLUMNS)


def slogan_matrix(occurrences: pd.DataFrame, corp: Corpus | None = None, by: str | None = DEFAULT_BY, *,
                  level: str = "doc", max_rows: int | None = None) -> pd.DataFrame:
    """Document × slogan (or group × slogan) counts from :func:`slogan_occurrences`.

    Parameters
    ----------
    occurrences : DataFrame
        :func:`slogan_occurrences`.
    corp : Corpus, optional
        With it, every document appears (rows of zeros included), in group then corpus order.
    level : {"doc", "group"}
        One row per document (index ``group``, ``doc_id``) or per group (index ``group``).
    max_rows : int, optional
        Keep only the rows with the most occurrences (ties: the first in order), in their
        original order: a readable heatmap of a large corpus.

    Returns
    -------
    DataFrame
        Counts; columns are the slogans in rank order.
    """
    if level not in ("doc", "group"):
        raise ValueError("level must be 'doc' or 'group'")
    occ = occurrences
    slog = occ.drop_duplicates("slogan").sort_values(["rank", "slogan"])["slogan"].tolist()
    counts = occ.groupby(["group", "doc_id", "slogan"]).size()
    wide = counts.unstack("slogan", fill_value=0) if len(counts) else pd.DataFrame()
    if corp is not None:
        ids = corp.ids
        grp = corp.groups(by)
        order = sorted(range(len(ids)), key=lambda k: (str(grp[ids[k]]), k))
        full = pd.MultiIndex.from_tuples([(str(grp[ids[k]]), ids[k]) for k in order], names=["group", "doc_id"])
        wide = wide.reindex(full, fill_value=0)
    wide = wide.reindex(columns=slog, fill_value=0).astype(int)
    if level == "group":
        wide = wide.groupby(level="group", sort=False).sum()
    if max_rows is not None and len(wide) > max_rows:
        totals = wide.sum(axis=1).to_numpy()
        keep = sorted(sorted(range(len(wide)), key=lambda k: (-totals[k], k))[:max_rows])
        wide = wide.iloc[keep]
    wide.columns.name = "slogan"
    return wide


def sharing(slogans: pd.DataFrame, groups: Iterable[str]) -> pd.DataFrame:
    """Which slogans all groups share, which several share, which one group uses alone.

    Parameters
    ----------
    slogans : DataFrame
        :func:`find_slogans`' result (``groups`` holds the groups joined by ", ").
    groups : iterable of str
        Every group of the corpus (``corp.groups(by).unique()``).

    Returns
    -------
    DataFrame
        rank, slogan, kind, family, n_groups, ``shared`` ("all groups", "2 groups", …,
        "1 group"), ``band`` (the same with at most five groups; with more, "all groups",
        "more than half", "2 groups to half", "1 group") and, for at most 12 groups, one
        boolean column per group; in the order of ``slogans``.
    """
    allg = sorted({str(g) for g in groups})
    G = len(allg)
    out = slogans[[c for c in ("rank", "slogan", "kind", "family", "n_groups") if c in slogans]].copy()
    members = slogans["groups"].fillna("").map(lambda x: set(filter(None, x.split(", "))))
    sizes = [len(m & set(allg)) for m in members]
    out["shared"] = ["all groups" if G > 1 and k == G else f"{k} group{'s' if k != 1 else ''}" for k in sizes]

    def band(k: int) -> str:
        if G <= 5 or k == 1 or k == G:
            return "all groups" if G > 1 and k == G else f"{k} group{'s' if k != 1 else ''}"
        return "more than half" if k > G / 2 else "2 groups to half"

    out["band"] = [band(k) for k in sizes]
    if G <= 12:
        for g in allg:
            out[g] = [g in m for m in members]
    return out.reset_index(drop=True)


def family_table(slogans: pd.DataFrame, occurrences: pd.DataFrame, *, min_members: int = 2,
                 top_families: int | None = None, max_groups: int = 12) -> pd.DataFrame:
    """Variant families side by side: each member with its count in every group.

    Parameters
    ----------
    slogans : DataFrame
        :func:`find_slogans`' result.
    occurrences : DataFrame
        :func:`slogan_occurrences` for (at least) those slogans.
    min_members : int
        Only families with at least this many members.
    top_families : int, optional
        Only the best-ranked families.
    max_groups : int
        With more groups than this, the per-group columns are left out (count, n_docs and
        n_groups remain).

    Returns
    -------
    DataFrame
        family, rank, slogan, kind, count, n_docs, n_groups, then one count column per
        group; families in order of their best member, members by rank.
    """
    sizes = slogans.groupby("family")["slogan"].transform("size")
    fam = slogans[sizes >= min_members]
    order = fam.groupby("family")["rank"].min().sort_values(kind="stable")
    if top_families is not None:
        order = order.head(top_families)
    fam = fam[fam["family"].isin(order.index)]
    table = fam[["family", "rank", "slogan", "kind", "count", "n_docs", "n_groups"]].copy()
    counts = occurrences.groupby(["slogan", "group"]).size().unstack("group", fill_value=0)
    if 0 < counts.shape[1] <= max_groups:
        table = table.merge(counts, left_on="slogan", right_index=True, how="left")
        table[list(counts.columns)] = table[list(counts.columns)].fillna(0).astype(int)
    table["_f"] = table["family"].map(order)
    table = table.sort_values(["_f", "rank"], kind="stable").drop(columns="_f")
    return table.reset_index(drop=True)


def position_profile(occurrences: pd.DataFrame, *, bins: int = 3) -> pd.DataFrame:
    """Where slogans cluster along documents: share of each group's occurrences per part.

    Each document is cut into ``bins`` equal parts by position (0–1); the table gives, per
    group, the number of occurrences and the share falling in each part ("1/3", "2/3",
    "3/3" for thirds), so groups that front-load or close with formulations stand out.
    """
    occ = occurrences
    part = np.minimum((occ["position"].to_numpy() * bins).astype(int), bins - 1)
    labels = [f"{k + 1}/{bins}" for k in range(bins)]
    tab = pd.crosstab(occ["group"], pd.Categorical([labels[k] for k in part], categories=labels))
    shares = tab.div(tab.sum(axis=1), axis=0).round(3)
    shares.insert(0, "occurrences", tab.sum(axis=1))
    shares.columns.name = None
    return shares.reset_index()

