"""The fast segmenter: rjieba for the dictionary route, jieba's rules for the rest; identical output.

It returns the same ``(token, pos)`` pairs as ``jieba.posseg`` with the
project lexicon and HMM on (:mod:`.reference`). It is the default when rjieba
is installed (checked token for token and tag for tag against the reference on
the seeds and on 143 city work reports); ``ANALYSIS_SEGMENTER=jieba`` picks the
reference (see :mod:`.backends`).

How the fast backend stays identical
------------------------------------
``jieba.posseg`` does three things per block of Chinese characters (plus
ASCII letters, digits and ``+#&._``):

1. it finds the most probable route through the dictionary (a DAG of words);
2. runs of single characters that are not a dictionary word together go
   through a part-of-speech HMM (Viterbi over 256 states) that both re-segments
   them and tags them;
3. every other word gets its tag from the dictionary (``x`` if it has none).

Step 1 is done by rjieba (jieba-rs, in Rust), loaded with exactly jieba's
dictionary and frequencies, the lexicon, and the same frequency total. Steps 2
and 3 run in Python with the same rules as jieba; the Viterbi search keeps
jieba's floating-point operations and tie-breaking but only visits the state
transitions that exist, and its results are memoised per character run.

Where rjieba on its own would differ, and how this module evens it out:

* rjieba's blocks also include ``%``, ``-`` and CJK characters outside
  U+4E00–U+9FD5 (extension A, compatibility ideographs, …); ``jieba.posseg``
  treats those as single symbols (tag ``x``). The text is split at such
  characters before it reaches rjieba.
* without HMM, rjieba joins runs of single ASCII letters/digits into one
  token; such tokens are split back into characters. If a joined run is
  itself a dictionary word (possible only if the lexicon adds an
  all-ASCII term), the piece is segmented by the reference instead.
* rjieba's own tagger gives unknown words ``x`` rather than the HMM's tags,
  so it is not used.
* rjieba's ``add_word`` keeps the frequency total exact where jieba adds a
  re-added word twice; a placeholder entry made of private-use characters,
  which no text can match inside a block, makes up the difference.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import repeat
from typing import Iterator

import numpy as np
import pandas as pd

from ..lexicon import jieba_dictionary, jieba_folder, jieba_tokenizer, jieba_word_freqs, load_lexicon
from ..text import JIEBA_HAN
from .hmm import HAN_DETAIL_RE, Fallback, pos_hmm
from .reference import reference_segmenter
from .segmented import Segmented

__all__ = ["RjiebaSegmenter"]

# jieba.posseg's block pattern: one block = characters of this class
_HAN_INTERNAL = JIEBA_HAN + "a-zA-Z0-9+#&._"
_IS_HAN_CHAR = re.compile(f"[{_HAN_INTERNAL}]").match
# characters jieba.posseg treats as symbols but rjieba could put into a block:
# letters and digits of any script outside the posseg class, and % -
_SPECIAL_RE = re.compile(f"((?![{_HAN_INTERNAL}])(?:[%\\-]|[^\\W_]))")
_ASCII_ALNUM = re.compile(r"[a-zA-Z0-9]+").fullmatch
# runs of tokens jieba.posseg buffers: two or more single characters, or joined ASCII singles
_RUN_RE = re.compile(r"S[SJ]+|J[SJ]*")
#: the table of tokens' shape codes stops growing at this many entries
_MAX_CODES = 2_000_000
_PAD = "\ue000\ue001\ue002"  # placeholder word: private-use characters never occur in a block


class _FreqView:
    """``jieba.Tokenizer.FREQ.get(s, 1)`` without jieba's table of prefixes.

    jieba's ``FREQ`` holds every word with its frequency and every proper
    prefix of a word with 0. Here the words are a dict and a prefix is found
    from the first characters of the words (one character) or, rarely, by
    scanning the sorted words.
    """

    def __init__(self, final: dict[str, int]):
        self.final = final
        self._first = None
        self._sorted = None

    def get(self, s: str, default: int = 1) -> int:
        f = self.final.get(s)
        if f is not None:
            return f
        return 0 if self._is_prefix(s) else default

    def add(self, word: str, freq: int) -> None:
        if word not in self.final and self._sorted is not None:
            import bisect

            bisect.insort(self._sorted, word)
        self.final[word] = freq
        if self._first is not None and len(word) > 1:
            self._first.add(word[0])

    def _is_prefix(self, s: str) -> bool:
        if len(s) == 1:
            if self._first is None:
                self._first = {w[0] for w in self.final if len(w) > 1}
            return s in self._first
        import bisect

        if self._sorted is None:
            self._sorted = sorted(self.final)
        i = bisect.bisect_right(self._sorted, s)
        return i < len(self._sorted) and self._sorted[i].startswith(s)


#: SHA-256 of jieba 0.42.1's ``dict.txt``, which rjieba 0.2.x embeds word for word and
#: frequency for frequency (``tests/test_backends.py`` checks the installed pair)
_JIEBA_DICT_SHA256 = "7197c3211ddd98962b036cdf40324d1ea2bfaa12bd028e68faa70111a88e12a8"
_RJIEBA_EMBEDDING_IT = ("0.2.",)


@lru_cache(maxsize=1)
def _rjieba_embeds_jieba_dictionary() -> bool:
    """True when ``rjieba.Jieba()`` starts with exactly jieba's dictionary (words, frequencies, total).

    Then it is loaded by rjieba itself (0.1 s) instead of 349,046 ``add_word``
    calls (0.4 s). Checked on jieba's side by the file's hash, on rjieba's by
    its version; anything else takes the long way.
    """
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    try:
        rjieba_version = version("rjieba")
    except PackageNotFoundError:
        return False
    if not rjieba_version.startswith(_RJIEBA_EMBEDDING_IT):
        return False
    digest = hashlib.sha256((jieba_folder() / "dict.txt").read_bytes()).hexdigest()
    return digest == _JIEBA_DICT_SHA256


#: lexicon terms whose frequency jieba must suggest are resolved here only if they are
#: all Han characters (one block for jieba's cut, no ASCII runs to join); else jieba does it
_PURE_HAN = re.compile(f"[{JIEBA_HAN}]+").fullmatch


def _build_rjieba(lexicon: tuple[str, ...] | str, stamp: tuple | None):
    """An rjieba instance in exactly the state of jieba's Tokenizer after loading the lexicon.

    Returns ``(rj, final, total, lexicon_rows)``: the rjieba instance, every word
    with the frequency jieba ends up with, jieba's frequency total, and the
    lexicon's rows.

    jieba's ``add_word`` for a term without a frequency calls
    ``suggest_freq(term)``: the product of ``FREQ.get(seg, 1) / total`` over the
    segments of ``cut(term, HMM=False)``, times the total, plus one, or the
    term's own frequency if larger; the total then grows by the frequency,
    even for a word already listed. That is replayed term by term, in file
    order, with rjieba's route (the same as jieba's, see the module docstring)
    and jieba's floating-point operations in jieba's order. A placeholder word
    keeps rjieba's total equal to jieba's at every step (rjieba replaces a
    re-added word's frequency; jieba adds it again). Lexicons with a term
    jieba would cut into ASCII runs are resolved by jieba itself.
    """
    import rjieba

    words, freqs, _, total = jieba_dictionary()
    rows = list(load_lexicon(lexicon).itertuples(index=False))
    if _rjieba_embeds_jieba_dictionary():
        rj = rjieba.Jieba()  # the same words and frequencies, loaded in Rust
        add = rj.add_word
    else:
        rj = rjieba.Jieba.empty()
        add = rj.add_word
        for word, freq in zip(words, freqs):
            if freq:
                add(word, freq, "x")
    final = dict(jieba_word_freqs())  # a copy: the lexicon is added to it
    known = sum(final.values())
    padded = False

    def pad():
        nonlocal padded
        if total > known or padded:
            add(_PAD, total - known, "x")
            padded = True

    if any(not r.freq and not _PURE_HAN(r.term) for r in rows):
        tk = jieba_tokenizer(lexicon, stamp)
        for r in rows:
            known += tk.FREQ[r.term] - final.get(r.term, 0)
            final[r.term] = tk.FREQ[r.term]
            add(r.term, tk.FREQ[r.term], "x")
        total = tk.total
        pad()
        return rj, final, total, rows
    view = _FreqView(final)
    pad()
    for r in rows:
        term = r.term
        if r.freq:
            freq = int(r.freq)
        else:  # jieba.Tokenizer.suggest_freq(term, tune=False), operation for operation
            ftotal = float(total)
            f = 1
            for seg in rj.cut(term, False):
                f *= view.get(seg, 1) / ftotal
            # FREQ.get(term, 1) is 0 for a prefix, but the left side is at least 1 anyway
            freq = max(int(f * total) + 1, final.get(term, 1))
        known += freq - final.get(term, 0)
        view.add(term, freq)
        total += freq
        add(term, freq, "x")
        pad()
    return rj, final, total, rows


class RjiebaSegmenter:
    """Fast segmenter: rjieba for the dictionary route, jieba's rules for the rest.

    Output is identical to :class:`JiebaSegmenter` (see the module docstring).
    """

    name = "rjieba"

    def __init__(self, lexicon: tuple[str, ...] | str, stamp: tuple | None = None, detail_cache: int = 200_000):
        self.lexicon = lexicon
        self.stamp = stamp
        words, _, dict_tags, _ = jieba_dictionary()
        rj, final, _, lexicon_rows = _build_rjieba(lexicon, stamp)
        tags = dict(zip(words, dict_tags))  # jieba.posseg's word_tag_tab
        for row in lexicon_rows:
            if row.pos:
                tags[row.term] = row.pos
            else:
                tags.setdefault(row.term, "x")  # what a lookup would give anyway
        self._rj = rj
        # every word of frequency > 0 with its tag ("x" if it has none), and the tags of all
        if all(final.values()) and final.keys() <= tags.keys():
            self._words = self._tags = tags
        else:
            self._tags = tags
            self._words = {w: tags.get(w, "x") for w, f in final.items() if f}
        # shape codes of the tokens met (see _assemble), and the tags of tokens outside runs
        self._codes: dict[str, str] = {}
        self._tagx: dict[str, str] = dict(tags)
        self._hmm = pos_hmm()
        self._hmm.tables()  # built once here: worker processes forked later share them
        self._hmm.widths()
        self._detail: dict[str, tuple] = {}  # run of single characters -> its keys (see segment)
        self._tag_memo: dict[str, str] = {}  # token -> its usual tag, for the tokens met
        self._detail_max = detail_cache

    def _key(self, tok: str, tag: str):
        """A token's key in :meth:`segment`: the token itself when its tag is its usual one, else ``(token, tag)``."""
        return tok if self._tagx.get(tok, "x") == tag else (tok, tag)

    def _add_details(self, bufs) -> None:
        """HMM segmentation of new runs of unknown characters, their Chinese blocks in one batch."""
        blocks = {blk for b in bufs for blk in HAN_DETAIL_RE.findall(b)}
        routes = self._hmm.viterbi_many(sorted(blocks))
        if len(self._detail) + len(bufs) > self._detail_max:
            self._detail.clear()
        for b in bufs:
            try:
                self._detail[b] = tuple(self._key(t, g) for t, g in self._hmm.cut_detail(b, routes))
            except Fallback:
                pass

    def _detail_keys(self, buf: str):
        hit = self._detail.get(buf)
        if hit is None:
            hit = tuple(self._key(t, g) for t, g in self._hmm.cut_detail(buf))
            if len(self._detail) >= self._detail_max:
                self._detail.clear()
            self._detail[buf] = hit
        return hit

    def cut(self, text: str) -> list[tuple[str, str]]:
        """``(token, pos)`` pairs of ``text``, identical to the reference."""
        return list(self.segment(text).pairs())

    def segment(self, text: str) -> Segmented:
        """The segmentation of ``text`` in compact form (:class:`~analysis.segmentation.Segmented`).

        Tokens are collected as keys: the token itself when its tag is the one
        every occurrence outside a run of single characters gets (the
        dictionary's, or ``x``), else a ``(token, tag)`` pair; so most tokens go
        from rjieba's lists into the index without a tuple per token.
        """
        # 1. rjieba's route for every piece between special characters, with shape codes
        plan = []
        new: set[str] = set()
        detail, words = self._detail, self._words
        for i, piece in enumerate(_SPECIAL_RE.split(text)):
            if not piece:
                continue
            if i % 2:  # a special character: a symbol for jieba.posseg
                plan.append((piece, None))
                continue
            toks = self._rj.cut(piece, False)
            codes = list(map(self._codes.get, toks))
            for k in _positions(codes, None):  # tokens not met before
                codes[k] = self._code(toks[k])
            shape = "".join(codes)
            if "A" in shape:  # a dictionary word, or single characters rjieba joined? The reference decides.
                plan.append((piece, False))
                continue
            if "S" not in shape and "J" not in shape:
                plan.append((piece, toks))
                continue
            runs = [m.span() for m in _RUN_RE.finditer(shape)]
            bufs = ["".join(toks[a:b]) for a, b in runs]
            for b in bufs:
                if b not in detail:
                    if b not in words:
                        new.add(b)
                    elif len(detail) < self._detail_max:  # a run that is a word: its characters, usual tags
                        detail[b] = tuple(b)
            plan.append((piece, (toks, runs, bufs)))
        # 2. the HMM for all new runs of unknown characters at once
        if new:
            self._add_details(new)
        # 3. assemble the keys
        keys: list = []
        for piece, how in plan:
            if how is None:
                keys.append(self._key(piece, "x"))
            elif type(how) is list:
                keys.extend(how)
            else:
                n = len(keys)
                try:
                    if how is False:
                        raise Fallback
                    self._assemble(how, keys)
                except Fallback:
                    del keys[n:]
                    keys.extend(self._key(t, g) for t, g in reference_segmenter(self.lexicon, self.stamp).cut(piece))
        # 4. the compact form: distinct (token, tag) pairs in order of first occurrence, one index per token
        codes, distinct = pd.factorize(np.fromiter(keys, dtype=object, count=len(keys)))
        seq = codes.astype(np.uint32)
        tokens = distinct.tolist()
        # tags from a small table of the tokens met (lookups in the whole dictionary's are slow)
        memo = self._tag_memo
        pos = list(map(memo.get, tokens, repeat(None)))
        for i in _positions(pos, None):  # the few (token, tag) keys, and tokens not met before
            tok = tokens[i]
            if type(tok) is tuple:
                tokens[i], pos[i] = tok
            else:
                pos[i] = tag = self._tagx.get(tok, "x")
                if len(memo) < _MAX_CODES:
                    memo[tok] = tag
        return Segmented(tuple(tokens), tuple(pos), seq)

    def _code(self, w: str) -> str:
        """Shape code of a token rjieba returned and the code table missed (then remembered)."""
        if len(w) == 1:
            code = "S" if _IS_HAN_CHAR(w) else "x"
            if code == "x":
                self._tagx[w] = self._tag_memo[w] = "x"  # symbols and spaces are "x" for jieba.posseg, whatever the dictionary says
        elif w in self._words:
            code = "A" if _ASCII_ALNUM(w) else "M"
        elif _IS_HAN_CHAR(w[0]):  # single ASCII letters/digits rjieba joined (numbers, mostly)
            if len(self._codes) < _MAX_CODES:  # remembered up to a bound: they are unlimited
                self._codes[w] = "J"
            return "J"
        else:
            return "x"  # "\r\n"
        self._codes[w] = code
        return code

    def _assemble(self, how, keys: list) -> None:
        # jieba.posseg's __cut_DAG over rjieba's route. Every token has a one-letter
        # shape code (M word, S single Chinese character, J joined ASCII singles,
        # x symbol or space, A ambiguous ASCII word); runs of S/J tokens are the
        # runs of single characters jieba buffers, the rest keeps its usual tag.
        # A run that is a word is split into characters with their dictionary tags
        # (single Han-class characters: their usual tag).
        toks, runs, bufs = how
        detail = self._detail
        at = 0
        for (a, b), buf in zip(runs, bufs):
            if a > at:
                keys.extend(toks[at:a])
            hit = detail.get(buf)
            if hit is None:
                hit = tuple(buf) if buf in self._words else self._detail_keys(buf)
            keys.extend(hit)
            at = b
        if at < len(toks):
            keys.extend(toks[at:])


def _positions(items: list, value) -> Iterator[int]:
    """Indices of ``value`` in ``items`` (by equality), found by ``list.index``: fast when it is rare."""
    i = -1
    try:
        while True:
            i = items.index(value, i + 1)
            yield i
    except ValueError:
        return
