"""Writers for the municipal files as Abacus publishes them for PS/AB 2027: the 510b in EML_NL 1.3
(or rust-eml-nl's "1.3.1") and the exported 110b station list (abacus-2027.md §2.2-§2.5).

Style, unlike the OSV2020-U files of ``eml_write``: an XML declaration, two-space indentation,
self-closing empty elements, a final newline; ``xmlns:rg`` and ``xmlns:xsi`` declared, no
``ds:CanonicalizationMethod``; ``kr:CreationDateTime`` with its UTC offset (``created`` must be
timezone-aware); ``ContestIdentifier Id="geen"`` whatever the kieskring; blank before invalid;
only the counts Abacus keeps (no explanation counts since Abacus #3766).

New in 1.3, written from the model and from ``AbacusStyle``: ``kr:Schema``, ``kr:CountingMethod``,
``kr:Phase`` (the count's ``phase``), ``kr:ReportingUnitType``, ``kr:SharedLocation``,
``kr:ReportingUnitInvestigations`` (CSO first session only, the one code Abacus writes), and a
corrigendum's twins from ``Tally.initial``: ``kr:Initial*`` (EML_NL 1.3: the first session's
value; ``kr:Phase`` after ``EventIdentifier``) or ``kr:Previous*`` (version "1.3.1": the previous
session's value; ``kr:Phase`` before ``EventIdentifier``). The twins stand where the 1.3 schema
puts them: ``InitialValidVotes`` right before its ``ValidVotes``, the other twins of a vote group
before the group of elements they correct (both ``RejectedVotes`` follow both twins).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from osv_verify.core.model import CountFile, ElectionRef, Station, Tally
from osv_verify.devtools.eml_write import count_text, element, text

NAMESPACES = (
    'xmlns="urn:oasis:names:tc:evs:schema:eml" '
    'xmlns:kr="http://www.kiesraad.nl/extensions" '
    'xmlns:rg="http://www.kiesraad.nl/reportgenerator" '
    'xmlns:xal="urn:oasis:names:tc:ciq:xsdschema:xAL:2.0" '
    'xmlns:xnl="urn:oasis:names:tc:ciq:xsdschema:xNL:2.0" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)
#: schema version -> the prefix of its corrigendum twins
TWINS = {"1.3": "Initial", "1.3.1": "Previous"}
REJECTED = (("blank", "blanco"), ("invalid", "ongeldig"))
UNCOUNTED = (
    ("poll_cards", "geldige stempassen"),
    ("proxy_certificates", "geldige volmachtbewijzen"),
    ("voter_cards", "geldige kiezerspassen"),
    ("admitted", "toegelaten kiezers"),
    ("more_ballots", "meer getelde stembiljetten"),
    ("fewer_ballots", "minder getelde stembiljetten"),
)
COUNTING_METHODS = ("centrale stemopneming", "decentrale stemopneming")
UNIT_TYPES = ("FixedLocation", "Mobile", "Special")
#: the investigation Abacus writes for every station of a central count's first session
CSO_INVESTIGATION = "toegelaten kiezers opnieuw vastgesteld"


@dataclass(frozen=True)
class AbacusStyle:
    """What an Abacus 510b says beyond the counts."""

    counting_method: str  # one of COUNTING_METHODS
    version: str = "1.3"  # a key of TWINS
    unit_types: Mapping[str, str] = field(default_factory=dict)  # unit id -> one of UNIT_TYPES
    shared: frozenset[str] = frozenset()  # unit ids at a location shared with another station

    def __post_init__(self) -> None:
        if self.counting_method not in COUNTING_METHODS or self.version not in TWINS:
            raise ValueError(f"counting method {self.counting_method!r} or version {self.version!r} unknown")
        if set(self.unit_types.values()) - set(UNIT_TYPES):
            raise ValueError(f"unit types must be among {', '.join(UNIT_TYPES)}")


class _Lines:
    """Pretty-printed XML, two spaces per level."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.depth = 0

    def open(self, tag: str, **attrs: object) -> None:
        self.out.append("  " * self.depth + element(tag, **attrs)[: -len(f"</{tag}>")])
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.out.append("  " * self.depth + f"</{tag}>")

    def leaf(self, tag: str, content: str | None = None, **attrs: object) -> None:
        xml = element(tag, content, **attrs)
        if content is None:
            xml = xml[: -len(f"></{tag}>")] + "/>"
        self.out.append("  " * self.depth + xml)

    def bytes(self) -> bytes:
        return ('<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(self.out) + "\n").encode("utf-8")


def _timestamp(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("an Abacus timestamp carries its UTC offset: give a timezone-aware datetime")
    return value.isoformat(timespec="milliseconds")


def _election(x: _Lines, ref: ElectionRef) -> None:
    x.open("ElectionIdentifier", Id=ref.id)
    for tag, value in (("ElectionName", ref.name), ("ElectionCategory", ref.category),
                       ("kr:ElectionSubcategory", ref.subcategory)):
        if value is not None:
            x.leaf(tag, text(value))
    if ref.domain_id is not None or ref.domain_name is not None:
        x.leaf("kr:ElectionDomain", text(ref.domain_name) if ref.domain_name else None, Id=ref.domain_id)
    if ref.date is not None:
        x.leaf("kr:ElectionDate", ref.date.isoformat())
    x.close("ElectionIdentifier")


def _header(x: _Lines, kind: str, authority_id: str | None, authority_name: str | None, version: str,
            created: dt.datetime) -> None:
    x.out.append(f'<EML {NAMESPACES} Id="{kind}" SchemaVersion="5">')
    x.depth = 1
    x.leaf("TransactionId", "1")
    x.open("ManagingAuthority")
    x.leaf("AuthorityIdentifier", text(authority_name) if authority_name else None, Id=authority_id)
    x.leaf("AuthorityAddress")
    x.close("ManagingAuthority")
    x.leaf("kr:Schema", Version=version)
    x.leaf("kr:CreationDateTime", _timestamp(created))


def _votes(x: _Lines, t: Tally, list_names: Mapping[int, str], twin: str, investigated: bool) -> None:
    before = t.initial
    by_list: dict[int, list[tuple[str | None, int]]] = {n: [] for n in t.lists}
    for (lst, position, _code), votes in t.candidates.items():
        by_list.setdefault(lst, []).append((position, votes))
    for number in sorted(by_list):
        x.open("Selection")
        x.open("AffiliationIdentifier", Id=number)
        x.leaf("RegisteredName", text(list_names[number]) if list_names.get(number) else None)
        x.close("AffiliationIdentifier")
        _twin(x, twin, "ValidVotes", before.get(f"list {number}"))
        x.leaf("ValidVotes", count_text(t.lists[number], f"list {number}"))
        x.close("Selection")
        for position, votes in by_list[number]:
            x.open("Selection")
            x.open("Candidate")
            x.leaf("CandidateIdentifier", Id=position)
            x.close("Candidate")
            _twin(x, twin, "ValidVotes", before.get(f"candidate {number}.{position}"))
            x.leaf("ValidVotes", count_text(votes, f"candidate {number}.{position}"))
            x.close("Selection")
    c = t.counts
    for key, tag in (("eligible", "Cast"), ("valid", "TotalCounted")):
        _twin(x, twin, tag, before.get(key))
        x.leaf(tag, count_text(c[key], tag))
    for group, tag in ((REJECTED, "RejectedVotes"), (UNCOUNTED, "UncountedVotes")):
        for key, code in group:
            _twin(x, twin, tag, before.get(key), ReasonCode=code)
        for key, code in group:
            if key in c:
                x.leaf(tag, count_text(c[key], code), ReasonCode=code)
    if investigated:
        x.open("kr:ReportingUnitInvestigations")
        x.leaf("kr:Investigation", "false", ReasonCode=CSO_INVESTIGATION)
        x.close("kr:ReportingUnitInvestigations")


def _twin(x: _Lines, twin: str, tag: str, value: int | None, **attrs: object) -> None:
    if value is not None:
        x.leaf(f"kr:{twin}{tag}", count_text(value, f"{twin}{tag}"), **attrs)


def write_abacus_count(count: CountFile, style: AbacusStyle) -> bytes:
    """A municipal 510b as Abacus writes it; ``count.phase`` is ``eerste zitting`` or
    ``corrigendum`` (twins only in a corrigendum), ``count.created`` timezone-aware."""
    if count.kind != "510b" or count.created is None or count.total is None:
        raise ValueError("an Abacus count is a 510b with a creation time and a total")
    if count.phase not in ("eerste zitting", "corrigendum"):
        raise ValueError(f"phase {count.phase!r} is not 'eerste zitting' or 'corrigendum'")
    corrigendum = count.phase == "corrigendum"
    if not corrigendum and (count.total.initial or any(u.initial for u in count.units)):
        raise ValueError("earlier values belong in a corrigendum only")
    twin = TWINS[style.version]
    x = _Lines()
    _header(x, "510b", count.authority_id, count.authority_name, style.version, count.created)
    x.open("Count")
    x.leaf("kr:CountingMethod", MethodCode=style.counting_method)
    phase_first = twin == "Previous"  # rust-eml-nl writes kr:Phase before EventIdentifier
    if phase_first:
        x.leaf("kr:Phase", PhaseCode=count.phase)
    x.leaf("EventIdentifier")
    if not phase_first:
        x.leaf("kr:Phase", PhaseCode=count.phase)
    x.open("Election")
    _election(x, count.election)
    x.open("Contests")
    x.open("Contest")
    x.leaf("ContestIdentifier", Id="geen")
    cso_first = style.counting_method == "centrale stemopneming" and not corrigendum
    x.open("TotalVotes")
    _votes(x, count.total, count.list_names, twin, False)
    x.close("TotalVotes")
    for u in count.units:
        if not u.id:
            raise ValueError("a reporting unit needs an Id")
        x.open("ReportingUnitVotes")
        x.leaf("ReportingUnitIdentifier", text(u.name) if u.name else None, Id=u.id)
        x.leaf("kr:ReportingUnitType", style.unit_types.get(u.id, "FixedLocation"))
        if u.id in style.shared:
            x.leaf("kr:SharedLocation", "true")
        _votes(x, u, count.list_names, twin, cso_first)
        x.close("ReportingUnitVotes")
    for tag in ("Contest", "Contests", "Election", "Count"):
        x.close(tag)
    x.depth = 0
    x.out.append("</EML>")
    return x.bytes()


def write_abacus_stations(election: ElectionRef, authority_id: str, authority_name: str,
                          stations: Sequence[Station], created: dt.datetime,
                          unit_types: Mapping[str, str] | None = None) -> bytes:
    """The 110b Abacus exports (``Stembureaus_...``): one ``PollingPlace`` per station with its
    locality name, postcode, number (``PollingStation Id``, its eligible voters as text) and ``kr:ReportingUnitType``; ``unit_types`` by station number."""
    x = _Lines()
    _header(x, "110b", authority_id, authority_name, "1.3", created)
    x.open("ElectionEvent")
    x.leaf("EventIdentifier")
    x.open("Election")
    _election(x, election)
    x.open("Contest")
    x.leaf("ContestIdentifier", Id="geen")
    x.open("ReportingUnit")
    x.leaf("ReportingUnitIdentifier", text(authority_name), Id=authority_id)
    x.close("ReportingUnit")
    x.leaf("VotingMethod", "SPV")
    x.leaf("MaxVotes", "1")
    for s in stations:
        x.open("PollingPlace", Channel="polling")
        x.open("PhysicalLocation")
        x.open("Address")
        x.open("Locality")
        x.leaf("xal:LocalityName", text(s.name))
        if s.postcode:
            x.open("xal:PostalCode")
            x.leaf("xal:PostalCodeNumber", text(s.postcode))
            x.close("xal:PostalCode")
        x.close("Locality")
        x.close("Address")
        if s.eligible is None:
            raise ValueError(f"station {s.number}: a 110b gives its eligible voters")
        x.leaf("PollingStation", count_text(s.eligible, "eligible voters"), Id=s.number)
        x.leaf("kr:ReportingUnitType", (unit_types or {}).get(s.number, "FixedLocation"))
        x.close("PhysicalLocation")
        x.close("PollingPlace")
    for tag in ("Contest", "Election", "ElectionEvent"):
        x.close(tag)
    x.depth = 0
    x.out.append("</EML>")
    return x.bytes()
