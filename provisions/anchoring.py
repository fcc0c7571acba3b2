"""Finding a quote in a version's text, exactly, so that it can be anchored by offsets.

A quote pasted from a rendered page rarely has the archived Markdown's exact whitespace, so a
match that ignores runs of whitespace is accepted too; the anchor then holds the text as archived.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXT_CHARS = 60


class QuoteError(Exception):
    """The quote cannot be anchored; `occurrences` lists where it appears when it appears several times."""

    def __init__(self, message: str, occurrences: list[tuple[int, str]] | None = None) -> None:
        super().__init__(message)
        self.occurrences = occurrences or []


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def _matches(text: str, quote: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = text.find(quote)
    while position != -1:
        spans.append((position, position + len(quote)))
        position = text.find(quote, position + 1)
    if spans:
        return spans
    words = quote.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    return [(match.start(), match.end()) for match in pattern.finditer(text)]


def quote_anchor(*, text: str, quote: str, occurrence: int | None = None) -> Anchor:
    """Anchor `quote` in `text`. Several matches need `occurrence` (1-based), chosen from the error's list."""
    if not quote.strip():
        raise QuoteError("The quote is empty.")
    spans = _matches(text, quote.strip())
    if not spans:
        raise QuoteError("The quote is not in this version's text (even ignoring whitespace).")
    if len(spans) > 1 and occurrence is None:
        choices = [(index, _context(text, start, end)) for index, (start, end) in enumerate(spans, start=1)]
        raise QuoteError(f"The quote appears {len(spans)} times: choose which occurrence.", choices)
    if occurrence is not None and not 1 <= occurrence <= len(spans):
        raise QuoteError(f"There is no occurrence {occurrence}: the quote appears {len(spans)} times.")
    start, end = spans[(occurrence or 1) - 1]
    return Anchor(
        start=start,
        end=end,
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def _context(text: str, start: int, end: int) -> str:
    before = text[max(0, start - 40) : start].replace("\n", " ")
    after = text[end : end + 40].replace("\n", " ")
    return f"…{before}[{text[start:end][:80]}]{after}…"
