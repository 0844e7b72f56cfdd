"""Figures for emphasis scores: heatmap with intervals, dot-and-interval panels, positional profiles, robustness.

Every function takes the tidy DataFrame of the matching function in
:mod:`analysis.methods.emphasis` and returns a matplotlib Figure; none of them
computes a statistic. Rates are per 10,000 characters
(:data:`analysis.config.RATE_PER`), as in the tables.
"""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..config import RATE_PER
from ..methods.emphasis.rates import RATE, RATE_HIGH, RATE_LOW
from ..methods.emphasis.robustness import DIFF, DIFF_WITHOUT
from . import plain

__all__ = ["emphasis_heatmap", "emphasis_intervals", "position_profile", "robustness_plot"]

#: The rate unit in words: "per 10,000 characters" (:data:`analysis.config.RATE_PER`), and in Chinese.
_PER_CHARS = f"per {RATE_PER:,} characters"
_PER_CHARS_ZH = "每万字"


def _group_colors(groups) -> dict:
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    return {g: cycle[i % len(cycle)] for i, g in enumerate(groups)}


def _category_order(df: pd.DataFrame, categories=None) -> list[str]:
    order = list(dict.fromkeys(df["category"]))
    if categories is None:
        return order
    missing = [c for c in categories if c not in order]
    if missing:
        raise KeyError(f"categories {missing} are not in the table; it has {', '.join(order)}")
    return list(categories)


def _label(df: pd.DataFrame, cat: str, sep: str = " ") -> str:
    row = df.loc[df["category"] == cat].iloc[0]
    if "zh" in df.columns and "en" in df.columns:
        return plain(f"{row['zh']}{sep}{row['en']}")
    return plain(cat)


def emphasis_heatmap(scores: pd.DataFrame, *, categories=None, annotate: bool | None = None,
                     title: str = f"强调什么、语气多强 Emphasis {_PER_CHARS} [95% interval]"):
    """Categories × groups, coloured by rate relative to the row's highest group, annotated ``rate [low–high]``.

    Parameters
    ----------
    scores : DataFrame
        :func:`analysis.emphasis` output (group, category, zh, en,
        kind, per_10k, per_10k_low, per_10k_high).
    categories : list of str, optional
        Rows to show, in this order (default: all, table order).
    annotate : bool, optional
        Write the numbers in the cells (default: when there are at most 10 groups).

    Notes
    -----
    Colour compares groups within a category (each row is scaled to its own
    maximum): rates of different categories differ by orders of magnitude,
    so a common scale would show only the largest category. A line separates
    topic from force categories.
    """
    cats = _category_order(scores, categories)
    if "kind" in scores.columns:  # each kind's categories, then its pooled row (all_topic, all_force)
        kind = scores.drop_duplicates("category").set_index("category")["kind"]
        kinds = list(dict.fromkeys(kind.loc[cats]))
        cats = sorted(cats, key=lambda c: (kinds.index(kind[c]), c.startswith("all_"), cats.index(c)))
    groups = sorted(scores["group"].unique(), key=str)
    rate = scores.pivot(index="category", columns="group", values=RATE).loc[cats, groups]
    lo = scores.pivot(index="category", columns="group", values=RATE_LOW).loc[cats, groups]
    hi = scores.pivot(index="category", columns="group", values=RATE_HIGH).loc[cats, groups]
    rowmax = rate.max(axis=1).replace(0, np.nan)
    rel = rate.div(rowmax, axis=0).fillna(0).to_numpy()
    if annotate is None:
        annotate = len(groups) <= 10
    width = min(22, 4.5 + (1.55 if annotate else 0.35) * len(groups))
    fig, ax = plt.subplots(figsize=(width, 0.52 * len(cats) + 1.8))
    im = ax.imshow(rel, aspect="auto", cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(groups)), [plain(g) for g in groups], rotation=0 if len(groups) <= 6 else 90)
    ax.set_yticks(range(len(cats)), [_label(scores, c) for c in cats])
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    if annotate:
        for i in range(len(cats)):
            for j in range(len(groups)):
                r, a, b = rate.iat[i, j], lo.iat[i, j], hi.iat[i, j]
                text = f"{r:.1f}" + ("" if np.isnan(a) else f"\n[{a:.1f}–{b:.1f}]")
                ax.text(j, i, text, ha="center", va="center", fontsize=8,
                        color="white" if rel[i, j] > 0.6 else "black")
    if "kind" in scores.columns:
        kinds = scores.drop_duplicates("category").set_index("category").loc[cats, "kind"].to_numpy()
        for i in range(1, len(cats)):
            if kinds[i] != kinds[i - 1]:
                ax.axhline(i - 0.5, color="black", lw=1.2)
    cb = fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02)
    cb.set_label("rate ÷ highest group in the row")
    ax.set_title(plain(title), pad=12)
    return fig


def emphasis_intervals(scores: pd.DataFrame, *, categories=None, value: str = "rate", ncols: int = 4,
                       title: str | None = None):
    """One panel per category: each group's estimate as a dot with its interval as a line.

    Parameters
    ----------
    scores : DataFrame
        :func:`analysis.emphasis` output.
    categories : list of str, optional
        Panels to draw, in this order (default: all).
    value : {"rate", "share"}
        ``rate``: hits per 10,000 characters (per_10k_low–per_10k_high); ``share``: per
        cent of sentences with a hit (share_low–share_high).
    """
    if value not in ("rate", "share"):
        raise ValueError("value must be 'rate' or 'share'")
    col, low, high, scale = ((RATE, RATE_LOW, RATE_HIGH, 1.0) if value == "rate"
                             else ("sentence_share", "share_low", "share_high", 100.0))
    cats = _category_order(scores, categories)
    groups = sorted(scores["group"].unique(), key=str)
    colors = _group_colors(groups)
    ncols = min(ncols, len(cats))
    nrows = math.ceil(len(cats) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.4 * ncols, 0.32 * len(groups) * nrows + 1.4 * nrows + 0.6),
                             squeeze=False)
    for ax, cat in zip(axes.flat, cats):
        d = scores[scores["category"] == cat].set_index("group").reindex(groups)
        y = np.arange(len(groups))
        for k, g in enumerate(groups):
            ax.plot([d.at[g, low] * scale, d.at[g, high] * scale], [k, k], color=colors[g], lw=2.2, alpha=0.55)
            ax.plot(d.at[g, col] * scale, k, "o", color=colors[g], ms=6)
        ax.set_yticks(y, [plain(g) for g in groups], fontsize=9)
        ax.set_ylim(len(groups) - 0.5, -0.5)
        ax.set_xlim(left=0)
        ax.set_title(_label(scores, cat, "\n"), fontsize=10)
        ax.tick_params(axis="x", labelsize=8)
    for ax in list(axes.flat)[len(cats):]:
        ax.set_axis_off()
    xlabel = _PER_CHARS if value == "rate" else "% of sentences"
    for ax in list(axes.flat)[:len(cats)]:
        ax.set_xlabel(xlabel, fontsize=8)
    if title is None:
        title = (f"{_PER_CHARS_ZH}频率 Rate {_PER_CHARS} with 95% bootstrap interval" if value == "rate"
                 else "含该类标记的句子比例 Share of sentences with a marker, 95% bootstrap interval")
    fig.suptitle(plain(title))
    fig.tight_layout()
    return fig


def position_profile(curve: pd.DataFrame, *, categories=None, ncols: int = 4,
                     title: str = "文中位置 Where in the document: smoothed rate over relative position"):
    """One panel per category: each group's smoothed rate from the start (0) to the end (1) of its documents.

    ``curve`` is :func:`analysis.emphasis_curve` output. Dotted lines
    mark the thirds used by :func:`analysis.emphasis_positions`.
    """
    cats = _category_order(curve, categories)
    groups = sorted(curve["group"].unique(), key=str)
    colors = _group_colors(groups)
    ncols = min(ncols, len(cats))
    nrows = math.ceil(len(cats) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.4 * ncols, 2.5 * nrows + 0.9), squeeze=False, sharex=True)
    for ax, cat in zip(axes.flat, cats):
        d = curve[curve["category"] == cat]
        for g in groups:
            dg = d[d["group"] == g]
            ax.plot(dg["position"], dg[RATE], color=colors[g], lw=1.8, label=plain(g))
        for x in (1 / 3, 2 / 3):
            ax.axvline(x, color="0.7", lw=0.8, ls=":")
        ax.set_ylim(bottom=0)
        ax.set_xlim(0, 1)
        ax.set_xticks([0, 0.5, 1], ["start", "middle", "end"], fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
        ax.set_title(_label(curve, cat, "\n"), fontsize=10)
    for ax in list(axes.flat)[len(cats):]:
        ax.set_axis_off()
    for row in axes:
        row[0].set_ylabel(_PER_CHARS, fontsize=9)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(groups), 6), bbox_to_anchor=(0.5, -0.01))
    fig.suptitle(plain(title))
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def robustness_plot(detail: pd.DataFrame, *, pairs=None, ncols: int = 3,
                    title: str = f"去掉一个词 Leave one term out: difference between groups ({_PER_CHARS})"):
    """For each pair of groups: the difference in each category, and where it moves when one term is left out.

    ``detail`` is :func:`analysis.emphasis_robustness` output. Black
    dot: the difference with the full lexicon; grey ticks: the difference
    without each term in turn; the term that moves it most is named.
    Categories flagged ``fragile`` are drawn in red.
    """
    if detail.empty:
        raise ValueError("robustness_plot() needs at least one row")
    all_pairs = list(dict.fromkeys(zip(detail["group_a"], detail["group_b"])))
    pairs = all_pairs if pairs is None else [tuple(p) for p in pairs]
    cats = list(dict.fromkeys(detail["category"]))
    ncols = min(ncols, len(pairs))
    nrows = math.ceil(len(pairs) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 0.36 * len(cats) * nrows + 1.3 * nrows + 0.4),
                             squeeze=False)
    for ax, (a, b) in zip(axes.flat, pairs):
        d = detail[(detail["group_a"] == a) & (detail["group_b"] == b)]
        for i, cat in enumerate(cats):
            dc = d[d["category"] == cat]
            if dc.empty:
                continue
            fragile = bool(dc["fragile"].any())
            color = "#C0392B" if fragile else "black"
            ax.plot(dc[DIFF_WITHOUT], np.full(len(dc), i), "|", color="0.55", ms=9)
            base = dc[DIFF].iat[0]
            ax.plot(base, i, "o", color=color, ms=6, zorder=3)
            move = (dc[DIFF_WITHOUT] - base).abs()
            top = dc.loc[move.sort_values(ascending=False, kind="stable").index[0]]
            if abs(top[DIFF_WITHOUT] - base) > 0:
                ax.annotate(plain(top["term"]), (top[DIFF_WITHOUT], i), xytext=(0, 5), textcoords="offset points",
                            ha="center", fontsize=8, color=color)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.set_yticks(range(len(cats)), [plain(c) for c in cats], fontsize=8)
        ax.set_ylim(len(cats) - 0.4, -0.8)
        ax.set_title(plain(f"{a} − {b}"), fontsize=10)
        ax.tick_params(axis="x", labelsize=8)
    for ax in list(axes.flat)[len(pairs):]:
        ax.set_axis_off()
    fig.suptitle(plain(title))
    fig.tight_layout()
    return fig
