#!/usr/bin/env bash
# Second command: set everything up, start a throwaway PostgreSQL server for the tests (stopped at exit),
# find (or install) Chromium for the browser tests, then run the linter, the type checker and the test suite.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
source scripts/test-postgres.sh
source scripts/test-browser.sh
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
