from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, ProgrammingError, connection, transaction

from platforms.models import Check, Document, DocumentType, Version
from tests.factories import DocumentFactory, PlatformFactory, version_chain

pytestmark = pytest.mark.django_db


def test_document_types_are_seeded_with_the_open_terms_archive_types():
    slugs = set(DocumentType.objects.values_list("slug", flat=True))
    assert {
        "privacy-policy",
        "terms-of-service",
        "acceptable-use-policy",
        "ai-terms",
        "commercial-terms",
    } <= slugs
    assert {"developer-terms", "data-processor-agreement", "trackers-policy"} <= slugs


def test_a_version_row_cannot_be_updated_with_raw_sql():
    (version,) = version_chain(document=DocumentFactory.create(), texts=["Original terms."])
    with (
        pytest.raises(ProgrammingError, match="Cannot update or delete rows from platforms_version"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE platforms_version SET text = 'tampered' WHERE id = %s", [version.pk])
    version.refresh_from_db()
    assert version.text == "Original terms.\n"


def test_a_version_row_cannot_be_deleted_with_raw_sql():
    (version,) = version_chain(document=DocumentFactory.create(), texts=["Original terms."])
    with (
        pytest.raises(ProgrammingError, match="Cannot update or delete rows from platforms_version"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM platforms_version WHERE id = %s", [version.pk])
    assert Version.objects.filter(pk=version.pk).exists()


def test_the_application_refuses_to_save_or_delete_an_existing_version():
    (version,) = version_chain(document=DocumentFactory.create(), texts=["Original terms."])
    with pytest.raises(ValidationError, match="immutable"):
        version.save()
    with pytest.raises(ValidationError, match="immutable"):
        version.delete()


def test_the_database_refuses_two_equal_texts_in_a_row():
    document = DocumentFactory.create()
    (first,) = version_chain(document=document, texts=["Same text."])
    with pytest.raises(IntegrityError, match="version_differs_from_predecessor"), transaction.atomic():
        Version.objects.create(
            document=document,
            predecessor=first,
            predecessor_sha256=first.sha256,
            text=first.text,
            sha256=first.sha256,
            recorded_at=datetime(2025, 2, 1, tzinfo=UTC),
            origin=Version.Origin.IMPORTED,
        )


def test_the_database_refuses_a_second_first_version_or_a_fork():
    document = DocumentFactory.create()
    first, _second = version_chain(document=document, texts=["One.", "Two."])
    with pytest.raises(IntegrityError, match="version_one_first_per_document"), transaction.atomic():
        version_chain(document=document, texts=["Another first."])
    with pytest.raises(IntegrityError), transaction.atomic():
        Version.objects.create(
            document=document,
            predecessor=first,
            predecessor_sha256=first.sha256,
            text="Fork.\n",
            sha256="f" * 64,
            recorded_at=datetime(2025, 3, 1, tzinfo=UTC),
            origin=Version.Origin.IMPORTED,
        )


def test_a_failed_check_needs_a_failure_label_in_the_database_and_in_clean():
    document = DocumentFactory.create()
    check = Check(document=document, checked_at=datetime(2025, 1, 1, tzinfo=UTC), outcome=Check.Outcome.FAILED)
    with pytest.raises(ValidationError, match="failure label"):
        check.clean()
    with pytest.raises(IntegrityError, match="check_outcome_consistent"), transaction.atomic():
        check.save()


def test_a_document_scope_is_unique_per_platform_and_type():
    platform = PlatformFactory.create()
    DocumentFactory.create(platform=platform, jurisdiction="EU")
    with pytest.raises(IntegrityError, match="document_unique_scope"), transaction.atomic():
        DocumentFactory.create(platform=platform, jurisdiction="EU")
    assert Document.objects.filter(platform=platform).count() == 1


def test_a_lowercase_jurisdiction_is_refused():
    with pytest.raises(IntegrityError, match="document_jurisdiction_upper"), transaction.atomic():
        DocumentFactory.create(jurisdiction="eu")


def test_a_version_predecessor_from_another_document_is_refused_by_clean():
    (other,) = version_chain(document=DocumentFactory.create(), texts=["Elsewhere."])
    version = Version(
        document=DocumentFactory.create(),
        predecessor=other,
        text="Here.\n",
        sha256="a" * 64,
        recorded_at=datetime(2025, 5, 1, tzinfo=UTC),
        origin=Version.Origin.IMPORTED,
    )
    with pytest.raises(ValidationError, match="same document"):
        version.clean()
