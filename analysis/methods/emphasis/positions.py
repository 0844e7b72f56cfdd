"""Positions: where in the documents each category concentrates (equal parts, and a smoothed curve).

Rates are per 10,000 characters, in the column :data:`~analysis.methods.emphasis.rates.RATE` (``per_10k``).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import sparse

from ...config import DEFAULT_BY
from ...corpus import Corpus
from .instrument import instrument_for
from .rates import RATE, per_unit
from .tables import Tables, corpus_tables, document_groups, report_columns

__all__ = ["emphasis_positions", "emphasis_curve"]

_THIRDS = ("beginning", "middle", "end")


def _part_labels(bins: int) -> list[str]:
    return list(_THIRDS) if bins == 3 else [f"{k + 1}/{bins}" for k in range(bins)]


def _part_frames(g, cats: pd.DataFrame, counts: np.ndarray, chars: np.ndarray, labels: list[str]) -> list[pd.DataFrame]:
    """The rows of one group: for each part, every category's count, rate and share of the group's hits."""
    frames = []
    for b in range(len(labels)):
        out = cats.copy()
        out.insert(0, "group", g)
        out["part"], out["label"] = b, labels[b]
        out["count"] = counts[b].astype(np.int64)
        out["n_chars"] = int(chars[b])
        out[RATE] = per_unit(counts[b], chars[b]) if chars[b] else np.nan
        tot = counts.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["share"] = np.where(tot > 0, counts[b] / np.where(tot > 0, tot, 1), np.nan)
        frames.append(out)
    return frames


def emphasis_positions(corp: Corpus, by: str | None = DEFAULT_BY, *, lexicon=None, bins: int = 3,
                       totals: bool = True) -> pd.DataFrame:
    """Where in the documents each category concentrates: rates in equal parts of each document.

    Each document is cut into ``bins`` parts of (nearly) equal length by
    character position (character ``i`` of a document of length ``L`` is in
    part ``floor(i * bins / L)``); a hit belongs to the part of its first
    character. Parts are pooled over the documents of a group.

    Returns
    -------
    DataFrame
        group, category, kind, zh, en, part (0-based), label (beginning /
        middle / end for three parts, else ``1/5`` …), count, n_chars,
        per_10k (hits per 10,000 characters), share (of the category's hits in the group that fall
        in this part; NaN without hits).
    """
    if bins < 1:
        raise ValueError("bins must be at least 1")
    lex = instrument_for(corp, lexicon)
    tab = corpus_tables(corp, lex)
    cats, M = report_columns(lex, totals)
    doc_group = document_groups(corp, by, tab)
    labels = _part_labels(bins)
    L = tab.doc_len
    k = np.arange(bins + 1)
    bounds = -((-L[:, None] * k[None, :]) // bins)  # ceil(L * k / bins)
    part_chars = np.diff(bounds, axis=1)  # docs × bins
    hit_part = (tab.hit_start * bins) // np.maximum(1, L[tab.hit_doc])
    frames = []
    for g in sorted(set(doc_group), key=str):
        docs = np.flatnonzero(doc_group == g)
        sel = np.isin(tab.hit_doc, docs)
        H = sparse.csr_matrix((np.ones(sel.sum()), (hit_part[sel], tab.hit_term[sel])), shape=(bins, M.shape[0]))
        counts = np.asarray(H @ M)  # bins × categories
        frames += _part_frames(g, cats, counts, part_chars[docs].sum(axis=0), labels)
    df = pd.concat(frames, ignore_index=True)
    order = {c: i for i, c in enumerate(cats["category"])}
    df["_c"] = df["category"].map(order)
    return df.sort_values(["group", "_c", "part"], kind="stable").drop(columns="_c").reset_index(drop=True)


def _smoothed_hits(tab: Tables, M: np.ndarray, docs: np.ndarray, grid: np.ndarray, u: np.ndarray,
                   bandwidth: float) -> np.ndarray:
    """Gaussian-kernel smooth of the hits of ``docs`` over the grid (points × categories)."""
    sel = np.flatnonzero(np.isin(tab.hit_doc, docs))
    z = (grid[:, None] - u[None, sel]) / bandwidth
    K = np.exp(-0.5 * z * z) / (bandwidth * math.sqrt(2 * math.pi))  # Gaussian kernel, points × hits
    by_term = sparse.csr_matrix((np.ones(sel.size), (np.arange(sel.size), tab.hit_term[sel])),
                                shape=(sel.size, M.shape[0]))
    return K @ np.asarray(by_term @ M)


def emphasis_curve(corp: Corpus, by: str | None = DEFAULT_BY, *, lexicon=None, points: int = 101,
                   bandwidth: float = 0.08, totals: bool = True) -> pd.DataFrame:
    """A smoothed rate of each category over relative position in the document (0 = start, 1 = end).

    The rate at position ``p`` is a ratio of two Gaussian-kernel smooths:
    hits at their relative positions ``u = (start + 0.5) / L``, divided by the
    characters, which lie uniformly on [0, 1] with density ``L`` in each
    document: ``rate(p) = RATE_PER · Σ_hits K(p − u) / (Σ_docs L · ∫₀¹ K(p − u) du)``
    (:data:`analysis.config.RATE_PER`: hits per 10,000 characters).
    If hits are spread evenly at rate r, the curve is flat at r, also near
    the edges (the kernel's mass outside [0, 1] cancels in the ratio).

    Returns
    -------
    DataFrame
        group, category, kind, zh, en, position, per_10k.
    """
    from scipy.special import ndtr  # standard normal CDF

    if bandwidth <= 0 or points < 2:
        raise ValueError("bandwidth must be positive and points at least 2")
    lex = instrument_for(corp, lexicon)
    tab = corpus_tables(corp, lex)
    cats, M = report_columns(lex, totals)
    doc_group = document_groups(corp, by, tab)
    grid = np.linspace(0, 1, points)
    mass = ndtr((1 - grid) / bandwidth) - ndtr((0 - grid) / bandwidth)
    u = (tab.hit_start + 0.5) / np.maximum(1, tab.doc_len[tab.hit_doc])
    frames = []
    for g in sorted(set(doc_group), key=str):
        docs = np.flatnonzero(doc_group == g)
        smooth_hits = _smoothed_hits(tab, M, docs, grid, u, bandwidth)  # points × categories
        chars = tab.doc_len[docs].sum() * mass
        for ci, row in cats.iterrows():
            frames.append(pd.DataFrame({"group": g, "category": row["category"], "kind": row["kind"], "zh": row["zh"],
                                        "en": row["en"], "position": grid,
                                        RATE: per_unit(smooth_hits[:, ci], chars)}))
    return pd.concat(frames, ignore_index=True)
