"""Atom feeds of changes: all platforms, one platform, one document type.

Technical and cosmetic changes are left out unless `?min_significance=` asks for them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from platforms import selectors
from platforms.models import Change, DocumentType, Platform
from platforms.significance import RANK, Significance

FEED_SIZE = 50


class ChangeAtomFeed(Atom1Feed):
    """Atom with a second link per entry: the diff."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("diff_link"):
            handler.addQuickElement("link", "", {"href": item["diff_link"], "rel": "related", "title": "Diff"})


class ChangesFeed(Feed):
    feed_type = ChangeAtomFeed
    title = "ConductAtlas: changes to AI platforms' terms and policies"
    subtitle = "Substantive and material changes, newest first."
    link = "/api/v1/changes/"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        raw = request.GET.get("min_significance", Significance.SUBSTANTIVE)
        if raw not in Significance.values:
            raise Http404(f"min_significance must be one of {', '.join(Significance.values)}")
        self.request = request
        self.min_rank = RANK[Significance(raw)]
        return self.scope(**kwargs)

    def scope(self, **kwargs: Any) -> Any:
        return None

    def changes(self, obj: Any) -> QuerySet[Change]:
        return selectors.change_list().filter(significance_rank__gte=self.min_rank)

    def items(self, obj: Any) -> list[Change]:
        return list(self.changes(obj)[:FEED_SIZE])

    def item_title(self, item: Change) -> str:
        document = item.document
        return (
            f"{document.platform.name} {document.display_name}: {item.get_significance_display().split(' (')[0]} "
            f"change ({item.recorded_at:%Y-%m-%d})"
        )

    def item_description(self, item: Change) -> str:
        flags = [label for flag, label in ((item.silent, "silent"), (item.announced, "announced")) if flag]
        parts = [
            " ".join(item.reasons),
            f"+{item.words_added} / -{item.words_removed} words.",
            f"Sections: {'; '.join(item.sections[:8])}." if item.sections else "",
            f"Flags: {', '.join(flags)}." if flags else "",
        ]
        return " ".join(part for part in parts if part)

    def item_link(self, item: Change) -> str:
        return f"/api/v1/changes/{item.pk}/"

    def item_guid(self, item: Change) -> str:
        return f"conductatlas:change:{item.pk}"

    def item_pubdate(self, item: Change) -> datetime:
        return item.recorded_at

    def item_updateddate(self, item: Change) -> datetime:
        # Updated when recorded, or when an editor later overruled its significance.
        return max(item.recorded_at, item.overridden_at) if item.overridden_at else item.recorded_at

    def item_extra_kwargs(self, item: Change) -> dict[str, Any]:
        return {
            "diff_link": self.request.build_absolute_uri(
                f"/api/v1/versions/{item.version_id}/diff/?against={item.predecessor_id}"
            )
        }


class PlatformChangesFeed(ChangesFeed):
    def scope(self, **kwargs: Any) -> Platform:
        return get_object_or_404(Platform, slug=kwargs["slug"])

    def title(self, obj: Platform) -> str:  # type: ignore[override]
        return f"ConductAtlas: changes to {obj.name}'s terms and policies"

    def link(self, obj: Platform) -> str:  # type: ignore[override]
        return f"/api/v1/platforms/{obj.slug}/timeline/"

    def changes(self, obj: Platform) -> QuerySet[Change]:
        return super().changes(obj).filter(document__platform=obj)


class DocumentTypeChangesFeed(ChangesFeed):
    def scope(self, **kwargs: Any) -> DocumentType:
        return get_object_or_404(DocumentType, slug=kwargs["slug"])

    def title(self, obj: DocumentType) -> str:  # type: ignore[override]
        return f"ConductAtlas: changes to AI platforms' {obj.name} documents"

    def link(self, obj: DocumentType) -> str:  # type: ignore[override]
        return f"/api/v1/changes/?document_type={obj.slug}"

    def changes(self, obj: DocumentType) -> QuerySet[Change]:
        return super().changes(obj).filter(document__document_type=obj)
