from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook

from monitoring.webhooks import (
    payload_encode,
    secret_decrypt,
    secret_encrypt,
    secret_generate,
    signature_headers,
    url_refusal,
)


def public(host: str, port: int) -> list[str]:
    return ["93.184.215.14"]


@pytest.mark.parametrize(
    ("url", "resolved", "reason"),
    [
        ("https://169.254.169.254/latest/", None, "link-local"),
        ("https://[::ffff:127.0.0.1]/", None, "loopback"),
        ("https://hooks.example.com/", ["10.1.2.3"], "private"),
        ("https://hooks.example.com/", ["93.184.215.14", "192.168.0.9"], "private"),
        ("http://hooks.example.com/", None, "https"),
        ("ftp://hooks.example.com/", None, "https"),
    ],
)
def test_a_url_the_fetcher_would_refuse_is_refused(url, resolved, reason):
    resolver = (lambda host, port: resolved) if resolved else public
    refusal = url_refusal(url=url, resolver=resolver)
    assert refusal is not None and reason in refusal


def test_a_public_https_url_is_accepted():
    assert url_refusal(url="https://hooks.example.com/in", resolver=public) is None


def test_a_secret_survives_encryption_and_is_not_readable_in_its_stored_form():
    secret = secret_generate()
    stored = secret_encrypt(secret=secret)
    assert secret.removeprefix("whsec_") not in stored
    assert secret_decrypt(encrypted=stored) == secret


def test_the_signature_verifies_with_the_standard_webhooks_library():
    secret = secret_generate()
    body = payload_encode(payload={"type": "ping", "data": {"quote": 'a, "b"\nc'}})
    headers = signature_headers(secret=secret, event_id="msg_1", body=body, moment=datetime.now(UTC))
    assert Webhook(secret).verify(body, headers)["type"] == "ping"
    with pytest.raises(Exception, match="signature"):
        Webhook(secret_generate()).verify(body, headers)
