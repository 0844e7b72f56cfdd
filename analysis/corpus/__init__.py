"""The corpus (layer 7): a folder of ``.txt`` files with a ``manifest.csv`` that describes them.

* :mod:`.manifest` — reading and checking the manifest, drafting one;
* :mod:`.reading` — one document: decoded by :func:`analysis.cleaning.decode`
  (UTF-8, BOMs, UTF-16, GB18030/GBK, Big5; binary files such as PDF or Word
  are named as such), cleaned by :func:`analysis.cleaning.clean`, checked;
* :mod:`.documents` — :class:`Document`, :class:`Corpus` and
  :meth:`Corpus.groups`, the one place where ``by`` is resolved;
* :mod:`.loading` — :func:`load_corpus`, :func:`scan`, :func:`validate`;
* :mod:`.periods` — the time axis: dates and the periods (``date:year`` …) they fall in;
* :mod:`.grouping` — :func:`grouping_problems`: whether a grouping column can be compared.

:func:`scan` loads what it can and lists every problem at once (file,
problem, fix); :func:`validate` returns the problems; :func:`load_corpus`
raises :class:`~analysis.errors.CorpusError` with all errors, and keeps
warnings (for instance a ``.txt`` file the manifest does not list) in
``Corpus.problems`` and in Python's warnings, so nothing is dropped silently.
"""
from __future__ import annotations

from .documents import MANIFEST, REPORT_MARKER, Corpus, Document
from .grouping import EMPTY_GROUP, grouping_problems
from .loading import document_key, load_corpus, load_serial, scan, validate
from .manifest import REQUIRED_COLUMNS, draft_manifest
from .periods import PERIOD_FREQS, is_period_spec, parse_period_spec

__all__ = ["Document", "Corpus", "load_corpus", "load_serial", "scan", "validate", "draft_manifest", "document_key",
           "REQUIRED_COLUMNS", "MANIFEST", "REPORT_MARKER", "grouping_problems", "EMPTY_GROUP",
           "PERIOD_FREQS", "is_period_spec", "parse_period_spec"]
