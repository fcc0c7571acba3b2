"""Explicit serializers for the archive. Counts come from queryset annotations (platforms/selectors.py)."""

from rest_framework import serializers

from platforms.models import Change, Check, Document, DocumentType, Platform, Source, Version


class PlatformRefSerializer(serializers.ModelSerializer[Platform]):
    class Meta:
        model = Platform
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class DocumentTypeRefSerializer(serializers.ModelSerializer[DocumentType]):
    class Meta:
        model = DocumentType
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class DocumentRefSerializer(serializers.ModelSerializer[Document]):
    """A document as nested in another resource: who, what, which scope."""

    name = serializers.CharField(source="display_name", read_only=True)
    platform = PlatformRefSerializer(read_only=True)
    document_type = DocumentTypeRefSerializer(read_only=True)

    class Meta:
        model = Document
        fields = ["id", "name", "platform", "document_type", "jurisdiction", "language", "product_tier"]
        read_only_fields = fields


class VersionSummarySerializer(serializers.ModelSerializer[Version]):
    url = serializers.HyperlinkedIdentityField(view_name="version-detail", read_only=True)

    class Meta:
        model = Version
        fields = ["id", "url", "sha256", "recorded_at", "stated_updated_on", "effective_on", "origin"]
        read_only_fields = fields


class PlatformSerializer(serializers.ModelSerializer[Platform]):
    url = serializers.HyperlinkedIdentityField(view_name="platform-detail", lookup_field="slug", read_only=True)
    document_count = serializers.IntegerField(read_only=True)
    version_count = serializers.IntegerField(read_only=True)
    latest_version_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the newest version of any of its documents was recorded.",
    )
    latest_change_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When a version replacing an earlier one was last recorded.",
    )

    class Meta:
        model = Platform
        fields = [
            "id",
            "url",
            "slug",
            "name",
            "provider",
            "website",
            "hostnames",
            "kind",
            "country",
            "document_count",
            "version_count",
            "latest_version_at",
            "latest_change_at",
        ]
        read_only_fields = fields


class PlatformDocumentSerializer(serializers.ModelSerializer[Document]):
    """A document as listed under its platform."""

    url = serializers.HyperlinkedIdentityField(view_name="document-detail", read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    document_type = DocumentTypeRefSerializer(read_only=True)
    version_count = serializers.IntegerField(read_only=True)
    current_version = VersionSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "url",
            "name",
            "document_type",
            "jurisdiction",
            "language",
            "product_tier",
            "version_count",
            "current_version",
        ]
        read_only_fields = fields


class PlatformDetailSerializer(PlatformSerializer):
    documents = PlatformDocumentSerializer(many=True, read_only=True)

    class Meta(PlatformSerializer.Meta):
        fields = [*PlatformSerializer.Meta.fields, "documents"]
        read_only_fields = fields


class DocumentTypeSerializer(serializers.ModelSerializer[DocumentType]):
    document_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = DocumentType
        fields = ["id", "slug", "name", "description", "aliases", "document_count"]
        read_only_fields = fields


class SourceSerializer(serializers.ModelSerializer[Source]):
    class Meta:
        model = Source
        fields = ["id", "url", "select", "remove", "execute_client_scripts", "position"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer[Document]):
    url = serializers.HyperlinkedIdentityField(view_name="document-detail", read_only=True)
    needs_intervention = serializers.BooleanField(
        read_only=True, help_text="Fetching has failed 3 times in a row: the archive may be behind."
    )
    name = serializers.CharField(source="display_name", read_only=True)
    platform = PlatformRefSerializer(read_only=True)
    document_type = DocumentTypeRefSerializer(read_only=True)
    version_count = serializers.IntegerField(read_only=True)
    current_version = VersionSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "url",
            "name",
            "platform",
            "document_type",
            "jurisdiction",
            "language",
            "product_tier",
            "check_interval",
            "last_checked_at",
            "consecutive_failures",
            "needs_intervention",
            "version_count",
            "current_version",
            "created_at",
        ]
        read_only_fields = fields


class DocumentDetailSerializer(DocumentSerializer):
    sources = SourceSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "sources"]
        read_only_fields = fields


class VersionSerializer(serializers.ModelSerializer[Version]):
    url = serializers.HyperlinkedIdentityField(view_name="version-detail", read_only=True)
    document = DocumentRefSerializer(read_only=True)
    predecessor_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Version
        fields = [
            "id",
            "url",
            "document",
            "predecessor_id",
            "sha256",
            "recorded_at",
            "stated_updated_on",
            "effective_on",
            "origin",
            "technical",
            "extractor_version",
        ]
        read_only_fields = fields


class VersionDetailSerializer(VersionSerializer):
    predecessor = VersionSummarySerializer(read_only=True, allow_null=True)
    text = serializers.CharField(read_only=True, help_text="The extracted Markdown text; its sha256 is `sha256`.")

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "predecessor", "text"]
        read_only_fields = fields


class CheckSerializer(serializers.ModelSerializer[Check]):
    document = DocumentRefSerializer(read_only=True)
    version_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Check
        fields = ["id", "document", "checked_at", "outcome", "failure_label", "detail", "version_id"]
        read_only_fields = fields


class DiffStatsSerializer(serializers.Serializer):
    words_added = serializers.IntegerField()
    words_removed = serializers.IntegerField()
    paragraphs_added = serializers.IntegerField()
    paragraphs_removed = serializers.IntegerField()
    paragraphs_modified = serializers.IntegerField()


class DiffWordsField(serializers.ListField):
    """[op, text] pairs: "=" kept, "-" removed, "+" added."""

    child = serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2)


class DiffLineSerializer(serializers.Serializer):
    op = serializers.ChoiceField(
        choices=["=", "-", "+", "~"], help_text='"=" context, "-" removed, "+" added, "~" modified (see words).'
    )
    text = serializers.CharField(required=False, help_text="The paragraph (for =, - and +).")
    words = DiffWordsField(required=False, help_text='For "~": the word-level diff of the paragraph.')


class DiffHunkSerializer(serializers.Serializer):
    old_start = serializers.IntegerField(help_text="Index of the hunk's first paragraph in the old text.")
    new_start = serializers.IntegerField(help_text="Index of the hunk's first paragraph in the new text.")
    section = serializers.CharField(help_text='Heading path of the first changed paragraph ("3. Data > Retention").')
    lines = DiffLineSerializer(many=True)


class ChangeSerializer(serializers.ModelSerializer[Change]):
    url = serializers.HyperlinkedIdentityField(view_name="change-detail", read_only=True)
    document = DocumentRefSerializer(read_only=True)
    version = VersionSummarySerializer(read_only=True)
    predecessor = VersionSummarySerializer(read_only=True)
    reverts_to_id = serializers.IntegerField(read_only=True, allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    sections = serializers.ListField(child=serializers.CharField(), read_only=True)
    diff_url = serializers.SerializerMethodField(help_text="The diff of the two versions.")

    class Meta:
        model = Change
        fields = [
            "id",
            "url",
            "document",
            "version",
            "predecessor",
            "recorded_at",
            "significance",
            "computed_significance",
            "reasons",
            "significance_override",
            "override_reason",
            "overridden_at",
            "is_reversion",
            "reverts_to_id",
            "silent",
            "announced",
            "words_added",
            "words_removed",
            "paragraphs_added",
            "paragraphs_removed",
            "paragraphs_modified",
            "sections",
            "diff_url",
        ]
        read_only_fields = fields

    def get_diff_url(self, change: Change) -> str:
        path = f"/api/v1/versions/{change.version_id}/diff/?against={change.predecessor_id}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ProvisionOutcomeSerializer(serializers.Serializer):
    code = serializers.CharField()
    category = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["unchanged", "moved", "modified", "removed"])
    before = serializers.CharField(help_text="The quote in the predecessor.")
    after = serializers.CharField(help_text="The quote in this version (empty when removed).")
    similarity = serializers.FloatField()


class ChangeDetailSerializer(ChangeSerializer):
    hunks = DiffHunkSerializer(many=True, read_only=True)
    provisions_affected = ProvisionOutcomeSerializer(
        many=True, read_only=True, help_text="Tracked provisions relinked through this change."
    )

    class Meta(ChangeSerializer.Meta):
        fields = [*ChangeSerializer.Meta.fields, "provisions_affected", "hunks"]
        read_only_fields = fields


class VersionDiffSerializer(serializers.Serializer):
    old_version = VersionSummarySerializer()
    new_version = VersionSummarySerializer()
    stats = DiffStatsSerializer()
    sections = serializers.ListField(child=serializers.CharField())
    hunks = DiffHunkSerializer(many=True)


class ChangeSummarySerializer(ChangeSerializer):
    """A change nested in its version (timelines): what it is, not again whose."""

    class Meta(ChangeSerializer.Meta):
        fields = [name for name in ChangeSerializer.Meta.fields if name not in ("document", "version", "predecessor")]
        read_only_fields = fields


class TimelineEventSerializer(serializers.ModelSerializer[Version]):
    """A version on a platform's timeline: its first record, or a change with its significance."""

    kind = serializers.SerializerMethodField(help_text="first_record or change.")
    document = DocumentRefSerializer(read_only=True)
    version = VersionSummarySerializer(source="*", read_only=True)
    change = ChangeSummarySerializer(read_only=True, allow_null=True, source="change_or_none")

    class Meta:
        model = Version
        fields = ["kind", "recorded_at", "document", "version", "change"]
        read_only_fields = fields

    def get_kind(self, version: Version) -> str:
        return "first_record" if version.predecessor_id is None else "change"
