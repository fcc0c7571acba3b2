from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from platforms.archiving.extraction import ExtractionError
from platforms.archiving.tracking import document_reextract
from platforms.models import Document
from platforms.selectors import documents_trackable


class Command(BaseCommand):
    help = (
        "Re-extract the latest stored snapshots with the current extractor and selectors; a new text is "
        "recorded as a technical upgrade, never as a change of the terms."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--document", type=int, help="Only this document (id).")

    def handle(self, *args: Any, document: int | None, **options: Any) -> None:
        documents = documents_trackable()
        if document is not None:
            if not Document.objects.filter(pk=document).exists():
                raise CommandError(f"No document with id {document}.")
            documents = documents.filter(pk=document)
        upgraded = unchanged = skipped = failed = 0
        for item in documents.order_by("id"):
            try:
                result = document_reextract(document=item)
            except ExtractionError as error:
                failed += 1
                self.stdout.write(f"{item}: {error.label}: {error.detail}")
                continue
            if result is None:
                skipped += 1
            elif result.version is not None:
                upgraded += 1
                self.stdout.write(f"{item}: technical upgrade, version {result.version.pk}")
            else:
                unchanged += 1
        self.stdout.write(
            f"Re-extracted: {upgraded} technical upgrades, {unchanged} unchanged, "
            f"{skipped} without snapshots, {failed} failed."
        )
