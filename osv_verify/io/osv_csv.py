"""Reader for the OSV4-3 CSV export ("osv4-3_telling_….csv"): votes per region.

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

Beside it: ``csv_records`` splits the text into records, ``osv_election`` reads the election and
level from the header block, ``osv_csv_write`` writes this layout.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from osv_verify.core.errors import InputError
from osv_verify.core.text import Text
from osv_verify.io.csv_records import DELIMITER, LABEL_COLUMNS, decode, read_records, trimmed
from osv_verify.io.limits import check_name, check_units
from osv_verify.io.numbers import MAX_COUNT, ascii_digits, parse_count
from osv_verify.io.osv_election import election_from_name, level_of
from osv_verify.core.model import CandidateKey, CountFile, ElectionRef, Level, Tally

KIND = "osv4-3"
TOTAL_COLUMN = LABEL_COLUMNS + 1
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

_SNIFF = re.compile(rb'(?i)\A(?:\xef\xbb\xbf)?[\r\n]*"?verkiezing"?(?:[;,\t|"]|\r|\n|\Z)')
_NUMBER_IN_NAME = re.compile(r"(?i)^(?:(?:brief)?stembureau\s*)?(?:SB\s*)?(\d+)\b")


# ---------------------------------------------------------------- sniffing and small helpers


def looks_like_osv_csv(head: bytes) -> bool:
    """True when the first bytes look like an OSV4-3 CSV: first cell ``Verkiezing``.

    Also true for a file with another delimiter, so that the reader can say what is wrong.
    """
    return bool(_SNIFF.match(head))


def _date(text: str, source: str, where: str) -> dt.date | None:
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise InputError(source, Text(f"datum {text!r} is geen JJJJ-MM-DD en geen DD-MM-JJJJ",
                                  f"date {text!r} is neither YYYY-MM-DD nor DD-MM-YYYY"), where)


def _new_tally(tally_id: str | None, name: str | None, element: str) -> Tally:
    return Tally.model_construct(
        id=tally_id, name=name, counts={}, lists={}, candidates={}, investigations={}, element=element
    )


# ---------------------------------------------------------------- units: ids from Gebiednummer


def _unit_id(level: Level, nummer: str, code: str) -> str:
    if level is Level.MUNICIPALITY:
        return f"{nummer}::{code}" if code.upper().startswith("SB") else f"{nummer}::SB{code}"
    if level is Level.DISTRICT:
        return f"{nummer}::{code}"
    return code if code.upper().startswith("HSB") or not ascii_digits(code) else f"HSB{code}"


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
        if code and level is Level.DISTRICT and ascii_digits(code) and len(code) < 4:
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
            raise InputError(self.source, Text(f"{what_nl} staat er twee keer in (ook rij {first})",
                                               f"{what} appears twice (also row {first})"), f"row {row}, column {col}")
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
            self.list_names[n] = check_name(cells[1], self.source, f"row {row}, column 2")
        self._keep("lists", n, row, cells)

    def candidate(self, row: int, cells: list[str]) -> None:
        if self.current_list is None:
            raise InputError(self.source, Text("kandidaatrij vóór de eerste lijstrij",
                                               "candidate row before any list row"), f"row {row}, column 3")
        position, name = cells[2], cells[3] if len(cells) > 3 else ""
        if position.isascii() and position.isdigit():
            key: CandidateKey = (self.current_list, position, None)
        else:  # "(name)": the candidate has different positions in different regions
            bare = position[1:-1] if position.startswith("(") and position.endswith(")") else position
            key = (self.current_list, None, bare or name)
        self.claim(key, f"candidate {position or name!r} of list {self.current_list}", row, 3,
                   f"kandidaat {position or name!r} van lijst {self.current_list}")
        if name:
            self.candidate_names[key] = check_name(name, self.source, f"row {row}, column 4")
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
        cells = trimmed(cells)
        if not cells:
            continue
        label = cells[0]
        if not header and label.lower() != "verkiezing":
            raise InputError(source, Text(f"geen OSV4-3-CSV (de eerste cel is {label[:40]!r}, niet 'Verkiezing')",
                                          f"not an OSV4-3 CSV (first cell is {label[:40]!r}, not 'Verkiezing')"), f"row {row}, column 1")
        if label.lower() == COLUMN_HEADER[0].lower():
            if len(cells) < TOTAL_COLUMN or cells[2].lower() != "volgnummer" or cells[4].lower() != "totaal":
                raise InputError(source, Text("de kolomkop is niet Lijstnummer;Aanduiding;Volgnummer;Naam kandidaat;Totaal;… "
                                              "(een export van een referendum wordt niet ondersteund)",
                                              "column header is not Lijstnummer;Aanduiding;Volgnummer;Naam kandidaat;Totaal;… "
                                              "(a referendum export is not supported)"), f"row {row}")
            return header, row, cells
        header.setdefault(label.lower(), (row, next((c for c in cells[1:] if c), "")))
    raise InputError(source, Text("geen kolomkop (Lijstnummer;Aanduiding;Volgnummer;Naam kandidaat;Totaal;…)",
                                  "no column header row (Lijstnummer;Aanduiding;Volgnummer;Naam kandidaat;Totaal;…)"))


def _check_width(cells: list[str], width: int, row: int, source: str) -> None:
    for i in range(width, len(cells)):
        if cells[i]:
            raise InputError(source, Text(f"waarde {cells[i]!r} voorbij de laatste kolom van de kolomkop",
                                          f"value {cells[i]!r} beyond the last column of the header"), f"row {row}, column {i + 1}")


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
        raise InputError(source, Text(f"het scheidingsteken is {m.group(1)!r}; een OSV4-3-CSV gebruikt ';'",
                                      f"the delimiter is {m.group(1)!r}; an OSV4-3 CSV uses ';'"), f"row {row}, column 1")


def _check_complete(text: str, last: tuple[int, list[str]] | None, width: int, source: str) -> None:
    """Refuse a table that ends in the middle of a row (a download or copy cut off): a last row
    with fewer cells than the column header and no line end after it. (A file cut at a line end
    cannot be told from a shorter one: a file with only statistics is valid.)"""
    if last is not None and len(last[1]) < width and not text.rstrip(" \t").endswith(("\n", "\r")):
        row, cells = last
        label = next((c for c in cells[:4] if c), "")
        raise InputError(source, Text(f"het bestand houdt midden in een rij op (afgekapt?): rij {row} ({label[:40]!r}) heeft "
                                      f"{len(cells)} van de {width} kolommen van de kolomkop",
                                      f"the file ends in the middle of a row (cut off?): row {row} ({label[:40]!r}) has "
                                      f"{len(cells)} of the {width} columns of the header"), f"row {row}")


def _parse(data: bytes, source: str, bad: list[BadCell] | None = None) -> tuple[CountFile, dict[str | int | CandidateKey, int]]:
    text = decode(data, source)
    if not text.strip(' \t\r\n;"'):
        raise InputError(source, Text("leeg bestand", "empty file"))
    _check_delimiter(text, source)
    records = read_records(text, source)
    header, header_row, columns = _header_block(records, source)
    width = len(columns)
    check_units(width - TOTAL_COLUMN, source)
    for col, name in enumerate(columns, start=1):
        check_name(name, source, f"row {header_row}, column {col}")
    nummer = header.get("nummer", (0, ""))[1]
    level, authority_name = level_of(header.get("gebied", (0, ""))[1], nummer)
    if level is Level.MUNICIPALITY and ascii_digits(nummer) and len(nummer) < 4:
        nummer = nummer.zfill(4)  # a spreadsheet dropped the leading zeros of the gemeente code
    if not nummer and level is not Level.CENTRAL:
        raise InputError(source, Text("geen rij Nummer: de ids van de gebieden zijn niet te maken",
                                      "no Nummer row: the ids of the regions cannot be made"))
    codes, codes_row, first, postcodes = _prelude(records, width, source)
    units = _units(level, nummer, columns[TOTAL_COLUMN:], codes, source, codes_row)
    for unit, postcode in zip(units, postcodes):
        unit.postcode = postcode.strip() or None
    total = _new_tally(None, None, f"column {TOTAL_COLUMN} (Totaal)")
    sheet = _Sheet(source, width, [total, *units], bad=bad)
    last: tuple[int, list[str]] | None = None
    for row, cells in itertools.chain([first] if first else [], records):
        if not any(cells):
            continue
        last = (row, cells)
        cells += [""] * (4 - len(cells))
        if cells[0]:
            sheet.party(row, cells)
        elif cells[1]:
            sheet.statistic(row, cells)
        elif cells[2] or cells[3]:
            sheet.candidate(row, cells)
        else:
            raise InputError(source, Text("getallen zonder omschrijving (kolommen 1-4 zijn leeg)",
                                          "numbers without a label (columns 1-4 are empty)"), f"row {row}")
    _check_complete(text, last, width, source)
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
        raise InputError(source, Text("geen OSV4-3-CSV (bovenaan geen rij 'Verkiezing')",
                                      "not an OSV4-3 CSV (no 'Verkiezing' row at the top)"), "row 1")
    nummer = found.get("nummer", "")
    level, authority_name = level_of(found.get("gebied", ""), nummer)
    if level is Level.MUNICIPALITY and ascii_digits(nummer) and len(nummer) < 4:
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
