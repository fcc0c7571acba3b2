import pytest
from django.core.management import CommandError, call_command

from platforms.archiving.tracking import document_fetch
from tests.factories import DocumentFactory, SourceFactory
from tests.localserver import Route

pytestmark = pytest.mark.django_db


def test_reextract_records_technical_upgrades_only_where_the_text_changes(local_server, capsys):
    document = DocumentFactory.create()
    SourceFactory.create(document=document, url=local_server.url("/t"))
    local_server.routes["/t"] = Route(body=b"<nav>Menu</nav><main><p>Terms</p></main>")
    document_fetch(document=document)
    call_command("reextract")
    assert capsys.readouterr().out.strip().endswith("0 technical upgrades, 1 unchanged, 0 without snapshots, 0 failed.")
    document.sources.update(select=["main"])
    call_command("reextract", document=document.pk)
    out = capsys.readouterr().out
    assert "1 technical upgrades" in out
    assert document.versions.filter(technical=True).count() == 1


def test_reextract_refuses_an_unknown_document():
    with pytest.raises(CommandError, match="No document with id 4242"):
        call_command("reextract", document=4242)
