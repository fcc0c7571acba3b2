from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

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
