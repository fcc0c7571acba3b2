import pytest

from platforms.archiving.tracking import document_fetch, document_reextract
from platforms.models import Check, Document, Snapshot, Version
from tests.concurrency import run_at_once
from tests.factories import DocumentFactory, SourceFactory
from tests.localserver import Route

pytestmark = pytest.mark.django_db

V1 = b"<main><h1>Terms</h1><p>Last updated: January 5, 2025</p><p>We do not train on your data.</p></main>"
V2 = b"<main><h1>Terms</h1><p>Last updated: June 1, 2025</p><p>We train on your data unless you opt out.</p></main>"


@pytest.fixture
def document(local_server) -> Document:
    document = DocumentFactory.create()
    SourceFactory.create(document=document, url=local_server.url("/terms"), select=["main"], position=0)
    return document


def test_a_first_fetch_records_a_version_with_its_snapshot_and_stated_date(local_server, document):
    local_server.routes["/terms"] = Route(body=V1)
    result = document_fetch(document=document)
    version = result.version
    assert version is not None
    assert version.origin == Version.Origin.FETCHED
    assert "We do not train on your data." in version.text
    assert str(version.stated_updated_on) == "2025-01-05"
    assert version.extractor_version
    assert version.snapshot is not None
    assert bytes(version.snapshot.content) == V1
    assert version.snapshot.content_type == "text/html"


def test_a_page_that_changes_records_a_new_version(local_server, document):
    local_server.routes["/terms"] = Route(body=V1)
    first = document_fetch(document=document).version
    local_server.routes["/terms"] = Route(body=V2)
    second = document_fetch(document=document).version
    assert second is not None and second.predecessor == first
    assert Snapshot.objects.filter(document=document).count() == 2


def test_a_page_that_does_not_change_records_a_check_and_keeps_one_snapshot(local_server, document):
    local_server.routes["/terms"] = Route(body=V1)
    document_fetch(document=document)
    result = document_fetch(document=document)
    assert result.version is None
    assert result.check is not None and result.check.outcome == Check.Outcome.UNCHANGED
    assert Version.objects.filter(document=document).count() == 1
    assert Snapshot.objects.filter(document=document).count() == 1


@pytest.mark.parametrize(("status", "label"), [(404, "http_404"), (429, "http_429"), (500, "http_5xx")])
def test_a_failed_fetch_records_a_labelled_check_and_no_version(local_server, document, status, label):
    local_server.routes["/terms"] = Route(status=status, body=b"nope")
    result = document_fetch(document=document)
    assert result.version is None
    assert result.check is not None and result.check.failure_label == label
    assert not Version.objects.exists()


def test_a_selector_matching_nothing_is_a_failure_with_the_snapshot_kept(local_server, document):
    local_server.routes["/terms"] = Route(body=b"<div>No main element</div>")
    result = document_fetch(document=document)
    assert result.check is not None and result.check.failure_label == "selector_not_found"
    assert result.check.snapshot is not None


def test_three_failures_in_a_row_need_intervention_and_a_success_clears_it(local_server, document):
    local_server.routes["/terms"] = Route(status=503)
    for _ in range(3):
        document_fetch(document=document)
    document.refresh_from_db()
    assert document.needs_intervention
    local_server.routes["/terms"] = Route(body=V1)
    document_fetch(document=document)
    document.refresh_from_db()
    assert not document.needs_intervention
    assert document.last_checked_at is not None


def test_several_sources_combine_in_order(local_server, document):
    SourceFactory.create(document=document, url=local_server.url("/annex"), position=99)
    local_server.routes["/terms"] = Route(body=V1)
    local_server.routes["/annex"] = Route(body=b"<p>Annex: sub-processors</p>", content_type="text/html")
    version = document_fetch(document=document).version
    assert version is not None
    text = version.text
    assert text.index("We do not train") < text.index("Annex: sub-processors")


def test_reextraction_with_new_selectors_records_a_technical_upgrade(local_server, document):
    local_server.routes["/terms"] = Route(body=V1)
    document_fetch(document=document)
    document.sources.update(remove=["h1"])
    upgraded = document_reextract(document=document)
    assert upgraded is not None and upgraded.version is not None
    assert upgraded.version.technical
    assert "# Terms" not in upgraded.version.text
    again = document_reextract(document=document)
    assert again is not None and again.version is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_fetches_at_once_of_one_document_record_one_version(local_server):
    document = DocumentFactory.create()
    SourceFactory.create(document=document, url=local_server.url("/terms"))
    local_server.routes["/terms"] = Route(body=V1)
    errors = run_at_once(lambda: document_fetch(document=Document.objects.get(pk=document.pk)))
    assert errors == []
    assert Version.objects.filter(document=document).count() == 1
    assert Check.objects.filter(document=document, outcome=Check.Outcome.UNCHANGED).count() == 1
