"""``osv-verify protocol``: part A of the Kiesraad's control protocol per municipality, and part B."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from osv_verify.cli.common import Lang, Paths, _thresholds, command, emit, make_console, report_input_errors
from osv_verify.core.errors import UsageError
from osv_verify.core.findings import ExitCode
from osv_verify.core.text import Text, pick
from osv_verify.report.output import Format, output_path


@command()
def protocol(
    paths: Paths,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="csv: the three spreadsheets per municipality into the --output folder; json, markdown (table: the same as markdown), html (a page for people): the same content to stdout or --output FILE.", case_sensitive=False)] = Format.CSV,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", parser=output_path, help="csv: the folder to write into (one folder per municipality); json/markdown: a file instead of stdout.")] = None,
    lang: Lang = Lang.NL,
    settings: Annotated[Optional[list[str]], typer.Option("--set", help="A threshold, NAME=VALUE (see verify --list-checks); repeatable. Defaults are the protocol's.")] = None,
    neighbourhoods: Annotated[Optional[Path], typer.Option("--neighbourhoods", help="CBS postcode-to-wijk table (CSV or Parquet with zip_code, neighbourhood_code, ambiguous, as HCP ships it): compare a station's candidates with its own wijk.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace spreadsheets that already exist in the output folder.")] = False,
) -> None:
    """Part A of the Kiesraad's control protocol for every municipality (its 510b, or its OSV4-3
    CSV where that is all it published), as its HCP tool computes it: a.csv (unexplained
    differences), b.csv (everything else) and c.csv (every list's deviation per station); with the recounts from the PVs (Model Na 31-1/31-2
    .odt) among the PATHs, and part B (the additions) per municipality.

    Example: osv-verify protocol definitieve-documenten.zip --output controle/
    """
    from osv_verify.app.protocol import run as run_protocol
    from osv_verify.report.hcp import render_json, render_markdown, write_protocol_sheets

    result = run_protocol(paths, _thresholds(settings), neighbourhoods)
    err_console = make_console(stderr=True)
    if fmt is Format.CSV:
        if output is None:
            raise UsageError(Text("--format csv schrijft een map per gemeente: geef die op met --output MAP",
                                  "--format csv writes a folder per municipality: give it with --output DIR"))
        write_protocol_sheets(result, output, force, paths, lang, err_console)
    elif fmt is Format.HTML:
        from osv_verify.report.html.protocol_page import render_protocol

        emit(render_protocol(result, lang), output, paths, force)
    else:
        render = render_json if fmt is Format.JSON else render_markdown
        emit(render(result.municipalities, lang), output, paths, force)
    for nl, en in result.notes:
        err_console.print(f"osv-verify: {pick(lang, nl, en)}", markup=False)
    report_input_errors(result.input_errors, lang)
    if result.input_errors:
        raise typer.Exit(int(ExitCode.INPUT))
    if not result.municipalities:
        raise UsageError(Text("geen telbestand van een gemeente (EML 510b of OSV4-3-CSV) gevonden in " + ", ".join(map(str, paths)),
                              "no municipality count file (EML 510b or OSV4-3 CSV) found in " + ", ".join(map(str, paths))))
    raise typer.Exit(int(ExitCode.OK))
