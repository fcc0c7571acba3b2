"""A professional client's watches, alerts and webhooks: each client sees only its own."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from conductatlas.api.pagination import CursorPagination
from conductatlas.api.viewsets import ClientOwnedViewSet
from monitoring import selectors, services
from monitoring.api import serializers
from monitoring.filtersets import AlertFilterSet
from monitoring.models import Watch, WebhookEndpoint


class CreatedCursorPagination(CursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema_view(
    list=extend_schema(summary="List your watches", description="Newest first. Professional keys only."),
    retrieve=extend_schema(summary="A watch"),
    create=extend_schema(
        summary="Watch a platform, a document, or a category across every platform",
        description=(
            "Give exactly one of `platform` (slug), `document` (id) or `category` (slug), and optionally "
            "`min_significance` (default `substantive`: cosmetic and technical changes do not alert). A professional "
            "client watches at most 10 platforms (directly or through their documents); an 11th is a 400."
        ),
        request=serializers.WatchCreateSerializer,
        responses={201: serializers.WatchSerializer},
    ),
    destroy=extend_schema(summary="Stop watching", responses={204: None}),
)
class WatchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    ClientOwnedViewSet,
):
    queryset = selectors.watch_list()
    serializer_class = serializers.WatchSerializer
    filterset_class = None

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        return serializers.WatchCreateSerializer if self.action == "create" else serializers.WatchSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = serializers.WatchCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        watch = services.watch_create(client=self.client, **incoming.validated_data)
        watch = self.get_queryset().get(pk=watch.pk)
        return Response(serializers.WatchSerializer(watch).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Watch) -> None:
        services.watch_delete(watch=instance)


@extend_schema_view(
    list=extend_schema(
        summary="List your alerts",
        description=(
            "One alert per change that matched your watches, newest first, cursor-paginated, each with the "
            "structured summary of the change: versions, significance, sections, provisions and categories "
            "affected with their quotes before and after, and links to the diff."
        ),
    ),
    retrieve=extend_schema(summary="An alert"),
)
class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClientOwnedViewSet):
    queryset = selectors.alert_list()
    serializer_class = serializers.AlertSerializer
    filterset_class = AlertFilterSet
    pagination_class = CreatedCursorPagination

    @extend_schema(summary="Mark an alert read", request=None, responses=serializers.AlertSerializer)
    @action(detail=True, methods=["post"], url_path="read", filterset_class=None)
    def read(self, request: Request, pk: str) -> Response:
        alert = services.alert_mark_read(alert=self.get_object())
        return Response(serializers.AlertSerializer(alert).data)


@extend_schema_view(
    list=extend_schema(summary="List your webhook endpoints"),
    retrieve=extend_schema(summary="A webhook endpoint"),
    create=extend_schema(
        summary="Add a webhook endpoint",
        description=(
            "An HTTPS URL on a public address (private, loopback, link-local and metadata addresses are refused, "
            "as for fetching). The answer holds the signing `secret`, shown this once. Each event is POSTed as "
            'JSON `{"type", "timestamp", "data"}` signed the Standard Webhooks way (`webhook-id`, '
            "`webhook-timestamp`, `webhook-signature`); any answer but a 2xx is retried with backoff for about 27 "
            "hours, and an endpoint that fails for 3 days is disabled (you are emailed)."
        ),
        request=serializers.WebhookSerializer,
        responses={201: serializers.WebhookCreatedSerializer},
    ),
    destroy=extend_schema(summary="Remove a webhook endpoint", responses={204: None}),
)
class WebhookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    ClientOwnedViewSet,
):
    queryset = selectors.webhook_list()
    serializer_class = serializers.WebhookSerializer
    filterset_class = None

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = serializers.WebhookSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        endpoint, secret = services.webhook_create(client=self.client, **incoming.validated_data)
        endpoint.secret = secret  # type: ignore[attr-defined]  # shown in this answer only
        return Response(serializers.WebhookCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: WebhookEndpoint) -> None:
        services.webhook_delete(endpoint=instance)

    @extend_schema(
        summary="Send a test event",
        description="Queues a `ping` event; a disabled endpoint that answers it with a 2xx is enabled again.",
        request=None,
        responses={202: OpenApiResponse(serializers.DeliverySerializer, description="The queued delivery.")},
    )
    @action(detail=True, methods=["post"], url_path="ping", filterset_class=None)
    def ping(self, request: Request, pk: str) -> Response:
        delivery = services.webhook_ping(endpoint=self.get_object())
        return Response(serializers.DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The endpoint's deliveries",
        description="Newest first: status, attempts, last status code or error, and every attempt's log.",
        responses=serializers.DeliverySerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="deliveries",
        filterset_class=None,
        pagination_class=CreatedCursorPagination,
    )
    def deliveries(self, request: Request, pk: str) -> Response:
        endpoint = self.get_object()
        queryset: Any = selectors.delivery_list(endpoint=endpoint)
        page = self.paginate_queryset(queryset)
        data = serializers.DeliverySerializer(page, many=True).data
        return self.get_paginated_response(data)
