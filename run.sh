#!/usr/bin/env bash
# First command: set everything up, then ingest the bundled sample corpus into the default SQLite
# database, print a summary with the database's path, and say how to open the dashboard over it.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
.venv/bin/warmonitor ingest warmonitor/data/samples "$@"
echo "explore it: .venv/bin/warmonitor serve   then open http://127.0.0.1:8000/ (map, timeline, events; API docs at /docs)"
