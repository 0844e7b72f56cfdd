"""Tokens (layer 8): a text's or a corpus's tokens, lossless or filtered to content tokens.

The names, from the most complete to the most filtered:

* :func:`segment_pairs` — every ``(token, pos)`` pair of a text (lossless);
* :func:`segment` — the same as a table with character offsets;
* :func:`token_table` — :func:`segment` for every document of a corpus;
* :func:`tokenize` — a text's content tokens (the options decide what counts);
* :func:`tokens` — :func:`tokenize` for every document of a corpus;
* :class:`Tokenizer` — :func:`tokenize` as a picklable callable for
  scikit-learn's ``CountVectorizer(tokenizer=Tokenizer(), lowercase=False,
  token_pattern=None)``.

Segmentations come from :mod:`analysis.store` (memory, then disk, else the
segmenter), so no text is segmented twice. What counts as a content token is
decided by :class:`analysis.lexicon.TokenOptions`.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .corpus import Corpus
from .lexicon import TokenOptions, filter_segmented, filter_tokens
from .phrases import corpus_phrases
from .segmentation import Segmented
from .store import iter_segmented, segmented

__all__ = ["segment_pairs", "segment", "tokenize", "Tokenizer", "pairs_to_tokens", "tokens", "token_table",
           "compound", "corpus_options"]


def segment_pairs(text: str, lexicon: str | Path | None = None, backend: str | None = None) -> tuple[tuple[str, str], ...]:
    """``(token, pos)`` pairs for ``text``. Lossless.

    Memoised in memory and on disk (:func:`analysis.store.segmented`);
    ``backend`` picks the segmenter (same output either way, see
    :mod:`analysis.segmentation`).
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
    return filter_tokens(pairs, TokenOptions.from_kwargs(**options))


def corpus_options(corp: Corpus, options: dict) -> TokenOptions:
    """:class:`TokenOptions` from keyword options, with ``phrases`` resolved for ``corp``
    (:func:`analysis.phrases.corpus_phrases`: ``True`` finds the corpus's phrases)."""
    options = dict(options)
    phrases = corpus_phrases(corp, options.pop("phrases", None))
    return TokenOptions.from_kwargs(phrases=phrases, **options)


def tokens(corp: Corpus, **options) -> dict[str, list[str]]:
    """Content tokens of every document, ``{doc_id: [token, …]}``.

    ``options`` are those of :func:`tokenize` (stopwords, punctuation,
    numbers, min_chars, drop_proper, keep).
    """
    opts = corpus_options(corp, options)
    segs = iter_segmented((d.text for d in corp), lexicon=corp.lexicon)
    return {d.id: filter_segmented(compound(seg, opts.phrases), opts) for d, seg in zip(corp, segs)}


def token_table(corp: Corpus) -> pd.DataFrame:
    """Every token of every document (lossless): doc_id, position, token, pos, start, end."""
    frames = []
    for d in corp:
        pairs = segment_pairs(d.text, corp.lexicon)
        starts = np.cumsum([0] + [len(t) for t, _ in pairs[:-1]]) if pairs else []
        frames.append(
            pd.DataFrame(
                {
                    "doc_id": d.id,
                    "position": np.arange(len(pairs)),
                    "token": [t for t, _ in pairs],
                    "pos": [p for _, p in pairs],
                    "start": starts,
                }
            )
        )
    df = pd.concat(frames, ignore_index=True)
    df["end"] = df["start"] + df["token"].str.len()
    return df


# --------------------------------------------------------------------------- phrases


@lru_cache(maxsize=8)
def _phrase_lengths(phrases: frozenset) -> dict[str, tuple[int, ...]]:
    """First token → the lengths (in tokens) of the phrases starting with it, longest first."""
    index: dict[str, set] = {}
    for p in phrases:
        index.setdefault(p[0], set()).add(len(p))
    return {k: tuple(sorted(v, reverse=True)) for k, v in index.items()}


def compound(seg: Segmented, phrases: frozenset) -> Segmented:
    """``seg`` with every occurrence of a phrase (a tuple of tokens) joined into one token (quanteda's
    ``tokens_compound``), longest first, left to right, never overlapping.

    A joined token keeps the tag of its parts when they all have the same one, else ``l`` (a fixed
    expression: 营商环境 from 营商/n + 环境/n stays n; 专精特新 from 专精/n + 特新/d is l).
    At each position where a phrase may start, one lookup per length of the phrases starting with its
    token, longest first (at most one phrase of a length can match the tokens there): the cost does not
    grow with the number of phrases.
    """
    if not phrases or not len(seg.seq):
        return seg
    lengths = _phrase_lengths(phrases)
    starts = np.fromiter((t in lengths for t in seg.tokens), dtype=bool, count=len(seg.tokens))
    seq = seg.seq.tolist()
    candidates = np.flatnonzero(starts[seg.seq]).tolist()
    if not candidates:
        return seg
    tokens, pos = seg.tokens, seg.pos
    pairs: list[tuple[str, str]] = []
    at = 0
    for p in candidates:
        if p < at:
            continue
        for n in lengths[tokens[seq[p]]]:
            if p + n > len(seq):
                continue
            phrase = tuple(tokens[i] for i in seq[p:p + n])
            if phrase in phrases:
                pairs.extend(zip(map(tokens.__getitem__, seq[at:p]), map(pos.__getitem__, seq[at:p])))
                tags = {pos[i] for i in seq[p:p + n]}
                pairs.append(("".join(phrase), tags.pop() if len(tags) == 1 else "l"))
                at = p + n
                break
    if at == 0 and not pairs:
        return seg
    pairs.extend(zip(map(tokens.__getitem__, seq[at:]), map(pos.__getitem__, seq[at:])))
    return Segmented.from_pairs(pairs)
