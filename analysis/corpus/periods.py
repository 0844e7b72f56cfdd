"""The time axis: documents' dates and the periods they fall in.

A date column holds ISO dates at one of three precisions: a day (``2022-03-31``), a month (``2022-03``) or a
year (``2022``). A *period specification* names the column and the width of the periods, ``COLUMN:FREQ``:

=============  ==========================  =================
``FREQ``       periods                     labels
=============  ==========================  =================
``day``        calendar days               ``2022-03-31``
``month``      calendar months             ``2022-03``
``quarter``    calendar quarters           ``2022-Q1``
``year``       calendar years              ``2022``
``Ny``         bins of N years (``5y``),   ``1950–1954``
               starting at multiples of N
``decade``     the same as ``10y``         ``1950–1959``
=============  ==========================  =================

``Corpus.groups("date:year")`` groups documents by period, so every analysis that takes ``by`` takes a
period too; labels sort in time order. :func:`document_periods` gives the real time axis behind the labels
(each period's first and last day), for trends and timelines. A document without a date has no period; a
document dated more coarsely than the periods asked for (a year, grouped by month) cannot be placed and is an
error that names it.
"""
from __future__ import annotations

import re

import pandas as pd

from ..errors import CorpusError, Problem

__all__ = ["PERIOD_FREQS", "is_period_spec", "parse_period_spec", "parse_date", "document_dates",
           "document_periods", "period_label", "suggest_period"]

#: The named period widths (besides ``Ny``, bins of N years).
PERIOD_FREQS = ("day", "month", "quarter", "year", "decade")
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}
_NEEDS = {"day": "day", "month": "month", "quarter": "month", "year": "year"}
_SPEC_RE = re.compile(r"^(?P<column>.+):(?P<freq>day|month|quarter|year|decade|(?P<n>[1-9]\d{0,2})y)$")
_DATE_RE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")
_FIX_DATE = "write dates as YYYY-MM-DD, YYYY-MM or YYYY"


def is_period_spec(by) -> bool:
    """True when ``by`` is a period specification (``COLUMN:FREQ``, for example ``date:year``)."""
    return isinstance(by, str) and _SPEC_RE.match(by.strip()) is not None


def parse_period_spec(spec: str) -> tuple[str, str, int]:
    """``COLUMN:FREQ`` as ``(column, unit, width)``: unit ``day``, ``month``, ``quarter`` or ``year``; width is
    the number of years per bin for year units (1 for ``year``, 10 for ``decade``), else 1.

    Raises ValueError, naming the forms it accepts, for anything else.
    """
    m = _SPEC_RE.match(spec.strip()) if isinstance(spec, str) else None
    if m is None:
        raise ValueError(f"{spec!r} is not a period: write COLUMN:FREQ, FREQ one of day, month, quarter, year, "
                         "decade or Ny (bins of N years, like 5y), for example date:year")
    freq = m["freq"]
    if m["n"]:
        return m["column"], "year", int(m["n"])
    if freq == "decade":
        return m["column"], "year", 10
    return m["column"], freq, 1


def parse_date(value: str) -> tuple[pd.Timestamp, str] | None:
    """An ISO date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) as its first day and its precision (``day``,
    ``month``, ``year``); None when it is not one (including impossible days such as ``2023-02-30``)."""
    m = _DATE_RE.match(str(value).strip())
    if m is None:
        return None
    year, month, day = int(m["y"]), int(m["m"] or 1), int(m["d"] or 1)
    try:
        when = pd.Timestamp(year=year, month=month, day=day)
    except (ValueError, OverflowError):
        return None
    return when, "day" if m["d"] else "month" if m["m"] else "year"


def document_dates(manifest: pd.DataFrame, column: str = "date", *, where: str = "manifest.csv") -> pd.DataFrame:
    """Each document's date from ``manifest[column]``: id, date (the first day of the value's precision, NaT
    when empty), precision (``day``, ``month``, ``year`` or ``""``), in manifest order.

    Raises :class:`CorpusError` naming the column (when missing) or every value that is not an ISO date, with
    its document and row.
    """
    if column not in manifest.columns:
        raise CorpusError([Problem("error", where, f"has no date column {column!r}",
                                   f"add a column {column!r} of ISO dates (YYYY-MM-DD, YYYY-MM or YYYY), or name "
                                   f"the column that holds them: COLUMN:year")], where)
    dates, precision, problems = [], [], []
    for row, (doc_id, value) in enumerate(zip(manifest["id"], manifest[column].astype(str)), 1):
        value = value.strip()
        parsed = parse_date(value) if value else None
        if value and parsed is None:
            problems.append(Problem("error", where, f"row {row} (document {doc_id!r}): the {column} {value!r} is "
                                    "not an ISO date", _FIX_DATE))
        dates.append(parsed[0] if parsed else pd.NaT)
        precision.append(parsed[1] if parsed else "")
    if problems:
        raise CorpusError(problems, where)
    return pd.DataFrame({"id": list(manifest["id"]), "date": pd.to_datetime(pd.Series(dates, dtype=object)),
                         "precision": precision})


def period_label(when: pd.Timestamp, unit: str, width: int = 1) -> tuple[str, pd.Timestamp, pd.Timestamp]:
    """The period of ``unit`` (and ``width`` years) that ``when`` falls in: its label, first day and last day."""
    if unit == "day":
        return when.strftime("%Y-%m-%d"), when, when
    if unit == "month":
        start = pd.Timestamp(year=when.year, month=when.month, day=1)
        return start.strftime("%Y-%m"), start, start + pd.offsets.MonthEnd(0)
    if unit == "quarter":
        q = (when.month - 1) // 3
        start = pd.Timestamp(year=when.year, month=3 * q + 1, day=1)
        return f"{when.year}-Q{q + 1}", start, start + pd.offsets.QuarterEnd(0)
    first = when.year - when.year % width
    start, end = pd.Timestamp(year=first, month=1, day=1), pd.Timestamp(year=first + width - 1, month=12, day=31)
    return (str(first) if width == 1 else f"{first}–{first + width - 1}"), start, end


def document_periods(manifest: pd.DataFrame, spec: str, *, where: str = "manifest.csv") -> pd.DataFrame:
    """Each document's period under ``spec`` (``COLUMN:FREQ``): id, date, precision, period (its label, ``""``
    for an undated document), start and end (the period's first and last day, NaT when undated).

    Raises :class:`CorpusError` naming every document dated too coarsely for the periods (a year when months
    are asked for), with the fix.
    """
    column, unit, width = parse_period_spec(spec)
    dates = document_dates(manifest, column, where=where)
    need = _PRECISION_RANK[_NEEDS[unit]]
    coarse = [(i, r) for i, r in enumerate(dates.itertuples(index=False), 1)
              if r.precision and _PRECISION_RANK[r.precision] < need]
    if coarse:
        problems = [Problem("error", where, f"row {i} (document {r.id!r}) is dated {r.date.year if r.precision == 'year' else r.date.strftime('%Y-%m')} "
                            f"(a {r.precision}), too coarse for periods of a {unit}",
                            f"give its full date in {column!r}, or use wider periods ({column}:{r.precision})")
                    for i, r in coarse]
        raise CorpusError(problems, where)
    labels, starts, ends = [], [], []
    for when in dates["date"]:
        if pd.isna(when):
            labels.append("")
            starts.append(pd.NaT)
            ends.append(pd.NaT)
        else:
            label, start, end = period_label(when, unit, width)
            labels.append(label)
            starts.append(start)
            ends.append(end)
    out = dates.copy()
    out["period"] = labels
    out["start"] = pd.to_datetime(pd.Series(starts, dtype=object))
    out["end"] = pd.to_datetime(pd.Series(ends, dtype=object))
    return out


#: The widths :func:`suggest_period` tries, coarsest first.
SUGGESTED_FREQS = ("decade", "5y", "year", "quarter", "month", "day")


def suggest_period(manifest: pd.DataFrame, column: str = "date", *, where: str = "manifest.csv") -> str | None:
    """A period specification for the corpus's dates: the coarsest of :data:`SUGGESTED_FREQS` that gives at least
    three periods with documents (else the finest that gives two), among the widths every dated document's
    precision allows; None when the column is missing or the dated documents fall in a single period.

    The choice depends only on the dates, never on the texts: a decade for a century of reports, a quarter for
    ten months of notices, nothing for a corpus of one year.
    """
    if column not in manifest.columns:
        return None
    dates = document_dates(manifest, column, where=where)
    dated = dates[dates["precision"] != ""]
    if dated.empty:
        return None
    coarsest = min(_PRECISION_RANK[p] for p in dated["precision"])
    counts = []
    for freq in SUGGESTED_FREQS:
        _, unit, width = parse_period_spec(f"{column}:{freq}")
        if _PRECISION_RANK[_NEEDS[unit]] > coarsest:
            continue
        n = len({period_label(when, unit, width)[0] for when in dated["date"]})
        if n >= 3:
            return f"{column}:{freq}"
        counts.append((freq, n))
    two = [freq for freq, n in counts if n == 2]
    return f"{column}:{two[-1]}" if two else None
