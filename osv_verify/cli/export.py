"""``osv-verify export``: every published number as tidy tables (CSV, JSON, Parquet, DuckDB), streamed."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from osv_verify.cli.common import (check_output_early, command, TerminalStream, ForceOpt, Lang, make_console, OutputOpt, Paths, report_input_errors)
from osv_verify.core.errors import UsageError
from osv_verify.core.findings import ExitCode
from osv_verify.core.text import Text, count, pick


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    PARQUET = "parquet"
    DUCKDB = "duckdb"


class Table(StrEnum):
    NUMBERS = "numbers"
    SOURCES = "sources"
    STATIONS = "stations"
    LISTS = "lists"
    CANDIDATES = "candidates"
    ELECTIONS = "elections"
    REGIONS = "regions"


@command()
def export(
    paths: Paths,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv (UTF-8 with BOM, ';'), json (one document, every table, streamed), parquet (extra 'parquet'; needs -o) or duckdb (extra 'duckdb'; every table and the findings of verify in one database; needs -o).", case_sensitive=False)] = ExportFormat.CSV,
    output: OutputOpt = None,
    table: Annotated[Table, typer.Option("--table", "-t", help="The table a CSV or Parquet export holds: numbers (one row per published number), sources (the files, and which publications disagree), stations (name, postcode, wijk, turnout), lists, candidates, elections or regions (the names of gemeente, kieskring, provincie and land).", case_sensitive=False)] = Table.NUMBERS,
    neighbourhoods: Annotated[Optional[Path], typer.Option("--neighbourhoods", help="CBS postcode-to-wijk table (CSV or Parquet, as HCP ships it): the CBS wijk of every station in the stations table.")] = None,
    force: ForceOpt = False,
    lang: Lang = Lang.NL,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show which file is being read (stderr).")] = True,
) -> None:
    """Export every published number as tidy tables: numbers (one row per count, list total or
    candidate's votes, with its election, level, municipality code and name, unit, list,
    candidate and source), and the tables it refers to: sources (each file, relative to the path
    given, and which publications of the same count disagree: both are then exported), stations
    (name, postcode, CBS wijk with --neighbourhoods, turnout), lists, candidates and elections.
    The same columns in every format. Absent numbers are absent rows. Streams: a national set
    exports in bounded memory.

    Example: osv-verify export ../shared/data/GR2022/WestMaasenWaal -o westmaasenwaal.csv
    """
    from osv_verify.report.export_writer import write
    from osv_verify.report.output import open_atomic

    check_output_early(output, paths, force)
    err_console = make_console(stderr=True)
    show = progress and err_console.is_terminal
    on_file = (lambda name: err_console.print(pick(lang, "lezen: ", "reading ") + name, style="dim", markup=False)) if show else None
    binary = fmt in (ExportFormat.PARQUET, ExportFormat.DUCKDB)
    if fmt in (ExportFormat.JSON, ExportFormat.DUCKDB) and table is not Table.NUMBERS:
        raise UsageError(Text(f"--table past bij csv en parquet; {fmt.value} bevat elke tabel",
                              f"--table goes with csv and parquet; {fmt.value} holds every table"))
    if output is None and binary:
        raise UsageError(Text(f"--format {fmt.value} schrijft naar een bestand: geef -o BESTAND",
                              f"--format {fmt.value} writes a file: give -o FILE"))
    options = dict(fmt=fmt.value, progress=on_file, table=table.value, neighbourhoods=neighbourhoods)
    if output is None:
        run = write(paths, TerminalStream(sys.stdout), **options)
        sys.stdout.flush()
    else:
        with open_atomic(output, paths, binary=binary, force=force) as out:
            run = write(paths, out, **options, scratch=output.resolve().parent)
    for file, other, differences in run.disagreeing:
        err_console.print(pick(lang, f"LET OP: {file} en {other} zijn dezelfde telling maar verschillen in {count(differences, 'getal', 'getallen')}; "
                                     "beide zijn geëxporteerd (kolom source, tabel sources); osv-verify verify noemt elk verschil",
                               f"NOTE: {file} and {other} are the same count but differ in {count(differences, 'number', 'numbers')}; "
                               "both were exported (column source, table sources); osv-verify verify names each difference"),
                          style="bold yellow", markup=False)
    for file, exported in run.not_exported[:3]:
        err_console.print(pick(lang, f"niet geëxporteerd: {file} (dezelfde telling als {exported}, waarvan de getallen zijn geëxporteerd)",
                               f"not exported: {file} (the same count as {exported}, whose numbers were exported)"), markup=False)
    if len(run.not_exported) > 3:
        more = len(run.not_exported) - 3
        err_console.print(pick(lang, f"... en {count(more, 'ander bestand', 'andere bestanden')} met dezelfde telling als een geëxporteerd bestand",
                               f"... and {count(more, 'other file', 'other files')} with the same count as an exported file"), markup=False)
    report_input_errors(run.input_errors, lang)
    where = pick(lang, f" naar {output}", f" to {output}") if output else ""
    if table is Table.NUMBERS:
        done = pick(lang, count(run.rows, "getal", "getallen"), count(run.rows, "number", "numbers"))
    else:
        n = len(run.table(table.value))
        done = pick(lang, f"{count(n, 'rij', 'rijen')} van tabel {table.value} (uit {count(run.rows, 'getal', 'getallen')})",
                    f"{count(n, 'row', 'rows')} of table {table.value} (from {count(run.rows, 'number', 'numbers')})")
    err_console.print(pick(lang, f"{done} geëxporteerd{where}", f"{done} exported{where}"), markup=False)
    if run.input_errors:
        raise typer.Exit(int(ExitCode.INPUT))
    if not run.rows:
        raise UsageError(Text("geen telbestanden (EML 510 of OSV4-3 CSV) gevonden in " + ", ".join(map(str, paths)),
                              "no count files (EML 510 or OSV4-3 CSV) found in " + ", ".join(map(str, paths))))
