"""What a user sees on a bad request, and what the log keeps of a server error."""

import io
import json
import logging
import os
import re
import subprocess
import sys
import unittest
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

PROJECT_DIR = Path(__file__).resolve().parents[1]


def test_a_post_with_too_many_fields_gets_the_swedish_400_page(client_for, personas, settings):
    client = client_for("chief_b")
    plan = personas["plan_b"]
    fields = {f"field{number}": "1" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = client.post(reverse("edit:columns", args=[plan.pk]), fields)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Det gick inte att ta emot det du skickade" in html
    assert "Bad Request" not in html


def test_a_post_larger_than_the_limit_gets_the_swedish_400_page(client_for, personas, settings):
    client = client_for("chief_b")
    plan = personas["plan_b"]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = client.post(reverse("edit:chapters", args=[plan.pk]), {"new-body": "x" * 2000})

    assert response.status_code == 400
    assert "Det gick inte att ta emot det du skickade" in response.content.decode()


@pytest.fixture
def failing_page(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("something broke")

    monkeypatch.setattr("budgets.views.plan_overview", fail)


@pytest.fixture
def error_log():
    """What the configured stderr handler of django.request writes, read from a buffer instead."""
    (handler,) = logging.getLogger("django.request").handlers
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    stream = handler.setStream(buffer)
    yield buffer
    handler.setStream(stream)


def test_a_server_error_is_logged_with_its_path_and_user_but_no_secrets(personas, failing_page, error_log):
    client = Client(raise_request_exception=False)
    client.force_login(personas["chief_a"])
    client.cookies["private"] = "cookie-secret-value"
    url = reverse("budgets:plan", args=[personas["plan_a"].pk])

    response = client.get(url, {"token": "query-secret-value"})

    assert response.status_code == 500
    log = error_log.getvalue()
    (line,) = [line for line in log.splitlines() if "ERROR django.request" in line]
    request_id = response["X-Request-ID"]
    assert line.endswith(
        f"Internal Server Error: {url} [request={request_id} path={url} user={personas['chief_a'].pk}]"
    )
    assert "RuntimeError: something broke" in log
    for secret in ("cookie-secret-value", "query-secret-value", "sessionid"):
        assert secret not in log


# ---------------------------------------------------------------------------
# Request ids and the access line


def test_every_answer_carries_a_request_id_and_keeps_a_proxys_well_formed_one(client, db):
    fresh = client.get(reverse("login"))
    assert re.fullmatch(r"[0-9a-f]{32}", fresh["X-Request-ID"])
    assert client.get(reverse("login"))["X-Request-ID"] != fresh["X-Request-ID"]

    given = client.get(reverse("login"), headers={"X-Request-ID": "7f3c9a1e-nginx.42"})
    assert given["X-Request-ID"] == "7f3c9a1e-nginx.42"

    for malformed in ("has space", "x" * 65, "line\nbreak", "<script>", ""):
        answer = client.get(reverse("login"), headers={"X-Request-ID": malformed})
        assert re.fullmatch(r"[0-9a-f]{32}", answer["X-Request-ID"]), malformed


def test_each_request_writes_one_access_line_with_its_id_status_and_time(personas, client_for):
    client = client_for("chief_a")
    url = reverse("budgets:plan", args=[personas["plan_a"].pk])
    with unittest.TestCase().assertLogs("finsam.access", "INFO") as logged:
        response = client.get(url)
        missing = client.get("/plan/999999/")

    first, second = logged.records
    assert (first.method, first.path, first.status) == ("GET", url, 200)
    assert first.getMessage() == f"GET {url} 200"
    assert first.request_id == response["X-Request-ID"]
    assert first.user_id == personas["chief_a"].pk
    assert 0 < first.duration_ms < 60_000
    assert (second.status, second.request_id) == (404, missing["X-Request-ID"])


def test_production_logs_are_json_lines_with_the_request_context(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key not in {"FINSAM_TESTING", "DEBUG", "LOG_FORMAT"}}
    environment |= {
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "plan.example.se",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'log.sqlite3'}",
        "ACCESS_LOG": "1",
    }
    code = (
        "import logging; logging.getLogger('finsam.access').info('GET /x 200', extra={'status': 200});"
        "logging.getLogger('budgets').error('nothing to say')"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=PROJECT_DIR, env=environment, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    access, error = (json.loads(line) for line in result.stderr.splitlines())
    assert access["message"] == "GET /x 200" and access["status"] == 200
    assert (access["level"], access["logger"], access["request_id"], access["path"]) == ("INFO", "finsam.access", "-", "-")
    assert (error["level"], error["logger"], error["message"]) == ("ERROR", "budgets", "nothing to say")
    assert re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", error["time"])
