"""Segmentation (layer 5): text in, ``(token, part of speech)`` pairs out, identical to ``jieba.posseg``.

Two backends give the same output, token for token and tag for tag:

* :mod:`.reference` — ``jieba.posseg`` with the project lexicon, HMM on;
* :mod:`.fast` — rjieba (jieba-rs, in Rust) for the dictionary route and
  jieba's own rules for the rest, with the part-of-speech HMM of :mod:`.hmm`.

Both cut runs of more than :data:`MAX_RUN` of one character into pieces
before segmenting (:mod:`.runs`), so that a run of a million 口 costs what
real text costs; text without such a run is segmented exactly as by
``jieba.posseg``.

:func:`get_segmenter` returns one (``ANALYSIS_SEGMENTER=jieba|rjieba``,
default the fastest installed); its ``segment(text)`` gives a
:class:`Segmented`, the compact form every later stage passes on. Nothing
here caches to disk: :mod:`analysis.store` does (``analysis.segment`` and
friends go through it).
"""
from __future__ import annotations

from .backends import (BACKEND_VERSION, BACKENDS, ENV_VAR, available_backends, backend_name, backend_version,
                       get_segmenter)
from .fast import RjiebaSegmenter
from .hmm import PosHMM, pos_hmm
from .reference import JiebaSegmenter, reference_segmenter
from .runs import MAX_RUN, run_pieces
from .segmented import Segmented, concat

__all__ = [
    "Segmented", "concat", "BACKENDS", "ENV_VAR", "BACKEND_VERSION", "available_backends", "backend_name",
    "backend_version", "get_segmenter", "JiebaSegmenter", "RjiebaSegmenter", "reference_segmenter", "PosHMM",
    "pos_hmm", "MAX_RUN", "run_pieces",
]
