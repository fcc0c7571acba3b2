"""drf-spectacular AutoSchema that documents what every operation can answer besides success."""

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse

from conductatlas.api.errors import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: an unknown parameter or a malformed or unknown value. `fields` names each one.",
    "401": "Authentication failed or missing: the API key is wrong, revoked or malformed, or this needs one.",
    "403": "Authenticated, but not allowed to do this (for instance a free key on a professional endpoint).",
    "404": "No such resource.",
    "429": "Too many requests: slow down; the `Retry-After` header says for how many seconds.",
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        # Any request may carry a bad API key, so every operation can answer 401.
        codes = ["400", "401", "429"]
        if self.method != "GET" or not self._is_list_view() or "{" in self.path:
            codes.append("404")
        if self.method != "GET" or getattr(self.view, "requires_professional_client", False):
            codes.append("403")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=ERROR_DESCRIPTIONS[code]), code
                )
        responses["429"].setdefault("headers", {})["Retry-After"] = {
            "schema": {"type": "integer"},
            "description": "Seconds to wait before the next request.",
        }
        if self.method == "GET" and "304" not in responses:
            responses["304"] = {"description": "Not modified: the `If-None-Match` or `If-Modified-Since` matched."}
        return responses
