from typing import Any

from django.core.management.base import BaseCommand

from monitoring.services import digests_send


class Command(BaseCommand):
    help = "Email each client that asked for a digest its alerts not yet sent (run daily, from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Sent {digests_send()} digest emails.")
