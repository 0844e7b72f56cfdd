"""Checked exercises: the checks, the teacher's and the student's notebooks, and the folded solutions."""
from __future__ import annotations

import nbformat
import pandas as pd
import pytest

import analysis
from analysis.exercises import EXERCISES, solution_code, write_class_notebooks
from analysis.report import _execute
from conftest import ROOT, SEEDS, make_corpus, run_cli, seed_text

NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[1-6]_*.ipynb"))


def _tagged(nb, tag):
    return [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]


def test_every_exercise_of_the_notebooks_has_a_check_and_a_folded_solution():
    seen = set()
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        exercises, solutions = _tagged(nb, "exercise"), _tagged(nb, "solution")
        assert len(exercises) == len(solutions) > 0, path.name
        for ex, sol in zip(exercises, solutions):
            assert "answer = ...\n" in ex.source and "analysis.check_exercise(" in ex.source
            assert sol.cell_type == "markdown" and sol.source.startswith("<details><summary>Solution</summary>")
            assert "answer = " in solution_code(sol.source)
            call = ex.source.split("analysis.check_exercise(")[1]
            seen.add((call.split(",")[0].strip('"'), int(call.split(",")[1])))
    assert seen == set(EXERCISES) and len(seen) == 20


def test_a_placeholder_is_not_yet_with_a_hint(seeds_corpus):
    v = analysis.check_exercise("02", 3, ..., seeds_corpus, "region")
    assert v.status == "not yet" and not v and "hint:" in repr(v) and "Bonferroni" in repr(v)
    v = analysis.check_exercise("02", 3, "seven", seeds_corpus, "region")
    assert v.status == "not yet" and "Series or a dict" in v.message
    with pytest.raises(KeyError, match="no exercise 02.9"):
        analysis.check_exercise("02", 9, 1, seeds_corpus)


def test_a_wrong_answer_says_what_differs(seeds_corpus):
    kw = analysis.keyness(seeds_corpus, "region", drop_proper=True, correction="bonferroni")
    right = kw[kw.p_adj < 0.05].groupby("group").size()
    assert analysis.check_exercise("02", 3, right, seeds_corpus, "region")
    wrong = right.copy()
    wrong.iloc[0] += 1
    v = analysis.check_exercise("02", 3, wrong, seeds_corpus, "region")
    assert v.status == "differs" and f"{wrong.index[0]}: yours {wrong.iloc[0]}, expected {right.iloc[0]}" in repr(v)
    v = analysis.check_exercise("01", 2, ["坚持", "外防输入"], seeds_corpus)
    assert v.status == "differs" and "from position" in repr(v)


def test_expected_answers_come_from_the_corpus_in_use(tmp_path):
    """The same answer is right on one corpus or grouping and wrong on another: nothing is hard-coded."""
    docs = {f"d{i}.txt": seed_text(f"00{i}") for i in range(5)}
    corpus = analysis.load_corpus(make_corpus(tmp_path / "c", docs, half=["A", "A", "B", "B", "B"],
                                              third=["X", "Y", "Z", "X", "Y"]))

    def bonferroni(by):
        kw = analysis.keyness(corpus, by, drop_proper=True, correction="bonferroni")
        return kw[kw.p_adj < 0.05].groupby("group").size()

    assert analysis.check_exercise("02", 3, bonferroni("half"), corpus, "half")
    assert analysis.check_exercise("02", 3, bonferroni("third"), corpus, "third")
    assert not analysis.check_exercise("02", 3, bonferroni("half"), corpus, "third")
    acc = corpus.accounting()
    totals = acc.drop(columns=["doc_id", "chars_in", "chars_kept", "chars_removed"]).sum()
    rule = totals.sort_values(ascending=False, kind="stable").index[0]
    assert analysis.check_exercise("01", 1, (rule, acc.set_index("doc_id")[rule].idxmax()), corpus, "half")
    lost = {d: 0 for d in corpus.ids}
    assert analysis.check_exercise("01", 3, lost, corpus).status == "differs"


def test_the_class_notebooks_command_writes_teacher_and_student_versions(tmp_path):
    code, out, err = run_cli(["exercises", "--out", str(tmp_path / "class")])
    assert code == 0, err
    for path in NOTEBOOKS:
        teacher = nbformat.read(tmp_path / "class" / "teacher" / path.name, as_version=4)
        student = nbformat.read(tmp_path / "class" / "student" / path.name, as_version=4)
        source = nbformat.read(path, as_version=4)
        assert not _tagged(student, "solution") and "<summary>Solution" not in str(student.cells)
        assert len(_tagged(student, "exercise")) == len(_tagged(source, "exercise"))
        runnable = [c for c in _tagged(teacher, "solution") if c.cell_type == "code"]
        assert len(runnable) == len(_tagged(source, "solution"))
        for nb in (teacher, student):
            assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    code, _, err = run_cli(["exercises", "--out", str(tmp_path / "f.txt" / "x")]) if (tmp_path / "f.txt").write_text(
        "x") else (None, None, None)
    assert code == 2 and "cannot write" in err


@pytest.mark.slow
@pytest.mark.notebooks
@pytest.mark.parametrize("name, by", [(p.stem, "region") for p in NOTEBOOKS] + [("02_rhetoric", "genre")])
def test_every_solution_passes_its_check_in_the_teachers_notebook(name, by, tmp_path):
    """The teacher's notebook runs on the seeds (and 02 grouped by genre): each solution's check says right,
    each unanswered exercise says not yet."""
    written = write_class_notebooks(tmp_path / "class", [ROOT / "notebooks" / f"{name}.ipynb"])
    teacher = written["teacher"][0]
    env = {"ANALYSIS_FIGURES": str(tmp_path / "figures"), "ANALYSIS_CORPUS": str(SEEDS), "ANALYSIS_BY": by,
           "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    nb = _execute(teacher, env, timeout=900)
    verdicts = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type != "code" or not {"exercise", "solution"} & set(tags):
            continue
        text = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs if o.get("output_type") == "execute_result")
        text += "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
        verdicts.append(("solution" in tags, text))
    assert verdicts
    for is_solution, text in verdicts:
        if is_solution:
            assert "✓ Right" in text, text[:500]  # the check is the solution's last line
        else:
            assert "… Not yet: replace ... with your answer" in text


def test_reader_pages_leave_out_the_cells_to_complete(tmp_path):
    from analysis.report import _render

    nb = nbformat.read(ROOT / "notebooks" / "02_rhetoric.ipynb", as_version=4)
    reader, full = _render(nb, True, "font.otf"), _render(nb, False, "font.otf")
    assert "Not yet: replace" in full and "Not yet: replace" not in reader
    assert reader.count("<summary>Solution</summary>") == full.count("<summary>Solution</summary>") == 5


def test_solutions_stay_folded_in_the_report_pages():
    """The report renders the committed notebooks: each solution is a <details> block (folded)."""
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        from nbconvert.filters.markdown import markdown2html

        for cell in _tagged(nb, "solution"):
            html = markdown2html(cell.source)
            assert html.lstrip().startswith("<details>") and "open" not in html.split(">")[0]
    assert pd is not None
