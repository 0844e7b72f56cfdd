"""Result tables leave the suite here: an aligned, rounded table for a terminal, CSV, or a spreadsheet.

* :func:`terminal_table` rounds numbers, writes p-values as ``<0.001``,
  shortens long texts with … and leaves out the last columns of a table that
  would not fit in :data:`WIDTH` columns (Chinese characters count double, as
  a terminal draws them). Every column stays in CSV and in the spreadsheet.
* :func:`write_xlsx` writes one sheet per table, after a first sheet
  (``about``) that names the corpus and the options that made the tables.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd

__all__ = ["WIDTH", "display_width", "shorten", "format_p", "terminal_table", "write_xlsx", "sheet_name"]

#: The terminal width tables are fitted to.
WIDTH = 100


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (Chinese) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def shorten(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` terminal columns, ending in … when cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 1
    for c in text:
        w = display_width(c)
        if used + w > width:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def format_p(p: float) -> str:
    """A p-value as people report it: three decimals, or ``<0.001``."""
    if pd.isna(p):
        return ""
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _cell(value, decimals: int) -> str:
    if isinstance(value, float):
        return "" if pd.isna(value) else f"{value:.{decimals}f}"
    return str(value)


def terminal_table(df: pd.DataFrame, *, columns: list[str] | None = None, decimals: int | dict = 2,
                   p_columns=("p_value", "p_adj", "chi2_p"), intervals: dict | None = None,
                   max_cell: int = 24, width: int = WIDTH) -> tuple[str, list[str]]:
    """``df`` as an aligned text table that fits ``width`` terminal columns.

    Parameters
    ----------
    columns : list of str, optional
        The columns to show, in this order (those missing from ``df`` are skipped);
        the last ones are left out first when the table is too wide.
    decimals : int or dict
        Decimals of float columns (a dict: per column, default 2).
    p_columns : columns written as p-values (``0.012``, ``<0.001``).
    intervals : dict, optional
        ``{"95% CI": ("low", "high")}``: the two columns shown as one ``[low, high]`` (``—`` where there is no
        interval, NaN).
    max_cell : int
        Texts longer than this many terminal columns are shortened with ….

    Returns
    -------
    (text, left_out)
        The table, and the names of the columns left out to make it fit.
    """
    intervals = intervals or {}
    cols = [c for c in (columns or list(df.columns)) if c in df.columns or c in intervals]
    shown = pd.DataFrame(index=df.index)
    for c in cols:
        dec = decimals.get(c, 2) if isinstance(decimals, dict) else decimals
        if c in intervals:
            lo, hi = intervals[c]
            shown[c] = [f"[{_cell(float(a), dec)}, {_cell(float(b), dec)}]" if a == a and b == b else "—"
                        for a, b in zip(df[lo].astype(float), df[hi].astype(float))]  # — : no interval (NaN)
        elif c in p_columns:
            shown[c] = [format_p(v) for v in df[c]]
        elif pd.api.types.is_float_dtype(df[c]):
            shown[c] = [_cell(float(v), dec) for v in df[c]]
        else:
            shown[c] = [shorten(str(v), max_cell) for v in df[c]]
    left_out: list[str] = []
    while True:
        text = _render(shown)
        too_wide = max((display_width(line) for line in text.splitlines()), default=0) > width
        if not too_wide or shown.shape[1] <= 2:
            return text, left_out
        left_out.insert(0, shown.columns[-1])
        shown = shown.iloc[:, :-1]


def _render(shown: pd.DataFrame) -> str:
    """Right-aligned columns, two spaces apart, measured in terminal columns."""
    if shown.shape[1] == 0:
        return ""
    rows = [list(shown.columns)] + shown.astype(str).to_numpy().tolist()
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = [" " * (w - display_width(v)) + v for v, w in zip(r, widths)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(name: str, taken=()) -> str:
    """A valid, unused spreadsheet sheet name (at most 31 characters, none of []:*?/\\)."""
    base = str(name).translate(_BAD_SHEET_CHARS).strip("' ")[:31] or "table"
    out, i = base, 2
    while out.lower() in {t.lower() for t in taken}:
        suffix = f" ({i})"
        out, i = base[: 31 - len(suffix)] + suffix, i + 1
    return out


def write_xlsx(path: str | Path, tables: dict[str, pd.DataFrame], about: list[tuple[str, str]]) -> Path:
    """Write ``tables`` into a spreadsheet, one sheet each, after a first sheet ``about``.

    ``about`` is a list of (field, value) rows: the corpus, the grouping, the options.
    Numbers stay numbers (no rounding); the header row is frozen and columns are
    widened to their content.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook()
    first = wb.active
    first.title = "about"
    first.append(["field", "value"])
    for field, value in about:
        first.append([str(field), str(value)])
    sheets = [(first, pd.DataFrame(about, columns=["field", "value"]))]
    taken = ["about"]
    for name, df in tables.items():
        ws = wb.create_sheet(sheet_name(name, taken))
        taken.append(ws.title)
        ws.append([str(c) for c in df.columns])
        for row in df.itertuples(index=False):
            ws.append([_xlsx_value(v) for v in row])
        ws.freeze_panes = "A2"
        sheets.append((ws, df))
    for ws, df in sheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, col in enumerate(df.columns, start=1):
            texts = [str(col)] + [str(v) for v in df[col].head(200)]
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(display_width(t) for t in texts) + 2)
    wb.save(path)
    return path


def _xlsx_value(value):
    """A cell value openpyxl accepts: numpy scalars as Python numbers, missing values empty."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and pd.isna(value):
        return None
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)
