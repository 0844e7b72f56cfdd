"""The corpus's data model: :class:`Document` and :class:`Corpus`, and how documents form groups."""
from __future__ import annotations

import hashlib
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import pandas as pd

from ..cleaning import CleanResult, Edit, apply_edits
from ..config import DEFAULT_BY, cache_dir, memory_budget, period_setting, resolve_by
from ..errors import CorpusError, Problem
from ..store import MemoryCache, read_document
from .periods import document_periods, is_period_spec, suggest_period

__all__ = ["Document", "Corpus", "text_memo", "MANIFEST", "FRAME_COLUMNS", "NO_GROUP", "empty_label", "REPORT_MARKER"]

#: The manifest's file name inside a corpus folder.
MANIFEST = "manifest.csv"
#: The file the report writes into its output folder: a folder that holds it is never read as part of a corpus.
REPORT_MARKER = "analysis-report.json"
#: The group of documents whose grouping column is empty.
NO_GROUP = "(none)"
#: The columns :meth:`Corpus.to_frame` adds to the manifest's (a manifest may not use these names).
FRAME_COLUMNS = ("encoding", "n_chars_raw", "n_chars", "text", "raw")


class Document:
    """One document: its manifest row (``meta``), raw and clean text, and audit.

    The texts of a document loaded through the document cache (``key`` set) are
    not held: they are read back from the cache when asked, through a memo of the
    recent ones bounded by ``$ANALYSIS_MEMORY_MB`` (:func:`text_memo`), so a loaded
    corpus holds its metadata in memory, not its text. ``extra`` are the
    corpus-level edits made after the document's own cleaning (shared
    boilerplate: one layer, positions in the document's own clean text), applied to the cached text when it is read. A document built
    from texts (``Document(id, file, meta, raw, encoding, result)``) holds them.
    """

    def __init__(self, id: str, file: str, meta: dict, raw: str | None, encoding: str,
                 result: CleanResult | None = None, *, key: str | None = None, n_chars: int | None = None,
                 extra: tuple = ()):
        if result is None and key is None:
            raise ValueError("a Document needs its texts or the cache key they are stored under")
        self.id = id
        self.file = file
        self.meta = meta
        self.encoding = encoding
        #: the key of the document cache's entry its texts are read from (None: held in memory), and the folder of
        #: that cache (the one in use when the document was loaded, wherever ``$ANALYSIS_CACHE`` points later)
        self.key = key if result is None else None
        self.root = store_root() if self.key is not None else None
        self.extra = tuple(extra)
        self._raw, self._result = (raw, result) if result is not None else (None, None)
        #: characters of clean text (known without reading the text)
        self.n_chars = len(result.text) if result is not None else int(n_chars)

    @classmethod
    def stored(cls, doc: "Document", key: str) -> "Document":
        """``doc`` with its texts left in the document cache under ``key`` (they are kept in the memo for now)."""
        out = cls(doc.id, doc.file, doc.meta, None, doc.encoding, key=key, n_chars=doc.n_chars, extra=doc.extra)
        text_memo().put((key, _spans(doc.extra)), (doc.raw, doc.result))
        return out

    def with_edits(self, edits) -> "Document":
        """The document after further corpus-level ``edits`` (positions in its clean text), recorded in its audit."""
        if not edits:
            return self
        base = self.text
        edits = [e if e.old is not None else e._replace(old=base[e.start:e.end]) for e in edits]
        text = apply_edits(base, edits)
        if self.key is None:
            return Document(self.id, self.file, self.meta, self.raw, self.encoding,
                            CleanResult(text, [*self.result.edits, *edits]), extra=(*self.extra, *edits))
        out = Document(self.id, self.file, self.meta, None, self.encoding, key=self.key, n_chars=len(text),
                       extra=(*self.extra, *edits))
        out.root = self.root
        text_memo().put((self.key, _spans(out.extra)), (self.raw, CleanResult(text, [*self.result.edits, *edits])))
        return out

    def _texts(self) -> tuple[str, CleanResult]:
        if self._result is not None:
            return self._raw, self._result
        mkey = (self.key, _spans(self.extra))
        hit = text_memo().get(mkey)
        if hit is not None:
            return hit
        entry = read_document(self.key, self.root)
        if entry is None or not entry[0].get("ok"):
            raise CorpusError([Problem("error", self.file, "its cleaned text is no longer in the cache (the cache "
                                       "was cleared, or the entry was damaged) since the corpus was loaded",
                                       "load the corpus again (analysis.load_corpus)")], self.file)
        header, raw, text = entry
        edits = [Edit(*e) for e in header["edits"]]
        if self.extra:
            text = apply_edits(text, self.extra)
            edits += self.extra
        if len(text) != self.n_chars:
            raise CorpusError([Problem("error", self.file, "its cached text is not the text loaded (the cache "
                                       "folder was changed since the corpus was loaded)",
                                       "load the corpus again (analysis.load_corpus)")], self.file)
        out = (raw, CleanResult(text, edits))
        text_memo().put(mkey, out)
        return out

    @property
    def raw(self) -> str:
        """The text as read from its file (decoded), before cleaning."""
        return self._texts()[0]

    @property
    def result(self) -> CleanResult:
        """The clean text with the edits that made it."""
        return self._texts()[1]

    @property
    def text(self) -> str:
        """The clean text."""
        return self._texts()[1].text

    @property
    def digest(self) -> str:
        """The identity of the clean text, for cache keys: equal digests, equal texts. Without reading the text
        when it is stored (its cache key and the corpus-level edits), else a hash of the text."""
        if self.key is not None:
            return "stored:" + self.key + ":" + ",".join("%d-%d-%d" % span for span in _spans(self.extra))
        return "text:" + hashlib.blake2b(self.text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()

    def audit(self) -> pd.DataFrame:
        """Every edit cleaning made, with the document id."""
        df = self.result.audit()
        df.insert(0, "doc_id", self.id)
        return df

    def __eq__(self, other) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return ((self.id, self.file, self.meta, self.encoding, self.raw, self.result)
                == (other.id, other.file, other.meta, other.encoding, other.raw, other.result))

    __hash__ = None

    def __repr__(self) -> str:
        where = f"cached {self.key[:12]}" if self.key else "in memory"
        return f"Document(id={self.id!r}, file={self.file!r}, {self.n_chars:,} characters, {where})"


@lru_cache(maxsize=8)
def _root(folder: str) -> Path:
    return Path(folder) / "documents"


def store_root() -> Path:
    """The folder of the document cache in use now (one shared object per folder)."""
    return _root(str(cache_dir()))


def _spans(edits) -> tuple:
    return tuple((e.start, e.end, len(e.new)) for e in edits)


_TEXT_MEMO: MemoryCache | None = None


def text_memo() -> MemoryCache:
    """The memo of documents' texts read from the document cache, bounded by ``$ANALYSIS_MEMORY_MB``."""
    global _TEXT_MEMO
    if _TEXT_MEMO is None:
        _TEXT_MEMO = MemoryCache(memory_budget(), sizeof=lambda v: 2 * (len(v[0]) + len(v[1].text))
                                 + 120 * len(v[1].edits))
    return _TEXT_MEMO


def empty_label(values: set[str], by: str) -> str:
    """The group of the empty values of column ``by``: :data:`NO_GROUP`, or a label none of ``values`` is.

    A column that holds both empty values and the value ``(none)`` itself
    would merge them; the empty ones get ``(empty)`` (``(empty 2)`` … if taken)
    and a warning says so.
    """
    if NO_GROUP not in values or "" not in values:
        return NO_GROUP
    label, k = "(empty)", 1
    while label in values:
        k += 1
        label = f"(empty {k})"
    warnings.warn(f"the column {by!r} has empty values and the value {NO_GROUP!r} itself: the empty ones form the "
                  f"group {label!r}, apart from {NO_GROUP!r}. Fix: fill in the empty values, or rename the value "
                  f"{NO_GROUP!r}", UserWarning, stacklevel=4)
    return label


class Corpus:
    """Documents loaded from a folder, in manifest order.

    Iterating yields :class:`Document` objects; ``corp["id"]`` returns one.
    """

    def __init__(self, path: Path, manifest: pd.DataFrame, docs: list[Document], problems: list[Problem],
                 lexicon=None):
        self.path = path
        #: the lexicon its texts are segmented with: None for the package's (``analysis/data/lexicon.tsv``), or
        #: the package's and the folder's own ``lexicon.tsv`` (see :func:`analysis.lexicon.lexicon_files`)
        self.lexicon = lexicon
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
        own = f" · its own lexicon {self.lexicon[-1]}" if self.lexicon else ""
        return f"<Corpus {self.path} · {len(self)} documents · {sum(d.n_chars for d in self.docs):,} characters{own}>"

    @property
    def source(self) -> str:
        """Where the documents' metadata is read from, for messages: the manifest, or the table itself."""
        return str(self.path if self.path.is_file() else self.path / MANIFEST)

    def texts(self) -> Iterator[str]:
        """The clean texts, in corpus order, one at a time (read from the cache as they are asked for)."""
        return (d.text for d in self.docs)

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
            makes each document its own group, labelled by its id. A period,
            ``COLUMN:FREQ`` (``date:year``, ``date:month``, ``date:decade``,
            ``date:5y`` …; see :mod:`analysis.corpus.periods`), groups the
            documents by the period their date falls in, labelled so that
            labels sort in time order. An empty
            value becomes the group ``(none)`` (:data:`NO_GROUP`); if the
            column also holds the value ``(none)`` itself, the empty values
            become ``(empty)`` instead, with a warning, so the two never merge.

        Raises
        ------
        CorpusError
            When the manifest has no such column (naming the columns it has),
            or, for a period, a date is not an ISO date or is too coarse for
            the periods (naming the document and its row).
        """
        by = resolve_by(by)
        if by is None:
            return pd.Series(self.ids, index=pd.Index(self.ids, name="id"), name="id", dtype=object)
        if by not in self.manifest.columns and is_period_spec(by):
            periods = self.periods(by).set_index("id")["period"]
            col = periods.replace("", empty_label(set(periods), by)).reindex(self.ids).rename(by)
            col.index.name = "id"
            return col
        col = self.group_column(by).reindex(self.ids)
        col.index.name = "id"
        return col

    def group_column(self, by: str) -> pd.Series:
        """The manifest column ``by`` indexed by document id; a clear error if it is missing."""
        if by not in self.manifest.columns:
            usable = [c for c in self.manifest.columns if c not in ("file",)]
            raise CorpusError(
                [Problem("error", self.source, f"has no column {by!r} to group by",
                         f"use one of {', '.join(usable)}, or add the column to the manifest")],
                str(self.path), check=f"python -m analysis check --corpus DIR --by {by}",
            )
        col = self.manifest.set_index("id", drop=False)[by].astype(str)
        return col.replace("", empty_label(set(col), by))

    def periods(self, spec: str | None = None) -> pd.DataFrame:
        """The time axis: each document's date and period under ``spec`` (``COLUMN:FREQ``, see
        :mod:`analysis.corpus.periods`; default :meth:`default_period`): id, date, precision, period (label;
        ``""`` when undated), start and end (the period's first and last day), in corpus order.

        Raises :class:`CorpusError` when no ``spec`` is given and the dates suggest none (no date column, or every
        dated document in one period)."""
        if spec is None:
            spec = self.default_period()
            if spec is None:
                raise CorpusError([Problem("error", self.source, "has no dates that span two periods (no column "
                                           "'date', or every dated document falls in one period), so there is no "
                                           "time axis", "give the periods (period='date:month', --period "
                                           "date:month, or ANALYSIS_PERIOD), or fill in the column 'date'")],
                                  str(self.path))
        out = document_periods(self.manifest, spec, where=self.source)
        return out.set_index("id").reindex(self.ids).reset_index()

    def default_period(self, column: str = "date") -> str | None:
        """The period the analyses over time use when none is given: ``$ANALYSIS_PERIOD``, else the one
        :func:`analysis.corpus.periods.suggest_period` finds for the dates in ``column`` (None: the dates do not
        span two periods, or there are none)."""
        return period_setting() or suggest_period(self.manifest, column, where=self.source)

    def to_frame(self) -> pd.DataFrame:
        """One row per document: manifest columns, then :data:`FRAME_COLUMNS`: ``encoding``, ``n_chars_raw``,
        ``n_chars``, ``text`` (clean) and ``raw``.

        The manifest check refuses a column of the manifest with one of these
        names, so none is ever replaced here.
        """
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
