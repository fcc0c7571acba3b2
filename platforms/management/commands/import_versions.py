from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from platforms.importers.dataset import DatasetError, dataset_import


class Command(BaseCommand):
    help = "Import versions from a <Service>/<Terms type>/<ISO 8601 date>.md directory (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--metadata",
            type=Path,
            default=None,
            help="Platform and document metadata (default: DIR/platforms.json).",
        )

    def handle(self, *args: Any, directory: Path, metadata: Path | None, verbosity: int, **options: Any) -> None:
        progress = self.stdout.write if verbosity >= 2 else None
        try:
            summary = dataset_import(root=directory, metadata_path=metadata, on_progress=progress)
        except DatasetError as error:
            raise CommandError(f"Nothing imported from the bad files; fix these first:\n{error}") from error
        self.stdout.write(summary.line())
