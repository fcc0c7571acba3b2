"""One rate limit per client, set by its tier; per address when anonymous. Rates in DEFAULT_THROTTLE_RATES."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from conductatlas.api.authentication import request_client


class TierRateThrottle(SimpleRateThrottle):
    """Counts in the default cache (Redis in production, shared by every process); DRF answers a refusal
    with 429 and `Retry-After`."""

    scope = "anonymous"

    def allow_request(self, request: Request, view: Any) -> bool:
        client = request_client(request)
        if client is not None:
            self.scope = client.tier
        elif request.user and request.user.is_authenticated:
            self.scope = "staff"
        else:
            self.scope = "anonymous"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_rate(self) -> str:
        # Read at each request rather than frozen at import, as SimpleRateThrottle does.
        rates = api_settings.DEFAULT_THROTTLE_RATES
        if self.scope not in rates:
            raise ImproperlyConfigured(f"DEFAULT_THROTTLE_RATES has no rate for the {self.scope!r} tier.")
        return str(rates[self.scope])

    def get_cache_key(self, request: Request, view: Any) -> str:
        client = request_client(request)
        if client is not None:
            ident = f"client:{client.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"address:{self.get_ident(request)}"
        return f"throttle:{self.scope}:{ident}"
