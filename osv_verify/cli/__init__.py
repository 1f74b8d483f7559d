"""The command line: ``osv-verify COMMAND PATH... [options]``.

Every command takes the same output options (``--format``, ``--output``, ``--lang``).
Data goes to stdout (or ``--output``), progress and errors to stderr. Exit codes: 0 verified
without errors, 1 errors found, 2 input or usage error, 3 internal error (please report),
4 (``verify``) an election of which no count could be checked (not verified).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import traceback
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from typer.core import TyperGroup

from osv_verify.cli.explain import explain
from osv_verify.core.version import __version__
from osv_verify.core.errors import InputError, OsvError, UsageError, unreadable
from osv_verify.core.findings import ExitCode, Severity
from osv_verify.core.text import count as n_of
from osv_verify.core.text import pick, severity
from osv_verify.report.output import Format, to_csv, to_json, to_markdown, write_atomic


if TYPE_CHECKING:
    from osv_verify.checks.thresholds import Thresholds
    from osv_verify.app.verify import RunResult


class Lang(StrEnum):
    NL = "nl"
    EN = "en"


class Edge(TyperGroup):
    """The one place where errors become exit codes: ours give one stderr line and exit 2, in
    the language of the command line's ``--lang`` (``main`` passes it in ``obj``, because a
    command line that click cannot parse has no parsed ``--lang``)."""

    def invoke(self, ctx: typer.Context) -> object:
        lang = (ctx.obj or {}).get("lang", Lang.NL.value)
        try:
            return super().invoke(ctx)
        except OsvError as err:
            fail(err.message_in(lang), ExitCode.INPUT, lang)
        except CLICK_USAGE_ERROR as err:  # the command line itself: unknown option, missing argument, bad value
            command = err.ctx.command_path if getattr(err, "ctx", None) else "osv-verify"  # type: ignore[attr-defined]
            message = err.format_message()  # type: ignore[attr-defined]
            problem = _click_problem_nl(message) if lang == "nl" else message.rstrip(".")
            fail(f"{problem}; {pick(lang, 'zie', 'see')} {command} --help", ExitCode.INPUT, lang)


#: click's UsageError (typer may vendor click, so found through the public ``typer.BadParameter``).
CLICK_USAGE_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


#: click's own English messages and their Dutch (click speaks English only). Matched on the
#: message text, which is the same in click and in the click that typer may vendor.
_CLICK_NL = [
    (re.compile(r"No such option:? '?([^'\s(]+)'?.*"), "onbekende optie {0}"),
    (re.compile(r"No such command '([^']+)'\.?"), "onbekende opdracht '{0}'"),
    (re.compile(r"Missing argument '?([^']+?)'?\.?"), "argument '{0}' ontbreekt"),
    (re.compile(r"Missing option '?([^']+?)'?\.?"), "optie '{0}' ontbreekt"),
    (re.compile(r"Option '?([^']+?)'? requires an argument\.?"), "optie {0} heeft een waarde nodig"),
    (re.compile(r"Invalid value for (.+?): (.*?)\.?"), "ongeldige waarde voor {0} (\"{1}\")"),
]


def _click_problem_nl(message: str) -> str:
    """What click found wrong with the command line, in Dutch."""
    for pattern, dutch in _CLICK_NL:
        m = pattern.fullmatch(message.strip())
        if m:
            return dutch.format(*m.groups())
    return f"de opdrachtregel klopt niet (\"{message.strip()}\")"


def _lang_in(args: list[str]) -> str:
    """The ``--lang`` of a command line (Dutch unless it says ``en``), for the messages printed
    outside a command: errors at the edge, internal errors."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return "en" if args[i + 1].lower() == "en" else "nl"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1].lower() == "en" else "nl"
    return "nl"


app = typer.Typer(
    cls=Edge,
    help="Independently verify published Dutch election results (EML_NL and OSV4-3 CSV).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


#: The width of table output into a pipe or file: wide enough never to wrap a line or cut a path.
PIPE_WIDTH = 100_000


def _console(stderr: bool) -> Console:
    """A console for stdout or stderr; into a pipe or a file it never wraps or truncates."""
    console = Console(stderr=stderr, no_color=bool(os.environ.get("NO_COLOR")), highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console.width = PIPE_WIDTH
    return console


def fail(message: str, code: ExitCode, lang: str = "nl") -> None:
    """Print ``osv-verify: fout: message`` (``error:`` in English) on stderr and exit with ``code``."""
    _console(stderr=True).print(f"osv-verify: {pick(lang, 'fout', 'error')}: {message}", markup=False, style="red")
    raise typer.Exit(int(code))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"osv-verify {__version__} ({Path(__file__).resolve().parent.parent})")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Independently verify published Dutch election results (EML_NL and OSV4-3 CSV)."""


# Shared options (sqlite-utils style: the same flags on every command).
Paths = Annotated[list[Path], typer.Argument(help="Files, folders (searched recursively) and .zip archives.", show_default=False)]
OptionalPaths = Annotated[Optional[list[Path]], typer.Argument(help="Files, folders (searched recursively) and .zip archives.", show_default=False)]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout.")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of messages: nl (Dutch, the default) or en.", case_sensitive=False)]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks for internal errors.")]


def emit(text: str, output: Path | None, inputs: list[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text, inputs)


def no_html(fmt: Format, what: str) -> None:
    """``--format html`` is a report for people: only where there is one (verify, compare, seats, protocol)."""
    if fmt is Format.HTML:
        raise UsageError(f"--format html is not available for {what}; use it with verify, compare, seats or protocol",
                         nl=f"--format html is er niet voor {what}; gebruik het bij verify, compare, seats of protocol")


def report_input_errors(errors: list[InputError], lang: str) -> None:
    console = _console(stderr=True)
    for err in errors:
        console.print(f"osv-verify: {pick(lang, 'invoerfout', 'input error')}: {err.message_in(lang)}", markup=False, style="red")


@app.command()
def verify(
    paths: OptionalPaths = None,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    lang: LangOpt = Lang.NL,
    min_severity: Annotated[Severity, typer.Option("--min-severity", help="Show findings from this severity up.")] = Severity.WARNING,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary line per election.")] = False,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when errors are found (input errors still exit 2).")] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show which file is being read (stderr).")] = True,
    list_checks: Annotated[bool, typer.Option("--list-checks", help="Print the catalogue of checks and exit.")] = False,
    lots: LotsOpt = None,
    plausibility: Annotated[bool, typer.Option("--plausibility", help="Also run the plausibility checks of the control protocol (warnings).")] = False,
    settings: Annotated[Optional[list[str]], typer.Option("--set", help="A plausibility threshold, NAME=VALUE (see --list-checks); repeatable.")] = None,
    protocol_csv: Annotated[Optional[Path], typer.Option("--protocol-csv", help="Also write the control protocol's spreadsheets (a.csv, b.csv, c.csv per municipality) into this folder, as 'osv-verify protocol --output DIR' does.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Work in this many processes (0: one per core): elections, or the count files of one election, in parallel; the report is the same.", min=0)] = 1,
    debug: DebugOpt = False,
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
        emit(render_catalogue(fmt, lang), output, [])
        raise typer.Exit(0)
    if not paths:
        raise UsageError("give at least one file, folder or .zip archive to verify",
                         nl="geef minstens één bestand, map of .zip-archief om te controleren")
    err_console = _console(stderr=True)
    show = progress and err_console.is_terminal
    thresholds = _thresholds(settings) if plausibility or settings or protocol_csv else None
    reading = pick(lang, "lezen", "reading")
    result = run(paths, progress=(lambda name: err_console.print(f"{reading}: {name}", style="dim", markup=False)) if show else None,
                 lots=_lots(lots), plausibility=thresholds, jobs=jobs or (os.cpu_count() or 1))
    if protocol_csv is not None:  # the same spreadsheets as ``osv-verify protocol --output DIR``
        from osv_verify.app.protocol import run as run_protocol

        _write_protocol_sheets(run_protocol(paths, thresholds, part_b=False), protocol_csv, False, paths, lang)
    if fmt is Format.TABLE and output is None:
        print_table(result, _console(stderr=False), lang, min_severity, quiet)
    elif fmt is Format.HTML:
        from osv_verify.report.html import render_verify

        emit(render_verify(result, lang, min_severity), output, paths)
    else:
        from osv_verify.report.listing import summary_line

        emit(render_text(result, fmt, lang, min_severity), output, paths)
        if quiet:
            for e in result.elections:
                err_console.print(summary_line(e, lang), markup=False)
    report_input_errors(result.input_errors, lang)
    if result.input_errors:
        raise typer.Exit(int(ExitCode.INPUT))
    if not result.elections:
        where = ", ".join(map(str, paths))
        raise UsageError(f"no election files found in {where}", nl=f"geen verkiezingsbestanden gevonden in {where}")
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


LotsOpt = Annotated[Optional[Path], typer.Option("--lots", help="Drawn lots, in order (list numbers or candidate ids), one per line or comma-separated.")]


def _lots(path: Path | None) -> tuple[int | str, ...]:
    from osv_verify.io.votes import read_lots

    if path is None:
        return ()
    try:
        return read_lots(path.read_bytes(), str(path))
    except OSError as err:
        raise unreadable(str(path), err) from None


@app.command()
def seats(
    paths: OptionalPaths = None,
    votes: Annotated[Optional[Path], typer.Option("--votes", help="What-if: CSV with header list;name;votes[;candidates].")] = None,
    n_seats: Annotated[Optional[int], typer.Option("--seats", help="What-if: number of seats.", min=1, max=1000)] = None,
    category: Annotated[str, typer.Option("--category", help="What-if: GR, PS, AB, TK, EP, EK or ER.")] = "GR",
    date: Annotated[Optional[str], typer.Option("--date", help="What-if: election date YYYY-MM-DD (law in force).")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Show every step with its Kieswet article.")] = False,
    lots: LotsOpt = None,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    lang: LangOpt = Lang.NL,
) -> None:
    """Recompute the seat allocation and the elected candidates (Kieswet chapter P), and with
    a 520 present show the differences; or, with --votes, a what-if calculator.

    Example: osv-verify seats --votes uitslag.csv --seats 17 --category GR --explain
    """
    import datetime as dt

    from osv_verify.report.seat_table import render, seats_document, seats_title, to_data
    from osv_verify.seats.apportion import allocate
    from osv_verify.seats.rules import rules_for

    drawn = _lots(lots)
    if votes is not None:
        from osv_verify.io.votes import read_votes

        if n_seats is None:
            raise UsageError("--votes needs --seats", nl="--votes heeft --seats nodig")
        try:
            when = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise UsageError(f"--date {date!r} is not YYYY-MM-DD", nl=f"--date {date!r} is niet JJJJ-MM-DD") from None
        try:
            lists = read_votes(votes.read_bytes(), str(votes))
        except OSError as err:
            raise unreadable(str(votes), err) from None
        try:
            rules = rules_for(category.upper(), n_seats, election_date=when)
        except ValueError:
            raise UsageError(f"--category {category!r} is not one of GR, PS, AB, TK, EP, EK, ER",
                             nl=f"--category {category!r} is niet een van GR, PS, AB, TK, EP, EK, ER") from None
        allocation = allocate(lists, rules, drawn)
        if fmt is Format.HTML:
            from osv_verify.report.html import render_what_if

            emit(render_what_if(allocation, None, {}, drawn, lang), output, [votes])
        else:
            emit(render(allocation, None, {}, fmt, explain, drawn, lang=lang), output, [votes])
        raise typer.Exit(int(ExitCode.OK))
    if n_seats is not None:
        raise UsageError("--seats goes with --votes (the what-if); with the election's files the seats come from its 110a or 520",
                         nl="--seats hoort bij --votes (de wat-als-berekening); met de bestanden van de verkiezing komt het "
                            "aantal zetels uit de 110a of 520")
    if not paths:
        raise UsageError("give the election's files (510 + 230b/110a, and the 520 to compare), or --votes FILE --seats N",
                         nl="geef de bestanden van de verkiezing (510 + 230b/110a, en de 520 om te vergelijken), of --votes BESTAND --seats N")
    from osv_verify.app.verify import verify as run
    from osv_verify.checks.registry import RULES
    from osv_verify.checks.rule import Family

    result = run(paths, lots=drawn)
    report_input_errors(result.input_errors, lang)
    if fmt is Format.HTML:
        from osv_verify.report.html import render_seats

        emit(render_seats(result, lang), output, paths)
        failed = any(f.severity is Severity.ERROR and RULES[f.code].family is Family.SEATS for f in result.findings)
        raise typer.Exit(int(ExitCode.INPUT if result.input_errors else ExitCode.FINDINGS if failed else ExitCode.OK))
    texts = []
    documents: list[dict[str, object]] = []  # --format json: one document for the run
    failed = False
    for e in result.elections:
        comp = e.seats
        seat_findings = [f for f in e.findings if RULES[f.code].family is Family.SEATS or (f.code == "CHECK.NOT_RUN" and f.field == "SEATS")]
        failed |= any(f.severity is Severity.ERROR for f in seat_findings)
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
    emit("".join(texts), output, paths)
    if result.input_errors:
        raise typer.Exit(int(ExitCode.INPUT))
    if failed:
        raise typer.Exit(int(ExitCode.FINDINGS))
    # no seats computed at all: nothing was checked, never an all-clear (verify's exit 4)
    raise typer.Exit(int(ExitCode.OK if any(e.seats is not None for e in result.elections) else ExitCode.NOT_VERIFIED))


@app.command()
def inspect(
    paths: Paths,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    lang: LangOpt = Lang.NL,
    debug: DebugOpt = False,
) -> None:
    """Describe what the files contain, per election: levels, units, lists, totals.

    Example: osv-verify inspect ../shared/data/TK2021 --format json
    """
    from osv_verify.app.inspection import inspect as run

    no_html(fmt, "inspect")
    infos, errors, skipped = run(paths)
    header = ["election", "name", "category", "date", "seats", "files", "levels", "units", "lists", "candidates",
              "eligible", "admitted", "valid", "blank", "invalid"]
    unknown = pick(lang, "onbekend", "unknown")
    rows = [[i.id, i.name, i.category, i.date, i.seats if i.seats is not None else unknown, len(i.files),
             ", ".join(f"{k}: {v}" for k, v in i.levels.items()), i.reporting_units, i.lists, i.candidates,
             *(i.totals.get(k) for k in ("eligible", "admitted", "valid", "blank", "invalid"))] for i in infos]
    if fmt is Format.JSON:
        from osv_verify.report.schema import schema_id

        emit(to_json({"schema": schema_id("inspect"), "elections": [i.to_dict() for i in infos],
                      "input_errors": [str(e) for e in errors], "skipped": skipped}), output, paths)
    elif fmt is Format.CSV:
        emit(to_csv(header, rows), output, paths)
    elif fmt is Format.MARKDOWN or output is not None:
        emit(to_markdown(INSPECT_HEADER_NL if lang == "nl" else header, rows), output, paths)
    else:
        from rich.table import Table

        table = Table(*(INSPECT_HEADER_NL if lang == "nl" else header), show_lines=False)
        for row in rows:
            table.add_row(*("-" if v is None else str(v) for v in row))
        _console(stderr=False).print(table)
    report_input_errors(errors, lang)
    raise typer.Exit(int(ExitCode.INPUT if errors else ExitCode.OK))


#: The column heads of ``inspect`` for people (table, Markdown); CSV and JSON keep the English keys.
INSPECT_HEADER_NL = ["verkiezing", "naam", "categorie", "datum", "zetels", "bestanden", "niveaus", "eenheden", "lijsten",
                     "kandidaten", "kiesgerechtigden", "toegelaten", "geldig", "blanco", "ongeldig"]


@app.command()
def compare(
    a: Annotated[Path, typer.Argument(help="First entry: filled-in template, OSV4-3 CSV or EML 510.", show_default=False)],
    b: Annotated[Path, typer.Argument(help="Second entry (or the published file), same formats.", show_default=False)],
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    lang: LangOpt = Lang.NL,
    min_severity: Annotated[Severity, typer.Option("--min-severity", help="Show findings from this severity up.")] = Severity.WARNING,
) -> None:
    """Compare two entries of the same PVs field by field (double entry, "vier ogen"), and
    check each entry on its own. Exit 0 when they agree and both pass the checks.

    Example: osv-verify compare invoer-1.csv invoer-2.csv
    """
    from osv_verify.app.compare import compare as run
    from osv_verify.app.compare import read_entry
    from osv_verify.report.listing import COLUMNS, _row, field_words, shown
    from osv_verify.report.schema import schema_id

    if _same_file(a, b):
        raise UsageError(f"{a} and {b} are the same file: an entry compared with itself says nothing",
                         nl=f"{a} en {b} zijn hetzelfde bestand: een invoer met zichzelf vergelijken zegt niets")
    result = run(read_entry(a), read_entry(b))
    findings = shown(result.findings, min_severity)
    summary = result.summary()
    if fmt is Format.JSON:
        emit(to_json({"schema": schema_id("compare"), "summary": summary,
                      "findings": [{**f.to_dict(lang), "election": f.location.election} for f in findings]}), output, [a, b])
    elif fmt is Format.CSV:
        emit(to_csv(COLUMNS, [_row(f, f.location.election, lang) for f in findings]), output, [a, b])
    elif fmt is Format.HTML:
        from osv_verify.report.html import render_compare

        emit(render_compare(result, str(a), str(b), findings, lang), output, [a, b])
    else:
        lines = [f"A: {a}", f"B: {b}", compare_summary(summary, lang)]
        if fmt is Format.MARKDOWN:
            text = "# osv-verify compare\n\n" + "  \n".join(lines) + "\n\n" + to_markdown(
                ["code", pick(lang, "ernst", "severity"), pick(lang, "plaats", "location"), pick(lang, "veld", "field"),
                 "A", "B", pick(lang, "melding", "message")],
                [[f.code, severity(f.severity.value, lang), f.location.label(lang), field_words(f.field, lang), f.shown("expected"), f.shown("actual"),
                  f.message(lang)] for f in findings])
        else:
            text = "\n".join(lines + _compare_sections(result, findings, lang)) + "\n"
        emit(text, output, [a, b])
    raise typer.Exit(int(ExitCode.OK if result.agree else ExitCode.FINDINGS))


@app.command()
def template(
    paths: Paths,
    authority: Annotated[Optional[str], typer.Option("--authority", help="Gemeente code (e.g. 0668) when the inputs hold several.")] = None,
    output: OutputOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --output when it exists (it may be a filled-in sheet).")] = False,
    lang: LangOpt = Lang.NL,
) -> None:
    """Write a blank entry sheet (OSV4-3 CSV layout) for one gemeente, from its 510b or OSV CSV,
    or from its polling stations (110b) and candidate lists (230b). List and candidate names
    come from every input that has them (230b, OSV CSV, 520).

    Example: osv-verify template Telling_GR2022_WestMaasenWaal.eml.xml Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml -o invoer-1.csv
    """
    from osv_verify.app import template as tpl
    from osv_verify.io.discover import discover, load
    from osv_verify.core.model import CountFile, Definition, PollingStations

    if output is not None and output.exists() and not force:
        raise UsageError(f"{output} exists (perhaps a filled-in sheet); give --force to overwrite it",
                         nl=f"{output} bestaat al (misschien een ingevuld invoerblad); geef --force om het te overschrijven")
    inv = discover(paths)
    if inv.problems:
        raise inv.problems[0]
    docs = [load(e) for e in inv.entries]
    counts = [d for d in docs if isinstance(d, CountFile) and (authority is None or d.authority_id == authority)]
    counts.sort(key=lambda c: c.kind == "osv4-3")  # the published EML first; a CSV adds its names
    stations = [d for d in docs if isinstance(d, PollingStations) and (authority is None or d.authority_id == authority)]
    definition = next((d for d in docs if isinstance(d, Definition)), None)
    if counts:
        authorities = {c.authority_id for c in counts}
        if len(authorities) > 1:
            several = ", ".join(sorted(map(str, authorities)))
            raise UsageError(f"several gemeenten in the input ({several}); choose one with --authority",
                             nl=f"meerdere gemeenten in de invoer ({several}); kies er een met --authority")
        sheet, names = tpl.from_count(counts[0], docs)
    elif stations:
        if len(stations) > 1:
            raise UsageError("several 110b files in the input; choose one gemeente with --authority",
                             nl="meerdere 110b-bestanden in de invoer; kies een gemeente met --authority")
        sheet, names = tpl.from_definition(stations[0], docs, definition)
    else:
        code_en, code_nl = (f" with code {authority}", f" met code {authority}") if authority else ("", "")
        raise UsageError(f"no 510b, OSV4-3 CSV or 110b for a gemeente in the input{code_en}",
                         nl=f"geen 510b, OSV4-3-CSV of 110b van een gemeente in de invoer{code_nl}")
    data = tpl.render(sheet, names)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        write_atomic(output, data, paths)
        stations_n = n_of(len(sheet.units), "stembureau", "stembureaus")
        lists_n = len(sheet.list_names)
        named = sum(1 for name in names.values() if name)
        _console(stderr=True).print(pick(lang, f"geschreven: {output}: {stations_n}, {n_of(lists_n, 'lijst', 'lijsten')}, "
                                               f"{n_of(named, 'kandidaat', 'kandidaten')} met naam",
                                         f"wrote {output}: {n_of(len(sheet.units), 'polling station', 'polling stations')}, "
                                         f"{n_of(lists_n, 'list', 'lists')}, {n_of(named, 'named candidate', 'named candidates')}"),
                                    markup=False)


def compare_summary(summary: dict, lang: str) -> str:
    """One line: how many units were compared and how they came out."""
    if lang == "en":
        return (f"{n_of(summary['units_compared'], 'unit', 'units')} compared: {summary['units_identical']} identical, "
                f"{summary['units_with_differences']} with differences, {summary['units_not_filled_in']} not filled in; "
                f"{n_of(summary['fields_with_differences'], 'number differs', 'numbers differ')}, "
                f"{n_of(summary['bad_cells'], 'unreadable cell', 'unreadable cells')}")
    return (f"{n_of(summary['units_compared'], 'eenheid', 'eenheden')} vergeleken: {summary['units_identical']} gelijk, "
            f"{summary['units_with_differences']} met verschillen, {summary['units_not_filled_in']} niet ingevuld; "
            f"{n_of(summary['fields_with_differences'], 'getal verschilt', 'getallen verschillen')}, "
            f"{n_of(summary['bad_cells'], 'onleesbare cel', 'onleesbare cellen')}")


def _same_file(a: Path, b: Path) -> bool:
    """The two paths are one file. (Two files with the same bytes are fine: two people who typed
    the same numbers agree.)"""
    try:
        return a.resolve() == b.resolve() or a.samefile(b)
    except OSError:
        return False  # reading them properly gives the one-line error


COMPARE_WORDS = {
    "nl": ("De invoeren komen overeen.", "Verschillen tussen A en B:", "Controles op invoer", "geen bevindingen",
           "niets ingevuld: niet gecontroleerd"),
    "en": ("The entries agree.", "Differences between A and B:", "Checks on entry", "no findings",
           "nothing filled in: not checked"),
}


def _compare_sections(result, findings, lang: str) -> list[str]:
    """Plain-text body of ``compare``: first the differences, then each side's own checks."""
    from osv_verify.checks.registry import RULES
    from osv_verify.checks.rule import Family

    agree, differ, checks, none, empty = COMPARE_WORDS[lang]
    double = [f for f in findings if RULES[f.code].family is Family.DOUBLE]
    out = ["", differ] + [f"  {f.code:<20} {f.message(lang)}" for f in double] if double else ["", agree]
    for side, count in (("A", result.a), ("B", result.b)):
        own = [f for f in findings if RULES[f.code].family is not Family.DOUBLE and f.source == count.source]
        filled = any(t.counts or t.lists or t.candidates for t in [count.total, *count.units] if t is not None)
        out += ["", f"{checks} {side}:"] + ([f"  {f.code:<20} {f.message(lang)}" for f in own] or [f"  {none if filled else empty}"])
    return out


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


@app.command()
def export(
    paths: Paths,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv (UTF-8 with BOM, ';') or json (one document, streamed).", case_sensitive=False)] = ExportFormat.CSV,
    output: OutputOpt = None,
    lang: LangOpt = Lang.NL,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show which file is being read (stderr).")] = True,
) -> None:
    """Export every published number as a tidy table: one row per count, list total or
    candidate's votes, with its election, level, unit (name, postcode), list and candidate
    (with names from a 230b or OSV CSV among the inputs) and source file. Absent numbers are
    absent rows. Streams: a national set exports in bounded memory.

    Example: osv-verify export ../shared/data/GR2022/WestMaasenWaal -o westmaasenwaal.csv
    """
    from osv_verify.core.text import count, pick
    from osv_verify.app.export import write
    from osv_verify.report.output import open_atomic

    err_console = _console(stderr=True)
    show = progress and err_console.is_terminal
    on_file = (lambda name: err_console.print(pick(lang, "lezen: ", "reading ") + name, style="dim", markup=False)) if show else None
    if output is None:
        run = write(paths, sys.stdout, fmt.value, on_file)
        sys.stdout.flush()
    else:
        with open_atomic(output, paths) as out:
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
        raise UsageError("no count files (EML 510 or OSV4-3 CSV) found in " + ", ".join(map(str, paths)),
                         nl="geen telbestanden (EML 510 of OSV4-3 CSV) gevonden in " + ", ".join(map(str, paths)))


def _thresholds(settings: list[str] | None) -> "Thresholds":
    """The plausibility and protocol thresholds with ``--set NAME=VALUE`` applied."""
    from osv_verify.checks.thresholds import Thresholds

    return Thresholds.with_overrides(dict(item.split("=", 1) if "=" in item else (item, "") for item in settings or []))


@app.command()
def protocol(
    paths: Paths,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="csv: the three spreadsheets per municipality into the --output folder; json, markdown (table: the same as markdown), html (a page for people): the same content to stdout or --output FILE.", case_sensitive=False)] = Format.CSV,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="csv: the folder to write into (one folder per municipality); json/markdown: a file instead of stdout.")] = None,
    lang: LangOpt = Lang.NL,
    settings: Annotated[Optional[list[str]], typer.Option("--set", help="A threshold, NAME=VALUE (see verify --list-checks); repeatable. Defaults are the protocol's.")] = None,
    neighbourhoods: Annotated[Optional[Path], typer.Option("--neighbourhoods", help="CBS postcode-to-wijk table (CSV or Parquet with zip_code, neighbourhood_code, ambiguous, as HCP ships it): compare a station's candidates with its own wijk.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace spreadsheets that already exist in the output folder.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Part A of the Kiesraad's control protocol for every municipality (510b), as its HCP
    tool computes it: a.csv (unexplained differences), b.csv (everything else) and c.csv
    (every list's deviation per station); with the recounts from the PVs (Model Na 31-1/31-2
    .odt) among the PATHs, and part B (the additions) per municipality.

    Example: osv-verify protocol definitieve-documenten.zip --output controle/
    """
    from osv_verify.app.protocol import run as run_protocol
    from osv_verify.report.hcp import render_json, render_markdown

    result = run_protocol(paths, _thresholds(settings), neighbourhoods)
    err_console = _console(stderr=True)
    if fmt is Format.CSV:
        if output is None:
            raise UsageError("--format csv writes a folder per municipality: give it with --output DIR",
                             nl="--format csv schrijft een map per gemeente: geef die op met --output MAP")
        _write_protocol_sheets(result, output, force, paths, lang)
    elif fmt is Format.HTML:
        from osv_verify.report.html import render_protocol

        emit(render_protocol(result, lang), output, paths)
    else:
        render = render_json if fmt is Format.JSON else render_markdown
        emit(render(result.municipalities, lang), output, paths)
    for nl, en in result.notes:
        err_console.print(f"osv-verify: {en if lang == 'en' else nl}", markup=False)
    report_input_errors(result.input_errors, lang)
    if result.input_errors:
        raise typer.Exit(int(ExitCode.INPUT))
    if not result.municipalities:
        raise UsageError("no municipality count file (EML 510b) found in " + ", ".join(map(str, paths)),
                         nl="geen telbestand van een gemeente (EML 510b) gevonden in " + ", ".join(map(str, paths)))
    raise typer.Exit(int(ExitCode.OK))


def _write_protocol_sheets(result, out: Path, force: bool, inputs: list[Path], lang: str) -> None:
    """Every municipality's a.csv, b.csv and c.csv under ``out``; say on stderr what was written,
    what could not be checked and part B. Nothing is written when any file exists (no --force)."""
    from osv_verify.core.text import count, pick
    from osv_verify.report.hcp import column_label, existing_sheets, write_sheets

    existing = [p for m in result.municipalities for p in existing_sheets(m, out)]
    if existing and not force:
        raise UsageError(f"{existing[0]} already exists ({len(existing)} files would be replaced); use --force or another folder",
                         nl=f"{existing[0]} bestaat al ({len(existing)} bestanden zouden worden vervangen); "
                            "gebruik --force of een andere map")
    console = _console(stderr=True)
    for m in result.municipalities:
        written = write_sheets(m, out, inputs)
        rows = pick(lang, f"a: {count(len(m.a_rows), 'stembureau', 'stembureaus')}, b: {count(len(m.b_rows), 'stembureau', 'stembureaus')}",
                    f"a: {count(len(m.a_rows), 'station', 'stations')}, b: {count(len(m.b_rows), 'station', 'stations')}")
        console.print(f"{pick(lang, 'geschreven', 'wrote')} {written.folder}: a.csv, b.csv, c.csv ({rows})", markup=False)
        for n in m.not_run:
            console.print(f"  {pick(lang, 'niet gecontroleerd', 'not checked')}: {column_label(m, n.column, lang)}: "
                          f"{pick(lang, n.nl, n.en)}", markup=False)
        if m.part_b:
            console.print(f"  {pick(lang, *m.part_b)}", markup=False)


def sha256_groups(data: bytes) -> str:
    """SHA-256 as printed on a proces-verbaal: 16 groups of 4 hex digits."""
    digest = hashlib.sha256(data).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, 64, 4))


def normalise_hash(text: str) -> str:
    return "".join(text.split()).lower()


@app.command("hash")
def hash_(
    files: Annotated[list[Path], typer.Argument(help="Published files (EML) whose hash is printed on the PV.", show_default=False)],
    expect: Annotated[Optional[str], typer.Option("--expect", help="The hash printed on the PV (spaces and case do not matter).")] = None,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    lang: LangOpt = Lang.NL,
) -> None:
    """Print the SHA-256 of a file the way the proces-verbaal prints it; with --expect, say
    whether it matches.

    Example: osv-verify hash Telling_PS2019_Fryslan_gemeente_Tytsjerksteradiel.eml.xml --expect "5b09 5dae ..."
    """
    no_html(fmt, "hash")
    if expect is not None:
        want = normalise_hash(expect)
        if len(want) != 64 or any(c not in "0123456789abcdef" for c in want):
            raise UsageError(f"--expect {expect!r} is not a SHA-256 (64 hex digits, spaces allowed)",
                             nl=f"--expect {expect!r} is geen SHA-256 (64 hexadecimale cijfers, spaties mogen)")
    rows = []
    errors: list[InputError] = []  # a bad path is one line; the other files are still hashed
    for path in files:
        try:
            if not path.is_file():
                if path.exists():
                    raise InputError(str(path), "not a regular file", nl="geen gewoon bestand")
                raise InputError(str(path), "no such file", nl="bestand bestaat niet")
            try:
                data = path.read_bytes()
            except OSError as err:
                raise unreadable(str(path), err) from None
        except InputError as err:
            errors.append(err)
            continue
        printed = sha256_groups(data)
        match = None if expect is None else normalise_hash(printed) == normalise_hash(expect)
        rows.append([str(path), printed, match])
    header = ["file", "sha256", "matches"]
    if fmt is Format.JSON:
        from osv_verify.report.schema import schema_id

        emit(to_json({"schema": schema_id("hash"), "files": [dict(zip(header, r)) for r in rows]}), output, files)
    elif fmt is Format.CSV:
        emit(to_csv(header, rows), output, files)
    elif fmt is Format.MARKDOWN:
        emit(to_markdown(["bestand", "sha256", "klopt"] if lang == "nl" else header, rows), output, files)
    else:
        word = {True: {"nl": "KLOPT", "en": "MATCHES"}, False: {"nl": "KLOPT NIET", "en": "DOES NOT MATCH"}}
        lines = [f"{p}\n  {h}" + (f"\n  {word[m][lang]}" if m is not None else "") for p, h, m in rows]
        emit("\n".join(lines) + "\n", output, files)
    report_input_errors(errors, lang)
    if errors:
        raise typer.Exit(int(ExitCode.INPUT))
    if expect is not None and not all(r[2] for r in rows):
        raise typer.Exit(int(ExitCode.FINDINGS))


app.command()(explain)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code instead of exiting (testable, pypa/build style)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        app(args=args, prog_name="osv-verify", obj={"lang": _lang_in(args)})
    except SystemExit as exc:  # typer/click end every run this way
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else int(ExitCode.INPUT))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug in osv-verify
        if "--debug" in args:
            traceback.print_exc()
        print(pick(_lang_in(args),
                   f"osv-verify: interne fout: {type(exc).__name__}: {exc} "
                   "(meld dit graag, met de uitvoer van --debug, aan de makers van osv-verify)",
                   f"osv-verify: internal error: {type(exc).__name__}: {exc} "
                   "(please report this, with the --debug output, to the osv-verify developers)"), file=sys.stderr)
        return int(ExitCode.INTERNAL)
    return 0
