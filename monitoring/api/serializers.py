"""Explicit serializers for a client's watches, alerts, webhooks and deliveries."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from monitoring.models import Alert, Delivery, Watch, WebhookEndpoint
from platforms.api.serializers import DocumentRefSerializer, PlatformRefSerializer
from platforms.models import Document, Platform
from platforms.significance import Significance
from provisions.api.serializers import CategoryRefSerializer
from provisions.models import Category


class WatchSerializer(serializers.ModelSerializer[Watch]):
    kind = serializers.ChoiceField(
        choices=["platform", "document", "category"], read_only=True, help_text="What is watched."
    )
    platform = PlatformRefSerializer(read_only=True, allow_null=True)
    document = DocumentRefSerializer(read_only=True, allow_null=True)
    category = CategoryRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Watch
        fields = ["id", "kind", "platform", "document", "category", "min_significance", "created_at"]
        read_only_fields = fields


class WatchCreateSerializer(serializers.Serializer):
    """Exactly one of platform, document or category."""

    platform = serializers.SlugRelatedField(
        slug_field="slug", queryset=Platform.objects.all(), required=False, help_text="A platform's slug."
    )
    document = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.select_related("platform"), required=False, help_text="A document's id."
    )
    category = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Category.objects.all(),
        required=False,
        help_text="A category's slug: its provisions on every platform.",
    )
    min_significance = serializers.ChoiceField(
        choices=Significance.choices,
        default=Significance.SUBSTANTIVE,
        help_text="Changes below this do not alert.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        targets = [name for name in ("platform", "document", "category") if attrs.get(name) is not None]
        if len(targets) != 1:
            raise serializers.ValidationError(
                "Give exactly one of `platform` (slug), `document` (id) or `category` (slug)."
            )
        return attrs


class AlertPlatformSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class AlertDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    type = serializers.CharField(help_text="The document type's slug.")
    url = serializers.URLField()


class AlertStatsSerializer(serializers.Serializer):
    words_added = serializers.IntegerField()
    words_removed = serializers.IntegerField()
    paragraphs_added = serializers.IntegerField()
    paragraphs_removed = serializers.IntegerField()
    paragraphs_modified = serializers.IntegerField()


class AlertChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    recorded_at = serializers.DateTimeField()
    significance = serializers.ChoiceField(choices=Significance.choices)
    reasons = serializers.ListField(child=serializers.CharField())
    silent = serializers.BooleanField(help_text="The stated 'last updated' date did not move.")
    announced = serializers.BooleanField()
    is_reversion = serializers.BooleanField()
    sections = serializers.ListField(child=serializers.CharField(), help_text="Heading paths of what changed.")
    stats = AlertStatsSerializer()
    url = serializers.URLField(help_text="The change, with its diff.")
    diff_url = serializers.URLField(help_text="The diff between the two versions.")


class AlertVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    recorded_at = serializers.DateTimeField()
    stated_updated_on = serializers.DateField(allow_null=True)
    effective_on = serializers.DateField(allow_null=True)


class AlertVersionsSerializer(serializers.Serializer):
    before = AlertVersionSerializer()
    after = AlertVersionSerializer()


class AlertProvisionSerializer(serializers.Serializer):
    code = serializers.CharField()
    category = serializers.CharField(help_text="The category's slug.")
    summary = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["unchanged", "moved", "modified", "removed"])
    before = serializers.CharField(help_text="The quote before the change.")
    after = serializers.CharField(allow_null=True, help_text="The quote after it; null when removed.")
    url = serializers.URLField()


class AlertSummarySerializer(serializers.Serializer):
    change = AlertChangeSerializer()
    platform = AlertPlatformSerializer()
    document = AlertDocumentSerializer()
    versions = AlertVersionsSerializer()
    provisions = AlertProvisionSerializer(many=True, help_text="Published provisions whose clause the change hit.")
    categories = serializers.ListField(child=serializers.CharField(), help_text="Their categories' slugs.")
    watches = serializers.ListField(child=serializers.IntegerField(), help_text="Your watches it matched.")


class AlertSerializer(serializers.ModelSerializer[Alert]):
    platform = PlatformRefSerializer(read_only=True)
    read = serializers.SerializerMethodField()
    summary = AlertSummarySerializer(read_only=True)

    class Meta:
        model = Alert
        fields = ["id", "created_at", "platform", "significance", "read", "read_at", "change", "summary"]
        read_only_fields = fields

    def get_read(self, alert: Alert) -> bool:
        return alert.read_at is not None


class WebhookSerializer(serializers.ModelSerializer[WebhookEndpoint]):
    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "description", "active", "failing_since", "disabled_at", "disabled_reason", "created_at"]
        read_only_fields = ["id", "active", "failing_since", "disabled_at", "disabled_reason", "created_at"]


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="Shown this once: verify each delivery's `webhook-signature` with it."
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class DeliveryAttemptSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    status_code = serializers.IntegerField(allow_null=True)
    error = serializers.CharField(allow_blank=True)
    duration_ms = serializers.IntegerField()


class DeliverySerializer(serializers.ModelSerializer[Delivery]):
    log = DeliveryAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "alert",
            "status",
            "attempts",
            "next_attempt_at",
            "last_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
            "log",
        ]
        read_only_fields = fields
