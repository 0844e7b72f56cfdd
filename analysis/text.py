"""Text primitives: what counts as a Chinese character, where sentences end, what a numeral is.

Layer 2 of the package (see ``docs/architecture.md``): plain functions on
strings, used by cleaning, segmentation and every analysis, so each notion is
defined once.

* :data:`CJK_CLASS` — Chinese characters for counting and mining: the CJK
  unified ideographs (basic block, extension A, compatibility ideographs).
* :data:`JIEBA_HAN` — the narrower range jieba's segmenter treats as Han
  (U+4E00–U+9FD5); only segmentation and the lexicon use it.
* :data:`SENTENCE_ENDS` and :func:`sentence_spans` — sentences end after
  。！？；!?; or a line break.
* :data:`NUMERAL_CHARS` — Arabic and Chinese numerals (and the marks that go
  with numbers: 第 . % ％).
"""
from __future__ import annotations

import re

import numpy as np

__all__ = [
    "CJK_CLASS", "CJK_RE", "is_cjk", "count_cjk", "JIEBA_HAN", "SENTENCE_ENDS", "CLOSERS", "SENTENCE_RE",
    "sentence_spans", "codepoints", "NUMERAL_CHARS",
]

#: Chinese characters: CJK unified ideographs, extension A and compatibility ideographs.
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK_CLASS}]")
_CJK_RUN_RE = re.compile(f"[{CJK_CLASS}]+")

#: The Han range of jieba's segmenter (its ``re_han_default`` and ``re_han_internal``).
JIEBA_HAN = "\u4E00-\u9FD5"

#: Characters that end a sentence.
SENTENCE_ENDS = "。！？；!?;\n"
#: Closing quotes and brackets that stay with the sentence they close.
CLOSERS = "”’」』）)】"
#: A sentence or line (text up to and including one sentence end), as a regular expression.
SENTENCE_RE = re.compile(f"[^{SENTENCE_ENDS}]*[{SENTENCE_ENDS}]?")

#: Arabic and Chinese numerals, and the marks numbers carry (第, decimal point, per cent).
NUMERAL_CHARS = frozenset("0123456789〇零一二三四五六七八九十百千万亿两几第.%％")


def count_cjk(text: str) -> int:
    """Number of Chinese characters in ``text`` (what :data:`CJK_RE` matches).

    Counted as the length removed with runs of them, several times faster
    than one match per character.
    """
    return len(text) - len(_CJK_RUN_RE.sub("", text))


def is_cjk(ch: str) -> bool:
    """True for a CJK unified ideograph (basic block, extension A, compatibility)."""
    return bool(CJK_RE.match(ch))


def codepoints(text: str) -> np.ndarray:
    """The code points of ``text`` as a ``uint32`` array (one per character)."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


_DELIM_CODES = codepoints(SENTENCE_ENDS)
_CLOSER_CODES = codepoints(CLOSERS)
_BLANK_CODES = codepoints(" \t\r\u3000\xa0")


def sentence_spans(text: str) -> np.ndarray:
    """Sentence boundaries of ``text`` as an ``(n, 2)`` array of ``[start, end)`` offsets.

    A sentence ends after a run of :data:`SENTENCE_ENDS` (closing quotes and
    brackets in or right after the run stay with it: ``好。”`` is one ending).
    Pieces with no visible character (blank lines) are merged into the
    preceding sentence (at the very start: into the first sentence), so the
    spans cover the whole text without gaps: their lengths sum to ``len(text)``.
    """
    codes = codepoints(text)
    n = codes.size
    if n == 0:
        return np.zeros((0, 2), dtype=np.int64)
    d = np.isin(codes, _DELIM_CODES)
    dc = d | np.isin(codes, _CLOSER_CODES)
    visible = ~(dc | np.isin(codes, _BLANK_CODES))
    edge = np.diff(np.concatenate([[0], dc.astype(np.int8), [0]]))
    run_start, run_end = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1)
    d_cum = np.concatenate([[0], np.cumsum(d)])
    ends = run_end[d_cum[run_end] - d_cum[run_start] > 0]
    if ends.size == 0 or ends[-1] < n:
        ends = np.append(ends, n)
    starts = np.concatenate([[0], ends[:-1]])
    v_cum = np.concatenate([[0], np.cumsum(visible)])
    keep = v_cum[ends] - v_cum[starts] > 0
    if not keep.any():
        return np.array([[0, n]], dtype=np.int64)
    starts = starts[keep]
    starts[0] = 0
    ends = np.append(starts[1:], n)
    return np.column_stack([starts, ends]).astype(np.int64)
