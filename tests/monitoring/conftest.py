from collections.abc import Callable

import pytest

from platforms.archiving.recording import version_record
from platforms.models import Change, Document


@pytest.fixture
def record_change() -> Callable[..., Change]:
    """Record two texts as consecutive versions of a document and return the change between them."""

    def record(document: Document, before: str = "You may use the service.", after: str = "") -> Change:
        version_record(document=document, text=before, origin="fetched")
        result = version_record(document=document, text=after or before + " You must be polite.", origin="fetched")
        assert result.version is not None
        return Change.objects.get(version=result.version)

    return record


@pytest.fixture
def public_resolver() -> Callable[[str, int], list[str]]:
    """Resolves every host name to a public address, without any DNS query."""
    return lambda host, port: ["93.184.215.14"]
