"""Background tasks (Django's Tasks framework; the database backend and `manage.py db_worker` run them)."""

from django.tasks import task
from django.utils import timezone

from monitoring.services import deliveries_send_due, delivery_attempt, digests_send
from monitoring.tracking import tracking_run
from platforms.selectors import documents_due


@task()
def track_due_documents() -> str:
    """Fetch every document whose check interval has passed; returns the summary line."""
    return tracking_run(documents=documents_due(now=timezone.now())).line()


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at one delivery; a failure enqueues the next attempt with its backoff."""
    outcome = delivery_attempt(delivery_id=delivery_id)
    if outcome.delivery is None:
        return f"Delivery {delivery_id}: nothing to do (already delivered, given up, or being sent)."
    delivery = outcome.delivery
    return f"Delivery {delivery_id}: {delivery.status} after {delivery.attempts} attempt(s)."


@task()
def send_due_deliveries() -> str:
    """The sweep: every pending delivery whose time has come, in case a task was lost."""
    return f"Attempted {deliveries_send_due()} due deliveries."


@task()
def send_alert_digests() -> str:
    return f"Sent {digests_send()} digest emails."
