"""Carrying a provision's anchor from one version of a document to the next.

The steps, in order, stop at the first that finds the clause:

1. the exact quote (unique, or the occurrence nearest its old relative position): `unchanged` when
   the text just before or just after it is the same as before, `moved` when neither is;
2. the quote ignoring whitespace, punctuation and letter case: `unchanged` / `moved` likewise, the
   anchor taking the new spelling;
3. the old prefix and suffix still standing around some new text at least CONTEXT_MIN_SIMILARITY
   alike: `modified`, the quote being what now lies between them;
4. a fuzzy match (rapidfuzz's partial ratio) within the same section (the old heading's section in
   the new text, or the whole text when that heading is gone), accepted from FUZZY_THRESHOLD: `modified`;
   failing that, the section's paragraph most like the quote's old paragraph, from PARAGRAPH_THRESHOLD
   (PARAGRAPH_THRESHOLD_SAME_OPENING when both open with the same words),
   the quote being the best-aligned part of it: `modified`;
5. the paragraph anywhere in the new text that best contains the quote (partial ratio from
   FUZZY_THRESHOLD), for a clause reworded and moved to another section: `modified`;

and otherwise `removed`. Every provision gets exactly one outcome.

This module is the pure algorithm; `provisions.services.provisions_relink` applies it whenever a version
is recorded and keeps each outcome as a `ProvisionAnchor`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from provisions.anchoring import CONTEXT_CHARS

FUZZY_THRESHOLD = 80.0
# A paragraph rewritten around the clause still counts as its successor from this ratio, or from the
# lower one when it opens with the same words (a clause title such as "Our use of Materials").
PARAGRAPH_THRESHOLD = 60.0
PARAGRAPH_THRESHOLD_SAME_OPENING = 40.0
CONTEXT_PROBE = 30
CONTEXT_MIN_SIMILARITY = 40.0
HEADING = re.compile(r"^(#{1,6})\s+.*$", re.MULTILINE)
NORMAL = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Relink:
    outcome: str  # unchanged, moved, modified, removed
    start: int | None = None
    end: int | None = None
    quote: str = ""
    similarity: float = 0.0


def _context_matches(text: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    """Beside the same text on at least one side: the clause stayed where it was, whatever changed nearby.

    A context cut short by the edge of the text only matches at the same distance from that edge.
    """
    before = text[max(0, start - len(prefix)) : start]
    after = text[end : end + len(suffix)]
    same_before = before == prefix and (len(prefix) >= CONTEXT_CHARS or start == len(prefix))
    same_after = after == suffix and (len(suffix) >= CONTEXT_CHARS or end + len(suffix) == len(text))
    return same_before or same_after


def _found(text: str, start: int, end: int, prefix: str, suffix: str, similarity: float = 100.0) -> Relink:
    outcome = "unchanged" if _context_matches(text, start, end, prefix, suffix) else "moved"
    return Relink(outcome, start, end, text[start:end], similarity)


def _nearest(starts: list[int], wanted: float) -> int:
    return min(starts, key=lambda start: abs(start - wanted))


def _normalised_index(text: str) -> tuple[str, list[int]]:
    """The text lowercased with runs of non-word characters as one space, and each character's origin."""
    chars: list[str] = []
    origins: list[int] = []
    for match in re.finditer(r"\w+|[\W_]+", text):
        if match.group(0)[0].isalnum():
            for offset, char in enumerate(match.group(0).lower()):
                chars.append(char)
                origins.append(match.start() + offset)
        elif chars and chars[-1] != " ":
            chars.append(" ")
            origins.append(match.start())
    return "".join(chars), origins


def _section_bounds(old_text: str, old_start: int, new_text: str) -> tuple[int, int]:
    headings = [m for m in HEADING.finditer(old_text) if m.start() <= old_start]
    if not headings:
        return 0, len(new_text)
    heading = headings[-1]
    position = new_text.find(heading.group(0))
    if position < 0:
        return 0, len(new_text)
    level = len(heading.group(1))
    for following in HEADING.finditer(new_text, position + len(heading.group(0))):
        if len(following.group(1)) <= level:
            return position, following.start()
    return position, len(new_text)


def _paragraph_around(text: str, start: int, end: int) -> tuple[int, int]:
    paragraph_start = text.rfind("\n\n", 0, start)
    paragraph_end = text.find("\n\n", end)
    return (0 if paragraph_start < 0 else paragraph_start + 2), (len(text) if paragraph_end < 0 else paragraph_end)


def _opening(paragraph: str) -> list[str]:
    """The first words of a paragraph, such as a clause's bold title ("Our use of Materials")."""
    return NORMAL.sub(" ", paragraph.lower()).split()[:3]


def _rewritten_paragraph(old_text: str, start: int, end: int, new_text: str, low: int, high: int) -> Relink | None:
    """The paragraph of the section most like the quote's old paragraph, when it is alike enough."""
    old_low, old_high = _paragraph_around(old_text, start, end)
    old_paragraph = old_text[old_low:old_high]
    best: tuple[float, int, int] | None = None
    for match in re.finditer(r"[^\n](?:.|\n(?!\n))*", new_text[low:high]):
        score = fuzz.ratio(old_paragraph, match.group(0))
        if best is None or score > best[0]:
            best = (score, low + match.start(), low + match.end())
    if best is None:
        return None
    same_opening = _opening(old_paragraph) == _opening(new_text[best[1] : best[2]])
    if best[0] < (PARAGRAPH_THRESHOLD_SAME_OPENING if same_opening else PARAGRAPH_THRESHOLD):
        return None
    quote = old_text[start:end]
    paragraph = new_text[best[1] : best[2]]
    alignment = fuzz.partial_ratio_alignment(quote, paragraph)
    new_start, new_end = best[1], best[2]
    if alignment is not None and alignment.score >= PARAGRAPH_THRESHOLD:
        aligned = paragraph[alignment.dest_start : alignment.dest_end]
        # A short span that merely shares words is no successor: keep the whole paragraph then.
        if fuzz.ratio(quote, aligned) >= CONTEXT_MIN_SIMILARITY:
            new_start, new_end = best[1] + alignment.dest_start, best[1] + alignment.dest_end
    candidate = new_text[new_start:new_end]
    return Relink("modified", new_start, new_end, candidate, round(fuzz.ratio(quote, candidate), 1))


def _best_paragraph_match(quote: str, new_text: str) -> Relink | None:
    """The clause reworded and moved to another section: the paragraph, anywhere, that contains it best.

    Compared paragraph by paragraph, because a partial ratio over a whole long section can miss it.
    """
    # Paragraphs at least half as long as the quote: a short one would "contain" it by being inside it.
    spans = [
        (m.start(), m.end())
        for m in re.finditer(r"[^\n](?:.|\n(?!\n))*", new_text)
        if m.end() - m.start() >= len(quote) // 2
    ]
    if not spans:
        return None
    best = process.extractOne(
        quote, [new_text[a:b] for a, b in spans], scorer=fuzz.partial_ratio, score_cutoff=FUZZY_THRESHOLD
    )
    if best is None:
        return None
    paragraph_start, paragraph_end = spans[best[2]]
    paragraph = new_text[paragraph_start:paragraph_end]
    alignment = fuzz.partial_ratio_alignment(quote, paragraph)
    if alignment is None:
        return None
    new_start, new_end = paragraph_start + alignment.dest_start, paragraph_start + alignment.dest_end
    if fuzz.ratio(quote, new_text[new_start:new_end]) < CONTEXT_MIN_SIMILARITY:
        return None
    return Relink("modified", new_start, new_end, new_text[new_start:new_end], round(best[1], 1))


def anchor_relink(*, old_text: str, new_text: str, start: int, end: int, prefix: str, suffix: str) -> Relink:
    quote = old_text[start:end]
    relative = start / max(len(old_text), 1) * len(new_text)

    exact = [m.start() for m in re.finditer(re.escape(quote), new_text)]
    if exact:
        found = _nearest(exact, relative)
        return _found(new_text, found, found + len(quote), prefix, suffix)

    normal_quote = " ".join(NORMAL.sub(" ", quote.lower()).split())
    if normal_quote:
        normal_text, origins = _normalised_index(new_text)
        hits = [m.start() for m in re.finditer(re.escape(normal_quote), normal_text)]
        if hits:
            found = _nearest([origins[h] for h in hits], relative)
            index = origins.index(found)
            last = origins[index + len(normal_quote) - 1]
            return _found(new_text, found, last + 1, prefix, suffix)

    before, after = prefix[-CONTEXT_PROBE:], suffix[:CONTEXT_PROBE]
    if len(before.strip()) >= 10:
        for probe in re.finditer(re.escape(before), new_text):
            new_start = probe.end()
            if after.strip():
                new_end = new_text.find(after, new_start)
            else:
                # The quote ended its paragraph (or the text): the new clause runs to the paragraph's end.
                paragraph_end = new_text.find("\n\n", new_start)
                new_end = paragraph_end if paragraph_end >= 0 else len(new_text.rstrip("\n"))
            if new_end > new_start and new_end - new_start <= max(len(quote) * 3, CONTEXT_CHARS * 4):
                candidate = new_text[new_start:new_end]
                similarity = fuzz.ratio(quote, candidate)
                # Generic context (a list marker, a blank line) can frame an unrelated clause: not a successor.
                if similarity >= CONTEXT_MIN_SIMILARITY:
                    return Relink("modified", new_start, new_end, candidate, round(similarity, 1))

    low, high = _section_bounds(old_text, start, new_text)
    section = new_text[low:high]
    if section:
        alignment = fuzz.partial_ratio_alignment(quote, section)
        if alignment is not None and alignment.score >= FUZZY_THRESHOLD:
            new_start, new_end = low + alignment.dest_start, low + alignment.dest_end
            return Relink("modified", new_start, new_end, new_text[new_start:new_end], round(alignment.score, 1))
        rewritten = _rewritten_paragraph(old_text, start, end, new_text, low, high)
        if rewritten is not None:
            return rewritten
    moved_and_reworded = _best_paragraph_match(quote, new_text)
    if moved_and_reworded is not None:
        return moved_and_reworded
    return Relink("removed")
