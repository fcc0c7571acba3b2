"""A shared response cache for the hot and the expensive reads (the provision list, comparisons, categories,
the regulatory matrix).

Every cached body is keyed by a data generation: any write to what such reads show (a provision, silence,
finding, version, document, platform, category...) bumps the generation once its transaction commits, so
no stale answer is ever served and nothing needs to know which keys a write touches. The cache is the
default one: Redis in production (shared by every process), local memory otherwise.

A cached read also answers conditional requests without touching the database: its ETag is derived from
the generation and the request, so `If-None-Match` is settled before any query.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

GENERATION_KEY = "api:data-generation"
TIMEOUT = 24 * 3600


def data_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A fresh cache starts from the clock, never from a number an earlier cache may have used.
        generation = time.time_ns()
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    return int(generation)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def data_changed(*args: Any, **kwargs: Any) -> None:
    """A signal receiver: what the cached reads show has changed.

    Bumped at once, so that the writing transaction's own reads are fresh, and again on commit, since
    another process may have cached the old committed state under the first bump meanwhile.
    """
    _bump()
    transaction.on_commit(_bump)


def cached_response(method: Callable[..., Response]) -> Callable[..., Response]:
    """Cache a read's rendered body (per format: JSON, CSV...) under the data generation.

    The rendered bytes, not the data: unpickling a large nested structure costs more than building it.
    """

    @functools.wraps(method)
    def wrapper(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not settings.API_RESPONSE_CACHE:
            return method(self, request, *args, **kwargs)
        renderer = request.accepted_renderer
        # The host too: answers carry absolute links built from it.
        where = f"{request.get_host()}{request.path}"
        fingerprint = f"{data_generation()}:{where}:{sorted(request.query_params.lists())}:{renderer.format}"
        digest = hashlib.sha256(fingerprint.encode()).hexdigest()[:32]
        etag = f'"{digest}"'
        if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        key = f"api:response:{digest}"
        cached = cache.get(key)
        if cached is not None:
            content_type, content = cached
            hit = Response(headers={"ETag": etag, "Content-Type": content_type})
            hit.content = content  # rendered already: DRF and Django leave it as it is
            return hit
        response = method(self, request, *args, **kwargs)
        if response.status_code != status.HTTP_200_OK:
            return response
        response.accepted_renderer = renderer
        response.accepted_media_type = request.accepted_media_type
        response.renderer_context = self.get_renderer_context()  # type: ignore[attr-defined]
        response.render()
        response["ETag"] = etag
        cache.set(key, (response["Content-Type"], response.content), timeout=TIMEOUT)
        return response

    return wrapper
