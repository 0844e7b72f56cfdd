"""A corpus is a folder of ``.txt`` files with a ``manifest.csv`` that describes them.

The manifest is CSV with a header row (UTF-8 preferred; a BOM, GBK/GB18030 or
UTF-16 as saved by Excel are read too). Required columns: ``id`` (unique) and
``file`` (a path inside the folder). Every other column is metadata and can be
used to group documents (``by="genre"``, …; see :meth:`Corpus.groups`); a ``date``
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

Documents are decoded by :func:`analysis.cleaning.decode` (UTF-8, BOMs,
UTF-16, GB18030/GBK, Big5; binary files such as PDF or Word are named as
such) and cleaned by :func:`analysis.cleaning.clean`.

:func:`scan` loads what it can and lists every problem at once (file, problem,
fix); :func:`validate` returns the problems; :func:`load_corpus` raises
:class:`~analysis.errors.CorpusError` with all errors, and keeps warnings (for
instance a ``.txt`` file the manifest does not list) in ``Corpus.problems`` and
in Python's warnings, so nothing is dropped silently.
"""
from __future__ import annotations

import csv
import io
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pandas as pd

from .cleaning import CleanResult, clean, decode, rules_over_share
from .text import count_cjk
from .errors import CorpusError, DecodeError, Problem
from .config import DEFAULT_BY, corpus_dir, resolve_by

__all__ = ["Document", "Corpus", "load_corpus", "scan", "validate", "draft_manifest", "REQUIRED_COLUMNS"]

REQUIRED_COLUMNS = ("id", "file")
MANIFEST = "manifest.csv"
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*[^<>]{0,200}>")
# scripts that mark a document as Japanese or Korean (a Chinese document may quote a few kana
# in a name, not a tenth of its characters)
_FOREIGN_SCRIPTS = (
    ("Japanese", "kana", re.compile("[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff]+")),
    ("Korean", "Hangul", re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]+")),
)
_FOREIGN_MIN, _FOREIGN_SHARE = 20, 0.1


@dataclass
class Document:
    """One document: its manifest row (``meta``), raw and clean text, and audit."""

    id: str
    file: str
    meta: dict
    raw: str
    encoding: str
    result: CleanResult = field(repr=False)

    @property
    def text(self) -> str:
        """The clean text."""
        return self.result.text

    def audit(self) -> pd.DataFrame:
        """Every edit cleaning made, with the document id."""
        df = self.result.audit()
        df.insert(0, "doc_id", self.id)
        return df


class Corpus:
    """Documents loaded from a folder, in manifest order.

    Iterating yields :class:`Document` objects; ``corp["id"]`` returns one.
    """

    def __init__(self, path: Path, manifest: pd.DataFrame, docs: list[Document], problems: list[Problem]):
        self.path = path
        self.manifest = manifest
        self.docs = docs
        self.problems = problems
        self._by_id = {d.id: d for d in docs}

    def __iter__(self) -> Iterator[Document]:
        return iter(self.docs)

    def __len__(self) -> int:
        return len(self.docs)

    def __getitem__(self, doc_id: str) -> Document:
        try:
            return self._by_id[doc_id]
        except KeyError:
            raise KeyError(f"no document {doc_id!r} in {self.path}; ids: {', '.join(self.ids)}") from None

    def __repr__(self) -> str:
        return f"<Corpus {self.path} · {len(self)} documents · {sum(len(d.text) for d in self.docs):,} characters>"

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.docs]

    @property
    def columns(self) -> list[str]:
        """Manifest columns, in file order."""
        return list(self.manifest.columns)

    def groups(self, by=DEFAULT_BY) -> pd.Series:
        """Which group each document belongs to: a Series indexed by document id, in corpus order.

        This is the one place where ``by`` is resolved; every analysis, the
        command line and the report call it.

        Parameters
        ----------
        by : str or None
            A manifest column. The default, :data:`analysis.config.DEFAULT_BY`,
            is the column named by ``$ANALYSIS_BY``, else ``region``. ``None``
            makes each document its own group, labelled by its id. An empty
            value becomes the group ``(none)``.

        Raises
        ------
        CorpusError
            When the manifest has no such column (naming the columns it has).
        """
        by = resolve_by(by)
        if by is None:
            return pd.Series(self.ids, index=pd.Index(self.ids, name="id"), name="id", dtype=object)
        col = self.group_column(by).reindex(self.ids)
        col.index.name = "id"
        return col

    def group_column(self, by: str) -> pd.Series:
        """The manifest column ``by`` indexed by document id; a clear error if it is missing."""
        if by not in self.manifest.columns:
            usable = [c for c in self.manifest.columns if c not in ("file",)]
            raise CorpusError(
                [Problem("error", str(self.path / MANIFEST), f"has no column {by!r} to group by",
                         f"use one of {', '.join(usable)}, or add the column to the manifest")],
                str(self.path),
            )
        col = self.manifest.set_index("id", drop=False)[by].astype(str)
        return col.replace("", "(none)")

    def to_frame(self) -> pd.DataFrame:
        """One row per document: manifest columns, ``encoding``, ``n_chars``, ``text`` (clean) and ``raw``."""
        df = self.manifest.copy()
        df["encoding"] = [d.encoding for d in self.docs]
        df["n_chars_raw"] = [len(d.raw) for d in self.docs]
        df["n_chars"] = [len(d.text) for d in self.docs]
        df["text"] = [d.text for d in self.docs]
        df["raw"] = [d.raw for d in self.docs]
        return df

    def audit(self) -> pd.DataFrame:
        """Every cleaning edit of every document (doc_id, step, rule, start, end, old, new, chars_removed)."""
        frames = [d.audit() for d in self.docs]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def accounting(self) -> pd.DataFrame:
        """Per document: characters in, kept and removed per cleaning rule.

        ``chars_in == chars_kept + chars_removed`` for every row.
        """
        audit = self.audit()
        removed = (
            audit.pivot_table(index="doc_id", columns="rule", values="chars_removed", aggfunc="sum", fill_value=0)
            if not audit.empty
            else pd.DataFrame(index=pd.Index([], name="doc_id"))
        )
        base = pd.DataFrame(
            {"chars_in": [len(d.raw) for d in self.docs], "chars_kept": [len(d.text) for d in self.docs]},
            index=pd.Index(self.ids, name="doc_id"),
        )
        out = base.join(removed).fillna(0)
        rule_cols = [c for c in out.columns if c not in ("chars_in", "chars_kept")]
        out[rule_cols] = out[rule_cols].astype(int)
        out.insert(2, "chars_removed", out[rule_cols].sum(axis=1).astype(int))
        return out.reset_index()


# --------------------------------------------------------------------------- validation

_DRAFT = "`python -m analysis manifest DIR --write` drafts one"
#: files users often drop into a corpus folder expecting them to be read
_DOCUMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps", ".rtf", ".odt", ".htm", ".html", ".xls", ".xlsx")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


def _read_manifest(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
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


def _check_rows(path: Path, df: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
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
    for other in sorted(path.rglob("*")):
        rel = other.relative_to(path)
        if any(part.startswith(".") for part in rel.parts) or os.path.realpath(other) in listed or not other.is_file():
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
    import difflib

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


def _foreign_script(text: str, n_cjk: int) -> tuple[str, str, int] | None:
    """``(language, script, count)`` when kana or Hangul make up a tenth or more of the text's CJK characters."""
    for language, script, run_re in _FOREIGN_SCRIPTS:
        n = len(text) - len(run_re.sub("", text))
        if n >= _FOREIGN_MIN and n >= _FOREIGN_SHARE * (n + n_cjk):
            return language, script, n
    return None


def _load_document(path: Path, row: dict, problems: list[Problem]) -> Document | None:
    """Read, decode and clean one listed file; record its problems (None when it cannot be used)."""
    fpath = path / row["file"]
    where = str(fpath)
    try:
        data = fpath.read_bytes()
        raw, encoding = decode(data, fpath)
    except DecodeError as exc:
        problems.append(exc.problem)
        return None
    except OSError as exc:
        problems.append(Problem("error", where, f"cannot be read ({exc.strerror})", "check the file's permissions"))
        return None
    if not raw.strip():
        what = "is empty (0 bytes)" if not data else "contains only whitespace"
        problems.append(Problem("error", where, what, "add the document's text or remove its manifest row"))
        return None
    result = clean(raw)
    if not result.text.strip():
        removed = result.audit().groupby("rule")["chars_removed"].sum().sort_values(ascending=False)
        rules = ", ".join(f"{rule} ({n:,} characters)" for rule, n in removed.items() if n > 0)
        problems.append(Problem("error", where, f"has no text left after cleaning: the cleaning rules removed all of it ({rules})",
                                "check the file's content, or the rules in analysis/data/boilerplate.yaml"))
        return None
    for _, rule, removed, n_chars, share in rules_over_share(result, n_chars=len(raw)).itertuples(index=False):
        problems.append(Problem("warning", where, f"the cleaning rule {rule} removed {removed:,} of {n_chars:,} "
                                f"characters ({share * 100:.0f} %)",
                                "check the rule in analysis/data/boilerplate.yaml against what it removed (the audit "
                                "lists it): if that is the document's text, narrow the rule's pattern or limit it to "
                                "the document's edges with 'where: edge'"))
    head = raw.lstrip()[:200].lower()
    n_cjk = count_cjk(result.text)
    foreign = _foreign_script(result.text, n_cjk)
    if head.startswith(("<!doctype html", "<html", "<?xml")) or len(_TAG_RE.findall(raw[:20000])) > 20:
        problems.append(Problem("warning", where, "looks like an HTML or XML page: its tags and scripts are counted as text",
                                "save the page's text only (in a browser: select the article, copy, paste into a .txt file)"))
    elif foreign:
        language, script, n = foreign
        problems.append(Problem("warning", where, f"looks like {language}, not Chinese: {n:,} of its characters are "
                                f"{script} (against {n_cjk:,} Chinese characters)",
                                "remove it from the manifest: jieba segments Chinese, and its words would be counted as Chinese"))
    elif n_cjk == 0:
        problems.append(Problem("warning", where, "contains no Chinese characters",
                                "check that this is the right file; it adds nothing to Chinese word counts"))
    elif (share := n_cjk / max(1, len(result.text) - result.text.count("\n"))) < 0.2:
        problems.append(Problem("warning", where, f"is only {share:.0%} Chinese characters",
                                "check for a wrong encoding or leftover markup"))
    return Document(row["id"], row["file"], dict(row), raw, encoding, result)


def scan(path: str | os.PathLike | None = None) -> tuple[Corpus | None, list[Problem]]:
    """Load what can be loaded from a corpus folder and list every problem, in one pass.

    Never raises for a problem of the folder, its manifest or its files: the
    problems (errors and warnings: file, problem, fix) are returned with the
    corpus of the documents that loaded (None when the manifest is unusable).
    :func:`validate` and ``python -m analysis check`` use it; :func:`load_corpus` gives the same result
    (see :mod:`analysis.parallel`).
    """
    folder = corpus_dir(path)
    problems: list[Problem] = []
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is a file, not a folder"
        problems.append(Problem("error", str(folder), what,
                                "pass the folder that holds manifest.csv and the .txt files (--corpus DIR or ANALYSIS_CORPUS)"))
        return None, problems
    df = _read_manifest(folder, problems)
    if df is None:
        return None, problems
    df = _check_rows(folder, df, problems)
    docs = []
    for row in df.to_dict("records"):
        doc = _load_document(folder, row, problems)
        if doc is not None:
            docs.append(doc)
    kept = {d.id for d in docs}
    df = df[df["id"].isin(kept)].reset_index(drop=True)
    return Corpus(folder, df, docs, problems), problems


def validate(path: str | os.PathLike | None = None) -> list[Problem]:
    """Every problem of a corpus folder (errors and warnings), found in one pass."""
    return scan(path)[1]


def load_corpus(
    path: str | os.PathLike | None = None,
    *,
    n_workers: int | None = None,
    cache: bool = True,
    progress: bool | None = None,
    segment: bool = True,
) -> Corpus:
    """Load and clean a corpus folder.

    Documents are cleaned on all cores when there is enough text, and each
    cleaned document is cached on disk (keyed by the file's bytes and the
    cleaning code and rules), so loading the same folder again, in any
    notebook kernel, reads the cache. See :mod:`analysis.parallel`.

    Parameters
    ----------
    path : str or Path, optional
        The folder. Default: ``$ANALYSIS_CORPUS``, else the project's ``seeds/``.
    n_workers : int, optional
        Worker processes (default ``$ANALYSIS_WORKERS``, else the usable CPUs).
    cache : bool
        Read and write the document cache (also off with ``ANALYSIS_CACHE=off``).
    progress : bool, optional
        Progress bar (by default only on a terminal).
    segment : bool
        When the documents were cleaned in worker processes (a large corpus),
        also segment the newly cleaned ones on all cores into the caches, as
        nearly every analysis needs it (``False`` only cleans).

    Raises
    ------
    CorpusError
        Listing every error (file, problem, fix). Warnings do not stop loading;
        they are kept in ``Corpus.problems`` and issued as Python warnings.
    """
    from .parallel import load_corpus as load

    return load(path, n_workers=n_workers, cache=cache, progress=progress, segment=segment, _stacklevel=3)


def _load_serial(path: str | os.PathLike | None = None) -> Corpus:
    """The reference loader: one process, no cache (what :func:`load_corpus` must equal)."""
    corp, problems = scan(path)
    if corp is None or any(p.severity == "error" for p in problems):
        raise CorpusError(problems, str(corpus_dir(path)))
    for p in problems:
        warnings.warn(str(p), UserWarning, stacklevel=2)
    return corp


def draft_manifest(path: str | os.PathLike, *, group_from: str | None = None) -> pd.DataFrame:
    """Draft a manifest for every ``.txt`` file under ``path`` (to review and save).

    ``id`` is the file name without extension; ``group_from="stem"`` also fills
    a ``group`` column with it. The other usual columns are left empty for you.
    """
    folder = Path(path)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.txt"))
    if not files:
        raise CorpusError([Problem("error", str(folder), "contains no .txt files", "put one UTF-8 .txt file per document in it")])
    rows = []
    for f in files:
        stem = Path(f).stem
        row = {"id": stem, "file": f, "region": "", "date": "", "genre": "", "title": "", "issuer": ""}
        if group_from == "stem":
            row["region"] = stem
        rows.append(row)
    return pd.DataFrame(rows)
