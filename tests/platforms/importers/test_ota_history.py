import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from platforms.importers.ota_history import history_import
from platforms.models import Check, Document, Version

pytestmark = pytest.mark.django_db


class Repository:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True)
        self.git("init", "--quiet", "--initial-branch=main")

    def git(self, *args: str, date: str = "2024-01-01T00:00:00+00:00") -> None:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "OTA",
            "GIT_AUTHOR_EMAIL": "bot@example.org",
            "GIT_COMMITTER_NAME": "OTA",
            "GIT_COMMITTER_EMAIL": "bot@example.org",
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_DATE": date,
        }
        subprocess.run(["git", "-C", str(self.path), *args], check=True, env=env, capture_output=True)

    def record(self, path: str, text: str, subject: str, date: str) -> None:
        target = self.path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self.git("add", "--all")
        self.git("commit", "--quiet", "--allow-empty", "-m", subject, date=date)


@pytest.fixture
def repository(tmp_path: Path) -> Repository:
    repo = Repository(tmp_path / "versions")
    repo.record("README.md", "# Versions\n", "Initial commit", "2023-09-01T10:00:00+02:00")
    repo.record(
        "Acme AI/Privacy Policy.md",
        "We keep data.\n",
        "First record of Acme AI Privacy Policy",
        "2023-10-01T10:00:00+02:00",
    )
    repo.record(
        "Acme AI/Terms of Service.md",
        "Be nice.\n",
        "First record of Acme AI Terms of Service",
        "2023-10-01T10:00:05+02:00",
    )
    repo.record(
        "Acme AI/Privacy Policy.md",
        "We keep data for a year.\n",
        "Record new changes of Acme AI Privacy Policy",
        "2023-11-01T00:00:00+00:00",
    )
    repo.record(
        "Acme AI/Privacy Policy.md",
        "We keep data for a year. \n\n",
        "Record new changes of Acme AI Privacy Policy",
        "2023-11-02T00:00:00+00:00",
    )
    repo.record(
        "Acme AI/Privacy Policy.md",
        "# Policy\n\nWe keep data for a year.\n",
        "Apply technical or declaration upgrade on Acme AI Privacy Policy",
        "2023-12-01T00:00:00+00:00",
    )
    repo.record(
        "Acme AI/Secret Sauce.md", "Shh.\n", "First record of Acme AI Secret Sauce", "2023-12-02T00:00:00+00:00"
    )
    return repo


def test_history_is_recorded_commit_by_commit_with_commit_dates_and_upgrades(repository):
    summary = history_import(path=repository.path)
    assert (summary.versions, summary.technical, summary.unchanged, summary.ignored) == (4, 1, 1, 2)
    assert summary.problems == ["unknown terms type 'Secret Sauce': its records are skipped"]
    privacy = Document.objects.get(platform__slug="acme-ai", document_type__slug="privacy-policy")
    versions = list(privacy.versions.order_by("recorded_at"))
    assert [v.recorded_at.isoformat() for v in versions] == [
        "2023-10-01T08:00:00+00:00",
        "2023-11-01T00:00:00+00:00",
        "2023-12-01T00:00:00+00:00",
    ]
    assert [v.technical for v in versions] == [False, False, True]
    assert Check.objects.get().checked_at.isoformat() == "2023-11-02T00:00:00+00:00"


def test_a_second_run_records_nothing_new(repository):
    history_import(path=repository.path)
    counts = (Version.objects.count(), Check.objects.count())
    summary = history_import(path=repository.path)
    assert (summary.versions, summary.unchanged, summary.skipped) == (0, 0, 5)
    assert (Version.objects.count(), Check.objects.count()) == counts


def test_a_bundle_file_is_read_like_a_repository(repository, tmp_path, capsys):
    bundle = tmp_path / "versions.bundle"
    repository.git("bundle", "create", str(bundle), "--all")
    call_command("import_ota_history", str(bundle), verbosity=0)
    assert capsys.readouterr().out.startswith("Read 6 records: 4 new versions (1 technical upgrades)")


@pytest.mark.parametrize("name", ["missing", "not-a-repo", "broken.bundle"])
def test_what_is_not_a_repository_is_a_clear_error(tmp_path, name):
    target = tmp_path / name
    if name == "not-a-repo":
        target.mkdir()
    elif name == "broken.bundle":
        target.write_bytes(b"garbage")
    with pytest.raises(CommandError, match=r"not a|neither"):
        call_command("import_ota_history", str(target))


def test_a_record_committed_after_a_later_dated_one_takes_its_place_by_date(tmp_path):
    repo = Repository(tmp_path / "late")
    repo.record(
        "Acme/Privacy Policy.md", "Version two.\n", "First record of Acme Privacy Policy", "2024-03-01T00:00:00+00:00"
    )
    repo.record(
        "Acme/Privacy Policy.md",
        "Version one.\n",
        "Record new changes of Acme Privacy Policy",
        "2024-02-01T00:00:00+00:00",
    )
    summary = history_import(path=repo.path)
    assert summary.problems == []
    versions = Version.objects.order_by("recorded_at")
    assert [v.text for v in versions] == ["Version one.\n", "Version two.\n"]
