import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_api_url_answers_in_the_error_shape(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_a_malformed_id_in_a_path_is_a_json_404(api_client):
    response = api_client.get("/api/v1/versions/1.5/")
    assert response.status_code == 404
    assert "error" in response.json()


def test_a_validation_error_names_each_field(api_client):
    body = api_client.get("/api/v1/versions/?since=soon&until=later").json()["error"]
    assert body["status"] == 400
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"since", "until"}
