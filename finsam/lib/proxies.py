"""How the sign-in throttle finds the client's address behind trusted reverse proxies."""


def client_address_settings(trusted_proxy_count: int) -> dict:
    """django-axes' ipware settings for `trusted_proxy_count` proxies in front of the app.

    Anyone can send an X-Forwarded-For header, so it counts only behind trusted
    proxies, each of which appends the address it received the request from
    (nginx's $proxy_add_x_forwarded_for). The client is then the entry
    `trusted_proxy_count` places from the right; whatever a client wrote to the
    left of it is ignored. The last proxy is the peer (REMOTE_ADDR) rather than
    an entry, hence ipware's count of one less. Without trusted proxies only the
    peer's address counts.
    """
    if trusted_proxy_count < 0:
        raise ValueError("the number of trusted proxies is 0 or more")
    if trusted_proxy_count == 0:
        return {
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"],
            "AXES_IPWARE_PROXY_COUNT": None,
            "AXES_IPWARE_PROXY_ORDER": "left-most",
            "IPWARE_STRICT": False,
        }
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
        "AXES_IPWARE_PROXY_COUNT": trusted_proxy_count - 1,
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        # A longer chain than expected (entries a client added) still names the client
        # by its place from the right; strict mode would fall back to the proxy's address.
        "IPWARE_STRICT": False,
    }


def client_ip_address(request) -> str | None:
    """The address the sign-in throttle locks (django-axes' AXES_CLIENT_IP_CALLABLE).

    django-ipware with axes' own settings (see `client_address_settings`); when
    the forwarded chain is shorter than the trusted proxies make it, ipware
    finds no client, and the peer's address is used rather than none: a lock on
    "no address" would lock a user out for everyone.
    """
    from django.conf import settings
    from ipware.ip import get_client_ip

    address, _routable = get_client_ip(
        request,
        proxy_order=settings.AXES_IPWARE_PROXY_ORDER,
        proxy_count=settings.AXES_IPWARE_PROXY_COUNT,
        proxy_trusted_ips=settings.AXES_IPWARE_PROXY_TRUSTED_IPS,
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    )
    return address or request.META.get("REMOTE_ADDR")
