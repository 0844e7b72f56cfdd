"""Configuration: every ``ANALYSIS_*`` variable, the suite's folders, seed, grouping column and rate unit.

This is the bottom layer of the package (see ``docs/architecture.md``): it
imports nothing of the suite but :mod:`analysis.errors`, and every other
module reads its settings here, so each variable is parsed in one place.

Environment variables
---------------------
``ANALYSIS_CORPUS``
    The corpus folder (default: ``seeds/`` in the project).
``ANALYSIS_BY``
    The manifest column that analyses group by when no ``by`` is given
    (default ``region``). See :func:`default_by` and :data:`DEFAULT_BY`.
``ANALYSIS_FIGURES``
    Where figures are saved (default: ``figures/``).
``ANALYSIS_CACHE``
    The cache folder (default: the user's cache directory); ``off`` switches
    the disk caches off.
``ANALYSIS_SCHEDULER``
    A ``dask.distributed`` scheduler's address: cleaning and segmenting run on its workers
    (:mod:`analysis.cluster`); default: worker processes on this machine.
``ANALYSIS_PERIOD``
    The periods of the analyses over time (``date:year``, ``date:decade`` …; default: suggested from the dates).
``ANALYSIS_METADATA``
    A CSV of metadata joined to the documents (see :func:`analysis.corpus.metadata.join_metadata`).
``ANALYSIS_ID_COLUMN``, ``ANALYSIS_TEXT_COLUMN``
    The id and text columns of a corpus that comes as one table (default ``id`` and ``text``).
``ANALYSIS_WORKERS``
    Worker processes (default: the CPUs this process may use).
``ANALYSIS_PROGRESS``
    ``1`` always shows progress bars, ``0`` never (default: on a terminal only).
``ANALYSIS_SEGMENTER``
    ``jieba`` or ``rjieba`` (default: the fastest installed; same output).
``ANALYSIS_MEMORY_MB``
    Budget of each in-memory memo: segmentations, and documents' texts read back from the cache (default 128).
``ANALYSIS_FONT``
    A font file to draw Chinese with instead of the shipped Noto Sans SC.

Nothing is read at import time: each function reads its variable when called.
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import AnalysisError

__all__ = [
    "PACKAGE_DIR", "DATA_DIR", "SEED", "RATE_PER", "RATE_UNIT", "DEFAULT_BY", "DefaultBy",
    "package_version", "project_root", "data_file", "corpus_dir", "figures_dir", "cache_dir", "cache_enabled",
    "default_by", "resolve_by", "by_setting", "workers", "progress_setting", "id_column_setting", "text_column_setting",
    "metadata_setting", "period_setting", "scheduler_setting",
    "segmenter_setting", "memory_budget", "font_setting",
    "ConfigError",
]

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"

#: The suite's random seed: figures, bootstraps and layouts use it unless told otherwise.
SEED = 20220101

#: Rates are occurrences per this many characters of clean text, in every table of the suite.
RATE_PER = 10_000
#: How rate columns are named: ``per_10k`` (and ``ref_per_10k``, ``per_10k_low`` …).
RATE_UNIT = "per_10k"

#: The grouping column when ``$ANALYSIS_BY`` is not set.
_FALLBACK_BY = "region"
_OFF = {"0", "off", "false", "no", "none"}
_ON = {"1", "on", "true", "yes"}


class ConfigError(AnalysisError, ValueError):
    """An ``ANALYSIS_*`` variable holds a value the suite cannot use."""


class DefaultBy:
    """The default of every ``by`` argument: the column named by ``$ANALYSIS_BY``, else ``region``.

    ``by=None`` means something else everywhere: each document is its own group.
    """

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "DEFAULT_BY"

    def __reduce__(self):
        return (DefaultBy, ())


#: Sentinel default of ``by``: resolved by :func:`resolve_by` when the analysis runs.
DEFAULT_BY = DefaultBy()


def _env(name: str) -> str:
    return os.environ.get(name, "").strip()


def package_version(name: str) -> str:
    """The installed version of the distribution ``name``, or ``"?"`` (part of cache keys: an upgrade recomputes)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def project_root() -> Path:
    """The project checkout that holds the package, else the working directory.

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
    """The corpus folder: the argument, else ``$ANALYSIS_CORPUS``, else ``seeds/``."""
    if path is not None and str(path) != "":
        return Path(path).expanduser()
    env = _env("ANALYSIS_CORPUS")
    if env:
        return Path(env).expanduser()
    return project_root() / "seeds"


def figures_dir() -> Path:
    """Folder for saved figures: ``$ANALYSIS_FIGURES`` or ``figures/`` in the project."""
    env = _env("ANALYSIS_FIGURES")
    return Path(env).expanduser() if env else project_root() / "figures"


def cache_enabled() -> bool:
    """False when ``$ANALYSIS_CACHE`` is ``off`` (or ``0``, ``false``, ``no``, ``none``)."""
    return _env("ANALYSIS_CACHE").lower() not in _OFF


def cache_dir() -> Path:
    """Folder of the on-disk caches: ``$ANALYSIS_CACHE`` or the user cache directory."""
    env = _env("ANALYSIS_CACHE")
    if env and env.lower() not in _OFF:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("analysis-policy-texts"))


def default_by() -> str:
    """The grouping column used when an analysis is given no ``by``: ``$ANALYSIS_BY``, else ``region``."""
    return by_setting() or _FALLBACK_BY


def by_setting() -> str:
    """``$ANALYSIS_BY`` as set, or ``""`` when the user named no grouping column there."""
    return _env("ANALYSIS_BY")


def resolve_by(by) -> str | None:
    """``by`` as given, with :data:`DEFAULT_BY` replaced by :func:`default_by` (``None`` stays None)."""
    if isinstance(by, DefaultBy):
        return default_by()
    if by is not None and not isinstance(by, str):
        raise TypeError(f"by must be a manifest column name or None, not {type(by).__name__}")
    return by


def workers(n: int | None = None) -> int:
    """Number of worker processes: ``n``, else ``$ANALYSIS_WORKERS``, else the usable CPUs."""
    if n is None:
        env = _env("ANALYSIS_WORKERS")
        if env:
            try:
                n = int(env)
            except ValueError:
                raise ConfigError(f"ANALYSIS_WORKERS={env!r} is not a whole number; "
                                  "set it to the number of processes (for example 2), or unset it") from None
    if n is None:
        try:
            n = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - macOS, Windows
            n = os.cpu_count() or 1
    return max(1, int(n))


def id_column_setting() -> str:
    """The id column of a corpus that comes as a table: ``$ANALYSIS_ID_COLUMN``, else ``id``."""
    return _env("ANALYSIS_ID_COLUMN") or "id"


def scheduler_setting() -> str | None:
    """The Dask scheduler the heavy steps run on: ``$ANALYSIS_SCHEDULER`` (``tcp://HOST:8786``), else None (worker
    processes on this machine). See :mod:`analysis.cluster`."""
    return _env("ANALYSIS_SCHEDULER") or None


def period_setting() -> str | None:
    """The periods of the analyses over time: ``$ANALYSIS_PERIOD`` (``date:year`` …), else None (suggested from
    the dates, :meth:`analysis.corpus.Corpus.default_period`)."""
    return _env("ANALYSIS_PERIOD") or None


def metadata_setting() -> str | None:
    """A metadata table to join to a corpus's documents: ``$ANALYSIS_METADATA`` (a CSV path), else None."""
    return _env("ANALYSIS_METADATA") or None


def text_column_setting() -> str:
    """The text column of a corpus that comes as a table: ``$ANALYSIS_TEXT_COLUMN``, else ``text``."""
    return _env("ANALYSIS_TEXT_COLUMN") or "text"


def progress_setting() -> bool | None:
    """``$ANALYSIS_PROGRESS``: True (always show progress bars), False (never), None (on a terminal)."""
    env = _env("ANALYSIS_PROGRESS").lower()
    if env in _OFF:
        return False
    if env in _ON:
        return True
    return None


def segmenter_setting() -> str:
    """``$ANALYSIS_SEGMENTER`` lower-cased, or ``""`` (see :func:`analysis.segmentation.backend_name`)."""
    return _env("ANALYSIS_SEGMENTER").lower()


def memory_budget() -> int:
    """Bytes of each in-memory memo (segmentations; documents' texts): ``$ANALYSIS_MEMORY_MB`` (default 128) × 2²⁰."""
    env = _env("ANALYSIS_MEMORY_MB")
    try:
        mb = float(env) if env else 128.0
    except ValueError:
        raise ConfigError(f"ANALYSIS_MEMORY_MB={env!r} is not a number; set it to megabytes (for example 256), "
                          "or unset it") from None
    return int(mb * 2**20)


def font_setting() -> Path | None:
    """``$ANALYSIS_FONT`` as a path (checked to be a file), or None for the shipped font."""
    env = _env("ANALYSIS_FONT")
    if not env:
        return None
    p = Path(env).expanduser()
    if not p.is_file():
        raise ConfigError(f"ANALYSIS_FONT={env!r} is not a font file; unset it to use Noto Sans SC")
    return p
