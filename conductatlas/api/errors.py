"""One error shape for every API response that is not a success.

{"error": {"status": 400, "code": "invalid", "message": "platform: No platform with slug 'x'.",
           "fields": {"platform": ["No platform with slug 'x'."]}}}
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class ErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status code.")
    code = serializers.CharField(help_text="A stable machine-readable code: invalid, not_found, throttled...")
    message = serializers.CharField(help_text="What is wrong, in one sentence a person can act on.")
    fields = serializers.DictField(  # type: ignore[assignment]  # a declared field, popped by the metaclass
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid input: each offending parameter or field, with what is wrong with it.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


def _flatten(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub_key, sub_value in _flatten(value).items():
                    flat[f"{key}.{sub_key}"] = sub_value
            elif isinstance(value, list):
                flat[str(key)] = [str(item) for item in value]
            else:
                flat[str(key)] = [str(value)]
        return flat
    return {}


def _message(detail: Any, fields: dict[str, list[str]]) -> str:
    if fields:
        name, problems = next(iter(fields.items()))
        if name == "non_field_errors":
            return problems[0]
        return f"{name}: {problems[0]}"
    if isinstance(detail, list) and detail:
        return str(detail[0])
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) if str(exc) else "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        # A service's full_clean() or rule: the same 400 as a serializer's, with the same field names.
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    fields = _flatten(detail)
    code = exc.default_code if isinstance(exc, exceptions.APIException) else "error"
    body: dict[str, Any] = {"status": response.status_code, "code": code, "message": _message(detail, fields)}
    if fields:
        body["fields"] = fields
    response.data = {"error": body}
    return response


def _error_json(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"status": status, "code": code, "message": message}}, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """URLs that match no route: under /api/ they answer in the API's error shape, not an HTML page."""
    if request.path.startswith("/api/"):
        return _error_json(404, "not_found", f"No resource at {request.path}: see /api/v1/ for the resources.")
    return defaults.page_not_found(request, exception or Http404())


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _error_json(500, "server_error", "Internal server error: it has been logged.")
    return defaults.server_error(request)
