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
    assert response.json() == {"status": "ok", "database": "ok"}


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
