"""Pagination whose bad input is a 400 naming the parameter, like every other bad input."""

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView


class PageNumberPagination(pagination.PageNumberPagination):
    """For the small, slow-growing tables (platforms, document types, documents)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise ValidationError(
                {self.page_query_param: [f"{error.detail} Pages are numbered from 1; follow the `next` link."]}
            ) from error


class CursorPagination(pagination.CursorPagination):
    """For the big, growing tables: no COUNT(*), stable under inserts. Views set `ordering` (unique last)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise ValidationError(
                {self.cursor_query_param: ["Invalid cursor: use the `next` and `previous` links as given."]}
            ) from error
