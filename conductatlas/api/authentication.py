"""API keys: `Authorization: Api-Key <prefix>.<secret>`, checked against a prefix and a SHA-512 hash.

Keys are djangorestframework-api-key's (generation, hashing, constant-time comparison); this class makes
them authentication rather than a permission, so that a key names its client (`request.auth` is the
`ApiKey`, `request.auth.client` the client) and a wrong, revoked or malformed key is a 401 that says which.
`request.user` stays anonymous: API clients are not Django users, who are editors in the admin.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from monitoring.models import ApiKey

KEYWORD = "Api-Key"
PREFIX_LENGTH = 8
# last_used_at is written at most this often per key, so reads do not become one write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        keyword, _, raw = header.partition(" ")
        if keyword.lower() != KEYWORD.lower():
            return None
        raw = raw.strip()
        prefix, dot, secret = raw.partition(".")
        if not dot or len(prefix) != PREFIX_LENGTH or not secret or " " in raw:
            raise exceptions.AuthenticationFailed(
                "Malformed API key: send `Authorization: Api-Key <key>` with the key exactly as it was given."
            )
        key = ApiKey.objects.select_related("client").filter(prefix=prefix).first()
        if key is None or not key.is_valid(raw):
            raise exceptions.AuthenticationFailed("Invalid API key: no key matches it.")
        if key.revoked:
            raise exceptions.AuthenticationFailed("This API key has been revoked: ask for a new one.")
        if key.has_expired:
            raise exceptions.AuthenticationFailed(f"This API key expired on {key.expiry_date:%Y-%m-%d}.")
        if not key.client.active:
            raise exceptions.AuthenticationFailed("This API key's client is deactivated.")
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
            key.last_used_at = now
        return AnonymousUser(), key

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


def request_client(request: Request) -> Any:
    """The API client behind a request, or None (anonymous, or a staff session)."""
    auth = getattr(request, "auth", None)
    return auth.client if isinstance(auth, ApiKey) else None


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Authorization: Api-Key <key>`. Without a key, reads are anonymous and rate-limited; a free key "
                "raises the limit; a professional key also opens watches, alerts and webhooks."
            ),
        }
