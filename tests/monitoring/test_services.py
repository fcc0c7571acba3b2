from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from monitoring.models import Alert, Delivery, WebhookEndpoint
from monitoring.services import (
    alerts_create,
    deliveries_send_due,
    delivery_attempt,
    digests_send,
    watch_create,
    webhook_create,
    webhook_ping,
)
from platforms.archiving.recording import version_record
from platforms.models import Change
from provisions.models import Category
from tests.factories import ApiClientFactory, DocumentFactory, PlatformFactory
from tests.localserver import Route
from tests.provisions.test_relinking import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(local_server, settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_RETRY_DELAYS = [0, 0, 0, 0, 0]
    return local_server


def endpoint_for(client, server, path="/hook"):
    endpoint, secret = webhook_create(client=client, url=server.url(path))
    return endpoint, secret


# Watches.


def test_an_eleventh_watched_platform_is_refused_with_the_limit():
    client = ApiClientFactory.create()
    for index in range(10):
        watch_create(client=client, platform=PlatformFactory.create(slug=f"p{index}"))
    with pytest.raises(ValidationError, match="at most 10 platforms, and you watch 10 already"):
        watch_create(client=client, platform=PlatformFactory.create(slug="eleventh"))


def test_a_document_watch_counts_its_platform_once_and_a_category_watch_counts_none():
    client = ApiClientFactory.create()
    platforms = [PlatformFactory.create(slug=f"p{index}") for index in range(10)]
    for platform in platforms:
        watch_create(client=client, platform=platform)
    # Another document of an already watched platform, and a category across all: still 10 platforms.
    watch_create(client=client, document=DocumentFactory.create(platform=platforms[0]))
    watch_create(client=client, category=Category.objects.get(slug="training-on-user-content"))
    with pytest.raises(ValidationError):
        watch_create(client=client, document=DocumentFactory.create())


def test_watching_the_same_target_twice_is_refused():
    client = ApiClientFactory.create()
    platform = PlatformFactory.create()
    watch_create(client=client, platform=platform)
    with pytest.raises(ValidationError, match="already watch"):
        watch_create(client=client, platform=platform)


def test_a_free_client_cannot_watch():
    with pytest.raises(ValidationError, match="professional"):
        watch_create(client=ApiClientFactory.create(tier="free"), platform=PlatformFactory.create())


# Alerts.


def test_a_change_to_a_watched_platform_alerts_its_watcher_with_a_structured_summary(record_change):
    client = ApiClientFactory.create()
    document = DocumentFactory.create()
    watch = watch_create(client=client, platform=document.platform)
    change = record_change(document)
    (alert,) = alerts_create(change=change)
    assert (alert.client, alert.change, alert.significance) == (client, change, "substantive")
    summary = alert.summary
    assert summary["platform"]["slug"] == document.platform.slug
    assert summary["document"]["id"] == document.pk
    assert summary["versions"]["before"]["id"] == change.predecessor_id
    assert summary["versions"]["after"]["id"] == change.version_id
    assert summary["change"]["significance"] == "substantive"
    assert summary["change"]["diff_url"].endswith(
        f"/api/v1/versions/{change.version_id}/diff/?against={change.predecessor_id}"
    )
    assert summary["watches"] == [watch.pk]
    assert {"silent", "announced", "sections", "stats", "reasons"} <= set(summary["change"])


def test_a_change_below_the_watch_threshold_alerts_nobody(record_change):
    document = DocumentFactory.create()
    watch_create(client=ApiClientFactory.create(), platform=document.platform, min_significance="material")
    assert alerts_create(change=record_change(document)) == []


def test_a_client_gets_one_alert_per_change_listing_every_watch_it_matched(record_change):
    client = ApiClientFactory.create()
    document = DocumentFactory.create()
    by_platform = watch_create(client=client, platform=document.platform)
    by_document = watch_create(client=client, document=document)
    change = record_change(document)
    (alert,) = alerts_create(change=change)
    assert set(alert.summary["watches"]) == {by_platform.pk, by_document.pk}
    assert alerts_create(change=change) == []
    assert Alert.objects.filter(change=change).count() == 1


def test_free_and_inactive_clients_are_not_alerted(record_change):
    document = DocumentFactory.create()
    inactive = ApiClientFactory.create()
    watch_create(client=inactive, platform=document.platform)
    inactive.active = False
    inactive.save()
    assert alerts_create(change=record_change(document)) == []


def test_a_category_watch_is_alerted_when_a_published_clause_of_it_changes_with_quotes(record_change):
    client = ApiClientFactory.create()
    watch_create(client=client, category=Category.objects.get(slug="training-on-user-content"))
    document = DocumentFactory.create()
    first = version_record(document=document, text="Intro.\n\nWe never train models on your chats.\n", origin="fetched")
    assert first.version is not None
    provision = published(first.version, "We never train models on your chats.")
    second = version_record(document=document, text="Intro.\n\nWe may train models on your chats.\n", origin="fetched")
    change = Change.objects.get(version=second.version)
    (alert,) = alerts_create(change=change)
    assert alert.significance == "material"
    (item,) = alert.summary["provisions"]
    assert item["code"] == provision.code
    assert item["outcome"] == "modified"
    assert item["before"] == "We never train models on your chats."
    assert "may train" in item["after"]
    assert alert.summary["categories"] == ["training-on-user-content"]


# Deliveries.


def test_an_alert_is_delivered_signed_so_that_the_secret_verifies_it(receiver, record_change):
    client = ApiClientFactory.create()
    document = DocumentFactory.create()
    watch_create(client=client, platform=document.platform)
    _endpoint, secret = endpoint_for(client, receiver)
    receiver.routes["/hook"] = Route(status=204)
    (alert,) = alerts_create(change=record_change(document))
    delivery = Delivery.objects.get(alert=alert)
    assert delivery_attempt(delivery_id=delivery.pk).sent
    (received,) = receiver.received
    payload = Webhook(secret).verify(received.body, received.headers)
    assert payload["type"] == "change.recorded"
    assert payload["data"]["alert_id"] == alert.pk
    assert received.headers["webhook-id"] == delivery.event_id
    with pytest.raises(Exception, match="signature"):
        Webhook(secret).verify(received.body.replace(b"substantive", b"material"), received.headers)


def test_a_receiver_failing_three_times_gets_the_event_exactly_once_more(receiver):
    client = ApiClientFactory.create()
    endpoint, secret = endpoint_for(client, receiver)
    answers = iter([500, 500, 500, 200, 200, 200])
    receiver.routes["/hook"] = lambda: Route(status=next(answers))
    delivery = webhook_ping(endpoint=endpoint)
    for _ in range(6):
        deliveries_send_due()
    assert [r.headers["webhook-id"] for r in receiver.received] == [delivery.event_id] * 4
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 4, 200)
    assert [entry["status_code"] for entry in delivery.log] == [500, 500, 500, 200]
    for received in receiver.received:
        Webhook(secret).verify(received.body, received.headers)


def test_a_delivery_is_given_up_once_its_retries_are_spent(receiver, settings):
    settings.WEBHOOK_RETRY_DELAYS = [0, 0]
    endpoint, _secret = endpoint_for(ApiClientFactory.create(), receiver)
    receiver.routes["/hook"] = Route(status=503)
    delivery = webhook_ping(endpoint=endpoint)
    for _ in range(5):
        deliveries_send_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 3, "HTTP 503")
    assert len(receiver.received) == 3


def test_a_failed_attempt_waits_for_its_backoff(receiver, settings):
    settings.WEBHOOK_RETRY_DELAYS = [300]
    endpoint, _secret = endpoint_for(ApiClientFactory.create(), receiver)
    receiver.routes["/hook"] = Route(status=500)
    delivery = webhook_ping(endpoint=endpoint)
    deliveries_send_due()
    deliveries_send_due()
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert delivery.next_attempt_at is not None and delivery.last_attempt_at is not None
    assert delivery.next_attempt_at - delivery.last_attempt_at == timedelta(seconds=300)


def test_an_endpoint_failing_for_three_days_is_disabled_and_its_client_told(
    receiver, django_capture_on_commit_callbacks
):
    client = ApiClientFactory.create()
    endpoint, _secret = endpoint_for(client, receiver)
    receiver.routes["/hook"] = Route(status=500)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now() - timedelta(days=3, hours=1))
    pending = webhook_ping(endpoint=endpoint)
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_send_due()
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert endpoint.disabled_reason.startswith("Every delivery failed")
    assert Delivery.objects.get(pk=pending.pk).status == "failed"
    (message,) = mail.outbox
    assert message.to == [client.contact_email]
    assert "disabled" in message.subject
    # A ping that succeeds brings it back.
    receiver.routes["/hook"] = Route(status=200)
    webhook_ping(endpoint=endpoint)
    deliveries_send_due()
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.failing_since is None


def test_the_webhook_secret_is_stored_encrypted(public_resolver):
    client = ApiClientFactory.create()
    endpoint, secret = webhook_create(client=client, url="https://hooks.example.com/in", resolver=public_resolver)
    assert secret.startswith("whsec_")
    assert secret not in endpoint.secret_encrypted
    assert secret.removeprefix("whsec_") not in endpoint.secret_encrypted


def test_a_webhook_on_a_private_address_is_refused(public_resolver):
    client = ApiClientFactory.create()
    with pytest.raises(ValidationError, match="not a public host"):
        webhook_create(client=client, url="https://hooks.example.com/", resolver=lambda host, port: ["10.0.0.5"])
    with pytest.raises(ValidationError, match="https"):
        webhook_create(client=client, url="http://hooks.example.com/", resolver=public_resolver)


# Digests.


def test_a_digest_lists_the_new_alerts_once(record_change):
    client = ApiClientFactory.create(email_digest=True)
    document = DocumentFactory.create()
    watch_create(client=client, platform=document.platform)
    alerts_create(change=record_change(document))
    assert digests_send() == 1
    (message,) = mail.outbox
    assert message.to == [client.contact_email]
    assert "1 new alert(s)" in message.subject
    assert f"/api/v1/versions/{document.current_version_id}/diff/" in message.body
    assert digests_send() == 0
