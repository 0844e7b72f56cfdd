"""The heavy steps on a real Dask cluster (issue 18, item 3): a local scheduler and two worker processes on
loopback only, stopped at the end. The results must be the local path's, and a worker that would compute
something else is refused."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis import pool
from analysis.cluster import DaskPool
from analysis.errors import AnalysisError
from analysis.store import segment_many
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
def test_files_the_tasks_read_are_sent_to_the_workers(cluster, tmp_path):
    """A corpus's own lexicon goes to every worker with the tasks: a worker that cannot see the path reads the
    copy it was sent (here the file is gone from the path once sent)."""
    from analysis.cluster import local_copy

    f = tmp_path / "lexicon.tsv"
    f.write_text("term\tfreq\tpos\tgloss\n新质生产力\t\tn\tnew productive forces\n", encoding="utf-8")
    sent = f.read_text(encoding="utf-8")
    with DaskPool(cluster.scheduler_address, needs=(str(f),)) as pool:
        f.unlink()
        where, text = pool.submit(lambda p: (str(local_copy(p)), local_copy(p).read_text(encoding="utf-8")),
                                  str(f)).result()
    assert text == sent and where != str(f) and where.endswith("lexicon.tsv")
    assert local_copy(str(f)) == f  # this process reads its own paths


def test_a_file_to_send_that_cannot_be_read_is_a_clear_error(cluster, tmp_path):
    missing = tmp_path / "lexicon.tsv"
    with pytest.raises(AnalysisError, match=f"{missing}: cannot be read to send it to the Dask workers.*Fix"):
        with DaskPool(cluster.scheduler_address, needs=(str(missing),)):
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
    corp = analysis.load_corpus(SEEDS, n_workers=2)  # cleaned there; segmented there when asked for:
    segment_many(list(corp.texts()), n_workers=2)
    documents = list((tmp_path / "client" / "documents").rglob("*.doc"))
    segments = list((tmp_path / "client" / "segments").rglob("*.seg"))
    assert len(documents) == len(corp)
    assert len(segments) == sum(1 for d in corp if d.n_chars >= DISK_MIN_CHARS) > 0


@pytest.mark.slow
def test_counts_made_on_the_cluster_are_the_local_counts(cluster, monkeypatch, tmp_path):
    """Partitions segmented and counted on the workers, reduced there into one matrix: identical to counting
    here, matrix, terms and types (several partitions, and one)."""
    from distributed import Client, get_task_stream

    from analysis import vectors

    monkeypatch.setenv("ANALYSIS_CACHE", str(tmp_path / "client"))
    corp = analysis.load_corpus(SEEDS)
    options = vectors.corpus_options(corp, {})
    local = vectors._count(segment_many(list(corp.texts())), options)
    monkeypatch.setenv("ANALYSIS_SCHEDULER", cluster.scheduler_address)
    for size in (3000, 10**9):
        monkeypatch.setattr(vectors, "PARTITION_CHARS", size)
        with Client(cluster, set_as_default=False) as watcher, get_task_stream(watcher) as stream:
            m, terms = vectors._counts_on_cluster(corp.texts(), options)  # with no default client
        names = " ".join(str(t["key"]) for t in stream.data)
        assert "run_task" in names
        assert terms == local[1]
        assert (m.indptr.dtype, m.indices.dtype, m.data.dtype) == (local[0].indptr.dtype, local[0].indices.dtype,
                                                                  local[0].data.dtype)
        for part in ("indptr", "indices", "data"):
            assert np.array_equal(getattr(m, part), getattr(local[0], part)), (size, part)
    d = analysis.dfm(corp, by="region")  # the command-line path: dfm on the cluster, grouped here
    monkeypatch.delenv("ANALYSIS_SCHEDULER")
    monkeypatch.setenv("ANALYSIS_CACHE", "off")
    here = analysis.dfm(corp, by="region")
    assert d.terms == here.terms and d.rows == here.rows and (d.matrix != here.matrix).nnz == 0


def test_merged_partitions_equal_one_count(tmp_path):
    from analysis import vectors

    corp = analysis.load_corpus(SEEDS)
    options = vectors.corpus_options(corp, {})
    segs = segment_many(list(corp.texts()))
    whole = vectors._count(segs, options)
    parts = [vectors._count(segs[:2], options), vectors._count(segs[2:3], options), vectors._count(segs[3:], options)]
    m, terms = vectors.merge_counts(parts)
    assert terms == whole[1] and (m != whole[0]).nnz == 0 and m.dtype == whole[0].dtype
    assert np.array_equal(m.indices, whole[0].indices) and np.array_equal(m.indptr, whole[0].indptr)


@pytest.mark.slow
def test_slogans_and_emphasis_on_the_cluster_are_the_local_results(cluster, monkeypatch, tmp_path):
    """The per-document parts of the slogan miner (generators, counting) and of emphasis (matching) run as tasks
    on the workers, with the settings and the instrument travelling with them: the same tables."""
    from distributed import Client, get_task_stream

    from analysis.methods.emphasis import matching
    from analysis.methods.slogans import miner, ngrams

    monkeypatch.setenv("ANALYSIS_CACHE", str(tmp_path / "client"))
    corp = analysis.load_corpus(SEEDS)
    slogans = analysis.find_slogans(corp)
    occ = analysis.slogan_occurrences(corp, slogans, top=50)
    matching._CORPUS_MATCHES.clear()
    emph = analysis.emphasis(corp)
    monkeypatch.setenv("ANALYSIS_SCHEDULER", cluster.scheduler_address)
    monkeypatch.setattr(miner, "CLUSTER_CHARS", 4000)  # several tasks each
    monkeypatch.setattr(ngrams, "INDEX_CHARS", 4000)
    monkeypatch.setattr(matching, "CLUSTER_CHUNK_CHARS", 4000)
    matching._CORPUS_MATCHES.clear()
    with Client(cluster, set_as_default=False) as watcher, get_task_stream(watcher) as stream:
        remote_slogans = analysis.find_slogans(corp)
        remote_occ = analysis.slogan_occurrences(corp, remote_slogans, top=50)
        remote_emph = analysis.emphasis(corp)
    tasks = [t for t in stream.data if "run_task" in str(t["key"])]
    assert len(tasks) >= 3 * 3  # generators, counting, occurrences and matching, in runs of about 4,000 characters
    pd.testing.assert_frame_equal(remote_slogans, slogans)
    pd.testing.assert_frame_equal(remote_occ, occ)
    pd.testing.assert_frame_equal(remote_emph, emph)


def test_a_batch_for_the_cluster_carries_the_files_bytes(tmp_path):
    """What goes to a Dask worker: the bytes of the files read here; a file this process cannot read stays here,
    to be loaded (and its error reported) as on this machine."""
    from analysis.corpus import loading

    (tmp_path / "a.txt").write_bytes("第一份文件。".encode("utf-8"))
    (tmp_path / "b.txt").mkdir()  # cannot be read as a file
    (tmp_path / "c.txt").write_bytes("第三份".encode("gb18030"))
    rows = [{"file": "a.txt"}, {"file": "b.txt"}, {"file": "c.txt"}]
    sent, data, here = loading._sent(tmp_path, rows, [0, 1, 2])
    assert sent == [0, 2] and here == [1]
    assert data == ["第一份文件。".encode("utf-8"), "第三份".encode("gb18030")]
