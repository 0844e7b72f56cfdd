#!/usr/bin/env bash
# The suite's two commands (see README):
#   ./run.sh report [--corpus DIR] [--by COLUMN] [--out DIR]   run every analysis and render the report
#   ./run.sh test   [pytest args]                              run the whole test suite, notebooks included
# Each one creates .venv with Python >= 3.11 and installs the project into it when
# pyproject.toml changed since the last install. No conda, no compiler, no network at run time.
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
        echo "run.sh: installing the project and its dependencies into $VENV" >&2
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[test]"
        rm -f "$VENV"/.installed-*
        touch "$stamp"
    fi
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
