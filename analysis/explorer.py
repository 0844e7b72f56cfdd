"""Interactive exploration in JupyterLab (ipywidgets), with a static twin for reports.

Every widget here is a thin shell around a plain function that returns
DataFrames and Figures (:func:`term_view`, :func:`pair_keyness`), so the
static report can show the default view and tests can check the numbers.
"""
from __future__ import annotations

import pandas as pd

from .config import DEFAULT_BY, resolve_by
from .corpus import Corpus
from .display import show_kwic
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
    """Keyness of ``group_a`` against ``group_b`` only (pairwise), the ``n`` strongest terms on each side."""
    if group_a == group_b:
        raise ValueError("choose two different groups")
    # min_docs=None, doc_test=False: the table as before issue 15 (notebook 05 shows it); the dispersion and
    # document-level columns are in analysis.keyness
    table = keyness(corp, by=by, compare="pairwise", groups=[group_a, group_b], drop_proper=drop_proper,
                    min_docs=None, doc_test=False)
    table = table[(table["group"] == group_a) & (table["reference"] == group_b)]
    pos = table[table["g2"] > 0].sort_values(["g2", "term"], ascending=[False, True]).head(n)
    neg = table[table["g2"] < 0].sort_values(["g2", "term"], ascending=[True, True]).head(n)
    cols = [c for c in ["term", "count", "ref_count", "per_10k", "ref_per_10k", "g2", "p_adj", "log_ratio",
                        "log_ratio_low", "log_ratio_high"] if c in table.columns]
    out = pd.concat([pos.assign(more_in=group_a), neg.assign(more_in=group_b)])
    return out[["more_in"] + cols].reset_index(drop=True)


def term_explorer(corp: Corpus, by: str | None = DEFAULT_BY, term: str | None = None):
    """Widget: type a term (or pick a frequent one), choose groups; see frequencies, lines, dispersion."""
    import ipywidgets as w
    import matplotlib.pyplot as plt
    from IPython.display import display

    by = resolve_by(by)
    groups = sorted(corp.groups(by).unique())
    frequent = list(dfm(corp, drop_proper=True).totals().head(40).index)
    term_box = w.Combobox(value=term or frequent[0], options=frequent, description="term", ensure_option=False)
    group_box = w.SelectMultiple(options=groups, value=tuple(groups), description=by, rows=min(6, len(groups)))
    out = w.Output()

    def refresh(*_):
        with out:
            out.clear_output(wait=True)
            freqs, lines, fig = term_view(corp, term_box.value.strip(), by, group_box.value)
            display(freqs)
            display(show_kwic(lines))
            if fig is not None:
                plt.show(fig)

    term_box.observe(refresh, names="value")
    group_box.observe(refresh, names="value")
    refresh()
    return w.VBox([w.HBox([term_box, group_box]), out])


def keyness_explorer(corp: Corpus, by: str | None = DEFAULT_BY):
    """Widget: choose two groups and see their pairwise keyness table."""
    import ipywidgets as w
    from IPython.display import display

    by = resolve_by(by)
    groups = sorted(corp.groups(by).unique())
    if len(groups) < 2:
        return w.HTML(f"<p>Only one group in column <code>{by}</code>: nothing to compare.</p>")
    a = w.Dropdown(options=groups, value=groups[0], description="group A")
    b = w.Dropdown(options=groups, value=groups[1], description="group B")
    proper = w.Checkbox(value=True, description="leave out proper nouns")
    out = w.Output()

    def refresh(*_):
        with out:
            out.clear_output(wait=True)
            if a.value == b.value:
                print("Choose two different groups.")
                return
            display(pair_keyness(corp, a.value, b.value, by, drop_proper=proper.value))

    for box in (a, b, proper):
        box.observe(refresh, names="value")
    refresh()
    return w.VBox([w.HBox([a, b, proper]), out])
