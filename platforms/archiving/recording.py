"""Recording a text as a version, or as a check when nothing changed.

Every path that brings a text into the archive (fetching, importing, uploading) ends here, so the
normalisation and the "never two equal texts in a row" rule hold everywhere.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from platforms.archiving.dating import stated_dates_parse
from platforms.models import Check, Document, Snapshot, Version
from platforms.services import change_record
from platforms.signals import version_recorded


@dataclass(frozen=True)
class RecordResult:
    """What recording did: a new `version`, or a `check` that found the current version unchanged."""

    version: Version | None
    check: Check | None

    @property
    def created(self) -> bool:
        return self.version is not None


def text_normalise(*, text: str) -> str:
    """One canonical form per text: NFC, LF line endings, no trailing spaces, no blank edges, final newline.

    Two fetches of the same page that differ only in these respects are the same version.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    body = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    return f"{body}\n" if body.strip() else ""


def text_sha256(*, text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PendingText:
    """A text to record, already normalised and hashed (see `pending_text`)."""

    text: str
    sha256: str
    recorded_at: datetime | None = None
    technical: bool = False
    extractor_version: str = ""
    stated_updated_on: date | None = None
    effective_on: date | None = None


def pending_text(
    *,
    text: str,
    recorded_at: datetime | None = None,
    technical: bool = False,
    extractor_version: str = "",
    stated_updated_on: date | None = None,
    effective_on: date | None = None,
) -> PendingText:
    normalised = text_normalise(text=text)
    if not normalised:
        raise ValidationError("The text is empty once normalised: there is nothing to record.")
    if recorded_at is not None and timezone.is_naive(recorded_at):
        raise ValidationError("recorded_at must be timezone-aware.")
    if stated_updated_on is None and effective_on is None:
        stated_updated_on, effective_on = stated_dates_parse(text=normalised)
    return PendingText(
        text=normalised,
        sha256=text_sha256(text=normalised),
        recorded_at=recorded_at,
        technical=technical,
        extractor_version=extractor_version,
        stated_updated_on=stated_updated_on,
        effective_on=effective_on,
    )


def _record_step(
    *,
    document: Document,
    current: Version | None,
    pending: PendingText,
    origin: Version.Origin | str,
    snapshot: Snapshot | None,
) -> Version | Check:
    """What recording `pending` after `current` makes (unsaved): a version, or a check; the rules live here."""
    moment = pending.recorded_at or timezone.now()
    if current is not None and moment < current.recorded_at:
        raise ValidationError(
            f"Cannot record a version at {moment.isoformat()}: the current version was recorded later, "
            f"at {current.recorded_at.isoformat()}."
        )
    if current is not None and current.sha256 == pending.sha256:
        check = Check(
            document=document, checked_at=moment, outcome=Check.Outcome.UNCHANGED, version=current, snapshot=snapshot
        )
        check.full_clean(exclude=["document", "version", "snapshot"])
        return check
    version = Version(
        document=document,
        predecessor=current,
        predecessor_sha256=current.sha256 if current else "",
        snapshot=snapshot,
        text=pending.text,
        sha256=pending.sha256,
        recorded_at=moment,
        stated_updated_on=pending.stated_updated_on,
        effective_on=pending.effective_on,
        origin=origin,
        technical=pending.technical,
        extractor_version=pending.extractor_version,
    )
    # The related rows were just read under the lock and the database enforces the keys and the
    # constraints, so checking them again here would only cost queries on every recording.
    version.full_clean(
        exclude=["document", "predecessor", "snapshot"], validate_unique=False, validate_constraints=False
    )
    return version


def _locked_current(document: Document) -> tuple[Document, Version | None]:
    locked = Document.objects.select_for_update().get(pk=document.pk)
    current = (
        Version.objects.filter(pk=locked.current_version_id).only("id", "document_id", "sha256", "recorded_at").first()
        if locked.current_version_id
        else None
    )
    return locked, current


def version_record(
    *,
    document: Document,
    text: str,
    origin: Version.Origin | str,
    recorded_at: datetime | None = None,
    snapshot: Snapshot | None = None,
    stated_updated_on: date | None = None,
    effective_on: date | None = None,
    technical: bool = False,
    extractor_version: str = "",
) -> RecordResult:
    """Record `text` as the next version of `document`, or a check when it equals the current version.

    Safe under concurrency: the document row is locked for the transaction, so two processes
    recording the same text at once produce one version and one check. "Now" (when `recorded_at`
    is not given) is read under the lock, so live recordings are ordered as they are serialised.
    """
    pending = pending_text(
        text=text,
        recorded_at=recorded_at,
        technical=technical,
        extractor_version=extractor_version,
        stated_updated_on=stated_updated_on,
        effective_on=effective_on,
    )
    with transaction.atomic():
        locked, current = _locked_current(document)
        made = _record_step(document=locked, current=current, pending=pending, origin=origin, snapshot=snapshot)
        made.save()
        if isinstance(made, Check):
            return RecordResult(version=None, check=made)
        Document.objects.filter(pk=locked.pk).update(current_version=made, updated_at=timezone.now())
        document.current_version = made
        change_record(version=made)
        version_recorded.send(sender=Version, version=made)
        return RecordResult(version=made, check=None)


@dataclass
class RecordManySummary:
    versions: int = 0
    technical: int = 0
    checks: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)


def versions_record_many(
    *, document: Document, pendings: Sequence[PendingText], origin: Version.Origin | str
) -> RecordManySummary:
    """Record texts in order, as `version_record` would one by one, with one lock and a few statements.

    For backfills (history imports): on PostgreSQL the ids come from the sequence up front, so the
    whole chain goes in one INSERT. A text the rules refuse (out of order) is reported by its index
    and skipped; the others are recorded.
    """
    summary = RecordManySummary()
    if not pendings:
        return summary
    with transaction.atomic():
        locked, current = _locked_current(document)
        versions: list[Version] = []
        checks: list[Check] = []
        for index, pending in enumerate(pendings):
            try:
                made = _record_step(document=locked, current=current, pending=pending, origin=origin, snapshot=None)
            except ValidationError as error:
                summary.refused.append((index, "; ".join(error.messages)))
                continue
            if isinstance(made, Check):
                checks.append(made)
            else:
                versions.append(made)
                current = made
        if versions and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [Version._meta.db_table, len(versions)],
                )
                for version, (pk,) in zip(versions, cursor.fetchall(), strict=True):
                    version.pk = pk
            Version.objects.bulk_create(versions)
        else:
            for version in versions:
                version.save()
        Check.objects.bulk_create(checks)
        if versions:
            Document.objects.filter(pk=locked.pk).update(current_version=versions[-1], updated_at=timezone.now())
            # The id only: the object would keep the whole chain of this batch, texts included, in memory.
            document.current_version_id = versions[-1].pk
    summary.versions, summary.checks = len(versions), len(checks)
    summary.technical = sum(1 for version in versions if version.technical)
    return summary
