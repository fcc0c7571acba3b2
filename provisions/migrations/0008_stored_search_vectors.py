"""Stored search vectors, on PostgreSQL only (the embedded SQLite demo searches without them).

Ranking recomputed `to_tsvector` for every match, which at a million provisions, or on 20 KB documents,
is most of a search's time; and the index over every version's text grew with the whole history while
only the versions in force are searched. Now:

- a provision carries a generated, stored `search_vector` (kept by PostgreSQL itself), GIN-indexed;
- a document carries the `search_vector` of its version in force, written by a trigger when
  `current_version_id` changes, GIN-indexed; the index over all versions' text is dropped.

Django's models do not declare these columns: `provisions.selectors.search_run` reads them by name.
"""

from django.db import migrations

PROVISION_VECTOR = """
ALTER TABLE provisions_provision ADD COLUMN IF NOT EXISTS search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('english'::regconfig,
        COALESCE(quote, '') || ' ' || COALESCE(summary, '') || ' ' || COALESCE(states, '') || ' '
        || COALESCE(permits, '') || ' ' || COALESCE(reserves, ''))) STORED;
CREATE INDEX IF NOT EXISTS provision_search_vector ON provisions_provision USING gin (search_vector);
DROP INDEX IF EXISTS provision_search;
"""

DOCUMENT_VECTOR = """
ALTER TABLE platforms_document ADD COLUMN IF NOT EXISTS search_vector tsvector;
CREATE OR REPLACE FUNCTION document_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector := (
        SELECT to_tsvector('english'::regconfig, COALESCE(text, '')) FROM platforms_version
        WHERE id = NEW.current_version_id
    );
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS document_search_vector_insert ON platforms_document;
CREATE TRIGGER document_search_vector_insert BEFORE INSERT ON platforms_document
    FOR EACH ROW EXECUTE FUNCTION document_search_vector();
DROP TRIGGER IF EXISTS document_search_vector_update ON platforms_document;
CREATE TRIGGER document_search_vector_update BEFORE UPDATE OF current_version_id ON platforms_document
    FOR EACH ROW WHEN (OLD.current_version_id IS DISTINCT FROM NEW.current_version_id)
    EXECUTE FUNCTION document_search_vector();
UPDATE platforms_document d SET search_vector = to_tsvector('english'::regconfig, COALESCE(v.text, ''))
    FROM platforms_version v WHERE v.id = d.current_version_id;
CREATE INDEX IF NOT EXISTS document_search_vector ON platforms_document USING gin (search_vector);
DROP INDEX IF EXISTS version_text_search;
"""

UNDO = """
DROP INDEX IF EXISTS provision_search_vector;
ALTER TABLE provisions_provision DROP COLUMN IF EXISTS search_vector;
DROP TRIGGER IF EXISTS document_search_vector_insert ON platforms_document;
DROP TRIGGER IF EXISTS document_search_vector_update ON platforms_document;
DROP FUNCTION IF EXISTS document_search_vector();
DROP INDEX IF EXISTS document_search_vector;
ALTER TABLE platforms_document DROP COLUMN IF EXISTS search_vector;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PROVISION_VECTOR)
        schema_editor.execute(DOCUMENT_VECTOR)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNDO)
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS provision_search ON provisions_provision USING gin (to_tsvector("
            "'english'::regconfig, COALESCE(quote, '') || ' ' || COALESCE(summary, '') || ' ' || "
            "COALESCE(states, '') || ' ' || COALESCE(permits, '') || ' ' || COALESCE(reserves, '')))"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS version_text_search ON platforms_version "
            "USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')))"
        )


class Migration(migrations.Migration):
    dependencies = [("provisions", "0007_seed_regulation"), ("platforms", "0006_provisions_affected")]
    operations = [migrations.RunPython(create, drop)]
