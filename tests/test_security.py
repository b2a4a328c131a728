"""Sign-in throttling, security headers, deployment checks, health and database faults."""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

PROJECT_DIR = Path(__file__).resolve().parents[1]


def test_login_is_throttled_after_five_failures(client, settings, django_user_model):
    settings.AXES_ENABLED = True
    django_user_model.objects.create_user("anna", password="right-password-1")
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "anna", "password": "wrong"})
        assert response.status_code == 200
        assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()
    # The fifth failure locks the account for this address ...
    assert client.post(reverse("login"), {"username": "anna", "password": "wrong"}).status_code == 429

    # ... so that even the right password is refused for a while.
    response = client.post(reverse("login"), {"username": "anna", "password": "right-password-1"})

    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_before_the_limit_still_works(client, settings, django_user_model):
    settings.AXES_ENABLED = True
    django_user_model.objects.create_user("anna", password="right-password-1")
    for _ in range(3):
        client.post(reverse("login"), {"username": "anna", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "anna", "password": "right-password-1"})
    assert response.status_code == 302


def test_pages_carry_the_security_headers(client, db):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_state_changes_need_a_csrf_token(personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["chief_a"])
    response = client.post(reverse("budgets:roll_forward", args=[personas["plan_a"].pk]))
    assert response.status_code == 403


def test_deployment_checks_are_silent_with_production_settings(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        # Nothing of the test run's own settings: the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE included.
        if key not in {"FINSAM_TESTING", "SECURE_SSL_REDIRECT", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment |= {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "plan.example.se",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key not in {"FINSAM_TESTING", "SECRET_KEY", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT_DIR, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment when DEBUG is off." in result.stderr


def test_the_health_endpoint_reports_the_database(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok", "database": "ok", "tasks": {"status": "ok", "waiting": 0, "oldest_seconds": 0}
    }


def test_the_health_endpoint_reports_a_task_queue_that_waits_too_long(client, db):
    from datetime import timedelta

    from django.tasks import task_backends
    from django.test import override_settings
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from reports.tasks import render_plan_pdf

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}):
        task_backends["default"]  # the database backend, as in production
        render_plan_pdf.enqueue(1)
        render_plan_pdf.enqueue(2)
    assert client.get(reverse("health")).json()["tasks"]["status"] == "ok"
    # The worker is down: the oldest task has waited six minutes.
    DBTaskResult.objects.filter(args_kwargs__args=[1]).update(enqueued_at=timezone.now() - timedelta(minutes=6))

    response = client.get(reverse("health"))

    assert response.status_code == 200
    tasks = response.json()["tasks"]
    assert (tasks["status"], tasks["waiting"]) == ("delayed", 2)
    assert 360 <= tasks["oldest_seconds"] < 420


def test_the_health_endpoint_says_503_when_the_database_is_away(client, db):
    with mock.patch("finsam.views.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}


def test_a_page_answers_503_in_swedish_when_the_database_is_away(client_for, personas):
    client = client_for("chief_a")
    with mock.patch("budgets.views.plan_overview", side_effect=OperationalError("server closed the connection")):
        response = client.get(reverse("budgets:plan", args=[personas["plan_a"].pk]))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Finsam Plan är tillfälligt otillgänglig" in response.content.decode()
    # And the next request, with the database back, works again.
    assert client.get(reverse("budgets:plan", args=[personas["plan_a"].pk])).status_code == 200


@pytest.mark.parametrize("status, heading", [(404, "Sidan finns inte"), (403, "Det här får du inte göra")])
def test_error_pages_are_in_swedish(client_for, personas, status, heading):
    client = client_for("chief_b" if status == 404 else "board_a")
    if status == 404:
        response = client.get(reverse("budgets:plan", args=[personas["plan_a"].pk]))
    else:
        response = client.post(reverse("budgets:roll_forward", args=[personas["plan_a"].pk]))
    assert response.status_code == status
    assert heading in response.content.decode()


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the connection pool is PostgreSQL's"
)
def test_database_pool_size_gives_each_process_a_pool_of_that_many_connections(db):
    from django.db import connection

    database = connection.settings_dict["NAME"]  # the test run's own database
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{database}"
    environment = dict(os.environ, DATABASE_URL=url, DATABASE_POOL_SIZE="3", CONN_MAX_AGE="60")
    code = (
        "from django.db import connection; connection.ensure_connection();"
        "print(type(connection.pool).__name__, connection.pool.max_size, connection.settings_dict['CONN_MAX_AGE'])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=PROJECT_DIR, env=environment, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["ConnectionPool", "3", "0"]
