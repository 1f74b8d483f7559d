"""Kieswet P 15-P 19a for one list, against the Abacus candidate vectors (abacus.md §5.6)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from osv_verify.seats import InvalidLots, Reason, SeatRules, nominate, rules_for

SMALL = rules_for("GR", 15)  # threshold 50 % of the quota
LARGE = rules_for("GR", 25)  # threshold 25 % of the quota


def numbered(votes: list[int]) -> list[tuple[int, int]]:
    return list(enumerate(votes, start=1))


def test_gr2022_list_1_preference_then_list_order() -> None:
    """15 seats, Q = 5104/15, threshold Q/2 = 170 2/15: candidates 1, 3, 2, 4 pass it."""
    n = nominate(1, 8, numbered([1069, 303, 321, 210, 36, 101, 79, 121, 150, 149, 15, 17]), Fraction(5104, 15), SMALL)
    assert [e.candidate for e in n.elected if e.reason is Reason.PREFERENCE] == [1, 3, 2, 4]
    assert [e.candidate for e in n.elected if e.reason is Reason.LIST_ORDER] == [5, 6, 7, 8]
    assert n.ranking == (1, 3, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12)
    assert n.threshold == Fraction(2552, 15)


def test_threshold_is_strict() -> None:
    """Q = 100, threshold 50: candidate 2 with exactly 50 is elected by list order, not preference."""
    n = nominate(1, 2, numbered([60, 50, 40, 30, 20]), Fraction(100), SMALL)
    assert [(e.candidate, e.reason) for e in n.elected] == [(1, Reason.PREFERENCE), (2, Reason.LIST_ORDER)]


def test_ek_threshold_is_inclusive_and_the_full_quota() -> None:
    """U 15(3): votes >= the quota."""
    ek = rules_for("EK", 75)
    n = nominate(1, 2, numbered([10, 100, 99]), Fraction(100), ek)
    assert [(e.candidate, e.reason) for e in n.elected] == [(2, Reason.PREFERENCE), (1, Reason.LIST_ORDER)]


def test_ep_threshold_is_ten_percent() -> None:
    """Y 23a: 10 % of the quota."""
    ep = rules_for("EP", 31)
    n = nominate(1, 1, numbered([5, 11]), Fraction(100), ep)
    assert n.elected_numbers == (2,)


@pytest.mark.parametrize(
    ("candidates", "seats", "options", "lots", "elected"),
    [
        ([(1, 1000), (3, 900), (4, 900)], 2, (3, 4), (4,), (1, 4)),
        ([(1, 1000), (3, 1000), (4, 900)], 2, None, (), (1, 3)),
        ([(1, 1000), (3, 900), (4, 900), (5, 900)], 4, None, (), (1, 3, 4, 5)),
        ([(1, 900), (2, 900), (3, 900)], 1, (1, 2, 3), (2,), (2,)),
    ],
    ids=["tie-crosses-boundary", "tie-above-boundary", "tie-fits", "three-way-for-one"],
)
def test_lots_only_when_equal_votes_cross_the_seat_boundary(
    candidates: list[tuple[int, int]],
    seats: int,
    options: tuple[int, ...] | None,
    lots: tuple[int, ...],
    elected: tuple[int, ...],
) -> None:
    first = nominate(1, seats, candidates, Fraction(100), SMALL)
    if options is None:
        assert first.complete
    else:
        assert first.lots_required is not None
        assert first.lots_required.options == options
        assert (first.lots_required.article, first.lots_required.kind) == ("P 15", "candidates")
    final = nominate(1, seats, candidates, Fraction(100), SMALL, lots=lots)
    assert final.elected_numbers == elected


def test_drawn_candidate_must_be_an_option() -> None:
    with pytest.raises(InvalidLots):
        nominate(1, 2, [(1, 1000), (3, 900), (4, 900)], Fraction(100), SMALL, lots=(1,))


def test_deceased_candidate_is_skipped_and_left_out_of_the_ranking() -> None:
    """P 19a: candidate 1 (most votes) died; their seat goes on, the ranking drops them."""
    n = nominate(1, 2, numbered([500, 10, 5, 1]), Fraction(100), SMALL, deceased={1})
    assert n.elected_numbers == (2, 3)
    assert all(e.reason is Reason.LIST_ORDER for e in n.elected)
    assert n.ranking == (2, 3, 4)
    assert n.ranking_updated


def test_ranking_unchanged_when_nobody_passes_the_threshold() -> None:
    n = nominate(1, 2, numbered([40, 30, 20]), Fraction(100), SMALL)
    assert n.ranking == (1, 2, 3)
    assert not n.ranking_updated


def test_p19_other_candidates_above_threshold_ranked_by_votes() -> None:
    """One seat: candidate 3 is elected; 2 and 4 also passed and follow by votes, then list order."""
    n = nominate(1, 1, numbered([10, 60, 90, 70, 5]), Fraction(100), SMALL)
    assert n.elected_numbers == (3,)
    assert n.ranking == (3, 4, 2, 1, 5)


@pytest.mark.parametrize(("rules", "updated"), [(SMALL, True), (LARGE, False)], ids=["lt19-reranked", "ge19-kept"])
def test_p19_seatless_list_reranked_only_below_19_seats(rules: SeatRules, updated: bool) -> None:
    n = nominate(1, 0, numbered([10, 60]), Fraction(100), rules)
    assert n.elected == ()
    assert n.ranking_updated is updated
    assert n.ranking == ((2, 1) if updated else (1, 2))


def test_more_seats_than_living_candidates_are_reported_unfilled() -> None:
    n = nominate(1, 3, numbered([10, 20]), Fraction(100), SMALL)
    assert n.elected_numbers == (1, 2)
    assert n.unfilled == 1
