"""Generator of complete, internally consistent elections, with named faults injected on request.

``generate(out_dir, category="GR"|"TK", ...)`` writes what the Kiesraad and the municipalities
publish: the 110a election definition, the 230b candidate lists (per kieskring for TK), a 510b
per municipality (and its OSV4-3 CSV), for TK a 510c per kieskring and the 510d, and the 520
result whose seats come from ``osv_verify.seats`` (the project's own Kieswet P 5-P 19). It
returns a ``Manifest`` and writes it as ``faults.json``.

The numbers are realistic: turnout 60-85 % per station, ~0.3 % blank, ~0.5 % invalid, votes
drawn voter by voter (multinomial) from list shares that vary per municipality and station and
candidate weights skewed to the list leaders; ~12 % of the stations have a small difference
between admitted voters and ballots, always recorded as 'meer'/'minder getelde stembiljetten'
and explained (GR2022/TK2021 style explanation codes). A clean set raises no error and no
warning: blank and invalid stay below 3 %, differences below 2 % and 15, no zero totals.

Deterministic for a seed: the clean election depends only on the seed and the sizes
(``random.Random(seed)``); faults are placed with a second generator, so the same seed with or
without faults gives the same underlying election.

Faults (``FAULTS``) mutate the generated numbers *before* writing, so every file stays
well-formed; each fault records what it changed and the findings ``osv-verify verify`` must
give for it (code and location, per file), see ``FAULTS`` and ``fixtures/demo/README.md``.

Station PVs keep two views: the *published* PV (what the 510b shows for the station) and the
*counted* PV (what the municipality's total was added up from). Normally they are the same;
a fault in one station's published PV (``candidate_typo``, ``list_total_not_sum``,
``unexplained_difference``) leaves the total as it was, so the total then disagrees with its
stations (AGG.TOTAL) as well as the station with itself.

Run ``python -m osv_verify.devtools.synth OUT_DIR --category GR --stations 5 --seed 1 --faults 3``.
"""

from __future__ import annotations

import argparse
import array
import datetime as dt
import itertools
import json
import math
import operator
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from osv_verify.checks.aggregate import field_name, values
from osv_verify.devtools import eml_write
from osv_verify.core.model import (
    Candidate,
    CandidateKey,
    CandidateLists,
    CountFile,
    Definition,
    ElectedCandidate,
    ElectionRef,
    Level,
    PartyList,
    Region,
    ResultFile,
    Tally,
)
from osv_verify.seats import ListInput, allocate, nominate, rules_for
from osv_verify.seats.nominate import Reason
from osv_verify.seats.rules import statutory_preference

try:  # written by another module owner; the CSV is skipped when it is not there
    from osv_verify.io.osv_csv_write import write_osv_csv as _write_osv_csv
except ImportError:  # pragma: no cover
    _write_osv_csv = None

CATEGORIES = ("GR", "TK")

#: Counts of a station PV, in the order of the paper form (GR2022 / TK2021 style).
STATION_KEYS = (
    "eligible", "valid", "blank", "invalid", "poll_cards", "proxy_certificates", "voter_cards", "admitted",
    "more_ballots", "fewer_ballots", "taken_home", "too_few_issued", "too_many_issued", "no_explanation",
    "other_explanation",
)
#: OSV hides these at the kieskring (HSB) and central (CSB) level (osv.md 1.4).
HIDDEN_AT_HSB = frozenset({"poll_cards", "admitted"})
HIDDEN_AT_CSB = HIDDEN_AT_HSB | {"voter_cards"}
EXPLAIN_FEWER = ("taken_home", "too_few_issued", "no_explanation", "other_explanation")
EXPLAIN_MORE = ("too_many_issued", "no_explanation", "other_explanation")


# ---------------------------------------------------------------- the fault catalogue


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


# ---------------------------------------------------------------- the manifest


@dataclass
class Change:
    file: str
    unit: str | None
    field: str
    old: object
    new: object


@dataclass
class FaultRecord:
    name: str
    description: str
    changes: list[Change] = field(default_factory=list)
    expected: list[dict[str, object]] = field(default_factory=list)
    expected_input_errors: list[dict[str, str]] = field(default_factory=list)
    note: str = ""

    def to_dict(self) -> dict[str, object]:
        first = self.changes[0] if self.changes else None
        return {
            "name": self.name,
            "description": self.description,
            "file": first.file if first else None,
            "unit": first.unit if first else None,
            "field": first.field if first else None,
            "old": first.old if first else None,
            "new": first.new if first else None,
            "changes": [c.__dict__ for c in self.changes],
            "expected": self.expected,
            "expected_input_errors": self.expected_input_errors,
            "note": self.note,
        }


@dataclass
class Manifest:
    out_dir: str
    category: str
    election: str
    seed: int
    parameters: dict[str, object]
    files: list[str] = field(default_factory=list)
    faults: list[FaultRecord] = field(default_factory=list)
    seats: dict[int, int] = field(default_factory=dict)
    lots: list[object] = field(default_factory=list)
    bytes_written: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "generator": "osv_verify.devtools.synth",
            "category": self.category,
            "election": self.election,
            "seed": self.seed,
            "parameters": self.parameters,
            "files": self.files,
            "seats": {str(k): v for k, v in sorted(self.seats.items())},
            "lots": self.lots,
            "faults": [f.to_dict() for f in self.faults],
            "notes": self.notes,
        }

    def expected_findings(self) -> list[dict[str, object]]:
        """Every expected finding once (two faults that hit the same total field share it)."""
        seen: dict[tuple, dict[str, object]] = {}
        for f in self.faults:
            for e in f.expected:
                seen.setdefault(_finding_key(e, with_field=True), e)
        return list(seen.values())


def _finding_key(e: dict[str, object], *, with_field: bool = False) -> tuple:
    key = tuple(e.get(k) for k in ("code", "election", "contest", "authority", "unit", "list", "candidate", "source"))
    return key + ((e.get("field"),) if with_field else ())


# ---------------------------------------------------------------- names (invented, not real people)

_FIRST_M = ("Jan", "Pieter", "Kees", "Willem", "Hendrik", "Daan", "Bram", "Sem", "Ruben", "Thijs", "Joost", "Maarten",
            "Gerrit", "Wouter", "Lars", "Niels", "Koen", "Bas", "Erik", "Frank", "Hugo", "Ivo", "Jeroen", "Mohamed",
            "Ahmet", "Rik", "Stijn", "Tom", "Vincent", "Youssef")
_FIRST_F = ("Anna", "Marieke", "Sanne", "Lotte", "Emma", "Fleur", "Ingrid", "Joke", "Karin", "Linda", "Mirjam", "Noor",
            "Petra", "Renske", "Saskia", "Tessa", "Yvonne", "Fatima", "Esra", "Anouk", "Britt", "Daphne", "Eva",
            "Hanneke", "Iris", "Janneke", "Lieke", "Myrthe", "Nadia", "Sophie")
_LAST = ("Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters", "Hendriks", "Dekker",
         "Brouwer", "Dijkstra", "Kok", "Jacobs", "Vermeulen", "Schouten", "Willems", "Hoekstra", "Koster", "Prins",
         "Huisman", "Post", "Kuipers", "Veenstra", "Kramer", "Scholten", "Wolters", "Postma", "Timmermans",
         "Groen", "Gerritsen", "Molenaar", "Verhoeven", "Yılmaz", "El Amrani", "Çelik",
         "Rietveld", "Zwart", "Blom", "Sluiter", "Terpstra", "Haverkamp", "Oosterhuis", "Nijland", "Eshuis",
         "Ter Horst", "Bouwman", "Verbeek", "Lammers", "Aarts", "Claassen", "Driessen", "Evers", "Franssen")
#: Last names that go with a prefix ("van der Berg"), and their prefixes.
_PREFIXED = ("Boer", "Berg", "Dam", "Wal", "Leeuwen", "Heuvel", "Linden", "Veen", "Graaf", "Haan", "Bruijn", "Wit",
             "Lange", "Vries", "Jong", "Horst", "Beek", "Meer")
_PREFIXES = ("van", "de", "van der", "van den", "ter", "van 't", "van de")
_PLACE_A = ("Oost", "West", "Noord", "Zuid", "Hoog", "Laag", "Nieuw", "Oud", "Groot", "Klein", "Berg", "Dal", "Veen",
            "Hout", "Zand", "Beek", "Bloem", "Linde", "Eik", "Haar", "Maas", "Rijn", "Vries", "Kamp", "Ven", "Loo",
            "Brug", "Dijk", "Molen", "Wolde", "Hees", "Ede", "Aa", "Bree", "Elst", "Gees", "Holt", "Lier")
_PLACE_B = ("dam", "dijk", "veen", "wijk", "horst", "broek", "hoven", "stein", "zijl", "meer", "loo", "huizen", "burg",
            "kerk", "velde", "berg", "dorp", "rode", "wolde", "zand", "lo", "beek", "hem", "um", "ingen", "wert",
            "sloot", "geest", "hout", "werd")
_BUILDINGS = ("Dorpshuis", "Basisschool", "Sporthal", "Buurthuis", "Wijkcentrum", "MFA", "Bibliotheek", "Kerkzaal",
              "Gemeentehuis", "Cultuurhuis", "Zorgcentrum", "Clubhuis")
_PARTIES = ("Lokaal Belang", "Partij voor de Toekomst", "Sociaal Verbond", "Liberale Unie", "Groen Perspectief",
            "Christelijk Midden", "Burgerbelangen", "Stad & Land", "Ouderenpartij Samen", "Dierenvrienden",
            "Vrije Democraten", "Volkspartij Nederland", "Boerenbelang", "Jong Nederland", "Fryske Partij Ús Lân",
            "Europa Nu", "Partij van het Noorden", "Gezond Verstand", "Nieuw Sociaal", "Democratisch Alternatief",
            "Partij voor Vrijheid en Recht", "Rechtvaardig Nederland", "Zuid-Nederland", "Blanco (Jansen)",
            "Kiezers Collectief", "Onafhankelijk Links", "Onafhankelijk Rechts", "Partij 50+Plus", "Gewoon Doen",
            "Lijst Dorpsbelang")


def _ascii(text: str) -> str:
    """``Súdwest-Fryslân`` -> ``SudwestFryslan``, as OSV reduces names in file names."""
    t = unicodedata.normalize("NFKD", text).replace("(", "_")
    return re.sub(r"[^A-Za-z0-9_]", "", t).strip("_")


def _place_names(rng: random.Random, n: int) -> list[str]:
    pool = [a + b for a in _PLACE_A for b in _PLACE_B]
    if n > len(pool):
        pool += [f"{p} aan de {q}" for p in pool[:200] for q in ("Maas", "Rijn", "Vecht", "IJssel", "Linge")]
    names = rng.sample(pool, n)
    return [name[0].upper() + name[1:] for name in names]


def _postcode(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRSTVWXZ"
    return f"{rng.randint(1000, 9999)} {rng.choice(letters)}{rng.choice(letters)}"


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method: fine for the small means used here."""
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _three_percent(h: int) -> int:
    return -(-3 * h // 100)


def _typo(value: int, rng: random.Random) -> int:
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


# ---------------------------------------------------------------- the election's shape


@dataclass
class _PV:
    """One proces-verbaal's numbers: counts, list totals, candidate votes (flattened)."""

    counts: dict[str, int]
    lists: dict[int, int]
    vec: list[int]

    def copy(self) -> _PV:
        return _PV(dict(self.counts), dict(self.lists), list(self.vec))


def _sum(pvs: Iterable[_PV], n: int) -> _PV:
    counts: dict[str, int] = {}
    lists: dict[int, int] = {}
    vec = [0] * n
    for pv in pvs:
        for k, v in pv.counts.items():
            counts[k] = counts.get(k, 0) + v
        for k, v in pv.lists.items():
            lists[k] = lists.get(k, 0) + v
        vec = list(map(operator.add, vec, pv.vec))
    return _PV(counts, lists, vec)


@dataclass
class _Ballot:
    lists: list[PartyList]
    offsets: list[int]  # start of each list's candidates in the flattened vector
    sizes: list[int]
    n: int
    keys_pos: list[CandidateKey]  # (list, position, None): 510b, 510c
    keys_unit: list[CandidateKey]  # (list, position, ShortCode): units of a TK 510d
    keys_code: list[CandidateKey]  # (list, None, ShortCode): the TK 510d total
    weights: list[float]  # candidate weights, each list's summing to 1
    shares: list[float]  # national list shares

    def list_totals(self, vec: Sequence[int]) -> dict[int, int]:
        return {pl.number: sum(vec[o:o + k]) for pl, o, k in zip(self.lists, self.offsets, self.sizes)}

    def names(self) -> dict[CandidateKey, str]:
        out: dict[CandidateKey, str] = {}
        for pl in self.lists:
            for c in pl.candidates:
                out[(pl.number, str(c.number), None)] = c.display_name
        return out


@dataclass
class _Gemeente:
    index: int
    code: str  # 4 digits
    name: str
    kieskring: int  # 0 for GR
    n_stations: int
    share_noise: list[float] = field(default_factory=list)


@dataclass
class _Kieskring:
    number: int
    name: str
    gemeenten: list[_Gemeente]


def _make_ballot(rng: random.Random, category: str, n_lists: int, n_candidates: int, places: Sequence[str]) -> _Ballot:
    party_names = list(_PARTIES)
    rng.shuffle(party_names)
    if n_lists > len(party_names):
        party_names += [f"Lijst {i}" for i in range(len(party_names) + 1, n_lists + 1)]
    codes: set[str] = set()
    lists: list[PartyList] = []
    weights: list[float] = []
    tk = category == "TK"
    for number in range(1, n_lists + 1):
        cands = []
        for pos in range(1, n_candidates + 1):
            female = rng.random() < 0.45
            first = rng.choice(_FIRST_F if female else _FIRST_M)
            initials = first[0] + "." + "".join(rng.choice("ABCDEGHJKLMNPRSTW") + "." for _ in range(rng.choice((0, 0, 1, 2))))
            if rng.random() < 0.3:
                last, prefix = rng.choice(_PREFIXED), rng.choice(_PREFIXES)
            else:
                last, prefix = rng.choice(_LAST), None
            short = None
            if tk:
                base = re.sub(r"[^A-Za-zÀ-ÿığşçĞŞİ]", "", last)[:12] + initials.replace(".", "")
                short, i = base, 1
                while short in codes:
                    i += 1
                    short = f"{base}{i}"
                codes.add(short)
            cands.append(Candidate(number=pos, short_code=short, initials=initials, first_name=first, prefix=prefix,
                                   last_name=last, gender="female" if female else "male",
                                   locality=rng.choice(places)))
        lists.append(PartyList(
            number=number, name=party_names[number - 1],
            type="stel gelijkluidende lijsten" if tk else "op zichzelf staande lijst",
            set_number=str(number) if tk else None, candidates=tuple(cands),
        ))
        w = [rng.lognormvariate(0, 0.5 if tk else 0.4) / (j + 1) ** (1.3 if tk else 1.2) for j in range(n_candidates)]
        w[0] *= rng.uniform(10, 50) if tk else rng.uniform(1.5, 3.0)
        if n_candidates > 3 and rng.random() < 0.2:  # a popular candidate further down the list
            w[rng.randrange(2, n_candidates)] *= rng.uniform(2, 4)
        s = sum(w)
        weights += [x / s for x in w]
    raw = [rng.lognormvariate(0, 0.4) / (i + 1) ** (1.2 if tk else 0.45) for i in range(n_lists)]
    total = sum(raw)
    shares = [x / total for x in raw]
    sizes = [n_candidates] * n_lists
    offsets = list(itertools.accumulate([0] + sizes[:-1]))
    keys_pos = [(pl.number, str(c.number), None) for pl in lists for c in pl.candidates]
    keys_unit = [(pl.number, str(c.number), c.short_code) for pl in lists for c in pl.candidates]
    keys_code = [(pl.number, None, c.short_code) for pl in lists for c in pl.candidates]
    return _Ballot(lists, offsets, sizes, len(keys_pos), keys_pos, keys_unit, keys_code, weights, shares)


def _council_seats(eligible: int) -> int:
    """Gemeentewet art. 8 by inhabitants (estimated as 1.25 x eligible voters)."""
    inhabitants = eligible * 5 // 4
    table = ((3000, 9), (6000, 11), (10000, 13), (15000, 15), (20000, 17), (25000, 19), (30000, 21), (35000, 23),
             (40000, 25), (45000, 27), (50000, 29), (60000, 31), (70000, 33), (80000, 35), (100000, 37),
             (200000, 39))  # no 41 or 43: none in the official GR2022 outcome of all municipalities
    return next((seats for limit, seats in table if inhabitants <= limit), 45)


# ---------------------------------------------------------------- one station


TABLE_SIZE = 1 << 16
#: Vote tables per municipality: each a variant of its list shares (neighbourhoods differ).
TABLE_VARIANTS = 4


def _vote_table(rng: random.Random, ballot: _Ballot, base: Sequence[float]) -> list[int]:
    """A lookup table of 65 536 candidate indices in proportion to ``base`` (times a per-list
    variation): a uniform 16-bit number picks a voter's candidate, so drawing the votes of a
    station is one C-level pass (``randbytes`` -> ``map``) instead of a bisect per voter."""
    weights: list[float] = []
    for o, k in zip(ballot.offsets, ballot.sizes):
        f = rng.lognormvariate(0, 0.12)
        weights += [x * f for x in base[o:o + k]]
    scale = TABLE_SIZE / sum(weights)
    exact = [w * scale for w in weights]
    counts = [int(x) for x in exact]
    rest = TABLE_SIZE - sum(counts)
    for i in sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])[:rest]:
        counts[i] += 1
    return list(itertools.chain.from_iterable(itertools.repeat(i, c) for i, c in enumerate(counts)))


def _neighbourhoods(rng: random.Random, ballot: _Ballot) -> list[list[float]]:
    """Per neighbourhood (vote table variant) a weight factor per candidate, the structure real
    municipalities have and the plausibility checks must live with (issue 15): every list
    stronger or weaker by neighbourhood (lognormal, sigma 0.3), in some a village party (one
    list 2-3.5x) and in some a local candidate further down a list (4-10x)."""
    out = []
    for _ in range(TABLE_VARIANTS):
        per_list = [rng.lognormvariate(0, 0.3) for _ in ballot.sizes]
        if rng.random() < 0.4:
            per_list[rng.randrange(len(per_list))] *= rng.uniform(2, 3.5)
        factors = [f for f, k in zip(per_list, ballot.sizes) for _ in range(k)]
        if rng.random() < 0.5:
            lst = rng.randrange(len(ballot.sizes))
            if ballot.sizes[lst] > 2:
                factors[ballot.offsets[lst] + rng.randrange(1, ballot.sizes[lst])] *= rng.uniform(4, 10)
        out.append(factors)
    return out


def _station(rng: random.Random, ballot: _Ballot, table: Sequence[int], category: str) -> _PV:
    eligible = max(450, min(3500, int(rng.lognormvariate(math.log(1400), 0.3))))
    admitted = round(eligible * rng.uniform(0.60, 0.85))
    diff = 0
    if rng.random() < 0.12:
        diff = rng.choice((-2, -1, -1, 1, 1, 2))
        if 100 * abs(diff) >= 2 * (admitted + diff):
            diff = 0
    found = admitted + diff
    limit = _three_percent(found)
    blank = min(_poisson(rng, 0.003 * found), limit - 1)
    invalid = min(_poisson(rng, 0.005 * found), limit - 1)
    valid = found - blank - invalid
    proxies = round(admitted * rng.uniform(0.06, 0.11))
    cards = round(admitted * rng.uniform(0.005, 0.03)) if category == "TK" else 0
    counts = {
        "eligible": eligible, "valid": valid, "blank": blank, "invalid": invalid,
        "poll_cards": admitted - proxies - cards, "proxy_certificates": proxies, "voter_cards": cards,
        "admitted": admitted, "more_ballots": max(diff, 0), "fewer_ballots": max(-diff, 0),
        "taken_home": 0, "too_few_issued": 0, "too_many_issued": 0, "no_explanation": 0, "other_explanation": 0,
    }
    for _ in range(abs(diff)):
        counts[rng.choice(EXPLAIN_MORE if diff > 0 else EXPLAIN_FEWER)] += 1
    draws = array.array("H", rng.randbytes(2 * valid))
    if sys.byteorder == "big":  # the same votes on every platform
        draws.byteswap()
    drawn = Counter(map(table.__getitem__, draws))
    vec = list(map(drawn.get, range(ballot.n), itertools.repeat(0, ballot.n)))
    return _PV(counts, ballot.list_totals(vec), vec)


# ---------------------------------------------------------------- fault placement


@dataclass
class _Planned:
    name: str
    gemeente: int | None  # index; None for the 520


class _Placement:
    """Which faults go where, so that they do not hide or cancel each other."""

    STATION_NEEDS = {"swap_lists": 1, "swap_candidates": 1, "zero_invalid": 1, "candidate_typo": 1, "list_total_not_sum": 1, "unexplained_difference": 1,
                     "station_left_out": 1, "duplicated_station": 1}

    def __init__(self, gemeenten: Sequence[_Gemeente], category: str) -> None:
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


def _plan_faults(faults: int | Sequence[str] | None, rng: random.Random, gemeenten: Sequence[_Gemeente],
                 category: str, notes: list[str]) -> list[_Planned]:
    placement = _Placement(gemeenten, category)
    plan: list[_Planned] = []
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
                    plan.append(_Planned(name, g))
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
        plan.append(_Planned(name, g))
    return plan


# ---------------------------------------------------------------- the generator


class _Writer:
    def __init__(self, out: Path, manifest: Manifest) -> None:
        self.out = out
        self.manifest = manifest

    def bytes(self, name: str, data: bytes) -> None:
        (self.out / name).write_bytes(data)
        self.manifest.files.append(name)
        self.manifest.bytes_written += len(data)

    def count(self, name: str, count: CountFile) -> None:
        with open(self.out / name, "wb") as f:
            n = eml_write.write_count_to(f, count)
        self.manifest.files.append(name)
        self.manifest.bytes_written += n


def _tally(pv: _PV, keys: Sequence[CandidateKey], *, tid: str | None = None, name: str | None = None,
           drop: frozenset[str] = frozenset()) -> Tally:
    counts = {k: v for k, v in pv.counts.items() if k not in drop}
    return Tally.model_construct(id=tid, name=name, counts=counts, lists=dict(pv.lists),
                                 candidates=dict(zip(keys, pv.vec)), investigations={}, element=None)


def _finding(code: str, election: str, contest: str | None, authority: str | None, unit: str | None, source: str,
             *, lst: int | None = None, candidate: str | None = None, fld: str | None = None) -> dict[str, object]:
    return {"code": code, "severity": "warning" if code.startswith("W.") else "error", "election": election,
            "contest": contest, "authority": authority, "unit": unit, "list": lst, "candidate": candidate,
            "field": fld, "source": source}


def _total_mismatches(count: CountFile, fields: set[tuple] | None) -> list[tuple]:
    """The fields (of ``fields``, or all) in which the file's total is not the sum of its units."""
    assert count.total is not None
    want = values(count.total, "id")
    sums: dict[tuple, int] = {}
    for u in count.units:
        for k, v in values(u, "id").items():
            sums[k] = sums.get(k, 0) + v
    keys = want.keys() if fields is None else [k for k in want if k in fields]
    return [k for k in keys if sums.get(k) != want[k]]


class _Election:
    """State of one generate() run."""

    def __init__(self, out: Path, category: str, stations: int, lists: int, candidates: int, seed: int,
                 faults: int | Sequence[str] | None, municipalities: int | None, districts: int | None,
                 seats: int | None, date: dt.date | None, csv: bool, neighbourhoods: bool = False) -> None:
        if category not in CATEGORIES:
            raise ValueError(f"category must be one of {', '.join(CATEGORIES)}")
        if stations < 1 or lists < 1 or candidates < 1:
            raise ValueError("stations, lists and candidates must be at least 1")
        self.out = out
        self.category = category
        self.seed = seed
        self.neighbourhoods = neighbourhoods
        self.rng = random.Random(seed)
        self.frng = random.Random(f"faults:{seed}")
        self.lrng = random.Random(f"lots:{seed}")
        self.csv = csv and _write_osv_csv is not None
        self.date = date or (dt.date(2026, 3, 18) if category == "GR" else dt.date(2025, 10, 29))
        tk = category == "TK"
        if not tk:
            municipalities, districts = 1, 0
        else:
            municipalities = municipalities or max(1, min(stations, round(stations / 28.5)))
            districts = districts or min(20, municipalities)
            if not 1 <= districts <= municipalities <= stations:
                raise ValueError("need 1 <= districts <= municipalities <= stations")
        self.notes: list[str] = []
        if self.csv:
            self.notes.append("each 510b and its OSV4-3 CSV carry the same numbers: a fault in a 510b is in its "
                              "CSV too; verify reports it once, in the 510b (a second publication is only "
                              "checked where it differs from the first)")
        else:
            self.notes.append("no OSV4-3 CSV written" + ("" if csv else " (csv=False)")
                              + ("" if _write_osv_csv is not None else ": osv_verify.io.osv_csv_write.write_osv_csv is missing"))
        self.params = {"category": category, "stations": stations, "lists": lists, "candidates": candidates,
                       "municipalities": municipalities, "districts": districts, "seats": seats,
                       "date": self.date.isoformat(),
                       "csv": self.csv, "faults": faults if isinstance(faults, int) or faults is None else list(faults)}
        rng = self.rng
        names = _place_names(rng, municipalities)
        codes = sorted(rng.sample(range(3, 2000), municipalities))
        sizes = [1] * municipalities
        weights = [rng.paretovariate(1.2) for _ in range(municipalities)]
        for i, c in Counter(rng.choices(range(municipalities), weights, k=stations - municipalities)).items():
            sizes[i] += c
        self.gemeenten = [_Gemeente(i, f"{codes[i]:04d}", names[i], 0, sizes[i]) for i in range(municipalities)]
        self.kieskringen: list[_Kieskring] = []
        if tk:
            order = list(range(municipalities))
            rng.shuffle(order)
            members: list[list[_Gemeente]] = [[] for _ in range(districts)]
            for rank, i in enumerate(order):
                members[rank if rank < districts else rng.randrange(districts)].append(self.gemeenten[i])
            for k, gems in enumerate(members, start=1):
                gems.sort(key=lambda g: g.code)
                for g in gems:
                    g.kieskring = k
                biggest = max(gems, key=lambda g: g.n_stations)
                self.kieskringen.append(_Kieskring(k, biggest.name, gems))
        self.ballot = _make_ballot(rng, category, lists, candidates, names)
        for g in self.gemeenten:
            g.share_noise = [rng.lognormvariate(0, 0.35) for _ in range(lists)]
        year = self.date.year
        if tk:
            self.ref = ElectionRef(id=f"TK{year}", name=f"Tweede Kamer der Staten-Generaal {year}", category="TK",
                                   subcategory="TK", date=self.date)
            self.central_ref = self.ref.model_copy(update={"domain_id": "1", "domain_name": "Nederland"})
        else:
            g = self.gemeenten[0]
            self.ref = ElectionRef(id=f"GR{year}_{_ascii(g.name)}", name=f"Gemeenteraad {g.name} {year}",
                                   category="GR", subcategory=None, domain_id=g.code, domain_name=g.name,
                                   date=self.date)
            self.central_ref = self.ref
        if seats is None:
            if tk:
                seats = 150 if self.ballot.n >= 300 else max(5, self.ballot.n // 2)
            else:
                seats = _council_seats(1400 * stations)
        if seats < 1:
            raise ValueError("seats must be at least 1")
        self.seats = seats
        self.params["seats"] = seats
        self.threshold = int(statutory_preference(category, seats) * 100)  # Kieswet P 15, as a 110a states it
        if not tk:
            self.ref = self.ref.model_copy(update={"subcategory": "GR1" if seats < 19 else "GR2"})
            self.central_ref = self.ref
        self.pending: dict[int, list[FaultRecord]] = {}
        self.eligible_recs: dict[int, list[FaultRecord]] = {}
        self.manifest = Manifest(str(out), category, self.ref.id, seed, self.params, notes=self.notes)
        self.writer = _Writer(out, self.manifest)
        self.plan = _plan_faults(faults, self.frng, self.gemeenten, category, self.notes)
        self.records: list[FaultRecord] = []

    # ------------------------------------------------------------ file names and times

    def name(self, kind: str, what: str | None = None) -> str:
        eid = self.ref.id
        stem = {"110a": "Verkiezingsdefinitie", "230b": "Kandidatenlijsten", "520": "Resultaat", "510d": "Totaaltelling"}
        if kind in stem:
            return f"{stem[kind]}_{eid}" + (f"_{_ascii(what)}" if what else "") + ".eml.xml"
        if self.category == "GR":
            return f"Telling_{eid}.eml.xml" if kind == "510b" else f"osv4-3_Telling_{eid}.csv"
        word = "kieskring" if kind == "510c" else "gemeente"
        if kind == "csv":
            return f"osv4-3_Telling_{eid}_gemeente_{_ascii(what or '')}.csv"
        return f"Telling_{eid}_{word}_{_ascii(what or '')}.eml.xml"

    def time(self, days: int, index: int = 0) -> dt.datetime:
        base = dt.datetime.combine(self.date, dt.time(9, 0)) + dt.timedelta(days=days)
        return base + dt.timedelta(minutes=7 * index, milliseconds=(37 * index + 482) % 1000)

    # ------------------------------------------------------------ run

    def run(self) -> Manifest:
        start = time.perf_counter()
        tk = self.category == "TK"
        ballot = self.ballot
        nomination = self.date - dt.timedelta(days=44)
        issue = nomination + dt.timedelta(days=2)
        created_lists = dt.datetime.combine(issue, dt.time(8, 20, 31, 573000))
        faults_by_g: dict[int, list[_Planned]] = {}
        for p in self.plan:
            if p.gemeente is not None:
                faults_by_g.setdefault(p.gemeente, []).append(p)
        if tk:
            district_totals: list[tuple[_Kieskring, _PV]] = []
            for kk in self.kieskringen:
                self.writer.bytes(self.name("230b", kk.name), eml_write.write_candidate_lists(
                    CandidateLists(source="", election=self.ref, authority_id="CSB", contest_id=str(kk.number),
                                   contest_name=kk.name, lists=tuple(ballot.lists)),
                    authority_name="De Kiesraad", issue_date=issue, created=created_lists, nomination_date=nomination))
                units: list[tuple[_Gemeente, _PV]] = []
                for g in kk.gemeenten:
                    total = self.gemeente(g, faults_by_g.get(g.index, []), contest=(str(kk.number), kk.name))
                    units.append((g, total))
                district_totals.append((kk, self.district(kk, units, faults_by_g)))
            top = self.central(district_totals)
        else:
            g = self.gemeenten[0]
            self.writer.bytes(self.name("230b"), eml_write.write_candidate_lists(
                CandidateLists(source="", election=self.ref, authority_id="CSB", contest_id="geen",
                               lists=tuple(ballot.lists)),
                authority_name=f"Centraal stembureau {g.name}", issue_date=issue, created=created_lists,
                nomination_date=nomination))
            top = self.gemeente(g, faults_by_g.get(0, []), contest=("geen", None))
        self.definition(issue, created_lists, nomination)
        self.result(top)
        self.manifest.faults = self.records
        self.manifest.seconds = round(time.perf_counter() - start, 2)
        (self.out / "faults.json").write_text(json.dumps(self.manifest.to_dict(), indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
        return self.manifest

    # ------------------------------------------------------------ 110a

    def definition(self, issue: dt.date, created: dt.datetime, nomination: dt.date) -> None:
        if self.category == "TK":
            regions = [Region(number="1", category="STAAT", name="Nederland")]
            regions += [Region(number=str(kk.number), category="KIESKRING", name=kk.name, superior_number="1",
                               superior_category="STAAT") for kk in self.kieskringen]
            regions += [Region(number=str(int(g.code)), category="GEMEENTE", name=g.name,
                               superior_number=str(kk.number), superior_category="KIESKRING")
                        for kk in self.kieskringen for g in kk.gemeenten]
        else:
            g = self.gemeenten[0]
            regions = [Region(number=str(int(g.code)), category="GEMEENTE", name=g.name)]
        d = Definition(source="", election=self.ref, seats=self.seats, preference_threshold=self.threshold,
                       contest_id=self.definition_contest,
                       regions=tuple(regions), parties=tuple(pl.name for pl in self.ballot.lists))
        self.writer.bytes(self.name("110a"), eml_write.write_definition(d, issue_date=issue, created=created,
                                                                         nomination_date=nomination))

    # ------------------------------------------------------------ 510b (+ CSV) per municipality

    def gemeente(self, g: _Gemeente, planned: list[_Planned], contest: tuple[str, str | None]) -> _PV:
        rng, ballot = self.rng, self.ballot
        base = [ballot.shares[i] * g.share_noise[i] * w
                for i, (o, k) in enumerate(zip(ballot.offsets, ballot.sizes)) for w in ballot.weights[o:o + k]]
        tables: dict[int, list[int]] = {}
        # its own generator, so that the election with and without neighbourhoods draws the same
        hoods = _neighbourhoods(random.Random(f"hoods:{self.seed}:{g.code}"), ballot) if self.neighbourhoods else None
        true = []
        for _ in range(g.n_stations):
            v = rng.randrange(TABLE_VARIANTS)
            if v not in tables:
                tables[v] = _vote_table(rng, ballot, base if hoods is None else [x * f for x, f in zip(base, hoods[v])])
            true.append(_station(rng, ballot, tables[v], self.category))
        published: list[_PV] = list(true)
        counted: list[bool] = [True] * len(true)
        duplicate: int | None = None
        file_510b = self.name("510b", g.name)
        file_csv = self.name("csv", g.name) if self.csv else None
        # The CSV carries the same numbers as the 510b; verify checks the second publication of
        # a count only where it differs from the first, so findings are expected in the 510b.
        sources = [(file_510b, contest[0])]
        unit_ids = [f"{g.code}::SB{i + 1}" for i in range(len(true))]
        eid = self.ref.id
        free = list(range(len(true)))
        touched: list[tuple[FaultRecord, set[tuple] | None]] = []  # fields each fault disturbs in total vs units

        def take(pred=lambda i: True) -> int | None:
            options = [i for i in free if pred(i)]
            if not options:
                return None
            i = self.frng.choice(options)
            free.remove(i)
            return i

        def both(code: str, unit: str | None, **kw: object) -> list[dict[str, object]]:
            return [_finding(code, eid, c, g.code, unit, src, **kw) for src, c in sources]  # type: ignore[arg-type]

        order = {"eligible_zero": 0, "swap_lists": 1}
        for p in sorted(planned, key=lambda p: order.get(p.name, 2)):
            rec = FaultRecord(p.name, FAULTS[p.name].description)
            if p.name == "total_copied_wrong" or (p.name == "eligible_zero" and self.category == "TK"):
                self.pending.setdefault(g.index, []).append(rec)  # applied to the 510c unit
                continue
            self.records.append(rec)
            if p.name == "eligible_zero":  # GR: the municipality publishes 0 everywhere
                for i, pv in enumerate(true):
                    rec.changes.append(Change(file_510b, unit_ids[i], "eligible", pv.counts["eligible"], 0))
                    pv.counts["eligible"] = 0
                rec.expected += both("W.205", None, fld="eligible")
            elif p.name == "swap_lists":
                i = take()
                assert i is not None
                pv = true[i]
                pairs = [(a, b) for a in range(len(ballot.lists)) for b in range(a + 1, len(ballot.lists))
                         if ballot.sizes[a] == ballot.sizes[b]
                         and pv.lists[ballot.lists[a].number] != pv.lists[ballot.lists[b].number]]
                if not pairs:
                    rec.note = "no two lists with as many candidates and different totals: nothing swapped"
                    continue
                a, b = self.frng.choice(pairs)
                na, nb = ballot.lists[a].number, ballot.lists[b].number
                oa, ob, k = ballot.offsets[a], ballot.offsets[b], ballot.sizes[a]
                rec.changes += [Change(file_510b, unit_ids[i], f"list {na}", pv.lists[na], pv.lists[nb]),
                                Change(file_510b, unit_ids[i], f"list {nb}", pv.lists[nb], pv.lists[na])]
                pv.lists[na], pv.lists[nb] = pv.lists[nb], pv.lists[na]
                pv.vec[oa:oa + k], pv.vec[ob:ob + k] = pv.vec[ob:ob + k], pv.vec[oa:oa + k]
                rec.note = ("internally consistent at every level (the totals are added up from the swapped PV): "
                            "expected [] for verify; for plausibility checks")
            elif p.name == "swap_candidates":
                i = take()
                assert i is not None
                pv = true[i]
                li = max(range(len(ballot.lists)), key=lambda a: pv.lists[ballot.lists[a].number])
                o, k = ballot.offsets[li], ballot.sizes[li]
                others = [j for j in range(o + 1, o + k) if pv.vec[j] != pv.vec[o]]
                if not others:
                    rec.note = "all candidates of the list have equal votes: nothing swapped"
                    continue
                j = self.frng.choice(others)
                lst = ballot.lists[li].number
                pos = ballot.keys_pos[j][1]
                rec.changes += [Change(file_510b, unit_ids[i], f"candidate {lst}.1", pv.vec[o], pv.vec[j]),
                                Change(file_510b, unit_ids[i], f"candidate {lst}.{pos}", pv.vec[j], pv.vec[o])]
                pv.vec[o], pv.vec[j] = pv.vec[j], pv.vec[o]
                rec.note = "internally consistent (the totals are added up from it): expected [] for verify"
            elif p.name == "zero_invalid":
                i = take(lambda i: true[i].counts["invalid"] > 0)
                if i is None:
                    rec.note = "no station with invalid votes: nothing changed"
                    continue
                pv = true[i]
                c = pv.counts
                rec.changes += [Change(file_510b, unit_ids[i], "invalid", c["invalid"], 0),
                                Change(file_510b, unit_ids[i], "blank", c["blank"], c["blank"] + c["invalid"])]
                c["blank"], c["invalid"] = c["blank"] + c["invalid"], 0
                rec.note = "internally consistent (the totals are added up from it): expected [] for verify"
            elif p.name == "candidate_typo":
                i = take(lambda i: any(true[i].vec))
                assert i is not None
                pv = published[i] = true[i].copy()
                j = self.frng.choice([j for j, v in enumerate(pv.vec) if v > 0])
                lst, pos = ballot.keys_pos[j][0], ballot.keys_pos[j][1]
                new = _typo(pv.vec[j], self.frng)
                rec.changes.append(Change(file_510b, unit_ids[i], f"candidate {lst}.{pos}", pv.vec[j], new))
                pv.vec[j] = new
                rec.expected += both("F.402", unit_ids[i], lst=lst, fld=f"list {lst}")
                touched.append((rec, {("candidate", (lst, pos))}))
            elif p.name == "list_total_not_sum":
                i = take()
                assert i is not None
                pv = published[i] = true[i].copy()
                lst = self.frng.choice(ballot.lists).number
                delta = self.frng.choice([d for d in range(-10, 11) if d and pv.lists[lst] + d >= 0])
                rec.changes.append(Change(file_510b, unit_ids[i], f"list {lst}", pv.lists[lst], pv.lists[lst] + delta))
                pv.lists[lst] += delta
                rec.expected += both("F.402", unit_ids[i], lst=lst, fld=f"list {lst}")
                rec.expected += both("F.202", unit_ids[i], fld="valid")
                touched.append((rec, {("list", lst)}))
            elif p.name == "unexplained_difference":
                def exact(i: int) -> bool:
                    c = true[i].counts
                    return c["more_ballots"] == c["fewer_ballots"] == 0
                i = take(exact)
                if i is None:
                    i = take()
                assert i is not None
                pv = published[i] = true[i].copy()
                c = pv.counts
                h = c["valid"] + c["blank"] + c["invalid"]
                options = []
                for delta in (-3, -2, -1, 1, 2, 3):
                    gap = h - (c["admitted"] + delta)
                    if c["poll_cards"] + delta >= 0 and gap != h - c["admitted"] and abs(gap) < 15 \
                            and 100 * abs(gap) < 2 * h:
                        options.append(delta)
                delta = self.frng.choice(options)
                for key in ("poll_cards", "admitted"):
                    rec.changes.append(Change(file_510b, unit_ids[i], key, c[key], c[key] + delta))
                    c[key] += delta
                rec.expected += self._difference_findings(pv, both, unit_ids[i])
                touched.append((rec, {("count", "poll_cards"), ("count", "admitted")}))
            elif p.name == "station_left_out":
                i = take(lambda i: sum(v > 0 for v in true[i].vec) >= 3)
                assert i is not None
                counted[i] = False
                rec.changes.append(Change(file_510b, unit_ids[i], "counted in TotalVotes", "yes", "no"))
                rec.expected.append(_finding("AGG.UNIT_LEFT_OUT", eid, contest[0], g.code, unit_ids[i], file_510b,
                                             fld="unit"))
            elif p.name == "duplicated_station":
                i = take()
                assert i is not None
                duplicate = i
                rec.changes.append(Change(file_510b, unit_ids[i], "ReportingUnitVotes", 1, 2))
                rec.expected.append(_finding("AGG.DUPLICATE_UNIT", eid, contest[0], g.code, unit_ids[i], file_510b,
                                             fld="unit"))
                rec.note = ("the units add up to the total plus exactly the duplicated station, which the "
                            "duplicate explains: no AGG.TOTAL")
        total = _sum((pv for pv, keep in zip(true, counted) if keep), ballot.n)
        station_names = [f"Stembureau {self.rng.choice(_BUILDINGS)} {self.rng.choice(_PLACE_A)}{self.rng.choice(_PLACE_B)}"
                         f" (postcode: {_postcode(self.rng)})" for _ in true]
        units = [_tally(pv, ballot.keys_pos, tid=unit_ids[i], name=station_names[i]) for i, pv in enumerate(published)]
        if duplicate is not None:
            units.insert(duplicate + 1, units[duplicate])
        count = CountFile.model_construct(
            source=file_510b, kind="510b", level=Level.MUNICIPALITY, election=self.ref, authority_id=g.code,
            authority_name=g.name, created=self.time(1, g.index), contest_id=contest[0], contest_name=contest[1],
            list_names={pl.number: pl.name for pl in ballot.lists}, candidate_names={},
            total=_tally(total, ballot.keys_pos), units=units, phase=None, schema_version=None,
        )
        self.writer.count(file_510b, count)
        counts = [(file_510b, count)]
        if file_csv:
            csv_units = [u.model_copy(update={"counts": {**u.counts, "ballots_found": _h(u)}}) for u in units]
            assert count.total is not None
            csv_total = count.total.model_copy(update={"counts": {**count.total.counts, "ballots_found": _h(count.total)}})
            csv_count = count.model_copy(update={"units": csv_units, "total": csv_total, "source": file_csv})
            self.writer.bytes(file_csv, _write_osv_csv(csv_count, candidate_names=ballot.names()))
            counts.append((file_csv, csv_count))
        # Other faults' fields in the total are compared as verify does once it has named a
        # station left out: with that station added back.
        left_out = [pv for pv, keep in zip(published, counted) if not keep]
        compared = count if not left_out else count.model_copy(
            update={"total": _tally(_sum([total, *left_out], ballot.n), ballot.keys_pos)})
        for rec, fields in touched:
            for src, c in [(file_510b, compared)]:
                contest_id = contest[0]
                for key in _total_mismatches(c, fields):
                    kind, value = key
                    rec.expected.append(_finding(
                        "AGG.TOTAL", eid, contest_id, g.code, None, src,
                        lst=value if kind == "list" else value[0] if kind == "candidate" else None,
                        candidate=value[1] if kind == "candidate" else None, fld=field_name(key)))
        return total

    def _difference_findings(self, pv: _PV, both, unit: str) -> list[dict[str, object]]:
        """What the Kiesraad's F.305-F.309 rules and the explanation sum say about a station PV."""
        c = pv.counts
        h, d, more, fewer = c["valid"] + c["blank"] + c["invalid"], c["admitted"], c["more_ballots"], c["fewer_ballots"]
        out: list[dict[str, object]] = []
        if h == d:
            out += [f for key in ("more_ballots", "fewer_ballots") if c[key] for f in both("F.305", unit, fld=key)]
        elif h > d:
            if more != h - d:
                out += both("F.306", unit, fld="more_ballots")
            if fewer:
                out += both("F.307", unit, fld="fewer_ballots")
        else:
            if fewer != d - h:
                out += both("F.308", unit, fld="fewer_ballots")
            if more:
                out += both("F.309", unit, fld="more_ballots")
        if sum(c[k] for k in ("taken_home", "too_few_issued", "too_many_issued", "no_explanation",
                              "other_explanation")) != abs(h - d):
            out += both("TALLY.EXPLANATIONS", unit, fld="explanations")
        return out

    # ------------------------------------------------------------ 510c per kieskring (TK)

    def district(self, kk: _Kieskring, units: list[tuple[_Gemeente, _PV]], faults_by_g: dict[int, list[_Planned]]) -> _PV:
        ballot, eid = self.ballot, self.ref.id
        authority = f"HSB{kk.number}"
        file_510c = self.name("510c", kk.name)
        published: list[_PV] = []
        tallies: list[Tally] = []
        eligible_recs: list[FaultRecord] = []
        for g, total in units:
            pv = _PV({k: v for k, v in total.counts.items() if k not in HIDDEN_AT_HSB}, dict(total.lists),
                     list(total.vec))
            unit_id = f"{authority}::{g.code}"
            lowers = [(str(kk.number), self.name("510b", g.name))]  # its CSV is the same count
            for rec in self.pending.pop(g.index, []):
                self.records.append(rec)
                if rec.name == "eligible_zero":
                    key, new = "eligible", 0
                    rec.expected.append(_finding("W.205", eid, str(kk.number), authority, unit_id, file_510c,
                                                 fld="eligible"))
                else:
                    key = self.frng.choice([k for k in ("eligible", "blank", "invalid", "proxy_certificates",
                                                        "voter_cards") if pv.counts.get(k, 0) >= 10] or ["eligible"])
                    h = pv.counts["valid"] + pv.counts["blank"] + pv.counts["invalid"]
                    for _ in range(100):
                        new = _typo(pv.counts[key], self.frng)
                        if new > 0 and (key != "eligible" or new > h):
                            break
                rec.changes.append(Change(file_510c, unit_id, key, pv.counts[key], new))
                pv.counts[key] = new
                if key == "eligible":
                    eligible_recs.append(rec)
                for contest, _lower in lowers:
                    rec.expected.append(_finding("AGG.LEVEL", eid, contest, authority, unit_id, file_510c,
                                                 fld=key))
            published.append(pv)
            tallies.append(_tally(pv, ballot.keys_pos, tid=unit_id, name=g.name))
        total = _sum(published, ballot.n)
        for code, fld in _eligible_warnings(total):
            for rec in eligible_recs:
                rec.expected.append(_finding(code, eid, str(kk.number), authority, None, file_510c, fld=fld))
        self.eligible_recs[kk.number] = eligible_recs
        count = CountFile.model_construct(
            source=file_510c, kind="510c", level=Level.DISTRICT, election=self.ref, authority_id=authority,
            authority_name=kk.name, created=self.time(2, kk.number), contest_id=str(kk.number), contest_name=kk.name,
            list_names={pl.number: pl.name for pl in ballot.lists}, candidate_names={},
            total=_tally(total, ballot.keys_pos), units=tallies, phase=None, schema_version=None,
        )
        self.writer.count(file_510c, count)
        return total

    # ------------------------------------------------------------ 510d (TK)

    def central(self, districts: list[tuple[_Kieskring, _PV]]) -> _PV:
        ballot = self.ballot
        units = [_tally(pv, ballot.keys_unit, tid=f"HSB{kk.number}", name=f"Kieskring {kk.name}", drop=HIDDEN_AT_CSB)
                 for kk, pv in districts]
        total = _sum((pv for _, pv in districts), ballot.n)
        file_510d, eid = self.name("510d"), self.ref.id
        for kk, pv in districts:
            for rec in self.eligible_recs.get(kk.number, []):
                for code, fld in _eligible_warnings(pv):
                    rec.expected.append(_finding(code, eid, "alle", "CSB", f"HSB{kk.number}", file_510d, fld=fld))
                for code, fld in _eligible_warnings(total):
                    rec.expected.append(_finding(code, eid, "alle", "CSB", None, file_510d, fld=fld))
        count = CountFile.model_construct(
            source="", kind="510d", level=Level.CENTRAL, election=self.central_ref, authority_id="CSB",
            authority_name="Nederland", created=self.time(5), contest_id="alle", contest_name=None,
            list_names={pl.number: pl.name for pl in ballot.lists}, candidate_names={},
            total=_tally(total, ballot.keys_code, drop=HIDDEN_AT_CSB), units=units, phase=None, schema_version=None,
        )
        self.writer.count(self.name("510d"), count)
        return total

    # ------------------------------------------------------------ 520

    def result(self, top: _PV) -> None:
        ballot = self.ballot
        rules = rules_for(self.category, self.seats, election_date=self.date, preference_threshold_pct=self.threshold)
        inputs = [ListInput(pl.number, top.lists[pl.number], pl.name, len(pl.candidates)) for pl in ballot.lists]
        lots: list[object] = []
        allocation = allocate(inputs, rules)
        while not allocation.complete:
            assert allocation.lots_required is not None
            lots.append(self.lrng.choice(allocation.lots_required.options))
            allocation = allocate(inputs, rules, lots)  # type: ignore[arg-type]
        per_list = allocation.seats_per_list
        elected: list[ElectedCandidate] = []
        rankings: dict[int, tuple[tuple[int, ...], set[int], dict[int, bool]]] = {}
        for pl, o, k in zip(ballot.lists, ballot.offsets, ballot.sizes):
            votes = [(c.number, top.vec[o + j]) for j, c in enumerate(pl.candidates)]
            cand_lots: list[object] = []
            nom = nominate(pl.number, per_list.get(pl.number, 0), votes, allocation.quota, rules)  # type: ignore[arg-type]
            while not nom.complete:
                assert nom.lots_required is not None
                cand_lots.append(self.lrng.choice(nom.lots_required.options))
                nom = nominate(pl.number, per_list.get(pl.number, 0), votes, allocation.quota, rules,  # type: ignore[arg-type]
                               lots=cand_lots)  # type: ignore[arg-type]
            lots += cand_lots
            reasons = {e.candidate: e.reason is Reason.PREFERENCE for e in nom.elected}
            rankings[pl.number] = (nom.ranking, set(reasons), reasons)
        self.manifest.seats = dict(per_list)
        self.manifest.lots = lots
        moved = None
        if any(p.name == "wrong_seat_520" for p in self.plan):
            moved = self._move_seat(rankings)
        by_number = {pl.number: pl for pl in ballot.lists}
        for pl in ballot.lists:
            ranking, chosen, preferred = rankings[pl.number]
            for pos, number in enumerate(ranking, start=1):
                if number in chosen:
                    c = by_number[pl.number].candidates[number - 1]
                    elected.append(ElectedCandidate(
                        list_number=pl.number, list_name=pl.name, candidate=c.model_copy(update={"number": pos}),
                        ranking=1 if preferred.get(number) else 2))
        created = self.time(6)
        result = ResultFile(source="", election=self.central_ref, authority_id="CSB", contest_id=self.definition_contest,
                            created=created, elected=tuple(elected))
        authority = "Nederland" if self.category == "TK" else self.gemeenten[0].name
        self.writer.bytes(self.name("520"), eml_write.write_result(result, authority_name=authority))
        if moved is not None:
            rec, a, b = moved
            rec.changes.append(Change(self.name("520"), None, "seats", f"list {a}: {per_list[a]}, list {b}: "
                                      f"{per_list.get(b, 0)}", f"list {a}: {per_list[a] - 1}, list {b}: {per_list.get(b, 0) + 1}"))
            for lst in (a, b):
                for code in ("SEATS.ALLOCATION", "SEATS.ELECTED"):
                    rec.expected.append(_finding(code, self.ref.id, result.contest_id, result.authority_id, None,
                                                 self.name("520"), lst=lst, fld=f"list {lst}"))
            self.records.append(rec)

    @property
    def definition_contest(self) -> str:
        return "alle" if self.category == "TK" else "geen"

    def _move_seat(self, rankings: dict[int, tuple[tuple[int, ...], set[int], dict[int, bool]]]):
        rec = FaultRecord("wrong_seat_520", FAULTS["wrong_seat_520"].description)
        donors = [n for n, (_, chosen, _) in rankings.items() if chosen]
        takers = [n for n, (ranking, chosen, _) in rankings.items() if len(chosen) < len(ranking)]
        pairs = [(a, b) for a in donors for b in takers if a != b]
        if not pairs:
            rec.note = "no list can give a seat to another: nothing moved"
            self.records.append(rec)
            return None
        a, b = self.frng.choice(pairs)
        ranking_a, chosen_a, _ = rankings[a]
        chosen_a.discard(max(chosen_a, key=ranking_a.index))
        ranking_b, chosen_b, _ = rankings[b]
        chosen_b.add(next(n for n in ranking_b if n not in chosen_b))
        return rec, a, b


def _eligible_warnings(pv: _PV) -> list[tuple[str, str]]:
    """(code, field) of W.205 / W.206 for a kieskring or national total, where admitted voters
    are not published: 0 eligible voters, or more ballots than eligible voters."""
    c = pv.counts
    z, h = c["eligible"], c["valid"] + c["blank"] + c["invalid"]
    if z == 0:
        return [("W.205", "eligible")] if h > 0 else []
    return [("W.206", "ballots_found")] if h > z else []


def _h(t: Tally) -> int:
    c = t.counts
    return c["valid"] + c["blank"] + c["invalid"]


def generate(
    out_dir: str | Path,
    *,
    category: str = "GR",
    stations: int = 5,
    lists: int = 4,
    candidates: int = 6,
    seed: int = 0,
    faults: int | Sequence[str] | None = None,
    municipalities: int | None = None,
    districts: int | None = None,
    seats: int | None = None,
    date: dt.date | None = None,
    csv: bool = True,
    neighbourhoods: bool = False,
) -> Manifest:
    """Write a complete election to ``out_dir`` (created if needed) and return its manifest.

    ``stations`` counts polling stations in the whole election; for TK they are spread over
    ``municipalities`` (default ~28 stations each) in ``districts`` kieskringen (default
    min(20, municipalities)). ``seats`` defaults to the Gemeentewet table for GR (from the
    eligible voters) and to 150 for TK (or half the candidates when there are fewer than 300).
    ``faults`` is a number of random faults or a list of names from ``FAULTS``.
    ``neighbourhoods`` gives stations the local structure of real municipalities (village
    parties, local candidates; ``_neighbourhoods``); off by default, so that a seed keeps
    generating the same files (fixtures/demo).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    election = _Election(out, category.upper(), stations, lists, candidates, seed, faults, municipalities, districts,
                         seats, date, csv, neighbourhoods)
    return election.run()


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m osv_verify.devtools.synth", description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir")
    p.add_argument("--category", default="GR", choices=CATEGORIES)
    p.add_argument("--stations", type=int, default=5)
    p.add_argument("--lists", type=int, default=4)
    p.add_argument("--candidates", type=int, default=6)
    p.add_argument("--municipalities", type=int)
    p.add_argument("--districts", type=int)
    p.add_argument("--seats", type=int)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--faults", default="0", help="a number of random faults, or names separated by commas: "
                                                  + ", ".join(FAULTS))
    p.add_argument("--no-csv", action="store_true", help="do not write the OSV4-3 CSV files")
    a = p.parse_args(argv)
    faults: int | list[str] = int(a.faults) if a.faults.isdigit() else [f.strip() for f in a.faults.split(",") if f.strip()]
    try:
        m = generate(a.out_dir, category=a.category, stations=a.stations, lists=a.lists, candidates=a.candidates,
                     seed=a.seed, faults=faults, municipalities=a.municipalities, districts=a.districts,
                     seats=a.seats, csv=not a.no_csv)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"{m.election}: {len(m.files)} files, {m.bytes_written / 1e6:.1f} MB in {m.seconds:.1f} s; "
          f"{len(m.faults)} fault(s): {', '.join(f.name for f in m.faults) or 'none'}")
    for note in m.notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
