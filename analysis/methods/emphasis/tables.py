"""Corpus tables: the counted hits of a corpus by sentence and document, and the categories that are reported.

:func:`corpus_tables` turns the matches of a corpus into flat arrays (one row
per sentence, one per counted hit) that the rates, positions, robustness and
inspection modules share; :func:`emphasis_hits` is their public, tidy form.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from ...config import DEFAULT_BY
from ...corpus import Corpus
from .instrument import KINDS, TOTALS, EmphasisLexicon, instrument_for
from .matching import COUNTED, match_corpus

__all__ = ["Tables", "corpus_tables", "document_groups", "report_columns", "sentence_counts", "emphasis_hits"]

_TOTAL_NAMES = {"all_topic": ("全部主题词", "All topic terms"), "all_force": ("全部语气标记", "All force markers")}


@dataclass
class Tables:
    """Per-sentence counts of a corpus under a lexicon (rows: sentences in corpus order)."""

    doc_ids: list
    doc_len: np.ndarray
    sent_doc: np.ndarray  # document index per sentence
    sent_len: np.ndarray
    sent_start: np.ndarray
    hit_doc: np.ndarray  # accepted hits
    hit_sent: np.ndarray  # global sentence index
    hit_start: np.ndarray
    hit_term: np.ndarray
    matches: list


def corpus_tables(corp: Corpus, lex: EmphasisLexicon) -> Tables:
    """The sentences and counted hits of ``corp`` under ``lex`` (from :func:`match_corpus`)."""
    doc_len, sent_doc, sent_len, sent_start = [], [], [], []
    hit_doc, hit_sent, hit_start, hit_term, matches = [], [], [], [], []
    offset = 0
    for di, m in enumerate(match_corpus(corp, lex)):
        matches.append(m)
        n = len(m.sentences)
        doc_len.append(m.n_chars)
        sent_doc.append(np.full(n, di))
        sent_len.append(m.sentences[:, 1] - m.sentences[:, 0])
        sent_start.append(m.sentences[:, 0])
        ok = m.status == COUNTED
        st = m.start[ok]
        hit_doc.append(np.full(st.size, di))
        hit_sent.append(offset + np.searchsorted(m.sentences[:, 0], st, side="right") - 1)
        hit_start.append(st)
        hit_term.append(m.term[ok])
        offset += n
    cat = lambda xs: np.concatenate(xs) if xs else np.zeros(0, dtype=np.int64)  # noqa: E731
    return Tables(corp.ids, np.array(doc_len, dtype=np.int64), cat(sent_doc), cat(sent_len), cat(sent_start),
                  cat(hit_doc), cat(hit_sent), cat(hit_start), cat(hit_term), matches)


def document_groups(corp: Corpus, by, tab: Tables) -> np.ndarray:
    """The group of each document of ``tab`` (table order), from :meth:`analysis.Corpus.groups`."""
    return corp.groups(by).loc[tab.doc_ids].to_numpy()


def report_columns(lex: EmphasisLexicon, totals: bool) -> tuple[pd.DataFrame, np.ndarray]:
    """Reported categories (file order, then pooled rows) and the term × category incidence matrix."""
    cats = lex.categories[["category", "kind", "zh", "en"]].copy()
    M = np.zeros((len(lex.compiled), len(cats)), dtype=np.float64)
    for ti, t in enumerate(lex.compiled):
        M[ti, list(t.categories)] = 1.0
    if totals:
        extra, cols = [], []
        for kind in KINDS:
            in_kind = (cats["kind"] == kind).to_numpy()
            if in_kind.any():
                name = TOTALS[kind]
                extra.append({"category": name, "kind": kind, "zh": _TOTAL_NAMES[name][0], "en": _TOTAL_NAMES[name][1]})
                cols.append((M[:, in_kind].sum(axis=1) > 0).astype(np.float64))
        if extra:
            cats = pd.concat([cats, pd.DataFrame(extra)], ignore_index=True)
            M = np.column_stack([M] + cols)
    return cats.reset_index(drop=True), M


def sentence_counts(tab: Tables, M: np.ndarray) -> sparse.csr_matrix:
    """Hits per sentence and reported category (sparse, sentences × categories: a large corpus has millions of
    sentences, most without a hit)."""
    n_sent = len(tab.sent_len)
    Y = sparse.csr_matrix((np.ones(tab.hit_sent.size), (tab.hit_sent, tab.hit_term)), shape=(n_sent, M.shape[0]))
    Y = (Y @ sparse.csr_matrix(M)).tocsr()
    Y.eliminate_zeros()
    return Y


def emphasis_hits(corp: Corpus, *, by: str | None = DEFAULT_BY, lexicon=None) -> pd.DataFrame:
    """Every counted hit, one row per hit and category.

    Returns
    -------
    DataFrame
        doc_id, group, sentence (index within the document), start, end,
        position (start / document length), term, category, kind; in corpus
        order, then by start. A declared shared term gives one row per category.
    """
    lex = instrument_for(corp, lexicon)
    tab = corpus_tables(corp, lex)
    groups = corp.groups(by)
    first_sent = np.searchsorted(tab.sent_doc, np.arange(len(tab.doc_ids)), side="left")
    rows = []
    cats, kinds = lex.category_ids, dict(zip(lex.categories["category"], lex.categories["kind"]))
    for k in range(tab.hit_start.size):
        t = lex.compiled[tab.hit_term[k]]
        di = tab.hit_doc[k]
        doc_id = tab.doc_ids[di]
        for c in t.categories:
            rows.append((doc_id, groups[doc_id], int(tab.hit_sent[k] - first_sent[di]), int(tab.hit_start[k]),
                         int(tab.hit_start[k]) + len(t.term), round(tab.hit_start[k] / max(1, tab.doc_len[di]), 4),
                         t.term, cats[c], kinds[cats[c]]))
    df = pd.DataFrame(rows, columns=["doc_id", "group", "sentence", "start", "end", "position", "term", "category", "kind"])
    order = {d: i for i, d in enumerate(tab.doc_ids)}
    df["_o"] = df["doc_id"].map(order)
    return df.sort_values(["_o", "start", "category"], kind="stable").drop(columns="_o").reset_index(drop=True)
