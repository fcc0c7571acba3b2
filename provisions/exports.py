"""Audit-ready exports: flat rows for CSV and JSON, and evidence bundles anyone can verify without our database.

Rows carry the audit trail: who wrote and who reviewed each provision and each finding, and when.

An evidence bundle is a zip with, for every quoted provision, the archived text of its version
(`versions/<platform>/<document type>/<version id>.md`, the exact UTF-8 text whose SHA-256 is the version's
sha256 in the API), a `manifest.json` (each provision's quote, its offsets in that text, the version id,
recorded date, source URLs and sha256, the reviewers) and a `SHA256SUMS` file in `sha256sum` format
covering every other file, so that `sha256sum -c SHA256SUMS` checks it with no tool of ours.
`bundle_verify` (and `manage.py verify_bundle`) also checks each quote against its text.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from platforms.models import Document, DocumentType, Platform, Source, Version
from provisions.models import Category, Finding, Provision
from provisions.selectors import SearchHit, comparison_for_category, findings_public, provision_list

BUNDLE_FORMAT = "conductatlas-evidence/1"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"

PROVISION_COLUMNS = [
    "code",
    "platform",
    "document",
    "document_type",
    "jurisdiction",
    "product_tier",
    "category",
    "stance",
    "impact",
    "summary",
    "quote",
    "states",
    "permits",
    "reserves",
    "version_id",
    "version_sha256",
    "version_recorded_at",
    "quote_start",
    "quote_end",
    "source_urls",
    "author",
    "reviewer",
    "published_at",
    "text_changed_at",
    "findings",
]


def provisions_for_export(queryset: QuerySet[Provision] | None = None) -> QuerySet[Provision]:
    """Published provisions with what their rows need, in a fixed number of queries."""
    base = queryset if queryset is not None else provision_list()
    return base.select_related("author", "reviewer").prefetch_related(
        Prefetch(
            "findings",
            queryset=findings_public().select_related("article__framework", "author", "reviewer"),
            to_attr="public_findings",
        ),
        Prefetch("document__sources", queryset=Source.objects.order_by("position", "id")),
    )


def comparison_provisions(
    *, category: Category, platforms: list[Platform] | None, document_type: DocumentType | None, as_of: date | None
) -> tuple[list[Provision], date]:
    """The comparison's provisions, ready for rows, by platform; and the day the comparison is of."""
    comparison = comparison_for_category(
        category=category, platforms=platforms, document_type=document_type, as_of=as_of
    )
    ids = [provision["id"] for row in comparison.rows for provision in row.provisions]
    provisions = provisions_for_export(provision_list().filter(pk__in=ids)).order_by(
        "document__platform__slug", "document__document_type__position", "start", "id"
    )
    return list(provisions), comparison.as_of


def platform_provisions(*, platform: Platform, category: Category | None = None) -> list[Provision]:
    """A platform's published provisions (of one category, primary or secondary, if given), ready for rows."""
    queryset = provision_list().filter(document__platform=platform)
    if category is not None:
        queryset = queryset.filter(Q(category=category) | Q(secondary_categories=category)).distinct()
    return list(
        provisions_for_export(queryset).order_by(
            "document__document_type__position", "category__position", "start", "id"
        )
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def finding_row(finding: Finding) -> dict[str, Any]:
    reviewer = finding.reviewer.get_username() if finding.reviewer else None
    reviewed_on = finding.reviewed_at.date().isoformat() if finding.reviewed_at else "-"
    return {
        # What a spreadsheet cell shows of it (the CSV renderer prints a dict's label).
        "label": (
            f"{finding.article}: {finding.assessment} (by {finding.author.get_username()}, "
            f"reviewed by {reviewer} on {reviewed_on})"
        ),
        "framework": finding.article.framework.short_name,
        "article": finding.article.citation,
        "assessment": finding.assessment,
        "rationale": finding.rationale,
        "author": finding.author.get_username(),
        "reviewer": reviewer,
        "reviewed_at": _iso(finding.reviewed_at),
    }


def provision_row(provision: Provision) -> dict[str, Any]:
    document = provision.document
    return {
        "code": provision.code,
        "platform": document.platform.slug,
        "document": document.display_name,
        "document_type": document.document_type.slug,
        "jurisdiction": provision.jurisdiction or document.jurisdiction,
        "product_tier": provision.product_tier or document.product_tier,
        "category": provision.category.slug,
        "stance": provision.stance,
        "impact": provision.impact,
        "summary": provision.summary,
        "quote": provision.quote,
        "states": provision.states,
        "permits": provision.permits,
        "reserves": provision.reserves,
        "version_id": provision.version_id,
        "version_sha256": provision.version.sha256,
        "version_recorded_at": _iso(provision.version.recorded_at),
        "quote_start": provision.start,
        "quote_end": provision.end,
        "source_urls": [source.url for source in document.sources.all()],
        "author": provision.author.get_username(),
        "reviewer": provision.reviewer.get_username() if provision.reviewer else None,
        "published_at": _iso(provision.published_at),
        "text_changed_at": _iso(provision.text_changed_at),
        "findings": [finding_row(finding) for finding in getattr(provision, "public_findings", [])],
    }


TIMELINE_COLUMNS = [
    "recorded_at",
    "kind",
    "document",
    "document_type",
    "version_id",
    "version_sha256",
    "stated_updated_on",
    "effective_on",
    "origin",
    "significance",
    "silent",
    "announced",
    "words_added",
    "words_removed",
    "sections",
    "provisions_affected",
]


def timeline_row(version: Version) -> dict[str, Any]:
    change = version.change_or_none
    return {
        "recorded_at": _iso(version.recorded_at),
        "kind": "first_record" if version.predecessor_id is None else "change",
        "document": version.document.display_name,
        "document_type": version.document.document_type.slug,
        "version_id": version.pk,
        "version_sha256": version.sha256,
        "stated_updated_on": version.stated_updated_on.isoformat() if version.stated_updated_on else None,
        "effective_on": version.effective_on.isoformat() if version.effective_on else None,
        "origin": version.origin,
        "significance": change.significance if change else None,
        "silent": change.silent if change else None,
        "announced": change.announced if change else None,
        "words_added": change.words_added if change else None,
        "words_removed": change.words_removed if change else None,
        "sections": list(change.sections or []) if change else [],
        "provisions_affected": [
            {"label": f"{item.get('code')}: {item.get('outcome')}", **item}
            for item in (change.provisions_affected or [] if change else [])
        ],
    }


SEARCH_COLUMNS = ["rank", "kind", "platform", "document", "document_type", "code", "category", "version_id", "snippet"]


def search_row(hit: SearchHit) -> dict[str, Any]:
    row = hit.provision or hit.document or {}
    return {
        "rank": round(hit.rank, 6),
        "kind": hit.kind,
        "platform": row.get("document__platform__slug"),
        "document": Document.compose_display_name(
            name=row["document__name"],
            type_name=row["document__document_type__name"],
            jurisdiction=row["document__jurisdiction"],
            product_tier=row["document__product_tier"],
        )
        if row
        else None,
        "document_type": row.get("document__document_type__slug"),
        "code": hit.provision["code"] if hit.provision else None,
        "category": hit.provision["category__slug"] if hit.provision else None,
        "version_id": hit.provision["version_id"] if hit.provision else hit.version_id,
        "snippet": hit.snippet,
    }


# Evidence bundles.


@dataclass
class Bundle:
    content: bytes
    provisions: int
    versions: int


def bundle_build(*, provisions: Iterable[Provision], query: dict[str, Any]) -> Bundle:
    """A zip of the versions behind `provisions`, their manifest and SHA256SUMS."""
    rows = list(provisions)
    texts = dict(Version.objects.filter(pk__in={p.version_id for p in rows}).values_list("pk", "text"))
    files: dict[str, bytes] = {}
    paths: dict[int, str] = {}
    for provision in rows:
        if provision.version_id in paths:
            continue
        document = provision.document
        path = f"versions/{document.platform.slug}/{document.document_type.slug}/{provision.version_id}.md"
        paths[provision.version_id] = path
        files[path] = texts[provision.version_id].encode("utf-8")
    manifest = {
        "format": BUNDLE_FORMAT,
        "generated_at": timezone.now().isoformat(),
        "query": query,
        "offsets": "quote_start and quote_end count Unicode code points in the UTF-8 text file",
        "provisions": [{**provision_row(provision), "text_file": paths[provision.version_id]} for provision in rows],
    }
    files[MANIFEST] = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
        archive.writestr(SUMS, sums)
    return Bundle(content=buffer.getvalue(), provisions=len(rows), versions=len(paths))


@dataclass
class BundleReport:
    files: int = 0
    provisions: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def bundle_verify(*, data: bytes) -> BundleReport:
    """Check a bundle on its own: every checksum, every version's sha256, every quote at its offsets."""
    report = BundleReport()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        report.problems.append("not a zip file")
        return report
    with archive:
        names = set(archive.namelist())
        if SUMS not in names or MANIFEST not in names:
            report.problems.append(f"missing {SUMS} or {MANIFEST}: not an evidence bundle")
            return report
        listed: set[str] = set()
        for number, line in enumerate(archive.read(SUMS).decode("utf-8").splitlines(), start=1):
            digest, _, name = line.partition("  ")
            if len(digest) != 64 or not name:
                report.problems.append(f"{SUMS} line {number} is not '<sha256>  <file>'")
                continue
            listed.add(name)
            if name not in names:
                report.problems.append(f"{name}: listed in {SUMS} but missing")
            elif hashlib.sha256(archive.read(name)).hexdigest() != digest:
                report.problems.append(f"{name}: checksum mismatch")
            else:
                report.files += 1
        for name in sorted(names - listed - {SUMS}):
            if not name.endswith("/"):
                report.problems.append(f"{name}: not covered by {SUMS}")
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except json.JSONDecodeError:
            report.problems.append(f"{MANIFEST} is not JSON")
            return report
        for entry in manifest.get("provisions", []):
            report.provisions += 1
            label = entry.get("code") or "a provision"
            path = entry.get("text_file", "")
            if path not in names:
                report.problems.append(f"{label}: its text {path!r} is missing")
                continue
            raw = archive.read(path)
            if hashlib.sha256(raw).hexdigest() != entry.get("version_sha256"):
                report.problems.append(f"{label}: {path} is not the archived version {entry.get('version_id')}")
                continue
            text = raw.decode("utf-8", errors="replace")
            start, end = entry.get("quote_start", 0), entry.get("quote_end", 0)
            if text[start:end] != entry.get("quote"):
                report.problems.append(f"{label}: the quote is not the text at offsets {start}-{end}")
    return report
