"""Relative dates against fixed publish dates; nothing is guessed without one."""

from __future__ import annotations

from datetime import date

import pytest
from entente.ingest.extract.dates import find_dates, resolve

MON = date(2023, 7, 3)  # a Monday
WED = date(2023, 7, 5)


@pytest.mark.parametrize(
    ("text", "published", "future", "expected"),
    [
        ("said on Monday", WED, False, date(2023, 7, 3)),
        ("will meet on Monday", WED, True, date(2023, 7, 10)),
        ("on Monday", MON, False, MON),
        ("on Monday", MON, True, MON),
        ("scheduled to meet Breton on Tuesday", MON, True, date(2023, 7, 4)),
        ("last week", MON, False, date(2023, 6, 26)),
        ("last week", WED, False, date(2023, 6, 26)),
        ("next week", WED, True, date(2023, 7, 10)),
        ("next month", date(2024, 3, 15), True, date(2024, 4, 1)),
        ("last month", date(2024, 1, 10), False, date(2023, 12, 1)),
        ("in the first half of next year", MON, True, date(2024, 1, 1)),
        ("the second half of this year", MON, True, date(2023, 7, 1)),
        ("by year-end", MON, True, date(2023, 12, 31)),
        ("on April 10", date(2024, 3, 15), True, date(2024, 4, 10)),
        ("on April 10", date(2024, 5, 1), False, date(2024, 4, 10)),
        ("set to launch as early as April", date(2024, 3, 15), True, date(2024, 4, 1)),
        ("July 3, 2023", None, False, date(2023, 7, 3)),
        ("2023-07-03", None, False, date(2023, 7, 3)),
        ("yesterday", WED, False, date(2023, 7, 4)),
    ],
)
def test_english(text: str, published: date | None, future: bool, expected: date) -> None:
    assert resolve(text, language="en", published=published, future=future) == expected


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        ("förra veckan", False, date(2023, 6, 26)),
        ("i måndags", True, date(2023, 7, 3)),  # the -s form is always past
        ("på tisdag", True, date(2023, 7, 4)),
        ("nästa månad", True, date(2023, 8, 1)),
        ("första halvåret nästa år", True, date(2024, 1, 1)),
        ("den 10 april", False, date(2023, 4, 10)),
    ],
)
def test_swedish(text: str, future: bool, expected: date) -> None:
    assert resolve(text, language="sv", published=MON, future=future) == expected


@pytest.mark.parametrize(
    "text", ["last week", "on Monday", "next month", "by year-end", "April 10"]
)
def test_relative_dates_are_never_guessed_without_a_publish_date(text: str) -> None:
    found = find_dates(text, language="en", published=None)
    assert found and found[0].value is None


def test_modal_may_is_not_a_month() -> None:
    assert find_dates("this agreement may create a framework", language="en", published=MON) == []
    assert resolve("in May", language="en", published=MON, future=True) == date(2024, 5, 1)


def test_offsets_point_into_the_text() -> None:
    text = "Breton met Kono last week and will return next month."
    found = find_dates(text, language="en", published=MON)
    assert [text[d.start : d.end] for d in found] == ["last week", "next month"]


def test_unknown_language_finds_nothing() -> None:
    assert find_dates("la semaine dernière", language="xx", published=MON) == []
