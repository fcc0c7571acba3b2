"""The seeded frameworks, articles and category links (migration 0007)."""

import pytest

from provisions.models import Article, CategoryArticle, Framework

pytestmark = pytest.mark.django_db


def test_the_seven_frameworks_are_seeded_with_articles_that_link_to_official_texts():
    assert set(Framework.objects.values_list("short_name", flat=True)) == {
        "GDPR", "UK GDPR", "CCPA/CPRA", "EU AI Act", "DSA", "COPPA", "LGPD",
    }  # fmt: skip
    for framework in Framework.objects.all():
        assert framework.articles.exists(), framework
    assert not Article.objects.exclude(official_url__startswith="https://").exists()
    assert {"Art. 50", "Art. 53"} <= set(
        Article.objects.filter(framework__slug="eu-ai-act").values_list("citation", flat=True)
    )


def test_training_relates_to_gdpr_articles_6_and_21_and_ai_act_article_53():
    links = {
        (link.article.framework.slug, link.article.citation): link.relation
        for link in CategoryArticle.objects.filter(category__slug="training-on-user-content").select_related(
            "article__framework"
        )
    }
    assert links[("gdpr", "Art. 6")] == "obligation"
    assert links[("gdpr", "Art. 21")] == "right_granted"
    assert links[("eu-ai-act", "Art. 53")] == "obligation"


def test_every_category_of_the_taxonomy_relates_to_some_article():
    from provisions.models import Category

    assert not Category.objects.filter(article_links__isnull=True).exists()
