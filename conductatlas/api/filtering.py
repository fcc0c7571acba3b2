"""Filtering that never silently ignores what a client asked for.

An invalid value is a 400 naming the parameter (django-filter with raise_exception), and so is an
unknown parameter: a typo such as `?platfrom=openai` would otherwise return everything.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

ALWAYS_ALLOWED = {"format"}


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: APIView) -> QuerySet[Any]:
        allowed = set(ALWAYS_ALLOWED)
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            allowed |= set(filterset_class.base_filters)
        paginator = getattr(view, "paginator", None)
        for attribute in ("page_query_param", "page_size_query_param", "cursor_query_param"):
            name = getattr(paginator, attribute, None)
            if name:
                allowed.add(name)
        allowed |= set(getattr(view, "extra_query_params", ()))
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise serializers.ValidationError(
                {name: [f"Unknown query parameter. Allowed here: {', '.join(sorted(allowed))}."] for name in unknown}
            )
        if not set(request.query_params) & set(filterset_class.base_filters if filterset_class else ()):
            # No filter asked for: building the FilterSet and its form would only cost time.
            return queryset
        return super().filter_queryset(request, queryset, view)


class DateOrDateTimeField(forms.Field):
    """An ISO 8601 date (2025-08-01) or date-time (2025-08-01T12:00:00Z); a bare date is a whole UTC day."""

    default_error_messages = {
        "invalid": "Enter an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SSZ).",
    }

    def to_python(self, value: Any) -> date | datetime | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
        if timezone.is_naive(moment):
            return moment.replace(tzinfo=UTC)
        try:
            # In UTC, because PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 allows.
            return moment.astimezone(UTC)
        except OverflowError as error:
            raise forms.ValidationError("The date-time is out of range.", code="invalid") from error


class SinceFilter(django_filters.Filter):
    """Inclusive lower bound: on or after the given date-time (a bare date: its start, UTC)."""

    field_class = DateOrDateTimeField

    def filter(self, qs: QuerySet[Any], value: date | datetime | None) -> QuerySet[Any]:
        if value is None:
            return qs
        if not isinstance(value, datetime):
            value = datetime.combine(value, time.min, tzinfo=UTC)
        return qs.filter(**{f"{self.field_name}__gte": value})


class UntilFilter(django_filters.Filter):
    """Inclusive upper bound: on or before the given date-time (a bare date: the whole day, UTC)."""

    field_class = DateOrDateTimeField

    def filter(self, qs: QuerySet[Any], value: date | datetime | None) -> QuerySet[Any]:
        if value is None:
            return qs
        if isinstance(value, datetime):
            return qs.filter(**{f"{self.field_name}__lte": value})
        next_day = datetime.combine(value + timedelta(days=1), time.min, tzinfo=UTC)
        return qs.filter(**{f"{self.field_name}__lt": next_day})


def slug_filter(*, field_name: str, queryset: QuerySet[Any], noun: str) -> django_filters.ModelChoiceFilter:
    """A foreign key addressed by slug; an unknown slug is a 400 that says which one."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=queryset,
        to_field_name="slug",
        help_text=f"The {noun}'s slug.",
        error_messages={"invalid_choice": f"No {noun} with slug %(value)r."},
    )


def id_filter(*, field_name: str, queryset: QuerySet[Any], noun: str) -> django_filters.ModelChoiceFilter:
    """A foreign key addressed by id; an unknown or malformed id is a 400 that says which one."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=queryset,
        help_text=f"The {noun}'s id.",
        error_messages={"invalid_choice": f"No {noun} with id %(value)r."},
    )
