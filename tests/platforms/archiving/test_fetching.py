import socket

import pytest

from platforms.archiving.fetching import FetchError, address_refusal, fetch_client, url_fetch
from tests.localserver import Route


def numeric_only_resolver(names: dict[str, list[str]] | None = None):
    """Resolves IP spellings the way the system does (inet_aton), and only the names given: never DNS."""
    table = names or {}

    def resolve(host: str, port: int) -> list[str]:
        if host in table:
            return table[host]
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
        except socket.gaierror as error:
            raise socket.gaierror(socket.EAI_NONAME, f"stub resolver: no such name {host!r}") from error
        return [str(info[4][0]) for info in infos]

    return resolve


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "::1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "fd00:ec2::254",
        "100.100.100.200",
        "0.0.0.0",
        "::",
        "224.0.0.1",
        "ff02::1",
        "240.0.0.1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::ffff:10.0.0.1",
        "2002:7f00:1::",
        "64:ff9b::a9fe:a9fe",
        "::7f00:1",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert address_refusal(address) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert address_refusal(address) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/",
        "http://[::1]/",
        "http://0x7f000001/",
        "http://2130706433/",
        "http://127.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",
        "http://10.0.0.1/",
        "https://192.168.0.1/",
    ],
)
def test_default_settings_refuse_local_spellings_before_any_connection(url):
    with (
        fetch_client(resolver=numeric_only_resolver()) as client,
        pytest.raises(FetchError) as caught,
    ):
        url_fetch(url=url, client=client)
    assert caught.value.label == "blocked_address"


def test_a_name_resolving_to_a_private_address_is_refused():
    resolver = numeric_only_resolver({"intranet.example": ["93.184.216.34", "10.1.2.3"]})
    with fetch_client(resolver=resolver) as client, pytest.raises(FetchError) as caught:
        url_fetch(url="https://intranet.example/terms", client=client)
    assert caught.value.label == "blocked_address"
    assert "10.1.2.3" in caught.value.detail


def test_an_unresolvable_name_is_a_dns_failure():
    with fetch_client(resolver=numeric_only_resolver()) as client, pytest.raises(FetchError) as caught:
        url_fetch(url="https://no-such-host.invalid/", client=client)
    assert caught.value.label == "dns"


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/terms", "gopher://127.0.0.1/", "http://0177.0.0.1/"]
)
def test_other_schemes_and_invalid_urls_are_refused(url):
    with pytest.raises(FetchError) as caught:
        url_fetch(url=url)
    assert caught.value.label in {"blocked_address", "invalid_url"}


def test_a_page_is_fetched_from_the_local_server(local_server):
    local_server.routes["/terms"] = Route(body=b"<h1>Terms</h1>")
    result = url_fetch(url=local_server.url("/terms"))
    assert result.content == b"<h1>Terms</h1>"
    assert result.content_type == "text/html"


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/admin"])
def test_a_redirect_to_a_private_address_is_refused_at_that_hop(local_server, target):
    local_server.routes["/moved"] = Route(status=302, headers={"Location": target})
    with fetch_client(resolver=numeric_only_resolver()) as client, pytest.raises(FetchError) as caught:
        url_fetch(url=local_server.url("/moved"), client=client)
    assert caught.value.label == "blocked_address"
    assert local_server.hits == ["/moved"]


def test_redirects_are_followed_up_to_five_times(local_server):
    for hop in range(6):
        local_server.routes[f"/r{hop}"] = Route(status=301, headers={"Location": f"/r{hop + 1}"})
    local_server.routes["/r5"] = Route(body=b"<p>Arrived</p>")
    assert url_fetch(url=local_server.url("/r0")).content == b"<p>Arrived</p>"
    local_server.routes["/r5"] = Route(status=301, headers={"Location": "/r6"})
    local_server.routes["/r6"] = Route(body=b"<p>Too far</p>")
    with pytest.raises(FetchError) as caught:
        url_fetch(url=local_server.url("/r0"))
    assert caught.value.label == "too_many_redirects"


@pytest.mark.parametrize(
    ("status", "label"),
    [(403, "http_403"), (404, "http_404"), (429, "http_429"), (503, "http_5xx"), (410, "http_other")],
)
def test_http_errors_get_their_labels(local_server, status, label):
    local_server.routes["/x"] = Route(status=status, body=b"no")
    with pytest.raises(FetchError) as caught:
        url_fetch(url=local_server.url("/x"))
    assert caught.value.label == label


def test_a_slow_page_times_out(local_server, settings):
    settings.FETCH_TIMEOUTS = {"connect": 1.0, "read": 0.3, "write": 1.0, "pool": 1.0}
    local_server.routes["/slow"] = Route(body=b"late", delay=1.5)
    with pytest.raises(FetchError) as caught:
        url_fetch(url=local_server.url("/slow"))
    assert caught.value.label == "timeout"


def test_a_50_mb_page_is_stopped_at_the_cap(local_server):
    local_server.routes["/huge"] = Route(stream=(b"x" * 1024 * 1024, 50))
    with pytest.raises(FetchError) as caught:
        url_fetch(url=local_server.url("/huge"))
    assert caught.value.label == "too_large"


def test_a_declared_oversize_is_refused_before_reading(local_server, settings):
    settings.FETCH_MAX_BYTES = 10
    local_server.routes["/big"] = Route(body=b"y" * 100)
    with pytest.raises(FetchError, match="declares 100 bytes"):
        url_fetch(url=local_server.url("/big"))


def test_an_unsupported_content_type_is_refused(local_server):
    local_server.routes["/img"] = Route(body=b"\x89PNG", content_type="image/png")
    with pytest.raises(FetchError) as caught:
        url_fetch(url=local_server.url("/img"))
    assert caught.value.label == "unsupported_type"


def test_a_gzipped_page_is_decoded(local_server):
    import gzip

    local_server.routes["/gz"] = Route(body=gzip.compress(b"<p>Zipped</p>"), headers={"Content-Encoding": "gzip"})
    assert url_fetch(url=local_server.url("/gz")).content == b"<p>Zipped</p>"


def test_the_guard_of_the_test_suite_fails_any_connection_elsewhere():
    with pytest.raises(AssertionError, match="only loopback"):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
