"""The corpus's data model: :class:`Document` and :class:`Corpus`, and how documents form groups."""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pandas as pd

from ..cleaning import CleanResult
from ..config import DEFAULT_BY, period_setting, resolve_by
from ..errors import CorpusError, Problem
from .periods import document_periods, is_period_spec, suggest_period

__all__ = ["Document", "Corpus", "MANIFEST", "FRAME_COLUMNS", "NO_GROUP", "empty_label", "REPORT_MARKER"]

#: The manifest's file name inside a corpus folder.
MANIFEST = "manifest.csv"
#: The file the report writes into its output folder: a folder that holds it is never read as part of a corpus.
REPORT_MARKER = "analysis-report.json"
#: The group of documents whose grouping column is empty.
NO_GROUP = "(none)"
#: The columns :meth:`Corpus.to_frame` adds to the manifest's (a manifest may not use these names).
FRAME_COLUMNS = ("encoding", "n_chars_raw", "n_chars", "text", "raw")


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
        return f"<Corpus {self.path} · {len(self)} documents · {sum(len(d.text) for d in self.docs):,} characters{own}>"

    @property
    def source(self) -> str:
        """Where the documents' metadata is read from, for messages: the manifest, or the table itself."""
        return str(self.path if self.path.is_file() else self.path / MANIFEST)

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
