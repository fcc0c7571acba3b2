from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest

from platforms.models import DocumentType
from platforms.services import change_record
from tests.factories import DocumentFactory, PlatformFactory, version_chain

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def make_changes(count: int, *, start: int = 0) -> None:
    terms = DocumentType.objects.get(slug="terms-of-service")
    for n in range(start, start + count):
        platform = PlatformFactory.create(slug=f"c{n:03d}", name=f"C {n}")
        document = DocumentFactory.create(platform=platform, document_type=terms)
        versions = version_chain(
            document=document,
            texts=[f"Terms {n}.", f"Terms {n}!", f"Terms {n}: we train on your data."],
            start=datetime(2025, 1, 1 + n % 20, tzinfo=UTC),
        )
        for version in versions[1:]:
            change_record(version=version)


@pytest.mark.parametrize("url", ["/api/v1/changes/", "/api/v1/platforms/c000/timeline/"])
def test_change_lists_keep_their_query_count_as_data_grows(url, count_queries):
    make_changes(2)
    _, few = count_queries(url)
    make_changes(15, start=2)
    response, many = count_queries(url)
    assert many == few
    assert response.json()["results"]


def test_changes_are_newest_first_and_filter_by_minimum_significance(api_client):
    make_changes(2)
    rows = api_client.get("/api/v1/changes/").json()["results"]
    assert [r["recorded_at"] for r in rows] == sorted((r["recorded_at"] for r in rows), reverse=True)
    material = api_client.get("/api/v1/changes/?min_significance=material").json()["results"]
    assert {r["significance"] for r in material} == {"material"}
    assert len(material) == 2
    substantive_up = api_client.get("/api/v1/changes/?min_significance=substantive&platform=c001").json()["results"]
    assert len(substantive_up) == 1
    cosmetic = api_client.get("/api/v1/changes/?significance=cosmetic").json()["results"]
    assert len(cosmetic) == 2
    assert "hunks" not in rows[0]


def test_a_change_detail_has_its_diff_and_links_to_the_version_diff(api_client):
    make_changes(1)
    row = api_client.get("/api/v1/changes/?significance=material").json()["results"][0]
    detail = api_client.get(row["url"]).json()
    assert detail["hunks"][0]["lines"][0]["op"] == "~"
    diff = api_client.get(row["diff_url"]).json()
    assert diff["hunks"] == detail["hunks"]
    assert diff["old_version"]["id"] == row["predecessor"]["id"]


def test_a_diff_against_another_documents_version_or_without_against_is_a_400(api_client):
    first = version_chain(document=DocumentFactory.create(), texts=["A"])[0]
    other = version_chain(document=DocumentFactory.create(), texts=["B"])[0]
    crossed = api_client.get(f"/api/v1/versions/{first.pk}/diff/?against={other.pk}")
    assert crossed.status_code == 400
    assert "against" in crossed.json()["error"]["fields"]
    assert api_client.get(f"/api/v1/versions/{first.pk}/diff/").status_code == 400
    assert api_client.get(f"/api/v1/versions/{first.pk}/diff/?against=999999").status_code == 400


def test_a_timeline_shows_first_records_and_changes_and_filters_them(api_client):
    make_changes(1)
    events = api_client.get("/api/v1/platforms/c000/timeline/").json()["results"]
    assert [e["kind"] for e in events] == ["change", "change", "first_record"]
    assert events[0]["change"]["significance"] == "material"
    material = api_client.get("/api/v1/platforms/c000/timeline/?min_significance=material").json()["results"]
    assert [e["kind"] for e in material] == ["change", "first_record"]
    assert api_client.get("/api/v1/platforms/c000/timeline/?document_type=nope").status_code == 400
    assert api_client.get("/api/v1/platforms/nope/timeline/").status_code == 404


def test_the_changes_feed_is_atom_without_technical_or_cosmetic_changes(client):
    make_changes(2)
    response = client.get("/feeds/changes/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for element in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{element}") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        assert entry.find(f"{ATOM}id") is not None and entry.find(f"{ATOM}updated") is not None
        rels = {link.get("rel"): link.get("href") for link in entry.findall(f"{ATOM}link")}
        assert "/api/v1/changes/" in str(rels["alternate"]) and "/diff/?against=" in str(rels["related"])
    assert str(feed.findtext(f"{ATOM}updated")).startswith("2025-01-0")
    everything = ElementTree.fromstring(client.get("/feeds/changes/?min_significance=technical").content)
    assert len(everything.findall(f"{ATOM}entry")) == 4


def test_platform_and_document_type_feeds(client):
    make_changes(2)
    platform = ElementTree.fromstring(client.get("/feeds/changes/platforms/c001/").content)
    assert len(platform.findall(f"{ATOM}entry")) == 1
    by_type = ElementTree.fromstring(client.get("/feeds/changes/document-types/terms-of-service/").content)
    assert len(by_type.findall(f"{ATOM}entry")) == 2
    assert client.get("/feeds/changes/platforms/nope/").status_code == 404
    assert client.get("/feeds/changes/?min_significance=huge").status_code == 404
