"""The ranking score of a candidate (:func:`score`; every term is documented in :func:`find_slogans`)."""
from __future__ import annotations

import math

from ...text import count_cjk
from .candidates import Candidate
from .settings import Settings

__all__ = ["score"]


def _unit_length(c: Candidate) -> float:
    return float(max(1, count_cjk(c.text)))


def _strengths(c: Candidate, count: int, s: Settings) -> dict[str, float]:
    """How much each generator that found ``c`` vouches for it (0–1).

    Structural generators vouch fully. Quotation marks vouch in proportion to the
    share of occurrences that are quoted, full from ``quote_share_full`` on: “动态清零”
    is quoted almost every time, 产业 once in thousands of uses.
    """
    out = {}
    for k in c.kinds:
        if k in ("quoted", "title"):
            out[k] = min(1.0, c.matches.get(k, 0) / max(1.0, s.quote_share_full * count))
        else:
            out[k] = 1.0
    return out


def score(c: Candidate, count: int, n_docs: int, n_groups: int, n_total: int, g_total: int, s: Settings) -> float:
    """The ranking score (documented in :func:`find_slogans`)."""
    kind = c.kind()
    strength = _strengths(c, count, s)
    evidence = sum(v for k, v in strength.items() if k not in (kind, "title"))
    ulen = _unit_length(c)  # Chinese characters, without separators and quotation marks
    lo, hi = s.ideal_min_chars, s.ideal_max_chars
    dev = math.log2(lo / ulen) if ulen < lo else math.log2(ulen / hi) if ulen > hi else 0.0
    if kind == "ngram":
        # a long verbatim match across documents is unlikely by chance; a short one is a term
        regularity = min(1.0, max(0.0, (ulen - s.ngram_min_chars) / s.ngram_full_chars))
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
            + frequency
            - s.length_weight * dev)
