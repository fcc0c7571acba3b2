import django_filters
from django.db.models import Q, QuerySet

from conductatlas.api.filtering import SinceFilter, slug_filter
from platforms.models import DocumentType, Platform
from provisions.models import Article, Category, Framework, Impact, Provision, Relation


class CategoryFilterSet(django_filters.FilterSet):
    topic = django_filters.CharFilter(field_name="topic__slug", help_text="The topic's slug.")
    q = django_filters.CharFilter(method="filter_q", help_text="Text in the name, question or description.")

    class Meta:
        model = Category
        fields = ["topic", "q"]

    def filter_q(self, queryset: QuerySet[Category], name: str, value: str) -> QuerySet[Category]:
        return queryset.filter(
            Q(name__icontains=value) | Q(question__icontains=value) | Q(description__icontains=value)
        )


class ProvisionFilterSet(django_filters.FilterSet):
    platform = slug_filter(field_name="document__platform", queryset=Platform.objects.all(), noun="platform")
    category = slug_filter(field_name="category", queryset=Category.objects.all(), noun="category")
    document_type = slug_filter(
        field_name="document__document_type", queryset=DocumentType.objects.all(), noun="document type"
    )
    stance = django_filters.CharFilter(field_name="stance", help_text="A stance slug of the category.")
    impact = django_filters.ChoiceFilter(choices=Impact.choices)
    since = SinceFilter(field_name="published_at", help_text="Published on or after (ISO 8601 date or date-time).")

    class Meta:
        model = Provision
        fields = ["platform", "category", "document_type", "stance", "impact", "since"]


class ArticleFilterSet(django_filters.FilterSet):
    framework = slug_filter(field_name="framework", queryset=Framework.objects.all(), noun="framework")
    category = django_filters.ModelChoiceFilter(
        field_name="categories",
        queryset=Category.objects.all(),
        to_field_name="slug",
        help_text="Articles that this category (slug) relates to.",
        distinct=True,
        error_messages={"invalid_choice": "No category with slug %(value)r."},
    )
    relation = django_filters.ChoiceFilter(
        field_name="category_links__relation",
        choices=Relation.choices,
        help_text="Only links of this kind.",
        distinct=True,
    )

    class Meta:
        model = Article
        fields = ["framework", "category", "relation"]
