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

from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .corpus import Corpus
from .lexicon import TokenOptions, filter_segmented, filter_tokens
from .store import iter_segmented, segmented

__all__ = ["segment_pairs", "segment", "tokenize", "Tokenizer", "pairs_to_tokens", "tokens", "token_table"]


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


def tokens(corp: Corpus, **options) -> dict[str, list[str]]:
    """Content tokens of every document, ``{doc_id: [token, …]}``.

    ``options`` are those of :func:`tokenize` (stopwords, punctuation,
    numbers, min_chars, drop_proper, keep).
    """
    opts = TokenOptions.from_kwargs(**options)
    return {d.id: filter_segmented(seg, opts) for d, seg in zip(corp, iter_segmented(d.text for d in corp))}


def token_table(corp: Corpus) -> pd.DataFrame:
    """Every token of every document (lossless): doc_id, position, token, pos, start, end."""
    frames = []
    for d in corp:
        pairs = segment_pairs(d.text)
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
