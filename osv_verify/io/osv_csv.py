"""Reader and writer for the OSV4-3 CSV export ("osv4-3_telling_….csv"): votes per region.

Layout (OSV ``CsvVotesExportHelper``, Abacus ``eml-nl`` ``src/csv``)::

    Verkiezing;;<election name>             header block: label in column 1, value in column 3
    Datum;;<YYYY-MM-DD>
    Gebied;;Gemeente X | Kieskring X | Nederland | …
    Nummer;;<0668 | HSB2 | CSB>
                                            empty line
    Lijstnummer;Aanduiding;Volgnummer;Naam kandidaat;Totaal;<region name>…
    Gebiednummer;;;;;<region number>…       (absent in the oldest layout)
    Postcode;;;;;<postcode>…                (optional; oldest layout: first cell empty)
    ;<statistic>;;;<total>;<value>…         opgeroepenen, geldige stempas, …
    <n>;<list name>;;;<total>;<value>…      each list, followed by its candidates:
    ;;<position>;<name>;<total>;<value>…    position may be "(name)" when it differs by region

Variants read: with or without UTF-8 BOM, every cell quoted or none (``""`` is an empty cell),
rows padded with ``;`` to the widest row (spreadsheet re-saves), ``\\n``, ``\\r\\n`` or ``\\r``,
labels with trailing spaces, ``-`` for "no value", dates as ``YYYY-MM-DD`` or ``DD-MM-YYYY``,
region numbers whose leading zeros a spreadsheet dropped (``59`` for kieskring member ``0059``).
An empty cell or ``-`` is *absent*, never 0. The encoding must be UTF-8: other bytes are
refused with the line they are on (there is no cp1252 guessing; re-save the file as UTF-8).

Where a number is: rows and columns are 1-based as a spreadsheet shows them (row = the line
the record starts on). The ``Totaal`` column is column 5 (``TOTAL_COLUMN``); ``units[i]`` is
column ``FIRST_UNIT_COLUMN + i``, which its ``element`` also names (``column 7 (Gemeentehuis)``).
The row of each statistic, list and candidate comes from ``osv_csv_rows``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from osv_verify.core.errors import InputError
from osv_verify.core.identity import ascii_id
from osv_verify.core.postcode import split_station_name
from osv_verify.io.numbers import MAX_COUNT, parse_count
from osv_verify.core.model import CandidateKey, CountFile, ElectionRef, Level, Tally

KIND = "osv4-3"
DELIMITER = ";"
BOM = "\ufeff"
TOTAL_COLUMN = 5
FIRST_UNIT_COLUMN = 6
COLUMN_HEADER = ("Lijstnummer", "Aanduiding", "Volgnummer", "Naam kandidaat", "Totaal")
ABSENT = ("", "-")

#: Statistics row label -> count key, in the order OSV writes the rows of a gemeente file.
ROW_LABELS: dict[str, str] = {
    "opgeroepenen": "eligible",
    "geldige stempas": "poll_cards",
    "geldig volmachtbewijs": "proxy_certificates",
    "geldige kiezerspas": "voter_cards",
    "toegelaten kiezers": "admitted",
    "geldige stembiljetten": "valid",
    "blanco stembiljetten": "blank",
    "ongeldige stembiljetten": "invalid",
    "aangetroffen stembiljetten": "ballots_found",
    "meer stembiljetten dan toegelaten kiezers": "more_ballots",
    "minder stembiljetten dan toegelaten kiezers": "fewer_ballots",
    "kiezers met stembiljet hebben niet gestemd": "taken_home",
    "er zijn te weinig stembiljetten uitgereikt": "too_few_issued",
    "er zijn te veel stembiljetten uitgereikt": "too_many_issued",
    "er zijn stembiljetten kwijtgeraakt": "lost_ballots",
    "geen stembiljet in enveloppe": "no_postal_ballot",
    "meer stembiljetten in een enveloppe": "too_many_postal_ballots",
    "geen verklaring": "no_explanation",
    "andere verklaring": "other_explanation",
}
LABEL_BY_KEY: dict[str, str] = {v: k for k, v in ROW_LABELS.items()}
#: Rows OSV writes (in a 510b export) even when the file has no value for them.
STANDARD_KEYS = frozenset(ROW_LABELS.values()) - {"lost_ballots", "no_postal_ballot", "too_many_postal_ballots"}

#: Words in an election name -> ElectionCategory, first match wins.
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("gemeenteraad", "GR"),
    ("tweede kamer", "TK"),
    ("provinciale staten", "PS"),
    ("algemeen bestuur", "AB"),
    ("waterschap", "AB"),
    ("europees parlement", "EP"),
    ("eerste kamer", "EK"),
    ("eilandsraad", "ER"),
)
#: Categories whose EML election id ends in ``_<domain>`` (municipality, province, water board).
DOMAIN_CATEGORIES = frozenset({"GR", "PS", "AB", "ER"})
WATER_BOARD_WORDS = frozenset({"van", "het", "de", "waterschap", "wetterskip", "hoogheemraadschap"})
GEBIED_PREFIXES: tuple[tuple[str, Level], ...] = (
    ("gemeente ", Level.MUNICIPALITY),
    ("openbaar lichaam ", Level.MUNICIPALITY),
    ("kieskring ", Level.DISTRICT),
)

_SNIFF = re.compile(rb'(?i)\A(?:\xef\xbb\xbf)?[\r\n]*"?verkiezing"?(?:[;,\t|"]|\r|\n|\Z)')
_NUMBER_IN_NAME = re.compile(r"(?i)^(?:(?:brief)?stembureau\s*)?(?:SB\s*)?(\d+)\b")


# ---------------------------------------------------------------- sniffing and small helpers


def looks_like_osv_csv(head: bytes) -> bool:
    """True when the first bytes look like an OSV4-3 CSV: first cell ``Verkiezing``.

    Also true for a file with another delimiter, so that the reader can say what is wrong.
    """
    return bool(_SNIFF.match(head))


def _decode(data: bytes, source: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(
            source, f"byte 0x{data[err.start]:02x} is not UTF-8 (save the file as UTF-8)", f"line {line}",
            nl=f"byte 0x{data[err.start]:02x} is geen UTF-8 (sla het bestand op als UTF-8)",
        ) from None
    return text.removeprefix(BOM)


def _records(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, stripped cells) per CSV record; row = the line the record starts on.

    The C reader (``csv``, strict) reads every well-formed record. A record it refuses because
    a quote character opens an unquoted field (``9;"Leefbaar 's-Hertogenbosch" Paul Kagie;;;``,
    as spreadsheet re-saves write a name with quotes) is read again by ``_loose_record``, which
    keeps those quotes as text and still refuses quotes that do not pair up; then the C reader
    goes on after it. A quote that never closes is refused by ``_loose_record`` too, with its
    column.
    """
    lines = io.StringIO(text, newline="")
    row = 1
    labels = TOTAL_COLUMN - 1
    while True:
        reader = csv.reader(lines, delimiter=DELIMITER, strict=True)
        before = row - 1  # physical lines before this reader's first line
        try:
            for cells in reader:
                # as _stripped, inline: this loop runs once per row of every CSV
                numbers = "".join(cells[labels:])
                if numbers and not numbers.isdigit():
                    yield row, [c.strip() for c in cells]
                else:
                    yield row, [c.strip() for c in cells[:labels]] + cells[labels:]
                row = before + reader.line_num + 1
            return
        except csv.Error as err:
            if not any(quote_trouble in str(err) for quote_trouble in ("expected after", "unexpected end of data")):
                raise InputError(source, f"not valid CSV ({err})", f"row {row}", nl=f"geen geldige CSV ({err})") from None
        start = _line_offset(text, row)
        cells, end = _loose_record(text, start, source, row)
        yield row, _stripped(cells)
        row += len(_LINE_BREAK.findall(text, start, end))
        lines.seek(end)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FIELD_END = re.compile(r"[;\r\n]")


def _stripped(cells: list[str]) -> list[str]:
    """Cells without surrounding spaces; the numbers of most rows are plain digits, and then
    only the labels need a strip."""
    labels = TOTAL_COLUMN - 1
    numbers = "".join(cells[labels:])
    if numbers and not numbers.isdigit():
        return [c.strip() for c in cells]
    return [c.strip() for c in cells[:labels]] + cells[labels:]


def _line_offset(text: str, row: int) -> int:
    """Where line ``row`` (1-based) starts in ``text``."""
    if row == 1:
        return 0
    for n, m in enumerate(_LINE_BREAK.finditer(text), start=2):
        if n == row:
            return m.end()
    return len(text)


def _loose_record(text: str, pos: int, source: str, row: int) -> tuple[list[str], int]:
    """The cells of the record at ``pos`` and where the next record starts.

    As the C reader, except that a field which opens with a quote that closes before the end of
    the field (``"Leefbaar 's-Hertogenbosch" Paul Kagie``) is text, quotes included. Refused,
    with row and column: a quote that never closes, and such a field whose quotes do not pair
    up or that runs over a line end (``"Partij A;;;"150"``).
    """
    cells: list[str] = []
    while True:
        column = len(cells) + 1
        if text.startswith('"', pos):
            close = pos + 1
            while (close := text.find('"', close)) >= 0 and text.startswith('""', close):
                close += 2
            if close < 0:
                raise InputError(source, "not valid CSV (a quote is opened but never closed)", f"row {row}, column {column}",
                                 nl="geen geldige CSV (een aanhalingsteken wordt geopend maar nooit gesloten)")
            after = close + 1
            if after == len(text) or text[after] in ";\r\n":
                value, pos = text[pos + 1:close].replace('""', '"'), after
            else:  # quote characters inside an unquoted field: text
                m = _FIELD_END.search(text, after)
                stop = m.start() if m else len(text)
                value = text[pos:stop]
                if "\n" in value or "\r" in value or value.count('"') % 2:
                    raise InputError(source, f"not valid CSV (quote characters that do not pair up in {value[:40]!r})",
                                     f"row {row}, column {column}",
                                     nl=f"geen geldige CSV (aanhalingstekens die geen paar vormen in {value[:40]!r})")
                pos = stop
        else:
            m = _FIELD_END.search(text, pos)
            stop = m.start() if m else len(text)
            value, pos = text[pos:stop], stop
        cells.append(value)
        if text.startswith(DELIMITER, pos):
            pos += 1
            continue
        m = _LINE_BREAK.match(text, pos)
        return cells, m.end() if m else pos


def _trimmed(cells: list[str]) -> list[str]:
    """The cells without the trailing empty ones (padding)."""
    n = len(cells)
    while n and not cells[n - 1]:
        n -= 1
    return cells[:n]


def _date(text: str, source: str, where: str) -> dt.date | None:
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise InputError(source, f"date {text!r} is neither YYYY-MM-DD nor DD-MM-YYYY", where,
                     nl=f"datum {text!r} is geen JJJJ-MM-DD en geen DD-MM-JJJJ")


def _new_tally(tally_id: str | None, name: str | None, element: str) -> Tally:
    return Tally.model_construct(
        id=tally_id, name=name, counts={}, lists={}, candidates={}, investigations={}, element=element
    )


# ---------------------------------------------------------------- header: election and level


def _level(gebied: str, nummer: str) -> tuple[Level, str]:
    """Level and authority name from the ``Gebied`` text; without a known prefix the shape of
    ``Nummer`` decides (``0668`` gemeente, ``HSB2`` kieskring), else central."""
    low = gebied.lower()
    for prefix, level in GEBIED_PREFIXES:
        if low.startswith(prefix):
            return level, gebied[len(prefix):].strip()
    if re.fullmatch(r"\d{1,4}", nummer):
        return Level.MUNICIPALITY, gebied
    if re.fullmatch(r"HSB\d+", nummer):
        return Level.DISTRICT, gebied
    return Level.CENTRAL, gebied


def election_from_name(name: str, date: dt.date | None, authority_name: str | None) -> ElectionRef:
    """An ``ElectionRef`` built like the EML one from the ``Verkiezing`` text and the date.

    The id follows EML ids: ``TK2023``, ``GR2022_WestMaasenWaal``, ``PS2019_Fryslan``. The CSV
    does not carry the election domain, so for PS/AB/ER the domain is taken from the name
    (``Provinciale Staten Fryslân 2019`` -> ``Fryslan``); when that guess differs from the EML
    id, a caller may re-map a CSV to the EML election with the same name and date.
    """
    year_match = re.search(r"(\d{4})\s*$", name)
    year = str(date.year) if date else (year_match.group(1) if year_match else "")
    bare = name[: year_match.start()].strip() if year_match else name.strip()
    low = bare.lower()
    category = next((cat for words, cat in CATEGORIES if words in low), None)
    domain = ""
    if category in DOMAIN_CATEGORIES:
        words = next(w for w, c in CATEGORIES if c == category and w in low)
        rest = bare[low.index(words) + len(words):].split()
        if category == "AB":
            while rest and rest[0].lower() in WATER_BOARD_WORDS:
                rest.pop(0)
        domain = " ".join(rest) or (authority_name or "" if category == "GR" else "")
    prefix = category or ascii_id(bare) or "OSV"
    reduced = ascii_id(domain)
    return ElectionRef(
        id=f"{prefix}{year}" + (f"_{reduced}" if reduced else ""),
        name=name or None,
        category=category,
        domain_name=domain or None,
        date=date,
    )


# ---------------------------------------------------------------- units: ids from Gebiednummer


def _unit_id(level: Level, nummer: str, code: str) -> str:
    if level is Level.MUNICIPALITY:
        return f"{nummer}::{code}" if code.upper().startswith("SB") else f"{nummer}::SB{code}"
    if level is Level.DISTRICT:
        return f"{nummer}::{code}"
    return code if code.upper().startswith("HSB") or not code.isdigit() else f"HSB{code}"


def _units(
    level: Level, nummer: str, names: list[str], codes: list[str] | None, source: str, codes_row: int
) -> list[Tally]:
    """One empty tally per region column, with its id and where it is.

    Ids come from the ``Gebiednummer`` row. A kieskring member code with fewer than 4 digits
    lost its leading zeros in a spreadsheet and is padded again. Without a number (oldest
    layout), a number at the start of the column name is used, else the column's position;
    the ``element`` says which.
    """
    units: list[Tally] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        col = FIRST_UNIT_COLUMN + i
        code = codes[i] if codes is not None and i < len(codes) else ""
        how = ""
        if code and level is Level.DISTRICT and code.isdigit() and len(code) < 4:
            code, how = code.zfill(4), f"; Gebiednummer {code!r} read as {code.zfill(4)!r}"
        elif not code:
            m = _NUMBER_IN_NAME.match(name)
            if m:
                code, how = m.group(1), "; no Gebiednummer: id from the column name"
            else:
                code, how = str(i + 1), "; no Gebiednummer: id from the column position"
        unit_id = _unit_id(level, nummer, code)
        seen.setdefault(unit_id, col)  # a region twice is a finding (AGG.DUPLICATE_UNIT), as in EML
        units.append(_new_tally(unit_id, name or None, f"column {col} ({name}){how}"))
    return units


# ---------------------------------------------------------------- the reader


class BadCell(NamedTuple):
    """A number cell that cannot be read (text, a negative number, ...), in lenient mode."""

    unit: str | None  # the tally's id; None for the Totaal column
    kind: str  # "counts", "lists" or "candidates"
    key: object  # the count key, list number or candidate key of the row
    row: int
    column: int
    error: InputError


@dataclass
class _Sheet:
    """What has been read so far: the rows of numbers by kind, and where each key was found.

    The numbers are kept row by row and handed to the tallies column by column at the end
    (``finish``): a national file has hundreds of columns, and a transpose in C is far cheaper
    than a dictionary assignment per cell.
    """

    source: str
    width: int
    tallies: list[Tally]
    rows: dict[str | int | CandidateKey, int] = field(default_factory=dict)
    list_names: dict[int, str] = field(default_factory=dict)
    candidate_names: dict[CandidateKey, str] = field(default_factory=dict)
    current_list: int | None = None
    bad: list[BadCell] | None = None  # lenient mode (``read_osv_csv_lenient``): bad number cells
    numbers: dict[str, tuple[list, list[list[int | None]]]] = field(
        default_factory=lambda: {"counts": ([], []), "lists": ([], []), "candidates": ([], [])}
    )

    def values(self, row: int, cells: list[str], kind: str = "", key: object = None) -> list[int | None]:
        """The numbers of columns 5.. (total, then units); a cell beyond the header is an error."""
        _check_width(cells, self.width, row, self.source)
        texts = cells[TOTAL_COLUMN - 1 : self.width]
        out: list[int | None] = []
        joined = ",".join(texts)
        if joined.isascii() and joined.replace(",", "").isdigit():
            # the common case, a full row of plain numbers, read in C; an empty cell, a leading
            # zero or a huge number makes it fail, and the careful way below says what is wrong
            try:
                out = json.loads(f"[{joined}]")
            except ValueError:
                pass
        if not out or len(out) != len(texts) or max(out) > MAX_COUNT:
            out = [
                None if text in ABSENT else self._number(text, row, col, kind, key)
                for col, text in enumerate(texts, start=TOTAL_COLUMN)
            ]
        out.extend([None] * (len(self.tallies) - len(out)))
        return out

    def _number(self, text: str, row: int, col: int, kind: str, key: object) -> int | None:
        """One number cell; in lenient mode (``bad`` is a list) a bad cell is noted and left empty."""
        try:
            return parse_count(text, self.source, f"row {row}, column {col}")
        except InputError as err:
            if self.bad is None:
                raise
            self.bad.append(BadCell(self.tallies[col - TOTAL_COLUMN].id, kind, key, row, col, err))
            return None

    def claim(self, key: str | int | CandidateKey, what: str, row: int, col: int, what_nl: str | None = None) -> None:
        """Note the row of a statistic, list or candidate; each may appear only once."""
        if key in self.rows:
            what_nl, first = what_nl or what, self.rows[key]
            raise InputError(self.source, f"{what} appears twice (also row {first})", f"row {row}, column {col}",
                             nl=f"{what_nl} staat er twee keer in (ook rij {first})")
        self.rows[key] = row

    def _keep(self, kind: str, key: str | int | CandidateKey, row: int, cells: list[str]) -> None:
        keys, rows = self.numbers[kind]
        keys.append(key)
        rows.append(self.values(row, cells, kind, key))

    def statistic(self, row: int, cells: list[str]) -> None:
        key = ROW_LABELS.get(cells[1].lower())
        if key is None:
            return  # a statistic this version does not know: ignored, not guessed
        self.claim(key, f"row {cells[1]!r}", row, 2, f"rij {cells[1]!r}")
        self._keep("counts", key, row, cells)

    def party(self, row: int, cells: list[str]) -> None:
        n = parse_count(cells[0], self.source, f"row {row}, column 1", "list number")
        self.claim(n, f"list {n}", row, 1, f"lijst {n}")
        self.current_list = n
        if cells[1]:
            self.list_names[n] = cells[1]
        self._keep("lists", n, row, cells)

    def candidate(self, row: int, cells: list[str]) -> None:
        if self.current_list is None:
            raise InputError(self.source, "candidate row before any list row", f"row {row}, column 3",
                             nl="kandidaatrij vóór de eerste lijstrij")
        position, name = cells[2], cells[3] if len(cells) > 3 else ""
        if position.isascii() and position.isdigit():
            key: CandidateKey = (self.current_list, position, None)
        else:  # "(name)": the candidate has different positions in different regions
            bare = position[1:-1] if position.startswith("(") and position.endswith(")") else position
            key = (self.current_list, None, bare or name)
        self.claim(key, f"candidate {position or name!r} of list {self.current_list}", row, 3,
                   f"kandidaat {position or name!r} van lijst {self.current_list}")
        if name:
            self.candidate_names[key] = name
        self._keep("candidates", key, row, cells)

    def finish(self) -> None:
        """Give every tally its column of numbers; an absent number (None) is left out."""
        for kind, (keys, rows) in self.numbers.items():
            if not rows:
                continue
            for tally, column in zip(self.tallies, zip(*rows)):
                if None in column:
                    numbers = {k: v for k, v in zip(keys, column) if v is not None}
                else:
                    numbers = dict(zip(keys, column))
                setattr(tally, kind, numbers)


Records = Iterator[tuple[int, list[str]]]


def _header_block(records: Records, source: str) -> tuple[dict[str, tuple[int, str]], int, list[str]]:
    """The rows before the column header (``label -> (row, value)``), and the column header."""
    header: dict[str, tuple[int, str]] = {}
    for row, cells in records:
        cells = _trimmed(cells)
        if not cells:
            continue
        label = cells[0]
        if not header and label.lower() != "verkiezing":
            raise InputError(
                source, f"not an OSV4-3 CSV (first cell is {label[:40]!r}, not 'Verkiezing')", f"row {row}, column 1",
                nl=f"geen OSV4-3-CSV (de eerste cel is {label[:40]!r}, niet 'Verkiezing')",
            )
        if label.lower() == COLUMN_HEADER[0].lower():
            if len(cells) < TOTAL_COLUMN or cells[2].lower() != "volgnummer" or cells[4].lower() != "totaal":
                raise InputError(
                    source,
                    "column header is not Lijstnummer;Aanduiding;Volgnummer;Naam kandidaat;Totaal;… "
                    "(a referendum export is not supported)",
                    f"row {row}",
                    nl="de kolomkop is niet Lijstnummer;Aanduiding;Volgnummer;Naam kandidaat;Totaal;… "
                    "(een export van een referendum wordt niet ondersteund)",
                )
            return header, row, cells
        header.setdefault(label.lower(), (row, next((c for c in cells[1:] if c), "")))
    raise InputError(source, "no column header row (Lijstnummer;Aanduiding;Volgnummer;Naam kandidaat;Totaal;…)",
                     nl="geen kolomkop (Lijstnummer;Aanduiding;Volgnummer;Naam kandidaat;Totaal;…)")


def _check_width(cells: list[str], width: int, row: int, source: str) -> None:
    for i in range(width, len(cells)):
        if cells[i]:
            raise InputError(source, f"value {cells[i]!r} beyond the last column of the header", f"row {row}, column {i + 1}",
                             nl=f"waarde {cells[i]!r} voorbij de laatste kolom van de kolomkop")


def _prelude(records: Records, width: int, source: str) -> tuple[list[str] | None, int, tuple[int, list[str]] | None, list[str]]:
    """The ``Gebiednummer`` row (codes and row number), the first row after the optional
    ``Postcode`` row, and the postcodes of that row (per region column). The oldest layout has no
    ``Gebiednummer`` row and a postcode row whose first cell is empty: a row whose first five
    cells are empty, before any label."""
    codes: list[str] | None = None
    codes_row = 0
    postcodes: list[str] = []
    for row, cells in records:
        if not any(cells):
            continue
        first = cells[0].lower()
        if first == "gebiednummer" and codes is None:
            _check_width(cells, width, row, source)
            codes, codes_row = cells[TOTAL_COLUMN:width], row
        elif first != "postcode" and any(cells[:TOTAL_COLUMN]):
            return codes, codes_row, (row, cells), postcodes
        else:
            postcodes = cells[TOTAL_COLUMN:width]
    return codes, codes_row, None, postcodes


def _check_delimiter(text: str, source: str) -> None:
    """Refuse a file whose first row is ``Verkiezing`` followed by another delimiter."""
    body = text.lstrip("\r\n")
    m = re.match(r'(?i)"?verkiezing"?([,\t|])', body)
    if m:
        row = text[: len(text) - len(body)].count("\n") + 1
        raise InputError(source, f"the delimiter is {m.group(1)!r}; an OSV4-3 CSV uses ';'", f"row {row}, column 1",
                         nl=f"het scheidingsteken is {m.group(1)!r}; een OSV4-3-CSV gebruikt ';'")


def _parse(data: bytes, source: str, bad: list[BadCell] | None = None) -> tuple[CountFile, dict[str | int | CandidateKey, int]]:
    text = _decode(data, source)
    if not text.strip(' \t\r\n;"'):
        raise InputError(source, "empty file", nl="leeg bestand")
    _check_delimiter(text, source)
    records = _records(text, source)
    header, _, columns = _header_block(records, source)
    width = len(columns)
    nummer = header.get("nummer", (0, ""))[1]
    level, authority_name = _level(header.get("gebied", (0, ""))[1], nummer)
    if level is Level.MUNICIPALITY and nummer.isdigit() and len(nummer) < 4:
        nummer = nummer.zfill(4)  # a spreadsheet dropped the leading zeros of the gemeente code
    if not nummer and level is not Level.CENTRAL:
        raise InputError(source, "no Nummer row: the ids of the regions cannot be made",
                         nl="geen rij Nummer: de ids van de gebieden zijn niet te maken")
    codes, codes_row, first, postcodes = _prelude(records, width, source)
    units = _units(level, nummer, columns[TOTAL_COLUMN:], codes, source, codes_row)
    for unit, postcode in zip(units, postcodes):
        unit.postcode = postcode.strip() or None
    total = _new_tally(None, None, f"column {TOTAL_COLUMN} (Totaal)")
    sheet = _Sheet(source, width, [total, *units], bad=bad)
    for row, cells in itertools.chain([first] if first else [], records):
        if not any(cells):
            continue
        cells += [""] * (4 - len(cells))
        if cells[0]:
            sheet.party(row, cells)
        elif cells[1]:
            sheet.statistic(row, cells)
        elif cells[2] or cells[3]:
            sheet.candidate(row, cells)
        else:
            raise InputError(source, "numbers without a label (columns 1-4 are empty)", f"row {row}",
                             nl="getallen zonder omschrijving (kolommen 1-4 zijn leeg)")
    sheet.finish()
    date_row, date_text = header.get("datum", (0, ""))
    date = _date(date_text, source, f"row {date_row}, column 3")
    count = CountFile(
        source=source,
        kind=KIND,
        level=level,
        election=election_from_name(header["verkiezing"][1], date, authority_name),
        authority_id=nummer or None,
        authority_name=authority_name or None,
        list_names=sheet.list_names,
        candidate_names=sheet.candidate_names,
        total=total if (total.counts or total.lists or total.candidates) else None,
        units=units,
    )
    return count, sheet.rows


def peek_osv_csv(head: bytes, source: str) -> tuple[ElectionRef, Level, str | None]:
    """Election, level and authority from the header block only (the first lines), so that
    classifying many CSVs does not hold their numbers in memory. ``read_osv_csv`` reads and
    checks the whole file later."""
    text = head.decode("utf-8-sig", errors="ignore")
    _check_delimiter(text, source)
    found: dict[str, str] = {}
    for line in text.splitlines()[:6]:
        cells = next(csv.reader([line], delimiter=DELIMITER), [])
        cells = [c.strip() for c in cells]
        if cells and cells[0].lower() in ("verkiezing", "datum", "gebied", "nummer"):
            found[cells[0].lower()] = next((c for c in cells[1:] if c), "")
    if "verkiezing" not in found:
        raise InputError(source, "not an OSV4-3 CSV (no 'Verkiezing' row at the top)", "row 1",
                         nl="geen OSV4-3-CSV (bovenaan geen rij 'Verkiezing')")
    nummer = found.get("nummer", "")
    level, authority_name = _level(found.get("gebied", ""), nummer)
    if level is Level.MUNICIPALITY and nummer.isdigit() and len(nummer) < 4:
        nummer = nummer.zfill(4)
    try:
        date = _date(found.get("datum", ""), source, "row 2, column 3")
    except InputError:
        date = None  # reported when the file is read
    return election_from_name(found["verkiezing"], date, authority_name), level, nummer or None


def read_osv_csv(data: bytes, source: str) -> CountFile:
    """Read an OSV4-3 CSV (any variant in the module docstring) into a ``CountFile``.

    Level from ``Gebied``: ``Gemeente X`` (also for GR) -> gemeente, units ``0668::SB1``;
    ``Kieskring X`` -> kieskring, units ``HSB2::0059``; anything else -> central, units
    ``HSB1``. Raises ``InputError`` (with ``row N, column M``) for anything it cannot read.
    The election id is derived from the name (``election_from_name``); a caller holding the
    EML files may re-map the CSV to the EML election with the same name and date.
    """
    return _parse(data, source)[0]


def read_osv_csv_lenient(data: bytes, source: str) -> tuple[CountFile, dict[str | int | CandidateKey, int], list[BadCell]]:
    """Read a filled-in entry sheet for ``compare``: like ``read_osv_csv``, but a number cell
    that cannot be read is collected as a ``BadCell`` (and left empty) instead of stopping
    the reading. Everything else (layout, labels, duplicates) is as strict as ever. Also
    returns the row of every number (as ``osv_csv_rows``)."""
    bad: list[BadCell] = []
    count, rows = _parse(data, source, bad)
    return count, rows, bad


def osv_csv_rows(data: bytes, source: str) -> dict[str | int | CandidateKey, int]:
    """The row of every number in the file: count key (``"valid"``), list number, or candidate
    key -> 1-based row. With the column of a tally (``element``) this places each number."""
    return _parse(data, source)[1]


# ---------------------------------------------------------------- the writer


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return '"' + text.replace('"', '""') + '"' if text else ""


def _line(cells: list[object]) -> str:
    return DELIMITER.join(map(_cell, cells))


def _column_name(unit: Tally, from_eml: bool) -> tuple[str, str | None]:
    """Column name and postcode. EML names are cleaned as OSV does (``Stembureau X (postcode:
    1234 AB)`` -> ``X``, ``1234 AB``); names read from a CSV are kept as they are."""
    name = unit.name or unit.id or "?"
    if not from_eml:
        return name, None
    bare, postcode = split_station_name(name, at_end=True)
    name = bare.removeprefix("Stembureau ")
    return name or unit.id or "?", postcode


def _gebiednummer(level: Level, unit_id: str | None) -> str:
    """The region number OSV prints: ``0668::SB12`` -> ``12``, ``HSB2::0059`` -> ``0059``, ``HSB3`` -> ``3``."""
    code = unit_id.rsplit("::", 1)[-1] if unit_id else ""
    prefix = "HSB" if level is Level.CENTRAL else "" if level is Level.DISTRICT else "SB"
    return code[len(prefix):] if prefix and code.upper().startswith(prefix) and code[len(prefix):] else code


def _position_order(key: CandidateKey) -> tuple[int, int, str]:
    """Numeric positions first, in numeric order (compared as digit strings); others after."""
    pos = key[1]
    if pos and pos.isascii() and pos.isdigit():
        digits = pos.lstrip("0")
        return 0, len(digits), digits
    return 1, 0, ""


def _candidates_by_list(tallies: list[Tally], names: Mapping[CandidateKey, str]) -> dict[int, list[CandidateKey]]:
    """Every candidate key per list: positions in numeric order, then the rest as first seen."""
    seen: dict[CandidateKey, None] = {}
    for t in tallies:
        seen.update(dict.fromkeys(t.candidates))
    seen.update(dict.fromkeys(names))
    by_list: dict[int, list[CandidateKey]] = {}
    for key in seen:
        by_list.setdefault(key[0], []).append(key)
    for keys in by_list.values():
        keys.sort(key=_position_order)
    return by_list


def write_osv_csv(
    count: CountFile, *, candidate_names: Mapping[CandidateKey, str] | None = None, blank: bool = False
) -> bytes:
    """Write ``count`` in the genuine OSV4-3 layout: UTF-8 with BOM, ``;``, every non-empty cell
    quoted, ``\\n`` line ends, no final newline. Absent numbers are empty cells.

    ``candidate_names`` adds or overrides names (a 510 carries none; take them from the 230b).
    ``blank=True`` leaves every number empty: an entry sheet for the municipality.
    ``read_osv_csv`` gives back every number and id; a candidate keyed by position and
    ShortCode comes back keyed by position only. A station-level (510a) file is written as a
    gemeente file.
    """
    names = {**count.candidate_names, **(candidate_names or {})}
    units = count.units
    tallies = [count.total, *units]
    present = [t for t in tallies if t is not None]
    from_eml = count.kind != KIND

    def numbers(part: str, key: str | int | CandidateKey) -> list[int | None]:
        return [None if blank or t is None else getattr(t, part).get(key) for t in tallies]

    prefix = {Level.DISTRICT: "Kieskring ", Level.CENTRAL: ""}.get(count.level, "Gemeente ")
    columns = [_column_name(u, from_eml) for u in units]
    lines = [
        _line(["Verkiezing", None, count.election.name or count.election.id]),
        _line(["Datum", None, count.election.date.isoformat() if count.election.date else None]),
        _line(["Gebied", None, prefix + (count.authority_name or "")]),
        _line(["Nummer", None, count.authority_id]),
        "",
        _line([*COLUMN_HEADER, *(name for name, _ in columns)]),
        _line(["Gebiednummer", None, None, None, None, *(_gebiednummer(count.level, u.id) for u in units)]),
    ]
    if any(postcode for _, postcode in columns):
        lines.append(_line(["Postcode", None, None, None, None, *(postcode for _, postcode in columns)]))
    for key in ROW_LABELS.values():
        if key in STANDARD_KEYS or any(key in t.counts for t in present):
            lines.append(_line([None, LABEL_BY_KEY[key], None, None, *numbers("counts", key)]))
    by_list = _candidates_by_list(present, names)
    for n in sorted(set(count.list_names).union(*(t.lists for t in present), by_list)):
        lines.append(_line([n, count.list_names.get(n), None, None, *numbers("lists", n)]))
        for key in by_list.get(n, ()):
            position = key[1] if key[1] is not None else f"({key[2]})"
            name = names.get(key, key[2] if key[1] is None else None)
            lines.append(_line([None, None, position, name, *numbers("candidates", key)]))
    return (BOM + "\n".join(lines)).encode("utf-8")
