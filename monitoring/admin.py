from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from monitoring.models import Alert, ApiClient, ApiKey, Delivery, Watch, WebhookEndpoint
from monitoring.tracking import tracking_run
from platforms.admin import DocumentAdmin
from platforms.models import Document

# The archive's admin, plus what needs the tracking pipeline (which lives here: platforms knows no pipeline).
admin.site.unregister(Document)


@admin.register(Document)
class TrackedDocumentAdmin(DocumentAdmin):
    actions = ["fetch_now"]

    @admin.action(description="Fetch now and record what changed")
    def fetch_now(self, request: HttpRequest, queryset: QuerySet[Document]) -> None:
        documents = [document for document in queryset.prefetch_related("sources") if document.sources.all()]
        skipped = queryset.count() - len(documents)
        summary = tracking_run(documents=documents)
        level = messages.WARNING if summary.failed or skipped else messages.SUCCESS
        note = f" {skipped} without a source were skipped." if skipped else ""
        self.message_user(request, summary.line() + note, level)


# API clients and their keys. The library's own APIKey model is unused: keys belong to clients here.
admin.site.unregister(APIKey)


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    fields = ["prefix", "name", "created", "last_used_at", "expiry_date", "revoked"]
    readonly_fields = ["prefix", "name", "created", "last_used_at", "expiry_date", "revoked"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A key is made in the API key admin, which shows it once; an inline form has nowhere to show it.
        return False


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin[ApiClient]):
    list_display = ["name", "tier", "active", "contact_email", "email_digest", "created_at"]
    list_filter = ["tier", "active"]
    search_fields = ["name", "contact_email"]
    inlines = [ApiKeyInline]


@admin.register(ApiKey)
class ApiKeyAdmin(APIKeyModelAdmin):
    """Saving a new key shows it once, in a message; only its prefix and hash are stored."""

    # The library types these as fixed-length tuples; these are longer.
    list_display = ("prefix", "name", "client", "created", "last_used_at", "expiry_date", "revoked")  # type: ignore[assignment]
    list_filter = ("revoked", "client__tier")  # type: ignore[assignment]
    search_fields = ("name", "prefix", "client__name")  # type: ignore[assignment]
    list_select_related = ["client"]
    autocomplete_fields = ["client"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = (*super().get_readonly_fields(request, obj), "last_used_at")
        return (*fields, "client") if obj is not None else fields


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin[Watch]):
    list_display = ["client", "platform", "document", "category", "min_significance", "created_at"]
    list_filter = ["min_significance"]
    list_select_related = ["client", "platform", "document__platform", "document__document_type", "category"]
    autocomplete_fields = ["client"]
    raw_id_fields = ["document"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin[Alert]):
    list_display = ["created_at", "client", "platform", "significance", "change", "read_at"]
    list_filter = ["significance", "platform"]
    list_select_related = ["client", "platform"]
    readonly_fields = [field.name for field in Alert._meta.fields] + ["watches"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["event_id", "event_type", "status", "attempts", "last_status_code", "last_error", "created_at"]
    readonly_fields = ["event_id", "event_type", "status", "attempts", "last_status_code", "last_error", "created_at"]
    extra = 0
    can_delete = False
    max_num = 0
    ordering = ["-created_at"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin[WebhookEndpoint]):
    list_display = ["url", "client", "active", "failing_since", "disabled_at", "created_at"]
    list_filter = ["active"]
    list_select_related = ["client"]
    readonly_fields = ["client", "url", "failing_since", "disabled_at", "disabled_reason", "created_at"]
    inlines = [DeliveryInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Endpoints are created through the API, which checks the URL and shows the secret to its owner.
        return False
