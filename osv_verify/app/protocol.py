"""``osv-verify protocol``: part A of the control protocol for every municipality below some
paths, with the recounts from the PVs among them, the CBS wijk table when given, and part B.

The rules are in ``checks/protocol.py``, the spreadsheets in ``report/hcp.py``; this module
finds the files, pairs each PV with its count file and runs both parts (as ``verify.py`` does
for ``verify``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from osv_verify.checks.aggregate import with_home_kieskring
from osv_verify.checks.corrections import newest_versions
from osv_verify.checks.definition import agreed_definition
from osv_verify.checks.thresholds import DEFAULTS, Thresholds
from osv_verify.checks.unit_type import APART
from osv_verify.checks.protocol_rules import MunicipalityProtocol, count_label, run_protocol, station_number
from osv_verify.checks.registry import family
from osv_verify.checks.rule import Family
from osv_verify.core.errors import InputError
from osv_verify.core.findings import Finding, Severity
from osv_verify.core.text import Text, count as count_words
from osv_verify.core.model import COUNT_FIELDS, CountFile, Definition, Level, Tally

if TYPE_CHECKING:
    from osv_verify.io.discover import Entry


@dataclass
class ProtocolRun:
    """``osv-verify protocol``'s result: one protocol per municipality (its 510b, or its OSV4-3
    CSV where that is all it published), the input that
    could not be read, and notes about the PVs (a listed station that could not be matched,
    a PV that belongs to no count file, a PV in PDF form)."""

    municipalities: list[MunicipalityProtocol]
    input_errors: list[InputError] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)


def run(paths: Iterable[str | Path], t: Thresholds = DEFAULTS, neighbourhoods: str | Path | None = None,
        part_b: bool = True) -> ProtocolRun:
    """Part A of the protocol for every municipality's count below ``paths`` (its 510b, or its
    OSV4-3 CSV where no 510b is given; files, folders, zips, such as
    OSV2020's "definitieve documenten" zip), with the recounts from the PVs (``.odt``) among
    them and, with ``neighbourhoods`` (the CBS postcode-to-wijk CSV), the candidate check's
    reference from the station's wijk; and part B, the additions, per municipality."""
    from osv_verify.app.verify import verify_inventory
    from osv_verify.io.discover import discover, load, load_pv
    from osv_verify.io.neighbourhoods import needed_postcodes, read_neighbourhoods, wijk_of_stations
    from osv_verify.io.odt import match_recounted, pair_pvs

    inventory = discover(paths)
    municipal = _municipal_counts(inventory.entries)
    definitions = [e for e in inventory.entries if e.kind == "110a"]  # for the kieskring of a 510b that names none
    wanted = {id(e) for e in municipal + definitions}
    kept: dict[int, object] = {}  # id(entry) -> its document or InputError, for every municipal count

    def read(entry: Entry) -> object:
        try:
            doc = load(entry)
        except InputError as err:
            if id(entry) in wanted:
                kept[id(entry)] = err
            raise
        if id(entry) in wanted:
            kept[id(entry)] = doc
        return doc

    # part B is what verify finds: one run over the same inventory, reading each file once
    findings = verify_inventory(inventory, read=read).findings if part_b else []
    errors: list[InputError] = list(inventory.problems)
    counts: list[CountFile] = []
    for entry in municipal:
        if id(entry) not in kept:  # part B off: read here
            with suppress(InputError):
                read(entry)
        doc = kept[id(entry)]
        if isinstance(doc, InputError):
            errors.append(doc)
        elif isinstance(doc, CountFile):
            counts.append(doc)
    counts = [with_home_kieskring(c, trees.get(c.election.id)) for c in counts] if (trees := _trees(definitions, kept, read)) else counts
    newest = newest_versions(counts)  # a municipality corrected in a later session: its newest 510b
    notes = [*_skipped_csvs(inventory.entries, municipal), *_skipped_versions(counts, newest)]
    counts, pvs = newest, []
    for entry in inventory.pvs:  # read (and judged) once, by discovery
        if entry.pdf is not None and entry.pdf.model not in ("na31-1", "na31-2"):
            continue  # a corrigendum (Na 14-2) or a central bureau's PV (P 22-2) lists no recounts
        try:
            pvs.append(load_pv(entry))
        except InputError as err:
            if entry.kind != "pv-pdf":
                raise
            notes.append(Text(err.message_in("nl"), err.message_in("en")))  # a PDF PV: not read yet, said so
    paired, alone = pair_pvs(pvs, counts)
    for pv in alone:
        notes.append(Text(f"{pv.source}: dit proces-verbaal hoort bij geen van de telbestanden; niet gebruikt",
                          f"{pv.source}: this PV belongs to none of the count files; not used"))
    table = read_neighbourhoods(neighbourhoods, needed_postcodes(counts)) if neighbourhoods is not None else None
    additions = _part_b(findings, counts) if part_b else {}
    out = []
    for count in counts:
        recounted: frozenset[str] = frozenset()
        if count.source in paired:
            match = match_recounted(paired[count.source], count)
            recounted = match.recounted
            notes += [Text(f"{count.source}: {u.text.nl}", f"{count.source}: {u.text.en}") for u in match.unmatched]
        protocol = run_protocol(count, t, recounted, wijk_of_stations(count, table) if table is not None else None)
        protocol.pv_used = count.source in paired
        protocol.notes = _unit_type_notes(count)
        protocol.part_b = additions.get(count.source)
        out.append(protocol)
    return ProtocolRun(out, errors, notes)


def _municipal_counts(entries: list[Entry]) -> list[Entry]:
    """The count of each municipality the protocol runs on: its 510b, or, where a municipality
    is published only as an OSV4-3 CSV (the big cities), that CSV: it holds the same numbers."""
    eml = {(e.election.id if e.election else None, e.authority) for e in entries if e.kind == "510b"}
    return [e for e in entries if e.kind == "510b" or (
        e.kind == "osv4-3" and e.level is Level.MUNICIPALITY and (e.election.id if e.election else None, e.authority) not in eml)]


def _trees(entries: list[Entry], kept: dict[int, object], read: Callable[[Entry], object]) -> dict[str, Definition]:
    """Each election's 110a (where its 110a files agree), for the kieskring of a municipality
    whose 510b names none: as part B's run read it (``kept``), else read here; a 110a that
    cannot be read is reported by part B's run, not here."""
    found: dict[str, list[Definition]] = {}
    for entry in entries:
        if id(entry) not in kept:  # part B off
            with suppress(InputError):
                read(entry)
        doc = kept.get(id(entry))
        if isinstance(doc, Definition):
            found.setdefault(doc.election.id, []).append(doc)
    return {eid: d for eid, ds in found.items() if (d := agreed_definition(ds)) is not None}


def _unit_type_notes(count: CountFile) -> list[Text]:
    """A mobile or special station stays in every sheet, as the Kiesraad's protocol compares
    every station with the rest of the municipality; unlike ``verify --plausibility``
    (CHECK.UNIT_APART), which sets it apart. Said, so a deviation there is read as it should be."""
    out = []
    for u in count.units:
        if u.unit_type in APART:
            nl, en = APART[u.unit_type]
            out.append(Text(f"stembureau {station_number(u)} is een {nl} (kr:ReportingUnitType {u.unit_type}): het protocol "
                            "vergelijkt het, zoals elk stembureau, met de rest van de gemeente, maar het bedient andere kiezers "
                            "dan de vaste stembureaus, dus een afwijking zegt daar minder (verify --plausibility zet het apart)",
                            f"station {station_number(u)} is a {en} (kr:ReportingUnitType {u.unit_type}): the protocol compares "
                            "it, like every station, with the rest of the municipality, but it serves other voters than the "
                            "fixed stations, so a deviation there says less (verify --plausibility sets it apart)"))
    return out


def _skipped_versions(counts: list[CountFile], newest: list[CountFile]) -> Iterator[Text]:
    """Say which version of a corrected count the protocol used and which it left out."""
    for old in (c for c in counts if all(c is not n for n in newest)):
        used = next(n for n in newest if (n.election.id, n.kind, n.level, n.authority_id) ==
                    (old.election.id, old.kind, old.level, old.authority_id))
        yield Text(f"{old.authority_id}: het protocol gebruikt de nieuwste versie {used.source}; {old.source} (een eerdere zitting) is overgeslagen",
                   f"{old.authority_id}: the protocol uses the newest version {used.source}; {old.source} (an earlier session) was skipped")


def _skipped_csvs(entries: list[Entry], municipal: list[Entry]) -> Iterator[Text]:
    """Say that a municipality's OSV4-3 CSV was left out for its 510b (``_municipal_counts``)."""
    used = {id(e) for e in municipal}
    for e in entries:
        if e.kind == "osv4-3" and e.level is Level.MUNICIPALITY and id(e) not in used:
            yield Text(f"{e.source.name}: overgeslagen; het protocol gebruikt de 510b (EML) van deze gemeente",
                       f"{e.source.name}: skipped; the protocol uses this municipality's 510b (EML)")


def _part_b(found: list[Finding], counts: list[CountFile]) -> dict[str, Text]:
    """Part B per count file: osv-verify's additions (AGG: the municipality's total is the sum
    of its stations, each station once) as ``verify`` found them, in one line, naming every
    count of the total that a station does not give (absent is not zero: not added up)."""
    findings = [f for f in found if family(f.code) is Family.AGG]
    out = {}
    for count in counts:
        units = [u for u in count.units if u.id]
        if count.total is None or not units:
            out[count.source] = Text("Deel B: niet nagerekend, het bestand heeft geen gemeentetotaal of geen stembureaus.",
                                     "Part B: not recomputed, the file has no municipality total or no stations.")
            continue
        own = [f for f in findings if f.source == count.source and f.severity is not Severity.INFO]
        n = len(units)
        gone = _not_added(count.total, units)
        if not own:
            if gone is None:
                out[count.source] = Text(
                    f"Deel B: de optellingen zijn nagerekend; het gemeentetotaal is gelijk aan de som van "
                    f"{count_words(n, 'stembureau', 'stembureaus')}.",
                    f"Part B: the additions were recomputed; the municipality's total equals the sum of "
                    f"{count_words(n, 'station', 'stations')}.")
            else:
                out[count.source] = Text(
                    f"Deel B: de optellingen zijn nagerekend; het gemeentetotaal is gelijk aan de som van "
                    f"{count_words(n, 'stembureau', 'stembureaus')}, behalve wat ontbreekt en dus niet is nagerekend: "
                    f"{gone.nl}.",
                    f"Part B: the additions were recomputed; the municipality's total equals the sum of "
                    f"{count_words(n, 'station', 'stations')}, except what is missing and so was not recomputed: "
                    f"{gone.en}.")
        else:
            shown = Text(*("; ".join(f"{f.code} {f.message(lang)}" for f in own[:5]) + (" ..." if len(own) > 5 else "")
                           for lang in ("nl", "en")))
            tail = (Text("", "") if gone is None else
                    Text(f" Ontbreekt en dus niet nagerekend: {gone.nl}.", f" Missing and so not recomputed: {gone.en}."))
            out[count.source] = Text(f"Deel B: de optellingen zijn nagerekend en kloppen niet ({len(own)}): {shown.nl}"
                                     f"{tail.nl}",
                                     f"Part B: the additions were recomputed and do not agree ({len(own)}): {shown.en}"
                                     f"{tail.en}")
    return out


def _not_added(total: Tally, units: list[Tally]) -> Text | None:
    """The counts of the total that some stations do not give, and where ('toegelaten kiezers
    (D) bij stembureau 1'): AGG.TOTAL adds up a count only where every station gives it
    (``checks/aggregate.py``). None when every station gives every count of the total."""
    parts = []
    for key in (f.key for f in COUNT_FIELDS if f.key in total.counts):
        lacking = [station_number(u) for u in units if key not in u.counts]
        if not lacking:
            continue
        label = count_label(key)
        if len(lacking) == len(units):
            parts.append(Text(f"{label.nl} bij elk stembureau", f"{label.en} in every station"))
        else:
            parts.append(Text(f"{label.nl} bij stembureau {', '.join(lacking)}",
                              f"{label.en} in station {', '.join(lacking)}"))
    if not parts:
        return None
    return Text("; ".join(p.nl for p in parts), "; ".join(p.en for p in parts))
