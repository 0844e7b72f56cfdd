"""The store (layer 6): cleaned documents, segmentations and counts, computed once and kept.

Segmenting is the slow step of the suite, and every notebook kernel would
redo it for the same texts; cleaning and counting a large corpus take
seconds too. Each result is stored once on disk under
:func:`analysis.config.cache_dir` (``$ANALYSIS_CACHE``, else the user's cache
folder), keyed by everything it depends on, through one key function
(:func:`analysis.store.files.key`). The files are safe to delete at any time;
a damaged file (wrong length, wrong checksum, inconsistent content) is
recomputed and replaced, never trusted and never a crash. Nothing is ever
unpickled: a file is a JSON header, integer arrays, UTF-8 text and a CRC-32
checksum. Writes go to a temporary file first and are renamed into place,
so a reader never sees half a file.

Set ``ANALYSIS_CACHE=off`` to switch the disk caches off (in-memory
memoising stays on). A cache folder that cannot be written is not an error:
results are computed and not kept, and a warning says so once.

* :mod:`.files` — framing, checksum, keys, atomic writes;
* :mod:`.entries` — the kinds of entries (segmentations, documents, counts, small tables);
* :mod:`.memory` — the bounded in-memory memo;
* :mod:`.segmentations` — segmentations through the caches, on all cores.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from ..config import cache_dir, cache_enabled
from .entries import (read_counts, read_document, read_segmentation, read_table, write_counts, write_document,
                      write_segmentation, write_table)
from .files import FORMATS, check_writable, entry_path, file_digest, key
from .memory import MemoryCache
from .segmentations import (DISK_MIN_CHARS, iter_segmented, memory_memo, segment_many, segmentation_key, segmented,
                            split_text)

__all__ = [
    "cache_info", "clear_cache", "cache_enabled", "segment_cache_dir", "key", "entry_path", "file_digest", "FORMATS",
    "read_segmentation", "write_segmentation", "read_counts", "write_counts", "read_document", "write_document",
    "read_table", "write_table",
    "MemoryCache", "memory_memo", "segmented", "iter_segmented", "segment_many", "segmentation_key", "split_text",
    "DISK_MIN_CHARS", "check_writable",
]


def segment_cache_dir() -> Path:
    """The folder of cached segmentations (``<cache_dir>/segments``)."""
    return cache_dir() / "segments"


def clear_cache() -> int:
    """Delete every cached file of the suite (segmentations, documents, counts, jieba's); return how many."""
    n = 0
    for sub in (*FORMATS, "jieba"):
        folder = cache_dir() / sub
        if folder.is_dir():
            n += sum(1 for p in folder.rglob("*") if p.is_file())
            shutil.rmtree(folder, ignore_errors=True)
    return n


def cache_info() -> dict:
    """Where the cache is, whether it is on, and how many files and bytes it holds."""
    out = {"path": str(cache_dir()), "enabled": cache_enabled()}
    for sub in FORMATS:
        folder = cache_dir() / sub
        files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
        out[f"{sub}_files"] = len(files)
        out[f"{sub}_bytes"] = sum(p.stat().st_size for p in files)
    return out
