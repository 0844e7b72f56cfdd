"""Comparative text analytics of Chinese policy documents.

Everything a notebook or script needs is here, one name per function;
nothing is loaded, downloaded or printed at import time (each name loads its
module on first use)::

    import analysis
    cfg = analysis.setup("01_corpus")
    corp = analysis.load_corpus()          # seeds/, or $ANALYSIS_CORPUS
    toks = analysis.tokens(corp, drop_proper=True)
    dfmat = analysis.dfm(corp, by="genre")
    kw = analysis.keyness(corp)            # grouped by $ANALYSIS_BY, else region

Figures are in :mod:`analysis.plots`. How the package is layered:
``docs/architecture.md``.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> "module" (same name there) or "module:name" (another name there), loaded on first use
_EXPORTS = {
    # configuration
    "project_root": "config",
    "data_file": "config",
    "DEFAULT_BY": "config",
    "RATE_PER": "config",
    "RATE_UNIT": "config",
    "CorpusError": "errors",
    "DecodeError": "errors",
    "Problem": "errors",
    # lexicons, cleaning
    "load_lexicon": "lexicon",
    "stopwords": "lexicon",
    "clean": "cleaning",
    "decode": "cleaning",
    # the store
    "segmented": "store",
    "iter_segmented": "store",
    "clear_cache": "store",
    "cache_info": "store",
    # corpus
    "load_corpus": "corpus",
    "validate": "corpus",
    "draft_manifest": "corpus",
    "grouping_problems": "corpus",
    "Corpus": "corpus",
    "Document": "corpus",
    # tokens and counts
    "segment": "tokenization",
    "tokenize": "tokenization",
    "Tokenizer": "tokenization",
    "tokens": "tokenization",
    "token_table": "tokenization",
    "dfm": "vectors",
    "Dfm": "vectors",
    "tfidf": "vectors",
    "collocations": "phrases",
    "find_phrases": "phrases",
    "save_phrases": "phrases",
    "load_phrases": "phrases",
    # concordance, keyness (dispersion, document-level test, corrections, prior), similarity
    "kwic": "methods.concordance",
    "kwic_html": "methods.concordance",
    "keyness": "methods.keyness",
    "keyness_stats": "methods.keyness",
    "top_terms": "methods.keyness",
    "measure_agreement": "methods.keyness",
    "term_dispersion": "methods.dispersion",
    "gries_dp": "methods.dispersion",
    "document_permutation_test": "methods.permutation",
    "fisher_exact_p": "methods.contingency",
    "williams_q": "methods.contingency",
    "yates_chi2": "methods.contingency",
    "alpha0_sensitivity": "methods.prior_sensitivity",
    "doc_similarity": "methods.similarity",
    "similarity_pairs": "methods.similarity",
    "shared_passages": "methods.similarity",
    "passage_summary": "methods.similarity",
    "passage_spread": "methods.similarity",
    # time: trends, rise and fall (issue 17)
    "trends": "methods.trends",
    "adjacent_keyness": "methods.shifts",
    "term_lifespans": "methods.shifts",
    # slogans
    "find_slogans": "methods.slogans",
    "slogan_occurrences": "methods.slogans",
    "slogan_matrix": "methods.slogans",
    "slogan_sharing": "methods.slogans:sharing",
    "slogan_families": "methods.slogans:family_table",
    "slogan_position_profile": "methods.slogans:position_profile",
    "slogan_candidates": "methods.slogans:text_candidates",
    "SloganSettings": "methods.slogans:Settings",
    "load_slogan_settings": "methods.slogans:load_settings",
    "lexicon_candidates": "methods.slogans",
    "write_lexicon_candidates": "methods.slogans",
    "glossary_join": "methods.slogans",
    "missing_glosses": "methods.slogans",
    # diffusion of formulations, direction of reuse (time)
    "diffusion": "methods.diffusion",
    "adoption": "methods.diffusion",
    "diffusion_by_period": "methods.diffusion",
    "formulation_uses": "methods.diffusion",
    "dated_documents": "methods.diffusion",
    "reuse_direction": "methods.reuse",
    "who_reuses_whom": "methods.reuse",
    # emphasis
    "emphasis": "methods.emphasis",
    "emphasis_by_document": "methods.emphasis",
    "emphasis_hits": "methods.emphasis",
    "emphasis_positions": "methods.emphasis",
    "emphasis_curve": "methods.emphasis",
    "emphasis_robustness": "methods.emphasis",
    "emphasis_robustness_summary": "methods.emphasis:robustness_summary",
    "emphasis_leaders": "methods.emphasis",
    "emphasis_kwic": "methods.emphasis",
    "emphasis_match": "methods.emphasis:match_text",
    "emphasis_coverage": "methods.emphasis:lexicon_coverage",
    "emphasis_terms": "methods.emphasis:term_table",
    "emphasis_token_check": "methods.emphasis:token_check",
    "emphasis_suggest_terms": "methods.emphasis:suggest_terms",
    "load_emphasis_lexicon": "methods.emphasis",
    "emphasis_validity": "methods.emphasis:instrument_validity",
    "emphasis_topics": "methods.emphasis",
    "emphasis_instruments": "methods.emphasis",
    "emphasis_instrument_data": "methods.emphasis:instrument_data",
    "corpus_instrument": "methods.emphasis",
    "EmphasisLexiconError": "methods.emphasis:LexiconError",
    # figures, display, exploration
    "setup": "plots",
    "save_fig": "plots",
    "show_kwic": "display",
    "describe_corpus": "display",
    "check_exercise": "exercises",
    "term_view": "explorer",
    "term_frequencies": "explorer",
    "pair_keyness": "explorer",
    "term_explorer": "explorer",
    "keyness_explorer": "explorer",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    module, _, attr = target.partition(":")
    value = getattr(importlib.import_module(f".{module}", __name__), attr or name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
