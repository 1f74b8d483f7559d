"""The 510 (count) reader with lxml: the reference for every count file.

One reporting unit at a time (``TotalVotes``/``ReportingUnitVotes``, element by element, with a
precise error for anything wrong); files up to ``STREAM_ABOVE_BYTES`` are parsed whole, larger
ones streamed with ``iterparse`` + ``clear``, so memory is bounded by the largest unit. The
byte lane (``bytelane``) reads the usual files faster, and takes the layout of their units and
the rules of a count file (``CountBuilder``) from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from lxml import etree

from osv_verify.core.errors import InputError
from osv_verify.core.text import Text
from osv_verify.core.model import CandidateKey, CountFile, ElectionRef, Tally
from osv_verify.io import xmlsafe
from osv_verify.io.limits import check_name, check_units
from osv_verify.io.eml_common import (
    COUNT_LEVELS,
    E,
    KR,
    NS,
    REJECTED_REASONS,
    UNCOUNTED_REASONS,
    count_in,
    election_ref,
    find_text,
    parse_datetime,
    place_of,
    text_of,
)
from osv_verify.io.numbers import parse_count


def new_tally() -> Tally:
    return Tally.model_construct(
        id=None, name=None, counts={}, lists={}, candidates={}, investigations={}, initial={}, element=None,
        unit_type=None, shared_location=None,
    )


#: The corrigendum twins: EML_NL 1.3 spells them ``kr:Initial*`` (the first session's value),
#: rust-eml-nl (Abacus, "1.3.1") ``kr:Previous*`` (the previous session's value). Both are read
#: into ``Tally.initial``; which spelling a file uses is recorded, not what it means.
TWIN_SPELLINGS = ("Initial", "Previous")

#: Every element of the Kiesraad namespace that EML_NL 1.3 (``kiesraad-eml-extensions.xsd``)
#: and rust-eml-nl 1.3.1 define; any other ``kr:`` element in a 510 is noted as unknown (info).
KNOWN_KR = frozenset({
    "CreationDateTime", "ElectionSubcategory", "ElectionDomain", "ElectionDate", "Schema", "CountingMethod",
    "Phase", "ReportingUnitType", "SharedLocation", "ReportingUnitInvestigations", "Investigation", "GenderAnnex",
    "DateOfBirthAnnex", "LivingAddress", "ListData", "ElectionTree", "Region", "RegionName",
    *(spelling + name for spelling in TWIN_SPELLINGS
      for name in ("ValidVotes", "Cast", "TotalCounted", "RejectedVotes", "UncountedVotes")),
})


#: The values the EML_NL 1.3 schema (``kiesraad-eml-extensions.xsd``) allows for the ``kr:``
#: elements that decide how a count is read (``kr:SharedLocation`` is an xs:boolean); a file with
#: another value is noted ("invalid": META.SCHEMA_VALUE) and the value is not used.
ALLOWED: dict[str, tuple[str, ...]] = {
    "Phase": ("eerste zitting", "corrigendum"),
    "CountingMethod": ("centrale stemopneming", "decentrale stemopneming"),
    "ReportingUnitType": ("FixedLocation", "Mobile", "Special"),
    "SharedLocation": ("true", "false", "1", "0"),
}
#: The EML_NL versions whose ``kr:`` elements osv-verify reads (``kr:Schema`` is new in 1.3;
#: rust-eml-nl writes 1.3.1); another version is read as these and noted ("version").
KNOWN_SCHEMAS = ("1.3", "1.3.1")


@dataclass
class Extensions:
    """What a 510's ``kr:`` elements say beside the counts, collected while its units are read."""

    spellings: set[str] = field(default_factory=set)
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # CountFile.notes

    def twin(self, el: etree._Element, plain_tag: str) -> None:
        """A corrigendum twin: its spelling, and a note unless it stands where the schema puts
        it: in the run of twins right before the run of the elements they correct (the two
        ``RejectedVotes`` twins come before the two ``RejectedVotes``), with an element of the
        same ReasonCode in that run."""
        name = etree.QName(el).localname
        self.spellings.add(next(s for s in TWIN_SPELLINGS if name.startswith(s)))
        after = el.getnext()
        while after is not None and after.tag == el.tag:
            after = after.getnext()
        run = []
        while after is not None and after.tag == plain_tag:
            run.append(after.get("ReasonCode"))
            after = after.getnext()
        if el.get("ReasonCode") not in run:
            self.notes.append(("misplaced", "kr:" + name + _reason(el), place_of(el)))

    def allowed(self, el: etree._Element, value: str | None) -> str | None:
        """``value`` when the schema allows it for ``el``, else None and a note."""
        name = etree.QName(el).localname
        if value in ALLOWED[name]:
            return value
        self.notes.append(("invalid", f"kr:{name} {value!r}", place_of(el)))
        return None

    def unknown(self, el: etree._Element) -> None:
        if etree.QName(el).localname not in KNOWN_KR:
            self.notes.append(("unknown", "kr:" + etree.QName(el).localname, place_of(el)))


def _reason(el: etree._Element) -> str:
    reason = el.get("ReasonCode")
    return f" {reason!r}" if reason else ""


_SELECTION_TWINS = frozenset(KR + spelling + "ValidVotes" for spelling in TWIN_SPELLINGS)


def read_unit(el: etree._Element, source: str, list_names: dict[int, str],
              ext: Extensions | None = None) -> tuple[Tally, list]:
    """The reference reader of one ``TotalVotes``/``ReportingUnitVotes``: element by element,
    with a precise error for anything wrong; ``ext`` collects what its ``kr:`` elements say.

    Also returns the key of each ``Selection`` in order (``("list", n)`` or a candidate key):
    the layout that the byte lane (below) applies to later units of the same shape.
    """
    ext = ext if ext is not None else Extensions()
    tally = new_tally()
    order: list = []
    current: int | None = None
    for child in el:
        tag = child.tag
        if tag != E + "Selection":
            _read_other(child, tally, source, ext)
            continue
        parts: dict[str, list[etree._Element]] = {}
        for part in child:  # one pass over the Selection's children
            parts.setdefault(part.tag, []).append(part)
        votes = parts.get(E + "ValidVotes", ())
        if len(votes) != 1:
            if not votes:
                raise InputError(source, Text("Selection zonder ValidVotes",
                                              "Selection without ValidVotes"), place_of(child))
            raise InputError(source, Text("Selection met meer dan één ValidVotes",
                                          "Selection with more than one ValidVotes"), place_of(child))
        first = child[0].tag
        initial = next((parts[t] for t in _SELECTION_TWINS if t in parts), None)
        if first == E + "AffiliationIdentifier" and E + "Candidate" not in parts:
            affiliation = child[0]
            current = parse_count(affiliation.get("Id"), source, place_of(affiliation, "AffiliationIdentifier Id"))
            if current in tally.lists:
                raise InputError(source, Text(f"lijst {current} staat twee keer in één eenheid",
                                              f"list {current} appears twice in one unit"), place_of(affiliation))
            field = f"list {current}"
            tally.lists[current] = count_in(votes[0], source, f"ValidVotes of {field}")
            name = find_text(affiliation, "eml:RegisteredName")
            if name:
                list_names.setdefault(current, check_name(name, source, place_of(affiliation)))
            order.append(("list", current))
        elif first == E + "Candidate" and E + "AffiliationIdentifier" not in parts:
            ident = child[0].find(E + "CandidateIdentifier")
            if ident is None:
                raise InputError(source, Text("Candidate zonder CandidateIdentifier",
                                              "Candidate without CandidateIdentifier"), place_of(child[0]))
            if current is None:
                raise InputError(source, Text("kandidaatstemmen vóór de eerste lijst",
                                              "candidate votes before any list"), place_of(child[0]))
            cid, code = ident.get("Id"), ident.get("ShortCode")
            if cid is None and code is None:
                raise InputError(source, Text("CandidateIdentifier zonder Id of ShortCode",
                                              "CandidateIdentifier without Id or ShortCode"), place_of(ident))
            key: CandidateKey = (current, cid, code)
            field = f"candidate {current}.{cid or code}"
            if key in tally.candidates:
                raise InputError(source, Text(f"{field} staat twee keer in één eenheid",
                                              f"{field} appears twice in one unit"), place_of(ident))
            tally.candidates[key] = count_in(votes[0], source, f"ValidVotes of {field}")
            order.append(key)
        else:
            raise InputError(source, Text("Selection is geen lijst en geen kandidaat",
                                          "Selection is neither one list nor one candidate"), place_of(child))
        if initial and sum(len(parts[t]) for t in _SELECTION_TWINS if t in parts) > 1:
            raise InputError(source, Text(f"het oorspronkelijke getal van {field} staat twee keer in één Selection",
                                          f"the original number of {field} appears twice in one Selection"), place_of(child))
        if initial:  # a corrigendum (EML_NL 1.3): the value before the correction
            ext.twin(initial[0], E + "ValidVotes")
            tally.initial[field] = count_in(initial[0], source, f"{etree.QName(initial[0]).localname} of {field}")
        for part_tag, found in parts.items():
            if isinstance(part_tag, str) and part_tag.startswith(KR) and part_tag not in _SELECTION_TWINS:
                ext.unknown(found[0])
    return tally, order


#: The elements of a vote group that hold a count, by tag, with their local name; and their
#: corrigendum twins (EML_NL 1.3: ``kr:InitialCast`` ..., the value before the correction).
COUNT_NAMES = ("Cast", "TotalCounted", "RejectedVotes", "UncountedVotes")
_COUNT_ELEMENTS = {E + name: name for name in COUNT_NAMES}
_INITIAL_ELEMENTS = {KR + spelling + name: name for spelling in TWIN_SPELLINGS for name in COUNT_NAMES}


def count_key(name: str, reason: str | None) -> str | None:
    """The model key of a ``Cast``/``TotalCounted``/``RejectedVotes``/``UncountedVotes``
    (local name) with its ReasonCode; None for a reason code this version does not know
    (ignored, not guessed)."""
    if name == "Cast":
        return "eligible"
    if name == "TotalCounted":
        return "valid"
    table = REJECTED_REASONS if name == "RejectedVotes" else UNCOUNTED_REASONS
    return table.get((reason or "").strip().lower())


def _read_other(child: etree._Element, tally: Tally, source: str, ext: Extensions) -> None:
    """Every child of a vote group that is not a ``Selection``."""
    tag = child.tag
    if tag == E + "ReportingUnitIdentifier":
        tally.id = child.get("Id")
        tally.name = text_of(child)
        if tally.name:
            check_name(tally.name, source, place_of(child))
        return
    if tag in _INITIAL_ELEMENTS:
        plain = _INITIAL_ELEMENTS[tag]
        ext.twin(child, E + plain)
        key = count_key(plain, child.get("ReasonCode"))
        if key is not None:
            if key in tally.initial:  # like its element, a twin stands once in a unit
                raise InputError(source, Text(f"het oorspronkelijke getal van {key!r} staat twee keer in één eenheid",
                                              f"the original number of {key!r} appears twice in one unit"), place_of(child))
            tally.initial[key] = count_in(child, source)
        return
    if tag == KR + "ReportingUnitType":
        tally.unit_type = ext.allowed(child, text_of(child))
        return
    if tag == KR + "SharedLocation":
        value = ext.allowed(child, text_of(child))
        tally.shared_location = None if value is None else value in ("true", "1")
        return
    if tag == KR + "ReportingUnitInvestigations":
        for inv in child.iterfind("kr:Investigation", NS):
            value = (text_of(inv) or "").lower()
            if value not in ("true", "false"):
                raise InputError(source, Text(f"onderzoekswaarde {value!r} is niet true/false",
                                              f"investigation value {value!r} is not true/false"), place_of(inv))
            tally.investigations[inv.get("ReasonCode", "")] = value == "true"
        return
    if tag not in _COUNT_ELEMENTS:
        if isinstance(tag, str) and tag.startswith(KR):
            ext.unknown(child)  # a future extension: noted (info), never a reason to refuse the file
        return
    key = count_key(_COUNT_ELEMENTS[tag], child.get("ReasonCode"))
    if key is None:
        return
    if key in tally.counts:
        name = etree.QName(child).localname
        raise InputError(source, Text(f"{name} {key!r} staat twee keer in één eenheid",
                                      f"{name} {key!r} appears twice in one unit"), place_of(child))
    tally.counts[key] = count_in(child, source)


class CountBuilder:
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
        self.method: str | None = None
        self.ext = Extensions()
        self._phases = 0
        self._root: etree._Element | None = None

    def root(self, el: etree._Element) -> None:
        self._root = el
        self.kind = el.get("Id")
        if self.kind not in COUNT_LEVELS:
            raise InputError(self.source, Text(f"EML-Id {self.kind!r} is geen 510-telling",
                                               f"EML Id {self.kind!r} is not a 510 count"))

    def header(self, el: etree._Element) -> None:
        """Any of the non-vote elements of ``_COUNT_TAGS``."""
        tag = el.tag
        if tag == E + "ElectionIdentifier":
            self.election = election_ref(el, self.source)
        elif tag == E + "ContestIdentifier":
            if self.contest is not None:
                raise InputError(self.source, Text("meerdere Contests in één 510 worden niet ondersteund",
                                                   "several Contests in one 510 are not supported"), place_of(el))
            self.contest = (el.get("Id"), find_text(el, "eml:ContestName"))
        elif tag == E + "ManagingAuthority":
            auth = el.find("eml:AuthorityIdentifier", NS)
            if auth is not None:
                self.authority = (auth.get("Id"), text_of(auth))
        elif tag == KR + "CreationDateTime":
            self.created = parse_datetime(text_of(el), self.source, place_of(el))
        elif tag == KR + "Phase":
            if self._phases:  # the schema allows one: a file naming two sessions names none
                self.ext.notes.append(("repeated", "kr:Phase", place_of(el)))
            self._phases += 1
            self.phase = self.ext.allowed(el, el.get("PhaseCode") or text_of(el)) if self._phases == 1 else None
        elif tag == KR + "Schema":
            self.schema = el.get("Version") or text_of(el)
            if self.schema not in KNOWN_SCHEMAS:
                self.ext.notes.append(("version", f"kr:Schema {self.schema!r}", place_of(el)))
        elif tag == KR + "CountingMethod":
            self.method = self.ext.allowed(el, el.get("MethodCode") or text_of(el))

    def add(self, tally: Tally, is_total: bool, line: int | None) -> None:
        name = "TotalVotes" if is_total else "ReportingUnitVotes"
        where = f"line {line}: {name}" if line else name
        tally.element = where + (f" {tally.id}" if tally.id else "")
        if self.contest is None:
            raise InputError(self.source, Text("stemmen buiten een Contest", "votes outside a Contest"), where)
        if is_total:
            if self.total is not None:
                raise InputError(self.source, Text("een tweede TotalVotes (meerdere contests in één bestand worden niet ondersteund)",
                                                   "a second TotalVotes (several contests in one file are not supported)"), where)
            self.total = tally
        else:
            if not tally.id:
                raise InputError(self.source, Text("ReportingUnitVotes zonder ReportingUnitIdentifier-Id",
                                                   "ReportingUnitVotes without ReportingUnitIdentifier Id"), where)
            self.units.append(tally)  # a unit that appears twice is a finding (AGG.DUPLICATE_UNIT)
            check_units(len(self.units), self.source)

    def _header_extensions(self) -> None:
        """Note the unknown ``kr:`` elements outside the vote units (a handful of elements:
        the walk does not enter a unit, which ``read_unit`` has already seen)."""
        if self._root is None:
            return
        stack = [self._root]
        while stack:
            for child in stack.pop():
                if not isinstance(child.tag, str) or child.tag in VOTE_TAGS:
                    continue
                if child.tag in _INITIAL_ELEMENTS:  # a twin outside a vote group corrects nothing
                    self.ext.notes.append(("misplaced", "kr:" + etree.QName(child).localname + _reason(child), place_of(child)))
                elif child.tag.startswith(KR):
                    self.ext.unknown(child)
                stack.append(child)

    def build(self) -> CountFile:
        self._header_extensions()
        if self.kind not in COUNT_LEVELS:
            raise InputError(self.source, Text("geen 510-tellingsbestand", "not a 510 count file"))
        if self.election is None:
            raise InputError(self.source, Text("geen ElectionIdentifier", "no ElectionIdentifier"))
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
            counting_method=self.method,
            twin_spelling="+".join(s for s in TWIN_SPELLINGS if s in self.ext.spellings) or None,
            notes=self.ext.notes,
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
    KR + "CountingMethod",
)
VOTE_TAGS = (E + "TotalVotes", E + "ReportingUnitVotes")


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
    return InputError(source, Text(f"{name} binnen {where}: niet de opbouw van een 510",
                                   f"{name} inside {where}: not the structure of a 510"), place_of(el))


def tree_events(root: etree._Element, source: str) -> Iterator[tuple[str, etree._Element]]:
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
        yield from tree_events(xmlsafe.parse(stream, source).getroot(), source)
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


def read_count_lxml(stream: IO[bytes], source: str, expect_kind: str | None) -> CountFile:
    """Read a 510 file with lxml, one unit at a time; big files streamed (memory bounded by a unit)."""
    counts = CountBuilder(source, expect_kind)
    for event, el in _count_events(stream, source):
        if event == "start":
            if el.tag == E + "EML":
                counts.root(el)
            continue
        if el.tag in VOTE_TAGS:
            tally, _ = read_unit(el, source, counts.list_names, counts.ext)
            counts.add(tally, el.tag == E + "TotalVotes", el.sourceline)
            el.clear(keep_tail=False)
            while el.getprevious() is not None:
                del el.getparent()[0]
        else:
            counts.header(el)
    return counts.build()
