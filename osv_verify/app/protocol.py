"""``osv-verify protocol``: part A of the control protocol for every municipality below some
paths, with the recounts from the PVs among them, the CBS wijk table when given, and part B.

The rules are in ``checks/protocol.py``, the spreadsheets in ``report/hcp.py``; this module
finds the files, pairs each PV with its count file and runs both parts (as ``verify.py`` does
for ``verify``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from osv_verify.checks.thresholds import DEFAULTS, Thresholds
from osv_verify.checks.protocol_rules import MunicipalityProtocol, run_protocol
from osv_verify.core.errors import InputError
from osv_verify.core.text import count as count_words
from osv_verify.core.model import CountFile


@dataclass
class ProtocolRun:
    """``osv-verify protocol``'s result: one protocol per municipality (510b), the input that
    could not be read, and notes about the PVs (a listed station that could not be matched,
    a PV that belongs to no count file, a PV in PDF form)."""

    municipalities: list[MunicipalityProtocol]
    input_errors: list[InputError] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (nl, en)


def run(paths: Iterable[str | Path], t: Thresholds = DEFAULTS, neighbourhoods: str | Path | None = None,
        part_b: bool = True) -> ProtocolRun:
    """Part A of the protocol for every 510b below ``paths`` (files, folders, zips, such as
    OSV2020's "definitieve documenten" zip), with the recounts from the PVs (``.odt``) among
    them and, with ``neighbourhoods`` (the CBS postcode-to-wijk CSV), the candidate check's
    reference from the station's wijk; and part B, the additions, per municipality."""
    from osv_verify.io.discover import discover, load, load_pv
    from osv_verify.io.neighbourhoods import needed_postcodes, read_neighbourhoods, wijk_of_stations
    from osv_verify.io.odt import match_recounted, pair_pvs

    paths = list(paths)
    inventory = discover(paths)
    errors: list[InputError] = list(inventory.problems)
    counts: list[CountFile] = []
    for entry in inventory.entries:
        if entry.kind != "510b":
            continue
        try:
            doc = load(entry)
        except InputError as err:
            errors.append(err)
            continue
        if isinstance(doc, CountFile):
            counts.append(doc)
    pvs, notes = [], []
    for entry in inventory.pvs:  # read (and judged) once, by discovery
        try:
            pvs.append(load_pv(entry))
        except InputError as err:
            if entry.kind != "pv-pdf":
                raise
            notes.append((err.message_in("nl"), err.message_in("en")))  # a PDF PV: not read yet, said so
    paired, alone = pair_pvs(pvs, counts)
    for pv in alone:
        notes.append((f"{pv.source}: dit proces-verbaal hoort bij geen van de telbestanden; niet gebruikt",
                      f"{pv.source}: this PV belongs to none of the count files; not used"))
    table = read_neighbourhoods(neighbourhoods, needed_postcodes(counts)) if neighbourhoods is not None else None
    additions = _part_b(paths, counts) if part_b else {}
    out = []
    for count in counts:
        recounted: frozenset[str] = frozenset()
        if count.source in paired:
            match = match_recounted(paired[count.source], count)
            recounted = match.recounted
            notes += [(f"{count.source}: {u.message('nl')}", f"{count.source}: {u.message('en')}") for u in match.unmatched]
        protocol = run_protocol(count, t, recounted, wijk_of_stations(count, table) if table is not None else None)
        protocol.pv_used = count.source in paired
        protocol.part_b = additions.get(count.source)
        out.append(protocol)
    return ProtocolRun(out, errors, notes)


def _part_b(paths: list, counts: list[CountFile]) -> dict[str, tuple[str, str]]:
    """Part B per count file: osv-verify's additions (AGG: the municipality's total is the sum
    of its stations, each station once) as ``verify`` runs them, in one line (nl, en)."""
    from osv_verify.app.verify import verify
    from osv_verify.checks.registry import RULES
    from osv_verify.checks.rule import Family
    from osv_verify.core.findings import Severity

    findings = [f for f in verify(paths).findings if RULES[f.code].family is Family.AGG]
    out = {}
    for count in counts:
        units = [u for u in count.units if u.id]
        if count.total is None or not units:
            out[count.source] = ("Deel B: niet nagerekend, het bestand heeft geen gemeentetotaal of geen stembureaus.",
                                 "Part B: not recomputed, the file has no municipality total or no stations.")
            continue
        own = [f for f in findings if f.source == count.source and f.severity is not Severity.INFO]
        n = len(units)
        if not own:
            out[count.source] = (
                f"Deel B: de optellingen zijn nagerekend; het gemeentetotaal is gelijk aan de som van "
                f"{count_words(n, 'stembureau', 'stembureaus')}.",
                f"Part B: the additions were recomputed; the municipality's total equals the sum of "
                f"{count_words(n, 'station', 'stations')}.")
        else:
            shown = "; ".join(f"{f.code} {f.message('nl')}" for f in own[:5]) + (" ..." if len(own) > 5 else "")
            shown_en = "; ".join(f"{f.code} {f.message('en')}" for f in own[:5]) + (" ..." if len(own) > 5 else "")
            out[count.source] = (f"Deel B: de optellingen zijn nagerekend en kloppen niet ({len(own)}): {shown}",
                                 f"Part B: the additions were recomputed and do not agree ({len(own)}): {shown_en}")
    return out
