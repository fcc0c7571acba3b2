from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from platforms.archiving.recording import (
    pending_text,
    text_normalise,
    text_sha256,
    version_record,
    versions_record_many,
)
from platforms.models import Check, Document, Version
from tests.concurrency import run_at_once
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

JAN = datetime(2025, 1, 1, tzinfo=UTC)
FEB = datetime(2025, 2, 1, tzinfo=UTC)


def test_normalisation_unifies_line_endings_trailing_spaces_and_unicode_forms():
    decomposed = "Cafe\u0301 terms  \r\nsecond line\t\r\n\r\n"
    assert text_normalise(text=decomposed) == "Caf\u00e9 terms\nsecond line\n"


def test_normalisation_of_blank_text_is_empty():
    assert text_normalise(text=" \n\t\r\n") == ""


def test_a_first_text_records_a_first_version_and_makes_it_current():
    document = DocumentFactory.create()
    result = version_record(document=document, text="Terms v1\r\n", origin=Version.Origin.IMPORTED, recorded_at=JAN)
    assert result.created
    version = result.version
    assert version is not None
    assert version.text == "Terms v1\n"
    assert version.sha256 == text_sha256(text="Terms v1\n")
    assert version.predecessor is None
    assert Document.objects.get(pk=document.pk).current_version == version


def test_a_changed_text_records_a_version_linked_to_its_predecessor():
    document = DocumentFactory.create()
    first = version_record(document=document, text="Terms v1", origin="imported", recorded_at=JAN).version
    second = version_record(document=document, text="Terms v2", origin="imported", recorded_at=FEB).version
    assert second is not None and first is not None
    assert second.predecessor == first
    assert second.predecessor_sha256 == first.sha256
    assert Document.objects.get(pk=document.pk).current_version == second


def test_an_unchanged_text_records_a_check_not_a_version():
    document = DocumentFactory.create()
    first = version_record(document=document, text="Terms v1", origin="fetched", recorded_at=JAN).version
    result = version_record(document=document, text="Terms v1  \r\n", origin="fetched", recorded_at=FEB)
    assert not result.created
    assert result.check is not None
    assert result.check.outcome == Check.Outcome.UNCHANGED
    assert result.check.version == first
    assert Version.objects.filter(document=document).count() == 1


def test_an_empty_text_is_refused_and_nothing_is_recorded():
    document = DocumentFactory.create()
    with pytest.raises(ValidationError, match="empty"):
        version_record(document=document, text="  \n", origin="fetched", recorded_at=JAN)
    assert not Version.objects.exists()
    assert not Check.objects.exists()


def test_a_version_older_than_the_current_one_is_refused():
    document = DocumentFactory.create()
    version_record(document=document, text="Terms v2", origin="imported", recorded_at=FEB)
    with pytest.raises(ValidationError, match="recorded later"):
        version_record(document=document, text="Terms v1", origin="imported", recorded_at=JAN)
    assert Version.objects.filter(document=document).count() == 1


def test_a_naive_recording_time_is_refused():
    naive = datetime(2025, 1, 1)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValidationError, match="timezone-aware"):
        version_record(document=DocumentFactory.create(), text="x", origin="imported", recorded_at=naive)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_processes_recording_the_same_text_at_once_record_one_version():
    document = DocumentFactory.create()
    errors = run_at_once(lambda: version_record(document=document, text="Concurrent terms", origin="fetched"))
    assert errors == []
    assert Version.objects.filter(document=document).count() == 1
    assert Check.objects.filter(document=document, outcome=Check.Outcome.UNCHANGED).count() == 1


def test_a_text_equal_to_the_current_one_but_dated_before_it_is_refused_not_checked():
    document = DocumentFactory.create()
    version_record(document=document, text="Terms", origin="imported", recorded_at=FEB)
    with pytest.raises(ValidationError, match="recorded later"):
        version_record(document=document, text="Terms", origin="imported", recorded_at=JAN)
    assert not Check.objects.exists()


def test_recording_many_texts_chains_them_as_one_by_one_recording_would():
    document = DocumentFactory.create()
    version_record(document=document, text="v0", origin="imported", recorded_at=JAN)
    pendings = [
        pending_text(text="v1", recorded_at=FEB),
        pending_text(text="v1  ", recorded_at=datetime(2025, 2, 2, tzinfo=UTC)),
        pending_text(text="too old", recorded_at=datetime(2024, 12, 1, tzinfo=UTC)),
        pending_text(text="v2", recorded_at=datetime(2025, 3, 1, tzinfo=UTC), technical=True),
    ]
    summary = versions_record_many(document=document, pendings=pendings, origin="imported")
    assert (summary.versions, summary.technical, summary.checks) == (2, 1, 1)
    assert [index for index, _ in summary.refused] == [2]
    chain = list(Version.objects.filter(document=document).order_by("recorded_at"))
    assert [v.text for v in chain] == ["v0\n", "v1\n", "v2\n"]
    assert [v.predecessor_id for v in chain] == [None, chain[0].pk, chain[1].pk]
    assert Document.objects.get(pk=document.pk).current_version_id == chain[-1].pk
    assert Check.objects.get().version == chain[1]
