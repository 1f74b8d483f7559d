"""Writers for EML_NL files in the style the Kiesraad publishes: 110a, 230b, 510a-d and 520.

The inverse of ``osv_verify.io.eml``: reading the written bytes back gives the same model
(``source`` and ``Tally.element`` excepted, which the reader sets from where it read).

Style, as in the published files (``Telling_GR2026_Vlieland``, ``Totaaltelling_TK2021`` ...):

* 230b, 510 and 520 are in canonical form (C14N with comments, as OSV saves them): no XML
  declaration, one line, no final newline, namespace declarations first and sorted, then the
  attributes sorted, empty elements written as ``<X></X>``, never self-closing;
* the 110a is written as OSV's P0 writes it: XML declaration, four-space indentation,
  self-closing empty elements, a final newline (``Verkiezingsdefinitie_TK2021``);
* ``Cast`` is the number of eligible voters, ``TotalCounted`` the sum of the list totals,
  ``RejectedVotes`` ``ongeldig`` then ``blanco``, ``UncountedVotes`` in OSV's order (see
  ``UNCOUNTED_ORDER``); only the counts a ``Tally`` has are written (absent stays absent).

A count the EML format cannot carry (``ballots_found``, which only the OSV CSV prints) is a
``ValueError`` unless ``skip_unwritable=True``. Numbers outside 0..999 999 999 and text that
XML cannot hold are ``ValueError`` too: the reader would refuse them.

510 files can be large (a national set is 1-2 GB); ``iter_count`` yields the file in chunks
(one reporting unit at a time) so it can be streamed to disk.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO

from osv_verify.io.eml_common import REJECTED_REASONS, UNCOUNTED_REASONS
from osv_verify.io.numbers import MAX_COUNT
from osv_verify.core.model import (
    Candidate,
    CandidateKey,
    CandidateLists,
    CountFile,
    Definition,
    ElectionRef,
    Region,
    ResultFile,
    Tally,
)

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

#: model key -> ReasonCode, in the order the published files give them.
REJECTED_ORDER: tuple[tuple[str, str], ...] = (("invalid", "ongeldig"), ("blank", "blanco"))
UNCOUNTED_ORDER: tuple[tuple[str, str], ...] = tuple(
    (UNCOUNTED_REASONS[code], code)
    for code in (
        "geldige stempassen",
        "geldige volmachtbewijzen",
        "geldige kiezerspassen",
        "toegelaten kiezers",
        "meer getelde stembiljetten",
        "minder getelde stembiljetten",
        "meegenomen stembiljetten",
        "te weinig uitgereikte stembiljetten",
        "te veel uitgereikte stembiljetten",
        "geen verklaring",
        "andere verklaring",
        "kwijtgeraakte stembiljetten",
        "te veel briefstembiljetten",
        "geen briefstembiljetten",
    )
)
WRITABLE_COUNTS = frozenset({"eligible", "valid"} | set(REJECTED_REASONS.values()) | set(UNCOUNTED_REASONS.values()))
assert len(UNCOUNTED_ORDER) == len(UNCOUNTED_REASONS)

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


def _el(tag: str, content: str | None = None, **attrs: object) -> str:
    """``<tag a="..">content</tag>``; attributes with value None are left out, the rest sorted."""
    a = "".join(f' {k}="{attr(v)}"' for k, v in sorted(attrs.items()) if v is not None)
    return f"<{tag}{a}>{content or ''}</{tag}>"


def _count(n: int, what: str) -> str:
    if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= MAX_COUNT:
        raise ValueError(f"{what}: {n!r} is not a count in 0..{MAX_COUNT}")
    return str(n)


def datetime_text(value: dt.datetime) -> str:
    """``2026-03-19T09:12:45.482`` (milliseconds, as OSV writes) when that is exact."""
    if value.microsecond % 1000 == 0:
        return value.isoformat(timespec="milliseconds")
    return value.isoformat()


def _header(kind: str, authority_id: str | None, authority_name: str | None, created: dt.datetime | None,
            *, issue_date: dt.date | None = None, schema_version: str | None = None) -> str:
    parts = [f'<EML {NAMESPACES} Id="{kind}" SchemaVersion="5"><TransactionId>1</TransactionId>']
    if authority_id is not None or authority_name is not None:
        parts.append(
            "<ManagingAuthority>"
            + _el("AuthorityIdentifier", text(authority_name) if authority_name else None, Id=authority_id)
            + "<AuthorityAddress></AuthorityAddress></ManagingAuthority>"
        )
    if issue_date is not None:
        parts.append(_el("IssueDate", issue_date.isoformat()))
    if schema_version is not None:
        parts.append(_el("kr:Schema", None, Version=schema_version))
    if created is not None:
        parts.append(_el("kr:CreationDateTime", datetime_text(created)))
    parts.append(CANONICALIZATION)
    return "".join(parts)


def election_identifier(ref: ElectionRef, nomination_date: dt.date | None = None) -> str:
    """The ``ElectionIdentifier`` block (children in the published order)."""
    parts = []
    if ref.name is not None:
        parts.append(_el("ElectionName", text(ref.name)))
    if ref.category is not None:
        parts.append(_el("ElectionCategory", text(ref.category)))
    if ref.subcategory is not None:
        parts.append(_el("kr:ElectionSubcategory", text(ref.subcategory)))
    if ref.domain_id is not None or ref.domain_name is not None:
        parts.append(_el("kr:ElectionDomain", text(ref.domain_name) if ref.domain_name else None, Id=ref.domain_id))
    if ref.date is not None:
        parts.append(_el("kr:ElectionDate", ref.date.isoformat()))
    if nomination_date is not None:
        parts.append(_el("kr:NominationDate", nomination_date.isoformat()))
    return _el("ElectionIdentifier", "".join(parts), Id=ref.id)


def _contest_identifier(contest_id: str | None, contest_name: str | None) -> str:
    return _el("ContestIdentifier", _el("ContestName", text(contest_name)) if contest_name else None, Id=contest_id)


def _person(c: Candidate, *, always_prefix: bool) -> str:
    names = []
    if c.initials is not None:
        names.append(_el("xnl:NameLine", text(c.initials), NameType="Initials"))
    if c.first_name is not None:
        names.append(_el("xnl:FirstName", text(c.first_name)))
    if c.prefix is not None or always_prefix:
        names.append(_el("xnl:NamePrefix", text(c.prefix) if c.prefix else None))
    if c.last_name is not None:
        names.append(_el("xnl:LastName", text(c.last_name)))
    return _el("CandidateFullName", _el("xnl:PersonName", "".join(names))) if any(
        v is not None for v in (c.initials, c.first_name, c.prefix, c.last_name)
    ) else ""


@functools.lru_cache(maxsize=4096)
def candidate_element(c: Candidate, *, always_prefix: bool = False) -> str:
    """A ``Candidate`` of a 230b (``always_prefix=False``) or a 520 (empty NamePrefix kept)."""
    ident = _el("CandidateIdentifier", None, Id=c.number, ShortCode=c.short_code)
    body = ident + _person(c, always_prefix=always_prefix)
    if c.gender is not None:
        body += _el("Gender", text(c.gender))
    if c.locality is not None:
        body += "<QualifyingAddress><xal:Locality>" + _el("xal:LocalityName", text(c.locality)) + "</xal:Locality></QualifyingAddress>"
    return _el("Candidate", body)


# ---------------------------------------------------------------- 510


_Plan = tuple[bytes, list[tuple[int, object]]]
_Shape = tuple[tuple[tuple[int, str], ...], tuple[int, ...], tuple[CandidateKey, ...]]
#: Templates of the last few shapes, shared by all files (a national set has hundreds of files
#: with the same ballot).
_PLANS: dict[_Shape, _Plan] = {}
_MAX_PLANS = 16


class _VoteWriter:
    """Writes vote groups; caches one ``%``-template per shape of selections, so a national
    file with millions of candidate counts costs one C-level formatting call per unit."""

    def __init__(self, list_names: Mapping[int, str], skip_unwritable: bool) -> None:
        self.list_names = list_names
        self.names_key = tuple(list_names.items())
        self.skip_unwritable = skip_unwritable
        self._last: tuple[tuple[int, ...], tuple[CandidateKey, ...]] | None = None
        self._plan: _Plan | None = None

    def _make_plan(self, lkeys: tuple[int, ...], ckeys: tuple[CandidateKey, ...]) -> tuple[str, list[tuple[int, object]]]:
        by_list: dict[int, list[int]] = {n: [] for n in lkeys}
        for i, key in enumerate(ckeys):
            if key[0] not in by_list:
                raise ValueError(f"candidate {key} has votes but list {key[0]} has no total in this unit")
            if key[1] is None and key[2] is None:
                raise ValueError(f"candidate {key} has neither a position nor a ShortCode")
            by_list[key[0]].append(i)
        parts: list[str] = []
        plan: list[tuple[int, object]] = []
        for n in sorted(lkeys):
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                raise ValueError(f"list number {n!r} is not a whole non-negative number")
            name = self.list_names.get(n)
            ident = _el("AffiliationIdentifier", _el("RegisteredName", text(name) if name else None), Id=n)
            parts.append(f"<Selection>{ident}<ValidVotes>\0</ValidVotes></Selection>")
            for i in by_list[n]:
                _, cid, code = ckeys[i]
                cand = _el("Candidate", _el("CandidateIdentifier", None, Id=cid, ShortCode=code))
                parts.append(f"<Selection>{cand}<ValidVotes>\0</ValidVotes></Selection>")
            idx = by_list[n]
            if idx and idx == list(range(idx[0], idx[0] + len(idx))):
                plan.append((n, slice(idx[0], idx[0] + len(idx))))
            else:
                plan.append((n, tuple(idx)))
        template = "".join(parts).replace("%", "%%").replace("\0", "%d").encode("utf-8")
        return template, plan

    def selections(self, t: Tally) -> bytes:
        lkeys, ckeys = tuple(t.lists), tuple(t.candidates)
        sig = (lkeys, ckeys)
        if self._last is None or self._last != sig:
            shape = (self.names_key, lkeys, ckeys)
            plan = _PLANS.get(shape)
            if plan is None:
                if len(_PLANS) >= _MAX_PLANS:
                    _PLANS.pop(next(iter(_PLANS)))
                plan = _PLANS[shape] = self._make_plan(lkeys, ckeys)
            self._last, self._plan = sig, plan
        template, plan_ = self._plan  # type: ignore[misc]
        lists = t.lists
        cv = list(t.candidates.values())
        values: list[int] = []
        for n, where in plan_:
            values.append(lists[n])
            if isinstance(where, slice):
                values.extend(cv[where])
            else:
                values.extend(cv[i] for i in where)  # type: ignore[attr-defined]
        if values:
            if set(map(type, values)) != {int}:
                bad = next(v for v in values if type(v) is not int)
                raise ValueError(f"unit {t.id or 'total'}: {bad!r} is not a count")
            for v in (min(values), max(values)):
                _count(v, f"unit {t.id or 'total'}")
        return template % tuple(values)

    def counts(self, t: Tally) -> bytes:
        c = t.counts
        unknown = set(c) - WRITABLE_COUNTS
        if unknown and not self.skip_unwritable:
            raise ValueError(f"unit {t.id or 'total'}: EML cannot carry {', '.join(sorted(unknown))}")
        parts = []
        if "eligible" in c:
            parts.append(f"<Cast>{_count(c['eligible'], 'Cast')}</Cast>")
        if "valid" in c:
            parts.append(f"<TotalCounted>{_count(c['valid'], 'TotalCounted')}</TotalCounted>")
        for key, code in REJECTED_ORDER:
            if key in c:
                parts.append(f'<RejectedVotes ReasonCode="{code}">{_count(c[key], code)}</RejectedVotes>')
        for key, code in UNCOUNTED_ORDER:
            if key in c:
                parts.append(f'<UncountedVotes ReasonCode="{code}">{_count(c[key], code)}</UncountedVotes>')
        if t.investigations:
            parts.append(
                "<kr:ReportingUnitInvestigations>"
                + "".join(
                    _el("kr:Investigation", "true" if v else "false", ReasonCode=k) for k, v in t.investigations.items()
                )
                + "</kr:ReportingUnitInvestigations>"
            )
        return "".join(parts).encode("utf-8")

    def group(self, tag: str, t: Tally, *, unit: bool) -> bytes:
        ident = ""
        if unit or t.id is not None or t.name is not None:
            if unit and not t.id:
                raise ValueError("a reporting unit needs an Id")
            ident = _el("ReportingUnitIdentifier", text(t.name) if t.name else None, Id=t.id)
        return b"".join((f"<{tag}>{ident}".encode("utf-8"), self.selections(t), self.counts(t), f"</{tag}>".encode()))


def iter_count(
    count: CountFile,
    units: Iterable[Tally] | None = None,
    *,
    total: Tally | None = None,
    skip_unwritable: bool = False,
) -> Iterator[bytes]:
    """A 510a/b/c/d file as UTF-8 chunks: the header, the total, then one chunk per unit.

    ``units`` and ``total`` default to ``count.units`` and ``count.total``; pass a generator
    to stream units that are never all in memory. ``count.kind`` gives the message id.
    """
    if count.kind not in ("510a", "510b", "510c", "510d"):
        raise ValueError(f"kind {count.kind!r} is not a 510 count")
    total = count.total if total is None else total
    units = count.units if units is None else units
    w = _VoteWriter(count.list_names, skip_unwritable)
    head = _header(count.kind, count.authority_id, count.authority_name, count.created,
                   schema_version=count.schema_version)
    phase = _el("kr:Phase", None, PhaseCode=count.phase) if count.phase is not None else ""
    head += (
        f"<Count><EventIdentifier></EventIdentifier>{phase}<Election>{election_identifier(count.election)}"
        f"<Contests><Contest>{_contest_identifier(count.contest_id, count.contest_name)}"
    )
    yield head.encode("utf-8")
    if total is not None:
        yield w.group("TotalVotes", total, unit=False)
    for u in units:
        yield w.group("ReportingUnitVotes", u, unit=True)
    yield b"</Contest></Contests></Election></Count></EML>"


def write_count(count: CountFile, *, skip_unwritable: bool = False) -> bytes:
    """A 510a/b/c/d file (``count.kind``) in the published canonical style."""
    return b"".join(iter_count(count, skip_unwritable=skip_unwritable))


def write_count_to(stream: IO[bytes], count: CountFile, units: Iterable[Tally] | None = None, **kw: object) -> int:
    """Stream a 510 file to ``stream``; returns the number of bytes written."""
    n = 0
    for chunk in iter_count(count, units, **kw):  # type: ignore[arg-type]
        stream.write(chunk)
        n += len(chunk)
    return n


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
    parts = [_header("230b", lists.authority_id, authority_name, created, issue_date=issue_date)]
    parts.append(f"<CandidateList><Election>{election_identifier(lists.election, nomination_date)}<Contest>")
    parts.append(_contest_identifier(lists.contest_id, lists.contest_name))
    for pl in lists.lists:
        aff = _el("AffiliationIdentifier", _el("RegisteredName", text(pl.name) if pl.name else None), Id=pl.number)
        if pl.type is not None:
            aff += _el("Type", text(pl.type))
        aff += _el(
            "kr:ListData", None, BelongsToSet=pl.set_number, PublicationLanguage=publication_language,
            PublishGender="true" if any(c.gender for c in pl.candidates) else "false",
        )
        aff += "".join(candidate_element(c) for c in pl.candidates)
        parts.append(_el("Affiliation", aff))
    parts.append("</Contest></Election></CandidateList></EML>")
    return "".join(parts).encode("utf-8")


# ---------------------------------------------------------------- 520


def write_result(result: ResultFile, *, authority_name: str | None = None) -> bytes:
    """A 520: per list with seats its ``Selection`` (``Elected`` yes), then its elected
    candidates in the order given (OSV: by new list position), each with ``Ranking``
    (1 = elected on preference votes, 2 = otherwise) when known.

    Candidates of one list must be consecutive in ``result.elected``.
    """
    parts = [_header("520", result.authority_id, authority_name, result.created)]
    parts.append(f"<Result><Election>{election_identifier(result.election)}<Contest>")
    parts.append(_contest_identifier(result.contest_id, None))
    current: tuple[int, str] | None = None
    seen: set[int] = set()
    for e in result.elected:
        key = (e.list_number, e.list_name)
        if key != current:
            if e.list_number in seen:
                raise ValueError(f"the candidates of list {e.list_number} are not consecutive")
            seen.add(e.list_number)
            current = key
            ident = _el("AffiliationIdentifier", _el("RegisteredName", text(e.list_name) if e.list_name else None),
                        Id=_count(e.list_number, "list number"))
            parts.append(f"<Selection>{ident}<Elected>yes</Elected></Selection>")
        ranking = f"<Ranking>{_count(e.ranking, 'Ranking')}</Ranking>" if e.ranking is not None else ""
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
        lines.append(ind * 4 + _el("kr:ElectionDomain", text(ref.domain_name) if ref.domain_name else None, Id=ref.domain_id))
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
        lines.append(f"{ind * 3}<kr:NumberOfSeats>{_count(definition.seats, 'seats')}</kr:NumberOfSeats>")
    if definition.preference_threshold is not None:
        lines.append(
            f"{ind * 3}<kr:PreferenceThreshold>{_count(definition.preference_threshold, 'threshold')}</kr:PreferenceThreshold>"
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
