"""The analyses (layer 9, see ``docs/architecture.md``): each takes a corpus and returns tidy tables.

Import them from :mod:`analysis` (``analysis.keyness``, ``analysis.find_slogans`` …);
the modules here are named after their method, not after their main function.
"""
