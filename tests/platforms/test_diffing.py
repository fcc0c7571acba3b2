from platforms.diffing import changed_words, paragraphs_split, section_paths, text_diff

OLD = """# Terms

## 1. Data

We keep your data for one year.

We do not sell data.

## 2. Training

We do not train on your content.
"""
NEW = """# Terms

## 1. Data

We keep your data for two years.

We do not sell data.

## 2. Training

We train on your content unless you opt out.

You can opt out in settings.
"""


def test_paragraphs_fold_whitespace_so_reflowing_is_no_change():
    assert paragraphs_split("One\nparagraph  here.\n\nTwo") == ["One paragraph here.", "Two"]
    assert not text_diff("A long\nline.\n", "A long line.\n").changed


def test_section_paths_follow_the_heading_levels():
    paragraphs = paragraphs_split(OLD)
    assert section_paths(paragraphs)[-1] == "Terms > 2. Training"
    assert section_paths(paragraphs_split("Title\n=====\n\nText\n\nSub\n---\n\nMore"))[-1] == "Title > Sub"


def test_a_diff_has_word_level_hunks_inside_modified_paragraphs_and_counts():
    diff = text_diff(OLD, NEW)
    assert diff.stats.paragraphs_modified == 2
    assert diff.stats.paragraphs_added == 1
    assert diff.sections == ["Terms > 1. Data", "Terms > 2. Training"]
    first = diff.hunks[0]
    modified = next(line for line in first["lines"] if line["op"] == "~")
    assert ["-", "one year."] in modified["words"]
    assert ["+", "two years."] in modified["words"]
    removed, added = changed_words(diff)
    assert "one year." in removed and "opt out" in added


def test_equal_texts_have_no_hunks():
    assert text_diff(OLD, OLD).hunks == []


def test_a_full_rewrite_of_300_kb_is_bounded():
    old = "\n\n".join(f"Paragraph {i} says the old thing number {i} about data and terms." for i in range(4500))
    new = "\n\n".join(f"Section {i} now states something else entirely, item {i * 7}." for i in range(4500))
    assert len(old) > 280_000
    diff = text_diff(old, new)
    # Behaviour, not timing (bench/ measures time): the word-level pass stops at its pair budget.
    assert diff.stats.paragraphs_modified == 400
    assert diff.stats.paragraphs_modified + diff.stats.paragraphs_removed == 4500
