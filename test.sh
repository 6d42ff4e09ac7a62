#!/usr/bin/env bash
# Second command: set everything up, then run the linter, the type checker and the test suite.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
