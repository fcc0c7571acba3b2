import json
from pathlib import Path

import pytest
from django.core.management import call_command

from platforms.importers.ota_declarations import declarations_import
from platforms.models import Document, Platform, Source

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[3].parent / "shared/datasets/ota-genai-declarations/declarations"

CLAUDE = {
    "name": "Claude.ai",
    "terms": {
        "Terms of Service": {"fetch": "https://www.anthropic.com/legal/consumer-terms", "select": ["main"]},
        "Acceptable Use Policy": {
            "select": "main",
            "combine": [
                {"fetch": "https://www.anthropic.com/legal/aup"},
                {"fetch": "https://support.anthropic.com/a", "select": [".article"], "remove": [".avatar"]},
            ],
        },
        "Data Processor Agreement": {
            "fetch": "https://trust.anthropic.com/subprocessors",
            "executeClientScripts": True,
            "select": [{"startBefore": "#table", "endBefore": "footer"}],
        },
    },
}


def write(directory: Path, name: str, data: object) -> None:
    (directory / name).write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")


def test_a_declaration_becomes_a_platform_with_documents_and_ordered_sources(tmp_path):
    write(tmp_path, "Claude.ai.json", CLAUDE)
    summary = declarations_import(directory=tmp_path)
    platform = Platform.objects.get(slug="claudeai")
    assert platform.name == "Claude.ai"
    assert summary.documents_created == 3
    aup = Document.objects.get(platform=platform, document_type__slug="acceptable-use-policy")
    first, second = aup.sources.order_by("position")
    assert (first.url, first.select, first.remove) == ("https://www.anthropic.com/legal/aup", ["main"], [])
    assert (second.select, second.remove) == ([".article"], [".avatar"])
    dpa = Document.objects.get(platform=platform, document_type__slug="data-processor-agreement")
    assert dpa.sources.get().execute_client_scripts


def test_importing_again_changes_nothing_and_an_edit_updates_in_place(tmp_path):
    write(tmp_path, "Claude.ai.json", CLAUDE)
    declarations_import(directory=tmp_path)
    ids = set(Source.objects.values_list("id", flat=True))
    again = declarations_import(directory=tmp_path)
    assert (again.platforms_created, again.documents_created, again.sources_written) == (0, 0, 0)
    edited = json.loads(json.dumps(CLAUDE))
    edited["terms"]["Acceptable Use Policy"]["combine"].pop()
    edited["terms"]["Terms of Service"]["select"] = ["article"]
    write(tmp_path, "Claude.ai.json", edited)
    summary = declarations_import(directory=tmp_path)
    assert (summary.sources_written, summary.sources_removed) == (1, 1)
    assert Source.objects.get(url__endswith="consumer-terms").select == ["article"]
    assert set(Source.objects.values_list("id", flat=True)) < ids


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not a readable JSON file"),
        ({"terms": {}}, "needs a 'name'"),
        ({"name": "X", "terms": {}}, "non-empty 'terms'"),
        ({"name": "X", "terms": {"Privacy Policy": {"select": ["main"]}}}, "needs a 'fetch' URL"),
        ({"name": "X", "terms": {"Privacy Policy": {"fetch": "ftp://x.org/p"}}}, "not an http(s) URL"),
        ({"name": "X", "terms": {"Privacy Policy": {"fetch": "https://x.org", "select": [3]}}}, "not a CSS selector"),
        (
            {"name": "X", "terms": {"Terms of Service": {"fetch": "https://x.org"}, "Privacy Policy": []}},
            "must be an object",
        ),
    ],
)
def test_a_malformed_file_is_reported_and_skipped_with_nothing_written(tmp_path, content, reason):
    write(tmp_path, "Bad.json", content)
    write(tmp_path, "Claude.ai.json", CLAUDE)
    summary = declarations_import(directory=tmp_path)
    assert len(summary.skipped_files) == 1
    assert summary.skipped_files[0].startswith("Bad.json: ")
    assert reason in summary.skipped_files[0]
    assert list(Platform.objects.values_list("slug", flat=True)) == ["claudeai"]


def test_an_unknown_terms_type_is_reported_and_the_rest_imported(tmp_path, capsys):
    data = {
        "name": "Acme",
        "terms": {"Secret Policy": {"fetch": "https://a.org/s"}, "Imprint": {"fetch": "https://a.org/i"}},
    }
    write(tmp_path, "Acme.json", data)
    call_command("import_ota_declarations", str(tmp_path))
    out = capsys.readouterr().out
    assert "Skipped Acme.json: unknown terms type 'Secret Policy', skipped" in out
    assert Document.objects.get().document_type.slug == "imprint"


def test_history_files_are_not_current_sources(tmp_path):
    write(tmp_path, "Claude.ai.history.json", {"Terms of Service": [{"fetch": "https://old", "validUntil": "2024"}]})
    assert declarations_import(directory=tmp_path).files == 0


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared datasets are not beside this checkout")
def test_every_shared_declaration_imports_or_says_why():
    summary = declarations_import(directory=SHARED)
    assert summary.files == len([p for p in SHARED.glob("*.json") if not p.name.endswith(".history.json")])
    assert Platform.objects.count() + len(summary.skipped_files) == summary.files
    assert Source.objects.count() > Document.objects.count() >= Platform.objects.count()
