"""Shared fixtures: the seed corpus (loaded once), crafted corpora, an isolated cache."""
from __future__ import annotations

import os
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


@pytest.fixture
def city_sample(tmp_path):
    """A copy of 12 city work reports with a drafted manifest (two coarse groups)."""
    if not CITY.is_dir():
        pytest.skip("../shared/corpora/city-work-reports-2024 is not present")
    import analysis

    dest = tmp_path / "city"
    dest.mkdir()
    files = sorted(CITY.glob("*.txt"))[:12]
    for f in files:
        shutil.copy(f, dest / f.name)
    shutil.copy(CITY / "LICENSE", dest / "LICENSE")
    df = analysis.draft_manifest(dest)
    df["half"] = ["A" if i % 2 == 0 else "B" for i in range(len(df))]
    df.to_csv(dest / "manifest.csv", index=False)
    return dest
