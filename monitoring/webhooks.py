"""Webhooks the Standard Webhooks way: secrets, signatures, the URL rules and the POST itself.

A secret is `whsec_` + base64 of 32 random bytes; it is shown to the client once and stored encrypted
(Fernet, with a key derived from WEBHOOK_ENCRYPTION_KEY or SECRET_KEY), since signing needs it back.
Each POST carries `webhook-id` (the same on every retry, so receivers can deduplicate),
`webhook-timestamp` and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body`).
URLs follow the fetcher's SSRF rules: HTTPS only, and every address the host resolves to must be
public, checked when the endpoint is created and again on every connection (the guarded transport).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from standardwebhooks.webhooks import Webhook

from platforms.archiving.fetching import (
    USER_AGENT,
    FetchError,
    GuardedTransport,
    Resolver,
    address_refusal,
    system_resolve,
)

SECRET_PREFIX = "whsec_"  # noqa: S105  # the Standard Webhooks prefix, not a secret


def secret_generate() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _fernet() -> Fernet:
    material = getattr(settings, "WEBHOOK_ENCRYPTION_KEY", "") or settings.SECRET_KEY
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"webhook-secrets:{material}".encode()).digest()))


def secret_encrypt(*, secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def secret_decrypt(*, encrypted: str) -> str:
    try:
        return _fernet().decrypt(encrypted.encode()).decode()
    except InvalidToken as error:
        raise ValueError("The webhook secret cannot be decrypted: was SECRET_KEY changed?") from error


def payload_encode(*, payload: dict[str, Any]) -> str:
    """The exact body that is signed and sent: compact, keys in a stable order."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def signature_headers(*, secret: str, event_id: str, body: str, moment: datetime) -> dict[str, str]:
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id=event_id, timestamp=moment, data=body),
    }


def url_refusal(*, url: str, resolver: Resolver | None = None) -> str | None:
    """Why this URL may not receive webhooks, or None. The same address rules as fetching."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as error:
        return f"{url!r} is not a valid URL: {error}"
    allowed_schemes = ("https", "http") if getattr(settings, "WEBHOOK_ALLOW_HTTP", False) else ("https",)
    if parsed.scheme not in allowed_schemes:
        return "Webhook URLs must use https."
    if not parsed.host:
        return "The URL has no host."
    if parsed.userinfo:
        return "The URL may not carry a user name or password: authenticate with the signature instead."
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        # An address is checked as given; a name, as every address it resolves to.
        addresses = [str(ipaddress.ip_address(parsed.host))]
    except ValueError:
        addresses = []
    try:
        addresses = addresses or (resolver or system_resolve)(parsed.host, port)
    except (OSError, UnicodeError) as error:
        return f"{parsed.host} does not resolve: {error}"
    if not addresses:
        return f"{parsed.host} resolves to no address."
    for address in addresses:
        reason = address_refusal(address)
        if reason:
            return f"{parsed.host} is not a public host: {reason}."
    return None


@dataclass
class PostResult:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def webhook_client(*, resolver: Resolver | None = None) -> httpx.Client:
    timeout = float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 10.0))
    return httpx.Client(
        transport=GuardedTransport(resolver=resolver),
        timeout=httpx.Timeout(timeout),
        # A redirect is a failure: following it would let a receiver point us anywhere.
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT.replace("ConductAtlasBot", "ConductAtlasWebhooks")},
        trust_env=False,
    )


def webhook_post(*, url: str, body: str, headers: dict[str, str], client: httpx.Client | None = None) -> PostResult:
    """POST once; any answer but a 2xx, and any network error or timeout, is a failure to retry."""
    started = time.monotonic()
    own_client = client is None
    client = client or webhook_client()
    try:
        response = client.post(
            url, content=body.encode(), headers={**headers, "Content-Type": "application/json; charset=utf-8"}
        )
        elapsed = int((time.monotonic() - started) * 1000)
        error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
        return PostResult(status_code=response.status_code, error=error, duration_ms=elapsed)
    except FetchError as error:
        return PostResult(status_code=None, error=f"{error.label}: {error.detail}", duration_ms=0)
    except httpx.TimeoutException:
        return PostResult(status_code=None, error="timeout", duration_ms=int((time.monotonic() - started) * 1000))
    except httpx.HTTPError as error:
        elapsed = int((time.monotonic() - started) * 1000)
        return PostResult(status_code=None, error=f"{type(error).__name__}: {error}"[:300], duration_ms=elapsed)
    finally:
        if own_client:
            client.close()
