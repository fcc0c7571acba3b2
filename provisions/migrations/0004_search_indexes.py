"""GIN indexes for full-text search, on PostgreSQL only (the embedded SQLite demo searches without them).

They index exactly the expressions `provisions.selectors.search_run` queries, so that PostgreSQL uses them.
"""

from django.db import migrations

PROVISION_INDEX = """
CREATE INDEX IF NOT EXISTS provision_search ON provisions_provision USING gin (
    to_tsvector('english'::regconfig,
        COALESCE(quote, '') || ' ' || COALESCE(summary, '') || ' ' || COALESCE(states, '') || ' '
        || COALESCE(permits, '') || ' ' || COALESCE(reserves, ''))
)
"""
VERSION_INDEX = """
CREATE INDEX IF NOT EXISTS version_text_search ON platforms_version
    USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')))
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PROVISION_INDEX)
        schema_editor.execute(VERSION_INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS provision_search")
        schema_editor.execute("DROP INDEX IF EXISTS version_text_search")


class Migration(migrations.Migration):
    dependencies = [("provisions", "0003_history"), ("platforms", "0005_changes")]
    operations = [migrations.RunPython(create, drop)]
