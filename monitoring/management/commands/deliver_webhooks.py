from typing import Any

from django.core.management.base import BaseCommand

from monitoring.services import deliveries_send_due


class Command(BaseCommand):
    help = (
        "Attempt every webhook delivery that is due now. The background worker does this as deliveries "
        "come; run this from cron as a safety net, or where no worker runs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Attempted {deliveries_send_due()} due deliveries.")
