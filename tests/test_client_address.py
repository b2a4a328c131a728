"""The sign-in throttle locks the address a failure came from: the peer's, or the
client's as the trusted proxy in front of the app reports it, never an address
a client wrote itself."""

import pytest
from django.urls import reverse

from finsam.lib.proxies import client_address_settings

PROXY = "10.0.0.2"
LIMIT = 5


@pytest.fixture
def anna(db, settings, django_user_model):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT
    return django_user_model.objects.create_user("anna", password="right-password-1")


def behind_proxies(settings, count):
    for name, value in client_address_settings(count).items():
        setattr(settings, name, value)


def sign_in(client, password, **meta):
    return client.post(reverse("login"), {"username": "anna", "password": password}, **meta)


def test_without_a_trusted_proxy_a_forged_header_cannot_dodge_the_lock(client, settings, anna):
    behind_proxies(settings, 0)
    for attempt in range(LIMIT):
        response = sign_in(client, "wrong", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")
    assert response.status_code == 429

    # A new forged address the next time changes nothing: the peer is locked.
    response = sign_in(client, "right-password-1", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


def test_without_a_trusted_proxy_a_forged_header_cannot_lock_someone_else(client, settings, anna):
    behind_proxies(settings, 0)
    for _ in range(LIMIT):
        sign_in(client, "wrong", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="192.0.2.10")

    # Anna, at the address the attacker wrote, still signs in.
    response = sign_in(client, "right-password-1", REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302


def test_behind_a_proxy_failures_from_one_client_do_not_lock_another(client, settings, anna):
    behind_proxies(settings, 1)
    for _ in range(LIMIT):
        response = sign_in(client, "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429
    assert sign_in(client, "right-password-1", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429

    # Anna, from her own address through the same proxy, signs in.
    response = sign_in(client, "right-password-1", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert response.status_code == 302


def test_behind_a_proxy_what_a_client_adds_to_the_header_is_ignored(client, settings, anna):
    behind_proxies(settings, 1)
    # The proxy appends the address it saw; the attacker varies what comes before it.
    for attempt in range(LIMIT):
        response = sign_in(
            client, "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 198.51.100.7"
        )
    assert response.status_code == 429
    response = sign_in(
        client, "right-password-1", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.10, 198.51.100.7"
    )
    assert response.status_code == 429

    # Naming Anna's address in front of its own cannot lock her out.
    response = sign_in(client, "right-password-1", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert response.status_code == 302


@pytest.mark.parametrize("count", [-1])
def test_a_negative_number_of_proxies_is_refused(count):
    with pytest.raises(ValueError):
        client_address_settings(count)


def test_a_chain_shorter_than_the_proxies_make_it_falls_back_to_the_peer(rf, settings):
    from finsam.lib.proxies import client_ip_address

    behind_proxies(settings, 2)
    request = rf.post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip_address(request) == PROXY
    request = rf.post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="81.2.69.160, 172.16.0.9")
    assert client_ip_address(request) == "81.2.69.160"
