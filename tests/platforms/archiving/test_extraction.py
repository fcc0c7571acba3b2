import io

import pytest
from pypdf import PdfWriter

from platforms.archiving.extraction import ExtractionError, content_extract, html_extract, texts_combine, url_clean

PAGE = b"""<html><head><title>T</title><style>p{color:red}</style><script>track()</script></head>
<body><nav class="menu"><a href="/">Home</a></nav>
<main>
<h1>Privacy Policy</h1>
<p>Last updated: <em>March 3, 2025</em>. See <a href="/legal/terms?utm_source=x&amp;id=7">our terms</a>.</p>
<h2>1. Training</h2>
<ul><li>We <strong>train</strong> models.</li><li>You can opt out.</li></ul>
<table><tr><th>Data</th><th>Use</th></tr><tr><td>Chats</td><td>Training</td></tr></table>
<div class="cookie-banner">Accept cookies?</div>
</main>
<footer>Copyright 2025</footer>
</body></html>"""


def test_html_becomes_markdown_with_headings_lists_links_tables_and_emphasis():
    text = html_extract(html=PAGE, select=["main"], remove=[".cookie-banner"], base_url="https://example.org/privacy")
    assert text.startswith("# Privacy Policy\n")
    assert "## 1. Training" in text
    assert "* We **train** models." in text
    assert "[our terms](https://example.org/legal/terms?id=7)" in text
    assert "| Chats | Training |" in text
    assert "*March 3, 2025*" in text
    for noise in ("track()", "color:red", "Accept cookies", "Copyright", "Home"):
        assert noise not in text


def test_extraction_is_deterministic():
    outputs = {html_extract(html=PAGE, select=["main"], base_url="https://example.org/") for _ in range(5)}
    assert len(outputs) == 1


def test_without_select_the_whole_body_is_kept_but_scripts_are_not():
    text = html_extract(html=PAGE)
    assert "Copyright 2025" in text
    assert "track()" not in text


def test_a_selector_that_matches_nothing_is_a_selector_not_found_failure():
    with pytest.raises(ExtractionError) as caught:
        html_extract(html=PAGE, select=["#does-not-exist"])
    assert caught.value.label == "selector_not_found"


def test_several_selectors_keep_document_order_of_each_selector():
    text = html_extract(html=PAGE, select=["h2", "h1"])
    assert text.index("1. Training") < text.index("Privacy Policy")


def test_range_selectors_take_what_lies_between_start_and_end():
    html = b"<main><h1>Title</h1><p>Intro</p><h2 id='a'>A</h2><p>Alpha</p><h2 id='b'>B</h2><p>Beta</p></main>"
    text = html_extract(html=html, select=[{"startBefore": "#a", "endBefore": "#b"}])
    assert "A" in text and "Alpha" in text
    assert "Beta" not in text and "Intro" not in text
    after = html_extract(html=html, select=[{"startAfter": "#a", "endAfter": "#b"}])
    assert "Alpha" in after and "## B" in after and "## A" not in after


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/a?utm_medium=mail&x=1", "https://example.org/a?x=1"),
        ("https://other.org/p?gclid=123", "https://other.org/p"),
        ("mailto:privacy@example.org", "mailto:privacy@example.org"),
        ("#section-2", "https://example.org/page#section-2"),
    ],
)
def test_links_become_absolute_without_tracking_parameters(href, expected):
    assert url_clean(href=href, base_url="https://example.org/page") == expected


def test_plain_text_and_markdown_are_kept_as_they_are():
    assert content_extract(content=b"# Terms\r\n\r\nBe nice.  \r\n", content_type="text/markdown") == (
        "# Terms\n\nBe nice.\n"
    )


def test_an_empty_page_is_an_empty_content_failure():
    with pytest.raises(ExtractionError) as caught:
        content_extract(content=b"<html><body><script>x()</script></body></html>", content_type="text/html")
    assert caught.value.label == "empty_content"


def test_a_pdf_without_text_is_empty_and_a_broken_pdf_is_unsupported():
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(buffer)
    with pytest.raises(ExtractionError) as caught:
        content_extract(content=buffer.getvalue(), content_type="application/pdf")
    assert caught.value.label == "empty_content"
    with pytest.raises(ExtractionError) as caught:
        content_extract(content=b"%PDF-1.4 garbage", content_type="application/pdf")
    assert caught.value.label == "unsupported_type"


def test_sources_combine_in_order():
    assert texts_combine(["# One\n", "# Two\n"]) == "# One\n\n# Two\n"
