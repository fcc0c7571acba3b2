"""The raw baseline answers with the project's result rows, so that the benchmark compares like with like."""

import orjson
import pytest
from django.db import connection
from psycopg.conninfo import make_conninfo
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from bench import baseline
from platforms.archiving.recording import version_record
from provisions.models import Category
from provisions.services import silence_create, silence_publish
from tests.factories import DocumentFactory, UserFactory, version_chain
from tests.provisions.test_relinking import published
from tests.provisions.test_search import analyze, few

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def raw(monkeypatch):
    """GET a path of the baseline app, on the test database."""
    settings = connection.settings_dict
    conninfo = make_conninfo(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or None
    )
    pool = ConnectionPool(conninfo, min_size=1, max_size=1, kwargs={"row_factory": dict_row}, open=False)
    monkeypatch.setattr(baseline, "pool", pool)
    monkeypatch.setattr(baseline, "BASE", "http://testserver")

    def get(path: str, query: str) -> dict:
        statuses = []
        body = baseline.application({"PATH_INFO": path, "QUERY_STRING": query}, lambda s, h: statuses.append(s))
        assert statuses == ["200 OK"]
        return orjson.loads(b"".join(body))

    yield get
    pool.close()


def corpus() -> None:
    document = DocumentFactory.create()
    (version,) = version_chain(
        document=document,
        texts=["# Terms\n\nWe train models on your content.\n\nYour content stays yours; we train nothing else.\n"],
    )
    published(version, "We train models on your content.")
    published(version, "Your content stays yours; we train nothing else.")
    other = DocumentFactory.create(jurisdiction="EU", product_tier="enterprise")
    version_record(
        document=other, text=f"{'Nothing here. ' * 300}\n\nOur models train on public content.\n", origin="fetched"
    )


@pytest.mark.parametrize("q", ["train", "content", "public content", "nothing-at-all"])
def test_the_baseline_search_returns_the_projects_hits(raw, api_client, q):
    corpus()
    project = api_client.get("/api/v1/search/", {"q": q}).json()
    assert raw("/search", f"q={q}") == project
    assert q == "nothing-at-all" or project["results"]


def test_the_baseline_ranks_a_broad_query_as_the_project_does(raw, api_client, monkeypatch):
    few(monkeypatch, 1)
    corpus()
    analyze()
    project = api_client.get("/api/v1/search/", {"q": "content"}).json()
    assert project["ranking"]["provisions"] == "newest_matches"
    assert raw("/search", "q=content") == project


def curated() -> None:
    """Two platforms that answer the training question, one with secondary categories, and one that is silent."""
    corpus()
    document = DocumentFactory.create()
    (version,) = version_chain(document=document, texts=["# Terms\n\nWe may train on chats unless you opt out.\n"])
    provision = published(version, "We may train on chats unless you opt out.")
    for category in reversed(Category.objects.exclude(slug="training-on-user-content")[:3]):
        provision.secondary_categories.add(category)
    quiet = DocumentFactory.create()
    (version,) = version_chain(document=quiet, texts=["# Terms\n\nNothing on training.\n"])
    training = Category.objects.get(slug="training-on-user-content")
    silence = silence_create(version=version, category=training, author=UserFactory.create(username="s1"))
    silence_publish(silence=silence, reviewer=UserFactory.create(username="s2"))


def test_the_baseline_comparison_is_the_projects(raw, api_client):
    curated()
    project = api_client.get("/api/v1/categories/training-on-user-content/comparison/").json()
    assert sum(len(row["provisions"]) for row in project["rows"]) == 3
    assert project["summary"]["not_addressed"] == 1
    assert raw("/comparison", "category=training-on-user-content") == project


def test_the_baseline_provision_page_is_the_projects(raw, api_client):
    curated()
    project = api_client.get("/api/v1/provisions/").json()
    assert len(project["results"]) == 3
    assert raw("/provisions", "")["results"] == project["results"]
