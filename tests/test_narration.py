"""Narration that fits the corpus in use, and error tests that never need ../shared (issue 19 §4 and §8)."""
from __future__ import annotations

import ast
import re

import nbformat
import pandas as pd

import analysis
from conftest import ROOT, make_corpus, seed_text

#: What the notebooks used to say of any corpus: true of the seeds only.
SEED_ONLY = [r"five COVID", r"COVID-19 policy documents", r"the same crisis", r"three short texts",
             r"Traditional characters in one file", r"On the seed corpus the longest"]


def test_notebook_text_speaks_of_the_corpus_in_use_not_of_the_seeds():
    regions = sorted(pd.read_csv(ROOT / "seeds" / "manifest.csv", dtype=str)["region"].unique())
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type != "markdown":
                continue
            for pattern in SEED_ONLY + [re.escape(r) for r in regions]:
                assert not re.search(pattern, cell.source), f"{path.name} cell {i}: {pattern}"


def test_notebooks_describe_the_corpus_from_its_manifest():
    for name in ("00_start_here", "01_corpus"):
        code = "".join(c.source for c in nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4).cells
                       if c.cell_type == "code")
        assert "analysis.describe_corpus(corp, BY)" in code, name


def test_describe_corpus_reads_the_manifest(tmp_path, seeds_corpus):
    docs = {f"d{i}.txt": seed_text(f"00{i}") for i in range(3)}
    corp = analysis.load_corpus(make_corpus(tmp_path / "c", docs, province=["P", "P", "Q"], genre=["a", "b", "b"]))
    text = analysis.describe_corpus(corp, "province")
    assert text.startswith("This corpus has 3 documents") and "2 groups of the column 'province': P (2), Q (1)" in text
    assert "Genres: b (2), a (1)." in text and "1 of the groups have a single document" in text
    seeds = analysis.describe_corpus(seeds_corpus, "region")
    assert "5 documents (15,388 characters" in seeds and "Dates from 2021-05-31 to 2022-03-31" in seeds


def test_no_error_handling_test_needs_the_shared_corpora():
    """Tests of bad input, errors and messages run on the seeds or on corpora the tests build."""
    shared = {"city", "city_sample", "small_city"}
    offenders = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_") and re.search(
                    r"error|bad|refus|message|wrong|invalid|missing", node.name):
                if shared & {a.arg for a in node.args.args}:
                    offenders.append(f"{path.name}::{node.name}")
    assert offenders == []
