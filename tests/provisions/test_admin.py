import pytest
from django.urls import reverse

from provisions.models import Category, Provision, ReviewState
from provisions.services import provision_create, provision_submit
from tests.factories import DocumentFactory, UserFactory, version_chain

pytestmark = pytest.mark.django_db
TEXT = "## Training\n\nWe may use your content to train our models.\n\nWe may use your content to improve.\n"


@pytest.fixture
def version():
    return version_chain(document=DocumentFactory.create(), texts=[TEXT])[0]


def add(admin_client, version, quote, **extra):
    training = Category.objects.get(slug="training-on-user-content")
    data = {
        "version": version.pk,
        "quote": quote,
        "category": training.pk,
        "stance": "opt-out",
        "summary": "Content trains models.",
        "impact": "high",
        **extra,
    }
    return admin_client.post(reverse("admin:provisions_provision_add"), data)


def test_an_editor_pastes_a_quote_and_the_offsets_are_found(admin_client, version):
    response = add(admin_client, version, "use your content to train our models")
    assert response.status_code == 302
    provision = Provision.objects.get()
    assert version.text[provision.start : provision.end] == "use your content to train our models"
    page = admin_client.get(reverse("admin:provisions_provision_change", args=[provision.pk])).content.decode()
    assert "<mark>use your content to train our models</mark>" in page


def test_an_absent_or_ambiguous_quote_is_a_form_error_with_the_choices(admin_client, version):
    absent = add(admin_client, version, "we sell your data").content.decode()
    assert "not in this version" in absent
    ambiguous = add(admin_client, version, "We may use your content").content.decode()
    assert "appears 2 times" in ambiguous and "1: " in ambiguous and "2: " in ambiguous
    assert add(admin_client, version, "We may use your content", occurrence=2).status_code == 302
    assert Provision.objects.get().start > TEXT.index("improve") - 30


def test_bulk_publish_respects_four_eyes(admin_client, admin_user, version):
    training = Category.objects.get(slug="training-on-user-content")
    own = provision_create(
        version=version, quote="train our models", category=training, stance="opt-out", summary="s", author=admin_user
    )
    other = provision_create(
        version=version,
        quote="to improve",
        category=training,
        stance="opt-out",
        summary="s",
        author=UserFactory.create(),
    )
    for provision in (own, other):
        provision_submit(provision=provision, user=provision.author)
    response = admin_client.post(
        reverse("admin:provisions_provision_changelist"),
        {"action": "publish", "_selected_action": [own.pk, other.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 published" in page and "Four eyes" in page
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.state, other.state) == (ReviewState.IN_REVIEW, ReviewState.PUBLISHED)
    queue = admin_client.get(reverse("admin:provisions_provision_changelist"), {"queue": "mine-to-review"})
    assert own.code not in queue.content.decode()
    history = admin_client.get(reverse("admin:provisions_provision_change", args=[other.pk])).content.decode()
    assert "publish" in history and "admin" in history


def test_the_audit_history_browser_lists_events(admin_client, admin_user, version):
    training = Category.objects.get(slug="training-on-user-content")
    provision_create(
        version=version, quote="train our models", category=training, stance="opt-out", summary="s", author=admin_user
    )
    assert admin_client.get("/admin/pghistory/events/").status_code == 200


@pytest.mark.parametrize("model", ["framework", "article", "finding"])
def test_the_regulation_admin_lists_render(admin_client, model):
    from django.urls import reverse

    assert admin_client.get(reverse(f"admin:provisions_{model}_changelist")).status_code == 200
