"""The CBS postcode-to-wijk table (``--neighbourhoods FILE``) and the postcode of a station.

The control protocol's candidate check may compare a station with the other stations of its
own CBS wijk instead of the whole municipality. The table HCP ships (CBS 2024) maps a postcode
``1011AB`` to a wijk code ``WK0363AF``; a third column says whether the postcode lies in more
than one wijk (``yes, selected largest``) or not (``no``). Layout, as HCP requires it::

    zip_code,neighbourhood_code,ambiguous
    1011AB,WK0363AF,no

Only the postcodes a run needs are kept (``wanted``): the whole file is read and checked, row
by row, but memory holds just the municipality's postcodes. A file that is not such a table
(wrong columns, a bad postcode, two wijken for one postcode, another file type) is one
``InputError`` naming the file and row.

Parquet (the form HCP ships) is recognised by its magic bytes and read through pyarrow (the
extra ``parquet``; without it, a one-line error says to install it or pass the CSV).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from osv_verify.core.errors import InputError
from osv_verify.core.text import Text
from osv_verify.core.postcode import CANONICAL, normalise, split_station_name
from osv_verify.io.extras import need
from osv_verify.io.limits import check_option_file
from osv_verify.core.model import CountFile, PollingStations

COLUMNS = ("zip_code", "neighbourhood_code", "ambiguous")
PARQUET_MAGIC = b"PAR1"

#: HCP's rule for stations that are no part of a wijk (mobile, postal, at a railway station,
#: temporary): the name contains one of these, anywhere, in any case. It is a substring test,
#: as HCP's: ``tent`` also matches ``Tentoonstelling``; kept as is so both tools pick the same
#: reference stations.
NOT_IN_A_WIJK = re.compile(r"brief|station|mobiel|metro|cabin|tent|tijdelijk", re.IGNORECASE)


def is_outside_wijk(name: str | None) -> bool:
    """True for a station HCP leaves out of every wijk reference: mobile, postal, at a station,
    temporary (``NOT_IN_A_WIJK`` in its 510b name). Such a station is still checked, against
    the municipality."""
    return bool(name and NOT_IN_A_WIJK.search(name))


def station_postcodes(count: CountFile, stations: PollingStations | None = None) -> dict[str, str]:
    """The postcode (``1234AB``) of every station of ``count`` that has one, by ``Tally.id``.

    Sources, first found wins: the OSV CSV ``Postcode`` row (``Tally.postcode``), the 110b
    (matched by station number), the ``(postcode: 1234 AB)`` in the 510b station name."""
    from_110b: dict[str, str] = {}
    if stations is not None:
        for s in stations.stations:
            pc = normalise(s.postcode)
            if pc:
                from_110b.setdefault(s.number.removeprefix("SB").lstrip("0") or "0", pc)
    found: dict[str, str] = {}
    for unit in count.units:
        if unit.id is None:
            continue
        code = unit.code or ""
        number = (code.removeprefix("SB").lstrip("0") or "0") if code.startswith("SB") else None
        pc = (normalise(unit.postcode) or (from_110b.get(number) if number else None)
              or normalise(split_station_name(unit.name or "")[1]))
        if pc:
            found[unit.id] = pc
    return found


@dataclass
class NeighbourhoodTable:
    """Postcode -> CBS wijk code, for the postcodes a run asked for (or all of them)."""

    source: str
    wijk: dict[str, str] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)
    rows: int = 0

    def lookup(self, postcode: str | None) -> str | None:
        """The wijk code of a postcode (any spacing or case), or None when the table lacks it."""
        pc = normalise(postcode)
        return self.wijk.get(pc) if pc else None


def read_neighbourhoods(path: str | Path, wanted: Iterable[str] | None = None) -> NeighbourhoodTable:
    """Read and check a postcode-to-wijk table; keep only ``wanted`` postcodes (all when None).

    A CSV is streamed (memory holds one row at a time plus the postcodes kept); a Parquet file
    is read whole, its columns decoded, then checked row by row the same way."""
    source = str(path)
    check_option_file(Path(path))
    try:
        with open(path, "rb") as f:
            return _read(f, source, wanted)
    except OSError as err:
        raise InputError(source, Text(f"kan niet lezen: {err.strerror or err}", f"cannot read: {err.strerror or err}")) from None


def parse_neighbourhoods(data: bytes, source: str, wanted: Iterable[str] | None = None) -> NeighbourhoodTable:
    """The table in ``data``; see ``read_neighbourhoods``."""
    return _read(io.BytesIO(data), source, wanted)


#: A Parquet table is read whole (the CBS one is 0.6 MB); one over this is refused.
MAX_PARQUET_BYTES = 256 * 1024**2


def _read(stream: IO[bytes], source: str, wanted: Iterable[str] | None) -> NeighbourhoodTable:
    head = stream.read(4096)
    if not head.strip():
        raise InputError(source, Text(f"leeg bestand; verwacht een CSV- of Parquet-tabel met de kolommen {','.join(COLUMNS)}",
                                      f"empty file; expected a CSV or Parquet table with the columns {','.join(COLUMNS)}"))
    stream.seek(0)
    if head.startswith(PARQUET_MAGIC):
        data = stream.read(MAX_PARQUET_BYTES + 1)
        if len(data) > MAX_PARQUET_BYTES:
            raise InputError(source, Text(f"een Parquet-bestand groter dan {MAX_PARQUET_BYTES} bytes",
                                          f"a Parquet file larger than {MAX_PARQUET_BYTES} bytes"))
        return _fill(NeighbourhoodTable(source), _parquet_rows(data, source), wanted)
    reader = csv.reader(io.TextIOWrapper(stream, encoding="utf-8-sig", newline=""))
    try:
        header = next(reader, [])
        if [h.strip().lower() for h in header] != list(COLUMNS):
            raise InputError(source, Text(f"de kopregel is {','.join(header)!r}; verwacht {','.join(COLUMNS)}",
                                          f"the header is {','.join(header)!r}; expected {','.join(COLUMNS)}"), "line 1")
        return _fill(NeighbourhoodTable(source), ((f"line {reader.line_num}", row) for row in reader), wanted)
    except UnicodeDecodeError:
        raise InputError(source, Text("geen UTF-8-tekst (geen CSV-tabel?)",
                                      "not UTF-8 text (not a CSV table?)"), f"line {reader.line_num + 1}") from None
    except csv.Error as err:
        raise InputError(source, Text(f"geen leesbare CSV-tabel: {err}",
                                      f"not a readable CSV table: {err}"), f"line {reader.line_num}") from None


def _parquet_rows(data: bytes, source: str) -> Iterable[tuple[str, Sequence[str | None]]]:
    """The rows of a Parquet table with the three text columns, through pyarrow."""
    pa = need("pyarrow", "parquet", Text("een Parquet-tabel lezen", "reading a Parquet table"))
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(pa.BufferReader(data))
        columns = [column.to_pylist() for column in table.columns]
    except (pa.ArrowException, OSError, ValueError) as err:
        raise InputError(source, Text(f"geen leesbaar Parquet-bestand ({_first_line(err)})",
                                      f"not a readable Parquet file ({_first_line(err)})")) from None
    names = [n.lower() for n in table.column_names]
    if names != list(COLUMNS):
        raise InputError(source, Text(f"de kolommen zijn {','.join(table.column_names)}; verwacht {','.join(COLUMNS)}",
                                      f"the columns are {','.join(table.column_names)}; expected {','.join(COLUMNS)}"))
    if not all(pa.types.is_string(t) or pa.types.is_large_string(t) for t in table.schema.types):
        raise InputError(source, Text("een kolom is geen tekst", "a column is not text"))
    return ((f"row {n}", values) for n, values in enumerate(zip(*columns), start=1))


def _first_line(err: BaseException) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def _fill(table: NeighbourhoodTable, rows: Iterable[tuple[str, Sequence[str | None]]],
          wanted: Iterable[str] | None) -> NeighbourhoodTable:
    """Check every row (``where``, cells) and keep the wanted postcodes in ``table``."""
    source = table.source
    keep = None if wanted is None else {p for p in map(normalise, wanted) if p}
    codes: dict[str, str] = {}  # one string object per wijk code
    canonical = CANONICAL.fullmatch
    for where, row in rows:
        if len(row) != 3:
            if not any(row):
                continue
            raise InputError(source, Text(f"{len(row)} kolommen, verwacht 3 ({','.join(COLUMNS)})",
                                          f"{len(row)} columns, expected 3 ({','.join(COLUMNS)})"), where)
        postcode, wijk, ambiguous = (cell or "" for cell in row)
        if not canonical(postcode):  # the CBS table is canonical: normalise only what is not
            postcode = normalise(postcode)
            if postcode is None:
                raise InputError(source, Text(f"{row[0]!r} is geen postcode (1234AB)",
                                              f"{row[0]!r} is not a postcode (1234AB)"), f"{where}, column 1")
        if not wijk or wijk != wijk.strip():
            wijk = wijk.strip()
            if not wijk:
                raise InputError(source, Text("geen wijkcode", "no wijk code"), f"{where}, column 2")
        table.rows += 1
        if keep is not None and postcode not in keep:
            continue
        earlier = table.wijk.get(postcode)
        if earlier is not None and earlier != wijk:
            raise InputError(source, Text(f"postcode {postcode} staat er twee keer in, in {earlier} en {wijk}",
                                          f"postcode {postcode} is given twice, in {earlier} and {wijk}"), where)
        table.wijk[postcode] = codes.setdefault(wijk, wijk)
        if ambiguous.strip().lower().startswith("yes"):
            table.ambiguous.add(postcode)
    return table


def wijk_of_stations(count: CountFile, table: NeighbourhoodTable,
                     postcodes: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """The wijk of every station of ``count`` by ``Tally.id``: None when it has no postcode, the
    table lacks it, or the station is outside every wijk (``is_outside_wijk``), as HCP does.

    The caller decides the reference (HCP: the wijk when it has at least 5 stations, otherwise
    the municipality); a station with None is compared with the municipality, never dropped."""
    postcodes = station_postcodes(count) if postcodes is None else postcodes
    result: dict[str, str | None] = {}
    for unit in count.units:
        if unit.id is None:
            continue
        result[unit.id] = None if is_outside_wijk(unit.name) else table.lookup(postcodes.get(unit.id))
    return result


def needed_postcodes(counts: Iterable[CountFile]) -> set[str]:
    """Every station postcode of the given count files: what ``read_neighbourhoods`` must keep."""
    return {pc for c in counts for pc in station_postcodes(c).values()}

