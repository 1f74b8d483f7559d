"""The tidy export written out (``osv-verify export``, ``osv_verify.write_export``): the tables of
``osv_verify.app.export`` as CSV (a Dutch spreadsheet's), one JSON document, Parquet (extra
``parquet``: pyarrow) or one DuckDB database (extra ``duckdb``), every format with the same
columns. CSV and Parquet hold one table (``numbers`` unless another is asked for); JSON and
DuckDB hold them all, DuckDB also the ``findings`` of ``verify``. Numbers are streamed."""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
import typing
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO, NamedTuple, TextIO

from osv_verify.app import export
from osv_verify.app.export import TABLES, Export, Row
from osv_verify.core.findings import Finding
from osv_verify.core.text import Text
from osv_verify.core.escape import csv_cell
from osv_verify.core.version import __version__
from osv_verify.io.extras import need
from osv_verify.io.neighbourhoods import read_neighbourhoods
from osv_verify.report.output import BOM
from osv_verify.report.schema import schema_id

FORMATS = ("csv", "json", "parquet", "duckdb")


class FindingRow(NamedTuple):
    """A finding of ``verify`` as a row of the DuckDB table ``findings``."""

    election: str
    code: str
    severity: str
    authority: str | None
    unit: str | None
    list: int | None
    candidate: str | None
    field: str | None
    expected: int | None
    actual: int | None
    message: str
    message_en: str
    file: str | None


def _columns(shape: type[NamedTuple]) -> list[tuple[str, str]]:
    """(column, SQL type) of a table's row type: VARCHAR, BIGINT, BOOLEAN or DOUBLE."""
    sql = {str: "VARCHAR", int: "BIGINT", bool: "BOOLEAN", float: "DOUBLE"}
    out = []
    for name, hint in typing.get_type_hints(shape).items():
        base = next(a for a in typing.get_args(hint) if a is not type(None)) if typing.get_args(hint) else hint
        out.append((name, sql[base]))
    return out


def write_csv(rows: Iterable[tuple], out: TextIO, columns: Iterable[str] = export.COLUMNS) -> None:
    """CSV as a Dutch spreadsheet opens it: UTF-8 with BOM, ``;``, absent values empty."""
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([csv_cell(v) for v in row] for row in rows)  # None is an empty cell; a name never runs as a formula


def write_json(rows: Iterable[Row], out: TextIO, run: Export, finish: Callable[[], None]) -> None:
    """One JSON document (``docs/schema/export.json``), streamed: ``numbers`` is written one
    object a line as the rows come; the small tables, input errors and skipped files follow."""
    out.write(f'{{"schema": "{schema_id("export")}", "tool": {json.dumps({"name": "osv-verify", "version": __version__})},\n"numbers": [')
    sep = "\n"
    for row in rows:
        out.write(sep + json.dumps(row._asdict(), ensure_ascii=False))
        sep = ",\n"
    finish()
    tail: dict[str, object] = {name: [r._asdict() for r in run.table(name)] for name in TABLES if name != "numbers"}
    tail["input_errors"] = [str(e) for e in run.input_errors]
    tail["skipped"] = run.skipped
    out.write("\n],\n" + json.dumps(tail, ensure_ascii=False)[1:] + "\n")


def _arrow_schema(pa, shape: type[NamedTuple]):
    types = {"VARCHAR": pa.string(), "BIGINT": pa.int64(), "BOOLEAN": pa.bool_(), "DOUBLE": pa.float64()}
    return pa.schema([(name, types[t]) for name, t in _columns(shape)])


def write_parquet(rows: Iterable[tuple], out: IO[bytes], shape: type[NamedTuple], batch: int = 65_536) -> None:
    """One table as Parquet (ZSTD), written in batches of ``batch`` rows."""
    pa = need("pyarrow", "parquet", Text("export --format parquet", "export --format parquet"))
    import pyarrow.parquet as pq

    schema = _arrow_schema(pa, shape)
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        it = iter(rows)
        while chunk := list(islice(it, batch)):
            columns = [pa.array(column, type=f.type) for column, f in zip(zip(*chunk), schema)]
            writer.write_table(pa.Table.from_arrays(columns, schema=schema))


def write_duckdb(rows: Iterable[Row], out: IO[bytes], run: Export, finish: Callable[[], None],
                 findings: Callable[[], list[FindingRow]], scratch: Path | None = None) -> None:
    """Every table (and ``findings``) in one DuckDB database, built in a temporary folder in
    ``scratch`` (the output's folder) and copied into ``out``. Each table reaches DuckDB through
    a CSV there (the numbers streamed), read by DuckDB's own CSV reader with the table's column
    types: fast, and no other library needed."""
    duckdb = need("duckdb", "duckdb", Text("export --format duckdb", "export --format duckdb"))
    with tempfile.TemporaryDirectory(prefix=".osv-verify-", dir=scratch) as tmp:
        filled = {"numbers": _plain_csv(Path(tmp) / "numbers.csv", rows)}
        finish()
        tables: dict[str, type[NamedTuple]] = {**TABLES, "findings": FindingRow}
        for name in tables:
            if name != "numbers":
                filled[name] = _plain_csv(Path(tmp) / f"{name}.csv", findings() if name == "findings" else run.table(name))
        db = Path(tmp) / "export.duckdb"
        con = duckdb.connect(str(db))
        try:
            con.execute("SET enable_progress_bar = false")  # nothing on stdout: it may be another output
            # bounded memory, as the rest of the export: DuckDB spills to its temporary folder (here) beyond it
            con.execute("SET memory_limit = '256MB'")
            con.execute("SET preserve_insertion_order = false")
            for name, shape in tables.items():
                con.execute(f"CREATE TABLE {name} ({', '.join(f'{c} {t}' for c, t in _columns(shape))})")
                if filled[name]:  # DuckDB's reader refuses an empty file
                    con.execute(f"INSERT INTO {name} SELECT * FROM read_csv(?, delim = ';', header = false, quote = '\"', "
                                "escape = '\"', columns = " + _struct(shape) + ")", [str(Path(tmp) / f"{name}.csv")])
        finally:
            con.close()
        with open(db, "rb") as f:
            shutil.copyfileobj(f, out)


def _plain_csv(path: Path, rows: Iterable[tuple]) -> int:
    """Rows as CSV without header or BOM (what DuckDB reads back; None is an empty cell); how many."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\n")
        for n, row in enumerate(rows, start=1):
            writer.writerow(row)
    return n


def _struct(shape: type[NamedTuple]) -> str:
    return "{" + ", ".join(f"'{c}': '{t}'" for c, t in _columns(shape)) + "}"


def finding_rows(findings: Iterable[Finding], run: Export) -> list[FindingRow]:
    return [FindingRow(f.location.election, f.code, f.severity.value, f.location.authority, f.location.unit,
                       f.location.list, f.location.candidate, f.field, f.expected, f.actual, f.message_nl,
                       f.message_en, run.relative(f.source) if f.source else None) for f in findings]


def write(paths: Iterable[str | Path], out: IO, fmt: str = "csv", progress: Callable[[str], None] | None = None,
          table: str = "numbers", neighbourhoods: Path | None = None, scratch: Path | None = None) -> Export:
    """Export the numbers below ``paths`` to the open stream ``out`` (text for ``csv`` and
    ``json``, binary for ``parquet`` and ``duckdb``); ``table`` picks the table of a CSV or
    Parquet export; ``neighbourhoods`` a CBS postcode-to-wijk table for the stations' wijk;
    ``scratch`` the folder for DuckDB's temporary files (the output's own).
    Returns what the run met (input errors, files not exported or disagreeing, row count)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} ({', '.join(FORMATS)})")
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r} ({', '.join(TABLES)})")
    paths = list(paths)
    run = Export()
    produced = export.rows(paths, run, progress)

    def finish() -> None:
        """After the numbers: the stations' wijk, once every postcode is known."""
        if neighbourhoods is not None:
            wanted = {s.postcode for s in run.stations if s.postcode}
            export.add_wijken(run, read_neighbourhoods(neighbourhoods, wanted=wanted).lookup)

    def chosen() -> Iterator[tuple]:
        if table == "numbers":
            yield from produced
            finish()
        else:
            for _ in produced:
                pass
            finish()
            yield from run.table(table)

    if fmt == "csv":
        write_csv(chosen(), out, TABLES[table]._fields)
    elif fmt == "parquet":
        write_parquet(chosen(), out, TABLES[table])
    elif fmt == "json":
        write_json(produced, out, run, finish)
    else:
        from osv_verify.app.verify import verify

        write_duckdb(produced, out, run, finish, lambda: finding_rows(verify(paths).findings, run), scratch)
    return run
