"""Worker processes and progress bars (layer 1, beside the configuration).

* :func:`process_pool` starts a pool of worker processes: forked while this
  process runs a single thread (they share the loaded dictionaries at no
  cost), spawned otherwise (in a Jupyter kernel, on macOS and Windows).
* :func:`min_parallel_chars`: below this much text a pool is not worth starting.
* :func:`progress_bar`: tqdm on stderr, shown only on a terminal unless
  ``$ANALYSIS_PROGRESS`` or the caller says otherwise.
"""
from __future__ import annotations

import multiprocessing as mp
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

from .config import progress_setting, workers

__all__ = ["workers", "progress_bar", "single_threaded", "min_parallel_chars", "process_pool",
           "PARALLEL_MIN_CHARS", "PARALLEL_MIN_CHARS_SPAWN"]

#: below this many characters to clean or segment, one process does it all (workers forked
#: from this process start at once)
PARALLEL_MIN_CHARS = 100_000
#: the same where workers must be spawned (in a Jupyter kernel, on macOS and Windows): each
#: imports the package and loads the dictionaries itself, a few seconds of start-up
PARALLEL_MIN_CHARS_SPAWN = 1_500_000


def progress_bar(iterable=None, *, total=None, desc: str = "", unit: str = "it", progress: bool | None = None):
    """A tqdm progress bar on stderr, shown only on a terminal unless told otherwise.

    ``progress=False`` or ``$ANALYSIS_PROGRESS=0`` hides it; ``progress=True``
    or ``$ANALYSIS_PROGRESS=1`` shows it even off a terminal. The default
    (tqdm's ``disable=None``) hides it when stderr is not a terminal, so it
    never lands in notebook outputs, CI logs or tests.
    """
    from tqdm import tqdm

    if progress is None:
        progress = progress_setting()
    disable = None if progress is None else not progress
    return tqdm(iterable, total=total, desc=desc, unit=unit, disable=disable, leave=False, dynamic_ncols=True,
                unit_scale=unit == "char", file=sys.stderr)


def single_threaded() -> bool:
    """True when only the main thread runs (tqdm's idle monitor thread aside)."""
    return all(t is threading.main_thread() or t.name == "tqdm_monitor" for t in threading.enumerate())


def _can_fork() -> bool:
    return "fork" in mp.get_all_start_methods() and single_threaded()


def min_parallel_chars() -> int:
    """Characters of work below which a pool is not worth starting (see :data:`PARALLEL_MIN_CHARS`)."""
    return PARALLEL_MIN_CHARS if _can_fork() else max(PARALLEL_MIN_CHARS, PARALLEL_MIN_CHARS_SPAWN)


def process_pool(n: int, initializer=None, initargs=()) -> ProcessPoolExecutor:
    """A pool of ``n`` worker processes, forked when that is safe, else spawned."""
    # fork shares the loaded dictionaries with the workers at no cost; it is only
    # safe while this process runs a single thread (not in a Jupyter kernel)
    method = "fork" if _can_fork() else "spawn"
    return ProcessPoolExecutor(max_workers=n, mp_context=mp.get_context(method), initializer=initializer,
                               initargs=initargs)
