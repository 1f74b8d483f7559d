"""Readers for EML_NL files: 110a, 110b, 230b, 510a-d and 520 (EML_NL 1.2.x and 1.3).

Element order is not relied on except where the format defines it (a candidate ``Selection``
belongs to the affiliation ``Selection`` before it). Unknown elements are ignored, so newer
schema versions read as long as the elements we use keep their meaning.

510 files are read in chunks, one reporting unit at a time, so memory is bounded by the
largest unit, not by the file: the vote units straight from the bytes when the file has the
shape OSV and Abacus write (the byte lane, see ``_read_count_fast``), otherwise with lxml
(``_read_count_lxml``, streamed with ``iterparse`` + ``clear`` for big files).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import secrets
from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import IO, NamedTuple

from lxml import etree

from osv_verify.core.errors import InputError
from osv_verify.io import xmlsafe
from osv_verify.io.numbers import parse_count
from osv_verify.core.model import (
    Candidate,
    CandidateKey,
    CandidateLists,
    CountFile,
    Definition,
    ElectedCandidate,
    ElectionRef,
    Level,
    PartyList,
    PollingStations,
    Region,
    ResultFile,
    Station,
    Tally,
)

NS = {
    "eml": "urn:oasis:names:tc:evs:schema:eml",
    "kr": "http://www.kiesraad.nl/extensions",
    "xnl": "urn:oasis:names:tc:ciq:xsdschema:xNL:2.0",
    "xal": "urn:oasis:names:tc:ciq:xsdschema:xAL:2.0",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
}
E = "{%s}" % NS["eml"]
KR = "{%s}" % NS["kr"]

#: UncountedVotes ReasonCode -> model count key (EML_NL 1.2/1.3, OSV and Abacus).
UNCOUNTED_REASONS: dict[str, str] = {
    "geldige stempassen": "poll_cards",
    "geldige volmachtbewijzen": "proxy_certificates",
    "geldige kiezerspassen": "voter_cards",
    "toegelaten kiezers": "admitted",
    "meer getelde stembiljetten": "more_ballots",
    "minder getelde stembiljetten": "fewer_ballots",
    "meegenomen stembiljetten": "taken_home",
    "te weinig uitgereikte stembiljetten": "too_few_issued",
    "te veel uitgereikte stembiljetten": "too_many_issued",
    "geen briefstembiljetten": "no_postal_ballot",
    "te veel briefstembiljetten": "too_many_postal_ballots",
    "kwijtgeraakte stembiljetten": "lost_ballots",
    "geen verklaring": "no_explanation",
    "andere verklaring": "other_explanation",
}
REJECTED_REASONS: dict[str, str] = {"blanco": "blank", "ongeldig": "invalid"}

#: EML message id -> level of the file's own authority.
COUNT_LEVELS: dict[str, Level] = {
    "510a": Level.STATION,
    "510b": Level.MUNICIPALITY,
    "510c": Level.DISTRICT,
    "510d": Level.CENTRAL,
}
KNOWN_IDS = ("110a", "110b", "230b", "510a", "510b", "510c", "510d", "520")

# ---------------------------------------------------------------- small helpers


def _count(el: etree._Element, source: str, what: str | None = None) -> int:
    """The count in an element; the place for an error message is only built when needed."""
    text = el.text
    if text and len(text) <= 9 and text.isascii() and text.isdigit():
        return int(text)
    return parse_count(text, source, _where(el, what))


def _text(el: etree._Element | None) -> str | None:
    if el is None or el.text is None:
        return None
    t = el.text.strip()
    return t or None


def _find_text(el: etree._Element, path: str) -> str | None:
    return _text(el.find(path, NS))


def _date(text: str | None, source: str, where: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise InputError(source, f"date {text!r} is not YYYY-MM-DD", where, nl=f"datum {text!r} is niet JJJJ-MM-DD") from None


def _datetime(text: str | None, source: str, where: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(source, f"date-time {text!r} is not ISO 8601", where, nl=f"datum-tijd {text!r} is geen ISO 8601") from None


def _where(el: etree._Element, what: str | None = None) -> str:
    name = what or etree.QName(el).localname
    return f"line {el.sourceline}: {name}" if el.sourceline else name


def election_ref(el: etree._Element, source: str) -> ElectionRef:
    """Read an ``ElectionIdentifier`` element (children in any order)."""
    eid = el.get("Id")
    if not eid:
        raise InputError(source, "ElectionIdentifier has no Id", _where(el), nl="ElectionIdentifier heeft geen Id")
    domain = el.find("kr:ElectionDomain", NS)
    return ElectionRef(
        id=eid,
        name=_find_text(el, "eml:ElectionName"),
        category=_find_text(el, "eml:ElectionCategory"),
        subcategory=_find_text(el, "kr:ElectionSubcategory"),
        domain_id=domain.get("Id") if domain is not None else None,
        domain_name=_text(domain),
        date=_date(_find_text(el, "kr:ElectionDate"), source, _where(el, "kr:ElectionDate")),
    )


def _authority(root: etree._Element) -> tuple[str | None, str | None]:
    auth = root.find("eml:ManagingAuthority/eml:AuthorityIdentifier", NS)
    if auth is None:
        return None, None
    return auth.get("Id"), _text(auth)


def _candidate(el: etree._Element) -> Candidate:
    """A ``Candidate`` element of a 230b or 520."""
    ident = el.find("eml:CandidateIdentifier", NS)
    person = el.find("eml:CandidateFullName/xnl:PersonName", NS)
    number_text = ident.get("Id") if ident is not None else None
    fields: dict[str, str | None] = {}
    if person is not None:
        fields = {
            "initials": _find_text(person, "xnl:NameLine[@NameType='Initials']"),
            "first_name": _find_text(person, "xnl:FirstName"),
            "prefix": _find_text(person, "xnl:NamePrefix"),
            "last_name": _find_text(person, "xnl:LastName"),
        }
    gender = _find_text(el, "eml:Gender") or _find_text(el, "kr:GenderAnnex")
    locality = el.find("eml:QualifyingAddress//xal:LocalityName", NS)
    return Candidate(
        number=int(number_text) if number_text and number_text.isdigit() else None,
        short_code=ident.get("ShortCode") if ident is not None else None,
        gender=gender,
        locality=_text(locality),
        **fields,
    )


# ---------------------------------------------------------------- whole-document readers


def _election(root: etree._Element, path: str, kind: str, source: str) -> tuple[etree._Element, etree._Element]:
    """The ``Election`` element at ``path`` and its ``ElectionIdentifier``, or an input error."""
    election = root.find(path, NS)
    if election is None:
        raise InputError(source, f"{kind} without {path.replace('eml:', '')}", nl=f"{kind} zonder {path.replace('eml:', '')}")
    ident = election.find("eml:ElectionIdentifier", NS)
    if ident is None:
        raise InputError(source, f"{kind} without ElectionIdentifier", nl=f"{kind} zonder ElectionIdentifier")
    return election, ident


def _contest(election: etree._Element, kind: str, source: str) -> tuple[etree._Element, etree._Element | None]:
    """The ``Contest`` of an election and its ``ContestIdentifier`` (if any), or an input error."""
    contest = election.find("eml:Contest", NS)
    if contest is None:
        raise InputError(source, f"{kind} without Contest", nl=f"{kind} zonder Contest")
    return contest, contest.find("eml:ContestIdentifier", NS)


def read_definition(root: etree._Element, source: str) -> Definition:
    """110a: election, seats, preference threshold, region tree."""
    election, ident = _election(root, "eml:ElectionEvent/eml:Election", "110a", source)
    seats = _find_text(election, "kr:NumberOfSeats")
    threshold = _find_text(election, "kr:PreferenceThreshold")
    regions = tuple(
        Region(
            number=r.get("RegionNumber", ""),
            category=r.get("RegionCategory", ""),
            name=_find_text(r, "kr:RegionName") or "",
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
            if (t := _find_text(p, "kr:RegisteredAppellation"))
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
        mv = _find_text(contest, "eml:MaxVotes")
        max_votes = int(mv) if mv and mv.isascii() and mv.isdigit() else None
        for place in contest.iterfind("eml:PollingPlace", NS):
            ps = place.find("eml:PhysicalLocation/eml:PollingStation", NS)
            if ps is None:
                continue
            name = _find_text(place, ".//xal:LocalityName")
            postcode = _find_text(place, ".//xal:PostalCodeNumber")
            if name is None:  # old form: "Stembureau <name> (postcode: 1234 AB)" as address text
                old = _find_text(place, ".//xal:Address") or _find_text(place, ".//xal:AddressLine")
                if old:
                    name, _, rest = old.partition(" (postcode: ")
                    postcode = postcode or (rest.rstrip(")") or None)
            eligible = _text(ps)
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
            raise InputError(source, "Affiliation without AffiliationIdentifier", _where(aff),
                             nl="Affiliation zonder AffiliationIdentifier")
        n = parse_count(aid.get("Id"), source, _where(aid, "AffiliationIdentifier Id"))
        list_data = aff.find("kr:ListData", NS)
        party = PartyList(
            number=n,
            name=_find_text(aid, "eml:RegisteredName") or "",
            type=_find_text(aff, "eml:Type"),
            set_number=list_data.get("BelongsToSet") if list_data is not None else None,
            candidates=_candidates_of_list(aff, n, source),
        )
        if n in lists and lists[n] != party:  # an identical copy is harmless
            raise InputError(source, f"list {n} appears twice, with different content", _where(aid),
                             nl=f"lijst {n} staat er twee keer in, met verschillende inhoud")
        lists[n] = party
    auth_id, _ = _authority(root)
    return CandidateLists(
        source=source,
        election=election_ref(ident, source),
        authority_id=auth_id,
        contest_id=cid.get("Id") if cid is not None else None,
        contest_name=_find_text(cid, "eml:ContestName") if cid is not None else None,
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
            raise InputError(source, f"list {list_number}: candidate number {c.number} appears twice "
                                     f"({first} and {c.display_name})", _where(el),
                             nl=f"lijst {list_number}: kandidaatnummer {c.number} staat er twee keer in "
                                f"({first} en {c.display_name})")
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
                parse_count(aid.get("Id"), source, _where(aid, "AffiliationIdentifier Id")),
                _find_text(aid, "eml:RegisteredName") or "",
            )
            continue
        cand = sel.find("eml:Candidate", NS)
        if cand is None:
            continue
        if current is None:
            raise InputError(source, "candidate before any list", _where(sel), nl="kandidaat vóór de eerste lijst")
        if (_find_text(sel, "eml:Elected") or "yes").lower() != "yes":
            continue
        ranking = _find_text(sel, "eml:Ranking")
        elected.append(
            ElectedCandidate(
                list_number=current[0],
                list_name=current[1],
                candidate=_candidate(cand),
                ranking=int(ranking) if ranking and ranking.isdigit() else None,
            )
        )
    auth_id, _ = _authority(root)
    return ResultFile(
        source=source,
        election=election_ref(ident, source),
        authority_id=auth_id,
        contest_id=cid.get("Id") if cid is not None else None,
        created=_datetime(_find_text(root, "kr:CreationDateTime"), source, "kr:CreationDateTime"),
        elected=tuple(elected),
    )


WHOLE_READERS: dict[str, Callable[[etree._Element, str], object]] = {
    "110a": read_definition,
    "110b": read_polling_stations,
    "230b": read_candidate_lists,
    "520": read_result,
}


# ---------------------------------------------------------------- 510: counts


def _new_tally() -> Tally:
    return Tally.model_construct(
        id=None, name=None, counts={}, lists={}, candidates={}, investigations={}, initial={}, element=None
    )


def _read_unit(el: etree._Element, source: str, list_names: dict[int, str]) -> tuple[Tally, list]:
    """The reference reader of one ``TotalVotes``/``ReportingUnitVotes``: element by element,
    with a precise error for anything wrong.

    Also returns the key of each ``Selection`` in order (``("list", n)`` or a candidate key):
    the layout that the byte lane (below) applies to later units of the same shape.
    """
    tally = _new_tally()
    order: list = []
    current: int | None = None
    for child in el:
        tag = child.tag
        if tag != E + "Selection":
            _read_other(child, tally, source)
            continue
        parts: dict[str, list[etree._Element]] = {}
        for part in child:  # one pass over the Selection's children
            parts.setdefault(part.tag, []).append(part)
        votes = parts.get(E + "ValidVotes", ())
        if len(votes) != 1:
            if not votes:
                raise InputError(source, "Selection without ValidVotes", _where(child), nl="Selection zonder ValidVotes")
            raise InputError(source, "Selection with more than one ValidVotes", _where(child),
                             nl="Selection met meer dan één ValidVotes")
        first = child[0].tag
        initial = parts.get(KR + "InitialValidVotes")
        if first == E + "AffiliationIdentifier" and E + "Candidate" not in parts:
            affiliation = child[0]
            current = parse_count(affiliation.get("Id"), source, _where(affiliation, "AffiliationIdentifier Id"))
            if current in tally.lists:
                raise InputError(source, f"list {current} appears twice in one unit", _where(affiliation),
                                 nl=f"lijst {current} staat twee keer in één eenheid")
            field = f"list {current}"
            tally.lists[current] = _count(votes[0], source, f"ValidVotes of {field}")
            name = _find_text(affiliation, "eml:RegisteredName")
            if name:
                list_names.setdefault(current, name)
            order.append(("list", current))
        elif first == E + "Candidate" and E + "AffiliationIdentifier" not in parts:
            ident = child[0].find(E + "CandidateIdentifier")
            if ident is None:
                raise InputError(source, "Candidate without CandidateIdentifier", _where(child[0]),
                                 nl="Candidate zonder CandidateIdentifier")
            if current is None:
                raise InputError(source, "candidate votes before any list", _where(child[0]), nl="kandidaatstemmen vóór de eerste lijst")
            cid, code = ident.get("Id"), ident.get("ShortCode")
            if cid is None and code is None:
                raise InputError(source, "CandidateIdentifier without Id or ShortCode", _where(ident),
                                 nl="CandidateIdentifier zonder Id of ShortCode")
            key: CandidateKey = (current, cid, code)
            field = f"candidate {current}.{cid or code}"
            if key in tally.candidates:
                raise InputError(source, f"{field} appears twice in one unit", _where(ident), nl=f"{field} staat twee keer in één eenheid")
            tally.candidates[key] = _count(votes[0], source, f"ValidVotes of {field}")
            order.append(key)
        else:
            raise InputError(source, "Selection is neither one list nor one candidate", _where(child),
                             nl="Selection is geen lijst en geen kandidaat")
        if initial:  # a corrigendum (EML_NL 1.3): the value before the correction
            tally.initial[field] = _count(initial[0], source, f"kr:InitialValidVotes of {field}")
    return tally, order


#: The elements of a vote group that hold a count, by tag, with their local name; and their
#: corrigendum twins (EML_NL 1.3: ``kr:InitialCast`` ..., the value before the correction).
_COUNT_NAMES = ("Cast", "TotalCounted", "RejectedVotes", "UncountedVotes")
_COUNT_ELEMENTS = {E + name: name for name in _COUNT_NAMES}
_INITIAL_ELEMENTS = {KR + "Initial" + name: name for name in _COUNT_NAMES}


def _count_key(name: str, reason: str | None) -> str | None:
    """The model key of a ``Cast``/``TotalCounted``/``RejectedVotes``/``UncountedVotes``
    (local name) with its ReasonCode; None for a reason code this version does not know
    (ignored, not guessed)."""
    if name == "Cast":
        return "eligible"
    if name == "TotalCounted":
        return "valid"
    table = REJECTED_REASONS if name == "RejectedVotes" else UNCOUNTED_REASONS
    return table.get((reason or "").strip().lower())


def _read_other(child: etree._Element, tally: Tally, source: str) -> None:
    """Every child of a vote group that is not a ``Selection``."""
    tag = child.tag
    if tag == E + "ReportingUnitIdentifier":
        tally.id = child.get("Id")
        tally.name = _text(child)
        return
    if tag in _INITIAL_ELEMENTS:
        key = _count_key(_INITIAL_ELEMENTS[tag], child.get("ReasonCode"))
        if key is not None:
            tally.initial[key] = _count(child, source)
        return
    if tag == KR + "ReportingUnitInvestigations":
        for inv in child.iterfind("kr:Investigation", NS):
            value = (_text(inv) or "").lower()
            if value not in ("true", "false"):
                raise InputError(source, f"investigation value {value!r} is not true/false", _where(inv),
                                 nl=f"onderzoekswaarde {value!r} is niet true/false")
            tally.investigations[inv.get("ReasonCode", "")] = value == "true"
        return
    if tag not in _COUNT_ELEMENTS:
        return  # kr:ReportingUnitType, kr:SharedLocation and future extensions: not counts we check
    key = _count_key(_COUNT_ELEMENTS[tag], child.get("ReasonCode"))
    if key is None:
        return
    if key in tally.counts:
        name = etree.QName(child).localname
        raise InputError(source, f"{name} {key!r} appears twice in one unit", _where(child),
                         nl=f"{name} {key!r} staat twee keer in één eenheid")
    tally.counts[key] = _count(child, source)


class _CountBuilder:
    """Collects one 510 file, element by element or unit by unit, into a ``CountFile``.

    Both readers (the lxml one and the byte lane) feed it, so the rules about what a count file
    must hold live in one place.
    """

    def __init__(self, source: str, kind: str | None) -> None:
        self.source = source
        self.kind = kind
        self.election: ElectionRef | None = None
        self.authority: tuple[str | None, str | None] = (None, None)
        self.created: dt.datetime | None = None
        self.contest: tuple[str | None, str | None] | None = None
        self.total: Tally | None = None
        self.units: list[Tally] = []
        self.list_names: dict[int, str] = {}
        self.phase: str | None = None
        self.schema: str | None = None

    def root(self, el: etree._Element) -> None:
        self.kind = el.get("Id")
        if self.kind not in COUNT_LEVELS:
            raise InputError(self.source, f"EML Id {self.kind!r} is not a 510 count", nl=f"EML-Id {self.kind!r} is geen 510-telling")

    def header(self, el: etree._Element) -> None:
        """Any of the non-vote elements of ``_COUNT_TAGS``."""
        tag = el.tag
        if tag == E + "ElectionIdentifier":
            self.election = election_ref(el, self.source)
        elif tag == E + "ContestIdentifier":
            if self.contest is not None:
                raise InputError(self.source, "several Contests in one 510 are not supported", _where(el),
                                 nl="meerdere Contests in één 510 worden niet ondersteund")
            self.contest = (el.get("Id"), _find_text(el, "eml:ContestName"))
        elif tag == E + "ManagingAuthority":
            auth = el.find("eml:AuthorityIdentifier", NS)
            if auth is not None:
                self.authority = (auth.get("Id"), _text(auth))
        elif tag == KR + "CreationDateTime":
            self.created = _datetime(_text(el), self.source, _where(el))
        elif tag == KR + "Phase":
            self.phase = el.get("PhaseCode") or _text(el)
        elif tag == KR + "Schema":
            self.schema = el.get("Version") or _text(el)

    def add(self, tally: Tally, is_total: bool, line: int | None) -> None:
        name = "TotalVotes" if is_total else "ReportingUnitVotes"
        where = f"line {line}: {name}" if line else name
        tally.element = where + (f" {tally.id}" if tally.id else "")
        if self.contest is None:
            raise InputError(self.source, "votes outside a Contest", where, nl="stemmen buiten een Contest")
        if is_total:
            if self.total is not None:
                raise InputError(self.source, "a second TotalVotes (several contests in one file are not supported)", where,
                                 nl="een tweede TotalVotes (meerdere contests in één bestand worden niet ondersteund)")
            self.total = tally
        else:
            if not tally.id:
                raise InputError(self.source, "ReportingUnitVotes without ReportingUnitIdentifier Id", where,
                                 nl="ReportingUnitVotes zonder ReportingUnitIdentifier-Id")
            self.units.append(tally)  # a unit that appears twice is a finding (AGG.DUPLICATE_UNIT)

    def build(self) -> CountFile:
        if self.kind not in COUNT_LEVELS:
            raise InputError(self.source, "not a 510 count file", nl="geen 510-tellingsbestand")
        if self.election is None:
            raise InputError(self.source, "no ElectionIdentifier", nl="geen ElectionIdentifier")
        return CountFile(
            source=self.source,
            kind=self.kind,
            level=COUNT_LEVELS[self.kind],
            election=self.election,
            authority_id=self.authority[0],
            authority_name=self.authority[1],
            created=self.created,
            contest_id=self.contest[0] if self.contest else None,
            contest_name=self.contest[1] if self.contest else None,
            list_names=self.list_names,
            total=self.total,
            units=self.units,
            phase=self.phase,
            schema_version=self.schema,
        )


_COUNT_TAGS = (
    E + "EML",
    E + "ManagingAuthority",
    KR + "CreationDateTime",
    E + "ElectionIdentifier",
    E + "ContestIdentifier",
    E + "TotalVotes",
    E + "ReportingUnitVotes",
    KR + "Phase",
    KR + "Schema",
)
_VOTE_TAGS = (E + "TotalVotes", E + "ReportingUnitVotes")


def read_count(stream: IO[bytes], source: str, expect_kind: str | None = None) -> CountFile:
    """Read a 510a/b/c/d file into a ``CountFile``.

    The byte lane (``_read_count_fast``) reads the files as OSV and Abacus write them; any file
    it does not take (another layout, or anything wrong) is read again from the start by the
    lxml reader, which also names the exact place of every problem.
    """
    try:
        start = stream.tell()
        stream.seek(start)
    except (OSError, AttributeError, ValueError):
        stream = io.BytesIO(stream.read())  # not seekable: the lane needs a second chance
        start = 0
    fast = _read_count_fast(stream, source, expect_kind)
    if fast is not None:
        return fast
    stream.seek(start)
    return _read_count_lxml(stream, source, expect_kind)


#: Files up to this size are parsed whole (faster); larger ones are streamed unit by unit.
STREAM_ABOVE_BYTES = 48 * 1024**2


def _size(stream: IO[bytes]) -> int | None:
    try:
        pos = stream.tell()
        end = stream.seek(0, 2)
        stream.seek(pos)
        return end - pos
    except (OSError, AttributeError, ValueError):
        return None


def _nested(el: etree._Element, outer: etree._Element, source: str) -> InputError:
    name = etree.QName(el).localname
    where = etree.QName(outer).localname
    return InputError(source, f"{name} inside {where}: not the structure of a 510", _where(el),
                      nl=f"{name} binnen {where}: niet de opbouw van een 510")


def _tree_events(root: etree._Element, source: str) -> Iterator[tuple[str, etree._Element]]:
    """``_count_events`` of a parsed tree: the root's ``start``, then every element of
    ``_COUNT_TAGS`` in document order, as ``end``."""
    if root.tag == E + "EML":
        yield "start", root
    for el in root.iter(*_COUNT_TAGS):
        if el is root:
            continue
        outer = next((a for a in el.iterancestors(*_COUNT_TAGS) if a is not root), None)
        if el.tag == E + "EML" or outer is not None:
            raise _nested(el, outer if outer is not None else root, source)
        yield "end", el


def _count_events(stream: IO[bytes], source: str) -> Iterator[tuple[str, etree._Element]]:
    """``(event, element)`` for the 510 tags we use, from a whole parse or a stream.

    None of ``_COUNT_TAGS`` may stand inside another (apart from the root ``EML``): a file
    where one does is refused, whole or streamed alike. So the order in which they end is
    document order, and both ways read a file the same.
    """
    size = _size(stream)
    if size is not None and size <= STREAM_ABOVE_BYTES:
        yield from _tree_events(xmlsafe.parse(stream, source).getroot(), source)
        return
    open_: list[etree._Element] = []
    for event, el in xmlsafe.iterparse(stream, source, _COUNT_TAGS):
        if el.getparent() is None:  # the root
            if event == "start":
                yield event, el
            continue
        if event == "start":
            if open_ or el.tag == E + "EML":
                raise _nested(el, open_[-1] if open_ else el.getroottree().getroot(), source)
            open_.append(el)
            continue
        open_.pop()
        yield event, el


def _read_count_lxml(stream: IO[bytes], source: str, expect_kind: str | None) -> CountFile:
    """Read a 510 file with lxml, one unit at a time; big files streamed (memory bounded by a unit)."""
    counts = _CountBuilder(source, expect_kind)
    for event, el in _count_events(stream, source):
        if event == "start":
            if el.tag == E + "EML":
                counts.root(el)
            continue
        if el.tag in _VOTE_TAGS:
            tally, _ = _read_unit(el, source, counts.list_names)
            counts.add(tally, el.tag == E + "TotalVotes", el.sourceline)
            el.clear(keep_tail=False)
            while el.getprevious() is not None:
                del el.getparent()[0]
        else:
            counts.header(el)
    return counts.build()


# ------------------------------------------------- 510: the byte lane for the vote units
#
# Nearly all of a 510 file is ``Selection`` elements in one fixed shape. Building an lxml tree
# for them costs more than everything else osv-verify does, so the vote units of a file in the
# shape OSV and Abacus write are read straight from the bytes by a strict grammar (below).
# Exactness rests on three things:
# 1. Grammar: a unit is taken only if it matches the grammar completely and the units follow
#    each other with nothing but whitespace between them. The grammar admits no comments,
#    CDATA, character references, namespace declarations or unknown elements, so what it
#    matches is well-formed XML whose meaning is exactly what the regular expressions capture.
#    A unit's start and its counts are matched every time; its Selections (nearly all of it)
#    when their layout key (2) is new, because the same key means the same bytes apart from
#    the numbers.
# 2. Layout: the Selections of a unit with each vote number replaced by a NUL byte, with the
#    count of numbers, are its layout key. The first unit of each key in a run is checked by the grammar, parsed by lxml
#    and read by the reference reader ``_read_unit``, which checks it and gives the key of
#    every Selection. A later unit with the same key (as many numbers) is byte for byte that
#    unit with other numbers in the same places (a checked key has no NUL of its own), so it
#    matches the grammar and its numbers belong to the same lists and candidates.
# 3. Skeleton: the file with the units cut out (and a marker element, in a namespace new each
#    time, in their place) is parsed by lxml with the safe parser; the marker must be a child of
#    the Contest, straight after the ContestIdentifier, with the EML (and, if used, kr)
#    namespace in scope, and no other vote element may be left. So the whole file is
#    well-formed, safe, and the units stand where the lxml reader would read them.
# 4. Limits: values, gaps, depth and line numbers stay far inside what libxml2 accepts and
#    records exactly (see the caps below), so its limits never decide a file the lane takes.
# Anything else (and any error at all) sends the file to the lxml reader.

#: Whitespace only between units: inside one, the grammar takes the files as OSV and Abacus
#: write them (pretty-printed files go the lxml way).
_W = rb"[ \t\r\n]*+"
#: Attribute values and texts are short in real files (names of some dozens of characters); the
#: caps keep the lane far from libxml2's own limits, which longer ones are left to.
_ATTR = rb'[^"<&\x00-\x1f]{0,4096}+'
_TEXT = rb"(?:[^<>&\x00-\x1f]|&(?:amp|lt|gt|quot|apos);){0,4096}+"
_NUM = rb"(?:0|[1-9][0-9]{0,8})"  # <= numbers.MAX_COUNT; leading zeros and the rest go the lxml way
_SELECTION = (
    rb"<Selection><(?:Candidate><CandidateIdentifier"
    + rb'(?: Id="' + _ATTR + rb'")?(?: ShortCode="' + _ATTR + rb'")?(?:/>|></CandidateIdentifier>)</Candidate>'
    + rb'|AffiliationIdentifier Id="' + _ATTR + rb'"><RegisteredName>' + _TEXT + rb"</RegisteredName></AffiliationIdentifier>)"
    + rb"<ValidVotes>" + _NUM + rb"</ValidVotes></Selection>"
)
_INVESTIGATIONS = (
    rb"<kr:ReportingUnitInvestigations>"
    + rb'(?:<kr:Investigation ReasonCode="' + _ATTR + rb'">(?:true|false)</kr:Investigation>)*+'
    + rb"</kr:ReportingUnitInvestigations>"
)
_OTHER = (
    rb"<Cast>" + _NUM + rb"</Cast>|<TotalCounted>" + _NUM + rb"</TotalCounted>"
    + rb'|<RejectedVotes ReasonCode="' + _ATTR + rb'">' + _NUM + rb"</RejectedVotes>"
    + rb'|<UncountedVotes ReasonCode="' + _ATTR + rb'">' + _NUM + rb"</UncountedVotes>|" + _INVESTIGATIONS
)
_UNIT_HEAD = re.compile(
    _W + rb"(?P<tag><)(?:TotalVotes>|ReportingUnitVotes>"
    + rb'<ReportingUnitIdentifier Id="(?P<id>' + _ATTR + rb')">(?P<name>' + _TEXT + rb")</ReportingUnitIdentifier>)"
)
_SELECTIONS = re.compile(rb"(?:" + _SELECTION + rb")*+")
_OTHERS = re.compile(rb"(?:" + _OTHER + rb")*+")
_SELECTION_END = b"</Selection>"
_VALUES = re.compile(rb"<ValidVotes>(" + _NUM + rb")</ValidVotes>")
_COUNT_VALUES = re.compile(
    rb"<(" + "|".join(_COUNT_NAMES).encode() + rb')(?: ReasonCode="(' + _ATTR + rb')")?>(' + _NUM + rb")<"
)
_INVESTIGATION_VALUES = re.compile(rb'<kr:Investigation ReasonCode="(' + _ATTR + rb')">(true|false)<')
_BODY_START = re.compile(rb"<(?:TotalVotes|ReportingUnitVotes)>")
_UNIT_ENDS = (b"</TotalVotes>", b"</ReportingUnitVotes>")
_ENTITIES = {b"&amp;": b"&", b"&lt;": b"<", b"&gt;": b">", b"&quot;": b'"', b"&apos;": b"'"}
_ENTITY = re.compile(rb"&(?:amp|lt|gt|quot|apos);")
#: Whitespace between units longer than this, a unit deeper than this, or a line number past
#: what libxml2 records exactly (16 bits): left to the lxml reader, whose limits and line
#: numbers then decide. Real files are one line without whitespace at depth 6.
_MAX_GAP = 65_536
_MAX_DEPTH = 32
_MAX_LINE = 65_535
_WRAP = ('<ReportingUnitVotes xmlns="%s" xmlns:kr="%s">' % (NS["eml"], NS["kr"])).encode()
#: Bytes read at a time; memory is bounded by this plus the largest unit.
LANE_CHUNK_BYTES = 16 * 1024**2
_LANE_HEADER_MAX_BYTES = 1024**2  # the part before the first unit is about 1 kB in real files

class Layout(NamedTuple):
    """Which number of a unit's Selections belongs to which list or candidate."""

    list_numbers: tuple[int, ...]
    list_positions: tuple[int, ...]
    candidate_keys: tuple[CandidateKey, ...]
    candidate_positions: tuple[int, ...]
    list_names: tuple[tuple[int, str], ...]  # as the reference reader found them


#: Layouts by key, shared by the files of a run (a national election's 350 gemeente files use
#: about 20 layouts, one per kieskring); a key is exact bytes, so sharing cannot mix them up.
_LAYOUTS: dict[tuple[int, bytes], Layout] = {}
_LAYOUTS_KEPT = 64


class _NotInLane(Exception):
    """The file is not in the shape the byte lane reads; the lxml reader takes it."""


def _decode(raw: bytes) -> str:
    """Text or attribute value as lxml gives it (the grammar admits only the five entities)."""
    if b"&" in raw:
        raw = _ENTITY.sub(lambda m: _ENTITIES[m.group()], raw)
    text = raw.decode("utf-8")  # UnicodeDecodeError: not in the lane
    if "\ufffe" in text or "\uffff" in text:
        raise _NotInLane("not an XML character")
    return text


@functools.lru_cache(maxsize=256)
def _count_field(tag: bytes, reason: bytes) -> str | None:
    return _count_key(tag.decode(), _decode(reason) if reason else None)


def _layout_of(selections: bytes, source: str) -> Layout:
    """Read a unit's Selections with the reference reader; return which key each value has."""
    root = xmlsafe.parse(io.BytesIO(_WRAP + selections + b"</ReportingUnitVotes>"), source).getroot()
    names: dict[int, str] = {}
    _, order = _read_unit(root, source, names)
    lists = [(i, k[1]) for i, k in enumerate(order) if k[0] == "list"]
    cands = [(i, k) for i, k in enumerate(order) if k[0] != "list"]
    return Layout(tuple(n for _, n in lists), tuple(i for i, _ in lists), tuple(k for _, k in cands),
                  tuple(i for i, _ in cands), tuple(names.items()))


def _read_unit_bytes(selections: bytes, others: bytes, head: re.Match, source: str, list_names: dict[int, str]) -> Tally:
    """One unit of the lane: its Selections (not yet checked), its counts and its head (both
    matched by the grammar)."""
    parts = _VALUES.split(selections)  # the bytes between the numbers, and the numbers
    nums = list(map(int, parts[1::2]))
    key = (len(nums), b"\x00".join(parts[0::2]))  # NUL marks where each number stood
    layout = _LAYOUTS.get(key)
    if layout is None:
        if not _SELECTIONS.fullmatch(selections):
            raise _NotInLane("Selections not in the grammar")
        layout = _layout_of(selections, source)
        if len(_LAYOUTS) >= _LAYOUTS_KEPT:
            _LAYOUTS.clear()
        _LAYOUTS[key] = layout
    list_numbers, list_positions, cand_keys, cand_positions, names = layout
    for number_, name in names:
        list_names.setdefault(number_, name)
    tally = _new_tally()
    tally.lists = dict(zip(list_numbers, [nums[i] for i in list_positions]))
    if cand_positions:
        picked = itemgetter(*cand_positions)(nums)
        tally.candidates = dict(zip(cand_keys, picked if len(cand_positions) > 1 else (picked,)))
    counts = tally.counts
    for tag, reason, value in _COUNT_VALUES.findall(others):
        field = _count_field(tag, reason)
        if field is None:
            continue
        if field in counts:
            raise _NotInLane("a count twice")  # the lxml reader names it
        counts[field] = int(value)
    if b"<kr:" in others:
        for reason, value in _INVESTIGATION_VALUES.findall(others):
            tally.investigations[_decode(reason)] = value == b"true"
    ident = head.group("id")
    if ident is not None:
        tally.id = _decode(ident)
        tally.name = _decode(head.group("name")).strip() or None  # as ``_text``
    return tally


def _read_count_fast(stream: IO[bytes], source: str, expect_kind: str | None) -> CountFile | None:
    """The byte lane (see above); None when the file is not in its shape or anything is wrong."""
    counts = _CountBuilder(source, expect_kind)
    pending: list[tuple[Tally, bool, int]] = []
    try:
        buf = b""
        while (first := _BODY_START.search(buf)) is None:
            chunk = stream.read(LANE_CHUNK_BYTES)
            if not chunk or len(buf) > _LANE_HEADER_MAX_BYTES:
                return None  # no votes, or a huge header: the lxml reader
            buf += chunk
        header, buf = buf[: first.start()], buf[first.start():]
        line = 1 + header.count(b"\n")
        uses_kr = False
        while True:
            end = max((i + len(tag) for tag in _UNIT_ENDS if (i := buf.rfind(tag)) >= 0), default=0)
            pos = 0
            while pos < end:
                head = _UNIT_HEAD.match(buf, pos, end)
                if head is None:
                    return None
                is_total = head.group("id") is None
                closing = _UNIT_ENDS[0] if is_total else _UNIT_ENDS[1]
                close = buf.find(closing, head.end(), end)
                if close < 0:
                    return None
                cut = buf.rfind(_SELECTION_END, head.end(), close)
                cut = head.end() if cut < 0 else cut + len(_SELECTION_END)
                others = buf[cut:close]
                if not _OTHERS.fullmatch(others):
                    return None
                if head.start("tag") - pos > _MAX_GAP:
                    return None
                line += buf.count(b"\n", pos, head.start("tag"))  # whitespace before; none inside a unit
                if line > _MAX_LINE:
                    return None
                tally = _read_unit_bytes(buf[head.end():cut], others, head, source, counts.list_names)
                pending.append((tally, is_total, line))
                uses_kr = uses_kr or b"<kr:" in others
                pos = close + len(closing)
            chunk = stream.read(LANE_CHUNK_BYTES)
            if not chunk:
                break
            buf = buf[pos:] + chunk
        # a namespace no file can know in advance: a marker of the file's own cannot pass for it
        marker_ns = f"urn:osv-verify:units-were-here:{secrets.token_hex(16)}"
        marker_xml = f'<m:units xmlns:m="{marker_ns}"/>'.encode()
        tree = xmlsafe.parse(io.BytesIO(header + marker_xml + buf[pos:]), source)
        if (tree.docinfo.encoding or "").upper() not in ("UTF-8", "UTF8"):
            return None
        root = tree.getroot()
        markers = list(root.iter("{%s}units" % marker_ns))
        if root.tag != E + "EML" or len(markers) != 1:
            return None  # e.g. the marker fell inside a comment, CDATA or processing instruction
        marker = markers[0]
        if sum(1 for _ in marker.iterancestors()) > _MAX_DEPTH:
            return None
        contest, before = marker.getparent(), marker.getprevious()
        if (contest is None or contest.tag != E + "Contest" or before is None or before.tag != E + "ContestIdentifier"
                or marker.getnext() is not None or contest.nsmap.get(None) != NS["eml"]
                or (uses_kr and contest.nsmap.get("kr") != NS["kr"])):
            return None
        for event, el in _tree_events(root, source):  # as the lxml reader would read the rest
            if event == "start":
                counts.root(el)
            elif el.tag in _VOTE_TAGS:
                return None  # a vote element the grammar did not take: the lxml reader reads it
            else:
                counts.header(el)
        for tally, is_total, at in pending:
            counts.add(tally, is_total, at)
        return counts.build()
    except (_NotInLane, InputError, UnicodeDecodeError):
        return None


def read_document(stream: IO[bytes], source: str, kind: str) -> object:
    """Read an EML document of a known kind (from ``peek``)."""
    if kind in COUNT_LEVELS:
        return read_count(stream, source, kind)
    if kind not in WHOLE_READERS:
        known = ", ".join(KNOWN_IDS)
        raise InputError(source, f"EML message {kind!r} is not supported (supported: {known})",
                         nl=f"EML-bericht {kind!r} wordt niet ondersteund (wel: {known})")
    tree = xmlsafe.parse(stream, source)
    return WHOLE_READERS[kind](tree.getroot(), source)


def peek(stream: IO[bytes], source: str) -> tuple[str, ElectionRef | None, str | None]:
    """Classify an EML file by content, reading only its header.

    Returns the message Id (``510b`` ...), the election and the managing authority's Id.
    """
    kind: str | None = None
    authority: str | None = None
    tags = (E + "EML", E + "AuthorityIdentifier", E + "ElectionIdentifier")
    for event, el in xmlsafe.iterparse(stream, source, tags):
        if event == "start" and el.tag == E + "EML":
            kind = el.get("Id")
            if not kind:
                raise InputError(source, "EML root without Id", nl="EML-root zonder Id")
        elif event == "end" and el.tag == E + "AuthorityIdentifier" and authority is None:
            authority = el.get("Id")
        elif event == "end" and el.tag == E + "ElectionIdentifier":
            return kind or "?", election_ref(el, source), authority
    if kind is None:
        raise InputError(source, "not an EML_NL file (no EML root in namespace urn:oasis:names:tc:evs:schema:eml)",
                         nl="geen EML_NL-bestand (geen EML-root in namespace urn:oasis:names:tc:evs:schema:eml)")
    return kind, None, authority
