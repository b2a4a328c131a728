#!/usr/bin/env bash
# Run the tests: on SQLite by default, on any database DATABASE_URL names.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/bootstrap.sh

exec .venv/bin/pytest "$@"
