import pytest
from django.urls import reverse

from platforms.models import Check, Version
from tests.factories import DocumentFactory, SourceFactory
from tests.localserver import Route

pytestmark = pytest.mark.django_db


def test_an_editor_can_fetch_documents_now_from_the_admin(admin_client, local_server):
    fetched, sourceless = DocumentFactory.create(), DocumentFactory.create()
    SourceFactory.create(document=fetched, url=local_server.url("/t"))
    local_server.routes["/t"] = Route(body=b"<p>Terms</p>")
    response = admin_client.post(
        reverse("admin:platforms_document_changelist"),
        {"action": "fetch_now", "_selected_action": [fetched.pk, sourceless.pk]},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Checked 1 documents: 1 new versions" in page
    assert "1 without a source were skipped" in page
    assert Version.objects.filter(document=fetched).count() == 1


def test_the_admin_filters_documents_needing_intervention(admin_client, local_server):
    failing = DocumentFactory.create()
    SourceFactory.create(document=failing, url=local_server.url("/missing"))
    for _ in range(3):
        admin_client.post(
            reverse("admin:platforms_document_changelist"), {"action": "fetch_now", "_selected_action": [failing.pk]}
        )
    assert Check.objects.filter(document=failing, failure_label="http_404").count() == 3
    listed = admin_client.get(reverse("admin:platforms_document_changelist"), {"needs_intervention": "yes"})
    assert str(failing) in listed.content.decode()
