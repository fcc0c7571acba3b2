from datetime import UTC, datetime

import pytest

from platforms.models import DocumentType
from provisions.models import Category
from provisions.services import provision_create, provision_publish, provision_submit, silence_create, silence_publish
from tests.factories import DocumentFactory, PlatformFactory, UserFactory, version_chain

pytestmark = pytest.mark.django_db

TEXT = "## Training\n\nWe train our models on your conversations unless you opt out in settings.\n"


def curate(n: int, *, publish: bool = True, start_day: int = 1) -> None:
    training = Category.objects.get(slug="training-on-user-content")
    author, reviewer = UserFactory.create(username="author"), UserFactory.create(username="reviewer")
    platform = PlatformFactory.create(slug=f"p{n:03d}", name=f"P {n}")
    document = DocumentFactory.create(platform=platform)
    (version,) = version_chain(
        document=document, texts=[f"{TEXT}\nPlatform {n}.\n"], start=datetime(2025, 3, start_day, tzinfo=UTC)
    )
    provision = provision_create(
        version=version,
        quote="We train our models on your conversations unless you opt out",
        category=training,
        stance="opt-out",
        summary=f"Platform {n} trains unless you opt out.",
        author=author,
    )
    if publish:
        provision_submit(provision=provision, user=author)
        provision_publish(provision=provision, reviewer=reviewer)


def test_a_draft_provision_is_invisible_to_anonymous_calls(api_client):
    curate(1, publish=False)
    assert api_client.get("/api/v1/provisions/").json()["results"] == []
    assert api_client.get("/api/v1/provisions/CA-P-000001/").status_code == 404
    row = api_client.get("/api/v1/categories/training-on-user-content/comparison/").json()["rows"][0]
    assert row["status"] == "not_reviewed"


def test_a_published_provision_carries_its_anchor_and_context(api_client):
    curate(1)
    (row,) = api_client.get("/api/v1/provisions/?category=training-on-user-content").json()["results"]
    detail = api_client.get(row["url"]).json()
    assert detail["quote"].startswith("We train our models")
    assert detail["context_before"].endswith("## Training\n\n")
    assert len(detail["version"]["sha256"]) == 64
    assert "review_note" not in detail


def test_the_comparison_answers_every_platform_with_a_stance_a_silence_or_not_reviewed(api_client):
    curate(1)
    curate(2)
    silent_platform = PlatformFactory.create(slug="quiet")
    (quiet_version,) = version_chain(document=DocumentFactory.create(platform=silent_platform), texts=["Nothing."])
    silence = silence_create(
        version=quiet_version,
        category=Category.objects.get(slug="training-on-user-content"),
        author=UserFactory.create(),
    )
    silence_publish(silence=silence, reviewer=UserFactory.create())
    PlatformFactory.create(slug="unreviewed")
    body = api_client.get("/api/v1/categories/training-on-user-content/comparison/").json()
    statuses = {row["platform"]["slug"]: (row["status"], row["stance"]) for row in body["rows"]}
    assert statuses == {
        "p001": ("addressed", "opt-out"),
        "p002": ("addressed", "opt-out"),
        "quiet": ("not_addressed", None),
        "unreviewed": ("not_reviewed", None),
    }
    assert body["summary"]["by_stance"] == [
        {"stance": "opt-out", "label": "Trains unless the user opts out", "platforms": 2}
    ]
    assert "2 of 4 platforms" in body["summary"]["text"]


def test_the_comparison_as_of_a_past_date_and_for_chosen_platforms(api_client):
    curate(1, start_day=10)
    curate(2, start_day=1)
    past = api_client.get("/api/v1/categories/training-on-user-content/comparison/?as_of=2025-03-05").json()
    assert {row["platform"]["slug"]: row["status"] for row in past["rows"]} == {
        "p001": "not_reviewed",
        "p002": "addressed",
    }
    chosen = api_client.get("/api/v1/categories/training-on-user-content/comparison/?platforms=p002").json()
    assert [row["platform"]["slug"] for row in chosen["rows"]] == ["p002"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("platforms=p001,nope", "platforms"), ("as_of=yesterday", "as_of"), ("document_type=nope", "document_type")],
)
def test_bad_comparison_parameters_are_400s_naming_them(api_client, query, parameter):
    curate(1)
    response = api_client.get(f"/api/v1/categories/training-on-user-content/comparison/?{query}")
    assert response.status_code == 400
    assert parameter in response.json()["error"]["fields"]


def test_comparison_query_count_stays_constant_as_platforms_grow_tenfold(count_queries):
    for n in range(2):
        curate(n)
    _, few = count_queries("/api/v1/categories/training-on-user-content/comparison/")
    for n in range(2, 20):
        curate(n)
    response, many = count_queries("/api/v1/categories/training-on-user-content/comparison/")
    assert many == few
    assert response.json()["summary"]["addressed"] == 20


@pytest.mark.parametrize("url", ["/api/v1/provisions/", "/api/v1/categories/", "/api/v1/topics/"])
def test_list_query_counts_stay_constant(url, count_queries):
    for n in range(2):
        curate(n)
    _, few = count_queries(url)
    for n in range(2, 20):
        curate(n)
    _, many = count_queries(url)
    assert many == few


def test_a_search_runs_at_most_eight_queries_however_many_match(count_queries):
    # Sizes, then per kind an estimate and a ranking; the provisions kept (one query, with their categories)
    # and their versions with their documents (one); the documents kept with their highlights (one). A kind
    # with no hit kept reads nothing more. (Which RUM indexes exist is read once per process: warmed first.)
    for n in range(2):
        curate(n)
    count_queries("/api/v1/search/?q=train")
    response, few = count_queries("/api/v1/search/?q=train")
    assert {hit["kind"] for hit in response.json()["results"]} == {"provision", "document"}
    for n in range(2, 40):
        curate(n)
    response, many = count_queries("/api/v1/search/?q=train")
    assert len(response.json()["results"]) == 20
    assert few == 8
    assert many <= 8


def test_categories_count_published_provisions_and_platforms(api_client):
    curate(1)
    curate(2, publish=False)
    training = next(
        c
        for c in api_client.get("/api/v1/categories/?page_size=50").json()["results"]
        if c["slug"] == "training-on-user-content"
    )
    assert (training["provision_count"], training["platform_count"]) == (1, 1)
    assert len(api_client.get("/api/v1/categories/?page_size=50").json()["results"]) >= 16


def test_search_returns_highlighted_ranked_snippets(api_client):
    curate(1)
    body = api_client.get("/api/v1/search/?q=train").json()
    kinds = {hit["kind"] for hit in body["results"]}
    assert kinds == {"provision", "document"}
    assert all("<mark>" in hit["snippet"] for hit in body["results"])
    ranks = [hit["rank"] for hit in body["results"]]
    assert ranks == sorted(ranks, reverse=True)
    assert body["ranking"] == {"provisions": "all_matches", "documents": "all_matches"}


@pytest.mark.parametrize("q", ["!!!", "?", "...---"])
def test_a_punctuation_only_search_is_empty_not_an_error(api_client, q):
    curate(1)
    response = api_client.get("/api/v1/search/", {"q": q})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_search_without_q_is_a_400(api_client):
    assert api_client.get("/api/v1/search/").status_code == 400
    assert api_client.get("/api/v1/search/?q=x&limit=500").status_code == 400


def test_the_demo_curation_answers_the_training_comparison_for_every_demo_platform(api_client):
    from django.core.management import call_command

    from platforms.models import Version

    call_command("load_demo")
    body = api_client.get("/api/v1/categories/training-on-user-content/comparison/").json()
    assert {row["status"] for row in body["rows"]} <= {"addressed", "not_addressed"}
    assert len(body["rows"]) >= 10
    for row in body["rows"]:
        for provision in row["provisions"]:
            version = Version.objects.get(pk=provision["version"]["id"])
            assert version.sha256 == provision["version"]["sha256"]
            assert version.text[provision["start"] : provision["end"]] == provision["quote"]
    categories = {
        c["slug"] for c in api_client.get("/api/v1/categories/?page_size=50").json()["results"] if c["provision_count"]
    }
    assert len(categories) >= 6
    assert DocumentType.objects.exists()
