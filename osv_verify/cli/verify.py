"""``osv-verify verify``: every check on every election, and per election what was verified."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from osv_verify.cli.common import (_thresholds, check_output_early, command, emit, ForceOpt, FormatOpt, Lang, lots_option, LotsOpt, make_console, no_html, OptionalPaths, OutputOpt, report_input_errors)
from osv_verify.core.errors import InputError, UsageError
from osv_verify.core.findings import ExitCode, Severity
from osv_verify.core.text import Text, pick
from osv_verify.report.output import Format, WriteError

if TYPE_CHECKING:
    from osv_verify.app.verify import RunResult


@command()
def verify(
    paths: OptionalPaths = None,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    force: ForceOpt = False,
    lang: Lang = Lang.NL,
    min_severity: Annotated[Severity, typer.Option("--min-severity", help="Show findings from this severity up.")] = Severity.WARNING,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary line per election.")] = False,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when errors are found (input errors still exit 2).")] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show which file is being read (stderr).")] = True,
    list_checks: Annotated[bool, typer.Option("--list-checks", help="Print the catalogue of checks and exit.")] = False,
    lots: LotsOpt = None,
    plausibility: Annotated[bool, typer.Option("--plausibility", help="Also run the plausibility checks of the control protocol (warnings).")] = False,
    settings: Annotated[Optional[list[str]], typer.Option("--set", help="A plausibility threshold, NAME=VALUE (see --list-checks); repeatable.")] = None,
    protocol_csv: Annotated[Optional[Path], typer.Option("--protocol-csv", help="Also write the control protocol's spreadsheets (a.csv, b.csv, c.csv per municipality) into this folder, as 'osv-verify protocol --output DIR' does.")] = None,
    trust: Annotated[Optional[list[Path]], typer.Option("--trust", help="A certificate (.crt, PEM or DER) or a folder of them that the EML signatures must verify under, obtained independently (from the municipality or the Kiesraad); repeatable. Without it a signature is only checked against the certificate inside it, which says nothing about who signed.")] = None,
    earlier: Annotated[Optional[list[Path]], typer.Option("--earlier", help="With --plausibility: an earlier election's count files (folder, file or .zip) for the same stations (matched by municipality, number and postcode); a station that deviated so then is no P.PARTY_SHARE anomaly now. Repeatable.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Work in this many processes (0: one per core): elections, or the count files of one election, in parallel; the report is the same.", min=0)] = 1,
) -> None:
    """Recompute every level, run the PV checks and report every discrepancy, and per election
    what was verified and what not (exit 4 when an election had no count that could be checked).

    Example: osv-verify verify ../shared/data/GR2022/WestMaasenWaal --lang en
    """
    from osv_verify.report.catalogue import render_catalogue
    from osv_verify.report.listing import print_table, render_text
    from osv_verify.app.verify import verify as run

    if list_checks:
        no_html(fmt, "--list-checks")
        emit(render_catalogue(fmt, lang), output, [], force)
        raise typer.Exit(0)
    if not paths:
        raise UsageError(Text("geef minstens één bestand, map of .zip-archief om te controleren",
                              "give at least one file, folder or .zip archive to verify"))
    if earlier and not plausibility:
        raise UsageError(Text("--earlier werkt alleen met --plausibility", "--earlier works only with --plausibility"))
    check_output_early(output, paths, force)
    err_console = make_console(stderr=True)
    show = progress and err_console.is_terminal
    thresholds = _thresholds(settings) if plausibility or settings or protocol_csv else None
    reading = pick(lang, "lezen", "reading")
    from osv_verify.io.signature import read_certificates

    trust_problems: list[InputError] = []
    trusted = read_certificates(list(trust), trust_problems) if trust else []
    if trust and not trusted:
        report_input_errors(trust_problems, lang)
        raise UsageError(Text(f"geen certificaat gevonden in {', '.join(map(str, trust))} (--trust)",
                              f"no certificate found in {', '.join(map(str, trust))} (--trust)"))
    result = run(paths, progress=(lambda name: err_console.print(f"{reading}: {name}", style="dim", markup=False)) if show else None,
                 lots=lots_option(lots), plausibility=thresholds, jobs=jobs or (os.cpu_count() or 1), trust=trusted,
                 earlier=earlier or ())
    result.input_errors[:0] = trust_problems  # a broken --trust file is the run's input error; the rest is checked
    if protocol_csv is not None:  # the same spreadsheets as ``osv-verify protocol --output DIR``
        from osv_verify.app.protocol import run as run_protocol
        from osv_verify.report.hcp import write_protocol_sheets

        write_protocol_sheets(run_protocol(paths, thresholds, part_b=False), protocol_csv, force, paths, lang, err_console)
    if fmt is Format.TABLE and output is None:
        print_table(result, make_console(stderr=False), lang, min_severity, quiet)
    else:
        if fmt is Format.HTML:
            from osv_verify.report.html.verify_page import render_verify

            text = render_verify(result, lang, min_severity)
        else:
            text = render_text(result, fmt, lang, min_severity)
        try:
            emit(text, output, paths, force)
        except WriteError:  # the report is lost, not the run's result: say it before the error line
            quiet = True
            raise
        finally:
            if quiet:
                from osv_verify.report.listing import summary_line

                for e in result.elections:
                    err_console.print(summary_line(e, lang, result.unplaced), markup=False)
    report_input_errors(result.input_errors, lang)
    if result.input_errors:
        raise typer.Exit(int(ExitCode.INPUT))
    if not result.elections:
        where = ", ".join(map(str, paths))
        raise UsageError(Text(f"geen verkiezingsbestanden gevonden in {where}", f"no election files found in {where}"))
    raise typer.Exit(int(verify_exit_code(result, exit_zero)))


def verify_exit_code(result: RunResult, exit_zero: bool = False) -> ExitCode:
    """``verify``'s exit code: 2 input error > 1 errors (unless --exit-zero) > 4 an election not
    verified (no count could be checked) > 0."""
    from osv_verify.app.verdict import Status

    if result.input_errors:
        return ExitCode.INPUT
    if not exit_zero and any(f.severity is Severity.ERROR for f in result.findings):
        return ExitCode.FINDINGS
    if any(e.verdict is not None and e.verdict.status is Status.NOT_VERIFIED for e in result.elections):
        return ExitCode.NOT_VERIFIED
    return ExitCode.OK
