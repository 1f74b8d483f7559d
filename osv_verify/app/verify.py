"""The main job: read every file of each election, run every check, collect the findings.

Count files are read and checked one at a time; afterwards only a ``Summary`` (the total and,
above station level, the unit totals) is kept for the checks across levels. Memory therefore
stays bounded by the largest file, not by the election.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import nullcontext
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from osv_verify.checks import aggregate, definition as definition_checks
from osv_verify.checks import outcome as seat_checks
from osv_verify.checks.plausibility import check_plausibility
from osv_verify.checks.thresholds import DEFAULTS, Thresholds
from osv_verify.checks.registry import rule
from osv_verify.core.text import count as n_of
from osv_verify.checks.tally import Context, check_tally
from osv_verify.core.errors import InputError
from osv_verify.core.findings import Finding, Location, Severity
from osv_verify.io import eml
from osv_verify.io.discover import Entry, Inventory, discover, load
from osv_verify.app.verdict import Verdict, judge
from osv_verify.core.model import (
    CandidateLists,
    CountFile,
    Definition,
    ElectionRef,
    Level,
    PollingStations,
    ResultFile,
)

Progress = Callable[[str], None]


@dataclass
class ElectionData:
    """The small documents of one election, kept whole; counts are streamed past."""

    id: str
    ref: ElectionRef | None = None
    definition: Definition | None = None  # the 110a, when every 110a of the election agrees
    definitions: list[Definition] = field(default_factory=list)  # every 110a read
    lists: list[CandidateLists] = field(default_factory=list)
    stations: list[PollingStations] = field(default_factory=list)
    results: list[ResultFile] = field(default_factory=list)
    summaries: list[aggregate.Summary] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)  # (kind, source)
    units_checked: int = 0
    not_run: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    refs: list[tuple[str, ElectionRef]] = field(default_factory=list)
    lots: tuple[int | str, ...] = ()  # drawn lots (list numbers or candidate ids), in order
    plausibility: Thresholds | None = None  # run the plausibility checks with these settings
    seats: object | None = None  # checks.seats.SeatComputation, when the seats could be computed
    unit_names: dict[str, str] = field(default_factory=dict)  # unit id (and authority id) -> name, as the files give it
    list_names: dict[int, str] = field(default_factory=dict)
    station_lists: dict[str, dict[str, dict[int, int]]] = field(default_factory=dict)  # with plausibility only
    unread: list[str] = field(default_factory=list)  # files of this election that failed to read
    ran: Counter[str] = field(default_factory=Counter)  # "sources": pairs compared, "units": files against the definition


@dataclass
class ElectionReport:
    id: str
    ref: ElectionRef | None
    files: list[tuple[str, str]]
    units_checked: int
    findings: list[Finding]
    seats: object | None = None  # checks.seats.SeatComputation
    verdict: Verdict | None = None  # what was verified and what not (osv_verify.app.verdict)
    unit_names: dict[str, str] = field(default_factory=dict)  # unit id (and authority id) -> name in the file
    list_names: dict[int, str] = field(default_factory=dict)  # list number -> name
    #: authority -> station id -> list totals, kept only with --plausibility (the HTML report's charts)
    station_lists: dict[str, dict[str, dict[int, int]]] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)  # files of this election that failed to read

    def count(self, severity: Severity) -> int:
        return sum(f.severity is severity for f in self.findings)


@dataclass
class RunResult:
    elections: list[ElectionReport]
    input_errors: list[InputError]
    skipped: list[str]
    copies: list[tuple[str, str]] = field(default_factory=list)  # (copy, the file read instead), read once

    @property
    def findings(self) -> list[Finding]:
        return [f for e in self.elections for f in e.findings]


def _publications(entries: list[Entry]) -> list[list[Entry]]:
    """Count entries grouped so that publications of the same count (EML and CSV of one
    authority at one level) are read together and compared."""
    groups: dict[tuple, list[Entry]] = {}
    for e in entries:
        key = (e.level, e.authority) if e.authority else ("single", e.source.name)
        groups.setdefault(key, []).append(e)
    return list(groups.values())


def _check_count(count: CountFile, data: ElectionData) -> Iterator[Finding]:
    station_units = count.level in (Level.MUNICIPALITY, Level.STATION)
    tallies = ([(count.total, False)] if count.total is not None else []) + [(u, station_units) for u in count.units]
    for tally, is_station in tallies:
        ctx = Context(
            location=aggregate.file_location(count, tally.id),
            source=count.source,
            element=tally.element,
            station=is_station,
            not_run=data.not_run,
            stations_in_file=tally is count.total and station_units and bool(count.units),
            thresholds=data.plausibility or DEFAULTS,
        )
        yield from check_tally(tally, ctx)
    data.units_checked += len(tallies)
    _remember_names(count, data)
    yield from aggregate.check_file(count)
    if data.plausibility is not None and station_units:
        yield from check_plausibility(count, data.plausibility)


def _remember_names(count: CountFile, data: ElectionData) -> None:
    """Keep the names the file gives (first one read wins) so reports can say "Dorpshuis De
    Hucht", not only ``0668::SB1``; with plausibility also each station's list totals."""
    if count.authority_id and count.authority_name:
        data.unit_names.setdefault(count.authority_id, count.authority_name)
    for unit in count.units:
        if unit.id and unit.name:
            data.unit_names.setdefault(unit.id, unit.name)
    for number, name in count.list_names.items():
        data.list_names.setdefault(number, name)
    if data.plausibility is not None and count.level in (Level.MUNICIPALITY, Level.STATION):
        stations = data.station_lists.setdefault(count.authority_id or "", {})
        for unit in count.units:
            if unit.id:
                stations.setdefault(unit.id, dict(unit.lists))


def _read(entry: Entry, data: ElectionData, errors: list[InputError]) -> object | None:
    try:
        doc = load(entry)
    except InputError as err:
        errors.append(err)
        data.unread.append(entry.source.name)
        return None
    data.files.append((entry.kind, entry.source.name))
    election = getattr(doc, "election", None)
    if isinstance(election, ElectionRef):
        data.refs.append((entry.source.name, election))
    return doc


def _verify_election(eid: str, entries: list[Entry], errors: list[InputError], progress: Progress | None,
                     lots: tuple[int | str, ...] = (), plausibility: Thresholds | None = None,
                     pool: Executor | None = None) -> ElectionReport:
    data = ElectionData(id=eid, lots=lots, plausibility=plausibility)
    findings: list[Finding] = []
    counts = [e for e in entries if e.kind in eml.COUNT_LEVELS or e.kind == "osv4-3"]
    for entry in entries:
        if entry in counts:
            continue
        doc = _read(entry, data, errors)
        if isinstance(doc, Definition):
            data.definitions.append(doc)
        elif isinstance(doc, CandidateLists):
            data.lists.append(doc)
        elif isinstance(doc, PollingStations):
            data.stations.append(doc)
        elif isinstance(doc, ResultFile):
            data.results.append(doc)
    data.definition = definition_checks.agreed_definition(data.definitions)
    findings.extend(definition_checks.check_definitions(data))
    groups = _publications(counts)
    if pool is None or len(groups) < 2:
        for group in groups:
            findings.extend(_check_publications(group, data, errors, progress))
    else:
        base = ElectionData(id=eid, definition=data.definition, stations=data.stations, plausibility=plausibility)
        for group in groups:
            if progress:
                progress(", ".join(e.source.name for e in group))
        for found, part, problems in pool.map(_check_group, [(group, base) for group in groups]):
            findings.extend(found)
            errors.extend(problems)
            _merge(data, part)
    ref = data.definition.election if data.definition else (data.refs[0][1] if data.refs else None)
    findings.extend(aggregate.check_levels(data.summaries, data.definition, ref.category if ref else None))
    findings.extend(_check_election_refs(data))
    findings.extend(_check_election_ids(entries, data))
    findings.extend(seat_checks.check_seats(data))
    findings.extend(_not_run(data))
    findings.sort(key=Finding.sort_key)
    return ElectionReport(eid, ref, data.files, data.units_checked, findings, data.seats, judge(data, findings),
                          unread=data.unread, unit_names=data.unit_names, list_names=data.list_names,
                          station_lists=data.station_lists)


def _check_group(args: tuple[list[Entry], ElectionData]) -> tuple[list[Finding], ElectionData, list[InputError]]:
    """One publication group in a worker process (``--jobs``): its findings, what it adds to
    the election's data, and its input errors."""
    group, base = args
    data = ElectionData(id=base.id, definition=base.definition, stations=base.stations, plausibility=base.plausibility)
    errors: list[InputError] = []
    findings = list(_check_publications(group, data, errors, None))
    return findings, data, errors


def _merge(data: ElectionData, part: ElectionData) -> None:
    data.summaries.extend(part.summaries)
    data.files.extend(part.files)
    data.refs.extend(part.refs)
    data.units_checked += part.units_checked
    data.not_run.update(part.not_run)
    for key, value in part.unit_names.items():
        data.unit_names.setdefault(key, value)
    for number, name in part.list_names.items():
        data.list_names.setdefault(number, name)
    for authority, stations in part.station_lists.items():
        data.station_lists.setdefault(authority, {}).update(stations)
    data.unread.extend(part.unread)
    data.ran.update(part.ran)


def _check_publications(group: list[Entry], data: ElectionData, errors: list[InputError],
                        progress: Progress | None) -> Iterator[Finding]:
    """Check the publications of one count (an EML and its OSV CSV, say).

    A second publication is compared with the first; when they agree to the last number, its
    own findings would only repeat the first one's, so it is not checked again.
    """
    first: CountFile | None = None
    for entry in sorted(group, key=lambda e: e.kind == "osv4-3"):  # EML first
        if progress:
            progress(entry.source.name)
        doc = _read(entry, data, errors)
        if not isinstance(doc, CountFile):
            continue
        if first is not None:
            data.ran["sources"] += 1
            differences = list(aggregate.check_same_count(first, doc))
            yield from differences
            if not differences:
                _adopt_names(data, first, doc)
                continue
        yield from _check_count(doc, data)
        yield from _check_against_definition(doc, data)
        data.summaries.append(aggregate.Summary.of(doc))
        first = first or doc


def _adopt_names(data: ElectionData, first: CountFile, same: CountFile) -> None:
    """An OSV CSV names the candidates that a 510 only numbers: keep its names."""
    for i, summary in enumerate(data.summaries):
        if summary.source == first.source:
            data.summaries[i] = replace(
                summary,
                list_names={**same.list_names, **summary.list_names},
                candidate_names={**same.candidate_names, **summary.candidate_names},
            )


def _expected_units(count: CountFile, data: ElectionData) -> tuple[set[str], str] | None:
    """The unit codes a count file should contain, from the 110a or 110b, if we have them."""
    d = data.definition
    if count.level is Level.CENTRAL and d is not None:
        codes = {f"HSB{r.number}" for r in d.regions if r.category == "KIESKRING"}
        return (codes, d.source) if codes else None
    if count.level is Level.DISTRICT and d is not None and count.authority_id and count.authority_id.startswith("HSB"):
        n = count.authority_id[3:]
        codes = {r.number.zfill(4) for r in d.regions
                 if r.category == "GEMEENTE" and r.superior_category == "KIESKRING" and r.superior_number == n}
        return (codes, d.source) if codes else None
    if count.level is Level.MUNICIPALITY:
        for s in data.stations:
            if s.authority_id == count.authority_id and s.stations:
                return {f"SB{st.number}" for st in s.stations}, s.source
    return None


def _check_against_definition(count: CountFile, data: ElectionData) -> Iterator[Finding]:
    expected = _expected_units(count, data)
    if expected is None:
        return
    data.ran["units"] += 1
    codes, reference = expected
    present = {u.code for u in count.units}
    what = {Level.CENTRAL: "kieskring", Level.DISTRICT: "gemeente", Level.MUNICIPALITY: "stembureau"}[count.level]
    for code in sorted(codes - present):
        yield rule("AGG.MISSING_UNIT").finding(aggregate.file_location(count, code), field="unit", what=what,
                                               unit=code, reference=reference, source=count.source)
    for code in sorted(c for c in present - codes if c):
        yield rule("AGG.EXTRA_UNIT").finding(aggregate.file_location(count, code), field="unit", unit=code,
                                             reference=reference, source=count.source)


def _check_election_refs(data: ElectionData) -> Iterator[Finding]:
    """META.ELECTION: all files of an election agree on what they leave out least."""
    if not data.refs:
        return
    first_source, first = data.refs[0]
    for source, ref in data.refs[1:]:
        for attr in ("date", "category"):
            a, b = getattr(first, attr), getattr(ref, attr)
            if a is not None and b is not None and a != b:
                yield rule("META.ELECTION").finding(
                    Location(election=data.id), field=attr, expected=str(a), actual=str(b),
                    first=first_source, second=source, source=source)


def _check_election_ids(entries: list[Entry], data: ElectionData) -> Iterator[Finding]:
    """META.ELECTION_ID: a file grouped into this election by content (``osv_verify.core.identity``)
    while its own id is spelled differently."""
    named_by = next((e.source.name for e in entries if e.named is None and e.election and e.election.id == data.id), "?")
    for e in entries:
        if e.named:
            yield rule("META.ELECTION_ID").finding(Location(election=data.id), field="election", expected=data.id,
                                                   actual=e.named, first=named_by, second=e.source.name,
                                                   source=e.source.name)


def _not_run(data: ElectionData) -> Iterator[Finding]:
    for (code, why, why_nl), n in sorted(data.not_run.items()):
        yield rule("CHECK.NOT_RUN").finding(Location(election=data.id), field=code, check=code,
                                            why=f"{why} ({n_of(n, 'unit', 'units')})",
                                            why_nl=f"{why_nl} ({n_of(n, 'eenheid', 'eenheden')})")


def verify(paths: Iterable[str | Path], progress: Progress | None = None, lots: tuple[int | str, ...] = (),
           plausibility: Thresholds | None = None, jobs: int = 1) -> RunResult:
    """Verify everything below ``paths``; ``lots`` are drawn lots for the seat allocation;
    ``plausibility`` turns on the plausibility checks with those thresholds; ``jobs`` > 1
    reads and checks the count files in that many processes (the result is the same)."""
    inventory: Inventory = discover(paths)
    errors = list(inventory.problems)
    elections = list(inventory.elections().items())
    with ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else nullcontext() as pool:
        if pool is not None and len(elections) > 1:
            # many elections (all municipalities of a GR): one election per task
            tasks = [(eid, entries, lots, plausibility) for eid, entries in elections]
            reports = []
            for report, problems in pool.map(_election_task, tasks):
                reports.append(report)
                errors.extend(problems)
        else:
            # one (national) election: its count files in parallel
            reports = [_verify_election(eid, entries, errors, progress, lots, plausibility, pool)
                       for eid, entries in elections]
    return RunResult(reports, errors, [s.name for s in inventory.skipped], inventory.copies)


def _election_task(args: tuple) -> tuple[ElectionReport, list[InputError]]:
    eid, entries, lots, plausibility = args
    errors: list[InputError] = []
    return _verify_election(eid, entries, errors, None, lots, plausibility), errors
