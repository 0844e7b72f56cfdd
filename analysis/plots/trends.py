"""Figures of time: trends of terms with their intervals, and the lifespans of terms.

Every function takes a table of :mod:`analysis.methods.trends` or :mod:`analysis.methods.shifts` and
returns a matplotlib Figure; save it with :func:`analysis.save_fig`. Call :func:`analysis.setup` first so
Chinese renders. The keyness of adjacent periods (:func:`analysis.adjacent_keyness`) is drawn by
:func:`analysis.plots.rhetoric.keyness_bars`, one panel per pair of periods.
"""
from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from . import plain

__all__ = ["trend_plot", "lifespan_chart"]

RATE_LABEL = "per 10,000 characters 每万字"


def _panels(table: pd.DataFrame) -> tuple[str | None, str]:
    """What makes panels and what makes lines: one panel per term when there are several terms and groups."""
    terms, groups = table["term"].nunique(), table["group"].nunique()
    if terms > 1 and groups > 1:
        return "term", "group"
    return None, "term" if groups == 1 else "group"


def _runs(rows: pd.DataFrame) -> list[np.ndarray]:
    """Positions of ``rows`` (sorted by start) split where a period is missing: the next period does not
    begin the day after one ends."""
    follows = rows["start"].to_numpy()[1:] == (rows["end"] + pd.Timedelta(days=1)).to_numpy()[:-1]
    return np.split(np.arange(len(rows)), np.flatnonzero(~follows) + 1)


def _draw_series(ax, rows: pd.DataFrame, label: str, color: str) -> None:
    """One line per run of consecutive periods (broken where a period has no document), the intervals as
    error bars; one-document cells (no interval) as open markers."""
    rows = rows.sort_values("start")
    x, y = rows["start"].to_numpy(), rows["per_10k"].to_numpy(dtype=float)
    low, high = rows["per_10k_low"].to_numpy(dtype=float), rows["per_10k_high"].to_numpy(dtype=float)
    for run in _runs(rows):
        ax.plot(x[run], y[run], color=color, linewidth=1.6)
    ax.errorbar(x, y, yerr=np.vstack([y - low, high - y]), color=color, linestyle="none", marker="o", markersize=5,
                capsize=3, elinewidth=1, label=plain(label))
    single = rows["documents"].to_numpy() == 1
    if single.any():
        ax.plot(x[single], y[single], linestyle="none", marker="o", markersize=5, markerfacecolor="white",
                markeredgecolor=color, zorder=3)


def _date_axis(ax) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylim(bottom=0)
    ax.set_ylabel(RATE_LABEL)


def trend_plot(table: pd.DataFrame, *, title: str | None = None, ncols: int = 2):
    """Rates of terms over time, one line per term (or per group), with document-level intervals.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`analysis.trends`.
    title : str, optional
        Figure title.
    ncols : int
        Panels per row when there are several terms and several groups (then one panel per term, one line
        per group).

    Returns
    -------
    Figure
        x: the periods' first days on a real time axis (the line broken where a period has no document); y: per
        10,000 characters; error bars: the bootstrap interval over the cell's documents. Open markers are
        cells of one document, which have no interval.
    """
    if table.empty:
        raise ValueError("trend_plot() got an empty table")
    panel_by, line_by = _panels(table)
    keys = list(dict.fromkeys(table[panel_by])) if panel_by else [None]
    ncols = max(1, min(ncols, len(keys)))
    nrows = int(np.ceil(len(keys) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(7.5 if ncols == 1 else 5.2 * ncols, 4.2 * nrows), squeeze=False,
                             sharex=True)
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    colors = {v: cycle[i % len(cycle)] for i, v in enumerate(dict.fromkeys(table[line_by]))}
    for ax, key in zip(axes.flat, keys):
        part = table if key is None else table[table[panel_by] == key]
        for value, rows in part.groupby(line_by, sort=False):
            _draw_series(ax, rows, str(value), colors[value])
        _date_axis(ax)
        if key is not None:
            ax.set_title(plain(key))
        ax.legend(fontsize=9, loc="best")
    for ax in list(axes.flat)[len(keys):]:
        ax.set_axis_off()
    if (table["documents"] == 1).any():
        note = Line2D([], [], linestyle="none", marker="o", markerfacecolor="white", markeredgecolor="#444",
                      label="open: one document, no interval")
        fig.legend(handles=[note], loc="lower center", fontsize=9, bbox_to_anchor=(0.5, -0.01))
    if title:
        fig.suptitle(plain(title))
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


STATUS_COLORS = {"throughout": "#777777", "intermittent": "#E69F00", "new": "#009E73", "faded": "#D55E00",
                 "new and faded": "#0072B2"}


def lifespan_chart(lifespans: pd.DataFrame, n: int = 30, *, title: str | None = None):
    """Each term's life as a bar from its first to its last use, coloured by status.

    ``lifespans`` is a :func:`analysis.term_lifespans` table; the ``n`` most frequent terms are drawn,
    earliest first.
    """
    top = lifespans.sort_values(["count", "term"], ascending=[False, True], kind="stable").head(n)
    if top.empty:
        raise ValueError("lifespan_chart() got an empty table")
    top = top.sort_values(["first_date", "last_date", "term"], kind="stable").reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(top) + 1.6))
    first = mdates.date2num(pd.to_datetime(top["first_date"]))
    last = mdates.date2num(pd.to_datetime(top["last_date"]))
    span = max(float(last.max() - first.min()), 1.0)
    width = np.maximum(last - first, span / 150)  # a term of one date still shows, as a sliver of the axis
    ax.barh(np.arange(len(top)), width, left=first, height=0.6,
            color=[STATUS_COLORS.get(s, "#999") for s in top["status"]])
    ax.set_yticks(np.arange(len(top)), [plain(t) for t in top["term"]], fontsize=9)
    ax.invert_yaxis()
    ax.xaxis_date()
    locator = mdates.AutoDateLocator(minticks=3, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel("first to last use")
    shown = [s for s in STATUS_COLORS if s in set(top["status"])]
    handles = [Line2D([], [], color=STATUS_COLORS[s], linewidth=6, label=s) for s in shown]
    fig.legend(handles=handles, fontsize=9, loc="lower center", ncol=len(handles), bbox_to_anchor=(0.5, -0.01))
    if title:
        ax.set_title(plain(title))
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig
