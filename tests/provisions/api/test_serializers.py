from dataclasses import replace

import pytest
from django.urls import reverse
from rest_framework.test import APIRequestFactory

from provisions.api.serializers import ComparisonSerializer, ProvisionSerializer, comparison_data, provision_data
from provisions.models import Category
from provisions.selectors import comparison_for_category, provision_list, provision_rows, provision_values
from provisions.services import silence_create, silence_publish
from tests.factories import DocumentFactory, PlatformFactory, UserFactory, version_chain
from tests.provisions.test_relinking import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def context():
    request = APIRequestFactory().get("/api/v1/")
    from rest_framework.request import Request

    return {"request": Request(request)}, request.build_absolute_uri(reverse("provision-list"))


def test_the_slim_provision_data_is_exactly_the_serializers_output(context):
    serializer_context, provisions_url = context
    document = DocumentFactory.create()
    (version,) = version_chain(document=document, texts=["# T\n\nWe train on your chats, unless you opt out.\n"])
    provision = published(version, "We train on your chats, unless you opt out.", stance="opt-out")
    # Added against the taxonomy's order: both must list them in its order.
    for category in reversed(Category.objects.exclude(slug="training-on-user-content")[:3]):
        provision.secondary_categories.add(category)
    loaded = provision_list().get(pk=provision.pk)
    expected = ProvisionSerializer(loaded, context=serializer_context).data
    (row,) = provision_rows(provision_values(provision_list().filter(pk=provision.pk)))
    assert provision_data(row, provisions_url=provisions_url) == expected


def test_the_slim_comparison_data_is_exactly_the_serializers_output(context):
    serializer_context, provisions_url = context
    for slug in ("alpha", "beta"):
        document = DocumentFactory.create(platform=PlatformFactory.create(slug=slug))
        (version,) = version_chain(document=document, texts=[f"# {slug}\n\nWe train on your chats.\n"])
        published(version, "We train on your chats.", stance="no-opt-out")
    quiet = DocumentFactory.create(platform=PlatformFactory.create(slug="gamma"))
    (version,) = version_chain(document=quiet, texts=["# gamma\n\nNothing on training.\n"])
    category = Category.objects.get(slug="training-on-user-content")
    silence = silence_create(version=version, category=category, author=UserFactory.create(username="s1"))
    silence_publish(silence=silence, reviewer=UserFactory.create(username="s2"))
    comparison = comparison_for_category(category=category)
    # The serializer, given the same rows as model instances, is the reference.
    models = {provision.code: provision for provision in provision_list()}
    as_models = replace(
        comparison,
        rows=[replace(row, provisions=[models[item["code"]] for item in row.provisions]) for row in comparison.rows],  # type: ignore[misc]
    )
    expected = ComparisonSerializer(as_models, context=serializer_context).data
    assert len([p for row in expected["rows"] for p in row["provisions"]]) == 2
    assert comparison_data(comparison, provisions_url=provisions_url) == expected


def test_a_document_hit_is_exactly_the_document_ref_serializers_output(context):
    from platforms.api.serializers import DocumentRefSerializer
    from platforms.archiving.recording import version_record
    from provisions.api.serializers import document_ref_data
    from provisions.selectors import search_run

    serializer_context, _ = context
    document = DocumentFactory.create(jurisdiction="EU", product_tier="enterprise")
    version_record(document=document, text="We keep pomegranates for a year.", origin="fetched")
    (hit,) = search_run(q="pomegranates").hits
    assert hit.document is not None
    expected = DocumentRefSerializer(document, context=serializer_context).data
    assert document_ref_data(hit.document) == expected
    assert expected["name"] != document.document_type.name  # the scope is in the name
