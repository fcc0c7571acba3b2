import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command

from provisions.exports import bundle_build, bundle_verify, provisions_for_export
from provisions.models import Article
from provisions.selectors import provision_list
from provisions.services import finding_create, finding_review
from tests.factories import DocumentFactory, UserFactory, version_chain
from tests.provisions.test_relinking import published

pytestmark = pytest.mark.django_db

TRICKY = 'We may share data, "as needed", with partners;\nthey may "train" on it.'


@pytest.fixture
def tricky_provision():
    document = DocumentFactory.create()
    (version,) = version_chain(document=document, texts=[f"# Privacy\n\nIntro é ünïcode.\n\n{TRICKY}\n"])
    provision = published(version, TRICKY)
    finding = finding_create(
        provision=provision,
        article=Article.objects.get(framework__slug="gdpr", citation="Art. 21"),
        assessment="silent",
        rationale="No way to object is given.",
        author=UserFactory.create(username="analyst"),
    )
    finding_review(finding=finding, reviewer=UserFactory.create(username="checker"))
    return provision


def bundle_of(provisions):
    return bundle_build(
        provisions=provisions_for_export(provision_list()).filter(pk__in=[p.pk for p in provisions]), query={}
    )


def test_a_bundle_holds_each_text_a_manifest_and_checksums_that_verify(tricky_provision):
    bundle = bundle_of([tricky_provision])
    archive = zipfile.ZipFile(io.BytesIO(bundle.content))
    manifest = json.loads(archive.read("manifest.json"))
    (entry,) = manifest["provisions"]
    text = archive.read(entry["text_file"])
    assert hashlib.sha256(text).hexdigest() == tricky_provision.version.sha256 == entry["version_sha256"]
    assert text.decode()[entry["quote_start"] : entry["quote_end"]] == TRICKY
    assert entry["reviewer"] == "r" and entry["author"] == "w"
    assert entry["findings"][0]["reviewer"] == "checker"
    assert bundle_verify(data=bundle.content).ok


def rewrite(data: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.namelist():
            content = source.read(item)
            target.writestr(item, change(content) if item == name else content)
    return out.getvalue()


def test_one_changed_byte_in_a_text_fails_verification(tricky_provision):
    bundle = bundle_of([tricky_provision])
    name = next(n for n in zipfile.ZipFile(io.BytesIO(bundle.content)).namelist() if n.startswith("versions/"))
    tampered = rewrite(bundle.content, name, lambda content: content.replace(b"share", b"shore", 1))
    report = bundle_verify(data=tampered)
    assert not report.ok
    assert any("checksum mismatch" in problem for problem in report.problems)


def test_a_manifest_quote_that_is_not_in_the_text_fails_even_with_fresh_checksums(tricky_provision):
    bundle = bundle_of([tricky_provision])

    def forge(content: bytes) -> bytes:
        manifest = json.loads(content)
        manifest["provisions"][0]["quote"] = "We never share data."
        return json.dumps(manifest).encode()

    forged = rewrite(bundle.content, "manifest.json", forge)
    # Recompute SHA256SUMS, as a forger would: the quote check still catches it.
    files = {n: zipfile.ZipFile(io.BytesIO(forged)).read(n) for n in zipfile.ZipFile(io.BytesIO(forged)).namelist()}
    sums = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in sorted(files.items()) if n != "SHA256SUMS")
    forged = rewrite(forged, "SHA256SUMS", lambda _content: sums.encode())
    report = bundle_verify(data=forged)
    assert any("the quote is not the text" in problem for problem in report.problems)


def test_the_demo_training_bundle_verifies_with_the_command_and_sha256sum(tmp_path, capsys):
    import shutil
    import subprocess

    call_command("load_demo")
    training = provision_list().filter(category__slug="training-on-user-content")
    bundle = bundle_of(list(training))
    path = tmp_path / "bundle.zip"
    path.write_bytes(bundle.content)
    call_command("verify_bundle", str(path))
    assert "verified" in capsys.readouterr().out
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(path).extractall(unpacked)
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=unpacked, check=True)
    text = next((unpacked / "versions").rglob("*.md"))
    data = bytearray(text.read_bytes())
    data[10] = (data[10] + 1) % 256
    text.write_bytes(bytes(data))
    if shutil.which("sha256sum"):
        failed = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=unpacked, capture_output=True)
        assert failed.returncode != 0
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as archive:
        for file in sorted(unpacked.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(unpacked).as_posix())
    with pytest.raises(Exception, match="does not verify"):
        call_command("verify_bundle", str(tampered))


def test_csv_rows_quote_commas_quotes_and_newlines_so_a_spreadsheet_reads_them_back(tricky_provision):
    from conductatlas.api.renderers import CsvRenderer
    from provisions.exports import PROVISION_COLUMNS, provision_row

    row = provision_row(provisions_for_export(provision_list()).get(pk=tricky_provision.pk))
    rendered = CsvRenderer().render({"columns": PROVISION_COLUMNS, "rows": [row]})
    records = list(csv.DictReader(io.StringIO(rendered.decode("utf-8-sig"), newline="")))
    (record,) = records
    assert record["quote"] == TRICKY
    assert record["findings"].startswith("GDPR Art. 21: silent (by analyst, reviewed by checker on ")
