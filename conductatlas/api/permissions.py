"""Who may use the professional endpoints (watches, alerts, webhooks, exports)."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, permissions
from rest_framework.request import Request

from conductatlas.api.authentication import request_client


class IsProfessionalClient(permissions.BasePermission):
    message = "This needs a professional API key; yours is on the free tier."

    def has_permission(self, request: Request, view: Any) -> bool:
        client = request_client(request)
        if client is None:
            raise exceptions.NotAuthenticated(
                "This needs an API key: send `Authorization: Api-Key <key>` (a professional client's key)."
            )
        return bool(client.is_professional)
