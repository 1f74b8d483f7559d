"""Read a proces-verbaal as Abacus prints it (PDF): the numbers, the footer hash, what it is about.

Abacus renders every PV with Typst from the numbers it holds; the PDF's text is real text in
reading order (no OCR), and nothing machine-readable is embedded, so the text is read:

* ``Model Na 31-2`` (municipal central count) and ``Model Na 31-1`` (decentral count): the
  letter boxes (``16.202 Z Kiesgerechtigden``, ``1.893 E.1 Totaal lijst 1 - ...``), the
  candidate tables per list (``Faber, T.E.F.W. 1 359``; no votes prints ``-``), the counted
  stations (``1 Ballum 9162 EA``);
* ``Model Na 14-2`` (corrigendum): each box and candidate as "oorspronkelijk" and, only where
  it changed, "gecorrigeerd" (``1.345 1.347 E.2 ...``; an unchanged one prints one number);
* ``Model P 22-2`` (central bureau's result): the boxes, the votes per list, the seats per
  list (``Aantal zetels: 7``), whether lots were drawn, and the elected candidates per list.

Every page's footer carries ``Datum: dd-mm-jjjj uu:mm:ss.`` and the SHA-256 of the EML the PV
belongs to, in 16 groups of 4 hex digits; on pages with a two-digit page number the last group
wraps onto its own line, so the groups are joined across lines. A PV whose pages do not all
carry the same hash is refused (it is then not one PV). Numbers use ``.`` for thousands and
fractions print as ``340 4⁄15`` (U+2044).

A PDF is read with pypdf (chosen by ``benchmarks/pdf_library.py``) within limits: its size
(``MAX_PDF_BYTES``), its page count (``MAX_PAGES``, checked before any page is read), pypdf's own
bounds on decompressed streams (a decompression bomb stops there), and the text of a page
(``MAX_PAGE_TEXT``), and all decoded page content together (``MAX_CONTENT``, checked before
a page's text is read, so that thousands of pages that draw one large content stream stop
early). Form XObjects are not read: Typst draws a PV's text directly on its pages, and forms
that draw each other make reading exponential (a form's text stays unread: a number that is not
read is reported as missing, never as agreeing). Encrypted, damaged or hostile PDFs (deep nesting ends in RecursionError)
and PDFs that are not an Abacus PV are one ``InputError`` each.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from osv_verify.core.errors import InputError
from osv_verify.core.text import Text, visible
from osv_verify.io.numbers import MAX_COUNT

if TYPE_CHECKING:
    import pypdf

#: An Abacus PV is well under 1 MB for a municipality (0.5 MB for 21 stations and 251
#: candidates, 20 pages); these limits allow a large province many times over.
MAX_PDF_BYTES = 64 * 1024**2
MAX_PAGES = 2000
MAX_PAGE_TEXT = 1024**2
#: The decoded content streams of all pages together (a page drawn twice counts twice): reading
#: text costs time in proportion to them (about 2 s per MB), and 20 real pages hold 0.5 MB.
MAX_CONTENT = 16 * 1024**2
#: Each stream decoded at most this far (pypdf's default is 75 MB).
MAX_STREAM = 16 * 1024**2

MODELS = {"Na 31-1": "na31-1", "Na 31-2": "na31-2", "Na 14-2": "na14-2", "P 22-2": "p22-2"}
MODEL_NAMES = {key: f"Model {name}" for name, key in MODELS.items()}  # na31-2 -> "Model Na 31-2", as printed
_MODEL = re.compile(r"Model (Na 31-1|Na 31-2|Na 14-2|P 22-2)\b", re.ASCII)
_FOOTER_DATE = re.compile(r"Datum: (\d\d-\d\d-\d{4} \d\d:\d\d:\d\d)\. Digitale vingerafdruk van EML-telbestand bij dit PV:", re.ASCII)
_HASH = re.compile(r"((?:[0-9a-f]{4}\s+){15}[0-9a-f]{4})(?![0-9a-f])", re.ASCII)
_PAGE = re.compile(r"Pagina (\d{1,9}) van (\d{1,9})\s*$", re.ASCII)
_AUTHORITY = re.compile(r"^(?:Gemeente|Openbaar lichaam) (\d{4}) (.+)$", re.ASCII)
_CENTRAL = re.compile(r"^Centraal stembureau (.+)$", re.ASCII)

#: A letter box: the label that follows the letter, so that a station or a list row is never
#: taken for one.
_BOX_LABELS = {
    "Z": "Kiesgerechtigden", "A": "Stempassen", "B": "Volmachtbewijzen", "C": "Kiezerspassen",
    "D": "Totaal toegelaten kiezers", "E": "Totaal stemmen op kandidaten", "F": "Blanco stemmen",
    "G": "Ongeldige stemmen", "H": "Totaal uitgebrachte stemmen", "I": "Totaal aantal méér getelde",
    "J": "Totaal aantal minder getelde",
}
_NUMBER = r"(?:\d{1,3}(?:\.\d{3})*|-)"  # ASCII digits only (every pattern is re.ASCII); number() bounds it
_BOX = re.compile(rf"^(?P<first>{_NUMBER})(?:\s+(?P<second>{_NUMBER}))?\s+(?P<letter>[A-J]|Z|E\.\d{{1,9}})\s+(?P<label>\S.*)$", re.ASCII)
_LIST_BOX = re.compile(r"^Totaal lijst (\d{1,9}) - ", re.ASCII)
_LIST_HEAD = re.compile(r"^Lijst (\d{1,9})\s+(.*?)\s*$", re.ASCII)
_CANDIDATE_ROW = re.compile(rf"(?:^|\s)(?P<number>\d{{1,9}})\s+(?P<first>{_NUMBER})(?:\s+(?P<second>{_NUMBER}))?\s*$", re.ASCII)
_LIST_TOTAL = re.compile(rf"^Totaal lijst \(kolom [\d +]+\)\s+(?P<first>{_NUMBER})(?:\s+(?P<second>{_NUMBER}))?\s*$", re.ASCII)
_STATION = re.compile(r"^(\d{1,9}) (\S.*?)\s*$", re.ASCII)
_P22_LIST_VOTES = re.compile(rf"^(\d{{1,9}}) (.+) ({_NUMBER})$", re.ASCII)
#: P 22-2 prints E, F, G and H below its list table without the letter.
_P22_BOXES = {"Stemmen op kandidaten": "E", "Blanco stemmen": "F", "Ongeldige stemmen": "G",
              "Totaal uitgebrachte stemmen": "H"}
_P22_BOX = re.compile(rf"^({'|'.join(_P22_BOXES)}) ({_NUMBER})$", re.ASCII)
_SEATS = re.compile(r"^Aantal zetels: (\d{1,9})\s*$", re.ASCII)
_ELECTED = re.compile(r"^(\d{1,9}) (.+?) (\d[\d.]*)\s*$", re.ASCII)
#: The gender P 22-2 prints after a name (``Boermans, K.P. (m) 's Gravenveen``): the name ends there.
_GENDER = re.compile(r" \((?:m|v|x)\)(?: |$)", re.ASCII)
#: A lot between lists (2.7): ``De lijsten Lijst 2 A, Lijst 3 B en Lijst 5 C hebben gelijke ...``.
_LOT = re.compile(r"De lijsten (.+?) hebben gelijke", re.ASCII | re.DOTALL)
_LOT_LIST = re.compile(r"(?:^|, | en )Lijst (\d{1,9}) ", re.ASCII)
_QUOTA = re.compile(rf"^({_NUMBER}) ÷ (\d{{1,9}}) = (\d[\d.]*(?: \d{{1,9}}⁄\d{{1,9}})?)\s*$", re.ASCII)


class NotAPvPdf(InputError):
    """A readable PDF that is not an Abacus PV (a letter, a scan): an error when named on the
    command line, skipped inside a folder or archive."""


@dataclass
class Printed:
    """The numbers one column of a PV prints: the boxes (``Z``, ``A`` ... ``J``, only those
    printed), the list totals E.i, and per list its candidates' votes by candidate number."""

    boxes: dict[str, int] = field(default_factory=dict)
    lists: dict[int, int] = field(default_factory=dict)
    candidates: dict[int, dict[int, int]] = field(default_factory=dict)
    list_table_totals: dict[int, int] = field(default_factory=dict)  # "Totaal lijst (kolom 1 + 2)"


@dataclass
class PdfPv:
    """What an Abacus PV says. ``printed`` is what holds now: for a Na 14-2 the corrected numbers
    (an unchanged one is the original), with ``original`` the numbers of the earlier session.
    ``hash`` is the footer's SHA-256 (64 lowercase hex digits, no spaces)."""

    source: str
    model: str  # na31-1, na31-2, na14-2, p22-2
    hash: str
    created: str  # the footer date as printed, dd-mm-jjjj uu:mm:ss
    pages: int
    authority_id: str | None = None  # the four-digit municipality code (not on a P 22-2)
    authority_name: str | None = None
    printed: Printed = field(default_factory=Printed)
    original: Printed | None = None  # Na 14-2 only
    stations: list[tuple[int, str]] = field(default_factory=list)  # (number, "name address postcode locality")
    list_names: dict[int, str] = field(default_factory=dict)
    seats: dict[int, int] = field(default_factory=dict)  # P 22-2: seats per list number
    quota: Fraction | None = None  # P 22-2: the kiesdeler as printed
    lots: bool = False  # P 22-2: the PV says lots were drawn
    elected: dict[int, list[str]] = field(default_factory=dict)  # P 22-2: elected names per list, as printed
    lot_lists: list[frozenset[int]] = field(default_factory=list)  # P 22-2: the lists each printed lot was between, in order


class _Unreadable(ValueError):
    """A printed number no PV can hold; ``parse_pv`` makes it an InputError naming the PV."""


def number(text: str) -> int:
    """A printed count: ``16.202`` -> 16202, ``-`` -> 0; larger than ``MAX_COUNT`` is refused."""
    digits = "0" if text == "-" else text.replace(".", "")
    if len(digits) > len(str(MAX_COUNT)) or int(digits) > MAX_COUNT:
        raise _Unreadable(text)
    return int(digits)


def fraction(text: str) -> Fraction:
    """A printed number with an optional fraction: ``340 4⁄15`` -> Fraction(5104, 15)."""
    whole, _, rest = text.partition(" ")
    value = Fraction(number(whole))
    if rest:
        num, den = rest.split("⁄")
        if number(den) == 0:
            raise _Unreadable(text)
        value += Fraction(number(num), number(den))
    return value


def page_texts(data: bytes, source: str) -> list[str]:
    """The text of every page, within the limits above; any failure is one InputError."""
    import pypdf  # the PDF reader is only loaded when a PDF is read
    from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

    if len(data) > MAX_PDF_BYTES:
        raise InputError(source, Text(f"groter dan {MAX_PDF_BYTES} bytes; een proces-verbaal is veel kleiner",
                                      f"larger than {MAX_PDF_BYTES} bytes; a PV is far smaller"))
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about damaged files are ours to report
    try:
        with pypdf.apply_configuration(xform_maximum_invocations_per_extraction=0, zlib_maximum_output_length=MAX_STREAM):
            return _read_pages(pypdf.PdfReader(io.BytesIO(data), strict=False), source)
    except InputError:
        raise
    except FileNotDecryptedError:

        raise InputError(source, Text("een versleutelde PDF; een proces-verbaal is niet versleuteld",
                                      "an encrypted PDF; a PV is not encrypted")) from None
    except RecursionError:
        raise InputError(source, Text("een PDF met te diep geneste objecten", "a PDF with too deeply nested objects")) from None
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            AssertionError, OSError, EOFError, MemoryError):
        # pypdf signals a damaged or hostile file in many ways; each is this one error
        raise InputError(source, Text("geen leesbare PDF (beschadigd, afgebroken of buiten de grenzen)",
                                      "not a readable PDF (damaged, cut short or beyond the limits)")) from None


def _read_pages(reader: pypdf.PdfReader, source: str) -> list[str]:
    if reader.is_encrypted:
        raise InputError(source, Text("een versleutelde PDF; een proces-verbaal is niet versleuteld",
                                      "an encrypted PDF; a PV is not encrypted"))
    count = len(reader.pages)
    if count > MAX_PAGES:
        raise InputError(source, Text(f"de PDF noemt {count} pagina's; meer dan {MAX_PAGES} wordt niet gelezen",
                                      f"the PDF claims {count} pages; more than {MAX_PAGES} are not read"))
    texts, content = [], 0
    for page in reader.pages:
        content += _content_size(page)
        if content > MAX_CONTENT:
            raise InputError(source, Text(f"de pagina's bevatten samen meer dan {MAX_CONTENT} bytes opmaak; een proces-verbaal is veel kleiner",
                                          f"the pages hold more than {MAX_CONTENT} bytes of content together; a PV is far smaller"))
        text = page.extract_text() or ""
        if len(text) > MAX_PAGE_TEXT:
            raise InputError(source, Text(f"een pagina met meer dan {MAX_PAGE_TEXT} tekens tekst",
                                          f"a page with more than {MAX_PAGE_TEXT} characters of text"))
        texts.append(text)
    return texts


def _content_size(page: pypdf.PageObject) -> int:
    """The decoded size of a page's content streams (pypdf keeps them decoded for reading)."""
    from pypdf.generic import ArrayObject

    contents = page.get("/Contents")
    if contents is None:
        return 0
    contents = contents.get_object()
    return sum(len(part.get_object().get_data()) for part in (contents if isinstance(contents, ArrayObject) else [contents]))


def read_pdf_pv(data: bytes, source: str) -> PdfPv:
    """Read an Abacus PV given as the PDF's bytes; ``source`` names it in errors."""
    texts = page_texts(data, source)
    if not texts:
        raise NotAPvPdf(source, Text("een PDF zonder pagina's", "a PDF without pages"))
    return parse_pv(texts, source)


def parse_pv(texts: list[str], source: str) -> PdfPv:
    """A PV from the text of its pages (``read_pdf_pv`` without the PDF)."""
    model = _MODEL.search(texts[0])
    if model is None:
        raise NotAPvPdf(source, Text("een PDF, maar geen proces-verbaal van Abacus (Model Na 31-1, Na 31-2, Na 14-2 of P 22-2)",
                                     "a PDF, but not an Abacus PV (Model Na 31-1, Na 31-2, Na 14-2 or P 22-2)"))
    hashes, dates, bodies = set(), set(), []
    for n, text in enumerate(texts, 1):
        footers = list(_FOOTER_DATE.finditer(text))
        date = footers[0] if len(footers) == 1 else None
        digest = _HASH.search(text, date.end()) if date else None
        if len(footers) > 1:
            raise InputError(source, Text(f"pagina {n} heeft {len(footers)} voetteksten met een vingerafdruk; een pagina van een proces-verbaal heeft er één",
                                          f"page {n} has {len(footers)} footers with a fingerprint; a PV's page has one"))
        if date is None or digest is None:
            raise InputError(source, Text(f"pagina {n} heeft geen digitale vingerafdruk (16 groepen van 4 tekens) in de voettekst",
                                          f"page {n} has no digital fingerprint (16 groups of 4 characters) in its footer"))
        hashes.add("".join(digest.group(1).split()))
        dates.add(date.group(1))
        # the text after the footer (the page's running head) is read too: nothing printed is skipped
        bodies.append(text[:date.start()] + "\n" + text[digest.end():])
    if len(hashes) > 1 or len(dates) > 1:
        raise InputError(source, Text("de pagina's dragen verschillende vingerafdrukken of datums: dit is niet één proces-verbaal",
                                      "the pages carry different fingerprints or dates: this is not one PV"))
    pv = PdfPv(source, MODELS[model.group(1)], hashes.pop(), dates.pop(), len(texts))
    lines = [visible(line).strip() for body in bodies for line in body.splitlines()]  # no ESC reaches a terminal
    _read_heading(pv, lines)
    if pv.model == "na14-2":
        pv.original = Printed()
    try:
        _read_boxes(pv, lines)
        _read_candidates(pv, lines)
        if pv.model == "p22-2":
            _read_result(pv, lines)
        else:
            pv.stations = _read_stations(lines)
    except _Unreadable as err:
        raise InputError(source, Text(f"het getal {_shown(err)} is groter dan een echte telling kan zijn (max {MAX_COUNT})",
                                      f"the number {_shown(err)} is larger than any real count (max {MAX_COUNT})")) from None
    if not pv.printed.boxes:
        raise InputError(source, Text("een proces-verbaal van Abacus, maar zonder leesbare telresultaten",
                                      "an Abacus PV, but without readable counts"))
    return pv


def _shown(err: _Unreadable) -> str:
    text = str(err)
    return text if len(text) <= 20 else f"{text[:17]}..."


def _put(pv: PdfPv, into: dict, key: object, value: int, what: str) -> None:
    """Store a printed number; the same one printed twice with different values is refused, so
    that a PV is never said to agree with one of the two numbers it prints."""
    if into.setdefault(key, value) != value:
        raise InputError(pv.source, Text(f"{what} staat twee keer op het proces-verbaal, met verschillende getallen ({into[key]} en {value})",
                                         f"{what} is printed twice on the PV, with different numbers ({into[key]} and {value})"))


def _read_heading(pv: PdfPv, lines: list[str]) -> None:
    for line in lines[:10]:
        if m := _AUTHORITY.match(line):
            pv.authority_id, pv.authority_name = m.group(1), m.group(2)
            return
        if m := _CENTRAL.match(line):
            pv.authority_name = m.group(1)
            return


def _both(pv: PdfPv, m: re.Match[str]) -> tuple[int, int | None]:
    """The number that holds now and, on a Na 14-2, the original: a second number is the
    corrected one; one number alone is unchanged."""
    first = number(m.group("first"))
    second = number(m.group("second")) if m.group("second") is not None else None
    if pv.original is None:
        if second is not None:
            raise InputError(pv.source, Text(f"twee getallen waar het model er één drukt: {m.group(0)!r}",
                                             f"two numbers where the model prints one: {m.group(0)!r}"))
        return first, None
    return (first if second is None else second), first


def _read_boxes(pv: PdfPv, lines: list[str]) -> None:
    for line in lines:
        m = _BOX.match(line)
        if m is None:
            continue
        letter, label = m.group("letter"), m.group("label")
        if letter.startswith("E."):
            listed = _LIST_BOX.match(label)
            if listed is None or int(listed.group(1)) != int(letter[2:]):
                continue
            now, before = _both(pv, m)
            n = int(letter[2:])
            _put(pv, pv.printed.lists, n, now, letter)
            pv.list_names[n] = label[listed.end():].strip()
            if pv.original is not None and before is not None:
                _put(pv, pv.original.lists, n, before, letter)
        elif label.startswith(_BOX_LABELS[letter]):
            now, before = _both(pv, m)
            _put(pv, pv.printed.boxes, letter, now, letter)
            if pv.original is not None and before is not None:
                _put(pv, pv.original.boxes, letter, before, letter)


def _read_candidates(pv: PdfPv, lines: list[str]) -> None:
    """The candidate tables: ``Lijst n name``, then rows ending in number and votes, until the
    list's total. On a P 22-2 they are in Bijlage 1."""
    current: int | None = None
    in_table = False
    for line in lines:
        if m := _LIST_HEAD.match(line):
            current, in_table = int(m.group(1)), False
            continue
        if current is None:
            continue
        if line.startswith("Kandidaat "):
            in_table = True
            continue
        if not in_table:
            continue
        if m := _LIST_TOTAL.match(line):
            now, before = _both(pv, m)
            pv.printed.list_table_totals[current] = now
            if pv.original is not None and before is not None:
                pv.original.list_table_totals[current] = before
            current, in_table = None, False
            continue
        if line.startswith("Subtotaal "):
            continue
        if m := _CANDIDATE_ROW.search(line):
            now, before = _both(pv, m)
            what = f"kandidaat {current}.{m.group('number')}"
            _put(pv, pv.printed.candidates.setdefault(current, {}), int(m.group("number")), now, what)
            if pv.original is not None and before is not None:
                _put(pv, pv.original.candidates.setdefault(current, {}), int(m.group("number")), before, what)


def _read_stations(lines: list[str]) -> list[tuple[int, str]]:
    """The counted stations (Na 31-x, 1.2): the rows after each table header. Name, address,
    postcode and locality print in one run of text that cannot be split reliably, so a row is
    its number and that text."""
    rows: list[tuple[int, str]] = []
    state = None  # None, "header" (column titles), "rows"
    for line in lines:
        if line.startswith("Nr. Naam locatie"):
            state = "header"
        elif state == "header":
            state = "rows" if line.endswith("herteld?") else state
        elif state == "rows":
            if m := _STATION.match(line):
                rows.append((int(m.group(1)), m.group(2)))
            else:
                state = None
    return rows


def elected_name(row: str) -> str:
    """The name in a row of the elected (2.9) without the gender and the locality printed after
    it: ``Boermans, K.P. (m) 's Gravenveen`` -> ``Boermans, K.P.``; a row without a gender is
    kept whole (where the name ends is then not printed)."""
    m = _GENDER.search(row)
    return row[:m.start()] if m else row


def _read_result(pv: PdfPv, lines: list[str]) -> None:
    """P 22-2: votes per list (2.3), the kiesdeler (2.5), seats per list and the elected (2.9),
    and whether lots were drawn."""
    section = None
    current: int | None = None
    for line in lines:
        if line.startswith("2.3 Uitgebrachte stemmen"):
            section = "votes"
        elif section == "votes" and (m := _P22_BOX.match(line)):
            pv.printed.boxes[_P22_BOXES[m.group(1)]] = number(m.group(2))
            section = None if m.group(1) == "Totaal uitgebrachte stemmen" else section
        elif section == "votes" and (m := _P22_LIST_VOTES.match(line)):
            pv.printed.lists[int(m.group(1))] = number(m.group(3))
            pv.list_names[int(m.group(1))] = m.group(2)
        elif m := _QUOTA.match(line):
            pv.quota = fraction(m.group(3))
        elif "er is daarom geloot" in line.lower() or "loting" in line.lower():
            pv.lots = True
        if line.startswith("2.9 Toewijzing van zetels"):
            section = "elected"
        elif line.startswith("Bijlage 1"):
            section = None
        if section == "elected":
            if m := _LIST_HEAD.match(line):
                current = int(m.group(1))
            elif current is not None and (m := _SEATS.match(line)):
                pv.seats[current] = int(m.group(1))
                pv.elected[current] = []
            elif line.startswith("Rangschikking"):
                current = None
            elif current is not None and (m := _ELECTED.match(line)) and int(m.group(1)) == len(pv.elected[current]) + 1:
                pv.elected[current].append(elected_name(m.group(2)))
    joined = " ".join(lines)
    pv.lot_lists = [frozenset(int(n) for n in _LOT_LIST.findall(m.group(1))) for m in _LOT.finditer(joined)]
    for n in pv.printed.lists:  # a list without seats has no part in 2.9
        pv.seats.setdefault(n, 0)
        pv.elected.setdefault(n, [])
