import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from platforms.models import Version
from platforms.services import change_record


class Command(BaseCommand):
    help = "Compute the changes that are missing (imported histories), or all of them again with --all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Recompute existing changes too (overrides are kept).")

    def handle(self, *args: Any, all: bool, verbosity: int, **options: Any) -> None:
        versions = Version.objects.filter(predecessor__isnull=False)
        if not all:
            versions = versions.filter(change__isnull=True)
        ids = list(versions.order_by("recorded_at", "id").values_list("id", flat=True))
        started = time.monotonic()
        counts: dict[str, int] = {}
        for index, pk in enumerate(ids, start=1):
            version = Version.objects.select_related("predecessor").get(pk=pk)
            change = change_record(version=version)
            if change is not None:
                counts[change.significance] = counts.get(change.significance, 0) + 1
            if verbosity >= 1 and index % 250 == 0:
                self.stdout.write(f"[{index}/{len(ids)}] {time.monotonic() - started:.1f} s")
        by_class = ", ".join(f"{name}: {count}" for name, count in sorted(counts.items()))
        self.stdout.write(
            f"Computed {sum(counts.values())} changes in {time.monotonic() - started:.1f} s"
            + (f" ({by_class})." if by_class else ".")
        )
