from typing import Any

import pghistory.models
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from provisions.anchoring import QuoteError, quote_anchor
from provisions.models import (
    Article,
    Category,
    CategoryArticle,
    Finding,
    Framework,
    Provision,
    ReviewState,
    Silence,
    Topic,
)
from provisions.services import (
    audit_context,
    finding_review,
    provision_confirm_text,
    provision_create,
    provision_publish,
    provision_retire,
    provision_submit,
    silence_publish,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin[Topic]):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ["name", "slug", "topic", "question", "opp115", "fideslang", "dpv"]
    list_filter = ["topic"]
    list_select_related = ["topic"]
    search_fields = ["name", "slug", "question", "description"]
    prepopulated_fields = {"slug": ["name"]}


class ProvisionAddForm(forms.ModelForm[Provision]):
    occurrence = forms.IntegerField(
        required=False, min_value=1, help_text="When the quote appears several times: which one (1, 2...)."
    )

    class Meta:
        model = Provision
        fields = [
            "version",
            "quote",
            "category",
            "secondary_categories",
            "stance",
            "summary",
            "states",
            "permits",
            "reserves",
            "impact",
            "jurisdiction",
            "product_tier",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        version, quote = data.get("version"), data.get("quote")
        if version is not None and quote:
            try:
                anchor = quote_anchor(text=version.text, quote=quote, occurrence=data.get("occurrence"))
            except QuoteError as error:
                choices = "; ".join(f"{index}: {context}" for index, context in error.occurrences)
                raise ValidationError({"quote": f"{error} {choices}".strip()}) from error
            # The model's own validation then sees the anchored quote; provision_create anchors it again.
            self.instance.start, self.instance.end = anchor.start, anchor.end
            data["quote"] = anchor.quote
        category = data.get("category")
        if category is not None and data.get("stance") not in category.stance_slugs:
            raise ValidationError({"stance": f"Choose one of: {', '.join(category.stance_slugs)}."})
        return data


class ReviewQueueFilter(admin.SimpleListFilter):
    title = "review queue"
    parameter_name = "queue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("mine-to-review", "In review, not mine (oldest first)"),
            ("changes-requested", "Changes requested"),
            ("text-changed", "Text changed since review (oldest first)"),
        ]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "mine-to-review":
            return queryset.filter(state=ReviewState.IN_REVIEW).exclude(author=request.user).order_by("created_at")
        if self.value() == "changes-requested":
            return queryset.filter(state=ReviewState.CHANGES_REQUESTED)
        if self.value() == "text-changed":
            return queryset.filter(text_changed_at__isnull=False).order_by("text_changed_at")
        return queryset


@admin.register(Provision)
class ProvisionAdmin(admin.ModelAdmin[Provision]):
    list_display = ["code", "summary", "category", "stance", "state", "impact", "document", "author", "created_at"]
    list_filter = [ReviewQueueFilter, "state", "category", "impact", "document__platform"]
    list_select_related = ["category", "document__platform", "document__document_type", "author"]
    search_fields = ["code", "quote", "summary", "document__platform__name"]
    autocomplete_fields = ["version"]
    actions = ["submit_for_review", "publish", "confirm_against_new_text", "retire"]

    def get_form(self, request: HttpRequest, obj: Provision | None = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = ProvisionAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Provision | None = None) -> Any:
        if obj is None:
            return [*ProvisionAddForm.Meta.fields, "occurrence"]
        return [
            "code",
            "state",
            "highlighted_quote",
            "category",
            "secondary_categories",
            "stance",
            "summary",
            "states",
            "permits",
            "reserves",
            "impact",
            "jurisdiction",
            "product_tier",
            "author",
            "reviewer",
            "review_note",
            "published_at",
            "text_changed_at",
            "lineage",
            "history",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Provision | None = None) -> Any:
        if obj is None:
            return []
        return [
            "code",
            "state",
            "highlighted_quote",
            "author",
            "reviewer",
            "published_at",
            "text_changed_at",
            "lineage",
            "history",
        ]

    def save_model(self, request: HttpRequest, obj: Provision, form: Any, change: bool) -> None:
        if change:
            obj.full_clean(exclude=["document", "author", "reviewer", "secondary_categories"])
            with audit_context(request.user, "edit"):
                obj.save()
            return
        data = form.cleaned_data
        created = provision_create(
            version=data["version"],
            quote=data["quote"],
            category=data["category"],
            stance=data["stance"],
            summary=data["summary"],
            author=request.user,
            occurrence=data.get("occurrence"),
            states=data.get("states", ""),
            permits=data.get("permits", ""),
            reserves=data.get("reserves", ""),
            impact=data["impact"],
            secondary_categories=data.get("secondary_categories", []),
            jurisdiction=data.get("jurisdiction", ""),
            product_tier=data.get("product_tier", ""),
        )
        obj.pk = created.pk
        obj.code = created.code

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if change:
            super().save_related(request, form, formsets, change)

    @admin.display(description="Quote in its version")
    def highlighted_quote(self, provision: Provision) -> SafeString:
        text = provision.version.text
        before = text[max(0, provision.start - 400) : provision.start]
        after = text[provision.end : provision.end + 400]
        return format_html(
            '<div style="white-space:pre-wrap;max-width:60em;font-size:13px">…{}<mark>{}</mark>{}…</div>'
            "<p>Version {} ({}), sha256 {}</p>",
            before,
            provision.quote,
            after,
            provision.version_id,
            provision.version.recorded_at.date(),
            provision.version.sha256,
        )

    @admin.display(description="Lineage: the quote, version by version")
    def lineage(self, provision: Provision) -> SafeString:
        anchors = provision.anchors.select_related("version").defer("version__text").order_by("version__recorded_at")
        rows = (
            (a.version.recorded_at.date(), a.get_outcome_display(), a.similarity, a.quote or "(removed)")
            for a in anchors
        )
        return format_html(
            "<table><tr><th>Version</th><th>Outcome</th><th>Similarity</th><th>Quote</th></tr>{}</table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.display(description="History")
    def history(self, provision: Provision) -> SafeString:
        events = pghistory.models.Events.objects.tracks(provision).order_by("pgh_created_at")
        rows = (
            (
                event.pgh_created_at.strftime("%Y-%m-%d %H:%M"),
                (event.pgh_context or {}).get("username", ""),
                (event.pgh_context or {}).get("action", event.pgh_label),
                event.pgh_data.get("state", ""),
            )
            for event in events
        )
        return format_html(
            "<table><tr><th>When</th><th>Who</th><th>What</th><th>State</th></tr>{}</table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    def _apply(self, request: HttpRequest, queryset: QuerySet[Provision], action: Any, done: str) -> None:
        succeeded, refused = 0, []
        for provision in queryset:
            try:
                action(provision)
                succeeded += 1
            except ValidationError as error:
                refused.append(f"{provision.code}: {'; '.join(error.messages)}")
        self.message_user(request, f"{succeeded} {done}.", messages.SUCCESS if succeeded else messages.INFO)
        if refused:
            self.message_user(request, "Refused: " + " | ".join(refused), messages.WARNING)

    @admin.action(description="Submit for review")
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet[Provision]) -> None:
        self._apply(request, queryset, lambda p: provision_submit(provision=p, user=request.user), "submitted")

    @admin.action(description="Publish (four eyes: not your own)")
    def publish(self, request: HttpRequest, queryset: QuerySet[Provision]) -> None:
        self._apply(request, queryset, lambda p: provision_publish(provision=p, reviewer=request.user), "published")

    @admin.action(description="Confirm the analysis against the new text (four eyes)")
    def confirm_against_new_text(self, request: HttpRequest, queryset: QuerySet[Provision]) -> None:
        self._apply(
            request,
            queryset.filter(text_changed_at__isnull=False),
            lambda p: provision_confirm_text(provision=p, reviewer=request.user),
            "confirmed",
        )

    @admin.action(description="Retire")
    def retire(self, request: HttpRequest, queryset: QuerySet[Provision]) -> None:
        self._apply(request, queryset, lambda p: provision_retire(provision=p, user=request.user), "retired")


@admin.register(Silence)
class SilenceAdmin(admin.ModelAdmin[Silence]):
    list_display = ["category", "document", "version", "state", "author", "reviewer"]
    list_filter = ["state", "category", "document__platform"]
    list_select_related = ["category", "document__platform", "document__document_type", "author", "reviewer"]
    search_fields = ["note", "document__platform__name"]
    autocomplete_fields = ["version"]
    fields = ["version", "category", "note", "state", "author", "reviewer", "published_at"]
    readonly_fields = ["state", "author", "reviewer", "published_at"]
    actions = ["publish"]

    def save_model(self, request: HttpRequest, obj: Silence, form: Any, change: bool) -> None:
        if not change:
            obj.author = request.user  # type: ignore[assignment]  # the admin requires a signed-in user
            obj.document_id = obj.version.document_id
        with audit_context(request.user, "edit"):
            obj.save()

    @admin.action(description="Publish (four eyes: not your own)")
    def publish(self, request: HttpRequest, queryset: QuerySet[Silence]) -> None:
        published, refused = 0, []
        for silence in queryset:
            try:
                silence_publish(silence=silence, reviewer=request.user)
                published += 1
            except ValidationError as error:
                refused.append("; ".join(error.messages))
        self.message_user(request, f"{published} published." + (f" Refused: {' | '.join(refused)}" if refused else ""))


# The regulatory mapping.


class ArticleInline(admin.TabularInline):
    model = Article
    fields = ["citation", "title", "official_url", "dpv", "position"]
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin[Framework]):
    list_display = ["short_name", "name", "jurisdiction", "citation", "position"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [ArticleInline]


class CategoryArticleInline(admin.TabularInline):
    model = CategoryArticle
    fields = ["category", "relation", "note"]
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    list_display = ["__str__", "title", "framework", "dpv"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    search_fields = ["citation", "title", "framework__short_name"]
    inlines = [CategoryArticleInline]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin[Finding]):
    """Findings are written by one editor and reviewed by another; reviewed ones are public."""

    list_display = ["provision", "article", "assessment", "author", "reviewer", "reviewed_at"]
    list_filter = ["assessment", "article__framework", ("reviewer", admin.EmptyFieldListFilter)]
    list_select_related = ["provision", "article__framework", "author", "reviewer"]
    search_fields = ["provision__code", "rationale", "article__citation"]
    autocomplete_fields = ["provision", "article"]
    fields = ["provision", "article", "assessment", "rationale", "author", "reviewer", "reviewed_at"]
    readonly_fields = ["author", "reviewer", "reviewed_at"]
    actions = ["review"]

    def save_model(self, request: HttpRequest, obj: Finding, form: Any, change: bool) -> None:
        if not change:
            obj.author = request.user  # type: ignore[assignment]  # the admin requires a signed-in user
        elif obj.reviewer_id is not None:
            # An edited finding is reviewed again: the review vouched for the earlier wording.
            obj.reviewer, obj.reviewed_at = None, None
        obj.full_clean()
        with audit_context(request.user, "edit finding"):
            obj.save()

    @admin.action(description="Review (four eyes: not your own)")
    def review(self, request: HttpRequest, queryset: QuerySet[Finding]) -> None:
        reviewed, refused = 0, []
        for finding in queryset.filter(reviewer__isnull=True):
            try:
                finding_review(finding=finding, reviewer=request.user)
                reviewed += 1
            except ValidationError as error:
                refused.append(f"{finding}: {'; '.join(error.messages)}")
        self.message_user(request, f"{reviewed} reviewed.", messages.SUCCESS if reviewed else messages.WARNING)
        for line in refused:
            self.message_user(request, line, messages.ERROR)
