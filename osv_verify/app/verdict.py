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

The verdict also carries its ``answer``: the sentences a citizen reads without a legend, built
from the parts and the findings (``answer``): a sum that does not add up is said apart from a
difference between admitted voters and ballots that is not explained; when two publications of
one count disagree, how many of the errors come from that; and what "partly verified" means
when everything checked agrees. A part that could not run says what that leaves open
(``Part.means``) beside the file that would make it run (``Part.needs``).

Long because every part is judged here together with the sentence it is told in: a part's
errors and caveats (``Part.caveat``, ``Part.needs``) and the answer that must say them once
belong in one place, or one report says "klopt" about what another holds with a caveat or an
error ("every error keeps the answer from an all-clear" would live in several files).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from osv_verify.app.election import ElectionInputs, RunRecord, election_ref
from osv_verify.checks.aggregate import LevelLinks, Summary, level_links, upper_file
from osv_verify.checks.outcome import SeatComputation
from osv_verify.checks.tally import NOT_CARRIED
from osv_verify.checks.registry import RULES
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
    means: Text | None = None  # not done: what it leaves open for the reader (``NOT_CHECKED``)
    caveat: Text | None = None  # done: what the result holds with (a seat warning); never "agrees" plainly

    @property
    def qualified(self) -> bool:
        """Done without errors, but with a caveat or a file that would make it run in full."""
        return self.done and self.errors == 0 and (self.caveat is not None or self.needs is not None)


#: Titles of the parts, as a report heads them.
PART_TITLES: dict[PartKey, Text] = {
    PartKey.STATIONS: Text("optellingen op elk proces-verbaal", "the sums on each proces-verbaal"),
    PartKey.EXPLANATIONS: Text("verschil tussen toegelaten kiezers en stembiljetten verklaard",
                               "difference between admitted voters and ballots explained"),
    PartKey.TOTALS: Text("totalen tegen hun stembureaus", "totals against their units"),
    PartKey.LEVELS: Text("niveaus tegen elkaar", "levels against each other"),
    PartKey.SOURCES: Text("publicaties van dezelfde telling", "publications of the same count"),
    PartKey.RESEARCH: Text("onderzoeksdata van de Kiesraad op zich", "the Kiesraad's research data on their own"),
    PartKey.UNITS: Text("stembureaus tegen de definitie", "units against the definition"),
    PartKey.DEFINITION: Text("definitie tegen de wet", "definition against the law"),
    PartKey.SEATS: Text("zetelverdeling", "seat allocation"),
    PartKey.ELECTED: Text("gekozen kandidaten", "elected candidates"),
    PartKey.PLAUSIBILITY: Text("plausibiliteit (controleprotocol)", "plausibility (control protocol)"),
    PartKey.SESSIONS: Text("correcties in een volgende zitting", "corrections in a later session"),
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
class Sentence:
    """One sentence of the plain answer: good news (True), bad news (False) or neither (None)."""

    good: bool | None
    text: Text


@dataclass(frozen=True)
class Verdict:
    status: Status
    parts: tuple[Part, ...] = field(default_factory=tuple)
    seats: SeatStatus = SeatStatus.NOT_COMPUTED
    answer: tuple[Sentence, ...] = ()  # the plain sentences, only about parts that ran (``answer``)

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
    parts: list[Part] = [*_stations(record, errors)]
    if counts:
        parts.append(_totals(counts, errors))
        links = level_links(counts, inputs.definition, category)
        if links.compared or links.missing or links.orphans:
            parts.append(_levels(links, errors, category))
        if record.ran["sources"]:
            n = record.ran["sources"]
            parts.append(Part(PartKey.SOURCES, True, Text(f"{count(n, 'telling', 'tellingen')} in twee publicaties vergeleken",
                                                          f"{count(n, 'count', 'counts')} compared in two publications"),
                              errors.get(PartKey.SOURCES, 0)))
        parts.append(_units(record, counts, errors))
        if record.sessions or errors.get(PartKey.SESSIONS) or _lone_corrigenda(record, counts):
            parts.append(_sessions(record, counts, errors))
    seat_part, elected_part = _seats(inputs, record, seats, findings, errors, _whole_count(category))
    research, seat_part, elected_part = _research(inputs, record, errors, seat_part, elected_part)
    parts += [*research, seat_part, elected_part]
    if inputs.plausibility is not None:
        parts.append(_plausibility(counts, errors))
    if record.printed.pvs or record.printed.signatures:
        parts.append(_printed(record, errors))
    if record.units_checked == 0 and not research:
        status = Status.NOT_VERIFIED
    elif all(p.done for p in parts) and not record.unread:
        status = Status.VERIFIED  # a file that could not be read was not verified either
    else:
        status = Status.PARTLY
    unsaid = {**NOT_CHECKED, PartKey.STATIONS: RESEARCH_ONLY} if research and not record.units_checked else NOT_CHECKED
    # a part that could not run (whole) still counts the errors it found
    parts = [p if p.done else replace(p, means=unsaid.get(p.key), errors=errors.get(p.key, 0)) for p in parts]
    return Verdict(status, tuple(parts), _seat_status(seats, seat_part, elected_part),
                   answer(status, parts, findings, record.differing))


def _unread(record: RunRecord) -> Text:
    if not record.unread:
        return Text("", "")
    names = ", ".join(Path(n).name for n in record.unread)
    return Text(f" ({names} kon niet worden gelezen)", f" ({names} could not be read)")


def _stations(record: RunRecord, errors: Errors) -> list[Part]:
    """The PVs on their own, in two parts: their sums, and the explanation of their difference
    between admitted voters and ballots (errors of each kind are told apart in the answer)."""
    n = record.units_checked
    unread = _unread(record)
    if not n:
        return [Part(PartKey.STATIONS, False, Text("geen telling gelezen" + unread.nl, "no count read" + unread.en),
                     needs=COUNT_FILE)]
    what = Text(f"{count(n, 'telling', 'tellingen')} (stembureaus en totalen){unread.nl}",
                f"{count(n, 'count', 'counts')} (stations and totals){unread.en}")
    # a check a 510c/510d never carries numbers for ran where it belongs, on the municipalities' PVs, if given
    pvs = any(s.level in (Level.MUNICIPALITY, Level.STATION) for s in record.summaries)
    skipped = {code for code, why in record.not_run if not (pvs and why == NOT_CARRIED)}
    return [_pv_part(key, what, sorted(code for code in skipped if _part_of_code(code) is key), errors)
            for key in (PartKey.STATIONS, PartKey.EXPLANATIONS)]


def _part_of_code(code: str) -> PartKey | None:
    """The part of a (possibly ranged, ``F.305-F.312``) code of a check that did not run."""
    found = RULES.get(code.split("-")[0])
    return found.part if found else None


def _pv_part(key: PartKey, what: Text, skipped: list[str], errors: Errors) -> Part:
    if not skipped:
        return Part(key, True, what, errors.get(key, 0))
    # some checks need numbers a level does not publish (F.201 on a kieskring file): say which
    codes = ", ".join(skipped)
    return Part(key, True,
                Text(f"{what.nl}; {codes} niet uitgevoerd waar de gegevens ontbreken (zie CHECK.NOT_RUN)",
                     f"{what.en}; {codes} not run where the numbers are missing (see CHECK.NOT_RUN)"),
                errors.get(key, 0),
                Text("de 510b of OSV4-3-CSV van de gemeenten, met de stembureaus",
                     "the municipalities' 510b or OSV4-3 CSV, with the stations"))


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


def _levels(links: LevelLinks, errors: Errors, category: str | None) -> Part:
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
                Text(" en ".join(upper_file(lv, category).nl for lv in levels), " and ".join(upper_file(lv, category).en for lv in levels)))


def _lone_corrigenda(record: RunRecord, counts: list[Summary]) -> list[str]:
    """The corrigenda read without an earlier version of their count (not part of a session story)."""
    told = {source for s in record.sessions for source in s.files}
    return [Path(s.source.split("!", 1)[0]).name for s in counts if s.phase == "corrigendum" and s.source not in told]


def _sessions(record: RunRecord, counts: list[Summary], errors: Errors) -> Part:
    """The story of every count published again after a later session; not done where the
    newest version does not mark its corrections (before EML_NL 1.3): then only the differences
    could be told, not checked; and not done for a corrigendum given without its earlier version
    (its own marks were checked, not what it says it corrects)."""
    lone = _lone_corrigenda(record, counts)
    said = [(s.story.nl, s.story.en) for s in record.sessions]
    if lone:
        names = ", ".join(lone)
        said.append((f"{names}: een corrigendum (volgende zitting) zonder de eerdere versie van de telling; alleen zijn eigen "
                     "markeringen zijn gecontroleerd, niet of de oorspronkelijke getallen zijn wat eerder werd gepubliceerd, "
                     "welke getallen zonder markering veranderden en of er een stembureau verdween",
                     f"{names}: a corrigendum (later session) without the earlier version of its count; only its own marks were "
                     "checked, not whether its original numbers are those published earlier, which numbers changed without a "
                     "mark, nor whether a station disappeared"))
    if not said:
        said.append(("oorspronkelijke getallen van een correctie gecontroleerd", "original numbers of a correction checked"))
    story = Text("; ".join(nl for nl, _ in said), "; ".join(en for _, en in said))
    marked = all(s.marked for s in record.sessions)
    needs = None
    if lone:
        needs = Text("de eerdere versie van de telling (de 510b van de eerste of vorige zitting)",
                     "the earlier version of the count (the 510b of the first or previous session)")
    elif not marked:
        needs = Text("een corrigendum dat zijn correcties markeert (EML_NL 1.3: kr:Phase corrigendum, kr:Initial*)",
                     "a corrigendum that marks its corrections (EML_NL 1.3: kr:Phase corrigendum, kr:Initial*)")
    return Part(PartKey.SESSIONS, needs is None, story, errors.get(PartKey.SESSIONS, 0), needs)


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
    if seats.done and computation is not None and computation.outcome.warnings:
        # a seat the law cannot give (too few candidates, ...): the 520 may agree, but not "klopt" without it
        seats = replace(seats, caveat=Text("; ".join(w.text.nl for w in computation.outcome.warnings),
                                           "; ".join(w.text.en for w in computation.outcome.warnings)))
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


def _research(inputs: ElectionInputs, record: RunRecord, errors: Errors, seats: Part,
              elected: Part) -> tuple[list[Part], Part, Part]:
    """The Kiesraad's research CSVs (issue 24), checked on their own: their sums across levels
    (and their stations against their gemeente), and the seats of their uitslag rows recomputed
    from its list votes and counted from its elected (``checks/research.py``). Where no 520 made
    the seat part run, that check is the seat part, so SEATS.RESEARCH errors show there.
    Agreement with the EML/OSV count is the part "publications of the same count" (AGG.RESEARCH)."""
    research = inputs.research
    if research is None or research.uitslag is None:
        return [], seats, elected
    regions = len(research.uitslag.regions)
    stations = sum(len(v) for v in research.stations.values())
    against = (Text(f"; {count(record.ran['research'], 'telling', 'tellingen')} vergeleken met de EML/OSV-bestanden (zie publicaties)",
                    f"; {count(record.ran['research'], 'count', 'counts')} compared with the EML/OSV files (see publications)")
               if record.ran["research"] else Text("", ""))
    regions_nl = count(regions, "regio", "regio's")
    part = Part(PartKey.RESEARCH, True, Text(
        f"{regions_nl} (gemeente tot land) en {count(stations, 'stembureau', 'stembureaus')} "
        f"opgeteld over de niveaus{against.nl}",
        f"{count(regions, 'region', 'regions')} (gemeente to land) and {count(stations, 'station', 'stations')} added up across the levels{against.en}"),
        errors.get(PartKey.RESEARCH, 0))
    if seats.done or not research.regions("land"):
        return [part], seats, elected
    source = Path(research.uitslag.source).name
    elected = replace(elected, what=Text(
        "de gekozenen van de onderzoeksdata zijn alleen per lijst geteld; wie volgens de voorkeurstemmen gekozen is, is niet nagegaan",
        "the research data's elected are only counted per list; who is elected by the preference votes was not checked"))
    return [part], Part(PartKey.SEATS, True, Text(
        f"herberekend uit de landelijke lijststemmen van de onderzoeksdata ({source}) en vergeleken met hun "
        "LijstAantalZetels en KandidaatGekozen; de onderzoeksdata zijn afgeleid, geen officiële uitslag",
        f"recomputed from the research data's national list votes ({source}) and compared with their "
        "LijstAantalZetels and KandidaatGekozen; the research data are derived, not the official result"),
        errors.get(PartKey.SEATS, 0), seats.needs), elected


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


#: What a part that could not run leaves open for the reader, where its title alone does not say
#: (a missing stembureau is not noticed when every sum adds up); which file it needs is ``needs``.
NOT_CHECKED: dict[PartKey, Text] = {
    PartKey.STATIONS: Text("de getallen van de processen-verbaal zelf; dit rapport zegt dus niets over de uitslag",
                           "the numbers of the processen-verbaal themselves, so this report says nothing about the result"),
    PartKey.TOTALS: Text("of elk totaal de som van zijn stembureaus is; een fout bij het optellen zou niet opvallen",
                         "whether each total is the sum of its units; a slip in adding up would go unnoticed"),
    PartKey.LEVELS: Text("of de totalen gelijk zijn aan wat het niveau erboven ervan overnam; een fout bij het overnemen zou niet opvallen",
                         "whether the totals equal what the level above took from them; a slip in copying would go unnoticed"),
    PartKey.UNITS: Text("of de telling precies de stembureaus bevat die er moeten zijn; een stembureau dat in de bestanden "
                        "ontbreekt (of er één te veel), zou niet opvallen, ook al kloppen alle optellingen",
                        "whether the count holds exactly the units that should be there; a unit missing from the files "
                        "(or one too many) would go unnoticed, even though every sum adds up"),
}
#: What the PVs not checked leave open when only the research data were (``_research``).
RESEARCH_ONLY = Text("de getallen van de processen-verbaal zelf; alleen de onderzoeksdata (afgeleid van de EML, geen officiële "
                     "uitslag) zijn gecontroleerd",
                     "the numbers of the processen-verbaal themselves; only the research data (derived from the EML, not the "
                     "official result) were checked")

#: Parts whose errors a citizen reads as "the sums do not add up".
SUMS = (PartKey.STATIONS, PartKey.TOTALS, PartKey.LEVELS)
#: The plain sentence of a part that ran, when it found nothing and when it found errors.
PLAIN: dict[PartKey, tuple[Text, Text]] = {
    PartKey.SESSIONS: (Text("De correcties van een volgende zitting kloppen", "The corrections of a later session are consistent"),
                       Text("De correcties van een volgende zitting kloppen niet", "The corrections of a later session are not consistent")),
    PartKey.PRINTED: (Text("Wat is afgedrukt of ondertekend, past bij het telbestand", "What was printed or signed matches the count file"),
                      Text("Wat is afgedrukt of ondertekend, past niet bij het telbestand", "What was printed or signed does not match the count file")),
    PartKey.UNITS: (Text("Alle stembureaus van de definitie zijn er", "Every unit of the definition is there"),
                    Text("Stembureaus ontbreken of zijn extra", "Units are missing or extra")),
    PartKey.DEFINITION: (Text("De definitie van de verkiezing past bij de wet", "The election's definition fits the law"),
                         Text("De definitie van de verkiezing past niet bij de wet", "The election's definition contradicts the law")),
    PartKey.RESEARCH: (Text("De onderzoeksdata van de Kiesraad tellen op", "The Kiesraad's research data add up"),
                       Text("De onderzoeksdata van de Kiesraad tellen niet op", "The Kiesraad's research data do not add up")),
    PartKey.SEATS: (Text("De zetelverdeling klopt", "The seat allocation is right"),
                    Text("De zetelverdeling klopt niet", "The seat allocation is wrong")),
    PartKey.ELECTED: (Text("De gekozen kandidaten kloppen", "The elected candidates are right"),
                      Text("De gekozen kandidaten kloppen niet", "The elected candidates are wrong")),
}
#: A publication's kind in words: an EML 510 or the OSV4-3 CSV.
KIND_WORDS = {"osv4-3": Text("de OSV4-3-CSV", "the OSV4-3 CSV")}
EML_WORDS = Text("de EML", "the EML")


def answer(status: Status, parts: Sequence[Part], findings: Sequence[Finding] = (),
           differing: Sequence[tuple[str, str]] = ()) -> tuple[Sentence, ...]:
    """The plain sentences of a verdict, only about parts that ran: what agrees, what does not
    and why that matters, and for a partly verified election without errors what that means.
    ``findings`` are the election's (counted per part); ``differing`` the kinds of each pair of
    publications of one count that differ (``RunRecord.differing``)."""
    done = {p.key: p for p in parts if p.done}
    out: list[Sentence] = []
    # every error, whatever part it counts in (or none, or a part that could not run), rules out the all-clear
    if status is Status.PARTLY and not any(p.errors for p in parts) and not any(f.severity is Severity.ERROR for f in findings):
        warned = sum(f.severity is Severity.WARNING for f in findings)
        look = (Text(f" ({count(warned, 'waarschuwing', 'waarschuwingen')} hieronder: geen fout, wel iets om na te kijken)",
                     f" ({count(warned, 'warning', 'warnings')} below: no error, but something to look at)")
                if warned else Text("", ""))
        out.append(Sentence(None, Text(
            f"Deels gecontroleerd: alles wat gecontroleerd kon worden, klopt{look.nl}; wat niet gecontroleerd kon worden, "
            "staat hieronder, met het bestand dat daarvoor nodig is.",
            f"Partly verified: everything that could be checked agrees{look.en}; what could not be checked is listed below, "
            "with the file it needs.")))
    sums = [done[k] for k in SUMS if k in done]
    if sums:
        n = sum(p.errors for p in sums)
        before = sum(f.code == "CORR.ORIGINAL" and f.severity is Severity.ERROR for f in findings)
        if n == 0 and before:
            out.append(Sentence(False, Text(
                "De optellingen van de huidige getallen kloppen: " + "; ".join(p.what.nl for p in sums) + "; maar met de "
                f"oorspronkelijke getallen van een correctie teruggezet kloppen ze niet: {count(before, 'fout', 'fouten')} (CORR.ORIGINAL).",
                "The sums of the current numbers add up: " + "; ".join(p.what.en for p in sums) + "; but with a correction's "
                f"original numbers put back they do not: {count(before, 'error', 'errors')} (CORR.ORIGINAL).")))
        elif n == 0 and any(p.qualified for p in sums):
            out.append(Sentence(None, Text("De optellingen kloppen, met voorbehoud: " + "; ".join(p.what.nl for p in sums)
                                           + _caveats(sums).nl + ".",
                                           "The sums add up, with a caveat: " + "; ".join(p.what.en for p in sums)
                                           + _caveats(sums).en + ".")))
        elif n == 0:
            out.append(Sentence(True, Text("De optellingen kloppen: " + "; ".join(p.what.nl for p in sums) + ".",
                                           "The sums add up: " + "; ".join(p.what.en for p in sums) + ".")))
        else:
            out.append(Sentence(False, Text(
                f"De optellingen kloppen niet: {count(n, 'fout', 'fouten')}: een getal is niet de som van de getallen "
                "waaruit het volgt, dus minstens één van die getallen is verkeerd geteld, ingevoerd of overgenomen.",
                f"The sums do not add up: {count(n, 'error', 'errors')}: a number is not the sum of the numbers it "
                "comes from, so at least one of them was counted, entered or copied wrongly.")))
    if PartKey.EXPLANATIONS in done:
        out.append(_explained(done[PartKey.EXPLANATIONS], findings))
    if PartKey.SOURCES in done:
        out.extend(_sources(done[PartKey.SOURCES], findings, differing))
    told = {k for k in (*SUMS, PartKey.EXPLANATIONS, PartKey.SOURCES) if k in done}
    listed = {p.key: p for p in parts}
    for key in (PartKey.RESEARCH, PartKey.SESSIONS, PartKey.UNITS, PartKey.DEFINITION, PartKey.SEATS, PartKey.ELECTED, PartKey.PRINTED):
        part = done.get(key) or (listed[key] if key in listed and listed[key].errors else None)
        if part is not None:  # a part that could not run whole still tells the errors it found
            good, bad = PLAIN[key]
            if part.errors == 0 and part.qualified:
                out.append(Sentence(None, Text(f"{good.nl}, met voorbehoud: {part.what.nl}{_caveats([part]).nl}.",
                                               f"{good.en}, with a caveat: {part.what.en}{_caveats([part]).en}.")))
                continue
            text = good if part.errors == 0 else bad
            n = (Text("", "") if part.done else
                 Text(f"{count(part.errors, 'fout', 'fouten')}, al kon dit niet helemaal worden gecontroleerd; ",
                      f"{count(part.errors, 'error', 'errors')}, though this could not be checked whole; "))
            out.append(Sentence(part.errors == 0, Text(f"{text.nl}: {n.nl}{part.what.nl}.", f"{text.en}: {n.en}{part.what.en}.")))
            told.add(key)
    rest = sum(f.severity is Severity.ERROR and part_of(f) not in told for f in findings)
    if rest:
        out.append(Sentence(False, Text(f"Nog {count(rest, 'fout', 'fouten')} gevonden, zie de meldingen hieronder.",
                                        f"{count(rest, 'more error', 'more errors')} found, see the findings below.")))
    return tuple(out)


#: The parts the plain answer speaks about when they ran (with their caveat): a report lists
#: only the others beside it, so each part is told once.
ANSWERED = frozenset({*SUMS, PartKey.EXPLANATIONS, PartKey.SOURCES, *PLAIN})


def _caveats(parts: Sequence[Part]) -> Text:
    """``; waarschuwing: ... (nodig: ...)``: the caveats and the files that would lift them."""
    nl = en = ""
    for p in parts:
        if p.caveat is not None:
            nl += f"; waarschuwing: {p.caveat.nl}"
            en += f"; warning: {p.caveat.en}"
    needs = [p.needs for p in parts if p.needs is not None]
    if needs:
        nl += f" (nodig: {'; '.join(dict.fromkeys(n.nl for n in needs))})"
        en += f" (needs: {'; '.join(dict.fromkeys(n.en for n in needs))})"
    return Text(nl, en)


def _explained(part: Part, findings: Sequence[Finding]) -> Sentence:
    """Differences between admitted voters and ballots: explained, or not (and on how many PVs).
    "Every difference is explained" only where every PV could be checked and nothing was found
    (a kieskring file without admitted voters, or warnings at a total, do not establish that)."""
    warnings = sum(f.severity is Severity.WARNING and part_of(f) is PartKey.EXPLANATIONS for f in findings)
    if part.errors == 0 and not warnings and part.needs is None:
        return Sentence(True, Text(f"Elk verschil tussen toegelaten kiezers en stembiljetten is verklaard: {part.what.nl}.",
                                   f"Every difference between admitted voters and ballots is explained: {part.what.en}."))
    if part.errors == 0:
        more = (Text(f"; {count(warnings, 'waarschuwing', 'waarschuwingen')}, zie hieronder",
                     f"; {count(warnings, 'warning', 'warnings')}, see below") if warnings else Text("", ""))
        return Sentence(None, Text(
            f"Geen fout gevonden in de verklaring van verschillen tussen toegelaten kiezers en stembiljetten, in wat "
            f"gecontroleerd kon worden: {part.what.nl}{more.nl}{_caveats([part]).nl}.",
            f"No error found in the explanation of differences between admitted voters and ballots, in what could be "
            f"checked: {part.what.en}{more.en}{_caveats([part]).en}."))
    pvs = len({(f.location.authority, f.location.unit) for f in findings
               if f.severity is Severity.ERROR and part_of(f) is PartKey.EXPLANATIONS})
    return Sentence(False, Text(
        f"Niet elk verschil tussen toegelaten kiezers en stembiljetten is verklaard: {count(part.errors, 'fout', 'fouten')} "
        f"op {count(pvs, 'proces-verbaal', 'processen-verbaal')}. Dat is geen rekenfout: het proces-verbaal verklaart niet "
        "(of niet goed) waarom er meer of minder stembiljetten zijn dan toegelaten kiezers, dus een deel van dat verschil is onverklaard.",
        f"Not every difference between admitted voters and ballots is explained: {count(part.errors, 'error', 'errors')} "
        f"on {count(pvs, 'proces-verbaal', 'processen-verbaal')}. That is not a wrong sum: the proces-verbaal does not "
        "explain (or not correctly) why there are more or fewer ballots than admitted voters, so part of that difference is unexplained."))


def _sources(part: Part, findings: Sequence[Finding], differing: Sequence[tuple[str, str]]) -> list[Sentence]:
    """Two publications of one count: identical, the publication of an earlier session
    (CORR.EARLIER_PUBLICATION: not identical, not wrong), or how many of the election's errors
    their disagreement makes (the numbers from the findings)."""
    earlier = [f for f in findings if f.code == "CORR.EARLIER_PUBLICATION"]
    out = [_earlier_publications(earlier)] if earlier else []
    errors = part.errors - sum(f.severity is Severity.ERROR for f in earlier)
    if errors == 0:
        if not earlier:
            out.append(Sentence(True, Text(f"De publicaties van dezelfde telling zijn gelijk: {part.what.nl}.",
                                           f"The publications of the same count are identical: {part.what.en}.")))
        return out
    part = replace(part, errors=errors)
    total = sum(f.severity is Severity.ERROR for f in findings)
    pairs = set(differing)
    first, second = next(iter(pairs)) if len(pairs) == 1 else ("", "")
    a, b = _kind(first), _kind(second)
    which = Text(f"{a.nl} en {b.nl}", f"{a.en} and {b.en}") if a and b and a != b else Text("twee publicaties", "two publications")
    if part.errors < total:
        share = Text(f"{part.errors} van de {total} fouten komen", f"{part.errors} of the {total} errors come")
    else:
        share = Text("De fout komt", "The error comes") if total == 1 else Text(f"Alle {total} fouten komen", f"All {total} errors come")
    return out + [Sentence(False, Text(
        f"{share.nl} doordat {which.nl} van dezelfde telling niet overeenkomen: minstens één van beide toont niet wat er "
        "geteld is; welke klopt, laat het papieren proces-verbaal zien.",
        f"{share.en} from {which.en} of the same count disagreeing: at least one of them does not show what was counted; "
        "the paper proces-verbaal shows which one is right."))]


def _earlier_publications(earlier: Sequence[Finding]) -> Sentence:
    """CSVs equal to an earlier version of their count, not to the newest: outdated, said plainly;
    an error where one sits in the same download as the newest (CORR.EARLIER_PUBLICATION), a
    notice only where a CSV of the newest version is at hand too."""
    n = len(earlier)
    beside = sum(f.severity is Severity.ERROR for f in earlier)
    replaced = sum(f.severity is Severity.INFO for f in earlier)
    where = (Text("", "") if not beside else
             Text(", in dezelfde download als de nieuwste versie", ", in the same download as the newest version") if n == 1 else
             Text(f", {beside} ervan in dezelfde download als de nieuwste versie", f", {beside} of them in the same download as the newest version"))
    newer = (Text("; de CSV van de nieuwste versie is gelijk aan die versie" if replaced == n else
                  f"; voor {replaced} ervan is ook de CSV van de nieuwste versie gepubliceerd, gelijk aan die versie",
                  "; the newest version's CSV equals that version" if replaced == n else
                  f"; for {replaced} of them the newest version's CSV is published too, equal to that version")
             if replaced else Text("", ""))
    return Sentence(False if beside else True if replaced == n else None, Text(
        f"{count(n, 'publicatie', 'publicaties')} (CSV) {'is' if n == 1 else 'zijn'} van een eerdere zitting{where.nl}: "
        "gelijk aan een eerdere versie van de telling, niet aan de nieuwste, die een volgende zitting heeft vastgesteld; "
        f"wie die publicatie gebruikt, rekent met vervangen getallen{newer.nl}. Alleen de nieuwste versie is gecontroleerd en gebruikt.",
        f"{count(n, 'publication', 'publications')} (CSV) {'is' if n == 1 else 'are'} of an earlier session{where.en}: "
        "equal to an earlier version of the count, not to the newest, which a later session established; whoever uses "
        f"that publication works with replaced numbers{newer.en}. Only the newest version was checked and used."))


def _kind(kind: str) -> Text | None:
    """A publication's kind in words; None when unknown (no pair, or more than one)."""
    return KIND_WORDS.get(kind, EML_WORDS) if kind else None


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
