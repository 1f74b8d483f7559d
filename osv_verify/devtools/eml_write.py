"""Writers for EML_NL files in the style the Kiesraad publishes: 110a, 230b and 520 here, the
510a-d counts in ``eml_write_counts``; the escaping and the parts they share here.

The inverse of ``osv_verify.io.eml``: reading the written bytes back gives the same model
(``source`` and ``Tally.element`` excepted, which the reader sets from where it read).

Style, as in the published files (``Telling_GR2026_Vlieland``, ``Totaaltelling_TK2021`` ...):

* 230b, 510 and 520 are in canonical form (C14N with comments, as OSV saves them): no XML
  declaration, one line, no final newline, namespace declarations first and sorted, then the
  attributes sorted, empty elements written as ``<X></X>``, never self-closing;
* the 110a is written as OSV's P0 writes it: XML declaration, four-space indentation,
  self-closing empty elements, a final newline (``Verkiezingsdefinitie_TK2021``).

Numbers outside 0..999 999 999 and text that XML cannot hold are ``ValueError``: the reader
would refuse them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence

from osv_verify.core.model import Candidate, CandidateLists, Definition, ElectionRef, Region, ResultFile
from osv_verify.io.numbers import MAX_COUNT

NAMESPACES = (
    'xmlns="urn:oasis:names:tc:evs:schema:eml" '
    'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" '
    'xmlns:kr="http://www.kiesraad.nl/extensions" '
    'xmlns:xal="urn:oasis:names:tc:ciq:xsdschema:xAL:2.0" '
    'xmlns:xnl="urn:oasis:names:tc:ciq:xsdschema:xNL:2.0"'
)
#: The 110a (P0) declares its namespaces in this order and only these four.
NAMESPACES_110A = (
    'xmlns:xnl="urn:oasis:names:tc:ciq:xsdschema:xNL:2.0" '
    'xmlns="urn:oasis:names:tc:evs:schema:eml" '
    'xmlns:xal="urn:oasis:names:tc:ciq:xsdschema:xAL:2.0" '
    'xmlns:kr="http://www.kiesraad.nl/extensions"'
)
CANONICALIZATION = (
    '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments">'
    "</ds:CanonicalizationMethod>"
)

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# ---------------------------------------------------------------- escaping and small parts


def _check(value: str) -> str:
    if _ILLEGAL.search(value):
        raise ValueError(f"text {value!r} contains a character XML cannot hold")
    return value


def text(value: object) -> str:
    """Character data escaped as C14N does (``&``, ``<``, ``>``, carriage return)."""
    s = _check(str(value))
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    if "\r" in s:
        s = s.replace("\r", "&#xD;")
    return s


def attr(value: object) -> str:
    """An attribute value escaped as C14N does (``&``, ``<``, ``"``, tab, newline, CR)."""
    s = _check(str(value))
    for a, b in (("&", "&amp;"), ("<", "&lt;"), ('"', "&quot;"), ("\t", "&#x9;"), ("\n", "&#xA;"), ("\r", "&#xD;")):
        if a in s:
            s = s.replace(a, b)
    return s


def element(tag: str, content: str | None = None, **attrs: object) -> str:
    """``<tag a="..">content</tag>``; attributes with value None are left out, the rest sorted."""
    a = "".join(f' {k}="{attr(v)}"' for k, v in sorted(attrs.items()) if v is not None)
    return f"<{tag}{a}>{content or ''}</{tag}>"


def count_text(n: int, what: str) -> str:
    """A count as the reader accepts it (a whole number in 0..MAX_COUNT), or ``ValueError`` naming ``what``."""
    if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= MAX_COUNT:
        raise ValueError(f"{what}: {n!r} is not a count in 0..{MAX_COUNT}")
    return str(n)


def datetime_text(value: dt.datetime) -> str:
    """``2026-03-19T09:12:45.482`` (milliseconds, as OSV writes) when that is exact."""
    if value.microsecond % 1000 == 0:
        return value.isoformat(timespec="milliseconds")
    return value.isoformat()


def header(kind: str, authority_id: str | None, authority_name: str | None, created: dt.datetime | None,
            *, issue_date: dt.date | None = None, schema_version: str | None = None) -> str:
    parts = [f'<EML {NAMESPACES} Id="{kind}" SchemaVersion="5"><TransactionId>1</TransactionId>']
    if authority_id is not None or authority_name is not None:
        parts.append(
            "<ManagingAuthority>"
            + element("AuthorityIdentifier", text(authority_name) if authority_name else None, Id=authority_id)
            + "<AuthorityAddress></AuthorityAddress></ManagingAuthority>"
        )
    if issue_date is not None:
        parts.append(element("IssueDate", issue_date.isoformat()))
    if schema_version is not None:
        parts.append(element("kr:Schema", None, Version=schema_version))
    if created is not None:
        parts.append(element("kr:CreationDateTime", datetime_text(created)))
    parts.append(CANONICALIZATION)
    return "".join(parts)


def election_identifier(ref: ElectionRef, nomination_date: dt.date | None = None) -> str:
    """The ``ElectionIdentifier`` block (children in the published order)."""
    parts = []
    if ref.name is not None:
        parts.append(element("ElectionName", text(ref.name)))
    if ref.category is not None:
        parts.append(element("ElectionCategory", text(ref.category)))
    if ref.subcategory is not None:
        parts.append(element("kr:ElectionSubcategory", text(ref.subcategory)))
    if ref.domain_id is not None or ref.domain_name is not None:
        parts.append(element("kr:ElectionDomain", text(ref.domain_name) if ref.domain_name else None, Id=ref.domain_id))
    if ref.date is not None:
        parts.append(element("kr:ElectionDate", ref.date.isoformat()))
    if nomination_date is not None:
        parts.append(element("kr:NominationDate", nomination_date.isoformat()))
    return element("ElectionIdentifier", "".join(parts), Id=ref.id)


def contest_identifier(contest_id: str | None, contest_name: str | None) -> str:
    return element("ContestIdentifier", element("ContestName", text(contest_name)) if contest_name else None, Id=contest_id)


def _person(c: Candidate, *, always_prefix: bool) -> str:
    names = []
    if c.initials is not None:
        names.append(element("xnl:NameLine", text(c.initials), NameType="Initials"))
    if c.first_name is not None:
        names.append(element("xnl:FirstName", text(c.first_name)))
    if c.prefix is not None or always_prefix:
        names.append(element("xnl:NamePrefix", text(c.prefix) if c.prefix else None))
    if c.last_name is not None:
        names.append(element("xnl:LastName", text(c.last_name)))
    return element("CandidateFullName", element("xnl:PersonName", "".join(names))) if any(
        v is not None for v in (c.initials, c.first_name, c.prefix, c.last_name)
    ) else ""


@functools.lru_cache(maxsize=4096)
def candidate_element(c: Candidate, *, always_prefix: bool = False) -> str:
    """A ``Candidate`` of a 230b (``always_prefix=False``) or a 520 (empty NamePrefix kept)."""
    ident = element("CandidateIdentifier", None, Id=c.number, ShortCode=c.short_code)
    body = ident + _person(c, always_prefix=always_prefix)
    if c.gender is not None:
        body += element("Gender", text(c.gender))
    if c.locality is not None:
        body += "<QualifyingAddress><xal:Locality>" + element("xal:LocalityName", text(c.locality)) + "</xal:Locality></QualifyingAddress>"
    return element("Candidate", body)

# ---------------------------------------------------------------- 230b


def write_candidate_lists(
    lists: CandidateLists,
    *,
    authority_name: str | None = None,
    issue_date: dt.date | None = None,
    created: dt.datetime | None = None,
    nomination_date: dt.date | None = None,
    publication_language: str = "nl",
) -> bytes:
    """A 230b: the lists and candidates of one contest (municipality or kieskring).

    The model has no authority name, dates or publication language; pass them here.
    ``kr:ListData PublishGender`` is ``true`` when any candidate of the list has a gender.
    """
    parts = [header("230b", lists.authority_id, authority_name, created, issue_date=issue_date)]
    parts.append(f"<CandidateList><Election>{election_identifier(lists.election, nomination_date)}<Contest>")
    parts.append(contest_identifier(lists.contest_id, lists.contest_name))
    for pl in lists.lists:
        aff = element("AffiliationIdentifier", element("RegisteredName", text(pl.name) if pl.name else None), Id=pl.number)
        if pl.type is not None:
            aff += element("Type", text(pl.type))
        aff += element(
            "kr:ListData", None, BelongsToSet=pl.set_number, PublicationLanguage=publication_language,
            PublishGender="true" if any(c.gender for c in pl.candidates) else "false",
        )
        aff += "".join(candidate_element(c) for c in pl.candidates)
        parts.append(element("Affiliation", aff))
    parts.append("</Contest></Election></CandidateList></EML>")
    return "".join(parts).encode("utf-8")


# ---------------------------------------------------------------- 520


def write_result(result: ResultFile, *, authority_name: str | None = None) -> bytes:
    """A 520: per list with seats its ``Selection`` (``Elected`` yes), then its elected
    candidates in the order given (OSV: by new list position), each with ``Ranking``
    (1 = elected on preference votes, 2 = otherwise) when known.

    Candidates of one list must be consecutive in ``result.elected``.
    """
    parts = [header("520", result.authority_id, authority_name, result.created)]
    parts.append(f"<Result><Election>{election_identifier(result.election)}<Contest>")
    parts.append(contest_identifier(result.contest_id, None))
    current: tuple[int, str] | None = None
    seen: set[int] = set()
    for e in result.elected:
        key = (e.list_number, e.list_name)
        if key != current:
            if e.list_number in seen:
                raise ValueError(f"the candidates of list {e.list_number} are not consecutive")
            seen.add(e.list_number)
            current = key
            ident = element("AffiliationIdentifier", element("RegisteredName", text(e.list_name) if e.list_name else None),
                        Id=count_text(e.list_number, "list number"))
            parts.append(f"<Selection>{ident}<Elected>yes</Elected></Selection>")
        ranking = f"<Ranking>{count_text(e.ranking, 'Ranking')}</Ranking>" if e.ranking is not None else ""
        parts.append(f"<Selection>{candidate_element(e.candidate, always_prefix=True)}{ranking}<Elected>yes</Elected></Selection>")
    parts.append("</Contest></Election></Result></EML>")
    return "".join(parts).encode("utf-8")


# ---------------------------------------------------------------- 110a (pretty-printed, as P0 writes it)


def default_committees(region: Region, regions: Sequence[Region]) -> list[tuple[str, str | None]]:
    """The committees the published 110a files give a region: the Kiesraad is the CSB of
    the state, a kieskring has an HSB, a municipality under a kieskring a PSB, and a
    municipality that is the whole election (GR) both CSB and HSB."""
    if region.category == "STAAT":
        return [("CSB", "De Kiesraad")]
    if region.category == "KIESKRING":
        return [("HSB", None)]
    if region.category == "GEMEENTE":
        return [("PSB", None)] if region.superior_category else [("CSB", None), ("HSB", None)]
    return []


def write_definition(
    definition: Definition,
    *,
    issue_date: dt.date | None = None,
    created: dt.datetime | None = None,
    nomination_date: dt.date | None = None,
    committees: Mapping[tuple[str, str], Sequence[tuple[str, str | None]]] | None = None,
) -> bytes:
    """A 110a election definition: seats, preference threshold, region tree, parties.

    Written pretty-printed with an XML declaration like the published 110a files (which are
    not canonical). ``committees`` maps ``(RegionCategory, RegionNumber)`` to
    ``[(CommitteeCategory, CommitteeName or None)]``; by default see ``default_committees``.
    """
    ind = "    "
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        f'<EML {NAMESPACES_110A} Id="110a" SchemaVersion="5">',
        f"{ind}<TransactionId>1</TransactionId>",
    ]
    if issue_date is not None:
        lines.append(f"{ind}<IssueDate>{issue_date.isoformat()}</IssueDate>")
    if created is not None:
        lines.append(f"{ind}<kr:CreationDateTime>{datetime_text(created)}</kr:CreationDateTime>")
    lines += [f"{ind}<ElectionEvent>", f"{ind * 2}<EventIdentifier/>", f"{ind * 2}<Election>"]
    ref = definition.election
    lines.append(f'{ind * 3}<ElectionIdentifier Id="{attr(ref.id)}">')
    for tag, value in (
        ("ElectionName", ref.name),
        ("ElectionCategory", ref.category),
        ("kr:ElectionSubcategory", ref.subcategory),
    ):
        if value is not None:
            lines.append(f"{ind * 4}<{tag}>{text(value)}</{tag}>")
    if ref.domain_id is not None or ref.domain_name is not None:
        lines.append(ind * 4 + element("kr:ElectionDomain", text(ref.domain_name) if ref.domain_name else None, Id=ref.domain_id))
    if ref.date is not None:
        lines.append(f"{ind * 4}<kr:ElectionDate>{ref.date.isoformat()}</kr:ElectionDate>")
    if nomination_date is not None:
        lines.append(f"{ind * 4}<kr:NominationDate>{nomination_date.isoformat()}</kr:NominationDate>")
    lines.append(f"{ind * 3}</ElectionIdentifier>")
    lines.append(f"{ind * 3}<Contest>")
    cid = f' Id="{attr(definition.contest_id)}"' if definition.contest_id is not None else ""
    lines += [
        f"{ind * 4}<ContestIdentifier{cid}/>",
        f"{ind * 4}<VotingMethod>SPV</VotingMethod>",
        f"{ind * 4}<MaxVotes></MaxVotes>",
        f"{ind * 3}</Contest>",
    ]
    if definition.seats is not None:
        lines.append(f"{ind * 3}<kr:NumberOfSeats>{count_text(definition.seats, 'seats')}</kr:NumberOfSeats>")
    if definition.preference_threshold is not None:
        lines.append(
            f"{ind * 3}<kr:PreferenceThreshold>{count_text(definition.preference_threshold, 'threshold')}</kr:PreferenceThreshold>"
        )
    if definition.regions:
        lines.append(f"{ind * 3}<kr:ElectionTree>")
        for r in definition.regions:
            a = f'RegionNumber="{attr(r.number)}" RegionCategory="{attr(r.category)}"'
            if r.superior_number is not None:
                a += f' SuperiorRegionNumber="{attr(r.superior_number)}"'
            if r.superior_category is not None:
                a += f' SuperiorRegionCategory="{attr(r.superior_category)}"'
            lines.append(f"{ind * 4}<kr:Region {a}>")
            lines.append(f"{ind * 5}<kr:RegionName>{text(r.name)}</kr:RegionName>")
            given = committees.get((r.category, r.number)) if committees is not None else None
            for cat, name in given if given is not None else default_committees(r, definition.regions):
                extra = f' CommitteeName="{attr(name)}"' if name else ""
                lines.append(f'{ind * 5}<kr:Committee CommitteeCategory="{attr(cat)}"{extra}/>')
            lines.append(f"{ind * 4}</kr:Region>")
        lines.append(f"{ind * 3}</kr:ElectionTree>")
    if definition.parties:
        lines.append(f"{ind * 3}<kr:RegisteredParties>")
        for p in definition.parties:
            lines += [
                f"{ind * 4}<kr:RegisteredParty>",
                f"{ind * 5}<kr:RegisteredAppellation>{text(p)}</kr:RegisteredAppellation>",
                f"{ind * 4}</kr:RegisteredParty>",
            ]
        lines.append(f"{ind * 3}</kr:RegisteredParties>")
    lines += [f"{ind * 2}</Election>", f"{ind}</ElectionEvent>", "</EML>", ""]
    return "\n".join(lines).encode("utf-8")
