from dataclasses import replace

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from provisions import checks, search
from tests.provisions.test_search import rum_installed

pytestmark = pytest.mark.django_db


def test_a_database_without_its_rum_search_indexes_is_warned_of(monkeypatch):
    monkeypatch.setattr(search, "PROVISIONS", replace(search.PROVISIONS, ranked_index="no_such_index"))
    (warning,) = checks.search_ranked_by_index_check(databases=["default"])
    assert warning.id == "provisions.W001"
    assert "no_such_index" in warning.msg
    assert "postgresql-15-rum" in str(warning.hint)


def test_a_database_with_them_passes():
    if not rum_installed():
        pytest.skip("the RUM extension is not installed here (Debian: postgresql-15-rum)")
    assert checks.search_ranked_by_index_check(databases=["default"]) == []


def test_the_check_runs_with_the_deploy_checks_of_a_named_database(monkeypatch):
    monkeypatch.setattr(search, "PROVISIONS", replace(search.PROVISIONS, ranked_index="no_such_index"))
    with pytest.raises(SystemCheckError, match=r"provisions\.W001"):
        call_command("check", "--deploy", "--database", "default", "--tag", "database", "--fail-level", "WARNING")
