from typing import Any

from django.core.management.base import BaseCommand

from platforms.models import Version
from provisions.models import Provision
from provisions.services import RelinkSummary, provisions_relink


class Command(BaseCommand):
    help = "Relink provisions along recorded histories in date order (a backfill after imports)."

    def handle(self, *args: Any, verbosity: int, **options: Any) -> None:
        total = RelinkSummary()
        # Versions whose predecessor holds provisions, oldest first: each relink can feed the next one.
        while True:
            anchored = Provision.objects.values_list("version_id", flat=True)
            pending = (
                Version.objects.filter(predecessor_id__in=anchored)
                .exclude(provision_anchors__isnull=False)
                .order_by("recorded_at", "id")
                .first()
            )
            if pending is None:
                break
            summary = provisions_relink(version=pending)
            for outcome, count in summary.outcomes.items():
                total.outcomes[outcome] = total.outcomes.get(outcome, 0) + count
            if verbosity >= 2:
                self.stdout.write(f"version {pending.pk}: {summary.line()}")
        self.stdout.write(total.line())
