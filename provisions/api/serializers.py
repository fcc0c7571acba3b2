from collections.abc import Mapping
from datetime import UTC
from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from platforms.api.serializers import DocumentRefSerializer, PlatformRefSerializer
from platforms.models import Document
from provisions.models import (
    Article,
    Category,
    CategoryArticle,
    Finding,
    Framework,
    Provision,
    ProvisionAnchor,
    Silence,
    Topic,
)
from provisions.search import BROAD_SHARE, DOCUMENTS, PROVISIONS, Ranking
from provisions.selectors import SearchResult

CONTEXT_CHARS = 300


class StanceSerializer(serializers.Serializer):
    slug = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, popped by the metaclass


class CategoryRefSerializer(serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = ["slug", "name"]
        read_only_fields = fields


class CategorySerializer(serializers.ModelSerializer[Category]):
    url = serializers.HyperlinkedIdentityField(view_name="category-detail", lookup_field="slug", read_only=True)
    topic: serializers.SlugRelatedField[Topic] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    stances = StanceSerializer(many=True, read_only=True)
    provision_count = serializers.IntegerField(read_only=True, help_text="Published provisions in this category.")
    platform_count = serializers.IntegerField(read_only=True, help_text="Platforms with a published provision.")
    comparison_url = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = [
            "slug",
            "url",
            "name",
            "topic",
            "question",
            "description",
            "stances",
            "opp115",
            "fideslang",
            "dpv",
            "provision_count",
            "platform_count",
            "comparison_url",
        ]
        read_only_fields = fields

    def get_comparison_url(self, category: Category) -> str:
        request = self.context.get("request")
        path = f"/api/v1/categories/{category.slug}/comparison/"
        return request.build_absolute_uri(path) if request else path


class TopicSerializer(serializers.ModelSerializer[Topic]):
    categories = CategoryRefSerializer(many=True, read_only=True)

    class Meta:
        model = Topic
        fields = ["slug", "name", "description", "categories"]
        read_only_fields = fields


class AnchorVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sha256 = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class ProvisionSerializer(serializers.ModelSerializer[Provision]):
    url = serializers.HyperlinkedIdentityField(view_name="provision-detail", lookup_field="code", read_only=True)
    document = DocumentRefSerializer(read_only=True)
    category = CategoryRefSerializer(read_only=True)
    secondary_categories: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    version = AnchorVersionSerializer(read_only=True, help_text="The archived version the quote is anchored in.")

    class Meta:
        model = Provision
        fields = [
            "code",
            "url",
            "document",
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
            "quote",
            "start",
            "end",
            "version",
            "published_at",
            "text_changed_at",
        ]
        read_only_fields = fields


class ProvisionDetailSerializer(ProvisionSerializer):
    context_before = serializers.SerializerMethodField(help_text="The version's text just before the quote.")
    context_after = serializers.SerializerMethodField(help_text="The version's text just after the quote.")

    class Meta(ProvisionSerializer.Meta):
        fields = [*ProvisionSerializer.Meta.fields, "context_before", "context_after"]
        read_only_fields = fields

    def get_context_before(self, provision: Provision) -> str:
        return provision.version.text[max(0, provision.start - CONTEXT_CHARS) : provision.start]

    def get_context_after(self, provision: Provision) -> str:
        return provision.version.text[provision.end : provision.end + CONTEXT_CHARS]


class ProvisionAnchorSerializer(serializers.ModelSerializer[ProvisionAnchor]):
    version = AnchorVersionSerializer(read_only=True)

    class Meta:
        model = ProvisionAnchor
        fields = ["version", "outcome", "quote", "start", "end", "similarity"]
        read_only_fields = fields


class SilenceSerializer(serializers.ModelSerializer[Silence]):
    document_type = serializers.CharField(source="document.document_type.slug", read_only=True)

    class Meta:
        model = Silence
        fields = ["version_id", "document_type", "note", "published_at"]
        read_only_fields = fields


class ComparisonDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    document_type = serializers.CharField()
    name = serializers.CharField()
    version = AnchorVersionSerializer(help_text="The version in force at `as_of`.")


class ComparisonRowSerializer(serializers.Serializer):
    platform = PlatformRefSerializer()
    status = serializers.ChoiceField(
        choices=["addressed", "not_addressed", "not_reviewed"],
        help_text="addressed: published provisions; not_addressed: a reviewed silence; not_reviewed: neither.",
    )
    stance = serializers.CharField(allow_null=True, help_text='The stance, "mixed" when provisions disagree.')
    provisions = ProvisionSerializer(many=True)
    silences = SilenceSerializer(many=True)
    documents = ComparisonDocumentSerializer(many=True)


class StanceCountSerializer(serializers.Serializer):
    stance = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, popped by the metaclass
    platforms = serializers.IntegerField()


class ComparisonSummarySerializer(serializers.Serializer):
    platforms = serializers.IntegerField()
    addressed = serializers.IntegerField()
    not_addressed = serializers.IntegerField()
    not_reviewed = serializers.IntegerField()
    by_stance = StanceCountSerializer(many=True)
    text = serializers.CharField()


class ComparisonCategorySerializer(serializers.ModelSerializer[Category]):
    stances = StanceSerializer(many=True, read_only=True)

    class Meta:
        model = Category
        fields = ["slug", "name", "question", "stances"]
        read_only_fields = fields


class ComparisonSerializer(serializers.Serializer):
    category = ComparisonCategorySerializer()
    as_of = serializers.DateField()
    summary = ComparisonSummarySerializer()
    rows = ComparisonRowSerializer(many=True)


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["provision", "document"])
    rank = serializers.FloatField(help_text="Relevance: higher is better (PostgreSQL ts_rank).")
    snippet = serializers.CharField(help_text="The matching passage, matches wrapped in <mark>…</mark>.")
    provision = ProvisionSerializer(allow_null=True, help_text="For a provision hit.")
    document = DocumentRefSerializer(allow_null=True, help_text="For a document hit: its current version matches.")
    version_id = serializers.IntegerField(allow_null=True)


RANKING_HELP = (
    "`all_matches`: every match was ranked. `newest_matches`: the query is broad (PostgreSQL expects it in more "
    f"than {BROAD_SHARE:.0%} of them, and in more than the number ranked), so only its newest matches were ranked: "
    f"the {PROVISIONS.candidates:,} most recently published provisions, the {DOCUMENTS.candidates:,} documents whose "
    "text in force was recorded last. Add words to narrow it."
)


class SearchRankingSerializer(serializers.Serializer):
    provisions = serializers.ChoiceField(choices=[r.value for r in Ranking], help_text=RANKING_HELP)
    documents = serializers.ChoiceField(choices=[r.value for r in Ranking], help_text=RANKING_HELP)


# One object, even though it answers a list action: the hits are inside it.
@extend_schema_serializer(many=False)
class SearchResultSerializer(serializers.Serializer):
    q = serializers.CharField()
    ranking = SearchRankingSerializer(help_text="How the hits of each kind were ranked.")
    results = SearchHitSerializer(many=True)


# The regulatory mapping.


class FrameworkSerializer(serializers.ModelSerializer[Framework]):
    url = serializers.HyperlinkedIdentityField(view_name="framework-detail", lookup_field="slug", read_only=True)
    article_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Framework
        fields = [
            "slug",
            "url",
            "name",
            "short_name",
            "jurisdiction",
            "citation",
            "official_url",
            "description",
            "article_count",
        ]
        read_only_fields = fields


class FrameworkRefSerializer(serializers.ModelSerializer[Framework]):
    class Meta:
        model = Framework
        fields = ["slug", "short_name"]
        read_only_fields = fields


class CategoryLinkSerializer(serializers.ModelSerializer[CategoryArticle]):
    category = CategoryRefSerializer(read_only=True)

    class Meta:
        model = CategoryArticle
        fields = ["category", "relation", "note"]
        read_only_fields = fields


class ArticleSerializer(serializers.ModelSerializer[Article]):
    framework = FrameworkRefSerializer(read_only=True)
    categories = CategoryLinkSerializer(
        source="category_links", many=True, read_only=True, help_text="Categories that relate to it, and how."
    )

    class Meta:
        model = Article
        fields = ["id", "framework", "citation", "title", "official_url", "dpv", "categories"]
        read_only_fields = fields


class ArticleRefSerializer(serializers.ModelSerializer[Article]):
    framework = serializers.CharField(source="framework.slug", read_only=True)

    class Meta:
        model = Article
        fields = ["id", "framework", "citation", "title"]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer[Finding]):
    provision = serializers.CharField(source="provision.code", read_only=True)
    reviewer = serializers.CharField(source="reviewer.get_username", read_only=True)

    class Meta:
        model = Finding
        fields = ["provision", "assessment", "rationale", "reviewer", "reviewed_at"]
        read_only_fields = fields


class ArticleProvisionSerializer(ProvisionSerializer):
    finding = serializers.SerializerMethodField(help_text="The reviewed finding against this article, if any.")

    class Meta(ProvisionSerializer.Meta):
        fields = [*ProvisionSerializer.Meta.fields, "finding"]
        read_only_fields = fields

    @extend_schema_field(FindingSerializer(allow_null=True))
    def get_finding(self, provision: Provision) -> dict[str, Any] | None:
        findings = getattr(provision, "article_findings", [])
        return dict(FindingSerializer(findings[0]).data) if findings else None


class ArticlePlatformSerializer(serializers.Serializer):
    platform = PlatformRefSerializer()
    provisions = ArticleProvisionSerializer(many=True)


@extend_schema_serializer(many=False)
class ArticleProvisionsSerializer(serializers.Serializer):
    article = ArticleRefSerializer()
    platforms = ArticlePlatformSerializer(many=True)


class MatrixCellSerializer(serializers.Serializer):
    article = serializers.IntegerField(source="article.id", help_text="The article's id (see `articles`).")
    status = serializers.ChoiceField(
        choices=["potentially_conflicts", "silent", "partially_addresses", "addresses", "none"],
        help_text="The cell at a glance: the gravest finding, or none.",
    )
    findings = FindingSerializer(many=True)


class MatrixRowSerializer(serializers.Serializer):
    platform = PlatformRefSerializer()
    cells = MatrixCellSerializer(many=True)


@extend_schema_serializer(many=False)
class MatrixSerializer(serializers.Serializer):
    framework = FrameworkRefSerializer()
    articles = ArticleRefSerializer(many=True)
    rows = MatrixRowSerializer(many=True)


# Exports.


class ExportMetaSerializer(serializers.Serializer):
    kind = serializers.CharField()
    generated_at = serializers.DateTimeField()
    query = serializers.DictField(child=serializers.CharField(allow_null=True))
    count = serializers.IntegerField()


@extend_schema_serializer(many=False)
class ExportSerializer(serializers.Serializer):
    export = ExportMetaSerializer()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text="One object per row, keyed by `columns`; in CSV, one line per row.",
    )


# Slim serialization for the large reads (a comparison across every platform, the provision list): the same
# JSON as ProvisionSerializer and ComparisonSerializer, built as plain dicts, several times faster than
# DRF's field machinery. tests/provisions/api/test_serializers.py holds them equal to the serializers.


def _moment(value: Any) -> str | None:
    """As DRF's DateTimeField renders it (ISO 8601 in UTC, the settings' zone, with a Z), at a tenth of the cost."""
    if value is None:
        return None
    text: str = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def document_ref_data(row: Mapping[str, Any]) -> dict[str, Any]:
    """DocumentRefSerializer's output from a row of selectors.document_refs (or of provision_rows)."""
    return {
        "id": row["document_id"],
        "name": Document.compose_display_name(
            name=row["document__name"],
            type_name=row["document__document_type__name"],
            jurisdiction=row["document__jurisdiction"],
            product_tier=row["document__product_tier"],
        ),
        "platform": {
            "id": row["document__platform_id"],
            "slug": row["document__platform__slug"],
            "name": row["document__platform__name"],
        },
        "document_type": {
            "id": row["document__document_type_id"],
            "slug": row["document__document_type__slug"],
            "name": row["document__document_type__name"],
        },
        "jurisdiction": row["document__jurisdiction"],
        "language": row["document__language"],
        "product_tier": row["document__product_tier"],
    }


def provision_data(row: dict[str, Any], *, provisions_url: str) -> dict[str, Any]:
    """ProvisionSerializer's output from a row of selectors.provision_rows; `provisions_url` is the absolute
    URL of /api/v1/provisions/."""
    return {
        "code": row["code"],
        "url": f"{provisions_url}{row['code']}/",
        "document": document_ref_data(row),
        "category": {"slug": row["category__slug"], "name": row["category__name"]},
        "secondary_categories": row["secondary"],
        "stance": row["stance"],
        "summary": row["summary"],
        "states": row["states"],
        "permits": row["permits"],
        "reserves": row["reserves"],
        "impact": row["impact"],
        "jurisdiction": row["jurisdiction"],
        "product_tier": row["product_tier"],
        "quote": row["quote"],
        "start": row["start"],
        "end": row["end"],
        "version": {
            "id": row["version_id"],
            "sha256": row["version__sha256"],
            "recorded_at": _moment(row["version__recorded_at"]),
        },
        "published_at": _moment(row["published_at"]),
        "text_changed_at": _moment(row["text_changed_at"]),
    }


def comparison_data(comparison: Any, *, provisions_url: str) -> dict[str, Any]:
    """ComparisonSerializer's output for a selectors.Comparison."""
    category = comparison.category
    return {
        "category": {
            "slug": category.slug,
            "name": category.name,
            "question": category.question,
            "stances": [{"slug": stance["slug"], "label": stance["label"]} for stance in category.stances],
        },
        "as_of": comparison.as_of.isoformat(),
        "summary": comparison.summary,
        "rows": [
            {
                "platform": {"id": row.platform.pk, "slug": row.platform.slug, "name": row.platform.name},
                "status": row.status,
                "stance": row.stance,
                "provisions": [provision_data(p, provisions_url=provisions_url) for p in row.provisions],
                "silences": [
                    {
                        "version_id": silence.version_id,
                        "document_type": silence.document.document_type.slug,
                        "note": silence.note,
                        "published_at": _moment(silence.published_at),
                    }
                    for silence in row.silences
                ],
                "documents": [
                    {
                        "id": document["id"],
                        "document_type": document["document_type"],
                        "name": document["name"],
                        "version": {
                            "id": document["version"]["id"],
                            "sha256": document["version"]["sha256"],
                            "recorded_at": _moment(document["version"]["recorded_at"]),
                        },
                    }
                    for document in row.documents
                ],
            }
            for row in comparison.rows
        ],
    }


def search_result_data(result: SearchResult, *, q: str, provisions_url: str) -> dict[str, Any]:
    """SearchResultSerializer's output for a selectors.SearchResult (provision hits built by provision_data)."""
    return {
        "q": q,
        "ranking": {kind: str(ranking) for kind, ranking in result.ranking.items()},
        "results": [
            {
                "kind": hit.kind,
                "rank": hit.rank,
                "snippet": hit.snippet,
                "provision": provision_data(hit.provision, provisions_url=provisions_url) if hit.provision else None,
                "document": document_ref_data(hit.document) if hit.document else None,
                "version_id": hit.version_id,
            }
            for hit in result.hits
        ],
    }
