"""Comparative text analytics of Chinese policy documents.

Import what you need; nothing is loaded, downloaded or printed at import time::

    import analysis
    cfg = analysis.setup("01_corpus")
    corp = analysis.load_corpus()          # seeds/, or $ANALYSIS_CORPUS
    toks = analysis.tokens(corp, drop_proper=True)
    dfmat = analysis.dfm(corp, by="genre")
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it (loaded on first use)
_EXPORTS = {
    "load_corpus": "corpus",
    "validate": "corpus",
    "draft_manifest": "corpus",
    "Corpus": "corpus",
    "Document": "corpus",
    "clean": "cleaning",
    "decode": "cleaning",
    "segment": "tokenization",
    "tokenize": "tokenization",
    "Tokenizer": "tokenization",
    "load_lexicon": "lexicon",
    "stopwords": "lexicon",
    "tokens": "tokenization",
    "token_table": "tokenization",
    "dfm": "vectors",
    "Dfm": "vectors",
    "tfidf": "vectors",
    "kwic": "methods.concordance",
    "kwic_html": "methods.concordance",
    "show_kwic": "display",
    "measure_agreement": "methods.keyness",
    "passage_spread": "methods.similarity",
    "term_view": "explorer",
    "term_frequencies": "explorer",
    "pair_keyness": "explorer",
    "term_explorer": "explorer",
    "keyness_explorer": "explorer",
    "data_file": "config",
    "DEFAULT_BY": "config",
    "RATE_PER": "config",
    "RATE_UNIT": "config",
    "emphasis": "methods.emphasis",
    "emphasis_by_document": "methods.emphasis",
    "emphasis_hits": "methods.emphasis",
    "emphasis_positions": "methods.emphasis",
    "emphasis_curve": "methods.emphasis",
    "emphasis_robustness": "methods.emphasis",
    "emphasis_kwic": "methods.emphasis",
    "load_emphasis_lexicon": "methods.emphasis",
    "keyness": "methods.keyness",
    "keyness_stats": "methods.keyness",
    "top_terms": "methods.keyness",
    "doc_similarity": "methods.similarity",
    "similarity_pairs": "methods.similarity",
    "shared_passages": "methods.similarity",
    "passage_summary": "methods.similarity",
    "find_slogans": "methods.slogans",
    "slogan_occurrences": "methods.slogans",
    "lexicon_candidates": "methods.slogans",
    "glossary_join": "methods.slogans",
    "missing_glosses": "methods.slogans",
    "setup": "plots",
    "save_fig": "plots",
    "segmented": "store",
    "iter_segmented": "store",
    "clear_cache": "store",
    "cache_info": "store",
    "CorpusError": "errors",
    "DecodeError": "errors",
    "Problem": "errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
