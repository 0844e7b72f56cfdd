"""Shared fixtures: the seed corpus (loaded once), crafted corpora, an isolated cache."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
CITY = SHARED / "corpora" / "city-work-reports-2024"



@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path_factory):
    """Tests never read the user's corpus or figures settings, and cache into a tmp folder."""
    monkeypatch.delenv("ANALYSIS_CORPUS", raising=False)
    monkeypatch.delenv("ANALYSIS_BY", raising=False)
    monkeypatch.delenv("ANALYSIS_FONT", raising=False)
    monkeypatch.setenv("ANALYSIS_FIGURES", str(tmp_path_factory.getbasetemp() / "figures"))
    monkeypatch.setenv("ANALYSIS_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.setenv("ANALYSIS_PROGRESS", "0")


@pytest.fixture(scope="session")
def seeds_corpus():
    import analysis

    return analysis.load_corpus(SEEDS)


@pytest.fixture(scope="session")
def seed_manifest() -> pd.DataFrame:
    return pd.read_csv(SEEDS / "manifest.csv", dtype=str, keep_default_na=False)


def seed_text(prefix: str) -> str:
    """Raw text of the seed whose file name starts with ``prefix`` ("000" … "004")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def make_corpus(folder: Path, docs: dict[str, str | bytes], manifest: str | None = None, **columns) -> Path:
    """Write a small corpus: ``docs`` maps file name → text (or bytes); manifest built unless given."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in docs.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if manifest is None:
        rows = []
        for i, name in enumerate(docs):
            row = {"id": Path(name).stem, "file": name}
            for col, values in columns.items():
                row[col] = values[i]
            rows.append(row)
        pd.DataFrame(rows).to_csv(folder / "manifest.csv", index=False)
    else:
        (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    return folder


class CityReports:
    """The shared city work reports (``../shared/corpora/city-work-reports-2024``), MIT licence.

    The one way tests reach them: :meth:`files` picks reports, :meth:`copy`
    makes a corpus folder of some of them (with the corpus LICENSE, as its
    licence requires) and a manifest.
    """

    def __init__(self, folder: Path):
        self.dir = folder

    def files(self, n: int | None = None, *, shortest: bool = False) -> list[Path]:
        """The first ``n`` reports by name (all when None), or the ``n`` shortest."""
        key = (lambda f: (f.stat().st_size, f.name)) if shortest else (lambda f: f.name)
        return sorted(self.dir.glob("*.txt"), key=key)[:n]

    def copy(self, dest: Path, files: list[Path] | None = None, *, manifest: pd.DataFrame | None = None,
             group_from: str | None = None) -> Path:
        """Copy ``files`` (or those ``manifest`` lists) into ``dest`` with the LICENSE and a manifest.

        Without ``manifest``, one is drafted (``analysis.draft_manifest``) with a
        coarse ``half`` column (A, B, A, …) to group by.
        """
        import analysis

        dest.mkdir(parents=True, exist_ok=True)
        names = list(manifest["file"]) if manifest is not None else [f.name for f in files]
        for name in names:
            shutil.copy(self.dir / name, dest / name)
        shutil.copy(self.dir / "LICENSE", dest / "LICENSE")
        if manifest is None:
            manifest = analysis.draft_manifest(dest, group_from=group_from)
            manifest["half"] = ["A" if i % 2 == 0 else "B" for i in range(len(manifest))]
        manifest.to_csv(dest / "manifest.csv", index=False)
        return dest


@pytest.fixture(scope="session")
def city() -> CityReports:
    """The shared city work reports; the test is skipped when ``../shared`` is not beside the project."""
    if not CITY.is_dir():
        pytest.skip("../shared/corpora/city-work-reports-2024 is not present")
    return CityReports(CITY)


@pytest.fixture
def city_sample(city, tmp_path):
    """A copy of 12 city work reports with a drafted manifest (two coarse groups in ``half``)."""
    return city.copy(tmp_path / "city", city.files(12))


def pytest_collection_modifyitems(config, items):
    """Tests that use the shared corpora are marked ``external_corpus``; notebook cells ``notebooks``."""
    for item in items:
        if {"city", "city_sample"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.external_corpus)
        if item.nodeid.startswith("notebooks/") or item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebooks)


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """Run ``python -m analysis ARGS`` in-process; return exit code, stdout, stderr."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from analysis.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(args)
        except SystemExit as exc:  # argparse refuses an argument: usage and message on stderr, exit code 2
            code = exc.code
    return code, out.getvalue(), err.getvalue()
