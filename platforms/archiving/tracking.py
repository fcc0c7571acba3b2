"""One fetch of a document, start to end: fetch every source, keep the raw snapshots, extract, record.

A failure of any step records a Check with its failure label and never a version; three failures
in a row mark the document as needing intervention, and a success clears that.
"""

from __future__ import annotations

import hashlib

import httpx
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from platforms.archiving.extraction import EXTRACTOR_VERSION, ExtractionError, content_extract, texts_combine
from platforms.archiving.fetching import FetchError, FetchResult, url_fetch
from platforms.archiving.recording import RecordResult, version_record
from platforms.models import Check, Document, Snapshot, Source, Version


def snapshot_store(*, document: Document, source: Source, fetched: FetchResult) -> Snapshot:
    """Keep the raw bytes; the same bytes as the source's previous snapshot reuse that row."""
    digest = hashlib.sha256(fetched.content).hexdigest()
    previous = Snapshot.objects.filter(source=source).order_by("-fetched_at", "-id").only("id", "sha256").first()
    if previous is not None and previous.sha256 == digest:
        return previous
    snapshot = Snapshot(
        document=document,
        source=source,
        url=fetched.final_url,
        content=fetched.content,
        content_type=fetched.content_type,
        sha256=digest,
        fetched_at=timezone.now(),
    )
    snapshot.full_clean()
    snapshot.save()
    return snapshot


def check_fail(*, document: Document, label: str, detail: str, snapshot: Snapshot | None = None) -> RecordResult:
    with transaction.atomic():
        check = Check(
            document=document,
            checked_at=timezone.now(),
            outcome=Check.Outcome.FAILED,
            failure_label=label,
            detail=detail[:2000],
            snapshot=snapshot,
        )
        check.full_clean()
        check.save()
        Document.objects.filter(pk=document.pk).update(
            consecutive_failures=F("consecutive_failures") + 1, last_checked_at=check.checked_at
        )
    document.refresh_from_db(fields=["consecutive_failures", "last_checked_at"])
    return RecordResult(version=None, check=check)


def document_fetch(*, document: Document, client: httpx.Client | None = None) -> RecordResult:
    """Fetch, extract and record `document` now; a failure is a failed Check, never an exception."""
    sources = list(document.sources.order_by("position", "id"))
    if not sources:
        raise ValidationError(f"Document {document.pk} has no source to fetch.")
    fetched: list[tuple[Source, FetchResult]] = []
    try:
        for source in sources:
            fetched.append((source, url_fetch(url=source.url, client=client)))
    except FetchError as error:
        return check_fail(document=document, label=error.label, detail=error.detail)
    snapshots = [snapshot_store(document=document, source=source, fetched=result) for source, result in fetched]
    try:
        texts = [
            content_extract(
                content=result.content,
                content_type=result.content_type,
                select=source.select,
                remove=source.remove,
                base_url=result.final_url,
            )
            for source, result in fetched
        ]
    except ExtractionError as error:
        return check_fail(document=document, label=error.label, detail=error.detail, snapshot=snapshots[0])
    result = version_record(
        document=document,
        text=texts_combine(texts),
        origin=Version.Origin.FETCHED,
        snapshot=snapshots[0],
        extractor_version=EXTRACTOR_VERSION,
    )
    Document.objects.filter(pk=document.pk).update(consecutive_failures=0, last_checked_at=timezone.now())
    document.refresh_from_db(fields=["consecutive_failures", "last_checked_at"])
    return result


def document_reextract(*, document: Document) -> RecordResult | None:
    """Re-extract the latest snapshot of every source with today's extractor and selectors.

    A different text is recorded as a technical upgrade (the extraction changed, not the terms);
    None when some source has no snapshot yet.
    """
    sources = list(document.sources.order_by("position", "id"))
    snapshots: list[tuple[Source, Snapshot]] = []
    for source in sources:
        snapshot = Snapshot.objects.filter(source=source).order_by("-fetched_at", "-id").first()
        if snapshot is None:
            return None
        snapshots.append((source, snapshot))
    if not snapshots:
        return None
    texts = [
        content_extract(
            content=bytes(snapshot.content),
            content_type=snapshot.content_type,
            select=source.select,
            remove=source.remove,
            base_url=snapshot.url,
        )
        for source, snapshot in snapshots
    ]
    return version_record(
        document=document,
        text=texts_combine(texts),
        origin=Version.Origin.FETCHED,
        snapshot=snapshots[0][1],
        technical=True,
        extractor_version=EXTRACTOR_VERSION,
    )
