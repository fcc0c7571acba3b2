"""The tracking pipeline: fetch and record (platforms), then relink (provisions) and alert (monitoring).

Relinking and alerting do not exist yet, so for now a run is fetch and record. The `track` command
and the background task both call `tracking_run`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import httpx

from platforms.archiving.fetching import fetch_client
from platforms.archiving.tracking import document_fetch
from platforms.models import Document


@dataclass
class TrackingSummary:
    checked: int = 0
    new_versions: int = 0
    unchanged: int = 0
    failed: int = 0
    failures: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        labels = ", ".join(f"{label}: {count}" for label, count in sorted(self.failures.items()))
        return (
            f"Checked {self.checked} documents: {self.new_versions} new versions, {self.unchanged} unchanged, "
            f"{self.failed} failed" + (f" ({labels})" if labels else "") + "."
        )


def tracking_run(
    *,
    documents: Iterable[Document],
    on_progress: Callable[[str], None] | None = None,
    client: httpx.Client | None = None,
) -> TrackingSummary:
    summary = TrackingSummary()
    own_client = client is None
    client = client or fetch_client()
    try:
        for document in documents:
            result = document_fetch(document=document, client=client)
            summary.checked += 1
            if result.version is not None:
                summary.new_versions += 1
                outcome = f"new version {result.version.pk}"
            elif result.check is not None and result.check.failure_label:
                summary.failed += 1
                label = result.check.failure_label
                summary.failures[label] = summary.failures.get(label, 0) + 1
                outcome = f"failed ({label}: {result.check.detail})"
            else:
                summary.unchanged += 1
                outcome = "unchanged"
            if on_progress:
                on_progress(f"{document}: {outcome}")
    finally:
        if own_client:
            client.close()
    return summary
