"""The verdict of one election: what was verified, what was not, and why.

A run never says "no errors" about something that did not run. Every election gets a
``Verdict``: one ``Part`` per kind of check (the stations' PVs, the totals against their
stations, the levels above each other, the publications of one count against each other,
the units against the definition, the seats, the elected candidates), each either *done*
(with how much it covered and how many errors it found) or *not done* (with why, and which
file would make it run). The election's ``Status`` follows from its parts:

* ``VERIFIED``: at least one count was checked and every part that the election's files call
  for ran;
* ``PARTLY``: at least one count was checked, but a part could not run (no 520, say);
* ``NOT_VERIFIED``: no count could be checked at all (a 520 alone, or every count unreadable).

Reports render the verdict first; ``verify`` exits 4 when an election is ``NOT_VERIFIED`` and
nothing worse happened (README, "Exit codes").

``judge(inputs, record, seats, findings)`` builds the verdict from one election's inputs, what
``verify`` did for it (``RunRecord``: the counts it read, the pairs and levels it compared, the
files it could not read), the seats it recomputed and what it found: each error finding counts
towards the part its code belongs to (``part_of``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from osv_verify.app.election import ElectionInputs, RunRecord, election_ref
from osv_verify.checks.aggregate import UPPER_FILE, LevelLinks, Summary, level_links
from osv_verify.checks.outcome import SeatComputation
from osv_verify.checks.rule import PartKey
from osv_verify.core.findings import Finding, Severity
from osv_verify.core.text import Text, count
from osv_verify.core.identity import MUNICIPAL
from osv_verify.core.model import Level
from osv_verify.io.pdf_pv import MODEL_NAMES


class Status(StrEnum):
    VERIFIED = "verified"
    PARTLY = "partly_verified"
    NOT_VERIFIED = "not_verified"


@dataclass(frozen=True)
class Part:
    """One kind of check for one election: done (``done`` true) or not, in both languages.

    ``what`` says what was covered ("61 stembureaus en 1 gemeentetotaal") when done, and why
    not ("geen 520 (uitslag) bij de invoer") when not done; ``needs`` names the file that would
    make a part run ("Resultaat_GR2022_X.eml.xml (520)").
    """

    key: PartKey
    done: bool
    what: Text
    errors: int = 0
    needs: Text | None = None


#: Titles of the parts, as a report heads them.
PART_TITLES: dict[PartKey, Text] = {
    PartKey.STATIONS: Text("processen-verbaal op zichzelf", "each proces-verbaal on its own"),
    PartKey.TOTALS: Text("totalen tegen hun stembureaus", "totals against their units"),
    PartKey.LEVELS: Text("niveaus tegen elkaar", "levels against each other"),
    PartKey.SOURCES: Text("publicaties van dezelfde telling", "publications of the same count"),
    PartKey.UNITS: Text("stembureaus tegen de definitie", "units against the definition"),
    PartKey.DEFINITION: Text("definitie tegen de wet", "definition against the law"),
    PartKey.SEATS: Text("zetelverdeling", "seat allocation"),
    PartKey.ELECTED: Text("gekozen kandidaten", "elected candidates"),
    PartKey.PLAUSIBILITY: Text("plausibiliteit (controleprotocol)", "plausibility (control protocol)"),
    PartKey.PRINTED: Text("ondertekend en afgedrukt", "signed and printed"),
}


class SeatStatus(StrEnum):
    """The seat check of one election in a word, as ``osv-verify seats`` heads it."""

    NOT_COMPUTED = "not_computed"  # the seats could not be recomputed
    NO_RESULT = "no_result"  # recomputed; no 520 to compare them with
    DIFFERS = "differs"  # the 520's seats per list or elected candidates differ from the law's
    SEATS_ONLY = "seats_only"  # the 520's seats per list are right; its elected candidates could not be compared
    AGREES = "agrees"  # the 520's seats per list and elected candidates are right


@dataclass(frozen=True)
class Verdict:
    status: Status
    parts: tuple[Part, ...] = field(default_factory=tuple)
    seats: SeatStatus = SeatStatus.NOT_COMPUTED

    @property
    def seat_errors(self) -> int:
        """The errors the seat check found: in the seats per list and in the elected candidates."""
        return sum(p.errors for p in self.parts if p.key in (PartKey.SEATS, PartKey.ELECTED))

    def done(self) -> list[Part]:
        return [p for p in self.parts if p.done]

    def not_done(self) -> list[Part]:
        return [p for p in self.parts if not p.done]


#: STATUS words as reports show them.
STATUS_WORDS: dict[Status, Text] = {
    Status.VERIFIED: Text("gecontroleerd", "verified"),
    Status.PARTLY: Text("deels gecontroleerd", "partly verified"),
    Status.NOT_VERIFIED: Text("niet gecontroleerd", "not verified"),
}

#: The file that holds an election's counts, for a part that found none.
COUNT_FILE = Text("een telling: een 510 (Telling_...) of een OSV4-3-CSV", "a count: a 510 (Telling_...) or an OSV4-3 CSV")


def _whole_count(category: str | None) -> Text:
    """The count that covers the whole election, which the seats are computed from."""
    if (category or "").upper() in MUNICIPAL:
        return Text("de 510b of OSV4-3-CSV van de gemeente (met haar totaal)", "the municipality's 510b or OSV4-3 CSV (with its total)")
    return Text("de totaaltelling (510d, Totaaltelling_...)", "the central count (510d, Totaaltelling_...)")


def part_of(finding: Finding) -> PartKey | None:
    """The part a finding counts in: its rule's (``checks/registry.py``), or the one its check set."""
    return PartKey(finding.part) if finding.part else None


Errors = dict[PartKey | None, int]  # error findings per part


def _errors(findings: Sequence[Finding]) -> Errors:
    out: Errors = {}
    for f in findings:
        if f.severity is Severity.ERROR:
            key = part_of(f)
            out[key] = out.get(key, 0) + 1
    return out


def judge(inputs: ElectionInputs, record: RunRecord, seats: SeatComputation | None,
          findings: Sequence[Finding]) -> Verdict:
    """The verdict of one election from its inputs, what its run did (``record``), the seats it
    recomputed (``seats``, None when they could not be) and what it found (``findings``).

    A part is listed when the election's files call for it: the PVs and the seats always,
    the other parts when there is something to compare (two publications of one count, a
    level above). A part that did not run says why and which file would make it run.
    """
    errors = _errors(findings)
    ref = election_ref(inputs, record)
    category = ref.category if ref else None
    counts = list(record.summaries)
    parts: list[Part] = [_stations(record, errors)]
    if counts:
        parts.append(_totals(counts, errors))
        links = level_links(counts, inputs.definition, category)
        if links.compared or links.missing or links.orphans:
            parts.append(_levels(links, errors))
        if record.ran["sources"]:
            n = record.ran["sources"]
            parts.append(Part(PartKey.SOURCES, True, Text(f"{count(n, 'telling', 'tellingen')} in twee publicaties vergeleken",
                                                          f"{count(n, 'count', 'counts')} compared in two publications"),
                              errors.get(PartKey.SOURCES, 0)))
        parts.append(_units(record, counts, errors))
    seat_part, elected_part = _seats(inputs, record, seats, findings, errors, _whole_count(category))
    parts += [seat_part, elected_part]
    if inputs.plausibility is not None:
        parts.append(_plausibility(counts, errors))
    if record.printed.pvs or record.printed.signatures:
        parts.append(_printed(record, errors))
    if record.units_checked == 0:
        status = Status.NOT_VERIFIED
    elif all(p.done for p in parts) and not record.unread:
        status = Status.VERIFIED  # a file that could not be read was not verified either
    else:
        status = Status.PARTLY
    return Verdict(status, tuple(parts), _seat_status(seats, seat_part, elected_part))


def _unread(record: RunRecord) -> Text:
    if not record.unread:
        return Text("", "")
    names = ", ".join(Path(n).name for n in record.unread)
    return Text(f" ({names} kon niet worden gelezen)", f" ({names} could not be read)")


def _stations(record: RunRecord, errors: Errors) -> Part:
    n = record.units_checked
    unread = _unread(record)
    if n:
        what = Text(f"{count(n, 'telling', 'tellingen')} (stembureaus en totalen){unread.nl}",
                    f"{count(n, 'count', 'counts')} (stations and totals){unread.en}")
        skipped = sorted({key[0] for key in record.not_run})
        if not skipped:
            return Part(PartKey.STATIONS, True, what, errors.get(PartKey.STATIONS, 0))
        # some checks need numbers a level does not publish (F.201 on a kieskring file): say which
        codes = ", ".join(skipped)
        return Part(PartKey.STATIONS, True,
                    Text(f"{what.nl}; {codes} niet uitgevoerd waar de gegevens ontbreken (zie CHECK.NOT_RUN)",
                         f"{what.en}; {codes} not run where the numbers are missing (see CHECK.NOT_RUN)"),
                    errors.get(PartKey.STATIONS, 0),
                    Text("de 510b of OSV4-3-CSV van de gemeenten, met de stembureaus",
                         "the municipalities' 510b or OSV4-3 CSV, with the stations"))
    return Part(PartKey.STATIONS, False, Text("geen telling gelezen" + unread.nl, "no count read" + unread.en),
                needs=COUNT_FILE)


def _totals(counts: list[Summary], errors: Errors) -> Part:
    with_units = [s for s in counts if s.total is not None and s.unit_ids]
    if with_units:
        n, m = len(with_units), sum(len(s.unit_ids) for s in with_units)
        return Part(PartKey.TOTALS, True, Text(f"{count(n, 'totaal', 'totalen')} nageteld uit {count(m, 'eenheid', 'eenheden')}",
                    f"{count(n, 'total', 'totals')} added up from {count(m, 'unit', 'units')}"), errors.get(PartKey.TOTALS, 0))
    return Part(PartKey.TOTALS, False, Text("de tellingen geven geen eenheden onder hun totaal",
                                            "the counts give no units below their total"),
                needs=Text("een telling met de eenheden eronder (bijv. de 510b of OSV4-3-CSV met de stembureaus)",
                           "a count with the units below (e.g. the 510b or OSV4-3 CSV with the stations)"))


def _levels(links: LevelLinks, errors: Errors) -> Part:
    n = len(links.compared) + len(links.missing)
    done = Text(f"{count(n, 'totaal', 'totalen')} vergeleken met het niveau erboven",
                f"{count(n, 'total', 'totals')} compared with the level above")
    if not links.orphans:
        return Part(PartKey.LEVELS, True, done, errors.get(PartKey.LEVELS, 0))
    k = len(links.orphans)
    codes = ", ".join(sorted({s.authority or "?" for s in links.orphans}))
    levels = sorted({s.level for s in links.orphans}, key=str)
    prefix = Text(done.nl + "; ", done.en + "; ") if n else Text("", "")
    return Part(PartKey.LEVELS, False,
                Text(f"{prefix.nl}{count(k, 'totaal', 'totalen')} ({codes}) niet vergeleken: het niveau erboven is niet bij de invoer",
                     f"{prefix.en}{count(k, 'total', 'totals')} ({codes}) not compared: the level above is not among the inputs"),
                errors.get(PartKey.LEVELS, 0),
                Text(" en ".join(UPPER_FILE[lv][0] for lv in levels), " and ".join(UPPER_FILE[lv][1] for lv in levels)))


def _units(record: RunRecord, counts: list[Summary], errors: Errors) -> Part:
    n, total = record.ran["units"], len(counts)
    what = Text(f"{n} van {count(total, 'telling', 'tellingen')} tegen de definitie gecontroleerd",
                f"{n} of {count(total, 'count', 'counts')} checked against the definition")
    if n >= total:
        return Part(PartKey.UNITS, True, what, errors.get(PartKey.UNITS, 0))
    stations = any(s.level in (Level.MUNICIPALITY, Level.STATION) for s in counts)
    needs = (Text("de 110b (Stembureaus_...) van de gemeente", "the municipality's 110b (Stembureaus_...)") if stations
             else Text("de 110a (Verkiezingsdefinitie_...)", "the 110a (Verkiezingsdefinitie_...)"))
    return Part(PartKey.UNITS, False, Text(what.nl + ": geen lijst van eenheden bij de invoer",
                                           what.en + ": no list of units among the inputs"),
                errors.get(PartKey.UNITS, 0), needs)


def _seats(inputs: ElectionInputs, record: RunRecord, computation: SeatComputation | None, findings: Sequence[Finding],
           errors: Errors, whole: Text) -> list[Part]:
    result = Text(f"de 520 (Resultaat_{inputs.id}.eml.xml)", f"the 520 (Resultaat_{inputs.id}.eml.xml)")
    notes = [f for f in findings if f.code == "CHECK.NOT_RUN" and f.field == "SEATS"]
    if inputs.results and computation is not None:
        source = Path(computation.source).name
        seats = Part(PartKey.SEATS, True, Text(f"herberekend uit {source} en vergeleken met de 520",
                                               f"recomputed from {source} and compared with the 520"), errors.get(PartKey.SEATS, 0))
        if computation.seats_from != "110a":
            seats = Part(PartKey.SEATS, True, Text(
                seats.what.nl + "; het aantal zetels zelf komt uit de 520 (geen 110a), dus alleen de verdeling is gecontroleerd",
                seats.what.en + "; the number of seats itself is taken from the 520 (no 110a), so only the distribution is checked"),
                seats.errors, Text("de 110a (Verkiezingsdefinitie_...) voor het aantal zetels",
                                   "the 110a (Verkiezingsdefinitie_...) for the number of seats"))
    elif not inputs.results:
        also = computation is None and record.units_checked
        seats = Part(PartKey.SEATS, False, Text("geen 520 (uitslag) bij de invoer: niets om de zetelverdeling mee te vergelijken",
                                                "no 520 (result) among the inputs: nothing to compare the seat allocation with"),
                     needs=Text(result.nl + (" en " + whole.nl if also else ""), result.en + (" and " + whole.en if also else "")))
    elif not record.units_checked:
        seats = Part(PartKey.SEATS, False, Text("geen telling om de zetels uit te herberekenen",
                                                "no count to recompute the seats from"), needs=whole)
    else:
        why = notes[-1] if notes else None
        seats = Part(PartKey.SEATS, False,
                     Text(why.message_nl, why.message_en) if why
                     else Text("de zetelverdeling kon niet worden herberekend", "the seat allocation could not be recomputed"),
                     needs=whole)
    if not seats.done:
        elected = Part(PartKey.ELECTED, False, Text("de zetelverdeling is niet gecontroleerd", "the seat allocation was not checked"),
                       needs=seats.needs)
    elif any(f.code == "CHECK.NOT_RUN" and f.field == "SEATS.ELECTED" for f in findings):
        elected = Part(PartKey.ELECTED, False, Text("geen kandidaatnamen om de gekozenen uit de 520 mee te vergelijken",
                                                    "no candidate names to match the 520's elected candidates"),
                       needs=Text("de 230b (Kandidatenlijsten_...) of de OSV4-3-CSV", "the 230b (Kandidatenlijsten_...) or the OSV4-3 CSV"))
    else:
        elected = Part(PartKey.ELECTED, True, Text("gekozenen volgens de wet vergeleken met de 520",
                                                   "elected candidates by law compared with the 520"), errors.get(PartKey.ELECTED, 0))
    return [seats, elected]


def _seat_status(computation: SeatComputation | None, seats: Part, elected: Part) -> SeatStatus:
    if computation is None:
        return SeatStatus.NOT_COMPUTED
    if not seats.done:  # recomputed, so what is missing is the 520
        return SeatStatus.NO_RESULT
    if seats.errors or elected.errors:
        return SeatStatus.DIFFERS
    return SeatStatus.AGREES if elected.done else SeatStatus.SEATS_ONLY


def _plausibility(counts: list[Summary], errors: Errors) -> Part:
    n = sum(1 for s in counts if s.level in (Level.MUNICIPALITY, Level.STATION) and s.unit_ids)
    if n:
        return Part(PartKey.PLAUSIBILITY, True, Text(f"{count(n, 'telling', 'tellingen')} met stembureaus",
                                                     f"{count(n, 'count', 'counts')} with stations"), errors.get(PartKey.PLAUSIBILITY, 0))
    return Part(PartKey.PLAUSIBILITY, False, Text("geen telling met stembureaus", "no count with stations"),
                needs=Text("de 510b of OSV4-3-CSV met de stembureaus", "the 510b or OSV4-3 CSV with the stations"))


def _printed(record: RunRecord, errors: Errors) -> Part:
    """Signed and printed: which PDF PV belongs to which EML and whether they agree, whether the
    EML is signed and by whom, and what could not be checked and why. Done only when every
    signature was checked against a trusted certificate and nothing was left unchecked."""
    p = record.printed
    said_nl, said_en = [], []
    for pv, model, eml, same in p.pvs:
        said_nl.append(f"{Path(pv).name} ({MODEL_NAMES[model]}) hoort bij {Path(eml).name}"
                       + ("" if same else " (maar draagt niet zijn vingerafdruk)"))
        said_en.append(f"{Path(pv).name} ({MODEL_NAMES[model]}) belongs to {Path(eml).name}"
                       + ("" if same else " (but does not carry its fingerprint)"))
    for signature, eml, signer in p.signatures:
        said_nl.append(f"{Path(eml).name} is ondertekend door {signer}" if signer
                       else f"{Path(eml).name} draagt een handtekening ({Path(signature).name}) die niet is bevestigd met een vertrouwd certificaat")
        said_en.append(f"{Path(eml).name} is signed by {signer}" if signer
                       else f"{Path(eml).name} carries a signature ({Path(signature).name}) not confirmed with a trusted certificate")
    missing = list(p.not_checked)
    if any(signer is None for _, _, signer in p.signatures):
        missing.append(Text("wie de niet bevestigde handtekeningen zette", "who made the signatures not confirmed"))
    what = Text("; ".join(said_nl + [m.nl for m in missing]), "; ".join(said_en + [m.en for m in missing]))
    needs = (Text("het certificaat van de gemeente (public_key_..._crt), onafhankelijk verkregen, met --trust",
                  "the municipality's certificate (public_key_...crt), obtained independently, with --trust")
             if any(signer is None for _, _, signer in p.signatures) else None)
    return Part(PartKey.PRINTED, not missing, what, errors.get(PartKey.PRINTED, 0), needs)
