"""The OpenAPI schema is the contract third parties build from: it must be valid and true."""

import re

import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conductatlas.wsgi import application
from tests.platforms.api.test_views import make_platforms

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


def test_the_schema_is_openapi_3_1_and_documents_every_endpoint(api_client):
    response = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    paths = set(document["paths"])
    assert {
        "/api/v1/platforms/",
        "/api/v1/platforms/{slug}/",
        "/api/v1/document-types/",
        "/api/v1/documents/",
        "/api/v1/documents/{id}/versions/as-of/{date}/",
        "/api/v1/versions/",
        "/api/v1/versions/{id}/",
        "/api/v1/checks/",
    } <= paths
    versions = document["paths"]["/api/v1/versions/"]["get"]
    assert {"platform", "platform_id", "document_type", "since", "until", "cursor"} <= {
        p["name"] for p in versions["parameters"]
    }
    assert {"200", "304", "400", "429"} <= set(versions["responses"])
    assert "Error" in document["components"]["schemas"]


@pytest.mark.django_db
def test_the_schema_generates_without_a_single_warning(tmp_path):
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml"))
    assert "openapi: 3.1.0" in (tmp_path / "schema.yaml").read_text()


@pytest.mark.django_db
def test_the_docs_page_loads_no_external_asset(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    external = [url for url in re.findall(r'(?:src|href)="([^"]+)"', html) if "://" in url or url.startswith("//")]
    assert external == []
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        served = client.get(asset)
        served.close()
        assert served.status_code == 200, asset


@pytest.fixture
def contract_data(db):
    make_platforms(3)
    # As Django's test client does: the WSGI handler would otherwise close the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_the_api_honours_its_schema(case, contract_data):
    # Throttling is tested elsewhere; here it would only turn examples into 429s.
    cache.clear()
    case.call_and_validate(
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    )
