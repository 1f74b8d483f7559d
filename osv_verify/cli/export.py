"""``osv-verify export``: every published number as a tidy table (CSV or JSON), streamed."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from osv_verify.cli.common import Lang, LangOpt, ForceOpt, OutputOpt, Paths, app, check_output_early, make_console, report_input_errors
from osv_verify.core.errors import UsageError
from osv_verify.core.findings import ExitCode
from osv_verify.core.text import Text, count, pick


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


@app.command()
def export(
    paths: Paths,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv (UTF-8 with BOM, ';') or json (one document, streamed).", case_sensitive=False)] = ExportFormat.CSV,
    output: OutputOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.NL,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show which file is being read (stderr).")] = True,
) -> None:
    """Export every published number as a tidy table: one row per count, list total or
    candidate's votes, with its election, level, unit (name, postcode), list and candidate
    (with names from a 230b or OSV CSV among the inputs) and source file. Absent numbers are
    absent rows. Streams: a national set exports in bounded memory.

    Example: osv-verify export ../shared/data/GR2022/WestMaasenWaal -o westmaasenwaal.csv
    """
    from osv_verify.report.export_writer import write
    from osv_verify.report.output import open_atomic

    check_output_early(output, paths, force)
    err_console = make_console(stderr=True)
    show = progress and err_console.is_terminal
    on_file = (lambda name: err_console.print(pick(lang, "lezen: ", "reading ") + name, style="dim", markup=False)) if show else None
    if output is None:
        run = write(paths, sys.stdout, fmt.value, on_file)
        sys.stdout.flush()
    else:
        with open_atomic(output, paths, force=force) as out:
            run = write(paths, out, fmt.value, on_file)
    for file, exported in run.not_exported[:3]:
        err_console.print(pick(lang, f"niet geëxporteerd: {file} (dezelfde telling als {exported}, waarvan de getallen zijn geëxporteerd)",
                               f"not exported: {file} (the same count as {exported}, whose numbers were exported)"), markup=False)
    if len(run.not_exported) > 3:
        more = len(run.not_exported) - 3
        err_console.print(pick(lang, f"... en {count(more, 'ander bestand', 'andere bestanden')} met dezelfde telling als een geëxporteerd bestand",
                               f"... and {count(more, 'other file', 'other files')} with the same count as an exported file"), markup=False)
    report_input_errors(run.input_errors, lang)
    where = pick(lang, f" naar {output}", f" to {output}") if output else ""
    err_console.print(pick(lang, f"{count(run.rows, 'getal', 'getallen')} geëxporteerd{where}",
                           f"{count(run.rows, 'number', 'numbers')} exported{where}"), markup=False)
    if run.input_errors:
        raise typer.Exit(int(ExitCode.INPUT))
    if not run.rows:
        raise UsageError(Text("geen telbestanden (EML 510 of OSV4-3 CSV) gevonden in " + ", ".join(map(str, paths)),
                              "no count files (EML 510 or OSV4-3 CSV) found in " + ", ".join(map(str, paths))))
