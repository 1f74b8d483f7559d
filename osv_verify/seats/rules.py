"""Law parameters of the seat allocation, per election category and date (Kieswet chapter P).

Everything the allocation and nomination code needs to know about *which* law applies is a
field of :class:`SeatRules`; the algorithms never test the category themselves.

Sources, paraphrased: the Kieswet (BWBR0004627) as consolidated on 17-10-2013 (the text kept in
the public repository timkuijsten/Kieswet), Abacus's citations of the 2026-01-01 text and the
research notes in ``../shared/reference`` (abacus.md §5, osv.md §4, peers.md §3):

* P 5 / P 6 (quota and full seats) and P 7(1) (highest averages when 19 or more seats are
  allocated) apply to every election in chapter P.
* P 7(2): residual seats only for lists whose vote total reaches the quota. The consolidated text
  of 17-10-2013 names only the Tweede Kamer; OSV (source 2.24.3, ``GsdaParameters``, see
  osv.md §4.2) applies the same restriction to the European Parliament, and the official EP
  2019/2024 outcomes agree (``tests/seats/test_outcomes.py``).
* P 8: fewer than 19 seats: largest remainders, only for lists with at least 75 % of the quota,
  at most one remainder seat per list; then highest averages with at most one seat per list
  ("unique highest averages"); then, only reachable after list exhaustion, plain highest
  averages (not in the law text but in the Kiesraad's formal description; abacus.md §5.2,
  peers.md §3.1). The 75 % threshold and the one-seat caps are in the 2013 text.
* P 9: absolute-majority correction; not in chapter U (Eerste Kamer: U 9 has no such rule).
* P 10: list exhaustion. P 15: preference threshold 25 % of the quota, 50 % below 19 seats,
  strictly greater than. Y 23a: 10 % for the European Parliament (2013 text; the Kiesraad's EP
  page says the same). U 15(3): Eerste Kamer, votes *greater than or equal to* the full quota.
* P 19(5): ranking of lists without elected candidates. The 2013 text re-ranks them only for
  councils of 9 or 11 seats; current Abacus (citing the 2026-01-01 text) re-ranks them for every
  election with fewer than 19 seats. We follow the current reading for all dates (the date of
  that change is not in our sources).
* Eilandsraad (ER): Ya 13 applies the municipal rules. BC/GC (Amsterdam stadsdeel, Rotterdam
  gebiedscommissie) are not Kieswet elections; their parameters are OSV's (osv.md §4.2, BC
  remainder threshold 25 % of the quota), unverified against the local regulations.
* Lijstencombinaties (P 4 / P 11 in the 2013 text) are not modelled: every official outcome in
  our data is reproduced without them.

What changed when (``LAW_CHANGES``): the only change that alters the allocation and that our
sources mention is the bill *Wet aanscherping vereisten toewijzing restzetels* (Kamerstuk
36641, sent to parliament in October 2024): residual seats only for lists that reach the quota at
every election except the Eerste Kamer. Its entry into force is not in our sources, so its date
is ``None`` and it is never applied automatically; set ``residual_requires_quota`` with
``dataclasses.replace`` to model it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from fractions import Fraction

from osv_verify.core.text import Text

EARLIEST_DATE = datetime.date(2013, 10, 17)
"""The oldest law text in our sources (the Kieswet as consolidated on 17-10-2013). Chapter P was
different before (e.g. largest remainders for the Tweede Kamer until 1933: RKSP 30 seats in 1918,
not the 33 today's rules give), and those older rules are not implemented: an election date
before this one is refused, never silently computed with today's law."""

LARGE_COUNCIL = 19
"""P 7 / P 8: from this many seats on, residual seats go by highest averages."""

CATEGORIES: frozenset[str] = frozenset({"GR", "PS", "AB", "TK", "EP", "EK", "ER", "BC", "GC"})
ALIASES: dict[str, str] = {"WS": "AB"}
"""Outcome files call the water-board election ``WS``; EML calls it ``AB``."""


@dataclass(frozen=True)
class LawChange:
    """A change of chapter P that alters the outcome, keyed on the date it takes effect."""

    name: str
    reference: str
    in_force: datetime.date | None
    categories: frozenset[str]
    description: Text


LAW_CHANGES: tuple[LawChange, ...] = (
    LawChange(
        name="Wet aanscherping vereisten toewijzing restzetels",
        reference="Kamerstuk 36641",
        in_force=None,
        categories=frozenset({"GR", "PS", "AB", "ER"}),
        description=Text("restzetels alleen voor lijsten waarvan het stemmental de kiesdeler haalt",
                         "residual seats only for lists whose vote total reaches the quota"),
    ),
)


@dataclass(frozen=True)
class SeatRules:
    """The parameters of chapter P that differ per election; see the module docstring."""

    category: str
    seats: int
    remainder_threshold: Fraction | None
    """P 8(2): minimum share of the quota for a largest-remainder seat; ``None`` = P 7."""
    residual_requires_quota: bool
    """P 7(2): lists below the quota get no residual seat."""
    absolute_majority: bool
    """P 9 applies."""
    preference_threshold: Fraction
    """P 15 / Y 23a / U 15: share of the quota a candidate must pass."""
    preference_inclusive: bool
    """U 15(3): the Eerste Kamer uses >= instead of >."""
    rank_seatless_lists: bool
    """P 19(5): also re-rank lists that won no seat."""
    election_date: datetime.date | None = None
    notes: tuple[Text, ...] = field(default=())
    """What the law decided against the files."""

    @property
    def largest_remainders(self) -> bool:
        """P 8: the small-council method (largest remainders, then unique highest averages)."""
        return self.remainder_threshold is not None

    def passes_preference(self, votes: int, quota: Fraction) -> bool:
        """P 15(1): whether ``votes`` are enough to be elected by preference."""
        threshold = self.preference_threshold * quota
        return votes >= threshold if self.preference_inclusive else votes > threshold


def rules_for(
    category: str,
    seats: int,
    *,
    election_date: datetime.date | None = None,
    preference_threshold_pct: int | None = None,
) -> SeatRules:
    """Kieswet chapter P: the parameters for one election.

    ``category`` is the EML ElectionCategory (``WS`` is accepted for ``AB``); ``seats`` the
    number to allocate; ``preference_threshold_pct`` the ``kr:PreferenceThreshold`` a 110a
    states, when known. The law's threshold is always the one used (``statutory_preference``):
    a 110a that states another one is noted here and reported as DEF.PREFERENCE_THRESHOLD
    (``osv_verify.checks.definition``), never followed.
    """
    cat = ALIASES.get(category.upper(), category.upper())
    if cat not in CATEGORIES:
        raise ValueError(f"unknown election category {category!r}")
    if seats <= 0:
        raise ValueError(f"number of seats must be positive, got {seats}")
    small = seats < LARGE_COUNCIL and cat != "EK"  # chapter U has no P 8
    notes: list[Text] = []
    threshold: Fraction | None = None
    if small:
        threshold = Fraction(1, 4) if cat == "BC" else Fraction(3, 4)
    residual_requires_quota = cat in {"TK", "EP"} or _in_force(cat, election_date, notes)
    preference = statutory_preference(cat, seats)
    if preference_threshold_pct is not None and Fraction(preference_threshold_pct, 100) != preference:
        notes.append(Text(f"voorkeurdrempel: de verkiezingsdefinitie noemt {preference_threshold_pct}%, "
                          f"de wet geeft {percent(preference)}%; {percent(preference)}% gebruikt",
                          f"preference threshold: the election definition states {preference_threshold_pct}%, "
                          f"the law gives {percent(preference)}%; {percent(preference)}% used"))
    return SeatRules(
        category=cat,
        seats=seats,
        remainder_threshold=threshold,
        residual_requires_quota=residual_requires_quota,
        absolute_majority=cat != "EK",
        preference_threshold=preference,
        preference_inclusive=cat == "EK",
        rank_seatless_lists=seats < LARGE_COUNCIL,
        election_date=election_date,
        notes=tuple(notes),
    )


def percent(share: Fraction) -> str:
    """A share as a percentage, exactly: ``Fraction(1, 4)`` -> ``25``, ``Fraction(1, 3)`` -> ``100/3``."""
    return str(share * 100)


def statutory_preference(category: str, seats: int) -> Fraction:
    """P 15(1)/(2), Y 23a, U 15(3): the preference threshold as a share of the quota: 25 %,
    50 % below 19 seats, 10 % for the European Parliament, the whole quota for the Eerste Kamer."""
    category = ALIASES.get(category.upper(), category.upper())
    if category == "EP":
        return Fraction(10, 100)
    if category == "EK":
        return Fraction(1)
    return Fraction(50, 100) if seats < LARGE_COUNCIL else Fraction(25, 100)


def _in_force(category: str, election_date: datetime.date | None, notes: list[Text]) -> bool:
    """``LAW_CHANGES``: whether a residual-seat quota rule is in force for this election."""
    for change in LAW_CHANGES:
        if category not in change.categories or change.in_force is None:
            continue
        if election_date is not None and election_date >= change.in_force:
            notes.append(Text(f"{change.name} ({change.reference}): {change.description.nl}",
                              f"{change.name} ({change.reference}): {change.description.en}"))
            return True
    return False
