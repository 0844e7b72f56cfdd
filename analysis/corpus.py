"""A corpus is a folder of ``.txt`` files with a ``manifest.csv`` that describes them.

The manifest is UTF-8 CSV with a header row. Required columns: ``id`` (unique)
and ``file`` (a path inside the folder). Every other column is metadata and
can be used to group documents (``by="region"``, ``by="genre"``, …); a ``date``
column, if present, must hold ISO dates (``2022-01-01``, ``2022-01`` or ``2022``).

:func:`validate` lists every problem of a folder at once; :func:`load_corpus`
raises :class:`~analysis.errors.CorpusError` with all errors, and keeps
warnings (for instance a ``.txt`` file the manifest does not list) in
``Corpus.problems`` and in Python's warnings, so nothing is dropped silently.
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

from .cleaning import CJK_RE, CleanResult, clean, decode
from .errors import CorpusError, DecodeError, Problem
from .paths import corpus_dir

__all__ = ["Document", "Corpus", "load_corpus", "validate", "draft_manifest", "REQUIRED_COLUMNS"]

REQUIRED_COLUMNS = ("id", "file")
MANIFEST = "manifest.csv"
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


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

    def group_column(self, by: str) -> pd.Series:
        """The manifest column ``by`` indexed by document id; a clear error if it is missing."""
        if by not in self.manifest.columns:
            usable = [c for c in self.manifest.columns if c not in ("file",)]
            raise CorpusError(
                [Problem("error", str(self.path / MANIFEST), f"has no column {by!r} to group by",
                         f"use one of {', '.join(usable)}, or add the column to the manifest")],
                str(self.path),
            )
        col = self.manifest.set_index("id")[by].astype(str)
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


def _read_manifest(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    mpath = path / MANIFEST
    if not mpath.is_file():
        problems.append(Problem("error", str(mpath), "the corpus folder has no manifest.csv",
                                "create it with a header row id,file,… (`python -m analysis manifest DIR` drafts one)"))
        return None
    try:
        text, _ = decode(mpath.read_bytes(), mpath)
    except DecodeError as exc:
        problems.append(exc.problem)
        return None
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        problems.append(Problem("error", str(mpath), f"is not valid CSV ({str(exc).strip()})",
                                "check quoting and the number of commas on each line"))
        return None
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        problems.append(Problem("error", str(mpath), f"is missing the required column(s) {', '.join(missing)}",
                                f"add a header row with at least {', '.join(REQUIRED_COLUMNS)}"))
        return None
    for col in df.columns:
        df[col] = df[col].astype(str).str.strip()
    return df


def _check_rows(path: Path, df: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    mpath = str(path / MANIFEST)
    ok = pd.Series(True, index=df.index)
    for i, row in df.iterrows():
        line = i + 2  # header is line 1
        if not row["id"]:
            problems.append(Problem("error", mpath, f"line {line} has an empty id", "give every document a unique id"))
            ok[i] = False
        if not row["file"]:
            problems.append(Problem("error", mpath, f"line {line} has an empty file", "name the document's .txt file"))
            ok[i] = False
    dups = df[df["id"].duplicated(keep=False) & (df["id"] != "")]
    for doc_id, rows in dups.groupby("id"):
        lines = ", ".join(str(i + 2) for i in rows.index)
        problems.append(Problem("error", mpath, f"the id {doc_id!r} is used more than once (lines {lines})",
                                "make every id unique"))
        ok[rows.index] = False
    dupf = df[df["file"].duplicated(keep=False) & (df["file"] != "")]
    for fname, rows in dupf.groupby("file"):
        lines = ", ".join(str(i + 2) for i in rows.index)
        problems.append(Problem("warning", mpath, f"the file {fname!r} is listed more than once (lines {lines})",
                                "list each file once unless you mean to count it twice"))
    root = path.resolve()
    for i, row in df.iterrows():
        if not row["file"]:
            continue
        fpath = (path / row["file"]).resolve()
        if Path(row["file"]).is_absolute() or not fpath.is_relative_to(root):
            problems.append(Problem("error", mpath, f"line {i + 2}: the file {row['file']!r} points outside the corpus folder",
                                    "copy the file into the corpus folder and give a path relative to it"))
            ok[i] = False
        elif not fpath.is_file():
            problems.append(Problem("error", str(path / row["file"]), f"is listed in the manifest (line {i + 2}) but does not exist",
                                    "fix the file name in manifest.csv or add the file"))
            ok[i] = False
    if "date" in df.columns:
        for i, row in df.iterrows():
            if row["date"] and not _valid_date(row["date"]):
                problems.append(Problem("error", mpath, f"line {i + 2}: the date {row['date']!r} is not an ISO date",
                                        "write dates as YYYY-MM-DD (or YYYY-MM, YYYY)"))
    listed = {(path / f).resolve() for f in df["file"] if f}
    for txt in sorted(path.rglob("*.txt")):
        if txt.resolve() not in listed and not any(part.startswith(".") for part in txt.relative_to(path).parts):
            problems.append(Problem("warning", str(txt), "is not listed in manifest.csv and is ignored",
                                    "add a row for it to the manifest, or move it out of the folder"))
    return df[ok]


def _valid_date(value: str) -> bool:
    if not _DATE_RE.match(value):
        return False
    try:
        pd.Timestamp(value)
    except ValueError:
        return False
    return True


def _load_document(path: Path, row: dict, problems: list[Problem]) -> Document | None:
    fpath = path / row["file"]
    try:
        raw, encoding = decode(fpath.read_bytes(), fpath)
    except DecodeError as exc:
        problems.append(exc.problem)
        return None
    except OSError as exc:
        problems.append(Problem("error", str(fpath), f"cannot be read ({exc.strerror})", "check the file's permissions"))
        return None
    result = clean(raw)
    if not raw.strip():
        problems.append(Problem("error", str(fpath), "is empty", "add the document's text or remove its manifest row"))
        return None
    if not result.text.strip():
        problems.append(Problem("error", str(fpath), "has no text left after cleaning (everything matched a boilerplate rule)",
                                "check analysis/data/boilerplate.yaml or the file's content"))
        return None
    n_cjk = len(CJK_RE.findall(result.text))
    if n_cjk == 0:
        problems.append(Problem("warning", str(fpath), "contains no Chinese characters",
                                "check that this is the right file; it adds nothing to Chinese word counts"))
    elif n_cjk < 0.2 * len(result.text.replace("\n", "")):
        problems.append(Problem("warning", str(fpath), f"is only {n_cjk / max(1, len(result.text)):.0%} Chinese characters",
                                "check for a wrong encoding or leftover markup"))
    return Document(row["id"], row["file"], dict(row), raw, encoding, result)


def _load(path: Path) -> tuple[pd.DataFrame | None, list[Document], list[Problem]]:
    problems: list[Problem] = []
    if not path.is_dir():
        problems.append(Problem("error", str(path), "is not a folder",
                                "pass the folder that holds manifest.csv and the .txt files (--corpus DIR or ANALYSIS_CORPUS)"))
        return None, [], problems
    df = _read_manifest(path, problems)
    if df is None:
        return None, [], problems
    df = _check_rows(path, df, problems)
    docs = []
    for row in df.to_dict("records"):
        doc = _load_document(path, row, problems)
        if doc is not None:
            docs.append(doc)
    kept = {d.id for d in docs}
    df = df[df["id"].isin(kept)].reset_index(drop=True)
    return df, docs, problems


def validate(path: str | os.PathLike | None = None) -> list[Problem]:
    """Every problem of a corpus folder (errors and warnings), found in one pass."""
    _, _, problems = _load(corpus_dir(path))
    return problems


def load_corpus(path: str | os.PathLike | None = None) -> Corpus:
    """Load and clean a corpus folder.

    Parameters
    ----------
    path : str or Path, optional
        The folder. Default: ``$ANALYSIS_CORPUS``, else the project's ``seeds/``.

    Raises
    ------
    CorpusError
        Listing every error (file, problem, fix). Warnings do not stop loading;
        they are kept in ``Corpus.problems`` and issued as Python warnings.
    """
    folder = corpus_dir(path)
    df, docs, problems = _load(folder)
    errors = [p for p in problems if p.severity == "error"]
    if errors or df is None:
        raise CorpusError(problems, str(folder))
    for p in problems:
        warnings.warn(str(p), UserWarning, stacklevel=2)
    return Corpus(folder, df, docs, problems)


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
