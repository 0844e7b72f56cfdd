"""The benchmark's own pieces (benchmarks/): the analyses' script on the seeds and the two groups it compares."""
from __future__ import annotations

import csv
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_two_groups_alternate_the_documents(tmp_path):
    run = _module("run")
    (tmp_path / "manifest.csv").write_text("id,file,region\na,a.txt,a\nb,b.txt,b\nc,c.txt,c\n", encoding="utf-8")
    run.two_groups(tmp_path)
    with open(tmp_path / "manifest.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["id"], r["region"], r["group"]) for r in rows] == [("a", "a", "A"), ("b", "b", "B"), ("c", "c", "A")]


@pytest.mark.slow
@pytest.mark.parametrize("step", ["keyness", "slogans"])
def test_the_analyses_script_times_one_step(step, tmp_path):
    env = dict(os.environ, ANALYSIS_CACHE=str(tmp_path / "cache"), ANALYSIS_PROGRESS="0")
    res = subprocess.run([sys.executable, str(BENCH / "analyses.py"), "--corpus", str(SEEDS), "--step", step],
                         env=env, capture_output=True, text=True, encoding="utf-8", check=True)
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["step"] == step and out["docs"] == 5 and out["rows"] > 10
    assert out["step_s"] > 0 and out["load_s"] > 0
