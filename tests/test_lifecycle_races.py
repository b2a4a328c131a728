"""Eight people pressing "Ny revision" or "Ny plan för nästa år" at once: one plan is made,
and every one of them lands on it; nobody sees a server error.

Real concurrency needs real transactions and a database that runs them side by
side: PostgreSQL. SQLite serialises every write, so there is no race to test.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from budgets.models import Plan

PEOPLE = 8

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the race needs concurrent transactions (PostgreSQL)")


def post_at_once(user, url, data=None) -> list:
    """POST `url` (with `data`) from PEOPLE signed-in clients at the same moment; their responses."""
    clients = []
    for _ in range(PEOPLE):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    start = threading.Barrier(PEOPLE)
    responses = [None] * PEOPLE

    def press(index):
        try:
            start.wait()
            responses[index] = clients[index].post(url, data or {})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(index,)) for index in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return responses


def test_simultaneous_new_revisions_make_one_and_all_land_on_it(personas):
    adopted = personas["plan_a"]

    responses = post_at_once(personas["chief_a"], reverse("budgets:revise", args=[adopted.pk]))

    (revision,) = Plan.objects.filter(federation=adopted.federation, year=adopted.year, revision__gt=1)
    assert revision.revision == 2
    assert [response.status_code for response in responses] == [302] * PEOPLE
    assert {response["Location"] for response in responses} == {reverse("budgets:plan", args=[revision.pk])}


def test_simultaneous_roll_forwards_make_one_plan_and_all_land_on_it(personas):
    plan = personas["plan_a"]

    # Each has confirmed on the confirmation page.
    responses = post_at_once(personas["chief_a"], reverse("budgets:roll_forward", args=[plan.pk]), {"confirmed": "yes"})

    (next_year,) = Plan.objects.filter(federation=plan.federation, year=plan.year + 1)
    assert [response.status_code for response in responses] == [302] * PEOPLE
    assert {response["Location"] for response in responses} == {reverse("budgets:plan", args=[next_year.pk])}

