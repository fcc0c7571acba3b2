"""Pagination whose bad input is a 400 naming the parameter, like every other bad input."""

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView


class BadPageAsValidationError:
    """DRF answers a page out of range or a broken cursor with a 404; here it is a 400 naming the parameter."""

    bad_page_parameter = ""
    bad_page_advice = ""

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        try:
            return super().paginate_queryset(queryset, request, view)  # type: ignore[misc]
        except NotFound as error:
            raise ValidationError({self.bad_page_parameter: [f"{error.detail} {self.bad_page_advice}"]}) from error


class PageNumberPagination(BadPageAsValidationError, pagination.PageNumberPagination):
    """For the small, slow-growing tables (platforms, document types, documents)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    bad_page_parameter = "page"
    bad_page_advice = "Pages are numbered from 1; follow the `next` link."


class CursorPagination(BadPageAsValidationError, pagination.CursorPagination):
    """For the big, growing tables: no COUNT(*), stable under inserts. Views set `ordering` (unique last)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    bad_page_parameter = "cursor"
    bad_page_advice = "Use the `next` and `previous` links as given."
