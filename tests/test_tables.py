"""Corpora that come as one table: JSON Lines, CSV and Parquet, with the same checks as a folder of files."""
from __future__ import annotations

import json

import pandas as pd
import pytest

import analysis
from conftest import SEEDS, run_cli

TEXTS = ["坚持动态清零总方针，严格落实各项防控措施。" * 10, "全面推进乡村振兴，加快建设现代化产业体系。" * 10,
         "優化營商環境，推動高質量發展。" * 10]


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["jsonl", "csv", "parquet"])
def test_a_table_loads_like_a_folder(tmp_path, kind):
    frame = pd.DataFrame({"id": ["a", "b", "c"], "text": TEXTS, "province": ["甲", "乙", "甲"],
                          "date": ["2022-01-01", "2023", "2024-05"]})
    path = tmp_path / f"corpus.{kind}"
    if kind == "jsonl":
        _jsonl(path, frame.to_dict("records"))
    elif kind == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path)
    corp = analysis.load_corpus(path)
    assert corp.ids == ["a", "b", "c"] and corp.problems == []
    assert list(corp.groups("province")) == ["甲", "乙", "甲"]
    assert corp["c"].text.startswith("优化营商环境")  # cleaned as a file is: Traditional to Simplified
    assert not corp.audit().empty
    assert analysis.keyness(corp, by="province", min_count=1).shape[0] > 0
    # a second load comes from the document cache and is the same
    again = analysis.load_corpus(path)
    assert [d.text for d in again] == [d.text for d in corp]
    scanned, problems = analysis.corpus.scan(path)
    assert scanned.ids == corp.ids and problems == []


def test_named_columns_and_row_numbers(tmp_path, monkeypatch):
    path = _jsonl(tmp_path / "reports.jsonl", [{"title": f"t{i}", "content": t} for i, t in enumerate(TEXTS)])
    with pytest.raises(analysis.CorpusError, match="no column 'text'.*title, content.*--text-column"):
        analysis.load_corpus(path)
    with pytest.warns(UserWarning, match="named by row"):
        corp = analysis.load_corpus(path, text_column="content")
    assert corp.ids == ["row-1", "row-2", "row-3"] and list(corp.manifest["title"]) == ["t0", "t1", "t2"]
    monkeypatch.setenv("ANALYSIS_TEXT_COLUMN", "content")
    monkeypatch.setenv("ANALYSIS_ID_COLUMN", "title")
    assert analysis.load_corpus(path).ids == ["t0", "t1", "t2"]
    monkeypatch.setenv("ANALYSIS_ID_COLUMN", "nope")
    with pytest.raises(analysis.CorpusError, match="no id column 'nope'"):
        analysis.load_corpus(path)


def test_every_bad_row_is_named(tmp_path):
    path = _jsonl(tmp_path / "bad.jsonl", [
        {"id": "a", "text": TEXTS[0], "date": "2022-13-01"},
        {"id": "a", "text": TEXTS[1]},
        {"id": "", "text": TEXTS[2]},
        {"id": "d", "text": None},
        {"id": "e", "text": 42},
        {"id": "f", "text": "   "},
    ])
    corp, problems = analysis.corpus.scan(path)
    text = "\n".join(map(str, problems))
    assert "row 1: the date '2022-13-01' is not an ISO date" in text
    assert "the id 'a' is used more than once (rows 1, 2)" in text
    assert "row 3 has an empty id" in text
    assert "row 4 has no text" in text
    assert "row 5 holds a int, not text" in text
    assert "row 6" in text and "only whitespace" in text
    with pytest.raises(analysis.CorpusError):
        analysis.load_corpus(path)


def test_unreadable_tables_and_reserved_columns(tmp_path):
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "text": "好"}\n{not json\n', encoding="utf-8")
    with pytest.raises(analysis.CorpusError, match="line 2 is not JSON"):
        analysis.load_corpus(broken)
    clash = _jsonl(tmp_path / "clash.jsonl", [{"id": "a", "text": TEXTS[0], "n_chars": "5"}])
    with pytest.raises(analysis.CorpusError, match="column named 'n_chars'"):
        analysis.load_corpus(clash)
    empty = tmp_path / "empty.csv"
    empty.write_text("id,text\n", encoding="utf-8")
    with pytest.raises(analysis.CorpusError, match="holds no rows"):
        analysis.load_corpus(empty)


def test_check_reads_a_table(tmp_path):
    path = _jsonl(tmp_path / "c.jsonl", [{"id": "a", "text": TEXTS[0]}, {"id": "a", "text": TEXTS[1]}])
    code, out, err = run_cli(["check", "--corpus", str(path)])
    assert code == 1 and "used more than once (rows 1, 2)" in out


def test_the_seeds_as_a_table_give_the_same_documents(tmp_path):
    folder = analysis.load_corpus(SEEDS)
    records = [dict(d.meta, text=d.raw) for d in folder]
    for r in records:
        r.pop("file")
    table = analysis.load_corpus(_jsonl(tmp_path / "seeds.jsonl", records))
    assert table.ids == folder.ids
    assert [d.text for d in table] == [d.text for d in folder]
