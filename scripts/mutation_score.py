"""Score of a mutation run from `mutmut results --all true` on standard input.

Usage: mutmut results --all true | python3 scripts/mutation_score.py EQUIVALENT [PATTERN...]

EQUIVALENT lists mutants that cannot change what the program does (one name per
line, then the reason); they are reported apart and do not count. With patterns
(as given to `mutmut run`), only the mutants matching them are scored.
"""

import fnmatch
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

LINE = re.compile(r"^\s*(?P<name>\S+): (?P<status>.+?)\s*$")
# What counts as noticed by the suite.
KILLED = {"killed", "timeout", "caught by type check", "segfault"}
# Not run at all: neither noticed nor missed.
NOT_RUN = {"skipped", "not checked"}


def module_of(name: str) -> str:
    return name.split(".x_")[0].split(".xǁ")[0]


def main() -> int:
    equivalent_file = Path(sys.argv[1])
    patterns = sys.argv[2:]
    equivalent = {}
    if equivalent_file.exists():
        for line in equivalent_file.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, reason = line.partition(" ")
                equivalent[name] = reason.strip()

    by_module: dict[str, Counter] = defaultdict(Counter)
    survivors, equivalents = [], []
    for line in sys.stdin:
        match = LINE.match(line)
        if not match:
            continue
        name, status = match["name"], match["status"]
        if patterns and not any(fnmatch.fnmatch(name, pattern) for pattern in patterns):
            continue
        if status in NOT_RUN:
            continue
        module = module_of(name)
        if name in equivalent:
            by_module[module]["equivalent"] += 1
            equivalents.append((name, status, equivalent[name]))
        elif status in KILLED:
            by_module[module]["killed"] += 1
        else:
            by_module[module]["survived"] += 1
            survivors.append((name, status))

    print("Mutation score (killed / (killed + survived); equivalent mutants left out)")
    total = Counter()
    for module in sorted(by_module):
        counts = by_module[module]
        total.update(counts)
        scored = counts["killed"] + counts["survived"]
        score = 100 * counts["killed"] / scored if scored else 100.0
        print(f"  {module:32} {score:5.1f} %  killed {counts['killed']}, survived {counts['survived']}, equivalent {counts['equivalent']}")
    scored = total["killed"] + total["survived"]
    overall = 100 * total["killed"] / scored if scored else 100.0
    print(f"  {'all':32} {overall:5.1f} %  killed {total['killed']}, survived {total['survived']}, equivalent {total['equivalent']}")
    if survivors:
        print("\nSurvivors (mutmut show NAME):")
        for name, status in survivors:
            print(f"  {name}  [{status}]")
    if equivalents:
        print("\nEquivalent (not counted):")
        for name, status, reason in equivalents:
            print(f"  {name}  [{status}]  {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
