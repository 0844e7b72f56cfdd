"""Bad input: every case of tests/badinput.py loads correctly or fails with a clear message.

A clear message names the file, says what is wrong and how to fix it
(``ERROR: FILE: problem. Fix: how.``), and no traceback ever reaches the user.
The CLI is run as users run it, ``python -m analysis check --corpus DIR``.
"""
from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import analysis
import badinput as bi
from conftest import make_corpus
from analysis import cli
from analysis.corpus import scan
from analysis.cleaning import clean, replay
from analysis.errors import CorpusError

SAME = [c for c in bi.TEXT_CASES if c.outcome == "same"]
FLAGGED = [c for c in bi.TEXT_CASES if c.outcome != "same"]
LINE_RE = re.compile(r"^(ERROR|WARNING): (.+?): (.+)\. Fix: (.+)\.$")


def run_check(folder: Path) -> subprocess.CompletedProcess:
    """``python -m analysis check --corpus FOLDER`` in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "analysis", "check", "--corpus", str(folder)],
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("ERROR: ", "WARNING: "))]


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory) -> tuple[Path, list[tuple[str, str, str]]]:
    """All text cases plus manifest problems in one folder (see badinput.build_bad_corpus)."""
    return bi.build_bad_corpus(tmp_path_factory.mktemp("bad") / "corpus")


@pytest.fixture(scope="module")
def bad_scan(bad_corpus):
    return scan(bad_corpus[0])


# --------------------------------------------------------------------------- documents


@pytest.mark.parametrize("case", [c for c in SAME if c.name not in bi.TOUCHED], ids=lambda c: c.name)
def test_encoded_or_damaged_copy_loads_to_the_seed_text(case, bad_scan, seeds_corpus):
    corp, problems = bad_scan
    doc = corp[case.name]
    assert doc.encoding == case.encoding
    assert doc.text == seeds_corpus.docs[case.seed].text
    assert not [p for p in problems if Path(p.file).name == case.file]


def test_gbk_copy_on_its_own_loads_to_the_seed_text(tmp_path, seeds_corpus):
    case = next(c for c in SAME if c.name == "gbk")  # in the bad corpus its id is duplicated
    corp = analysis.load_corpus(bi.build_text_corpus(tmp_path / "gbk", [case]))
    assert corp[case.name].encoding == case.encoding
    assert corp[case.name].text == seeds_corpus.docs[case.seed].text


def test_a_few_kana_in_a_chinese_document_are_no_warning(tmp_path):
    # Chinese text quotes Japanese names now and then; only a real share of kana means Japanese
    text = bi.seed_raw(3).replace("。", "。日本的“すき家”也在通报之列。")
    assert text.count("すき") >= 20  # more kana than the minimum: the share decides
    corp, problems = scan(make_corpus(tmp_path / "c", {"a.txt": text}))
    assert len(corp) == 1 and problems == []


@pytest.mark.parametrize("case", FLAGGED, ids=lambda c: c.name)
def test_bad_document_is_named_with_problem_and_fix(case, bad_corpus, bad_scan):
    corp, problems = bad_scan
    mine = [p for p in problems if p.file == str(bad_corpus[0] / case.file)]
    severity = case.outcome
    assert any(p.severity == severity and re.search(case.message, str(p)) for p in mine), [str(p) for p in mine]
    for p in mine:
        assert LINE_RE.match(str(p)), str(p)
        assert len(p.fix) > 10
    assert (case.name in corp.ids) == (severity == "warning")


def test_load_corpus_raises_one_error_listing_every_error(bad_corpus):
    folder, expected = bad_corpus
    with pytest.raises(CorpusError) as exc:
        analysis.load_corpus(folder)
    msg = str(exc.value)
    errors = [e for e in expected if e[0] == "ERROR"]
    assert f"has {len(errors)} error(s)" in msg
    for _, name, pattern in errors:
        assert any(name in line and re.search(pattern, line) for line in msg.splitlines()), (name, pattern)


def test_check_cli_lists_every_problem_of_a_bad_corpus_in_one_run(bad_corpus, bad_scan):
    folder, expected = bad_corpus
    assert len({pattern for _, _, pattern in expected}) >= 20
    res = run_check(folder)
    out = res.stdout + res.stderr
    assert res.returncode == 1
    assert "Traceback" not in out
    lines = problem_lines(res.stdout)
    for severity, name, pattern in expected:
        assert any(l.startswith(severity) and name in l and re.search(pattern, l) for l in lines), (name, pattern)
    # nothing else, nothing twice: exactly the library's problems (the folder's, then the grouping column's),
    # errors before warnings
    grouping = analysis.grouping_problems(bad_scan[0])
    assert len(lines) == len(expected) + len(grouping)
    assert sorted(lines) == sorted(str(p) for p in bad_scan[1] + grouping)
    kinds = [l.split(":")[0] for l in lines]
    assert kinds == sorted(kinds)
    # the documents that load are listed with the encoding found
    table = res.stdout.split("\n\n")[-2]
    for case in SAME:
        if case.name not in bi.TOUCHED:
            row = next(l for l in table.splitlines() if l.split()[0] == case.name)
            assert case.encoding in row.split()
    n_errors = sum(e[0] == "ERROR" for e in expected) + sum(p.severity == "error" for p in grouping)
    n_warnings = sum(e[0] == "WARNING" for e in expected) + sum(p.severity == "warning" for p in grouping)
    assert f"{n_errors} error(s), {n_warnings} warning(s)" in res.stdout


def test_20_mb_single_line_document_loads_whole(tmp_path, seeds_corpus):
    # about 20 MB of UTF-8 on one line (the seeds' clean texts with their line breaks taken
    # out, repeated): every rule scans the whole line, so cleaning must stay linear (no regex
    # backtracking over the line, nothing quadratic in the line's length); the pathological
    # lines below check the rules that once were not
    unit = "".join(d.text.replace("\n", "") for d in seeds_corpus)
    reps = 20_000_000 // len(unit.encode("utf-8")) + 1
    folder = tmp_path / "big"
    folder.mkdir()
    (folder / "big.txt").write_bytes((unit * reps).encode("utf-8"))
    bi.write_manifest(folder, [{"id": "big", "file": "big.txt", "region": "X"}])
    assert (folder / "big.txt").stat().st_size >= 20_000_000
    corp = analysis.load_corpus(folder)
    # the text is already clean, so nothing may change: not one character lost or added
    assert corp["big"].text == unit * reps
    acc = corp.accounting().iloc[0]
    assert acc["chars_in"] == acc["chars_kept"] == len(unit) * reps and acc["chars_removed"] == 0
    # one copy of the raw seeds on one line: edits on a single line replay exactly
    raw_line = "".join(bi.seed_raw(i).replace("\n", "") for i in range(len(seeds_corpus)))
    result = clean(raw_line)
    assert result.edits and "\n" not in result.text
    assert replay(raw_line, result.edits) == result.text


@pytest.mark.parametrize("text", [
    "(" + "疫情防控工作" * 20_000,            # an unclosed parenthesis before a long line
    "中" + " " * 100_000 + "x",                # a long run of spaces inside a line
    "中" + "\u3000" * 100_000 + "，",          # ideographic spaces before Chinese punctuation
    "|" + " \t" * 50_000 + "x",                # a pipe, then spaces and tabs
    "http://" + "a" * 100_000 + "中",           # a very long URL
    ("疫情防控，" * 20 + "\n") * 5_000,         # many lines
])
def test_cleaning_stays_linear_on_pathological_lines(text):
    # each of these took minutes before the regexes were made linear (quadratic backtracking);
    # the assertions check that the result is still right
    result = clean(text)
    assert replay(text, result.edits) == result.text
    assert clean(result.text).text == result.text
    assert "  " not in result.text and "\u3000" not in result.text


@pytest.mark.parametrize("char", ["口", "的", "一", "a", "7"])
def test_a_million_of_one_character_loads_segments_and_counts_in_seconds(char, tmp_path, monkeypatch):
    # a run of one repeated character (rules drawn with 一, OCR's 口 for unreadable glyphs) was
    # about fifty times slower per byte than real text in the segmenter's HMM (口: a minute and a
    # gigabyte for a million); runs longer than MAX_RUN are now segmented piece by piece
    from analysis.segmentation import MAX_RUN

    monkeypatch.setenv("ANALYSIS_WORKERS", "1")  # in this process: the alarm interrupts the work itself
    n = 1_000_000
    folder = make_corpus(tmp_path / "c", {"run.txt": char * n, "seed.txt": bi.seed_raw(0)}, region=["run", "seed"])
    with bi.time_limit(30), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "contains no Chinese characters" for the ASCII runs
        corp = analysis.load_corpus(folder)
        seg = analysis.segmented(corp["run"].text)
        d = analysis.dfm(corp, by="region")
    assert corp["run"].text == char * n
    lengths = [len(seg.tokens[i]) for i in seg.seq.tolist()]
    assert sum(lengths) == n and max(lengths) <= MAX_RUN
    assert d.rows == ["run", "seed"] and d.matrix[1].sum() > 100


# --------------------------------------------------------------------------- manifests


def _matching(problems: list[str], case: bi.ManifestCase) -> list[str]:
    return [p for p in problems if re.search(case.message, p) and case.names in p]


@pytest.mark.parametrize("case", bi.MANIFEST_CASES, ids=lambda c: c.name)
def test_manifest_case(case, tmp_path, seeds_corpus, capsys):
    folder = bi.build_manifest_case(tmp_path, case)
    with bi.time_limit(120):  # a file opened that should not be (a named pipe) would wait forever
        _check_manifest_case(case, folder, seeds_corpus, capsys)


def _check_manifest_case(case, folder, seeds_corpus, capsys):
    if case.outcome == "error":
        with pytest.raises(CorpusError) as exc:
            analysis.load_corpus(folder)
        assert _matching(str(exc.value).splitlines(), case), str(exc.value)
    else:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            corp = analysis.load_corpus(folder)
        messages = [str(w.message) for w in caught]
        if case.outcome == "warning":
            assert _matching(messages, case), messages
        else:
            assert not [m for m in messages if m.startswith("ERROR")]
        if case.check is not None:
            case.check(corp, seeds_corpus)
    # the check command (in this process: same code path as the subprocess tests below)
    code = cli.main(["check", "--corpus", str(folder)])
    out = capsys.readouterr().out
    assert code == (1 if case.outcome == "error" else 0)
    lines = problem_lines(out)
    assert all(LINE_RE.match(l) for l in lines), lines
    if case.outcome != "ok":
        assert _matching(lines, case), out


def test_windows_backslashes_are_read_as_separators(tmp_path):
    case = next(c for c in bi.MANIFEST_CASES if c.name == "windows_backslashes")
    corp = analysis.load_corpus(bi.build_manifest_case(tmp_path, case))
    assert all(f.startswith("docs/") and "\\" not in f for f in corp.manifest["file"])


def test_check_cli_subprocess_on_a_bad_manifest(tmp_path):
    case = next(c for c in bi.MANIFEST_CASES if c.name == "unquoted_comma")
    res = run_check(bi.build_manifest_case(tmp_path, case))
    out = res.stdout + res.stderr
    assert res.returncode == 1
    assert "Traceback" not in out
    assert _matching(problem_lines(res.stdout), case), out


def test_check_on_a_folder_that_is_not_there(tmp_path, capsys):
    assert cli.main(["check", "--corpus", str(tmp_path / "nowhere")]) == 1
    out = capsys.readouterr().out
    assert f"ERROR: {tmp_path / 'nowhere'}: does not exist. Fix: pass the folder" in out
    (tmp_path / "file.txt").write_text("坚持。", encoding="utf-8")
    assert cli.main(["check", "--corpus", str(tmp_path / "file.txt")]) == 1
    assert "file.txt: is a file, not a folder" in capsys.readouterr().out
