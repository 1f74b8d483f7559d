"""Kieswet P 15-P 19a: which candidates of one list take its seats, and the new ranking.

For a list that is not part of a list group (one list, or a *stel gelijkluidende lijsten*
counted as one list by P 2). List groups are in :mod:`osv_verify.seats.groups`.

* P 19a: deceased candidates are left out from the start (their votes still count for the list).
* P 15: candidates whose votes exceed the preference threshold (a share of the quota, see
  :class:`~osv_verify.seats.rules.SeatRules`) are elected in order of their votes, as far as
  the list has seats. Equal votes keep list order (stable); a lot is needed only when equal
  votes cross the seat boundary (Abacus PR #3569 reverted an earlier "always draw").
* P 17: the remaining seats go to the other candidates in list order.
* P 19: new ranking for filling later vacancies: the preference-elected in order of election,
  then the other candidates above the threshold by votes (list order on ties), then the rest in
  list order. Kept as it was when nothing changes (no deceased candidate and nobody above the
  threshold), and, with 19 or more seats, for a list that won no seat (P 19(5)).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import TypeVar, cast

from osv_verify.seats.apportion import LotDrawer, LotOutcome, LotsNeeded, LotsRequired
from osv_verify.seats.rules import SeatRules

C = TypeVar("C", bound=Hashable)


class Reason(StrEnum):
    """Why a candidate got a seat."""

    PREFERENCE = "preference"  # P 15
    LIST_ORDER = "list order"  # P 17


@dataclass(frozen=True)
class Elected:
    """One elected candidate (``candidate`` is the position on the list)."""

    candidate: int
    reason: Reason


@dataclass(frozen=True)
class Nomination:
    """The outcome for one list; partial (empty ranking) when ``lots_required`` is set."""

    list_number: int
    seats: int
    threshold: Fraction
    elected: tuple[Elected, ...]
    ranking: tuple[int, ...]
    ranking_updated: bool
    lots_required: LotsRequired | None = None
    unfilled: int = 0

    @property
    def complete(self) -> bool:
        """True unless a lot has to be drawn first."""
        return self.lots_required is None

    @property
    def elected_numbers(self) -> tuple[int, ...]:
        """The elected candidates in order of election."""
        return tuple(e.candidate for e in self.elected)


def nominate(
    list_number: int,
    seats: int,
    candidates: Sequence[tuple[int, int]],
    quota: Fraction,
    rules: SeatRules,
    *,
    deceased: Collection[int] = frozenset(),
    lots: Iterable[LotOutcome] = (),
) -> Nomination:
    """Kieswet P 15-P 19a for one list.

    ``candidates`` are ``(number, votes)`` in list order; ``quota`` is the P 5 quota of the
    election; ``lots`` are drawn candidate numbers, used in order when equal votes cross the
    seat boundary.
    """
    drawer = LotDrawer(tuple(lots))
    result = nominate_with(list_number, seats, candidates, quota, rules, deceased=deceased, drawer=drawer)
    if result.complete:
        drawer.finish()
    return result


def nominate_with(
    list_number: int,
    seats: int,
    candidates: Sequence[tuple[int, int]],
    quota: Fraction,
    rules: SeatRules,
    *,
    deceased: Collection[int],
    drawer: LotDrawer,
) -> Nomination:
    """:func:`nominate` with a shared :class:`LotDrawer`."""
    numbers = [n for n, _ in candidates]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"list {list_number}: candidate numbers must be unique")
    if seats < 0:
        raise ValueError(f"list {list_number}: negative number of seats {seats}")
    living = [(n, v) for n, v in candidates if n not in deceased]  # P 19a
    threshold = rules.preference_threshold * quota
    above = [(n, v) for n, v in living if rules.passes_preference(v, quota)]
    try:
        preferred = preference_seats(above, seats, drawer)  # P 15
    except LotsNeeded as stop:
        return Nomination(list_number, seats, threshold, (), (), False, stop.required)
    rest = list_order_seats([n for n, _ in living], preferred, seats)  # P 17
    elected = tuple(Elected(n, Reason.PREFERENCE) for n in preferred)
    elected += tuple(Elected(n, Reason.LIST_ORDER) for n in rest)
    keep = keeps_original_ranking(len(living) < len(candidates), bool(above), seats, rules)
    living_numbers = [n for n, _ in living]
    ranking, updated = new_ranking(numbers, living_numbers, preferred, above, keep_original=keep)  # P 19
    return Nomination(list_number, seats, threshold, elected, ranking, updated, None, seats - len(elected))


def preference_seats(above: Sequence[tuple[C, int]], seats: int, drawer: LotDrawer) -> list[C]:
    """P 15: candidates above the threshold take seats in order of their votes.

    ``above`` is in list order, so equal votes keep list order; when more candidates share the
    deciding number of votes than there are seats left, a lot picks who gets the next seat.
    """
    pool = list(above)
    chosen: list[C] = []
    while pool and len(chosen) < seats:
        top = max(v for _, v in pool)
        group = [c for c, v in pool if v == top]
        free = seats - len(chosen)
        winner = group[0] if len(group) <= free else cast(C, drawer.draw("P 15", "candidates", group, free))
        chosen.append(winner)
        pool = [(c, v) for c, v in pool if c != winner]
    return chosen


def list_order_seats(living: Sequence[C], preferred: Sequence[C], seats: int) -> list[C]:
    """P 17: the seats left go to the other living candidates in list order."""
    free = seats - len(preferred)
    return [c for c in living if c not in preferred][:max(free, 0)]


def keeps_original_ranking(has_deceased: bool, anyone_above: bool, seats: int, rules: SeatRules) -> bool:
    """P 19(5): the list keeps its original order.

    When nothing would change it (no deceased candidate and nobody above the threshold), and for
    a list that won no seat unless the election has fewer than 19 seats (Abacus's reading of
    the current text; the 2013 text made this exception only for councils of 9 or 11 seats).
    """
    if has_deceased:
        return False
    return not anyone_above or (seats == 0 and not rules.rank_seatless_lists)


def new_ranking(
    original: Sequence[C],
    living: Sequence[C],
    preferred: Sequence[C],
    above: Sequence[tuple[C, int]],
    *,
    keep_original: bool,
) -> tuple[tuple[C, ...], bool]:
    """P 19: the preference-elected first, then the others above the threshold, then list order.

    Returns the ranking and whether it differs in kind from the original (``keep_original``
    is the P 19(5) / "nothing changed" case decided by the caller).
    """
    if keep_original:
        return tuple(original), False
    others_above = sorted((cv for cv in above if cv[0] not in preferred), key=lambda cv: -cv[1])
    head = list(preferred) + [c for c, _ in others_above]
    return tuple(head + [c for c in living if c not in head]), True
