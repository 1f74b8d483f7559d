"""The fault catalogue (``FAULTS``: what each fault changes and what ``osv-verify verify`` must
report for it), where faults go so that they do not hide or cancel each other, and the typing
error several of them make."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from osv_verify.devtools.synth.election import CATEGORIES, Gemeente


@dataclass(frozen=True)
class FaultSpec:
    name: str
    categories: frozenset[str]
    scope: str  # station | gemeente | kieskring | result
    findings: str  # what verify must report, in words
    description: str
    random: bool = True  # chosen by ``faults=N``


FAULTS: dict[str, FaultSpec] = {
    f.name: f
    for f in (
        FaultSpec(
            "swap_lists", frozenset(CATEGORIES), "station",
            "none: the PV stays internally consistent and its totals are added up from it",
            "two lists (with as many candidates) swapped in one station: list totals and the candidates' "
            "votes position by position; the municipality total (and every level above) is added up from "
            "the swapped PV. No arithmetic check can see it; it is there for plausibility checks "
            "(comparison with neighbouring stations or earlier elections).",
        ),
        FaultSpec(
            "swap_candidates", frozenset(CATEGORIES), "station",
            "none for the arithmetic checks; P.CANDIDATE_SWAP with --plausibility when the two differ enough",
            "the votes of a list's first candidate and another of its candidates exchanged in one station "
            "(the list total stays right): internally consistent, for plausibility checks.",
        ),
        FaultSpec(
            "zero_invalid", frozenset(CATEGORIES), "station",
            "none for the arithmetic checks; P.ZERO with --plausibility where at least 14 invalid votes were "
            "expected",
            "a station's invalid votes written down as blank votes (invalid 0): internally consistent, for "
            "plausibility checks (TK2021 Stein: 0 invalid votes, officially 24).",
        ),
        FaultSpec(
            "candidate_typo", frozenset(CATEGORIES), "station",
            "F.402 at the station (that list); AGG.TOTAL on the municipality total (that candidate)",
            "a digit typo (two digits swapped or one digit wrong) in one candidate's votes in one station's "
            "published PV; the list total and the municipality total keep the right numbers.",
        ),
        FaultSpec(
            "list_total_not_sum", frozenset(CATEGORIES), "station",
            "F.402 at the station (that list) and F.202 at the station; AGG.TOTAL on the municipality total "
            "(that list)",
            "one list total in one station's published PV is off by 1-10; TotalCounted and the municipality "
            "total keep the right numbers.",
        ),
        FaultSpec(
            "unexplained_difference", frozenset(CATEGORIES), "station",
            "F.306 (ballots > admitted) or F.308 (ballots < admitted) and TALLY.EXPLANATIONS at the station; "
            "AGG.TOTAL on the municipality total for poll cards and admitted voters",
            "admitted voters (and poll cards with them, so A + B + C = D still holds) changed by 1-3 in one "
            "station's published PV, so a difference with the ballots appears that 'meer'/'minder getelde "
            "stembiljetten' and the explanations do not record. Small enough for no W.203.",
        ),
        FaultSpec(
            "station_left_out", frozenset(CATEGORIES), "gemeente",
            "AGG.UNIT_LEFT_OUT naming the station (one finding instead of one per number)",
            "one station is published in the 510b but was left out of the municipality's TotalVotes sum; "
            "the levels above copy that total faithfully.",
        ),
        FaultSpec(
            "eligible_zero", frozenset(CATEGORIES), "gemeente",
            "TK: W.205 and AGG.LEVEL (eligible voters) on that municipality in the kieskring 510c; "
            "GR: W.205 on the municipality total",
            "TK: the kieskring copied the municipality's eligible voters as 0 (TK2021: Haarlem, Zandvoort ...); "
            "the 510c total adds up its units as published. GR: the municipality published 0 eligible voters "
            "for every station and its total (OSV writes 0 when unknown).",
        ),
        FaultSpec(
            "total_copied_wrong", frozenset({"TK"}), "gemeente",
            "AGG.LEVEL on that municipality in the kieskring 510c (that field)",
            "a municipality total copied into the kieskring 510c with a digit typo in one of eligible voters, "
            "blank, invalid, proxy certificates or voter cards (a field no sum inside the 510c unit checks); "
            "the 510c total adds up its units as published (TK2021: Stein's invalid votes).",
        ),
        FaultSpec(
            "duplicated_station", frozenset(CATEGORIES), "gemeente",
            "AGG.DUPLICATE_UNIT for the station (the units add up to one station too many, which the "
            "duplicate explains)",
            "one station appears twice in the 510b (and in its CSV); the total counts it once. Placed in a "
            "municipality without other faults.",
        ),
        FaultSpec(
            "wrong_seat_520", frozenset(CATEGORIES), "result",
            "SEATS.ALLOCATION and SEATS.ELECTED for each of the two lists",
            "one seat moved in the 520 from one list (its last elected candidate) to another (its next "
            "candidate in the new ranking, with Ranking 2).",
        ),
    )
}


@dataclass
class Planned:
    name: str
    gemeente: int | None  # index; None for the 520


class Placement:
    """Which faults go where, so that they do not hide or cancel each other."""

    #: Stations a fault takes for itself in its municipality.
    STATION_NEEDS = {"swap_lists": 1, "swap_candidates": 1, "zero_invalid": 1, "candidate_typo": 1,
                     "list_total_not_sum": 1, "unexplained_difference": 1, "station_left_out": 1,
                     "duplicated_station": 1}

    def __init__(self, gemeenten: Sequence[Gemeente], category: str) -> None:
        self.gemeenten = gemeenten
        self.category = category
        self.used = Counter[int]()
        self.any_fault: set[int] = set()
        self.exclusive: set[int] = set()
        self.unit_510c: set[int] = set()
        self.eligible_zero: set[int] = set()
        self.result = False

    def fits(self, name: str, g: int | None) -> bool:
        if name == "wrong_seat_520":
            return not self.result
        assert g is not None
        gem = self.gemeenten[g]
        if g in self.exclusive:
            return False
        if name == "duplicated_station":
            return g not in self.any_fault
        need = self.STATION_NEEDS.get(name, 0)
        if self.used[g] + need > gem.n_stations:
            return False
        if name == "station_left_out" and gem.n_stations < 2:
            return False
        if name == "eligible_zero":
            return g not in (self.unit_510c if self.category == "TK" else self.eligible_zero)
        if name == "total_copied_wrong":
            return g not in self.unit_510c
        return True

    def place(self, name: str, g: int | None) -> None:
        if name == "wrong_seat_520":
            self.result = True
            return
        assert g is not None
        self.used[g] += self.STATION_NEEDS.get(name, 0)
        self.any_fault.add(g)
        if name == "duplicated_station":
            self.exclusive.add(g)
        if name in ("eligible_zero", "total_copied_wrong") and self.category == "TK":
            self.unit_510c.add(g)
        if name == "eligible_zero":
            self.eligible_zero.add(g)

    def options(self, name: str) -> list[int | None]:
        if name == "wrong_seat_520":
            return [None] if self.fits(name, None) else []
        return [g.index for g in self.gemeenten if self.fits(name, g.index)]


def plan_faults(faults: int | Sequence[str] | None, rng: random.Random, gemeenten: Sequence[Gemeente],
                 category: str, notes: list[str]) -> list[Planned]:
    placement = Placement(gemeenten, category)
    plan: list[Planned] = []
    if faults is None or faults == 0:
        return plan
    if isinstance(faults, int):
        if faults < 0:
            raise ValueError("the number of faults cannot be negative")
        names = [n for n, f in FAULTS.items() if f.random and category in f.categories]
        chosen: list[str] = []
        for i in range(faults):
            order = names[:]
            rng.shuffle(order)
            order.sort(key=lambda n: n in chosen)  # prefer a fault not chosen yet
            for name in order:
                if name == "duplicated_station" and len(gemeenten) < faults:
                    continue  # it takes a municipality for itself: only when there are enough
                options = placement.options(name)
                if options:
                    g = rng.choice(options)
                    placement.place(name, g)
                    plan.append(Planned(name, g))
                    chosen.append(name)
                    break
            else:
                notes.append(f"only {i} of {faults} faults could be placed (too few stations or municipalities)")
                break
        return plan
    for name in faults:
        if name not in FAULTS:
            raise ValueError(f"unknown fault {name!r}; known: {', '.join(FAULTS)}")
        if category not in FAULTS[name].categories:
            raise ValueError(f"fault {name!r} does not apply to a {category} election")
        options = placement.options(name)
        if not options:
            raise ValueError(f"fault {name!r} cannot be placed with the other faults (too few stations or "
                             "municipalities, or duplicated_station needs a municipality without other faults)")
        g = rng.choice(options)
        placement.place(name, g)
        plan.append(Planned(name, g))
    return plan


def typo(value: int, rng: random.Random) -> int:
    """A plausible typing error: two adjacent digits swapped or one digit wrong."""
    s = str(value)
    options: set[int] = set()
    for i in range(len(s) - 1):
        if s[i] != s[i + 1]:
            t = s[:i] + s[i + 1] + s[i] + s[i + 2:]
            if len(t) == 1 or t[0] != "0":
                options.add(int(t))
    for i in range(len(s)):
        for d in "0123456789":
            t = s[:i] + d + s[i + 1:]
            if d != s[i] and (len(t) == 1 or t[0] != "0"):
                options.add(int(t))
    options.discard(value)
    return rng.choice(sorted(options))
