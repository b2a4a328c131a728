"""What a user sees on a bad request, and what the log keeps of a server error."""

import io
import logging

import pytest
from django.test import Client
from django.urls import reverse


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
    assert line.endswith(f"Internal Server Error: {url} [path={url} user={personas['chief_a'].pk}]")
    assert "RuntimeError: something broke" in log
    for secret in ("cookie-secret-value", "query-secret-value", "sessionid"):
        assert secret not in log
