"""``osv-verify hash``: a file's SHA-256 as the proces-verbaal prints it, and whether it matches."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from osv_verify.cli.common import (check_output_early, command, emit, ForceOpt, FormatOpt, Lang, no_html, OutputOpt, report_input_errors)
from osv_verify.app.hashing import groups, hash_files, normalise_hash
from osv_verify.core.errors import UsageError
from osv_verify.core.text import Text
from osv_verify.core.findings import ExitCode
from osv_verify.report.hashes import render
from osv_verify.report.output import Format


@command("hash")
def hash_(
    files: Annotated[list[Path], typer.Argument(help="Published files (EML) whose hash is printed on the PV.", show_default=False)],
    expect: Annotated[Optional[str], typer.Option("--expect", help="The hash printed on the PV (spaces and case do not matter).")] = None,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    force: ForceOpt = False,
    lang: Lang = Lang.NL,
) -> None:
    """Print the SHA-256 of a file the way the proces-verbaal prints it; with --expect, say
    whether it matches.

    Example: osv-verify hash Telling_PS2019_Fryslan_gemeente_Tytsjerksteradiel.eml.xml --expect "5b09 5dae ..."
    """
    check_output_early(output, files, force)
    no_html(fmt, "hash")
    if expect is not None:
        want = normalise_hash(expect)
        if len(want) != 64 or any(c not in "0123456789abcdef" for c in want):
            raise UsageError(Text(f"--expect {expect!r} is geen SHA-256 (64 hexadecimale cijfers, spaties mogen)",
                                  f"--expect {expect!r} is not a SHA-256 (64 hex digits, spaces allowed)"))
    hashes, errors = hash_files(files, expect)  # a bad path is one error; the other files are still hashed
    rows = [[h.file, h.sha256, h.matches] for h in hashes]
    emit(render(rows, fmt, lang, None if expect is None else groups(normalise_hash(expect))), output, files, force)
    report_input_errors(errors, lang)
    if errors:
        raise typer.Exit(int(ExitCode.INPUT))
    if expect is not None and not all(r[2] for r in rows):
        raise typer.Exit(int(ExitCode.FINDINGS))
