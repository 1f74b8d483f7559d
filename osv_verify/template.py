"""``osv-verify template``: a blank entry sheet for one gemeente, in the OSV4-3 CSV layout.

Municipal staff type each paper PV into it twice (two people, two copies) and then run
``osv-verify compare`` on the two copies, and on a copy and the published file. The layout
is the one the municipality's own software exports (BOM, ``;``), so it opens cleanly in a
spreadsheet, with the header block naming the election and the gemeente.
"""

from __future__ import annotations

from osv_verify.errors import UsageError
from osv_verify.io import osv_csv
from osv_verify.model import (
    CandidateKey,
    CandidateLists,
    CountFile,
    Definition,
    Level,
    PollingStations,
    Tally,
)

#: The numbers a station PV gives, blank in the sheet.
STATION_KEYS = ("eligible", "poll_cards", "proxy_certificates", "voter_cards", "admitted", "valid", "blank",
                "invalid", "more_ballots", "fewer_ballots", "taken_home", "too_few_issued", "too_many_issued",
                "no_explanation", "other_explanation")


def _names(lists: list[CandidateLists], contest: str | None) -> tuple[dict[int, str], dict[CandidateKey, str]]:
    """List and candidate names from the 230b of the gemeente's contest (any, if unknown)."""
    chosen = [c for c in lists if contest in (None, "geen", c.contest_id)] or lists
    list_names: dict[int, str] = {}
    cand_names: dict[CandidateKey, str] = {}
    for doc in chosen[:1]:
        for pl in doc.lists:
            list_names[pl.number] = pl.name
            for c in pl.candidates:
                if c.number is not None:
                    cand_names[(pl.number, str(c.number), None)] = c.display_name
    return list_names, cand_names


def _skeleton_tally(tally_id: str | None, name: str | None, lists: CandidateLists) -> Tally:
    return Tally(
        id=tally_id,
        name=name,
        counts={k: 0 for k in STATION_KEYS},
        lists={pl.number: 0 for pl in lists.lists},
        candidates={(pl.number, str(c.number), None): 0 for pl in lists.lists for c in pl.candidates if c.number is not None},
    )


def from_count(count: CountFile, lists: list[CandidateLists]) -> tuple[CountFile, dict[CandidateKey, str]]:
    """Blank sheet with the units, lists and candidates of an existing 510b or OSV CSV."""
    if count.level is not Level.MUNICIPALITY:
        raise UsageError(f"{count.source} is a {count.level.value} count; a template is made for one gemeente (510b)")
    list_names, cand_names = _names(lists, count.contest_id)
    sheet = count.model_copy(update={"list_names": {**count.list_names, **list_names}})
    return sheet, {**count.candidate_names, **cand_names}


def from_definition(stations: PollingStations, lists: list[CandidateLists], definition: Definition | None) -> tuple[CountFile, dict[CandidateKey, str]]:
    """Blank sheet from the polling stations (110b) and candidate lists (230b)."""
    if not lists:
        raise UsageError("a template from a 110b also needs the candidate lists (230b)")
    list_names, cand_names = _names(lists, stations.contest_id)
    chosen = next((c for c in lists if c.contest_id in (None, "geen", stations.contest_id)), lists[0])
    authority = stations.authority_id
    units = [
        _skeleton_tally(f"{authority}::SB{s.number}", f"Stembureau {s.name}" + (f" (postcode: {s.postcode})" if s.postcode else ""), chosen)
        for s in stations.stations
    ]
    election = definition.election if definition else stations.election
    sheet = CountFile(
        source="template",
        kind="510b",
        level=Level.MUNICIPALITY,
        election=election,
        authority_id=authority,
        authority_name=election.domain_name if election.domain_id == authority else None,
        contest_id=stations.contest_id,
        list_names=list_names,
        total=_skeleton_tally(None, None, chosen),
        units=units,
    )
    return sheet, cand_names


def render(sheet: CountFile, names: dict[CandidateKey, str]) -> bytes:
    return osv_csv.write_osv_csv(sheet, candidate_names=names, blank=True)
