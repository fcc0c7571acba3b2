from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from monitoring.models import ApiKey
from monitoring.services import api_key_revoke
from tests.factories import ApiClientFactory, authorised, keyed_client

pytestmark = pytest.mark.django_db


def error_of(response) -> str:
    return response.json()["error"]["message"]


def test_a_valid_key_names_its_client_and_records_when_it_was_used():
    client, raw = keyed_client()
    response = authorised(raw).get("/api/v1/watches/")
    assert response.status_code == 200
    key = ApiKey.objects.get(client=client)
    assert key.last_used_at is not None


def test_a_wrong_secret_is_a_401_that_says_the_key_is_invalid():
    _client, raw = keyed_client()
    prefix = raw.partition(".")[0]
    response = authorised(f"{prefix}.{'x' * 32}").get("/api/v1/platforms/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert "Invalid API key" in error_of(response)


def test_an_unknown_prefix_is_a_401():
    response = authorised("abcdefgh.nothing-like-this").get("/api/v1/platforms/")
    assert response.status_code == 401
    assert "Invalid API key" in error_of(response)


@pytest.mark.parametrize("malformed", ["no-dot-at-all", "short.secret", "abcdefgh.", "abcdefgh.se cret"])
def test_a_malformed_key_is_a_401_that_says_so(malformed):
    response = authorised(malformed).get("/api/v1/platforms/")
    assert response.status_code == 401
    assert error_of(response).startswith("Malformed API key")


def test_a_revoked_key_is_a_401_that_says_it_was_revoked():
    client, raw = keyed_client()
    api_key_revoke(key=ApiKey.objects.get(client=client))
    response = authorised(raw).get("/api/v1/platforms/")
    assert response.status_code == 401
    assert "revoked" in error_of(response)


def test_an_expired_key_and_an_inactive_client_are_refused():
    client, raw = keyed_client()
    ApiKey.objects.filter(client=client).update(expiry_date=timezone.now() - timedelta(days=1))
    assert "expired" in error_of(authorised(raw).get("/api/v1/platforms/"))
    _other, other_raw = keyed_client(active=False)
    assert "deactivated" in error_of(authorised(other_raw).get("/api/v1/platforms/"))


def test_keys_are_stored_nowhere_in_the_database_in_plain_text():
    raws = [keyed_client()[1] for _ in range(3)]
    authorised(raws[0]).get("/api/v1/platforms/")
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        dump: list[str] = []
        for table in tables:
            cursor.execute(f'SELECT row_to_json(t)::text FROM "{table}" t')  # noqa: S608  # names from introspection
            dump.extend(row[0] for row in cursor.fetchall())
    everything = "\n".join(dump)
    for raw in raws:
        secret = raw.partition(".")[2]
        assert secret not in everything
        assert raw.partition(".")[0] in everything  # the prefix is kept, to find the key


def test_a_request_without_a_key_stays_anonymous_on_public_reads(api_client):
    ApiClientFactory.create()
    assert api_client.get("/api/v1/platforms/").status_code == 200
    assert error_of(authorised("").get("/api/v1/platforms/")).startswith("Malformed API key")
