import ipaddress
import socket
from collections.abc import Iterator

import pytest
from rest_framework.test import APIClient

from tests.localserver import LocalServer

# Tests talk to nothing but this machine: PostgreSQL, Redis and the servers they start on loopback.
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _guarded(address: object) -> None:
    if isinstance(address, tuple) and address:
        host = str(address[0]).split("%", 1)[0]
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise AssertionError(f"A test tried to connect to {address!r}: only loopback is allowed.")


def _connect(self: socket.socket, address: object) -> None:
    try:
        _guarded(address)
    except AssertionError:
        self.close()
        raise
    return _real_connect(self, address)  # type: ignore[arg-type]


def _connect_ex(self: socket.socket, address: object) -> int:
    try:
        _guarded(address)
    except AssertionError:
        self.close()
        raise
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


def _getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
    # A name lookup would send a DNS query off this machine: tests resolve nothing but addresses and localhost.
    name = host.decode() if isinstance(host, bytes) else str(host)
    flags = kwargs.get("flags", args[4] if len(args) > 4 else 0)
    if int(flags) & socket.AI_NUMERICHOST:  # type: ignore[call-overload]
        return _real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]
    try:
        ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        if name != "localhost":
            raise AssertionError(f"A test tried to resolve {name!r}: stub the resolver instead.") from None
    return _real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]


def pytest_sessionstart(session: pytest.Session) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.exit(
            "The tests run on PostgreSQL: use `make test`, or set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/conductatlas",
            returncode=2,
        )


@pytest.fixture(autouse=True)
def only_loopback_connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a socket to a non-loopback address fails the test loudly."""
    monkeypatch.setattr(socket.socket, "connect", _connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", _getaddrinfo)
    yield


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Each test starts with empty rate-limit counters (the cache holds them)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def count_queries(api_client: APIClient):
    """GET a URL and return (response, number of queries it ran)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(url: str):
        with CaptureQueriesContext(connection) as captured:
            response = api_client.get(url)
        assert response.status_code == 200, response.content
        return response, len(captured)

    return run


@pytest.fixture
def local_server(settings) -> Iterator[LocalServer]:
    """A real HTTP server on 127.0.0.1, which the fetcher may reach only because of this setting."""
    settings.FETCH_ALLOWED_ADDRESSES = ["127.0.0.1"]
    server = LocalServer().start()
    yield server
    server.stop()
