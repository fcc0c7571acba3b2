from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from provisions.exports import bundle_verify


class Command(BaseCommand):
    help = (
        "Verify an evidence bundle on its own: every file against SHA256SUMS, every text against its version's "
        "sha256, every quote against its text. Needs no database."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: cannot be read ({error.strerror}).") from error
        report = bundle_verify(data=data)
        if not report.ok:
            for problem in report.problems[1:]:
                self.stderr.write(problem)
            more = f" (and {len(report.problems) - 1} more problems)" if len(report.problems) > 1 else ""
            raise CommandError(f"{file} does not verify: {report.problems[0]}{more}.")
        self.stdout.write(f"{file}: verified {report.files} files and {report.provisions} quotes.")
