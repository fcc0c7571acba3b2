"""Explicit FilterSets for the archive's endpoints: foreign keys by slug and by id, dates as since/until."""

import django_filters
from django.db.models import Q, QuerySet

from conductatlas.api.filtering import SinceFilter, UntilFilter, id_filter, slug_filter
from platforms.models import FAILURES_BEFORE_INTERVENTION, Change, Check, Document, DocumentType, Platform, Version
from platforms.significance import RANK, Significance


class PlatformFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", help_text="Text in the platform's name, slug or provider.")
    kind = django_filters.ChoiceFilter(choices=Platform.Kind.choices)
    country = django_filters.CharFilter(field_name="country", lookup_expr="iexact", help_text="ISO 3166-1 alpha-2.")

    class Meta:
        model = Platform
        fields = ["q", "kind", "country"]

    def filter_q(self, queryset: QuerySet[Platform], name: str, value: str) -> QuerySet[Platform]:
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value) | Q(provider__icontains=value))


class DocumentTypeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", help_text="Text in the type's name or slug.")

    class Meta:
        model = DocumentType
        fields = ["q"]

    def filter_q(self, queryset: QuerySet[DocumentType], name: str, value: str) -> QuerySet[DocumentType]:
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))


class DocumentFilterSet(django_filters.FilterSet):
    platform = slug_filter(field_name="platform", queryset=Platform.objects.all(), noun="platform")
    platform_id = id_filter(field_name="platform", queryset=Platform.objects.all(), noun="platform")
    document_type = slug_filter(field_name="document_type", queryset=DocumentType.objects.all(), noun="document type")
    document_type_id = id_filter(field_name="document_type", queryset=DocumentType.objects.all(), noun="document type")
    jurisdiction = django_filters.CharFilter(
        field_name="jurisdiction",
        lookup_expr="iexact",
        help_text="EU, US, US-CA...; empty string for worldwide.",
    )
    language = django_filters.CharFilter(field_name="language", lookup_expr="iexact")
    product_tier = django_filters.CharFilter(field_name="product_tier", lookup_expr="iexact")
    q = django_filters.CharFilter(method="filter_q", help_text="Text in the document, platform or type name.")
    needs_intervention = django_filters.BooleanFilter(
        method="filter_needs_intervention", help_text="Fetching has failed 3 times in a row."
    )

    class Meta:
        model = Document
        fields = ["platform", "platform_id", "document_type", "document_type_id", "jurisdiction", "language"]

    def filter_q(self, queryset: QuerySet[Document], name: str, value: str) -> QuerySet[Document]:
        return queryset.filter(
            Q(name__icontains=value) | Q(platform__name__icontains=value) | Q(document_type__name__icontains=value)
        )

    def filter_needs_intervention(self, queryset: QuerySet[Document], name: str, value: bool) -> QuerySet[Document]:
        if value:
            return queryset.filter(consecutive_failures__gte=FAILURES_BEFORE_INTERVENTION)
        return queryset.filter(consecutive_failures__lt=FAILURES_BEFORE_INTERVENTION)


class DocumentScopedFilterSet(django_filters.FilterSet):
    """The filters every record of a document shares: its platform (slug or id), the document, its type."""

    platform = slug_filter(field_name="document__platform", queryset=Platform.objects.all(), noun="platform")
    platform_id = id_filter(field_name="document__platform", queryset=Platform.objects.all(), noun="platform")
    document = id_filter(field_name="document", queryset=Document.objects.all(), noun="document")
    document_type = slug_filter(
        field_name="document__document_type", queryset=DocumentType.objects.all(), noun="document type"
    )


class VersionFilterSet(DocumentScopedFilterSet):
    since = SinceFilter(field_name="recorded_at", help_text="Recorded on or after (ISO 8601 date or date-time).")
    until = UntilFilter(field_name="recorded_at", help_text="Recorded on or before (a bare date: the whole day).")
    origin = django_filters.ChoiceFilter(choices=Version.Origin.choices)
    sha256 = django_filters.CharFilter(field_name="sha256", lookup_expr="exact", help_text="The text's sha256.")
    technical = django_filters.BooleanFilter(
        field_name="technical", help_text="Technical upgrades (extraction changed, not the terms) or not."
    )

    class Meta:
        model = Version
        fields = [
            "platform",
            "platform_id",
            "document",
            "document_type",
            "since",
            "until",
            "origin",
            "sha256",
        ]


class CheckFilterSet(DocumentScopedFilterSet):
    since = SinceFilter(field_name="checked_at", help_text="Checked on or after (ISO 8601 date or date-time).")
    until = UntilFilter(field_name="checked_at", help_text="Checked on or before (a bare date: the whole day).")
    outcome = django_filters.ChoiceFilter(choices=Check.Outcome.choices)
    failure_label = django_filters.ChoiceFilter(choices=Check.FailureLabel.choices)

    class Meta:
        model = Check
        fields = [
            "platform",
            "platform_id",
            "document",
            "document_type",
            "since",
            "until",
            "outcome",
            "failure_label",
        ]


class ChangeFilterSet(DocumentScopedFilterSet):
    significance = django_filters.ChoiceFilter(choices=Significance.choices, help_text="Exactly this significance.")
    min_significance = django_filters.ChoiceFilter(
        choices=Significance.choices,
        method="filter_min_significance",
        help_text="This significance or more: technical < cosmetic < substantive < material.",
    )
    since = SinceFilter(field_name="recorded_at", help_text="Recorded on or after (ISO 8601 date or date-time).")
    until = UntilFilter(field_name="recorded_at", help_text="Recorded on or before (a bare date: the whole day).")
    silent = django_filters.BooleanFilter(help_text='Substantive changes whose "last updated" date did not move.')
    announced = django_filters.BooleanFilter(help_text="Changes whose stated effective date was in the future.")
    reversion = django_filters.BooleanFilter(field_name="is_reversion", help_text="Flips back to an earlier text.")

    class Meta:
        model = Change
        fields = ["platform", "platform_id", "document", "document_type", "significance", "since", "until"]

    def filter_min_significance(self, queryset: QuerySet[Change], name: str, value: str) -> QuerySet[Change]:
        return queryset.filter(significance_rank__gte=RANK[Significance(value)])


class TimelineFilterSet(django_filters.FilterSet):
    document_type = slug_filter(
        field_name="document__document_type", queryset=DocumentType.objects.all(), noun="document type"
    )
    min_significance = django_filters.ChoiceFilter(
        choices=Significance.choices,
        method="filter_min_significance",
        help_text="Changes of this significance or more (first records are always shown).",
    )
    since = SinceFilter(field_name="recorded_at", help_text="On or after (ISO 8601 date or date-time).")
    until = UntilFilter(field_name="recorded_at", help_text="On or before (a bare date: the whole day).")

    class Meta:
        model = Version
        fields = ["document_type", "min_significance", "since", "until"]

    def filter_min_significance(self, queryset: QuerySet[Version], name: str, value: str) -> QuerySet[Version]:
        return queryset.filter(
            Q(predecessor__isnull=True) | Q(change__significance_rank__gte=RANK[Significance(value)])
        )
