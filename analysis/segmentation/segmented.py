"""The compact form of a segmentation, passed from the segmenters to every later stage."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

__all__ = ["Segmented", "concat"]


@dataclass(frozen=True, eq=False)
class Segmented:
    """A segmentation in compact form.

    It costs about 4 bytes per token instead of a tuple per token, and lets
    counting filter each distinct token once instead of at every position.

    Attributes
    ----------
    tokens, pos : tuple of str
        The distinct ``(token, pos)`` pairs (*types*), in order of first occurrence.
    seq : numpy.ndarray of uint32
        For each token position, the index of its type.
    """

    tokens: tuple[str, ...]
    pos: tuple[str, ...]
    seq: np.ndarray

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> "Segmented":
        index: dict[tuple[str, str], int] = {}
        seq = [index.setdefault(p, len(index)) for p in pairs]
        return cls(tuple(t for t, _ in index), tuple(p for _, p in index), np.asarray(seq, dtype=np.uint32))

    @property
    def types(self) -> tuple[tuple[str, str], ...]:
        """The distinct ``(token, pos)`` pairs."""
        return tuple(zip(self.tokens, self.pos))

    def pairs(self) -> tuple[tuple[str, str], ...]:
        """Every ``(token, pos)`` pair in text order."""
        return tuple(map(self.types.__getitem__, self.seq.tolist()))

    def __len__(self) -> int:
        return len(self.seq)

    def nbytes(self) -> int:
        """Approximate memory held, for the in-memory cache's budget (a distinct token costs about 96 bytes)."""
        return int(self.seq.nbytes) + 96 * len(self.tokens)


def concat(parts: Sequence[Segmented]) -> Segmented:
    """The segmentation of texts joined end to end, from the segmentation of each."""
    if len(parts) == 1:
        return parts[0]
    index: dict[tuple[str, str], int] = {}
    seqs = []
    for p in parts:
        remap = np.fromiter((index.setdefault(t, len(index)) for t in zip(p.tokens, p.pos)), dtype=np.uint32,
                            count=len(p.tokens))
        seqs.append(remap[p.seq] if len(p.seq) else p.seq)
    return Segmented(tuple(t for t, _ in index), tuple(p for _, p in index), np.concatenate(seqs).astype(np.uint32))
