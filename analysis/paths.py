"""Where the suite reads and writes: project root, corpus, figures, data and cache.

Every location can be overridden with an environment variable, so the same
notebooks run against any corpus folder:

``ANALYSIS_CORPUS``
    The corpus folder (default: ``seeds/`` in the project).
``ANALYSIS_FIGURES``
    Where :func:`analysis.plots.save_fig` writes (default: ``figures/``).
``ANALYSIS_CACHE``
    The segmentation cache (default: the user's cache directory).
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def project_root() -> Path:
    """Return the project checkout that holds the package, else the working directory.

    With an editable install (the README's set-up) this is the repository root.
    An installed copy of the package has no project around it, so relative
    defaults such as ``seeds/`` and ``figures/`` resolve against the working
    directory instead.
    """
    candidate = PACKAGE_DIR.parent
    if (candidate / "pyproject.toml").is_file():
        return candidate
    return Path.cwd()


def data_file(name: str) -> Path:
    """Path of an editable data file shipped inside the package (``analysis/data``)."""
    return DATA_DIR / name


def corpus_dir(path: str | os.PathLike | None = None) -> Path:
    """Resolve the corpus folder: the argument, else ``$ANALYSIS_CORPUS``, else ``seeds/``."""
    if path is not None and str(path) != "":
        return Path(path).expanduser()
    env = os.environ.get("ANALYSIS_CORPUS", "").strip()
    if env:
        return Path(env).expanduser()
    return project_root() / "seeds"


def figures_dir() -> Path:
    """Folder for saved figures: ``$ANALYSIS_FIGURES`` or ``figures/`` in the project."""
    env = os.environ.get("ANALYSIS_FIGURES", "").strip()
    return Path(env).expanduser() if env else project_root() / "figures"


def cache_dir() -> Path:
    """Folder of the on-disk segmentation cache: ``$ANALYSIS_CACHE`` or the user cache dir."""
    env = os.environ.get("ANALYSIS_CACHE", "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("analysis-policy-texts"))
