from datetime import date
from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from conductatlas.api.caching import cached_response
from conductatlas.api.pagination import CursorPagination
from conductatlas.api.permissions import IsProfessionalClient
from conductatlas.api.renderers import CsvRenderer, ZipRenderer
from conductatlas.api.viewsets import ReadOnlyViewSet
from platforms.models import DocumentType, Platform
from platforms.selectors import platform_timeline
from provisions import exports, selectors
from provisions.api import serializers
from provisions.filtersets import ArticleFilterSet, CategoryFilterSet, ProvisionFilterSet
from provisions.models import Category, Provision


def platforms_argument(raw: str, *, name: str = "platforms") -> list[Platform] | None:
    """`a,b,c` as platforms; an unknown slug is a 400 naming it."""
    wanted = [slug.strip() for slug in raw.split(",") if slug.strip()]
    if not wanted:
        return None
    platforms = list(Platform.objects.filter(slug__in=wanted))
    unknown = sorted(set(wanted) - {platform.slug for platform in platforms})
    if unknown:
        raise ValidationError({name: [f"No platform with slug {', '.join(map(repr, unknown))}."]})
    return platforms


def comparison_arguments(params: Any) -> tuple[list[Platform] | None, DocumentType | None, date | None]:
    """A comparison's `platforms`, `document_type` and `as_of`, each checked with a 400 naming it."""
    platforms = platforms_argument(params.get("platforms", ""))
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
    return platforms, document_type, as_of


PLATFORMS = OpenApiParameter("platforms", OpenApiTypes.STR, description="Comma-separated platform slugs.")


class PublishedCursorPagination(CursorPagination):
    ordering = ("-published_at", "-id")


@extend_schema_view(list=extend_schema(summary="List the topics of the taxonomy with their categories"))
class TopicViewSet(ReadOnlyViewSet):
    queryset = selectors.topic_list()
    serializer_class = serializers.TopicSerializer
    lookup_field = "slug"

    @cached_response
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @cached_response
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="List the categories (the questions), with counts of published provisions"),
    retrieve=extend_schema(summary="A category with its stances and crosswalks"),
)
class CategoryViewSet(ReadOnlyViewSet):
    queryset = selectors.category_list()
    serializer_class = serializers.CategorySerializer
    filterset_class = CategoryFilterSet
    lookup_field = "slug"

    @cached_response
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @cached_response
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="How every platform answers one category",
        description=(
            "One row per platform (all, or `platforms=a,b,c`): the published provisions on the versions in force "
            "at `as_of` (default: today) with quote, analysis, version id, sha256 and recorded date; or a reviewed "
            "silence (`not_addressed`); or `not_reviewed`. The summary counts platforms per stance."
        ),
        parameters=[
            PLATFORMS,
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
        # The category alone: the list's per-category counts would read every provision.
        detail_queryset=Category.objects.all(),
    )
    @cached_response
    def comparison(self, request: Request, slug: str) -> Response:
        category = self.get_object()
        platforms, document_type, as_of = comparison_arguments(request.query_params)
        comparison = selectors.comparison_for_category(
            category=category, platforms=platforms, document_type=document_type, as_of=as_of
        )
        provisions_url = request.build_absolute_uri(reverse("provision-list"))
        return Response(serializers.comparison_data(comparison, provisions_url=provisions_url))


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

    @cached_response
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # ProvisionSerializer's output, built by the slim function: the list is the hot path.
        rows = selectors.provision_values(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(rows)
        assert page is not None
        provisions_url = request.build_absolute_uri(reverse("provision-list"))
        data = [
            serializers.provision_data(row, provisions_url=provisions_url) for row in selectors.provision_rows(page)
        ]
        return self.get_paginated_response(data)

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
        result = selectors.search_run(q=q, limit=int(raw_limit))
        provisions_url = request.build_absolute_uri(reverse("provision-list"))
        return Response(serializers.search_result_data(result, q=q, provisions_url=provisions_url))


# The regulatory mapping.


@extend_schema_view(
    list=extend_schema(summary="List the regulatory frameworks (GDPR, CCPA/CPRA, EU AI Act...)"),
    retrieve=extend_schema(summary="A framework"),
)
class FrameworkViewSet(ReadOnlyViewSet):
    queryset = selectors.framework_list()
    serializer_class = serializers.FrameworkSerializer
    filterset_class = None
    lookup_field = "slug"
    pagination_class = None

    @extend_schema(
        summary="A framework's articles, with the categories that relate to each",
        responses=serializers.ArticleSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="articles", filterset_class=None, pagination_class=None)
    def articles(self, request: Request, slug: str) -> Response:
        framework = self.get_object()
        articles = selectors.article_list().filter(framework=framework)
        return Response(serializers.ArticleSerializer(articles, many=True).data)

    @extend_schema(
        summary="Coverage matrix: platform x article",
        description=(
            "For each platform (all that have documents, or `platforms=a,b,c`) and each article of the framework: "
            "the reviewed findings of its published provisions against the article, and the cell's `status` (the "
            "gravest finding: potentially_conflicts > silent > partially_addresses > addresses), or `none`."
        ),
        parameters=[PLATFORMS],
        responses=serializers.MatrixSerializer,
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="matrix",
        filterset_class=None,
        pagination_class=None,
        extra_query_params=("platforms",),
    )
    @cached_response
    def matrix(self, request: Request, slug: str) -> Response:
        framework = self.get_object()
        platforms = platforms_argument(request.query_params.get("platforms", ""))
        matrix = selectors.framework_matrix(framework=framework, platforms=platforms)
        return Response(serializers.MatrixSerializer(matrix).data)


@extend_schema_view(
    list=extend_schema(summary="List the articles of every framework"),
    retrieve=extend_schema(summary="An article, with the categories that relate to it"),
)
class ArticleViewSet(ReadOnlyViewSet):
    queryset = selectors.article_list()
    serializer_class = serializers.ArticleSerializer
    filterset_class = ArticleFilterSet

    @extend_schema(
        summary="Published provisions mapped to an article, by platform",
        description=(
            "The published provisions of every category that relates to the article, and those with a reviewed "
            "finding against it, grouped by platform; each with its finding on this article, or null."
        ),
        parameters=[PLATFORMS],
        responses=serializers.ArticleProvisionsSerializer,
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="provisions",
        filterset_class=None,
        pagination_class=None,
        extra_query_params=("platforms",),
    )
    @cached_response
    def provisions(self, request: Request, pk: str) -> Response:
        article = self.get_object()
        platforms = platforms_argument(request.query_params.get("platforms", ""))
        groups = selectors.article_provisions(article=article, platforms=platforms)
        data = {"article": article, "platforms": groups}
        return Response(serializers.ArticleProvisionsSerializer(data, context=self.get_serializer_context()).data)


# Exports (professional keys).

EXPORT_FORMATS = [
    OpenApiParameter(
        "format",
        OpenApiTypes.STR,
        enum=["json", "csv"],
        description="json (default) or csv; or send `Accept: text/csv`.",
    )
]


@extend_schema(tags=["exports"])
class ExportViewSet(viewsets.GenericViewSet[Any]):
    """Audit-ready exports: the same rows as CSV or JSON, with who wrote and reviewed what, and when."""

    queryset = Provision.objects.none()
    permission_classes = [IsProfessionalClient]
    requires_professional_client = True
    renderer_classes = [ORJSONRenderer, CsvRenderer]
    pagination_class = None
    filterset_class = None
    extra_query_params: tuple[str, ...] = ()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # The strict filter backend's check: an unknown parameter is a 400, never silently ignored.
        self.filter_queryset(self.get_queryset())

    def _export(self, kind: str, query: dict[str, Any], columns: list[str], rows: list[dict[str, Any]]) -> Response:
        meta = {"kind": kind, "generated_at": timezone.now().isoformat(), "query": query, "count": len(rows)}
        response = Response({"export": meta, "columns": columns, "rows": rows})
        if getattr(self.request.accepted_renderer, "format", "") == "csv":
            response["Content-Disposition"] = f'attachment; filename="conductatlas-{kind}.csv"'
        return response

    @extend_schema(
        summary="Export a comparison: one row per provision",
        description=(
            "The published provisions of a category (`category`, required) on the versions in force at `as_of`, "
            "for all platforms or `platforms=a,b,c`, optionally one `document_type`. Each row has the quote, its "
            "version id, sha256 and offsets, source URLs, analysis, findings, author, reviewer and dates."
        ),
        parameters=[
            OpenApiParameter("category", OpenApiTypes.STR, required=True, description="The category's slug."),
            PLATFORMS,
            OpenApiParameter("document_type", OpenApiTypes.STR, description="Only this document type (slug)."),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="The state at this date (YYYY-MM-DD)."),
            *EXPORT_FORMATS,
        ],
        responses=serializers.ExportSerializer,
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="comparison",
        extra_query_params=("category", "platforms", "document_type", "as_of"),
    )
    def comparison(self, request: Request) -> Response:
        provisions, query = _comparison_provisions(request.query_params)
        rows = [exports.provision_row(provision) for provision in provisions]
        return self._export("comparison", query, exports.PROVISION_COLUMNS, rows)

    @extend_schema(
        summary="Export a platform's published provisions: one row per provision",
        parameters=[
            OpenApiParameter("platform", OpenApiTypes.STR, required=True, description="The platform's slug."),
            OpenApiParameter("category", OpenApiTypes.STR, description="Only this category (slug)."),
            *EXPORT_FORMATS,
        ],
        responses=serializers.ExportSerializer,
    )
    @action(detail=False, methods=["get"], url_path="provisions", extra_query_params=("platform", "category"))
    def provisions(self, request: Request) -> Response:
        provisions, query = _platform_provisions(request.query_params)
        rows = [exports.provision_row(provision) for provision in provisions]
        return self._export("provisions", query, exports.PROVISION_COLUMNS, rows)

    @extend_schema(
        summary="Export a platform's timeline: one row per version",
        parameters=[
            OpenApiParameter("platform", OpenApiTypes.STR, required=True, description="The platform's slug."),
            *EXPORT_FORMATS,
        ],
        responses=serializers.ExportSerializer,
    )
    @action(detail=False, methods=["get"], url_path="timeline", extra_query_params=("platform",))
    def timeline(self, request: Request) -> Response:
        platform = _required_platform(request.query_params)
        versions = platform_timeline(platform=platform)
        rows = [exports.timeline_row(version) for version in versions]
        return self._export("timeline", {"platform": platform.slug}, exports.TIMELINE_COLUMNS, rows)

    @extend_schema(
        summary="Export a search result: one row per hit",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=True, description="What to search for."),
            OpenApiParameter("limit", OpenApiTypes.INT, description="At most this many hits (1-200, default 50)."),
            *EXPORT_FORMATS,
        ],
        responses=serializers.ExportSerializer,
    )
    @action(detail=False, methods=["get"], url_path="search", extra_query_params=("q", "limit"))
    def search(self, request: Request) -> Response:
        q = request.query_params.get("q", "").strip()
        if not q or len(q) > 300:
            raise ValidationError({"q": ["Say what to search for, in at most 300 characters: ?q=..."]})
        raw_limit = request.query_params.get("limit", "50")
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= 200:
            raise ValidationError({"limit": ["A whole number from 1 to 200."]})
        result = selectors.search_run(q=q, limit=int(raw_limit))
        rows = [exports.search_row(hit) for hit in result.hits]
        query = {"q": q, "limit": raw_limit, "ranking": {kind: str(r) for kind, r in result.ranking.items()}}
        return self._export("search", query, exports.SEARCH_COLUMNS, rows)

    @extend_schema(
        summary="Evidence bundle: a zip anyone can verify without our database",
        description=(
            "For a comparison (`category`, optionally `platforms`, `document_type`, `as_of`) or a platform's "
            "provisions (`platform`, optionally `category`): the archived text of every version quoted, a "
            "`manifest.json` (each provision's quote, offsets, version id, recorded date, source URLs, sha256, "
            "author, reviewer, findings) and `SHA256SUMS` (check it with `sha256sum -c SHA256SUMS`; "
            "`manage.py verify_bundle FILE` also checks every quote against its text)."
        ),
        parameters=[
            OpenApiParameter("category", OpenApiTypes.STR, description="The category's slug (a comparison)."),
            OpenApiParameter("platform", OpenApiTypes.STR, description="A platform's slug (its provisions)."),
            PLATFORMS,
            OpenApiParameter("document_type", OpenApiTypes.STR, description="Only this document type (slug)."),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="The state at this date (YYYY-MM-DD)."),
        ],
        responses={(200, "application/zip"): OpenApiTypes.BINARY},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="evidence",
        extra_query_params=("category", "platform", "platforms", "document_type", "as_of"),
        renderer_classes=[ORJSONRenderer, ZipRenderer],
    )
    def evidence(self, request: Request) -> HttpResponse:
        params = request.query_params
        if params.get("platform") and not params.get("category"):
            provisions, query = _platform_provisions(params)
        elif params.get("category") and not params.get("platform"):
            provisions, query = _comparison_provisions(params)
        else:
            raise ValidationError(
                {"category": ["Give either `category` (a comparison) or `platform` (its provisions), not both."]}
            )
        bundle = exports.bundle_build(provisions=provisions, query=query)
        name = "-".join(str(value) for value in query.values() if value)
        return HttpResponse(
            bundle.content,
            content_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="conductatlas-evidence-{name}.zip"'},
        )


def _required_platform(params: Any) -> Platform:
    slug = params.get("platform", "")
    if not slug:
        raise ValidationError({"platform": ["Say which platform: ?platform=<slug>."]})
    platform = Platform.objects.filter(slug=slug).first()
    if platform is None:
        raise ValidationError({"platform": [f"No platform with slug {slug!r}."]})
    return platform


def _optional_category(params: Any, *, required: bool = False) -> Category | None:
    slug = params.get("category", "")
    if not slug:
        if required:
            raise ValidationError({"category": ["Say which category: ?category=<slug>."]})
        return None
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise ValidationError({"category": [f"No category with slug {slug!r}."]})
    return category


def _comparison_provisions(params: Any) -> tuple[list[Provision], dict[str, Any]]:
    category = _optional_category(params, required=True)
    assert category is not None
    platforms, document_type, as_of = comparison_arguments(params)
    provisions, day = exports.comparison_provisions(
        category=category, platforms=platforms, document_type=document_type, as_of=as_of
    )
    query = {
        "category": category.slug,
        "platforms": params.get("platforms") or None,
        "document_type": document_type.slug if document_type else None,
        "as_of": day.isoformat(),
    }
    return provisions, query


def _platform_provisions(params: Any) -> tuple[list[Provision], dict[str, Any]]:
    platform = _required_platform(params)
    category = _optional_category(params)
    provisions = exports.platform_provisions(platform=platform, category=category)
    return provisions, {"platform": platform.slug, "category": category.slug if category else None}
