"""The heavy steps on a Dask cluster (layer 1, beside the worker pool).

With ``$ANALYSIS_SCHEDULER`` (or ``--scheduler ADDRESS``) set to a ``dask.distributed`` scheduler's address
(``tcp://10.0.0.5:8786``), :func:`analysis.pool.process_pool` hands out a :class:`DaskPool` instead of local
worker processes: cleaning and segmenting documents, the steps that take the time, run as tasks on the
cluster's workers, and their results come back to this process. Counting (:func:`analysis.vectors.dfm`, and so
keyness and TF-IDF) goes to the cluster as a whole: the documents in partitions, each segmented and counted by a
worker, the partitions' sparse counts reduced on the cluster into one matrix, and only that matrix comes back
(:func:`analysis.vectors.count_partition`, :func:`analysis.vectors.merge_counts`). The same functions run on the
same inputs, so the results are the local path's, byte for byte.

Before the first task, every worker is asked for its :func:`worker_fingerprint`: the package's version, hashes of
its code and of its data files (lexicon, stoplists, cleaning rules, instruments). A worker that differs is
refused with an error that names it and what differs, so no result ever mixes two versions of the rules.

What the workers need: the package installed (the same version), nothing else. The documents travel with the
tasks (their bytes, read here), and so do the files the tasks read, such as a corpus's own ``lexicon.tsv``: this
process sends each file once to every worker (``needs``), where it is written to a private folder and read in
place of the path it has here (:func:`local_copy`). Each worker keeps its own cache.
"""
from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .config import DATA_DIR, PACKAGE_DIR, package_version, scheduler_setting
from .errors import AnalysisError

__all__ = ["DaskPool", "worker_fingerprint", "run_task", "scheduler_address", "local_copy", "SentFile"]


def scheduler_address(address: str | None = None) -> str | None:
    """The Dask scheduler to run on: ``address``, else ``$ANALYSIS_SCHEDULER``, else None (local processes)."""
    return address or scheduler_setting()


def _tree_hash(folder: Path, pattern: str) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _data_hash() -> str:
    return _tree_hash(DATA_DIR, "*")


def _code_hash() -> str:
    return _tree_hash(PACKAGE_DIR, "*.py")


def worker_fingerprint() -> dict:
    """What a process would compute with: the package's version, hashes of its code and data files (run on
    every worker, compared with this process's)."""
    return {"version": package_version("analysis"), "code": _code_hash(), "data": _data_hash(),
            "host": socket.gethostname()}


@dataclass(frozen=True)
class SentFile:
    """A file a task reads, sent from the client: its path there, a digest of its bytes, the bytes."""
    path: str
    digest: str
    data: bytes


#: in a worker process: the client's path of each file received -> its local copy
_STAGED: dict[str, Path] = {}
_STAGE_DIR: list[Path] = []


def local_copy(path: str | os.PathLike) -> Path:
    """The file at ``path`` as this process reads it: on a Dask worker, the copy the client sent with its tasks
    (:class:`DaskPool`'s ``needs``); otherwise, and for a file not sent, ``path`` itself."""
    return _STAGED.get(str(path), Path(path))


def _stage(files) -> None:
    """Write each :class:`SentFile` to this process's private folder (once per content) and read it there."""
    for f in files:
        if f.path in _STAGED and _STAGED[f.path].parent.name == f.digest:
            continue
        if not _STAGE_DIR:
            _STAGE_DIR.append(Path(tempfile.mkdtemp(prefix="analysis-sent-")))
            atexit.register(shutil.rmtree, _STAGE_DIR[0], True)
        target = _STAGE_DIR[0] / f.digest / Path(f.path).name
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            partial.write_bytes(f.data)
            os.replace(partial, target)
        _STAGED[f.path] = target


_INITIALISED: set = set()


def run_task(initializer, initargs: tuple, files, fn, *args):
    """A task on a worker: the files the client sent put in place (:func:`local_copy`), the pool's initializer
    once per worker process (as a local pool's workers run it), then ``fn(*args)``."""
    _stage(files)
    if initializer is not None:
        key = (getattr(initializer, "__module__", ""), getattr(initializer, "__qualname__", ""), repr(initargs))
        if key not in _INITIALISED:
            initializer(*initargs)
            _INITIALISED.add(key)
    return fn(*args)


class DaskPool:
    """An executor on a ``dask.distributed`` cluster with the interface the suite uses of a process pool:
    a context manager whose ``submit(fn, *args)`` returns a future with ``result()``.

    Entering it connects to the scheduler, checks every worker (:func:`worker_fingerprint`) and sends every
    worker the files in ``needs`` (read by the tasks, :func:`local_copy`); leaving it closes the connection (the
    cluster keeps running).
    """

    def __init__(self, address: str, initializer=None, initargs: tuple = (), needs: tuple[str, ...] = (),
                 timeout: str = "20s"):
        self.address = address
        self.timeout = timeout
        self.initializer = initializer
        self.initargs = tuple(initargs)
        self.needs = tuple(str(p) for p in needs)
        self.files: list = []
        self.client = None

    def __enter__(self) -> "DaskPool":
        try:
            from distributed import Client
        except ImportError:
            raise AnalysisError(f"ANALYSIS_SCHEDULER is set ({self.address}) but dask.distributed is not installed. "
                                "Fix: pip install 'dask[distributed]', or unset ANALYSIS_SCHEDULER") from None
        try:
            self.client = Client(self.address, timeout=self.timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise AnalysisError(f"cannot reach the Dask scheduler at {self.address} ({exc}). Fix: start it "
                                "(`dask scheduler`, then `dask worker ADDRESS` on each machine), or unset "
                                "ANALYSIS_SCHEDULER to run on this machine") from None
        try:
            self._check_workers()
            self._send_files()
        except BaseException:
            self.client.close()
            raise
        return self

    def _send_files(self) -> None:
        sent = []
        for path in self.needs:
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                raise AnalysisError(f"{path}: cannot be read to send it to the Dask workers ({exc.strerror}). "
                                    "Fix: check that the file exists and can be read") from None
            sent.append(SentFile(path, hashlib.sha256(data).hexdigest()[:16], data))
        self.files = self.client.scatter(sent, broadcast=True) if sent else []

    def _check_workers(self) -> None:
        theirs = self.client.run(worker_fingerprint)
        if not theirs:
            raise AnalysisError(f"the Dask scheduler at {self.address} has no workers. Fix: start some "
                                f"(`dask worker {self.address}`)")
        mine = worker_fingerprint()
        problems = []
        for worker, fp in sorted(theirs.items()):
            if fp["version"] != mine["version"]:
                problems.append(f"{worker} ({fp['host']}) runs analysis {fp['version']}, this process "
                                f"{mine['version']}")
            elif fp["code"] != mine["code"]:
                problems.append(f"{worker} ({fp['host']}) runs other code of analysis {fp['version']} than this "
                                "process (a changed or differently installed copy)")
            elif fp["data"] != mine["data"]:
                problems.append(f"{worker} ({fp['host']}) has other data files (lexicon, stoplists, rules or "
                                "instruments) than this process")
        if problems:
            raise AnalysisError("the Dask workers cannot compute what this process would: " + "; ".join(problems)
                                + ". Fix: install the same version of the package, with the same data files, on "
                                "every worker")

    def submit(self, fn, *args):
        return self.client.submit(run_task, self.initializer, self.initargs, self.files, fn, *args, pure=False)

    def map_runs(self, fn, texts: Iterable[str], chars: int, *args) -> list:
        """``fn(run, *args)`` as a task for each run of consecutive ``texts`` of about ``chars`` characters (one
        run at least, empty when there are no texts): the futures, in the order of the texts.

        The texts are read here one run at a time, and at most two runs per worker wait on the cluster, so a
        corpus larger than memory goes through."""
        in_flight = 2 * max(1, len(self.client.scheduler_info().get("workers", {})))
        futures, run, n = [], [], 0

        def send():
            futures.append(self.submit(fn, run, *args))
            while sum(not f.done() for f in futures) > in_flight:  # the texts of the waiting ones are held here
                time.sleep(0.01)

        for text in texts:
            run.append(text)
            n += len(text)
            if n >= chars:
                send()
                run, n = [], 0
        if run or not futures:
            send()
        return futures

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

