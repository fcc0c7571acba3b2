"""The one base class for the API's read endpoints: declarative, no logic in the views."""

from typing import Any

from django.db.models import QuerySet
from django.utils.http import http_date
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from conductatlas.api.authentication import request_client
from conductatlas.api.permissions import IsProfessionalClient


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    """Lists and details, declared with class attributes.

    A detail may use its own `detail_queryset` (heavier prefetches) and `detail_serializer_class`.
    Django's ConditionalGetMiddleware adds the ETag and answers 304s; a detail also sends
    Last-Modified when `last_modified_field` names a date-time attribute of the object.
    """

    detail_queryset: QuerySet[Any] | None = None
    detail_serializer_class: type[BaseSerializer[Any]] | None = None
    last_modified_field: str | None = None
    extra_query_params: tuple[str, ...] = ()

    def get_queryset(self) -> QuerySet[Any]:
        if self.action != "list" and self.detail_queryset is not None:
            return self.detail_queryset.all()
        return super().get_queryset()

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action != "list" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return super().get_serializer_class()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        return self.detail_response(instance)

    def detail_response(self, instance: Any) -> Response:
        response = Response(self.get_serializer(instance).data)
        if self.last_modified_field:
            moment = getattr(instance, self.last_modified_field, None)
            if moment is not None:
                response["Last-Modified"] = http_date(moment.timestamp())
        return response


class ClientOwnedViewSet(viewsets.GenericViewSet[Any]):
    """A professional client's own resources: another client's are not found (404), never forbidden.

    `queryset` holds every client's rows; `client_field` names the path to the owning client.
    """

    permission_classes = [IsProfessionalClient]
    client_field = "client"
    # The schema documents 403 for these operations: a free key is refused.
    requires_professional_client = True

    def get_queryset(self) -> QuerySet[Any]:
        client = request_client(self.request)
        queryset = super().get_queryset()
        if client is None:
            return queryset.none()
        return queryset.filter(**{self.client_field: client})

    @property
    def client(self) -> Any:
        return request_client(self.request)
