import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from platforms.importers.dataset import DatasetError, dataset_import
from platforms.models import Document, Platform, Version

pytestmark = pytest.mark.django_db


def write(root: Path, relative: str, content: str | bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    write(tmp_path, "Acme AI/Privacy Policy/2024-03-01.md", "We keep your data.\n")
    write(tmp_path, "Acme AI/Privacy Policy/2024-01-15.md", "We keep your data for a year.\n")
    write(tmp_path, "Acme AI/terms-of-use/2024-02-01T10:30:00Z.md", "Be nice.\n")
    return tmp_path


def test_import_creates_platforms_documents_and_versions_in_date_order(dataset: Path):
    summary = dataset_import(root=dataset)
    assert summary.created == 3
    platform = Platform.objects.get(slug="acme-ai")
    assert platform.name == "Acme AI"
    privacy = Document.objects.get(platform=platform, document_type__slug="privacy-policy")
    first, second = privacy.versions.order_by("recorded_at")
    assert first.text == "We keep your data for a year.\n"
    assert second.predecessor == first
    assert privacy.current_version == second
    terms = Document.objects.get(platform=platform, document_type__slug="terms-of-service")
    assert terms.current_version is not None
    assert terms.current_version.recorded_at.isoformat() == "2024-02-01T10:30:00+00:00"
    assert Version.objects.filter(origin=Version.Origin.IMPORTED).count() == 3


def test_a_second_import_creates_nothing_and_says_so(dataset: Path):
    dataset_import(root=dataset)
    summary = dataset_import(root=dataset)
    assert summary.created == 0
    assert summary.skipped == 3
    assert summary.line() == "Nothing new: all 3 files were already imported."
    assert Version.objects.count() == 3


def test_the_command_prints_a_summary_line(dataset: Path, capsys: pytest.CaptureFixture[str]):
    call_command("import_versions", str(dataset))
    out = capsys.readouterr().out
    assert "Imported 3 new versions" in out
    assert "1 platforms" in out


def test_metadata_names_platforms_and_maps_folders_to_a_type_and_scope(tmp_path: Path):
    write(tmp_path, "acme/privacy-policy-eu/2024-01-01.md", "EU privacy.\n")
    metadata = {
        "platforms": {"acme": {"name": "Acme Assistant", "kind": "assistant", "country": "FR"}},
        "documents": {"acme/privacy-policy-eu": {"document_type": "privacy-policy", "jurisdiction": "EU"}},
    }
    (tmp_path / "platforms.json").write_text(json.dumps(metadata))
    dataset_import(root=tmp_path)
    document = Document.objects.get()
    assert document.platform.name == "Acme Assistant"
    assert document.platform.country == "FR"
    assert (document.document_type.slug, document.jurisdiction) == ("privacy-policy", "EU")


@pytest.mark.parametrize(
    ("relative", "content", "problem"),
    [
        ("Acme/Secret Sauce Policy/2024-01-01.md", "text", "unknown terms type 'Secret Sauce Policy'"),
        ("Acme/Privacy Policy/last-tuesday.md", "text", "'last-tuesday' is not an ISO 8601 date"),
        ("Acme/Privacy Policy/2024-13-45.md", "text", "'2024-13-45' is not an ISO 8601 date"),
        ("Acme/Privacy Policy/2024-01-01.md", b"caf\xe9 latin-1", "not UTF-8 text"),
        ("Acme/Privacy Policy/2024-01-01.md", "  \n\n", "empty file"),
        ("Acme/Privacy Policy/2024-01-01.txt", "text", "not a .md file"),
    ],
)
def test_a_bad_file_refuses_the_whole_import_with_a_clear_line(
    dataset: Path, relative: str, content: str | bytes, problem: str
):
    write(dataset, relative, content)
    with pytest.raises(DatasetError, match=problem):
        dataset_import(root=dataset)
    assert not Version.objects.exists()
    assert not Platform.objects.exists()


def test_the_command_exits_non_zero_on_bad_input(dataset: Path):
    write(dataset, "Acme/Privacy Policy/yesterday.md", "text")
    with pytest.raises(CommandError, match="yesterday"):
        call_command("import_versions", str(dataset))
    assert not Version.objects.exists()


def test_a_missing_directory_is_a_clear_error(tmp_path: Path):
    with pytest.raises(DatasetError, match="is not a directory"):
        dataset_import(root=tmp_path / "nowhere")


def test_an_out_of_order_file_added_later_is_refused_and_leaves_the_archive_intact(dataset: Path):
    dataset_import(root=dataset)
    write(dataset, "Acme AI/Privacy Policy/2023-06-01.md", "An older text found later.\n")
    with pytest.raises(DatasetError, match="recorded later"):
        dataset_import(root=dataset)
    assert Version.objects.count() == 3


def test_the_demo_data_imports_at_least_ten_platforms_with_two_versions_per_document():
    call_command("load_demo")
    assert Platform.objects.count() >= 10
    for document in Document.objects.all():
        assert document.versions.count() >= 2, document
