"""Long runs of one repeated character, cut into pieces of bounded length before segmenting.

The one place where the suite's segmentation departs from ``jieba.posseg``,
on purpose, and only for runs of more than :data:`MAX_RUN` of one and the
same character that jieba would put into one block (a Chinese character, an
ASCII letter or digit, ``+#&._``): rules drawn with 一一一…, OCR's 口口口… for
glyphs it could not read, a key held down. Both backends segment such a text
piece by piece: a cut is made after every :data:`MAX_RUN` characters of the
run (counted from its start), and each piece goes through the segmenter on
its own, so ``"甲" + "口" * 250 + "乙"`` is segmented as the three texts
``"甲" + "口" * 100``, ``"口" * 100`` and ``"口" * 50 + "乙"``. The characters
next to the run are segmented with it as before; only tokens inside the run
change (no token is longer than :data:`MAX_RUN` characters of the run).

Why: jieba's part-of-speech HMM (:mod:`.hmm`) re-segments a run of single
characters that are not dictionary words as one string, one step per
character, which nothing can share with other strings: a run of a million
口 took a minute in the fast backend (about fifty times longer per byte than
real text) and a gigabyte of memory, and ``jieba.posseg`` itself takes over a
millisecond per character. Cut into pieces, the run's middle pieces are
identical and segmented once; the cost per byte is that of real text.

Text without such a run is untouched: :func:`run_pieces` returns it whole and
the segmenters give exactly ``jieba.posseg``'s output (the longest run of one
character in the 143 city work reports is 5). The cut is part of the
segmenters' output, so changing :data:`MAX_RUN` means bumping
:data:`~analysis.segmentation.backends.BACKEND_VERSION`.
"""
from __future__ import annotations

import re

from ..text import JIEBA_HAN

__all__ = ["MAX_RUN", "JIEBA_BLOCK", "run_pieces"]

#: Characters of one run beyond which a cut is made (see the module docstring).
MAX_RUN = 100
#: The characters ``jieba.posseg`` puts into one block (its ``re_han_internal``), as a regex class body.
JIEBA_BLOCK = JIEBA_HAN + "a-zA-Z0-9+#&._"
# a run of more than MAX_RUN of one block character
_LONG_RUN = re.compile(f"([{JIEBA_BLOCK}])\\1{{{MAX_RUN},}}")


def run_pieces(text: str) -> list[str]:
    """``text`` cut after every :data:`MAX_RUN` characters of each longer run of one character.

    Joined, the pieces give ``text``; a text without such a run is returned as
    ``[text]``. Each piece holds no run longer than :data:`MAX_RUN`, so cutting
    a piece again changes nothing.
    """
    cuts: list[int] = []
    for m in _LONG_RUN.finditer(text):
        start, end = m.span()
        cuts.extend(range(start + MAX_RUN, end, MAX_RUN))
    if not cuts:
        return [text]
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]
