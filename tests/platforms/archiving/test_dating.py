from datetime import date

import pytest

from platforms.archiving.dating import stated_dates_parse


@pytest.mark.parametrize(
    ("text", "updated", "effective"),
    [
        ("Last updated: March 3, 2025\n\nWe collect...", date(2025, 3, 3), None),
        ("Effective May 1, 2025[Previous Version](...)", None, date(2025, 5, 1)),
        ("**Effective date:** 1 May 2025", None, date(2025, 5, 1)),
        ("Last Updated: 2024-02-20. Effective: 2024-03-01", date(2024, 2, 20), date(2024, 3, 1)),
        ("Updated on Sept. 5th, 2023", date(2023, 9, 5), None),
        ("Last modified 07/16/2025", date(2025, 7, 16), None),
        ("No dates here at all.", None, None),
        ("Last updated: Febtober 40, 2025", None, None),
    ],
)
def test_stated_dates_are_read_from_common_english_formats(text, updated, effective):
    assert stated_dates_parse(text=text) == (updated, effective)
