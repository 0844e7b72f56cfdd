"""Phrases (layer 8): collocations scored like quanteda's ``textstat_collocations``, and the ones worth joining.

Segmentation cuts formulations into pieces (专精/特新, 营商/环境, 一网/通办): keyness cannot show a
formulation it never counts. :func:`collocations` scores every sequence of 2 to 4 adjacent word tokens of
the corpus; :func:`find_phrases` keeps those that are clearly units; ``dfm``, ``tokens`` and keyness join
them into single tokens (quanteda's ``tokens_compound``) when given ``phrases=``. The list is found in the
corpus itself, never written by hand; :func:`save_phrases` writes it as a TSV to review and edit, and
:func:`load_phrases` reads an edited one back.

Statistics, for a sequence ``s = w_1 … w_n`` among the corpus's windows of ``n`` adjacent word tokens
(windows never cross punctuation, whitespace or a document boundary):

``lambda``, ``sigma``, ``z``
    quanteda's (Blaheta & Johnson 2001, "all subtuples"): for every pattern ``b`` of the ``2^n`` ways a window
    can agree with ``s`` position by position, ``c_b`` is the number of windows agreeing exactly there, plus
    ``smoothing`` (0.5). ``lambda = Σ_b (-1)^(n - |b|) ln c_b``, ``sigma = sqrt(Σ_b 1/c_b)``,
    ``z = lambda / sigma``. For ``n = 2`` this is the log odds ratio of the 2×2 table of the two positions.
``pmi``
    ``log2(p(s) / Π p(w_i))``, with ``p(s)`` the sequence's share of windows of its length and ``p(w)`` a
    word's share of word tokens.
``logdice``
    Rychlý (2008): ``14 + log2(n · f(s) / Σ f(w_i))`` (for two words, ``14 + log2(2 f(xy) / (f(x) + f(y)))``).
``t``
    t-score ``(f(s) - E) / sqrt(f(s))`` with ``E = N_n Π p(w_i)``.
``count``, ``docs``
    Occurrences and the number of documents they are in.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from .corpus import Corpus
from .lexicon import jieba_dictionary, lexicon_fingerprint, number_matcher
from .config import cache_enabled, memory_budget
from .store import iter_segmented, key, read_table, write_table

__all__ = ["collocations", "find_phrases", "save_phrases", "load_phrases", "phrase_set", "COLLOCATION_COLUMNS",
           "PHRASE_COLUMNS", "PHRASE_RULES", "GRAMMATICAL_TAGS", "corpus_phrases",
           "cached_phrases", "PHRASES_VERSION"]

COLLOCATION_COLUMNS = ["collocation", "tokens", "length", "count", "docs", "lambda", "sigma", "z", "pmi", "logdice",
                       "t"]

#: What :func:`find_phrases` joins by default, and why: a pair seen at least 5 times (below that no
#: association statistic is stable; Evert 2008), in at least 2 documents (a phrase of the corpus, not one
#: author's habit; 1 for a one-document corpus), with z of at least 3.29 (two-sided p < 0.001), that is the
#: main use of its rarer part (at least half of that part's occurrences), in at most 3 passes (a phrase of up
#: to 8 tokens) and 8 characters (a formulation, not a clause).
PHRASE_RULES = {"min_count": 5, "min_docs": 2, "min_z": 3.29, "min_share": 0.5, "passes": 4, "max_chars": 16}
PHRASE_COLUMNS = ["phrase", "tokens", "length", "pass", "count", "docs", "z", "share"]

_WORD_RE = re.compile(r"^[\w]+$")


def _windows(ids: np.ndarray, ok: np.ndarray, n: int) -> np.ndarray:
    """Start positions of windows of ``n`` adjacent positions that are all ``ok``."""
    if len(ids) < n:
        return np.zeros(0, dtype=np.int64)
    bad = np.concatenate([[0], np.cumsum(~ok)])
    starts = np.arange(len(ids) - n + 1)
    return starts[bad[starts + n] - bad[starts] == 0]


#: word classes that never start or end a phrase: pronouns, conjunctions, prepositions, particles, modal
#: particles, interjections, onomatopoeia (ICTCLAS tags; jieba's dictionary tag of the word)
GRAMMATICAL_TAGS = ("r", "c", "p", "u", "y", "e", "o")


def _grammatical(strings) -> frozenset:
    """The grammatical words among ``strings``, by their tag in jieba's dictionary (:data:`GRAMMATICAL_TAGS`)."""
    words, _, tags, _ = jieba_dictionary()
    tag_of = dict(zip(words, tags))
    return frozenset(t for t in strings if tag_of.get(t, "").startswith(GRAMMATICAL_TAGS))


def collocations(corp: Corpus, *, size: int | Sequence[int] = (2, 3, 4), min_count: int = 2,
                 smoothing: float = 0.5, lexicon=None) -> pd.DataFrame:
    """Every sequence of ``size`` adjacent word tokens seen ``min_count`` times or more, with its statistics.

    Parameters
    ----------
    corp : Corpus
    size : int or sequence of int
        Lengths in tokens (2 to 6).
    min_count : int
        Sequences seen fewer times are left out (they still count as windows in everyone else's statistics).
    smoothing : float
        Added to every cell of ``lambda`` (quanteda's default 0.5).
    lexicon : optional
        The lexicon of the segmentation (default: the corpus's own, :attr:`Corpus.lexicon`).

    Returns
    -------
    DataFrame
        :data:`COLLOCATION_COLUMNS`, sorted by z (strongest first), then by collocation. See the module
        docstring for the formulas.
    """
    sizes = sorted({size} if isinstance(size, int) else set(size))
    if not sizes or min(sizes) < 2 or max(sizes) > 6:
        raise ValueError(f"size must be between 2 and 6 tokens, not {size!r}")
    if smoothing < 0:
        raise ValueError("smoothing must not be negative")
    # one pass over the segmentations: each size counts its windows a run of documents at a time, so memory
    # holds the distinct sequences and their sub-patterns, never the documents
    vocab = _Vocabulary()
    counters = [_WindowCounts(n) for n in sizes]
    unigram = np.zeros(0, dtype=np.int64)
    for seg in iter_segmented(corp.texts(), lexicon=corp.lexicon if lexicon is None else lexicon):
        ids = vocab.ids(seg)
        word = vocab.word
        unigram = _PairCounts._add(unigram, ids[word[ids]])
        for c in counters:
            c.add(ids, word)
    strings = list(vocab.index)
    unigram = np.concatenate([unigram, np.zeros(len(strings) - len(unigram), dtype=np.int64)]).astype(float)
    n_words = unigram.sum()
    frames = [c.score(strings, min_count, smoothing, unigram, n_words) for c in counters]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLLOCATION_COLUMNS)
    out = out.sort_values(["z", "collocation"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)[COLLOCATION_COLUMNS]


def _score(docs, word, strings, n, min_count, smoothing, unigram, n_words) -> pd.DataFrame:
    """The statistics of every sequence of ``n`` tokens in ``docs`` (arrays of ids; see :func:`collocations`)."""
    counter = _WindowCounts(n)
    for ids in docs:
        counter.add(ids, word)
    return counter.score(strings, min_count, smoothing, unigram, n_words)


class _Codes:
    """Dense codes for int64 keys, the same in every run of documents, in order of first appearance.

    The keys are kept (a hash index), so a code gives its key back: ``keys[code]``.
    """

    def __init__(self):
        self.keys = pd.Index(np.zeros(0, dtype=np.int64))

    def __call__(self, keys: np.ndarray) -> np.ndarray:
        codes = self.keys.get_indexer(keys)
        new = codes < 0
        if new.any():
            fresh = pd.unique(keys[new])
            start = len(self.keys)
            self.keys = self.keys.append(pd.Index(fresh))
            codes[new] = start + pd.Index(fresh).get_indexer(keys[new])
        return codes.astype(np.int64)

    def get(self, keys: np.ndarray) -> np.ndarray:
        """The codes of keys seen before."""
        return self.keys.get_indexer(keys).astype(np.int64)


class _WindowCounts:
    """The windows of ``n`` adjacent word tokens of a corpus, counted a run of documents at a time.

    For every pattern ``S`` (a non-empty subset of the ``n`` positions, bit ``k`` for position ``k``), the
    number of windows showing each combination of tokens at those positions: the ``M(S)`` of quanteda's
    statistic. A pattern's combinations get dense codes chained position by position (the code of ``S``
    comes from the code of ``S`` without its last position and the token there, :class:`_Codes`), so the
    counts of every run add up, and the full pattern's codes give each sequence's tokens back. The
    sequences come in order of first appearance, as if every window were held at once.
    """

    #: windows gathered before they are counted
    RUN = 2_000_000

    def __init__(self, n: int):
        self.n = n
        self.codes = {S: _Codes() for S in range(1, 1 << n) if S & (S - 1)}  # patterns of two positions or more
        self.counts = {S: np.zeros(0, dtype=np.int64) for S in range(1, 1 << n)}
        self.docs = np.zeros(0, dtype=np.int64)  # documents of each full sequence
        self.windows = 0
        self._run: list[np.ndarray] = []
        self._run_size = 0

    def add(self, ids: np.ndarray, word: np.ndarray) -> None:
        """One document's token ids (``word``: whether each id is a word token)."""
        starts = _windows(ids, word[ids], self.n)
        self._run.append(np.stack([ids[starts + k] for k in range(self.n)], axis=1) if len(starts) else
                         np.zeros((0, self.n), dtype=np.int64))
        self._run_size += len(starts)
        if self._run_size >= self.RUN:
            self._flush()

    def _pattern_codes(self, W: np.ndarray, record: bool) -> dict[int, np.ndarray]:
        """The code of each window (rows of ``W``) under every pattern; ``record``: give new combinations codes."""
        out = {}
        for S in range(1, 1 << self.n):
            last = S.bit_length() - 1
            rest = S & ~(1 << last)
            if not rest:
                out[S] = W[:, last]
            else:
                keys = out[rest] * PAIR_BASE + W[:, last]
                out[S] = self.codes[S](keys) if record else self.codes[S].get(keys)
        return out

    def _flush(self) -> None:
        if not self._run:
            return
        W = np.concatenate(self._run)
        doc = np.repeat(np.arange(len(self._run), dtype=np.int64), [len(r) for r in self._run])
        self._run, self._run_size = [], 0
        if not len(W):
            return
        self.windows += len(W)
        codes = self._pattern_codes(W, record=True)
        for S, c in codes.items():
            self.counts[S] = _PairCounts._add(self.counts[S], c)
        full = codes[(1 << self.n) - 1]
        pair_doc = pd.unique(full * (int(doc[-1]) + 1) + doc)  # distinct (sequence, document): runs hold different documents
        self.docs = _PairCounts._add(self.docs, pair_doc // (int(doc[-1]) + 1))

    def tokens(self, full: np.ndarray) -> np.ndarray:
        """The token ids (rows, one column per position) of sequences given by their full pattern's codes."""
        n = self.n
        out = np.zeros((len(full), n), dtype=np.int64)
        code = full
        for k in range(n - 1, 0, -1):
            key = self.codes[(1 << (k + 1)) - 1].keys.to_numpy()[code]
            out[:, k] = key % PAIR_BASE
            code = key // PAIR_BASE
        out[:, 0] = code
        return out

    def score(self, strings, min_count, smoothing, unigram, n_words) -> pd.DataFrame:
        """The statistics of every sequence seen ``min_count`` times (see :func:`collocations`)."""
        self._flush()
        n = self.n
        if not self.windows:
            return pd.DataFrame(columns=COLLOCATION_COLUMNS)
        full_S = (1 << n) - 1
        counts = self.counts[full_S]
        cand = np.flatnonzero(counts >= max(1, min_count))
        parts = self.tokens(cand)
        # M(S): windows agreeing with the candidate on the positions of S, for every subset S (bit k: position k)
        marg = np.zeros((len(cand), 1 << n))
        marg[:, 0] = self.windows
        for S, c in self._pattern_codes(parts, record=False).items():
            marg[:, S] = self.counts[S][c]
        # exact agreement by inclusion-exclusion over supersets
        exact = np.zeros_like(marg)
        full = (1 << n) - 1
        for b in range(1 << n):
            rest = full & ~b
            sub = rest
            while True:
                S = b | sub
                exact[:, b] += (-1) ** bin(sub).count("1") * marg[:, S]
                if sub == 0:
                    break
                sub = (sub - 1) & rest
        cells = exact + smoothing
        signs = np.array([(-1) ** (n - bin(b).count("1")) for b in range(1 << n)], dtype=float)
        with np.errstate(divide="ignore"):
            lam = np.log(cells) @ signs
        sigma = np.sqrt((1.0 / cells).sum(axis=1))
        f = counts[cand].astype(float)
        pw = unigram[parts] / n_words
        p_seq = f / self.windows
        expected = self.windows * pw.prod(axis=1)
        n_docs = self.docs[cand]
        toks = [[strings[i] for i in row] for row in parts.tolist()]
        return pd.DataFrame({
            "collocation": ["".join(t) for t in toks],
            "tokens": [" ".join(t) for t in toks],
            "length": n,
            "count": f.astype(np.int64),
            "docs": n_docs.astype(np.int64),
            "lambda": lam,
            "sigma": sigma,
            "z": lam / sigma,
            "pmi": np.log2(p_seq / pw.prod(axis=1)),
            "logdice": 14 + np.log2(n * f / unigram[parts].sum(axis=1)),
            "t": (f - expected) / np.sqrt(f),
        })


#: pair keys are ``x * PAIR_BASE + y``: ids stay below it, and a key fits in 64 bits
PAIR_BASE = 2**31


class _PairCounts:
    """Counts of adjacent pairs of word tokens, gathered a run of documents at a time (memory holds the distinct
    pairs and per-id totals, never the documents): occurrences and documents of each pair, how often each id
    starts and ends a pair, and each word's occurrences."""

    #: pairs gathered before the distinct ones are merged
    MERGE_AT = 4_000_000

    def __init__(self):
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.held = 0
        self.windows = 0
        self.starts = np.zeros(0, dtype=np.int64)
        self.ends = np.zeros(0, dtype=np.int64)
        self.uni = np.zeros(0, dtype=np.int64)
        self._run: list[tuple[np.ndarray, np.ndarray]] = []
        self._run_words: list[np.ndarray] = []
        self._run_size = 0

    @staticmethod
    def _add(total: np.ndarray, values: np.ndarray) -> np.ndarray:
        counts = np.bincount(values) if len(values) else np.zeros(0, dtype=np.int64)
        if len(counts) > len(total):
            total = np.concatenate([total, np.zeros(len(counts) - len(total), dtype=np.int64)])
        total[:len(counts)] += counts
        return total

    def add(self, ids: np.ndarray, word: np.ndarray) -> None:
        """One document's token ids (``word``: whether each id is a word token)."""
        starts = _windows(ids, word[ids], 2)
        self._run.append((ids[starts], ids[starts + 1]))
        self._run_words.append(ids[word[ids]])
        self._run_size += len(starts)
        if self._run_size >= self.MERGE_AT // 4:
            self._flush()

    def _flush(self) -> None:
        if not self._run:
            return
        x = np.concatenate([a for a, _ in self._run])
        y = np.concatenate([b for _, b in self._run])
        doc = np.repeat(np.arange(len(self._run), dtype=np.int64), [len(a) for a, _ in self._run])
        self.uni = self._add(self.uni, np.concatenate(self._run_words))
        self._run, self._run_words, self._run_size = [], [], 0
        if not len(x):
            return
        self.windows += len(x)
        self.starts = self._add(self.starts, x)
        self.ends = self._add(self.ends, y)
        inverse, keys = pd.factorize(x * PAIR_BASE + y)  # hashing: faster than sorting
        inverse = inverse.astype(np.int64)
        count = np.bincount(inverse, minlength=len(keys))
        pair_doc = pd.unique(inverse * (int(doc[-1]) + 1) + doc)  # distinct (pair, document)
        docs = np.bincount(pair_doc // (int(doc[-1]) + 1), minlength=len(keys))
        self.parts.append((keys, count, docs))
        self.held += len(keys)
        if self.held >= self.MERGE_AT:
            self.parts = [self._merged()]
            self.held = len(self.parts[0][0])

    def _merged(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if len(self.parts) == 1:
            return self.parts[0]
        inverse, keys = pd.factorize(np.concatenate([k for k, _, _ in self.parts]))
        count = np.zeros(len(keys), dtype=np.int64)
        docs = np.zeros(len(keys), dtype=np.int64)
        np.add.at(count, inverse, np.concatenate([c for _, c, _ in self.parts]))
        np.add.at(docs, inverse, np.concatenate([d for _, _, d in self.parts]))  # runs hold different documents
        return keys, count, docs

    def stats(self, n_ids: int, min_count: int, smoothing: float = 0.5) -> pd.DataFrame:
        """The statistics of every pair seen ``min_count`` times (see :func:`_bigram_stats`)."""
        self._flush()
        if not self.windows:
            return pd.DataFrame(columns=["x", "y", "count", "docs", "z", "share"])
        keys, count, docs_with = self._merged()
        pad = lambda a: np.concatenate([a, np.zeros(max(0, n_ids - len(a)), dtype=np.int64)])  # noqa: E731
        starts, ends, uni = pad(self.starts), pad(self.ends), pad(self.uni)
        keep = np.flatnonzero(count >= min_count)
        count, keys, docs_with = count[keep], keys[keep], docs_with[keep]
        ux, uy = keys // PAIR_BASE, keys % PAIR_BASE
        starts_with, ends_with = starts[ux], ends[uy]
        n11 = count + smoothing
        n12 = starts_with - count + smoothing
        n21 = ends_with - count + smoothing
        n22 = self.windows - starts_with - ends_with + count + smoothing
        lam = np.log(n11) - np.log(n12) - np.log(n21) + np.log(n22)
        z = lam / np.sqrt(1 / n11 + 1 / n12 + 1 / n21 + 1 / n22)
        share = count / np.minimum(uni[ux], uni[uy])
        return pd.DataFrame({"x": ux, "y": uy, "count": count, "docs": docs_with, "z": z, "share": share})


def _bigram_stats(docs, word, min_count: int, smoothing: float = 0.5) -> pd.DataFrame:
    """Statistics of the adjacent pairs of word tokens (ids into the current vocabulary) seen ``min_count`` times:
    x, y, count, docs (documents it is in), z (quanteda's, of the 2×2 table of the two positions, cells
    smoothed), share (its count over the rarer part's occurrences as a word); rows by pair."""
    acc = _PairCounts()
    for ids in docs:
        acc.add(ids, word)
    return acc.stats(len(word), min_count, smoothing)


class _Vocabulary:
    """Global ids of the token strings of a corpus in order of first appearance, built a document at a time,
    with whether each is a word."""

    def __init__(self):
        self.index: dict[str, int] = {}
        self._word = np.zeros(1024, dtype=bool)

    def ids(self, seg) -> np.ndarray:
        """A document's tokens (a :class:`~analysis.segmentation.Segmented`) as global ids; strings not seen
        before get the next ids, in order of first appearance."""
        index = self.index
        got = list(map(index.get, seg.tokens))
        new = [j for j, i in enumerate(got) if i is None]
        if new:
            n = len(index)
            for j in new:  # a string may be two types of a document (two tags)
                got[j] = index.setdefault(seg.tokens[j], len(index))
            added = list(dict.fromkeys(seg.tokens[j] for j in new))
            if len(index) > len(self._word):
                self._word = np.concatenate([self._word, np.zeros(max(len(self._word), len(added)), dtype=bool)])
            self._word[n:len(index)] = [bool(_WORD_RE.match(t)) for t in added]
        local = np.asarray(got, dtype=np.int64)
        return local[seg.seq] if len(seg.seq) else np.zeros(0, dtype=np.int64)

    @property
    def word(self) -> np.ndarray:
        return self._word[:len(self.index)]


def _join_pairs(ids: np.ndarray, pair_ids: dict, sorted_keys: np.ndarray, n_vocab: int) -> np.ndarray:
    """``ids`` with every accepted adjacent pair replaced by its compound, left to right, never overlapping."""
    if len(ids) < 2:
        return ids
    key = ids[:-1] * n_vocab + ids[1:]
    at = np.searchsorted(sorted_keys, key).clip(max=len(sorted_keys) - 1)
    hit = np.flatnonzero(sorted_keys[at] == key)
    if not len(hit):
        return ids
    # in a run of consecutive hits (A B C with AB and BC accepted), take the first, third, …: left to right
    run_start = np.concatenate([[True], np.diff(hit) != 1])
    run_id = np.cumsum(run_start) - 1
    offset = np.arange(len(hit)) - np.flatnonzero(run_start)[run_id]
    take = hit[offset % 2 == 0]
    out = ids.copy()
    out[take] = [pair_ids[k] for k in key[take].tolist()]
    drop = np.zeros(len(ids), dtype=bool)
    drop[take + 1] = True
    return out[~drop]


_ARABIC_RE = re.compile(r"^[0-9.%]+$")


def _joinable(a: tuple[str, ...], b: tuple[str, ...], max_chars: int, grammatical: frozenset, is_number) -> bool:
    """May the tokens ``a`` and ``b`` (each one or several segmenter tokens) become one phrase?"""
    joined = "".join(a + b)
    return (len(joined) <= max_chars and a[0] not in grammatical and b[-1] not in grammatical and not is_number(joined)
            and not is_number(b[-1]) and not any(_ARABIC_RE.match(t) for t in (a[-1], b[0])))


def find_phrases(corp: Corpus, *, min_count: int | None = None, min_docs: int | None = None,
                 min_z: float | None = None, min_share: float | None = None, max_chars: int | None = None,
                 passes: int | None = None, lexicon=None) -> pd.DataFrame:
    """The phrases of the corpus worth counting as one token (defaults: :data:`PHRASE_RULES`).

    Adjacent pairs of word tokens are joined when they are clearly one unit, in passes, so that a longer
    formulation is built pair by pair (粤港澳 + 大湾 → 粤港澳大湾, then + 区; 高效 + 办成, then + 一件 …), as
    word2phrase and gensim's Phrases do. A pair is joined when it is seen at least ``min_count`` times in at
    least ``min_docs`` documents (at most the corpus's size); its association is significant (quanteda's
    ``z`` of the 2×2 table, at least ``min_z``); it is the main use of its rarer part (the pair's count is at
    least ``min_share`` of the rarer part's: 营商 is nearly always 营商环境, while 加快 is followed by many
    words, so 加快建设 stays two tokens); the joined phrase has at most ``max_chars`` characters; neither end
    is a grammatical word (:data:`GRAMMATICAL_TAGS`: a phrase does not start with 和 or end with 的); it does not end
    with a number (排全区第; it may start with one: 一网通办, 两个确立); neither side of the join is an Arabic number (成立 75); and the whole is not a number with its unit
    (2024年).

    Returns
    -------
    DataFrame
        phrase, tokens (the segmenter's tokens, joined by spaces), length (tokens), pass, count, docs, z,
        share (of the pass that joined it), in order of the pass, then by z, strongest first.
    """
    rules = dict(PHRASE_RULES)
    given = {"min_count": min_count, "min_docs": min_docs, "min_z": min_z, "min_share": min_share,
             "max_chars": max_chars, "passes": passes}
    rules.update({k: v for k, v in given.items() if v is not None})
    number = number_matcher()
    lex = corp.lexicon if lexicon is None else lexicon
    vocab = _Vocabulary()
    joins: list[tuple[dict, np.ndarray, int]] = []  # each pass's joined pairs, applied in order
    need_docs = min(rules["min_docs"], len(corp))
    rows, parts, word, grammatical = [], [], None, frozenset()
    # the documents' ids are kept between passes when they fit in the memory budget; else each pass streams
    # the documents from the caches again and applies the earlier passes' joins
    held: list[np.ndarray] | None = []
    budget = memory_budget()
    for pass_no in range(1, rules["passes"] + 1):
        acc = _PairCounts()
        if pass_no > 1 and held is not None:
            pair_ids, sorted_keys, n_vocab = joins[-1]
            for i, ids in enumerate(held):
                held[i] = ids = _join_pairs(ids, pair_ids, sorted_keys, n_vocab)
                acc.add(ids, word)
        else:
            for seg in iter_segmented(corp.texts(), lexicon=lex):
                ids = vocab.ids(seg)
                for pair_ids, sorted_keys, n_vocab in joins:
                    ids = _join_pairs(ids, pair_ids, sorted_keys, n_vocab)
                acc.add(ids, vocab.word if word is None else word)
                if held is not None:
                    held.append(ids)
                    budget -= ids.nbytes
                    if budget < 0:
                        held = None
        if word is None:  # after the first pass: the whole vocabulary
            word = vocab.word.copy()
            strings = list(vocab.index)
            parts = [(t,) for t in strings]  # each id's tokens
            grammatical = _grammatical(strings)
        stats = acc.stats(len(word), rules["min_count"])
        stats = stats[(stats["docs"] >= need_docs) & (stats["z"] >= rules["min_z"])
                      & (stats["share"] >= rules["min_share"])]
        if stats.empty:
            break
        ok = np.fromiter((_joinable(parts[a], parts[b], rules["max_chars"], grammatical, number)
                          for a, b in zip(stats["x"], stats["y"])), dtype=bool, count=len(stats))
        accepted = stats[ok].sort_values(["z", "x", "y"], ascending=[False, True, True], kind="stable")
        if accepted.empty:
            break
        pair_ids = {}
        for a, b, c, dd, z, sh in accepted[["x", "y", "count", "docs", "z", "share"]].itertuples(index=False):
            pair_ids[int(a) * len(word) + int(b)] = len(parts)
            parts.append(parts[a] + parts[b])
            rows.append({"phrase": "".join(parts[-1]), "tokens": " ".join(parts[-1]), "length": len(parts[-1]),
                         "pass": pass_no, "count": int(c), "docs": int(dd), "z": float(z), "share": float(sh)})
        n_vocab = len(word)
        word = np.concatenate([word, np.ones(len(parts) - len(word), dtype=bool)])
        joins.append((pair_ids, np.sort(np.fromiter(pair_ids, dtype=np.int64, count=len(pair_ids))), n_vocab))
    out = pd.DataFrame(rows, columns=PHRASE_COLUMNS)
    # a phrase that a later pass absorbed whole everywhere is still listed: joining is longest first anyway
    return out.reset_index(drop=True)


#: Bump when :func:`find_phrases` changes what it finds: part of the key of cached phrase tables.
PHRASES_VERSION = "1"


def corpus_phrases(corp: Corpus, phrases=True) -> frozenset[tuple[str, ...]]:
    """The phrases to join in ``corp``: ``True`` finds them (:func:`find_phrases`, cached on disk with the
    corpus's texts, lexicon and :data:`PHRASE_RULES` in the key); False or None, none; a table, a TSV path or
    token sequences, those (:func:`phrase_set`). A corpus folder's own ``phrases.tsv``, reviewed and fed
    back, replaces what would be found.
    """
    if phrases is True:
        own = corp.path / "phrases.tsv"
        if own.is_file():
            return phrase_set(own)
        return phrase_set(cached_phrases(corp))
    return phrase_set(phrases)


def cached_phrases(corp: Corpus) -> pd.DataFrame:
    """:func:`find_phrases` with the default rules, through the store (a second call, or kernel, reads it)."""
    k = None
    if cache_enabled():
        k = key("tables", "phrases", PHRASES_VERSION, repr(sorted(PHRASE_RULES.items())), lexicon_fingerprint(
            corp.lexicon), *(d.digest for d in corp))  # digests: a cached table is found without reading a text
        hit = read_table(k)
        if hit is not None:
            return hit
    table = find_phrases(corp)
    if k is not None:
        write_table(k, table)
    return table


def phrase_set(phrases) -> frozenset[tuple[str, ...]]:
    """The token sequences to join, from a phrase table, a TSV path, or an iterable of token sequences."""
    if phrases is None or phrases is False:
        return frozenset()
    if isinstance(phrases, (str, Path)):
        phrases = load_phrases(phrases)
    if isinstance(phrases, pd.DataFrame):
        keep = phrases["keep"].astype(bool) if "keep" in phrases.columns else pd.Series(True, index=phrases.index)
        return frozenset(tuple(t.split(" ")) for t in phrases.loc[keep, "tokens"])
    out = set()
    for p in phrases:
        seq = tuple(p.split(" ")) if isinstance(p, str) else tuple(p)
        if len(seq) < 2:
            raise ValueError(f"a phrase joins two tokens or more: {p!r}")
        out.add(seq)
    return frozenset(out)


def save_phrases(phrases: pd.DataFrame, path: str | Path) -> Path:
    """Write a phrase table as a TSV to review: uncheck ``keep`` (write 0) to leave a phrase out."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = phrases.copy()
    if "keep" not in out.columns:
        out.insert(0, "keep", 1)
    out.to_csv(path, sep="\t", index=False, float_format="%.4f", lineterminator="\n", quoting=csv.QUOTE_NONE)
    return path


def load_phrases(path: str | Path) -> pd.DataFrame:
    """Read a phrase TSV (:func:`save_phrases`, or a hand-made one with a ``tokens`` column: tokens joined by
    spaces, and an optional ``keep`` column of 0/1)."""
    path = Path(path)
    df = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, quoting=csv.QUOTE_NONE, comment="#")
    if "tokens" not in df.columns:
        raise ValueError(f"{path}: a phrase file needs a column tokens (the tokens of each phrase, joined by spaces)")
    if "keep" in df.columns:
        bad = df[~df["keep"].isin(["0", "1"])]
        if not bad.empty:
            raise ValueError(f"{path}: keep must be 1 or 0 (rows {list(bad.index + 2)})")
        df["keep"] = df["keep"].astype(int)
    short = df[df["tokens"].str.split().str.len() < 2]
    if not short.empty:
        raise ValueError(f"{path}: a phrase joins two tokens or more (rows {list(short.index + 2)})")
    return df

