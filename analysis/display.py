"""Showing results in JupyterLab and in the report: concordance lines and summaries as readable HTML.

Every HTML block the package renders names :data:`FONT_STACK`, the site's
font stack: the shipped Noto Sans SC first (the report serves it), then the
CJK fonts a system may have (Debian's fonts-noto-cjk, macOS, Windows), so
Chinese shows wherever one of them is installed.
"""
from __future__ import annotations

import html

import pandas as pd

from .config import DEFAULT_BY, resolve_by
from .corpus import Corpus
from .methods.concordance import kwic_html

__all__ = ["show_kwic", "FONT_STACK", "CODE_FONT_STACK", "with_font", "describe_corpus"]

#: The font stack of the site and of every HTML table the package renders.
FONT_STACK = ("'Noto Sans SC', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', "
              "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif")
#: The same for code and preformatted output.
CODE_FONT_STACK = ("'Noto Sans SC', 'Noto Sans Mono CJK SC', 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', "
                   "'Liberation Mono', monospace")


def with_font(fragment: str) -> str:
    """An HTML fragment wrapped in a block that names :data:`FONT_STACK`."""
    return f'<div class="analysis-output" style="font-family: {FONT_STACK}">{fragment}</div>'


def show_kwic(lines: pd.DataFrame, title: str | None = None, *, max_rows: int = 20):
    """Concordance lines (from :func:`analysis.kwic` or :func:`analysis.emphasis_kwic`) as HTML to display.

    ``title`` becomes a heading above the table (escaped). Returns an
    ``IPython.display.HTML`` object: the last expression of a cell shows it;
    inside a loop, pass it to ``display``.
    """
    from IPython.display import HTML

    head = f"<h4>{html.escape(title)}</h4>" if title else ""
    return HTML(with_font(head + kwic_html(lines, max_rows=max_rows)))


def _sizes(corp: Corpus, by) -> pd.DataFrame:
    groups = corp.groups(by)
    chars = pd.Series({d.id: len(d.text) for d in corp})
    return (pd.DataFrame({"group": groups, "n_chars": chars.reindex(groups.index)})
            .groupby("group").agg(documents=("n_chars", "size"), characters=("n_chars", "sum")))


def describe_corpus(corp: Corpus, by=DEFAULT_BY, *, max_groups: int = 8) -> str:
    """One paragraph about the corpus in use, from its manifest: size, grouping, groups, genres and dates.

    Notebooks print it where they speak of "the corpus", so the narration fits any corpus.
    """
    by = resolve_by(by)
    sizes = _sizes(corp, by).sort_values(["documents", "characters"], ascending=False, kind="stable")
    n_chars = int(sizes["characters"].sum())
    label = by if by is not None else "id (each document its own group)"
    shown = ", ".join(f"{g} ({n})" for g, n in sizes["documents"].head(max_groups).items())
    more = f" and {len(sizes) - max_groups} more" if len(sizes) > max_groups else ""
    text = (f"This corpus has {len(corp)} documents ({n_chars:,} characters of clean text) in {len(sizes)} groups "
            f"of the column '{label}': {shown}{more} (documents per group).")
    ones = int((sizes["documents"] == 1).sum())
    if ones:
        text += f" {ones} of the groups have a single document."
    frame = corp.manifest
    if "genre" in frame.columns and (frame["genre"] != "").any():
        genres = frame["genre"][frame["genre"] != ""].value_counts()
        text += " Genres: " + ", ".join(f"{g} ({n})" for g, n in genres.head(6).items()) + "."
    if "date" in frame.columns and (frame["date"] != "").any():
        dates = sorted(frame["date"][frame["date"] != ""])
        text += f" Dates from {dates[0]} to {dates[-1]}."
    return text
