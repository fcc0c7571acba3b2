import pytest

from provisions.anchoring import QuoteError, quote_anchor

TEXT = "## Training\n\nWe may use your   content to train our models.\n\nWe may use your content to improve.\n"


def test_an_exact_quote_is_anchored_with_its_context():
    anchor = quote_anchor(text=TEXT, quote="to train our models")
    assert TEXT[anchor.start : anchor.end] == "to train our models"
    assert anchor.prefix.endswith("content ")
    assert anchor.suffix.startswith(".")


def test_a_quote_pasted_with_other_whitespace_anchors_the_archived_text():
    anchor = quote_anchor(text=TEXT, quote="use your content to train")
    assert anchor.quote == "use your   content to train"
    assert TEXT[anchor.start : anchor.end] == anchor.quote


def test_a_quote_that_is_not_there_is_refused():
    with pytest.raises(QuoteError, match="not in this version"):
        quote_anchor(text=TEXT, quote="We sell your data")


def test_a_quote_found_several_times_offers_the_choice():
    with pytest.raises(QuoteError, match="appears 2 times") as caught:
        quote_anchor(text=TEXT, quote="We may use your")
    assert [index for index, _ in caught.value.occurrences] == [1, 2]
    second = quote_anchor(text=TEXT, quote="We may use your", occurrence=2)
    assert TEXT[second.end :].startswith(" content to improve")
    with pytest.raises(QuoteError, match="no occurrence 3"):
        quote_anchor(text=TEXT, quote="We may use your", occurrence=3)
