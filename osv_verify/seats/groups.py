"""Kieswet P 2, P 3, P 12, P 13, P 15-P 19: elections with several kieskringen (TK, PS2, EP).

A party takes part in the allocation as one list whose vote total is the sum over all its lists
(P 3). Its lists are either one *stel gelijkluidende lijsten* (the same list in several
kieskringen, counted as one list by P 2) or a *lijstengroep* of different lists. Plain data in:

* :class:`SubList`: one list (P 2 "stel" or a list in one kieskring): its kieskringen and its
  candidates in list order as ``(candidate id, votes in those kieskringen)``. The id must be the
  same wherever the same person stands (a ShortCode does this);
* :class:`PartyInput`: the party's list number, name and sub-lists.

Then, per party with seats:

1. P 12: the group quota is the party's votes over its seats; each list gets a seat for every
   time the group quota fits, then largest remainders (lots if needed). P 13: a list with more
   seats than candidates passes the excess on by continuing P 12 and then by highest averages.
2. P 15: candidates whose votes summed over all the party's lists exceed the preference
   threshold take seats in order of votes (lots at the seat boundary).
3. P 16: each is placed on the list where they got most votes (lowest kieskring on ties) that
   still has a free seat; if none has one, they get a seat on their best list anyway and the
   seat last given by P 12/P 13 to a list that still has a free seat is withdrawn.
4. P 17/P 18: free seats go to the next unelected candidates in list order, all lists at once;
   someone reached on several lists sits where they got most votes (lowest kieskring on ties);
   repeat. A list that runs out of candidates passes its seat on by continuing step 1.
5. P 19: per list, the new ranking (preference-elected in order of election, then the others
   above the threshold by votes, then list order).

The P 16(2) and P 18 "pass the seat on" orders follow OSV's roll-back and roll-forward
sequences as described in osv.md §4.5; the Kieswet text does not spell out every corner, and
where our reading had to choose it is said in the function's docstring.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from osv_verify.core.errors import OsvError
from osv_verify.seats.apportion import (
    Allocation,
    ListInput,
    LotDrawer,
    LotOutcome,
    LotsNeeded,
    LotsRequired,
    SeatWarning,
    allocate_with,
)
from osv_verify.seats.nominate import Reason, keeps_original_ranking, new_ranking, preference_seats
from osv_verify.seats.rules import SeatRules


@dataclass(frozen=True)
class SubList:
    """One list of a party: a list in one kieskring or a stel gelijkluidende lijsten (P 2).

    ``candidates`` are ``(candidate id, votes)`` in list order; the votes are those cast for
    the candidate on this list in all of ``kieskringen`` together.
    """

    kieskringen: tuple[int, ...]
    candidates: tuple[tuple[str, int], ...]

    @property
    def key(self) -> int:
        """The lowest kieskring number: identifies the list and breaks ties in P 16/P 18."""
        return min(self.kieskringen)

    @property
    def votes(self) -> int:
        """The list's vote total (P 2(2): summed over the kieskringen of a stel)."""
        return sum(v for _, v in self.candidates)

    def ids(self) -> tuple[str, ...]:
        """The candidate ids in list order."""
        return tuple(c for c, _ in self.candidates)

    def votes_for(self, candidate: str) -> int:
        """Votes for ``candidate`` on this list."""
        return next(v for c, v in self.candidates if c == candidate)

    def __contains__(self, candidate: object) -> bool:
        return any(c == candidate for c, _ in self.candidates)


@dataclass(frozen=True)
class PartyInput:
    """A party (P 3: a list group, or a single list/stel) as plain data."""

    number: int
    sublists: tuple[SubList, ...]
    name: str = ""

    @property
    def votes(self) -> int:
        """P 3: the sum of the vote totals of its lists."""
        return sum(sl.votes for sl in self.sublists)

    def candidate_ids(self) -> tuple[str, ...]:
        """Distinct candidates, in order of first appearance (lists by lowest kieskring)."""
        seen: dict[str, None] = {}
        for sl in sorted(self.sublists, key=lambda s: s.key):
            for c, _ in sl.candidates:
                seen.setdefault(c, None)
        return tuple(seen)

    def total_votes_for(self, candidate: str) -> int:
        """P 15(1): a candidate's votes on all the party's lists together."""
        return sum(v for sl in self.sublists for c, v in sl.candidates if c == candidate)


@dataclass(frozen=True)
class GroupElected:
    """An elected candidate, the list (by lowest kieskring) they sit for, and why."""

    candidate: str
    sublist: int
    reason: Reason


@dataclass(frozen=True)
class PartyElection:
    """The outcome for one party."""

    number: int
    name: str
    seats: int
    sublist_seats: tuple[tuple[int, int], ...]
    """(list key, seats) after P 12, P 13, P 16(2) and P 18."""
    elected: tuple[GroupElected, ...]
    rankings: tuple[tuple[int, tuple[str, ...]], ...]
    """(list key, new ranking) per list (P 19)."""

    @property
    def elected_ids(self) -> tuple[str, ...]:
        """The elected candidates in order of election."""
        return tuple(e.candidate for e in self.elected)


@dataclass(frozen=True)
class GroupResult:
    """The outcome of :func:`elect`; ``parties`` is empty when lots are needed first."""

    allocation: Allocation
    parties: tuple[PartyElection, ...]
    lots_required: LotsRequired | None = None
    warnings: tuple[SeatWarning, ...] = ()

    @property
    def complete(self) -> bool:
        """True unless the computation stopped for a lot."""
        return self.lots_required is None

    def party(self, number: int) -> PartyElection:
        """The outcome of party ``number``."""
        return next(p for p in self.parties if p.number == number)


class UnsupportedCase(OsvError):
    """A corner of P 16(2)/P 18 our reading does not cover; the result cannot be judged."""


def elect(
    parties: Sequence[PartyInput],
    rules: SeatRules,
    *,
    deceased: Collection[str] = frozenset(),
    lots: Iterable[LotOutcome] = (),
) -> GroupResult:
    """Kieswet chapter P for an election with list groups: seats per party, per list, per candidate.

    ``lots`` are drawn outcomes used in order over the whole computation: list numbers for the
    allocation (P 7-P 9), then per party (by number) list keys (P 12/P 13/P 16) and candidate ids
    (P 15).
    """
    for p in parties:
        _check_party(p)
    drawer = LotDrawer(tuple(lots))
    inputs = [  # P 3: a party takes part as one list; P 10 counts its distinct living candidates
        ListInput(p.number, p.votes, p.name, _living_count(p.candidate_ids(), deceased)) for p in parties
    ]
    allocation = allocate_with(inputs, rules, drawer)
    if not allocation.complete:
        return GroupResult(allocation, (), allocation.lots_required, allocation.warnings)
    results: list[PartyElection] = []
    try:
        for p in sorted(parties, key=lambda q: q.number):
            seats = allocation.seats_of(p.number)
            results.append(elect_party(p, seats, allocation.quota, rules, deceased, drawer))
    except LotsNeeded as stop:
        return GroupResult(allocation, tuple(results), stop.required, allocation.warnings)
    drawer.finish()
    return GroupResult(allocation, tuple(results), None, allocation.warnings)


def _check_party(p: PartyInput) -> None:
    kringen = [k for sl in p.sublists for k in sl.kieskringen]
    if not p.sublists or any(not sl.kieskringen for sl in p.sublists):
        raise ValueError(f"party {p.number}: every list needs at least one kieskring")
    if len(set(kringen)) != len(kringen):
        raise ValueError(f"party {p.number}: a kieskring appears in two of its lists")
    for sl in p.sublists:
        ids = [c for c, _ in sl.candidates]
        if len(set(ids)) != len(ids):
            raise ValueError(f"party {p.number}, list {sl.key}: a candidate appears twice")


@dataclass
class _GroupSeats:
    """P 12/P 13 bookkeeping for one party's lists."""

    party: PartyInput
    quota: Fraction
    seats: dict[int, int]
    remainders: dict[int, Fraction] = field(default_factory=dict)
    """P 12(5): each list's surplus over its full seats."""
    had_remainder_seat: set[int] = field(default_factory=set)
    order: list[tuple[int, str, Fraction]] = field(default_factory=list)
    """Residual seats in the order given: (list key, method, deciding value)."""

    def sublist(self, key: int) -> SubList:
        return next(sl for sl in self.party.sublists if sl.key == key)


def elect_party(
    party: PartyInput,
    seats: int,
    quota: Fraction,
    rules: SeatRules,
    deceased: Collection[str],
    drawer: LotDrawer,
) -> PartyElection:
    """P 12-P 19 for one party that won ``seats`` seats in an election with quota ``quota``."""
    group = distribute_over_lists(party, seats, deceased, drawer)  # P 12 / P 13
    living = [c for c in party.candidate_ids() if c not in deceased]
    totals = [(c, party.total_votes_for(c)) for c in living]
    above = [(c, v) for c, v in totals if rules.passes_preference(v, quota)]
    preferred = preference_seats(above, seats, drawer)  # P 15
    occupied: dict[int, list[str]] = {k: [] for k in group.seats}
    elected: list[GroupElected] = []
    for c in preferred:  # P 16
        key = place_preferred(group, occupied, c, drawer)
        occupied[key].append(c)
        elected.append(GroupElected(c, key, Reason.PREFERENCE))
    elected += fill_in_list_order(group, occupied, deceased, drawer)  # P 17 / P 18
    rankings = tuple(
        (sl.key, _ranking(sl, preferred, above, deceased, seats, rules))
        for sl in sorted(party.sublists, key=lambda s: s.key)
    )  # P 19
    per_list = tuple(sorted(group.seats.items()))
    return PartyElection(party.number, party.name, seats, per_list, tuple(elected), rankings)


def distribute_over_lists(
    party: PartyInput, seats: int, deceased: Collection[str], drawer: LotDrawer
) -> _GroupSeats:
    """P 12: the party's seats over its lists by the group quota and largest remainders; P 13(1)-(2):
    a list with more seats than candidates passes the excess on (continued P 12, then highest
    averages)."""
    keys = sorted(sl.key for sl in party.sublists)
    if len(keys) == 1 or seats == 0:
        return _GroupSeats(party, Fraction(0), {k: (seats if k == keys[0] else 0) for k in keys})
    group = _GroupSeats(party, Fraction(party.votes, seats), {})
    for sl in party.sublists:
        full = sl.votes * seats // party.votes
        group.seats[sl.key] = full
        group.remainders[sl.key] = sl.votes - full * group.quota
    _continue_group(group, seats - sum(group.seats.values()), drawer, room=None)

    def has_room(key: int) -> bool:
        return group.seats[key] < _living_count(group.sublist(key).ids(), deceased)

    for sl in party.sublists:  # P 13(1)
        while group.seats[sl.key] > _living_count(sl.ids(), deceased):
            group.seats[sl.key] -= 1
            _continue_group(group, 1, drawer, room=has_room)
    return group


def _living_count(ids: Iterable[str], deceased: Collection[str]) -> int:
    """P 19a: the number of candidates that are not deceased."""
    return sum(1 for c in ids if c not in deceased)


def _continue_group(
    group: _GroupSeats, count: int, drawer: LotDrawer, room: Callable[[int], bool] | None
) -> None:
    """P 12(5) / P 13: give ``count`` more seats within the group, one at a time.

    Largest remainders among lists that have not had a remainder seat yet, then highest averages
    (P 13(2)); ``room`` (a predicate on the list key, or ``None``) limits both to lists that can
    still take a seat.
    """
    for left in range(count, 0, -1):
        eligible = [k for k in sorted(group.seats) if room is None or room(k)]
        values = {k: group.remainders[k] for k in eligible if k not in group.had_remainder_seat}
        method, article = "largest_remainder", "P 12"
        if not values:
            values = {k: Fraction(group.sublist(k).votes, group.seats[k] + 1) for k in eligible}
            method, article = "highest_average", "P 13"
        if not values:
            raise UnsupportedCase(f"party {group.party.number}: no list of the group can take another seat")
        best = max(values.values())
        tied = [k for k in sorted(values) if values[k] == best]
        key = tied[0] if len(tied) <= left else int(drawer.draw(article, method, tied, left))
        group.seats[key] += 1
        if method == "largest_remainder":
            group.had_remainder_seat.add(key)
        group.order.append((key, method, best))


def place_preferred(
    group: _GroupSeats, occupied: dict[int, list[str]], candidate: str, drawer: LotDrawer
) -> int:
    """P 16: the list a preference-elected candidate sits for.

    The list with most votes for them (lowest kieskring on ties) that still has a free seat. If
    none has one (P 16(2)), their best list gets a seat anyway and the seat last given by
    P 12/P 13 to a list that still has a free seat is withdrawn (OSV's roll-back order; a tie
    in that last step needs a lot).
    """
    standing = [sl for sl in group.party.sublists if candidate in sl]
    options = sorted(standing, key=lambda sl: (-sl.votes_for(candidate), sl.key))
    for sl in options:
        if group.seats[sl.key] > len(occupied[sl.key]):
            return sl.key
    target = options[0].key
    free = [i for i, (k, _, _) in enumerate(group.order) if group.seats[k] > len(occupied[k])]
    if not free:
        raise UnsupportedCase(
            f"party {group.party.number}: P 16(2) needs a seat withdrawn, "
            "but no list with a free seat got a residual seat"
        )
    last = group.order[free[-1]]
    tied = sorted({group.order[i][0] for i in free if group.order[i][1:] == last[1:]})
    loser = tied[0] if len(tied) == 1 else int(drawer.draw("P 16", "roll_back", tied, 1))
    group.seats[loser] -= 1
    group.seats[target] += 1
    return target


def fill_in_list_order(
    group: _GroupSeats, occupied: dict[int, list[str]], deceased: Collection[str], drawer: LotDrawer
) -> list[GroupElected]:
    """P 17 / P 18: free seats to the next unelected candidates in list order, all lists at once.

    A candidate reached on several lists sits where they got most votes (lowest kieskring on
    ties); the other lists then take their next candidate. A list left with a free seat and no
    unelected candidate passes the seat on by continuing P 12/P 13 (OSV's roll-forward).
    """
    seated = {c for cs in occupied.values() for c in cs}
    out: list[GroupElected] = []
    while True:
        claims: dict[str, list[int]] = {}
        for sl in sorted(group.party.sublists, key=lambda s: s.key):
            free = group.seats[sl.key] - len(occupied[sl.key])
            nxt = [c for c, _ in sl.candidates if c not in seated and c not in deceased][:max(free, 0)]
            for c in nxt:
                claims.setdefault(c, []).append(sl.key)
        if not claims:
            if _pass_on_empty_lists(group, occupied, seated, deceased, drawer):
                continue
            return out
        for c, keys in claims.items():
            key = min(keys, key=lambda k: (-group.sublist(k).votes_for(c), k))
            occupied[key].append(c)
            seated.add(c)
            out.append(GroupElected(c, key, Reason.LIST_ORDER))


def _pass_on_empty_lists(
    group: _GroupSeats,
    occupied: dict[int, list[str]],
    seated: set[str],
    deceased: Collection[str],
    drawer: LotDrawer,
) -> bool:
    """P 18 / P 13(1): move free seats of lists without unelected candidates to other lists."""
    def has_candidates(k: int) -> bool:
        return any(c not in seated and c not in deceased for c, _ in group.sublist(k).candidates)

    stuck = [k for k in sorted(group.seats) if group.seats[k] > len(occupied[k]) and not has_candidates(k)]
    if not stuck:
        return False
    for k in stuck:
        while group.seats[k] > len(occupied[k]):
            group.seats[k] -= 1
            _continue_group(group, 1, drawer, room=has_candidates)
    return True


def _ranking(
    sl: SubList,
    preferred: Sequence[str],
    above: Sequence[tuple[str, int]],
    deceased: Collection[str],
    party_seats: int,
    rules: SeatRules,
) -> tuple[str, ...]:
    """P 19 for one list of the party: preference-elected on it first (P 19(1)), then those
    above the threshold by votes on all lists together (P 19(2)), then list order (P 19(3)).
    P 19(4): where someone actually sits (P 18) does not matter for the ranking."""
    ids = list(sl.ids())
    living = [c for c in ids if c not in deceased]
    above_here = [(c, v) for c, v in above if c in sl]
    keep = keeps_original_ranking(len(living) < len(ids), bool(above_here), party_seats, rules)
    ranking, _ = new_ranking(ids, living, [c for c in preferred if c in sl], above_here, keep_original=keep)
    return ranking
