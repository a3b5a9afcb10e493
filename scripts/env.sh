# Shared by scripts/demo and scripts/test-all: a project-local virtual environment with what the
# Python package and its tests need, and the extension module built into it. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${RAA_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating virtual environment $VENV"
    "$PY" -m venv "$VENV"
fi
export VIRTUAL_ENV="$VENV"
export PATH="$VENV/bin:$PATH"
stamp="$VENV/.raa-deps"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "== installing Python dependencies"
    python -m pip install -q --upgrade pip
    python -m pip install -q "maturin>=1.5,<2" "numpy>=1.22" "pandas>=1.5" "matplotlib>=3.5" "tqdm>=4.60" "formulaic>=1.0" "pyyaml>=5.4" "tomli>=1.1" \
        "pytest>=7" "nbformat>=5" "nbclient>=0.7" "ipykernel>=6" "statsmodels>=0.14"
    touch "$stamp"
fi
echo "== building the extension module (release)"
log="$VENV/.raa-build.log"
if ! maturin develop --release >"$log" 2>&1 || ! python -c "import raa_impact"; then
    cat "$log"
    echo "the raa_impact package did not build (log above)"
    exit 1
fi
