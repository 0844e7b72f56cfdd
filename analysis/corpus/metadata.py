"""Metadata kept apart from the texts: a CSV joined to a corpus's documents.

Researchers often hold their documents' metadata (dates, issuers, eras) in a table of their own, or receive
an export whose rows carry a key (a congress number, a file id) but not the fields they group by. A metadata
CSV's **first column is the key**: it must be a column of the corpus (``id``, or a manifest's or table's other
column), and its other columns are added to every document whose key matches. Every problem names the file and
the row: a key used twice, a column the corpus already has, a document with no metadata (a warning: its new
columns stay empty), metadata for no document (a warning).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import Problem
from .manifest import RESERVED_COLUMNS, check_dates

__all__ = ["join_metadata"]


def _ids(values, n: int = 5) -> str:
    values = list(values)
    return ", ".join(values[:n]) + (f" and {len(values) - n} more" if len(values) > n else "")


def join_metadata(df: pd.DataFrame, path: str | Path, problems: list[Problem]) -> pd.DataFrame | None:
    """``df`` (a manifest: one row per document) with the columns of the metadata CSV at ``path`` joined on its
    first column; problems recorded; None when the metadata cannot be used (an error is recorded)."""
    path = Path(path)
    where = str(path)
    try:
        meta = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        problems.append(Problem("error", where, f"cannot be read as a metadata CSV ({exc})",
                                "save it as UTF-8 CSV with a header row; its first column is the key"))
        return None
    if meta.shape[1] < 2:
        problems.append(Problem("error", where, "needs a key column and at least one column to add",
                                "put the key (a column of the corpus, such as id) first, then the metadata columns"))
        return None
    meta.columns = [str(c).strip() for c in meta.columns]
    key = meta.columns[0]
    if key not in df.columns:
        problems.append(Problem("error", where, f"its first column {key!r} is not a column of the corpus "
                                f"(columns: {', '.join(df.columns)})",
                                "make the first column the key shared with the corpus, such as id"))
        return None
    clash = [c for c in meta.columns[1:] if c in df.columns or c in RESERVED_COLUMNS]
    if clash:
        problems.append(Problem("error", where, f"has column(s) the corpus already has: {', '.join(clash)}",
                                "rename them, or remove them from one of the two"))
        return None
    meta.index = pd.RangeIndex(2, len(meta) + 2)  # the file's line numbers (line 1 is the header)
    meta[key] = meta[key].str.strip()
    bad = False
    for value, rows in meta[meta[key].duplicated(keep=False)].groupby(key):
        problems.append(Problem("error", where, f"the key {key}={value!r} is on more than one line "
                                f"({', '.join(map(str, rows.index))})", "give each key one line"))
        bad = True
    if bad:
        return None
    check_dates(where, meta, problems, lambda n: f"line {n}")
    keys = df[key].astype(str).str.strip()
    unmatched = keys[~keys.isin(set(meta[key]))]
    if len(unmatched):
        problems.append(Problem("warning", where, f"{len(unmatched)} document(s) have no line for their {key} "
                                f"({_ids(df.loc[unmatched.index, 'id'])}): their new columns are empty",
                                f"add a line for each {key} to {path.name}"))
    unused = meta[~meta[key].isin(set(keys))]
    if len(unused):
        problems.append(Problem("warning", where, f"{len(unused)} line(s) match no document "
                                f"(lines {_ids(map(str, unused.index))})", "check the key values, or remove the lines"))
    added = meta.set_index(key)
    out = df.copy()
    for column in added.columns:
        out[column] = keys.map(added[column]).fillna("").to_numpy()
    return out
