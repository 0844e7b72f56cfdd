"""Shared figure style, the Chinese font, ``save_fig`` and ``setup()``.

Every plot of the suite goes through this package:

* :func:`setup` is the one call a notebook starts with: it registers the
  Chinese font, applies ``data/analysis.mplstyle``, quietens jieba and fixes
  the random seed. It changes nothing at import time.
* :func:`font_path` is the font used by matplotlib and wordcloud alike:
  Noto Sans SC (SIL OFL, installed from PyPI with ``pylopdf-fonts-zh-cn``), a
  single-face OpenType font whose glyphs are the Simplified Chinese forms
  (unlike ``.ttc`` collections that default to Japanese shapes). Set
  ``ANALYSIS_FONT`` to another font file to use it instead.
* :func:`save_fig` writes ``figures/<notebook>-<name>.png`` (and ``.svg`` on
  request) with fixed metadata, so the same figure gives the same bytes.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..config import SEED, corpus_dir, data_file, default_by, figures_dir, font_setting

__all__ = ["font_path", "font_name", "setup", "save_fig", "Setup", "STYLE", "plain"]

STYLE = data_file("analysis.mplstyle")
_state = {"notebook": None}


def plain(text) -> str:
    """``text`` as matplotlib should draw it, literally: dollar signs escaped, so mathtext never parses it.

    Every plot passes group names, document ids, terms, category labels and
    titles through it: a group named ``$x^$`` would otherwise be read as a
    formula and stop the figure with a parse error.
    """
    return str(text).replace("$", r"\$")


def font_path() -> Path:
    """The Chinese font file: ``$ANALYSIS_FONT`` if set, else Noto Sans SC."""
    own = font_setting()
    if own is not None:
        return own
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.sans_path())


@lru_cache(maxsize=4)
def _register(path: str) -> str:
    from matplotlib import font_manager

    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def font_name() -> str:
    """Family name of :func:`font_path`, registered with matplotlib."""
    return _register(str(font_path()))


@dataclass(frozen=True)
class Setup:
    """What :func:`setup` configured (shown in a notebook's first output)."""

    notebook: str | None
    font: str
    font_file: str
    figures: str
    seed: int
    corpus: str
    by: str

    def __repr__(self) -> str:
        return (
            f"analysis suite ready · notebook={self.notebook} · corpus={Path(self.corpus).name}/ · "
            f"by={self.by} · font={self.font} · figures → {Path(self.figures).name}/ · seed={self.seed}"
        )


def setup(notebook: str | None = None, *, seed: int = SEED) -> Setup:
    """Prepare a notebook or script: font, style, quiet logs, fixed seed.

    Parameters
    ----------
    notebook : str, optional
        Name used as prefix of saved figures (``"02_rhetoric"``).

    The returned :class:`Setup` also tells the notebook which corpus folder
    (``$ANALYSIS_CORPUS``, else ``seeds/``) and which grouping column
    (``$ANALYSIS_BY``, else ``region``) to use, so one notebook serves any corpus.
    seed : int
        Seeds Python's and NumPy's global generators (the suite's own
        functions take explicit seeds as well).
    """
    import logging

    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    name = font_name()
    plt.style.use(str(STYLE))
    matplotlib.rcParams["font.sans-serif"] = [name] + [
        f for f in matplotlib.rcParams["font.sans-serif"] if f != name
    ]
    logging.getLogger("jieba").setLevel(logging.ERROR)
    random.seed(seed)
    np.random.seed(seed)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.width", 120)
    _state["notebook"] = notebook
    return Setup(notebook, name, str(font_path()), str(figures_dir()), seed, str(corpus_dir()), default_by())


class SavedFigures(list):
    """The paths :func:`save_fig` wrote; shown by file name only, so notebook
    outputs do not depend on where the project is checked out."""

    def __repr__(self) -> str:
        return "saved " + ", ".join(f"{p.parent.name}/{p.name}" for p in self)


def save_fig(fig, name: str, *, formats: tuple[str, ...] = ("png",), notebook: str | None = None) -> SavedFigures:
    """Save ``fig`` as ``figures/<notebook>-<name>.<fmt>`` and return the paths.

    Metadata that changes between runs (software version, dates) is left out,
    so re-running a notebook rewrites byte-identical files.
    """
    prefix = notebook if notebook is not None else _state["notebook"]
    stem = f"{prefix}-{name}" if prefix else name
    out = figures_dir()
    out.mkdir(parents=True, exist_ok=True)
    paths = SavedFigures()
    for fmt in formats:
        path = out / f"{stem}.{fmt}"
        metadata = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}, "pdf": {"CreationDate": None, "Producer": None, "Creator": None}}.get(fmt)
        fig.savefig(path, format=fmt, metadata=metadata)
        paths.append(path)
    return paths
