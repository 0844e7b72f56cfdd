"""Interactive exploration in JupyterLab (ipywidgets), with a static twin for reports.

Every widget here is a thin shell around a plain function that returns
DataFrames and Figures (:func:`term_view`, :func:`pair_keyness`), so the
static report can show the default view and tests can check the numbers.
"""
from __future__ import annotations

import html
import io

import pandas as pd

from .config import DEFAULT_BY, resolve_by
from .corpus import Corpus
from .display import show_kwic, with_font
from .methods.concordance import kwic
from .methods.keyness import keyness
from .plots.rhetoric import dispersion
from .vectors import dfm

__all__ = ["term_frequencies", "term_view", "pair_keyness", "term_explorer", "keyness_explorer"]


def term_frequencies(corp: Corpus, term: str, by: str | None = DEFAULT_BY, groups=None) -> pd.DataFrame:
    """Occurrences of ``term`` (literal string in the clean text) per group, and per 10,000 characters."""
    col = corp.groups(by)
    rows = []
    for d in corp:
        rows.append({"group": col[d.id], "doc_id": d.id, "count": d.text.count(term) if term else 0, "n_chars": len(d.text)})
    df = pd.DataFrame(rows)
    out = df.groupby("group", sort=True).agg(documents=("doc_id", "size"), docs_with_term=("count", lambda s: int((s > 0).sum())),
                                             count=("count", "sum"), n_chars=("n_chars", "sum")).reset_index()
    out["per_10k"] = (out["count"] / out["n_chars"] * 10_000).round(2)
    if groups:
        out = out[out["group"].isin(list(groups))]
    return out.reset_index(drop=True)


def term_view(corp: Corpus, term: str, by: str | None = DEFAULT_BY, groups=None, *, window: int = 18, max_lines: int = 12):
    """Frequencies by group, concordance lines and a dispersion figure for one term.

    Returns ``(frequencies, lines, figure)``; ``figure`` is None when the term does not occur.
    """
    freqs = term_frequencies(corp, term, by, groups)
    lines = kwic(corp, term, by=by, window=window)
    if groups:
        lines = lines[lines["group"].isin(list(groups))].reset_index(drop=True)
    fig = None
    if len(lines):
        docs = corp.groups(by)
        if groups:
            docs = docs[docs.isin(list(groups))]
        fig = dispersion(lines, docs, title=f"“{term}” along each document")
    return freqs, lines.head(max_lines), fig


def pair_keyness(corp: Corpus, group_a: str, group_b: str, by: str | None = DEFAULT_BY, *, n: int = 15,
                 drop_proper: bool = True) -> pd.DataFrame:
    """Keyness of ``group_a`` against ``group_b`` only (pairwise), the ``n`` strongest terms on each side.

    Each row reads from the side named in ``more_in``: ``count`` and ``per_10k``
    are the term's count and rate in that group, ``other_count`` and
    ``other_per_10k`` in the other one; ``g2`` and ``log_ratio`` (with its
    interval) are positive, the strength of the lean towards ``more_in``.
    Numbers are rounded for reading (``keyness`` has them unrounded).
    """
    if group_a == group_b:
        raise ValueError("choose two different groups")
    # min_docs=None, doc_test=False: the table as before issue 15 (notebook 05 shows it); the dispersion and
    # document-level columns are in analysis.keyness
    table = keyness(corp, by=by, compare="pairwise", groups=[group_a, group_b], drop_proper=drop_proper,
                    min_docs=None, doc_test=False)
    table = table[(table["group"] == group_a) & (table["reference"] == group_b)]
    pos = table[table["g2"] > 0].sort_values(["g2", "term"], ascending=[False, True]).head(n)
    neg = table[table["g2"] < 0].sort_values(["g2", "term"], ascending=[True, True]).head(n)
    a_side = pd.DataFrame({"more_in": group_a, "than": group_b, "term": pos["term"], "count": pos["count"],
                           "other_count": pos["ref_count"], "per_10k": pos["per_10k"],
                           "other_per_10k": pos["ref_per_10k"], "g2": pos["g2"], "p_adj": pos["p_adj"],
                           "log_ratio": pos["log_ratio"], "log_ratio_low": pos["log_ratio_low"],
                           "log_ratio_high": pos["log_ratio_high"]})
    b_side = pd.DataFrame({"more_in": group_b, "than": group_a, "term": neg["term"], "count": neg["ref_count"],
                           "other_count": neg["count"], "per_10k": neg["ref_per_10k"],
                           "other_per_10k": neg["per_10k"], "g2": -neg["g2"], "p_adj": neg["p_adj"],
                           "log_ratio": -neg["log_ratio"], "log_ratio_low": -neg["log_ratio_high"],
                           "log_ratio_high": -neg["log_ratio_low"]})
    out = pd.concat([a_side, b_side], ignore_index=True)
    return out.round({"per_10k": 2, "other_per_10k": 2, "g2": 2, "p_adj": 4, "log_ratio": 2, "log_ratio_low": 2,
                      "log_ratio_high": 2})


def _png(fig) -> bytes:
    """A figure as PNG bytes; the figure is closed, so no backend shows it again later."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _table_html(df: pd.DataFrame) -> str:
    """A small DataFrame as an HTML table in the site's font stack."""
    style = ("<style>.analysis-output table.dataframe {border-collapse: collapse; margin: 0.4em 0;} "
             ".analysis-output table.dataframe td, .analysis-output table.dataframe th "
             "{padding: 2px 10px; text-align: right; border-bottom: 1px solid #e5e5e5;}</style>")
    return style + with_font(df.to_html(index=False, border=0))


def term_explorer(corp: Corpus, by: str | None = DEFAULT_BY, term: str | None = None):
    """Widget: type a term (or pick a frequent one), choose groups; see frequencies, lines, dispersion.

    The explorer owns its outputs: the tables are an ``HTML`` widget and the
    figure an ``Image`` widget whose value is set to the PNG of the figure
    (then closed). Nothing is printed into an ``Output`` widget: there, a figure
    shown from a callback is routed by the parent of whichever kernel message is
    being handled, and pasting a term or changing the groups left a blank figure
    while a second PNG went elsewhere. Setting a widget's value is one state
    update, whatever the timing.
    """
    import ipywidgets as w

    by = resolve_by(by)
    groups = sorted(corp.groups(by).unique())
    frequent = list(dfm(corp, drop_proper=True).totals().head(40).index)
    term_box = w.Combobox(value=term or frequent[0], options=frequent, description="term", ensure_option=False)
    group_box = w.SelectMultiple(options=groups, value=tuple(groups), description=by or "id", rows=min(6, len(groups)))
    tables = w.HTML()
    figure = w.Image(format="png", layout=w.Layout(max_width="100%"))

    def refresh(*_):
        text = term_box.value.strip()
        freqs, lines, fig = term_view(corp, text, by, group_box.value)
        tables.value = _table_html(freqs) + show_kwic(lines).data
        if fig is None:
            figure.layout.display = "none"
            tables.value += with_font(f"<p>“{html.escape(text)}” does not occur in the chosen groups.</p>")
        else:
            figure.value = _png(fig)
            figure.layout.display = ""

    term_box.observe(refresh, names="value")
    group_box.observe(refresh, names="value")
    refresh()
    return w.VBox([w.HBox([term_box, group_box]), tables, figure])


def keyness_explorer(corp: Corpus, by: str | None = DEFAULT_BY):
    """Widget: choose two groups and see their pairwise keyness table (an ``HTML`` widget it owns)."""
    import ipywidgets as w

    by = resolve_by(by)
    groups = sorted(corp.groups(by).unique())
    if len(groups) < 2:
        return w.HTML(f"<p>Only one group in column <code>{html.escape(str(by))}</code>: nothing to compare.</p>")
    a = w.Dropdown(options=groups, value=groups[0], description="group A")
    b = w.Dropdown(options=groups, value=groups[1], description="group B")
    proper = w.Checkbox(value=True, description="leave out proper nouns")
    table = w.HTML()

    def refresh(*_):
        if a.value == b.value:
            table.value = with_font("<p>Choose two different groups.</p>")
            return
        table.value = _table_html(pair_keyness(corp, a.value, b.value, by, drop_proper=proper.value))

    for box in (a, b, proper):
        box.observe(refresh, names="value")
    refresh()
    return w.VBox([w.HBox([a, b, proper]), table])
