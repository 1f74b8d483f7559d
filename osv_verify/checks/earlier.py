"""An earlier election's counts as a reference for P.PARTY_SHARE (issue 23, third point).

A station that always votes differently from the rest of its municipality (the village with
its own party, the neighbourhood where one party is strong) is no anomaly. Given the counts
of an earlier election (``verify --earlier PATH``), a station's list shares are compared with
its *own* earlier deviation: P.PARTY_SHARE's score for a list becomes how much more (or less)
the station deviates from the rest of its municipality now than it did then, for the same
party (matched by its exact name).

Stations are matched within a municipality (its code) and said when unsure:

* **zeker** (sure): the same station number and the same postcode;
* **onzeker, op postcode** (unsure, by postcode): another number, but a postcode that only one
  station has in either election (stations are renumbered between elections; a real case:
  West Maas en Waal, GR2022 against TK2025): used, and the finding says so;
* **onzeker** otherwise (the same number with another postcode or none, or a postcode shared
  by several stations): not used; a finding on such a station says it was not.

The earlier reference only clears: a station is flagged when its own score exceeds the
calibrated threshold *and* its score relative to its earlier deviation does too. So the rate
with ``--earlier`` is at most the rate without it (the calibrated one), by construction; how
much less it fires on real data is not measured (``docs/plausibility.md``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from osv_verify.core.model import CountFile, Tally
from osv_verify.core.postcode import normalise, split_station_name
from osv_verify.core.text import Text


@dataclass(frozen=True)
class Station:
    """One station of the earlier election: its number, postcode and votes per party name."""

    number: str
    postcode: str | None
    votes: dict[str, int]  # party name -> votes
    valid: int


@dataclass
class Municipality:
    """The earlier election's stations of one municipality, and its totals per party name."""

    stations: dict[str, Station] = field(default_factory=dict)  # number -> station
    by_postcode: dict[str, list[str]] = field(default_factory=dict)  # postcode -> numbers
    votes: Counter[str] = field(default_factory=Counter)
    valid: int = 0


@dataclass(frozen=True)
class Match:
    """A station of this election matched to the earlier one (``station`` None: not used)."""

    station: Station | None
    sure: bool
    note: Text


def number(u: Tally) -> str:
    """The station number of a tally id (``0668::SB12`` -> ``12``)."""
    return (u.id or "").rsplit("SB", 1)[-1]


def postcode(u: Tally) -> str | None:
    return normalise(u.postcode or split_station_name(u.name or "")[1])


class Earlier:
    """The earlier election's station counts, by municipality code (``add`` each count file)."""

    def __init__(self) -> None:
        self.municipalities: dict[str, Municipality] = {}
        self.election = ""

    def add(self, count: CountFile) -> None:
        self.election = self.election or count.election.id
        m = self.municipalities.setdefault(count.authority_id or "", Municipality())
        for u in count.units:
            if not u.id or not u.lists:
                continue
            votes = {count.list_names[k]: v for k, v in u.lists.items() if k in count.list_names}
            s = Station(number(u), postcode(u), votes, sum(u.lists.values()))
            m.stations[s.number] = s
            if s.postcode:
                m.by_postcode.setdefault(s.postcode, []).append(s.number)
            m.votes.update(votes)
            m.valid += s.valid

    def match(self, count: CountFile, u: Tally) -> Match | None:
        """The earlier station of ``u`` (None when the municipality is not in the earlier counts)."""
        m = self.municipalities.get(count.authority_id or "")
        if m is None:
            return None
        nr, pc = number(u), postcode(u)
        same = m.stations.get(nr)
        if same is not None and pc and same.postcode == pc:
            return Match(same, True, Text(f"zeker gekoppeld aan stembureau {nr} van {self.election} (zelfde nummer en postcode)",
                                          f"matched for sure to station {nr} of {self.election} (same number and postcode)"))
        here = [v for v in count.units if v.id and postcode(v) == pc] if pc else []
        there = m.by_postcode.get(pc or "", [])
        if pc and len(here) == 1 and len(there) == 1:
            return Match(m.stations[there[0]], False,
                         Text(f"onzeker gekoppeld aan stembureau {there[0]} van {self.election} (zelfde postcode {pc}, ander nummer)",
                              f"matched, unsure, to station {there[0]} of {self.election} (same postcode {pc}, another number)"))
        return Match(None, False, Text(f"onzeker: geen stembureau van {self.election} met hetzelfde nummer en dezelfde postcode; niet gebruikt",
                                       f"unsure: no station of {self.election} with the same number and postcode; not used"))

    def deviation(self, count: CountFile, station: Station, lst: int) -> Fraction | None:
        """The earlier station's share of list ``lst``'s party minus that of the rest of its
        municipality then (None when the party, by its exact name, was not in that election)."""
        name = count.list_names.get(lst)
        m = self.municipalities[count.authority_id or ""]
        if name is None or name not in m.votes or not station.valid or m.valid == station.valid:
            return None
        mine = station.votes.get(name, 0)
        return Fraction(mine, station.valid) - Fraction(m.votes[name] - mine, m.valid - station.valid)

