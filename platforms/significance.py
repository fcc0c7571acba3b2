"""How much a change matters: the rules, one by one, in order.

1. `technical`: the new version is a technical upgrade (re-extraction, declaration change).
2. `cosmetic`: the texts are the same once canonicalised (case, whitespace, punctuation, Markdown
   emphasis, HTML tags, link targets, dates and copyright years dropped, and changed paragraphs that
   are boilerplate left out: labels of at most 3 words, and runs of links such as menus, footers
   and banners, but not list items); or the new text flips back to one of
   the document's last REVERSION_WINDOW versions (a page alternating between variants), which is
   also flagged as a reversion.
3. `material`: a substantive change whose changed words touch a governance term: training and AI
   models, opting out, arbitration and class actions, sale and sharing of data, retention and
   deletion, licences over content, human review, biometrics, children, law enforcement. Relinking
   (provisions app) also makes a change material when it modifies or removes a tracked provision's clause.
4. `substantive`: everything else: the wording that binds the user changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models


class Significance(models.TextChoices):
    TECHNICAL = "technical", "Technical (extraction changed, not the terms)"
    COSMETIC = "cosmetic", "Cosmetic (formatting, punctuation, links, dates)"
    SUBSTANTIVE = "substantive", "Substantive (the binding wording changed)"
    MATERIAL = "material", "Material (a governance term changed)"


RANK = {Significance.TECHNICAL: 0, Significance.COSMETIC: 1, Significance.SUBSTANTIVE: 2, Significance.MATERIAL: 3}
REVERSION_WINDOW = 5

MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
)
DATES = re.compile(
    rf"\b{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS},?\s+\d{{4}}\b"
    rf"|\b{MONTHS}\s+\d{{4}}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|(?:©|\(c\)|copyright)\s*(?:\d{4}\s*[-\u2013]\s*)?\d{4}",
    re.IGNORECASE,
)
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
LINK_NOISE = re.compile(r"\(?opens in (?:a )?new (?:tab|window)\)?|\[?\\?\[email[^\]]*protected\\?\]\]?", re.IGNORECASE)
BOILERPLATE_MAX_WORDS = 3
LIST_ITEM = re.compile(r"^\s*(?:[*+-]|\d+[.)])\s")
LINK_SHARE = 0.6
URL = re.compile(r"https?://\S+")
NON_WORD = re.compile(r"[^\w]+")

MATERIAL_TERMS = re.compile(
    r"\b(train(?:s|ed|ing)?|machine[- ]learning|artificial intelligence|(?:ai|language|foundation|generative) models?"
    r"|opt(?:[- ]?(?:out|in))|arbitrat\w*|class[- ]action|jury|sell|sale of|sold|shar(?:e|es|ed|ing) "
    r"(?:your |personal )?(?:data|information)|retain\w*|retention|delet\w*|licen[cs]\w*|human review\w*"
    r"|reviewers?|biometric\w*|children|minors?|under (?:the age of )?1[3-8]|law enforcement|subpoena\w*"
    r"|advertis\w*|profiling|automated decision\w*|transfer\w* (?:of )?(?:your )?(?:personal )?data)\b",
    re.IGNORECASE,
)


def paragraph_is_boilerplate(paragraph: str) -> bool:
    """A label or a run of links (menus, footers, banners, shortcuts): not wording that binds anyone."""
    # Measured on the visible text, so that markup or a longer URL never changes the verdict.
    visible = " ".join(HTML_TAG.sub(" ", LINK.sub(r"\1", paragraph)).split())
    # A short list item may be a data category ("* Email address"): only links make those boilerplate.
    if len(visible.split()) <= BOILERPLATE_MAX_WORDS and not LIST_ITEM.match(paragraph):
        return not MATERIAL_TERMS.search(paragraph)
    linked = sum(len(match.group(1)) for match in LINK.finditer(paragraph))
    return linked / max(len(visible), 1) >= LINK_SHARE


def text_canonical(text: str) -> str:
    """The text with everything rule 2 calls cosmetic removed."""
    text = "\n\n".join(p for p in text.split("\n\n") if not paragraph_is_boilerplate(p))
    text = HTML_TAG.sub(" ", LINK_NOISE.sub(" ", text))
    text = LINK.sub(r"\1", text)
    text = URL.sub(" ", text)
    text = DATES.sub(" ", text)
    return " ".join(NON_WORD.sub(" ", text.lower().replace("_", " ")).split())


@dataclass(frozen=True)
class Classification:
    significance: Significance
    reasons: list[str]


def significance_classify(
    *, old_changed: str, new_changed: str, removed_words: str, added_words: str, technical: bool, reversion: bool
) -> Classification:
    """`old_changed` / `new_changed`: the changed paragraphs of each side (the rest of the texts is equal,
    so comparing these canonically is comparing the whole texts, at the cost of the change only)."""
    if technical:
        return Classification(Significance.TECHNICAL, ["The new version is a technical upgrade of the extraction."])
    if text_canonical(old_changed) == text_canonical(new_changed):
        return Classification(
            Significance.COSMETIC,
            ["Only letter case, whitespace, punctuation, links, dates or boilerplate (menus, labels) changed."],
        )
    if reversion:
        return Classification(Significance.COSMETIC, ["The text flips back to one of the document's recent versions."])
    terms = sorted({m.group(0).lower() for m in MATERIAL_TERMS.finditer(f"{removed_words} {added_words}")})
    if terms:
        return Classification(Significance.MATERIAL, [f"Changed wording touches: {', '.join(terms[:12])}."])
    return Classification(Significance.SUBSTANTIVE, ["The wording changed beyond formatting and dates."])
