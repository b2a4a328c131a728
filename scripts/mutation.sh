#!/usr/bin/env bash
# Mutation testing of the core: small changes are made to budgets/totals.py,
# budgets/validation.py, budgets/keys.py, budgets/planfile.py, finsam/lib/ and the
# amount parser (finsam/forms.py), one at a time, and the core suite
# (pytest -m core) runs against each. A mutant the suite does not notice survives.
#
#   scripts/mutation.sh                    every module in [tool.mutmut] (pyproject.toml)
#   scripts/mutation.sh 'budgets.totals.*' 'finsam.lib.*'   only those mutants
#
# Prints the score per module and overall, the survivors (inspect one with
# `.venv/bin/mutmut show NAME`), and the known equivalent mutants listed in
# docs/mutation-equivalent.txt, which do not count against the score.
# CPU-heavy: one process at a time unless MUTATION_JOBS says otherwise.
# Results are kept in mutants/; a second run retests only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

MUTMUT=${MUTMUT:-.venv/bin/mutmut}
JOBS=${MUTATION_JOBS:-1}
EQUIVALENT=docs/mutation-equivalent.txt

"$MUTMUT" run --max-children "$JOBS" "$@" >/dev/null || true
"$MUTMUT" results --all true | python3 scripts/mutation_score.py "$EQUIVALENT" "$@"
