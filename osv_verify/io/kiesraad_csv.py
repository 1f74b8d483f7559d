"""The Kiesraad's research CSVs of a Tweede Kamer election (``TK<year>_uitslag.csv``,
``TK<year>_Stemmen_Per_Lijst_Per_Stembureau.csv``; loose or in the Kiesraad's zip).

They are derived from the EML by the Kiesraad ("onderzoeksdata, geen officiële uitslag", its
README says), so they are a publication of their own that can disagree with the EML:
``checks.research`` compares them and checks their own sums.

Recognised by their header row (content, never the file name):

- ``TK<year>_uitslag.csv``: ``Regio;RegioCode;OuderRegioCode;GrootOuderRegioCode;Partij;
  LijstNummer;LijstNaam;KandidaatNummer;...;VeldType;Waarde``: one number a row, for every
  region: ``G0668`` (gemeente), ``O9001`` (openbaar lichaam), ``K6`` (kieskring), ``P25``
  (provincie), ``L528`` (land). ``VeldType`` says which number: the counts
  (``Kiesgerechtigden`` Z, ``AantalGeldigeStemmen`` E, ``AantalBlancoStemmen`` F,
  ``AantalOngeldigeStemmen`` G, ``Opkomst`` H = E + F + G), ``LijstAantalStemmen`` (a list's
  votes), ``KandidaatAantalStemmen`` (a candidate's, not at gemeente level),
  ``LijstAantalZetels`` and ``KandidaatGekozen`` (the seats and the elected, land only; the
  ``KandidaatNummer`` of an elected row is the order of election, not the list position).
- ``TK<year>_Stemmen_Per_Lijst_Per_Stembureau.csv``: ``GemeenteCode;GemeenteNaam;Postcode;
  StembureauNaam;StembureauCode;PartijNaam;AantalStemmen``: each list's votes at each station.
  Lists are named, not numbered: the number is the one the uitslag gives that name in the same
  gemeente (so this file is read with the uitslag; alone it cannot say which list is which).

The election is not in either file; it is the ``TK<year>`` the Kiesraad puts in front of the
file name (``ResearchFile.election``), and a run groups the files with the EML of that id.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from osv_verify.core.errors import InputError
from osv_verify.core.model import CandidateKey, ElectionRef, Tally
from osv_verify.core.text import Text
from osv_verify.io.csv_records import decode
from osv_verify.io.limits import MAX_NAME_CHARS, check_name
from osv_verify.io.numbers import parse_count

UITSLAG = ("Regio", "RegioCode", "OuderRegioCode", "GrootOuderRegioCode", "Partij", "LijstNummer", "LijstNaam",
           "KandidaatNummer", "KandidaatInitialen", "KandidaatVoornaam", "KandidaatTussenvoegsel", "KandidaatAchternaam",
           "KandidaatWoonplaats", "KandidaatGeslacht", "VeldType", "Waarde")
STATIONS = ("GemeenteCode", "GemeenteNaam", "Postcode", "StembureauNaam", "StembureauCode", "PartijNaam", "AantalStemmen")
KINDS = {"kr-uitslag": UITSLAG, "kr-stembureaus": STATIONS}

#: VeldType -> the count key of ``core.model.COUNT_FIELDS``.
COUNTS = {"Kiesgerechtigden": "eligible", "AantalGeldigeStemmen": "valid", "AantalBlancoStemmen": "blank",
          "AantalOngeldigeStemmen": "invalid", "Opkomst": "ballots_found"}
#: The region code's letter -> the level it names (as ``export`` writes levels).
LEVELS = {"G": "gemeente", "O": "gemeente", "K": "kieskring", "P": "provincie", "L": "land"}
_ELECTION = re.compile(r"(?:^|[/\\!])(TK)(\d{4})_[^/\\!]*$", re.IGNORECASE)
_ELECTION_ANYWHERE = re.compile(r"(?:^|[/\\!])(TK)(\d{4})(?!\d)", re.IGNORECASE)


def kind_of(head: bytes, source: str = "") -> str | None:
    """``kr-uitslag`` or ``kr-stembureaus`` when ``head`` starts with that file's header row;
    that header with another separator (a spreadsheet re-save with ``,``) is an ``InputError``:
    the file is meant as research data, and skipping it would leave it unchecked in silence."""
    first = head.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip(b"\r").decode("utf-8", "replace")
    for separator in dict.fromkeys((";", *(c for c in first if not (c.isalnum() or c in ';"')))):
        cells = tuple(c.strip().strip('"') for c in first.split(separator))
        kind = next((kind for kind, header in KINDS.items() if cells == header), None)
        if kind is not None and separator != ";":
            raise InputError(source, Text(f"de kopregel van een onderzoeks-CSV van de Kiesraad, maar gescheiden door {separator!r} "
                                          "in plaats van ';' (sla het bestand op met ';')",
                                          f"the header row of a Kiesraad research CSV, but separated by {separator!r} instead of ';' "
                                          "(save the file with ';')"), "line 1")
        if kind is not None:
            return kind
    return None


def election_of(name: str) -> ElectionRef | None:
    """The election the Kiesraad's file name gives (``TK2025_uitslag.csv`` -> ``TK2025``), else
    the name of the zip or folder it is in (``TK2025_CSV.zip!uitslag.csv``)."""
    m = _ELECTION.search(name) or _ELECTION_ANYWHERE.search(name)
    return ElectionRef(id=f"TK{m.group(2)}", category="TK") if m else None


@dataclass
class Region:
    """One region of the uitslag: its code (``G0668``), name, parent and numbers."""

    code: str
    name: str
    parent: str | None
    tally: Tally
    seats: dict[int, int] = field(default_factory=dict)  # list -> seats (land only)
    elected: list[tuple[int, str, str]] = field(default_factory=list)  # (list, order of election, name), land only

    @property
    def level(self) -> str:
        return LEVELS[self.code[0]]

    @property
    def number(self) -> str:
        """The code without its letter, as the EML writes it: ``0668``, ``6`` (for HSB6)."""
        return self.code[1:]


@dataclass
class Station:
    municipality: str  # 0668
    municipality_name: str
    tally: Tally  # id 0668::SB1, name, postcode, lists by number
    party_names: dict[str, int] = field(default_factory=dict)


@dataclass
class ResearchFile:
    """What one research CSV holds (the uitslag's regions or the stations' list votes)."""

    source: str
    kind: str
    election: ElectionRef | None
    regions: dict[str, Region] = field(default_factory=dict)  # by code, in file order
    list_names: dict[int, str] = field(default_factory=dict)
    candidate_names: dict[CandidateKey, str] = field(default_factory=dict)
    stations: list[tuple[str, str, str | None, str, str, str, int, str]] = field(default_factory=list)  # raw rows, with their line


def _rows(data: bytes, source: str, header: tuple[str, ...]):
    """The rows after the header, read as the OSV CSV reader reads (UTF-8, a NUL refused), every
    text cell within the name limit of ``io.limits``."""
    text = decode(data, source)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    try:
        next(reader)
        for row in reader:
            if not any(row):
                continue
            if len(row) != len(header):
                raise InputError(source, Text(f"{len(row)} kolommen, verwacht {len(header)}",
                                              f"{len(row)} columns, expected {len(header)}"), f"line {reader.line_num}")
            if max(map(len, row)) > MAX_NAME_CHARS:  # one test a row: the uitslag has a million
                for column, cell in zip(header, row):
                    check_name(cell, source, f"line {reader.line_num}, column {column}")
            yield reader.line_num, row
    except csv.Error as err:
        raise InputError(source, Text(f"geen leesbare CSV: {err}", f"not a readable CSV: {err}"), f"line {reader.line_num}") from None


def _number(text: str, source: str, line: int, column: str) -> int:
    return parse_count(text, source, f"line {line}, column {column}")


def read(data: bytes, source: str) -> ResearchFile:
    """Read a research CSV completely; a row it cannot read is an ``InputError`` naming it."""
    kind = kind_of(data[:4096], source)
    if kind is None:
        raise InputError(source, Text("geen onderzoeks-CSV van de Kiesraad", "not a Kiesraad research CSV"), "line 1")
    out = ResearchFile(source, kind, election_of(source))
    if kind == "kr-stembureaus":
        for line, (code, name, postcode, station_name, station, party, votes) in _rows(data, source, STATIONS):
            out.stations.append((code.strip().zfill(4), name, postcode.strip() or None, station_name, station.strip(), party,
                                 _number(votes, source, line, "AantalStemmen"), f"line {line}"))
        return out
    unnumbered: list[tuple[Region, str, int, int]] = []
    candidates: list[tuple[Region, str, int, str, str, int]] = []
    for line, row in _rows(data, source, UITSLAG):
        name, code, parent, _, _, list_no, list_name, cand, initials, first, prefix, last, _, _, what, value = row
        if not code or code[0] not in LEVELS:
            raise InputError(source, Text(f"onbekende RegioCode {code!r}", f"unknown RegioCode {code!r}"), f"line {line}")
        region = out.regions.get(code)
        if region is None:
            region = out.regions[code] = Region(code, name, parent or None, Tally(id=code, name=name, element=f"line {line}"))
        number = _number(value, source, line, "Waarde")
        n = _number(list_no, source, line, "LijstNummer") if list_no else None
        if what in COUNTS:
            region.tally.counts[COUNTS[what]] = number
        elif what == "LijstAantalZetels":  # named, not numbered: numbered once every list is known
            unnumbered.append((region, list_name, number, line))
        elif what in ("LijstAantalStemmen", "KandidaatAantalStemmen", "KandidaatGekozen"):
            if n is None:
                raise InputError(source, Text(f"lijst {list_name!r} zonder LijstNummer", f"list {list_name!r} without a LijstNummer"), f"line {line}")
            out.list_names.setdefault(n, list_name)
            if what == "LijstAantalStemmen":
                region.tally.lists[n] = number
            else:
                candidates.append((region, what, n, cand, _display(initials, first, prefix, last), number))
        else:
            raise InputError(source, Text(f"onbekend VeldType {what!r}", f"unknown VeldType {what!r}"), f"line {line}")
    _add_candidates(out, candidates)
    by_name = {name: n for n, name in out.list_names.items()}
    for region, list_name, number, line in unnumbered:
        if list_name not in by_name:
            raise InputError(source, Text(f"lijst {list_name!r} heeft nergens een LijstNummer", f"list {list_name!r} has no LijstNummer anywhere"), f"line {line}")
        region.seats[by_name[list_name]] = number
    return out


def _add_candidates(out: ResearchFile, rows: list[tuple[Region, str, int, str, str, int]]) -> None:
    """A candidate is (list, number) where that number names one person in the file; where lists
    differ per kieskring (the same number, other people: ChristenUnie's 41+ in TK2025) the name
    follows the number (``41 van Dijk, G.G. (Gerben)``), so no two people share a key. Those are
    not compared with an EML (whose kieskring numbers them alone)."""
    people: dict[tuple[int, str], set[str]] = {}
    for _, what, n, cand, name, _ in rows:
        if what == "KandidaatAantalStemmen":
            people.setdefault((n, cand), set()).add(name)
    for region, what, n, cand, name, number in rows:
        if what == "KandidaatGekozen":  # its KandidaatNummer is the order of election, not the list position
            if number:
                region.elected.append((n, cand, name))
            continue
        key = (n, cand if len(people[(n, cand)]) == 1 else f"{cand} {name}", None)
        out.candidate_names.setdefault(key, name)
        region.tally.candidates[key] = number


def _display(initials: str, first: str, prefix: str, last: str) -> str:
    """``Wilders, G. (Geert)`` as a 230b's display name reads."""
    name = " ".join(p for p in (prefix, last) if p)
    shown = f"{name}, {initials}".strip(", ")
    return f"{shown} ({first})" if first else shown


def stations_of(stations: ResearchFile, uitslag: ResearchFile) -> dict[str, list[Tally]]:
    """The stations of each gemeente (``0668``) with their lists numbered as the uitslag numbers
    them in that gemeente; a list name the uitslag does not give there is an ``InputError``."""
    numbers: dict[str, dict[str, int]] = {}
    for region in uitslag.regions.values():
        if region.level == "gemeente":
            numbers[region.number] = {uitslag.list_names[n]: n for n in region.tally.lists}
    out: dict[str, dict[str, Tally]] = {}
    for code, _, postcode, name, station, party, votes, where in stations.stations:
        known = numbers.get(code, {})
        if party not in known:
            raise InputError(stations.source, Text(f"lijst {party!r} van gemeente {code} staat niet in de uitslag ({uitslag.source})",
                                                   f"list {party!r} of gemeente {code} is not in the uitslag ({uitslag.source})"), where)
        units = out.setdefault(code, {})
        tally = units.get(station)
        if tally is None:
            tally = units[station] = Tally(id=f"{code}::{station}", name=name, postcode=postcode, element=where)
        if known[party] in tally.lists:
            raise InputError(stations.source, Text(f"lijst {party!r} staat twee keer bij {code}::{station}",
                                                   f"list {party!r} is given twice for {code}::{station}"), where)
        tally.lists[known[party]] = votes
    return {code: list(units.values()) for code, units in out.items()}


@dataclass
class Research:
    """The research CSVs of one election, read together: the uitslag's regions and the stations
    of each gemeente (their lists numbered through the uitslag)."""

    election: str
    uitslag: ResearchFile | None = None
    stations_source: str | None = None
    stations: dict[str, list[Tally]] = field(default_factory=dict)  # gemeente code (0668) -> its stations
    others: list[tuple[str, dict[str, Tally]]] = field(default_factory=list)  # a further copy: (source, its tallies by id)

    @property
    def sources(self) -> list[str]:
        return [s for s in (self.uitslag.source if self.uitslag else None, self.stations_source) if s]

    def region(self, code: str) -> Region | None:
        return self.uitslag.regions.get(code) if self.uitslag else None

    def regions(self, level: str) -> list[Region]:
        return [r for r in self.uitslag.regions.values() if r.level == level] if self.uitslag else []

    def municipality(self, code: str) -> Region | None:
        """The gemeente (or openbaar lichaam) with the EML code ``0668``."""
        return self.region(f"G{code}") or self.region(f"O{code}")

    def subset(self, authority: str | None) -> Research:
        """Only what a count of ``authority`` is compared with (for a worker process)."""
        if self.uitslag is None or authority is None:
            return Research(self.election)
        keep = {c: r for c, r in self.uitslag.regions.items()
                if c[1:] == authority or c[1:] == authority.removeprefix("HSB") or r.parent == f"K{authority.removeprefix('HSB')}"
                or (authority == "CSB" and r.level in ("kieskring", "land"))}
        part = ResearchFile(self.uitslag.source, self.uitslag.kind, self.uitslag.election, keep,
                            self.uitslag.list_names, self.uitslag.candidate_names)
        return Research(self.election, part, self.stations_source, {authority: self.stations.get(authority, [])})


def combine(election: str, files: list[ResearchFile]) -> Research:
    """The research CSVs of one election read together; the stations file needs the uitslag
    (for the list numbers): without it, an ``InputError``. A second file of a kind (another
    copy, under another name) is kept in ``others``, to be compared with the first."""
    uitslag = next((f for f in files if f.kind == "kr-uitslag"), None)
    stations = next((f for f in files if f.kind == "kr-stembureaus"), None)
    out = Research(election, uitslag)
    for other in files:
        if other is uitslag or other is stations:
            continue
        if other.kind == "kr-uitslag":
            out.others.append((other.source, {r.code: r.tally for r in other.regions.values()}))
        elif uitslag is not None:
            out.others.append((other.source, {t.id or "": t for ts in stations_of(other, uitslag).values() for t in ts}))
    if stations is not None:
        if uitslag is None:
            raise InputError(stations.source, Text("de lijsten van dit bestand hebben alleen een naam; het nummer staat in de uitslag "
                                                   "(TK..._uitslag.csv): geef die erbij",
                                                   "the lists in this file are named only; their numbers are in the uitslag "
                                                   "(TK..._uitslag.csv): give it too"))
        out.stations_source = stations.source
        out.stations = stations_of(stations, uitslag)
    return out
