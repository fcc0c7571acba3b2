"""One rate limit per client, set by its tier; per address when anonymous. Rates in DEFAULT_THROTTLE_RATES.

A fixed-window counter in the default cache (Redis in production): one atomic increment per request, shared
by every process. DRF's SimpleRateThrottle keeps the list of every request's time in the window and writes it
back whole, which is a read-modify-write race between processes and grows with the rate (3,000 timestamps a
request for a professional client at full speed).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from conductatlas.api.authentication import request_client

DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_parse(rate: str) -> tuple[int, int]:
    """'600/minute' -> (600, 60)."""
    count, _, period = rate.partition("/")
    return int(count), DURATIONS[period[0]]


class TierRateThrottle(BaseThrottle):
    """Refusals are answered by DRF with 429 and `Retry-After` (the seconds left in the window)."""

    def __init__(self) -> None:
        self.retry_after: float | None = None

    def scope_and_ident(self, request: Request) -> tuple[str, str]:
        client = request_client(request)
        if client is not None:
            return str(client.tier), f"client:{client.pk}"
        if request.user and request.user.is_authenticated:
            return "staff", f"user:{request.user.pk}"
        return "anonymous", f"address:{self.get_ident(request)}"

    def allow_request(self, request: Request, view: Any) -> bool:
        scope, ident = self.scope_and_ident(request)
        rates = api_settings.DEFAULT_THROTTLE_RATES
        if scope not in rates:
            raise ImproperlyConfigured(f"DEFAULT_THROTTLE_RATES has no rate for the {scope!r} tier.")
        limit, duration = rate_parse(str(rates[scope]))
        now = time.time()
        window = int(now // duration)
        key = f"throttle:{scope}:{ident}:{window}"
        try:
            count = cache.incr(key)
        except ValueError:
            # The window's first request; add() settles a race between two firsts.
            count = 1 if cache.add(key, 1, timeout=duration + 1) else cache.incr(key)
        if count <= limit:
            return True
        self.retry_after = (window + 1) * duration - now
        return False

    def wait(self) -> float | None:
        return self.retry_after
