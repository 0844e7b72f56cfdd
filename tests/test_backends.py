"""The fast segmenter (rjieba) gives exactly the tokens and tags of the plain jieba reference."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis
from analysis import lexicon
from analysis.segmentation import available_backends, backend_name, backend_version, fast, get_segmenter, pos_hmm
from analysis.tokenization import segment_pairs

pytestmark = pytest.mark.skipif("rjieba" not in available_backends(), reason="rjieba not installed")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch, tmp_path):
    """Every test caches into its own tmp folder."""
    monkeypatch.setenv("ANALYSIS_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("ANALYSIS_SEGMENTER", raising=False)


def both(text, lexicon=None):
    return get_segmenter("rjieba", lexicon).cut(text), get_segmenter("jieba", lexicon).cut(text)


def test_seeds_identical(seeds_corpus):
    for doc in seeds_corpus:
        fast, ref = both(doc.text)
        assert fast == ref, doc.id
        assert "".join(t for t, _ in fast) == doc.text


def test_some_city_reports_identical(city):
    for f in city.files(2):
        text = f.read_text(encoding="utf-8")[:8000]
        fast, ref = both(text)
        assert fast == ref, f.name


EDGE_CASES = [
    "",
    " ",
    "\r\n\r\n\n\t\u3000 ",
    "2022年3月31日，COVID-19疫情防控：新增5%，约1.5万人。",
    "ＡＢＣ１２３全角字符和半角abc123混排",
    "扩展A区字㐀㐁与兼容字豈及新字鿐鿑鿕鿖鿿在句中",
    "生僻字𠀀𠀁和表情😀以及符号★☆",
    "C++和C#以及AT&T、R&D、e.g.、v2.0、3.14159、1,000,000",
    "坚持动态清零总方针，外防输入、内防反弹，人物同防",
    "习近平新时代中国特色社会主义思想",
    "王小明在西安市雁塔区小寨东路调研核酸检测工作",
    "一二三四五六七八九十百千万亿零〇两",
    "abc def\nghi\r\njkl\u2028mno",
    "提质增效规上工业强市战略文旅融合专精特新",
    "——“四个意识”、‘两个维护’《报告》（试行）【通知】…",
    "%%%---50%-60%之间-",
    "_下划线_与.点.和+加号+#井号#&和&",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_identical(text):
    fast, ref = both(text)
    assert fast == ref
    assert "".join(t for t, _ in fast) == text


def test_ascii_lexicon_term_is_handled(tmp_path):
    """An all-ASCII lexicon word is ambiguous for rjieba's joined letters: the fallback keeps results identical."""
    lex = tmp_path / "lexicon.tsv"
    lex.write_text(
        "term\tfreq\tpos\tgloss\nAB\t\tnz\ttest\n5G\t100\tnz\ttest\n动态清零\t\tl\tdynamic zero-COVID\n",
        encoding="utf-8",
    )
    for text in ["推进5G基站和AB测试，ABC与A B，5G5G", "动态清零AB", "xAByz 5Gx"]:
        fast, ref = both(text, lex)
        assert fast == ref


def _resolved(lex):
    lex = str(Path(lex).resolve())
    stamp = lexicon.file_stamp(lex)
    _, final, total, rows = fast._build_rjieba(lex, stamp)
    tk = lexicon.jieba_tokenizer(lex, stamp)
    terms = list(lexicon.load_lexicon(lex)["term"])
    return [final[t] for t in terms], total, [tk.FREQ[t] for t in terms], tk.total


def test_lexicon_frequencies_resolved_as_jieba_does(tmp_path):
    """The fast start-up replays jieba's add_word/suggest_freq: same frequency for every term, same total.

    Crafted terms: already in the dictionary (with and without a frequency),
    a prefix of a dictionary word, a term whose parts are lexicon terms added
    just before, a term made of one-character words that are only prefixes,
    a rare-character term, and characters jieba lists only as prefixes
    of words (``FREQ.get(c, 1)`` is 0 for them, not 1).
    """
    lex = tmp_path / "lexicon.tsv"
    lex.write_text(
        "term\tfreq\tpos\tgloss\n"
        "中华人\t\tn\tprefix of 中华人民共和国\n"
        "发展\t\tv\talready a word\n"
        "工作\t500\tvn\talready a word, explicit\n"
        "动态清零\t\tl\tx\n"
        "清零动态\t\tl\tx\n"
        "动态清零清零动态\t\tl\tparts added just before\n"
        "鿔鿕\t\tn\trare characters\n"
        "鑞\t\tn\ta character that is only a prefix (FREQ 0 in jieba)\n"
        "骒旴\t\tn\ttwo such characters\n"
        "提质赋能\t12\tl\tx\n",
        encoding="utf-8",
    )
    ours, total, ref, ref_total = _resolved(lex)
    assert ours == ref
    assert total == ref_total


def test_project_lexicon_frequencies_resolved_as_jieba_does():
    ours, total, ref, ref_total = _resolved(analysis.config.data_file("lexicon.tsv"))
    assert ours == ref and total == ref_total


def test_is_word_matches_jieba(tmp_path):
    lex = str(analysis.config.data_file("lexicon.tsv"))
    tk = lexicon.jieba_tokenizer(lex, lexicon.file_stamp(lex))
    sample = [w for i, w in enumerate(tk.FREQ) if i % 97 == 0] + ["动态清零", "中华人", "不是词语吧", "x"]
    assert [lexicon.is_word(w) for w in sample] == [tk.FREQ.get(w, 0) > 0 for w in sample]


alphabet = st.sampled_from(list("的是在有和了人中国发展工作推进建设全面坚持疫情防控动态清零提质赋能规上文旅㐀鿖豈"
                                "abcXYZ0123456789.+#&_%-，。、：；！？“”（）《》 \t\n\r\u3000"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(alphabet, min_size=0, max_size=40).map("".join))
def test_random_text_identical(text):
    fast, ref = both(text)
    assert fast == ref


def test_viterbi_matches_jieba():
    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P, viterbi

    hmm = pos_hmm()
    strings = ["提质增效", "规上", "赋能", "王小明", "鿐字", "㐀㐁", "的的的的的", "一", "文旅融合发展", "了了", "着力抓好"]
    batch = hmm.viterbi_many(strings)  # one padded batch, strings of different lengths
    for s in strings:
        ref = viterbi(s, char_state_tab_P, start_P, trans_P, emit_P)[1]
        assert hmm.viterbi(s) == ref, s
        assert batch[s] == ref, s


def test_backend_selection(monkeypatch):
    assert backend_name() == "rjieba"  # installed: the default
    assert backend_name("jieba") == "jieba"
    monkeypatch.setenv("ANALYSIS_SEGMENTER", "jieba")
    assert backend_name() == "jieba"
    assert backend_name("rjieba") == "rjieba"  # the argument wins
    monkeypatch.setenv("ANALYSIS_SEGMENTER", "nonsense")
    with pytest.raises(ValueError, match="unknown segmenter"):
        backend_name()
    assert backend_version("jieba") != backend_version("rjieba")


def test_segment_pairs_same_for_both_backends(seeds_corpus):
    doc = next(iter(seeds_corpus))
    assert segment_pairs(doc.text, backend="jieba") == segment_pairs(doc.text, backend="rjieba")
    assert analysis.tokenize(doc.text) == [t for t in analysis.tokenize(doc.text)]


def test_fast_start_up_reads_jiebas_own_dictionary_without_importing_jieba():
    """The fast backend reads the very file jieba loads by default, and never imports jieba (0.2 s saved)."""
    import subprocess
    import sys

    import jieba

    with jieba.Tokenizer().get_dict_file() as f:
        assert (lexicon.jieba_folder() / "dict.txt").resolve() == Path(f.name).resolve()
    code = ("import sys; from analysis.segmentation import get_segmenter; from analysis.lexicon import is_word; "
            "is_word('中'); get_segmenter('rjieba').segment('坚持动态清零'); print('jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def test_rjieba_embedded_dictionary_is_jiebas(seeds_corpus, monkeypatch):
    """``rjieba.Jieba()`` is used as jieba's dictionary only where it is exactly that.

    The installed pair is recognised, and its embedded dictionary gives every
    word of jieba's ``dict.txt`` the same ``suggest_freq`` (which reads the
    word's frequency, its parts' and the total) and every seed the same route
    as an empty instance given each word of ``dict.txt``.
    """
    import rjieba

    _rjieba_embeds_jieba_dictionary = fast._rjieba_embeds_jieba_dictionary
    assert _rjieba_embeds_jieba_dictionary()
    words, freqs, _, _ = lexicon.jieba_dictionary()
    added = rjieba.Jieba.empty()
    for w, f in zip(words, freqs):
        added.add_word(w, f, "x")
    embedded = rjieba.Jieba()
    assert [w for w in words if embedded.suggest_freq(w) != added.suggest_freq(w)] == []
    for doc in seeds_corpus:
        assert embedded.cut(doc.text, False) == added.cut(doc.text, False)
    # another dictionary file, or another rjieba series, takes the long way
    for name, value in [("_JIEBA_DICT_SHA256", "0" * 64), ("_RJIEBA_EMBEDDING_IT", ("9.",))]:
        with monkeypatch.context() as m:
            m.setattr(fast, name, value)
            _rjieba_embeds_jieba_dictionary.cache_clear()
            assert not _rjieba_embeds_jieba_dictionary()
    _rjieba_embeds_jieba_dictionary.cache_clear()
    assert _rjieba_embeds_jieba_dictionary()


def test_fast_start_up_without_the_embedded_dictionary_is_the_same(monkeypatch, seeds_corpus):
    """The long way (every word added) resolves the lexicon and segments exactly as the short one."""
    lex = str(lexicon.lexicon_path().resolve())
    stamp = lexicon.file_stamp(lex)
    _, final, total, _ = fast._build_rjieba(lex, stamp)
    short = fast.RjiebaSegmenter(lex, stamp)
    monkeypatch.setattr(fast, "_rjieba_embeds_jieba_dictionary", lambda: False)
    _, final_long, total_long, _ = fast._build_rjieba(lex, stamp)
    long = fast.RjiebaSegmenter(lex, stamp)
    assert final == final_long and total == total_long
    for doc in seeds_corpus:
        assert short.cut(doc.text) == long.cut(doc.text)


def test_small_memos_give_the_same_segmentation(monkeypatch, seeds_corpus):
    """The fast segmenter's memos (runs, shape codes, tags) are bounded; cleared or full, the output is the same."""
    lex = str(lexicon.lexicon_path().resolve())
    ref = [get_segmenter("jieba").cut(d.text) for d in seeds_corpus]
    monkeypatch.setattr(fast, "_MAX_CODES", 5)
    small = fast.RjiebaSegmenter(lex, lexicon.file_stamp(lex), detail_cache=3)
    for _ in range(2):  # a second pass meets full memos
        assert [small.cut(d.text) for d in seeds_corpus] == ref
    monkeypatch.undo()
    full = fast.RjiebaSegmenter(lex, lexicon.file_stamp(lex))
    assert [full.cut(d.text) for d in seeds_corpus] == ref
    # the bounds took effect: the small memos were cleared or stopped growing
    assert len(small._detail) < len(full._detail) / 2
    assert len(small._tag_memo) < len(full._tag_memo) / 2


# --------------------------------------------------------------------------- long runs of one character (issue 20, defect 1)


def _plain_posseg(text):
    """``jieba.posseg`` itself, with the project lexicon (no cutting of long runs)."""
    return get_segmenter("jieba")._cut(text)


def test_real_text_is_never_cut_and_both_backends_are_plain_posseg(seeds_corpus, city):
    """The cut of long runs leaves real text alone: whole reports are exactly ``jieba.posseg``'s output."""
    from analysis.segmentation import run_pieces

    texts = [d.text for d in seeds_corpus] + [f.read_text(encoding="utf-8") for f in city.files(2)]
    for text in texts:
        assert run_pieces(text) == [text]
        plain = _plain_posseg(text)
        assert get_segmenter("jieba").cut(text) == plain
        assert get_segmenter("rjieba").cut(text) == plain


RUN_CONTEXTS = [("", ""), ("坚持动态清零。第", "次，全面加强"), ("ab", "cd"), ("口", "的")]


@pytest.mark.parametrize("char", list("口一的a1."))
def test_runs_up_to_max_run_are_plain_posseg_and_longer_ones_are_cut(char):
    from analysis.segmentation import MAX_RUN, run_pieces

    for n in (2, MAX_RUN, MAX_RUN + 1, 2 * MAX_RUN, 5 * MAX_RUN // 2):
        for before, after in RUN_CONTEXTS:
            if char in (before[-1:], after[:1]):
                continue  # the run would be longer than n
            text = before + char * n + after
            fast, ref = both(text)
            assert fast == ref, (char, n, before)
            assert "".join(t for t, _ in fast) == text
            pieces = run_pieces(text)
            assert "".join(pieces) == text
            if n <= MAX_RUN:
                assert pieces == [text] and ref == _plain_posseg(text)
            else:  # cut after every MAX_RUN characters of the run, counted from its start
                start = len(before)
                cuts = list(range(start + MAX_RUN, start + n, MAX_RUN))
                assert [len(p) for p in pieces] == [b - a for a, b in zip([0, *cuts], [*cuts, len(text)])]
                assert ref == [pair for p in pieces for pair in _plain_posseg(p)]


def test_a_text_of_several_long_runs_is_the_same_in_both_backends():
    text = "甲" + "口" * 250 + "乙" + "一" * 130 + "x" * 300 + "%" + "的" * 120 + "。" * 500 + "终" + "0" * 101
    fast, ref = both(text)
    assert fast == ref
    assert max(len(t) for t, _ in fast) <= 101
