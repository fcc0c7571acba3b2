from datetime import date
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from conductatlas.api.pagination import CursorPagination
from conductatlas.api.viewsets import ReadOnlyViewSet
from platforms.models import DocumentType, Platform
from provisions import selectors
from provisions.api import serializers
from provisions.filtersets import CategoryFilterSet, ProvisionFilterSet
from provisions.models import Provision


class PublishedCursorPagination(CursorPagination):
    ordering = ("-published_at", "-id")


@extend_schema_view(list=extend_schema(summary="List the topics of the taxonomy with their categories"))
class TopicViewSet(ReadOnlyViewSet):
    queryset = selectors.topic_list()
    serializer_class = serializers.TopicSerializer
    lookup_field = "slug"


@extend_schema_view(
    list=extend_schema(summary="List the categories (the questions), with counts of published provisions"),
    retrieve=extend_schema(summary="A category with its stances and crosswalks"),
)
class CategoryViewSet(ReadOnlyViewSet):
    queryset = selectors.category_list()
    serializer_class = serializers.CategorySerializer
    filterset_class = CategoryFilterSet
    lookup_field = "slug"

    @extend_schema(
        summary="How every platform answers one category",
        description=(
            "One row per platform (all, or `platforms=a,b,c`): the published provisions on the versions in force "
            "at `as_of` (default: today) with quote, analysis, version id, sha256 and recorded date; or a reviewed "
            "silence (`not_addressed`); or `not_reviewed`. The summary counts platforms per stance."
        ),
        parameters=[
            OpenApiParameter("platforms", OpenApiTypes.STR, description="Comma-separated platform slugs."),
            OpenApiParameter("document_type", OpenApiTypes.STR, description="Only this document type (slug)."),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="The state at this date (YYYY-MM-DD)."),
        ],
        responses=serializers.ComparisonSerializer,
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="comparison",
        filterset_class=None,
        pagination_class=None,
        extra_query_params=("platforms", "document_type", "as_of"),
        detail_serializer_class=serializers.ComparisonSerializer,
    )
    def comparison(self, request: Request, slug: str) -> Response:
        category = self.get_object()
        params = request.query_params
        platforms = None
        if params.get("platforms"):
            wanted = [s.strip() for s in params["platforms"].split(",") if s.strip()]
            platforms = Platform.objects.filter(slug__in=wanted)
            unknown = sorted(set(wanted) - set(platforms.values_list("slug", flat=True)))
            if unknown:
                raise ValidationError({"platforms": [f"No platform with slug {', '.join(map(repr, unknown))}."]})
        document_type = None
        if params.get("document_type"):
            document_type = DocumentType.objects.filter(slug=params["document_type"]).first()
            if document_type is None:
                raise ValidationError({"document_type": [f"No document type with slug {params['document_type']!r}."]})
        as_of = None
        if params.get("as_of"):
            try:
                as_of = date.fromisoformat(params["as_of"]) if len(params["as_of"]) == 10 else None
            except ValueError:
                as_of = None
            if as_of is None:
                raise ValidationError({"as_of": [f"{params['as_of']!r} is not a date: use YYYY-MM-DD."]})
        comparison = selectors.comparison_for_category(
            category=category, platforms=platforms, document_type=document_type, as_of=as_of
        )
        return Response(serializers.ComparisonSerializer(comparison, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(summary="List published provisions", description="Newest published first, cursor-paginated."),
    retrieve=extend_schema(summary="A published provision, with the text around its quote"),
)
class ProvisionViewSet(ReadOnlyViewSet):
    queryset = selectors.provision_list()
    detail_queryset = selectors.provision_detail_queryset()
    serializer_class = serializers.ProvisionSerializer
    detail_serializer_class = serializers.ProvisionDetailSerializer
    filterset_class = ProvisionFilterSet
    pagination_class = PublishedCursorPagination
    lookup_field = "code"
    last_modified_field = "updated_at"

    @extend_schema(
        summary="A provision's lineage: its clause in every version since it was written",
        description=(
            "One entry per version, oldest first: `original`, then `unchanged`, `moved` (same text, new place), "
            "`modified` (new wording, with its similarity 0-100) or `removed`."
        ),
        responses=serializers.ProvisionAnchorSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="history", filterset_class=None, pagination_class=None)
    def history(self, request: Request, code: str) -> Response:
        provision = self.get_object()
        anchors = (
            provision.anchors.select_related("version").defer("version__text").order_by("version__recorded_at", "id")
        )
        return Response(serializers.ProvisionAnchorSerializer(anchors, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Search published provisions and current document texts",
        description=(
            'Full-text search (PostgreSQL, web-search syntax: words, "quoted phrases", -exclusions), ranked by '
            "relevance, with highlighted snippets. A query without any word returns no results, not an error."
        ),
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=True, description="What to search for."),
            OpenApiParameter("limit", OpenApiTypes.INT, description="At most this many results (1-50, default 20)."),
        ],
        responses=serializers.SearchResultSerializer,
    )
)
class SearchViewSet(viewsets.GenericViewSet[Any]):
    queryset = Provision.objects.none()
    serializer_class = serializers.SearchResultSerializer
    extra_query_params = ("q", "limit")
    pagination_class = None

    def list(self, request: Request) -> Response:
        q = request.query_params.get("q", "").strip()
        if not q:
            raise ValidationError({"q": ["Say what to search for: ?q=..."]})
        if len(q) > 300:
            raise ValidationError({"q": ["At most 300 characters."]})
        raw_limit = request.query_params.get("limit", "20")
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= 50:
            raise ValidationError({"limit": ["A whole number from 1 to 50."]})
        hits = selectors.search_run(q=q, limit=int(raw_limit))
        return Response(self.get_serializer({"q": q, "results": hits}).data)
