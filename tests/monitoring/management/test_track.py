import pytest
from django.core.management import CommandError, call_command

from platforms.models import Version
from tests.factories import DocumentFactory, PlatformFactory, SourceFactory
from tests.localserver import Route

pytestmark = pytest.mark.django_db


def test_track_prints_progress_and_a_summary_line(local_server, capsys):
    document = DocumentFactory.create(platform=PlatformFactory.create(slug="acme"))
    SourceFactory.create(document=document, url=local_server.url("/t"))
    local_server.routes["/t"] = Route(body=b"<p>Terms</p>")
    call_command("track", platform="acme")
    out = capsys.readouterr().out.strip().splitlines()
    assert "new version" in out[0]
    assert out[-1] == "Checked 1 documents: 1 new versions (0 alerts), 0 unchanged, 0 failed."


def test_track_due_skips_documents_checked_recently(local_server, capsys):
    document = DocumentFactory.create()
    SourceFactory.create(document=document, url=local_server.url("/t"))
    local_server.routes["/t"] = Route(body=b"<p>Terms</p>")
    call_command("track", document=document.pk)
    call_command("track", due=True)
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("Checked 0 documents")
    assert Version.objects.count() == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [({"platform": "nope"}, "No platform with slug 'nope'"), ({"document": 999999}, "No document with id 999999")],
)
def test_track_refuses_unknown_targets(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("track", **options)


def test_track_refuses_a_document_without_source():
    document = DocumentFactory.create()
    with pytest.raises(CommandError, match="has no source"):
        call_command("track", document=document.pk)
