"""Read a municipality's proces-verbaal as OSV2020 writes it (ODT): which stations it lists as recounted.

The control protocol leaves a station whose PV says it was already recounted off list a and
marks it ``Al herteld``. OSV2020 writes the PV as an OpenDocument text (a zip of XML):

* ``Model Na 31-1`` (decentral count): the stations under 3b (tables ``NieuweTelling`` and
  ``CorrigendumGeenVerklaring``) and 3c (table ``Tabelle3``);
* ``Model Na 31-2`` (central count): the stations under 7 (table ``NieuweTelling``).

Each listed station is a table row whose fields carry OSV2020's template expressions in
``text:description`` (``erfassungsgebiet.get('nummer')``, ``...get('name')``, and the postcode
expression): fields are found by that description, not by position. A row without a number
or a name cannot be matched with a 510b and is counted in ``incomplete_rows``, never guessed.
Which model a file is comes from its own first heading (``Model Na 31-1``), never its name.

An ODT is read as safely as an EML file: the zip limits of ``osv_verify.io.archive``
(encrypted, claimed size, compression ratio, bounded read) and the XML parser of
``osv_verify.io.xmlsafe`` (no DTD, entities or network). Anything else is one ``InputError``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from lxml import etree

from osv_verify.core.errors import InputError
from osv_verify.core.postcode import normalise, split_station_name
from osv_verify.core.text import Text
from osv_verify.io import xmlsafe
from osv_verify.io.archive import bounded_read, check_member
from osv_verify.core.model import CountFile, Tally

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_DESCRIPTION = f"{{{TEXT}}}description"

#: A PV (the .odt) is about 0.1 MB and its content.xml about 0.5 MB for a few stations; these
#: limits allow thousands. A file over them is refused unread.
MAX_PV_BYTES = 64 * 1024**2
MAX_CONTENT_BYTES = 64 * 1024**2
PDF_MAGIC = b"%PDF-"


class PvModel(StrEnum):
    """Which proces-verbaal of the municipal central count (gemeentelijk stembureau)."""

    NA31_1 = "na31-1"  # decentral count (DSO): recounts under 3b and 3c
    NA31_2 = "na31-2"  # central count (CSO): recounts under 7


#: The tables where OSV2020 lists the stations that were recounted, per model.
RECOUNT_TABLES: dict[PvModel, tuple[str, ...]] = {
    PvModel.NA31_1: ("NieuweTelling", "CorrigendumGeenVerklaring", "Tabelle3"),
    PvModel.NA31_2: ("NieuweTelling",),
}
#: Template expressions (``text:description``) of a listed station's fields.
_NUMBER_FIELD = "erfassungsgebiet.get('nummer')"
_NAME_FIELD = "erfassungsgebiet.get('name')"
_POSTCODE_FIELD = "erfassungsgebiet.anschrift.plz"
#: Template expressions of what the PV says about itself.
_MUNICIPALITY_FIELD = "gebietMitListen.get('name')"
_BODY_FIELD = "parameter_zuWaehlendesGremium"
_DATE_FIELDS = ("wahlterminLangFormat", "formatDatumPattern(wahlterminAlsDate")

_MODEL_HEADING = re.compile(r"Model\s*Na\s*31\s*-\s*([12])\b")
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")


class NotAPv(InputError):
    """A well-formed OpenDocument that is not a Na 31-1/Na 31-2 PV (a letter, a spreadsheet):
    an error when named on the command line, skipped inside a folder or archive."""


@dataclass(frozen=True)
class PvStation:
    """A station listed on the PV: its number, name and (when printed) postcode ``1234 AB``."""

    number: int
    name: str
    postcode: str | None = None


@dataclass(frozen=True)
class MunicipalityPv:
    """What a municipality's PV (Na 31-1 or Na 31-2) says, as far as the control protocol needs it.

    ``recounted``: the stations it lists as recounted, in document order, each once (a station
    listed under both 3b and 3c counts once). ``municipality``, ``election_body`` and
    ``election_date`` are as printed (``Dordrecht``, ``Tweede Kamer der Staten-Generaal``,
    ``november 2023`` or ``29 oktober 2025``), to pair the PV with its 510b.
    """

    source: str
    model: PvModel
    recounted: tuple[PvStation, ...]
    incomplete_rows: int = 0
    municipality: str | None = None
    election_body: str | None = None
    election_date: str | None = None


# ---------------------------------------------------------------- reading


def is_pdf(head: bytes) -> bool:
    """A PDF by its magic bytes (Abacus writes its PVs as PDF)."""
    return head.lstrip(b"\x00\t\r\n ")[:5] == PDF_MAGIC


def pdf_not_read(source: str) -> InputError:
    """The notice for a PV in PDF form: its numbers are read (``io.pdf_pv``, by verify), its
    recount tick boxes are not, so its recounts are not known."""
    return InputError(source, Text("van een proces-verbaal als PDF (zoals Abacus het schrijft) worden de aangekruiste hertellingen niet gelezen: "
                                   "welke stembureaus het als herteld noemt is dus niet bekend",
                                   "the recount tick boxes of a PV in PDF form (as Abacus writes it) are not read: the stations it lists as recounted are not known"))


def read_pv_file(path: str | Path) -> MunicipalityPv:
    """Read a PV from a file on disk (see ``read_pv``)."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_PV_BYTES + 1)
    except OSError as err:
        raise InputError(str(path), Text(f"kan niet lezen: {err.strerror or err}",
                                         f"cannot read: {err.strerror or err}")) from None
    if len(data) > MAX_PV_BYTES:
        raise too_large(str(path))
    return read_pv(data, str(path))


def too_large(source: str) -> InputError:
    """The error for a file over ``MAX_PV_BYTES`` (refused before it is unpacked)."""
    return InputError(source, Text(f"groter dan {MAX_PV_BYTES} bytes; een proces-verbaal is veel kleiner",
                                   f"larger than {MAX_PV_BYTES} bytes; a PV is far smaller"))


def read_pv(data: bytes, source: str) -> MunicipalityPv:
    """Read a Model Na 31-1 / Na 31-2 ODT given as bytes; ``source`` names it in errors."""
    root = _content_root(data, source)
    model = _model(root, source)
    stations, incomplete = _recounted(root, model)
    fields = _described_texts(root)
    return MunicipalityPv(
        source=source,
        model=model,
        recounted=stations,
        incomplete_rows=incomplete,
        municipality=_first(fields, lambda d: d == _MUNICIPALITY_FIELD),
        election_body=_first(fields, lambda d: _BODY_FIELD in d),
        election_date=_first(fields, lambda d: any(k in d for k in _DATE_FIELDS)),
    )


def _content_root(data: bytes, source: str) -> etree._Element:
    if is_pdf(data[:1024]):
        raise InputError(source, Text("is een PDF, geen ODT; van een proces-verbaal als PDF worden de hertellingen niet gelezen",
                                      "is a PDF, not an ODT; the recounts of a PV in PDF form are not read"))
    if not data.startswith(b"PK"):
        raise InputError(source, Text("geen ODT-document (geen zip-archief)",
                                      "not an ODT document (not a zip archive)"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo("content.xml")
    except KeyError:
        raise InputError(source, Text("geen content.xml: geen OpenDocument-tekst",
                                      "no content.xml: not an OpenDocument text"), "content.xml") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as err:
        raise InputError(source, Text(f"geen leesbaar ODT-bestand (beschadigd of afgebroken): {err}",
                                      f"not a readable ODT (damaged or cut short): {err}")) from None
    check_member(info, source)
    try:
        content = bounded_read(archive, info, source, MAX_CONTENT_BYTES)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError, zlib.error) as err:
        raise InputError(source, Text(f"content.xml kan niet worden uitgepakt: {err}",
                                      f"content.xml cannot be unpacked: {err}"), "content.xml") from None
    try:
        tree = xmlsafe.parse(io.BytesIO(content), f"{source}!content.xml")
    except InputError as err:
        where = f"content.xml, {err.where}" if err.where else "content.xml"
        if "DOCTYPE" in err.problem.en:
            raise InputError(source, Text("heeft een DOCTYPE/DTD; een OpenDocument heeft die nooit nodig, dus het wordt "
                                          "geweigerd (entiteit- of extern-bestandaanval?)",
                                          "has a DOCTYPE/DTD; an OpenDocument never needs one, so it is refused "
                                          "(entity or external-file attack?)"), where) from None
        raise InputError(source, err.problem, where) from None
    root = tree.getroot()
    if root.tag != f"{{{OFFICE}}}document-content":
        raise InputError(source, Text("content.xml is geen OpenDocument-document",
                                      "content.xml is not an OpenDocument document"), "content.xml")
    return root


#: What ``_text`` reads of one element at most: a station number, name or postcode is short, and
#: a hostile document can nest every span and table in the one before it.
TEXT_NODES = 2_000
TEXT_CHARS = 2_000


def _text(el: etree._Element) -> str:
    """The text of an element as a reader sees it: ``text:s`` is spaces, tabs and line breaks
    are spaces, whitespace collapsed, and U+2011 (non-breaking hyphen) a plain ``-``. At most
    ``TEXT_NODES`` elements and about ``TEXT_CHARS`` characters are read, so reading every
    field of a document stays linear in its size."""
    parts: list[str] = []
    length = 0
    for n, (event, node) in enumerate(etree.iterwalk(el, events=("start", "end"))):
        if n >= 2 * TEXT_NODES or length >= TEXT_CHARS:
            break
        if event == "start":
            if node is not el and node.tag in _SPACE_TAGS:
                parts.append(" ")
            elif node.text and isinstance(node.tag, str):
                parts.append(node.text)
                length += len(node.text)
        elif node is not el and node.tail:
            parts.append(node.tail)
            length += len(node.tail)
    text = unicodedata.normalize("NFC", "".join(parts)).replace("\u2011", "-").replace("\u2010", "-")
    return " ".join(text.split())


#: Elements that read as one space (``text:s``: spaces collapse to one anyway, never trust its count).
_SPACE_TAGS = {f"{{{TEXT}}}s", f"{{{TEXT}}}tab", f"{{{TEXT}}}line-break"}


def _model(root: etree._Element, source: str) -> PvModel:
    """The model from the document's own heading (``Model Na 31-1``), within its first paragraphs."""
    body = root.find(f"{{{OFFICE}}}body/{{{OFFICE}}}text")
    if body is not None:
        for i, p in enumerate(body.iter(f"{{{TEXT}}}p", f"{{{TEXT}}}h")):
            m = _MODEL_HEADING.search(_text(p))
            if m:
                return PvModel.NA31_1 if m.group(1) == "1" else PvModel.NA31_2
            if i >= 20:
                break
    raise NotAPv(source, Text("geen proces-verbaal Model Na 31-1 of Na 31-2 (die kop ontbreekt)",
                              "not a Model Na 31-1 or Na 31-2 proces-verbaal (no such heading)"))


def _station_rows(root: etree._Element, table_names: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """The described fields (``_ROW_FIELDS``) of every row of the tables named ``table_names``,
    in document order, in one pass: a row's fields are those whose nearest row is it, and a
    row belongs to its nearest table (a table nested in a row is its own table), so nested
    tables cost no more than flat ones."""
    tables: list[str | None] = []
    rows: list[tuple[bool, dict[str, str]]] = []
    for event, node in etree.iterwalk(root, events=("start", "end"), tag=(_TABLE_TAG, _ROW_TAG, _SPAN_TAG)):
        if node.tag == _TABLE_TAG:
            if event == "start":
                tables.append(node.get(f"{{{TABLE}}}name"))
            else:
                tables.pop()
        elif node.tag == _ROW_TAG:
            if event == "start":
                rows.append((bool(tables) and tables[-1] in table_names, {}))
            else:
                wanted, fields = rows.pop()
                if wanted:
                    yield fields
        elif event == "start" and rows and rows[-1][0]:
            key = _row_key(node.get(_DESCRIPTION))
            fields = rows[-1][1]
            if key and key not in fields:
                fields[key] = _text(node)


_TABLE_TAG, _ROW_TAG, _SPAN_TAG = f"{{{TABLE}}}table", f"{{{TABLE}}}table-row", f"{{{TEXT}}}span"


def _row_key(description: str | None) -> str | None:
    """Which field of a station row a span's template expression is: number, name or postcode."""
    if description is None:
        return None
    return ("number" if description == _NUMBER_FIELD else "name" if description == _NAME_FIELD
            else "postcode" if _POSTCODE_FIELD in description else None)


def _recounted(root: etree._Element, model: PvModel) -> tuple[tuple[PvStation, ...], int]:
    stations: dict[PvStation, None] = {}
    incomplete = 0
    for fields in _station_rows(root, RECOUNT_TABLES[model]):
        if not fields:
            continue  # a heading or layout row
        number, name = fields.get("number", ""), fields.get("name", "")
        if not (number.isascii() and number.isdigit()) or not name:
            incomplete += 1
            continue
        postcode_text = fields.get("postcode") or ""
        written = split_station_name(postcode_text)[1] or postcode_text  # "(postcode: 1234 AB)" or "1234 AB"
        postcode = normalise(written, spaced=True) if postcode_text else None
        stations.setdefault(PvStation(int(number), name, postcode))
    return tuple(stations), incomplete


def _described_texts(root: etree._Element) -> list[tuple[str, etree._Element]]:
    """Every span with a template expression, and the span (its text is read when asked)."""
    return [(span.get(_DESCRIPTION) or "", span) for span in root.iter(_SPAN_TAG) if span.get(_DESCRIPTION)]


def _first(fields: list[tuple[str, etree._Element]], wanted: Callable[[str], bool]) -> str | None:
    return next((text for description, span in fields if wanted(description) and (text := _text(span))), None)


# ---------------------------------------------------------------- matching with the 510b


@dataclass(frozen=True)
class Unmatched:
    """A station the PV lists that cannot be taken as recounted, and why.

    ``unit_name`` is the 510b's name for the station with that number (None: the 510b has no
    station with that number)."""

    station: PvStation
    unit_name: str | None

    @property
    def text(self) -> Text:
        s = self.station
        if self.unit_name is None:
            return Text(f"PV noemt stembureau {s.number} ({s.name}) als herteld, maar het telbestand heeft geen stembureau {s.number}",
                        f"PV lists station {s.number} ({s.name}) as recounted, but the count file has no station {s.number}")
        return Text(f"PV noemt stembureau {s.number} {s.name!r}, het telbestand noemt het {self.unit_name!r}: niet als herteld genomen",
                    f"PV lists station {s.number} as {s.name!r}, the count file names it {self.unit_name!r}: not taken as recounted")


@dataclass(frozen=True)
class RecountMatch:
    """The outcome of matching a PV's recounted stations with a 510b.

    ``recounted``: the ``Tally.id`` of every station taken as recounted (number AND name match);
    ``unmatched``: the listed stations that could not be matched, each with the reason."""

    recounted: frozenset[str]
    unmatched: tuple[Unmatched, ...] = ()


def station_number(unit: Tally) -> int | None:
    """The station number of a reporting unit: ``0505::SB12`` -> 12; None for a non-station."""
    m = re.fullmatch(r"SB0*(\d+)", unit.code or "")
    return int(m.group(1)) if m else None


def comparable_name(name: str) -> str:
    """A station name as compared between PV and 510b: without ``(postcode: ...)`` and one
    leading ``Stembureau`` (the 510b writes ``Stembureau <name> (postcode: 1234 AB)``, the PV
    ``<name>``), Unicode NFC, whitespace collapsed, case ignored. Nothing else is loosened:
    a different spelling is a different name."""
    bare, _ = split_station_name(name)
    bare = re.sub(r"(?i)^stembureau\s+", "", bare.strip())
    return " ".join(unicodedata.normalize("NFC", bare).split()).casefold()


def match_recounted(pvs: MunicipalityPv | Iterable[MunicipalityPv], count: CountFile) -> RecountMatch:
    """Which stations of ``count`` (a 510b) the PV(s) list as recounted.

    A station is taken as recounted only when its number AND its name match (``comparable_name``),
    as the protocol asks; when both PV and 510b give a postcode they must agree too (a different
    postcode is a different station). Every listed station that does not match is returned in
    ``unmatched``, never dropped silently."""
    pv_list = [pvs] if isinstance(pvs, MunicipalityPv) else list(pvs)
    by_number: dict[int, Tally] = {}
    for unit in count.units:
        n = station_number(unit)
        if n is not None:
            by_number.setdefault(n, unit)
    recounted: set[str] = set()
    unmatched: dict[PvStation, Unmatched] = {}
    for pv in pv_list:
        for station in pv.recounted:
            unit = by_number.get(station.number)
            if unit is None:
                unmatched.setdefault(station, Unmatched(station, None))
                continue
            unit_name = unit.name or ""
            unit_postcode = normalise(split_station_name(unit_name)[1])
            same_postcode = not (station.postcode and unit_postcode) or (
                normalise(station.postcode) == unit_postcode)
            if comparable_name(unit_name) == comparable_name(station.name) and same_postcode:
                recounted.add(unit.id or "")
            else:
                unmatched.setdefault(station, Unmatched(station, unit_name))
    return RecountMatch(frozenset(recounted), tuple(unmatched.values()))


# ---------------------------------------------------------------- pairing a PV with its 510b

#: Election category -> words the PV's election body contains.
_BODY_WORDS: dict[str, str] = {
    "TK": "tweede kamer", "EK": "eerste kamer", "EP": "europees parlement", "PS": "provinciale staten",
    "GR": "gemeenteraad", "AB": "algemeen bestuur", "ER": "eilandsraad", "BC": "bestuurscommissie",
}


def _date_parts(text: str) -> tuple[int | None, int, int] | None:
    """``29 oktober 2025`` -> (29, 10, 2025); ``november 2023`` -> (None, 11, 2023)."""
    m = re.fullmatch(r"(?:(\d{1,2})\s+)?([a-z]+)\s+(\d{4})", text.strip().casefold())
    if not m or m.group(2) not in _MONTHS:
        return None
    return (int(m.group(1)) if m.group(1) else None, _MONTHS.index(m.group(2)) + 1, int(m.group(3)))


def pairing_problem(pv: MunicipalityPv, count: CountFile) -> str | None:
    """Why ``pv`` does not belong to ``count`` (English), or None when it does.

    The PV names its municipality, election body and election date; each that both sides
    give must agree (the municipality must be given): municipality with the 510b's authority
    (or contest) name, the body with
    the election category, the date (day, or month and year) with the election date."""
    def same(a: str | None, b: str | None) -> bool:
        def norm(text: str | None) -> str:
            return " ".join(unicodedata.normalize("NFC", text or "").split()).casefold()
        return norm(a) == norm(b)

    if not pv.municipality:
        return "the PV does not name its municipality"
    if not (same(pv.municipality, count.authority_name) or same(pv.municipality, count.contest_name)):
        return f"the PV is for {pv.municipality}, the count file for {count.authority_name or count.contest_name or '?'}"
    category = (count.election.category or "").upper()
    if pv.election_body and category in _BODY_WORDS and _BODY_WORDS[category] not in pv.election_body.casefold():
        return f"the PV is for {pv.election_body}, the count file for a {category} election"
    parts = _date_parts(pv.election_date) if pv.election_date else None
    date: dt.date | None = count.election.date
    if parts and date is not None:
        day, month, year = parts
        if (year, month) != (date.year, date.month) or (day is not None and day != date.day):
            return f"the PV is for the election of {pv.election_date}, the count file for {date.isoformat()}"
    return None


def pair_pvs(pvs: Iterable[MunicipalityPv], counts: Iterable[CountFile]) -> tuple[dict[str, list[MunicipalityPv]], list[MunicipalityPv]]:
    """Pair each PV with the 510b(s) it belongs to (``pairing_problem`` is None).

    Returns ``{count.source: [pv, ...]}`` for every count with at least one PV, and the PVs
    that belong to no count (to report, never to drop silently)."""
    counts = list(counts)
    paired: dict[str, list[MunicipalityPv]] = {}
    alone: list[MunicipalityPv] = []
    for pv in pvs:
        homes = [c for c in counts if pairing_problem(pv, c) is None]
        for c in homes:
            paired.setdefault(c.source, []).append(pv)
        if not homes:
            alone.append(pv)
    return paired, alone
