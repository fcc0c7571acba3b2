import pytest

from tests.factories import authorised, keyed_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    rates = {"anonymous": "2/hour", "free": "4/hour", "professional": "6/hour", "staff": "6/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from rest_framework.settings import api_settings

    api_settings.reload()
    yield rates
    api_settings.reload()


def statuses(api, count: int) -> list[int]:
    return [api.get("/api/v1/platforms/").status_code for _ in range(count)]


def test_an_anonymous_client_over_its_limit_gets_429_with_retry_after(low_rates, api_client):
    assert statuses(api_client, 2) == [200, 200]
    refused = api_client.get("/api/v1/platforms/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert refused.json()["error"]["code"] == "throttled"


def test_each_tier_has_its_own_limit_counted_per_client(low_rates, api_client):
    _free, free_key = keyed_client(tier="free")
    _pro, pro_key = keyed_client(tier="professional")
    assert statuses(authorised(free_key), 5) == [200] * 4 + [429]
    assert statuses(authorised(pro_key), 7) == [200] * 6 + [429]
    # The keyed clients' requests did not use up the anonymous allowance of the same address.
    assert statuses(api_client, 2) == [200, 200]


def test_two_keys_of_one_client_share_its_allowance(low_rates):
    from monitoring.services import api_key_create

    client, first = keyed_client(tier="free")
    _key, second = api_key_create(client=client, name="second")
    assert statuses(authorised(first), 2) == [200, 200]
    assert statuses(authorised(second), 3) == [200, 200, 429]


def test_the_counter_is_one_cache_entry_per_client_and_window(low_rates):
    from django.core.cache import cache

    client, key = keyed_client(tier="free")
    statuses(authorised(key), 3)
    import time

    window = int(time.time() // 3600)
    assert cache.get(f"throttle:free:client:{client.pk}:{window}") == 3
