"""Properties of the allocation (Abacus's fuzz invariants, abacus.md §5.7) as hypothesis tests.

"Lots required" is an acceptable outcome everywhere; any exception is a failure. On failure the
step log is shown with ``note``.
"""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from osv_verify.seats import Allocation, ListInput, allocate, rules_for
from osv_verify.seats.rules import LARGE_COUNCIL, SeatRules

CATEGORIES = st.sampled_from(["GR", "TK", "EK"])
SEATS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
"""Per test, so that a session-wide profile (e.g. a derandomized CI profile) still applies."""


@st.composite
def elections(
    draw: st.DrawFn, *, with_candidates: bool = True, min_seats: int = 1, max_seats: int = 45,
    categories: st.SearchStrategy[str] = CATEGORIES,
) -> tuple[list[ListInput], SeatRules]:
    seats = draw(st.integers(min_seats, max_seats))
    votes = draw(st.lists(st.integers(0, 5_000), min_size=1, max_size=10))
    cands = [draw(st.one_of(st.none(), st.integers(0, 20))) if with_candidates else None for _ in votes]
    lists = [ListInput(i + 1, v, candidates=c) for i, (v, c) in enumerate(zip(votes, cands, strict=True))]
    return lists, rules_for(draw(categories), seats)


def log(a: Allocation) -> None:
    note(f"quota {a.quota}, lots {a.lots_required}")
    for step in a.steps:
        note(str(step))


@SEATS
@given(elections())
def test_seats_sum_at_most_total_and_within_candidates(case: tuple[list[ListInput], SeatRules]) -> None:
    lists, rules = case
    a = allocate(lists, rules)
    log(a)
    assert sum(ls.seats for ls in a.lists) <= rules.seats
    assert all(ls.full_seats >= 0 and ls.residual_seats >= 0 for ls in a.lists)
    if not a.complete:
        # Abacus semantics: the first residual pass does not yet exclude lists that P 10 will
        # cap, so a lot can be asked for before the caps are applied.
        return
    for ls in a.lists:
        if ls.candidates is not None:
            assert ls.seats <= ls.candidates
    if not any(w.code == "not_all_seats_assigned" for w in a.warnings):
        assert a.unassigned == 0


@SEATS
@given(elections())
def test_bounds(case: tuple[list[ListInput], SeatRules]) -> None:
    """min(floor(S v / V), candidates) <= seats <= ceil(S v / V) + residual seats given."""
    lists, rules = case
    a = allocate(lists, rules)
    log(a)
    assume(a.complete and a.total_votes > 0)
    residual_pool = rules.seats - sum(ls.full_seats for ls in a.lists)
    for ls in a.lists:
        share = Fraction(rules.seats * ls.votes, a.total_votes)
        lower = share.numerator // share.denominator
        upper = -(-share.numerator // share.denominator)
        if ls.candidates is not None:
            lower = min(lower, ls.candidates)
        assert lower <= ls.seats <= upper + residual_pool


@SEATS
@given(elections())
def test_concordance(case: tuple[list[ListInput], SeatRules]) -> None:
    """More votes never means fewer seats, unless the list with more votes ran out of candidates."""
    lists, rules = case
    a = allocate(lists, rules)
    log(a)
    assume(a.complete)
    for x in a.lists:
        for y in a.lists:
            if x.votes > y.votes and (x.candidates is None or x.seats < x.candidates):
                assert x.seats >= y.seats, f"list {x.number} ({x.votes}) < list {y.number} ({y.votes})"


@SEATS
@given(elections(), st.randoms(use_true_random=False), st.integers(1, 1000))
def test_anonymity_renumbering_permutes_the_result(
    case: tuple[list[ListInput], SeatRules], rnd: random.Random, offset: int
) -> None:
    """Shuffling and renumbering the lists only permutes the outcome (or the lot options)."""
    lists, rules = case
    order = list(range(len(lists)))
    rnd.shuffle(order)
    renumber = {lists[i].number: offset + 3 * k for k, i in enumerate(order)}
    moved = [ListInput(renumber[li.number], li.votes, candidates=li.candidates) for li in lists]
    a, b = allocate(lists, rules), allocate(moved, rules)
    log(a)
    assert a.complete == b.complete
    if a.complete:
        assert {renumber[n]: s for n, s in a.seats_per_list.items()} == b.seats_per_list
    else:
        assert a.lots_required is not None and b.lots_required is not None
        assert a.lots_required.article == b.lots_required.article
        assert {renumber[int(o)] for o in a.lots_required.options} == set(b.lots_required.options)


@SEATS
@given(elections(with_candidates=False), st.data())
def test_population_monotonicity(case: tuple[list[ListInput], SeatRules], data: st.DataObject) -> None:
    """Extra votes for one list never cost that list a seat."""
    lists, rules = case
    i = data.draw(st.integers(0, len(lists) - 1))
    extra = data.draw(st.integers(1, 2_000))
    more = [ListInput(li.number, li.votes + (extra if k == i else 0)) for k, li in enumerate(lists)]
    before, after = allocate(lists, rules), allocate(more, rules)
    log(before)
    assume(before.complete and after.complete)
    number = lists[i].number
    assert after.seats_of(number) >= before.seats_of(number)


@SEATS
@given(elections(with_candidates=False, min_seats=LARGE_COUNCIL, categories=st.sampled_from(["GR", "EK"])))
def test_house_monotonicity_from_19_seats(case: tuple[list[ListInput], SeatRules]) -> None:
    """One more seat takes no seat from anyone.

    Only for plain highest averages: not below 19 seats (largest remainders), and not with
    P 7(2) (TK/EP): one more seat lowers the quota, lists may then reach it and take seats.
    Found by hypothesis: TK, 35 seats, votes 34/34/1123 gives 0/0/35; with 36 seats 1/1/34.
    """
    lists, rules = case
    bigger = rules_for(rules.category, rules.seats + 1)
    before, after = allocate(lists, rules), allocate(lists, bigger)
    log(before)
    assume(before.complete and after.complete)
    for number, seats in before.seats_per_list.items():
        assert after.seats_of(number) >= seats
