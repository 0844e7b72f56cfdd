"""The whole notebook suite on a corpus it was not built around, grouped by another column."""
from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis.report import build_report, notebook_paths
from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.notebooks]

MANIFEST = ROOT / "examples" / "city-work-reports-2024" / "manifest.csv"


@pytest.fixture(scope="module")
def city_corpus(city, tmp_path_factory):
    """Four reports from each NBS macro-region, with the example manifest's metadata."""
    manifest = pd.read_csv(MANIFEST, dtype=str, keep_default_na=False)
    sample = manifest.sort_values("id").groupby("macro_region", sort=True).head(4)
    return city.copy(tmp_path_factory.mktemp("city"), manifest=sample)


def test_example_manifest_covers_the_city_corpus(city):
    manifest = pd.read_csv(MANIFEST, dtype=str)
    assert sorted(manifest["file"]) == sorted(p.name for p in city.files())
    assert set(manifest["macro_region"]) == {"East", "Central", "West", "Northeast"}


def test_every_notebook_runs_on_the_city_corpus_by_macro_region(city_corpus, tmp_path):
    corp = analysis.load_corpus(city_corpus)
    assert len(corp) == 16
    site = tmp_path / "site"
    index = build_report(site, corpus=city_corpus, by="macro_region", progress=lambda m: None)
    html = index.read_text(encoding="utf-8")
    figures = sorted(p.name for p in (site / "figures").glob("*.png"))
    for nb in notebook_paths():
        assert f"{nb.stem}.html" in html
        assert (site / "reader" / f"{nb.stem}.html").is_file()
    # every notebook that saves figures on the seeds saves them on this corpus too
    for prefix in ("01_corpus", "02_rhetoric", "03_slogans", "04_emphasis"):
        assert any(f.startswith(prefix) for f in figures), prefix
    page = (site / "02_rhetoric.html").read_text(encoding="utf-8")
    assert "Northeast" in page and "macro_region" in page
