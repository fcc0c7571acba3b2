"""A provision or a silence is on a version of its own document, enforced by PostgreSQL.

`document` is copied from the version when a provision or silence is written (so that reads by document need
no join), and reads rely on the two agreeing: provision rows take their document from their version
(provisions.selectors.provision_rows). A foreign key on the pair (version, document) to the version's own
pair makes any other combination impossible, whoever writes. It needs a unique key on the version's pair,
which its primary key already implies. Django declares no foreign key on two columns, hence SQL; SQLite (the
embedded demo) has only the models' clean().
"""

from django.db import migrations

PAIRS = """
ALTER TABLE platforms_version ADD CONSTRAINT version_id_document_unique UNIQUE (id, document_id);
ALTER TABLE provisions_provision ADD CONSTRAINT provision_version_of_its_document
    FOREIGN KEY (version_id, document_id) REFERENCES platforms_version (id, document_id);
ALTER TABLE provisions_silence ADD CONSTRAINT silence_version_of_its_document
    FOREIGN KEY (version_id, document_id) REFERENCES platforms_version (id, document_id);
"""

NO_PAIRS = """
ALTER TABLE provisions_silence DROP CONSTRAINT IF EXISTS silence_version_of_its_document;
ALTER TABLE provisions_provision DROP CONSTRAINT IF EXISTS provision_version_of_its_document;
ALTER TABLE platforms_version DROP CONSTRAINT IF EXISTS version_id_document_unique;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PAIRS)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NO_PAIRS)


class Migration(migrations.Migration):
    dependencies = [("provisions", "0010_ranked_search_index"), ("platforms", "0006_provisions_affected")]
    operations = [migrations.RunPython(create, drop)]
