"""Showing results in JupyterLab and in the report: concordance lines as a readable HTML table."""
from __future__ import annotations

import html

import pandas as pd

from .methods.concordance import kwic_html

__all__ = ["show_kwic"]


def show_kwic(lines: pd.DataFrame, title: str | None = None, *, max_rows: int = 20):
    """Concordance lines (from :func:`analysis.kwic` or :func:`analysis.emphasis_kwic`) as HTML to display.

    ``title`` becomes a heading above the table (escaped). Returns an
    ``IPython.display.HTML`` object: the last expression of a cell shows it;
    inside a loop, pass it to ``display``.
    """
    from IPython.display import HTML

    head = f"<h4>{html.escape(title)}</h4>" if title else ""
    return HTML(head + kwic_html(lines, max_rows=max_rows))
