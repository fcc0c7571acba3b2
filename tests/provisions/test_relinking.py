from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from platforms.archiving.recording import version_record
from platforms.models import Change
from provisions.models import Category, Provision, ProvisionAnchor
from provisions.services import provision_create, provision_publish, provision_submit
from tests.factories import DocumentFactory, UserFactory, version_chain

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "demo" / "versions"


def published(version, quote: str, category: str = "training-on-user-content", stance: str = "does-not-train"):
    author, reviewer = UserFactory.create(username="w"), UserFactory.create(username="r")
    provision = provision_create(
        version=version,
        quote=quote,
        category=Category.objects.get(slug=category),
        stance=stance,
        summary="s",
        author=author,
    )
    provision_submit(provision=provision, user=author)
    return provision_publish(provision=provision, reviewer=reviewer)


def test_the_real_anthropic_training_clause_is_modified_and_the_change_material():
    old = (DEMO / "anthropic/terms-of-service/2025-08-01.md").read_text()
    new = (DEMO / "anthropic/terms-of-service/2025-08-29.md").read_text()
    document = DocumentFactory.create()
    (first,) = version_chain(document=document, texts=[old], start=datetime(2025, 8, 1, tzinfo=UTC))
    training = published(first, "We will not train our models on any Materials that are not publicly available")
    steady = published(
        first,
        "You are a consumer if you are acting wholly or mainly outside your trade, business, craft or profession",
        category="notice-of-changes",
        stance="unclear",
    )
    second = version_record(
        document=document, text=new, origin="imported", recorded_at=datetime(2025, 8, 29, tzinfo=UTC)
    )
    assert second.version is not None
    outcomes = {a.provision_id: a.outcome for a in ProvisionAnchor.objects.filter(version=second.version)}
    assert outcomes == {training.pk: "modified", steady.pk: "unchanged"}
    training.refresh_from_db()
    assert training.version == second.version
    assert training.text_changed_at == second.version.recorded_at
    assert second.version.text[training.start : training.end] == training.quote
    change = Change.objects.get(version=second.version)
    assert change.significance == "material"
    assert {item["code"]: item["outcome"] for item in change.provisions_affected} == {
        training.code: "modified",
        steady.code: "unchanged",
    }


def test_relinking_never_loses_a_provision_and_follows_every_later_version():
    document = DocumentFactory.create()
    texts = [
        "## A\n\nWe do not train on your chats.\n\n## B\n\nWe keep data for a year.\n",
        "## A\n\nWe do not train on your chats.\n\n## B\n\nWe keep data for two years.\n",
        "## B\n\nWe keep data for two years.\n",
    ]
    (first,) = version_chain(document=document, texts=texts[:1])
    provisions = [
        published(first, "We do not train on your chats."),
        published(first, "We keep data for a year.", "retention", "fixed-long"),
    ]
    for day, text in enumerate(texts[1:], start=2):
        version_record(document=document, text=text, origin="imported", recorded_at=datetime(2025, 1, day, tzinfo=UTC))
    for provision in provisions:
        history = list(ProvisionAnchor.objects.filter(provision=provision).order_by("version__recorded_at"))
        assert history[0].outcome == "original"
    train_history = [
        a.outcome for a in ProvisionAnchor.objects.filter(provision=provisions[0]).order_by("version__recorded_at")
    ]
    keep_history = [
        a.outcome for a in ProvisionAnchor.objects.filter(provision=provisions[1]).order_by("version__recorded_at")
    ]
    assert train_history == ["original", "unchanged", "removed"]
    assert keep_history[:2] == ["original", "modified"]
    assert keep_history[2] in ("unchanged", "moved")


def test_the_history_endpoint_lists_each_version_outcome(api_client):
    document = DocumentFactory.create()
    (first,) = version_chain(document=document, texts=["## A\n\nWe do not train on your chats.\n"])
    provision = published(first, "We do not train on your chats.")
    version_record(
        document=document,
        text="## A\n\nWe do not train on your chats.\n\nMore.\n",
        origin="imported",
        recorded_at=datetime(2025, 2, 1, tzinfo=UTC),
    )
    history = api_client.get(f"/api/v1/provisions/{provision.code}/history/").json()
    assert [entry["outcome"] for entry in history] == ["original", "unchanged"]
    assert all(len(entry["version"]["sha256"]) == 64 for entry in history)


def test_relink_backfills_histories_imported_without_relinking(capsys):
    document = DocumentFactory.create()
    first, second = version_chain(
        document=document, texts=["Clause one.\n\nClause two.\n", "Clause one.\n\nClause 2.\n"]
    )
    published(first, "Clause one.")
    call_command("relink")
    assert capsys.readouterr().out.strip() == "Relinked 1 provisions (unchanged: 1)."
    assert Provision.objects.get().version == second
    call_command("relink")
    assert capsys.readouterr().out.strip() == "Relinked 0 provisions."


def test_the_text_changed_queue_shows_old_and_new_quotes_and_a_second_editor_confirms(admin_client):
    from django.urls import reverse

    document = DocumentFactory.create()
    (first,) = version_chain(document=document, texts=["## A\n\nWe do not train on your chats.\n"])
    provision = published(first, "We do not train on your chats.")
    version_record(
        document=document,
        text="## A\n\nWe train on your chats unless you opt out.\n",
        origin="imported",
        recorded_at=datetime(2025, 3, 1, tzinfo=UTC),
    )
    queue = admin_client.get(
        reverse("admin:provisions_provision_changelist"), {"queue": "text-changed"}
    ).content.decode()
    assert provision.code in queue
    page = admin_client.get(reverse("admin:provisions_provision_change", args=[provision.pk])).content.decode()
    assert "We do not train on your chats." in page and "unless you opt out" in page
    admin_client.post(
        reverse("admin:provisions_provision_changelist"),
        {"action": "confirm_against_new_text", "_selected_action": [provision.pk]},
    )
    provision.refresh_from_db()
    assert provision.text_changed_at is None


def test_a_version_without_tracked_provisions_leaves_its_change_untouched():
    document = DocumentFactory.create()
    version_chain(document=document, texts=["We keep your data for one year after you leave."])
    second = version_record(
        document=document,
        text="We keep your data for two years after you leave.",
        origin="imported",
        recorded_at=datetime(2026, 1, 1, tzinfo=UTC),
    ).version
    change = Change.objects.get(version=second)
    assert change.provisions_affected == []
    assert change.significance == "substantive"
