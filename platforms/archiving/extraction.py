"""From fetched bytes to the archived Markdown text.

HTML goes through BeautifulSoup (lxml) for Open Terms Archive's `select` / `remove` semantics and
markdownify for the Markdown (headings, lists, links, tables, emphasis); PDF through pypdf. The
output is deterministic: the same bytes and selectors always give the same text. Bump
EXTRACTOR_VERSION whenever a change here can change an output, so `reextract` can tell.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Comment, Tag
from markdownify import MarkdownConverter
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from platforms.archiving.recording import text_normalise

EXTRACTOR_VERSION = "2026.12.1"

NOISE_TAGS = ["script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas", "button"]
TRACKING_PARAMETERS = re.compile(
    r"^(utm_[a-z]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|_ga|_gl|yclid|igshid|ref_src|"
    r"trk|trkCampaign|si|spm|oly_anon_id|oly_enc_id|vero_id|__s)$",
    re.IGNORECASE,
)

Selector = str | dict[str, str]


class ExtractionError(Exception):
    """The content gave no text; `label` is the failure label (selector_not_found, empty_content...)."""

    def __init__(self, label: str, detail: str) -> None:
        super().__init__(detail)
        self.label = label
        self.detail = detail


def url_clean(*, href: str, base_url: str) -> str:
    """An absolute link without tracking parameters, so that a changing campaign tag is not a change."""
    absolute = urljoin(base_url, href.strip()) if base_url else href.strip()
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or not parts.query:
        return absolute
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMETERS.match(k)]
    return urlunsplit(parts._replace(query=urlencode(kept)))


class _Converter(MarkdownConverter):
    def convert_img(self, el: Any, text: str, parent_tags: Any) -> str:
        # Images carry no terms; their alt text may (a table rendered as an image is rare enough).
        alt = el.attrs.get("alt", "") or ""
        return alt.strip()


def _range_nodes(soup: BeautifulSoup, selector: dict[str, str]) -> list[Any]:
    """The nodes between a start and an end, as Open Terms Archive's range selectors define them."""
    start_css = selector.get("startBefore") or selector.get("startAfter")
    end_css = selector.get("endBefore") or selector.get("endAfter")
    start = soup.select_one(start_css) if start_css else None
    if start is None:
        return []
    end = soup.select_one(end_css) if end_css else None
    nodes: list[Any] = [start] if "startBefore" in selector else []
    node: Any = start
    while True:
        sibling = node.next_sibling
        while sibling is None and node.parent is not None and node.parent is not soup:
            node = node.parent
            sibling = node.next_sibling
        if sibling is None:
            break
        node = sibling
        if end is not None and isinstance(node, Tag) and (node is end or end in node.descendants):
            if "endAfter" in selector:
                nodes.append(node)
            break
        nodes.append(node)
    return nodes


def _select(soup: BeautifulSoup, selectors: Sequence[Selector]) -> list[Any]:
    chosen: list[Any] = []
    seen: set[int] = set()
    for selector in selectors:
        matches = _range_nodes(soup, selector) if isinstance(selector, dict) else soup.select(selector)
        if not matches:
            raise ExtractionError("selector_not_found", f"The selector {selector!r} matches nothing")
        for match in matches:
            if id(match) not in seen:
                seen.add(id(match))
                chosen.append(match)
    return chosen


def html_extract(
    *, html: str | bytes, select: Sequence[Selector] = (), remove: Sequence[Selector] = (), base_url: str = ""
) -> str:
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(NOISE_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    for selector in remove:
        targets = _range_nodes(soup, selector) if isinstance(selector, dict) else soup.select(selector)
        for target in targets:
            target.extract()
    for link in soup.find_all("a", href=True):
        link["href"] = url_clean(href=str(link["href"]), base_url=base_url)
    parts = _select(soup, select) if select else [soup.body or soup]
    converter = _Converter(heading_style="ATX", bullets="*", strip=["form", "input", "select", "nav"])
    markdown = "\n\n".join(converter.convert_soup(part) if isinstance(part, Tag) else str(part) for part in parts)
    return text_normalise(text=re.sub(r"\n{3,}", "\n\n", markdown))


def pdf_extract(*, content: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(content))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as error:
        raise ExtractionError("unsupported_type", f"The PDF could not be read: {error}") from error
    return text_normalise(text="\n\n".join(pages))


def content_extract(
    *,
    content: bytes,
    content_type: str,
    select: Sequence[Selector] = (),
    remove: Sequence[Selector] = (),
    base_url: str = "",
) -> str:
    """The text of one fetched content; raises ExtractionError when there is none."""
    if content_type in ("text/html", "application/xhtml+xml"):
        text = html_extract(html=content, select=select, remove=remove, base_url=base_url)
    elif content_type == "application/pdf":
        text = pdf_extract(content=content)
    elif content_type in ("text/plain", "text/markdown", "text/x-markdown"):
        text = text_normalise(text=content.decode("utf-8", errors="replace"))
    else:
        raise ExtractionError("unsupported_type", f"{content_type!r} is not extracted")
    if not text.strip():
        raise ExtractionError("empty_content", "The content has no text once extracted")
    return text


def texts_combine(texts: Sequence[str]) -> str:
    """Several sources of one document, in order, as one text."""
    return text_normalise(text="\n\n".join(text.strip("\n") for text in texts))
