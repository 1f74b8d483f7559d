"""Kieswet P 5-P 10 against the Abacus test vectors (abacus.md §5.6) and their step logs.

Each row: seats, list vote totals, candidates per list (``None`` = 50, enough), the lots drawn
in the physical session, the lots that must be asked for first, and the expected seats.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pytest

from osv_verify.seats import InvalidLots, ListInput, StepKind, allocate, rules_for
from osv_verify.seats.apportion import Allocation


@dataclass(frozen=True)
class Vector:
    id: str
    seats: int
    votes: tuple[int, ...]
    expected: tuple[int, ...]
    candidates: tuple[int, ...] | None = None
    asks: tuple[tuple[str, tuple[int, ...]], ...] = ()
    """The lots the computation must ask for, in order: (article, options)."""
    lots: tuple[int, ...] = ()
    """What was drawn, in order."""
    warnings: tuple[str, ...] = ()


VECTORS = [
    Vector("01-no-residual-seats", 15, (480, 160, 160, 160, 80, 80, 80), (6, 2, 2, 2, 1, 1, 1)),
    Vector("02-remainder-at-threshold", 15, (540, 160, 160, 80, 80, 80, 60, 40), (7, 2, 2, 1, 1, 1, 1, 0)),
    Vector("03-remainder-then-unique-average", 15, (808, 59, 58, 57, 56, 55, 54, 53), (12, 1, 1, 1, 0, 0, 0, 0)),
    Vector("04-zero-remainders-qualify", 15, (480, 240, 240, 55, 50, 45, 45, 45), (7, 4, 4, 0, 0, 0, 0, 0)),
    Vector("05-nobody-meets-three-quarters", 3, (8, 7, 6, 5, 4, 3, 2, 1, 1, 1), (1, 1, 1, 0, 0, 0, 0, 0, 0, 0)),
    Vector("06-list-without-votes", 10, (0, 3, 5, 6, 7, 79), (0, 0, 0, 0, 1, 9)),
    Vector("07-zero-votes", 10, (0, 0, 0, 0, 0), (0, 0, 0, 0, 0), warnings=("not_all_seats_assigned",)),
    Vector("08-GR2022-p9-majority", 15, (2571, 977, 567, 536, 453), (8, 3, 2, 1, 1)),
    Vector("09-exactly-half-no-p9", 15, (2552, 987, 570, 539, 456), (7, 3, 2, 2, 1)),
    Vector("10-p9-lot-among-tied-remainders", 15, (2552, 511, 511, 511, 509, 509), (8, 2, 1, 2, 1, 1),
           asks=(("P 9", (2, 3, 4)),), lots=(3,)),
    Vector("11-remainder-lot-one-seat", 15, (540, 160, 160, 80, 80, 80, 55, 45), (7, 2, 2, 1, 1, 2, 0, 0),
           asks=(("P 8", (2, 3, 4, 5, 6)),), lots=(6,)),
    Vector("12-four-successive-lots", 15, (500, 140, 140, 140, 140, 140), (6, 2, 1, 2, 2, 2),
           asks=(("P 8", (2, 3, 4, 5, 6)), ("P 8", (2, 3, 5, 6)), ("P 8", (3, 5, 6)), ("P 8", (3, 6))),
           lots=(4, 2, 5, 6)),
    Vector("13-p10-during-full-seats", 15, (2000, 1600, 1200, 800, 400), (4, 4, 3, 2, 2), candidates=(4, 4, 3, 2, 2)),
    Vector("14-GR2022-Enkhuizen-p10", 17, (1116, 485, 832, 658, 601, 649, 606, 326, 1184, 716, 380),
           (3, 1, 2, 2, 1, 2, 1, 0, 3, 1, 1), candidates=(17, 6, 11, 11, 10, 8, 13, 14, 12, 1, 6)),
    Vector("15-p9-then-p10", 8, (32, 41, 7), (4, 3, 1), candidates=(5, 3, 1),
           warnings=("absolute_majority_and_list_exhaustion",)),
    Vector("16-p9-p10-then-unique-average", 8, (537, 10, 426), (2, 1, 5), candidates=(2, 1, 6),
           warnings=("absolute_majority_and_list_exhaustion",)),
    Vector("17-large-no-residual", 25, (576, 288, 96, 96, 96, 48), (12, 6, 2, 2, 2, 1)),
    Vector("18-large-highest-averages", 23, (600, 302, 98, 99, 101), (12, 6, 1, 2, 2)),
    Vector("19-large-three-residual-to-one", 19, (808, 57, 56, 55, 54, 53, 52, 51, 14), (15, 1, 1, 1, 1, 0, 0, 0, 0)),
    Vector("20-large-p9", 24, (7501, 1249, 1249, 1249, 1249, 1249, 1248, 7), (13, 2, 2, 2, 2, 2, 1, 0)),
    Vector("21-GR2026-large-lot", 33, (8268, 4892, 1851, 2586, 1074, 1852, 1337, 573, 617), (13, 7, 2, 4, 1, 3, 2, 0, 1),
           asks=(("P 7", (3, 9)),), lots=(9,)),
]


def run(v: Vector, lots: tuple[int, ...]) -> Allocation:
    cands = v.candidates or (None,) * len(v.votes)
    lists = [ListInput(i + 1, votes, candidates=c) for i, (votes, c) in enumerate(zip(v.votes, cands, strict=True))]
    return allocate(lists, rules_for("GR", v.seats), lots)


@pytest.mark.parametrize("v", VECTORS, ids=lambda v: v.id)
def test_vector_asks_for_each_lot_then_reproduces_seats(v: Vector) -> None:
    for i, (article, options) in enumerate(v.asks):
        partial = run(v, v.lots[:i])
        assert partial.lots_required is not None, f"lot {i + 1} not asked for"
        assert (partial.lots_required.article, partial.lots_required.options) == (article, options)
        assert not partial.complete
    final = run(v, v.lots)
    assert final.complete
    assert tuple(ls.seats for ls in final.lists) == v.expected
    assert tuple(w.code for w in final.warnings) == v.warnings


def test_vector_02_log_gives_remainder_seats_to_lists_1_and_7() -> None:
    """Q = 80, list 7 has 60 = 3/4 Q exactly (inclusive), its remainder ties with list 1's."""
    a = run(VECTORS[1], ())
    assert a.quota == 80
    residual = [(s.kind, s.list_number, s.value) for s in a.steps if s.seat is not None]
    assert residual == [(StepKind.LARGEST_REMAINDER, 1, 60), (StepKind.LARGEST_REMAINDER, 7, 60)]
    # the first seat is decided between the tied lists 1 and 7; then only list 7 still qualifies
    assert [s.tied for s in a.steps if s.seat is not None] == [(1, 7), ()]


def test_vector_03_log_is_one_remainder_then_four_unique_averages() -> None:
    a = run(VECTORS[2], ())
    kinds = [(s.kind, s.list_number) for s in a.steps if s.seat is not None]
    assert kinds == [(StepKind.LARGEST_REMAINDER, 1)] + [(StepKind.UNIQUE_HIGHEST_AVERAGE, n) for n in (1, 2, 3, 4)]


def test_vector_08_p9_takes_the_seat_from_list_4() -> None:
    a = run(VECTORS[7], ())
    p9 = [s for s in a.steps if s.kind is StepKind.ABSOLUTE_MAJORITY]
    assert len(p9) == 1
    assert (p9[0].article, p9[0].list_number, p9[0].from_list) == ("P 9", 1, 4)


def test_vector_10_quota_is_exact_fraction() -> None:
    a = run(VECTORS[9], (3,))
    assert a.quota == Fraction(5103, 15)
    assert isinstance(a.quota, Fraction)


def test_vector_14_enkhuizen_seat_of_exhausted_list_goes_to_list_6() -> None:
    a = run(VECTORS[13], ())
    withdrawn = [s for s in a.steps if s.kind is StepKind.LIST_EXHAUSTION]
    assert [s.list_number for s in withdrawn] == [10]
    reassigned = [s for s in a.steps if s.article == "P 10" and s.change == 1]
    assert [s.list_number for s in reassigned] == [6]


def test_lot_not_among_options_is_invalid() -> None:
    with pytest.raises(InvalidLots, match="not one of the options"):
        run(VECTORS[10], (7,))


def test_unused_lot_is_invalid() -> None:
    with pytest.raises(InvalidLots, match="not needed"):
        run(VECTORS[0], (1,))


def test_invalid_lots_is_a_value_error() -> None:
    assert issubclass(InvalidLots, ValueError)


@pytest.mark.parametrize(
    ("lists", "problem"),
    [
        ([ListInput(1, 10), ListInput(1, 20)], "unique"),
        ([ListInput(1, -1)], "negative vote"),
        ([ListInput(1, 10, candidates=-1)], "negative number of candidates"),
    ],
    ids=["duplicate-number", "negative-votes", "negative-candidates"],
)
def test_bad_input_is_rejected(lists: list[ListInput], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        allocate(lists, rules_for("GR", 9))


def test_tk_residual_seats_only_for_lists_reaching_quota() -> None:
    """P 7(2): with 19+ seats a list below the quota gets no residual seat in the Tweede Kamer.

    20 seats, V = 1585, Q = 79 1/4: full seats 12, 6, 0. Averages 76 12/13, 72 6/7, 75: in a
    municipality list 3 (75) takes the second residual seat; in the TK it may not.
    """
    lists = [ListInput(1, 1000), ListInput(2, 510), ListInput(3, 75)]
    assert allocate(lists, rules_for("GR", 20)).seats_per_list == {1: 13, 2: 6, 3: 1}
    assert allocate(lists, rules_for("TK", 20)).seats_per_list == {1: 13, 2: 7, 3: 0}


def test_ek_has_no_absolute_majority_correction() -> None:
    """Chapter U has no P 9: vector 20 keeps the majority list at exactly half the seats."""
    v = VECTORS[19]
    lists = [ListInput(i + 1, votes) for i, votes in enumerate(v.votes)]
    assert allocate(lists, rules_for("GR", 24)).seats_per_list[1] == 13
    ek = allocate(lists, rules_for("EK", 24))
    assert ek.seats_per_list[1] == 12
    assert all(s.kind is not StepKind.ABSOLUTE_MAJORITY for s in ek.steps)


def test_input_order_does_not_matter() -> None:
    v = VECTORS[7]
    lists = [ListInput(i + 1, votes) for i, votes in enumerate(v.votes)]
    rules = rules_for("GR", 15)
    assert allocate(lists[::-1], rules).seats_per_list == allocate(lists, rules).seats_per_list


def test_every_step_has_a_description_and_article() -> None:
    from osv_verify.report.seat_table import step_text

    for v in VECTORS:
        for step in run(v, v.lots).steps:
            assert step.article.startswith("P ")
            assert step_text(step).nl and step_text(step).en


def test_a_warning_is_one_text_rendered_in_either_language() -> None:
    from osv_verify.report.output import Format
    from osv_verify.checks.elected_order import ElectedNames
    from osv_verify.report.seat_table import render

    allocation = allocate([ListInput(1, 600, candidates=1), ListInput(2, 400, candidates=1)], rules_for("GR", 9))
    (warning,) = allocation.warnings
    assert warning.code == "not_all_seats_assigned" and warning.text.en.startswith("7 seats stay unassigned")
    assert "7 zetels blijven onverdeeld" in render(allocation, None, ElectedNames(), Format.TABLE, False, lang="nl")
    assert "7 seats stay unassigned" in render(allocation, None, ElectedNames(), Format.TABLE, False, lang="en")
