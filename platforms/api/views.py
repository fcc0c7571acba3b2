from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from conductatlas.api.pagination import CursorPagination
from conductatlas.api.viewsets import ReadOnlyViewSet
from platforms import selectors
from platforms.api import serializers
from platforms.filtersets import (
    CheckFilterSet,
    DocumentFilterSet,
    DocumentTypeFilterSet,
    PlatformFilterSet,
    VersionFilterSet,
)


class RecordedCursorPagination(CursorPagination):
    ordering = ("-recorded_at", "-id")


class CheckedCursorPagination(CursorPagination):
    ordering = ("-checked_at", "-id")


@extend_schema_view(
    list=extend_schema(summary="List the tracked platforms", description="Ordered by slug."),
    retrieve=extend_schema(summary="A platform with its documents"),
)
class PlatformViewSet(ReadOnlyViewSet):
    queryset = selectors.platform_list()
    detail_queryset = selectors.platform_detail_queryset()
    serializer_class = serializers.PlatformSerializer
    detail_serializer_class = serializers.PlatformDetailSerializer
    filterset_class = PlatformFilterSet
    lookup_field = "slug"
    last_modified_field = "updated_at"


@extend_schema_view(
    list=extend_schema(summary="List the document types", description="Open Terms Archive's types are the reference."),
    retrieve=extend_schema(summary="A document type"),
)
class DocumentTypeViewSet(ReadOnlyViewSet):
    queryset = selectors.document_type_list()
    serializer_class = serializers.DocumentTypeSerializer
    filterset_class = DocumentTypeFilterSet
    lookup_field = "slug"


@extend_schema_view(
    list=extend_schema(summary="List the tracked documents"),
    retrieve=extend_schema(summary="A document with its sources and current version"),
)
class DocumentViewSet(ReadOnlyViewSet):
    queryset = selectors.document_list()
    detail_queryset = selectors.document_list().prefetch_related("sources")
    serializer_class = serializers.DocumentSerializer
    detail_serializer_class = serializers.DocumentDetailSerializer
    filterset_class = DocumentFilterSet
    last_modified_field = "updated_at"

    @extend_schema(
        summary="The version of a document in force at a date",
        description=(
            "The last version recorded on or before the end of `date` (UTC). 404 when the document's first "
            "version was recorded after that date; 400 when the date is not YYYY-MM-DD."
        ),
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, OpenApiParameter.PATH, description="YYYY-MM-DD")],
        responses=serializers.VersionDetailSerializer,
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"versions/as-of/(?P<date>[^/]+)",
        url_name="version-as-of",
        filterset_class=None,
        pagination_class=None,
        serializer_class=serializers.VersionDetailSerializer,
        detail_serializer_class=serializers.VersionDetailSerializer,
        last_modified_field="recorded_at",
    )
    def as_of(self, request: Request, pk: str, date: str) -> Response:
        document = self.get_object()
        try:
            on = _parse_date(date)
        except ValueError as error:
            raise ValidationError({"date": [f"{date!r} is not a date: use YYYY-MM-DD."]}) from error
        version = selectors.version_as_of(document=document, on=on)
        if version is None:
            raise NotFound(f"Document {document.pk} had no recorded version on or before {on.isoformat()}.")
        return self.detail_response(version)


def _parse_date(raw: str) -> date:
    if len(raw) != 10:
        raise ValueError(raw)
    return date.fromisoformat(raw)


@extend_schema_view(
    list=extend_schema(
        summary="List versions (without their text)",
        description="Newest first, cursor-paginated. Fetch a version's detail for its text.",
    ),
    retrieve=extend_schema(summary="A version with its full text, sha256 and predecessor"),
)
class VersionViewSet(ReadOnlyViewSet):
    queryset = selectors.version_list()
    detail_queryset = selectors.version_detail_queryset()
    serializer_class = serializers.VersionSerializer
    detail_serializer_class = serializers.VersionDetailSerializer
    filterset_class = VersionFilterSet
    pagination_class = RecordedCursorPagination
    last_modified_field = "recorded_at"


@extend_schema_view(
    list=extend_schema(
        summary="List checks: fetches that found nothing new, or failed",
        description="Newest first, cursor-paginated.",
    ),
    retrieve=extend_schema(summary="A check"),
)
class CheckViewSet(ReadOnlyViewSet):
    queryset = selectors.check_list()
    serializer_class = serializers.CheckSerializer
    filterset_class = CheckFilterSet
    pagination_class = CheckedCursorPagination
    last_modified_field = "checked_at"
