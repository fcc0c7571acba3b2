import pytest
from rest_framework.test import APIClient


def pytest_sessionstart(session: pytest.Session) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.exit(
            "The tests run on PostgreSQL: use `make test`, or set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/conductatlas",
            returncode=2,
        )


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def count_queries(api_client: APIClient):
    """GET a URL and return (response, number of queries it ran)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(url: str):
        with CaptureQueriesContext(connection) as captured:
            response = api_client.get(url)
        assert response.status_code == 200, response.content
        return response, len(captured)

    return run
