"""Inspection of the instrument: concordance lines, what happened to each term, coverage, second opinions, leads.

These functions check what the lexicon measures: :func:`emphasis_kwic` and
:func:`token_check` show occurrences in context, :func:`term_table` and
:func:`lexicon_coverage` count what each term and category caught, and
:func:`suggest_terms` lists words the lexicon may miss, and
:func:`instrument_validity` says whether each category measures its field on a
corpus (coverage, spread, one-word dominance).
"""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np
import pandas as pd

from ..concordance import kwic
from ...config import DEFAULT_BY, RATE_PER, RATE_UNIT
from ...corpus import Corpus
from ...lexicon import TokenOptions, filter_tokens
from ...tokenization import segment_pairs
from .instrument import EmphasisLexicon, emphasis_settings, instrument_for
from .matching import match_corpus, status_label
from .tables import Tables, corpus_tables, emphasis_hits

__all__ = ["emphasis_kwic", "term_table", "lexicon_coverage", "token_check", "suggest_terms", "instrument_validity"]


def term_table(corp: Corpus, *, lexicon=None) -> pd.DataFrame:
    """Every lexicon term with what happened to its occurrences in the corpus.

    Returns
    -------
    DataFrame
        category, term, match, counted, excluded (inside an exclusion
        context), not_a_word (token matching), overlapped (a longer match
        won), occurrences (their sum); one row per listing (a shared term
        appears under each of its categories); lexicon order.
    """
    lex = instrument_for(corp, lexicon)
    n = len(lex.compiled)
    tally = np.zeros((n, 4), dtype=np.int64)
    for m in match_corpus(corp, lex):
        np.add.at(tally, (m.term, m.status.astype(np.int64)), 1)
    index = {t.term: i for i, t in enumerate(lex.compiled)}
    out = lex.terms[["category", "term", "match"]].copy()
    rows = tally[[index[t] for t in out["term"]]]
    for k, col in enumerate(["counted", "excluded", "not_a_word", "overlapped"]):
        out[col] = rows[:, k]
    out["occurrences"] = rows.sum(axis=1)
    return out.reset_index(drop=True)


def lexicon_coverage(corp: Corpus, *, lexicon=None) -> pd.DataFrame:
    """How each category's terms fire in the corpus: a first check of what the instrument measures.

    Returns
    -------
    DataFrame
        category, kind, n_terms, terms_used (with at least one counted hit),
        hits, top_term, top_share (share of the category's hits that come
        from its most frequent term: near 1, the category measures one word),
        not_counted (occurrences dropped by exclusions, token matching or
        longer matches).
    """
    lex = instrument_for(corp, lexicon)
    tt = term_table(corp, lexicon=lex)
    rows = []
    for cat, g in tt.groupby("category", sort=False):
        hits = int(g["counted"].sum())
        top = g.sort_values(["counted", "term"], ascending=[False, True], kind="stable").iloc[0]
        rows.append((cat, len(g), int((g["counted"] > 0).sum()), hits, top["term"] if hits else "",
                     top["counted"] / hits if hits else np.nan,
                     int(g[["excluded", "not_a_word", "overlapped"]].to_numpy().sum())))
    out = pd.DataFrame(rows, columns=["category", "n_terms", "terms_used", "hits", "top_term", "top_share",
                                      "not_counted"])
    out.insert(1, "kind", out["category"].map(dict(zip(lex.categories["category"], lex.categories["kind"]))))
    return out


def emphasis_kwic(corp: Corpus, *, category: str | None = None, term: str | Iterable[str] | None = None,
                  by: str | None = DEFAULT_BY, window: int = 20, lexicon=None, counted: bool | None = None) -> pd.DataFrame:
    """Concordance lines of a category's terms (or of given terms), with what the measure made of each.

    Built on :func:`analysis.kwic` (literal matching of the terms); each line
    gets the term's status in the emphasis count.

    Parameters
    ----------
    category : str, optional
        A category id: all its terms.
    term : str or iterable of str, optional
        Terms to look up (they need not be in the lexicon).
    counted : bool, optional
        Keep only counted lines (True) or only lines the measure did not count
        (False); default all.

    Returns
    -------
    DataFrame
        The columns of :func:`analysis.kwic` plus counted (bool) and status
        (``counted``, ``excluded: inside 要求``, ``not a word: inside 须臾``,
        ``overlapped by 决不能`` or ``not in the lexicon``).
    """
    lex = instrument_for(corp, lexicon)
    if (category is None) == (term is None):
        raise ValueError("give either category= or term=")
    terms = lex.terms_of(category) if category is not None else ([term] if isinstance(term, str) else list(term))
    lines = kwic(corp, terms, by=by, window=window)
    status, flag = [], []
    index = {t.term: i for i, t in enumerate(lex.compiled)}
    by_id = dict(zip(corp.ids, match_corpus(corp, lex)))
    for r in lines.itertuples(index=False):
        ti = index.get(r.keyword)
        if ti is None:
            status.append("not in the lexicon")
            flag.append(False)
            continue
        m = by_id[r.doc_id]
        hit = np.flatnonzero((m.start == r.start) & (m.term == ti))
        label = status_label(m, int(hit[0]), lex) if hit.size else "not in the lexicon"
        status.append(label)
        flag.append(label == "counted")
    lines["counted"] = flag
    lines["status"] = status
    if counted is not None:
        lines = lines[lines["counted"] == counted].reset_index(drop=True)
    return lines


def token_check(corp: Corpus, term: str, *, by: str | None = DEFAULT_BY, window: int = 20, lexicon=None) -> pd.DataFrame:
    """Every occurrence of ``term``: what the lexicon counted, and what the segmenter says.

    A second opinion on a risky term: the jieba segmentation of the whole
    document (:func:`analysis.segmentation.segment_pairs`, the project
    lexicon) tells whether the occurrence is a word of its own. Where the
    two disagree, one of them is wrong; read the lines.

    Returns
    -------
    DataFrame
        The columns of :func:`emphasis_kwic` plus token (the word jieba puts
        the occurrence in) and standalone (token == term).
    """
    lines = emphasis_kwic(corp, term=term, by=by, window=window, lexicon=lexicon)
    tokens, alone = [], []
    cache: dict[str, tuple[np.ndarray, list]] = {}
    for r in lines.itertuples(index=False):
        if r.doc_id not in cache:
            pairs = segment_pairs(corp[r.doc_id].text, corp.lexicon)
            starts = np.cumsum([0] + [len(t) for t, _ in pairs[:-1]]) if pairs else np.zeros(0, int)
            cache[r.doc_id] = (np.asarray(starts), [t for t, _ in pairs])
        starts, toks = cache[r.doc_id]
        k = int(np.searchsorted(starts, r.start, side="right") - 1)
        tok = toks[k]
        covers = starts[k] + len(tok) >= r.end
        tokens.append(tok if covers else tok + "|…")
        alone.append(bool(tok == term and starts[k] == r.start))
    lines["token"] = tokens
    lines["standalone"] = alone
    return lines


def _marked_sentences(tab: Tables, lex: EmphasisLexicon, ci: int) -> np.ndarray:
    """For each sentence of ``tab``: does it hold at least one counted hit of category ``ci``?"""
    in_cat = np.array([ci in t.categories for t in lex.compiled])
    marked = np.zeros(len(tab.sent_len), dtype=bool)
    marked[tab.hit_sent[in_cat[tab.hit_term]]] = True
    return marked


def _word_counts(corp: Corpus, tab: Tables, marked: np.ndarray) -> tuple[dict[str, int], dict[str, int]]:
    """Content words counted in marked sentences and in all other sentences."""
    opts = TokenOptions(drop_proper=True)  # places, people and organisations are not ways of speaking
    inside: dict[str, int] = {}
    outside: dict[str, int] = {}
    first_sent = np.searchsorted(tab.sent_doc, np.arange(len(tab.doc_ids)), side="left")
    for di, d in enumerate(corp):
        pos = 0
        starts = tab.sent_start[tab.sent_doc == di]
        for tok, flag in segment_pairs(d.text, corp.lexicon):
            kept = filter_tokens([(tok, flag)], opts)
            if kept:
                s = first_sent[di] + np.searchsorted(starts, pos, side="right") - 1
                target = inside if marked[s] else outside
                target[kept[0]] = target.get(kept[0], 0) + 1
            pos += len(tok)
    return inside, outside


def suggest_terms(corp: Corpus, category: str, *, lexicon=None, n: int = 20, min_count: int = 3) -> pd.DataFrame:
    """Words over-represented in sentences that carry the category: candidates the lexicon may miss.

    Sentences with at least one hit of ``category`` are compared with all
    other sentences. Each content word (:func:`analysis.tokenize` rules:
    stopwords, punctuation, numbers, single characters and proper nouns
    dropped) gets a
    smoothed log2 ratio of its relative frequency in the two sets; words that
    contain a lexicon term or are contained in one are left out (they are
    the terms themselves). Read the result as leads to check with
    :func:`emphasis_kwic`, not as new terms.

    Returns
    -------
    DataFrame
        word, in_category (occurrences in sentences with a hit), elsewhere,
        log2_ratio; the ``n`` highest ratios with at least ``min_count``
        occurrences in the category's sentences (ties: more occurrences, then
        the word).
    """
    lex = instrument_for(corp, lexicon)
    ci = lex.category_ids.index(category) if category in lex.category_ids else None
    if ci is None:
        raise KeyError(f"no category {category!r}; categories: {', '.join(lex.category_ids)}")
    tab = corpus_tables(corp, lex)
    inside, outside = _word_counts(corp, tab, _marked_sentences(tab, lex, ci))
    all_terms = set(lex.terms["term"])
    A, B = sum(inside.values()), sum(outside.values())
    rows = []
    for w, a in inside.items():
        if a < min_count or any(t in w or w in t for t in all_terms):
            continue
        b = outside.get(w, 0)
        lr = math.log2((a + 0.5) / (A + 0.5)) - math.log2((b + 0.5) / (B + 0.5))
        rows.append((w, a, b, lr))
    df = pd.DataFrame(rows, columns=["word", "in_category", "elsewhere", "log2_ratio"])
    df = df.sort_values(["log2_ratio", "in_category", "word"], ascending=[False, False, True], kind="stable")
    return df.head(n).reset_index(drop=True)


def instrument_validity(corp: Corpus, *, lexicon=None, dominance: float | None = None) -> pd.DataFrame:
    """Does each category measure its field on this corpus? Coverage, spread and one-word dominance.

    One row per category of the instrument (the corpus's own when ``lexicon`` is
    None): its counted ``hits``, their rate ``per_10k`` over the corpus's clean
    characters, the documents with at least one hit (``docs_with``, ``doc_share``),
    the terms that fired, the most frequent term and its share of the hits, and
    ``dominated``: True when that share is above ``dominance`` (default the
    ``dominance_share`` of ``data/emphasis_settings.yaml``, 0.4), i.e. the category
    mostly counts one word. ``covered`` is False for a category with no hit.

    Returns
    -------
    DataFrame
        category, kind, zh, en, n_terms, terms_used, hits, per_10k, docs_with,
        doc_share, top_term, top_share, dominated, covered; lexicon order.
    """
    lex = instrument_for(corp, lexicon)
    limit = float(emphasis_settings()["dominance_share"] if dominance is None else dominance)
    cov = lexicon_coverage(corp, lexicon=lex)
    hits = emphasis_hits(corp, by=None, lexicon=lex)
    n_chars = sum(len(d.text) for d in corp)
    docs_with = hits.groupby("category")["doc_id"].nunique() if len(hits) else pd.Series(dtype=int)
    cats = lex.categories.set_index("category")
    out = cov.drop(columns="not_counted")
    out.insert(2, "zh", out["category"].map(cats["zh"]))
    out.insert(3, "en", out["category"].map(cats["en"]))
    out.insert(out.columns.get_loc("hits") + 1, RATE_UNIT, RATE_PER * out["hits"] / max(1, n_chars))
    out.insert(out.columns.get_loc(RATE_UNIT) + 1, "docs_with",
               out["category"].map(docs_with).fillna(0).astype(int))
    out.insert(out.columns.get_loc("docs_with") + 1, "doc_share", out["docs_with"] / max(1, len(corp)))
    out["dominated"] = out["top_share"].fillna(0) > limit
    out["covered"] = out["hits"] > 0
    return out.reset_index(drop=True)
