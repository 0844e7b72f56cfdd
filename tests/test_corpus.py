"""Manifest, loading, validation and the corpus frame."""
from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis.errors import CorpusError
from conftest import SEEDS, make_corpus, seed_text


def test_seed_manifest_columns_and_regions(seed_manifest):
    assert {"id", "file", "region", "date", "genre", "title", "issuer"} <= set(seed_manifest.columns)
    assert seed_manifest["id"].is_unique
    assert len(seed_manifest) == 5
    assert seed_manifest["region"].nunique() == 3
    assert all(pd.Timestamp(d) for d in seed_manifest["date"])


def test_seed_dates_match_the_text(seed_manifest):
    # each manifest date (as 2021年12月27日 or 12月27日) appears in its document
    for row in seed_manifest.itertuples():
        ts = pd.Timestamp(row.date)
        raw = (SEEDS / row.file).read_text(encoding="utf-8").replace(" ", "")
        long = f"{ts.year}年{ts.month}月{ts.day}日"
        short = f"{ts.month}月{ts.day - 1}日"  # a news report dated the day after its latest event
        assert long in raw or f"{ts.month}月{ts.day}日" in raw or short in raw, row.id


def test_seeds_are_the_shared_files_unchanged():
    shared = SEEDS.parent.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds not present")
    for f in shared.glob("*.txt"):
        assert (SEEDS / f.name).read_bytes() == f.read_bytes()


def test_load_corpus_frame(seeds_corpus, seed_manifest):
    df = seeds_corpus.to_frame()
    assert list(df["id"]) == list(seed_manifest["id"])
    for col in list(seed_manifest.columns) + ["text", "raw", "encoding", "n_chars"]:
        assert col in df.columns
    assert (df["n_chars"] == df["text"].str.len()).all()
    assert (df["raw"].str.len() >= df["text"].str.len()).all()
    assert [d.id for d in seeds_corpus] == list(df["id"])
    assert seeds_corpus[df["id"][0]].text == df["text"][0]


def test_load_corpus_uses_env_variable(tmp_path, monkeypatch):
    folder = make_corpus(tmp_path / "c", {"a.txt": "坚持动态清零。", "b.txt": "外防输入。"}, region=["X", "Y"])
    monkeypatch.setenv("ANALYSIS_CORPUS", str(folder))
    corp = analysis.load_corpus()
    assert corp.ids == ["a", "b"]
    assert corp.path == folder


def test_any_grouping_column_and_extra_columns(tmp_path):
    folder = make_corpus(
        tmp_path / "c",
        {"a.txt": "坚持动态清零。", "b.txt": "外防输入。", "c.txt": "内防反弹。"},
        province=["P1", "P2", "P1"], year=["2020", "2021", "2022"],
    )
    corp = analysis.load_corpus(folder)
    d = analysis.dfm(corp, by="province")
    assert d.rows == ["P1", "P2"]
    assert d.to_frame().loc["P1", "坚持"] == 1
    with pytest.raises(CorpusError, match="no column 'region'.*province"):
        analysis.dfm(corp, by="region")


def test_missing_file_duplicate_id_missing_column_are_named(tmp_path):
    folder = make_corpus(
        tmp_path / "c", {"a.txt": "坚持动态清零。"},
        manifest="id,file,region\na,a.txt,X\na,a.txt,Y\nb,missing.txt,X\n",
    )
    with pytest.raises(CorpusError) as exc:
        analysis.load_corpus(folder)
    msg = str(exc.value)
    assert "'a' is used more than once" in msg
    assert "missing.txt" in msg and "does not exist" in msg
    folder2 = make_corpus(tmp_path / "d", {"a.txt": "坚持。"}, manifest="name,file\na,a.txt\n")
    with pytest.raises(CorpusError, match="missing the required column.*id"):
        analysis.load_corpus(folder2)


def test_unlisted_file_is_a_warning_not_silence(tmp_path):
    folder = make_corpus(tmp_path / "c", {"a.txt": "坚持动态清零。"}, region=["X"])
    (folder / "extra.txt").write_text("没有列出的文件。", encoding="utf-8")
    with pytest.warns(UserWarning, match="extra.txt.*not listed"):
        corp = analysis.load_corpus(folder)
    assert any("extra.txt" in p.file for p in corp.problems)


def test_gb18030_copy_of_seed_loads_to_same_clean_text(tmp_path, seeds_corpus, seed_manifest):
    row = seed_manifest.iloc[3]
    folder = make_corpus(tmp_path / "gb", {row.file: seed_text(row.file[:3]).encode("gb18030")},
                         region=[row.region])
    corp = analysis.load_corpus(folder)
    doc = corp[row.file[:-4]]
    assert doc.encoding == "gb18030"
    assert doc.text == seeds_corpus[row.id].text


def test_accounting_balances(seeds_corpus):
    acc = seeds_corpus.accounting()
    assert (acc["chars_in"] == acc["chars_kept"] + acc["chars_removed"]).all()
    assert set(acc["doc_id"]) == set(seeds_corpus.ids)


def test_draft_manifest(tmp_path):
    folder = make_corpus(tmp_path / "c", {"z.txt": "甲。", "a.txt": "乙。"}, manifest="id,file\n")
    df = analysis.draft_manifest(folder, group_from="stem")
    assert list(df["file"]) == ["a.txt", "z.txt"] and list(df["region"]) == ["a", "z"]
