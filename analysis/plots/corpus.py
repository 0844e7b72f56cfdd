"""Figures about the corpus itself: document lengths, cleaning, word clouds."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..config import DEFAULT_BY, SEED, resolve_by
from . import font_path, plain

__all__ = ["document_lengths", "cleaning_summary", "wordcloud", "wordcloud_grid"]


def document_lengths(frame: pd.DataFrame, by: str | None = DEFAULT_BY, *, title: str = "文档长度 Document length"):
    """Horizontal bars of clean characters per document, coloured by ``by``.

    ``frame`` is ``Corpus.to_frame()`` (needs ``id``, ``n_chars`` and ``by``).
    """
    by = resolve_by(by) or "id"
    df = frame.sort_values([by, "id"]) if by in frame.columns else frame.sort_values("id")
    groups = sorted(df[by].unique()) if by in df.columns else []
    colors = dict(zip(groups, plt.rcParams["axes.prop_cycle"].by_key()["color"] * 4))
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(df) + 1.5))
    ax.barh(range(len(df)), df["n_chars"], color=[colors.get(g, "C0") for g in df.get(by, [None] * len(df))])
    ax.set_yticks(range(len(df)), [plain(d) for d in df["id"]])
    ax.invert_yaxis()
    ax.set_xlabel("characters after cleaning")
    ax.set_title(plain(title))
    if groups:
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(color=colors[g], label=plain(g)) for g in groups], title=plain(by),
                  loc="upper left", bbox_to_anchor=(1.01, 1.0))
    for y, v in enumerate(df["n_chars"]):
        ax.text(v, y, f" {v:,}", va="center", fontsize=9)
    ax.set_xlim(0, df["n_chars"].max() * 1.15)
    return fig


#: Seven colours a colour-blind reader tells apart (Okabe and Ito), for the rules that remove the most.
DISTINCT_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]


def cleaning_summary(accounting: pd.DataFrame, *, title: str = "清洗删除的字符 Characters removed by cleaning",
                     max_rules: int = len(DISTINCT_COLORS)):
    """Stacked bars of characters removed per cleaning rule and document.

    ``accounting`` is ``Corpus.accounting()``. The ``max_rules`` rules that
    remove the most characters in the whole corpus get a colour each (in the
    legend with their totals, largest first); the others are pooled as one
    grey "other rules" segment, so no two colours look alike. Each bar ends
    with the document's total.
    """
    rules = [c for c in accounting.columns if c not in ("doc_id", "chars_in", "chars_kept", "chars_removed")]
    rules = [r for r in rules if accounting[r].abs().sum() > 0]
    df = accounting.set_index("doc_id")[rules]
    totals = df.sum().sort_values(ascending=False, kind="stable")
    totals = totals.loc[sorted(totals.index, key=lambda r: (-totals[r], r))]
    shown = list(totals.index[:max_rules]) if len(totals) > max_rules + 1 else list(totals.index)
    rest = [r for r in totals.index if r not in shown]
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(df) + 2))
    y = np.arange(len(df))
    left = np.zeros(len(df))
    segments = [(r, df[r].to_numpy(), DISTINCT_COLORS[i % len(DISTINCT_COLORS)], f"{plain(r)} ({totals[r]:,})")
                for i, r in enumerate(shown)]
    if rest:
        segments.append(("other", df[rest].sum(axis=1).to_numpy(), "#BBBBBB",
                         f"{len(rest)} other rules ({int(totals[rest].sum()):,})"))
    for _, vals, color, label in segments:
        ax.barh(y, vals, left=left, label=label, color=color, edgecolor="white", linewidth=0.5)
        left += vals
    for yi, total in zip(y, left):
        ax.text(total, yi, f" {int(total):,}", va="center", fontsize=9, color="0.3")
    ax.set_yticks(y, [plain(d) for d in df.index])
    ax.invert_yaxis()
    ax.set_xlim(0, max(left.max(), 1) * 1.12)
    ax.set_xlabel("characters removed (net of replacements)")
    ax.set_title(plain(title))
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8, title="rule (corpus total)", title_fontsize=9)
    return fig


def wordcloud(freqs: pd.Series | dict, *, ax=None, title: str | None = None, max_words: int = 80,
              width: int = 800, height: int = 450, colormap: str = "viridis", seed: int = SEED):
    """A word cloud of ``freqs`` (term → weight) drawn with the suite's Chinese font.

    Deterministic: the layout is seeded. Returns the Figure.
    """
    from wordcloud import WordCloud

    freqs = {str(k): float(v) for k, v in dict(freqs).items() if v > 0}
    if not freqs:
        raise ValueError("wordcloud() needs at least one term with a positive weight")
    wc = WordCloud(font_path=str(font_path()), width=width, height=height, background_color="white",
                   max_words=max_words, colormap=colormap, random_state=seed, prefer_horizontal=1.0,
                   collocations=False)
    wc.generate_from_frequencies(freqs)
    if ax is None:
        fig, ax = plt.subplots(figsize=(width / 100, height / 100))
    else:
        fig = ax.figure
    ax.imshow(wc.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    if title:
        ax.set_title(plain(title))
    return fig


def wordcloud_grid(freqs_by_group: dict[str, pd.Series], *, ncols: int = 3, max_words: int = 60, seed: int = SEED):
    """One word cloud per group, side by side, titled with the group's name."""
    n = len(freqs_by_group)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.5 * ncols, 3.0 * nrows), squeeze=False)
    for ax, (name, freqs) in zip(axes.flat, freqs_by_group.items()):
        wordcloud(freqs, ax=ax, title=str(name), max_words=max_words, width=600, height=380, seed=seed)
    for ax in list(axes.flat)[n:]:
        ax.set_axis_off()
    fig.tight_layout()
    return fig
