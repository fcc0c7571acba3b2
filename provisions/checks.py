"""System checks of what the provisions need from their database.

`manage.py check --deploy --database default` runs them: database checks run only when a database is named.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import connections

from provisions import search
from provisions.search import search_ranked_indexes


@register(Tags.database, deploy=True)
def search_ranked_by_index_check(
    app_configs: Sequence[AppConfig] | None = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Warn where search must rank every match: without RUM, a rare word at a million provisions misses its
    20 ms (bench/README.md)."""
    warnings: list[CheckMessage] = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        found = search_ranked_indexes(using=connection)
        missing = [
            name for name in (search.PROVISIONS.ranked_index, search.DOCUMENTS.ranked_index) if name not in found
        ]
        if missing:
            warnings.append(
                CheckWarning(
                    f"Database {alias!r} has no RUM search index ({', '.join(missing)}): search ranks every match.",
                    hint=(
                        "Install the RUM extension (Debian: postgresql-15-rum), then run "
                        "`manage.py migrate provisions 0009 && manage.py migrate` and restart the web workers."
                    ),
                    id="provisions.W001",
                )
            )
    return warnings
