from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from monitoring.tasks import track_due_documents
from monitoring.tracking import tracking_run
from platforms.models import Document, Platform
from platforms.selectors import documents_due, documents_trackable


class Command(BaseCommand):
    help = "Fetch documents now and record what changed; ends with one summary line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--platform", help="Only this platform's documents (slug).")
        parser.add_argument("--document", type=int, help="Only this document (id).")
        parser.add_argument("--due", action="store_true", help="Only documents whose check interval has passed.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Enqueue the due documents' tracking for the background worker."
        )

    def handle(
        self,
        *args: Any,
        platform: str | None,
        document: int | None,
        due: bool,
        enqueue: bool,
        verbosity: int,
        **options: Any,
    ) -> None:
        if enqueue:
            result = track_due_documents.enqueue()
            self.stdout.write(f"Enqueued tracking of the due documents as task {result.id}.")
            return
        documents = documents_due(now=timezone.now()) if due else documents_trackable()
        if platform is not None:
            if not Platform.objects.filter(slug=platform).exists():
                raise CommandError(f"No platform with slug {platform!r}.")
            documents = documents.filter(platform__slug=platform)
        if document is not None:
            if not Document.objects.filter(pk=document).exists():
                raise CommandError(f"No document with id {document}.")
            if not Document.objects.filter(pk=document, sources__isnull=False).exists():
                raise CommandError(f"Document {document} has no source to fetch: add one in the admin.")
            documents = documents.filter(pk=document)
        targets = list(documents.order_by("platform__slug", "id"))
        progress = self.stdout.write if verbosity >= 1 else None
        summary = tracking_run(documents=targets, on_progress=progress)
        self.stdout.write(summary.line())
