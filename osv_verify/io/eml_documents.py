"""Readers for the EML_NL documents read whole: 110a, 110b, 230b and 520 (EML_NL 1.2.x and 1.3).

Element order is not relied on except where the format defines it (a candidate ``Selection``
belongs to the affiliation ``Selection`` before it). Unknown elements are ignored, so newer
schema versions read as long as the elements we use keep their meaning.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from osv_verify.io.numbers import ascii_digits
from osv_verify.core.errors import InputError
from osv_verify.core.text import Text
from osv_verify.core.model import (
    Candidate,
    CandidateLists,
    Definition,
    ElectedCandidate,
    PartyList,
    PollingStations,
    Region,
    ResultFile,
    Station,
)
from osv_verify.io.eml_common import NS, election_ref, find_text, parse_datetime, place_of, text_of
from osv_verify.io.numbers import parse_count


def _authority(root: etree._Element) -> tuple[str | None, str | None]:
    auth = root.find("eml:ManagingAuthority/eml:AuthorityIdentifier", NS)
    if auth is None:
        return None, None
    return auth.get("Id"), text_of(auth)


def _candidate(el: etree._Element) -> Candidate:
    """A ``Candidate`` element of a 230b or 520."""
    ident = el.find("eml:CandidateIdentifier", NS)
    person = el.find("eml:CandidateFullName/xnl:PersonName", NS)
    number_text = ident.get("Id") if ident is not None else None
    fields: dict[str, str | None] = {}
    if person is not None:
        fields = {
            "initials": find_text(person, "xnl:NameLine[@NameType='Initials']"),
            "first_name": find_text(person, "xnl:FirstName"),
            "prefix": find_text(person, "xnl:NamePrefix"),
            "last_name": find_text(person, "xnl:LastName"),
        }
    gender = find_text(el, "eml:Gender") or find_text(el, "kr:GenderAnnex")
    locality = el.find("eml:QualifyingAddress//xal:LocalityName", NS)
    return Candidate(
        number=int(number_text) if ascii_digits(number_text) else None,
        short_code=ident.get("ShortCode") if ident is not None else None,
        gender=gender,
        locality=text_of(locality),
        **fields,
    )


def _election(root: etree._Element, path: str, kind: str, source: str) -> tuple[etree._Element, etree._Element]:
    """The ``Election`` element at ``path`` and its ``ElectionIdentifier``, or an input error."""
    election = root.find(path, NS)
    if election is None:
        raise InputError(source, Text(f"{kind} zonder {path.replace('eml:', '')}",
                                      f"{kind} without {path.replace('eml:', '')}"))
    ident = election.find("eml:ElectionIdentifier", NS)
    if ident is None:
        raise InputError(source, Text(f"{kind} zonder ElectionIdentifier", f"{kind} without ElectionIdentifier"))
    return election, ident


def _contest(election: etree._Element, kind: str, source: str) -> tuple[etree._Element, etree._Element | None]:
    """The ``Contest`` of an election and its ``ContestIdentifier`` (if any), or an input error."""
    contest = election.find("eml:Contest", NS)
    if contest is None:
        raise InputError(source, Text(f"{kind} zonder Contest", f"{kind} without Contest"))
    return contest, contest.find("eml:ContestIdentifier", NS)


def read_definition(root: etree._Element, source: str) -> Definition:
    """110a: election, seats, preference threshold, region tree."""
    election, ident = _election(root, "eml:ElectionEvent/eml:Election", "110a", source)
    seats = find_text(election, "kr:NumberOfSeats")
    threshold = find_text(election, "kr:PreferenceThreshold")
    regions = tuple(
        Region(
            number=r.get("RegionNumber", ""),
            category=r.get("RegionCategory", ""),
            name=find_text(r, "kr:RegionName") or "",
            superior_number=r.get("SuperiorRegionNumber"),
            superior_category=r.get("SuperiorRegionCategory"),
        )
        for r in election.iterfind("kr:ElectionTree/kr:Region", NS)
    )
    contest = election.find("eml:Contest/eml:ContestIdentifier", NS)
    return Definition(
        source=source,
        election=election_ref(ident, source),
        seats=parse_count(seats, source, "kr:NumberOfSeats") if seats else None,
        preference_threshold=parse_count(threshold, source, "kr:PreferenceThreshold") if threshold else None,
        contest_id=contest.get("Id") if contest is not None else None,
        regions=regions,
        parties=tuple(
            t for p in election.iterfind("kr:RegisteredParties/kr:RegisteredParty", NS)
            if (t := find_text(p, "kr:RegisteredAppellation"))
        ),
    )


def read_polling_stations(root: etree._Element, source: str) -> PollingStations:
    """110b, leniently: missing MaxVotes, odd numbers and the old xal:Address form are accepted."""
    election, ident = _election(root, "eml:ElectionEvent/eml:Election", "110b", source)
    contest = election.find("eml:Contest", NS)
    stations: list[Station] = []
    max_votes = None
    contest_id = None
    authority_id = None
    if contest is not None:
        cid = contest.find("eml:ContestIdentifier", NS)
        contest_id = cid.get("Id") if cid is not None else None
        ru = contest.find("eml:ReportingUnit/eml:ReportingUnitIdentifier", NS)
        authority_id = ru.get("Id") if ru is not None else None
        mv = find_text(contest, "eml:MaxVotes")
        max_votes = int(mv) if mv and mv.isascii() and mv.isdigit() else None
        for place in contest.iterfind("eml:PollingPlace", NS):
            ps = place.find("eml:PhysicalLocation/eml:PollingStation", NS)
            if ps is None:
                continue
            name = find_text(place, ".//xal:LocalityName")
            postcode = find_text(place, ".//xal:PostalCodeNumber")
            if name is None:  # old form: "Stembureau <name> (postcode: 1234 AB)" as address text
                old = find_text(place, ".//xal:Address") or find_text(place, ".//xal:AddressLine")
                if old:
                    name, _, rest = old.partition(" (postcode: ")
                    postcode = postcode or (rest.rstrip(")") or None)
            eligible = text_of(ps)
            stations.append(
                Station(
                    number=ps.get("Id", ""),
                    name=name or "",
                    postcode=postcode,
                    eligible=int(eligible) if eligible and eligible.isascii() and eligible.isdigit() else None,
                    channel=place.get("Channel"),
                )
            )
    return PollingStations(
        source=source,
        election=election_ref(ident, source),
        authority_id=authority_id,
        contest_id=contest_id,
        max_votes=max_votes,
        stations=tuple(stations),
    )


def read_candidate_lists(root: etree._Element, source: str) -> CandidateLists:
    """230b: the lists and candidates of one contest."""
    election, ident = _election(root, "eml:CandidateList/eml:Election", "230b", source)
    contest, cid = _contest(election, "230b", source)
    lists: dict[int, PartyList] = {}
    for aff in contest.iterfind("eml:Affiliation", NS):
        aid = aff.find("eml:AffiliationIdentifier", NS)
        if aid is None:
            raise InputError(source, Text("Affiliation zonder AffiliationIdentifier",
                                          "Affiliation without AffiliationIdentifier"), place_of(aff))
        n = parse_count(aid.get("Id"), source, place_of(aid, "AffiliationIdentifier Id"))
        list_data = aff.find("kr:ListData", NS)
        party = PartyList(
            number=n,
            name=find_text(aid, "eml:RegisteredName") or "",
            type=find_text(aff, "eml:Type"),
            set_number=list_data.get("BelongsToSet") if list_data is not None else None,
            candidates=_candidates_of_list(aff, n, source),
        )
        if n in lists and lists[n] != party:  # an identical copy is harmless
            raise InputError(source, Text(f"lijst {n} staat er twee keer in, met verschillende inhoud",
                                          f"list {n} appears twice, with different content"), place_of(aid))
        lists[n] = party
    auth_id, _ = _authority(root)
    return CandidateLists(
        source=source,
        election=election_ref(ident, source),
        authority_id=auth_id,
        contest_id=cid.get("Id") if cid is not None else None,
        contest_name=find_text(cid, "eml:ContestName") if cid is not None else None,
        lists=tuple(lists.values()),
    )


def _candidates_of_list(aff: etree._Element, list_number: int, source: str) -> tuple[Candidate, ...]:
    """The candidates of one 230b list in list order; a candidate number twice for different
    people is an input error (an identical copy is harmless): the names would be ambiguous."""
    candidates: list[Candidate] = []
    by_number: dict[int, Candidate] = {}
    for el in aff.iterfind("eml:Candidate", NS):
        c = _candidate(el)
        if c.number is None:
            candidates.append(c)
        elif c.number not in by_number:
            candidates.append(by_number.setdefault(c.number, c))
        elif by_number[c.number] != c:
            first = by_number[c.number].display_name
            raise InputError(source, Text(f"lijst {list_number}: kandidaatnummer {c.number} staat er twee keer in "
                                          f"({first} en {c.display_name})",
                                          f"list {list_number}: candidate number {c.number} appears twice "
                                          f"({first} and {c.display_name})"), place_of(el))
    return tuple(candidates)


def read_result(root: etree._Element, source: str) -> ResultFile:
    """520: elected candidates per list, in the order the file gives them."""
    election, ident = _election(root, "eml:Result/eml:Election", "520", source)
    contest, cid = _contest(election, "520", source)
    elected: list[ElectedCandidate] = []
    current: tuple[int, str] | None = None
    for sel in contest.iterfind("eml:Selection", NS):
        aid = sel.find("eml:AffiliationIdentifier", NS)
        if aid is not None:
            current = (
                parse_count(aid.get("Id"), source, place_of(aid, "AffiliationIdentifier Id")),
                find_text(aid, "eml:RegisteredName") or "",
            )
            continue
        cand = sel.find("eml:Candidate", NS)
        if cand is None:
            continue
        if current is None:
            raise InputError(source, Text("kandidaat vóór de eerste lijst", "candidate before any list"), place_of(sel))
        if (find_text(sel, "eml:Elected") or "yes").lower() != "yes":
            continue
        ranking = find_text(sel, "eml:Ranking")
        elected.append(
            ElectedCandidate(
                list_number=current[0],
                list_name=current[1],
                candidate=_candidate(cand),
                ranking=int(ranking) if ascii_digits(ranking) else None,
            )
        )
    auth_id, _ = _authority(root)
    return ResultFile(
        source=source,
        election=election_ref(ident, source),
        authority_id=auth_id,
        contest_id=cid.get("Id") if cid is not None else None,
        created=parse_datetime(find_text(root, "kr:CreationDateTime"), source, "kr:CreationDateTime"),
        elected=tuple(elected),
    )


WHOLE_READERS: dict[str, Callable[[etree._Element, str], object]] = {
    "110a": read_definition,
    "110b": read_polling_stations,
    "230b": read_candidate_lists,
    "520": read_result,
}
