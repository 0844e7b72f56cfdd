"""Figures of diffusion and reuse on a real time axis: who adopted a formulation when, who reused whom.

Every function takes a table made by :mod:`analysis.methods.diffusion` or :mod:`analysis.methods.reuse` and
returns a matplotlib Figure; none of them counts anything itself. Dates known only to a month or a year are
drawn hollow, at the first day of their month or year.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from . import plain
from .rhetoric import group_colors

__all__ = ["adoption_timeline", "reuse_timeline"]

FORWARD = "earlier → later"  # the direction of :func:`analysis.methods.reuse.reuse_direction` drawn as arrows


def _short(text: str, n: int) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _middle(text: str, n: int) -> str:
    """``text`` shortened in the middle, so the end (a document's number, such as (十二大)) stays readable."""
    text = str(text)
    if len(text) <= n:
        return text
    tail = (n - 1) // 2
    return text[: n - 1 - tail] + "…" + text[len(text) - tail:]


def adoption_timeline(adoption: pd.DataFrame, *, max_formulations: int = 30, max_label: int = 16,
                      title: str = "提法的扩散 When each group first used each formulation"):
    """One row per formulation (earliest first use at the top), one marker per group at its first use.

    Parameters
    ----------
    adoption : DataFrame
        :func:`analysis.methods.diffusion.adoption` (formulation, group, first_date, precision, lag_days).
    max_formulations : int
        The formulations first used earliest, at most this many.

    Notes
    -----
    The first user of each formulation (lag 0; every group of a tie) is a star with a black edge; a grey line spans from the
    first use to the last group's adoption. Hollow markers: dates known only to the month or year.
    """
    if adoption.empty:
        raise ValueError("adoption_timeline() needs at least one formulation used by a dated document")
    order = (adoption.groupby("formulation", sort=False)["first_date"].min().sort_values(kind="stable")
             .head(max_formulations).index.tolist())
    colors = group_colors(adoption["group"])
    fig, ax = plt.subplots(figsize=(9.5, max(2.8, 0.36 * len(order) + 1.8)))
    for y, f in enumerate(order):
        rows = adoption[adoption["formulation"] == f]
        ax.plot([rows["first_date"].min(), rows["first_date"].max()], [y, y], color="0.8", lw=1.2, zorder=1)
        for r in rows.itertuples(index=False):
            _adoption_marker(ax, r, y, colors[str(r.group)])
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([plain(_short(f, max_label)) for f in order])
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.grid(axis="x", color="0.92", lw=0.6)
    ax.set_xlabel("date of first use")
    ax.set_title(plain(title))
    ax.legend(handles=_group_handles(colors), loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    return fig


def _adoption_marker(ax, r, y: int, color: str) -> None:
    first = r.lag_days == 0
    hollow = r.precision != "day"
    ax.plot(r.first_date, y, "*" if first else "o", ms=13 if first else 7, zorder=3 if first else 2,
            markerfacecolor="white" if hollow else color, markeredgecolor="black" if first else color,
            markeredgewidth=1.0 if first else 1.4)


def _group_handles(colors: dict) -> list:
    handles = [Line2D([], [], marker="o", ls="", color=c, label=plain(g)) for g, c in colors.items()]
    handles.append(Line2D([], [], marker="*", ls="", ms=12, markerfacecolor="0.6", markeredgecolor="black",
                          label="first use"))
    handles.append(Line2D([], [], marker="o", ls="", markerfacecolor="white", markeredgecolor="0.4",
                          label="month/year only"))
    return handles


def reuse_timeline(directed: pd.DataFrame, groups: pd.Series | None = None, *, max_pairs: int = 40,
                   max_label: int = 22, title: str = "谁沿用谁 Shared passages, from the earlier document to the later"):
    """Documents on a time axis (one row each, in date order), an arrow from each source to each target.

    Parameters
    ----------
    directed : DataFrame
        :func:`analysis.methods.reuse.reuse_direction`. Pairs of documents whose dates cannot be ordered are drawn
        as dashed lines without a head; undated documents are left out (they have no place on the axis).
    groups : Series, optional
        Document id → group (``corp.groups(by)``): colours the documents (hollow: dated to a month or year).
    max_pairs : int
        The pairs of documents sharing the most characters, at most this many; an arrow's width grows with the
        characters shared.
    """
    pairs = _document_pairs(directed).head(max_pairs)
    if pairs.empty:
        raise ValueError("reuse_timeline() needs at least one pair of dated documents sharing a passage")
    docs, precision = _document_dates(pairs)
    row = {d: i for i, d in enumerate(docs.index)}
    colors = group_colors(groups.loc[docs.index]) if groups is not None else {}
    fig, ax = plt.subplots(figsize=(10, max(3.0, 0.38 * len(docs) + 1.8)))
    widest = float(np.sqrt(pairs["chars"].max()))
    for p in pairs.itertuples(index=False):
        _reuse_arrow(ax, p, row, 0.6 + 3.4 * float(np.sqrt(p.chars)) / widest)
    for d, when in docs.items():
        c = colors.get(str(groups[d]), "C0") if groups is not None else "0.2"
        ax.plot(when, row[d], "o", ms=7, zorder=3, markeredgecolor=c, markeredgewidth=1.4,
                markerfacecolor=c if precision[d] == "day" else "white")
    ax.set_yticks(range(len(docs)))
    ax.set_yticklabels([plain(_middle(d, max_label)) for d in docs.index], fontsize=9)
    ax.set_ylim(len(docs) - 0.5, -0.5)
    ax.grid(axis="x", color="0.92", lw=0.6)
    ax.set_xlabel("date")
    ax.set_title(plain(title))
    if groups is not None:
        ax.legend(handles=[Line2D([], [], marker="o", ls="", color=c, label=plain(g)) for g, c in colors.items()],
                  loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    return fig


def _document_pairs(directed: pd.DataFrame) -> pd.DataFrame:
    """One row per dated pair of documents: source, target, their dates, direction, characters shared."""
    dated = directed[directed["source_date"].notna() & directed["target_date"].notna()]
    keys = ["source", "target", "source_date", "target_date", "source_precision", "target_precision", "direction"]
    pairs = (dated.groupby(keys, sort=False)["length"]
             .sum().rename("chars").reset_index())
    return pairs.sort_values(["chars", "source", "target"], ascending=[False, True, True], kind="stable")


def _document_dates(pairs: pd.DataFrame) -> tuple[pd.Series, dict]:
    """Each document's date (in date order, then by id) and its precision."""
    ends = [pairs[[f"{s}", f"{s}_date", f"{s}_precision"]].set_axis(["doc", "date", "precision"], axis=1)
            for s in ("source", "target")]
    docs = pd.concat(ends).drop_duplicates("doc").sort_values(["date", "doc"], kind="stable")
    return docs.set_index("doc")["date"], dict(zip(docs["doc"], docs["precision"]))


def _reuse_arrow(ax, p, row: dict, width: float) -> None:
    forward = p.direction == FORWARD
    ax.annotate("", xy=(p.target_date, row[p.target]), xytext=(p.source_date, row[p.source]),
                arrowprops=dict(arrowstyle="-|>" if forward else "-", lw=width, color="#D55E00" if forward else "0.5",
                                alpha=0.45, ls="-" if forward else "--", shrinkA=4, shrinkB=4,
                                connectionstyle="arc3,rad=-0.25"), zorder=2)
