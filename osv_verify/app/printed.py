"""Signed and printed ("ondertekend en afgedrukt"): which PDF PV and which signature belong to
which EML, and whether they tell the same story.

Pairing is by content, never by file name: a PV belongs to the count file whose SHA-256 its
footer prints, when that file is about the municipality the PV names; otherwise to the count
file of the municipality it names (and then its hash is wrong: PV.HASH). A Na 31-x or Na 14-2
pairs with a 510b, a P 22-2 (which prints the 520's hash) with a 520. A signature belongs to
the count file whose SHA-256 it carries (opened with the certificate inside it); one that
carries no file's hash (the file changed after signing, or the signature is damaged) is paired
with the file whose name it extends, as Abacus names it (``<eml>.signature``), because nothing
else can say which file it was for. What cannot be paired is said, with why, never dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from osv_verify.checks import printed as checks
from osv_verify.checks.aggregate import Summary
from osv_verify.checks.outcome import SeatComputation
from osv_verify.core.errors import InputError
from osv_verify.core.findings import Finding, Location
from osv_verify.core.text import Text
from osv_verify.io.discover import Entry, Inventory, content_digest
from osv_verify.io.pdf_pv import MODEL_NAMES
from osv_verify.io.signature import Certificate

#: The count file each PV model prints the hash of.
PAIRS_WITH = {"na31-1": "510b", "na31-2": "510b", "na14-2": "510b", "p22-2": "520"}


@dataclass(frozen=True)
class Pairing:
    """A PDF PV or a signature and the count file it belongs to (``eml``), and how that was
    decided: ``hash`` (its own hash is the file's) or ``content``/``name`` (it is not)."""

    item: Entry
    eml: Entry
    how: str


@dataclass
class PrintedReport:
    """What was found out about one election's PDF PVs and signatures, for its verdict."""

    pvs: list[tuple[str, str, str, bool]] = field(default_factory=list)  # (pv, model, eml, hash agrees)
    signatures: list[tuple[str, str, str | None]] = field(default_factory=list)  # (signature, eml, trusted signer or None)
    not_checked: list[Text] = field(default_factory=list)  # what could not be checked, and why


@dataclass
class PrintedInputs:
    """The pairings of a run, per election id, and the certificates to trust."""

    pairings: dict[str, list[Pairing]] = field(default_factory=dict)
    trusted: tuple[Certificate, ...] = ()
    digests: dict[str, str] = field(default_factory=dict)  # count file source -> SHA-256 (hex)


def pair(inventory: Inventory, trusted: Sequence[Certificate], problems: list[InputError]) -> PrintedInputs:
    """Pair every PDF PV and signature with its count file (and take it off the skipped list);
    those that belong to none are an input error when named on the command line, and otherwise
    stay listed as skipped."""
    pdfs = [e for e in inventory.pvs if e.pdf is not None]
    out = PrintedInputs(trusted=tuple(trusted))
    if not pdfs and not inventory.signatures:
        return out
    counts = [e for e in inventory.entries if e.kind in ("510b", "520")]
    out.digests = {e.source.name: content_digest(e.source).hex() for e in counts}
    by_name = {e.source.name: e for e in counts}
    for entry in pdfs:
        found = _pair_pv(entry, counts, out.digests)
        if found is None:
            _alone(entry, inventory, problems,
                   Text(f"een proces-verbaal ({MODEL_NAMES[entry.pdf.model]}) van {entry.pdf.authority_name or '?'} dat bij geen gegeven telbestand hoort: "
                        f"geen bestand met vingerafdruk {checks.grouped(entry.pdf.hash)} en geen telbestand van die gemeente; niet vergeleken",
                        f"a PV ({MODEL_NAMES[entry.pdf.model]}) of {entry.pdf.authority_name or '?'} that belongs to no count file given: "
                        f"no file with fingerprint {checks.grouped(entry.pdf.hash)} and no count file of that municipality; not compared"))
        else:
            out.pairings.setdefault(found.eml.election.id, []).append(found)
            inventory.skipped.remove(entry.source)
    for entry in inventory.signatures:
        digest = entry.signature.digest.hex() if entry.signature.digest else None
        eml = next((e for e in counts if out.digests[e.source.name] == digest), None)
        how = "hash"
        if eml is None:
            eml, how = by_name.get(entry.source.name.removesuffix(".signature")), "name"
        if eml is None:
            _alone(entry, inventory, problems,
                   Text("een handtekening die bij geen gegeven telbestand hoort; niet gecontroleerd",
                        "a signature that belongs to no count file given; not checked"))
        else:
            out.pairings.setdefault(eml.election.id, []).append(Pairing(entry, eml, how))
            inventory.skipped.remove(entry.source)
    return out


def _pair_pv(entry: Entry, counts: list[Entry], digests: Mapping[str, str]) -> Pairing | None:
    pv = entry.pdf
    kind = PAIRS_WITH[pv.model]
    same = [e for e in counts if e.kind == kind and (pv.authority_id is None or e.authority == pv.authority_id)]
    by_hash = next((e for e in same if digests[e.source.name] == pv.hash), None)
    if by_hash is not None:
        return Pairing(entry, by_hash, "hash")
    if pv.authority_id is not None and same:
        return Pairing(entry, same[0], "content")
    return None


def _alone(entry: Entry, inventory: Inventory, problems: list[InputError], why: Text) -> None:
    if entry.source.explicit:
        problems.append(InputError(entry.source.name, why))
        inventory.skipped.remove(entry.source)


def check_printed(eid: str, pairings: Iterable[Pairing], inputs: PrintedInputs, summaries: Sequence[Summary],
                  created: Mapping[str, dt.datetime], names: Mapping[str, str], seats: Mapping[int, int] | None,
                  record: PrintedReport, computed: SeatComputation | None = None) -> Iterator[Finding]:
    """The findings of one election's PDF PVs and signatures; ``record`` gets what was done.
    ``summaries`` are its count files as checked, ``created`` their creation times,
    ``names`` the authorities' names, ``seats`` the recomputed seats per list (None if not),
    ``computed`` the recomputation they come from (its elected, their names and its lots)."""
    totals = {s.source: s for s in summaries}
    pairings = list(pairings)
    pv_digests: dict[str, dict[str, str]] = {}  # eml -> pv source -> printed hash
    for p in pairings:
        if p.item.pdf is not None:
            yield from _check_pv(eid, p, inputs, totals, seats, record, computed)
            pv_digests.setdefault(p.eml.source.name, {})[p.item.source.name] = p.item.pdf.hash
    for p in pairings:
        if p.item.signature is None:
            continue
        eml = p.eml.source.name
        location = Location(election=eid, authority=p.eml.authority)
        subject = checks.expected_subject(p.eml.election.id, p.eml.authority or "", names.get(p.eml.authority or ""))
        found, used = checks.check_signature(p.item.signature, p.eml.source.read(), eml, subject, created.get(eml),
                                             inputs.trusted, pv_digests.get(eml, {}), location)
        yield from found
        record.signatures.append((p.item.source.name, eml, used.describe() if used and not found else None))
        if used is not None and created.get(eml) is None:
            record.not_checked.append(Text(f"{Path(eml).name} noemt geen aanmaaktijd (kr:CreationDateTime): of het certificaat toen geldig was, is niet gecontroleerd",
                                           f"{Path(eml).name} names no creation time (kr:CreationDateTime): whether the certificate was valid then was not checked"))
    if not inputs.trusted and any(p.item.signature is not None for p in pairings):
        record.not_checked.append(Text("geen vertrouwd certificaat gegeven (--trust): van de handtekeningen is alleen vastgesteld dat ze "
                                       "kloppen met het certificaat dat erin zit, niet wie ze zette",
                                       "no trusted certificate given (--trust): of the signatures it is only established that they "
                                       "match the certificate inside them, not who made them"))


def _check_pv(eid: str, p: Pairing, inputs: PrintedInputs, totals: Mapping[str, Summary],
              seats: Mapping[int, int] | None, record: PrintedReport,
              computed: SeatComputation | None = None) -> Iterator[Finding]:
    pv, eml = p.item.pdf, p.eml.source.name
    location = Location(election=eid, authority=pv.authority_id or p.eml.authority)
    digest = inputs.digests[eml]
    record.pvs.append((p.item.source.name, pv.model, eml, pv.hash == digest))
    yield from checks.check_pv(pv, location)
    yield from checks.check_hash(pv, eml, digest, inputs.digests, location)
    summary = totals.get(eml)
    if summary is None or summary.total is None:
        record.not_checked.append(Text(f"{Path(p.item.source.name).name}: {Path(eml).name} is niet gelezen; de getallen zijn niet vergeleken",
                                       f"{Path(p.item.source.name).name}: {Path(eml).name} was not read; the numbers were not compared"))
    elif pv.model != "p22-2":
        yield from checks.compare_numbers(pv, pv.printed, summary.total, eml, location)
    if pv.original is not None:
        earlier = [s for s in totals.values() if s.kind == "510b" and s.authority == p.eml.authority and s.source != eml]
        if earlier and earlier[0].total is not None:
            yield from checks.compare_numbers(pv, pv.original, earlier[0].total, earlier[0].source, location, "PV.ORIGINAL")
        else:
            record.not_checked.append(Text(f"{Path(p.item.source.name).name}: geen eerdere 510b van deze gemeente bij de invoer; "
                                           "de oorspronkelijke getallen van het corrigendum zijn niet vergeleken",
                                           f"{Path(p.item.source.name).name}: no earlier 510b of this municipality among the inputs; "
                                           "the corrigendum's original numbers were not compared"))
    if pv.model == "p22-2":
        if seats is None:
            lots = (Text(" (het PV zegt dat er is geloot: geef de uitkomst met --lots)", " (the PV says lots were drawn: give the outcome with --lots)")
                    if pv.lots else Text("", ""))
            record.not_checked.append(Text(f"{Path(p.item.source.name).name}: de zetels konden niet worden herberekend{lots.nl}; de zetelverdeling op het PV is niet vergeleken",
                                           f"{Path(p.item.source.name).name}: the seats could not be recomputed{lots.en}; the PV's allocation was not compared"))
        else:
            yield from checks.check_seats(pv, seats, location)
        pv_name = Path(p.item.source.name).name
        if seats is not None and computed is not None and computed.outcome.complete:
            yield from checks.check_lots(pv, computed.parties, computed.rules, seats, computed.lots, location)
            found, skipped = checks.check_elected(pv, computed.outcome, computed.names, location)
            yield from found
            for n, why in sorted(skipped.items()):
                record.not_checked.append(Text(f"{pv_name}: de gekozenen van lijst {n} op het proces-verbaal zijn niet vergeleken: {why.nl}",
                                               f"{pv_name}: the elected of list {n} on the PV were not compared: {why.en}"))
        elif any(pv.elected.values()):
            record.not_checked.append(Text(f"{pv_name}: de gekozen kandidaten en de lotingen op het proces-verbaal zijn niet vergeleken "
                                           "(de zetels zijn niet herberekend)",
                                           f"{pv_name}: the elected candidates and the lots on the PV were not compared "
                                           "(the seats were not recomputed)"))
