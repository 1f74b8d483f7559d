"""The main job: read every file of each election, run every check, collect the findings.

Count files are read and checked one at a time; afterwards only a ``Summary`` (the total and,
above station level, the unit totals) is kept for the checks across levels. Memory therefore
stays bounded by the largest file, not by the election.

The small documents of an election (110a, 230b, 110b, 520) are read first into its frozen
``ElectionInputs``; what the run does goes into its ``RunRecord`` (``osv_verify.app.election``),
which only this module writes. Checks get what they need as arguments and return findings.
"""

from __future__ import annotations

from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import nullcontext
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from osv_verify.app.counts import check_count, is_count, publications, units_in
from osv_verify.app.election import ElectionInputs, RunRecord, election_ref
from osv_verify.app.printed import PrintedInputs, PrintedReport, check_printed, pair
from osv_verify.app.verdict import Verdict, judge
from osv_verify.checks import aggregate, corrections
from osv_verify.checks.definition import check_definitions
from osv_verify.checks.earlier import Earlier
from osv_verify.checks.outcome import SeatComputation, check_seats
from osv_verify.checks.thresholds import Thresholds
from osv_verify.checks.registry import rule
from osv_verify.checks.research import check_against, check_research
from osv_verify.core.errors import InputError
from osv_verify.core.findings import Finding, Location, Severity
from osv_verify.core.model import CandidateLists, CountFile, Definition, ElectionRef, Level, PollingStations, ResultFile
from osv_verify.core.text import Text, count as n_of
from osv_verify.io.discover import Entry, Inventory, discover, load
from osv_verify.io.kiesraad_csv import ResearchFile, combine
from osv_verify.io.signature import Certificate

Progress = Callable[[str], None]
Read = Callable[[Entry], object]  # an entry's document; raises InputError when it cannot be read


@dataclass
class ElectionReport:
    id: str
    ref: ElectionRef | None
    files: list[tuple[str, str]]
    units_checked: int
    findings: list[Finding]
    seats: SeatComputation | None = None  # the recomputed seats, when they could be computed
    verdict: Verdict | None = None  # what was verified and what not (osv_verify.app.verdict)
    unit_names: dict[str, str] = field(default_factory=dict)  # unit id (and authority id) -> name in the file
    list_names: dict[int, str] = field(default_factory=dict)  # list number -> name
    #: authority -> station id -> list totals, kept only with --plausibility (the HTML report's charts)
    station_lists: dict[str, dict[str, dict[int, int]]] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)  # files of this election that failed to read
    printed: PrintedReport | None = None  # its PDF PVs and signatures: pairings and what was not checked
    #: why the seats could not be computed where nothing called for them (no 520, no 110a):
    #: not a finding of verify, but what ``seats`` says when it has nothing to show
    seats_why: list[Finding] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(f.severity is severity for f in self.findings)


@dataclass
class RunResult:
    elections: list[ElectionReport]
    input_errors: list[InputError]
    skipped: list[str]
    copies: list[tuple[str, str]] = field(default_factory=list)  # (copy, the file read instead), read once
    #: input errors of files that could not be put with any election (unclassifiable): any
    #: election's verdict holds only for the files that were read
    unplaced: int = 0

    @property
    def findings(self) -> list[Finding]:
        return [f for e in self.elections for f in e.findings]


def _read(entry: Entry, record: RunRecord, errors: list[InputError], read: Read = load) -> object | None:
    try:
        doc = read(entry)
    except InputError as err:
        errors.append(err)
        record.unread.append(entry.source.name)
        return None
    record.files.append((entry.kind, entry.source.name))
    election = getattr(doc, "election", None)
    if isinstance(election, ElectionRef):
        record.refs.append((entry.source.name, election))
    return doc


def _verify_election(eid: str, entries: list[Entry], errors: list[InputError], progress: Progress | None,
                     lots: tuple[int | str, ...] = (), plausibility: Thresholds | None = None,
                     pool: Executor | None = None, read: Read = load,
                     printed_inputs: PrintedInputs | None = None, earlier: Earlier | None = None) -> ElectionReport:
    record = RunRecord()
    definitions, lists, stations, results, research_files = [], [], [], [], []
    for entry in entries:
        if is_count(entry):
            continue
        doc = _read(entry, record, errors, read)
        if isinstance(doc, Definition):
            definitions.append(doc)
        elif isinstance(doc, CandidateLists):
            lists.append(doc)
        elif isinstance(doc, PollingStations):
            stations.append(doc)
        elif isinstance(doc, ResultFile):
            results.append(doc)
        elif isinstance(doc, ResearchFile):
            research_files.append(doc)
    research = None
    if research_files:
        try:
            research = combine(eid, research_files)
        except InputError as err:
            errors.append(err)
    inputs = ElectionInputs(eid, tuple(definitions), tuple(lists), tuple(stations), tuple(results), lots, plausibility,
                            research, earlier)
    findings: list[Finding] = list(check_definitions(eid, inputs.definitions, inputs.lists))
    groups = publications(entries)
    if pool is None or len(groups) < 2:
        for group in groups:
            findings.extend(_check_publications(group, inputs, record, errors, progress, read))
    else:
        base = replace(inputs, lists=(), results=())  # what a worker needs, no more to pickle
        for group in groups:
            if progress:
                progress(", ".join(e.source.name for e in group))
        tasks = [(group, replace(base, research=inputs.research.subset(group[0].authority) if inputs.research else None))
                 for group in groups]
        for found, part, problems in pool.map(_check_group, tasks):
            findings.extend(found)
            errors.extend(problems)
            record.merge(part)
    ref = election_ref(inputs, record)
    findings.extend(aggregate.check_levels(record.summaries, inputs.definition, ref.category if ref else None,
                                           record.superseded))
    if research is not None:
        findings.extend(check_research(research))
    findings.extend(_check_election_refs(eid, record))
    findings.extend(_check_election_ids(entries, eid))
    seats_why: list[Finding] = []
    seats, seat_findings = check_seats(eid, record.summaries, definitions=inputs.definitions,
                                       definition=inputs.definition, lists=inputs.lists,
                                       result=inputs.results[0] if inputs.results else None,
                                       named=record.first_ref, lots=inputs.lots, unasked=seats_why)
    findings.extend(seat_findings)
    if printed_inputs is not None and eid in printed_inputs.pairings:
        allocation = seats.outcome.allocation if seats is not None else None
        per_list = allocation.seats_per_list if allocation is not None and allocation.complete else None
        # a PV of an earlier session belongs to the version a correction replaced: compare it with that one
        findings.extend(check_printed(eid, printed_inputs.pairings[eid], printed_inputs, [*record.summaries, *record.superseded], record.created,
                                      record.unit_names, per_list, record.printed, seats))
    findings.extend(_not_run(eid, record))
    findings.sort(key=Finding.sort_key)
    return ElectionReport(eid, ref, record.files, record.units_checked, findings, seats,
                          judge(inputs, record, seats, findings), unread=record.unread, unit_names=record.unit_names,
                          list_names=record.list_names, station_lists=record.station_lists,
                          printed=record.printed if record.printed.pvs or record.printed.signatures else None,
                          seats_why=seats_why)


def _check_group(args: tuple[list[Entry], ElectionInputs]) -> tuple[list[Finding], RunRecord, list[InputError]]:
    """One publication group in a worker process (``--jobs``): its findings, the record of what
    it did, and its input errors."""
    group, inputs = args
    record = RunRecord()
    errors: list[InputError] = []
    findings = list(_check_publications(group, inputs, record, errors, None))
    return findings, record, errors


def _check_publications(group: list[Entry], inputs: ElectionInputs, record: RunRecord, errors: list[InputError],
                        progress: Progress | None, read: Read = load) -> Iterator[Finding]:
    """Check the publications of one count (an EML and its OSV CSV, say).

    A second publication is compared with the first; when they agree to the last number, its
    own findings would only repeat the first one's, so it is not checked again. Two EML
    versions of the count that their content orders (a first session and a corrigendum,
    ``corrections.order_versions``) are sessions, not publications: the newest is checked and
    used above, the earlier ones are compared with it (``corrections.check_versions``), and a
    CSV is compared with the version it matches.
    """
    docs: list[CountFile] = []
    for entry in sorted(group, key=lambda e: e.kind == "osv4-3"):  # EML first
        if progress:
            progress(entry.source.name)
        doc = _read(entry, record, errors, read)
        if isinstance(doc, CountFile):
            docs.append(aggregate.with_home_kieskring(doc, inputs.definition))
    emls = [d for d in docs if d.kind != "osv4-3"]
    versions = corrections.order_versions(emls) if len(emls) > 1 and len({d.kind for d in emls}) == 1 else None
    if versions is not None:
        found, story = corrections.check_versions(versions)
        yield from found
        record.sessions.append(story)
        record.superseded.extend(aggregate.Summary.of(v) for v in versions[:-1])
        docs = [versions[-1]] + [d for d in docs if d.kind == "osv4-3"]
    earlier = corrections.earlier_versions(versions or docs[:1]) if docs and docs[0].kind != "osv4-3" else []
    first: CountFile | None = None
    outdated: list[tuple[CountFile, Text]] = []  # publications of an earlier session
    current = False  # a publication of the newest version among them
    for doc in docs:
        if first is not None:
            record.ran["sources"] += 1
            differences = list(aggregate.check_same_count(first, doc))
            if not differences:
                current = True
                _adopt_names(record, first, doc)
                continue
            older = next((name for v, name in earlier if not any(aggregate.check_same_count(v, doc))), None)
            if older is not None:  # not the newest, not wrong either: told once it is known whether it was replaced
                outdated.append((doc, older))
                continue
            yield from differences
            record.differing.append((first.kind, doc.kind))
        if first is None and (found := check_against(inputs.research, doc)) is not None:
            record.ran["sources"] += 1  # the research CSVs: another publication of this count
            record.ran["research"] += 1
            yield from found
        yield from check_count(doc, inputs.plausibility, record.not_run, inputs.earlier)
        record.units_checked += units_in(doc)
        record.remember_names(doc, with_station_lists=inputs.plausibility is not None)
        yield from _check_against_definition(doc, inputs, record)
        record.summaries.append(aggregate.Summary.of(doc))
        first = first or doc
    for doc, older in outdated:
        yield corrections.check_earlier_publication(doc, older, first, replaced=current)  # type: ignore[arg-type]


def _adopt_names(record: RunRecord, first: CountFile, same: CountFile) -> None:
    """An OSV CSV names the candidates that a 510 only numbers: keep its names."""
    for i, summary in enumerate(record.summaries):
        if summary.source == first.source:
            record.summaries[i] = replace(
                summary,
                list_names={**same.list_names, **summary.list_names},
                candidate_names={**same.candidate_names, **summary.candidate_names},
            )


def _expected_units(count: CountFile, inputs: ElectionInputs) -> tuple[set[str], str] | None:
    """The unit codes a count file should contain, from the 110a or 110b, if we have them."""
    d = inputs.definition
    if count.level is Level.CENTRAL and d is not None:
        if aggregate.lists_municipalities(aggregate.Summary.of(count)):  # a water board's 510d
            codes = {r.number.zfill(4) for r in d.regions if r.category == "GEMEENTE"}
        else:
            codes = {f"HSB{r.number}" for r in d.regions if r.category == "KIESKRING"}
        return (codes, d.source) if codes else None
    if count.level is Level.DISTRICT and d is not None and count.authority_id and count.authority_id.startswith("HSB"):
        n = count.authority_id[3:]
        codes = {r.number.zfill(4) for r in d.regions
                 if r.category == "GEMEENTE" and r.superior_category == "KIESKRING" and r.superior_number == n}
        return (codes, d.source) if codes else None
    if count.level is Level.MUNICIPALITY:
        for s in inputs.stations:
            if s.authority_id == count.authority_id and s.stations:
                return {f"SB{st.number}" for st in s.stations}, s.source
    return None


def _check_against_definition(count: CountFile, inputs: ElectionInputs, record: RunRecord) -> Iterator[Finding]:
    expected = _expected_units(count, inputs)
    if expected is None:
        return
    record.ran["units"] += 1
    codes, reference = expected
    present = {u.code for u in count.units}
    what = {Level.CENTRAL: "kieskring", Level.DISTRICT: "gemeente", Level.MUNICIPALITY: "stembureau"}[count.level]
    for code in sorted(codes - present):
        yield rule("AGG.MISSING_UNIT").finding(aggregate.file_location(count, code), field="unit", what=what,
                                               unit=code, reference=reference, source=count.source)
    for code in sorted(c for c in present - codes if c):
        yield rule("AGG.EXTRA_UNIT").finding(aggregate.file_location(count, code), field="unit", unit=code,
                                             reference=_where_in_tree(count, code, reference, inputs), source=count.source)


def _where_in_tree(count: CountFile, code: str, reference: str, inputs: ElectionInputs) -> Text | str:
    """The reference a kieskring's extra municipality is missing from: that kieskring in the
    110a, and the kieskring the 110a does place it in, if any."""
    d = inputs.definition
    if count.level is not Level.DISTRICT or d is None or not (count.authority_id or "").startswith("HSB"):
        return reference
    n = count.authority_id[3:]  # type: ignore[index]
    home = next((r.superior_number for r in d.regions if r.category == "GEMEENTE" and r.superior_category == "KIESKRING"
                 and r.number.zfill(4) == code.zfill(4)), None)
    elsewhere = (Text(f" (die plaatst {code} onder kieskring {home})", f" (which places {code} under kieskring {home})")
                 if home is not None else Text("", ""))
    return Text(f"kieskring {n} van {reference}{elsewhere.nl}", f"kieskring {n} of {reference}{elsewhere.en}")


def _check_election_refs(eid: str, record: RunRecord) -> Iterator[Finding]:
    """META.ELECTION: all files of an election agree on what they leave out least."""
    if not record.refs:
        return
    first_source, first = record.refs[0]
    for source, ref in record.refs[1:]:
        for attr in ("date", "category"):
            a, b = getattr(first, attr), getattr(ref, attr)
            if a is not None and b is not None and a != b:
                yield rule("META.ELECTION").finding(
                    Location(election=eid), field=attr, expected=str(a), actual=str(b),
                    first=first_source, second=source, source=source)


def _check_election_ids(entries: list[Entry], eid: str) -> Iterator[Finding]:
    """META.ELECTION_ID: a file grouped into this election by content (``osv_verify.core.identity``)
    while its own id is spelled differently; META.RESEARCH_ELECTION: a research CSV whose
    election only a name gives."""
    named_by = next((e.source.name for e in entries if e.named is None and e.election and e.election.id == eid), "?")
    for e in entries:
        if e.named:
            yield rule("META.ELECTION_ID").finding(Location(election=eid), field="election", expected=eid,
                                                   actual=e.named, first=named_by, second=e.source.name,
                                                   source=e.source.name)
        if e.from_name and e.election:
            yield rule("META.RESEARCH_ELECTION").finding(Location(election=eid), file=e.source.name, election=e.election.id,
                                                         source=e.source.name)


def _not_run(eid: str, record: RunRecord) -> Iterator[Finding]:
    for (code, why), n in sorted(record.not_run.items()):
        yield rule("CHECK.NOT_RUN").finding(Location(election=eid), field=code, check=code,
                                            why=Text(f"{why.nl} ({n_of(n, 'eenheid', 'eenheden')})",
                                                     f"{why.en} ({n_of(n, 'unit', 'units')})"))


def verify(paths: Iterable[str | Path], progress: Progress | None = None, lots: tuple[int | str, ...] = (),
           plausibility: Thresholds | None = None, jobs: int = 1, trust: Sequence[Certificate] = (),
           earlier: Iterable[str | Path] = ()) -> RunResult:
    """Verify everything below ``paths``; ``lots`` are drawn lots for the seat allocation;
    ``plausibility`` turns on the plausibility checks with those thresholds; ``jobs`` > 1
    reads and checks the count files in that many processes (the result is the same);
    ``trust`` are the certificates the EML signatures must verify under (``--trust``);
    ``earlier``: an earlier election's count files (station level) as P.PARTY_SHARE's reference
    for the same stations (``checks/earlier``; only with ``plausibility``)."""
    earlier = list(earlier)
    reference, problems = read_earlier(earlier) if earlier and plausibility is not None else (None, [])
    result = verify_inventory(discover(paths), progress, lots, plausibility, jobs, trust=trust, earlier=reference)
    result.input_errors.extend(problems)
    return result


def read_earlier(paths: Iterable[str | Path]) -> tuple[Earlier, list[InputError]]:
    """The earlier election's municipal count files below ``paths`` (the 510b where there is one,
    else the OSV4-3 CSV), as ``checks.earlier.Earlier``, and what could not be read."""
    inventory = discover(paths)
    problems = list(inventory.problems)
    earlier, seen = Earlier(), set()
    for entry in sorted(inventory.entries, key=lambda e: (e.kind != "510b", e.source.name)):
        if entry.kind not in ("510b", "osv4-3") or entry.level is not Level.MUNICIPALITY:
            continue
        try:
            count = load(entry)
        except InputError as err:
            problems.append(err)
            continue
        if (count.election.id, count.authority_id) not in seen:
            seen.add((count.election.id, count.authority_id))
            earlier.add(count)
    return earlier, problems


def verify_inventory(inventory: Inventory, progress: Progress | None = None, lots: tuple[int | str, ...] = (),
                     plausibility: Thresholds | None = None, jobs: int = 1, read: Read = load,
                     trust: Sequence[Certificate] = (),
                     earlier: Earlier | None = None) -> RunResult:
    """``verify`` of what ``discover`` found. ``read`` reads each entry, once, in this process
    (every entry with ``jobs`` 1; worker processes use ``load``): ``protocol`` passes one that
    also keeps the 510b files for part A."""
    errors = list(inventory.problems)
    printed_inputs = pair(inventory, trust, errors)
    elections = list(inventory.elections().items())
    with ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else nullcontext() as pool:
        if pool is not None and len(elections) > 1:
            # many elections (all municipalities of a GR): one election per task
            tasks = [(eid, entries, lots, plausibility, printed_inputs, earlier) for eid, entries in elections]
            reports = []
            for report, problems in pool.map(_election_task, tasks):
                reports.append(report)
                errors.extend(problems)
        else:
            # one (national) election: its count files in parallel
            reports = [_verify_election(eid, entries, errors, progress, lots, plausibility, pool, read, printed_inputs, earlier)
                       for eid, entries in elections]
    return RunResult(reports, errors, [s.name for s in inventory.skipped], inventory.copies, len(inventory.problems))


def _election_task(args: tuple) -> tuple[ElectionReport, list[InputError]]:
    eid, entries, lots, plausibility, printed_inputs, earlier = args
    errors: list[InputError] = []
    return _verify_election(eid, entries, errors, None, lots, plausibility, printed_inputs=printed_inputs, earlier=earlier), errors
