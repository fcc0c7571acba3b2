import pytest
from django.core.management import CommandError, call_command

from monitoring.models import ApiClient, ApiKey
from tests.factories import authorised

pytestmark = pytest.mark.django_db


def test_create_api_key_makes_the_client_and_prints_a_working_key_once(capsys):
    call_command("create_api_key", "Acme Research", "--email", "ops@acme.example", "--tier", "professional")
    out, err = capsys.readouterr()
    raw = out.strip()
    client = ApiClient.objects.get(name="Acme Research")
    assert client.tier == "professional"
    assert "not shown again" in err
    assert authorised(raw).get("/api/v1/watches/").status_code == 200
    assert ApiKey.objects.get(client=client).hashed_key != raw


def test_create_api_key_for_an_unknown_client_without_email_fails_in_one_line():
    with pytest.raises(CommandError, match="No client named 'Nobody': give --email"):
        call_command("create_api_key", "Nobody")


def test_revoke_api_key_turns_the_key_into_a_401(capsys):
    call_command("create_api_key", "Acme", "--email", "a@acme.example")
    raw = capsys.readouterr().out.strip()
    call_command("revoke_api_key", raw.partition(".")[0])
    assert authorised(raw).get("/api/v1/platforms/").status_code == 401
    with pytest.raises(CommandError, match="already revoked"):
        call_command("revoke_api_key", raw.partition(".")[0])
    with pytest.raises(CommandError, match="No API key"):
        call_command("revoke_api_key", "zzzzzzzz")
