import pytest

from platforms.diffing import changed_paragraphs, changed_words, text_diff
from platforms.significance import Significance, significance_classify, text_canonical

BASE = "## Privacy\n\nLast updated: March 3, 2025\n\nWe keep [your data](https://a.example/x) for one year.\n"


def classify(old: str, new: str, *, technical: bool = False, reversion: bool = False) -> Significance:
    diff = text_diff(old, new)
    removed, added = changed_words(diff)
    old_changed, new_changed = changed_paragraphs(diff)
    return significance_classify(
        old_changed=old_changed,
        new_changed=new_changed,
        removed_words=removed,
        added_words=added,
        technical=technical,
        reversion=reversion,
    ).significance


def test_a_technical_upgrade_is_technical_whatever_changed():
    assert classify(BASE, "Something else entirely.", technical=True) == Significance.TECHNICAL


@pytest.mark.parametrize(
    "new",
    [
        BASE.replace("We keep", "We  keep").replace("\n\n", "\n\n\n"),
        BASE.replace("We keep", "we KEEP"),
        BASE.replace("one year.", "one year;"),
        BASE.replace("https://a.example/x", "https://a.example/y?utm=1"),
        BASE.replace("March 3, 2025", "July 9, 2026"),
        BASE.replace("[your data]", "**[your data]**"),
    ],
)
def test_formatting_case_punctuation_links_and_dates_are_cosmetic(new):
    assert classify(BASE, new) == Significance.COSMETIC


def test_a_new_copyright_year_is_cosmetic():
    assert classify(f"{BASE}\n© 2025 Example Inc.\n", f"{BASE}\nCopyright 2024-2026 Example Inc.\n") == (
        Significance.COSMETIC
    )


def test_a_flip_back_to_a_recent_text_is_cosmetic():
    assert classify(BASE, BASE.replace("one year", "two years"), reversion=True) == Significance.COSMETIC


def test_changed_binding_wording_is_substantive():
    assert classify(BASE, BASE.replace("one year", "two years")) == Significance.SUBSTANTIVE


@pytest.mark.parametrize(
    "addition",
    [
        "We use your content to train our models.",
        "You may opt out at any time.",
        "Disputes are resolved by binding arbitration.",
        "We do not sell personal information.",
        "We may disclose data to law enforcement.",
    ],
)
def test_a_change_touching_a_governance_term_is_material(addition):
    assert classify(BASE, f"{BASE}\n{addition}\n") == Significance.MATERIAL


def test_the_canonical_text_drops_link_targets_dates_and_punctuation():
    assert text_canonical("See [Terms](https://x.example) (updated May 1, 2025)!") == "see terms updated"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (BASE + "\n* [About](/a) [Careers](/c) [Blog](/b)\n", BASE + "\n* [About](/a) [Blog](/b) [Press](/p)\n"),
        (BASE + "\nCtrl+I\n", BASE + "\n⌘I\n"),
        (BASE + "\nData<br><br>Inputs are kept.\n", BASE + "\nData <br>Inputs are kept.\n"),
        (
            BASE + "\nSee [Credits](https://x.example/c).\n",
            BASE + "\nSee [Credits(opens in new tab)](https://x.example/c).\n",
        ),
    ],
)
def test_menus_labels_markup_and_link_decorations_are_cosmetic(old, new):
    assert classify(old, new) == Significance.COSMETIC


def test_a_removed_short_list_item_is_not_boilerplate():
    old = BASE + "\n* Email address\n* Biometric data\n"
    assert classify(old, BASE + "\n* Email address\n") == Significance.MATERIAL
    assert classify(BASE + "\n* Email address\n* Phone\n", BASE + "\n* Email address\n") == Significance.SUBSTANTIVE
