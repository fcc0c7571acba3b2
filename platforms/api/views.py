from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from conductatlas.api.pagination import CursorPagination
from conductatlas.api.viewsets import ReadOnlyViewSet
from platforms import selectors
from platforms.api import serializers
from platforms.diffing import text_diff
from platforms.filtersets import (
    ChangeFilterSet,
    CheckFilterSet,
    DocumentFilterSet,
    DocumentTypeFilterSet,
    PlatformFilterSet,
    TimelineFilterSet,
    VersionFilterSet,
)
from platforms.models import Platform, Version


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

    @extend_schema(
        summary="A platform's governance timeline",
        description=(
            "Every recorded version of the platform's documents, newest first: the first record of each "
            "document, then each change with its significance. Filter by document type and minimum significance "
            "(first records always show)."
        ),
        responses=serializers.TimelineEventSerializer(many=True),
        parameters=[
            OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The platform's slug.")
        ],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="timeline",
        filterset_class=TimelineFilterSet,
        pagination_class=RecordedCursorPagination,
        serializer_class=serializers.TimelineEventSerializer,
        detail_serializer_class=serializers.TimelineEventSerializer,
        # The events are versions: the schema generator reads the filters against this queryset.
        queryset=Version.objects.all(),
    )
    def timeline(self, request: Request, slug: str) -> Response:
        # Looked up directly: this action's filters apply to the events, not to the platform.
        platform = get_object_or_404(Platform.objects.all(), slug=slug)
        events = self.filter_queryset(selectors.platform_timeline(platform=platform))
        page = self.paginate_queryset(events)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


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

    @extend_schema(
        summary="The diff between two versions of the same document",
        description="Paragraph-level hunks, word-level inside modified paragraphs, from `against` to this version.",
        parameters=[
            OpenApiParameter(
                "against",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                required=True,
                description="The other version's id.",
            )
        ],
        responses=serializers.VersionDiffSerializer,
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="diff",
        filterset_class=None,
        pagination_class=None,
        detail_serializer_class=serializers.VersionDiffSerializer,
        extra_query_params=("against",),
    )
    def diff(self, request: Request, pk: str) -> Response:
        version = self.get_object()
        raw = request.query_params.get("against", "")
        if not raw.isdigit():
            raise ValidationError({"against": ["Give the id of another version of the same document: ?against=ID."]})
        other = selectors.version_detail_queryset().filter(pk=int(raw)).first()
        if other is None:
            raise ValidationError({"against": [f"No version with id {raw}."]})
        if other.document_id != version.document_id:
            raise ValidationError(
                {"against": [f"Version {other.pk} is of document {other.document_id}, not {version.document_id}."]}
            )
        diff = text_diff(other.text, version.text)
        payload = {
            "old_version": other,
            "new_version": version,
            "stats": diff.stats.__dict__,
            "sections": diff.sections,
            "hunks": diff.hunks,
        }
        return Response(serializers.VersionDiffSerializer(payload, context=self.get_serializer_context()).data)


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


class RecordedChangeCursorPagination(CursorPagination):
    ordering = ("-recorded_at", "-id")


@extend_schema_view(
    list=extend_schema(
        summary="List changes across all platforms",
        description=(
            "Newest first, cursor-paginated, without the diff. Significance, by the rules documented in "
            "`significance`: technical (re-extraction, never alerts) < cosmetic (case, whitespace, punctuation, "
            "link targets, dates, or a flip back to a recent text) < substantive (binding wording changed) < "
            "material (a governance term changed: training, opt-out, arbitration, sale of data, retention...; or the "
            "clause of a tracked provision was modified or removed, listed in `provisions_affected`). "
            "An editor's override, with its reason, takes precedence over the rules' verdict, which stays in "
            "`computed_significance`."
        ),
    ),
    retrieve=extend_schema(summary="A change with its diff"),
)
class ChangeViewSet(ReadOnlyViewSet):
    queryset = selectors.change_list()
    detail_queryset = selectors.change_detail_queryset()
    serializer_class = serializers.ChangeSerializer
    detail_serializer_class = serializers.ChangeDetailSerializer
    filterset_class = ChangeFilterSet
    pagination_class = RecordedChangeCursorPagination
    last_modified_field = "computed_at"
