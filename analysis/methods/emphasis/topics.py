"""A data-driven check on the instrument: topics found by NMF, per group, beside the lexicon's categories.

A lexicon measures only what its authors thought of. :func:`emphasis_topics` lets
the corpus speak: it factorises the paragraphs' TF-IDF weights of content words
with scikit-learn's non-negative matrix factorisation (NMF), reports each topic's
share of each group's paragraphs, and names the lexicon categories that the
topic's top words fall into (the categories the instrument credits when it reads
the word alone, exclusions included), and the top words that no category
catches: what the instrument misses. Deterministic: NNDSVD initialisation (no random start) and
``random_state`` set to the seed. Settings in ``data/emphasis_settings.yaml``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...config import DEFAULT_BY, SEED
from ...corpus import Corpus
from ...lexicon import TokenOptions, filter_tokens
from ...tokenization import segment_pairs
from .instrument import EmphasisLexicon, emphasis_settings, instrument_for
from .matching import COUNTED, match_texts

__all__ = ["TOPIC_COLUMNS", "emphasis_topics", "paragraph_tokens"]

#: Columns of :func:`emphasis_topics`.
TOPIC_COLUMNS = ["group", "topic", "share", "n_paragraphs", "top_terms", "categories", "uncovered"]


def paragraph_tokens(corp: Corpus) -> tuple[list[list[str]], list[str]]:
    """Content words of every paragraph (line) of every document, and the document id of each paragraph.

    Content words as in :func:`analysis.tokenize` with proper nouns dropped (a topic of
    place names says where, not what); paragraphs without a content word are skipped.
    """
    opts = TokenOptions(drop_proper=True)
    paras, owner = [], []
    for d in corp:
        cur: list[str] = []
        for tok, flag in (*segment_pairs(d.text, corp.lexicon), ("\n", "x")):
            if "\n" in tok:
                if cur:
                    paras.append(cur)
                    owner.append(d.id)
                cur = []
                continue
            cur.extend(filter_tokens([(tok, flag)], opts))
    return paras, owner


def _categories_of(words: list[str], lex: EmphasisLexicon) -> list[list[str]]:
    """For each word, the categories the instrument credits when it reads the word alone (lexicon order)."""
    out = []
    for m in match_texts(tuple(words), lex):
        found = {c for i in range(len(m.start)) if m.status[i] == COUNTED for c in lex.compiled[m.term[i]].categories}
        out.append([lex.category_ids[c] for c in sorted(found)])
    return out


def _fit(paras: list[list[str]], n_topics: int, s: dict, seed: int):
    """The NMF model, paragraph weights (W) and vocabulary of the paragraphs' TF-IDF matrix."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    max_df = float(s["topic_max_df"]) if len(paras) > 1 else 1.0
    vec = TfidfVectorizer(analyzer=lambda toks: toks, min_df=min(int(s["topic_min_df"]), len(paras)),
                          max_df=max_df, sublinear_tf=True)
    X = vec.fit_transform(paras)
    k = max(1, min(n_topics, X.shape[0] - 1, X.shape[1]))
    model = NMF(n_components=k, init="nndsvd", random_state=seed, max_iter=500)
    W = model.fit_transform(X)
    return model, W, vec.get_feature_names_out()


def emphasis_topics(corp: Corpus, by: str | None = DEFAULT_BY, *, lexicon=None, n_topics: int | None = None,
                    n_terms: int | None = None, seed: int = SEED) -> pd.DataFrame:
    """Topics of the corpus (NMF on paragraphs), their share in each group, beside the instrument's categories.

    Parameters
    ----------
    corp : Corpus
    by : str or None
        Manifest column to group by (None: each document its own group).
    lexicon : name, path, mapping or EmphasisLexicon, optional
        The instrument to compare with (default: the corpus's own, else governance).
    n_topics, n_terms : int, optional
        Topics fitted and top words shown (defaults ``topics`` and ``topic_terms`` of
        ``data/emphasis_settings.yaml``; fewer topics when the corpus is small).
    seed : int
        ``random_state`` of the NMF (the start is NNDSVD, so the result does not
        depend on it in practice; set for safety).

    Returns
    -------
    DataFrame
        One row per group and topic: group, topic (``T1`` … in the order of their
        overall weight), share (the topic's share of the group's paragraph weights;
        a group's shares sum to 1), n_paragraphs (the group's paragraphs), top_terms
        (the topic's top words, joined by "、"), categories (the lexicon categories
        its top words fall into, "+"-joined; "" when none), uncovered (top words that
        no category catches: what the instrument misses). Groups sorted, then topics.
    """
    s = emphasis_settings()
    lex = instrument_for(corp, lexicon)
    n_topics = int(s["topics"] if n_topics is None else n_topics)
    n_terms = int(s["topic_terms"] if n_terms is None else n_terms)
    paras, owner = paragraph_tokens(corp)
    if len(paras) < 2:
        return pd.DataFrame(columns=TOPIC_COLUMNS)
    model, W, vocab = _fit(paras, n_topics, s, seed)
    order = np.argsort(-W.sum(axis=0), kind="stable")
    labels = {t: f"T{i + 1}" for i, t in enumerate(order)}
    topic_rows = {}
    for t in order:
        top = [vocab[j] for j in np.argsort(-model.components_[t], kind="stable")[:n_terms] if model.components_[t, j] > 0]
        cats = _categories_of(top, lex) if top else []
        found = [c for c in lex.category_ids if any(c in cs for cs in cats)]
        topic_rows[t] = ("、".join(top), "+".join(found), "、".join(w for w, cs in zip(top, cats) if not cs))
    groups = corp.groups(by)
    para_group = np.array([str(groups[d]) for d in owner], dtype=object)
    rows = []
    for g in sorted(set(para_group), key=str):
        mask = para_group == g
        weight = W[mask].sum(axis=0)
        total = weight.sum()
        for t in order:
            rows.append((g, labels[t], float(weight[t] / total) if total > 0 else 0.0, int(mask.sum()), *topic_rows[t]))
    return pd.DataFrame(rows, columns=TOPIC_COLUMNS)
