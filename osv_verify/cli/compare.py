"""``osv-verify compare``: two entries of the same PVs, field by field (double entry)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from osv_verify.cli.common import (check_output_early, command, emit, ForceOpt, FormatOpt, Lang, OutputOpt)
from osv_verify.core.errors import UsageError
from osv_verify.core.text import Text
from osv_verify.core.findings import ExitCode, Severity
from osv_verify.report.output import Format


@command()
def compare(
    a: Annotated[Path, typer.Argument(help="First entry: filled-in template, OSV4-3 CSV or EML 510.", show_default=False)],
    b: Annotated[Path, typer.Argument(help="Second entry (or the published file), same formats.", show_default=False)],
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    force: ForceOpt = False,
    lang: Lang = Lang.NL,
    min_severity: Annotated[Severity, typer.Option("--min-severity", help="Show findings from this severity up.")] = Severity.WARNING,
) -> None:
    """Compare two entries of the same PVs field by field (double entry, "vier ogen"), and
    check each entry on its own. Exit 0 when they agree and both pass the checks.

    Example: osv-verify compare invoer-1.csv invoer-2.csv
    """
    check_output_early(output, [a, b], force)
    from osv_verify.app.compare import compare as run
    from osv_verify.app.compare import read_entry
    from osv_verify.report.comparison import render
    from osv_verify.report.listing import shown

    if _same_file(a, b):
        raise UsageError(Text(f"{a} en {b} zijn hetzelfde bestand: een invoer met zichzelf vergelijken zegt niets",
                              f"{a} and {b} are the same file: an entry compared with itself says nothing"))
    result = run(read_entry(a), read_entry(b))
    emit(render(result, str(a), str(b), shown(result.findings, min_severity), fmt, lang), output, [a, b], force)
    raise typer.Exit(int(ExitCode.OK if result.agree else ExitCode.FINDINGS))


def _same_file(a: Path, b: Path) -> bool:
    """The two paths are one file. (Two files with the same bytes are fine: two people who typed
    the same numbers agree.)"""
    try:
        return a.resolve() == b.resolve() or a.samefile(b)
    except OSError:
        return False  # reading them properly gives the one-line error
