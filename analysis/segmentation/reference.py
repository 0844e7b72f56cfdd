"""The reference segmenter: ``jieba.posseg`` with the project lexicon, HMM on."""
from __future__ import annotations

from functools import lru_cache

from ..lexicon import jieba_pos_tokenizer
from .segmented import Segmented

__all__ = ["JiebaSegmenter", "reference_segmenter"]


class JiebaSegmenter:
    """The reference: ``jieba.posseg`` with the project lexicon, HMM on."""

    name = "jieba"

    def __init__(self, lexicon: tuple[str, ...] | str, stamp: tuple | None = None):
        self.lexicon = lexicon
        self.stamp = stamp
        _, self._pos = jieba_pos_tokenizer(lexicon, stamp)

    def cut(self, text: str) -> list[tuple[str, str]]:
        """``(token, pos)`` pairs of ``text``."""
        return [(p.word, p.flag) for p in self._pos.cut(text)]

    def segment(self, text: str) -> Segmented:
        """The segmentation of ``text`` in compact form (:class:`~analysis.segmentation.Segmented`)."""
        return Segmented.from_pairs(self.cut(text))


@lru_cache(maxsize=4)
def reference_segmenter(lexicon: tuple[str, ...] | str, stamp: tuple | None = None) -> JiebaSegmenter:
    """The reference segmenter for the lexicon at ``lexicon`` (resolved path), built once per process."""
    return JiebaSegmenter(lexicon, stamp)
