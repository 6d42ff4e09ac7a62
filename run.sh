#!/usr/bin/env bash
# First command: set everything up, then ingest the bundled sample corpus into the default SQLite
# database and print a summary with the database's path.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
.venv/bin/warmonitor ingest warmonitor/data/samples "$@"
