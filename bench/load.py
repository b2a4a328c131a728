"""Load script: 50 simulated users for 60 seconds against two gunicorn instances and
one task worker on PostgreSQL.

Each user's requests alternate between the two instances, as a load balancer would
send them (sessions, throttling, the task queue and the PDFs are shared through the
database and the storage). Twenty chiefs edit the three draft demo plans (read the
plan page and the contributions grid, save a changed contribution) and now and then
download their draft's PDF, which the worker renders afresh after each change (the
time counted is until the PDF arrives); thirty board members read (start page, plan
page, history) and download the adopted plan's kept PDF. Prints requests per second,
median and 95th percentile latency and errors, pages, saves and PDFs apart, and checks
that concurrent saves lost nothing: every accepted save raised its plan's version by
exactly one, and every refused one changed nothing.

    .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--think 2 6]

--think is how long a simulated person waits between actions (seconds, drawn
between the two figures): 2–6 s by default, as a person reads a page before the
next click; --think 0.2 1 makes a stress test that shows the machine's capacity.

Only 127.0.0.1; the request loops stop by themselves at the deadline.
"""

import argparse
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.serve import POSTGRES, Session, gunicorn, plan_ids, prepare_database, task_worker  # noqa: E402
from tests.forms import form_fields  # noqa: E402

PORT = 8792
DATABASE = "finsam_load"
DRAFTS = {"Höglandet": "chef-hoglandet", "Sjuhärad": "chef-sjuharad", "Sydöstra Skåne": "chef-sydostra-skane"}
# 409: a save made from an old version, refused with the current values; 202: the page
# saying the PDF is being made by the task worker.
EXPECTED = {200, 202, 302, 409}
PDF_WAIT_SECONDS = 120
SERVERS = 2


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = defaultdict(list)  # kind -> [(seconds, status)]
        self.saves = defaultdict(lambda: {"accepted": 0, "refused": 0})

    def add(self, kind, seconds, status):
        with self.lock:
            self.samples[kind].append((seconds, status))

    def save(self, plan, accepted):
        with self.lock:
            self.saves[plan]["accepted" if accepted else "refused"] += 1


def timed(recorder, kind, call):
    started = time.perf_counter()
    try:
        response = call()
        status = response.status
    except OSError:
        response, status = None, 0
    recorder.add(kind, time.perf_counter() - started, status)
    return response


def chief(port, username, plan, start, recorder, think):
    session = Session(port)
    session.sign_in(username, f"{username}-demo")
    deadline = start()
    while time.monotonic() < deadline:
        timed(recorder, "page", lambda: session.get(f"/plan/{plan}/"))
        page = timed(recorder, "page", lambda: session.get(f"/plan/{plan}/bidrag/"))
        if page is None or page.status != 200:
            continue
        shown = form_fields(page.text, form_id="contributions-form")
        amounts = [name for name in shown if "-amount-" in name and shown[name]]
        if not amounts:
            continue
        field = random.choice(amounts)
        fields = dict(shown, **{field: f"{random.randint(100, 900)} {random.randint(0, 999):03d}"})
        response = timed(recorder, "save", lambda: session.request("POST", f"/plan/{plan}/bidrag/", fields))
        if response is not None and response.status in (302, 409):
            recorder.save(plan, accepted=response.status == 302)
        if random.random() < 0.3:
            timed(recorder, "draft pdf", lambda: draft_pdf(session, plan))
        time.sleep(random.uniform(*think))  # a person reads before the next change


def draft_pdf(session, plan):
    """The draft's PDF as a reader gets it: asked for, then asked again (as the waiting
    page does) until the worker has rendered it."""
    deadline = time.monotonic() + PDF_WAIT_SECONDS
    while True:
        response = session.get(f"/plan/{plan}/pdf/")
        if response.status != 202 or time.monotonic() > deadline:
            return response
        time.sleep(0.5)


def board_member(port, plan, start, recorder, think):
    session = Session(port, timeout=60)
    session.sign_in("styrelse", "styrelse-demo")
    deadline = start()
    while time.monotonic() < deadline:
        timed(recorder, "page", lambda: session.get("/"))
        timed(recorder, "page", lambda: session.get(f"/plan/{plan}/"))
        if random.random() < 0.3:
            timed(recorder, "page", lambda: session.get(f"/plan/{plan}/historik/"))
        if random.random() < 0.3:
            timed(recorder, "pdf", lambda: session.get(f"/plan/{plan}/pdf/"))
        time.sleep(random.uniform(*think))


def versions(environment):
    """Each plan's edit version, read straight from the database."""
    result = subprocess.run(
        ["psql", environment["DATABASE_URL"], "-Atc", "SELECT id, version FROM budgets_plan"],
        capture_output=True, text=True, check=True,
    )
    return {int(pk): int(version) for pk, version in (line.split("|") for line in result.stdout.split())}


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(recorder, seconds):
    print(f"{'requests':<10} {'count':>6} {'per s':>7} {'median':>9} {'p95':>9} {'max':>9} {'errors':>7}")
    for kind in ("page", "save", "pdf", "draft pdf"):
        samples = recorder.samples.get(kind, [])
        if not samples:
            continue
        timings = [seconds_taken * 1000 for seconds_taken, _status in samples]
        errors = sum(1 for _seconds, status in samples if status not in EXPECTED)
        print(f"{kind:<10} {len(samples):6d} {len(samples) / seconds:7.1f} {statistics.median(timings):7.0f}ms "
              f"{percentile(timings, 0.95):7.0f}ms {max(timings):7.0f}ms {errors:7d}")
    everything = [sample for samples in recorder.samples.values() for sample in samples]
    errors = sum(1 for _seconds, status in everything if status not in EXPECTED)
    print(f"{'all':<10} {len(everything):6d} {len(everything) / seconds:7.1f}{'':>30} {errors:7d}")
    return errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--think", type=float, nargs=2, default=[2.0, 6.0], metavar=("FROM", "TO"))
    options = parser.parse_args()
    chiefs = options.users * 2 // 5
    boards = options.users - chiefs

    environment = prepare_database(DATABASE)
    ports = tuple(PORT + number for number in range(SERVERS))
    with ExitStack() as running:
        for port in ports:
            running.enter_context(gunicorn(environment, port, workers=2, threads=4))
        running.enter_context(task_worker(environment))
        ids = plan_ids(PORT)
        adopted = ids["Södra Vätterbygden"]
        drafts = {ids[name]: username for name, username in DRAFTS.items()}
        before = versions(environment)
        Session(PORT).get("/halsa/")
        recorder = Recorder()
        # The measured minute starts once everyone has signed in: fifty sign-ins at the same
        # moment (password hashing is slow on purpose) are a different test.
        gate = threading.Barrier(options.users + 1)
        begun = {}

        def start():
            gate.wait()
            return begun.setdefault("deadline", time.monotonic() + options.seconds)

        threads = [
            threading.Thread(target=chief, args=(ports, username, plan, start, recorder, options.think))
            for index, (plan, username) in zip(range(chiefs), [*drafts.items()] * chiefs)
        ] + [threading.Thread(target=board_member, args=(ports, adopted, start, recorder, options.think)) for _ in range(boards)]
        signing_in = time.monotonic()
        for thread in threads:
            thread.start()
        gate.wait()
        started = time.monotonic()
        print(f"{len(threads)} sign-ins at once took {started - signing_in:.1f} s")
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        after = versions(environment)

    print(f"{len(threads)} users ({chiefs} chiefs editing three draft plans, {boards} board members reading), "
          f"{options.think[0]:g}–{options.think[1]:g} s between actions, for {elapsed:.0f} s "
          f"against {SERVERS} gunicorn instances (2 workers x 4 threads each) and one task worker on PostgreSQL {POSTGRES}")
    errors = report(recorder, elapsed)
    lost = 0
    for plan, counts in sorted(recorder.saves.items()):
        raised = after[plan] - before[plan]
        ok = raised == counts["accepted"]
        lost += 0 if ok else 1
        print(f"plan {plan}: {counts['accepted']} saves accepted, {counts['refused']} refused as stale; "
              f"version raised by {raised}: {'nothing lost' if ok else 'MISMATCH'}")
    sys.exit(1 if errors or lost else 0)


if __name__ == "__main__":
    main()
