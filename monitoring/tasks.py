"""Background tasks (Django's Tasks framework; the database backend and `manage.py db_worker` run them)."""

from django.tasks import task
from django.utils import timezone

from monitoring.tracking import tracking_run
from platforms.selectors import documents_due


@task()
def track_due_documents() -> str:
    """Fetch every document whose check interval has passed; returns the summary line."""
    return tracking_run(documents=documents_due(now=timezone.now())).line()
