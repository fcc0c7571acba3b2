"""Import Open Terms Archive declarations (`<Service>.json`) into platforms, documents and sources.

    {"name": "Claude.ai",
     "terms": {"Privacy Policy": {"fetch": "https://...", "select": ["main"], "remove": [".banner"],
                                  "executeClientScripts": true},
               "Acceptable Use Policy": {"select": ["main"], "combine": [{"fetch": "..."}, {"fetch": "...",
                                          "select": [".article"]}]}}}

Each file is validated whole before anything is written and imported in one transaction, so a
malformed file is reported and skipped with nothing half-written. A terms type we do not know is
reported and skipped; the file's other documents are imported. `*.history.json` files (earlier
declarations) are not current sources and are ignored. Running it again changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify

from platforms.models import Document, DocumentType, Platform, Source, selector_is_valid
from platforms.selectors import document_type_resolve


class DeclarationError(Exception):
    """The file cannot be imported; the message says why in one line."""


@dataclass(frozen=True)
class SourceSpec:
    url: str
    select: list[Any]
    remove: list[Any]
    execute_client_scripts: bool


@dataclass(frozen=True)
class DocumentSpec:
    terms_type: str
    document_type: DocumentType
    sources: list[SourceSpec]


@dataclass
class DeclarationsSummary:
    files: int = 0
    platforms_created: int = 0
    documents_created: int = 0
    sources_written: int = 0
    sources_removed: int = 0
    skipped_files: list[str] = field(default_factory=list)
    skipped_terms: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"Read {self.files} declarations: created {self.platforms_created} platforms and "
            f"{self.documents_created} documents, wrote {self.sources_written} sources "
            f"(removed {self.sources_removed}); skipped {len(self.skipped_files)} files and "
            f"{len(self.skipped_terms)} terms types."
        )


def _selectors(value: Any, *, where: str) -> list[Any]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not selector_is_valid(item):
            raise DeclarationError(f"{where}: {item!r} is not a CSS selector or a range selector")
    return items


def _source(entry: Any, *, defaults: dict[str, Any], where: str) -> SourceSpec:
    if not isinstance(entry, dict) or not isinstance(entry.get("fetch"), str):
        raise DeclarationError(f"{where}: each source needs a 'fetch' URL")
    url = entry["fetch"]
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as error:
        raise DeclarationError(f"{where}: {url!r} is not an http(s) URL") from error
    execute = entry.get("executeClientScripts", defaults.get("executeClientScripts", False))
    if not isinstance(execute, bool):
        raise DeclarationError(f"{where}: executeClientScripts must be true or false")
    return SourceSpec(
        url=url,
        select=_selectors(entry.get("select", defaults.get("select")), where=f"{where} select"),
        remove=_selectors(entry.get("remove", defaults.get("remove")), where=f"{where} remove"),
        execute_client_scripts=execute,
    )


def declaration_parse(*, path: Path, summary: DeclarationsSummary) -> tuple[str, list[DocumentSpec]]:
    """The service name and its documents; raises DeclarationError when the file is malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DeclarationError(f"not a readable JSON file ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"].strip():
        raise DeclarationError("a declaration needs a 'name'")
    terms = data.get("terms")
    if not isinstance(terms, dict) or not terms:
        raise DeclarationError("a declaration needs a non-empty 'terms' object")
    documents: list[DocumentSpec] = []
    for terms_type, declaration in terms.items():
        where = f"{terms_type!r}"
        if not isinstance(declaration, dict):
            raise DeclarationError(f"{where} must be an object")
        if "combine" in declaration:
            if not isinstance(declaration["combine"], list) or not declaration["combine"]:
                raise DeclarationError(f"{where}: 'combine' must be a non-empty list")
            sources = [_source(e, defaults=declaration, where=where) for e in declaration["combine"]]
        else:
            sources = [_source(declaration, defaults={}, where=where)]
        document_type = document_type_resolve(name=terms_type)
        if document_type is None:
            summary.skipped_terms.append(f"{path.name}: unknown terms type {terms_type!r}, skipped")
            continue
        documents.append(DocumentSpec(terms_type=terms_type, document_type=document_type, sources=sources))
    return data["name"].strip(), documents


def _document_write(*, platform: Platform, spec: DocumentSpec, summary: DeclarationsSummary) -> None:
    document, created = Document.objects.get_or_create(
        platform=platform, document_type=spec.document_type, jurisdiction="", language="en", product_tier=""
    )
    summary.documents_created += int(created)
    existing = {source.position: source for source in document.sources.all()}
    for position, wanted in enumerate(spec.sources):
        values = {
            "url": wanted.url,
            "select": wanted.select,
            "remove": wanted.remove,
            "execute_client_scripts": wanted.execute_client_scripts,
        }
        current = existing.get(position)
        if current is not None and all(getattr(current, k) == v for k, v in values.items()):
            continue
        source = current or Source(document=document, position=position)
        for key, value in values.items():
            setattr(source, key, value)
        source.full_clean()
        source.save()
        summary.sources_written += 1
    stale = [source.pk for position, source in existing.items() if position >= len(spec.sources)]
    if stale:
        summary.sources_removed += Source.objects.filter(pk__in=stale).delete()[0]


def declarations_import(*, directory: Path, on_progress: Callable[[str], None] | None = None) -> DeclarationsSummary:
    if not directory.is_dir():
        raise DeclarationError(f"{directory} is not a directory")
    summary = DeclarationsSummary()
    for path in sorted(directory.glob("*.json")):
        if path.name.endswith(".history.json"):
            continue
        summary.files += 1
        try:
            name, documents = declaration_parse(path=path, summary=summary)
            slug = slugify(name) or slugify(path.stem)
            if not slug:
                raise DeclarationError(f"the name {name!r} gives no usable slug")
            with transaction.atomic():
                platform, created = Platform.objects.get_or_create(slug=slug, defaults={"name": name})
                summary.platforms_created += int(created)
                for spec in documents:
                    _document_write(platform=platform, spec=spec, summary=summary)
        except (DeclarationError, ValidationError) as error:
            reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            summary.skipped_files.append(f"{path.name}: {reason}")
            if on_progress:
                on_progress(f"{path.name}: skipped: {reason}")
            continue
        if on_progress:
            on_progress(f"{path.name}: {platform.slug} with {len(documents)} documents")
    return summary
