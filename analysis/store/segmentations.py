"""Segmentations through the caches: memory, then disk, else the segmenter (on all cores for many texts).

* :func:`segmented` — one text.
* :func:`iter_segmented` — many texts, in order; those not cached are
  segmented by a pool of worker processes when there is enough text to be
  worth it (long texts are cut at line breaks, which never changes a
  segmentation: jieba never joins tokens across a line break).

A segmentation is stored once per ``(text, lexicon fingerprint, segmenter
backend and version)`` (:func:`segmentation_key`); texts shorter than
:data:`DISK_MIN_CHARS` are only memoised in memory.
"""
from __future__ import annotations

from collections import deque
from typing import Iterable, Iterator

import numpy as np

from ..config import cache_enabled, memory_budget, workers
from ..lexicon import file_stamp, lexicon_fingerprint, resolved_lexicon
from ..pool import min_parallel_chars, process_pool, progress_bar, single_threaded
from ..segmentation import Segmented, backend_name, backend_version, concat, get_segmenter
from .entries import read_segmentation, write_segmentation
from .files import check_writable, entry_path, key
from .memory import MemoryCache

__all__ = ["segmented", "iter_segmented", "segment_many", "segmentation_key", "split_text", "memory_memo",
           "DISK_MIN_CHARS", "PIECE_CHARS", "WINDOW_CHARS"]

#: texts shorter than this are only memoised in memory (they are fast to segment)
DISK_MIN_CHARS = 500
#: long texts are cut into pieces of about this many characters for the workers
PIECE_CHARS = 100_000

_MEMORY: MemoryCache | None = None


def memory_memo() -> MemoryCache:
    """The in-memory memo of segmentations, bounded by ``$ANALYSIS_MEMORY_MB`` (built on first use)."""
    global _MEMORY
    if _MEMORY is None:
        _MEMORY = MemoryCache(memory_budget(), sizeof=lambda v: v[1].nbytes() + 2 * len(v[0]))
    return _MEMORY


def segmentation_key(text: str, lexicon=None, backend: str | None = None) -> str:
    """The cache key of the segmentation of ``text``: segmenter and its version, lexicon fingerprint, text."""
    return _key(text, resolved_lexicon(lexicon), backend_name(backend))


def _key(text: str, lex: str, name: str) -> str:
    return key("segments", backend_version(name), lexicon_fingerprint(lex), text)


def _lookup(text: str, lex: str, name: str, cache: bool = True):
    """(cached Segmented or None, disk key or None) for ``text``."""
    mkey = (name, lex, file_stamp(lex), text)
    hit = memory_memo().get(mkey)
    if hit is not None:
        return hit[1], None
    if cache and len(text) >= DISK_MIN_CHARS and cache_enabled():
        k = _key(text, lex, name)
        found = read_segmentation(k, len(text))
        if found is not None:
            memory_memo().put(mkey, (text, found))
        return found, k
    return None, None


def _remember(text: str, lex: str, name: str, k: str | None, result: Segmented) -> None:
    if k is not None:
        write_segmentation(k, result, len(text))
    memory_memo().put((name, lex, file_stamp(lex), text), (text, result))


def segmented(text: str, lexicon=None, backend: str | None = None, *,
              cache: bool = True) -> Segmented:
    """Segmentation of ``text`` in compact form (:class:`analysis.segmentation.Segmented`).

    Looked up in memory, then in the on-disk cache, else computed with the
    segmenter ``backend`` (``"jieba"`` or ``"rjieba"``; default
    ``$ANALYSIS_SEGMENTER``, else the fastest installed; both give the same
    result) and stored in both. ``cache=False`` skips the disk.
    """
    name = backend_name(backend)
    lex = resolved_lexicon(lexicon)
    found, k = _lookup(text, lex, name, cache)
    if found is not None:
        return found
    result = get_segmenter(name, lex).segment(text)
    _remember(text, lex, name, k, result)
    return result


def split_text(text: str, size: int = PIECE_CHARS) -> list[str]:
    """Cut ``text`` after line breaks into pieces of about ``size`` characters (joined, they give ``text``)."""
    if len(text) <= size:
        return [text]
    pieces, start = [], 0
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end < 0 else end + 1
        pieces.append(text[start:end])
        start = end
    return pieces


# -- worker side (module-level functions: picklable for any start method)


def _init_worker(name: str, lex: str) -> None:
    get_segmenter(name, lex)


def _segment_piece(args: tuple) -> tuple[tuple[str, ...], tuple[str, ...], bytes]:
    """Segment one piece of text; a whole document is also written to the disk cache here."""
    name, lex, text, k = args
    seg = get_segmenter(name, lex).segment(text)
    if k is not None:
        write_segmentation(k, seg, len(text))
    return seg.tokens, seg.pos, seg.seq.tobytes()


#: characters of text segmenting in the workers (or waiting for them) at any time: texts are read from the
#: iterable no further ahead than this, so memory holds a window of the corpus, never all of it
WINDOW_CHARS = 4_000_000


def iter_segmented(
    texts: Iterable[str],
    *,
    lexicon=None,
    backend: str | None = None,
    n_workers: int | None = None,
    progress: bool | None = None,
    cache: bool = True,
) -> Iterator[Segmented]:
    """Segmentation of each text (:class:`~analysis.segmentation.Segmented`), in order.

    The texts are read from ``texts`` as they are needed (it may be a generator reading them from disk): at most
    :data:`WINDOW_CHARS` characters ahead of the segmentation last yielded are held, so a corpus larger than
    memory streams through.

    Parameters
    ----------
    texts : iterable of str
    lexicon : path, optional
        Another lexicon file.
    backend : {"jieba", "rjieba"}, optional
        The segmenter (default ``$ANALYSIS_SEGMENTER``, else the fastest).
    n_workers : int, optional
        Worker processes for what is not cached (default
        :func:`analysis.config.workers`). Fewer than
        :func:`analysis.pool.min_parallel_chars` characters to segment are
        done in this process.
    progress : bool, optional
        Progress bar (see :func:`analysis.pool.progress_bar`); its total is known when ``texts`` has a length.
    cache : bool
        Use the on-disk cache (read and write).
    """
    name = backend_name(backend)
    lex = resolved_lexicon(lexicon)
    total = sum(map(len, texts)) if isinstance(texts, (list, tuple)) else None
    source = iter(texts)
    bar = progress_bar(total=total, desc="segmenting", unit="char", progress=progress)
    # look ahead: a pool is started only for enough text to segment (never for a few texts the caches miss)
    try:
        more = True
        while more:
            ahead: list[tuple[str, Segmented | None, str | None]] = []
            n_todo = n_ahead = 0
            more = False
            for text in source:
                hit, k = _lookup(text, lex, name, cache)
                if hit is not None and not ahead:
                    bar.update(len(text))
                    yield hit  # nothing waits before it
                    continue
                ahead.append((text, hit, k))
                n_ahead += len(text)
                n_todo += 0 if hit is not None else len(text)
                if n_todo >= WINDOW_CHARS or n_ahead >= 2 * WINDOW_CHARS:
                    more = True
                    break
            n = min(workers(n_workers), max(1, n_todo // PIECE_CHARS))
            if n > 1 and n_todo >= min_parallel_chars():
                break
            for text, hit, k in ahead:  # little to segment: here, then look ahead again
                if hit is None:
                    hit = get_segmenter(name, lex).segment(text)
                    _remember(text, lex, name, k, hit)
                bar.update(len(text))
                yield hit
            ahead = []
        if not ahead:
            return
        if cache and cache_enabled():
            check_writable()  # the workers write the cache: a warning here if they cannot
        if single_threaded():
            get_segmenter(name, lex)  # load once here; forked workers share it
        with process_pool(n, _init_worker, (name, lex), needs=lex) as pool:
            window: deque = deque()  # (text, cached Segmented or None, key, futures), in order
            busy = held = 0  # characters in the window being segmented, and in all

            def put(text, hit, k):
                nonlocal busy, held
                futures = None
                held += len(text)
                if hit is None:
                    pieces = split_text(text, PIECE_CHARS)
                    futures = [pool.submit(_segment_piece, (name, lex, p, k if len(pieces) == 1 else None))
                               for p in pieces]
                    busy += len(text)
                window.append((text, hit, k, futures))

            for item in ahead:
                put(*item)
            ahead = []
            while window:
                while busy < WINDOW_CHARS and held < 2 * WINDOW_CHARS:
                    text = next(source, None)
                    if text is None:
                        break
                    put(text, *_lookup(text, lex, name, cache))
                text, hit, k, futures = window.popleft()
                held -= len(text)
                if hit is None:
                    parts = []
                    for fut in futures:
                        toks, pos, seq = fut.result()
                        parts.append(Segmented(toks, pos, np.frombuffer(seq, dtype=np.uint32)))
                    hit = concat(parts)
                    busy -= len(text)
                    # a document in one piece was written to the disk cache by its worker, unless the worker
                    # has a cache of its own (a Dask worker on another machine, or with its own ANALYSIS_CACHE)
                    written = len(parts) == 1 and k is not None and entry_path("segments", k).is_file()
                    _remember(text, lex, name, None if written else k, hit)
                bar.update(len(text))
                yield hit
    finally:
        bar.close()


def segment_many(texts: Iterable[str], **kwargs) -> list[Segmented]:
    """:func:`iter_segmented` as a list."""
    return list(iter_segmented(texts, **kwargs))
