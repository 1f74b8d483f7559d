"""``osv-verify seats``: the seat allocation recomputed from the election's files (and compared
with its 520), or a what-if calculation from ``--votes``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from osv_verify.checks.elected_order import ElectedNames
from osv_verify.checks.registry import family
from osv_verify.checks.rule import Family
from osv_verify.cli.common import (check_output_early, command, emit, ForceOpt, FormatOpt, Lang, lots_option, LotsOpt, OptionalPaths, OutputOpt, report_input_errors)
from osv_verify.core.errors import UsageError
from osv_verify.core.text import Text
from osv_verify.core.findings import ExitCode
from osv_verify.report.output import Format


@command()
def seats(
    paths: OptionalPaths = None,
    votes: Annotated[Optional[Path], typer.Option("--votes", help="What-if: CSV with header list;name;votes[;candidates].")] = None,
    n_seats: Annotated[Optional[int], typer.Option("--seats", help="What-if: number of seats.", min=1, max=1000)] = None,
    category: Annotated[str, typer.Option("--category", help="What-if: GR, PS, AB, TK, EP, EK or ER.")] = "GR",
    date: Annotated[Optional[str], typer.Option("--date", help="What-if: election date YYYY-MM-DD (law in force; 2013-10-17 or later).")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Show every step with its Kieswet article.")] = False,
    lots: LotsOpt = None,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    force: ForceOpt = False,
    lang: Lang = Lang.NL,
) -> None:
    """Recompute the seat allocation and the elected candidates (Kieswet chapter P), and with
    a 520 present show the differences; or, with --votes, a what-if calculator.

    Example: osv-verify seats --votes uitslag.csv --seats 17 --category GR --explain
    """
    import datetime as dt

    from osv_verify.report.seat_table import render, seats_document, seats_title, to_data

    check_output_early(output, [votes] if votes else list(paths or []), force)
    drawn = lots_option(lots)
    if votes is not None:
        from osv_verify.app.what_if import what_if

        if n_seats is None:
            raise UsageError(Text("--votes heeft --seats nodig", "--votes needs --seats"))
        try:
            when = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise UsageError(Text(f"--date {date!r} is niet JJJJ-MM-DD", f"--date {date!r} is not YYYY-MM-DD")) from None
        from osv_verify.seats.rules import EARLIEST_DATE

        if when is not None and when < EARLIEST_DATE:
            raise UsageError(Text(f"--date {when.isoformat()} ligt voor {EARLIEST_DATE.isoformat()}, de oudste wettekst die "
                                  "osv-verify kent; de zetelverdeling van toen is niet ingebouwd",
                                  f"--date {when.isoformat()} is before {EARLIEST_DATE.isoformat()}, the oldest law text "
                                  "osv-verify implements; the seat rules of that time are not built in"))
        allocation = what_if(votes, n_seats, category, when, drawn)
        if fmt is Format.HTML:
            from osv_verify.report.html.seats_page import render_what_if

            emit(render_what_if(allocation, None, ElectedNames(), drawn, lang), output, [votes], force)
        else:
            emit(render(allocation, None, ElectedNames(), fmt, explain, drawn, lang=lang), output, [votes], force)
        # lots needed and not given: seats are left open, not an all-clear (exit 4)
        raise typer.Exit(int(ExitCode.OK if allocation.lots_required is None else ExitCode.NOT_VERIFIED))
    if n_seats is not None:
        raise UsageError(Text("--seats hoort bij --votes (de wat-als-berekening); met de bestanden van de verkiezing komt het "
                              "aantal zetels uit de 110a of 520",
                              "--seats goes with --votes (the what-if); with the election's files the seats come from its 110a or 520"))
    if not paths:
        raise UsageError(Text("geef de bestanden van de verkiezing (510 + 230b/110a, en de 520 om te vergelijken), of --votes BESTAND --seats N",
                              "give the election's files (510 + 230b/110a, and the 520 to compare), or --votes FILE --seats N"))
    from osv_verify.app.verify import verify as run

    result = run(paths, lots=drawn)
    report_input_errors(result.input_errors, lang)
    if fmt is Format.HTML:
        from osv_verify.report.html.seats_page import render_seats

        emit(render_seats(result, lang), output, paths, force)
        failed = any(e.verdict.seat_errors for e in result.elections)
        raise typer.Exit(int(ExitCode.INPUT if result.input_errors else ExitCode.FINDINGS if failed
                             else ExitCode.NOT_VERIFIED if _open(result) else ExitCode.OK))
    texts = []
    documents: list[dict[str, object]] = []  # --format json: one document for the run
    failed = False
    for e in result.elections:
        comp = e.seats
        seat_findings = [f for f in e.findings if family(f.code) is Family.SEATS or (f.code == "CHECK.NOT_RUN" and (f.field or "").startswith("SEATS"))]
        if comp is None and not seat_findings:
            seat_findings = e.seats_why  # nothing called for the seats in verify; here they were asked for: say why not
        failed |= e.verdict.seat_errors > 0
        differences = [{**f.to_dict(lang), "election": e.id} for f in seat_findings]
        if fmt is Format.JSON:
            data = to_data(comp.outcome.allocation, comp.outcome, comp.names, comp.lots) if comp is not None else {}
            documents.append({"election": e.id, "computed": comp is not None, **data, "differences": differences})
            continue
        if comp is None:
            texts.append("".join(f.message(lang) + "\n" for f in seat_findings))  # each message names the election
            continue
        text = render(comp.outcome.allocation, comp.outcome, comp.names, fmt, explain, comp.lots,
                      title=seats_title(e.id, comp.source, comp.seats_from, lang), lang=lang)
        diff = [f"{f.code}: {f.message(lang)}" for f in seat_findings]
        texts.append(text + ("\n" + "\n".join(diff) + "\n" if diff else ""))
    if fmt is Format.JSON:
        texts = [seats_document(documents, [err.message_in(lang) for err in result.input_errors])]
    emit("".join(texts), output, paths, force)
    if result.input_errors:
        raise typer.Exit(int(ExitCode.INPUT))
    if failed:
        raise typer.Exit(int(ExitCode.FINDINGS))
    # no seats computed at all: nothing was checked, never an all-clear (verify's exit 4)
    # or seats left open because lots are needed and not given: not an all-clear either
    computed = any(e.seats is not None for e in result.elections)
    raise typer.Exit(int(ExitCode.OK if computed and not _open(result) else ExitCode.NOT_VERIFIED))


def _open(result: object) -> bool:
    """Whether an election's seats stay open: the law needs lots and ``--lots`` did not give them."""
    return any(e.seats is not None and e.seats.outcome.lots_required is not None
               for e in result.elections)  # type: ignore[attr-defined]
