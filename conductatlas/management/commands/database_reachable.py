from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Exit non-zero with one line of why when the configured PostgreSQL server cannot be reached."

    def handle(self, *args: Any, **options: Any) -> None:
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("The tests run on PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/NAME")
        try:
            # The maintenance database: the test database is created by the test run itself.
            psycopg.connect(
                host=database["HOST"] or None,
                port=database["PORT"] or None,
                user=database["USER"] or None,
                password=database["PASSWORD"] or None,
                dbname="postgres",
                connect_timeout=3,
            ).close()
        except psycopg.Error as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise CommandError(
                f"PostgreSQL is not reachable at {database['HOST']}:{database['PORT']} ({first_line}); "
                "start it or point the tests at one with TEST_DATABASE_URL=postgres://USER@HOST:PORT/NAME make test"
            ) from error
