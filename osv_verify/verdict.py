"""The verdict of one election: what was verified, what was not, and why.

A run never says "no errors" about something that did not run. Every election gets a
``Verdict``: one ``Part`` per kind of check (the stations' PVs, the totals against their
stations, the levels above each other, the publications of one count against each other,
the units against the definition, the seats, the elected candidates), each either *done*
(with how much it covered and how many errors it found) or *not done* (with why, and which
file would make it run). The election's ``Status`` follows from its parts:

* ``VERIFIED``: at least one count was checked and every part that the election's files call
  for ran;
* ``PARTLY``: at least one count was checked, but a part could not run (no 520, say);
* ``NOT_VERIFIED``: no count could be checked at all (a 520 alone, or every count unreadable).

Reports render the verdict first; ``verify`` exits 4 when an election is ``NOT_VERIFIED`` and
nothing worse happened (README, "Exit codes").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    VERIFIED = "verified"
    PARTLY = "partly_verified"
    NOT_VERIFIED = "not_verified"


class PartKey(StrEnum):
    """The kinds of check a verdict reports on, in the order a report shows them."""

    STATIONS = "stations"  # every PV (station or total) on its own: F.2xx, F.3xx, F.4xx, W.2xx
    TOTALS = "totals"  # a total against the sum of its units (AGG.TOTAL and friends)
    LEVELS = "levels"  # a level against the level above (AGG.LEVEL)
    SOURCES = "sources"  # two publications of one count (AGG.SOURCES)
    UNITS = "units"  # the units present against the 110a/110b (AGG.MISSING_UNIT, AGG.EXTRA_UNIT)
    DEFINITION = "definition"  # the 110a/230b against the law and each other (DEF.*)
    SEATS = "seats"  # the seat allocation against the 520 (SEATS.ALLOCATION)
    ELECTED = "elected"  # the elected candidates against the 520 (SEATS.ELECTED)
    PLAUSIBILITY = "plausibility"  # --plausibility only


@dataclass(frozen=True)
class Part:
    """One kind of check for one election: done (``done`` true) or not, in both languages.

    ``what_nl``/``what_en`` say what was covered ("61 stembureaus en 1 gemeentetotaal") when
    done, and why not ("geen 520 (uitslag) bij de invoer") when not done; ``needs_nl`` /
    ``needs_en`` name the file that would make a part run ("Resultaat_GR2022_X.eml.xml (520)").
    """

    key: PartKey
    done: bool
    what_nl: str
    what_en: str
    errors: int = 0
    needs_nl: str | None = None
    needs_en: str | None = None

    def what(self, lang: str) -> str:
        return self.what_en if lang == "en" else self.what_nl

    def needs(self, lang: str) -> str | None:
        return self.needs_en if lang == "en" else self.needs_nl


#: Titles of the parts, as a report heads them.
PART_TITLES: dict[PartKey, tuple[str, str]] = {
    PartKey.STATIONS: ("processen-verbaal op zichzelf", "each proces-verbaal on its own"),
    PartKey.TOTALS: ("totalen tegen hun stembureaus", "totals against their units"),
    PartKey.LEVELS: ("niveaus tegen elkaar", "levels against each other"),
    PartKey.SOURCES: ("publicaties van dezelfde telling", "publications of the same count"),
    PartKey.UNITS: ("stembureaus tegen de definitie", "units against the definition"),
    PartKey.DEFINITION: ("definitie tegen de wet", "definition against the law"),
    PartKey.SEATS: ("zetelverdeling", "seat allocation"),
    PartKey.ELECTED: ("gekozen kandidaten", "elected candidates"),
    PartKey.PLAUSIBILITY: ("plausibiliteit (controleprotocol)", "plausibility (control protocol)"),
}


@dataclass(frozen=True)
class Verdict:
    status: Status
    parts: tuple[Part, ...] = field(default_factory=tuple)

    def done(self) -> list[Part]:
        return [p for p in self.parts if p.done]

    def not_done(self) -> list[Part]:
        return [p for p in self.parts if not p.done]
