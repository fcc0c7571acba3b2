"""Explicit FilterSets for a client's alerts."""

import django_filters
from django.db.models import QuerySet

from conductatlas.api.filtering import SinceFilter, UntilFilter, id_filter, slug_filter
from monitoring.models import Alert
from platforms.models import Platform
from platforms.significance import RANK, Significance


class AlertFilterSet(django_filters.FilterSet):
    platform = slug_filter(field_name="platform", queryset=Platform.objects.all(), noun="platform")
    platform_id = id_filter(field_name="platform", queryset=Platform.objects.all(), noun="platform")
    significance = django_filters.ChoiceFilter(choices=Significance.choices, help_text="Exactly this significance.")
    min_significance = django_filters.ChoiceFilter(
        choices=Significance.choices, method="filter_min_significance", help_text="This significance or above."
    )
    read = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", exclude=True, help_text="true: read ones; false: unread ones."
    )
    since = SinceFilter(field_name="created_at", help_text="Created on or after (ISO 8601 date or date-time).")
    until = UntilFilter(field_name="created_at", help_text="Created on or before (ISO 8601 date or date-time).")

    class Meta:
        model = Alert
        fields = ["platform", "platform_id", "significance", "min_significance", "read", "since", "until"]

    def filter_min_significance(self, queryset: QuerySet[Alert], name: str, value: str) -> QuerySet[Alert]:
        return queryset.filter(significance_rank__gte=RANK[Significance(value)])
