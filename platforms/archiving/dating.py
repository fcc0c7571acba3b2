"""The dates a text states about itself: "Last updated: March 3, 2025", "Effective 1 May 2025"..."""

from __future__ import annotations

import re
from datetime import date, datetime

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
DATE = (
    rf"(?P<date>(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\.?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}/\d{1,2}/\d{4})"
)
# Markdown emphasis and punctuation may stand between the label and the date.
GAP = r"[\s:*_\-\u2013\u2014(),]*(?:on|as of|from)?[\s:*_]*"
UPDATED = re.compile(
    rf"(?:last\s+(?:updated|modified|revised)|updated|revised|date\s+of\s+last\s+revision){GAP}{DATE}", re.I
)
EFFECTIVE = re.compile(rf"(?:effective(?:\s+date)?|in\s+effect|takes\s+effect|effective\s+as\s+of){GAP}{DATE}", re.I)
HEAD, TAIL = 6000, 3000
FORMATS = ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d", "%m/%d/%Y")


def date_parse(raw: str) -> date | None:
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", raw).replace(",", " ").replace(".", " ")
    cleaned = re.sub(r"\bSept\b", "Sep", " ".join(cleaned.split()))
    for fmt in FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()  # noqa: DTZ007 - a calendar date, no time of day
        except ValueError:
            continue
    return None


def stated_dates_parse(*, text: str) -> tuple[date | None, date | None]:
    """(last updated, effective) as the text states them, or None where it states none."""
    # Documents state their dates near the top or at the very end; reading only there keeps this cheap.
    window = text if len(text) <= HEAD + TAIL else f"{text[:HEAD]}\n{text[-TAIL:]}"
    found: list[date | None] = []
    for pattern in (UPDATED, EFFECTIVE):
        match = pattern.search(window)
        found.append(date_parse(match.group("date")) if match else None)
    return found[0], found[1]
