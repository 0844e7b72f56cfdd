"""Worker pools: workers die with the process that started them (issue 20, defect 9)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")

# A parent that starts workers and waits: with "pool", a pool of analysis.pool.process_pool whose workers
# have each run a task; with "load", load_corpus in the middle of loading (a slow document in each worker).
_PARENT = r"""
import os, sys, time
from pathlib import Path

def pid_after(seconds):
    time.sleep(seconds)
    return os.getpid()

if __name__ == "__main__":
    how, method, folder = sys.argv[1], sys.argv[2], sys.argv[3]
    from analysis import pool
    if method == "spawn":  # as in a Jupyter kernel
        pool.single_threaded = lambda: False
    pool.PARALLEL_MIN_CHARS = pool.PARALLEL_MIN_CHARS_SPAWN = 0
    if folder == "no-prctl":  # as on macOS: forked workers inherit this, and fall back to the watchdog thread
        def no_libc(*args, **kwargs):
            raise OSError("no prctl here")
        pool.ctypes.CDLL = no_libc
    if how == "pool":
        ex = pool.process_pool(2)
        pids = {f.result() for f in [ex.submit(pid_after, 1.0) for _ in range(2)]}
        print(" ".join(map(str, sorted(pids))), flush=True)
        time.sleep(300)
    else:
        import analysis
        from analysis.corpus import loading
        real = loading._load_rows
        def slow(args):  # forked workers inherit it: they are busy loading when the parent dies
            print(os.getpid(), flush=True)
            time.sleep(300)
            return real(args)
        loading._load_rows = slow
        analysis.load_corpus(folder, n_workers=2)
"""


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its new parent to reap it counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _kill_parent_and_wait(args: list[str], tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), ANALYSIS_CACHE=str(tmp_path / "cache"), ANALYSIS_PROGRESS="0")
    script = tmp_path / "parent.py"  # a file: spawned workers import the functions of __main__ from it
    script.write_text(_PARENT, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script), *args], stdout=subprocess.PIPE, text=True, env=env,
                              cwd=str(tmp_path))
    try:
        pids: set[int] = set()
        deadline = time.monotonic() + 120
        while len(pids) < 2 and time.monotonic() < deadline:
            line = parent.stdout.readline()
            if not line:
                break
            pids |= {int(x) for x in line.split()}
        assert len(pids) == 2, f"the workers did not start (parent exit code {parent.poll()})"
        # not vacuous: a worker is running when the parent is killed (under load one has been seen to end before
        # this check, cause not found; a worker that ended already cannot outlive its parent)
        assert any(_alive(p) for p in pids), f"no worker alive before the kill (parent exit code {parent.poll()})"
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        alive = [p for p in pids if _alive(p)]
        for p in alive:  # do not leave them behind
            os.kill(p, signal.SIGKILL)
        assert not alive, f"workers {alive} outlived their parent by 10 s"
    finally:
        if parent.poll() is None:
            parent.kill()


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_pool_workers_die_with_their_parent(method, tmp_path):
    _kill_parent_and_wait(["pool", method, ""], tmp_path)


def test_without_prctl_a_watchdog_thread_ends_the_workers(tmp_path):
    _kill_parent_and_wait(["pool", "fork", "no-prctl"], tmp_path)


def test_loading_workers_die_with_their_parent(tmp_path):
    from conftest import make_corpus

    folder = make_corpus(tmp_path / "c", {f"{k}.txt": f"第{k}次会议强调，坚持动态清零不动摇。\n" * 60 for k in range(4)})
    _kill_parent_and_wait(["load", "fork", str(folder)], tmp_path)
