import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from provisions.models import Category
from provisions.services import provision_create, provision_publish, provision_submit
from tests.factories import DocumentFactory, PlatformFactory, UserFactory, version_chain

pytestmark = pytest.mark.django_db

URL = "/api/v1/categories/training-on-user-content/comparison/"
CLAUSE = "We train our models on your chats unless you opt out."


def get(api_client, url=URL, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(url, **headers)
    return response, len(queries)


def publish_on(platform_slug: str):
    document = DocumentFactory.create(platform=PlatformFactory.create(slug=platform_slug))
    (version,) = version_chain(document=document, texts=[f"# Terms\n\n{CLAUSE}\n"])
    author, reviewer = UserFactory.create(username="w"), UserFactory.create(username="r")
    provision = provision_create(
        version=version,
        quote=CLAUSE,
        category=Category.objects.get(slug="training-on-user-content"),
        stance="opt-out",
        summary="Trains unless you opt out.",
        author=author,
    )
    provision_submit(provision=provision, user=author)
    return provision_publish(provision=provision, reviewer=reviewer)


def test_a_repeated_comparison_is_served_from_the_cache_without_queries(api_client):
    publish_on("alpha")
    first, first_queries = get(api_client)
    second, second_queries = get(api_client)
    assert first.json() == second.json()
    assert first_queries > 0
    assert second_queries == 0


def test_a_conditional_request_is_a_304_before_any_query(api_client):
    publish_on("alpha")
    first, _ = get(api_client)
    response, queries = get(api_client, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304
    assert queries == 0


def test_publishing_a_provision_invalidates_the_cached_comparison(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish_on("alpha")
    before, _ = get(api_client)
    with django_capture_on_commit_callbacks(execute=True):
        publish_on("beta")
    after, queries = get(api_client)
    assert queries > 0
    assert after["ETag"] != before["ETag"]
    addressed = [row["platform"]["slug"] for row in after.json()["rows"] if row["status"] == "addressed"]
    assert addressed == ["alpha", "beta"]
    stale, _ = get(api_client, HTTP_IF_NONE_MATCH=before["ETag"])
    assert stale.status_code == 200


def test_the_cache_keys_on_the_query_string(api_client):
    publish_on("alpha")
    publish_on("beta")
    everyone, _ = get(api_client)
    only_beta, _ = get(api_client, URL + "?platforms=beta")
    assert len(everyone.json()["rows"]) == 2
    assert [row["platform"]["slug"] for row in only_beta.json()["rows"]] == ["beta"]


def test_the_provision_list_is_cached_until_a_provision_is_published(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish_on("alpha")
    first, _ = get(api_client, "/api/v1/provisions/")
    again, queries = get(api_client, "/api/v1/provisions/")
    assert queries == 0
    assert again.json() == first.json()
    with django_capture_on_commit_callbacks(execute=True):
        publish_on("beta")
    after, queries = get(api_client, "/api/v1/provisions/")
    assert queries > 0
    assert [row["document"]["platform"]["slug"] for row in after.json()["results"]] == ["beta", "alpha"]


def test_the_cache_keys_on_the_host_that_the_links_are_built_from(api_client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "api.example.org"]
    publish_on("alpha")
    local, _ = get(api_client, "/api/v1/provisions/")
    public, _ = get(api_client, "/api/v1/provisions/", HTTP_HOST="api.example.org")
    assert local.json()["results"][0]["url"].startswith("http://testserver/")
    assert public.json()["results"][0]["url"].startswith("http://api.example.org/")
