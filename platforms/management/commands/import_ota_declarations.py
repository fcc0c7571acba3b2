from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from platforms.importers.ota_declarations import DeclarationError, declarations_import


class Command(BaseCommand):
    help = "Import Open Terms Archive declarations (<Service>.json) into platforms, documents and sources."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, directory: Path, verbosity: int, **options: Any) -> None:
        progress = self.stdout.write if verbosity >= 2 else None
        try:
            summary = declarations_import(directory=directory, on_progress=progress)
        except DeclarationError as error:
            raise CommandError(str(error)) from error
        for line in summary.skipped_files + summary.skipped_terms:
            self.stdout.write(f"Skipped {line}")
        self.stdout.write(summary.line())
