"""The ranking score of a candidate (:func:`score`; every term is documented in :func:`find_slogans`) and :func:`dispersion`."""
from __future__ import annotations

import math

import numpy as np

from ...text import count_cjk
from .candidates import Candidate
from .settings import Settings
from .words import cut, tag

__all__ = ["score", "dispersion", "four_char_shape"]


def dispersion(counts: np.ndarray, sizes: np.ndarray) -> float:
    """Gries' DP: how unevenly occurrences (``counts`` per document) spread against document ``sizes``.

    ``0.5 · Σ |counts_i / Σcounts − sizes_i / Σsizes|``: 0 when every document holds
    its share of the occurrences, near 1 when they are all in one small document.
    """
    total, size = float(np.sum(counts)), float(np.sum(sizes))
    if total <= 0 or size <= 0:
        return 1.0
    return float(0.5 * np.abs(np.asarray(counts) / total - np.asarray(sizes) / size).sum())


def four_char_shape(text: str) -> bool:
    """A 四字格 formulation: four Chinese characters that jieba's dictionary holds as an idiom
    (tag i: 不折不扣), or a compression it cannot read as words, so that it cuts at least one
    character off on its own (以进促稳, 先立后破, 提质增效, 守正创新). Two ordinary words side
    by side (职业教育, 国防动员) are a compound term, not a set phrase."""
    if len(text) != 4 or count_cjk(text) != 4:
        return False
    if tag(text) == "i":
        return True
    return any(len(w) == 1 for w in cut(text))


def _unit_length(c: Candidate) -> float:
    return float(max(1, count_cjk(c.text)))


def _strengths(c: Candidate, count: int, s: Settings, n_docs: int = 1) -> dict[str, float]:
    """How much each generator that found ``c`` vouches for it (0–1).

    Structural generators vouch fully. Quotation marks vouch in proportion to the
    share of occurrences that are quoted, full from ``quote_share_full`` on: “动态清零”
    is quoted almost every time, 产业 once in thousands of uses. Recurrence (ngram,
    collocation) vouches in proportion to log2(n_docs)/log2(recurrence_full_docs). A numbered text shorter
    than ``numbered_min_chars`` (三大) was only found quoted, and vouches as its quotes do.
    """
    out = {}
    quoted = min(1.0, c.matches.get("quoted", 0) / max(1.0, s.quote_share_full * count))
    for k in c.kinds:
        if k in ("quoted", "title"):
            out[k] = min(1.0, c.matches.get(k, 0) / max(1.0, s.quote_share_full * count))
        elif k == "numbered" and count_cjk(c.text) < s.numbered_min_chars:
            # a numeral and one character (三大, 五大) is numbered only because it was quoted
            # somewhere: it vouches as much as its quotation marks do
            out[k] = quoted
        elif k in ("ngram", "collocation"):
            # recurrence vouches in proportion to the documents that repeat the text, on a log scale
            out[k] = min(1.0, math.log2(max(1, n_docs)) / math.log2(float(s.recurrence_full_docs)))
        else:
            out[k] = 1.0
    return out


def score(c: Candidate, count: int, n_docs: int, n_groups: int, n_total: int, g_total: int, s: Settings,
          dp: float = 1.0) -> float:
    """The ranking score (documented in :func:`find_slogans`); ``dp`` is the candidate's :func:`dispersion`."""
    kind = c.kind()
    strength = _strengths(c, count, s, n_docs)
    # other generators vouch for the text; recurrence (ngram, collocation) is not such a vouch: how
    # widely a text recurs is measured by the spread and dispersion terms, for every kind alike
    evidence = sum(v for k, v in strength.items() if k not in (kind, "title", "ngram", "collocation"))
    ulen = _unit_length(c)  # Chinese characters, without separators and quotation marks
    lo, hi = s.ideal_min_chars, s.ideal_max_chars
    dev = math.log2(lo / ulen) if ulen < lo else math.log2(ulen / hi) if ulen > hi else 0.0
    if kind in ("ngram", "collocation"):
        # a long verbatim match across documents is unlikely by chance; a short one is a term,
        # unless it has the set shape of a four-character formulation
        regularity = min(1.0, max(0.0, (ulen - s.ngram_min_chars) / s.ngram_full_chars))
        if four_char_shape(c.text):
            regularity = max(regularity, float(s.four_char_regularity))
        frequency = -s.burst_weight * math.log2(count / max(1, n_docs))
        evidence += 1 if c.component else 0
    else:
        regularity = c.regularity
        frequency = s.count_weight * math.log2(1 + count / max(1, n_docs))
    spread_docs = math.log2(n_docs) / math.log2(n_total) if n_total > 1 else 0.0
    spread_groups = math.log2(n_groups) / math.log2(g_total) if g_total > 1 else 0.0
    return (float(s.priors.get(kind, 0.0)) * strength[kind]
            + s.structure_weight * regularity
            + s.evidence_weight * evidence
            + s.docs_weight * spread_docs
            + s.groups_weight * spread_groups
            + float(s.dispersion_weight) * (1.0 - dp)
            + frequency
            - s.length_weight * dev)
