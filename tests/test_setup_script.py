"""run.sh's first set-up tells the user what it does and how long it takes, and hides pip's banners.

A stand-in Python (a shell script) plays pip, so the test installs nothing.
"""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import ROOT

FAKE_PYTHON = """#!/bin/sh
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then
    echo "  Editable installation ... is a setuptools banner nobody asked for" >&2
    echo "Successfully installed analysis-0.1.0"
    exit "${FAKE_PIP_RC:-0}"
fi
echo "ran: $*"
"""


@pytest.fixture
def fake_venv(tmp_path):
    if shutil.which("bash") is None:
        pytest.skip("bash is not available")
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(FAKE_PYTHON, encoding="utf-8")
    python.chmod(0o755)
    return venv


def _run(venv, **env):
    return subprocess.run(["bash", str(ROOT / "run.sh"), "test", "-q"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "ANALYSIS_VENV": str(venv), **env})


def test_first_setup_says_what_and_how_long_and_hides_the_banner(fake_venv):
    res = _run(fake_venv)
    assert res.returncode == 0, res.stderr
    assert "about 5 minutes" in res.stderr and "step 1/2" in res.stderr and "step 2/2" in res.stderr
    assert "set-up done in" in res.stderr
    assert "Editable installation" not in res.stderr + res.stdout
    assert "Editable installation" in (fake_venv / "install.log").read_text(encoding="utf-8")
    assert "ran: -m pytest" in res.stdout
    again = _run(fake_venv)  # installed: no set-up messages the second time
    assert again.returncode == 0 and "step 1/2" not in again.stderr


def test_a_failed_setup_shows_the_end_of_the_log(fake_venv):
    res = _run(fake_venv, FAKE_PIP_RC="1")
    assert res.returncode == 1
    assert "the installation failed" in res.stderr and "Editable installation" in res.stderr
    assert "run the same command again" in res.stderr
