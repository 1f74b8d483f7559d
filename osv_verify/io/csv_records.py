"""An OSV4-3 CSV split into records: UTF-8 only, ``;``, the C reader for every well-formed
record and a loose reader for what spreadsheet re-saves write (quotes inside an unquoted field).

Rows are 1-based as a spreadsheet shows them (row = the line a record starts on); cells come
stripped of surrounding spaces. ``osv_csv`` reads the layout from these records.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from osv_verify.core.errors import InputError
from osv_verify.core.text import Text

DELIMITER = ";"
BOM = "\ufeff"
#: What is stripped around a cell: spaces and tabs, as a spreadsheet pads them; never NBSP or
#: another Unicode space (a number with NBSP around it is not a number).
SPACES = " \t\r\n"
#: Columns 1-4 hold labels (list, name, position, candidate); the numbers start at column 5.
LABEL_COLUMNS = 4


def decode(data: bytes, source: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(source, Text(f"byte 0x{data[err.start]:02x} is geen UTF-8 (sla het bestand op als UTF-8)",
                                      f"byte 0x{data[err.start]:02x} is not UTF-8 (save the file as UTF-8)"), f"line {line}") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError(source, Text("bevat een NUL-teken (0x00); geen tekstbestand of beschadigd",
                                      "contains a NUL character (0x00); not a text file, or damaged"), f"line {line}")
    return text.removeprefix(BOM)


def read_records(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
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
    start = 0  # where line ``row`` starts: each reader starts here, so no search goes back to the start
    labels = LABEL_COLUMNS
    while True:
        reader = csv.reader(lines, delimiter=DELIMITER, strict=True)
        before = row - 1  # physical lines before this reader's first line
        try:
            for cells in reader:
                # as _stripped, inline: this loop runs once per row of every CSV
                numbers = "".join(cells[labels:])
                if numbers and not numbers.isdigit():
                    yield row, [c.strip(SPACES) for c in cells]
                else:
                    yield row, [c.strip(SPACES) for c in cells[:labels]] + cells[labels:]
                row = before + reader.line_num + 1
            return
        except csv.Error as err:
            if not any(quote_trouble in str(err) for quote_trouble in ("expected after", "unexpected end of data")):
                raise InputError(source, Text(f"geen geldige CSV ({err})", f"not valid CSV ({err})"), f"row {row}") from None
        start = _line_offset(text, row, before + 1, start)
        cells, end = _loose_record(text, start, source, row)
        yield row, _stripped(cells)
        row += len(_LINE_BREAK.findall(text, start, end))
        start = end
        lines.seek(end)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FIELD_END = re.compile(r"[;\r\n]")


def _stripped(cells: list[str]) -> list[str]:
    """Cells without surrounding spaces; the numbers of most rows are plain digits, and then
    only the labels need a strip."""
    labels = LABEL_COLUMNS
    numbers = "".join(cells[labels:])
    if numbers and not numbers.isdigit():
        return [c.strip(SPACES) for c in cells]
    return [c.strip(SPACES) for c in cells[:labels]] + cells[labels:]


def _line_offset(text: str, row: int, from_row: int, from_pos: int) -> int:
    """Where line ``row`` (1-based) starts in ``text``, searched forward from line ``from_row``,
    which starts at ``from_pos`` (so reading every record of a file is linear, not quadratic)."""
    if row == from_row:
        return from_pos
    for n, m in enumerate(_LINE_BREAK.finditer(text, from_pos), start=from_row + 1):
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
                raise InputError(source, Text("geen geldige CSV (een aanhalingsteken wordt geopend maar nooit gesloten)",
                                              "not valid CSV (a quote is opened but never closed)"), f"row {row}, column {column}")
            after = close + 1
            if after == len(text) or text[after] in ";\r\n":
                value, pos = text[pos + 1:close].replace('""', '"'), after
            else:  # quote characters inside an unquoted field: text
                m = _FIELD_END.search(text, after)
                stop = m.start() if m else len(text)
                value = text[pos:stop]
                if "\n" in value or "\r" in value or value.count('"') % 2:
                    raise InputError(source, Text(f"geen geldige CSV (aanhalingstekens die geen paar vormen in {value[:40]!r})",
                                                  f"not valid CSV (quote characters that do not pair up in {value[:40]!r})"), f"row {row}, column {column}")
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


def trimmed(cells: list[str]) -> list[str]:
    """The cells without the trailing empty ones (padding)."""
    n = len(cells)
    while n and not cells[n - 1]:
        n -= 1
    return cells[:n]
