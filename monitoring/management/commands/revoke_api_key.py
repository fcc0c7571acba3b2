from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from monitoring.models import ApiKey
from monitoring.services import api_key_revoke


class Command(BaseCommand):
    help = "Revoke an API key by its prefix (the part before the dot); it cannot be undone."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("prefix")

    def handle(self, *args: Any, prefix: str, **options: Any) -> None:
        key = ApiKey.objects.select_related("client").filter(prefix=prefix.partition(".")[0]).first()
        if key is None:
            raise CommandError(f"No API key with prefix {prefix!r}.")
        if key.revoked:
            raise CommandError(f"Key {key.prefix} of {key.client} is already revoked.")
        api_key_revoke(key=key)
        self.stdout.write(f"Revoked key {key.prefix} of {key.client}.")
