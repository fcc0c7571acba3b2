"""Deliveries as the background worker (django-tasks-db's `db_worker`) sends them, across worker restarts."""

import time

import pytest
from django.core.management import call_command
from standardwebhooks.webhooks import Webhook

from monitoring.models import Alert, Delivery
from monitoring.services import watch_create, webhook_create
from monitoring.tracking import tracking_run
from tests.factories import ApiClientFactory, DocumentFactory, SourceFactory
from tests.localserver import LocalServer, Route

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_worker() -> None:
    """One worker life: run every task that is due, then exit (as a restart would end it)."""
    call_command("db_worker", batch=True, startup_delay=False, interval=0.01, verbosity=0)


@pytest.fixture
def tracked(local_server, settings):
    """A professional client watching a platform whose document is fetched from the local server."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = ApiClientFactory.create()
    document = DocumentFactory.create()
    SourceFactory.create(document=document, url=local_server.url("/terms"))
    watch_create(client=client, platform=document.platform)
    local_server.routes["/terms"] = Route(body=b"<p>You may use the service.</p>")
    tracking_run(documents=[document])
    local_server.routes["/terms"] = Route(body=b"<p>You may use the service. You must be polite.</p>")
    return client, document


def test_a_tracked_change_reaches_the_receiver_signed_after_500s_exactly_once_more(tracked, local_server, settings):
    settings.WEBHOOK_RETRY_DELAYS = [0, 0, 0, 0, 0]
    client, document = tracked
    _endpoint, secret = webhook_create(client=client, url=local_server.url("/hook"))
    answers = iter([500, 500, 500, 200])
    local_server.routes["/hook"] = lambda: Route(status=next(answers, 200))
    summary = tracking_run(documents=[document])
    assert (summary.new_versions, summary.alerts) == (1, 1)
    run_worker()
    run_worker()
    hooks = [received for received in local_server.received if received.path == "/hook"]
    assert len(hooks) == 4
    assert len({received.headers["webhook-id"] for received in hooks}) == 1
    payload = Webhook(secret).verify(hooks[-1].body, hooks[-1].headers)
    alert = Alert.objects.get(client=client)
    assert payload["data"]["alert_id"] == alert.pk
    assert payload["data"]["platform"]["slug"] == document.platform.slug
    delivery = Delivery.objects.get(alert=alert)
    assert (delivery.status, delivery.attempts) == ("succeeded", 4)


def test_a_receiver_down_while_the_worker_restarts_still_gets_the_event(tracked, settings):
    settings.WEBHOOK_RETRY_DELAYS = [1, 1]
    client, document = tracked
    receiver = LocalServer().start()
    port = receiver.port
    receiver.stop()  # down: connections are refused
    _endpoint, secret = webhook_create(client=client, url=f"http://127.0.0.1:{port}/hook")
    tracking_run(documents=[document])
    run_worker()  # the first attempt fails and the retry is queued for a second later; the worker exits
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    receiver = LocalServer(port=port).start()
    receiver.routes["/hook"] = Route(status=200)
    try:
        time.sleep(1.2)
        run_worker()  # a new worker picks the queued retry up from the database
        run_worker()
    finally:
        receiver.stop()
    (received,) = receiver.received
    Webhook(secret).verify(received.body, received.headers)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)
