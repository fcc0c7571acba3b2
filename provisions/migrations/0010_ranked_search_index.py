"""Search ranked by the index, where PostgreSQL has the RUM extension.

A GIN index finds the matches but cannot return them in rank order, so every match had to be read and
ranked: at a million provisions a common word ranks a million rows (bench/README.md). A RUM index stores
each lexeme's positions, so `ORDER BY search_vector <=> query LIMIT 20` is answered from the index.

RUM is an extension (Debian: postgresql-15-rum), not part of PostgreSQL. This migration uses it when it is
installed in the database, or available and the migrating role may create it; otherwise it does nothing and
search ranks as before with `ts_rank` over the GIN indexes. `provisions.search.search_ranked_by_index`
tells which (read once per process: restart the web workers after changing it). A RUM index answers `@@`
too, so it replaces the GIN index instead of sitting beside it.

Installed the extension after migrating? `manage.py migrate provisions 0009 && manage.py migrate`.
"""

from django.db import migrations

RANKED = """
CREATE EXTENSION IF NOT EXISTS rum;
CREATE INDEX IF NOT EXISTS provision_search_ranked ON provisions_provision USING rum (search_vector rum_tsvector_ops);
DROP INDEX IF EXISTS provision_search_vector;
CREATE INDEX IF NOT EXISTS document_search_ranked ON platforms_document USING rum (search_vector rum_tsvector_ops);
DROP INDEX IF EXISTS document_search_vector;
"""

UNRANKED = """
CREATE INDEX IF NOT EXISTS provision_search_vector ON provisions_provision USING gin (search_vector);
DROP INDEX IF EXISTS provision_search_ranked;
CREATE INDEX IF NOT EXISTS document_search_vector ON platforms_document USING gin (search_vector);
DROP INDEX IF EXISTS document_search_ranked;
"""

# Installed already (by whoever may), or available to a role that may install it.
RUM_USABLE = """
SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum')
    OR (EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum')
        AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user))
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(RUM_USABLE)
        (usable,) = cursor.fetchone()
    if usable:
        schema_editor.execute(RANKED)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNRANKED)


class Migration(migrations.Migration):
    dependencies = [("provisions", "0009_provision_recent_index"), ("platforms", "0006_provisions_affected")]
    operations = [migrations.RunPython(create, drop)]
