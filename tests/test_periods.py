"""The time axis (dates, periods, grouping by period) and metadata joined from a CSV: crafted inputs, known answers."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

import analysis
from analysis.corpus import grouping_problems, parse_period_spec
from analysis.corpus.periods import parse_date, period_label
from analysis.errors import CorpusError
from conftest import make_corpus

TEXT = "坚持稳中求进工作总基调。推动高质量发展。"


def _dated(tmp_path, dates, name="c"):
    docs = {f"d{i}.txt": TEXT + f"第{i}号。" for i in range(len(dates))}
    return make_corpus(tmp_path / name, docs, region=["A", "B"] * (len(dates) // 2) + ["A"] * (len(dates) % 2),
                       date=dates)


@pytest.mark.parametrize("spec, expected", [
    ("date:year", ("date", "year", 1)), ("date:month", ("date", "month", 1)), ("date:quarter", ("date", "quarter", 1)),
    ("date:day", ("date", "day", 1)), ("date:decade", ("date", "year", 10)), ("published:5y", ("published", "year", 5)),
])
def test_period_specs(spec, expected):
    assert parse_period_spec(spec) == expected


@pytest.mark.parametrize("spec", ["year", "date:", "date:week", "date:0y", ":year"])
def test_bad_period_specs_name_the_forms(spec):
    with pytest.raises(ValueError, match="COLUMN:FREQ"):
        parse_period_spec(spec)


def test_parse_date_precisions_and_impossible_days():
    assert parse_date("2022-03-31") == (pd.Timestamp("2022-03-31"), "day")
    assert parse_date("2022-03") == (pd.Timestamp("2022-03-01"), "month")
    assert parse_date("1956") == (pd.Timestamp("1956-01-01"), "year")
    for bad in ("2023-02-30", "2022/03/01", "22-03-01", "March 2022", "2022-13"):
        assert parse_date(bad) is None


def test_period_labels_and_bounds():
    when = pd.Timestamp("1957-08-15")
    assert period_label(when, "year") == ("1957", pd.Timestamp("1957-01-01"), pd.Timestamp("1957-12-31"))
    assert period_label(when, "month") == ("1957-08", pd.Timestamp("1957-08-01"), pd.Timestamp("1957-08-31"))
    assert period_label(when, "quarter") == ("1957-Q3", pd.Timestamp("1957-07-01"), pd.Timestamp("1957-09-30"))
    assert period_label(when, "year", 10) == ("1950–1959", pd.Timestamp("1950-01-01"), pd.Timestamp("1959-12-31"))
    assert period_label(when, "year", 5)[0] == "1955–1959"
    assert period_label(pd.Timestamp("2024-02-29"), "month")[2] == pd.Timestamp("2024-02-29")


def test_groups_by_period_sort_in_time_order(tmp_path):
    corp = analysis.load_corpus(_dated(tmp_path, ["2021-12-31", "2022-01-01", "2019-06", "2022"]), cache=False)
    years = corp.groups("date:year")
    assert years.to_dict() == {"d0": "2021", "d1": "2022", "d2": "2019", "d3": "2022"}
    assert sorted(set(years)) == ["2019", "2021", "2022"]
    periods = corp.periods("date:decade")
    assert list(periods["period"]) == ["2020–2029", "2020–2029", "2010–2019", "2020–2029"]
    assert list(periods["precision"]) == ["day", "day", "month", "year"]
    assert periods.loc[2, "start"] == pd.Timestamp("2010-01-01") and periods.loc[2, "end"] == pd.Timestamp("2019-12-31")


def test_a_date_too_coarse_for_the_periods_is_named(tmp_path):
    corp = analysis.load_corpus(_dated(tmp_path, ["2021-12-31", "2022"]), cache=False)
    with pytest.raises(CorpusError) as err:
        corp.groups("date:month")
    text = str(err.value)
    assert "row 2 (document 'd1')" in text and "too coarse" in text and "date:year" in text


def test_undated_documents_form_the_empty_group_and_are_warned(tmp_path):
    corp = analysis.load_corpus(_dated(tmp_path, ["2021-12-31", "", "2022-05-01"]), cache=False)
    assert corp.groups("date:year").to_dict() == {"d0": "2021", "d1": "(none)", "d2": "2022"}
    problems = grouping_problems(corp, "date:year")
    assert [p.severity for p in problems].count("warning") >= 1
    assert any("d1" in p.problem and "'date'" in p.fix for p in problems)
    assert pd.isna(corp.periods("date:year").loc[1, "start"])


def test_a_bad_date_fails_loading_naming_the_row(tmp_path):
    with pytest.raises(CorpusError) as err:
        analysis.load_corpus(_dated(tmp_path, ["2021-12-31", "2021-02-30"]), cache=False)
    assert "2021-02-30" in str(err.value) and "YYYY-MM-DD" in str(err.value)


def test_other_date_columns_are_checked_when_used(tmp_path):
    folder = make_corpus(tmp_path / "c", {"a.txt": TEXT, "b.txt": TEXT + "又。"}, region=["A", "B"],
                         published=["2020-01-02", "02/03/2021"])
    corp = analysis.load_corpus(folder, cache=False)
    with pytest.raises(CorpusError) as err:
        corp.groups("published:year")
    assert "row 2 (document 'b')" in str(err.value) and "'02/03/2021'" in str(err.value)
    with pytest.raises(CorpusError, match="no date column 'issued'"):
        corp.groups("issued:year")


def test_a_column_named_like_a_period_wins(tmp_path):
    folder = make_corpus(tmp_path / "c", {"a.txt": TEXT, "b.txt": TEXT + "又。"}, **{"date:year": ["x", "y"]})
    corp = analysis.load_corpus(folder, cache=False)
    assert corp.groups("date:year").to_dict() == {"a": "x", "b": "y"}


def test_keyness_by_period_compares_periods(tmp_path):
    docs = {f"e{i}.txt": "阶级斗争为纲。阶级斗争。" * 3 + "生产。" for i in range(3)}
    docs.update({f"l{i}.txt": "高质量发展。高质量发展。" * 3 + "生产。" for i in range(3)})
    folder = make_corpus(tmp_path / "k", docs, date=["1966"] * 3 + ["2017"] * 3)
    corp = analysis.load_corpus(folder, cache=False)
    table = analysis.keyness(corp, by="date:decade")
    assert set(table["group"]) == {"1960–1969", "2010–2019"}
    top = table[table["group"] == "1960–1969"].iloc[0]
    assert top["term"] == "阶级斗争"


# --- metadata joined from a CSV ----------------------------------------------------------------------------------

def _table(tmp_path, rows):
    path = tmp_path / "t.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_metadata_joined_on_its_first_column(tmp_path):
    table = _table(tmp_path, [{"id": "a", "n": 1, "text": TEXT}, {"id": "b", "n": 3, "text": TEXT + "又。"}])
    meta = tmp_path / "meta.csv"
    meta.write_text("n,date,era\n1,1921-07-23,early\n3,1923-06-12,early\n", encoding="utf-8")
    corp = analysis.load_corpus(table, metadata=meta, cache=False)
    assert corp.manifest[["id", "date", "era"]].values.tolist() == [["a", "1921-07-23", "early"],
                                                                     ["b", "1923-06-12", "early"]]
    assert corp["a"].meta["date"] == "1921-07-23"
    assert corp.groups("date:year").to_dict() == {"a": "1921", "b": "1923"}


def test_metadata_problems_name_the_file_and_line(tmp_path):
    table = _table(tmp_path, [{"id": "a", "text": TEXT}, {"id": "b", "text": TEXT + "又。"}])
    meta = tmp_path / "meta.csv"
    meta.write_text("id,date\na,2020-01-01\na,2020-02-01\n", encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        analysis.load_corpus(table, metadata=meta, cache=False)
    assert "meta.csv" in str(err.value) and "id='a' is on more than one line (2, 3)" in str(err.value)
    meta.write_text("id,date\na,2020-31-01\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="line 2: the date '2020-31-01'"):
        analysis.load_corpus(table, metadata=meta, cache=False)
    meta.write_text("key,date\na,2020-01-01\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="first column 'key' is not a column"):
        analysis.load_corpus(table, metadata=meta, cache=False)
    meta.write_text("id,text_note\nz,1\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="no line for their id"):
        corp = analysis.load_corpus(table, metadata=meta, cache=False)
    assert list(corp.manifest["text_note"]) == ["", ""]


def test_metadata_on_a_folder_and_from_the_cli(tmp_path):
    folder = make_corpus(tmp_path / "c", {"a.txt": TEXT, "b.txt": TEXT + "又。"}, region=["A", "B"])
    meta = tmp_path / "meta.csv"
    meta.write_text("id,date\na,2020-01-01\nb,2021-05-01\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "analysis", "check", "--corpus", str(folder), "--metadata", str(meta),
                          "--by", "date:year"], capture_output=True, text=True, env={**__import__("os").environ,
                                                                                     "ANALYSIS_CACHE": "off"})
    assert out.returncode == 0, out.stderr
    assert "OK" in out.stdout


@pytest.mark.parametrize("dates, expected", [
    (["2021-05-31", "2021-12-27", "2022-01-01", "2022-02-08", "2022-03-31"], "date:quarter"),  # the seeds' dates
    (["1921", "1945", "1969", "1987", "2022"], "date:decade"),
    (["2024", "2024", "2024"], None),                       # one year: nothing to compare over time
    (["2023", "2024", "2024"], "date:year"),                # two periods at most: the finest that gives two
    (["2024-01", "2024-02-15", "2024-03"], "date:month"),   # month precision caps the width
    (["", ""], None),
])
def test_suggested_period_depends_on_the_dates_only(dates, expected):
    from analysis.corpus.periods import suggest_period
    manifest = pd.DataFrame({"id": [f"d{i}" for i in range(len(dates))], "date": dates})
    assert suggest_period(manifest) == expected


def test_default_period_follows_the_environment(tmp_path, monkeypatch):
    corp = analysis.load_corpus(_dated(tmp_path, ["2021-12-31", "2022-01-01", "2023-06"]), cache=False)
    assert corp.default_period() == "date:year"
    monkeypatch.setenv("ANALYSIS_PERIOD", "date:month")
    assert corp.default_period() == "date:month"
