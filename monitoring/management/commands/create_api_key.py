from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from monitoring.models import ApiClient
from monitoring.services import api_client_create, api_key_create


class Command(BaseCommand):
    help = "Make an API key for a client (creating the client when --email is given); prints the key once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("client", help="The client's name.")
        parser.add_argument("--email", help="Contact email: creates the client if it does not exist.")
        parser.add_argument("--tier", choices=ApiClient.Tier.values, help="The tier of a new client (default: free).")
        parser.add_argument("--name", default="default", help="A label for the key (default: 'default').")

    def handle(self, *args: Any, client: str, email: str | None, tier: str | None, name: str, **options: Any) -> None:
        found = ApiClient.objects.filter(name=client).first()
        try:
            if found is None:
                if not email:
                    raise CommandError(f"No client named {client!r}: give --email (and --tier) to create it.")
                found = api_client_create(name=client, contact_email=email, tier=tier or ApiClient.Tier.FREE)
            elif tier and tier != found.tier:
                raise CommandError(f"Client {client!r} is on the {found.tier} tier: change tiers in the admin.")
            key, raw = api_key_create(client=found, name=name)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stderr.write(f"Key {key.prefix} for {found.name} ({found.tier}). Store it now; it is not shown again:")
        self.stdout.write(raw)
