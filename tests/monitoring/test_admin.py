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


def test_staff_make_a_key_in_the_admin_and_see_it_once(admin_client):
    from monitoring.models import ApiKey
    from tests.factories import ApiClientFactory, authorised

    client = ApiClientFactory.create()
    response = admin_client.post(
        reverse("admin:monitoring_apikey_add"), {"name": "production", "client": client.pk}, follow=True
    )
    assert response.status_code == 200
    key = ApiKey.objects.get(client=client)
    page = response.content.decode()
    raw = page.split("The API key for production is: ")[1].split(". ")[0]
    assert raw.startswith(key.prefix + ".")
    assert authorised(raw).get("/api/v1/alerts/").status_code == 200
    assert raw not in admin_client.get(reverse("admin:monitoring_apikey_change", args=[key.pk])).content.decode()


@pytest.mark.parametrize("model", ["apiclient", "apikey", "watch", "alert", "webhookendpoint"])
def test_the_monitoring_admin_lists_render(admin_client, model):
    assert admin_client.get(reverse(f"admin:monitoring_{model}_changelist")).status_code == 200
