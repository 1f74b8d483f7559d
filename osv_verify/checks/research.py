"""The Kiesraad's research CSVs (``io.kiesraad_csv``) checked: against the EML/OSV counts of the
same election, and on their own.

They are derived from the EML ("onderzoeksdata, geen officiële uitslag"), so a difference with
the EML is a finding about the research data (``AGG.RESEARCH``), never about the count. On their
own (``AGG.RESEARCH_SUM``): each level adds up to the level below it within the files (the
stations to their gemeente, gemeenten to their kieskring, kieskringen to their provincie,
provincies to the land), every region's lists add up to its valid votes, its candidates to their
list, and H (``Opkomst``) is E + F + G. The seats (``SEATS.RESEARCH``): the land's list votes
through the project's seat code (Kieswet P 5 - P 9, 150 seats: Grondwet art. 51) against
``LijstAantalZetels``, and each list's elected rows (``KandidaatGekozen``) against its seats.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from osv_verify.checks.aggregate import _loc_for, differences, field_name, file_location
from osv_verify.checks.registry import rule
from osv_verify.core.findings import Finding, Location
from osv_verify.core.model import CountFile, Level, Tally
from osv_verify.core.text import Text
from osv_verify.io.kiesraad_csv import Region, Research
from osv_verify.seats.apportion import ListInput, LotsNeeded, allocate
from osv_verify.seats.rules import rules_for

#: The seats of the Tweede Kamer (Grondwet art. 51 lid 2).
TK_SEATS = 150
#: The level each region's parts are one below, and what the parts are called.
_PARTS = {"kieskring": "gemeente", "provincie": "kieskring", "land": "provincie"}
_PART_WORDS = {"gemeente": Text("gemeenten", "gemeenten"), "kieskring": Text("kieskringen", "kieskringen"),
               "provincie": Text("provincies", "provinces"), "stembureau": Text("stembureaus", "stations")}


def _counterparts(research: Research, count: CountFile) -> tuple[Tally | None, dict[str, Tally], str | None]:
    """The research tally of ``count``'s total, the research tallies of its units (by unit id),
    and the research file they come from."""
    authority = count.authority_id or ""
    if count.level is Level.MUNICIPALITY:
        region = research.municipality(authority)
        units = {u.id or "": u for u in research.stations.get(authority, [])}
        source = research.uitslag.source if region is not None and research.uitslag else research.stations_source
        return (region.tally if region else None), units, source
    if count.level is Level.DISTRICT and authority.startswith("HSB"):
        region = research.region(f"K{authority[3:]}")
        units = {f"{authority}::{r.number}": r.tally for r in research.regions("gemeente") if r.parent == f"K{authority[3:]}"}
        return (region.tally if region else None), units, research.uitslag.source if research.uitslag else None
    if count.level is Level.CENTRAL:
        land = research.regions("land")
        units = {f"HSB{r.number}": r.tally for r in research.regions("kieskring")}
        return (land[0].tally if land else None), units, research.uitslag.source if research.uitslag else None
    return None, {}, None


def check_against(research: Research | None, count: CountFile) -> list[Finding] | None:
    """AGG.RESEARCH: every number the research CSVs give for ``count`` (its total and each unit)
    equals the count's; None when they give nothing for it. Numbers only one side gives are not
    compared (the research data has no admitted voters; a gemeente's candidates are not in it)."""
    if research is None:
        return None
    total, units, source = _counterparts(research, count)
    if source is None or (total is None and not units):
        return None
    return list(_against(research, count, total, units))


def _against(research: Research, count: CountFile, total: Tally | None, units: dict[str, Tally]) -> Iterator[Finding]:
    pairs = [(count.total, total, None)] + [(u, units.get(u.id or ""), u.id) for u in count.units]
    for official, derived, unit in pairs:
        if official is None or derived is None:
            continue
        for d in differences(official, derived):  # verify's comparison of two publications
            if d.a is not None and d.b is not None:
                yield rule("AGG.RESEARCH").finding(
                    _loc_for(d.key, file_location(count, unit)), field=field_name(d.key), expected=d.a, actual=d.b,
                    official=count.source, research=research_source(research, derived),
                    source=research_source(research, derived), element=derived.element)


def research_source(research: Research, tally: Tally) -> str:
    """The research file a tally was read from: a station's is the stations file."""
    return research.stations_source if tally.id and "::SB" in tally.id and research.stations_source else (
        research.uitslag.source if research.uitslag else "")


def check_research(research: Research) -> Iterator[Finding]:
    """Every check of the research CSVs on their own: sums across levels, lists against valid
    votes, candidates against their list, H = E + F + G, and the seats."""
    if research.uitslag is None:
        return
    yield from _copies(research)
    source = research.uitslag.source
    regions = list(research.uitslag.regions.values())
    for region in regions:
        yield from _own(research, region, source)
    children: dict[str, list[Region]] = {}
    for region in regions:
        if region.parent:
            children.setdefault(region.parent, []).append(region)
    for region in regions:
        parts = [c for c in children.get(region.code, []) if c.level == _PARTS.get(region.level)]
        if parts:
            yield from _sum(research, region.tally, region.code, [p.tally for p in parts], _PART_WORDS[parts[0].level], source)
    for region in research.regions("gemeente"):
        stations = research.stations.get(region.number)
        if stations:
            only_lists = Tally(id=region.code, lists=region.tally.lists, element=region.tally.element)
            yield from _sum(research, only_lists, region.code, stations, _PART_WORDS["stembureau"],
                            research.stations_source or source)
    for land in research.regions("land"):
        yield from _seats(research, land, source)


def _copies(research: Research) -> Iterator[Finding]:
    """AGG.RESEARCH between two research files of one election (a copy under another name):
    each number of the further copy against the first file's."""
    first = {r.code: r.tally for r in research.uitslag.regions.values()} if research.uitslag else {}
    first |= {t.id or "": t for ts in research.stations.values() for t in ts}
    for source, tallies in research.others:
        for key, tally in tallies.items():
            if key not in first:
                continue
            official = first[key]
            for d in differences(official, tally):
                if d.a is not None and d.b is not None:
                    yield rule("AGG.RESEARCH").finding(
                        _loc_for(d.key, _location(research, key.split("::")[0], key if "::" in key else None)),
                        field=field_name(d.key), expected=d.a, actual=d.b, official=research_source(research, official),
                        research=source, source=source, element=tally.element)


def _location(research: Research, code: str, unit: str | None = None) -> Location:
    return Location(election=research.election, authority=code, unit=unit)


def _own(research: Research, region: Region, source: str) -> Iterator[Finding]:
    t, where = region.tally, _location(research, region.code)
    c = t.counts
    if "valid" in c and t.lists and sum(t.lists.values()) != c["valid"]:
        yield rule("AGG.RESEARCH_SUM").finding(where, field="valid", actual=c["valid"], expected=sum(t.lists.values()),
                                               parts=Text(f"{len(t.lists)} lijsten", f"{len(t.lists)} lists"),
                                               source=source, element=t.element)
    if "ballots_found" in c and t.votes_cast is not None and t.votes_cast != c["ballots_found"]:
        yield rule("AGG.RESEARCH_SUM").finding(where, field="ballots_found", actual=c["ballots_found"], expected=t.votes_cast,
                                               parts=Text("geldig, blanco en ongeldig", "valid, blank and invalid"),
                                               source=source, element=t.element)
    by_list: dict[int, int] = {}
    for (n, _, _), v in t.candidates.items():
        by_list[n] = by_list.get(n, 0) + v
    for n, total in sorted(by_list.items()):
        if n in t.lists and t.lists[n] != total:
            yield rule("AGG.RESEARCH_SUM").finding(Location(**{**where.__dict__, "list": n}), field=f"list {n}",
                                                   actual=t.lists[n], expected=total,
                                                   parts=Text("de kandidaten van de lijst", "the list's candidates"),
                                                   source=source, element=t.element)


def _sum(research: Research, total: Tally, code: str, parts: Iterable[Tally], words: Text, source: str) -> Iterator[Finding]:
    """The numbers of ``total`` against the sum of ``parts`` (a number only some parts give is
    not compared: a gemeente has no candidates)."""
    parts = list(parts)
    where = _location(research, code)
    for kind, mine, theirs in (("count", total.counts, [p.counts for p in parts]),
                               ("list", total.lists, [p.lists for p in parts]),
                               ("candidate", total.candidates, [p.candidates for p in parts])):
        for key, value in mine.items():
            if not all(key in t for t in theirs):
                continue
            added = sum(t[key] for t in theirs)
            if added != value:
                fkey = (kind, key if kind != "candidate" else (key[0], key[1]))
                yield rule("AGG.RESEARCH_SUM").finding(_loc_for(fkey, where), field=field_name(fkey), actual=value, expected=added,
                                                       parts=Text(f"de {len(parts)} {words.nl} eronder", f"the {len(parts)} {words.en} below it"),
                                                       source=source, element=total.element)


def _seats(research: Research, land: Region, source: str) -> Iterator[Finding]:
    names = research.uitslag.list_names if research.uitslag else {}
    where = _location(research, land.code)
    lists = [ListInput(n, v, names.get(n, "")) for n, v in sorted(land.tally.lists.items())]
    try:
        allocation = allocate(lists, rules_for("TK", TK_SEATS))
    except LotsNeeded:
        return
    if not allocation.complete:
        return
    law = allocation.seats_per_list
    elected: dict[int, int] = {}
    for n, _, _ in land.elected:
        elected[n] = elected.get(n, 0) + 1
    basis_law = Text("volgens de Kieswet, herberekend uit de lijststemmen van de onderzoeksdata",
                     "by the Kieswet, recomputed from the research data's list votes")
    basis_elected = Text("volgens de gekozen kandidaten (KandidaatGekozen)", "by the elected candidates (KandidaatGekozen)")
    for n in sorted(set(law) | set(land.seats) | set(elected)):
        published = land.seats.get(n, 0)
        for basis, expected in ((basis_law, law.get(n, 0)), (basis_elected, elected.get(n, 0))):
            if expected != published:
                yield rule("SEATS.RESEARCH").finding(Location(**{**where.__dict__, "list": n}), field=f"list {n}",
                                                     expected=expected, actual=published, basis=basis, source=source)
