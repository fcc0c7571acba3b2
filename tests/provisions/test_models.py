import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from provisions.models import Category, Silence
from tests.factories import DocumentFactory, UserFactory, version_chain
from tests.provisions.test_relinking import published

pytestmark = pytest.mark.django_db


def two_documents():
    (ours,) = version_chain(document=DocumentFactory.create(), texts=["# Terms\n\nWe train on your chats.\n"])
    (theirs,) = version_chain(document=DocumentFactory.create(), texts=["# Terms\n\nWe never train.\n"])
    return ours, theirs


def test_a_provision_on_another_documents_version_is_refused_by_clean():
    ours, theirs = two_documents()
    provision = published(ours, "We train on your chats.")
    provision.document_id = theirs.document_id
    with pytest.raises(ValidationError, match="not of the provision's or silence's document"):
        provision.clean()


def test_a_silence_on_another_documents_version_is_refused_by_clean():
    ours, theirs = two_documents()
    silence = Silence(
        version=ours,
        document_id=theirs.document_id,
        category=Category.objects.get(slug="training-on-user-content"),
        author=UserFactory.create(username="s1"),
    )
    with pytest.raises(ValidationError, match="not of the provision's or silence's document"):
        silence.clean()


def test_postgresql_refuses_a_provision_on_another_documents_version_whoever_writes():
    ours, theirs = two_documents()
    refused_document_change("provisions_provision", published(ours, "We train on your chats.").pk, theirs)


def test_postgresql_refuses_a_silence_on_another_documents_version_whoever_writes():
    ours, theirs = two_documents()
    silence = Silence.objects.create(
        version=ours,
        document_id=ours.document_id,
        category=Category.objects.get(slug="training-on-user-content"),
        author=UserFactory.create(username="s1"),
    )
    refused_document_change("provisions_silence", silence.pk, theirs)


def refused_document_change(table: str, row_id: int, theirs) -> None:
    update = f"UPDATE {table} SET document_id = %s WHERE id = %s"  # noqa: S608  # the table is one of two names
    with pytest.raises(IntegrityError, match="version_of_its_document"), transaction.atomic(), connection.cursor() as c:
        c.execute(update, [theirs.document_id, row_id])
