"""Word segmentation with jieba, a reviewable project lexicon and documented stoplists.

* :func:`segment` returns every token with its part of speech and character
  offsets. It is lossless: ``"".join(segment(t).token) == t``.
* :func:`tokenize` returns the content tokens used for counting.
* :class:`Tokenizer` is the same filter as a picklable callable that
  scikit-learn's ``CountVectorizer(tokenizer=Tokenizer(), lowercase=False,
  token_pattern=None)`` accepts.

The lexicon (``data/lexicon.tsv``: term, freq, pos, gloss) keeps policy
formulations such as 动态清零 or 外防输入 whole; edit the file, not the code.
jieba is loaded once per process and per lexicon, on first use, with its log
messages silenced.

Segmentations are the same as ``jieba.posseg`` with the lexicon (HMM on),
whichever backend computes them (:mod:`analysis.backends`: ``rjieba`` by
default when installed, ``ANALYSIS_SEGMENTER=jieba`` for plain jieba). They
are memoised in memory (bounded, ``$ANALYSIS_MEMORY_MB``) and on disk
(:mod:`analysis.cache`, keyed by text, lexicon fingerprint and backend), so
notebook kernels do not segment the same text twice.
"""
from __future__ import annotations

import csv
import hashlib
import logging
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

import pandas as pd

from .config import data_file, memory_budget
from .text import JIEBA_HAN, NUMERAL_CHARS

__all__ = [
    "load_lexicon",
    "load_domain_stopwords",
    "stopwords",
    "segment",
    "segment_pairs",
    "segmented",
    "tokenize",
    "filter_tokens",
    "filter_types",
    "filter_segmented",
    "Tokenizer",
    "is_word",
    "lexicon_fingerprint",
    "PROPER_NOUN_POS",
]

#: jieba (ICTCLAS) tags of proper nouns: people, places, organisations, other names.
PROPER_NOUN_POS = ("nr", "nrfg", "nrt", "ns", "nt", "nz")

_PUNCT_RE = re.compile(r"^[\W_]+$")


# --------------------------------------------------------------------------- lexicon


def _lexicon_path(path: str | Path | None) -> Path:
    return Path(path) if path else data_file("lexicon.tsv")


def load_lexicon(path: str | Path | None = None) -> pd.DataFrame:
    """Read the project lexicon: a UTF-8 TSV with columns ``term, freq, pos, gloss``.

    ``freq`` may be empty: jieba then picks the smallest frequency that keeps
    the term whole. Lines starting with ``#`` are comments.
    """
    path = _lexicon_path(path)
    df = pd.read_csv(path, sep="\t", dtype=str, comment="#", keep_default_na=False, quoting=csv.QUOTE_NONE)
    missing = {"term", "freq", "pos", "gloss"} - set(df.columns)
    if missing:
        raise ValueError(f"{path}: the lexicon needs the columns term, freq, pos, gloss; missing {sorted(missing)}")
    df["term"] = df["term"].str.strip()
    bad = df[(df["term"] == "") | df["term"].str.contains(r"\s", regex=True)]
    if not bad.empty:
        raise ValueError(f"{path}: lexicon terms must be non-empty and contain no spaces (rows {list(bad.index + 2)})")
    # jieba only keeps runs of Han characters, letters, digits and +#&._%- together
    unkeepable = df[~df["term"].str.fullmatch(f"[{JIEBA_HAN}a-zA-Z0-9+#&._%\\-]+")]
    if not unkeepable.empty:
        raise ValueError(
            f"{path}: jieba cannot keep terms with punctuation whole: {list(unkeepable['term'])}; "
            "list the parts separately (series such as 外防输入、内防反弹 belong in data/glossary.tsv)"
        )
    dup = df[df["term"].duplicated()]
    if not dup.empty:
        raise ValueError(f"{path}: duplicate lexicon terms {sorted(dup['term'])}")
    bad_freq = df[(df["freq"] != "") & ~df["freq"].str.fullmatch(r"[1-9]\d*")]
    if not bad_freq.empty:
        raise ValueError(f"{path}: freq must be a positive integer or empty (terms {list(bad_freq['term'])})")
    return df


def lexicon_fingerprint(path: str | Path | None = None) -> str:
    """A short hash of the lexicon file's bytes (part of every cache key)."""
    return hashlib.sha256(_lexicon_path(path).read_bytes()).hexdigest()[:16]


def _stamp(path: str) -> tuple[int, int]:
    """(mtime, size) of a lexicon file: loaded tokenizers and memos are keyed by it, so edits take effect."""
    st = os.stat(path)
    return st.st_mtime_ns, st.st_size


@lru_cache(maxsize=4)
def _jieba_tokenizer(path: str, stamp: tuple | None = None):
    """jieba's Tokenizer with the lexicon at ``path`` (no POS tables: those take seconds)."""
    import jieba

    logging.getLogger("jieba").setLevel(logging.ERROR)
    jieba.setLogLevel(logging.ERROR)
    tk = jieba.Tokenizer()
    tk.initialize()
    for row in load_lexicon(path).itertuples(index=False):
        tk.add_word(row.term, int(row.freq) if row.freq else None, row.pos or None)
    return tk


@lru_cache(maxsize=4)
def _tokenizers(path: str, stamp: tuple | None = None):
    import jieba.posseg

    tk = _jieba_tokenizer(path, stamp)
    pos = jieba.posseg.POSTokenizer(tk)
    return tk, pos


def _get(lexicon: str | Path | None = None):
    path = str(_lexicon_path(lexicon).resolve())
    return _tokenizers(path, _stamp(path))


@lru_cache(maxsize=4)
def _words(path: str, stamp: tuple | None = None) -> tuple[dict[str, int], frozenset[str]]:
    """jieba's dictionary (word -> frequency, the last line wins as in jieba) and the lexicon's terms."""
    from .backends import jieba_word_freqs

    return jieba_word_freqs(), frozenset(load_lexicon(path)["term"])


def is_word(s: str, lexicon: str | Path | None = None) -> bool:
    """True when ``s`` is in jieba's dictionary (with a frequency above 0) or the project lexicon.

    The same answer as ``jieba.Tokenizer.FREQ.get(s, 0) > 0`` after loading the
    lexicon (a lexicon term always gets a frequency of at least 1), without
    jieba's start-up.
    """
    path = str(_lexicon_path(lexicon).resolve())
    freq, terms = _words(path, _stamp(path))
    return s in terms or freq.get(s, 0) > 0


# --------------------------------------------------------------------------- stopwords


def load_domain_stopwords(path: str | Path | None = None) -> pd.DataFrame:
    """Read the domain stoplist (``data/stopwords_domain.tsv``: word, reason)."""
    path = Path(path) if path else data_file("stopwords_domain.tsv")
    df = pd.read_csv(path, sep="\t", dtype=str, comment="#", keep_default_na=False, quoting=csv.QUOTE_NONE)
    if not {"word", "reason"} <= set(df.columns):
        raise ValueError(f"{path}: the stoplist needs the columns word, reason")
    empty = df[df["reason"].str.strip() == ""]
    if not empty.empty:
        raise ValueError(f"{path}: every stopword needs a reason (missing for {list(empty['word'])})")
    return df


@lru_cache(maxsize=4)
def stopwords(domain_path: str | None = None) -> frozenset[str]:
    """Chinese stopwords of stopwords-iso (maintained list) plus the domain stoplist."""
    import stopwordsiso

    words = set(stopwordsiso.stopwords("zh"))
    words |= set(load_domain_stopwords(domain_path)["word"].str.strip())
    return frozenset(words)


# --------------------------------------------------------------------------- segmentation


#: in-memory memo of segmentations, bounded by size (``$ANALYSIS_MEMORY_MB``, default 128)
_MEMORY = None


def _memory():
    global _MEMORY
    if _MEMORY is None:
        from .cache import MemoryCache

        _MEMORY = MemoryCache(memory_budget(), sizeof=lambda v: v[1].nbytes() + 2 * len(v[0]))
    return _MEMORY


@lru_cache(maxsize=16)
def _fingerprint(path: str, mtime_ns: int, size: int) -> str:
    return lexicon_fingerprint(path)


def _cache_key(text: str, lex: str, name: str) -> str:
    from .backends import backend_version
    from .cache import segmentation_key

    return segmentation_key(text, _fingerprint(lex, *_stamp(lex)), backend_version(name))


def _lookup(text: str, lex: str, name: str, cache: bool = True):
    """(cached Segmented or None, disk key or None) for ``text``."""
    from .cache import DISK_MIN_CHARS, cache_enabled, read_segmentation

    mkey = (name, lex, _stamp(lex), text)
    hit = _memory().get(mkey)
    if hit is not None:
        return hit[1], None
    if cache and len(text) >= DISK_MIN_CHARS and cache_enabled():
        key = _cache_key(text, lex, name)
        found = read_segmentation(key, len(text))
        if found is not None:
            _memory().put(mkey, (text, found))
        return found, key
    return None, None


def _remember(text: str, lex: str, name: str, key: str | None, result) -> None:
    from .cache import write_segmentation

    if key is not None:
        write_segmentation(key, result, len(text))
    _memory().put((name, lex, _stamp(lex), text), (text, result))


def segmented(text: str, lexicon: str | Path | None = None, backend: str | None = None, *, cache: bool = True):
    """Segmentation of ``text`` in compact form (:class:`analysis.cache.Segmented`).

    Looked up in memory, then in the on-disk cache (see :mod:`analysis.cache`),
    else computed with the segmenter ``backend`` (``"jieba"`` or ``"rjieba"``;
    default ``$ANALYSIS_SEGMENTER``, else the fastest installed; both give
    the same result) and stored in both. ``cache=False`` skips the disk.
    """
    from .backends import backend_name, get_segmenter

    name = backend_name(backend)
    lex = str(_lexicon_path(lexicon).resolve())
    found, key = _lookup(text, lex, name, cache)
    if found is not None:
        return found
    result = get_segmenter(name, lex).segment(text)
    _remember(text, lex, name, key, result)
    return result


def segment_pairs(text: str, lexicon: str | Path | None = None, backend: str | None = None) -> tuple[tuple[str, str], ...]:
    """``(token, pos)`` pairs for ``text``. Lossless.

    Memoised in memory and on disk (:func:`segmented`); ``backend`` picks the
    segmenter (same output either way, see :mod:`analysis.backends`).
    """
    return segmented(text, lexicon, backend).pairs()


def segment(text: str, lexicon: str | Path | None = None) -> pd.DataFrame:
    """Every token of ``text`` with its POS tag and character offsets.

    Returns a DataFrame with columns ``token, pos, start, end``; whitespace and
    punctuation are tokens too, so the tokens joined give back ``text`` exactly.
    """
    pairs = segment_pairs(text, lexicon)
    rows, pos = [], 0
    for tok, flag in pairs:
        rows.append((tok, flag, pos, pos + len(tok)))
        pos += len(tok)
    return pd.DataFrame(rows, columns=["token", "pos", "start", "end"])


@dataclass(frozen=True)
class TokenOptions:
    """What :func:`tokenize` keeps. Every option is documented on :func:`tokenize`."""

    stopwords: bool = True
    punctuation: bool = False
    numbers: bool = False
    min_chars: int = 2
    drop_proper: bool = False
    keep: frozenset[str] = field(default_factory=frozenset)


_NUMBER_RE = re.compile("[" + re.escape("".join(sorted(NUMERAL_CHARS))) + "]*")


@lru_cache(maxsize=32)
def pair_filter(options: TokenOptions, stop: frozenset) -> Callable[[str, str], str | None]:
    """``decide(token, pos)``: the counted form of a pair, or None when ``options`` drop it.

    The rules, in order: a ``keep`` word stays; whitespace goes; punctuation
    stays only with ``punctuation=True``; numbers (Arabic or Chinese numerals,
    ``.``, ``%``, 第) go unless ``numbers=True``; tokens shorter than
    ``min_chars`` go; stopwords go; with ``drop_proper``, proper nouns go;
    ASCII is lower-cased. Built once per set of options, so deciding a
    token costs one call.
    """
    keep, punctuation, numbers = options.keep, options.punctuation, options.numbers
    min_chars, drop_proper = options.min_chars, options.drop_proper
    is_punct, is_number = _PUNCT_RE.match, _NUMBER_RE.fullmatch

    def decide(tok: str, flag: str) -> str | None:
        if tok in keep:
            return tok
        if not tok.strip():
            return None
        if is_punct(tok):
            return tok if punctuation else None
        if not numbers and is_number(tok) is not None:
            return None
        if len(tok) < min_chars or tok in stop:
            return None
        if drop_proper and flag.startswith(PROPER_NOUN_POS):
            return None
        return tok.lower() if tok.isascii() else tok

    return decide


def filter_tokens(pairs: Iterable[tuple[str, str]], options: TokenOptions = TokenOptions()) -> list[str]:
    """Apply :class:`TokenOptions` to ``(token, pos)`` pairs and return the kept tokens."""
    decide = pair_filter(options, stopwords() if options.stopwords else frozenset())
    return [t for t in (decide(tok, flag) for tok, flag in pairs) if t is not None]


def filter_types(types: Sequence[tuple[str, str]], options: TokenOptions = TokenOptions()) -> list[str | None]:
    """:func:`filter_tokens` for distinct pairs: the kept form of each, or None (same rules)."""
    decide = pair_filter(options, stopwords() if options.stopwords else frozenset())
    return [decide(tok, flag) for tok, flag in types]


def filter_segmented(seg, options: TokenOptions = TokenOptions()) -> list[str]:
    """:func:`filter_tokens` of a :class:`~analysis.cache.Segmented`, deciding once per distinct pair."""
    kept = filter_types(list(zip(seg.tokens, seg.pos)), options)
    return [t for t in map(kept.__getitem__, seg.seq.tolist()) if t is not None]


def tokenize(
    text: str,
    *,
    stopwords: bool = True,
    punctuation: bool = False,
    numbers: bool = False,
    min_chars: int = 2,
    drop_proper: bool = False,
    keep: Iterable[str] = (),
    lexicon: str | Path | None = None,
) -> list[str]:
    """Content tokens of ``text`` for counting.

    Parameters
    ----------
    stopwords : bool
        Drop stopwords-iso's Chinese list and ``data/stopwords_domain.tsv``.
    punctuation : bool
        Keep punctuation tokens (dropped by default). Whitespace is always dropped.
    numbers : bool
        Keep numbers: Arabic digits and tokens made only of Chinese numerals
        (二〇二二, 第一). Numbered formulations in the lexicon (四个意识) are
        words, not numbers, and are kept either way.
    min_chars : int
        Drop tokens shorter than this many characters (default 2: single
        characters such as 要 or 严 are mostly function words or fragments).
    drop_proper : bool
        Drop proper nouns (jieba tags ``nr*``, ``ns*``, ``nt*``, ``nz``), so a
        comparison shows rhetoric rather than geography and names.
    keep : iterable of str
        Tokens always kept, whatever the other options say.
    lexicon : path, optional
        Another lexicon file.
    """
    opts = TokenOptions(stopwords, punctuation, numbers, min_chars, drop_proper, frozenset(keep))
    return filter_segmented(segmented(text, lexicon), opts)


class Tokenizer:
    """scikit-learn compatible tokenizer: ``CountVectorizer(tokenizer=Tokenizer(), lowercase=False, token_pattern=None)``.

    Takes the keyword arguments of :func:`tokenize`; picklable, so it works
    with ``n_jobs`` and joblib.
    """

    def __init__(self, **options):
        self.options = options
        tokenize("", **options)  # fail early on a bad option

    def __call__(self, text: str) -> list[str]:
        return tokenize(text, **self.options)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in sorted(self.options.items()))
        return f"Tokenizer({args})"


def pairs_to_tokens(pairs: Sequence[tuple[str, str]], **options) -> list[str]:
    """Filter already segmented pairs with :func:`tokenize`'s keyword options."""
    keep = frozenset(options.pop("keep", ()))
    return filter_tokens(pairs, TokenOptions(keep=keep, **options))
