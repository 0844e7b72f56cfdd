"""Choosing a segmenter: the reference (jieba) or the fast, identical one (rjieba), and its version."""
from __future__ import annotations

import importlib.util
from functools import lru_cache

from ..config import package_version, segmenter_setting
from ..lexicon import file_stamp, resolved_lexicon
from .fast import RjiebaSegmenter
from .reference import reference_segmenter

__all__ = ["BACKENDS", "ENV_VAR", "BACKEND_VERSION", "available_backends", "backend_name", "backend_version",
           "get_segmenter"]

BACKENDS = ("jieba", "rjieba")
ENV_VAR = "ANALYSIS_SEGMENTER"
#: bump when the output of a backend may change (part of every cache key of segmentations)
BACKEND_VERSION = "1"


def available_backends() -> list[str]:
    """Backends that can run here (``jieba`` always; ``rjieba`` if installed)."""
    out = ["jieba"]
    if importlib.util.find_spec("rjieba") is not None:  # not imported: that loads a dictionary
        out.append("rjieba")
    return out


def backend_name(name: str | None = None) -> str:
    """Resolve a backend name: the argument, else ``$ANALYSIS_SEGMENTER``, else the fastest available.

    Raises
    ------
    ValueError
        For an unknown name, or ``rjieba`` when it is not installed.
    """
    chosen = (name or segmenter_setting() or "").lower()
    if not chosen:
        return available_backends()[-1]
    if chosen not in BACKENDS:
        raise ValueError(f"unknown segmenter {chosen!r}: use one of {', '.join(BACKENDS)} (argument or ${ENV_VAR})")
    if chosen not in available_backends():
        raise ValueError(f"the segmenter {chosen!r} is not installed: `pip install rjieba`, or use {ENV_VAR}=jieba")
    return chosen


@lru_cache(maxsize=None)
def backend_version(name: str) -> str:
    """Version string of a backend's output (part of every cache key), without loading it."""
    if name == "jieba":
        return f"jieba-{package_version('jieba')}-{BACKEND_VERSION}"
    return f"rjieba-{package_version('rjieba')}-jieba-{package_version('jieba')}-{BACKEND_VERSION}"


@lru_cache(maxsize=4)
def _segmenter(name: str, lexicon: tuple[str, ...], stamp: tuple | None = None):
    return reference_segmenter(lexicon, stamp) if name == "jieba" else RjiebaSegmenter(lexicon, stamp)


def get_segmenter(name: str | None = None, lexicon=None):
    """The segmenter ``name`` (see :func:`backend_name`) for ``lexicon``, loaded once per process."""
    lex = resolved_lexicon(lexicon)
    return _segmenter(backend_name(name), lex, file_stamp(lex))
