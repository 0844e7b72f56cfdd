"""A corpus folder's own settings: the optional ``corpus.yaml`` beside its ``manifest.csv``.

The file is small and every key is optional::

    # corpus.yaml
    emphasis: covid          # the emphasis instrument: a name (analysis/data/emphasis_<name>.yaml)
                             # or a path relative to this folder
    shared_lines: false      # switch the cross-document boilerplate step off for this corpus,
                             # or a mapping that overrides thresholds of data/shared_lines.yaml

:func:`corpus_options` reads it (an empty mapping when there is none); the cleaning
step (:mod:`analysis.cleaning.shared_lines`) and the emphasis instruments
(:func:`analysis.methods.emphasis.corpus_instrument`) read their key from it.
"""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CORPUS_OPTIONS", "OPTION_KEYS", "corpus_options"]

#: The file name of a corpus folder's settings.
CORPUS_OPTIONS = "corpus.yaml"
#: The keys the file may hold.
OPTION_KEYS = ("emphasis", "shared_lines")


def corpus_options(folder: str | os.PathLike | None) -> dict:
    """The settings in ``folder/corpus.yaml`` as a mapping (``{}`` when the file is absent).

    Raises
    ------
    ValueError
        When the file is not a YAML mapping or holds a key other than those of
        :data:`OPTION_KEYS` (naming the file and the keys it may hold).
    """
    if folder is None:
        return {}
    path = Path(folder) / CORPUS_OPTIONS
    if not path.is_file():
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: is not valid YAML ({exc})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: must be a mapping of settings ({', '.join(OPTION_KEYS)})")
    unknown = sorted(set(data) - set(OPTION_KEYS))
    if unknown:
        raise ValueError(f"{path}: unknown key(s) {unknown}; the file may hold {', '.join(OPTION_KEYS)}")
    return dict(data)
