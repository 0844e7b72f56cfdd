"""Keyword in context: every finding traced back to the sentences it comes from."""
from __future__ import annotations

import html
import re
from typing import Iterable

import pandas as pd

from ..corpus import Corpus
from ..config import DEFAULT_BY

__all__ = ["kwic", "kwic_html", "pattern_regex"]

KWIC_COLUMNS = ["doc_id", "group", "start", "end", "position", "left", "keyword", "right"]


def pattern_regex(pattern: str | Iterable[str], *, regex: bool = False) -> re.Pattern:
    """The compiled pattern :func:`kwic` searches the clean texts with: a term matched literally, several terms
    (the longest first, so a longer term wins where two start at the same place), or a regular expression
    with ``regex=True``. Counting its non-empty matches (``finditer``, which does not overlap) gives the
    number of concordance lines, so counts made with it trace to :func:`kwic`."""
    if isinstance(pattern, str):
        return re.compile(pattern if regex else re.escape(pattern))
    terms = sorted(set(pattern), key=lambda t: (-len(t), t))
    if not terms:
        raise ValueError("kwic() needs at least one term")
    return re.compile("|".join(re.escape(t) for t in terms))


def kwic(corp: Corpus, pattern: str | Iterable[str], *, by: str | None = DEFAULT_BY, window: int = 20,
         regex: bool = False, docs: Iterable[str] | None = None) -> pd.DataFrame:
    """Every occurrence of ``pattern`` in the clean texts, with its context.

    Parameters
    ----------
    corp : Corpus
    pattern : str or iterable of str
        A term (matched literally), several terms, or a regular expression
        with ``regex=True``.
    by : str or None
        Manifest column reported as ``group`` (default ``$ANALYSIS_BY``, else
        ``region``; None: each document is its own group, its id).
    window : int
        Characters of context on each side (line breaks shown as ⏎).
    docs : iterable of str, optional
        Restrict to these document ids.

    Returns
    -------
    DataFrame
        doc_id, group, start, end, position (start / document length, 0–1),
        left, keyword, right; in corpus order, then by position.
    """
    rx = pattern_regex(pattern, regex=regex)
    groups = corp.groups(by)
    wanted = set(docs) if docs is not None else None
    rows = []
    for d in corp:
        if wanted is not None and d.id not in wanted:
            continue
        text = d.text
        n = max(1, len(text))
        for m in rx.finditer(text):
            if m.end() == m.start():
                continue
            left = text[max(0, m.start() - window) : m.start()].replace("\n", "⏎")
            right = text[m.end() : m.end() + window].replace("\n", "⏎")
            rows.append((d.id, groups[d.id], m.start(), m.end(),
                         round(m.start() / n, 4), left, m.group(0), right))
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)


def kwic_html(lines: pd.DataFrame, *, max_rows: int = 20) -> str:
    """A readable HTML concordance: right-aligned left context, highlighted keyword."""
    body = []
    for r in lines.head(max_rows).itertuples(index=False):
        body.append(
            "<tr>"
            f"<td style='color:#666'>{html.escape(str(r.doc_id))}</td>"
            f"<td style='color:#666'>{html.escape(str(r.group))}</td>"
            f"<td style='text-align:right;white-space:nowrap'>{html.escape(r.left)}</td>"
            f"<td style='text-align:center;white-space:nowrap'><b style='color:#b03000'>{html.escape(r.keyword)}</b></td>"
            f"<td style='text-align:left;white-space:nowrap'>{html.escape(r.right)}</td>"
            "</tr>"
        )
    more = f"<p style='color:#666'>… {len(lines) - max_rows} more lines</p>" if len(lines) > max_rows else ""
    return ("<table class='kwic'><thead><tr><th>doc</th><th>group</th><th>left</th><th>keyword</th><th>right</th>"
            "</tr></thead><tbody>" + "".join(body) + "</tbody></table>" + more)
