from pathlib import Path

import pytest

from provisions.anchoring import quote_anchor
from provisions.lineage import anchor_relink

DEMO = Path(__file__).resolve().parents[2] / "demo" / "versions"
OLD = "# Terms\n\n## Data\n\nWe keep your data for one year.\n\n## Training\n\nWe do not train on your chats.\n"


def relink(old: str, new: str, quote: str):
    anchor = quote_anchor(text=old, quote=quote)
    return anchor_relink(
        old_text=old, new_text=new, start=anchor.start, end=anchor.end, prefix=anchor.prefix, suffix=anchor.suffix
    )


def test_an_untouched_clause_is_unchanged():
    result = relink(OLD, OLD, "We do not train on your chats.")
    assert result.outcome == "unchanged"
    assert OLD[result.start : result.end] == "We do not train on your chats."


def test_the_same_clause_elsewhere_is_moved():
    new = "# Terms\n\n## Training\n\nWe do not train on your chats.\n\n## Data\n\nWe keep your data for one year.\n"
    result = relink(OLD, new, "We do not train on your chats.")
    assert result.outcome == "moved"
    assert new[result.start : result.end] == "We do not train on your chats."


def test_a_case_and_punctuation_edit_keeps_the_clause_with_its_new_spelling():
    new = OLD.replace("We do not train on your chats.", "We do NOT train on your chats!")
    result = relink(OLD, new, "We do not train on your chats")
    assert result.outcome in ("unchanged", "moved")
    assert result.quote == "We do NOT train on your chats"


def test_a_rewritten_clause_between_the_same_context_is_modified_with_its_similarity():
    new = OLD.replace("We do not train on your chats.", "We train on your chats unless you opt out.")
    result = relink(OLD, new, "We do not train on your chats.")
    assert result.outcome == "modified"
    assert "unless you opt out" in result.quote
    assert 0 < result.similarity < 100


def test_a_deleted_clause_is_removed():
    new = "# Terms\n\n## Data\n\nWe keep your data for one year.\n"
    assert relink(OLD, new, "We do not train on your chats.").outcome == "removed"


def test_the_real_anthropic_training_clause_comes_out_modified():
    old = (DEMO / "anthropic/terms-of-service/2025-08-01.md").read_text()
    new = (DEMO / "anthropic/terms-of-service/2025-08-29.md").read_text()
    result = relink(old, new, "We will not train our models on any Materials that are not publicly available")
    assert result.outcome == "modified"
    assert "training our models" in result.quote or "opt out" in result.quote


@pytest.mark.parametrize(
    "quote",
    [
        "By using our Services you agree to be bound by them, including any changes made to them",
        "You are a consumer if you are acting wholly or mainly outside your trade, business, craft or profession",
    ],
)
def test_real_clauses_that_did_not_change_are_found_again(quote):
    old = (DEMO / "anthropic/terms-of-service/2025-08-01.md").read_text()
    new = (DEMO / "anthropic/terms-of-service/2025-08-29.md").read_text()
    result = relink(old, new, quote)
    assert result.outcome in ("unchanged", "moved")
    assert result.quote == quote
