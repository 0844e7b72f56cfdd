"""The bootstrap behind the intervals: one random stream per group, resampled column sums.

Each group gets its own stream derived from the seed and the group's name
(:func:`group_rng`), so a group's interval does not change when other groups
are added or removed; :func:`bootstrap_sums` draws the replicates.
"""
from __future__ import annotations

import zlib

import numpy as np

from ...config import SEED

__all__ = ["DEFAULT_SEED", "group_rng", "bootstrap_sums", "check_boot"]

#: The suite's seed (:data:`analysis.config.SEED`), used when no ``seed`` is given.
DEFAULT_SEED = SEED


def group_rng(seed: int, group: str) -> np.random.Generator:
    """The random stream of ``group``: numpy ``default_rng`` seeded by ``seed`` and the CRC-32 of the name."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(str(group).encode("utf-8")),)))


def bootstrap_sums(X: np.ndarray, n_boot: int, rng: np.random.Generator, max_cells: int = 4_000_000) -> np.ndarray:
    """Column sums of ``X`` (units × columns) over ``n_boot`` resamples of its rows.

    Each replicate draws ``n`` row indices with replacement; the draws become
    a count matrix W (replicates × units, by ``bincount``) and the sums are
    ``W @ X``. Work is done in chunks of at most ``max_cells`` draws.
    """
    n = X.shape[0]
    out = np.empty((n_boot, X.shape[1]))
    chunk = max(1, min(n_boot, max_cells // max(1, n)))
    for b0 in range(0, n_boot, chunk):
        b = min(chunk, n_boot - b0)
        idx = rng.integers(0, n, size=(b, n))
        idx += (np.arange(b) * n)[:, None]
        W = np.bincount(idx.ravel(), minlength=b * n).reshape(b, n).astype(np.float64)
        out[b0:b0 + b] = W @ X
    return out


def check_boot(n_boot: int, level: float) -> None:
    """Raise ValueError unless ``n_boot`` is a non-negative integer and ``level`` lies in (0, 1)."""
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ValueError(f"n_boot must be a non-negative integer (got {n_boot!r}); 0 skips the intervals")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (got {level!r})")
