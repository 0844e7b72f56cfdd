#!/usr/bin/env bash
# The suite's two commands (see README):
#   ./run.sh report [--corpus DIR] [--by COLUMN] [--out DIR]   run every analysis and render the report
#   ./run.sh test   [pytest args]                              run the whole test suite, notebooks included
# Each one creates .venv with Python >= 3.11 and installs the project into it when
# pyproject.toml changed since the last install (the first time: about 5 minutes, announced step by
# step; pip's output goes to .venv/install.log). No conda, no compiler, no network at run time.
set -euo pipefail
cd "$(dirname "$0")"

VENV="${ANALYSIS_VENV:-.venv}"

find_python() {
    for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11 python; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "run.sh: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
    return 1
}

ensure_env() {
    if [ ! -x "$VENV/bin/python" ]; then
        local py
        py="$(find_python)"
        echo "run.sh: creating $VENV with $($py --version)" >&2
        "$py" -m venv "$VENV"
    fi
    local stamp
    stamp="$VENV/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        # pip's own output (and setuptools' "Editable installation" banner) goes to a log, shown only on failure
        local log="$VENV/install.log" start=$SECONDS
        echo "run.sh: setting up $VENV: installing the project and its dependencies" >&2
        echo "run.sh: (jieba, pandas, scikit-learn, matplotlib, JupyterLab, a Chinese font …: about 1 GB)." >&2
        echo "run.sh: The first time this takes about 5 minutes; later runs skip it until pyproject.toml changes." >&2
        echo "run.sh: step 1/2: updating pip" >&2
        if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --upgrade pip >"$log" 2>&1; then
            install_failed "$log"
        fi
        echo "run.sh: step 2/2: installing the packages (the long step; details in $log)" >&2
        if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off -e ".[test]" \
                >>"$log" 2>&1; then
            install_failed "$log"
        fi
        rm -f "$VENV"/.installed-*
        touch "$stamp"
        echo "run.sh: set-up done in $((SECONDS - start)) s" >&2
    fi
}

install_failed() {
    echo "run.sh: the installation failed. The last lines of $1:" >&2
    tail -n 25 "$1" >&2
    echo "run.sh: fix the cause (often the network or the Python version), then run the same command again." >&2
    exit 1
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
    report)
        ensure_env
        exec "$VENV/bin/python" -m analysis report "$@"
        ;;
    test)
        ensure_env
        exec "$VENV/bin/python" -m pytest --nbval --nbval-current-env tests notebooks "$@"
        ;;
    *)
        echo "usage: ./run.sh report [--corpus DIR] [--by COLUMN] [--out DIR] | ./run.sh test [pytest args]" >&2
        exit 2
        ;;
esac
