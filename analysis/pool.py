"""Worker processes and progress bars (layer 1, beside the configuration).

* :func:`process_pool` starts a pool of worker processes: forked while this
  process runs a single thread (they share the loaded dictionaries at no
  cost), spawned otherwise (in a Jupyter kernel, on macOS and Windows).
* :func:`min_parallel_chars`: below this much text a pool is not worth starting.
* With ``$ANALYSIS_SCHEDULER``, :func:`process_pool` gives a pool on a Dask cluster (:mod:`analysis.cluster`).
* :func:`progress_bar`: tqdm on stderr, shown only on a terminal unless
  ``$ANALYSIS_PROGRESS`` or the caller says otherwise.

Workers die with the process that started them (:func:`die_with_parent`, run
first in every worker, forked or spawned). A worker waits for tasks on a
queue whose writing end its siblings hold too, so it would never notice on
its own that the parent was killed (``kill -9``, a crashed kernel) and would
keep its memory forever. On Linux the kernel sends it ``SIGKILL`` when the
parent dies (``prctl(PR_SET_PDEATHSIG)``, set through :mod:`ctypes`); then it
checks that the parent did not die before that was set. Where ``prctl`` is
missing (macOS, Windows), a daemon thread in the worker checks once a second
whether its parent is still the one that started it, and ends it if not.
Linux sends the signal when the *thread* that started the worker ends: pools
are started and used within one call, so that is the process's end.
"""
from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from .cluster import DaskPool, scheduler_address
from .config import progress_setting, workers

__all__ = ["workers", "progress_bar", "single_threaded", "min_parallel_chars", "process_pool", "die_with_parent",
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


def process_pool(n: int, initializer=None, initargs=(), needs: tuple[str, ...] = ()) -> ProcessPoolExecutor | DaskPool:
    """A pool of ``n`` worker processes, forked when that is safe, else spawned; they die with this process.

    With ``$ANALYSIS_SCHEDULER`` set, a :class:`~analysis.cluster.DaskPool` on that Dask cluster instead, whose
    workers are checked first: same package and data files, and they can see ``needs`` (the paths the tasks
    read).
    """
    address = scheduler_address()
    if address:
        return DaskPool(address, initializer, initargs, needs)
    # fork shares the loaded dictionaries with the workers at no cost; it is only
    # safe while this process runs a single thread (not in a Jupyter kernel)
    method = "fork" if _can_fork() else "spawn"
    return ProcessPoolExecutor(max_workers=n, mp_context=mp.get_context(method), initializer=_start_worker,
                               initargs=(os.getpid(), initializer, initargs))


def _start_worker(parent: int, initializer, initargs) -> None:
    die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
#: seconds between two checks of the watchdog thread (where prctl is missing)
WATCHDOG_SECONDS = 1.0


def die_with_parent(parent: int) -> None:
    """End this worker process when the process ``parent`` (its parent) dies (see the module docstring)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the signal was asked for
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_watch_parent, args=(parent,), name="analysis-parent-watchdog", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCHDOG_SECONDS)
    os._exit(1)
