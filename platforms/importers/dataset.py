"""Import a directory of versions in the Open Terms Archive dataset layout.

    <Service>/<Terms type>/<ISO 8601 date or date-time>.md

Every file is checked before anything is written (terms type, date, UTF-8, emptiness), so a bad
directory is refused whole with one line per problem. Each file is then recorded in its own
transaction through `version_record`, in date order per document; a file already imported is
skipped, so a second run creates nothing.

An optional metadata file (`platforms.json` in the directory, or given explicitly) names the
platforms and maps unusual document folders to a type and scope:

    {"platforms": {"anthropic": {"name": "Claude", "provider": "Anthropic", "website": "https://...",
                                 "hostnames": ["anthropic.com"], "kind": "assistant", "country": "US"}},
     "documents": {"openai/privacy-policy-eu": {"document_type": "privacy-policy", "jurisdiction": "EU"}}}
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from platforms.archiving.recording import text_normalise, text_sha256, version_record
from platforms.models import Check, Document, DocumentType, Platform, Version
from platforms.selectors import document_type_resolve

METADATA_FILENAME = "platforms.json"
PLATFORM_FIELDS = {"name", "provider", "website", "hostnames", "kind", "country"}
DOCUMENT_FIELDS = {"document_type", "jurisdiction", "language", "product_tier", "name"}


class DatasetError(Exception):
    """The dataset cannot be imported; the message lists every problem, one per line."""


@dataclass(frozen=True)
class DatasetFile:
    path: Path
    platform_slug: str
    platform_folder: str
    document_folder: str
    document_type: DocumentType
    scope: dict[str, str]
    recorded_at: datetime
    text: str
    sha256: str


@dataclass
class ImportSummary:
    created: int = 0
    unchanged: int = 0
    skipped: int = 0
    platforms_created: int = 0
    documents_created: int = 0
    documents: set[int] = field(default_factory=set)
    platforms: set[int] = field(default_factory=set)

    def line(self) -> str:
        if self.created == 0 and self.unchanged == 0:
            return f"Nothing new: all {self.skipped} files were already imported."
        return (
            f"Imported {self.created} new versions ({self.unchanged} unchanged, {self.skipped} already there) "
            f"of {len(self.documents)} documents of {len(self.platforms)} platforms; "
            f"created {self.platforms_created} platforms and {self.documents_created} documents."
        )


def _parse_recorded_at(stem: str) -> datetime:
    """2025-08-01 (midnight UTC) or a full ISO 8601 date-time such as 2025-08-01T10:20:30Z."""
    if len(stem) == 10:
        return datetime.combine(date.fromisoformat(stem), time.min, tzinfo=UTC)
    moment = datetime.fromisoformat(stem.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def metadata_load(*, path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DatasetError(f"{path}: not a readable JSON metadata file ({error})") from error
    problems: list[str] = []
    if not isinstance(data, dict) or not set(data) <= {"platforms", "documents", "attribution"}:
        raise DatasetError(f"{path}: expected an object with 'platforms' and optionally 'documents'")
    for slug, values in data.get("platforms", {}).items():
        if not isinstance(values, dict) or not set(values) <= PLATFORM_FIELDS:
            problems.append(f"{path}: platform {slug!r} may only have {', '.join(sorted(PLATFORM_FIELDS))}")
        elif "kind" in values and values["kind"] not in Platform.Kind.values:
            problems.append(f"{path}: platform {slug!r} has unknown kind {values['kind']!r}")
    for key, values in data.get("documents", {}).items():
        if not isinstance(values, dict) or not set(values) <= DOCUMENT_FIELDS or key.count("/") != 1:
            problems.append(
                f"{path}: document {key!r} must be '<platform>/<folder>' with only {', '.join(sorted(DOCUMENT_FIELDS))}"
            )
    if problems:
        raise DatasetError("\n".join(problems))
    return data


def dataset_scan(*, root: Path, metadata: dict[str, Any]) -> list[DatasetFile]:
    """Read and check every file; raise DatasetError listing every problem, or return the files in order."""
    if not root.is_dir():
        raise DatasetError(f"{root} is not a directory")
    documents_meta: dict[str, dict[str, str]] = metadata.get("documents", {})
    files: list[DatasetFile] = []
    problems: list[str] = []
    for path in sorted(root.glob("*/*/*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        relative = path.relative_to(root)
        platform_folder, document_folder = relative.parts[0], relative.parts[1]
        if path.suffix != ".md":
            problems.append(f"{relative}: not a .md file")
            continue
        scope = dict(documents_meta.get(f"{slugify(platform_folder)}/{document_folder}", {}))
        type_name = scope.pop("document_type", document_folder)
        document_type = document_type_resolve(name=type_name)
        if document_type is None:
            problems.append(f"{relative}: unknown terms type {type_name!r} (see /api/v1/document-types/)")
            continue
        try:
            recorded_at = _parse_recorded_at(path.stem)
        except ValueError:
            problems.append(f"{relative}: {path.stem!r} is not an ISO 8601 date (YYYY-MM-DD) or date-time")
            continue
        try:
            raw = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(f"{relative}: not UTF-8 text (byte {error.start})")
            continue
        text = text_normalise(text=raw)
        if not text:
            problems.append(f"{relative}: empty file")
            continue
        files.append(
            DatasetFile(
                path=relative,
                platform_slug=slugify(platform_folder),
                platform_folder=platform_folder,
                document_folder=document_folder,
                document_type=document_type,
                scope=scope,
                recorded_at=recorded_at,
                text=text,
                sha256=text_sha256(text=text),
            )
        )
    if problems:
        raise DatasetError("\n".join(problems))
    if not files:
        raise DatasetError(f"{root} holds no <Service>/<Terms type>/<date>.md files")
    files.sort(key=lambda f: (f.platform_slug, f.document_folder, f.recorded_at))
    return files


def _already_recorded(*, document: Document, item: DatasetFile) -> bool:
    if Version.objects.filter(document=document, recorded_at=item.recorded_at, sha256=item.sha256).exists():
        return True
    return Check.objects.filter(document=document, checked_at=item.recorded_at, version__sha256=item.sha256).exists()


def _platform_for(*, item: DatasetFile, metadata: dict[str, Any], summary: ImportSummary) -> Platform:
    values = dict(metadata.get("platforms", {}).get(item.platform_slug, {}))
    values.setdefault("name", item.platform_folder)
    platform, created = Platform.objects.get_or_create(slug=item.platform_slug, defaults=values)
    if created:
        platform.full_clean()
        summary.platforms_created += 1
    return platform


def _document_for(*, platform: Platform, item: DatasetFile, summary: ImportSummary) -> Document:
    scope = {"jurisdiction": "", "language": "en", "product_tier": "", **item.scope}
    name = scope.pop("name", "")
    document, created = Document.objects.get_or_create(
        platform=platform, document_type=item.document_type, **scope, defaults={"name": name}
    )
    if created:
        document.full_clean()
        summary.documents_created += 1
    return document


def dataset_import(
    *,
    root: Path,
    metadata_path: Path | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Import `root`; raises DatasetError (nothing written) when any file is unusable."""
    if metadata_path is None and (root / METADATA_FILENAME).is_file():
        metadata_path = root / METADATA_FILENAME
    metadata = metadata_load(path=metadata_path) if metadata_path else {}
    files = dataset_scan(root=root, metadata=metadata)
    summary = ImportSummary()
    for index, item in enumerate(files, start=1):
        with transaction.atomic():
            platform = _platform_for(item=item, metadata=metadata, summary=summary)
            document = _document_for(platform=platform, item=item, summary=summary)
            summary.platforms.add(platform.pk)
            summary.documents.add(document.pk)
            if _already_recorded(document=document, item=item):
                summary.skipped += 1
                outcome = "already imported"
            else:
                try:
                    result = version_record(
                        document=document,
                        text=item.text,
                        origin=Version.Origin.IMPORTED,
                        recorded_at=item.recorded_at,
                    )
                except ValidationError as error:
                    raise DatasetError(f"{item.path}: {'; '.join(error.messages)}") from error
                if result.created:
                    summary.created += 1
                    outcome = "new version"
                else:
                    summary.unchanged += 1
                    outcome = "unchanged"
        if on_progress:
            on_progress(f"[{index}/{len(files)}] {item.path}: {outcome}")
    return summary
