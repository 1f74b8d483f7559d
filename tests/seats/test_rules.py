"""Kieswet parameters per election category (``osv_verify.seats.rules``)."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest

from osv_verify.seats import rules_for
from osv_verify.seats.rules import LAW_CHANGES


@pytest.mark.parametrize(
    ("category", "seats", "lr_threshold", "needs_quota", "p9", "preference", "inclusive"),
    [
        ("GR", 15, Fraction(3, 4), False, True, Fraction(1, 2), False),
        ("GR", 19, None, False, True, Fraction(1, 4), False),
        ("PS", 55, None, False, True, Fraction(1, 4), False),
        ("AB", 17, Fraction(3, 4), False, True, Fraction(1, 2), False),
        ("WS", 21, None, False, True, Fraction(1, 4), False),
        ("ER", 5, Fraction(3, 4), False, True, Fraction(1, 2), False),
        ("TK", 150, None, True, True, Fraction(1, 4), False),
        ("EP", 31, None, True, True, Fraction(1, 10), False),
        ("EK", 75, None, False, False, Fraction(1), True),
        ("BC", 13, Fraction(1, 4), False, True, Fraction(1, 2), False),
        ("GC", 13, Fraction(3, 4), False, True, Fraction(1, 2), False),
    ],
)
def test_parameters_per_category(
    category: str,
    seats: int,
    lr_threshold: Fraction | None,
    needs_quota: bool,
    p9: bool,
    preference: Fraction,
    inclusive: bool,
) -> None:
    r = rules_for(category, seats)
    assert r.remainder_threshold == lr_threshold
    assert r.largest_remainders is (lr_threshold is not None)
    assert r.residual_requires_quota is needs_quota
    assert r.absolute_majority is p9
    assert r.preference_threshold == preference
    assert r.preference_inclusive is inclusive


def test_ws_is_an_alias_of_ab() -> None:
    assert rules_for("WS", 21).category == "AB"


def test_the_law_s_threshold_is_used_whatever_the_definition_states() -> None:
    """Issue 12: a GR1 110a stating 25 % does not change who is elected: P 15 gives 50 %."""
    r = rules_for("GR", 15, preference_threshold_pct=25)
    assert r.preference_threshold == Fraction(1, 2)
    assert [n.en for n in r.notes] == ["preference threshold: the election definition states 25%, the law gives 50%; 50% used"]
    assert rules_for("GR", 19, preference_threshold_pct=25).notes == ()  # stated = legal: nothing to say
    assert rules_for("GR", 18, preference_threshold_pct=50).preference_threshold == Fraction(1, 2)


@pytest.mark.parametrize(("category", "seats"), [("XX", 9), ("GR", 0)])
def test_invalid_input(category: str, seats: int) -> None:
    with pytest.raises(ValueError):
        rules_for(category, seats)


def test_pending_residual_seat_bill_is_not_applied_without_a_date() -> None:
    """Kamerstuk 36641: entry into force unknown, so even a 2030 election keeps the old rule."""
    assert all(change.in_force is None for change in LAW_CHANGES)
    assert not rules_for("GR", 15, election_date=datetime.date(2030, 3, 20)).residual_requires_quota


def test_preference_threshold_boundaries() -> None:
    q = Fraction(100)
    assert not rules_for("GR", 15).passes_preference(50, q)
    assert rules_for("GR", 15).passes_preference(51, q)
    assert rules_for("EK", 75).passes_preference(100, q)
    assert not rules_for("EK", 75).passes_preference(99, q)
