import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from platforms.models import Version


def test_database_reachable_names_the_fix_when_postgresql_is_down():
    with pytest.raises(CommandError, match="TEST_DATABASE_URL="):
        call_command("database_reachable", url="postgres://postgres@127.0.0.1:1/conductatlas")


def test_database_reachable_passes_on_the_test_server():
    call_command("database_reachable")


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_creates_one_admin(capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    assert "password" in first
    versions = Version.objects.count()
    call_command("load_demo")
    second = capsys.readouterr().out
    assert "Nothing new" in second
    assert Version.objects.count() == versions
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
