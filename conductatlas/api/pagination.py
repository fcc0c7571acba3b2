from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """For the small, slow-growing tables (platforms, document types, documents)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CursorPagination(pagination.CursorPagination):
    """For the big, growing tables: no COUNT(*), stable under inserts. Views set `ordering` (unique last)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
