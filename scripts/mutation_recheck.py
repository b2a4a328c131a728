"""Recheck named mutants against a few test files, in one process, faster than a new
`mutmut run` (which first collects coverage again and runs every covering test).

Run from mutants/ (after `scripts/mutation.sh` has made it), with new tests copied in:

    cd mutants && cp ../tests/core/test_x.py tests/core/
    mutmut results --all true | grep survived > /tmp/survivors.txt   (from the project root)
    PYTHONPATH=$PWD DEBUG=1 nice -n 19 ../.venv/bin/python ../scripts/mutation_recheck.py \
        /tmp/survivors.txt tests/core/test_x.py

Prints each mutant's name and pytest's exit code: 1 means a test failed (killed),
0 that every test passed (it survives these tests), "timeout" after a minute.
The mutant is chosen through MUTANT_UNDER_TEST, as mutmut does; everything is
imported once, with no mutant active, before the first one.
"""

import os
import signal
import sys

import pytest

ARGS = ["-x", "-q", "-p", "no:cacheprovider", "--hypothesis-profile=mutation", "--no-header"]


class Timeout(Exception):
    pass


def _alarm(*_):
    raise Timeout()


def main() -> int:
    names = [line.split(":")[0].strip() for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    tests = sys.argv[2:]
    signal.signal(signal.SIGALRM, _alarm)
    quiet = open(os.devnull, "w")
    real = sys.stdout

    def run() -> str:
        sys.stdout = quiet
        signal.alarm(60)
        try:
            return str(int(pytest.main(ARGS + tests)))
        except Timeout:
            return "timeout"
        finally:
            signal.alarm(0)
            sys.stdout = real

    os.environ["MUTANT_UNDER_TEST"] = ""
    print("baseline", run(), flush=True)
    for name in names:
        os.environ["MUTANT_UNDER_TEST"] = name
        print(name, run(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
