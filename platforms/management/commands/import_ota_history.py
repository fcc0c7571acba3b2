import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from platforms.importers.ota_history import HistoryError, history_import


class Command(BaseCommand):
    help = "Import an Open Terms Archive versions repository (a path or a .bundle file), commit by commit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("repository", type=Path)

    def handle(self, *args: Any, repository: Path, verbosity: int, **options: Any) -> None:
        started = time.monotonic()
        progress = self.stdout.write if verbosity >= 1 else None
        try:
            summary = history_import(path=repository, on_progress=progress)
        except HistoryError as error:
            raise CommandError(str(error)) from error
        if verbosity >= 2:
            for problem in summary.problems:
                self.stdout.write(f"Problem: {problem}")
        self.stdout.write(f"{summary.line()} ({time.monotonic() - started:.1f} s)")
