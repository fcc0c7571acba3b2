"""Fetching documents over HTTP without ever being turned against the network we run in (SSRF).

The guard sits in httpcore's network backend, the one place every connection goes through: the host
is resolved once, every address it resolves to must be public, and the socket connects to the
address that was checked (no second DNS lookup, so no DNS rebinding). Redirects are followed here,
hop by hop, so each hop's connection passes the same guard. TLS still verifies the certificate and
sends SNI for the host name, since httpcore starts TLS with the URL's host.

Only the setting FETCH_ALLOWED_ADDRESSES (empty by default; the test suite sets 127.0.0.1 for its
local server) can let an otherwise refused address through.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx
from django.conf import settings

USER_AGENT = "ConductAtlasBot/1.0 (+https://github.com/conductatlas; archives public terms and policies)"
MAX_REDIRECTS = 5
SUPPORTED_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "application/pdf": "pdf",
}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class FetchError(Exception):
    """A fetch that failed, with the failure label recorded on its Check."""

    def __init__(self, label: str, detail: str) -> None:
        super().__init__(detail)
        self.label = label
        self.detail = detail


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    status: int
    content: bytes
    content_type: str

    @property
    def kind(self) -> str:
        return SUPPORTED_TYPES[self.content_type]


def system_resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for host (inet_aton spellings such as 0x7f000001 included)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    # IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::/96) addresses carry an IPv4 address too.
    if address in ipaddress.IPv6Network("::/96") or address in ipaddress.IPv6Network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_refusal(address: str) -> str | None:
    """Why this address may not be fetched from, or None when it is a public unicast address."""
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"{address!r} is not an IP address"
    allowed = getattr(settings, "FETCH_ALLOWED_ADDRESSES", [])
    if any(ip in ipaddress.ip_network(network, strict=False) for network in allowed):
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            reason = address_refusal(str(embedded))
            return f"{ip} embeds {embedded}: {reason}" if reason else None
    for attribute, label in (
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local (cloud metadata lives here)"),
        ("is_multicast", "multicast"),
        ("is_unspecified", "unspecified"),
        ("is_reserved", "reserved"),
        ("is_private", "private"),
    ):
        if getattr(ip, attribute):
            return f"{ip} is a {label} address"
    if not ip.is_global:
        return f"{ip} is not a public address"
    return None


class GuardedBackend(httpcore.SyncBackend):
    """Resolves, checks and connects to the checked address: the SSRF guard of every connection."""

    def __init__(self, resolver: Resolver | None = None) -> None:
        self.resolver = resolver or system_resolve

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = self.resolver(host, port)
        except (socket.gaierror, UnicodeError) as error:
            raise FetchError("dns", f"{host} does not resolve: {error}") from error
        if not addresses:
            raise FetchError("dns", f"{host} resolves to no address")
        refusals = [reason for reason in map(address_refusal, addresses) if reason]
        if refusals:
            raise FetchError("blocked_address", f"{host}: {refusals[0]}")
        return super().connect_tcp(
            addresses[0], port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with the guarded network backend (httpcore's documented extension point)."""

    def __init__(self, *, resolver: Resolver | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=10,
            max_keepalive_connections=0,
            network_backend=GuardedBackend(resolver),
        )


def fetch_client(*, resolver: Resolver | None = None) -> httpx.Client:
    timeouts = getattr(settings, "FETCH_TIMEOUTS", {"connect": 10.0, "read": 20.0, "write": 10.0, "pool": 5.0})
    return httpx.Client(
        transport=GuardedTransport(resolver=resolver),
        timeout=httpx.Timeout(**timeouts),
        follow_redirects=False,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,text/plain,text/markdown,application/pdf;q=0.9,*/*;q=0.1",
            "Accept-Encoding": "gzip, deflate, br",
        },
        trust_env=False,
    )


def _status_label(status: int) -> str:
    if status in (403, 404, 429):
        return f"http_{status}"
    if status >= 500:
        return "http_5xx"
    return "http_other"


def _check_url(url: httpx.URL) -> None:
    if url.scheme not in ("http", "https"):
        raise FetchError("blocked_address", f"{url.scheme!r} URLs are not fetched: only http and https")
    if not url.host:
        raise FetchError("dns", f"{url} has no host")


def url_fetch(*, url: str, client: httpx.Client | None = None, max_bytes: int | None = None) -> FetchResult:
    """GET url, following at most 5 redirects, each hop guarded; the body is capped at max_bytes decoded."""
    cap = max_bytes if max_bytes is not None else int(settings.FETCH_MAX_BYTES)
    deadline = time.monotonic() + getattr(settings, "FETCH_TOTAL_SECONDS", 60.0)
    own_client = client is None
    client = client or fetch_client()
    try:
        try:
            current = httpx.URL(url)
        except httpx.InvalidURL as error:
            raise FetchError("invalid_url", f"{url!r} is not a valid URL: {error}") from error
        for _hop in range(MAX_REDIRECTS + 1):
            _check_url(current)
            with client.stream("GET", current) as response:
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    if not location:
                        raise FetchError("http_other", f"{current} redirects without a Location")
                    try:
                        current = current.join(location)
                    except httpx.InvalidURL as error:
                        raise FetchError("invalid_url", f"{current} redirects to an invalid URL: {error}") from error
                    continue
                if response.status_code >= 400:
                    raise FetchError(_status_label(response.status_code), f"{current} answered {response.status_code}")
                content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if content_type not in SUPPORTED_TYPES:
                    raise FetchError("unsupported_type", f"{current} is {content_type or 'untyped'}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > cap:
                    raise FetchError("too_large", f"{current} declares {declared} bytes, over the {cap}-byte cap")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > cap:
                        raise FetchError("too_large", f"{current} is over the {cap}-byte cap")
                    if time.monotonic() > deadline:
                        raise FetchError("timeout", f"{current} took too long to send its body")
                return FetchResult(
                    url=url,
                    final_url=str(current),
                    status=response.status_code,
                    content=bytes(body),
                    content_type=content_type,
                )
        raise FetchError("too_many_redirects", f"{url} redirects more than {MAX_REDIRECTS} times")
    except httpx.TimeoutException as error:
        raise FetchError("timeout", f"{url}: {type(error).__name__}") from error
    except httpx.ConnectError as error:
        if isinstance(error.__context__, ssl.SSLError) or "SSL" in str(error) or "certificate" in str(error):
            raise FetchError("tls", f"{url}: {error}") from error
        raise FetchError("connection", f"{url}: {error}") from error
    except httpx.DecodingError as error:
        raise FetchError("http_other", f"{url}: the body could not be decoded ({error})") from error
    except httpx.HTTPError as error:
        raise FetchError("connection", f"{url}: {type(error).__name__}: {error}") from error
    finally:
        if own_client:
            client.close()
