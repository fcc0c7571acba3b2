"""Who watches and what they are told: API clients and their keys, watches, alerts, webhooks and deliveries."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from rest_framework_api_key.models import AbstractAPIKey

from platforms.models import Change, Document, Platform
from platforms.significance import Significance
from provisions.models import Category


class ApiClient(models.Model):
    """A third party calling the API: its tier sets its rate limit and what it may do."""

    class Tier(models.TextChoices):
        FREE = "free", "Free (read-only, higher rate limit)"
        PROFESSIONAL = "professional", "Professional (watches, alerts, webhooks, exports)"

    name = models.CharField(max_length=200, unique=True)
    contact_email = models.EmailField()
    tier = models.CharField(max_length=16, choices=Tier.choices, default=Tier.FREE)
    active = models.BooleanField(default=True, help_text="An inactive client's keys are refused.")
    email_digest = models.BooleanField(default=False, help_text="Send a daily digest of new alerts by email.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="apiclient_name_not_empty"),
            models.CheckConstraint(condition=models.Q(tier__in=["free", "professional"]), name="apiclient_tier_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_professional(self) -> bool:
        return self.tier == self.Tier.PROFESSIONAL


class ApiKey(AbstractAPIKey):
    """An API key: only its prefix and a SHA-512 hash are stored (djangorestframework-api-key's scheme)."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="keys")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API key"
        verbose_name_plural = "API keys"
        indexes = [models.Index(fields=["client", "revoked"], name="apikey_client_revoked")]


class Watch(models.Model):
    """A client's interest: one platform, one document, or one category across every platform."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="watches")
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    min_significance = models.CharField(
        max_length=16,
        choices=Significance.choices,
        default=Significance.SUBSTANTIVE,
        help_text="Changes below this significance do not alert.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "watches"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(platform__isnull=False, document__isnull=True, category__isnull=True)
                | models.Q(platform__isnull=True, document__isnull=False, category__isnull=True)
                | models.Q(platform__isnull=True, document__isnull=True, category__isnull=False),
                name="watch_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["client", "platform"], condition=models.Q(platform__isnull=False), name="watch_unique_platform"
            ),
            models.UniqueConstraint(
                fields=["client", "document"], condition=models.Q(document__isnull=False), name="watch_unique_document"
            ),
            models.UniqueConstraint(
                fields=["client", "category"], condition=models.Q(category__isnull=False), name="watch_unique_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} watches {self.target_label}"

    @property
    def kind(self) -> str:
        if self.platform_id is not None:
            return "platform"
        if self.document_id is not None:
            return "document"
        return "category"

    @property
    def target_label(self) -> str:
        return str(self.platform or self.document or self.category)

    def clean(self) -> None:
        targets = [self.platform_id, self.document_id, self.category_id]
        if sum(target is not None for target in targets) != 1:
            raise ValidationError("A watch has exactly one target: a platform, a document or a category.")


class Alert(models.Model):
    """What one client is told about one change: a structured summary, frozen when the change was recorded."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="alerts")
    change = models.ForeignKey(Change, on_delete=models.PROTECT, related_name="+")
    # Denormalised from the change so that a client's list filters without joins.
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+")
    significance = models.CharField(max_length=16, choices=Significance.choices)
    significance_rank = models.PositiveSmallIntegerField()
    watches = models.ManyToManyField(Watch, related_name="alerts", blank=True)
    summary = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["client", "change"], name="alert_unique_client_change")]
        indexes = [
            models.Index(fields=["client", "-created_at", "-id"], name="alert_client_created"),
            models.Index(fields=["client", "digested_at"], name="alert_client_digested"),
        ]

    def __str__(self) -> str:
        return f"Alert to {self.client} on change {self.change_id}"


class WebhookEndpoint(models.Model):
    """Where a client's events are POSTed, signed with a secret that was shown to the client once."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    # The signing secret, encrypted with a key derived from SECRET_KEY: it must be read back to sign.
    secret_encrypted = models.TextField(editable=False)
    active = models.BooleanField(default=True)
    failing_since = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="First failed attempt since the last success."
    )
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active=True, disabled_at__isnull=True) | models.Q(active=False),
                name="webhook_active_not_disabled",
            ),
            models.CheckConstraint(condition=~models.Q(secret_encrypted=""), name="webhook_secret_set"),
        ]

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    """One event for one endpoint: attempted until it succeeds, and never again once it has."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending (will be attempted)"
        SUCCEEDED = "succeeded", "Succeeded (a 2xx answer)"
        FAILED = "failed", "Failed (retries exhausted or endpoint disabled)"

    class Event(models.TextChoices):
        CHANGE = "change.recorded", "A watched document changed"
        PING = "ping", "A test event"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries")
    event_id = models.CharField(max_length=40, unique=True, help_text="The `webhook-id` header: the same on retries.")
    event_type = models.CharField(max_length=32, choices=Event.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    log = models.JSONField(default=list, blank=True, help_text="Every attempt: when, status code or error, duration.")
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="pending", next_attempt_at__isnull=False)
                | ~models.Q(status="pending") & models.Q(next_attempt_at__isnull=True),
                name="delivery_pending_has_next_attempt",
            ),
            models.CheckConstraint(
                condition=models.Q(status="succeeded", delivered_at__isnull=False)
                | ~models.Q(status="succeeded") & models.Q(delivered_at__isnull=True),
                name="delivery_succeeded_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"), name="delivery_due"),
            models.Index(fields=["endpoint", "-created_at", "-id"], name="delivery_endpoint_created"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} to {self.endpoint_id}"
