"""On-disk and in-memory caches, parallel loading and segmentation, streaming counts."""
from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd
import pytest

from scipy import sparse

import analysis
from analysis import config, lexicon, pool, store
from analysis.corpus import load_serial
from analysis.corpus import loading as corpus_loading
from analysis.lexicon import TokenOptions
from analysis.segmentation import Segmented
from analysis.store import MemoryCache, segmentations
from analysis.store.entries import segmentation_from_bytes, segmentation_to_bytes
from analysis.store.files import unpack_framed
from analysis.tokenization import pairs_to_tokens, segment_pairs, tokens
from analysis.vectors import dfm

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def cache_root(monkeypatch, tmp_path):
    """Every test caches into its own tmp folder, with an empty in-memory memo."""
    root = tmp_path / "cache"
    monkeypatch.setenv("ANALYSIS_CACHE", str(root))
    monkeypatch.setenv("ANALYSIS_PROGRESS", "0")
    store.memory_memo().clear()
    yield root
    store.memory_memo().clear()


def no_segmenter(monkeypatch, why: str) -> None:
    """Make any use of a segmenter fail: what follows must come from the caches."""

    def boom(*a, **k):
        raise AssertionError(why)

    monkeypatch.setattr(segmentations, "get_segmenter", boom)


def less_is_parallel(monkeypatch) -> None:
    """Start worker pools for any amount of text."""
    monkeypatch.setattr(pool, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(pool, "PARALLEL_MIN_CHARS_SPAWN", 0)


def reference_counts(docs_tokens: Iterable[list[str]]) -> tuple[sparse.csr_matrix, list[str]]:
    """The plain way to count: every token of every document through a vocabulary dict, terms sorted."""
    vocab: dict[str, int] = {}
    indptr, indices = [0], []
    for toks in docs_tokens:
        for t in toks:
            indices.append(vocab.setdefault(t, len(vocab)))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.int64)
    m = sparse.csr_matrix((data, np.asarray(indices, dtype=np.int64), np.asarray(indptr)), shape=(len(indptr) - 1, len(vocab)))
    m.sum_duplicates()
    terms = sorted(vocab, key=vocab.get)
    order = np.argsort(np.asarray(terms, dtype=object), kind="stable")
    return m[:, order].tocsr(), [terms[i] for i in order]



def seg_files(root: Path) -> list[Path]:
    return sorted((root / "segments").rglob("*.seg")) if (root / "segments").is_dir() else []


TEXT = "坚持动态清零总方针不动摇，外防输入、内防反弹。\n2022年3月31日，COVID-19防控会议召开。" * 20


# --------------------------------------------------------------------------- Segmented


def test_segmented_round_trip():
    pairs = segment_pairs(TEXT)
    seg = Segmented.from_pairs(pairs)
    assert seg.pairs() == pairs
    assert len(seg.tokens) == len(set(pairs)) < len(seg)  # distinct types, repeated tokens
    back = segmentation_from_bytes(segmentation_to_bytes(seg, len(TEXT)), len(TEXT))
    assert back.pairs() == pairs


def test_segmented_round_trip_with_control_characters():
    # every candidate separator occurs in a token: the lengths layout is used instead
    pairs = tuple((chr(c) + "字", "x") for c in range(9)) + (("字", "n"), (chr(0) + "字", "x"))
    text = "".join(t for t, _ in pairs)
    seg = Segmented.from_pairs(pairs)
    assert segmentation_from_bytes(segmentation_to_bytes(seg, len(text)), len(text)).pairs() == pairs


def test_file_format_is_not_pickle():
    seg = Segmented.from_pairs(segment_pairs(TEXT))
    raw = segmentation_to_bytes(seg, len(TEXT))
    assert raw.startswith(b"ASEG")
    assert b"\x80\x04\x95" not in raw[:16]  # no pickle protocol header


def test_wrong_length_is_rejected():
    seg = Segmented.from_pairs(segment_pairs(TEXT))
    with pytest.raises(ValueError):
        segmentation_from_bytes(segmentation_to_bytes(seg, len(TEXT)), len(TEXT) + 1)


# --------------------------------------------------------------------------- disk cache


def test_disk_cache_is_written_and_used(cache_root, monkeypatch):
    first = segment_pairs(TEXT)
    files = seg_files(cache_root)
    assert len(files) == 1
    store.memory_memo().clear()
    no_segmenter(monkeypatch, "should come from the disk cache")
    assert segment_pairs(TEXT) == first


@pytest.mark.parametrize("damage", ["garbage", "truncate", "empty", "flip"])
def test_damaged_file_is_recomputed(cache_root, damage):
    first = segment_pairs(TEXT)
    (path,) = seg_files(cache_root)
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"not a cache file at all")
    elif damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # a valid file of a different segmentation (and length)
        other = Segmented.from_pairs([(ch, "x") for ch in TEXT])
        path.write_bytes(segmentation_to_bytes(other, len(TEXT) + 1))
    store.memory_memo().clear()
    assert segment_pairs(TEXT) == first
    assert len(seg_files(cache_root)) == 1  # rewritten
    assert segmentation_from_bytes(seg_files(cache_root)[0].read_bytes(), len(TEXT)).pairs() == first


def test_deleting_the_cache_is_safe(cache_root):
    first = segment_pairs(TEXT)
    assert store.clear_cache() >= 1
    assert not seg_files(cache_root)
    store.memory_memo().clear()
    assert segment_pairs(TEXT) == first


def test_key_depends_on_kind_and_every_part():
    k = store.key
    base = k("segments", "rjieba-1", "lexA", "文本")
    assert base == k("segments", "rjieba-1", "lexA", "文本")
    others = {k("segments", "rjieba-1", "lexA", "文本!"), k("segments", "rjieba-1", "lexB", "文本"),
              k("segments", "jieba-1", "lexA", "文本"), k("counts", "rjieba-1", "lexA", "文本"),
              k("segments", "rjieba-1", "lexA文", "本")}  # parts are delimited
    assert len({base} | others) == 6


def test_lexicon_edit_changes_the_key(tmp_path):
    lex = tmp_path / "lexicon.tsv"
    lex.write_text("term\tfreq\tpos\tgloss\n动态清零\t\tl\tx\n", encoding="utf-8")
    before = store.segmentation_key(TEXT, lex, "rjieba")
    stamp = lexicon.file_stamp(lex)
    lex.write_text("term\tfreq\tpos\tgloss\n动态清零\t\tl\tx\n外防输入\t\tl\ty\n", encoding="utf-8")
    os.utime(lex, ns=(stamp[0] + 10**9, stamp[0] + 10**9))
    assert lexicon.file_stamp(lex) != stamp  # loaded tokenizers and the memo are keyed by it
    assert store.segmentation_key(TEXT, lex, "rjieba") != before
    assert store.segmentation_key(TEXT, lex, "jieba") != store.segmentation_key(TEXT, lex, "rjieba")


def test_cache_off_writes_nothing(cache_root, monkeypatch):
    monkeypatch.setenv("ANALYSIS_CACHE", "off")
    assert not config.cache_enabled()
    segment_pairs(TEXT)
    assert not seg_files(cache_root)
    assert not Path("off").exists()


def test_unwritable_cache_does_not_crash(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("ANALYSIS_CACHE", str(blocker / "cache"))  # a folder inside a file: cannot exist
    assert len(segment_pairs(TEXT)) > 10


def test_short_texts_stay_in_memory(cache_root):
    segment_pairs("动态清零")
    assert not seg_files(cache_root)


# --------------------------------------------------------------------------- memory


def test_memory_cache_is_bounded():
    m = MemoryCache(10, sizeof=len)
    for i in range(5):
        m.put(i, "abc")  # 3 each
    assert len(m) == 3 and m.size == 9
    assert m.get(0) is None and m.get(4) == "abc"
    m.get(2)  # now most recent
    m.put(9, "abcd")
    assert m.get(2) == "abc" and m.get(3) is None
    m.put("big", "x" * 11)  # larger than the budget: not kept
    assert m.get("big") is None


# --------------------------------------------------------------------------- parallel


def test_split_text_keeps_every_character():
    text = "第一行\n第二行很长很长\n\n第三行" * 50
    pieces = store.split_text(text, size=40)
    assert "".join(pieces) == text and len(pieces) > 5
    assert all(p.endswith("\n") for p in pieces[:-1])


def test_line_breaks_never_change_segmentation(seeds_corpus):
    for doc in seeds_corpus:
        whole = segment_pairs(doc.text)
        parts = [p for piece in store.split_text(doc.text, size=500) for p in segment_pairs(piece)]
        assert tuple(parts) == whole, doc.id


def test_parallel_segmentation_equals_serial(seeds_corpus, monkeypatch):
    texts = [d.text for d in seeds_corpus]
    serial = [s.pairs() for s in store.iter_segmented(texts, n_workers=1, cache=False)]
    store.memory_memo().clear()
    less_is_parallel(monkeypatch)
    monkeypatch.setattr(segmentations, "PIECE_CHARS", 2000)  # several pieces per document
    par = [s.pairs() for s in store.iter_segmented(texts, n_workers=2, cache=False)]
    assert par == serial


def test_parallel_segmentation_fills_the_disk_cache(seeds_corpus, monkeypatch, cache_root):
    texts = [d.text for d in seeds_corpus]
    less_is_parallel(monkeypatch)
    monkeypatch.setattr(segmentations, "PIECE_CHARS", 3000)  # long seeds in pieces (parent writes), short ones whole (worker writes)
    first = [s.pairs() for s in store.iter_segmented(texts, n_workers=2)]
    assert len(seg_files(cache_root)) == len(set(texts))
    store.memory_memo().clear()
    no_segmenter(monkeypatch, "should come from the disk cache")
    assert [s.pairs() for s in store.iter_segmented(texts, n_workers=2)] == first


def test_workers_setting(monkeypatch):
    monkeypatch.setenv("ANALYSIS_WORKERS", "3")
    assert config.workers() == 3
    assert config.workers(1) == 1
    monkeypatch.delenv("ANALYSIS_WORKERS")
    assert config.workers() >= 1


def test_progress_bar_quiet_by_default_and_forced(capsys, monkeypatch):
    monkeypatch.delenv("ANALYSIS_PROGRESS")
    with pool.progress_bar(total=3, desc="x") as bar:  # stderr is not a terminal under pytest
        bar.update(3)
    assert capsys.readouterr().err == ""
    with pool.progress_bar(total=3, desc="forced", progress=True) as bar:
        bar.update(3)
    assert "forced" in capsys.readouterr().err
    monkeypatch.setenv("ANALYSIS_PROGRESS", "0")
    with pool.progress_bar(total=3, desc="off", progress=None) as bar:
        bar.update(3)
    assert capsys.readouterr().err == ""


def _same_corpus(a, b):
    assert a.ids == b.ids
    pd.testing.assert_frame_equal(a.manifest, b.manifest)
    assert [p for p in a.problems] == [p for p in b.problems]
    for x, y in zip(a, b):
        assert (x.raw, x.text, x.encoding, x.meta, x.result.edits) == (y.raw, y.text, y.encoding, y.meta, y.result.edits)


def test_parallel_loader_equals_load_corpus(cache_root, monkeypatch):
    ref = load_serial(SEEDS)
    cold = analysis.load_corpus(SEEDS)
    _same_corpus(cold, ref)
    assert len(list((cache_root / "documents").rglob("*.doc"))) == len(ref)

    def boom(*a, **k):
        raise AssertionError("should come from the document cache")

    monkeypatch.setattr(corpus_loading, "load_document", boom)
    warm = analysis.load_corpus(SEEDS)
    _same_corpus(warm, ref)


def test_damaged_document_cache_is_reloaded(cache_root):
    ref = load_serial(SEEDS)
    analysis.load_corpus(SEEDS)
    docs = sorted((cache_root / "documents").rglob("*.doc"))
    for k, path in enumerate(docs):
        data = path.read_bytes()
        path.write_bytes([b"", b"junk", data[: len(data) // 2], data[:-3]][k % 4])
    _same_corpus(analysis.load_corpus(SEEDS), ref)
    assert all(p.read_bytes().startswith(b"ADOC") and len(p.read_bytes()) > 100 for p in docs)  # rewritten


# --------------------------------------------------------------------------- payloads are checked (issue 20, defect 2)

SAME_LENGTH = ("自治区".encode(), "自治局".encode())


def _edit_inside(path: Path) -> None:
    """Replace 自治区 by 自治局 inside a cache file's payload: same length, valid UTF-8, every header field right."""
    data = path.read_bytes()
    assert SAME_LENGTH[0] in data, path
    path.write_bytes(data.replace(SAME_LENGTH[0], SAME_LENGTH[1]))


def _flip_bit(path: Path, at: float = 0.75) -> None:
    data = bytearray(path.read_bytes())
    data[int(len(data) * at)] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_edit_inside, _flip_bit])
def test_a_changed_payload_of_each_kind_is_recomputed(cache_root, damage):
    """Segmentations, documents and counts: a change inside a payload never reaches a result, and is replaced."""
    ref = load_serial(SEEDS)
    first = dfm(analysis.load_corpus(SEEDS), by="region")
    files = [f for kind in ("segments", "documents", "counts") for f in sorted((cache_root / kind).rglob("*.*"))
             if SAME_LENGTH[0] in f.read_bytes()]
    assert {f.parent.parent.name for f in files} == {"segments", "documents", "counts"}
    before = {f: f.read_bytes() for f in files}
    for f in files:
        damage(f)
    store.memory_memo().clear()
    corp = analysis.load_corpus(SEEDS)
    _same_corpus(corp, ref)
    again = dfm(corp, by="region")
    assert again.terms == first.terms and (again.matrix != first.matrix).nnz == 0
    assert "自治局" not in again.terms
    assert [s.pairs() for s in store.iter_segmented((d.text for d in corp), lexicon=corp.lexicon)] == [segment_pairs(d.text, ref.lexicon) for d in ref]
    assert {f: f.read_bytes() for f in files if f.exists()} == {f: b for f, b in before.items() if f.exists()}


def test_a_refusal_without_its_problems_is_damaged(cache_root):
    """A cached entry saying a document cannot be used must say why; one that does not is recomputed."""
    ref = load_serial(SEEDS)
    analysis.load_corpus(SEEDS)
    doc = ref.docs[0]
    k = analysis.corpus.document_key((SEEDS / doc.file).read_bytes())
    assert store.write_document(k, {"ok": False, "problems": []}, "", "")
    _same_corpus(analysis.load_corpus(SEEDS), ref)  # the document is there, not silently dropped
    # a refusal with its error is what the loader wrote for a bad file: it is believed, and reported
    assert store.write_document(k, {"ok": False, "problems": [["error", True, "x", "is bad", "fix it"]]}, "", "")
    with pytest.raises(analysis.CorpusError, match="is bad"):
        analysis.load_corpus(SEEDS)


@pytest.mark.parametrize("name", ["boilerplate.yaml", "document_types.txt"])
def test_editing_a_cleaning_data_file_cleans_documents_again(name, tmp_path, monkeypatch):
    # cached clean documents are keyed by the cleaning's code and its data files: edit one, and the key moves
    import shutil

    from analysis import config as paths

    data = shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    monkeypatch.setattr(paths, "DATA_DIR", data)
    corpus_loading._cleaning_fingerprint.cache_clear()
    before = analysis.corpus.document_key(b"the same bytes")
    with open(data / name, "a", encoding="utf-8") as fh:
        fh.write("\n# a reviewer's note\n")
    corpus_loading._cleaning_fingerprint.cache_clear()
    try:
        assert analysis.corpus.document_key(b"the same bytes") != before
    finally:
        corpus_loading._cleaning_fingerprint.cache_clear()


def test_parallel_loader_with_workers_and_problems(tmp_path, monkeypatch):
    from conftest import make_corpus

    folder = make_corpus(
        tmp_path / "c",
        {"a.txt": "疫情防控工作会议。" * 30, "b.txt": "Only English here, no Chinese at all." * 5,
         "c.txt": "坚持动态清零。" * 40},
    )
    (folder / "stray.txt").write_text("不在清单里", encoding="utf-8")
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        ref = load_serial(folder)
    less_is_parallel(monkeypatch)
    for _ in range(2):  # cold in 2 processes, then warm from the cache
        with pytest.warns(UserWarning):
            got = analysis.load_corpus(folder, n_workers=2)
        _same_corpus(got, ref)


def test_parallel_loader_segments_into_the_cache(tmp_path, monkeypatch, cache_root):
    """Workers that clean a document also segment it into the disk cache; dfm then needs no segmenter."""
    from conftest import make_corpus

    folder = make_corpus(tmp_path / "c", {f"{k}.txt": f"第{k}次会议强调，坚持动态清零不动摇。\n" * 60 for k in range(4)})
    ref = load_serial(folder)
    less_is_parallel(monkeypatch)
    got = analysis.load_corpus(folder, n_workers=2)
    _same_corpus(got, ref)
    assert len(seg_files(cache_root)) == 4
    store.memory_memo().clear()
    no_segmenter(monkeypatch, "the workers should have segmented this")
    counted = dfm(got)
    assert counted.matrix.sum() > 0
    assert [segment_pairs(d.text) for d in got]  # from the cache too
    # segment=False only cleans
    other = make_corpus(tmp_path / "d", {"a.txt": "全面推进乡村振兴。\n" * 200, "b.txt": "提质赋能。\n" * 200})
    before = len(seg_files(cache_root))
    analysis.load_corpus(other, n_workers=2, segment=False)
    assert len(seg_files(cache_root)) == before


def test_spawned_workers_give_the_same_corpus_and_segmentations(tmp_path, monkeypatch, cache_root):
    """In a Jupyter kernel (threads running) workers are spawned, not forked: each loads what it needs itself."""
    from conftest import make_corpus

    folder = make_corpus(tmp_path / "c", {f"{k}.txt": f"第{k}季度，全面推进乡村振兴、提质赋能。\n" * 80 for k in range(3)})
    ref = load_serial(folder)
    less_is_parallel(monkeypatch)
    for module in (pool, corpus_loading, segmentations):  # as in a kernel: spawn
        monkeypatch.setattr(module, "single_threaded", lambda: False)
    got = analysis.load_corpus(folder, n_workers=2)
    _same_corpus(got, ref)
    assert len(seg_files(cache_root)) == 3
    assert [segment_pairs(d.text) for d in got] == [segment_pairs(d.text, backend="jieba") for d in ref]


def test_parallel_loader_errors_like_load_corpus(tmp_path):
    from conftest import make_corpus

    folder = make_corpus(tmp_path / "bad", {"a.txt": "疫情防控。" * 10, "b.txt": ""})
    with pytest.raises(analysis.CorpusError) as ref:
        load_serial(folder)
    with pytest.raises(analysis.CorpusError) as got:
        analysis.load_corpus(folder)
    assert got.value.problems == ref.value.problems
    with pytest.raises(analysis.CorpusError):
        analysis.load_corpus(tmp_path / "missing")


# --------------------------------------------------------------------------- streaming counts


@pytest.mark.parametrize(
    "opts",
    [{}, {"drop_proper": True}, {"numbers": True, "min_chars": 1, "keep": ["的", "要"]},
     {"stopwords": False, "punctuation": True}],
)
def test_streaming_dfm_equals_token_lists(seeds_corpus, opts):
    got = dfm(seeds_corpus, **opts)
    m, terms = reference_counts(pairs_to_tokens(segment_pairs(d.text, seeds_corpus.lexicon), **opts) for d in seeds_corpus)
    assert got.terms == terms == sorted(terms)
    assert got.matrix.dtype == np.int64
    assert (got.matrix != m).nnz == 0
    toks = tokens(seeds_corpus, **opts)
    assert all(toks[d.id] == pairs_to_tokens(segment_pairs(d.text, seeds_corpus.lexicon), **opts) for d in seeds_corpus)
    # hand check: a term's count in a row is its number of occurrences in that document's tokens
    doc = seeds_corpus.docs[0]
    t = terms[len(terms) // 2]
    assert got.matrix[0, terms.index(t)] == toks[doc.id].count(t)


@pytest.mark.parametrize("opts", [{}, {"drop_proper": True}, {"stopwords": False, "min_chars": 1}])
@pytest.mark.parametrize("chunk", [1, 7, 10**6])
def test_counting_in_chunks_equals_token_lists(monkeypatch, opts, chunk):
    """Chunks of any size, empty documents, a token with two tags and ASCII case folding."""
    from analysis import vectors

    texts = ["", "AI 赋能 ai 发展，发展新质生产力。", "张伟在南宁说：南宁要发展。", "",
             "Covid COVID covid 疫情防控 疫情防控", "王书记在南宁。南宁的发展和发展。"]
    segs = [Segmented.from_pairs(segment_pairs(t)) for t in texts]
    # one token with two tags in one document: two types, one term
    segs.append(Segmented.from_pairs([("南宁", "ns"), ("发展", "vn"), ("南宁", "nz"), ("发展", "v")]))
    o = TokenOptions.from_kwargs(**opts)
    monkeypatch.setattr(vectors, "COUNT_CHUNK_TYPES", chunk)
    got, terms = vectors._count(iter(segs), o)
    ref, ref_terms = reference_counts(pairs_to_tokens(s.pairs(), **opts) for s in segs)
    assert terms == ref_terms == sorted(terms)
    assert got.shape == (len(segs), len(terms)) and got.dtype == np.int64 and got.has_sorted_indices
    assert (got != ref).nnz == 0
    assert got[0].nnz == got[3].nnz == 0
    assert got[1, terms.index("ai")] == 2  # "AI" and "ai"
    if opts.get("drop_proper"):
        assert "南宁" not in terms  # a place name (ns, nz) under every tag
    else:
        assert got[len(segs) - 1, terms.index("南宁")] == 2
    assert got[len(segs) - 1, terms.index("发展")] == 2


def test_streaming_dfm_by_group(seeds_corpus, seed_manifest):
    by = dfm(seeds_corpus, by="region")
    assert by.rows == sorted(seed_manifest["region"].unique())
    plain = dfm(seeds_corpus)
    assert int(by.matrix.sum()) == int(plain.matrix.sum())


# --------------------------------------------------------------------------- cached counts


def count_files(root: Path) -> list[Path]:
    return sorted((root / "counts").rglob("*.cnt")) if (root / "counts").is_dir() else []


def test_counts_are_cached_and_reused(seeds_corpus, cache_root, monkeypatch):
    from analysis import vectors

    first = dfm(seeds_corpus)
    assert len(count_files(cache_root)) == 1

    def boom(*a, **k):
        raise AssertionError("should come from the cache of counts")

    monkeypatch.setattr(vectors, "_count", boom)
    again = dfm(seeds_corpus)
    assert again.terms == first.terms and (again.matrix != first.matrix).nnz == 0
    assert again.matrix.dtype == np.int64
    with pytest.raises(AssertionError):  # other options: another key, counted afresh
        dfm(seeds_corpus, min_chars=1)


def test_counts_key_follows_texts_options_and_stopwords(monkeypatch):
    from analysis import vectors

    base = vectors._counts_key(["一", "二"], TokenOptions())
    assert base == vectors._counts_key(["一", "二"], TokenOptions())
    assert base != vectors._counts_key(["一二"], TokenOptions())  # texts are delimited
    assert base != vectors._counts_key(["一", "二"], TokenOptions(min_chars=1))
    assert base != vectors._counts_key(["一", "二"], TokenOptions(keep=frozenset({"的"})))
    monkeypatch.setattr(vectors, "stopwords", lambda: frozenset({"的"}))
    assert base != vectors._counts_key(["一", "二"], TokenOptions())


@pytest.mark.parametrize("damage", ["garbage", "truncate", "indices"])
def test_damaged_counts_are_recounted(seeds_corpus, cache_root, damage):
    first = dfm(seeds_corpus)
    (path,) = count_files(cache_root)
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(data[:6] + b"nonsense")
    elif damage == "truncate":
        path.write_bytes(data[:-7])
    else:  # an index past the last term: same length, wrong content
        header, at, _ = unpack_framed(data, "counts")
        pos = at + 8 * (header["n_rows"] + 1)
        path.write_bytes(data[:pos] + np.array([10**9], dtype="<i4").tobytes() + data[pos + 4:])
    again = dfm(seeds_corpus)
    assert again.terms == first.terms and (again.matrix != first.matrix).nnz == 0
    assert len(count_files(cache_root)) == 1
