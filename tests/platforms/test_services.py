from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command

from platforms.archiving.recording import version_record
from platforms.models import Change, Version
from platforms.services import change_overrule, change_overrule_clear, change_record
from tests.factories import DocumentFactory, version_chain

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "demo" / "versions"


def record(document, text: str, day: int) -> Version:
    version = version_record(
        document=document, text=text, origin="imported", recorded_at=datetime(2025, 1, day, tzinfo=UTC)
    ).version
    assert version is not None
    return version


def test_recording_a_new_version_records_its_change():
    document = DocumentFactory.create()
    record(document, "Last updated: January 1, 2025\n\nWe keep data for a year.", 1)
    second = record(document, "Last updated: January 1, 2025\n\nWe keep data for two years.", 2)
    change = Change.objects.get(version=second)
    assert change.significance == "substantive"
    assert change.silent
    assert change.sections == []
    assert (change.words_added, change.words_removed) == (2, 2)


def test_a_moved_last_updated_date_is_not_silent_and_a_future_effective_date_is_announced():
    document = DocumentFactory.create()
    record(document, "Last updated: January 1, 2025\n\nTerms one.", 1)
    second = record(document, "Last updated: January 2, 2025\n\nEffective date: March 1, 2025\n\nTerms two.", 2)
    change = Change.objects.get(version=second)
    assert not change.silent
    assert change.announced


def test_a_flip_back_to_a_recent_text_is_a_cosmetic_reversion():
    document = DocumentFactory.create()
    first = record(document, "Variant A of the terms.", 1)
    record(document, "Variant B of the terms.", 2)
    third = record(document, "Variant A of the terms.", 3)
    change = Change.objects.get(version=third)
    assert change.is_reversion and change.reverts_to == first
    assert change.significance == "cosmetic"


def test_a_first_version_has_no_change_and_recomputing_changes_nothing():
    document = DocumentFactory.create()
    first, second = version_chain(document=document, texts=["One", "Two"])
    assert change_record(version=first) is None
    one = change_record(version=second)
    again = change_record(version=second)
    assert one is not None and again is not None and one.pk == again.pk
    assert Change.objects.count() == 1


def test_an_editor_overrules_a_significance_with_a_reason_and_can_clear_it():
    document = DocumentFactory.create()
    _, second = version_chain(document=document, texts=["We keep data.", "We keep data for a year."])
    change = change_record(version=second)
    assert change is not None
    editor = get_user_model().objects.create_user("editor")
    with pytest.raises(ValidationError, match="Say why"):
        change_overrule(change=change, significance="material", reason=" ", user=editor)
    change_overrule(change=change, significance="material", reason="Retention is a governance term.", user=editor)
    change.refresh_from_db()
    assert (change.significance, change.computed_significance) == ("material", "substantive")
    assert change.overridden_by == editor
    recomputed = change_record(version=second)
    assert recomputed is not None and recomputed.significance == "material"
    change_overrule_clear(change=change)
    change.refresh_from_db()
    assert change.significance == "substantive"


def test_compute_changes_backfills_missing_changes(capsys):
    document = DocumentFactory.create()
    version_chain(document=document, texts=["One.", "One!", "Two and arbitration."])
    call_command("compute_changes")
    assert capsys.readouterr().out.strip().endswith("(cosmetic: 1, material: 1).")
    call_command("compute_changes")
    assert "Computed 0 changes" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("platform", "folder", "old", "new"),
    [
        ("anthropic", "terms-of-service", "2025-08-01", "2025-08-29"),
        ("zoom", "terms-of-service", "2023-08-07", "2023-08-11"),
    ],
)
def test_known_real_changes_are_at_least_substantive(platform, folder, old, new):
    before = (DEMO / platform / folder / f"{old}.md").read_text()
    after = (DEMO / platform / folder / f"{new}.md").read_text()
    document = DocumentFactory.create()
    _, version = version_chain(document=document, texts=[before, after])
    change = change_record(version=version)
    assert change is not None and change.significance in ("substantive", "material")


@pytest.mark.parametrize(
    "path", sorted(DEMO.glob("*/*/*.md"))[:50:5], ids=lambda p: f"{p.parent.parent.name}-{p.parent.name}"
)
def test_a_whitespace_or_date_only_edit_of_a_real_text_is_cosmetic(path):
    text = path.read_text()
    reflowed = text.replace(". ", ".  ").replace("\n\n", "\n\n\n") + "\n\nLast updated: December 3, 2026\n"
    document = DocumentFactory.create()
    _, version = version_chain(document=document, texts=[text + "\n\nLast updated: January 5, 2024\n", reflowed])
    change = change_record(version=version)
    assert change is not None and change.significance == "cosmetic"
