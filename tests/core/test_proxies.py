"""The sign-in throttle's client address (finsam/lib/proxies.py) without a server or a
database: ipware's settings for 0, 1 and 2 trusted proxies, and the address read from a
request with them. tests/test_client_address.py signs in through the throttle itself."""

import pytest
from django.test import RequestFactory, override_settings

from finsam.lib.proxies import client_address_settings, client_ip_address

pytestmark = pytest.mark.core


def test_without_a_trusted_proxy_only_the_peer_counts():
    assert client_address_settings(0) == {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"],
        "AXES_IPWARE_PROXY_COUNT": None,
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        "IPWARE_STRICT": False,
    }


@pytest.mark.parametrize("count", [1, 2, 3])
def test_behind_trusted_proxies_the_forwarded_chain_counts_from_the_right(count):
    assert client_address_settings(count) == {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
        "AXES_IPWARE_PROXY_COUNT": count - 1,
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        "IPWARE_STRICT": False,
    }


def test_a_negative_number_of_proxies_is_refused_with_its_reason():
    with pytest.raises(ValueError, match="^the number of trusted proxies is 0 or more$"):
        client_address_settings(-1)


@pytest.mark.parametrize(
    "proxies, forwarded, address",
    [
        # No trusted proxy: whatever a client writes is ignored.
        (0, "203.0.113.9", "198.51.100.7"),
        (0, None, "198.51.100.7"),
        # One proxy, the peer: the last entry it appended is the client.
        (1, "81.2.69.160", "81.2.69.160"),
        (1, "192.0.2.10, 81.2.69.160", "81.2.69.160"),
        # Two: the second entry from the right.
        (2, "81.2.69.160, 172.16.0.9", "81.2.69.160"),
        (2, "192.0.2.10, 81.2.69.160, 172.16.0.9", "81.2.69.160"),
        # A chain shorter than the proxies make it: the peer rather than no address.
        (2, "81.2.69.160", "198.51.100.7"),
    ],
)
def test_the_address_the_throttle_locks(proxies, forwarded, address):
    meta = {"REMOTE_ADDR": "198.51.100.7"}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(**client_address_settings(proxies), AXES_IPWARE_PROXY_TRUSTED_IPS=None):
        assert client_ip_address(RequestFactory().post("/", **meta)) == address


def test_a_chain_through_a_proxy_not_among_the_trusted_addresses_counts_for_nothing():
    meta = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "81.2.69.160, 172.16.0.9"}
    for trusted, address in [(["172.16.0.9"], "81.2.69.160"), (["10.9.9.9"], "198.51.100.7")]:
        with override_settings(**client_address_settings(2), AXES_IPWARE_PROXY_TRUSTED_IPS=trusted):
            assert client_ip_address(RequestFactory().post("/", **meta)) == address
