"""The generated election's shape, drawn from the seed's generator before any vote: its
municipalities (and for TK kieskringen), the ballot, the seats, the references the files carry,
their names and dates."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from osv_verify.core.model import ElectionRef
from osv_verify.devtools.synth.ballot import Ballot, make_ballot
from osv_verify.devtools.synth.names import ascii_name, place_names
from osv_verify.seats.rules import statutory_preference

CATEGORIES = ("GR", "TK")
FILE_STEMS = {"110a": "Verkiezingsdefinitie", "230b": "Kandidatenlijsten", "520": "Resultaat", "510d": "Totaaltelling"}


@dataclass
class Gemeente:
    index: int
    code: str  # 4 digits
    name: str
    kieskring: int  # 0 for GR
    n_stations: int
    share_noise: list[float] = field(default_factory=list)


@dataclass
class Kieskring:
    number: int
    name: str
    gemeenten: list[Gemeente]


@dataclass(frozen=True)
class Election:
    category: str
    date: dt.date
    gemeenten: list[Gemeente]
    kieskringen: list[Kieskring]  # empty for GR
    ballot: Ballot
    seats: int
    threshold: int  # the preference threshold in percent of the quota, as a 110a states it
    ref: ElectionRef
    central_ref: ElectionRef  # the 510d's and 520's: for TK with the domain Nederland

    @property
    def tk(self) -> bool:
        return self.category == "TK"

    @property
    def definition_contest(self) -> str:
        return "alle" if self.category in ("TK", "PS") else "geen"

    @property
    def central_name(self) -> str:
        """The central bureau's authority name in the 510d and 520: the country, province, water
        board or municipality."""
        return "Nederland" if self.tk else self.ref.domain_name or self.gemeenten[0].name

    @property
    def nomination(self) -> dt.date:
        return self.date - dt.timedelta(days=44)

    @property
    def issue(self) -> dt.date:
        """The day the 110a and 230b were issued."""
        return self.nomination + dt.timedelta(days=2)

    @property
    def lists_created(self) -> dt.datetime:
        return dt.datetime.combine(self.issue, dt.time(8, 20, 31, 573000))

    def file_name(self, kind: str, what: str | None = None) -> str:
        """The name OSV gives the file of ``kind`` (110a, 230b, 510b, 510c, 510d, 520, csv) for ``what``."""
        eid = self.ref.id
        if kind in FILE_STEMS:
            return f"{FILE_STEMS[kind]}_{eid}" + (f"_{ascii_name(what)}" if what else "") + ".eml.xml"
        if self.category == "GR":
            return f"Telling_{eid}.eml.xml" if kind == "510b" else f"osv4-3_Telling_{eid}.csv"
        word = "kieskring" if kind == "510c" else "gemeente"
        if kind == "csv":
            return f"osv4-3_Telling_{eid}_gemeente_{ascii_name(what or '')}.csv"
        return f"Telling_{eid}_{word}_{ascii_name(what or '')}.eml.xml"

    def time(self, days: int, index: int = 0) -> dt.datetime:
        """When a file was created: ``days`` after election day, a few minutes apart by ``index``."""
        base = dt.datetime.combine(self.date, dt.time(9, 0)) + dt.timedelta(days=days)
        return base + dt.timedelta(minutes=7 * index, milliseconds=(37 * index + 482) % 1000)


def build(rng: random.Random, category: str, stations: int, lists: int, candidates: int,
          municipalities: int | None, districts: int | None, seats: int | None, date: dt.date | None) -> Election:
    """The election for these sizes, drawn from ``rng``; ``ValueError`` for sizes that cannot be."""
    if category not in CATEGORIES:
        raise ValueError(f"category must be one of {', '.join(CATEGORIES)}")
    if stations < 1 or lists < 1 or candidates < 1:
        raise ValueError("stations, lists and candidates must be at least 1")
    date = date or (dt.date(2026, 3, 18) if category == "GR" else dt.date(2025, 10, 29))
    tk = category == "TK"
    if not tk:
        municipalities, districts = 1, 0
    else:
        municipalities = municipalities or max(1, min(stations, round(stations / 28.5)))
        districts = districts or min(20, municipalities)
        if not 1 <= districts <= municipalities <= stations:
            raise ValueError("need 1 <= districts <= municipalities <= stations")
    names = place_names(rng, municipalities)
    codes = sorted(rng.sample(range(3, 2000), municipalities))
    sizes = [1] * municipalities
    weights = [rng.paretovariate(1.2) for _ in range(municipalities)]
    for i, c in Counter(rng.choices(range(municipalities), weights, k=stations - municipalities)).items():
        sizes[i] += c
    gemeenten = [Gemeente(i, f"{codes[i]:04d}", names[i], 0, sizes[i]) for i in range(municipalities)]
    kieskringen = _kieskringen(rng, gemeenten, districts) if tk else []
    ballot = make_ballot(rng, category, lists, candidates, names)
    for g in gemeenten:
        g.share_noise = [rng.lognormvariate(0, 0.35) for _ in range(lists)]
    if seats is None:
        if tk:
            seats = 150 if ballot.n >= 300 else max(5, ballot.n // 2)
        else:
            seats = council_seats(1400 * stations)
    if seats < 1:
        raise ValueError("seats must be at least 1")
    if tk:
        ref = ElectionRef(id=f"TK{date.year}", name=f"Tweede Kamer der Staten-Generaal {date.year}", category="TK",
                          subcategory="TK", date=date)
        central_ref = ref.model_copy(update={"domain_id": "1", "domain_name": "Nederland"})
    else:
        g = gemeenten[0]
        ref = central_ref = ElectionRef(
            id=f"GR{date.year}_{ascii_name(g.name)}", name=f"Gemeenteraad {g.name} {date.year}", category="GR",
            subcategory="GR1" if seats < 19 else "GR2", domain_id=g.code, domain_name=g.name, date=date)
    threshold = int(statutory_preference(category, seats) * 100)  # Kieswet P 15, as a 110a states it
    return Election(category, date, gemeenten, kieskringen, ballot, seats, threshold, ref, central_ref)


def _kieskringen(rng: random.Random, gemeenten: list[Gemeente], districts: int) -> list[Kieskring]:
    """The municipalities spread over ``districts`` kieskringen (at least one each), each named
    after its biggest municipality."""
    order = list(range(len(gemeenten)))
    rng.shuffle(order)
    members: list[list[Gemeente]] = [[] for _ in range(districts)]
    for rank, i in enumerate(order):
        members[rank if rank < districts else rng.randrange(districts)].append(gemeenten[i])
    kieskringen = []
    for k, gems in enumerate(members, start=1):
        gems.sort(key=lambda g: g.code)
        for g in gems:
            g.kieskring = k
        biggest = max(gems, key=lambda g: g.n_stations)
        kieskringen.append(Kieskring(k, biggest.name, gems))
    return kieskringen


def council_seats(eligible: int) -> int:
    """Gemeentewet art. 8 by inhabitants (estimated as 1.25 x eligible voters)."""
    inhabitants = eligible * 5 // 4
    table = ((3000, 9), (6000, 11), (10000, 13), (15000, 15), (20000, 17), (25000, 19), (30000, 21), (35000, 23),
             (40000, 25), (45000, 27), (50000, 29), (60000, 31), (70000, 33), (80000, 35), (100000, 37),
             (200000, 39))  # no 41 or 43: none in the official GR2022 outcome of all municipalities
    return next((seats for limit, seats in table if inhabitants <= limit), 45)
