"""Emphasis: what each group of documents stresses, and how forcefully, with honest uncertainty.

The instrument is a lexicon of categories (topic categories: *what* a text
spends its words on; force categories: *how forcefully* it speaks). A small
library ships in ``analysis/data/``, chosen by name: ``governance`` (the
standing fields of government and Party work, the default), ``covid`` (epidemic
control) and ``force`` (the force markers, which the other two include); the
names are listed in ``data/emphasis_settings.yaml``. A corpus folder names its
own in ``corpus.yaml`` (``emphasis: covid``, as the seeds do). Read one with
:func:`load_emphasis_lexicon`; every function takes ``lexicon=`` (a name, a
path, a parsed mapping or a loaded lexicon), so another instrument needs no code
change. :func:`instrument_validity` checks each category on a corpus, and
:func:`emphasis_topics` sets topics found by NMF beside the categories.

Matching (documented in the data file too):

* every term is searched as a substring of the clean text;
* **longest match first**: overlapping matches are resolved by accepting the
  longest first (ties: earlier start, then code-point order of the term), so
  决不能 counts once as 决不能 and not also as 不能; a stretch of text counts
  for at most one term, and a term declared in two categories credits both;
* ``exclude`` contexts drop occurrences inside longer words (要 in 要求, 重要);
* ``match: token`` keeps an occurrence only where jieba makes it a word of its
  own (须 but not 须臾); only the sentences of occurrences that would
  otherwise count are segmented.

Statistics:

* rates are hits per 10,000 characters of clean text (``n_chars`` as in
  :meth:`analysis.Corpus.to_frame`), the suite's unit
  (:data:`analysis.config.RATE_PER`); every column that carries one is named
  after :data:`analysis.config.RATE_UNIT`: ``per_10k``, ``per_10k_low``,
  ``per_10k_high``, ``diff_per_10k`` …;
* the interval is a percentile bootstrap that resamples, with replacement
  within each group, **documents** when every group has at least five of them
  and **sentences** otherwise (split after 。！？；!?; and line breaks, closing
  quotes kept with their sentence), and takes the ratio of sums (hits /
  characters) in each replicate; the table says which (``boot_unit``) and why
  (``boot_reason``), and ``unit=`` forces one. Sentences of one document are not
  independent, so the sentence interval is a lower bound on the uncertainty
  about *the issuer's* style; it is exact about the uncertainty of *these
  texts'* rate;
* each group gets its own random stream derived from ``seed`` and the group's
  name (numpy ``default_rng``), so a group's interval does not change when
  other groups are added or removed.

Modules
-------
``instrument``
    the lexicon: :class:`EmphasisLexicon`, :func:`load_emphasis_lexicon`, :class:`LexiconError`; the
    instruments by name (:func:`emphasis_instruments`, :func:`instrument_data`, :func:`corpus_instrument`).
``matching``
    occurrences and the matching rules: :func:`match_text`.
``tables``
    a corpus's sentences and counted hits: :func:`emphasis_hits`.
``bootstrap``
    the random streams and resampled sums behind the intervals.
``rates``
    :func:`emphasis`, :func:`emphasis_by_document`.
``positions``
    :func:`emphasis_positions`, :func:`emphasis_curve`.
``robustness``
    :func:`emphasis_robustness`, :func:`robustness_summary`, :func:`emphasis_leaders`.
``inspection``
    :func:`emphasis_kwic`, :func:`term_table`, :func:`lexicon_coverage`,
    :func:`token_check`, :func:`suggest_terms`, :func:`instrument_validity`.
``topics``
    :func:`emphasis_topics` (NMF topics per group beside the categories).
"""
from __future__ import annotations

from ...text import sentence_spans
from .bootstrap import DEFAULT_SEED
from .inspection import emphasis_kwic, instrument_validity, lexicon_coverage, suggest_terms, term_table, token_check
from .instrument import (
    KINDS,
    EmphasisLexicon,
    LexiconError,
    corpus_instrument,
    emphasis_instruments,
    emphasis_settings,
    instrument_data,
    instrument_names,
    load_emphasis_lexicon,
)
from .matching import match_text
from .positions import emphasis_curve, emphasis_positions
from .rates import bootstrap_unit, emphasis, emphasis_by_document
from .robustness import emphasis_leaders, emphasis_robustness, robustness_summary
from .tables import emphasis_hits
from .topics import emphasis_topics

__all__ = [
    "LexiconError",
    "EmphasisLexicon",
    "load_emphasis_lexicon",
    "sentence_spans",
    "match_text",
    "emphasis_hits",
    "emphasis",
    "emphasis_by_document",
    "emphasis_positions",
    "emphasis_curve",
    "emphasis_robustness",
    "robustness_summary",
    "emphasis_kwic",
    "emphasis_leaders",
    "term_table",
    "lexicon_coverage",
    "token_check",
    "suggest_terms",
    "DEFAULT_SEED",
    "KINDS",
    "instrument_validity",
    "emphasis_topics",
    "emphasis_instruments",
    "emphasis_settings",
    "instrument_data",
    "instrument_names",
    "corpus_instrument",
    "bootstrap_unit",
]
