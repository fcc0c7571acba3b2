"""Writes of the archive beyond recording versions: changes and their curation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from platforms.diffing import changed_paragraphs, changed_words, text_diff
from platforms.models import Change, Version
from platforms.significance import RANK, REVERSION_WINDOW, Significance, significance_classify


def _reverted_to(version: Version) -> Version | None:
    """An earlier version (before the predecessor, among the last few) with exactly the new text."""
    earlier = (
        Version.objects.filter(document_id=version.document_id, recorded_at__lte=version.recorded_at)
        .exclude(pk__in=[version.pk, version.predecessor_id])
        .order_by("-recorded_at", "-id")
        .only("id", "sha256")[:REVERSION_WINDOW]
    )
    return next((candidate for candidate in earlier if candidate.sha256 == version.sha256), None)


def change_record(*, version: Version) -> Change | None:
    """Compute and store the change `version` makes to its predecessor (again: the same result)."""
    if version.predecessor_id is None:
        return None
    predecessor = version.predecessor
    assert predecessor is not None
    diff = text_diff(predecessor.text, version.text)
    removed, added = changed_words(diff)
    old_changed, new_changed = changed_paragraphs(diff)
    reverts_to = _reverted_to(version)
    classification = significance_classify(
        old_changed=old_changed,
        new_changed=new_changed,
        removed_words=removed,
        added_words=added,
        technical=version.technical,
        reversion=reverts_to is not None,
    )
    computed = classification.significance
    binding = RANK[computed] >= RANK[Significance.SUBSTANTIVE]
    silent = (
        binding
        and predecessor.stated_updated_on is not None
        and (version.stated_updated_on in (None, predecessor.stated_updated_on))
    )
    announced = version.effective_on is not None and version.effective_on > version.recorded_at.date()
    values: dict[str, Any] = {
        "predecessor": predecessor,
        "document_id": version.document_id,
        "recorded_at": version.recorded_at,
        "computed_significance": computed,
        "reasons": classification.reasons,
        "is_reversion": reverts_to is not None,
        "reverts_to": reverts_to,
        "silent": silent,
        "announced": announced,
        "words_added": diff.stats.words_added,
        "words_removed": diff.stats.words_removed,
        "paragraphs_added": diff.stats.paragraphs_added,
        "paragraphs_removed": diff.stats.paragraphs_removed,
        "paragraphs_modified": diff.stats.paragraphs_modified,
        "sections": diff.sections,
        "hunks": diff.hunks,
    }
    with transaction.atomic():
        change = Change.objects.select_for_update().filter(version=version).first() or Change(version=version)
        for key, value in values.items():
            setattr(change, key, value)
        effective = change.significance_override or computed
        change.significance = effective
        change.significance_rank = RANK[Significance(effective)]
        change.full_clean(exclude=["version", "predecessor", "document", "reverts_to", "overridden_by"])
        change.save()
    return change


def change_overrule(*, change: Change, significance: str, reason: str, user: Any) -> Change:
    """An editor sets the significance in force, with a reason; the rules' verdict is kept beside it."""
    if significance not in Significance.values:
        raise ValidationError({"significance": f"{significance!r} is not one of {', '.join(Significance.values)}."})
    if not reason.strip():
        raise ValidationError({"override_reason": "Say why the significance is overruled."})
    change.significance_override = significance
    change.override_reason = reason.strip()
    change.significance = significance
    change.significance_rank = RANK[Significance(significance)]
    change.overridden_by = user
    change.overridden_at = timezone.now()
    change.full_clean(exclude=["version", "predecessor", "document", "reverts_to", "overridden_by"])
    change.save()
    return change


def change_overrule_clear(*, change: Change) -> Change:
    """Back to the rules' verdict."""
    change.significance_override = ""
    change.override_reason = ""
    change.significance = change.computed_significance
    change.significance_rank = RANK[Significance(change.computed_significance)]
    change.overridden_by = None
    change.overridden_at = None
    change.save()
    return change


def change_mark_affecting(*, version: Version, affected: list[dict[str, Any]]) -> Change | None:
    """Record what a change did to tracked provisions (each with its `outcome`); a modified or removed
    clause makes the change material, unless an editor overruled its significance."""
    change = Change.objects.filter(version=version).first()
    if change is None:
        return None
    change.provisions_affected = affected
    touched = [item for item in affected if item.get("outcome") in ("modified", "removed")]
    if touched and RANK[Significance(change.computed_significance)] < RANK[Significance.MATERIAL]:
        change.computed_significance = Significance.MATERIAL
        change.reasons = [*change.reasons, f"It changes the clause of {len(touched)} tracked provision(s)."]
        if not change.significance_override:
            change.significance = Significance.MATERIAL
            change.significance_rank = RANK[Significance.MATERIAL]
    change.save()
    return change
