import pytest
from django.urls import reverse

from platforms.models import Check, Document, DocumentType, Platform, Snapshot, Source, Version
from tests.factories import CheckFactory, DocumentFactory, SourceFactory, version_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    document = DocumentFactory.create()
    SourceFactory.create(document=document)
    CheckFactory.create(document=document)
    return version_chain(document=document, texts=["First <b>terms</b>", "Second terms"])


@pytest.mark.parametrize("model", [Platform, DocumentType, Document, Source, Snapshot, Version, Check])
def test_every_archive_model_has_a_searchable_admin_list(admin_client, archive, model):
    url = reverse(f"admin:platforms_{model._meta.model_name}_changelist")
    assert admin_client.get(url, {"q": "terms"}).status_code == 200


def test_a_version_is_readable_but_not_editable_in_the_admin(admin_client, archive):
    version = archive[0]
    response = admin_client.get(reverse("admin:platforms_version_change", args=[version.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "First &lt;b&gt;terms&lt;/b&gt;" in html
    assert 'name="_save"' not in html
    delete = admin_client.post(reverse("admin:platforms_version_delete", args=[version.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert Version.objects.filter(pk=version.pk).exists()


def test_a_document_page_shows_its_sources_and_checks(admin_client, archive):
    document = archive[0].document
    html = admin_client.get(reverse("admin:platforms_document_change", args=[document.pk])).content.decode()
    assert "example.org/legal" in html
    assert "HTTP 404 Not Found" in html


def test_an_editor_overrules_a_change_in_the_admin_with_a_reason(admin_client, archive):
    from platforms.models import Change
    from platforms.services import change_record

    change = change_record(version=archive[1])
    assert change is not None
    url = reverse("admin:platforms_change_change", args=[change.pk])
    page = admin_client.get(url).content.decode()
    assert "text-decoration:line-through" in page
    refused = admin_client.post(url, {"significance_override": "material", "override_reason": ""})
    assert "Say why the significance is overruled" in refused.content.decode()
    admin_client.post(url, {"significance_override": "material", "override_reason": "Touches training."})
    change = Change.objects.get(pk=change.pk)
    assert (change.significance, change.override_reason) == ("material", "Touches training.")
