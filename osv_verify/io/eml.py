"""Readers for EML_NL files: 110a, 110b, 230b, 510a-d and 520 (EML_NL 1.2.x and 1.3).

Element order is not relied on except where the format defines it (a candidate ``Selection``
belongs to the affiliation ``Selection`` before it). Unknown elements are ignored, so newer
schema versions read as long as the elements we use keep their meaning.

510 files are streamed one reporting unit at a time (``iterparse`` + ``clear``), so memory
is bounded by the largest unit, not by the file (see ``_read_unit`` for how a unit is read
quickly and exactly).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import IO

from lxml import etree

from osv_verify.errors import InputError
from osv_verify.io import xmlsafe
from osv_verify.model import (
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

#: No published count comes near this; anything larger is a broken or hostile file.
MAX_COUNT = 999_999_999


# ---------------------------------------------------------------- small helpers


def number(text: str | None, source: str, where: str) -> int:
    """A count: ASCII digits only, 0 <= n <= 999 999 999."""
    t = (text or "").strip()
    if not (t.isascii() and t.isdigit()):
        raise InputError(source, f"count {text!r} is not a whole non-negative number", where)
    digits = t.lstrip("0") or "0"
    n = int(digits) if len(digits) <= 12 else MAX_COUNT + 1  # never int() thousands of digits
    if n > MAX_COUNT:
        raise InputError(source, f"count {t[:15]}{'...' if len(t) > 15 else ''} is larger than any real count (max {MAX_COUNT})", where)
    return n


def _count(el: etree._Element, source: str, what: str | None = None) -> int:
    """The count in an element; the place for an error message is only built when needed."""
    text = el.text
    if text and len(text) <= 9 and text.isascii() and text.isdigit():
        return int(text)
    return number(text, source, _where(el, what))


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
        raise InputError(source, f"date {text!r} is not YYYY-MM-DD", where) from None


def _datetime(text: str | None, source: str, where: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(source, f"date-time {text!r} is not ISO 8601", where) from None


def _where(el: etree._Element, what: str | None = None) -> str:
    name = what or etree.QName(el).localname
    return f"line {el.sourceline}: {name}" if el.sourceline else name


def election_ref(el: etree._Element, source: str) -> ElectionRef:
    """Read an ``ElectionIdentifier`` element (children in any order)."""
    eid = el.get("Id")
    if not eid:
        raise InputError(source, "ElectionIdentifier has no Id", _where(el))
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
        raise InputError(source, f"{kind} without {path.replace('eml:', '')}")
    ident = election.find("eml:ElectionIdentifier", NS)
    if ident is None:
        raise InputError(source, f"{kind} without ElectionIdentifier")
    return election, ident


def _contest(election: etree._Element, kind: str, source: str) -> tuple[etree._Element, etree._Element | None]:
    """The ``Contest`` of an election and its ``ContestIdentifier`` (if any), or an input error."""
    contest = election.find("eml:Contest", NS)
    if contest is None:
        raise InputError(source, f"{kind} without Contest")
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
        seats=number(seats, source, "kr:NumberOfSeats") if seats else None,
        preference_threshold=number(threshold, source, "kr:PreferenceThreshold") if threshold else None,
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
    lists: list[PartyList] = []
    seen: set[int] = set()
    for aff in contest.iterfind("eml:Affiliation", NS):
        aid = aff.find("eml:AffiliationIdentifier", NS)
        if aid is None:
            raise InputError(source, "Affiliation without AffiliationIdentifier", _where(aff))
        n = number(aid.get("Id"), source, _where(aid, "AffiliationIdentifier Id"))
        if n in seen:
            raise InputError(source, f"list {n} appears twice", _where(aid))
        seen.add(n)
        list_data = aff.find("kr:ListData", NS)
        lists.append(
            PartyList(
                number=n,
                name=_find_text(aid, "eml:RegisteredName") or "",
                type=_find_text(aff, "eml:Type"),
                set_number=list_data.get("BelongsToSet") if list_data is not None else None,
                candidates=tuple(_candidate(c) for c in aff.iterfind("eml:Candidate", NS)),
            )
        )
    auth_id, _ = _authority(root)
    return CandidateLists(
        source=source,
        election=election_ref(ident, source),
        authority_id=auth_id,
        contest_id=cid.get("Id") if cid is not None else None,
        contest_name=_find_text(cid, "eml:ContestName") if cid is not None else None,
        lists=tuple(lists),
    )


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
                number(aid.get("Id"), source, _where(aid, "AffiliationIdentifier Id")),
                _find_text(aid, "eml:RegisteredName") or "",
            )
            continue
        cand = sel.find("eml:Candidate", NS)
        if cand is None:
            continue
        if current is None:
            raise InputError(source, "candidate before any list", _where(sel))
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


# ---------------------------------------------------------------- 510: counts, streamed


#: Selections of exactly an identifier (list or candidate) and a ValidVotes; anything more (a
#: corrigendum's kr:InitialValidVotes, say) sends the unit to the careful reader.
X_REGULAR_COUNT = etree.XPath(
    "count(eml:Selection[count(*) = 2 and count(eml:ValidVotes) = 1 and "
    "count(eml:AffiliationIdentifier) + count(eml:Candidate/eml:CandidateIdentifier) = 1])",
    namespaces=NS,
)
X_OTHERS = etree.XPath("*[not(self::eml:Selection)]", namespaces=NS)
X_VALUES = etree.XPath("eml:Selection/eml:ValidVotes/text()", namespaces=NS, smart_strings=False)
X_CANDIDATE_IDS = etree.XPath("eml:Selection/eml:Candidate/eml:CandidateIdentifier/@Id", namespaces=NS, smart_strings=False)
X_AFFILIATIONS = etree.XPath("eml:Selection/eml:AffiliationIdentifier", namespaces=NS)
X_CANDIDATE_CODES = etree.XPath(
    "eml:Selection/eml:Candidate/eml:CandidateIdentifier/@ShortCode", namespaces=NS, smart_strings=False
)
X_SELECTION_ENDS = etree.XPath("eml:Selection[1] | eml:Selection[last()]", namespaces=NS)
_AFFILIATION = E + "AffiliationIdentifier"
#: (tag, ReasonCode) -> count key, for the common case of the fast path.
_COUNT_KEYS: dict[tuple[str, str | None], str] = {
    (E + "Cast", None): "eligible",
    (E + "TotalCounted", None): "valid",
    **{(E + "RejectedVotes", code): key for code, key in REJECTED_REASONS.items()},
    **{(E + "UncountedVotes", code): key for code, key in UNCOUNTED_REASONS.items()},
}
_CANDIDATE = E + "CandidateIdentifier"

#: A unit layout: list numbers and their value positions, candidate keys and theirs.
Layout = tuple[tuple[int, ...], tuple[int, ...], tuple[CandidateKey, ...], tuple[int, ...]]


def _new_tally() -> Tally:
    return Tally.model_construct(
        id=None, name=None, counts={}, lists={}, candidates={}, investigations={}, initial={}, element=None
    )


def _signature(el: etree._Element, n: int) -> tuple | None:
    """The exact list/candidate layout of a unit, cheaply, or None if it is irregular.

    Every ``Selection`` must hold exactly one identifier and one ``ValidVotes`` (counted in
    C), and the Selections must stand together (no other element between them; so there are
    no other Selections either). Then the
    lists' Ids with the position of their ``Selection``, and the candidates' Ids and
    ShortCodes in document order, fix which value belongs to which list or candidate.
    """
    if int(X_REGULAR_COUNT(el)) != n:
        return None
    affiliations = X_AFFILIATIONS(el)
    cand_ids = X_CANDIDATE_IDS(el)
    if len(affiliations) + len(cand_ids) != n:
        return None  # also: a candidate without Id (national totals) is read the slow way
    ends = X_SELECTION_ENDS(el)
    if n and el.index(ends[-1]) - el.index(ends[0]) != n - 1:
        return None  # something stands between the Selections
    codes = X_CANDIDATE_CODES(el)
    if len(codes) not in (0, len(cand_ids)):
        return None  # only some candidates with a ShortCode: they would not align
    offset = el.index(ends[0]) if n else 0
    lists = tuple((a.get("Id"), el.index(a.getparent()) - offset) for a in affiliations)
    return lists, tuple(cand_ids), tuple(codes)


def _layout(order: list) -> Layout:
    lists = [(i, k[1]) for i, k in enumerate(order) if k[0] == "list"]
    cands = [(i, k) for i, k in enumerate(order) if k[0] != "list"]
    return (tuple(n for _, n in lists), tuple(i for i, _ in lists), tuple(k for _, k in cands), tuple(i for i, _ in cands))


def _read_unit(el: etree._Element, source: str, list_names: dict[int, str], layouts: dict[tuple, Layout]) -> Tally:
    """Read one ``TotalVotes``/``ReportingUnitVotes``.

    Units of one file nearly always share their list/candidate layout. The first unit of a
    layout is read element by element (``_read_unit_slowly``, the reference reader, which also
    names the exact place of any problem); every later unit with the same exact signature
    only has its values read (C-level ``iter``) and zipped onto the known keys. Anything
    irregular (a missing value, a stray element, a bad number) goes the slow way.
    """
    values = X_VALUES(el)  # an empty ValidVotes has no text node: the counts then differ
    n = len(values)
    joined = "".join(values)
    sig = _signature(el, n) if joined.isascii() and joined.isdigit() else None
    layout = layouts.get(sig) if sig is not None else None
    nums: list[int] = []
    if layout is not None and "" not in values:
        try:
            nums = list(map(int, values))  # digits only, checked above; Python refuses > 4300 digits
        except ValueError:
            nums = []
    if not nums or max(nums) > MAX_COUNT:
        tally, order = _read_unit_slowly(el, source, list_names)
        if sig is not None:
            layouts[sig] = _layout(order)
        return tally
    list_numbers, list_positions, cand_keys, cand_positions = layout
    tally = _new_tally()
    tally.lists = dict(zip(list_numbers, [nums[i] for i in list_positions]))
    if cand_positions:
        picked = itemgetter(*cand_positions)(nums)
        tally.candidates = dict(zip(cand_keys, picked if len(cand_positions) > 1 else (picked,)))
    counts = tally.counts
    for child in X_OTHERS(el):
        key = _COUNT_KEYS.get((child.tag, child.get("ReasonCode")))
        text = child.text
        if key is None or key in counts or not (text and len(text) <= 9 and text.isascii() and text.isdigit()):
            _read_other(child, tally, source)  # everything else, and every problem, the careful way
        else:
            counts[key] = int(text)
    return tally


def _read_unit_slowly(el: etree._Element, source: str, list_names: dict[int, str]) -> tuple[Tally, list]:
    """The reference reader: element by element, with a precise error for anything wrong.

    Also returns the key of each ``Selection`` in order (``("list", n)`` or a candidate key).
    """
    tally = _new_tally()
    order: list = []
    current: int | None = None
    for child in el:
        tag = child.tag
        if tag != E + "Selection":
            _read_other(child, tally, source)
            continue
        votes_el = child.find("eml:ValidVotes", NS)
        if votes_el is None:
            raise InputError(source, "Selection without ValidVotes", _where(child))
        if len(child.findall("eml:ValidVotes", NS)) > 1:
            raise InputError(source, "Selection with more than one ValidVotes", _where(child))
        first = child[0] if len(child) else None
        if first is not None and first.tag == _AFFILIATION and child.find("eml:Candidate", NS) is None:
            current = number(first.get("Id"), source, _where(first, "AffiliationIdentifier Id"))
            if current in tally.lists:
                raise InputError(source, f"list {current} appears twice in one unit", _where(first))
            tally.lists[current] = _count(votes_el, source, f"ValidVotes of list {current}")
            _initial_votes(child, tally, f"list {current}", source)
            name = _find_text(first, "eml:RegisteredName")
            if name:
                list_names.setdefault(current, name)
            order.append(("list", current))
        elif first is not None and first.tag == E + "Candidate" and child.find("eml:AffiliationIdentifier", NS) is None:
            ident = first.find("eml:CandidateIdentifier", NS)
            if ident is None:
                raise InputError(source, "Candidate without CandidateIdentifier", _where(first))
            if current is None:
                raise InputError(source, "candidate votes before any list", _where(first))
            cid, code = ident.get("Id"), ident.get("ShortCode")
            if cid is None and code is None:
                raise InputError(source, "CandidateIdentifier without Id or ShortCode", _where(ident))
            key: CandidateKey = (current, cid, code)
            if key in tally.candidates:
                raise InputError(source, f"candidate {current}.{cid or code} appears twice in one unit", _where(ident))
            tally.candidates[key] = _count(votes_el, source, f"ValidVotes of candidate {current}.{cid or code}")
            _initial_votes(child, tally, f"candidate {current}.{cid or code}", source)
            order.append(key)
        else:
            raise InputError(source, "Selection is neither one list nor one candidate", _where(child))
    return tally, order


_INITIAL = {
    KR + "InitialCast": "eligible",
    KR + "InitialTotalCounted": "valid",
    KR + "InitialRejectedVotes": None,  # by ReasonCode
    KR + "InitialUncountedVotes": None,
}


def _initial_votes(selection: etree._Element, tally: Tally, field: str, source: str) -> None:
    initial = selection.find("kr:InitialValidVotes", NS)
    if initial is not None:
        tally.initial[field] = _count(initial, source, f"kr:InitialValidVotes of {field}")


def _read_other(child: etree._Element, tally: Tally, source: str) -> None:
    """Every child of a vote group that is not a ``Selection``."""
    tag = child.tag
    if tag == E + "ReportingUnitIdentifier":
        tally.id = child.get("Id")
        tally.name = _text(child)
        return
    if tag in _INITIAL:  # a corrigendum (EML_NL 1.3): the value before the correction
        base = _INITIAL[tag]
        key = base if base else (REJECTED_REASONS if tag == KR + "InitialRejectedVotes" else UNCOUNTED_REASONS).get(
            child.get("ReasonCode", "").strip().lower())
        if key is not None:
            tally.initial[key] = _count(child, source)
        return
    if tag == E + "Cast":
        key = "eligible"
    elif tag == E + "TotalCounted":
        key = "valid"
    elif tag in (E + "RejectedVotes", E + "UncountedVotes"):
        reason = child.get("ReasonCode", "")
        table = REJECTED_REASONS if tag == E + "RejectedVotes" else UNCOUNTED_REASONS
        key = table.get(reason.strip().lower())
        if key is None:
            return  # a reason code this version does not know: ignored, not guessed
    elif tag == KR + "ReportingUnitInvestigations":
        for inv in child.iterfind("kr:Investigation", NS):
            value = (_text(inv) or "").lower()
            if value not in ("true", "false"):
                raise InputError(source, f"investigation value {value!r} is not true/false", _where(inv))
            tally.investigations[inv.get("ReasonCode", "")] = value == "true"
        return
    else:
        return  # kr:ReportingUnitType, kr:SharedLocation and future extensions: not counts we check
    if key in tally.counts:
        raise InputError(source, f"{etree.QName(child).localname} {key!r} appears twice in one unit", _where(child))
    tally.counts[key] = _count(child, source)


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


def _count_events(stream: IO[bytes], source: str) -> Iterator[tuple[str, etree._Element]]:
    """``(event, element)`` for the 510 tags we use, from a whole parse or a stream.

    None of ``_COUNT_TAGS`` nests inside another (apart from the root, which only gets a
    ``start``), so document order is also the order in which they end.
    """
    size = _size(stream)
    if size is None or size > STREAM_ABOVE_BYTES:
        yield from xmlsafe.iterparse(stream, source, _COUNT_TAGS)
        return
    root = xmlsafe.parse(stream, source).getroot()
    if root.tag == E + "EML":
        yield "start", root
    for el in root.iter(*_COUNT_TAGS[1:]):
        yield "end", el


def read_count(stream: IO[bytes], source: str, expect_kind: str | None = None) -> CountFile:
    """Stream a 510a/b/c/d file into a ``CountFile``."""
    kind = expect_kind
    election: ElectionRef | None = None
    authority: tuple[str | None, str | None] = (None, None)
    created = None
    contest: tuple[str | None, str | None] | None = None
    total: Tally | None = None
    units: list[Tally] = []
    list_names: dict[int, str] = {}
    layouts: dict[tuple, Layout] = {}
    phase = schema = None
    for event, el in _count_events(stream, source):
        tag = el.tag
        if event == "start":
            if tag == E + "EML":
                kind = el.get("Id")
                if kind not in COUNT_LEVELS:
                    raise InputError(source, f"EML Id {kind!r} is not a 510 count")
            continue
        if tag in (E + "ReportingUnitVotes", E + "TotalVotes"):
            if contest is None:
                raise InputError(source, "votes outside a Contest", _where(el))
            tally = _read_unit(el, source, list_names, layouts)
            tally.element = f"line {el.sourceline}: {etree.QName(el).localname}" + (f" {tally.id}" if tally.id else "")
            if tag == E + "TotalVotes":
                if total is not None:
                    raise InputError(source, "a second TotalVotes (several contests in one file are not supported)", _where(el))
                total = tally
            else:
                if not tally.id:
                    raise InputError(source, "ReportingUnitVotes without ReportingUnitIdentifier Id", _where(el))
                units.append(tally)  # a unit that appears twice is a finding (AGG.DUPLICATE_UNIT)
            el.clear(keep_tail=False)
            while el.getprevious() is not None:
                del el.getparent()[0]
        elif tag == E + "ElectionIdentifier":
            election = election_ref(el, source)
        elif tag == E + "ContestIdentifier":
            if contest is not None:
                raise InputError(source, "several Contests in one 510 are not supported", _where(el))
            contest = (el.get("Id"), _find_text(el, "eml:ContestName"))
        elif tag == E + "ManagingAuthority":
            auth = el.find("eml:AuthorityIdentifier", NS)
            if auth is not None:
                authority = (auth.get("Id"), _text(auth))
        elif tag == KR + "CreationDateTime":
            created = _datetime(_text(el), source, _where(el))
        elif tag == KR + "Phase":
            phase = el.get("PhaseCode") or _text(el)
        elif tag == KR + "Schema":
            schema = el.get("Version") or _text(el)
    if kind not in COUNT_LEVELS:
        raise InputError(source, "not a 510 count file")
    if election is None:
        raise InputError(source, "no ElectionIdentifier")
    return CountFile(
        source=source,
        kind=kind,
        level=COUNT_LEVELS[kind],
        election=election,
        authority_id=authority[0],
        authority_name=authority[1],
        created=created,
        contest_id=contest[0] if contest else None,
        contest_name=contest[1] if contest else None,
        list_names=list_names,
        total=total,
        units=units,
        phase=phase,
        schema_version=schema,
    )


def read_document(stream: IO[bytes], source: str, kind: str) -> object:
    """Read an EML document of a known kind (from ``peek``)."""
    if kind in COUNT_LEVELS:
        return read_count(stream, source, kind)
    if kind not in WHOLE_READERS:
        raise InputError(source, f"EML message {kind!r} is not supported (supported: {', '.join(KNOWN_IDS)})")
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
                raise InputError(source, "EML root without Id")
        elif event == "end" and el.tag == E + "AuthorityIdentifier" and authority is None:
            authority = el.get("Id")
        elif event == "end" and el.tag == E + "ElectionIdentifier":
            return kind or "?", election_ref(el, source), authority
    if kind is None:
        raise InputError(source, "not an EML_NL file (no EML root in namespace urn:oasis:names:tc:evs:schema:eml)")
    return kind, None, authority
