"""``osv-verify inspect``: what the files contain, per election."""

from __future__ import annotations

import typer

from osv_verify.cli.common import (check_output_early, command, emit, ForceOpt, FormatOpt, Lang, make_console, no_html, OutputOpt, Paths, report_input_errors)
from osv_verify.core.findings import ExitCode
from osv_verify.report.output import Format


@command()
def inspect(
    paths: Paths,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    force: ForceOpt = False,
    lang: Lang = Lang.NL,
) -> None:
    """Describe what the files contain, per election: levels, units, lists, totals.

    Example: osv-verify inspect ../shared/data/TK2021 --format json
    """
    check_output_early(output, paths, force)
    from osv_verify.app.inspection import inspect as run
    from osv_verify.report.inspection import print_table, render

    no_html(fmt, "inspect")
    infos, errors, skipped = run(paths)
    if fmt is Format.TABLE and output is None:
        print_table(infos, make_console(stderr=False), lang)
    else:
        emit(render(infos, errors, skipped, fmt, lang), output, paths, force)
    report_input_errors(errors, lang)
    raise typer.Exit(int(ExitCode.INPUT if errors else ExitCode.OK))

