"""Word boundaries and tags from jieba's general dictionary (never the project lexicon).

The generators ask where jieba words start and end, whether a string is a
dictionary word and what its tag is. jieba here has its general dictionary
only, so the miner is not told the formulations it should find.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Sequence

from ...lexicon import jieba_pos_tokenizer

__all__ = ["clear_caches", "cut", "is_boundary", "window_bounds", "tag", "is_dict_word", "has_tag", "tag_hmm", "all_words"]


def _jieba():
    """jieba with its general dictionary only (the project lexicon is *not* loaded):
    ``(tokenizer, word -> tag, POS tokenizer)``.

    Built once per process by :func:`analysis.lexicon.jieba_pos_tokenizer`, which keeps
    jieba's cache file in the suite's cache folder: never one in the shared temporary
    folder, which anyone could have written.
    """
    tk, pos = jieba_pos_tokenizer(None)
    return tk, pos.word_tag_tab, pos


def clear_caches() -> None:
    """Forget the memoised words, boundaries and tags (after jieba's tokenizers are rebuilt)."""
    cut.cache_clear()
    _bounds.cache_clear()
    tag_hmm.cache_clear()


@lru_cache(maxsize=200_000)
def cut(text: str) -> tuple[str, ...]:
    """jieba's words of ``text`` (general dictionary, no HMM)."""
    tk = _jieba()[0]
    return tuple(tk.cut(text, HMM=False))


@lru_cache(maxsize=200_000)
def _bounds(text: str) -> frozenset[int]:
    """Offsets in ``text`` where a jieba word starts or ends (0 and len included).

    The same maximum-probability route through jieba's dictionary as
    ``jieba.cut(text, HMM=False)``, without its per-call overhead (the text here is a
    short window of Chinese characters).
    """
    tk = _jieba()[0]
    route: dict = {}
    tk.calc(text, tk.get_DAG(text), route)
    out, x, n = {0}, 0, len(text)
    while x < n:
        x = route[x][1] + 1
        out.add(x)
    return frozenset(out)


def _spanned(text: str, cut: int, reach: int = 7) -> bool:
    """Is there a dictionary word of two or more characters across ``cut``?

    jieba (without HMM) only makes dictionary words and single characters, so when no
    dictionary word spans a position, that position is a word boundary whatever the
    context. Its prefix dictionary (prefixes are stored with frequency 0) lets the
    search stop early.
    """
    freq = _jieba()[0].FREQ
    n = len(text)
    for a in range(max(0, cut - reach), cut):
        b = a + 1
        while b <= n:
            f = freq.get(text[a:b])
            if f is None:
                break
            if b > cut and f > 0:
                return True
            b += 1
    return False


def is_boundary(text: str, cut: int, pad: int = 4) -> bool:
    """Is ``cut`` a jieba word boundary of ``text``? (Start and end always are.)

    Decided by :func:`_spanned` when no word spans it, else by segmenting only
    ``pad`` characters either side, so the cost does not grow with the sentence.
    """
    if cut <= 0 or cut >= len(text):
        return True
    if not _spanned(text, cut):
        return True
    lo, hi = max(0, cut - pad), min(len(text), cut + pad)
    return (cut - lo) in _bounds(text[lo:hi])


def window_bounds(text: str, a: int, b: int, pad: int = 4) -> set[int]:
    """Word boundaries of ``text`` between ``a`` and ``b``, from one jieba call on a window
    reaching ``pad`` characters beyond either end (its artificial edges are left out)."""
    lo, hi = max(0, a - pad), min(len(text), b + pad)
    out = {lo + k for k in _bounds(text[lo:hi])}
    if lo > 0:
        out.discard(lo)
    if hi < len(text):
        out.discard(hi)
    return out


def tag(word: str) -> str | None:
    """jieba's dictionary tag of ``word`` (None if it is not a dictionary word)."""
    return _jieba()[1].get(word)


def is_dict_word(word: str) -> bool:
    """Is ``word`` in jieba's general dictionary (with a frequency above 0)?"""
    return _jieba()[0].FREQ.get(word, 0) > 0


def has_tag(word: str, tags: Iterable[str]) -> bool:
    """Is ``word`` a dictionary word whose tag is one of ``tags``?"""
    t = tag(word)
    return t is not None and t in tags


@lru_cache(maxsize=50_000)
def tag_hmm(item: str) -> str | None:
    """jieba's tag for ``item`` when its tagger (with HMM, for unknown words) keeps it whole."""
    words = list(_jieba()[2].cut(item))
    return words[0].flag if len(words) == 1 else None


def all_words(items: Sequence[str]) -> bool:
    """Are all items ordinary dictionary words (省委、省政府; 检验/检测)? Formulations coin
    parallel phrases (外防输入、内防反弹; 走深走实); a series of existing words is a list."""
    return all(is_dict_word(it) for it in items)
