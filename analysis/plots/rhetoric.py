"""Figures for comparing the rhetoric of groups: keyness, word clouds, dispersion, similarity.

Every function takes the DataFrames of :mod:`analysis.keyness`,
:mod:`analysis.concordance` or :mod:`analysis.similarity` and returns a
matplotlib Figure; save it with :func:`analysis.save_fig`. Call
:func:`analysis.setup` first so Chinese renders.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from ..config import SEED
from ..methods.similarity import cluster_linkage
from . import font_path, plain
from .corpus import wordcloud_grid

__all__ = ["keyness_bars", "keyness_clouds", "comparison_cloud", "frequency_scatter", "dispersion",
           "similarity_heatmap", "dendrogram", "group_colors", "doc_support"]

_STAT_LABELS = {
    "g2": "signed log-likelihood G²",
    "log_ratio": "log ratio (log₂ of the ratio of relative frequencies)",
    "logodds_z": "log-odds z (informative Dirichlet prior)",
}


def group_colors(groups) -> dict:
    """A stable colour per group: the style's colour cycle in sorted group order."""
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    names = sorted({str(g) for g in groups})
    return {g: cycle[i % len(cycle)] for i, g in enumerate(names)}


def _top_both(table: pd.DataFrame, group: str, reference: str, n: int, stat: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    sub = table[(table["group"] == group) & (table["reference"] == reference)]
    pos = sub[sub[stat] > 0].sort_values([stat, "term"], ascending=[False, True], kind="stable").head(n)
    neg = sub[sub[stat] < 0].sort_values([stat, "term"], ascending=[True, True], kind="stable").head(n)
    return pos, neg


def _significance_column(table: pd.DataFrame, significance: str | None) -> str:
    """The p-value column that decides what is drawn as significant: ``doc_p_adj`` when the table has it."""
    if significance is not None:
        if significance not in table.columns:
            raise ValueError(f"the table has no column {significance!r}")
        return significance
    return "doc_p_adj" if "doc_p_adj" in table.columns else "p_adj"


def _has_docs(table: pd.DataFrame, docs: bool | None) -> bool:
    have = {"docs", "docs_using", "ref_docs", "ref_docs_using"} <= set(table.columns)
    if docs and not have:
        raise ValueError("docs=True needs a table from analysis.keyness (docs_using, ref_docs_using columns)")
    return have if docs is None else bool(docs)


def doc_support(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Documents using each term and documents in all, on the side that uses it more (target if g2 >= 0).

    The numbers behind the "(k/n)" labels of :func:`keyness_bars` and
    :func:`frequency_scatter`; ``rows`` is part of an :func:`analysis.keyness` table.
    """
    pos = rows["g2"].to_numpy() >= 0
    k = np.where(pos, rows["docs_using"].to_numpy(), rows["ref_docs_using"].to_numpy()).astype(int)
    n = np.where(pos, rows["docs"].to_numpy(), rows["ref_docs"].to_numpy()).astype(int)
    return k, n


def keyness_bars(table: pd.DataFrame, n: int = 10, *, groups=None, stat: str = "g2", alpha: float = 0.05,
                 ncols: int = 3, title: str | None = None, significance: str | None = None, docs: bool | None = None):
    """Diverging bar chart of each comparison's strongest positive and negative keywords.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`analysis.keyness` (one-vs-rest or pairwise).
    n : int
        Keywords per side and panel.
    groups : list of str, optional
        Target groups to show (default: every group in the table, sorted).
        Pairwise tables give one panel per (group, reference) pair.
    stat : str
        Signed column for the bar length: ``"g2"`` (default), ``"log_ratio"`` or ``"logodds_z"``.
    alpha : float
        Bars whose p-value in ``significance`` is at least ``alpha`` (or
        missing) are drawn pale.
    ncols : int
        Panels per row.
    title : str, optional
        Figure title.
    significance : str, optional
        The adjusted p-value column: default ``doc_p_adj`` (documents as the
        unit, see :func:`analysis.keyness`) when the table has it, else ``p_adj``
        (tokens). Where the document-level test could not run (a group of one
        document), every bar is pale.
    docs : bool, optional
        Write "term (k/n)" — k of the n documents of the side that uses the
        term more use it — and hatch the bars of terms that a single document
        of several carries. Default: when the table has the document columns.

    Returns
    -------
    Figure
        One panel per comparison: over-represented terms (right, top block)
        and under-represented terms (left, bottom block), the term written
        next to the zero line.
    """
    if groups is not None:
        table = table[table["group"].isin([str(g) for g in groups])]
    p_col = _significance_column(table, significance)
    show_docs = _has_docs(table, docs)
    pairs = table[["group", "reference"]].drop_duplicates().sort_values(["group", "reference"]).itertuples(index=False)
    pairs = list(pairs)
    if not pairs:
        raise ValueError("keyness_bars() got an empty table")
    ncols = max(1, min(ncols, len(pairs)))
    nrows = int(np.ceil(len(pairs) / ncols))
    height = 0.26 * (2 * n + 1) + 1.2
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, height * nrows), squeeze=False)
    pos_color, neg_color = plt.rcParams["axes.prop_cycle"].by_key()["color"][:2]
    for ax, (group, reference) in zip(axes.flat, pairs):
        pos, neg = _top_both(table, group, reference, n, stat)
        both = pd.concat([pos, neg])
        vals = list(both[stat])
        terms = list(both["term"])
        sig = list(both[p_col] < alpha)
        single = [False] * len(both)
        if show_docs and len(both):
            k, n_docs = doc_support(both)
            terms = [f"{t} ({ki}/{ni})" for t, ki, ni in zip(terms, k, n_docs)]
            single = list((k == 1) & (n_docs > 1))
        y = list(range(len(pos))) + [len(pos) + 1 + i for i in range(len(neg))]  # a gap row between the blocks
        lim = max([abs(v) for v in vals] + [1e-9]) * 1.15
        for yi, v, t, s, one in zip(y, vals, terms, sig, single):
            color = pos_color if v > 0 else neg_color
            ax.barh(yi, v, color=color, alpha=1.0 if s else 0.35, height=0.75, hatch="////" if one else None,
                    edgecolor="white" if one else None, linewidth=0)
            ax.text(-lim * 0.02 if v > 0 else lim * 0.02, yi, plain(t), ha="right" if v > 0 else "left", va="center",
                    fontsize=9)
        ax.axvline(0, color="#444", linewidth=0.8)
        ax.set_xlim(-lim, lim)
        ax.set_ylim(max(y + [0]) + 0.7, -0.7)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_title(plain(f"{group} vs {reference}"), fontsize=11)
        ax.set_xlabel(_STAT_LABELS.get(stat, stat), fontsize=9)
    for ax in list(axes.flat)[len(pairs):]:
        ax.set_axis_off()
    pale = f"pale: {p_col} ≥ {alpha:g}" + (" or no test" if p_col == "doc_p_adj" else "")
    handles = [Patch(color=pos_color, label="more in group"), Patch(color=neg_color, label="less in group"),
               Patch(color="#999", alpha=0.35, label=pale)]
    if show_docs:
        handles.append(Patch(facecolor="#999", hatch="////", edgecolor="white", linewidth=0,
                             label="(k/n): k of n documents use it; hatched: only one"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=9, bbox_to_anchor=(0.5, -0.01))
    if title:
        fig.suptitle(plain(title))
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def keyness_clouds(table: pd.DataFrame, n: int = 60, *, stat: str = "g2", reference: str | None = None,
                   ncols: int = 3, seed: int = SEED):
    """One word cloud per group of its over-represented terms, sized by ``stat``.

    ``table`` is a :func:`analysis.keyness` table; with pairwise tables pass
    ``reference`` to pick the comparison (default: the first one per group).
    """
    sub = table[table[stat] > 0]
    if reference is not None:
        sub = sub[sub["reference"] == reference]
    freqs = {}
    for group, g in sub.groupby("group", sort=True):
        ref = g["reference"].iloc[0] if reference is None else reference
        g = g[g["reference"] == ref].sort_values([stat, "term"], ascending=[False, True], kind="stable").head(n)
        if len(g):
            freqs[str(group)] = pd.Series(g[stat].to_numpy(), index=g["term"])
    if not freqs:
        raise ValueError("no term with a positive statistic to draw")
    return wordcloud_grid(freqs, ncols=ncols, max_words=n, seed=seed)


def comparison_cloud(table: pd.DataFrame, n: int = 90, *, stat: str = "g2", seed: int = SEED,
                     title: str | None = None, width: int = 1000, height: int = 600):
    """One word cloud of the groups' keywords, each term coloured by the group in which it is most key.

    For each term, the group where ``stat`` is highest (and positive) owns
    it; its size is that value. The ``n`` terms are shared out evenly
    between the groups (the strongest of each), so one large group cannot
    fill the cloud alone. ``table`` is a one-vs-rest :func:`analysis.keyness` table.
    """
    from wordcloud import WordCloud

    sub = table[table[stat] > 0].sort_values([stat, "group", "term"], ascending=[False, True, True], kind="stable")
    best = sub.drop_duplicates("term", keep="first")
    groups = sorted(best["group"].unique())
    if not groups:
        raise ValueError("no term with a positive statistic to draw")
    per = max(1, n // len(groups))
    chosen = best.groupby("group", sort=True).head(per)
    colors = group_colors(table["group"].unique())
    owner = dict(zip(chosen["term"], chosen["group"]))
    freqs = dict(zip(chosen["term"], chosen[stat].astype(float)))
    wc = WordCloud(font_path=str(font_path()), width=width, height=height, background_color="white",
                   max_words=len(freqs), random_state=seed, prefer_horizontal=1.0, collocations=False,
                   color_func=lambda word, **kw: colors[owner[word]])
    wc.generate_from_frequencies(freqs)
    fig, ax = plt.subplots(figsize=(width / 100, height / 100 + 0.6))
    ax.imshow(wc.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    ax.legend(handles=[Patch(color=colors[g], label=plain(g)) for g in groups], loc="upper center",
              bbox_to_anchor=(0.5, 0.0), ncol=min(len(groups), 6), fontsize=10)
    if title:
        ax.set_title(plain(title))
    return fig


def _overlaps(bb, boxes) -> bool:
    return any(bb.overlaps(o) for o in boxes)


def _place_labels(ax, xs, ys, labels, *, fontsize=9, avoid=()) -> int:
    """Greedy, deterministic label placement: try offsets around each point, skip a label that cannot fit.

    Returns the number of labels placed.
    """
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    axbb = ax.get_window_extent(renderer)
    placed = list(avoid)
    offsets = [(8, 8), (8, -14), (-8, 8), (-8, -14), (14, -3), (-14, -3), (0, 16), (0, -20), (20, 16), (-20, -24)]
    n_placed = 0
    for x, y, lab in zip(xs, ys, labels):
        for dx, dy in offsets:
            t = ax.annotate(plain(lab), (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=fontsize,
                            ha="left" if dx >= 0 else "right", va="bottom" if dy >= 0 else "top",
                            arrowprops=dict(arrowstyle="-", color="#777", linewidth=0.5, shrinkA=0, shrinkB=2))
            bb = t.get_window_extent(renderer).expanded(1.05, 1.15)
            inside = axbb.x0 <= bb.x0 and bb.x1 <= axbb.x1 and axbb.y0 <= bb.y0 and bb.y1 <= axbb.y1
            if inside and not _overlaps(bb, placed):
                placed.append(bb)
                n_placed += 1
                break
            t.remove()
    return n_placed


def frequency_scatter(table: pd.DataFrame, group: str, reference: str, *, n_labels: int = 12, stat: str = "g2",
                      alpha: float = 0.05, jitter: float = 0.03, seed: int = SEED, title: str | None = None,
                      significance: str | None = None, docs: bool | None = None):
    """Two-group frequency scatter (after scattertext): each term's rate per 10,000 characters in each group.

    Parameters
    ----------
    table : DataFrame
        A :func:`analysis.keyness` table holding the comparison ``group`` vs
        ``reference`` (pairwise, or one-vs-rest with ``reference="(rest)"``).
    group, reference : str
        x axis: rate in ``group``; y axis: rate in ``reference``. Both log-scaled.
    n_labels : int
        At most this many terms are labelled: the strongest by ``|stat|``,
        half from each side; a label that would overlap another is left out.
    stat, alpha
        Terms whose p-value in ``significance`` is below ``alpha`` are
        coloured by the side they lean to.
    significance : str, optional
        Default ``doc_p_adj`` (documents as the unit) when the table has it,
        else ``p_adj`` (tokens).
    docs : bool, optional
        Label terms "term (k/n)" (k of the n documents of the side that uses
        the term more) and draw terms that one document of several carries
        as open circles. Default: when the table has the document columns.
    jitter : float
        Multiplicative jitter (log10 units, seeded) that separates terms with
        identical counts; 0 for none. Labels point to the jittered positions.
    seed : int
        Seed of the jitter.

    Returns
    -------
    Figure
        Zero counts are drawn on a floor line at half the smallest non-zero
        rate (marked on the axes).
    """
    sub = table[(table["group"] == group) & (table["reference"] == reference)].copy()
    if sub.empty:
        raise ValueError(f"no comparison {group!r} vs {reference!r} in the table")
    sub = sub.sort_values("term", kind="stable").reset_index(drop=True)
    rates = np.concatenate([sub["per_10k"].to_numpy(), sub["ref_per_10k"].to_numpy()])
    floor = rates[rates > 0].min() / 2.0
    rng = np.random.default_rng(seed)
    jx = 10 ** (rng.uniform(-jitter, jitter, len(sub))) if jitter else np.ones(len(sub))
    jy = 10 ** (rng.uniform(-jitter, jitter, len(sub))) if jitter else np.ones(len(sub))
    x = np.where(sub["per_10k"] > 0, sub["per_10k"], floor) * jx
    y = np.where(sub["ref_per_10k"] > 0, sub["ref_per_10k"], floor) * jy
    p_col = _significance_column(sub, significance)
    show_docs = _has_docs(sub, docs)
    sig = sub[p_col].to_numpy() < alpha
    lean = np.sign(sub[stat].to_numpy())
    labels = sub["term"].to_numpy().astype(object)
    single = np.zeros(len(sub), dtype=bool)
    if show_docs:
        k, n_docs = doc_support(sub)
        labels = np.array([f"{t} ({ki}/{ni})" for t, ki, ni in zip(labels, k, n_docs)], dtype=object)
        single = (k == 1) & (n_docs > 1)
    c_a, c_b = plt.rcParams["axes.prop_cycle"].by_key()["color"][:2]
    fig, ax = plt.subplots(figsize=(8, 7.5))
    not_sig = "not significant" + (" (or no document-level test)" if p_col == "doc_p_adj" else "")
    for mask, color, size, label in ((~sig, "#aaaaaa", 10, not_sig),
                                     (sig & (lean > 0), c_a, 16, plain(f"more in {group} ({p_col} < {alpha:g})")),
                                     (sig & (lean < 0), c_b, 16, plain(f"more in {reference} ({p_col} < {alpha:g})"))):
        grey = color == "#aaaaaa"
        ax.scatter(x[mask & ~single], y[mask & ~single], s=size, color=color, alpha=0.45 if grey else 0.85,
                   linewidths=0, label=label)
        if single[mask].any():
            ax.scatter(x[mask & single], y[mask & single], s=size + 8, facecolors="none", edgecolors=color,
                       alpha=0.6 if grey else 0.9, linewidths=0.8)
    if single.any():
        ax.scatter([], [], s=18, facecolors="none", edgecolors="#555", linewidths=0.8,
                   label="used by one document only (of several)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    lo = floor / 1.6
    hi = max(x.max(), y.max()) * 1.6
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.plot([lo, hi], [lo, hi], color="#666", linewidth=0.8, linestyle="--", zorder=0)
    ax.axvline(floor, color="#ccc", linewidth=0.6, zorder=0)
    ax.axhline(floor, color="#ccc", linewidth=0.6, zorder=0)
    ax.set_xlabel(plain(f"{group}: per 10,000 characters (log; absent → {floor:.2g})"))
    ax.set_ylabel(plain(f"{reference}: per 10,000 characters (log; absent → {floor:.2g})"))
    ax.set_aspect("equal")
    ax.legend(loc="upper left", fontsize=9)
    strength = np.abs(sub[stat].to_numpy())
    half = max(1, n_labels // 2)
    order_pos = [i for i in np.lexsort((sub["term"].to_numpy(), -strength)) if lean[i] > 0][:half]
    order_neg = [i for i in np.lexsort((sub["term"].to_numpy(), -strength)) if lean[i] < 0][:half]
    order = [i for pair in zip(order_pos + [None] * half, order_neg + [None] * half) for i in pair if i is not None]
    fig.canvas.draw()
    legend_bb = ax.get_legend().get_window_extent(fig.canvas.get_renderer())
    _place_labels(ax, x[order], y[order], [plain(t) for t in labels[order]], avoid=[legend_bb])
    ax.set_title(plain(title or f"{group} vs {reference}: term rates"))
    return fig


def dispersion(lines: pd.DataFrame, docs: pd.Series | None = None, *, show_empty: bool | None = None,
               title: str | None = None):
    """Where a term occurs along each document: one row per document, a tick per occurrence.

    Parameters
    ----------
    lines : DataFrame
        Output of :func:`analysis.kwic` (``doc_id``, ``group``, ``position``
        0–1, ``keyword``).
    docs : Series, optional
        Document id → group (``corp.groups(by)``): the rows, in this
        order, including documents where the term never occurs. Default: the
        documents present in ``lines``.
    show_empty : bool, optional
        Keep rows of documents without any hit. Default: only when there are
        at most 30 documents (a long column of empty rows hides the hits).
    title : str, optional

    Returns
    -------
    Figure
        x = relative position in the document (0 = start, 1 = end); rows
        labelled ``doc_id · group`` with the number of hits on the right;
        one colour per distinct keyword when there are several.
    """
    if docs is None:
        docs = lines.drop_duplicates("doc_id").set_index("doc_id")["group"] if len(lines) else pd.Series(dtype=str)
    docs = pd.Series(docs).astype(str)
    if show_empty is None:
        show_empty = len(docs) <= 30
    if not show_empty and len(lines):
        docs = docs[docs.index.isin(set(lines["doc_id"]))]
    ids = list(docs.index)
    if not ids:
        raise ValueError("dispersion() needs at least one document")
    keywords = sorted(lines["keyword"].unique()) if len(lines) else []
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    kcolor = {k: cycle[i % len(cycle)] for i, k in enumerate(keywords)}
    fig, ax = plt.subplots(figsize=(9, min(0.42 * len(ids) + 1.4, 40)))
    row = {d: i for i, d in enumerate(ids)}
    for k in keywords:
        sel = lines[(lines["keyword"] == k) & lines["doc_id"].isin(row)]
        ax.scatter(sel["position"], sel["doc_id"].map(row), marker="|", s=220, linewidths=1.6, color=kcolor[k],
                   label=plain(k))
    counts = lines.groupby("doc_id").size() if len(lines) else pd.Series(dtype=int)
    for d, i in row.items():
        ax.text(1.015, i, f"{int(counts.get(d, 0))}", va="center", ha="left", fontsize=9, color="#555",
                transform=ax.get_yaxis_transform())
    ax.set_yticks(range(len(ids)))
    ax.set_yticklabels([plain(f"{d} · {docs[d]}") for d in ids], fontsize=9)
    ax.set_ylim(len(ids) - 0.5, -0.5)
    ax.set_xlim(-0.01, 1.01)
    ax.set_xlabel("relative position in the document (0 = start, 1 = end); hits per document on the right")
    for i in range(len(ids)):
        ax.axhline(i, color="#eee", linewidth=0.8, zorder=0)
    if len(keywords) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.05, 1.0), fontsize=9, title="term", title_fontsize=9)
    ax.set_title(plain(title or ("Dispersion: " + "、".join(keywords) if keywords else "Dispersion (no hits)")))
    return fig


def _labels(index, labels):
    if labels is None:
        return [plain(i) for i in index]
    labels = pd.Series(labels)
    return [plain(f"{i} · {labels[i]}") if i in labels.index else plain(i) for i in index]


def similarity_heatmap(sim: pd.DataFrame, *, labels: pd.Series | None = None, annotate: bool | None = None,
                       order: str | None = "cluster", method: str = "average", title: str | None = None):
    """Heatmap of a square document similarity matrix.

    Parameters
    ----------
    sim : DataFrame
        Output of :func:`analysis.similarity.doc_similarity`.
    labels : Series, optional
        Document id → group, appended to the tick labels.
    annotate : bool, optional
        Write the values in the cells (default: when there are at most 15 documents).
    order : {"cluster", None}
        Reorder rows and columns by the leaves of the hierarchical clustering
        (:func:`analysis.similarity.cluster_linkage`), or keep corpus order.
    method : str
        Linkage method used for the order.
    """
    from scipy.cluster.hierarchy import leaves_list


    if order == "cluster" and len(sim) > 2:
        idx = leaves_list(cluster_linkage(sim, method))
        sim = sim.iloc[idx, idx]
    n = len(sim)
    annotate = n <= 15 if annotate is None else annotate
    size = min(14, 2.5 + 0.55 * n)
    fig, ax = plt.subplots(figsize=(size + 1.5, size))
    off = sim.to_numpy().copy()
    np.fill_diagonal(off, np.nan)
    vmax = np.nanmax(off) if n > 1 else 1.0
    cmap = plt.get_cmap("viridis").with_extremes(bad="#eeeeee")
    im = ax.imshow(off, cmap=cmap, vmin=0, vmax=vmax)
    ticks = _labels(sim.index, labels)
    fs = 9 if n <= 30 else max(4, int(270 / n))
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_xticklabels(ticks, rotation=45, ha="right", fontsize=fs)
    ax.set_yticklabels(ticks, fontsize=fs)
    if annotate:
        vals = sim.to_numpy()
        for i in range(n):
            for j in range(n):
                if i != j:
                    ax.text(j, i, f"{vals[i, j]:.2f}", ha="center", va="center", fontsize=8,
                            color="white" if vals[i, j] < 0.6 * vmax else "black")
    cb = fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    cb.set_label("cosine similarity of TF-IDF vectors (diagonal, always 1, left grey)",
                 fontsize=8)
    ax.set_title(plain(title or "Document similarity"))
    return fig


def dendrogram(sim: pd.DataFrame, *, labels: pd.Series | None = None, method: str = "average",
               title: str | None = None):
    """Dendrogram of the hierarchical clustering of documents (distance = 1 − cosine similarity).

    ``labels`` (document id → group) are appended to the leaf labels and
    colour them by group.
    """
    from scipy.cluster.hierarchy import dendrogram as _dendrogram


    z = cluster_linkage(sim, method)
    n = len(sim)
    fig, ax = plt.subplots(figsize=(8, min(0.4 * n + 1.5, 40)))
    leaf_labels = _labels(sim.index, labels)
    _dendrogram(z, labels=leaf_labels, orientation="left", ax=ax, color_threshold=0, above_threshold_color="#555",
                leaf_font_size=9 if n <= 40 else 6)
    if labels is not None:
        colors = group_colors(pd.Series(labels).astype(str).unique())
        lab = pd.Series(labels).astype(str)
        for tick in ax.get_yticklabels():
            doc = tick.get_text().replace(r"\$", "$").split(" · ")[0]
            if doc in lab.index:
                tick.set_color(colors[lab[doc]])
    ax.set_xlabel(f"distance 1 − cosine similarity ({method} linkage)")
    ax.set_title(plain(title or "Hierarchical clustering of documents"))
    return fig
