"""Loading curated provisions and silences from a file (the demo), through the curation services.

Each entry is written by one editor and published by another, so four eyes hold here too.
Idempotent: an entry whose quote is already a provision of that version (or a silence already
exists) is skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from platforms.models import Document, Version
from provisions.models import Article, Category, Finding, Provision, Silence
from provisions.services import (
    finding_create,
    finding_review,
    provision_create,
    provision_publish,
    provision_submit,
    silence_create,
    silence_publish,
)


class CurationError(Exception):
    """The file cannot be loaded; the message says which entry and why."""


@dataclass
class CurationSummary:
    provisions: int = 0
    silences: int = 0
    skipped: int = 0
    findings: int = 0

    def line(self) -> str:
        return (
            f"{self.provisions} provisions, {self.silences} silences and {self.findings} findings published, "
            f"{self.skipped} already there."
        )


def _version(entry: dict[str, Any]) -> Version:
    document = Document.objects.filter(
        platform__slug=entry["platform"], document_type__slug=entry["document_type"]
    ).first()
    if document is None:
        raise CurationError(f"{entry['platform']}/{entry['document_type']}: no such document")
    day = datetime.fromisoformat(entry["version"]).date()
    start = datetime.combine(day, time.min, tzinfo=UTC)
    version = document.versions.filter(recorded_at__gte=start, recorded_at__lt=start + timedelta(days=1)).first()
    if version is None:
        raise CurationError(f"{entry['platform']}/{entry['document_type']}: no version recorded on {day}")
    return version


def _findings_load(provision: Provision, entry: dict[str, Any], editor: Any, reviewer: Any) -> int:
    """The entry's findings against articles, each written by the editor and reviewed by the reviewer."""
    made = 0
    for item in entry.get("findings", []):
        article = Article.objects.filter(framework__slug=item["framework"], citation=item["article"]).first()
        if article is None:
            raise CurationError(
                f"{entry['platform']}/{entry['category']}: no article {item['framework']} {item['article']}"
            )
        if Finding.objects.filter(provision=provision, article=article).exists():
            continue
        try:
            finding = finding_create(
                provision=provision,
                article=article,
                assessment=item["assessment"],
                rationale=item["rationale"],
                author=editor,
            )
        except ValidationError as error:
            raise CurationError(f"{entry['platform']}/{entry['category']} {article}: {error}") from error
        finding_review(finding=finding, reviewer=reviewer)
        made += 1
    return made


def curation_load(*, path: Path) -> CurationSummary:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise CurationError(f"{path}: not a readable JSON file ({error})") from error
    users = get_user_model()
    editor, _ = users.objects.get_or_create(username="demo-editor", defaults={"is_staff": True})
    reviewer, _ = users.objects.get_or_create(username="demo-reviewer", defaults={"is_staff": True})
    summary = CurationSummary()
    with transaction.atomic():
        for entry in data.get("provisions", []):
            version = _version(entry)
            already = Provision.objects.filter(
                version=version, category__slug=entry["category"], quote__contains=entry["quote"].split(" [")[0][:80]
            )
            existing = already.first()
            if existing is not None:
                summary.skipped += 1
                summary.findings += _findings_load(existing, entry, editor, reviewer)
                continue
            try:
                provision = provision_create(
                    version=version,
                    quote=entry["quote"],
                    category=Category.objects.get(slug=entry["category"]),
                    stance=entry["stance"],
                    summary=entry["summary"],
                    states=entry.get("states", ""),
                    permits=entry.get("permits", ""),
                    reserves=entry.get("reserves", ""),
                    impact=entry.get("impact", "medium"),
                    product_tier=entry.get("product_tier", ""),
                    occurrence=entry.get("occurrence"),
                    author=editor,
                )
            except (ValidationError, Category.DoesNotExist) as error:
                raise CurationError(f"{entry['platform']}/{entry['category']}: {error}") from error
            provision_submit(provision=provision, user=editor)
            provision_publish(provision=provision, reviewer=reviewer)
            summary.provisions += 1
            summary.findings += _findings_load(provision, entry, editor, reviewer)
        for entry in data.get("silences", []):
            version = _version(entry)
            category = Category.objects.get(slug=entry["category"])
            if Silence.objects.filter(version=version, category=category).exists():
                summary.skipped += 1
                continue
            silence = silence_create(version=version, category=category, author=editor, note=entry.get("note", ""))
            silence_publish(silence=silence, reviewer=reviewer)
            summary.silences += 1
    return summary
