import pytest

from provisions.models import Article
from provisions.services import finding_create, finding_review
from tests.factories import DocumentFactory, PlatformFactory, UserFactory, version_chain
from tests.provisions.test_relinking import published

pytestmark = pytest.mark.django_db

CLAUSE = "We train our models on your chats unless you opt out in settings."


def platform_with_finding(slug: str, assessment: str = "addresses", *, reviewed: bool = True):
    document = DocumentFactory.create(platform=PlatformFactory.create(slug=slug))
    (version,) = version_chain(document=document, texts=[f"# Terms of {slug}\n\n{CLAUSE}\n"])
    provision = published(version, CLAUSE, stance="opt-out")
    finding = finding_create(
        provision=provision,
        article=Article.objects.get(framework__slug="gdpr", citation="Art. 21"),
        assessment=assessment,
        rationale="An opt-out setting is the objection.",
        author=UserFactory.create(username="analyst"),
    )
    if reviewed:
        finding_review(finding=finding, reviewer=UserFactory.create(username="checker"))
    return provision


def test_frameworks_list_with_their_article_counts(api_client):
    body = api_client.get("/api/v1/frameworks/").json()
    gdpr = next(item for item in body if item["slug"] == "gdpr")
    assert gdpr["article_count"] >= 19
    assert gdpr["official_url"].startswith("https://eur-lex.europa.eu/")


def test_a_frameworks_articles_say_which_categories_relate_and_how(api_client):
    articles = api_client.get("/api/v1/frameworks/eu-ai-act/articles/").json()
    art53 = next(item for item in articles if item["citation"] == "Art. 53")
    assert {"category": {"slug": "training-on-user-content", "name": "Training AI models on user content"},
            "relation": "obligation", "note": art53["categories"][0]["note"]} in art53["categories"]  # fmt: skip
    assert api_client.get("/api/v1/frameworks/nope/articles/").status_code == 404


def test_articles_filter_by_framework_category_and_relation(api_client):
    url = "/api/v1/articles/?framework=gdpr&category=training-on-user-content&relation=right_granted"
    assert [item["citation"] for item in api_client.get(url).json()["results"]] == ["Art. 21"]
    assert api_client.get("/api/v1/articles/?framework=nope").status_code == 400


def test_the_matrix_shows_reviewed_findings_per_platform_and_article(api_client):
    platform_with_finding("alpha", "addresses")
    platform_with_finding("beta", "potentially_conflicts")
    platform_with_finding("gamma", "silent", reviewed=False)
    body = api_client.get("/api/v1/frameworks/gdpr/matrix/?platforms=alpha,beta,gamma").json()
    art21 = next(article["id"] for article in body["articles"] if article["citation"] == "Art. 21")
    status = {
        row["platform"]["slug"]: next(cell for cell in row["cells"] if cell["article"] == art21)["status"]
        for row in body["rows"]
    }
    assert status == {"alpha": "addresses", "beta": "potentially_conflicts", "gamma": "none"}
    alpha = next(row for row in body["rows"] if row["platform"]["slug"] == "alpha")
    (finding,) = next(cell for cell in alpha["cells"] if cell["article"] == art21)["findings"]
    assert finding["reviewer"] == "checker"
    assert api_client.get("/api/v1/frameworks/gdpr/matrix/?platforms=nope").status_code == 400


def test_the_matrix_runs_the_same_queries_for_tenfold_the_platforms(count_queries):
    platform_with_finding("p00")
    _response, few = count_queries("/api/v1/frameworks/gdpr/matrix/")
    for index in range(1, 10):
        platform_with_finding(f"p{index:02d}", "partially_addresses")
    response, many = count_queries("/api/v1/frameworks/gdpr/matrix/")
    assert len(response.json()["rows"]) == 10
    assert many == few


def test_an_articles_provisions_are_grouped_by_platform_with_their_finding(api_client, count_queries):
    provision = platform_with_finding("alpha")
    article = Article.objects.get(framework__slug="gdpr", citation="Art. 21")
    response, few = count_queries(f"/api/v1/articles/{article.pk}/provisions/")
    (group,) = response.json()["platforms"]
    assert group["platform"]["slug"] == "alpha"
    (item,) = group["provisions"]
    assert item["code"] == provision.code
    assert item["finding"]["assessment"] == "addresses"
    for index in range(5):
        platform_with_finding(f"more{index}")
    response, many = count_queries(f"/api/v1/articles/{article.pk}/provisions/")
    assert len(response.json()["platforms"]) == 6
    assert many == few
