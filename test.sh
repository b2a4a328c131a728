#!/usr/bin/env bash
# Run the tests: on SQLite by default, on any database DATABASE_URL names.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/bootstrap.sh

# The browser and PDF tests drive Debian's Chromium and read PDFs with poppler's pdftoppm;
# the Excel tests save a workbook with LibreOffice Calc (soffice).
if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils libreoffice-calc-nogui >/dev/null
    else
        echo "The browser tests need chromium, poppler-utils and libreoffice-calc-nogui: sudo apt-get install -y chromium poppler-utils libreoffice-calc-nogui" >&2
    fi
fi
# axe-core, which the accessibility tests inject into pages.
if [ ! -f node_modules/axe-core/axe.min.js ]; then
    npm ci --no-audit --no-fund --silent
fi

if [ "$#" -gt 0 ]; then
    exec .venv/bin/pytest "$@"
fi
# The fast core suite first (totals, rules, plan file, numbers: under a minute, no
# browser or server), then everything else.
.venv/bin/pytest -m core -q
exec .venv/bin/pytest -m "not core" --durations=20
