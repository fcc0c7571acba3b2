from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from platforms.models import (
    FAILURES_BEFORE_INTERVENTION,
    Change,
    Check,
    Document,
    DocumentType,
    Platform,
    Snapshot,
    Source,
    Version,
)
from platforms.services import change_overrule, change_overrule_clear


class DocumentInline(admin.TabularInline[Document, Platform]):
    model = Document
    extra = 0
    fields = ["document_type", "jurisdiction", "language", "product_tier", "name", "check_interval"]
    show_change_link = True


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin[Platform]):
    list_display = ["name", "slug", "provider", "kind", "country", "updated_at"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug", "provider", "website"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DocumentInline]


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin[DocumentType]):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


class SourceInline(admin.TabularInline[Source, Document]):
    model = Source
    extra = 0
    fields = ["position", "url", "select", "remove", "execute_client_scripts"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin[Source]):
    list_display = ["url", "document", "position", "execute_client_scripts"]
    list_select_related = ["document__platform", "document__document_type"]
    list_filter = ["execute_client_scripts", "document__platform"]
    search_fields = ["url", "document__platform__name", "document__platform__slug"]
    autocomplete_fields = ["document"]


class CheckInline(admin.TabularInline[Check, Document]):
    model = Check
    extra = 0
    fields = readonly_fields = ("checked_at", "outcome", "failure_label", "detail")
    ordering = ["-checked_at"]
    max_num = 0
    can_delete = False
    verbose_name_plural = "Checks (newest first)"

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).order_by("-checked_at", "-id")


class NeedsInterventionFilter(admin.SimpleListFilter):
    title = "needs intervention"
    parameter_name = "needs_intervention"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Yes: fetching keeps failing"), ("no", "No")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "yes":
            return queryset.filter(consecutive_failures__gte=FAILURES_BEFORE_INTERVENTION)
        if self.value() == "no":
            return queryset.filter(consecutive_failures__lt=FAILURES_BEFORE_INTERVENTION)
        return queryset


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin[Document]):
    list_display = [
        "__str__",
        "platform",
        "document_type",
        "jurisdiction",
        "language",
        "current",
        "last_checked_at",
        "intervention",
    ]
    list_filter = [NeedsInterventionFilter, "document_type", "jurisdiction", "language", "platform"]
    list_select_related = ["platform", "document_type", "current_version"]
    search_fields = ["name", "platform__name", "platform__slug", "document_type__name"]
    autocomplete_fields = ["platform"]
    readonly_fields = [
        "current_version",
        "last_checked_at",
        "consecutive_failures",
        "intervention",
        "created_at",
        "updated_at",
    ]
    inlines = [SourceInline, CheckInline]

    @admin.display(description="Needs intervention", boolean=True)
    def intervention(self, document: Document) -> bool:
        return document.needs_intervention

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("current_version__text")

    @admin.display(description="Current version recorded")
    def current(self, document: Document) -> Any:
        return document.current_version.recorded_at if document.current_version else None


class ImmutableAdmin[M: (Version, Snapshot)](admin.ModelAdmin[M]):
    """Archived material is read in the admin, never edited or deleted there."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Version)
class VersionAdmin(ImmutableAdmin[Version]):
    list_display = ["id", "document", "recorded_at", "origin", "technical", "short_sha256", "stated_updated_on"]
    list_filter = ["origin", "technical", "document__document_type", "document__platform"]
    list_select_related = ["document__platform", "document__document_type"]
    search_fields = ["sha256", "document__platform__name", "document__platform__slug"]
    date_hierarchy = "recorded_at"
    fields = readonly_fields = (
        "document",
        "predecessor",
        "recorded_at",
        "origin",
        "sha256",
        "stated_updated_on",
        "effective_on",
        "technical",
        "extractor_version",
        "snapshot",
        "readable_text",
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        queryset = super().get_queryset(request)
        # The change list never needs the text; the detail page does.
        return (
            queryset
            if request.resolver_match and "object_id" in request.resolver_match.kwargs
            else (queryset.defer("text"))
        )

    @admin.display(description="sha256")
    def short_sha256(self, version: Version) -> str:
        return version.sha256[:12]

    @admin.display(description="Text")
    def readable_text(self, version: Version) -> SafeString:
        return format_html(
            '<pre style="white-space: pre-wrap; max-height: 70vh; overflow: auto; font-size: 13px">{}</pre>',
            version.text,
        )


@admin.register(Snapshot)
class SnapshotAdmin(ImmutableAdmin[Snapshot]):
    list_display = ["id", "document", "url", "content_type", "fetched_at"]
    list_select_related = ["document__platform", "document__document_type"]
    list_filter = ["content_type"]
    search_fields = ["sha256", "url"]
    exclude = ["content"]
    readonly_fields = ["document", "source", "url", "content_type", "sha256", "fetched_at"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("content")


@admin.register(Check)
class CheckAdmin(admin.ModelAdmin[Check]):
    list_display = ["id", "document", "checked_at", "outcome", "failure_label"]
    list_filter = ["outcome", "failure_label", "document__platform"]
    list_select_related = ["document__platform", "document__document_type"]
    search_fields = ["document__platform__name", "detail"]
    date_hierarchy = "checked_at"
    readonly_fields = ["document", "checked_at", "outcome", "failure_label", "detail", "version", "snapshot"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


def diff_html(hunks: list[dict[str, Any]]) -> SafeString:
    """Hunks as HTML: deletions struck in red, insertions underlined in green, context in grey."""
    styles = {
        "=": "color:#666",
        "-": "background:#fdd;text-decoration:line-through",
        "+": "background:#dfd",
    }
    blocks: list[SafeString] = []
    for hunk in hunks:
        blocks.append(format_html('<h4 style="margin:1em 0 .3em">§ {}</h4>', hunk.get("section") or "(top)"))
        for line in hunk["lines"]:
            if line["op"] == "~":
                words = format_html_join(
                    " ",
                    '<span style="{}">{}</span>',
                    ((styles[op] if op != "=" else "", text) for op, text in line["words"]),
                )
                blocks.append(format_html("<p>{}</p>", words))
            else:
                blocks.append(format_html('<p style="{}">{}</p>', styles[line["op"]], line["text"]))
    return format_html(
        '<div style="max-height:70vh;overflow:auto;font-size:13px;max-width:70em">{}</div>',
        format_html_join("", "{}", ((block,) for block in blocks)),
    )


class ChangeAdminForm(forms.ModelForm[Change]):
    class Meta:
        model = Change
        fields = ["significance_override", "override_reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("significance_override") and not (data.get("override_reason") or "").strip():
            raise forms.ValidationError({"override_reason": "Say why the significance is overruled."})
        return data


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin[Change]):
    form = ChangeAdminForm
    list_display = ["id", "document", "recorded_at", "significance", "computed_significance", "silent", "announced"]
    list_filter = ["significance", "computed_significance", "silent", "announced", "is_reversion", "document__platform"]
    list_select_related = ["document__platform", "document__document_type"]
    search_fields = ["document__platform__name", "document__platform__slug", "sections"]
    date_hierarchy = "recorded_at"
    readonly_fields = [
        "document",
        "version",
        "predecessor",
        "recorded_at",
        "significance",
        "computed_significance",
        "reasons",
        "overridden_by",
        "overridden_at",
        "is_reversion",
        "reverts_to",
        "silent",
        "announced",
        "words_added",
        "words_removed",
        "sections",
        "readable_diff",
    ]
    fieldsets = [
        (None, {"fields": ["document", "version", "predecessor", "recorded_at"]}),
        (
            "Significance",
            {
                "fields": [
                    "significance",
                    "computed_significance",
                    "reasons",
                    "significance_override",
                    "override_reason",
                    "overridden_by",
                    "overridden_at",
                ]
            },
        ),
        (
            "Flags and statistics",
            {
                "fields": [
                    "is_reversion",
                    "reverts_to",
                    "silent",
                    "announced",
                    "words_added",
                    "words_removed",
                    "sections",
                ]
            },
        ),
        ("Diff", {"fields": ["readable_diff"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("version__text", "predecessor__text")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Diff")
    def readable_diff(self, change: Change) -> SafeString:
        return diff_html(change.hunks)

    def save_model(self, request: HttpRequest, obj: Change, form: Any, change: bool) -> None:
        if obj.significance_override:
            change_overrule(
                change=obj, significance=obj.significance_override, reason=obj.override_reason, user=request.user
            )
        else:
            change_overrule_clear(change=obj)
