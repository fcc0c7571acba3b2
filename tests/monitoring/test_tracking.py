import pytest

from monitoring.tasks import track_due_documents
from monitoring.tracking import tracking_run
from platforms.models import Version
from tests.factories import DocumentFactory, SourceFactory
from tests.localserver import Route

pytestmark = pytest.mark.django_db


def test_a_run_counts_new_unchanged_and_failed_documents(local_server):
    changing, steady, broken = (DocumentFactory.create() for _ in range(3))
    SourceFactory.create(document=changing, url=local_server.url("/a"))
    SourceFactory.create(document=steady, url=local_server.url("/b"))
    SourceFactory.create(document=broken, url=local_server.url("/gone"))
    local_server.routes["/a"] = Route(body=b"<p>A1</p>")
    local_server.routes["/b"] = Route(body=b"<p>B</p>")
    tracking_run(documents=[steady])
    summary = tracking_run(documents=[changing, steady, broken])
    assert (summary.checked, summary.new_versions, summary.unchanged, summary.failed) == (3, 1, 1, 1)
    assert summary.failures == {"http_404": 1}
    assert summary.line() == "Checked 3 documents: 1 new versions (0 alerts), 1 unchanged, 1 failed (http_404: 1)."


def test_the_background_task_tracks_due_documents(local_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    document = DocumentFactory.create()
    SourceFactory.create(document=document, url=local_server.url("/t"))
    local_server.routes["/t"] = Route(body=b"<p>Terms</p>")
    result = track_due_documents.enqueue()
    assert result.return_value.startswith("Checked 1 documents: 1 new versions")
    assert Version.objects.filter(document=document).count() == 1
    # Just checked: not due again before its interval.
    assert track_due_documents.enqueue().return_value.startswith("Checked 0 documents")
