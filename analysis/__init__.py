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
    "segment": "segmentation",
    "tokenize": "segmentation",
    "Tokenizer": "segmentation",
    "load_lexicon": "segmentation",
    "stopwords": "segmentation",
    "tokens": "vectors",
    "token_table": "vectors",
    "dfm": "vectors",
    "Dfm": "vectors",
    "tfidf": "vectors",
    "kwic": "concordance",
    "kwic_html": "concordance",
    "emphasis": "emphasis",
    "emphasis_by_document": "emphasis",
    "emphasis_hits": "emphasis",
    "emphasis_positions": "emphasis",
    "emphasis_curve": "emphasis",
    "emphasis_robustness": "emphasis",
    "emphasis_kwic": "emphasis",
    "load_emphasis_lexicon": "emphasis",
    "keyness": "keyness",
    "keyness_stats": "keyness",
    "top_terms": "keyness",
    "doc_similarity": "similarity",
    "similarity_pairs": "similarity",
    "shared_passages": "similarity",
    "passage_summary": "similarity",
    "find_slogans": "methods.slogans",
    "slogan_occurrences": "methods.slogans",
    "lexicon_candidates": "methods.slogans",
    "glossary_join": "methods.slogans",
    "missing_glosses": "methods.slogans",
    "setup": "plots",
    "save_fig": "plots",
    "segmented": "segmentation",
    "iter_segmented": "parallel",
    "clear_cache": "cache",
    "cache_info": "cache",
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
