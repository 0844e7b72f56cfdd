"""The command line of the rhetoric view: collocations, phrases, content words, tables as corpora."""
from __future__ import annotations

import io
import json

import pandas as pd

from conftest import SEEDS, run_cli


def _csv(out: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(out))


def test_collocations_and_the_phrases_keyness_joins():
    code, out, err = run_cli(["collocations", "--corpus", str(SEEDS), "--format", "csv", "--top", "0"])
    assert code == 0, err
    table = _csv(out)
    assert {"collocation", "tokens", "count", "docs", "lambda", "z", "pmi", "logdice", "t"} <= set(table.columns)
    assert table["z"].is_monotonic_decreasing and (table["count"] >= 5).all()
    code, out, err = run_cli(["collocations", "--corpus", str(SEEDS), "--phrases", "--format", "csv", "--top", "0"])
    assert code == 0, err
    phrases = _csv(out)
    assert len(phrases) > 0 and (phrases["share"] >= 0.5).all()
    code, out, _ = run_cli(["keyness", "--corpus", str(SEEDS), "--format", "csv", "--top", "0", "--side", "both"])
    joined = set(_csv(out)["term"])
    code, out, _ = run_cli(["keyness", "--corpus", str(SEEDS), "--format", "csv", "--top", "0", "--side", "both",
                            "--no-phrases", "--all-tokens"])
    plain = set(_csv(out)["term"])
    assert joined & set(phrases["phrase"]) and not plain & set(phrases["phrase"])
    assert {"已经", "期间"} & plain and not {"已经", "期间"} & joined  # function words only with --all-tokens
    code, _, err = run_cli(["collocations", "--corpus", str(SEEDS), "--size", "2,x"])
    assert code == 2 and "--size" in err


def test_keyness_options_reach_the_table():
    code, out, err = run_cli(["keyness", "--corpus", str(SEEDS), "--format", "csv", "--top", "0", "--fisher",
                              "--no-doc-test", "--min-docs", "0"])
    assert code == 0, err
    table = _csv(out)
    assert {"fisher_p", "fisher_p_adj", "docs_using", "dp"} <= set(table.columns)
    assert table["doc_p"].isna().all()


def test_a_table_corpus_through_the_command_line(tmp_path):
    path = tmp_path / "reports.jsonl"
    rows = [{"title": f"t{i}", "body": "坚持稳中求进工作总基调，全面深化改革。" * 20, "era": "A" if i < 2 else "B"}
            for i in range(4)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    code, out, err = run_cli(["check", "--corpus", str(path)])
    assert code == 1 and "no column 'text'" in out and "--text-column" in out
    code, out, err = run_cli(["check", "--corpus", str(path), "--text-column", "body", "--id-column", "title",
                              "--by", "era"])
    assert code == 0, out + err
    assert "OK · 4 documents" in out and "grouped by era: 2 groups" in out
