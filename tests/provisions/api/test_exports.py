import csv
import io
import zipfile

import pytest

from provisions.exports import bundle_verify
from tests.factories import authorised, keyed_client
from tests.provisions.api.test_regulation import CLAUSE, platform_with_finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def pro():
    return authorised(keyed_client()[1])


def test_exports_are_for_professional_keys(api_client):
    url = "/api/v1/exports/provisions/?platform=alpha"
    assert api_client.get(url).status_code == 401
    assert authorised(keyed_client(tier="free")[1]).get(url).status_code == 403


def test_a_platforms_provisions_export_as_json_with_the_audit_trail(pro):
    provision = platform_with_finding("alpha")
    body = pro.get("/api/v1/exports/provisions/?platform=alpha").json()
    assert body["export"]["kind"] == "provisions"
    assert body["export"]["count"] == 1
    (row,) = body["rows"]
    assert (row["code"], row["quote"], row["author"], row["reviewer"]) == (provision.code, CLAUSE, "w", "r")
    assert row["version_sha256"] == provision.version.sha256
    assert row["findings"][0]["reviewer"] == "checker"


@pytest.mark.parametrize("how", ["format", "accept"])
def test_a_comparison_exports_as_csv_one_row_per_provision(pro, how):
    for slug in ("alpha", "beta", "gamma"):
        platform_with_finding(slug)
    url = "/api/v1/exports/comparison/?category=training-on-user-content"
    response = pro.get(url + "&format=csv") if how == "format" else pro.get(url, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert [row["platform"] for row in rows] == ["alpha", "beta", "gamma"]
    assert {row["quote"] for row in rows} == {CLAUSE}


def test_timeline_and_search_export(pro):
    platform_with_finding("alpha")
    timeline = pro.get("/api/v1/exports/timeline/?platform=alpha").json()
    assert timeline["rows"][0]["kind"] == "first_record"
    search = pro.get("/api/v1/exports/search/?q=train&format=csv")
    assert search.status_code == 200
    assert "alpha" in search.content.decode()


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/exports/provisions/", "platform"),
        ("/api/v1/exports/provisions/?platform=nope", "platform"),
        ("/api/v1/exports/comparison/", "category"),
        ("/api/v1/exports/comparison/?category=training-on-user-content&as_of=yesterday", "as_of"),
        ("/api/v1/exports/provisions/?platform=alpha&platfrom=beta", "platfrom"),
        ("/api/v1/exports/evidence/?platform=alpha&category=training-on-user-content", "category"),
        ("/api/v1/exports/search/?q=", "q"),
    ],
)
def test_bad_export_parameters_are_400s_naming_them(pro, url, parameter):
    platform_with_finding("alpha")
    response = pro.get(url)
    assert response.status_code == 400
    assert parameter in response.json()["error"]["fields"]


def test_the_evidence_bundle_of_a_comparison_downloads_and_verifies(pro):
    for slug in ("alpha", "beta"):
        platform_with_finding(slug)
    response = pro.get("/api/v1/exports/evidence/?category=training-on-user-content")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {"manifest.json", "SHA256SUMS"} <= set(archive.namelist())
    report = bundle_verify(data=response.content)
    assert report.ok and report.provisions == 2


def test_the_comparison_export_runs_the_same_queries_for_more_platforms(pro, django_assert_max_num_queries):
    platform_with_finding("p0")
    url = "/api/v1/exports/comparison/?category=training-on-user-content"
    with django_assert_max_num_queries(30) as few:
        pro.get(url)
    for index in range(1, 6):
        platform_with_finding(f"p{index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(pro.get(url).json()["rows"]) == 6
