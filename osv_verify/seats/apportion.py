"""Kieswet P 5-P 10: allocate the seats to the lists, exactly, with a step log.

The orchestrator :func:`allocate` reads like the law: quota (P 5), full seats (P 6), residual
seats (P 7 with 19 or more seats, P 8 below), the absolute-majority correction (P 9) and list
exhaustion (P 10, deliberately after P 9). The semantics follow the Kiesraad's Abacus as
described in ``../shared/reference/abacus.md`` §5:

* residual seats are given one at a time; when several lists share the deciding value, the
  lowest-numbered gets this seat if there are at least as many seats left as tied lists,
  otherwise a lot is needed;
* P 9 moves the *last* residual seat; if the last residual steps were a tie (same method, same
  value), a lot decides which list loses it; the losing list may qualify for a remainder or
  unique-average seat again;
* P 10 withdraws the excess seats of an exhausted list (residual seats first) and reassigns them
  by continuing the residual method, excluding full lists and keeping the history of who already
  had a remainder or unique-average seat.

Lots are never guessed: :func:`allocate` stops and reports :class:`LotsRequired`; pass the
physically drawn outcomes back in ``lots`` and they are used in order. All arithmetic is on
integers and :class:`fractions.Fraction`; there is no floating point anywhere.

Law text: https://wetten.overheid.nl/BWBR0004627/2026-01-01 (Abacus's citation);
consolidated 17-10-2013 text as read for this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Literal

from osv_verify.core.errors import UsageError
from osv_verify.core.text import Text
from osv_verify.core.text import count as n_of
from osv_verify.seats.rules import SeatRules

LotOutcome = int | str
"""A drawn lot: a list number, or a candidate id when candidates are drawn."""


class StepKind(StrEnum):
    """What a step of the log did (the seat-change kinds of Abacus)."""

    FULL_SEATS = "full_seats"
    HIGHEST_AVERAGE = "highest_average"
    LARGEST_REMAINDER = "largest_remainder"
    UNIQUE_HIGHEST_AVERAGE = "unique_highest_average"
    ABSOLUTE_MAJORITY = "absolute_majority"
    LIST_EXHAUSTION = "list_exhaustion"


RESIDUAL_KINDS = frozenset(
    {StepKind.HIGHEST_AVERAGE, StepKind.LARGEST_REMAINDER, StepKind.UNIQUE_HIGHEST_AVERAGE}
)


@dataclass(frozen=True)
class ListInput:
    """One list (or list group) as it takes part in the allocation.

    ``votes`` is the list's vote total (the sum of its candidates' votes); ``candidates`` the
    number of living candidates, ``None`` for unlimited (P 10 then never applies). Deceased
    candidates are simply left out of that count by the caller (P 19a).
    """

    number: int
    votes: int
    name: str = ""
    candidates: int | None = None


@dataclass(frozen=True)
class Step:
    """One line of the allocation log.

    ``list_number`` is the list whose seats change by ``change``; ``seat`` is the ordinal of
    the residual seat concerned (``None`` for full seats and withdrawals); ``value`` is what
    decided (the average, the remainder, for full seats the votes over the quota, for P 9 the
    value of the seat that was moved, for P 10 the list's number of candidates); ``tied`` the
    lists that shared that value; ``from_list`` the list that lost the seat under P 9;
    ``withdrawn`` which seat P 10 took away. Data only: ``report/seat_table.step_text`` says it
    in words, in both languages.
    """

    article: str
    kind: StepKind
    list_number: int
    value: Fraction
    change: int
    seat: int | None = None
    tied: tuple[int, ...] = ()
    from_list: int | None = None
    withdrawn: Literal["residual", "full"] | None = None


@dataclass(frozen=True)
class LotsRequired:
    """The law says "zo nodig beslist het lot": a lot must be drawn before we can go on.

    ``options`` are the tied lists (or candidates); the lot decides which of them gets the next
    seat (or, for P 9, loses it). ``seats_at_stake`` is how many seats the tied options compete
    for at this point.
    """

    article: str
    kind: str
    options: tuple[LotOutcome, ...]
    seats_at_stake: int

    @property
    def text(self) -> Text:
        """What must be drawn, in both languages."""
        listed = ", ".join(str(o) for o in self.options)
        return Text(f"{self.article}: loting tussen {listed} om {n_of(self.seats_at_stake, 'zetel', 'zetels')}",
                    f"{self.article}: lots needed between {listed} for {n_of(self.seats_at_stake, 'seat', 'seats')}")


class InvalidLots(UsageError, ValueError):
    """A drawn lot is not one of the options the law allows at that point, or was never used."""


class LotsNeeded(Exception):
    """Internal control flow: a lot is needed and none was supplied."""

    def __init__(self, required: LotsRequired) -> None:
        super().__init__(required.text.en)
        self.required = required


@dataclass
class LotDrawer:
    """Hands out the drawn lots in order and checks each against the options at that point."""

    drawn: tuple[LotOutcome, ...] = ()
    used: int = 0

    def draw(self, article: str, kind: str, options: Sequence[LotOutcome], seats_at_stake: int) -> LotOutcome:
        """Return the next drawn outcome, or stop with :class:`LotsNeeded` when there is none."""
        opts = tuple(options)
        if self.used == len(self.drawn):
            raise LotsNeeded(LotsRequired(article, kind, opts, seats_at_stake))
        outcome = self.drawn[self.used]
        if outcome not in opts:
            raise InvalidLots(Text(
                f"getrokken lot {self.used + 1} ({outcome!r}) is niet een van de mogelijkheden {list(opts)} voor {article}",
                f"drawn lot {self.used + 1} ({outcome!r}) is not one of the options "
                f"{list(opts)} for {article} ({kind})",
            ))
        self.used += 1
        return outcome

    def finish(self) -> None:
        """All supplied lots must have been needed; a leftover means they belong elsewhere."""
        if self.used != len(self.drawn):
            left = len(self.drawn) - self.used
            raise InvalidLots(Text(
                f"{left} getrokken {'lot was' if left == 1 else 'loten waren'} niet nodig: {list(self.drawn[self.used:])}",
                f"{n_of(left, 'drawn lot was', 'drawn lots were')} not needed: {list(self.drawn[self.used:])}",
            ))


@dataclass(frozen=True)
class ListSeats:
    """The outcome for one list."""

    number: int
    name: str
    votes: int
    candidates: int | None
    full_seats: int
    residual_seats: int

    @property
    def seats(self) -> int:
        """Total seats of the list."""
        return self.full_seats + self.residual_seats


@dataclass(frozen=True)
class SeatWarning:
    """Something a reader of the result must know; ``code`` is stable."""

    code: str
    text: Text


@dataclass(frozen=True)
class Allocation:
    """The result of :func:`allocate`; partial when ``lots_required`` is set."""

    rules: SeatRules
    total_votes: int
    quota: Fraction
    lists: tuple[ListSeats, ...]
    steps: tuple[Step, ...]
    lots_required: LotsRequired | None = None
    warnings: tuple[SeatWarning, ...] = ()

    @property
    def complete(self) -> bool:
        """True unless the computation stopped because a lot has to be drawn."""
        return self.lots_required is None

    @property
    def seats_per_list(self) -> dict[int, int]:
        """List number -> total seats."""
        return {ls.number: ls.seats for ls in self.lists}

    @property
    def unassigned(self) -> int:
        """Seats not (yet) given to any list."""
        return self.rules.seats - sum(ls.seats for ls in self.lists)

    def seats_of(self, number: int) -> int:
        """Total seats of list ``number``."""
        return self.seats_per_list[number]


@dataclass
class _Standing:
    """Mutable bookkeeping of one list during the computation."""

    number: int
    name: str
    votes: int
    candidates: int | None
    full: int = 0
    residual: int = 0
    remainder: Fraction = Fraction(0)
    had_remainder_seat: bool = False
    had_unique_average_seat: bool = False

    @property
    def total(self) -> int:
        return self.full + self.residual

    @property
    def has_room(self) -> bool:
        """P 10: the list still has a candidate without a seat."""
        return self.candidates is None or self.total < self.candidates


@dataclass
class _Run:
    """The state of one allocation while the articles are applied in turn."""

    rules: SeatRules
    lists: list[_Standing]
    total_votes: int
    quota: Fraction
    lots: LotDrawer
    steps: list[Step] = field(default_factory=list)
    warnings: list[SeatWarning] = field(default_factory=list)
    residual_seats_given: int = 0

    @property
    def assigned(self) -> int:
        return sum(s.total for s in self.lists)

    def by_number(self, number: int) -> _Standing:
        return next(s for s in self.lists if s.number == number)

    def warn(self, code: str, text: Text) -> None:
        if all(w.code != code for w in self.warnings):
            self.warnings.append(SeatWarning(code, text))

    def result(self, lots_required: LotsRequired | None) -> Allocation:
        return Allocation(
            rules=self.rules,
            total_votes=self.total_votes,
            quota=self.quota,
            lists=tuple(
                ListSeats(s.number, s.name, s.votes, s.candidates, s.full, s.residual) for s in self.lists
            ),
            steps=tuple(self.steps),
            lots_required=lots_required,
            warnings=tuple(self.warnings),
        )


def allocate(lists: Sequence[ListInput], rules: SeatRules, lots: Iterable[LotOutcome] = ()) -> Allocation:
    """Kieswet P 5-P 10: allocate ``rules.seats`` seats to ``lists``.

    ``lots`` are drawn outcomes (list numbers), used in order whenever a tie needs a lot. When a
    lot is needed and none is left, the result stops there with ``lots_required`` set. A drawn
    lot that is not among the options, or one that is never needed, raises :class:`InvalidLots`.
    """
    drawer = LotDrawer(tuple(lots))
    allocation = allocate_with(lists, rules, drawer)
    if allocation.complete:
        drawer.finish()
    return allocation


def allocate_with(lists: Sequence[ListInput], rules: SeatRules, drawer: LotDrawer) -> Allocation:
    """:func:`allocate` with a shared :class:`LotDrawer` (used by the list-group code)."""
    run = _start(lists, rules, drawer)
    try:
        full_seats(run)  # P 6
        assign_residual_seats(run, rules.seats - run.assigned, article=_residual_article(rules))  # P 7 / P 8
        majority_moved = absolute_majority(run)  # P 9
        exhausted_lists(run, after_absolute_majority=majority_moved)  # P 10, after P 9 on purpose
    except LotsNeeded as stop:
        return run.result(stop.required)
    return run.result(None)


def electoral_quota(total_votes: int, seats: int) -> Fraction:
    """P 5: the quota (kiesdeler) is the sum of the list vote totals divided by the seats."""
    return Fraction(total_votes, seats)


def _start(lists: Sequence[ListInput], rules: SeatRules, drawer: LotDrawer) -> _Run:
    """Validate the input and compute the P 5 quota."""
    numbers = [li.number for li in lists]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"list numbers must be unique, got {sorted(numbers)}")
    for li in lists:
        if li.votes < 0:
            raise ValueError(f"list {li.number}: negative vote total {li.votes}")
        if li.candidates is not None and li.candidates < 0:
            raise ValueError(f"list {li.number}: negative number of candidates {li.candidates}")
    ordered = sorted(lists, key=lambda li: li.number)
    standings = [_Standing(li.number, li.name, li.votes, li.candidates) for li in ordered]
    total = sum(li.votes for li in lists)
    return _Run(rules, standings, total, electoral_quota(total, rules.seats), drawer)


def _residual_article(rules: SeatRules) -> str:
    return "P 8" if rules.largest_remainders else "P 7"


def full_seats(run: _Run) -> None:
    """P 6: a list gets one seat for every time the quota fits in its vote total."""
    for s in run.lists:
        if s.votes == 0:
            continue
        quotas = Fraction(s.votes * run.rules.seats, run.total_votes)  # = votes / quota
        s.full = quotas.numerator // quotas.denominator
        s.remainder = s.votes - s.full * run.quota
        if s.full:
            run.steps.append(Step("P 6", StepKind.FULL_SEATS, s.number, quotas, s.full))


def assign_residual_seats(run: _Run, count: int, *, article: str, only_lists_with_room: bool = False) -> None:
    """P 7 / P 8 (and P 10 when continued): give ``count`` residual seats, one at a time.

    Each seat goes to the list with the best value under the method that applies now
    (:func:`residual_method`). Ties: the lowest-numbered list if there are at least as many
    seats left as tied lists, otherwise a lot. ``only_lists_with_room`` is P 10's exclusion of
    lists without unelected candidates.
    """
    for left in range(count, 0, -1):
        kind, values = residual_method(run, only_lists_with_room)
        if not values:
            run.warn("not_all_seats_assigned", Text(
                f"{left} {'zetel blijft' if left == 1 else 'zetels blijven'} onverdeeld: geen lijst kan nog een zetel krijgen",
                f"{n_of(left, 'seat stays', 'seats stay')} unassigned: no list can take another seat"))
            return
        best = max(values.values())
        tied = sorted(n for n, v in values.items() if v == best)
        winner = tied[0] if len(tied) <= left else int(run.lots.draw(article, kind.value, tied, left))
        shared = tuple(tied) if len(tied) > 1 else ()
        _give_residual_seat(run, run.by_number(winner), kind, best, shared, article)


def residual_method(run: _Run, only_lists_with_room: bool) -> tuple[StepKind, dict[int, Fraction]]:
    """P 7(1) / P 8(1)-(3): the method for the next residual seat and each eligible list's value.

    Below 19 seats: largest remainders while some list qualifies (P 8(1)-(2)), then unique
    highest averages (P 8(3)), then plain highest averages (only reachable after exhaustion).
    From 19 seats: highest averages (P 7(1)), with P 7(2) where the rules say so.
    """
    base = [s for s in run.lists if _may_get_residual_seat(run, s, only_lists_with_room)]
    if run.rules.remainder_threshold is not None:
        threshold = run.rules.remainder_threshold * run.quota
        remainders = {
            s.number: s.remainder for s in base if not s.had_remainder_seat and s.votes >= threshold
        }
        if remainders:
            return StepKind.LARGEST_REMAINDER, remainders
        unique = {s.number: Fraction(s.votes, s.total + 1) for s in base if not s.had_unique_average_seat}
        if unique:
            return StepKind.UNIQUE_HIGHEST_AVERAGE, unique
    return StepKind.HIGHEST_AVERAGE, {s.number: Fraction(s.votes, s.total + 1) for s in base}


def _may_get_residual_seat(run: _Run, s: _Standing, only_lists_with_room: bool) -> bool:
    """P 7(2), P 10: a list needs votes, the quota where required, and (in P 10) room."""
    if s.votes == 0:
        return False
    if run.rules.residual_requires_quota and s.votes < run.quota:
        return False
    return s.has_room or not only_lists_with_room


def _give_residual_seat(
    run: _Run, s: _Standing, kind: StepKind, value: Fraction, tied: tuple[int, ...], article: str
) -> None:
    """Record one residual seat for list ``s`` and remember which capped method gave it."""
    s.residual += 1
    if kind is StepKind.LARGEST_REMAINDER:
        s.had_remainder_seat = True
    elif kind is StepKind.UNIQUE_HIGHEST_AVERAGE:
        s.had_unique_average_seat = True
    run.residual_seats_given += 1
    run.steps.append(Step(article, kind, s.number, value, +1, seat=run.residual_seats_given, tied=tied))


_NO_SEAT_TO_MOVE_NL = ("P 9: een lijst heeft de meerderheid van de stemmen maar niet van de zetels, en er is geen "
                       "restzetel die kan overgaan")


def absolute_majority(run: _Run) -> bool:
    """P 9: a list with more than half the votes but not more than half the seats gets one more.

    The seat is taken from the list that won the last residual seat; if the last residual seats
    were won with the same value by several lists, a lot decides. Returns whether a seat moved.
    """
    if not run.rules.absolute_majority or run.total_votes == 0:
        return False
    majority = next((s for s in run.lists if 2 * s.votes > run.total_votes), None)
    if majority is None or 2 * majority.total > run.rules.seats:
        return False
    residual = [st for st in run.steps if st.kind in RESIDUAL_KINDS]
    if not residual:
        run.warn("absolute_majority_without_residual_seat", Text(
            _NO_SEAT_TO_MOVE_NL, f"P 9: list {majority.number} has a majority of the votes but not of the seats, "
                                 "and no residual seat was assigned that could be moved"))
        return False
    run_of_last = [st for st in _trailing_run(residual) if st.list_number != majority.number]
    options = sorted({st.list_number for st in run_of_last})
    if not options:
        run.warn("absolute_majority_without_residual_seat", Text(
            _NO_SEAT_TO_MOVE_NL, f"P 9: the last residual seat went to the majority list {majority.number} itself"))
        return False
    if len(options) == 1:
        loser_number = options[0]
    else:
        loser_number = int(run.lots.draw("P 9", StepKind.ABSOLUTE_MAJORITY.value, options, 1))
    retracted = next(st for st in reversed(run_of_last) if st.list_number == loser_number)
    loser = run.by_number(loser_number)
    loser.residual -= 1
    if retracted.kind is StepKind.LARGEST_REMAINDER:
        loser.had_remainder_seat = False
    elif retracted.kind is StepKind.UNIQUE_HIGHEST_AVERAGE:
        loser.had_unique_average_seat = False
    majority.residual += 1
    run.steps.append(Step(
        "P 9", StepKind.ABSOLUTE_MAJORITY, majority.number, retracted.value, +1,
        seat=retracted.seat, tied=tuple(options) if len(options) > 1 else (), from_list=loser_number,
    ))
    return True


def _trailing_run(residual: list[Step]) -> list[Step]:
    """The last residual steps that share the last step's method and value (a tie)."""
    last = residual[-1]
    out: list[Step] = []
    for st in reversed(residual):
        if st.kind is not last.kind or st.value != last.value:
            break
        out.append(st)
    return out[::-1]


def exhausted_lists(run: _Run, *, after_absolute_majority: bool = False) -> None:
    """P 10: seats a list cannot fill pass on by continuing the residual-seat rules.

    Excess seats are withdrawn (residual seats first, then full seats) and given again with the
    residual method, now only to lists that still have unelected candidates. Earlier remainder
    and unique-average seats still count. If no list can take them, they stay unassigned.
    """
    freed = 0
    for s in run.lists:
        while s.candidates is not None and s.total > s.candidates:
            withdrawn: Literal["residual", "full"] = "residual" if s.residual else "full"
            if s.residual:
                s.residual -= 1
            else:
                s.full -= 1
            freed += 1
            run.steps.append(Step("P 10", StepKind.LIST_EXHAUSTION, s.number, Fraction(s.candidates), -1,
                                  withdrawn=withdrawn))
    if not freed:
        return
    if after_absolute_majority:
        run.warn("absolute_majority_and_list_exhaustion", Text(
            "P 9 en P 10 zijn allebei toegepast; OSV2020 en Abacus lezen die combinatie verschillend (Abacus issue "
            "#3219), dus de officiële uitslag kan afwijken: controleer die met de hand",
            "both P 9 and P 10 were applied; OSV2020 and Abacus interpret this combination "
            "differently (Abacus issue #3219), so the official result may differ: check it by hand"))
    assign_residual_seats(run, freed, article="P 10", only_lists_with_room=True)

