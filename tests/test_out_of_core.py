"""Out of core (issue 18, item 2): a loaded corpus holds its metadata, not its texts; texts, segmentations and
counts stream through bounded windows and memos, with the same results as holding everything."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analysis
from analysis import pool, store
from analysis.cleaning import replay
from analysis.cleaning import shared_lines as rules
from analysis.corpus import documents, load_serial
from analysis.corpus import shared_lines as corpus_shared
from analysis.errors import CorpusError
from analysis.store import segmentations
from analysis.vectors import dfm

from conftest import SEEDS, make_corpus
from test_shared_lines import BODIES, NAMES
from test_shared_lines import _texts as shared_texts


@pytest.fixture(autouse=True)
def fresh_memos(monkeypatch, tmp_path):
    monkeypatch.setenv("ANALYSIS_CACHE", str(tmp_path / "cache"))
    store.memory_memo().clear()
    documents.text_memo().clear()
    yield
    store.memory_memo().clear()
    documents.text_memo().clear()


def _footer_corpus(folder, n=8):
    """``n`` documents with their own bodies and a shared two-line footer (the shared-lines step removes it)."""
    docs = {f"d{i}.txt": f"{BODIES[i]}\n第二段，具体内容各不相同，编为{NAMES[i]}。\n"
            "以上内容由市政府信息公开专栏统一整理发布。\n专栏编号：2024-0771。\n" for i in range(n)}
    return make_corpus(folder, docs, group=["甲", "乙"] * (n // 2))


def test_a_loaded_corpus_holds_no_text(monkeypatch):
    corp = analysis.load_corpus(SEEDS)
    assert all(d.key is not None and d._result is None for d in corp)
    ref = load_serial(SEEDS)  # the reference holds its texts
    assert all(d.key is None for d in ref)
    documents.text_memo().clear()  # nothing in memory: every text comes back from the cache on disk
    assert [d.text for d in corp] == [d.text for d in ref]
    assert [d.raw for d in corp] == [d.raw for d in ref]
    assert [d.result.edits for d in corp] == [d.result.edits for d in ref]
    assert [d.n_chars for d in corp] == [len(d.text) for d in ref]


def test_texts_come_back_through_a_bounded_memo(monkeypatch):
    monkeypatch.setenv("ANALYSIS_MEMORY_MB", "0.01")  # about one short document
    monkeypatch.setattr(documents, "_TEXT_MEMO", None)
    corp = analysis.load_corpus(SEEDS)
    memo = documents.text_memo()
    assert memo.max_size == int(0.01 * 2**20)
    for d in corp:
        _ = d.text
        assert memo.size <= memo.max_size
    ref = load_serial(SEEDS)
    assert corp.to_frame().equals(ref.to_frame())
    assert corp.audit().equals(ref.audit())


def test_a_text_removed_from_the_cache_is_a_clear_error(tmp_path):
    corp = analysis.load_corpus(SEEDS)
    store.clear_cache()
    documents.text_memo().clear()
    with pytest.raises(CorpusError) as err:
        corp.docs[0].text
    assert corp.docs[0].file in str(err.value) and "load the corpus again" in str(err.value)


def test_texts_are_read_from_the_cache_the_document_was_loaded_with(monkeypatch, tmp_path):
    corp = analysis.load_corpus(SEEDS)
    monkeypatch.setenv("ANALYSIS_CACHE", str(tmp_path / "elsewhere"))
    documents.text_memo().clear()
    assert [d.text for d in corp] == [d.text for d in load_serial(SEEDS)]


def test_shared_line_removals_survive_the_round_trip_through_the_cache(tmp_path):
    folder = _footer_corpus(tmp_path / "c")
    ref = load_serial(folder)
    assert all("专栏" not in d.text for d in ref)  # the step removed the footer
    assert all(d.result.edits[-1].rule == "shared_line" for d in ref)
    corp = analysis.load_corpus(folder)
    documents.text_memo().clear()
    assert [d.text for d in corp] == [d.text for d in ref]
    assert corp.audit().equals(ref.audit())
    assert all(replay(d.raw, d.result.edits) == d.text for d in corp)  # the audit accounts for every character


def test_the_shared_line_step_is_cached(tmp_path, monkeypatch):
    folder = _footer_corpus(tmp_path / "c")
    first = analysis.load_corpus(folder)

    def boom(*a, **k):
        raise AssertionError("should come from the cache")

    monkeypatch.setattr(corpus_shared, "find_blocks", boom)
    documents.text_memo().clear()
    with pytest.warns(UserWarning, match="shared boilerplate"):
        again = analysis.load_corpus(folder)
    assert [d.text for d in again] == [d.text for d in first]
    assert again.audit().equals(first.audit())


def test_the_shared_line_step_reads_each_text_twice_at_most():
    texts = shared_texts()
    reads = [0] * len(texts)

    def feed():
        for i, t in enumerate(texts):
            reads[i] += 1
            yield t

    new, edits, found = rules.remove_shared_lines(texts)
    blocks = list(rules.find_blocks(feed, rules.shared_line_settings(), len(texts)))
    assert reads == [2] * len(texts)  # one pass counts, one cuts
    assert [rules.block_edits(t, h, f) for t, (h, f, _) in zip(texts, blocks)] == edits
    assert len(found) == 3 and all(edits)


class _Feed:
    """Texts handed out one at a time, recording how many have been taken."""

    def __init__(self, texts):
        self.texts, self.taken = texts, 0

    def __iter__(self):
        for t in self.texts:
            self.taken += 1
            yield t


@pytest.mark.parametrize("parallel", [False, True])
def test_segmenting_reads_texts_no_further_ahead_than_its_window(monkeypatch, parallel):
    texts = [f"第{i}段：推进高质量发展，坚持以人民为中心。\n" * 40 for i in range(30)]
    size = len(texts[0])
    monkeypatch.setattr(segmentations, "WINDOW_CHARS", 3 * size)
    if parallel:
        monkeypatch.setattr(pool, "PARALLEL_MIN_CHARS", 0)
        monkeypatch.setattr(pool, "PARALLEL_MIN_CHARS_SPAWN", 0)
        monkeypatch.setattr(segmentations, "PIECE_CHARS", size // 2)
    feed = _Feed(texts)
    got = []
    for seg in store.iter_segmented(feed, n_workers=2 if parallel else 1, cache=False):
        got.append(seg.pairs())
        assert feed.taken - len(got) <= 6  # the window: 3 texts segmenting, 6 held at most
    store.memory_memo().clear()
    assert got == [store.segmented(t, cache=False).pairs() for t in texts]


def test_cached_counts_are_found_without_reading_a_text(monkeypatch):
    corp = analysis.load_corpus(SEEDS)
    first = dfm(corp)
    lengths = [len(d) for d in load_serial(SEEDS).texts()]

    def boom(self):
        raise AssertionError("the counts are cached: no text needs reading")

    monkeypatch.setattr(documents.Document, "_texts", boom)
    again = dfm(corp)
    assert again.terms == first.terms and (again.matrix != first.matrix).nnz == 0
    assert list(again.n_chars) == lengths


def test_streamed_counts_equal_counts_held_in_memory(monkeypatch, tmp_path):
    folder = _footer_corpus(tmp_path / "c")
    monkeypatch.setenv("ANALYSIS_MEMORY_MB", "0.001")  # nearly nothing stays in memory
    monkeypatch.setattr(documents, "_TEXT_MEMO", None)
    monkeypatch.setattr(segmentations, "_MEMORY", None)
    streamed = dfm(analysis.load_corpus(folder), by="group")
    monkeypatch.setenv("ANALYSIS_CACHE", "off")
    held = dfm(load_serial(folder), by="group")
    assert streamed.terms == held.terms and streamed.rows == held.rows
    assert np.array_equal(streamed.matrix.toarray(), held.matrix.toarray())
    assert list(streamed.n_chars) == list(held.n_chars)


def test_without_a_cache_documents_hold_their_texts(monkeypatch):
    monkeypatch.setenv("ANALYSIS_CACHE", "off")
    corp = analysis.load_corpus(SEEDS)
    assert all(d.key is None and d._result is not None for d in corp)
    assert all(d.digest.startswith("text:") for d in corp)


def test_emphasis_matched_in_runs_of_documents_equals_one_run(monkeypatch):
    from analysis.methods.emphasis import matching

    corp = analysis.load_corpus(SEEDS)
    lex = matching.load_emphasis_lexicon()
    whole = matching.match_corpus(corp, lex)
    matching._CORPUS_MATCHES.clear()
    monkeypatch.setattr(matching, "MATCH_CHUNK_CHARS", 3000)  # the seeds in several runs
    runs = matching.match_corpus(corp, lex)
    assert runs is not whole and len(runs) == len(whole) == len(corp)
    for a, b in zip(runs, whole):
        assert a.n_chars == b.n_chars and a.detail == b.detail
        for f in ("sentences", "start", "end", "term", "status"):
            assert np.array_equal(getattr(a, f), getattr(b, f)), f
    matching._CORPUS_MATCHES.clear()
    table = analysis.emphasis(corp)
    matching._CORPUS_MATCHES.clear()
    monkeypatch.setattr(matching, "MATCH_CHUNK_CHARS", 10**9)
    assert table.equals(analysis.emphasis(corp))


def test_phrases_found_streaming_equal_phrases_found_in_memory(monkeypatch):
    from analysis.phrases import find_phrases

    corp = analysis.load_corpus(SEEDS)
    held = find_phrases(corp, min_count=3)
    assert len(held) > 5
    monkeypatch.setenv("ANALYSIS_MEMORY_MB", "0.001")  # no document's ids kept between passes
    streamed = find_phrases(corp, min_count=3)
    pd.testing.assert_frame_equal(streamed, held)


def test_a_worker_that_finds_a_document_in_the_cache_hands_back_its_texts(tmp_path, monkeypatch):
    from analysis.corpus import loading

    twin = "今年以来，全市经济运行稳中向好，工业生产平稳增长。\n" * 30
    folder = make_corpus(tmp_path / "c", {"a.txt": twin, "b.txt": twin, "c.txt": BODIES[0] * 3})
    monkeypatch.setattr(pool, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(pool, "PARALLEL_MIN_CHARS_SPAWN", 0)
    monkeypatch.setattr(loading, "_batches", lambda todo, sizes, n: [todo])  # one worker: b is a's cache hit
    corp = analysis.load_corpus(folder, n_workers=2)
    documents.text_memo().clear()
    ref = load_serial(folder)
    assert [d.text for d in corp] == [d.text for d in ref] and all(d.key for d in corp)


# --------------------------------------------------------------------------- slogans' n-gram index, run by run

def test_text_batches_keep_texts_whole_and_in_order(monkeypatch):
    from analysis.methods.slogans import ngrams

    monkeypatch.setattr(ngrams, "INDEX_CHARS", 10)
    texts = ["一二三四", "五六七", "八九十甲乙丙丁戊己庚辛", "", "壬癸"]
    batches = list(ngrams.text_batches(texts))
    assert batches == [(0, ["一二三四", "五六七"]), (2, ["八九十甲乙丙丁戊己庚辛"]), (3, ["", "壬癸"])]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="甲乙丙丁戊，。", max_size=40), min_size=1, max_size=8),
       st.integers(min_value=1, max_value=60), st.integers(min_value=1, max_value=3))
def test_recurring_ngrams_run_by_run_equal_one_index(texts, index_chars, min_docs):
    """Property: the n-grams of texts indexed a few characters at a time are those of one index."""
    from analysis.methods.slogans import ngrams

    whole = ngrams.recurring_ngrams(texts, min_docs=min_docs, min_len=2, max_len=6)
    original = ngrams.INDEX_CHARS
    try:
        ngrams.INDEX_CHARS = index_chars
        runs = ngrams.recurring_ngrams(texts, min_docs=min_docs, min_len=2, max_len=6)
    finally:
        ngrams.INDEX_CHARS = original
    pd.testing.assert_frame_equal(runs, whole)


def test_recurring_ngrams_run_by_run_known_answer(monkeypatch, tmp_path):
    """Crafted: 动态清零 in three documents, each its own run; its varieties are counted across the runs."""
    from analysis.methods.slogans import ngrams

    texts = ["坚持动态清零不动摇", "必须动态清零。", "推进动态清零方针", "无关的文字"]
    monkeypatch.setattr(ngrams, "INDEX_CHARS", 1)  # every document a run of its own
    monkeypatch.setattr(ngrams.tempfile, "tempdir", str(tmp_path))
    df = ngrams.recurring_ngrams(texts, min_docs=3, min_len=4).set_index("ngram")
    assert list(df.index) == ["动态清零"]
    assert df.loc["动态清零"].tolist() == [4, 3, 3, 3, 3]  # length, count, n_docs, left (持, 须, 进), right (不, 。, 方)
    assert list(tmp_path.iterdir()) == []  # the runs' positions were written to a folder, then removed


def test_slogans_mined_run_by_run_equal_one_index(monkeypatch):
    from analysis.methods.slogans import ngrams

    corp = analysis.load_corpus(SEEDS)
    slogans = analysis.find_slogans(corp)
    occ = analysis.slogan_occurrences(corp, slogans, top=100)
    assert len(slogans) > 100 and len(occ) > 300
    monkeypatch.setattr(ngrams, "INDEX_CHARS", 2000)  # every seed document a run of its own
    documents.text_memo().clear()
    pd.testing.assert_frame_equal(analysis.find_slogans(corp), slogans)
    pd.testing.assert_frame_equal(analysis.slogan_occurrences(corp, slogans, top=100), occ)


def test_document_texts_read_only_when_asked(monkeypatch):
    from analysis.methods.slogans.ngrams import DocumentTexts, subset, text_lengths

    corp = analysis.load_corpus(SEEDS)
    read = []
    real = documents.Document.text
    monkeypatch.setattr(documents.Document, "text", property(lambda d: read.append(d.id) or real.fget(d)))
    texts = DocumentTexts(corp)
    two = subset(texts, [3, 1])
    assert list(text_lengths(two)) == [corp.docs[3].n_chars, corp.docs[1].n_chars] and read == []
    assert two[0] == corp.docs[3].text[:] and read[0] == corp.docs[3].id


@pytest.mark.parametrize("n", [2, 3, 4])
def test_collocations_counted_run_by_run_equal_one_run(n, monkeypatch):
    """Property: windows counted a few at a time (codes chained across runs) give the table of one run."""
    from analysis import phrases as P

    rng = np.random.default_rng(n)
    docs = [rng.integers(0, 7, size=int(rng.integers(0, 50))) for _ in range(12)]
    word = np.ones(7, dtype=bool)
    word[6] = False
    strings = [f"w{i}" for i in range(7)]
    unigram = np.bincount(np.concatenate(docs), minlength=7).astype(float) * word
    whole = P._score(docs, word, strings, n, 1, 0.5, unigram, unigram.sum())
    monkeypatch.setattr(P._WindowCounts, "RUN", 5)
    runs = P._score(docs, word, strings, n, 1, 0.5, unigram, unigram.sum())
    pd.testing.assert_frame_equal(runs, whole)
    assert len(whole) > 10


def test_collocations_of_a_corpus_streamed_equal_one_run(monkeypatch):
    from analysis import phrases as P

    corp = analysis.load_corpus(SEEDS)
    whole = P.collocations(corp, size=(2, 3))
    monkeypatch.setattr(P._WindowCounts, "RUN", 100)
    pd.testing.assert_frame_equal(P.collocations(corp, size=(2, 3)), whole)


def test_recurring_ngrams_merged_as_they_go_equal_merged_at_the_end(monkeypatch):
    """The runs' tables merged every few entries (MERGE_AT) give the table merged once."""
    from analysis.methods.slogans import ngrams

    corp = analysis.load_corpus(SEEDS)
    texts = ngrams.DocumentTexts(corp)
    monkeypatch.setattr(ngrams, "INDEX_CHARS", 2000)
    once = ngrams.recurring_ngrams(texts, min_len=3)
    monkeypatch.setattr(ngrams, "MERGE_AT", 50)
    assert len(once) > 100
    pd.testing.assert_frame_equal(ngrams.recurring_ngrams(texts, min_len=3), once)
