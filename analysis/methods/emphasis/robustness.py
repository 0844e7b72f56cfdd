"""Which differences between groups hold: leaders and their intervals, and leave-one-term-out robustness.

:func:`emphasis_leaders` reads the intervals of :func:`emphasis` output;
:func:`emphasis_robustness` recomputes every pair's difference without each
term in turn, and :func:`robustness_summary` condenses it to one row per
category and pair. Rates and their differences are per 10,000 characters, in
columns named after :data:`analysis.config.RATE_UNIT` (``per_10k_a``,
``diff_per_10k`` …).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

from ...config import DEFAULT_BY
from ...corpus import Corpus
from .instrument import EmphasisLexicon, instrument_for
from .matching import COUNTED, INSIDE, resolve_overlaps
from .rates import RATE, RATE_HIGH, RATE_LOW, per_unit
from .tables import Tables, corpus_tables, document_groups, report_columns

__all__ = ["RATE_A", "RATE_B", "DIFF", "RATE_A_WITHOUT", "RATE_B_WITHOUT", "DIFF_WITHOUT", "emphasis_robustness",
           "robustness_summary", "emphasis_leaders"]

#: The rates of the two groups of a pair (``per_10k_a``, ``per_10k_b``).
RATE_A, RATE_B = f"{RATE}_a", f"{RATE}_b"
#: Their difference, group a − group b (``diff_per_10k``).
DIFF = f"diff_{RATE}"
#: The same three without one term (``per_10k_a_without``, ``per_10k_b_without``, ``diff_per_10k_without``).
RATE_A_WITHOUT, RATE_B_WITHOUT, DIFF_WITHOUT = f"{RATE_A}_without", f"{RATE_B}_without", f"{DIFF}_without"

_DETAIL_COLUMNS = ["category", "group_a", "group_b", "term", "count_a", "count_b", RATE_A, RATE_B, DIFF,
                   "rel_diff", RATE_A_WITHOUT, RATE_B_WITHOUT, DIFF_WITHOUT, "shrink", "flips", "fragile"]
_SUMMARY_COLUMNS = ["category", "group_a", "group_b", RATE_A, RATE_B, DIFF, "rel_diff", "n_terms", "top_term",
                    "max_shrink", "flip_terms", "fragile"]


# =========================================================================== leave one term out


@dataclass
class _Comparison:
    """The groups, the pairs compared, and what each group has: characters and counted hits per term."""

    groups: list
    pairs: list
    doc_gidx: np.ndarray  # group index of each document
    ia: np.ndarray  # group index of the first group of each pair
    ib: np.ndarray
    chars: np.ndarray  # characters per group
    hits: np.ndarray  # counted hits, groups × terms


def _check_pairs(pairs, groups: list) -> list:
    """The pairs to compare (default: all pairs of groups, in sorted order); KeyError on an unknown group."""
    if pairs is None:
        pairs = [(a, b) for i, a in enumerate(groups) for b in groups[i + 1:]]
    pairs = list(pairs)
    bad = [g for p in pairs for g in p if g not in groups]
    if bad:
        raise KeyError(f"unknown groups {sorted(set(bad))}; groups: {', '.join(map(str, groups))}")
    return pairs


def _check_categories(categories, lex: EmphasisLexicon) -> list:
    wanted = lex.category_ids if categories is None else list(categories)
    unknown = [c for c in wanted if c not in lex.category_ids]
    if unknown:
        raise KeyError(f"unknown categories {unknown}; categories: {', '.join(lex.category_ids)}")
    return wanted


def _comparison(tab: Tables, lex: EmphasisLexicon, doc_group: np.ndarray, groups: list, pairs: list) -> _Comparison:
    gi = {g: i for i, g in enumerate(groups)}
    doc_gidx = np.array([gi[g] for g in doc_group], dtype=np.int64)
    ia = np.array([gi[a] for a, _ in pairs], dtype=np.int64)
    ib = np.array([gi[b] for _, b in pairs], dtype=np.int64)
    chars = np.bincount(doc_gidx, weights=tab.doc_len, minlength=len(groups)).astype(np.float64)
    hits = np.zeros((len(groups), len(lex.compiled)))
    np.add.at(hits, (doc_gidx[tab.hit_doc], tab.hit_term), 1)
    return _Comparison(groups, pairs, doc_gidx, ia, ib, chars, hits)


def _overlap_winners(tab: Tables) -> list[set]:
    """For each document, the terms that won an overlap there (only they can free text when removed)."""
    return [set(m.term[[m.detail[i] for i in np.flatnonzero(m.status == INSIDE)]].tolist()) for m in tab.matches]


def _freed_by_removal(tab: Tables, lex: EmphasisLexicon, ti: int, cat: int, doc_gidx: np.ndarray, n_groups: int,
                      winners: list, member: np.ndarray) -> np.ndarray:
    """Hits of category ``cat`` per group that appear when term ``ti`` is removed from the lexicon.

    Only documents where ``ti`` won an overlap are re-resolved (from the stored
    occurrences, without searching the text again); elsewhere removing the
    term changes nothing but its own hits.
    """
    freed = np.zeros(n_groups)
    names = np.array([t.term for t in lex.compiled], dtype=object)
    for di, m in enumerate(tab.matches):
        if ti not in winners[di]:
            continue
        live = ((m.status == COUNTED) | (m.status == INSIDE)) & (m.term != ti)
        accepted, _ = resolve_overlaps(m.start, m.end, names[m.term], live, m.n_chars)
        in_cat = member[m.term, cat]
        before = ((m.status == COUNTED) & in_cat & (m.term != ti)).sum()
        freed[doc_gidx[di]] += (accepted & in_cat).sum() - before
    return freed


def _term_frame(cname: str, term: str, own: np.ndarray, freed: np.ndarray, base: np.ndarray, ra: np.ndarray,
                rb: np.ndarray, rel: np.ndarray, cmp: _Comparison, shrink: float,
                min_rel_diff: float) -> pd.DataFrame | None:
    """The pairs whose rates change without ``term`` (own hits lost, freed hits gained); None if none."""
    changed = (own != 0) | (freed != 0)
    sel = changed[cmp.ia] | changed[cmp.ib]
    if not sel.any():
        return None
    w = per_unit(base - own + freed, cmp.chars)
    wa, wb = w[cmp.ia][sel], w[cmp.ib][sel]
    d, dw = (ra - rb)[sel], wa - wb
    with np.errstate(invalid="ignore", divide="ignore"):
        sh = np.where(d != 0, 1 - np.abs(dw) / np.abs(d), np.nan)
    flips = (d != 0) & (np.sign(dw) != np.sign(d))
    fragile = (rel[sel] >= min_rel_diff) & (flips | (np.nan_to_num(sh, nan=-np.inf) > shrink))
    return pd.DataFrame({
        "category": cname, "group_a": np.array([a for a, _ in cmp.pairs], dtype=object)[sel],
        "group_b": np.array([b for _, b in cmp.pairs], dtype=object)[sel], "term": term,
        "count_a": own[cmp.ia][sel].astype(np.int64), "count_b": own[cmp.ib][sel].astype(np.int64),
        RATE_A: ra[sel], RATE_B: rb[sel], DIFF: d, "rel_diff": rel[sel], RATE_A_WITHOUT: wa,
        RATE_B_WITHOUT: wb, DIFF_WITHOUT: dw, "shrink": sh, "flips": flips, "fragile": fragile})


def _category_frames(cname: str, tab: Tables, lex: EmphasisLexicon, cmp: _Comparison, member: np.ndarray,
                     winners: list, shrink: float, min_rel_diff: float) -> list[pd.DataFrame]:
    """Every term of category ``cname`` left out in turn, for every pair."""
    ci = lex.category_ids.index(cname)
    term_ids = np.flatnonzero(member[:, ci])
    base = cmp.hits[:, term_ids].sum(axis=1)
    rate = per_unit(base, cmp.chars)
    ra, rb = rate[cmp.ia], rate[cmp.ib]
    diff = ra - rb
    mean = (ra + rb) / 2
    rel = np.divide(np.abs(diff), mean, out=np.zeros_like(diff), where=mean > 0)
    frames = []
    for ti in term_ids:
        t = lex.compiled[ti]
        own = cmp.hits[:, ti]
        freed = (np.zeros(len(cmp.groups)) if len(t.categories) > 1  # shared: removed from this category only
                 else _freed_by_removal(tab, lex, ti, ci, cmp.doc_gidx, len(cmp.groups), winners, member))
        frame = _term_frame(cname, t.term, own, freed, base, ra, rb, rel, cmp, shrink, min_rel_diff)
        if frame is not None:
            frames.append(frame)
    return frames


def _sorted_detail(frames: list[pd.DataFrame], lex: EmphasisLexicon) -> pd.DataFrame:
    """Category (lexicon order), pair, then shrink descending and term."""
    if not frames:
        return pd.DataFrame(columns=_DETAIL_COLUMNS)
    df = pd.concat(frames, ignore_index=True)[_DETAIL_COLUMNS]
    order = {c: i for i, c in enumerate(lex.category_ids)}
    df["_c"] = df["category"].map(order)
    df["_s"] = df["shrink"].fillna(-np.inf)
    df = df.sort_values(["_c", "group_a", "group_b", "_s", "term"], ascending=[True, True, True, False, True],
                        kind="stable")
    return df.drop(columns=["_c", "_s"]).reset_index(drop=True)


def emphasis_robustness(corp: Corpus, by: str | None = DEFAULT_BY, *, lexicon=None, shrink: float = 0.5,
                        min_rel_diff: float = 0.1, pairs: Iterable[tuple[str, str]] | None = None,
                        categories: Iterable[str] | None = None) -> pd.DataFrame:
    """Leave-one-term-out: does a difference between two groups hang on a single word?

    For every category, every pair of groups and every term of the category
    with hits in either group, the two rates are recomputed as if the term
    were not in the category. A term that belongs only to this category is
    removed from the lexicon, so text it claimed can go to a shorter term
    (without 决不能, 决不 may match); a declared shared term is removed from
    this category only. Rates are point estimates (no bootstrap).

    Parameters
    ----------
    shrink : float
        Flag a term whose removal shrinks the absolute difference by more
        than this fraction (0.5: by more than half).
    min_rel_diff : float
        Differences smaller than this fraction of the pair's mean rate count
        as no difference: they are reported but never flagged (any term can
        flip a difference of nearly zero).
    pairs : iterable of (str, str), optional
        Group pairs to compare (default: all pairs of groups, in sorted order).
    categories : iterable of str, optional
        Category ids (default: all).

    Returns
    -------
    DataFrame
        category, group_a, group_b, term, count_a, count_b, per_10k_a,
        per_10k_b (rates per 10,000 characters), diff_per_10k (per_10k_a −
        per_10k_b), rel_diff (|diff_per_10k| / mean of the two rates),
        per_10k_a_without, per_10k_b_without, diff_per_10k_without, shrink (1
        − |diff_per_10k_without| / |diff_per_10k|; negative when the gap
        widens, NaN when the difference is 0), flips (the sign of the difference reverses), fragile (rel_diff
        ≥ ``min_rel_diff`` and the term flips the difference or shrinks it by
        more than ``shrink``). Sorted by category (lexicon order), pair, then
        shrink descending and term.
    """
    lex = instrument_for(corp, lexicon)
    tab = corpus_tables(corp, lex)
    doc_group = document_groups(corp, by, tab)
    groups = sorted(set(doc_group), key=str)
    pairs = _check_pairs(pairs, groups)
    wanted = _check_categories(categories, lex)
    cmp = _comparison(tab, lex, doc_group, groups, pairs)
    member = report_columns(lex, totals=False)[1] > 0  # terms × categories
    winners = _overlap_winners(tab)
    frames = [f for cname in wanted
              for f in _category_frames(cname, tab, lex, cmp, member, winners, shrink, min_rel_diff)]
    return _sorted_detail(frames, lex)


def robustness_summary(detail: pd.DataFrame) -> pd.DataFrame:
    """One row per category and pair from :func:`emphasis_robustness`.

    Returns
    -------
    DataFrame
        category, group_a, group_b, per_10k_a, per_10k_b, diff_per_10k, rel_diff, n_terms
        (terms with hits in either group), top_term (whose removal shrinks the difference
        most; ties by term), max_shrink, flip_terms (terms whose removal
        reverses the difference, 、-joined), fragile.
    """
    if detail.empty:
        return pd.DataFrame(columns=_SUMMARY_COLUMNS)
    rows = []
    for (c, a, b), g in detail.groupby(["category", "group_a", "group_b"], sort=False):
        top = g.assign(_s=g["shrink"].fillna(-np.inf)).sort_values(["_s", "term"], ascending=[False, True]).iloc[0]
        rows.append((c, a, b, g[RATE_A].iat[0], g[RATE_B].iat[0], g[DIFF].iat[0], g["rel_diff"].iat[0], len(g),
                     top["term"], top["shrink"], "、".join(sorted(g.loc[g["flips"], "term"])), bool(g["fragile"].any())))
    return pd.DataFrame(rows, columns=_SUMMARY_COLUMNS)


# =========================================================================== leaders


def emphasis_leaders(scores: pd.DataFrame) -> pd.DataFrame:
    """For each category of :func:`emphasis` output: the group with the highest rate and the runner-up.

    ``separated`` is True when the leader's interval lies wholly above every
    other group's interval. That is a conservative reading: overlapping
    intervals do not show that two rates are equal.

    Returns
    -------
    DataFrame
        category, kind, leader, per_10k, per_10k_low, per_10k_high,
        runner_up, runner_up_per_10k, runner_up_per_10k_high, separated
        (rates per 10,000 characters, as in the scores); categories in table
        order (ties between groups go to the group name that sorts first).
    """
    rows = []
    for cat, g in scores.groupby("category", sort=False):
        g = g.sort_values([RATE, "group"], ascending=[False, True], kind="stable")
        top = g.iloc[0]
        rest = g.iloc[1:]
        second = rest.iloc[0] if len(rest) else None
        rows.append((cat, top.get("kind", ""), top["group"], top[RATE], top[RATE_LOW], top[RATE_HIGH],
                     None if second is None else second["group"],
                     np.nan if second is None else second[RATE],
                     np.nan if second is None else second[RATE_HIGH],
                     bool(len(rest) and top[RATE_LOW] > rest[RATE_HIGH].max())))
    return pd.DataFrame(rows, columns=["category", "kind", "leader", RATE, RATE_LOW, RATE_HIGH, "runner_up",
                                       f"runner_up_{RATE}", f"runner_up_{RATE_HIGH}", "separated"])
