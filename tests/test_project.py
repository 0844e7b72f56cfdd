"""Project hygiene: dependencies agree, no import-time side effects, no seed regions in code."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib

import pandas as pd
import yaml

from conftest import ROOT


def _pyproject_requirements() -> set[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = set(data["project"]["dependencies"])
    for extra in data["project"].get("optional-dependencies", {}).values():
        reqs |= set(extra)
    return {r.replace(" ", "") for r in reqs}


def test_environment_yml_mirrors_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_block = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    listed = {r.replace(" ", "") for r in pip_block if not r.startswith("-e")}
    assert listed == _pyproject_requirements()


def test_import_has_no_side_effects():
    code = (
        "import sys, analysis, analysis.cli, analysis.config;"
        "heavy = [m for m in ('jieba', 'matplotlib', 'opencc', 'sklearn') if m in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert out.stderr == ""


def _seed_regions() -> list[str]:
    return sorted(pd.read_csv(ROOT / "seeds" / "manifest.csv", dtype=str)["region"].unique())


def test_no_seed_region_named_outside_the_manifest():
    pattern = re.compile("|".join(map(re.escape, _seed_regions())), re.IGNORECASE)
    offenders = []
    files = [*ROOT.joinpath("analysis").rglob("*.py"), *ROOT.joinpath("analysis", "data").glob("*"),
             *ROOT.joinpath("tests").rglob("*.py"), ROOT / "run.sh"]
    for f in files:
        if f.is_file() and pattern.search(f.read_text(encoding="utf-8", errors="ignore")):
            offenders.append(str(f.relative_to(ROOT)))
    for nb in ROOT.joinpath("notebooks").glob("*.ipynb"):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells):
            if cell["cell_type"] == "code" and pattern.search("".join(cell["source"])):
                offenders.append(f"{nb.name} cell {i}")
    assert offenders == []


def test_gitignore_keeps_junk_out():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    for entry in (".venv/", "__pycache__/", ".ipynb_checkpoints/", "site/"):
        assert entry in ignored
