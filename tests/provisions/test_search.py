import pytest

from platforms.archiving.recording import version_record
from provisions.selectors import search_run
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def test_a_document_is_found_by_the_text_in_force_not_by_a_replaced_one():
    document = DocumentFactory.create()
    version_record(document=document, text="We keep pomegranates for a year.", origin="fetched")
    version_record(document=document, text="We keep tangerines for a month.", origin="fetched")
    found = [hit.version_id for hit in search_run(q="tangerines") if hit.kind == "document"]
    assert found == [document.current_version_id]
    assert [hit for hit in search_run(q="pomegranates") if hit.kind == "document"] == []
    (hit,) = [hit for hit in search_run(q="tangerines") if hit.kind == "document"]
    assert "<mark>tangerines</mark>" in hit.snippet
