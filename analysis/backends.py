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

import os
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

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
_HAN_INTERNAL = "\u4E00-\u9FD5a-zA-Z0-9+#&._"
_HAN_INTERNAL_RE = re.compile(f"([{_HAN_INTERNAL}]+)")
_IS_HAN_CHAR = re.compile(f"[{_HAN_INTERNAL}]").match
# characters jieba.posseg treats as symbols but rjieba could put into a block:
# letters and digits of any script outside the posseg class, and % -
_SPECIAL_RE = re.compile(f"((?![{_HAN_INTERNAL}])(?:[%\\-]|[^\\W_]))")
_ASCII_ALNUM = re.compile(r"[a-zA-Z0-9]+").fullmatch
# jieba.posseg's detail patterns (HMM part)
_HAN_DETAIL_RE = re.compile("([\u4E00-\u9FD5]+)")
_SKIP_DETAIL_RE = re.compile(r"([\.0-9]+|[a-zA-Z0-9]+)")
_NUM_RE = re.compile(r"[\.0-9]+")
_ENG_RE = re.compile(r"[a-zA-Z0-9]+")

_MIN_FLOAT = -3.14e100
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
    chosen = (name or os.environ.get(ENV_VAR, "").strip() or "").lower()
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

    def cut(self, sentence: str) -> list[tuple[str, str]]:
        """jieba.posseg's ``__cut``: words and tags from the Viterbi states."""
        pos_list = self.viterbi(sentence)
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

    def cut_detail(self, sentence: str) -> list[tuple[str, str]]:
        """jieba.posseg's ``__cut_detail`` for a run of unknown characters."""
        out = []
        for blk in _HAN_DETAIL_RE.split(sentence):
            if _HAN_DETAIL_RE.match(blk):
                out.extend(self.cut(blk))
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

    import jieba

    folder = Path(jieba.__file__).resolve().parent / "posseg"
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
    lines = [ln for ln in data.split("\n") if ln.strip()]
    if len(fields) != 3 * len(lines):  # a word with odd whitespace: parse line by line, as jieba does
        fields = [x for ln in lines for x in ln.strip().split(" ")]
    return fields[0::3], [int(x) for x in fields[1::3]], fields[2::3]


class RjiebaSegmenter:
    """Fast segmenter: rjieba for the dictionary route, jieba's rules for the rest.

    Output is identical to :class:`JiebaSegmenter` (see the module docstring).
    """

    name = "rjieba"

    def __init__(self, lexicon: str, stamp: tuple | None = None, detail_cache: int = 200_000):
        import rjieba

        from .segmentation import _jieba_tokenizer, load_lexicon

        self.lexicon = lexicon
        self.stamp = stamp
        tk = _jieba_tokenizer(lexicon, stamp)
        words, freqs, dict_tags = _read_dict(tk.get_dict_file())
        tags = dict(zip(words, dict_tags))  # jieba.posseg's word_tag_tab
        lexicon_rows = list(load_lexicon(lexicon).itertuples(index=False))
        for row in lexicon_rows:
            if row.pos:
                tags[row.term] = row.pos
            else:
                tags.setdefault(row.term, "x")  # what a lookup would give anyway
        rj = rjieba.Jieba.empty()
        final: dict[str, int] = {}
        for word, freq in zip(words, freqs):
            if freq:
                rj.add_word(word, freq, "x")
            final[word] = freq
        for row in lexicon_rows:
            freq = tk.FREQ[row.term]  # as jieba resolved it (suggest_freq for an empty freq)
            rj.add_word(row.term, freq, "x")
            final[row.term] = freq
        total = sum(final.values())
        if tk.total > total:
            rj.add_word(_PAD, tk.total - total, "x")
        self._rj = rj
        # every word of frequency > 0 with its tag ("x" if it has none), and the tags of all
        if all(final.values()) and all(w in tags for w in final):
            self._words = self._tags = tags
        else:
            self._tags = tags
            self._words = {w: tags.get(w, "x") for w, f in final.items() if f}
        self._ascii_words = frozenset(w for w in self._words if len(w) > 1 and _ASCII_ALNUM(w))
        self._han_char: dict[str, bool] = {}
        self._hmm = _hmm()
        self._detail: dict[str, tuple[tuple[str, str], ...]] = {}
        self._detail_max = detail_cache

    @property
    def version(self) -> str:
        return backend_version(self.name)

    def _detail_pairs(self, buf: str):
        hit = self._detail.get(buf)
        if hit is None:
            hit = tuple(self._hmm.cut_detail(buf))
            if len(self._detail) >= self._detail_max:
                self._detail.clear()
            self._detail[buf] = hit
        return hit

    def cut(self, text: str) -> list[tuple[str, str]]:
        """``(token, pos)`` pairs of ``text``, identical to the reference."""
        out: list[tuple[str, str]] = []
        pieces = _SPECIAL_RE.split(text)
        for i, piece in enumerate(pieces):
            if not piece:
                continue
            if i % 2:  # a special character: a symbol for jieba.posseg
                out.append((piece, "x"))
                continue
            try:
                self._cut_piece(piece, out)
            except _Fallback:
                out.extend(_segmenter("jieba", self.lexicon, self.stamp).cut(piece))
        return out

    def _cut_piece(self, piece: str, out: list) -> None:
        # jieba.posseg's __cut_DAG over rjieba's route: runs of single characters
        # are buffered; a run that is not a word goes through the HMM
        words, tags, han = self._words, self._tags, self._han_char
        start = len(out)
        buf: list[str] = []

        def flush():
            s = "".join(buf)
            buf.clear()
            if len(s) == 1:
                out.append((s, tags.get(s, "x")))
            elif s not in words:
                try:
                    out.extend(self._detail_pairs(s))
                except _Fallback:
                    del out[start:]
                    raise
            else:
                out.extend((ch, tags.get(ch, "x")) for ch in s)

        for w in self._rj.cut(piece, False):
            if len(w) == 1:
                h = han.get(w)
                if h is None:
                    h = han[w] = bool(_IS_HAN_CHAR(w))
                if h:
                    buf.append(w)
                    continue
                if buf:
                    flush()
                out.append((w, "x"))
                continue
            tag = words.get(w)
            if tag is not None:
                if w in self._ascii_words:  # a dictionary word, or single characters rjieba joined?
                    del out[start:]
                    raise _Fallback
                if buf:
                    flush()
                out.append((w, tag))
            elif _IS_HAN_CHAR(w[0]):  # single ASCII letters/digits rjieba joined
                buf.extend(w)
            else:  # "\r\n"
                if buf:
                    flush()
                out.append((w, "x"))
        if buf:
            flush()


@lru_cache(maxsize=4)
def _segmenter(name: str, lexicon: str, stamp: tuple | None = None):
    return JiebaSegmenter(lexicon, stamp) if name == "jieba" else RjiebaSegmenter(lexicon, stamp)


def get_segmenter(name: str | None = None, lexicon: str | Path | None = None):
    """The segmenter ``name`` (see :func:`backend_name`) for ``lexicon``, loaded once per process."""
    from .segmentation import _lexicon_path, _stamp

    lex = str(_lexicon_path(lexicon).resolve())
    return _segmenter(backend_name(name), lex, _stamp(lex))
