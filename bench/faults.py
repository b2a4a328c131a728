"""Fault script: the database goes away under a running app, then comes back.

Starts gunicorn (DEBUG off) on its own PostgreSQL database, signs a chief in,
stops this machine's PostgreSQL cluster, checks that pages answer 503 with the
Swedish page and the health endpoint 503, starts PostgreSQL again and checks
that the same gunicorn processes serve the plan page again without a restart.

    .venv/bin/python bench/faults.py

Needs root (it runs pg_ctlcluster) and stops PostgreSQL for a few seconds:
run it on its own, not while tests use the database.
"""

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.serve import Session, gunicorn, plan_ids, prepare_database  # noqa: E402

PORT = 8791
DATABASE = "finsam_faults"


def cluster(action: str) -> None:
    version = sorted(path.name for path in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action], check=True,
                   capture_output=True)


def timed(session, path):
    started = time.perf_counter()
    response = session.get(path)
    return response, (time.perf_counter() - started) * 1000


def main():
    environment = prepare_database(DATABASE)
    with gunicorn(environment, PORT, workers=2, threads=2):
        plan = plan_ids(PORT)["Södra Vätterbygden"]
        chief = Session(PORT, timeout=20)
        chief.sign_in("chef-sodra-vatterbygden", "chef-sodra-vatterbygden-demo")
        response, elapsed = timed(chief, f"/plan/{plan}/")
        print(f"before:  plan page {response.status} in {elapsed:.0f} ms; health {Session(PORT).get('/halsa/').status}")
        assert response.status == 200

        cluster("stop")
        try:
            down_started = time.perf_counter()
            for attempt in range(3):
                response, elapsed = timed(chief, f"/plan/{plan}/")
                swedish = "Finsam Plan är tillfälligt otillgänglig" in response.text
                print(f"down:    plan page {response.status} in {elapsed:.0f} ms, Swedish page: {swedish}, "
                      f"Retry-After: {response.headers.get('Retry-After')}")
                assert response.status == 503 and swedish
            health = Session(PORT).get("/halsa/")
            print(f"down:    health {health.status} {health.text}")
            assert health.status == 503
            save = chief.post(f"/plan/{plan}/nasta-ar/", {})
            print(f"down:    a save (roll forward) {save.status}")
            assert save.status == 503
        finally:
            cluster("start")
        print(f"database away for {time.perf_counter() - down_started:.1f} s")

        recovered_started = time.perf_counter()
        while Session(PORT).get("/halsa/").status != 200:
            time.sleep(0.2)
            if time.perf_counter() - recovered_started > 60:
                raise SystemExit("no recovery within 60 s")
        response, elapsed = timed(chief, f"/plan/{plan}/")
        print(f"after:   health 200 {time.perf_counter() - recovered_started:.1f} s after PostgreSQL started; "
              f"plan page {response.status} in {elapsed:.0f} ms, same gunicorn, no restart")
        assert response.status == 200 and "11 845 500" in response.text
    print("faults: 0 unexpected answers")


if __name__ == "__main__":
    main()
