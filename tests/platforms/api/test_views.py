from datetime import UTC, datetime

import pytest

from platforms.models import DocumentType
from tests.factories import CheckFactory, DocumentFactory, PlatformFactory, SourceFactory, version_chain

pytestmark = pytest.mark.django_db


def make_platforms(count: int, *, start: int = 0) -> None:
    terms = DocumentType.objects.get(slug="terms-of-service")
    for n in range(start, start + count):
        platform = PlatformFactory.create(slug=f"p{n:03d}", name=f"P {n}")
        privacy = DocumentFactory.create(platform=platform)
        SourceFactory.create(document=privacy)
        version_chain(document=privacy, texts=[f"Privacy {n} v1", f"Privacy {n} v2"])
        version_chain(document=DocumentFactory.create(platform=platform, document_type=terms), texts=[f"Terms {n}"])
        CheckFactory.create(document=privacy)


LIST_URLS = [
    "/api/v1/platforms/",
    "/api/v1/document-types/",
    "/api/v1/documents/",
    "/api/v1/versions/",
    "/api/v1/checks/",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_list_query_count_does_not_grow_with_rows(url, count_queries):
    make_platforms(2)
    _, few = count_queries(url)
    make_platforms(20, start=2)
    response, many = count_queries(url)
    assert many == few
    assert response.json()["results"]


@pytest.mark.parametrize(
    "url",
    ["/api/v1/platforms/p000/", "/api/v1/documents/{document}/", "/api/v1/versions/{version}/"],
)
def test_detail_query_count_does_not_grow_with_related_rows(url, count_queries):
    make_platforms(1)
    platform = PlatformFactory.create(slug="p000")
    document = platform.documents.first()
    assert document is not None
    target = url.format(document=document.pk, version=document.current_version_id)
    _, few = count_queries(target)
    terms = DocumentType.objects.get(slug="ai-terms")
    for n in range(10):
        extra = DocumentFactory.create(platform=platform, document_type=terms, jurisdiction=f"X{n}")
        version_chain(document=extra, texts=["a", "b"])
        SourceFactory.create(document=document)
    _, many = count_queries(target)
    assert many == few


def test_api_root_lists_every_resource(api_client):
    body = api_client.get("/api/v1/").json()
    assert set(body) >= {"platforms", "document-types", "documents", "versions", "checks"}


def test_platform_list_shows_counts_and_latest_dates(api_client):
    make_platforms(1)
    (row,) = api_client.get("/api/v1/platforms/").json()["results"]
    assert row["slug"] == "p000"
    assert row["document_count"] == 2
    assert row["version_count"] == 3
    assert row["latest_change_at"] == "2025-01-02T00:00:00Z"


def test_platform_detail_is_addressed_by_slug_and_lists_documents(api_client):
    make_platforms(1)
    body = api_client.get("/api/v1/platforms/p000/").json()
    assert [d["document_type"]["slug"] for d in body["documents"]] == ["privacy-policy", "terms-of-service"]
    assert body["documents"][0]["current_version"]["recorded_at"] == "2025-01-02T00:00:00Z"
    assert api_client.get("/api/v1/platforms/nope/").status_code == 404


def test_version_list_has_no_text_and_detail_has_text_sha256_and_predecessor(api_client):
    make_platforms(1)
    listed = api_client.get("/api/v1/versions/?platform=p000&document_type=privacy-policy").json()["results"]
    assert [v["recorded_at"][:10] for v in listed] == ["2025-01-02", "2025-01-01"]
    assert "text" not in listed[0]
    detail = api_client.get(f"/api/v1/versions/{listed[0]['id']}/").json()
    assert detail["text"] == "Privacy 0 v2\n"
    assert len(detail["sha256"]) == 64
    assert detail["predecessor"]["id"] == listed[1]["id"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("since=2025-01-02", 1),
        ("until=2025-01-01", 2),
        ("since=2025-01-01T12:00:00Z", 1),
        ("origin=imported", 3),
    ],
)
def test_version_filters_by_date_bounds_and_origin(api_client, query, expected):
    make_platforms(1)
    assert len(api_client.get(f"/api/v1/versions/?{query}").json()["results"]) == expected


def test_documents_filter_by_platform_slug_and_id(api_client):
    make_platforms(2)
    platform = PlatformFactory.create(slug="p001")
    by_slug = api_client.get("/api/v1/documents/?platform=p001").json()["results"]
    by_id = api_client.get(f"/api/v1/documents/?platform_id={platform.pk}").json()["results"]
    assert len(by_slug) == 2
    assert by_slug == by_id


@pytest.mark.parametrize(
    ("url", "parameter", "message"),
    [
        (
            "/api/v1/documents/?platform=no-such-platform",
            "platform",
            "No platform with slug 'no-such-platform'",
        ),
        ("/api/v1/versions/?since=yesterday", "since", "ISO 8601"),
        ("/api/v1/versions/?until=2025-02-30", "until", "ISO 8601"),
        ("/api/v1/versions/?since=0001-01-01T00:00:00%2B05:00", "since", "out of range"),
        ("/api/v1/checks/?platform_id=abc", "platform_id", "No platform with id 'abc'"),
        ("/api/v1/checks/?failure_label=gremlins", "failure_label", "gremlins"),
        ("/api/v1/platforms/?platfrom=openai", "platfrom", "Unknown query parameter"),
        ("/api/v1/versions/?page_size=10&cursor=garbage", "cursor", "Invalid cursor"),
        ("/api/v1/platforms/?page=99", "page", "Invalid page"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_parameter(api_client, url, parameter, message):
    response = api_client.get(url)
    assert response.status_code == 400
    error = response.json()["error"]
    assert parameter in error["fields"]
    assert message in error["message"]


def test_an_etag_answer_gives_304_on_if_none_match(api_client):
    make_platforms(1)
    first = api_client.get("/api/v1/platforms/")
    assert first.has_header("ETag")
    again = api_client.get("/api/v1/platforms/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_a_version_detail_sends_last_modified_and_honours_if_modified_since(api_client):
    make_platforms(1)
    version_id = api_client.get("/api/v1/versions/").json()["results"][0]["id"]
    first = api_client.get(f"/api/v1/versions/{version_id}/")
    assert first["Last-Modified"] == "Thu, 02 Jan 2025 00:00:00 GMT"
    again = api_client.get(f"/api/v1/versions/{version_id}/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_as_of_returns_the_version_in_force_at_a_date(api_client):
    document = DocumentFactory.create()
    first, second = version_chain(
        document=document, texts=["Old terms", "New terms"], start=datetime(2025, 3, 10, tzinfo=UTC)
    )
    url = f"/api/v1/documents/{document.pk}/versions/as-of"
    assert api_client.get(f"{url}/2025-03-10/").json()["id"] == first.pk
    assert api_client.get(f"{url}/2025-03-11/").json()["id"] == second.pk
    assert api_client.get(f"{url}/2030-01-01/").json()["text"] == "New terms\n"


def test_as_of_before_the_first_record_is_404_and_a_malformed_date_is_400(api_client):
    document = DocumentFactory.create()
    version_chain(document=document, texts=["Terms"], start=datetime(2025, 3, 10, tzinfo=UTC))
    url = f"/api/v1/documents/{document.pk}/versions/as-of"
    before = api_client.get(f"{url}/2025-03-09/")
    assert before.status_code == 404
    assert "2025-03-09" in before.json()["error"]["message"]
    malformed = api_client.get(f"{url}/March-9/")
    assert malformed.status_code == 400
    assert "date" in malformed.json()["error"]["fields"]
    assert api_client.get("/api/v1/documents/999999/versions/as-of/2025-03-09/").status_code == 404


def test_versions_paginate_with_a_cursor_not_a_count(api_client):
    make_platforms(3)
    page = api_client.get("/api/v1/versions/?page_size=4").json()
    assert "count" not in page
    assert len(page["results"]) == 4
    seen = [v["id"] for v in page["results"]]
    while page["next"]:
        page = api_client.get(page["next"]).json()
        seen += [v["id"] for v in page["results"]]
    assert len(seen) == len(set(seen)) == 9


def test_writes_are_not_allowed_on_the_archive(api_client):
    make_platforms(1)
    assert api_client.post("/api/v1/platforms/", {"slug": "x"}, format="json").status_code in (401, 403, 405)
    assert api_client.delete("/api/v1/platforms/p000/").status_code in (401, 403, 405)


def test_documents_show_and_filter_their_need_for_intervention(api_client):
    healthy = DocumentFactory.create()
    failing = DocumentFactory.create(consecutive_failures=3)
    flagged = api_client.get("/api/v1/documents/?needs_intervention=true").json()["results"]
    assert [d["id"] for d in flagged] == [failing.pk]
    assert flagged[0]["needs_intervention"] is True
    fine = api_client.get("/api/v1/documents/?needs_intervention=false").json()["results"]
    assert [d["id"] for d in fine] == [healthy.pk]


def test_versions_filter_technical_upgrades(api_client):
    make_platforms(1)
    assert api_client.get("/api/v1/versions/?technical=true").json()["results"] == []
    assert len(api_client.get("/api/v1/versions/?technical=false").json()["results"]) == 3
