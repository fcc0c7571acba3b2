"""Writes for monitoring: clients and keys, watches, alerts, webhooks and their deliveries, digests."""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from monitoring import selectors, webhooks
from monitoring.models import Alert, ApiClient, ApiKey, Delivery, Watch, WebhookEndpoint
from platforms.archiving.fetching import Resolver
from platforms.models import Change, Document, Platform
from platforms.significance import RANK, Significance
from provisions.models import Category

logger = logging.getLogger(__name__)


# Clients and keys.


def api_client_create(*, name: str, contact_email: str, tier: str = ApiClient.Tier.FREE) -> ApiClient:
    client = ApiClient(name=name, contact_email=contact_email, tier=tier)
    client.full_clean()
    client.save()
    return client


def api_key_create(*, client: ApiClient, name: str) -> tuple[ApiKey, str]:
    """A new key for client; the key itself is returned once and only its prefix and hash are kept."""
    key = ApiKey(client=client, name=name)
    raw = ApiKey.objects.assign_key(key)
    key.full_clean(exclude=["id", "prefix", "hashed_key"])
    key.save()
    return key, raw


def api_key_revoke(*, key: ApiKey) -> ApiKey:
    key.revoked = True
    key.save(update_fields=["revoked"])
    return key


# Watches.


def watch_create(
    *,
    client: ApiClient,
    platform: Platform | None = None,
    document: Document | None = None,
    category: Category | None = None,
    min_significance: str = Significance.SUBSTANTIVE,
) -> Watch:
    """Watch one target; a professional client watches at most WATCH_PLATFORM_LIMIT platforms."""
    if not client.is_professional:
        raise ValidationError("Watches are for professional clients.")
    watch = Watch(
        client=client, platform=platform, document=document, category=category, min_significance=min_significance
    )
    watch.clean()
    with transaction.atomic():
        # The client's row lock serialises concurrent creations, so two requests cannot both take the 10th slot.
        ApiClient.objects.select_for_update().filter(pk=client.pk).first()
        duplicate = Watch.objects.filter(
            client=client, platform=platform, document=document, category=category
        ).exists()
        if duplicate:
            raise ValidationError(f"You already watch {watch.target_label}.")
        new_platform = platform or (document.platform if document else None)
        if new_platform is not None:
            watched = selectors.watched_platform_ids(client=client)
            limit = int(settings.WATCH_PLATFORM_LIMIT)
            if new_platform.pk not in watched and len(watched) >= limit:
                names = ", ".join(sorted(Platform.objects.filter(pk__in=watched).values_list("slug", flat=True)))
                raise ValidationError(
                    f"A professional client watches at most {limit} platforms, and you watch {len(watched)} "
                    f"already ({names}): delete a watch first."
                )
        watch.full_clean()
        watch.save()
    return watch


def watch_delete(*, watch: Watch) -> None:
    watch.delete()


# Alerts.


def alerts_create(*, change: Change) -> list[Alert]:
    """One alert per client whose watches this change matches, with deliveries to that client's webhooks.

    The tracking run calls this right after recording (and relinking), so alerts are same-run; historical
    imports do not call it. Deliveries are sent by the background worker once the transaction commits.
    """
    change = Change.objects.select_related(
        "document__platform", "document__document_type", "version", "predecessor"
    ).get(pk=change.pk)
    by_client: dict[int, list[Watch]] = defaultdict(list)
    clients: dict[int, ApiClient] = {}
    for watch in selectors.watches_matching(change=change):
        by_client[watch.client_id].append(watch)
        clients[watch.client_id] = watch.client
    if not by_client:
        return []
    summary = selectors.change_summary(change=change)
    alerts: list[Alert] = []
    deliveries: list[Delivery] = []
    with transaction.atomic():
        for client_id, watches in by_client.items():
            alert, created = Alert.objects.get_or_create(
                client_id=client_id,
                change=change,
                defaults={
                    "platform_id": change.document.platform_id,
                    "significance": change.significance,
                    "significance_rank": change.significance_rank,
                    "summary": {**summary, "watches": [watch.pk for watch in watches]},
                },
            )
            if not created:
                continue
            alert.watches.set(watches)
            alerts.append(alert)
            for endpoint in WebhookEndpoint.objects.filter(client_id=client_id, active=True):
                deliveries.append(
                    _delivery_new(
                        endpoint=endpoint,
                        event_type=Delivery.Event.CHANGE,
                        data={"alert_id": alert.pk, **alert.summary},
                        alert=alert,
                    )
                )
        Delivery.objects.bulk_create(deliveries)
        for delivery in deliveries:
            _enqueue_on_commit(delivery=delivery)
    return alerts


def alert_mark_read(*, alert: Alert) -> Alert:
    if alert.read_at is None:
        alert.read_at = timezone.now()
        alert.save(update_fields=["read_at"])
    return alert


# Webhooks and deliveries.


def webhook_create(
    *, client: ApiClient, url: str, description: str = "", resolver: Resolver | None = None
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret, which is returned this once."""
    if not client.is_professional:
        raise ValidationError("Webhooks are for professional clients.")
    refusal = webhooks.url_refusal(url=url, resolver=resolver)
    if refusal:
        raise ValidationError({"url": refusal})
    limit = int(settings.WEBHOOK_LIMIT)
    with transaction.atomic():
        ApiClient.objects.select_for_update().filter(pk=client.pk).first()
        if WebhookEndpoint.objects.filter(client=client).count() >= limit:
            raise ValidationError(f"A client has at most {limit} webhook endpoints: delete one first.")
        secret = webhooks.secret_generate()
        endpoint = WebhookEndpoint(
            client=client,
            url=url,
            description=description,
            secret_encrypted=webhooks.secret_encrypt(secret=secret),
        )
        endpoint.full_clean()
        endpoint.save()
    return endpoint, secret


def webhook_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


def webhook_ping(*, endpoint: WebhookEndpoint) -> Delivery:
    """A test event; a disabled endpoint that answers it with a 2xx is enabled again."""
    delivery = _delivery_new(
        endpoint=endpoint,
        event_type=Delivery.Event.PING,
        data={"endpoint_id": endpoint.pk, "message": "A test event from ConductAtlas: your endpoint is reachable."},
    )
    with transaction.atomic():
        delivery.save()
        _enqueue_on_commit(delivery=delivery)
    return delivery


def _delivery_new(
    *, endpoint: WebhookEndpoint, event_type: str, data: dict[str, Any], alert: Alert | None = None
) -> Delivery:
    now = timezone.now()
    return Delivery(
        endpoint=endpoint,
        alert=alert,
        event_id=f"msg_{uuid.uuid4().hex}",
        event_type=event_type,
        payload={"type": event_type, "timestamp": now.isoformat(), "data": data},
        next_attempt_at=now,
    )


def _enqueue_on_commit(*, delivery: Delivery) -> None:
    from monitoring.tasks import deliver_webhook

    def enqueue() -> None:
        task = deliver_webhook
        run_after = delivery.next_attempt_at
        if task.get_backend().supports_defer and run_after is not None and run_after > timezone.now():
            task = task.using(run_after=run_after)
        task.enqueue(delivery.pk)

    transaction.on_commit(enqueue)


def retry_delays() -> list[float]:
    return [float(delay) for delay in settings.WEBHOOK_RETRY_DELAYS]


@dataclass
class AttemptOutcome:
    delivery: Delivery | None
    sent: bool


def delivery_attempt(*, delivery_id: int, client: httpx.Client | None = None) -> AttemptOutcome:
    """Send a pending, due delivery once, under its row lock so that no two workers send it at once.

    A delivery that succeeded is never sent again: only pending rows are picked. A failure schedules the
    next attempt (WEBHOOK_RETRY_DELAYS, about 27 hours in all) or, once they are spent, fails the delivery;
    an endpoint that has failed for WEBHOOK_DISABLE_AFTER is disabled and its client told by email.
    """
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint__client")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .first()
        )
        if delivery is None or (delivery.next_attempt_at is not None and delivery.next_attempt_at > now):
            return AttemptOutcome(delivery=delivery, sent=False)
        endpoint = delivery.endpoint
        is_ping = delivery.event_type == Delivery.Event.PING
        if not endpoint.active and not is_ping:
            _delivery_close(delivery, now=now, error="The endpoint is disabled.")
            return AttemptOutcome(delivery=delivery, sent=False)
        body = webhooks.payload_encode(payload=delivery.payload)
        headers = webhooks.signature_headers(
            secret=webhooks.secret_decrypt(encrypted=endpoint.secret_encrypted),
            event_id=delivery.event_id,
            body=body,
            moment=now,
        )
        result = webhooks.webhook_post(url=endpoint.url, body=body, headers=headers, client=client)
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.last_status_code = result.status_code
        delivery.last_error = result.error[:500]
        delivery.log = [
            *delivery.log,
            {"at": now.isoformat(), "status_code": result.status_code, "error": result.error[:300],
             "duration_ms": result.duration_ms},
        ]  # fmt: skip
        if result.succeeded:
            delivery.status = Delivery.Status.SUCCEEDED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
            delivery.save()
            if endpoint.failing_since is not None or not endpoint.active:
                endpoint.failing_since = None
                endpoint.active, endpoint.disabled_at, endpoint.disabled_reason = True, None, ""
                endpoint.save(update_fields=["failing_since", "active", "disabled_at", "disabled_reason"])
            return AttemptOutcome(delivery=delivery, sent=True)
        delays = retry_delays()
        if delivery.attempts > len(delays) or (is_ping and not endpoint.active):
            _delivery_close(delivery, now=now, error=delivery.last_error)
        else:
            delivery.next_attempt_at = now + timedelta(seconds=delays[delivery.attempts - 1])
            delivery.save()
            _enqueue_on_commit(delivery=delivery)
        if endpoint.active:
            _endpoint_record_failure(endpoint, now=now)
    return AttemptOutcome(delivery=delivery, sent=True)


def _delivery_close(delivery: Delivery, *, now: datetime, error: str) -> None:
    delivery.status = Delivery.Status.FAILED
    delivery.next_attempt_at = None
    delivery.last_error = error[:500]
    delivery.save()


def _endpoint_record_failure(endpoint: WebhookEndpoint, *, now: datetime) -> None:
    if endpoint.failing_since is None:
        endpoint.failing_since = now
        endpoint.save(update_fields=["failing_since"])
        return
    if now - endpoint.failing_since < settings.WEBHOOK_DISABLE_AFTER:
        return
    endpoint.active = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = (
        f"Every delivery failed from {endpoint.failing_since:%Y-%m-%d %H:%M} UTC to {now:%Y-%m-%d %H:%M} UTC."
    )
    endpoint.save(update_fields=["active", "disabled_at", "disabled_reason"])
    Delivery.objects.filter(endpoint=endpoint, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.FAILED, next_attempt_at=None, last_error="The endpoint was disabled."
    )
    client = endpoint.client
    message = (
        f"Hello {client.name},\n\nYour webhook endpoint {endpoint.url} has failed every delivery since "
        f"{endpoint.failing_since:%Y-%m-%d %H:%M} UTC, so it has been disabled and its pending events "
        "were dropped. Your alerts are still listed at /api/v1/alerts/.\n\nOnce it works again, send a "
        f"test event (POST /api/v1/webhooks/{endpoint.pk}/ping/): a successful one enables it again.\n"
    )

    def tell() -> None:
        try:
            send_mail(
                subject=f"ConductAtlas: your webhook endpoint {endpoint.url} was disabled",
                message=message,
                from_email=None,
                recipient_list=[client.contact_email],
            )
        except (OSError, smtplib.SMTPException):
            # The endpoint's state, visible in the API, is the record; the email is a courtesy.
            logger.exception("Could not email %s that endpoint %s was disabled", client.contact_email, endpoint.pk)

    transaction.on_commit(tell)


def deliveries_send_due(*, now: datetime | None = None, client: httpx.Client | None = None) -> int:
    """Attempt every pending delivery that is due: the sweep that catches any task the queue lost."""
    moment = now or timezone.now()
    due = Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=moment).order_by(
        "next_attempt_at", "id"
    )
    sent = 0
    for delivery_id in due.values_list("id", flat=True):
        sent += delivery_attempt(delivery_id=delivery_id, client=client).sent
    return sent


# Digests.


def digests_send(*, now: datetime | None = None) -> int:
    """Email each client who asked for it the alerts it has not been sent yet; returns the emails sent."""
    moment = now or timezone.now()
    sent = 0
    for client in ApiClient.objects.filter(email_digest=True, active=True, tier=ApiClient.Tier.PROFESSIONAL):
        with transaction.atomic():
            alerts = list(
                Alert.objects.select_for_update()
                .filter(client=client, digested_at__isnull=True)
                .order_by("created_at", "id")
            )
            if not alerts:
                continue
            lines = [_digest_line(alert) for alert in alerts]
            material = sum(alert.significance_rank >= RANK[Significance.MATERIAL] for alert in alerts)
            send_mail(
                subject=f"ConductAtlas: {len(alerts)} new alert(s), {material} material",
                message=f"Hello {client.name},\n\nWhat changed in what you watch:\n\n" + "\n".join(lines) + "\n",
                from_email=None,
                recipient_list=[client.contact_email],
            )
            Alert.objects.filter(pk__in=[alert.pk for alert in alerts]).update(digested_at=moment)
            sent += 1
    return sent


def _digest_line(alert: Alert) -> str:
    summary = alert.summary
    change = summary["change"]
    when = change["recorded_at"][:16].replace("T", " ")
    where = f"{summary['platform']['name']}, {summary['document']['name']}"
    line = f"- {where}: a {alert.significance} change ({when} UTC)."
    if change["sections"]:
        line += f" Sections: {'; '.join(change['sections'][:3])}."
    return line + f"\n  {change['diff_url']}"
