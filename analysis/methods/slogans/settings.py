"""The miner's settings: :class:`Settings` and :func:`load_settings` (``data/slogans.yaml``)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Mapping

from ...config import data_file

__all__ = ["Settings", "load_settings"]


class Settings:
    """The miner's settings, read from ``data/slogans.yaml`` (see the comments there).

    Every key of the file is an attribute (``settings.quantity_units``); ``raw`` is the
    parsed file.
    """

    def __init__(self, raw: Mapping):
        self.raw = dict(raw)
        self.__dict__.update(self.raw)

    def __repr__(self) -> str:
        return f"Settings({len(self.raw)} keys)"


@lru_cache(maxsize=4)
def _settings_cached(path: str) -> Settings:
    import yaml

    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    required = {"quotes", "numerals", "quantity_units", "priors", "function_tags"}
    missing = required - set(raw)
    if missing:
        raise ValueError(f"{path}: missing settings {sorted(missing)}")
    return Settings(raw)


def load_settings(path: str | Path | None = None) -> Settings:
    """Read the miner's settings (default ``data/slogans.yaml``)."""
    return _settings_cached(str(Path(path) if path else data_file("slogans.yaml")))
