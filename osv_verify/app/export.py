"""The tidy export: every published number as one row (``osv-verify export``, ``osv_verify.export``).

The export is a small relational set of tables, the same columns in every format (CSV, JSON,
Parquet, DuckDB):

- ``numbers``: one row per published number: a count of a proces-verbaal (``field`` eligible,
  admitted, blank, ...), a list total (``list``) or a candidate's votes (``list`` and
  ``candidate``), with the level, the municipality (code and name) where the row is about one,
  the unit and the ``source`` (a number in ``sources``). A number a file does not give is no
  row at all, never 0.
- ``sources``: each count file, named relative to the path the user passed, its kind, and
  whether its numbers were exported (``same_as``: the publication of the same count with the
  same numbers that was exported instead; ``differences``: how many numbers differ from it;
  ``derived``: the Kiesraad's research data, which repeat counts that the EML/OSV files give, so
  a sum over all sources would count those twice).
- ``stations``, ``lists``, ``candidates``, ``elections``: the names, postcodes, CBS wijk and
  turnout that the numbers refer to, each once.

The names live in their own tables so that the numbers table stays small: about a third of
the size it had with the names and the absolute file path on every row.

Streaming: count files are read one at a time (as ``osv_verify.app.verify`` does) and the
numbers are yielded as they are produced, so a national set exports in the memory of its
largest file (and of the small tables).

One publication per count, unless they disagree: when the same count is given twice (the EML
510 and its OSV CSV: same level, same authority) the second is compared with the first by
``verify``'s own comparison (``checks.aggregate.check_same_count``). When they agree it is not
exported (``sources.same_as``); when they differ both are exported, each row with its own
``source``, and ``Export.disagreeing`` says which files differ in how many numbers.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

from osv_verify.app.counts import publications
from osv_verify.checks.aggregate import check_same_count
from osv_verify.io.numbers import ascii_digits
from osv_verify.core.errors import InputError
from osv_verify.core.model import COUNT_FIELDS, CandidateKey, CandidateLists, CountFile, Level, PollingStations, ResultFile, Tally
from osv_verify.core.postcode import normalise, split_station_name
from osv_verify.io.discover import Entry, discover, load
from osv_verify.io.kiesraad_csv import KINDS, Research, ResearchFile, combine

_COUNT_ORDER = {f.key: i for i, f in enumerate(COUNT_FIELDS)}


class Row(NamedTuple):
    """One published number (a row of ``numbers``). ``level`` is the level of the count
    (``stembureau`` for a station's PV, ``gemeente`` for a municipality's total, ...);
    ``authority`` the code of the body whose file it is; ``municipality_code`` and
    ``municipality`` the gemeente the number is about (a station's, a gemeente total's; empty
    above); ``unit`` the reporting unit's code (``SB1``, ``0668``, ``HSB3``), empty for the
    file's own total; ``field`` the count key for a count, empty for a list or candidate."""

    election: str
    level: str
    authority: str | None
    municipality_code: str | None
    municipality: str | None
    unit: str | None
    field: str | None
    list: int | None
    candidate: str | None  # position on the list, or the ShortCode where a file has no position
    value: int
    source: int


class SourceRow(NamedTuple):
    source: int
    election: str
    file: str  # relative to the path the user passed
    kind: str
    exported: bool
    same_as: int | None  # the exported publication of the same count
    differences: int | None  # numbers that differ from it (None: not compared)
    # a publication derived from counts published elsewhere (the Kiesraad's research data): its
    # rows repeat the EML/OSV numbers of the same counts; ``WHERE NOT derived`` counts each vote once
    derived: bool = False


class StationRow(NamedTuple):
    election: str
    municipality_code: str | None
    municipality: str | None
    unit: str
    name: str | None
    postcode: str | None  # 1234AB
    wijk: str | None  # CBS wijk code, with --neighbourhoods
    eligible: int | None
    admitted: int | None
    turnout: float | None  # admitted / eligible in %, 2 decimals; only where the Cast are own registers (own_registers)
    source: int


class ListRow(NamedTuple):
    election: str
    list: int
    name: str


class CandidateRow(NamedTuple):
    election: str
    list: int
    candidate: str
    name: str


class ElectionRow(NamedTuple):
    election: str
    name: str | None
    category: str | None
    date: str | None
    domain: str | None


class RegionRow(NamedTuple):
    """An area a file names with a code: a gemeente, kieskring, provincie or the land, with the
    name the file gives it (``K12`` Den Haag, ``P28`` Zuid-Holland, ``L528`` Nederland)."""

    election: str
    level: str
    authority: str
    name: str | None
    parent: str | None  # the research data's OuderRegioCode


#: Every table of the export and the type of its rows, in the order they are written.
TABLES: dict[str, type[NamedTuple]] = {"numbers": Row, "sources": SourceRow, "stations": StationRow,
                                       "lists": ListRow, "candidates": CandidateRow, "elections": ElectionRow,
                                       "regions": RegionRow}
COLUMNS: tuple[str, ...] = Row._fields


@dataclass
class Names:
    """Names and postcodes from the small documents of one election (230b, 110b)."""

    lists: dict[tuple[str | None, int], str] = field(default_factory=dict)  # (contest, list) -> name
    candidates: dict[tuple[str | None, int, str], str] = field(default_factory=dict)  # (contest, list, position or code)
    stations: dict[tuple[str | None, str], tuple[str, str | None]] = field(default_factory=dict)  # (authority, SBn) -> name, postcode
    contests: set[str | None] = field(default_factory=set)

    def add_lists(self, doc: CandidateLists) -> None:
        self.contests.add(doc.contest_id)
        for pl in doc.lists:
            if pl.name:
                self.lists[(doc.contest_id, pl.number)] = pl.name
            for c in pl.candidates:
                for key in (str(c.number) if c.number is not None else None, c.short_code):
                    if key:
                        self.candidates[(doc.contest_id, pl.number, key)] = c.display_name

    def add_stations(self, doc: PollingStations) -> None:
        for s in doc.stations:
            self.stations[(doc.authority_id, f"SB{s.number}")] = (s.name, s.postcode)

    def contest(self, count: CountFile) -> str | None:
        """The 230b contest whose names apply to ``count``: its own, or the only one there is."""
        if count.contest_id in self.contests or len(self.contests) != 1:
            return count.contest_id
        return next(iter(self.contests))


@dataclass
class Export:
    """What an export run met besides its numbers: the small tables, input errors, files that
    were not exported or that disagree with another publication of the same count."""

    roots: list[str] = field(default_factory=list)  # the paths the user passed, for relative names
    input_errors: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # not election files
    sources: list[SourceRow] = field(default_factory=list)
    stations: list[StationRow] = field(default_factory=list)
    lists: dict[tuple[str, int], str] = field(default_factory=dict)
    candidates: dict[tuple[str, int, str], str] = field(default_factory=dict)
    elections: dict[str, ElectionRow] = field(default_factory=dict)
    regions: dict[tuple[str, str], RegionRow] = field(default_factory=dict)
    rows: int = 0

    @property
    def not_exported(self) -> list[tuple[str, str]]:
        """(file, the file whose numbers were exported instead): the same count, the same numbers."""
        by_id = {s.source: s.file for s in self.sources}
        return [(s.file, by_id[s.same_as]) for s in self.sources if not s.exported and s.same_as is not None]

    @property
    def disagreeing(self) -> list[tuple[str, str, int]]:
        """(file, the other publication of the same count, how many numbers differ): both exported."""
        by_id = {s.source: s.file for s in self.sources}
        return [(s.file, by_id[s.same_as], s.differences) for s in self.sources
                if s.exported and s.same_as is not None and s.differences]

    def table(self, name: str) -> list[NamedTuple]:
        """The rows of a small table (all but ``numbers``), once the numbers have been read."""
        if name == "sources":
            return list(self.sources)
        if name == "stations":
            return list(self.stations)
        if name == "lists":
            return [ListRow(e, n, name) for (e, n), name in sorted(self.lists.items())]
        if name == "candidates":
            return [CandidateRow(e, n, c, name) for (e, n, c), name in
                    sorted(self.candidates.items(), key=lambda kv: (kv[0][0], kv[0][1], _position(kv[0][2])))]
        if name == "elections":
            return [self.elections[e] for e in sorted(self.elections)]
        if name == "regions":
            return list(self.regions.values())
        raise ValueError(f"unknown table {name!r}")

    def relative(self, name: str) -> str:
        """``name`` relative to the path the user passed that holds it: a file below a folder
        by its path inside it, a file or zip given itself by its own name."""
        for root in self.roots:
            if name == root or name.startswith(root + "!"):
                return os.path.basename(root.rstrip("/\\")) + name[len(root):]
            for sep in ("/", os.sep):
                if name.startswith(root.rstrip("/\\") + sep):
                    return name[len(root.rstrip("/\\")) + 1:]
        return name


def rows(paths: Iterable[str | Path], run: Export | None = None,
         progress: Callable[[str], None] | None = None) -> Iterator[Row]:
    """Every number in the count files below ``paths``, one ``Row`` each, file by file; the
    small tables fill ``run`` as they go (complete when the iterator is exhausted).

    Input errors do not stop the export: they are collected in ``run.input_errors`` (pass an
    ``Export`` to see them) and the other files are exported.
    """
    paths = list(paths)
    run = run if run is not None else Export()
    run.roots = [str(p) for p in paths]
    inventory = discover(paths)
    run.input_errors.extend(inventory.problems)
    run.skipped.extend(s.name for s in inventory.skipped)
    for eid, entries in inventory.elections().items():
        for row in _election_rows(eid, entries, run, progress):
            run.rows += 1
            yield row


def _load(entry: Entry, run: Export, progress: Callable[[str], None] | None) -> object | None:
    if progress:
        progress(entry.source.name)
    try:
        return load(entry)
    except InputError as err:
        run.input_errors.append(err)
        return None


def _election_rows(eid: str, entries: list[Entry], run: Export, progress: Callable[[str], None] | None) -> Iterator[Row]:
    names = Names()
    for entry in entries:
        if entry.kind in ("230b", "110b"):
            doc = _load(entry, run, progress)
            if isinstance(doc, CandidateLists):
                names.add_lists(doc)
            elif isinstance(doc, PollingStations):
                names.add_stations(doc)
    research_files = [d for e in entries if e.kind in KINDS and isinstance(d := _load(e, run, progress), ResearchFile)]
    for group in publications(entries):  # verify's rule for "the same count, published twice"
        first: tuple[CountFile, int] | None = None
        for entry in sorted(group, key=lambda e: e.kind == "osv4-3"):  # EML first
            doc = _load(entry, run, progress)
            if not isinstance(doc, CountFile):
                continue
            sid = len(run.sources) + 1
            file = run.relative(doc.source)
            if first is None:
                first = (doc, sid)
                run.sources.append(SourceRow(sid, eid, file, doc.kind, True, None, None))
                yield from count_rows(eid, doc, sid, names, run)
                continue
            differences = sum(1 for _ in check_same_count(first[0], doc))  # verify's comparison
            run.sources.append(SourceRow(sid, eid, file, doc.kind, bool(differences), first[1], differences))
            _remember_names(eid, doc, names, run)  # an OSV CSV names what a 510 only numbers
            if differences:
                yield from count_rows(eid, doc, sid, names, run)
    for entry in entries:
        if entry.kind == "520" and isinstance(result := _load(entry, run, progress), ResultFile):
            yield from result_rows(eid, result, run)
    if research_files:
        try:
            yield from research_rows(eid, combine(eid, research_files), run)
        except InputError as err:
            run.input_errors.append(err)


def _remember_names(eid: str, count: CountFile, names: Names, run: Export) -> None:
    """The list and candidate names of ``count`` (its own, else the 230b's) and its election."""
    contest = names.contest(count)
    for (c, n), name in names.lists.items():
        if c == contest:
            run.lists.setdefault((eid, n), name)
    for (c, n, key), name in names.candidates.items():
        if c == contest:
            run.candidates.setdefault((eid, n, key), name)
    for n, name in count.list_names.items():
        run.lists.setdefault((eid, n), name)
    for (n, pos, code), name in count.candidate_names.items():
        run.candidates.setdefault((eid, n, pos or code or ""), name)
    if count.authority_id:
        run.regions.setdefault((eid, count.authority_id), RegionRow(eid, count.level.value, count.authority_id,
                                                                    count.authority_name or None, None))
    e = count.election
    run.elections.setdefault(eid, ElectionRow(eid, e.name, e.category, e.date.isoformat() if e.date else None, e.domain_name))


def count_rows(eid: str, count: CountFile, source: int, names: Names | None = None,
               run: Export | None = None) -> Iterator[Row]:
    """The numbers of one count file: its total, then each reporting unit in file order; its
    stations, names and election go to ``run``'s small tables."""
    names = names or Names()
    run = run if run is not None else Export()
    _remember_names(eid, count, names, run)
    tallies = ([(count.total, count.level)] if count.total is not None else [])
    tallies += [(u, count.unit_level) for u in count.units]
    heads = []
    own = own_registers(count)
    for tally, level in tallies:
        code, name = _municipality(count, tally, level)
        unit = None if tally is count.total else tally.code
        if level is Level.STATION and unit:
            run.stations.append(_station(eid, tally, code, name, unit, names.stations.get((count.authority_id, unit)), source,
                                         own))
        heads.append((tally, (eid, level.value, count.authority_id, code, name, unit)))
    yield from _numbers(heads, source)


def _numbers(heads: list[tuple[Tally, tuple]], source: int) -> Iterator[Row]:
    """The rows of each tally under its head (election ... unit): counts in the PV's order,
    then lists, then candidates (each order worked out once for all the tallies)."""
    list_keys: set[int] = set()
    cand_keys: set[CandidateKey] = set()
    for tally, _ in heads:
        list_keys.update(tally.lists)
        cand_keys.update(tally.candidates)
    lists = sorted(list_keys)
    candidates = [(key, key[1] or key[2]) for key in sorted(cand_keys, key=_candidate_order)]
    for tally, head in heads:
        for key in sorted(tally.counts, key=lambda k: (_COUNT_ORDER.get(k, len(_COUNT_ORDER)), k)):
            yield Row(*head, key, None, None, tally.counts[key], source)
        for n in lists:
            if n in tally.lists:
                yield Row(*head, None, n, None, tally.lists[n], source)
        for key, candidate in candidates:
            if key in tally.candidates:
                yield Row(*head, None, key[0], candidate, tally.candidates[key], source)


def research_rows(eid: str, research: Research, run: Export) -> Iterator[Row]:
    """The numbers of the Kiesraad's research CSVs: every region of the uitslag (gemeente,
    kieskring, provincie, land; a list's seats as field ``seats``), then every station. The
    authority is the research's own region code (``G0668``, ``K6``, ``P25``, ``L528``)."""
    uitslag = research.uitslag
    if uitslag is None:
        return
    sid = len(run.sources) + 1
    run.sources.append(SourceRow(sid, eid, run.relative(uitslag.source), uitslag.kind, True, None, None, True))
    for n, name in uitslag.list_names.items():
        run.lists.setdefault((eid, n), name)
    for (n, pos, code), name in uitslag.candidate_names.items():
        run.candidates.setdefault((eid, n, pos or code or ""), name)
    run.elections.setdefault(eid, ElectionRow(eid, None, "TK", None, None))
    heads = []
    for region in uitslag.regions.values():
        run.regions.setdefault((eid, region.code), RegionRow(eid, region.level, region.code, region.name or None, region.parent))
        gemeente = region.level == "gemeente"
        heads.append((region.tally, (eid, region.level, region.code, region.number if gemeente else None,
                                     region.name if gemeente else None, None)))
    yield from _numbers(heads, sid)
    for region in uitslag.regions.values():
        for n, seats in sorted(region.seats.items()):
            yield Row(eid, region.level, region.code, None, None, None, "seats", n, None, seats, sid)
    yield from _elected(eid, uitslag, sid)
    if research.stations_source is None:
        return
    sid += 1
    run.sources.append(SourceRow(sid, eid, run.relative(research.stations_source), "kr-stembureaus", True, None, None, True))
    heads = []
    for code, stations in research.stations.items():
        region = research.municipality(code)
        name = region.name if region else None
        for tally in stations:
            unit = tally.code or ""
            run.stations.append(_station(eid, tally, code, name, unit, None, sid))
            heads.append((tally, (eid, Level.STATION.value, region.code if region else code, code, name, unit)))
    yield from _numbers(heads, sid)


def result_rows(eid: str, result: ResultFile, run: Export) -> Iterator[Row]:
    """The elected candidates of a 520 (``Resultaat_...``): one row each, field ``elected``, the
    list and the candidate (position, or ShortCode), value 1 (one seat: a sum per list is its
    seats). The level is the central bureau's (``centraal``; for a gemeenteraad the gemeente's
    own central bureau), the authority the 520's."""
    sid = len(run.sources) + 1
    run.sources.append(SourceRow(sid, eid, run.relative(result.source), "520", True, None, None))
    e = result.election
    run.elections.setdefault(eid, ElectionRow(eid, e.name, e.category, e.date.isoformat() if e.date else None, e.domain_name))
    for elected in result.elected:
        c = elected.candidate
        candidate = str(c.number) if c.number is not None else c.short_code
        if elected.list_name:
            run.lists.setdefault((eid, elected.list_number), elected.list_name)
        if candidate and (c.last_name or c.initials):
            run.candidates.setdefault((eid, elected.list_number, candidate), c.display_name)
        yield Row(eid, Level.CENTRAL.value, result.authority_id or "", None, None, None, "elected", elected.list_number,
                  candidate, 1, sid)


def _elected(eid: str, uitslag: ResearchFile, sid: int) -> Iterator[Row]:
    """The research data's elected (``KandidaatGekozen``): field ``elected``, the list and the
    candidate (found by name on the list: the row's own KandidaatNummer is the order of
    election), value 1 (one seat), as for a 520 (``result_rows``)."""
    by_name: dict[tuple[int, str], str] = {}
    for (n, pos, code), name in uitslag.candidate_names.items():
        by_name.setdefault((n, name), pos or code or "")
    for region in uitslag.regions.values():
        for n, _, name in region.elected:
            yield Row(eid, region.level, region.code, None, None, None, "elected", n, by_name.get((n, name), name), 1, sid)


def _municipality(count: CountFile, tally: Tally, level: Level) -> tuple[str | None, str | None]:
    """The gemeente (code, name) a tally is about: the file's own for a station or a gemeente
    total, the unit itself for a gemeente inside a kieskring file; none above."""
    if level is Level.STATION or (level is Level.MUNICIPALITY and tally is count.total):
        return count.authority_id, count.authority_name
    if level is Level.MUNICIPALITY:
        return tally.code, tally.name
    return None, None


def own_registers(count: CountFile) -> bool:
    """Whether the stations' Cast (eligible voters) of ``count`` are established as each
    station's own register, so a station's turnout means something: every station publishes a
    Cast above 1 and their Cast add up to the municipality's. Municipalities publish other
    conventions too (issue 20): 0 or 1 everywhere (voters may vote at any station), or the whole
    municipality's eligible voters on every station (Culemborg GR2022: 23,168 on each, summed to a
    "total" of 370,688), or a share of the register on stations that admit more (Bernheze GR2022: SB60, Cast 254, 923 admitted)."""
    if count.unit_level is not Level.STATION or count.total is None or not count.units:
        return False
    cast = [u.counts.get("eligible") for u in count.units]
    whole = count.total.counts.get("eligible")
    if whole is None or not all(c is not None and c > 1 for c in cast) or sum(cast) != whole:  # type: ignore[misc]
        return False
    if any(u.counts.get("admitted", 0) > u.counts["eligible"] for u in count.units):
        return False  # a station admitting more voters than its Cast does not publish its own register
    return len(cast) == 1 or len(set(cast)) > 1  # one number on every station is a copy, not each one's register


def _station(eid: str, tally: Tally, code: str | None, municipality: str | None, unit: str,
             known: tuple[str, str | None] | None, source: int, own: bool = False) -> StationRow:
    """A station's name and postcode (the file's, else ``known``: the 110b's) and its turnout:
    only where ``own`` (``own_registers``) and the station admitted no more voters than its Cast."""
    name, postcode = tally.name, tally.postcode
    if name:
        bare, in_name = split_station_name(name, at_end=True)
        # the name may end in "(postcode: ...)", as a 510b and the research CSV write it; the
        # "Stembureau " before it goes either way, as OSV strips it (io/osv_csv_write.py)
        name, postcode = bare.removeprefix("Stembureau "), postcode or (in_name if bare != name else None)
    if known is not None:
        name = name or known[0] or None
        postcode = postcode or known[1]
    eligible, admitted = tally.counts.get("eligible"), tally.counts.get("admitted")
    turnout = (round(float(Fraction(100 * admitted, eligible)), 2)
               if own and eligible is not None and admitted is not None and admitted <= eligible else None)
    return StationRow(eid, code, municipality, unit, name or None, normalise(postcode), None,
                      eligible, admitted, turnout, source)


def add_wijken(run: Export, lookup: Callable[[str | None], str | None]) -> None:
    """Fill the stations' CBS wijk from a postcode lookup (``--neighbourhoods``)."""
    run.stations = [s._replace(wijk=lookup(s.postcode)) for s in run.stations]


def _position(candidate: str) -> tuple[int, str]:
    return (int(candidate), "") if candidate.isdigit() else (1 << 30, candidate)


def _candidate_order(key: CandidateKey) -> tuple[int, int, str]:
    lst, pos, code = key
    return (lst, int(pos) if ascii_digits(pos) else 1 << 30, pos or code or "")

