"""The heavy steps on a real Dask cluster (issue 18, item 3): a local scheduler and two worker processes on
loopback only, stopped at the end. The results must be the local path's, and a worker that would compute
something else is refused."""
from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis import pool
from analysis.cluster import DaskPool
from analysis.errors import AnalysisError
from conftest import SEEDS

distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as c:
        yield c


@pytest.fixture
def parallel(monkeypatch):
    """Every corpus is worth a pool: the seeds go to the workers (locally, or on the cluster)."""
    monkeypatch.setattr(pool, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(pool, "PARALLEL_MIN_CHARS_SPAWN", 0)
    monkeypatch.setenv("ANALYSIS_CACHE", "off")


def _results(corp, by):
    """What the analyses see: clean texts, audits, every token with its tag, a keyness table."""
    texts = {d.id: d.text for d in corp}
    tokens = analysis.token_table(corp)
    kw = analysis.keyness(corp, by, doc_test=False)
    return texts, corp.audit(), tokens, kw


def _compare_paths(folder, by, cluster, monkeypatch):
    from distributed import Client, get_task_stream

    monkeypatch.delenv("ANALYSIS_SCHEDULER", raising=False)
    local = _results(analysis.load_corpus(folder, n_workers=2), by)
    monkeypatch.setenv("ANALYSIS_SCHEDULER", cluster.scheduler_address)
    with Client(cluster) as watcher, get_task_stream(watcher) as stream:
        remote = _results(analysis.load_corpus(folder, n_workers=2), by)
    names = {t["key"].split("-")[0] if isinstance(t["key"], str) else str(t["key"]) for t in stream.data}
    assert any("run_task" in n for n in names), names  # the documents were cleaned and segmented there
    assert local[0] == remote[0]
    for a, b in zip(local[1:], remote[1:]):
        pd.testing.assert_frame_equal(a, b)


@pytest.mark.slow
def test_the_cluster_gives_the_local_results(cluster, parallel, monkeypatch):
    _compare_paths(SEEDS, "region", cluster, monkeypatch)


@pytest.mark.slow
def test_the_cluster_gives_the_local_results_on_city_reports(cluster, parallel, city_sample, monkeypatch):
    _compare_paths(city_sample, "half", cluster, monkeypatch)


@pytest.mark.slow
def test_a_worker_with_other_data_files_is_refused(cluster, monkeypatch):
    from analysis import cluster as module

    monkeypatch.setattr(module, "_data_hash", lambda: "not the workers'")  # this process's rules differ
    with pytest.raises(AnalysisError, match="other data files .* Fix: install the same version"):
        with DaskPool(cluster.scheduler_address):
            pass


@pytest.mark.slow
def test_a_worker_that_cannot_see_the_corpus_is_refused(cluster, tmp_path):
    missing = str(tmp_path / "not-there")
    with pytest.raises(AnalysisError, match=f"cannot see {missing}"):
        with DaskPool(cluster.scheduler_address, needs=(missing,)):
            pass


def test_an_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(AnalysisError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9.*Fix"):
        with DaskPool("tcp://127.0.0.1:9", timeout="2s"):
            pass


@pytest.mark.slow
def test_the_client_keeps_what_the_workers_computed(cluster, monkeypatch, tmp_path):
    from analysis.store import DISK_MIN_CHARS, segmentations

    monkeypatch.setattr(pool, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(pool, "PARALLEL_MIN_CHARS_SPAWN", 0)
    monkeypatch.setattr(segmentations, "PIECE_CHARS", 5000)  # a pool for the seeds; short ones in one piece
    monkeypatch.setenv("ANALYSIS_CACHE", str(tmp_path / "client"))  # not the workers' cache folder
    monkeypatch.setenv("ANALYSIS_SCHEDULER", cluster.scheduler_address)
    segmentations.memory_memo().clear()  # nothing segmented earlier in this process
    corp = analysis.load_corpus(SEEDS, n_workers=2)
    documents = list((tmp_path / "client" / "documents").rglob("*.doc"))
    segments = list((tmp_path / "client" / "segments").rglob("*.seg"))
    assert len(documents) == len(corp)
    assert len(segments) == sum(1 for d in corp if d.n_chars >= DISK_MIN_CHARS) > 0
