"""Reads for monitoring: a client's own watches, alerts and webhooks; what a change means to its watchers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse

from monitoring.models import Alert, ApiClient, Delivery, Watch, WebhookEndpoint
from platforms.models import Change
from platforms.significance import RANK, Significance
from provisions.models import Provision, ReviewState

# A clause whose wording changed or disappeared is news to whoever watches its category; a moved one is not.
CATEGORY_OUTCOMES = ("modified", "removed")


# Every client's rows: the API's base viewset narrows them to the requesting client's.
def watch_list() -> QuerySet[Watch]:
    return Watch.objects.select_related(
        "platform", "document__platform", "document__document_type", "category"
    ).order_by("-created_at", "-id")


def alert_list() -> QuerySet[Alert]:
    return Alert.objects.select_related("platform").order_by("-created_at", "-id")


def webhook_list() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.order_by("-created_at", "-id")


def delivery_list(*, endpoint: WebhookEndpoint) -> QuerySet[Delivery]:
    return Delivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-id")


def watched_platform_ids(*, client: ApiClient) -> set[int]:
    """The platforms a client watches, directly or through one of their documents."""
    ids: set[int] = set()
    for platform_id, document_platform_id in Watch.objects.filter(client=client).values_list(
        "platform_id", "document__platform_id"
    ):
        if platform_id is not None:
            ids.add(platform_id)
        elif document_platform_id is not None:
            ids.add(document_platform_id)
    return ids


def _absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def change_published_provisions(*, change: Change) -> list[dict[str, Any]]:
    """The change's effect on provisions, limited to published ones: drafts are for editors only."""
    codes = [item.get("code") for item in change.provisions_affected or [] if item.get("code")]
    published = dict(
        Provision.objects.filter(code__in=codes, state=ReviewState.PUBLISHED).values_list("code", "summary")
    )
    provisions = []
    for item in change.provisions_affected or []:
        if item.get("code") not in published:
            continue
        provisions.append(
            {
                "code": item["code"],
                "category": item.get("category"),
                "summary": published[item["code"]],
                "outcome": item.get("outcome"),
                "before": item.get("before"),
                "after": item.get("after"),
                "url": _absolute(reverse("provision-detail", kwargs={"code": item["code"]})),
            }
        )
    return provisions


def change_summary(*, change: Change) -> dict[str, Any]:
    """What a watcher is told about a change: enough to act on without another request."""
    document = change.document
    before, after = change.predecessor, change.version
    provisions = change_published_provisions(change=change)
    return {
        "change": {
            "id": change.pk,
            "recorded_at": change.recorded_at.isoformat(),
            "significance": change.significance,
            "reasons": list(change.reasons or []),
            "silent": change.silent,
            "announced": change.announced,
            "is_reversion": change.is_reversion,
            "sections": list(change.sections or []),
            "stats": {
                "words_added": change.words_added,
                "words_removed": change.words_removed,
                "paragraphs_added": change.paragraphs_added,
                "paragraphs_removed": change.paragraphs_removed,
                "paragraphs_modified": change.paragraphs_modified,
            },
            "url": _absolute(reverse("change-detail", kwargs={"pk": change.pk})),
            "diff_url": _absolute(reverse("version-diff", kwargs={"pk": after.pk})) + f"?against={before.pk}",
        },
        "platform": {"slug": document.platform.slug, "name": document.platform.name},
        "document": {
            "id": document.pk,
            "name": document.display_name,
            "type": document.document_type.slug,
            "url": _absolute(reverse("document-detail", kwargs={"pk": document.pk})),
        },
        "versions": {
            "before": {
                "id": before.pk,
                "recorded_at": before.recorded_at.isoformat(),
                "stated_updated_on": before.stated_updated_on.isoformat() if before.stated_updated_on else None,
                "effective_on": before.effective_on.isoformat() if before.effective_on else None,
            },
            "after": {
                "id": after.pk,
                "recorded_at": after.recorded_at.isoformat(),
                "stated_updated_on": after.stated_updated_on.isoformat() if after.stated_updated_on else None,
                "effective_on": after.effective_on.isoformat() if after.effective_on else None,
            },
        },
        "provisions": provisions,
        "categories": sorted({item["category"] for item in provisions if item.get("category")}),
    }


def watches_matching(*, change: Change) -> QuerySet[Watch]:
    """The watches of active professional clients that this change concerns, at or above their threshold."""
    document = change.document
    touched_codes = [
        item["code"]
        for item in change.provisions_affected or []
        if item.get("code") and item.get("outcome") in CATEGORY_OUTCOMES
    ]
    touched_categories = Provision.objects.filter(code__in=touched_codes, state=ReviewState.PUBLISHED).values(
        "category_id"
    )
    thresholds = [value for value in Significance.values if RANK[Significance(value)] <= change.significance_rank]
    return (
        Watch.objects.filter(
            Q(platform_id=document.platform_id) | Q(document_id=document.pk) | Q(category_id__in=touched_categories),
            min_significance__in=thresholds,
            client__active=True,
            client__tier=ApiClient.Tier.PROFESSIONAL,
        )
        .select_related("client")
        .order_by("client_id", "id")
    )
