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
  a corpus folder holds its documents;
* a path with a control character (a NUL byte, a line break) is refused, and
  so is anything but a regular file (a named pipe, a socket, a device): it is
  refused by what it is and never opened (reading a named pipe would wait
  forever);
* one file listed on several lines is a warning, whatever the spelling:
  ``a.txt``, ``sub/../a.txt`` and a symbolic link to ``a.txt`` are compared as
  resolved real paths;
* a file name written in one Unicode form (NFC: é as one code point) that is
  on disk in the other (NFD: e and a combining accent, as macOS names files)
  is read, with a warning that shows the difference;
* a column may not take a name that the suite's own tables put next to the
  manifest's columns (:data:`RESERVED_COLUMNS`: ``encoding``, ``n_chars_raw``,
  ``n_chars``, ``text`` and ``raw``, which :meth:`Corpus.to_frame` adds, and
  ``chars_removed``, which ``check`` lists beside them): that is an error with
  its fix (rename the column), never a value silently replaced.
"""
from __future__ import annotations

import csv
import difflib
import io
import os
import re
import stat
import unicodedata
from pathlib import Path

import pandas as pd

from ..cleaning import decode
from ..config import default_by
from ..errors import CorpusError, DecodeError, Problem
from .documents import FRAME_COLUMNS, MANIFEST, REPORT_MARKER

__all__ = ["REQUIRED_COLUMNS", "RESERVED_COLUMNS", "read_manifest", "check_rows", "draft_manifest", "file_problem", "duplicate_files",
           "match_unicode_forms", "real_path", "reserved_columns_ok", "check_dates"]

REQUIRED_COLUMNS = ("id", "file")
#: Column names a manifest may not use: the suite's tables add columns of these names beside the manifest's.
RESERVED_COLUMNS = (*FRAME_COLUMNS, "chars_removed")
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
    if not _header_ok(where, hline, header, rows, problems) or not reserved_columns_ok(where, header, problems):
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


def reserved_columns_ok(where: str, header: list[str], problems: list[Problem]) -> bool:
    """False, with an error each, for columns named like one the suite adds (:data:`RESERVED_COLUMNS`)."""
    clash = [name for name in header if name in RESERVED_COLUMNS]
    for name in clash:
        problems.append(Problem("error", where, f"has a column named {name!r}, a name the suite's tables use for their "
                                f"own column ({', '.join(RESERVED_COLUMNS)}): its values would be replaced",
                                f"rename the column in manifest.csv, for example to '{name}_note'"))
    return not clash


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
    df = match_unicode_forms(path, df, problems)
    records = list(zip(df.index, df.to_dict("records")))
    duplicate_files(path, df, problems)
    root = os.path.realpath(path)
    for line, row in records:
        if not row["file"]:
            continue
        problem = file_problem(path, row["file"], line, root)
        if problem is not None:
            problems.append(problem)
            ok[line] = False
    check_dates(mpath, df, problems, lambda line: f"line {line}")
    listed = {real_path(path, f) for f in df["file"] if f}
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


def real_path(path: Path, value: str) -> str | None:
    """The resolved real path (symbolic links and ``..`` followed) of the manifest path ``value``; None if unusable."""
    if _control_characters(value):
        return None
    try:
        return os.path.realpath(path / value)
    except (OSError, ValueError):
        return None


def _control_characters(value: str) -> str:
    """The control characters (NUL, line breaks …) in a manifest path, named, or ``""``."""
    found = sorted({c for c in value if ord(c) < 0x20 or ord(c) == 0x7F})
    return ", ".join(f"U+{ord(c):04X}" + (" (NUL)" if c == "\0" else "") for c in found)


#: what :func:`file_problem` calls a file that is neither a regular file nor a folder
_NOT_REGULAR = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def file_problem(path: Path, value: str, line: int, root: str | None = None) -> Problem | None:
    """Why the manifest path ``value`` (on manifest line ``line``) cannot be read, as a problem; None if it can.

    The file is never opened: a named pipe (FIFO) would block the reader, so
    anything but a regular file (after symbolic links) is refused by what it is.
    """
    mpath = str(path / MANIFEST)
    bad = _control_characters(value)
    if bad:
        return Problem("error", mpath, f"line {line}: the file {value!r} contains the control character(s) {bad}",
                       "retype the file name in manifest.csv (a control character was pasted into it)")
    why = _outside(path, value, root)
    fpath = path / value
    if why:
        return Problem("error", mpath, f"line {line}: the file {value!r} {why}; only files inside the corpus folder are read",
                       "copy the file into the corpus folder and give its path relative to the folder")
    try:
        mode = os.stat(fpath).st_mode
    except (OSError, ValueError):
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        return Problem("error", str(fpath), f"is a folder, not a file (manifest line {line})",
                       "list the .txt file inside it, for example folder/document.txt")
    if mode is None:
        return Problem("error", str(fpath), f"is listed in the manifest (line {line}) but does not exist",
                       _missing_fix(path, value))
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _NOT_REGULAR if test(mode)), "not a regular file")
        return Problem("error", str(fpath), f"is {kind}, not a regular file (manifest line {line}); it is not read",
                       "save the document's text into a regular .txt file and list that file")
    return None


def duplicate_files(path: Path, df: pd.DataFrame, problems: list[Problem]) -> None:
    """Warn about a file listed on several lines, compared as resolved real paths.

    ``a.txt``, ``sub/../a.txt`` and a symbolic link to ``a.txt`` are one file:
    the warning names the lines and, when they differ, the spellings.
    """
    mpath = str(path / MANIFEST)
    by_file: dict[str, list[tuple[int, str]]] = {}
    for line, value in df["file"].items():
        real = real_path(path, value) if value else None
        if real is not None:
            by_file.setdefault(real, []).append((line, value))
    for rows in sorted((r for r in by_file.values() if len(r) > 1), key=lambda r: r[0][0]):
        lines = ", ".join(str(line) for line, _ in rows)
        spellings = list(dict.fromkeys(value for _, value in rows))
        how = "" if len(spellings) == 1 else f", written {', '.join(repr(v) for v in spellings)}: one file on disk"
        problems.append(Problem("warning", mpath, f"the file {rows[0][1]!r} is listed more than once (lines {lines}{how})",
                                "list each file once unless you mean to count it twice"))


def match_unicode_forms(path: Path, df: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """Rows whose file name is on disk only in another Unicode form (NFC/NFD) read that file, with a warning.

    "café" can be written with one code point for é (NFC, as most systems
    type it) or with e and a combining accent (NFD, as macOS names files).
    They look the same but are different names to the file system. A listed
    file that does not exist, when exactly one file of the folder has the same
    name up to normalisation, is read from that file (the row's ``file`` becomes
    the name on disk) and a warning shows the difference code point by code point.
    """
    missing = [line for line, value in df["file"].items()
               if value and real_path(path, value) is not None and not os.path.lexists(path / value)]
    if not missing:
        return df
    on_disk: dict[str, list[str]] = {}
    for p in path.rglob("*"):
        name = p.relative_to(path).as_posix()
        on_disk.setdefault(unicodedata.normalize("NFC", name), []).append(name)
    df = df.copy()
    for line in missing:
        value = df.at[line, "file"]
        found = on_disk.get(unicodedata.normalize("NFC", value), [])
        if len(found) != 1:
            continue
        disk = found[0]
        problems.append(Problem(
            "warning", str(path / MANIFEST),
            f"line {line}: the file {value!r} is named on disk in another Unicode form ({_form(value)} in the manifest, "
            f"{_form(disk)} on disk: {_spelling_difference(value, disk)}); the file on disk is read",
            "write the name in manifest.csv as the file system has it, or rename the file"))
        df.at[line, "file"] = disk
    return df


def _form(value: str) -> str:
    for form in ("NFC", "NFD"):
        if unicodedata.is_normalized(form, value):
            return form
    return "mixed forms"


def _spelling_difference(a: str, b: str) -> str:
    """Where two spellings differ, as code points: ``'é' U+00E9 against 'é' U+0065 U+0301``."""
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    j = 0
    while j < min(len(a), len(b)) - i and a[len(a) - 1 - j] == b[len(b) - 1 - j]:
        j += 1
    da, db = a[i:len(a) - j], b[i:len(b) - j]

    def points(x: str) -> str:
        return " ".join(f"U+{ord(c):04X}" for c in x)

    return f"{da!r} {points(da)} against {db!r} {points(db)}"


def _missing_fix(path: Path, value: str) -> str:
    """Fix for a listed file that does not exist: name close matches when there are any."""
    present = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file() and p.name != MANIFEST)
    same_case = [p for p in present if p.lower() == value.lower()]
    close = same_case or difflib.get_close_matches(value, present, n=3, cutoff=0.75)
    if close:
        return f"fix the file name in manifest.csv (did you mean {', '.join(repr(c) for c in close)}?) or add the file"
    return "fix the file name in manifest.csv or add the file"


def check_dates(where: str, df: pd.DataFrame, problems: list[Problem], label) -> None:
    """An error for each value of a ``date`` column that is not an ISO date; ``label(index)`` names its row."""
    if "date" not in df.columns:
        return
    for index, value in df["date"].items():
        if value and not _valid_date(value):
            problems.append(Problem("error", where, f"{label(index)}: the date {value!r} is not an ISO date",
                                    "write dates as YYYY-MM-DD (or YYYY-MM, YYYY)"))


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

    ``id`` is the file name without extension; where two files in different
    folders share that name (``a/report.txt``, ``b/report.txt``), their ids are
    their paths without extension (``a/report``, ``b/report``), so ids are
    always unique and the same on every run. The grouping column (the one
    named by ``$ANALYSIS_BY``, else ``region``) is left empty for you to fill,
    or, with ``group_from="stem"``, filled with the id (one group per file);
    so are the other usual columns (date, genre, title, issuer). Only regular
    files are listed (a named pipe called ``x.txt`` is not).
    """
    folder = Path(path)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.txt") if p.is_file())
    if not files:
        raise CorpusError([Problem("error", str(folder), "contains no .txt files", "put one UTF-8 .txt file per document in it")])
    by = default_by()
    rows = []
    for f, doc_id in zip(files, _draft_ids(files)):
        row = {"id": doc_id, "file": f, by: doc_id if group_from == "stem" else ""}
        rows.append({**row, **{c: "" for c in ("date", "genre", "title", "issuer") if c not in row}})
    return pd.DataFrame(rows)


def _draft_ids(files: list[str]) -> list[str]:
    """Each file's stem, or its relative path without extension where stems repeat (unique: paths are)."""
    stems = [Path(f).stem for f in files]
    seen: dict[str, int] = {}
    for stem in stems:
        seen[stem] = seen.get(stem, 0) + 1
    return [stem if seen[stem] == 1 else f[:-len(Path(f).suffix)] for f, stem in zip(files, stems)]
