import pytest

from monitoring import webhooks
from monitoring.models import Alert, Watch
from monitoring.services import alerts_create, watch_create, webhook_create
from provisions.models import Category
from tests.factories import DocumentFactory, PlatformFactory, authorised, keyed_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_dns(monkeypatch, public_resolver):
    monkeypatch.setattr(webhooks, "system_resolve", public_resolver)


@pytest.fixture
def pro():
    client, raw = keyed_client()
    return client, authorised(raw)


# Who may.


def test_the_professional_endpoints_need_a_key(api_client):
    for url in ("/api/v1/watches/", "/api/v1/alerts/", "/api/v1/webhooks/"):
        response = api_client.get(url)
        assert response.status_code == 401
        assert "needs an API key" in response.json()["error"]["message"]


def test_a_free_key_is_forbidden_from_the_professional_endpoints():
    _client, raw = keyed_client(tier="free")
    response = authorised(raw).post("/api/v1/watches/", {"platform": PlatformFactory.create().slug}, format="json")
    assert response.status_code == 403
    assert "professional" in response.json()["error"]["message"]


def test_one_client_cannot_see_or_delete_anothers_watches_alerts_or_webhooks(record_change):
    owner, _owner_raw = keyed_client()
    _other, other_raw = keyed_client()
    intruder = authorised(other_raw)
    document = DocumentFactory.create()
    watch = watch_create(client=owner, platform=document.platform)
    (alert,) = alerts_create(change=record_change(document))
    endpoint, _secret = webhook_create(client=owner, url="https://hooks.example.com/a")
    for url in (f"/api/v1/watches/{watch.pk}/", f"/api/v1/alerts/{alert.pk}/", f"/api/v1/webhooks/{endpoint.pk}/"):
        assert intruder.get(url).status_code == 404
        assert intruder.delete(url).status_code in (404, 405)
    assert intruder.post(f"/api/v1/alerts/{alert.pk}/read/").status_code == 404
    assert intruder.post(f"/api/v1/webhooks/{endpoint.pk}/ping/").status_code == 404
    assert intruder.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").status_code == 404
    for url in ("/api/v1/watches/", "/api/v1/alerts/", "/api/v1/webhooks/"):
        assert intruder.get(url).json()["results"] == []
    assert Watch.objects.filter(pk=watch.pk).exists()


# Watches.


def test_a_client_watches_a_platform_a_document_and_a_category(pro):
    _client, api = pro
    platform = PlatformFactory.create()
    document = DocumentFactory.create()
    made = [
        api.post("/api/v1/watches/", {"platform": platform.slug}, format="json"),
        api.post("/api/v1/watches/", {"document": document.pk, "min_significance": "material"}, format="json"),
        api.post("/api/v1/watches/", {"category": "training-on-user-content"}, format="json"),
    ]
    assert [response.status_code for response in made] == [201, 201, 201]
    assert [response.json()["kind"] for response in made] == ["platform", "document", "category"]
    assert made[0].json()["min_significance"] == "substantive"
    assert made[1].json()["document"]["platform"]["slug"] == document.platform.slug
    listed = api.get("/api/v1/watches/").json()["results"]
    assert len(listed) == 3
    assert api.delete(f"/api/v1/watches/{made[0].json()['id']}/").status_code == 204
    assert len(api.get("/api/v1/watches/").json()["results"]) == 2


def test_an_eleventh_platform_is_a_400_that_states_the_limit(pro):
    _client, api = pro
    for index in range(10):
        platform = PlatformFactory.create(slug=f"p{index}")
        assert api.post("/api/v1/watches/", {"platform": platform.slug}, format="json").status_code == 201
    response = api.post("/api/v1/watches/", {"platform": PlatformFactory.create(slug="p10").slug}, format="json")
    assert response.status_code == 400
    assert "at most 10 platforms" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "non_field_errors"),
        ({"platform": "nope"}, "platform"),
        ({"document": 999999}, "document"),
        ({"platform": "x", "category": "y"}, "platform"),
        ({"category": "training-on-user-content", "min_significance": "huge"}, "min_significance"),
    ],
)
def test_a_bad_watch_is_a_400_naming_what_is_wrong(pro, body, field):
    _client, api = pro
    response = api.post("/api/v1/watches/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_the_watch_list_runs_the_same_queries_however_many_watches(pro, django_assert_max_num_queries):
    client, api = pro
    watch_create(client=client, document=DocumentFactory.create())
    with django_assert_max_num_queries(6) as few:
        api.get("/api/v1/watches/")
    for _ in range(4):
        watch_create(client=client, document=DocumentFactory.create())
        watch_create(client=client, platform=PlatformFactory.create())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/api/v1/watches/").json()["results"]) == 9


# Alerts.


def test_alerts_are_listed_newest_first_filtered_and_marked_read(pro, record_change):
    client, api = pro
    first_doc, second_doc = DocumentFactory.create(), DocumentFactory.create()
    watch_create(client=client, platform=first_doc.platform)
    watch_create(client=client, platform=second_doc.platform)
    (older,) = alerts_create(change=record_change(first_doc))
    (newer,) = alerts_create(change=record_change(second_doc))
    listed = api.get("/api/v1/alerts/").json()["results"]
    assert [item["id"] for item in listed] == [newer.pk, older.pk]
    assert listed[0]["summary"]["change"]["diff_url"]
    by_platform = api.get(f"/api/v1/alerts/?platform={first_doc.platform.slug}").json()["results"]
    assert [item["id"] for item in by_platform] == [older.pk]
    marked = api.post(f"/api/v1/alerts/{older.pk}/read/")
    assert marked.status_code == 200 and marked.json()["read"] is True
    assert [item["id"] for item in api.get("/api/v1/alerts/?read=false").json()["results"]] == [newer.pk]
    assert [item["id"] for item in api.get("/api/v1/alerts/?read=true").json()["results"]] == [older.pk]
    assert api.get("/api/v1/alerts/?min_significance=material").json()["results"] == []
    assert api.get("/api/v1/alerts/?significance=loud").status_code == 400


def test_the_alert_list_runs_the_same_queries_however_many_alerts(pro, record_change, django_assert_max_num_queries):
    client, api = pro
    document = DocumentFactory.create()
    watch_create(client=client, platform=document.platform)
    alerts_create(change=record_change(document))
    with django_assert_max_num_queries(6) as few:
        api.get("/api/v1/alerts/")
    for _ in range(4):
        other = DocumentFactory.create()
        watch_create(client=client, document=other)
        alerts_create(change=record_change(other))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/api/v1/alerts/").json()["results"]) == 5
    assert Alert.objects.count() == 5


# Webhooks.


def test_a_webhook_shows_its_secret_once(pro):
    _client, api = pro
    made = api.post("/api/v1/webhooks/", {"url": "https://hooks.example.com/in"}, format="json")
    assert made.status_code == 201
    assert made.json()["secret"].startswith("whsec_")
    shown = api.get(f"/api/v1/webhooks/{made.json()['id']}/").json()
    assert "secret" not in shown
    assert all("secret" not in item for item in api.get("/api/v1/webhooks/").json()["results"])


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.com/in", "https"),
        ("https://127.0.0.1/in", "loopback"),
        ("https://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://[::ffff:10.0.0.1]/in", "private"),
        ("https://user:pw@hooks.example.com/in", "user name"),
        ("not a url", "Enter a valid URL"),
    ],
)
def test_a_webhook_url_that_breaks_the_fetching_rules_is_a_400(pro, url, message):
    _client, api = pro
    response = api.post("/api/v1/webhooks/", {"url": url}, format="json")
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


def test_a_ping_queues_a_test_delivery_listed_with_the_endpoint(pro, django_capture_on_commit_callbacks, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    client, api = pro
    endpoint, _secret = webhook_create(client=client, url="https://hooks.example.com/in")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api.post(f"/api/v1/webhooks/{endpoint.pk}/ping/")
    assert response.status_code == 202
    assert response.json()["event_type"] == "ping"
    assert response.json()["status"] == "pending"
    assert len(callbacks) == 1  # the worker's task is queued once the delivery is committed
    listed = api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").json()["results"]
    assert [item["event_id"] for item in listed] == [response.json()["event_id"]]


def test_a_category_watch_needs_a_known_category(pro):
    _client, api = pro
    assert Category.objects.filter(slug="training-on-user-content").exists()
    response = api.post("/api/v1/watches/", {"category": "nothing-like-it"}, format="json")
    assert response.status_code == 400
