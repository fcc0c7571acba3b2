"""Recording a text as a version, or as a check when nothing changed.

Every path that brings a text into the archive (fetching, importing, uploading) ends here, so the
normalisation and the "never two equal texts in a row" rule hold everywhere.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from platforms.models import Check, Document, Snapshot, Version


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
    lines = [line.rstrip() for line in text.split("\n")]
    body = "\n".join(lines).strip("\n")
    return f"{body}\n" if body.strip() else ""


def text_sha256(*, text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
    recording the same text at once produce one version and one check.
    """
    normalised = text_normalise(text=text)
    if not normalised:
        raise ValidationError("The text is empty once normalised: there is nothing to record.")
    if recorded_at is not None and timezone.is_naive(recorded_at):
        raise ValidationError("recorded_at must be timezone-aware.")
    digest = text_sha256(text=normalised)

    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        # "Now" is read under the lock, so that live recordings are ordered as they are serialised.
        moment = recorded_at or timezone.now()
        current = (
            Version.objects.filter(pk=locked.current_version_id)
            .only("id", "document_id", "sha256", "recorded_at")
            .first()
            if locked.current_version_id
            else None
        )
        if current is not None and moment < current.recorded_at:
            raise ValidationError(
                f"Cannot record a version at {moment.isoformat()}: the current version was recorded later, "
                f"at {current.recorded_at.isoformat()}."
            )
        if current is not None and current.sha256 == digest:
            check = Check(
                document=locked,
                checked_at=moment,
                outcome=Check.Outcome.UNCHANGED,
                version=current,
                snapshot=snapshot,
            )
            check.full_clean()
            check.save()
            return RecordResult(version=None, check=check)
        version = Version(
            document=locked,
            predecessor=current,
            predecessor_sha256=current.sha256 if current else "",
            snapshot=snapshot,
            text=normalised,
            sha256=digest,
            recorded_at=moment,
            stated_updated_on=stated_updated_on,
            effective_on=effective_on,
            origin=origin,
            technical=technical,
            extractor_version=extractor_version,
        )
        version.full_clean(validate_unique=False, validate_constraints=False)
        version.save()
        Document.objects.filter(pk=locked.pk).update(current_version=version, updated_at=timezone.now())
        document.current_version = version
        return RecordResult(version=version, check=None)
