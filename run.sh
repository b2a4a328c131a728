#!/usr/bin/env bash
# Set up Finsam Plan with the demo data on SQLite and start it on http://127.0.0.1:8000/
set -euo pipefail
cd "$(dirname "$0")"
source scripts/bootstrap.sh

export DEBUG="${DEBUG:-1}"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py loaddemo
# The task worker renders the PDFs beside the server; it stops when the server stops.
.venv/bin/python manage.py db_worker &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT
.venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
