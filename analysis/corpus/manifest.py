"""The manifest: reading ``manifest.csv``, checking its rows against the folder, drafting one.

The manifest is CSV with a header row (UTF-8 preferred; a BOM, GBK/GB18030 or
UTF-16 as saved by Excel are read too). Required columns: ``id`` (unique) and
``file`` (a path inside the folder). Every other column is metadata and can be
used to group documents (see :meth:`analysis.Corpus.groups`); a ``date``
column, if present, must hold ISO dates (``2022-01-01``, ``2022-01`` or ``2022``).

Rules for hand-typed manifests:

* blank lines and rows whose cells are all empty are skipped; problems are
  reported with the line number in the file;
* a row with more values than the header has columns is an error (a value
  with a comma must be quoted), a row with fewer is padded with empty values;
* ``file`` may use Windows separators: ``sub\\doc.txt`` is read as
  ``sub/doc.txt`` on every system (and shown that way in the manifest frame);
* a path that leaves the folder (``../x.txt``), an absolute path (``/x.txt``,
  ``C:\\x.txt``) or a symbolic link to a file outside the folder is refused:
  a corpus folder holds its documents.
"""
from __future__ import annotations

import csv
import difflib
import io
import os
import re
from pathlib import Path

import pandas as pd

from ..cleaning import decode
from ..config import default_by
from ..errors import CorpusError, DecodeError, Problem
from .documents import MANIFEST, REPORT_MARKER

__all__ = ["REQUIRED_COLUMNS", "read_manifest", "check_rows", "draft_manifest"]

REQUIRED_COLUMNS = ("id", "file")
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DRAFT = "`python -m analysis manifest DIR --write` drafts one"
#: files users often drop into a corpus folder expecting them to be read
_DOCUMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps", ".rtf", ".odt", ".htm", ".html", ".xls", ".xlsx")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


def read_manifest(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    """The manifest as a DataFrame of stripped strings, indexed by line number in the file.

    Reads with the :mod:`csv` module, so a row with one comma too many is an
    error (pandas would shift it silently into an index). Rows whose cells are
    all empty (blank lines, ``,,,``) are skipped. Returns None, with the
    problems recorded, when the manifest cannot be used at all.
    """
    mpath = path / MANIFEST
    where = str(mpath)
    if mpath.is_dir():
        problems.append(Problem("error", where, "is a folder, not a CSV file", f"replace it with a manifest.csv file ({_DRAFT})"))
        return None
    if not mpath.is_file():
        problems.append(Problem("error", where, "the corpus folder has no manifest.csv",
                                f"create it with a header row id,file,… and one row per document ({_DRAFT})"))
        return None
    try:
        text, _ = decode(mpath.read_bytes(), mpath)
    except DecodeError as exc:
        fix = "save the sheet as “CSV UTF-8 (comma delimited)” under the name manifest.csv"
        problems.append(Problem("error", where, exc.problem.problem, fix if "binary" in exc.problem.problem else exc.problem.fix))
        return None
    except OSError as exc:
        problems.append(Problem("error", where, f"cannot be read ({exc.strerror})", "check the file's permissions"))
        return None
    text = text.replace("\ufeff", "")
    if not text.strip():
        problems.append(Problem("error", where, "is empty",
                                f"write a header row id,file,… and one row per document ({_DRAFT})"))
        return None
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, skipinitialspace=True)
    line = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                records.append((line, [c.strip() for c in cells]))
            line = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem("error", where, f"is not valid CSV from line {line} on ({exc})",
                                "close every quoted value with a second \" (write \"\" for a quote inside a value)"))
        return None
    if not records:
        problems.append(Problem("error", where, "is empty (no values on any line)",
                                f"write a header row id,file,… and one row per document ({_DRAFT})"))
        return None
    (hline, header), rows = records[0], records[1:]
    if not _header_ok(where, hline, header, rows, problems):
        return None
    width = len(header)
    data, index, bad = [], [], False
    for n, cells in rows:
        extra = cells[width:]
        if any(extra):
            problems.append(Problem("error", where, f"line {n} has {len(cells)} values but the header has {width} columns",
                                    "put values that contain a comma in double quotes, or remove the extra commas"))
            bad = True
            continue
        data.append((cells + [""] * width)[:width])
        index.append(n)
    if bad:
        return None
    named = [i for i, name in enumerate(header) if name]  # unnamed columns are empty (checked above)
    df = pd.DataFrame([[r[i] for i in named] for r in data], columns=[header[i] for i in named],
                      index=pd.Index(index, name="line"), dtype=str)
    if df.empty:
        problems.append(Problem("error", where, "lists no documents (it has only a header row)",
                                "add one row per document: id, file and your metadata"))
        return None
    df["file"] = [_normalise_file(f) for f in df["file"]]
    return df


def _header_ok(where: str, line: int, header: list[str], rows: list, problems: list[Problem]) -> bool:
    """Check the header row: required columns, no duplicates, no unnamed column with values."""
    ok = True
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        hint = ""
        for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
            if len(header) == 1 and all(c in header[0].split(sep) for c in REQUIRED_COLUMNS):
                hint = f"; it separates values with {name}"
                fix = "save it as CSV with commas between values (“CSV UTF-8 (comma delimited)”)"
                break
        else:
            near = [h for h in header if h.lower() in REQUIRED_COLUMNS and h not in REQUIRED_COLUMNS]
            if near:
                hint = f"; column names are case-sensitive and it has {', '.join(repr(h) for h in near)}"
            fix = f"start the file with a header row naming at least the columns {', '.join(REQUIRED_COLUMNS)}"
        problems.append(Problem("error", where, f"is missing the required column(s) {', '.join(missing)} "
                                f"(header on line {line}: {','.join(header)[:80]}){hint}", fix))
        ok = False
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            problems.append(Problem("error", where, f"has two columns named {name!r}", "give every column its own name"))
            ok = False
        seen.add(name)
    for i, name in enumerate(header):
        if not name and any(i < len(cells) and cells[i] for _, cells in rows):
            problems.append(Problem("error", where, f"column {i + 1} has values but no name in the header (line {line})",
                                    "name the column in the header row, or delete its values"))
            ok = False
    return ok


def _normalise_file(value: str) -> str:
    """A manifest path with Windows separators (``sub\\\\doc.txt``) turned into ``sub/doc.txt``."""
    value = value.replace("\\", "/")
    while value.startswith("./"):
        value = value[2:]
    return value


def _outside(path: Path, value: str, root: str | None = None) -> str | None:
    """Why the manifest path ``value`` is not a path inside the folder ``path`` (None if it is).

    ``root`` is ``os.path.realpath(path)``, passed in when checking many rows.
    """
    if value.startswith("/") or _WINDOWS_DRIVE.match(value):
        return "is an absolute path"
    root = root or os.path.realpath(path)
    lexical = os.path.normpath(os.path.join(root, value))
    if not _inside(lexical, root):
        return "points outside the corpus folder"
    target = os.path.realpath(lexical)
    if not _inside(target, root):
        return f"is a symbolic link to {target}, outside the corpus folder"
    return None


def _inside(p: str, root: str) -> bool:
    return p == root or p.startswith(root.rstrip(os.sep) + os.sep)


def check_rows(path: Path, df: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """Check ids, files and dates row by row; return the rows that can be loaded.

    ``df`` is indexed by manifest line number (see :func:`_read_manifest`).
    """
    mpath = str(path / MANIFEST)
    ok = pd.Series(True, index=df.index)
    records = list(zip(df.index, df.to_dict("records")))  # far faster than iterrows on long manifests
    for line, row in records:
        if not row["id"]:
            problems.append(Problem("error", mpath, f"line {line} has an empty id", "give every document a unique id"))
            ok[line] = False
        if not row["file"]:
            problems.append(Problem("error", mpath, f"line {line} has an empty file", "name the document's .txt file"))
            ok[line] = False
    dups = df[df["id"].duplicated(keep=False) & (df["id"] != "")]
    for doc_id, rows in dups.groupby("id"):
        lines = ", ".join(str(i) for i in rows.index)
        problems.append(Problem("error", mpath, f"the id {doc_id!r} is used more than once (lines {lines})",
                                "make every id unique"))
        ok[rows.index] = False
    dupf = df[df["file"].duplicated(keep=False) & (df["file"] != "")]
    for fname, rows in dupf.groupby("file"):
        lines = ", ".join(str(i) for i in rows.index)
        problems.append(Problem("warning", mpath, f"the file {fname!r} is listed more than once (lines {lines})",
                                "list each file once unless you mean to count it twice"))
    root = os.path.realpath(path)
    for line, row in records:
        if not row["file"]:
            continue
        why = _outside(path, row["file"], root)
        fpath = path / row["file"]
        if why:
            problems.append(Problem("error", mpath, f"line {line}: the file {row['file']!r} {why}; "
                                    "only files inside the corpus folder are read",
                                    "copy the file into the corpus folder and give its path relative to the folder"))
            ok[line] = False
        elif fpath.is_dir():
            problems.append(Problem("error", str(fpath), f"is a folder, not a file (manifest line {line})",
                                    "list the .txt file inside it, for example folder/document.txt"))
            ok[line] = False
        elif not fpath.is_file():
            problems.append(Problem("error", str(fpath), f"is listed in the manifest (line {line}) but does not exist",
                                    _missing_fix(path, row["file"])))
            ok[line] = False
    if "date" in df.columns:
        for line, row in records:
            if row["date"] and not _valid_date(row["date"]):
                problems.append(Problem("error", mpath, f"line {line}: the date {row['date']!r} is not an ISO date",
                                        "write dates as YYYY-MM-DD (or YYYY-MM, YYYY)"))
    listed = {os.path.realpath(path / f) for f in df["file"] if f}
    reports = {m.parent for m in path.rglob(REPORT_MARKER)}  # the report's own output is never part of the corpus
    for other in sorted(path.rglob("*")):
        rel = other.relative_to(path)
        if any(part.startswith(".") for part in rel.parts) or os.path.realpath(other) in listed or not other.is_file():
            continue
        if reports and any(p in reports for p in other.parents):
            continue
        suffix = other.suffix.lower()
        if suffix == ".txt":
            problems.append(Problem("warning", str(other), "is not listed in manifest.csv and is ignored",
                                    "add a row for it to the manifest, or move it out of the folder"))
        elif suffix in _DOCUMENT_SUFFIXES:
            problems.append(Problem("warning", str(other), f"is a {suffix} file, not listed, and is ignored",
                                    "extract its text into a UTF-8 .txt file and add a row for that to the manifest"))
    return df[ok]


def _missing_fix(path: Path, value: str) -> str:
    """Fix for a listed file that does not exist: name close matches when there are any."""
    present = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file() and p.name != MANIFEST)
    same_case = [p for p in present if p.lower() == value.lower()]
    close = same_case or difflib.get_close_matches(value, present, n=3, cutoff=0.75)
    if close:
        return f"fix the file name in manifest.csv (did you mean {', '.join(repr(c) for c in close)}?) or add the file"
    return "fix the file name in manifest.csv or add the file"


def _valid_date(value: str) -> bool:
    if not _DATE_RE.match(value):
        return False
    try:
        pd.Timestamp(value)
    except ValueError:
        return False
    return True



def draft_manifest(path: str | os.PathLike, *, group_from: str | None = None) -> pd.DataFrame:
    """Draft a manifest for every ``.txt`` file under ``path`` (to review and save).

    ``id`` is the file name without extension. The grouping column (the one
    named by ``$ANALYSIS_BY``, else ``region``) is left empty for you to fill,
    or, with ``group_from="stem"``, filled with the file name (one group per
    file); so are the other usual columns (date, genre, title, issuer).
    """
    folder = Path(path)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.txt"))
    if not files:
        raise CorpusError([Problem("error", str(folder), "contains no .txt files", "put one UTF-8 .txt file per document in it")])
    by = default_by()
    rows = []
    for f in files:
        stem = Path(f).stem
        row = {"id": stem, "file": f, by: stem if group_from == "stem" else ""}
        rows.append({**row, **{c: "" for c in ("date", "genre", "title", "issuer") if c not in row}})
    return pd.DataFrame(rows)
