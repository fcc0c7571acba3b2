from datetime import UTC, datetime, timedelta
from typing import Any

import factory
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from monitoring.models import ApiClient
from monitoring.services import api_key_create
from platforms.archiving.recording import text_sha256
from platforms.models import Check, Document, DocumentType, Platform, Source, Version


class PlatformFactory(factory.django.DjangoModelFactory[Platform]):
    class Meta:
        model = Platform
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"platform-{n}")
    name = factory.Sequence(lambda n: f"Platform {n}")
    provider = "Example Inc."
    website = "https://example.org"
    kind = Platform.Kind.ASSISTANT
    country = "US"


class DocumentFactory(factory.django.DjangoModelFactory[Document]):
    class Meta:
        model = Document

    platform = factory.SubFactory(PlatformFactory)
    document_type = factory.LazyFunction(lambda: DocumentType.objects.get(slug="privacy-policy"))


class SourceFactory(factory.django.DjangoModelFactory[Source]):
    class Meta:
        model = Source

    document = factory.SubFactory(DocumentFactory)
    url = factory.Sequence(lambda n: f"https://example.org/legal/{n}")
    position = factory.Sequence(lambda n: n)


def version_chain(*, document: Document, texts: list[str], start: datetime | None = None) -> list[Version]:
    """Record `texts` in order as the versions of `document`, one day apart (without the recording service)."""
    moment = start or datetime(2025, 1, 1, tzinfo=UTC)
    versions: list[Version] = []
    predecessor: Version | None = None
    for index, text in enumerate(texts):
        body = text if text.endswith("\n") else f"{text}\n"
        version = Version.objects.create(
            document=document,
            predecessor=predecessor,
            predecessor_sha256=predecessor.sha256 if predecessor else "",
            text=body,
            sha256=text_sha256(text=body),
            recorded_at=moment + timedelta(days=index),
            origin=Version.Origin.IMPORTED,
        )
        versions.append(version)
        predecessor = version
    if versions:
        Document.objects.filter(pk=document.pk).update(current_version=versions[-1])
        document.current_version = versions[-1]
    return versions


class CheckFactory(factory.django.DjangoModelFactory[Check]):
    class Meta:
        model = Check

    document = factory.SubFactory(DocumentFactory)
    checked_at = factory.LazyFunction(lambda: datetime(2025, 6, 1, tzinfo=UTC))
    outcome = Check.Outcome.FAILED
    failure_label = Check.FailureLabel.HTTP_404


class UserFactory(factory.django.DjangoModelFactory[Any]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"editor{n}")
    is_staff = True


class ApiClientFactory(factory.django.DjangoModelFactory[ApiClient]):
    class Meta:
        model = ApiClient

    name = factory.Sequence(lambda n: f"Client {n}")
    contact_email = factory.Sequence(lambda n: f"client{n}@example.org")
    tier = ApiClient.Tier.PROFESSIONAL


def keyed_client(*, tier: str = ApiClient.Tier.PROFESSIONAL, **fields: Any) -> tuple[ApiClient, str]:
    """A client and a fresh key of its, as `Api-Key <key>` wants it."""
    client = ApiClientFactory.create(tier=tier, **fields)
    _key, raw = api_key_create(client=client, name="test")
    return client, raw


def authorised(raw_key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    return api
