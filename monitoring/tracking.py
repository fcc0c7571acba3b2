"""The tracking pipeline: fetch and record (platforms), then relink (provisions) and alert (monitoring).

Relinking runs inside the recording transaction (the `version_recorded` signal), so when a fetch returns
a new version its change already lists the provisions affected, and alerting follows in the same run.
The `track` command, the admin's "fetch now" and the background task all call `tracking_run`; the
importers record history without it, so historical backfills alert nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import httpx

from monitoring.services import alerts_create
from platforms.archiving.fetching import fetch_client
from platforms.archiving.tracking import document_fetch
from platforms.models import Change, Document


@dataclass
class TrackingSummary:
    checked: int = 0
    new_versions: int = 0
    alerts: int = 0
    unchanged: int = 0
    failed: int = 0
    failures: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        labels = ", ".join(f"{label}: {count}" for label, count in sorted(self.failures.items()))
        return (
            f"Checked {self.checked} documents: {self.new_versions} new versions ({self.alerts} alerts), "
            f"{self.unchanged} unchanged, "
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
                change = Change.objects.filter(version=result.version).first()
                if change is not None:
                    summary.alerts += len(alerts_create(change=change))
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
