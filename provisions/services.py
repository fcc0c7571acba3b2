"""Curation: writing provisions and silences, and moving them through review with four eyes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pghistory
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from platforms.models import Version
from platforms.services import change_mark_affecting
from provisions.anchoring import CONTEXT_CHARS, QuoteError, quote_anchor
from provisions.lineage import anchor_relink
from provisions.models import (
    AnchorOutcome,
    Article,
    Category,
    Finding,
    Impact,
    Provision,
    ProvisionAnchor,
    ReviewState,
    Silence,
)

S = ReviewState
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.IN_REVIEW},
    S.CHANGES_REQUESTED: {S.IN_REVIEW},
    S.IN_REVIEW: {S.PUBLISHED, S.CHANGES_REQUESTED, S.REJECTED},
    S.PUBLISHED: {S.RETIRED},
    S.REJECTED: set(),
    S.RETIRED: set(),
}


def audit_context(user: Any, action: str) -> Any:
    """The audit context of a write: who did what, kept with each history event.

    The history is written by PostgreSQL triggers; on SQLite (the embedded demo) there is none to annotate.
    """
    if connection.vendor != "postgresql":
        return contextlib.nullcontext()
    return pghistory.context(user=getattr(user, "pk", None), username=getattr(user, "username", ""), action=action)


def _move(item: Provision | Silence, to: str) -> None:
    if to not in TRANSITIONS[item.state]:
        raise ValidationError(f"A {item.get_state_display().lower()} item cannot become {S(to).label.lower()}.")
    item.state = to


def provision_create(
    *,
    version: Version,
    quote: str,
    category: Category,
    stance: str,
    summary: str,
    author: Any,
    occurrence: int | None = None,
    states: str = "",
    permits: str = "",
    reserves: str = "",
    impact: str = Impact.MEDIUM,
    secondary_categories: Iterable[Category] = (),
    jurisdiction: str = "",
    product_tier: str = "",
) -> Provision:
    """A draft provision anchored in `version`; its public code is given at once (CA-P-000001...)."""
    try:
        anchor = quote_anchor(text=version.text, quote=quote, occurrence=occurrence)
    except QuoteError as error:
        raise ValidationError({"quote": str(error)}) from error
    provision = Provision(
        version=version,
        document_id=version.document_id,
        start=anchor.start,
        end=anchor.end,
        quote=anchor.quote,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        category=category,
        stance=stance,
        summary=summary,
        states=states,
        permits=permits,
        reserves=reserves,
        impact=impact,
        jurisdiction=jurisdiction,
        product_tier=product_tier,
        author=author,
    )
    provision.full_clean(exclude=["document", "author", "reviewer", "secondary_categories"])
    with transaction.atomic(), audit_context(author, "create"):
        provision.save()
        provision.code = f"CA-P-{provision.pk:06d}"
        provision.save(update_fields=["code"])
        ProvisionAnchor.objects.create(
            provision=provision,
            version=version,
            outcome=AnchorOutcome.ORIGINAL,
            start=anchor.start,
            end=anchor.end,
            quote=anchor.quote,
        )
        provision.secondary_categories.set([c for c in secondary_categories if c.pk != category.pk])
    return provision


def provision_submit(*, provision: Provision, user: Any) -> Provision:
    _move(provision, S.IN_REVIEW)
    with audit_context(user, "submit"):
        provision.save(update_fields=["state", "updated_at"])
    return provision


def _review(item: Provision | Silence, reviewer: Any) -> None:
    if item.author_id == getattr(reviewer, "pk", None):
        raise ValidationError("Four eyes: the editor who wrote it cannot review it; another editor must.")


def provision_publish(*, provision: Provision, reviewer: Any) -> Provision:
    _review(provision, reviewer)
    _move(provision, S.PUBLISHED)
    provision.reviewer = reviewer
    provision.published_at = timezone.now()
    with audit_context(reviewer, "publish"):
        provision.save(update_fields=["state", "reviewer", "published_at", "updated_at"])
    return provision


def _decide(*, provision: Provision, reviewer: Any, to: str, note: str, action: str) -> Provision:
    _review(provision, reviewer)
    _move(provision, to)
    provision.reviewer = reviewer
    provision.review_note = note.strip()
    with audit_context(reviewer, action):
        provision.save(update_fields=["state", "reviewer", "review_note", "updated_at"])
    return provision


def provision_request_changes(*, provision: Provision, reviewer: Any, note: str) -> Provision:
    if not note.strip():
        raise ValidationError({"review_note": "Say what should change."})
    return _decide(provision=provision, reviewer=reviewer, to=S.CHANGES_REQUESTED, note=note, action="request_changes")


def provision_reject(*, provision: Provision, reviewer: Any, note: str) -> Provision:
    return _decide(provision=provision, reviewer=reviewer, to=S.REJECTED, note=note, action="reject")


def provision_confirm_text(*, provision: Provision, reviewer: Any) -> Provision:
    """A second editor confirms the analysis still holds for the clause's new wording."""
    _review(provision, reviewer)
    provision.text_changed_at = None
    provision.reviewer = reviewer
    with audit_context(reviewer, "confirm_text"):
        provision.save(update_fields=["text_changed_at", "reviewer", "updated_at"])
    return provision


def provision_retire(*, provision: Provision, user: Any) -> Provision:
    _move(provision, S.RETIRED)
    with audit_context(user, "retire"):
        provision.save(update_fields=["state", "updated_at"])
    return provision


def silence_create(*, version: Version, category: Category, author: Any, note: str = "") -> Silence:
    silence = Silence(version=version, document_id=version.document_id, category=category, author=author, note=note)
    silence.full_clean(exclude=["document", "author", "reviewer"])
    with audit_context(author, "create"):
        silence.save()
    return silence


def silence_publish(*, silence: Silence, reviewer: Any) -> Silence:
    _review(silence, reviewer)
    if silence.state == S.DRAFT:
        _move(silence, S.IN_REVIEW)
    _move(silence, S.PUBLISHED)
    silence.reviewer = reviewer
    silence.published_at = timezone.now()
    with audit_context(reviewer, "publish"):
        silence.save(update_fields=["state", "reviewer", "published_at"])
    return silence


@dataclass
class RelinkSummary:
    outcomes: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        counts = ", ".join(f"{name}: {count}" for name, count in sorted(self.outcomes.items()))
        return f"Relinked {sum(self.outcomes.values())} provisions" + (f" ({counts})." if counts else ".")


def provisions_relink(*, version: Version) -> RelinkSummary:
    """Carry every provision anchored in `version`'s predecessor to `version`: one outcome each.

    A modified or removed clause flags its provision (the analysis stays visible, marked as reviewed
    against an older text) and makes the change material, listing the provisions affected.
    """
    summary = RelinkSummary()
    if version.predecessor_id is None:
        return summary
    predecessor = version.predecessor
    assert predecessor is not None
    affected: list[dict[str, Any]] = []
    provisions = Provision.objects.filter(version=predecessor).exclude(state__in=[S.REJECTED, S.RETIRED])
    with transaction.atomic(), audit_context(None, "relink"):
        for provision in provisions.select_related("category"):
            result = anchor_relink(
                old_text=predecessor.text,
                new_text=version.text,
                start=provision.start,
                end=provision.end,
                prefix=provision.prefix,
                suffix=provision.suffix,
            )
            ProvisionAnchor.objects.update_or_create(
                provision=provision,
                version=version,
                defaults={
                    "outcome": result.outcome,
                    "start": result.start,
                    "end": result.end,
                    "quote": result.quote,
                    "similarity": result.similarity,
                },
            )
            summary.outcomes[result.outcome] = summary.outcomes.get(result.outcome, 0) + 1
            if result.outcome in (AnchorOutcome.MODIFIED, AnchorOutcome.REMOVED):
                provision.text_changed_at = version.recorded_at
            affected.append(
                {
                    "code": provision.code,
                    "category": provision.category.slug,
                    "outcome": result.outcome,
                    "before": provision.quote,
                    "after": result.quote,
                    "similarity": result.similarity,
                }
            )
            if result.start is not None and result.end is not None:
                provision.version = version
                provision.start, provision.end, provision.quote = result.start, result.end, result.quote
                provision.prefix = version.text[max(0, result.start - CONTEXT_CHARS) : result.start]
                provision.suffix = version.text[result.end : result.end + CONTEXT_CHARS]
            provision.save()
        if affected:
            change_mark_affecting(version=version, affected=affected)
    return summary


# Findings: what a provision does about an article, written by one editor and reviewed by another.


def finding_create(*, provision: Provision, article: Article, assessment: str, rationale: str, author: Any) -> Finding:
    finding = Finding(provision=provision, article=article, assessment=assessment, rationale=rationale, author=author)
    finding.full_clean()
    with audit_context(author, "create finding"):
        finding.save()
    return finding


def finding_review(*, finding: Finding, reviewer: Any) -> Finding:
    """A reviewed finding is public (on a published provision); four eyes, as for provisions."""
    if finding.author_id == getattr(reviewer, "pk", None):
        raise ValidationError("Four eyes: the editor who wrote it cannot review it; another editor must.")
    if finding.reviewer_id is not None:
        raise ValidationError("This finding has already been reviewed.")
    finding.reviewer = reviewer
    finding.reviewed_at = timezone.now()
    with audit_context(reviewer, "review finding"):
        finding.save(update_fields=["reviewer", "reviewed_at", "updated_at"])
    return finding
