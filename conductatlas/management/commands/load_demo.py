import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from platforms.importers.dataset import DatasetError, dataset_import
from provisions.curation import CurationError, curation_load

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = "Load the demo data (idempotently) and create an admin user when there is none."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = dataset_import(root=DEMO_DIR / "versions", metadata_path=DEMO_DIR / "platforms.json")
        except DatasetError as error:
            raise CommandError(f"The demo data could not be loaded: {error}") from error
        self.stdout.write(f"Demo versions: {summary.line()}")
        try:
            curation = curation_load(path=DEMO_DIR / "provisions.json")
        except CurationError as error:
            raise CommandError(f"The demo provisions could not be loaded: {error}") from error
        self.stdout.write(f"Demo curation: {curation.line()}")
        user_model = get_user_model()
        if user_model.objects.filter(is_superuser=True).exists():
            self.stdout.write("Admin: an admin user exists already (create another with `manage.py createsuperuser`).")
            return
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username=ADMIN_USERNAME, email="admin@example.org", password=password)
        self.stdout.write(f"Admin (at /admin/): user {ADMIN_USERNAME!r} password {password!r} (shown once)")
