"""Corpora that come as one table: a JSON Lines, CSV or Parquet file with one document per row.

A table's text column holds each document's text (default ``text``); its id column names the documents
(default ``id``; a table without one numbers its rows: ``row-0001`` …, with a warning); every other column
is metadata to group by, as a manifest's columns are. The same cleaning, audit, cache and checks apply as to
a folder of files, and every problem names the table and the row (the first row of data is row 1).
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..config import id_column_setting, text_column_setting
from ..errors import Problem
from .manifest import RESERVED_COLUMNS, check_dates

__all__ = ["TABLE_SUFFIXES", "is_table", "read_table_corpus"]

#: The table formats a corpus may come in.
TABLE_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet")


def is_table(path: Path) -> bool:
    """True when ``path`` is a file in one of :data:`TABLE_SUFFIXES`."""
    return path.suffix.lower() in TABLE_SUFFIXES and not path.is_dir()


def _read(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        rows = []
        with path.open(encoding="utf-8-sig") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"line {n} is not JSON ({exc.msg})") from None
                if not isinstance(record, dict):
                    raise ValueError(f"line {n} is not a JSON object")
                rows.append(record)
        return pd.DataFrame(rows)
    if suffix == ".csv":
        return pd.read_csv(path, dtype=object, keep_default_na=False, encoding="utf-8-sig")
    return pd.read_parquet(path)


def _text(value) -> str | None:
    """A cell of the text column as text, or None when it holds none."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value if isinstance(value, str) else None


def read_table_corpus(path: Path, problems: list[Problem], *, id_column: str | None = None,
                      text_column: str | None = None) -> tuple[pd.DataFrame, list[str]] | None:
    """The metadata (one row per usable document, columns ``id``, ``file`` and the table's others, as text) and
    the texts of a table corpus; problems recorded; None when the table cannot be used at all.

    ``id_column`` and ``text_column`` default to ``$ANALYSIS_ID_COLUMN`` and ``$ANALYSIS_TEXT_COLUMN``,
    else ``id`` and ``text``.
    """
    where = str(path)
    id_column = id_column or id_column_setting()
    text_column = text_column or text_column_setting()
    try:
        table = _read(path)
    except (OSError, ValueError, UnicodeDecodeError, ImportError) as exc:
        problems.append(Problem("error", where, f"cannot be read as a {path.suffix} table ({exc})",
                                "save it as JSON Lines (one JSON object a line), CSV with a header row, or Parquet"))
        return None
    if table.empty:
        problems.append(Problem("error", where, "holds no rows", "add one row per document"))
        return None
    columns = [str(c) for c in table.columns]
    table.columns = columns
    if text_column not in columns:
        problems.append(Problem("error", where, f"has no column {text_column!r} for the documents' text (columns: "
                                f"{', '.join(columns)})", "name the text column: --text-column NAME, or ANALYSIS_TEXT_COLUMN"))
        return None
    row_no = pd.RangeIndex(1, len(table) + 1, name="row")
    table.index = row_no
    texts = table.pop(text_column)
    if id_column in columns and id_column != text_column:
        ids = table.pop(id_column).map(lambda v: "" if v is None or v != v else str(v).strip())
    else:
        if id_column != "id":  # asked for by name, and not there
            problems.append(Problem("error", where, f"has no id column {id_column!r} (columns: {', '.join(columns)})",
                                    "name the id column: --id-column NAME, or ANALYSIS_ID_COLUMN"))
            return None
        width = len(str(len(table)))
        ids = pd.Series([f"row-{n:0{width}d}" for n in row_no], index=row_no)
        problems.append(Problem("warning", where, "has no column 'id': its documents are named by row "
                                f"(row-{1:0{width}d} …)", "add an id column, or name one: --id-column NAME"))
    meta = table.astype(object).map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v))
    clash = [c for c in meta.columns if c in RESERVED_COLUMNS or c in ("id", "file")]
    for c in clash:
        problems.append(Problem("error", where, f"has a column named {c!r}, a name the suite uses for its own column",
                                f"rename the column, for example to '{c}_note'"))
    if clash:
        return None
    meta.insert(0, "file", [f"row {n}" for n in row_no])
    meta.insert(0, "id", ids)
    ok = pd.Series(True, index=row_no)
    for n, doc_id in ids.items():
        if not doc_id:
            problems.append(Problem("error", where, f"row {n} has an empty id", "give every document a unique id"))
            ok[n] = False
    dups = meta[meta["id"].duplicated(keep=False) & (meta["id"] != "")]
    for doc_id, rows in dups.groupby("id"):
        problems.append(Problem("error", where, f"the id {doc_id!r} is used more than once (rows "
                                f"{', '.join(map(str, rows.index))})", "make every id unique"))
        ok[rows.index] = False
    for n, value in texts.items():
        text = _text(value)
        if text is None:
            what = "has no text" if value is None or (isinstance(value, float) and value != value) else \
                f"holds a {type(value).__name__}, not text, in its {text_column!r} column"
            problems.append(Problem("error", where, f"row {n} {what}", "put the document's text in the column, or "
                                    "remove the row"))
            ok[n] = False
    check_dates(where, meta, problems, lambda n: f"row {n}")
    kept = meta[ok]
    return kept.reset_index(drop=True), [texts[n] for n in kept.index]
