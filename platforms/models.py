"""The archive: what was published, exactly, and when.

A `Version` is immutable. The application never updates or deletes one, and on PostgreSQL a
trigger (django-pgtrigger) refuses UPDATE and DELETE of its rows, so that every quote anchored
in a version can be verified against the same bytes forever.
"""

from __future__ import annotations

from datetime import timedelta

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Length, Lower, Upper
from django.db.models.lookups import Exact

from platforms.significance import Significance

SHA256_VALIDATOR = RegexValidator(r"^[0-9a-f]{64}$", "A sha256 is 64 lowercase hexadecimal characters.")
COUNTRY_VALIDATOR = RegexValidator(r"^[A-Z]{2}$", "A country is an ISO 3166-1 alpha-2 code in capitals (US, FR).")
JURISDICTION_VALIDATOR = RegexValidator(
    r"^([A-Z]{2}(-[A-Z0-9]{1,3})?)?$",
    "A jurisdiction is an ISO 3166 code in capitals (EU, US, US-CA) or empty.",
)
FAILURES_BEFORE_INTERVENTION = 3
LANGUAGE_VALIDATOR = RegexValidator(r"^[a-z]{2,3}(-[A-Z]{2})?$", "A language is a BCP 47 tag such as en or pt-BR.")


class Platform(models.Model):
    class Kind(models.TextChoices):
        ASSISTANT = "assistant", "AI assistant or chatbot"
        MEDIA_GENERATION = "media_generation", "Image, video or audio generation"
        DEVELOPER_TOOLS = "developer_tools", "Developer tools"
        PRODUCTIVITY = "productivity", "Productivity and writing"
        SEARCH = "search", "Search and answers"
        SOCIAL = "social", "Social network or messaging"
        MODEL_PROVIDER = "model_provider", "Model provider"
        OTHER = "other", "Other"

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True, help_text="The company that publishes the documents.")
    website = models.URLField(blank=True)
    hostnames = models.JSONField(default=list, blank=True, help_text="Hostnames the platform's documents live on.")
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.OTHER)
    country = models.CharField(max_length=2, blank=True, validators=[COUNTRY_VALIDATOR])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(slug=""), name="platform_slug_not_empty"),
            models.CheckConstraint(condition=~models.Q(name=""), name="platform_name_not_empty"),
            models.CheckConstraint(
                condition=Exact(Upper("country"), models.F("country")),
                name="platform_country_upper",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.hostnames, list) or not all(isinstance(h, str) and h for h in self.hostnames):
            raise ValidationError({"hostnames": "Hostnames must be a list of non-empty strings."})


class DocumentType(models.Model):
    """What kind of document: privacy policy, terms... Seeded; Open Terms Archive's types are the reference."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other names this type goes by (matched case-insensitively)."
    )
    position = models.PositiveSmallIntegerField(default=100, help_text="Display order.")

    class Meta:
        ordering = ["position", "slug"]
        constraints = [models.CheckConstraint(condition=~models.Q(slug=""), name="document_type_slug_not_empty")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) and a for a in self.aliases):
            raise ValidationError({"aliases": "Aliases must be a list of non-empty strings."})


class Document(models.Model):
    """One tracked document: a platform x a document type x a scope (jurisdiction, language, product tier)."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="documents")
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="documents")
    jurisdiction = models.CharField(
        max_length=10,
        blank=True,
        validators=[JURISDICTION_VALIDATOR],
        help_text="Empty when it applies worldwide.",
    )
    language = models.CharField(max_length=10, default="en", validators=[LANGUAGE_VALIDATOR])
    product_tier = models.CharField(
        max_length=100, blank=True, help_text="Empty when it applies to every tier (consumer, business...)."
    )
    name = models.CharField(max_length=300, blank=True, help_text="Display name; defaults to the type's name.")
    check_interval = models.DurationField(default=timedelta(hours=12))
    last_checked_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    consecutive_failures = models.PositiveIntegerField(
        default=0, editable=False, help_text="Failed fetches since the last successful one."
    )
    # Denormalised under the document's row lock by version_record, so lists need no subquery per row.
    current_version = models.OneToOneField(
        "Version", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [
            "platform__slug",
            "document_type__position",
            "jurisdiction",
            "language",
            "product_tier",
            "id",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "document_type", "jurisdiction", "language", "product_tier"],
                name="document_unique_scope",
            ),
            models.CheckConstraint(
                condition=Exact(Upper("jurisdiction"), models.F("jurisdiction")),
                name="document_jurisdiction_upper",
            ),
            models.CheckConstraint(condition=~models.Q(language=""), name="document_language_not_empty"),
            models.CheckConstraint(condition=models.Q(check_interval__gt=timedelta(0)), name="document_interval_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.platform.name} {self.display_name}"

    @property
    def needs_intervention(self) -> bool:
        """Fetching has failed too many times in a row for the archive to stay current without a person."""
        return self.consecutive_failures >= FAILURES_BEFORE_INTERVENTION

    @property
    def display_name(self) -> str:
        return self.compose_display_name(
            name=self.name,
            type_name=self.document_type.name,
            jurisdiction=self.jurisdiction,
            product_tier=self.product_tier,
        )

    @staticmethod
    def compose_display_name(*, name: str, type_name: str, jurisdiction: str, product_tier: str) -> str:
        """The display name from its parts (for reads that fetch rows as values rather than models)."""
        if name:
            return name
        scope = ", ".join(part for part in (jurisdiction, product_tier) if part)
        return f"{type_name} ({scope})" if scope else type_name


class Source(models.Model):
    """Where a document is fetched from; several sources combine, in order, into one document."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(max_length=2000)
    select = models.JSONField(default=list, blank=True, help_text="CSS selectors of the parts to keep.")
    remove = models.JSONField(default=list, blank=True, help_text="CSS selectors of the parts to drop.")
    execute_client_scripts = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="source_unique_position"),
        ]

    def __str__(self) -> str:
        return self.url

    def clean(self) -> None:
        for field in ("select", "remove"):
            value = getattr(self, field)
            if not isinstance(value, list) or not all(selector_is_valid(item) for item in value):
                raise ValidationError(
                    {
                        field: "Selectors must be a list of CSS selector strings or range selectors "
                        "({startBefore|startAfter: css, endBefore|endAfter: css})."
                    }
                )


RANGE_STARTS = {"startBefore", "startAfter"}
RANGE_ENDS = {"endBefore", "endAfter"}


def selector_is_valid(item: object) -> bool:
    """A CSS selector string, or an Open Terms Archive range selector: one start and one end."""
    if isinstance(item, str):
        return bool(item.strip())
    if isinstance(item, dict):
        keys = set(item)
        return (
            len(keys & RANGE_STARTS) == 1
            and len(keys & RANGE_ENDS) <= 1
            and keys <= RANGE_STARTS | RANGE_ENDS
            and all(isinstance(v, str) and v.strip() for v in item.values())
        )
    return False


class Snapshot(models.Model):
    """The raw bytes of one fetch, kept so that a version can be re-extracted and proven."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="snapshots")
    source = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="snapshots")
    url = models.URLField(max_length=2000, blank=True)
    content = models.BinaryField()
    content_type = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, validators=[SHA256_VALIDATOR])
    fetched_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-fetched_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Exact(Length("sha256"), 64), name="snapshot_sha256_length"),
            models.CheckConstraint(condition=Exact(Lower("sha256"), models.F("sha256")), name="snapshot_sha256_lower"),
        ]
        indexes = [
            models.Index(fields=["document", "-fetched_at"], name="snapshot_document_fetched"),
            models.Index(fields=["source", "-fetched_at"], name="snapshot_source_fetched"),
        ]

    def __str__(self) -> str:
        return f"Snapshot {self.sha256[:12]} of {self.document_id} at {self.fetched_at:%Y-%m-%d %H:%M}"


class Version(models.Model):
    """An extracted text of a document as recorded at one moment. Immutable."""

    class Origin(models.TextChoices):
        FETCHED = "fetched", "Fetched from the source"
        IMPORTED = "imported", "Imported from an archive"
        UPLOADED = "uploaded", "Uploaded by an editor"

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    # One successor per version and one first version per document: the versions of a document form a chain.
    predecessor = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="successor"
    )
    # Copied from the predecessor so that a CHECK constraint can refuse two equal texts in a row.
    predecessor_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, null=True, blank=True, related_name="versions")
    text = models.TextField()
    sha256 = models.CharField(max_length=64, validators=[SHA256_VALIDATOR])
    recorded_at = models.DateTimeField()
    stated_updated_on = models.DateField(null=True, blank=True, help_text='The "last updated" date the text states.')
    effective_on = models.DateField(null=True, blank=True, help_text="The effective date the text states.")
    origin = models.CharField(max_length=16, choices=Origin.choices)
    technical = models.BooleanField(
        default=False,
        help_text="A technical upgrade: the extraction or the declaration changed, not the terms. Never alerts.",
    )
    extractor_version = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        get_latest_by = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Exact(Length("sha256"), 64), name="version_sha256_length"),
            models.CheckConstraint(condition=Exact(Lower("sha256"), models.F("sha256")), name="version_sha256_lower"),
            models.CheckConstraint(condition=~models.Q(text=""), name="version_text_not_empty"),
            models.CheckConstraint(
                condition=~models.Q(sha256=models.F("predecessor_sha256")),
                name="version_differs_from_predecessor",
            ),
            models.CheckConstraint(
                condition=models.Q(predecessor__isnull=True, predecessor_sha256="")
                | models.Q(predecessor__isnull=False) & ~models.Q(predecessor_sha256=""),
                name="version_predecessor_sha256_set",
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(predecessor__isnull=True),
                name="version_one_first_per_document",
            ),
        ]
        indexes = [
            models.Index(fields=["document", "-recorded_at", "-id"], name="version_document_recorded"),
            models.Index(fields=["-recorded_at", "-id"], name="version_recorded"),
            models.Index(fields=["sha256"], name="version_sha256"),
        ]
        triggers = [
            pgtrigger.Protect(name="version_immutable", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"Version {self.pk} of document {self.document_id} ({self.recorded_at:%Y-%m-%d})"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError("A version is immutable: it is never updated.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValidationError("A version is immutable: it is never deleted.")

    @property
    def change_or_none(self) -> Change | None:
        """The change this version makes, or None (a first record, or not computed yet)."""
        try:
            return self.change
        except Change.DoesNotExist:
            return None

    def clean(self) -> None:
        if self.predecessor_id is not None and self.predecessor is not None:
            if self.predecessor.document_id != self.document_id:
                raise ValidationError({"predecessor": "A version's predecessor belongs to the same document."})
            if self.predecessor.recorded_at > self.recorded_at:
                raise ValidationError({"recorded_at": "A version cannot be recorded before its predecessor."})


class Check(models.Model):
    """A look at a document that recorded no new version: unchanged, or failed with a label."""

    class Outcome(models.TextChoices):
        UNCHANGED = "unchanged", "Unchanged"
        FAILED = "failed", "Failed"

    class FailureLabel(models.TextChoices):
        DNS = "dns", "The host name did not resolve"
        TIMEOUT = "timeout", "Timed out"
        HTTP_403 = "http_403", "HTTP 403 Forbidden"
        HTTP_404 = "http_404", "HTTP 404 Not Found"
        HTTP_429 = "http_429", "HTTP 429 Too Many Requests"
        HTTP_5XX = "http_5xx", "HTTP 5xx server error"
        HTTP_OTHER = "http_other", "Another HTTP error status"
        TOO_LARGE = "too_large", "The response was over the size cap"
        UNSUPPORTED_TYPE = "unsupported_type", "Unsupported content type"
        EMPTY_CONTENT = "empty_content", "No text after extraction"
        SELECTOR_NOT_FOUND = "selector_not_found", "A selector matched nothing"
        BLOCKED_ADDRESS = "blocked_address", "The address is not allowed (SSRF guard)"
        TLS = "tls", "TLS error"
        CONNECTION = "connection", "Connection error"
        TOO_MANY_REDIRECTS = "too_many_redirects", "Too many redirects"
        INVALID_URL = "invalid_url", "The URL (or a redirect's) is not valid"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    failure_label = models.CharField(max_length=32, choices=FailureLabel.choices, blank=True)
    detail = models.TextField(blank=True)
    version = models.ForeignKey(
        Version,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checks",
        help_text="The current version the check found unchanged.",
    )
    snapshot = models.ForeignKey(Snapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="checks")

    class Meta:
        ordering = ["-checked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="failed", version__isnull=True) & ~models.Q(failure_label="")
                | models.Q(outcome="unchanged", failure_label="", version__isnull=False),
                name="check_outcome_consistent",
            ),
        ]
        indexes = [
            models.Index(fields=["document", "-checked_at", "-id"], name="check_document_checked"),
            models.Index(fields=["-checked_at", "-id"], name="check_checked"),
        ]

    def __str__(self) -> str:
        label = f" ({self.failure_label})" if self.failure_label else ""
        return f"{self.get_outcome_display()}{label} at {self.checked_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.outcome == self.Outcome.FAILED and not self.failure_label:
            raise ValidationError({"failure_label": "A failed check needs a failure label."})
        if self.outcome == self.Outcome.UNCHANGED and self.failure_label:
            raise ValidationError({"failure_label": "An unchanged check has no failure label."})


class Change(models.Model):
    """A version against its predecessor: the diff, its statistics and how much it matters."""

    version = models.OneToOneField(Version, on_delete=models.PROTECT, related_name="change")
    predecessor = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="changes")
    recorded_at = models.DateTimeField(help_text="When the new version was recorded.")
    significance = models.CharField(
        max_length=16, choices=Significance.choices, help_text="In force: the editor's, or else the rules'."
    )
    significance_rank = models.PositiveSmallIntegerField(editable=False)
    computed_significance = models.CharField(max_length=16, choices=Significance.choices, editable=False)
    reasons = models.JSONField(default=list, blank=True, editable=False)
    significance_override = models.CharField(max_length=16, choices=Significance.choices, blank=True)
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    overridden_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_reversion = models.BooleanField(default=False)
    reverts_to = models.ForeignKey(Version, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    silent = models.BooleanField(
        default=False, help_text='Substantive, but the stated "last updated" date did not move.'
    )
    announced = models.BooleanField(
        default=False, help_text="The stated effective date was in the future when recorded."
    )
    words_added = models.PositiveIntegerField(default=0)
    words_removed = models.PositiveIntegerField(default=0)
    paragraphs_added = models.PositiveIntegerField(default=0)
    paragraphs_removed = models.PositiveIntegerField(default=0)
    paragraphs_modified = models.PositiveIntegerField(default=0)
    sections = models.JSONField(default=list, blank=True, help_text="Heading paths of the hunks.")
    provisions_affected = models.JSONField(
        default=list, blank=True, help_text="Tracked provisions relinked through this change, each with its outcome."
    )
    hunks = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(significance_override="") | ~models.Q(override_reason=""),
                name="change_override_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(significance_override="") | models.Q(significance=models.F("significance_override")),
                name="change_override_in_force",
            ),
            models.CheckConstraint(
                condition=models.Q(is_reversion=False, reverts_to__isnull=True)
                | models.Q(is_reversion=True, reverts_to__isnull=False),
                name="change_reversion_target",
            ),
        ]
        indexes = [
            models.Index(fields=["-recorded_at", "-id"], name="change_recorded"),
            models.Index(fields=["document", "-recorded_at", "-id"], name="change_document_recorded"),
            models.Index(fields=["significance_rank", "-recorded_at"], name="change_rank_recorded"),
        ]

    def __str__(self) -> str:
        return f"{self.get_significance_display()} change of {self.document_id} at {self.recorded_at:%Y-%m-%d}"

    def clean(self) -> None:
        if self.significance_override and not self.override_reason.strip():
            raise ValidationError({"override_reason": "Say why the significance is overruled."})
