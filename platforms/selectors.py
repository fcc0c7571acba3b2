"""Reads of the archive that span relations. Views and commands read through these."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, F, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from platforms.models import Change, Check, Document, DocumentType, Platform, Version


def _count_subquery(queryset: QuerySet[Version] | QuerySet[Document], field: str) -> Coalesce:
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def platform_list() -> QuerySet[Platform]:
    """Platforms with their counts and the dates of their latest version and latest change.

    Counts are correlated subqueries rather than joined Counts, so the row count never multiplies.
    """
    versions = Version.objects.filter(document__platform=OuterRef("pk"))
    return Platform.objects.annotate(
        document_count=_count_subquery(Document.objects.filter(platform=OuterRef("pk")), "platform"),
        version_count=_count_subquery(versions, "document__platform"),
        latest_version_at=Subquery(
            versions.order_by().values("document__platform").annotate(m=Max("recorded_at")).values("m")
        ),
        latest_change_at=Subquery(
            versions.filter(predecessor__isnull=False)
            .order_by()
            .values("document__platform")
            .annotate(m=Max("recorded_at"))
            .values("m")
        ),
    ).order_by("slug")


def platform_detail_queryset() -> QuerySet[Platform]:
    return platform_list().prefetch_related(Prefetch("documents", queryset=document_list()))


def document_type_list() -> QuerySet[DocumentType]:
    return DocumentType.objects.annotate(
        document_count=_count_subquery(Document.objects.filter(document_type=OuterRef("pk")), "document_type")
    ).order_by("position", "slug")


def document_list() -> QuerySet[Document]:
    """Documents with platform, type and current version (without its text) in the same query."""
    return (
        Document.objects.select_related("platform", "document_type", "current_version")
        .defer("current_version__text")
        .annotate(version_count=_count_subquery(Version.objects.filter(document=OuterRef("pk")), "document"))
        .order_by("platform__slug", "document_type__position", "jurisdiction", "language", "product_tier", "id")
    )


def version_list() -> QuerySet[Version]:
    """Versions without their text: lists never carry megabytes."""
    return (
        Version.objects.select_related("document__platform", "document__document_type")
        .defer("text")
        .order_by("-recorded_at", "-id")
    )


def version_detail_queryset() -> QuerySet[Version]:
    return Version.objects.select_related("document__platform", "document__document_type", "predecessor").defer(
        "predecessor__text"
    )


def version_as_of(*, document: Document, on: date) -> Version | None:
    """The version in force at the end of day `on` (UTC): the last one recorded on or before it."""
    end = datetime.combine(on + timedelta(days=1), time.min, tzinfo=UTC)
    return (
        version_detail_queryset().filter(document=document, recorded_at__lt=end).order_by("-recorded_at", "-id").first()
    )


def check_list() -> QuerySet[Check]:
    return Check.objects.select_related("document__platform", "document__document_type").order_by("-checked_at", "-id")


def document_type_resolve(*, name: str) -> DocumentType | None:
    """The document type a name designates: its slug, its name or one of its aliases, in any case or spelling."""
    wanted = slugify(name)
    if not wanted:
        return None
    for document_type in DocumentType.objects.all():
        spellings = {
            document_type.slug,
            slugify(document_type.name),
            *(slugify(a) for a in document_type.aliases),
        }
        if wanted in spellings:
            return document_type
    return None


def documents_trackable() -> QuerySet[Document]:
    """Documents that have something to fetch."""
    return Document.objects.filter(sources__isnull=False).distinct().select_related("platform", "document_type")


def documents_due(*, now: datetime) -> QuerySet[Document]:
    """Trackable documents never checked, or last checked at least their check interval ago."""
    return documents_trackable().filter(
        Q(last_checked_at__isnull=True) | Q(last_checked_at__lte=now - F("check_interval"))
    )


def change_list() -> QuerySet[Change]:
    """Changes without their hunks, with document, platform and both versions in the same query."""
    return (
        Change.objects.select_related("document__platform", "document__document_type", "version", "predecessor")
        .defer("hunks", "version__text", "predecessor__text")
        .order_by("-recorded_at", "-id")
    )


def change_detail_queryset() -> QuerySet[Change]:
    return Change.objects.select_related(
        "document__platform", "document__document_type", "version", "predecessor"
    ).defer("version__text", "predecessor__text")


def platform_timeline(*, platform: Platform) -> QuerySet[Version]:
    """Every version of the platform's documents, newest first: first records and changes (hunks left out)."""
    return (
        Version.objects.filter(document__platform=platform)
        .select_related("document__platform", "document__document_type", "change__version", "change__predecessor")
        .defer(
            "text",
            "change__hunks",
            "change__version__text",
            "change__predecessor__text",
        )
        .order_by("-recorded_at", "-id")
    )
