from typing import Any

import dj_database_url
import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Exit non-zero with one line of why when the PostgreSQL server of the tests cannot be reached."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default=None, help="A database URL (default: the configured database).")

    def handle(self, *args: Any, url: str | None, **options: Any) -> None:
        database = dict(dj_database_url.parse(url)) if url else settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("The tests run on PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/NAME")
        try:
            # The maintenance database: the test run creates its own test database.
            psycopg.connect(
                host=str(database.get("HOST") or "") or None,
                port=str(database.get("PORT") or "") or None,
                user=str(database.get("USER") or "") or None,
                password=str(database.get("PASSWORD") or "") or None,
                dbname="postgres",
                connect_timeout=3,
            ).close()
        except psycopg.Error as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise CommandError(
                f"PostgreSQL is not reachable at {database.get('HOST')}:{database.get('PORT')} ({first_line}); "
                "start it or point the tests at one with TEST_DATABASE_URL=postgres://USER@HOST:PORT/NAME make test"
            ) from error
