import ipaddress
import socket
from collections.abc import Iterator

import pytest
from rest_framework.test import APIClient

from tests.localserver import LocalServer

# Tests talk to nothing but this machine: PostgreSQL, Redis and the servers they start on loopback.
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


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
