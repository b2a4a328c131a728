"""A production-like Finsam Plan on this machine for the load and fault scripts:
gunicorn with DEBUG off on its own PostgreSQL database, and a small HTTP client
that signs in the way a browser behind the TLS proxy would.

Used by bench/load.py and bench/faults.py; only addresses on this machine.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import subprocess
import sys
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

PROJECT_DIR = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
POSTGRES = "postgres://postgres@127.0.0.1:5432"


def server_environment(database: str) -> dict:
    environment = {key: value for key, value in os.environ.items() if key not in {"FINSAM_TESTING", "DEBUG"}}
    environment |= {
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        # The client below speaks HTTP on loopback and says, as the TLS proxy would, that it is HTTPS.
        "SECURE_SSL_REDIRECT": "0",
        # As in production: a pool of connections per process, one per thread.
        "DATABASE_POOL_SIZE": "4",
        # The access lines would bury the figures on the console.
        "ACCESS_LOG": "0",
        # Fifty simulated users share one address; throttling is for sign-in guessing, not for them.
        "AXES_FAILURE_LIMIT": "1000",
    }
    return environment


def psql(command: str) -> None:
    subprocess.run(["psql", f"{POSTGRES}/postgres", "-qc", command], check=True, capture_output=True)


def prepare_database(database: str) -> dict:
    """A fresh database with the demo data; returns the server's environment."""
    psql(f"DROP DATABASE IF EXISTS {database}")
    psql(f"CREATE DATABASE {database}")
    environment = server_environment(database)
    python = str(PROJECT_DIR / ".venv" / "bin" / "python")
    for command in (["migrate", "--noinput"], ["loaddemo"], ["collectstatic", "--noinput"]):
        subprocess.run([python, "manage.py", *command], cwd=PROJECT_DIR, env=environment, check=True,
                       capture_output=True)
    return environment


@contextmanager
def gunicorn(environment: dict, port: int, workers: int = 4, threads: int = 4):
    process = subprocess.Popen(
        [str(PROJECT_DIR / ".venv" / "bin" / "gunicorn"), "finsam.wsgi", "--bind", f"{HOST}:{port}",
         "--workers", str(workers), "--threads", str(threads), "--timeout", "60", "--log-level", "warning"],
        cwd=PROJECT_DIR, env=environment,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if Session(port).get("/halsa/").status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def task_worker(environment: dict):
    """The task worker that renders the PDFs, beside the server."""
    process = subprocess.Popen(
        [str(PROJECT_DIR / ".venv" / "bin" / "python"), "manage.py", "db_worker", "--interval", "0.2"],
        cwd=PROJECT_DIR, env=environment,
    )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=150)


class Response:
    def __init__(self, status: int, body: bytes, headers):
        self.status = status
        self.body = body
        self.headers = headers

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Session:
    """One user's connection: keeps its cookies and sends what the TLS proxy would add."""

    def __init__(self, port: int | tuple[int, ...], timeout: float = 30):
        # Several ports: each request goes to the next, as a load balancer would send them.
        self.ports = (port,) if isinstance(port, int) else tuple(port)
        self.port = self.ports[0]
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connections: dict[int, http.client.HTTPConnection] = {}
        self._turn = 0

    def _connection(self):
        if self.port not in self.connections:
            self.connections[self.port] = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        return self.connections[self.port]

    def request(self, method: str, path: str, fields: dict | None = None) -> Response:
        self.port = self.ports[self._turn % len(self.ports)]
        self._turn += 1
        headers = {"X-Forwarded-Proto": "https", "Origin": f"https://{HOST}:{self.port}",
                   "Referer": f"https://{HOST}:{self.port}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                connection = self._connection()
                connection.request(method, path, body=body, headers=headers)
                raw = connection.getresponse()
                data = raw.read()
                break
            except (http.client.HTTPException, ConnectionError):
                # A keep-alive connection the server closed: open a new one, once.
                self.close()
                if attempt == 2:
                    raise
        for header in raw.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return Response(raw.status, data, raw.headers)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, fields: dict) -> Response:
        return self.request("POST", path, {"csrfmiddlewaretoken": self.csrf_token(), **fields})

    def csrf_token(self) -> str:
        if "csrftoken" not in self.cookies:
            self.get("/konto/logga-in/")
        return self.cookies["csrftoken"]

    def sign_in(self, username: str, password: str) -> None:
        page = self.get("/konto/logga-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = self.request("POST", "/konto/logga-in/",
                                {"csrfmiddlewaretoken": token, "username": username, "password": password})
        if response.status != 302:
            raise RuntimeError(f"sign-in as {username} failed: {response.status}")

    def close(self):
        connection = self.connections.pop(self.port, None)
        if connection is not None:
            connection.close()


def plan_ids(port: int) -> dict[str, int]:
    """Plan ids by federation, read from the start page of an accountant."""
    session = Session(port)
    session.sign_in("ekonom", "ekonom-demo")
    page = session.get("/").text
    return {name: int(pk) for pk, name in re.findall(r'<a href="/plan/([0-9]+)/">([^<]+)</a>', page)}


if __name__ == "__main__":
    sys.exit("run bench/load.py or bench/faults.py")
