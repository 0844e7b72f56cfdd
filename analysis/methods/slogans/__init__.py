"""Mine the recurring formulations (提法) of a corpus and track them across groups.

Chinese policy language runs on fixed formulations: quoted slogans (“动态清零”),
numbered formulas (四个意识, 五位一体, 三区两通道), series of short parallel
clauses (早发现、早报告、早隔离、早治疗), repeated-affix patterns (再部署再检查再落实,
从严从紧从细, 压紧压实, 实而又实) and longer phrases that recur word for word from one
document to the next. :func:`find_slogans` finds them in any corpus, with no list
of expected answers: five *generators* propose candidates from the clean
(Simplified) text, identical candidates are merged, every candidate is counted
in every document, variants are grouped into *families* and the result is ranked.

Generators (each also public, so it can be tried on a single text):

* :func:`quoted_phrases` — text between quotation marks, with length limits.
* :func:`numbered_formulations` — a Chinese numeral followed by a head word,
  never a date or a quantity (2月4日, 一名, 24小时 are rejected by the measure
  words in ``data/slogans.yaml``).
* :func:`enumerations` — series of short items of similar length joined by 、
  (or by ，when the items share a template), reported whole.
* :func:`affix_patterns` — a repeated prefix (再部署再检查再落实), a repeated
  suffix (应检尽检) or a reduplication frame (实而又实).
* :func:`recurring_ngrams` — character n-grams inside punctuation-free runs that
  recur in several documents and are *closed* (kept maximal).

Around the miner: :func:`slogan_occurrences` (every occurrence, tidy),
:func:`slogan_matrix` (document × slogan counts), :func:`sharing` (shared by all
groups, by some, by one), :func:`family_table` (variants side by side),
:func:`position_profile` (where slogans sit along documents), the bilingual glossary
(:func:`load_glossary`, :func:`glossary_join`, :func:`missing_glosses`, :func:`pinyin`)
and :func:`lexicon_candidates` for the reviewed step into the segmentation lexicon.
Figures are in :mod:`analysis.plots.slogans`.

All settings (quotation marks, numerals, measure words, word classes, ranking
weights) live in ``data/slogans.yaml``. Word boundaries come from jieba's own
general dictionary, never from the project lexicon, so the miner is not told
the formulations it should find. See ``docs/feeding-the-lexicon.md`` for how
mined formulations reach the lexicon (a reviewed step, never automatic).

Modules: ``settings`` (``data/slogans.yaml``), ``words`` (jieba's word boundaries
and tags, general dictionary), ``match`` (what a generator reports), one module per
generator (``quoted``, ``numbered``, ``enumerations``, ``affixes``), ``candidates``
(:func:`text_candidates`, candidates merged over a corpus), ``ngrams`` (the hashing
index, :func:`recurring_ngrams`), ``scoring``, ``families``, ``miner``
(:func:`find_slogans`), ``occurrences`` and ``glossary``.
"""
from __future__ import annotations

from .affixes import affix_patterns
from .candidates import KINDS, text_candidates
from .enumerations import enumerations
from .glossary import GLOSSARY_COLUMNS as GLOSSARY_COLUMNS  # importable here as before, not in __all__
from .glossary import LEXICON_COLUMNS as LEXICON_COLUMNS
from .glossary import glossary_join, lexicon_candidates, load_glossary, missing_glosses, pinyin, write_lexicon_candidates
from .match import Match
from .miner import SLOGAN_COLUMNS, find_slogans
from .ngrams import recurring_ngrams
from .numbered import numbered_formulations
from .occurrences import OCCURRENCE_COLUMNS, family_table, position_profile, sharing, slogan_matrix, slogan_occurrences
from .quoted import quoted_phrases
from .settings import Settings as Settings  # importable here as before (notebook 03 builds one), not in __all__
from .settings import load_settings

__all__ = [
    "KINDS",
    "SLOGAN_COLUMNS",
    "Match",
    "load_settings",
    "quoted_phrases",
    "numbered_formulations",
    "enumerations",
    "affix_patterns",
    "recurring_ngrams",
    "text_candidates",
    "find_slogans",
    "slogan_occurrences",
    "slogan_matrix",
    "sharing",
    "family_table",
    "position_profile",
    "lexicon_candidates",
    "write_lexicon_candidates",
    "OCCURRENCE_COLUMNS",
    "load_glossary",
    "pinyin",
    "glossary_join",
    "missing_glosses",
]
