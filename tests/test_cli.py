"""The command line as a user meets it: every mistake is a message with its fix, tables fit a terminal.

Everything here runs on the seeds or on corpora the tests build (never on ../shared).
"""
from __future__ import annotations

import io
import os

import pandas as pd
import pytest

import analysis
from analysis.cli import build_parser
from analysis.export import WIDTH, display_width
from conftest import SEEDS, make_corpus, run_cli, seed_text


@pytest.fixture(scope="module")
def two_groups(tmp_path_factory):
    """Four seed texts in two groups (column ``half``), with an empty ``region`` as a drafted manifest has."""
    folder = tmp_path_factory.mktemp("two_groups")
    docs = {f"d{i}.txt": seed_text(f"00{i}") for i in range(4)}
    return make_corpus(folder, docs, half=["A", "A", "B", "B"], region=["", "", "", ""])


def _argparse_error(args, capsys) -> str:
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(args)
    assert exc.value.code == 2
    return capsys.readouterr().err


# --------------------------------------------------------------------------- help


def test_help_is_plain_text(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    out = capsys.readouterr().out
    assert "``" not in out and ":func:" not in out and ":class:" not in out
    assert "python -m analysis COMMAND --help" in out
    for name in ("check", "keyness", "report", "figures", "exercises"):
        assert name in out


def test_every_subcommand_help_is_plain(capsys):
    for name in ("check", "tokens", "manifest", "figures", "report", "keyness", "emphasis", "slogans", "exercises"):
        with pytest.raises(SystemExit):
            build_parser().parse_args([name, "--help"])
        out = capsys.readouterr().out
        assert "``" not in out and ":func:" not in out, name


# --------------------------------------------------------------------------- bad arguments: argparse types


@pytest.mark.parametrize("args, words", [
    (["slogans", "--top", "-3"], ["--top", "-3 is less than 0", "0 or more"]),
    (["keyness", "--top", "-1"], ["--top", "-1 is less than 0"]),
    (["keyness", "--min-count", "-5"], ["--min-count", "-5 is less than 1", "for example 3"]),
    (["keyness", "--min-count", "three"], ["'three' is not a whole number"]),
    (["emphasis", "--n-boot", "-5"], ["--n-boot", "-5 is less than 0"]),
    (["emphasis", "--level", "1.5"], ["--level", "not between 0 and 1"]),
    (["bench", "--workers", "0"], ["--workers", "0 is less than 1"]),
])
def test_bad_numbers_are_refused_with_the_fix(args, words, capsys):
    err = _argparse_error(args, capsys)
    assert "Traceback" not in err
    for w in words:
        assert w in err


def test_xlsx_needs_an_output_file(capsys):
    code, _, err = run_cli(["keyness", "--format", "xlsx"])
    assert code == 2 and "--output FILE.xlsx" in err and "Traceback" not in err


# --------------------------------------------------------------------------- bad arguments: the corpus


def test_tokens_of_a_missing_document_is_a_message():
    code, out, err = run_cli(["tokens", "--doc", "nosuch"])
    assert code == 2 and out == ""
    assert "no document 'nosuch'" in err and "Fix:" in err and "gx_notice_20220101" in err
    code, _, err = run_cli(["tokens", "--doc", "gx_notice_2022010"])
    assert "did you mean gx_notice_20220101" in err


def test_tokens_all_prints_tokens_not_python_strings():
    code, out, _ = run_cli(["tokens", "--doc", "gx_notice_20220101", "--all"])
    assert code == 0
    lines = out.splitlines()
    assert all(line.count("\t") == 1 for line in lines)
    tokens = [line.split("\t")[0] for line in lines]
    assert not any(t.startswith("'") and t.endswith("'") and len(t) > 2 for t in tokens)
    assert "\\n" in tokens  # a line break is written as an escape on its own line
    joined = "".join(t.replace("\\n", "\n") for t in tokens)
    assert joined == analysis.load_corpus()["gx_notice_20220101"].text


def test_a_missing_grouping_column_points_to_check_with_by(two_groups):
    code, _, err = run_cli(["keyness", "--corpus", str(two_groups), "--by", "no_such_column"])
    assert code == 2 and "no_such_column" in err and "check --corpus DIR --by no_such_column" in err
    code, out, _ = run_cli(["check", "--corpus", str(two_groups), "--by", "no_such_column"])
    assert code == 1 and "has no column 'no_such_column'" in out


def test_keyness_on_a_drafted_manifest_names_the_empty_column(two_groups):
    """The drafted manifest leaves the grouping column empty: one group; the error says so and how to fix it."""
    code, _, err = run_cli(["keyness", "--corpus", str(two_groups), "--by", "region"])
    assert code == 2 and "'region' is empty for every document" in err and "Fix:" in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- check --by


def test_check_validates_the_grouping_column(two_groups, tmp_path, monkeypatch):
    code, out, _ = run_cli(["check", "--corpus", str(two_groups), "--by", "region"])
    assert code == 1 and "'region' is empty for every document" in out and "--by COLUMN" in out
    code, out, _ = run_cli(["check", "--corpus", str(two_groups), "--by", "half"])
    assert code == 0 and "OK" in out and "grouped by half: 2 groups, A (2), B (2)" in out
    monkeypatch.setenv("ANALYSIS_BY", "half")  # check follows ANALYSIS_BY like every command
    code, out, _ = run_cli(["check", "--corpus", str(two_groups)])
    assert code == 0 and "grouped by half" in out


def test_a_missing_default_column_is_a_warning_a_chosen_one_an_error(tmp_path, monkeypatch):
    corpus = make_corpus(tmp_path / "c", {"a.txt": seed_text("000"), "b.txt": seed_text("001")}, genre=["x", "y"])
    code, out, _ = run_cli(["check", "--corpus", str(corpus)])  # nobody chose a column: the default is missing
    assert code == 0 and "WARNING" in out and "(the default grouping column)" in out and "--by COLUMN" in out
    code, out, _ = run_cli(["check", "--corpus", str(corpus), "--by", "id"])
    assert code == 0 and "WARNING" not in out
    monkeypatch.setenv("ANALYSIS_BY", "province")
    code, out, _ = run_cli(["check", "--corpus", str(corpus)])
    assert code == 1 and "has no column 'province'" in out


def test_check_names_a_single_group_empty_values_and_groups_of_one(tmp_path):
    docs = {f"d{i}.txt": seed_text(f"00{i}") for i in range(4)}
    corpus = make_corpus(tmp_path / "c", docs, same=["X"] * 4, some_empty=["A", "", "B", "B"],
                         singles=["A", "B", "C", "C"])
    code, out, _ = run_cli(["check", "--corpus", str(corpus), "--by", "same"])
    assert code == 1 and "single group ('X')" in out
    code, out, _ = run_cli(["check", "--corpus", str(corpus), "--by", "some_empty"])
    assert code == 0 and "1 document(s) have no value in the column 'some_empty' (d1)" in out and "(none)" in out
    code, out, _ = run_cli(["check", "--corpus", str(corpus), "--by", "singles"])
    assert code == 0 and "2 of the 3 groups of 'singles' have a single document (A, B)" in out
    problems = analysis.grouping_problems(analysis.load_corpus(corpus), "singles")
    assert [p.severity for p in problems] == ["warning"] and "add documents" in problems[0].fix


# --------------------------------------------------------------------------- tables


def _widest(text: str) -> int:
    return max(display_width(line) for line in text.splitlines())


@pytest.mark.parametrize("args", [
    ["keyness", "--top", "5"],
    ["keyness", "--top", "3", "--pairwise", "--side", "both"],
    ["emphasis", "--n-boot", "50"],
    ["slogans", "--top", "30"],
])
def test_tables_are_rounded_and_fit_100_columns(args):
    code, out, err = run_cli(args)
    assert code == 0, err
    assert _widest(out) <= WIDTH
    assert "e-0" not in out and "e+0" not in out  # no scientific notation
    for cell in out.split():
        if cell.replace(".", "", 1).replace("-", "", 1).isdigit() and "." in cell:
            assert len(cell.split(".")[1]) <= 3, cell


def test_csv_keeps_every_column_at_full_precision():
    code, out, _ = run_cli(["keyness", "--top", "5", "--format", "csv"])
    df = pd.read_csv(io.StringIO(out))
    assert {"p_value", "chi2", "chi2_p", "log_ratio_low", "log_ratio_high", "logodds_z"} <= set(df.columns)
    assert (df["p_adj"] < 0.001).any()  # shown as <0.001 in the table, as a number here


def test_keyness_leaves_out_proper_nouns_by_default():
    """As in the notebooks' rhetoric view; --keep-proper keeps them."""
    corp = analysis.load_corpus()
    rhetoric = analysis.keyness(corp, drop_proper=True)
    code, out, _ = run_cli(["keyness", "--top", "0", "--format", "csv"])
    assert set(pd.read_csv(io.StringIO(out))["term"]) == set(analysis.top_terms(rhetoric, len(rhetoric)).term)
    code, kept, _ = run_cli(["keyness", "--top", "0", "--format", "csv", "--keep-proper"])
    assert len(pd.read_csv(io.StringIO(kept))) > len(pd.read_csv(io.StringIO(out)))


def test_output_to_a_file_and_a_folder_that_does_not_exist(tmp_path):
    target = tmp_path / "k.csv"
    code, out, err = run_cli(["keyness", "--top", "2", "--output", str(target)])
    assert code == 0 and out == "" and target.read_text(encoding="utf-8").startswith("group,reference,term")
    code, _, err = run_cli(["keyness", "--top", "2", "--output", str(tmp_path / "no" / "k.csv")])
    assert code == 2 and "cannot write" in err and "Fix:" in err


def test_xlsx_has_an_about_sheet_and_one_sheet_per_table(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "keyness.xlsx"
    code, _, err = run_cli(["keyness", "--top", "3", "--format", "xlsx", "--output", str(path), "--pairwise"])
    assert code == 0, err
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["about", "keyness"]
    about = {r[0]: r[1] for r in wb["about"].iter_rows(min_row=2, values_only=True)}
    assert about["documents"] == "5" and about["grouped by"] == "region" and about["--pairwise"] == "yes"
    assert about["corpus"] == str(SEEDS.resolve()) and about["--top"] == "3"
    rows = list(wb["keyness"].iter_rows(values_only=True))
    expected = pd.read_csv(io.StringIO(run_cli(["keyness", "--top", "3", "--format", "csv", "--pairwise"])[1]))
    assert list(rows[0]) == list(expected.columns) and len(rows) - 1 == len(expected)
    assert isinstance(rows[1][list(expected.columns).index("g2")], float)  # numbers stay numbers
    code, _, _ = run_cli(["slogans", "--top", "10", "--output", str(tmp_path / "s.xlsx")])  # from the suffix
    assert code == 0 and openpyxl.load_workbook(tmp_path / "s.xlsx").sheetnames == ["about", "slogans"]


# --------------------------------------------------------------------------- report --out


@pytest.mark.parametrize("case", ["root", "home", "corpus", "file", "foreign", "unwritable"])
def test_report_refuses_a_place_it_must_not_write(case, tmp_path, monkeypatch):
    corpus = make_corpus(tmp_path / "c", {"a.txt": "坚持动态清零。", "b.txt": "外防输入。"}, region=["X", "Y"])
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    (tmp_path / "f.txt").write_text("x", encoding="utf-8")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_text("x", encoding="utf-8")
    out = {"root": "/", "home": str(home), "corpus": str(corpus), "file": str(tmp_path / "f.txt"),
           "foreign": str(tmp_path / "mine"), "unwritable": str(tmp_path / "f.txt" / "site")}[case]
    before = sorted(os.listdir("/"))
    code, _, err = run_cli(["report", "--corpus", str(corpus), "--out", out])
    assert code == 2 and "Traceback" not in err and "Fix:" in err
    expected = {"root": "root of the file system", "home": "home folder", "corpus": "corpus folder itself",
                "file": "is a file", "foreign": "not an earlier report", "unwritable": "cannot write there"}[case]
    assert expected in err
    assert sorted(os.listdir("/")) == before
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["thesis.docx"]


def test_report_accepts_new_empty_and_earlier_report_folders(tmp_path):
    from analysis.report import REPORT_MARKER, ReportError, check_out

    corpus = make_corpus(tmp_path / "c", {"a.txt": "坚持。"})
    assert check_out(tmp_path / "new", corpus) == (tmp_path / "new").resolve()
    (tmp_path / "empty").mkdir()
    check_out(tmp_path / "empty", corpus)
    (tmp_path / "earlier").mkdir()
    (tmp_path / "earlier" / REPORT_MARKER).write_text("{}", encoding="utf-8")
    (tmp_path / "earlier" / "index.html").write_text("", encoding="utf-8")
    check_out(tmp_path / "earlier", corpus)
    check_out(corpus / "site", corpus)  # inside the corpus folder: its marker keeps it out of the corpus
    old = tmp_path / "old"  # a report written before the marker existed holds only what a report writes
    for sub in ("reader", "figures", "fonts"):
        (old / sub).mkdir(parents=True)
    for name in ("index.html", "01_corpus.html", ".DS_Store"):
        (old / name).write_text("", encoding="utf-8")
    check_out(old, corpus)
    (old / "notes.docx").write_text("mine", encoding="utf-8")
    with pytest.raises(ReportError, match="not an earlier report"):
        check_out(old, corpus)


def test_report_only_with_no_matching_notebook_is_a_message():
    code, _, err = run_cli(["report", "--only", "99", "--out", "/tmp/never-written-site"])
    assert code == 2 and "matches no notebook" in err
