"""Segmenter backends: plain jieba (the reference) and a fast, identical one on rjieba.

Both return the same ``(token, pos)`` pairs as ``jieba.posseg`` with the
project lexicon and HMM on. Choose one with the ``backend`` argument of
:func:`analysis.segmentation.segment_pairs` or the environment variable
``ANALYSIS_SEGMENTER=jieba|rjieba``; the default is ``rjieba`` when it is
installed (it has been checked token for token and tag for tag against the
reference on the seeds and on 143 city work reports), else ``jieba``.

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
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from .cache import Segmented
from .config import segmenter_setting
from .text import JIEBA_HAN

__all__ = [
    "BACKENDS",
    "ENV_VAR",
    "backend_name",
    "get_segmenter",
    "available_backends",
    "backend_version",
    "JiebaSegmenter",
    "RjiebaSegmenter",
]

BACKENDS = ("jieba", "rjieba")
ENV_VAR = "ANALYSIS_SEGMENTER"
#: bump when the output of a backend may change (part of every cache key)
BACKEND_VERSION = "1"

# jieba.posseg's block pattern: one block = characters of this class
_HAN_INTERNAL = JIEBA_HAN + "a-zA-Z0-9+#&._"
_HAN_INTERNAL_RE = re.compile(f"([{_HAN_INTERNAL}]+)")
_IS_HAN_CHAR = re.compile(f"[{_HAN_INTERNAL}]").match
# characters jieba.posseg treats as symbols but rjieba could put into a block:
# letters and digits of any script outside the posseg class, and % -
_SPECIAL_RE = re.compile(f"((?![{_HAN_INTERNAL}])(?:[%\\-]|[^\\W_]))")
_ASCII_ALNUM = re.compile(r"[a-zA-Z0-9]+").fullmatch
# runs of tokens jieba.posseg buffers: two or more single characters, or joined ASCII singles
_RUN_RE = re.compile(r"S[SJ]+|J[SJ]*")
# jieba.posseg's detail patterns (HMM part)
_HAN_DETAIL_RE = re.compile(f"([{JIEBA_HAN}]+)")
_SKIP_DETAIL_RE = re.compile(r"([\.0-9]+|[a-zA-Z0-9]+)")
_NUM_RE = re.compile(r"[\.0-9]+")
_ENG_RE = re.compile(r"[a-zA-Z0-9]+")

_MIN_FLOAT = -3.14e100
#: batches of the HMM search by the widest character's number of states (see _PosHMM.viterbi_many)
_WIDTH_BUCKETS = (8, 12, 16, 24, 32, 48)
#: the table of tokens' shape codes stops growing at this many entries
_MAX_CODES = 2_000_000
_NEG_INF = float("-inf")
_EMPTY: dict = {}
_PAD = "\ue000\ue001\ue002"  # placeholder word: private-use characters never occur in a block


def available_backends() -> list[str]:
    """Backends that can run here (``jieba`` always; ``rjieba`` if installed)."""
    import importlib.util

    out = ["jieba"]
    if importlib.util.find_spec("rjieba") is not None:  # not imported: that loads a dictionary
        out.append("rjieba")
    return out


def backend_name(name: str | None = None) -> str:
    """Resolve a backend name: the argument, else ``$ANALYSIS_SEGMENTER``, else the fastest available.

    Raises
    ------
    ValueError
        For an unknown name, or ``rjieba`` when it is not installed.
    """
    chosen = (name or segmenter_setting() or "").lower()
    if not chosen:
        return available_backends()[-1]
    if chosen not in BACKENDS:
        raise ValueError(f"unknown segmenter {chosen!r}: use one of {', '.join(BACKENDS)} (argument or ${ENV_VAR})")
    if chosen not in available_backends():
        raise ValueError(f"the segmenter {chosen!r} is not installed: `pip install rjieba`, or use {ENV_VAR}=jieba")
    return chosen


@lru_cache(maxsize=None)
def backend_version(name: str) -> str:
    """Version string of a backend's output (part of every cache key), without loading it."""
    from importlib.metadata import PackageNotFoundError, version

    def v(pkg):
        try:
            return version(pkg)
        except PackageNotFoundError:
            return "?"

    if name == "jieba":
        return f"jieba-{v('jieba')}-{BACKEND_VERSION}"
    return f"rjieba-{v('rjieba')}-jieba-{v('jieba')}-{BACKEND_VERSION}"


# --------------------------------------------------------------------------- reference


class JiebaSegmenter:
    """The reference: ``jieba.posseg`` with the project lexicon, HMM on."""

    name = "jieba"

    def __init__(self, lexicon: str, stamp: tuple | None = None):
        from .segmentation import _tokenizers

        self.lexicon = lexicon
        self.stamp = stamp
        _, self._pos = _tokenizers(lexicon, stamp)

    @property
    def version(self) -> str:
        return backend_version(self.name)

    def cut(self, text: str) -> list[tuple[str, str]]:
        """``(token, pos)`` pairs of ``text``."""
        return [(p.word, p.flag) for p in self._pos.cut(text)]

    def segment(self, text: str) -> Segmented:
        """The segmentation of ``text`` in compact form (:class:`~analysis.cache.Segmented`)."""
        return Segmented.from_pairs(self.cut(text))


# --------------------------------------------------------------------------- fast


class _PosHMM:
    """jieba.posseg's part-of-speech HMM with an exact, sparser Viterbi search."""

    def __init__(self):
        char_state_tab_P, start_P, trans_P, emit_P = _posseg_tables()
        states = sorted(trans_P)  # tuple order = jieba's tie-break order
        idx = {s: i for i, s in enumerate(states)}
        self.states = states
        self.n = n = len(states)
        self.start = np.array([start_P[s] for s in states])
        self.trans = np.full((n, n), _NEG_INF)
        for s, table in trans_P.items():
            for y, p in table.items():
                self.trans[idx[s], idx[y]] = p
        self.all_idx = np.arange(n)
        self.char_idx = {c: np.array(sorted(idx[s] for s in v)) for c, v in char_state_tab_P.items()}
        self.emit_by_char: dict[str, dict[int, float]] = {}
        for s, table in emit_P.items():
            for ch, p in table.items():
                self.emit_by_char.setdefault(ch, {})[idx[s]] = p
        self._emit_rows: dict[str, np.ndarray] = {}
        self._padded = None
        self._width = None

    def _emission(self, c: str):
        row = self._emit_rows.get(c)
        if row is None:
            row = np.full(self.n, _MIN_FLOAT)
            for y, p in self.emit_by_char.get(c, _EMPTY).items():
                row[y] = p
            self._emit_rows[c] = row
        return row

    def viterbi(self, obs: str) -> list[tuple[str, str]]:
        """Most probable state of each character; same result as ``jieba.posseg.viterbi``.

        Vectorised over the (previous state, state) pairs allowed for each
        character, with jieba's floating-point operations in jieba's order
        (``(V + trans) + emit``), a missing transition counting as -inf, and
        ties going to the larger previous state as with jieba's ``max`` over
        ``(probability, state)`` tuples.
        """
        c = obs[0]
        cur = self.char_idx.get(c, self.all_idx)
        V = self.start[cur] + self._emission(c)[cur]
        back = []
        for c in obs[1:]:
            e = self._emission(c)
            obs_states = self.char_idx.get(c)
            for candidates in (obs_states, self.all_idx):
                if candidates is None:
                    continue
                vals = (V[:, None] + self.trans[cur[:, None], candidates[None, :]]) + e[candidates][None, :]
                pick = len(cur) - 1 - vals[::-1].argmax(axis=0)  # last maximum: the larger previous state
                best = vals[pick, np.arange(len(candidates))]
                keep = best > _NEG_INF  # states some previous state can reach
                if keep.any():
                    break
            else:  # no previous state has a successor: jieba itself fails here
                raise _Fallback
            back.append((cur, pick[keep]))
            cur = candidates[keep]
            V = best[keep]
        i = len(V) - 1 - int(V[::-1].argmax())  # max over (probability, state): ties to the larger state
        route = [0] * len(obs)
        route[-1] = int(cur[i])
        for t in range(len(obs) - 2, -1, -1):
            prev_states, ptr = back[t]
            i = int(ptr[i])
            route[t] = int(prev_states[i])
        return [self.states[s] for s in route]

    def _tables(self):
        """Padded per-character state lists and emissions for :meth:`viterbi_many`."""
        if self._padded is None:
            chars = sorted(self.char_idx)
            K = max(len(v) for v in self.char_idx.values())
            D = self.n  # a dummy state: probability 0 everywhere
            states = np.full((len(chars), K), D, dtype=np.int64)
            emis = np.full((len(chars), K), _NEG_INF)
            for i, c in enumerate(chars):
                idx = self.char_idx[c][::-1]  # larger states first: the first maximum breaks ties as jieba does
                states[i, :len(idx)] = idx
                emis[i, :len(idx)] = self._emission(c)[idx]
            trans = np.full((self.n + 1, self.n + 1), _NEG_INF)
            trans[:self.n, :self.n] = self.trans
            start = np.append(self.start, _NEG_INF)
            self._padded = ({c: i for i, c in enumerate(chars)}, states, emis, trans, start, K)
        return self._padded

    def viterbi_many(self, seqs: list[str]) -> dict[str, list[tuple[str, str]]]:
        """:meth:`viterbi` of many strings at once, one numpy step per character position.

        Each character's states are listed largest first, so numpy's first
        maximum is jieba's tie-break (the larger state), and padded to the
        widest character's of the batch with a dummy state of probability 0
        after the real ones. Strings are batched by their widest character
        (:data:`_WIDTH_BUCKETS`): the work per position grows with the square
        of the width, and most strings have only narrow characters. Strings with a character the
        HMM does not know, or whose characters cannot follow each other (where
        jieba widens the allowed states), go through :meth:`viterbi`.
        """
        char_id, states, emis, trans, start, K = self._tables()
        out: dict[str, list[tuple[str, str]]] = {}
        batch = []
        for s in seqs:
            if all(c in char_id for c in s):
                batch.append(s)
            else:
                try:
                    out[s] = self.viterbi(s)
                except _Fallback:  # left out: the caller falls back to the reference
                    pass
        if not batch:
            return out
        # strings of narrow characters go together: the work per position grows with
        # the square of the widest character's state count in the batch
        width = self._widths()
        buckets: dict[int, list[str]] = {}
        for s in batch:
            w = max(map(width.__getitem__, s))
            buckets.setdefault(next(b for b in _WIDTH_BUCKETS if b >= w) if w <= _WIDTH_BUCKETS[-1] else K, []).append(s)
        for k, strings in sorted(buckets.items()):
            self._viterbi_batch(strings, k, out)
        return out

    def _widths(self) -> dict[str, int]:
        if self._width is None:
            self._width = {c: len(v) for c, v in self.char_idx.items()}
        return self._width

    def _viterbi_batch(self, batch: list[str], k: int, out: dict) -> None:
        """The batched Viterbi search over strings whose characters have at most ``k`` states."""
        char_id, states, emis, trans, start, _ = self._tables()
        K = k
        states, emis = states[:, :K], emis[:, :K]  # the columns cut off are padding only
        batch.sort(key=len, reverse=True)
        B = len(batch)
        lens = np.fromiter(map(len, batch), dtype=np.int64, count=B)
        L = int(lens[0])
        rows = np.repeat(np.arange(B), lens)
        starts = np.cumsum(lens) - lens
        cols = np.arange(int(lens.sum())) - np.repeat(starts, lens)
        ids = np.zeros((B, L), dtype=np.int64)
        ids[rows, cols] = [char_id[c] for s in batch for c in s]
        cur = states[ids[:, 0]].copy()
        V = start[cur] + emis[ids[:, 0]]
        curs, picks = [cur.copy()], []
        ok = np.ones(B, dtype=bool)
        trans_flat, width = trans.ravel(), trans.shape[1]
        going = np.searchsorted(-lens, -np.arange(L), side="left")  # strings longer than t: the first going[t]
        for t in range(1, L):
            n = int(going[t])
            cand = states[ids[:n, t]]
            # (V + trans) + emit, as jieba adds them (trans + V is the same number: addition commutes)
            # vals[string, state, previous state]: the reduction runs along the last, contiguous axis
            vals = trans_flat.take(cur[:n, None, :] * width + cand[:, :, None])
            vals += V[:n, None, :]
            vals += emis[ids[:n, t]][:, :, None]
            pick = vals.argmax(axis=2)  # first maximum: the larger previous state (states are in descending order)
            best = np.take_along_axis(vals, pick[:, :, None], axis=2)[:, :, 0]
            keep = best > _NEG_INF
            ok[:n] &= keep.any(axis=1)
            cur[:n] = np.where(keep, cand, self.n)
            V[:n] = np.where(keep, best, _NEG_INF)
            curs.append(cur[:n].copy())
            picks.append(pick)
        # backtrack all strings at once, each from its own last position
        i = V.argmax(axis=1)  # ties: the larger state, as max over (prob, state)
        route = np.zeros((B, L), dtype=np.int64)
        for t in range(L - 1, -1, -1):
            n = int(going[t])
            r = np.arange(n)
            route[:n, t] = curs[t][r, i[:n]]
            if t:
                i[:n] = picks[t - 1][r, i[:n]]
        names = self.states
        for b, (s, rt) in enumerate(zip(batch, route.tolist())):
            if ok[b]:
                out[s] = [names[y] for y in rt[:len(s)]]
            else:
                try:
                    out[s] = self.viterbi(s)
                except _Fallback:
                    pass

    def cut(self, sentence: str, routes: dict | None = None) -> list[tuple[str, str]]:
        """jieba.posseg's ``__cut``: words and tags from the Viterbi states."""
        pos_list = routes[sentence] if routes and sentence in routes else self.viterbi(sentence)
        out = []
        begin = nexti = 0
        for i, char in enumerate(sentence):
            bmes = pos_list[i][0]
            if bmes == "B":
                begin = i
            elif bmes == "E":
                out.append((sentence[begin:i + 1], pos_list[i][1]))
                nexti = i + 1
            elif bmes == "S":
                out.append((char, pos_list[i][1]))
                nexti = i + 1
        if nexti < len(sentence):
            out.append((sentence[nexti:], pos_list[nexti][1]))
        return out

    def cut_detail(self, sentence: str, routes: dict | None = None) -> list[tuple[str, str]]:
        """jieba.posseg's ``__cut_detail`` for a run of unknown characters."""
        out = []
        for blk in _HAN_DETAIL_RE.split(sentence):
            if _HAN_DETAIL_RE.match(blk):
                out.extend(self.cut(blk, routes))
            else:
                for x in _SKIP_DETAIL_RE.split(blk):
                    if x:
                        if _NUM_RE.match(x):
                            out.append((x, "m"))
                        elif _ENG_RE.match(x):
                            out.append((x, "eng"))
                        else:
                            out.append((x, "x"))
        return out


def _posseg_tables():
    """jieba.posseg's HMM tables, read without importing ``jieba.posseg``.

    Importing it builds a default POSTokenizer, which parses jieba's whole
    dictionary (seconds) for nothing.
    """
    import importlib.util

    folder = _jieba_folder() / "posseg"
    tables = []
    for name in ("char_state_tab", "prob_start", "prob_trans", "prob_emit"):
        spec = importlib.util.spec_from_file_location(f"_analysis_posseg_{name}", folder / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        tables.append(mod.P)
    return tuple(tables)


class _Fallback(Exception):
    """This piece must be segmented by the reference backend."""


@lru_cache(maxsize=1)
def _hmm() -> _PosHMM:
    return _PosHMM()


def _read_dict(f) -> tuple[list[str], list[int], list[str]]:
    """Words, frequencies and tags of a jieba dictionary file, in file order."""
    with f:
        data = f.read().decode("utf-8")
    fields = data.split()
    n_lines = data.count("\n") + (not data.endswith("\n"))
    if len(fields) != 3 * n_lines:  # blank lines, or a word with odd whitespace: parse line by line, as jieba does
        lines = [ln for ln in data.split("\n") if ln.strip()]
        fields = [x for ln in lines for x in ln.strip().split(" ")]
    return fields[0::3], list(map(int, fields[1::3])), fields[2::3]


@lru_cache(maxsize=1)
def jieba_dictionary() -> tuple[list[str], list[int], list[str], int]:
    """jieba's default dictionary, parsed once: words, frequencies, tags (file order) and jieba's total.

    The total counts every line, as jieba's ``gen_pfdict`` does, so a word
    listed twice counts twice. Reading the file takes about 0.2 s, against
    1.5 s or more for jieba's own start-up (its cache holds every prefix of
    every word).
    """
    words, freqs, tags = _read_dict((_jieba_folder() / "dict.txt").open("rb"))  # jieba's DEFAULT_DICT
    return words, freqs, tags, sum(freqs)


def _jieba_folder() -> Path:
    """jieba's package folder, found without importing jieba (its import loads pkg_resources: 0.2 s)."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jieba is not installed: `pip install jieba`")
    return Path(list(spec.submodule_search_locations)[0])


@lru_cache(maxsize=1)
def jieba_word_freqs() -> dict[str, int]:
    """jieba's default dictionary as ``word -> frequency`` (the last line wins, as in jieba). Do not modify."""
    words, freqs, _, _ = jieba_dictionary()
    return dict(zip(words, freqs))


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
    digest = hashlib.sha256((_jieba_folder() / "dict.txt").read_bytes()).hexdigest()
    return digest == _JIEBA_DICT_SHA256


#: lexicon terms whose frequency jieba must suggest are resolved here only if they are
#: all Han characters (one block for jieba's cut, no ASCII runs to join); else jieba does it
_PURE_HAN = re.compile(f"[{JIEBA_HAN}]+").fullmatch


def _build_rjieba(lexicon: str, stamp: tuple | None):
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

    from .segmentation import load_lexicon

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
        from .segmentation import _jieba_tokenizer

        tk = _jieba_tokenizer(lexicon, stamp)
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

    def __init__(self, lexicon: str, stamp: tuple | None = None, detail_cache: int = 200_000):
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
        self._hmm = _hmm()
        self._hmm._tables()  # built once here: worker processes forked later share them
        self._hmm._widths()
        self._detail: dict[str, tuple] = {}  # run of single characters -> its keys (see segment)
        self._tag_memo: dict[str, str] = {}  # token -> its usual tag, for the tokens met
        self._detail_max = detail_cache

    @property
    def version(self) -> str:
        return backend_version(self.name)

    def _key(self, tok: str, tag: str):
        """A token's key in :meth:`segment`: the token itself when its tag is its usual one, else ``(token, tag)``."""
        return tok if self._tagx.get(tok, "x") == tag else (tok, tag)

    def _add_details(self, bufs) -> None:
        """HMM segmentation of new runs of unknown characters, their Chinese blocks in one batch."""
        blocks = {blk for b in bufs for blk in _HAN_DETAIL_RE.findall(b)}
        routes = self._hmm.viterbi_many(sorted(blocks))
        if len(self._detail) + len(bufs) > self._detail_max:
            self._detail.clear()
        for b in bufs:
            try:
                self._detail[b] = tuple(self._key(t, g) for t, g in self._hmm.cut_detail(b, routes))
            except _Fallback:
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
        """The segmentation of ``text`` in compact form (:class:`~analysis.cache.Segmented`).

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
                        raise _Fallback
                    self._assemble(how, keys)
                except _Fallback:
                    del keys[n:]
                    keys.extend(self._key(t, g) for t, g in _segmenter("jieba", self.lexicon, self.stamp).cut(piece))
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


@lru_cache(maxsize=4)
def _segmenter(name: str, lexicon: str, stamp: tuple | None = None):
    return JiebaSegmenter(lexicon, stamp) if name == "jieba" else RjiebaSegmenter(lexicon, stamp)


def get_segmenter(name: str | None = None, lexicon: str | Path | None = None):
    """The segmenter ``name`` (see :func:`backend_name`) for ``lexicon``, loaded once per process."""
    from .segmentation import _lexicon_path, _stamp

    lex = str(_lexicon_path(lexicon).resolve())
    return _segmenter(backend_name(name), lex, _stamp(lex))
