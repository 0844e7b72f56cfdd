"""Figures for mined formulations: document × slogan heatmap, positions along documents, sharing.

Every function takes a DataFrame made by :mod:`analysis.methods.slogans` and returns a
matplotlib Figure; none of them mines or counts anything itself.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import LogNorm

from ..config import SEED
from . import plain

__all__ = ["slogan_heatmap", "slogan_positions", "sharing_bars", "KIND_COLORS"]

#: One colour per kind of formulation (colour-blind safe palette of the suite's style).
KIND_COLORS = {
    "numbered": "#0072B2",
    "affix": "#D55E00",
    "enumeration": "#009E73",
    "quoted": "#CC79A7",
    "collocation": "#000000",
    "ngram": "#E69F00",
    "title": "#56B4E9",
}


def _short(text: str, n: int = 14) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _group_bands(ax, groups: list[str], *, horizontal: bool = True) -> None:
    """Separate consecutive runs of the same group with lines and label each run."""
    start = 0
    for i in range(1, len(groups) + 1):
        if i == len(groups) or groups[i] != groups[start]:
            if i < len(groups):
                ax.axhline(i - 0.5, color="0.3", lw=1.0)
            ax.annotate(plain(groups[start]), xy=(1.01, (start + i - 1) / 2), xycoords=("axes fraction", "data"),
                        va="center", ha="left", fontsize=9, color="0.25")
            start = i


def slogan_heatmap(matrix: pd.DataFrame, *, title: str = "文档 × 提法 Documents × formulations",
                   max_label: int = 32):
    """Counts of each slogan (columns, in rank order) in each document (rows, by group).

    Parameters
    ----------
    matrix : DataFrame
        :func:`analysis.methods.slogans.slogan_matrix`: rows are documents (index ``group``,
        ``doc_id``; groups are separated and labelled) or groups (``level="group"``).
    max_label : int
        Slogans longer than this are shortened with … in the column labels (the default keeps
        every formulation the miner finds whole; the figure grows downwards to fit them).

    Notes
    -----
    Colour is on a log scale (a formula used ten times would otherwise hide the ones
    used once); empty cells stay white and every non-zero cell shows its count.
    """
    if matrix.empty or matrix.shape[1] == 0:
        raise ValueError("slogan_heatmap() needs at least one document and one slogan")
    values = matrix.to_numpy()
    n_rows, n_cols = values.shape
    fig, ax = plt.subplots(figsize=(max(6.0, 0.34 * n_cols + 3.0), max(2.5, 0.42 * n_rows + 2.6)))
    masked = np.ma.masked_where(values == 0, values)
    vmax = max(2, int(values.max()))
    im = ax.imshow(masked, aspect="auto", cmap="Blues", norm=LogNorm(vmin=0.6, vmax=vmax), interpolation="nearest")
    for (r, c), v in np.ndenumerate(values):
        if v:
            ax.text(c, r, str(v), ha="center", va="center", fontsize=7,
                    color="white" if v >= max(2, vmax ** 0.6) else "0.15")
    ax.set_xticks(range(n_cols))
    ax.set_xticklabels([plain(_short(str(s), max_label)) for s in matrix.columns], rotation=90, fontsize=9)
    ax.set_yticks(range(n_rows))
    multi = isinstance(matrix.index, pd.MultiIndex)
    rows = matrix.index.get_level_values("doc_id") if multi else matrix.index
    ax.set_yticklabels([plain(d) for d in rows], fontsize=9)
    ax.set_xticks(np.arange(-0.5, n_cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, n_rows, 1), minor=True)
    ax.grid(which="minor", color="0.9", lw=0.5)
    ax.tick_params(which="minor", length=0)
    groups = [str(g) for g in matrix.index.get_level_values("group")] if multi else [""]
    banded = multi and 1 < len(set(groups)) < n_rows  # no bands when every document is its own group
    if banded:
        _group_bands(ax, groups)
    ax.set_title(plain(title))
    cb = fig.colorbar(im, ax=ax, fraction=0.025, pad=0.09 if banded else 0.02)
    ticks = [t for t in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if t <= vmax]
    cb.set_ticks(ticks)
    cb.set_ticklabels([str(t) for t in ticks])
    cb.minorticks_off()
    cb.set_label("occurrences (log scale)")
    return fig


def slogan_positions(occurrences: pd.DataFrame, *, docs: list[str] | None = None, max_docs: int | None = 30,
                     seed: int = SEED,
                     title: str = "提法在文中的位置 Where formulations occur along each document"):
    """Each occurrence as a mark at its relative position (0 = start, 1 = end) in its document.

    Parameters
    ----------
    occurrences : DataFrame
        :func:`analysis.methods.slogans.slogan_occurrences` (doc_id, group, position, kind).
    docs : list of str, optional
        Documents to show, top to bottom (default: by group, then as they appear).
    max_docs : int, optional
        Without ``docs``, show at most this many documents: those with the most occurrences.
    seed : int
        Seeds the small vertical jitter that keeps overlapping marks apart.

    Notes
    -----
    Colour is the kind of formulation; the grey bar under each row spans the document.
    Marks are jittered vertically only, so positions stay exact.
    """
    if occurrences.empty:
        raise ValueError("slogan_positions() needs at least one occurrence")
    occ = occurrences
    if docs is None:
        order = occ.drop_duplicates("doc_id")[["group", "doc_id"]]
        order = order.assign(_o=range(len(order))).sort_values(["group", "_o"], kind="stable")
        docs = order["doc_id"].tolist()
        if max_docs is not None and len(docs) > max_docs:
            n = occ["doc_id"].value_counts()
            keep = set(sorted(docs, key=lambda d: (-n[d], docs.index(d)))[:max_docs])
            docs = [d for d in docs if d in keep]
    ypos = {d: i for i, d in enumerate(docs)}
    rng = np.random.default_rng(seed)
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(docs) + 1.8))
    for i in range(len(docs)):
        ax.plot([0, 1], [i, i], color="0.85", lw=6, solid_capstyle="butt", zorder=0)
    sub = occ[occ["doc_id"].isin(ypos)]
    kinds = [k for k in KIND_COLORS if k in set(sub["kind"])] + sorted(set(sub["kind"]) - set(KIND_COLORS))
    for k in kinds:
        part = sub[sub["kind"] == k]
        y = part["doc_id"].map(ypos).to_numpy(dtype=float) + rng.uniform(-0.22, 0.22, len(part))
        ax.scatter(part["position"], y, s=22, color=KIND_COLORS.get(k, "0.4"), alpha=0.8, label=k,
                   edgecolors="white", linewidths=0.4, zorder=2)
    ax.set_yticks(range(len(docs)))
    ax.set_yticklabels([plain(d) for d in docs], fontsize=9)
    ax.set_ylim(len(docs) - 0.5, -0.5)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("position in the document (0 = start, 1 = end)")
    gmap = dict(zip(sub["doc_id"], sub["group"].astype(str)))
    groups = [gmap.get(d, "") for d in docs]
    banded = 1 < len(set(groups)) < len(docs)  # no bands when every document is its own group
    if banded:
        _group_bands(ax, groups)
    ax.legend(title="kind", loc="upper left", bbox_to_anchor=(1.12 if banded else 1.0, 1.0), fontsize=9)
    ax.set_title(plain(title))
    return fig


def sharing_bars(shared: pd.DataFrame, *, title: str = "共用还是独用 Shared by all groups, by some, or used by one"):
    """How many slogans are shared by all groups, by k groups or used by one, split by kind.

    Parameters
    ----------
    shared : DataFrame
        :func:`analysis.methods.slogans.sharing` (``band`` or ``shared``, and ``kind``).
    """
    if shared.empty:
        raise ValueError("sharing_bars() needs at least one slogan")
    col = "band" if "band" in shared.columns else "shared"
    table = shared.groupby([col, "kind"]).size().unstack("kind", fill_value=0)
    named = {"all groups": -1e9, "more than half": -1e8, "2 groups to half": -1e7}

    def order_key(label: str):
        return (named[label],) if label in named else (-int(label.split()[0]),)

    table = table.loc[sorted(table.index, key=order_key)]
    kinds = [k for k in KIND_COLORS if k in table.columns] + sorted(set(table.columns) - set(KIND_COLORS))
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(table) + 1.8))
    left = np.zeros(len(table))
    for k in kinds:
        vals = table[k].to_numpy()
        ax.barh(range(len(table)), vals, left=left, color=KIND_COLORS.get(k, "0.5"), label=k)
        left += vals
    for i, total in enumerate(left):
        ax.text(total, i, f" {int(total)}", va="center", fontsize=9)
    ax.set_yticks(range(len(table)))
    ax.set_yticklabels(table.index)
    ax.invert_yaxis()
    ax.set_xlabel("number of slogans")
    ax.margins(x=0.1)
    ax.legend(title="kind", loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=9)
    ax.set_title(plain(title))
    return fig
