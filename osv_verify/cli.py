"""The command line: ``osv-verify COMMAND PATH... [options]``.

Every command takes the same output options (``--format``, ``--output``, ``--lang``).
Data goes to stdout (or ``--output``), progress and errors to stderr. Exit codes: 0 verified
without errors, 1 errors found, 2 input or usage error, 3 internal error (please report).
"""

from __future__ import annotations

import hashlib
import os
import sys
import traceback
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from typer.core import TyperGroup

from osv_verify import __version__
from osv_verify.errors import InputError, OsvError, UsageError
from osv_verify.findings import ExitCode, Severity
from osv_verify.report.output import Format, to_csv, to_json, to_markdown, write_atomic


if TYPE_CHECKING:
    from osv_verify.checks.plausibility import Thresholds
    from osv_verify.model import CountFile


class Lang(StrEnum):
    NL = "nl"
    EN = "en"


class Edge(TyperGroup):
    """The one place where errors become exit codes: ours give one stderr line and exit 2."""

    def invoke(self, ctx: typer.Context) -> object:
        try:
            return super().invoke(ctx)
        except OsvError as err:
            fail(str(err), ExitCode.INPUT)


app = typer.Typer(
    cls=Edge,
    help="Independently verify published Dutch election results (EML_NL and OSV4-3 CSV).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _console(stderr: bool) -> Console:
    return Console(stderr=stderr, no_color=bool(os.environ.get("NO_COLOR")), highlight=False, soft_wrap=True)


def fail(message: str, code: ExitCode) -> None:
    """Print ``osv-verify: error: message`` on stderr and exit with ``code``."""
    _console(stderr=True).print(f"osv-verify: error: {message}", markup=False, style="red")
    raise typer.Exit(int(code))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"osv-verify {__version__} ({Path(__file__).resolve().parent})")
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
LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of messages.", case_sensitive=False)]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks for internal errors.")]


def emit(text: str, output: Path | None, inputs: list[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text, inputs)


def report_input_errors(errors: list[InputError]) -> None:
    console = _console(stderr=True)
    for err in errors:
        console.print(f"osv-verify: input error: {err}", markup=False, style="red")


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
    """Recompute every level, run the PV checks and report every discrepancy.

    Example: osv-verify verify ../shared/data/GR2022/WestMaasenWaal --lang en
    """
    from osv_verify.checks.catalogue import render_catalogue
    from osv_verify.report.findings import print_table, render_text
    from osv_verify.verify import verify as run

    if list_checks:
        emit(render_catalogue(fmt), output, [])
        raise typer.Exit(0)
    if not paths:
        raise UsageError("give at least one file, folder or .zip archive to verify")
    err_console = _console(stderr=True)
    show = progress and err_console.is_terminal
    thresholds = _thresholds(settings) if plausibility or settings or protocol_csv else None
    result = run(paths, progress=(lambda name: err_console.print(f"reading {name}", style="dim", markup=False)) if show else None,
                 lots=_lots(lots), plausibility=thresholds, jobs=jobs or (os.cpu_count() or 1))
    if protocol_csv is not None:  # the same spreadsheets as ``osv-verify protocol --output DIR``
        from osv_verify.protocol import run as run_protocol

        _write_protocol_sheets(run_protocol(paths, thresholds, part_b=False), protocol_csv, False, paths, lang)
    if fmt is Format.TABLE and output is None:
        print_table(result, _console(stderr=False), lang, min_severity, quiet)
    else:
        from osv_verify.report.findings import summary_line

        emit(render_text(result, fmt, lang, min_severity), output, paths)
        if quiet:
            for e in result.elections:
                err_console.print(summary_line(e, lang), markup=False)
    report_input_errors(result.input_errors)
    if result.input_errors:
        raise typer.Exit(int(ExitCode.INPUT))
    if not result.elections:
        raise UsageError("no election files found in " + ", ".join(map(str, paths)))
    errors = any(f.severity is Severity.ERROR for f in result.findings)
    raise typer.Exit(int(ExitCode.FINDINGS if errors and not exit_zero else ExitCode.OK))


LotsOpt = Annotated[Optional[Path], typer.Option("--lots", help="Drawn lots, in order (list numbers or candidate ids), one per line or comma-separated.")]


def _lots(path: Path | None) -> tuple[int | str, ...]:
    from osv_verify.io.votes import read_lots

    if path is None:
        return ()
    try:
        return read_lots(path.read_bytes(), str(path))
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror or err}") from None


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

    from osv_verify.report.seats import render
    from osv_verify.seats.apportion import allocate
    from osv_verify.seats.rules import rules_for

    drawn = _lots(lots)
    if votes is not None:
        from osv_verify.io.votes import read_votes

        if n_seats is None:
            raise UsageError("--votes needs --seats")
        try:
            when = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise UsageError(f"--date {date!r} is not YYYY-MM-DD") from None
        try:
            lists = read_votes(votes.read_bytes(), str(votes))
        except OSError as err:
            raise InputError(str(votes), f"cannot read: {err.strerror or err}") from None
        try:
            rules = rules_for(category.upper(), n_seats, election_date=when)
        except ValueError as err:
            raise UsageError(str(err)) from None
        allocation = allocate(lists, rules, drawn)
        emit(render(allocation, None, {}, fmt, explain, drawn), output, [votes])
        raise typer.Exit(int(ExitCode.OK))
    if not paths:
        raise UsageError("give the election's files (510 + 230b/110a, and the 520 to compare), or --votes FILE --seats N")
    from osv_verify.verify import verify as run

    result = run(paths, lots=drawn)
    report_input_errors(result.input_errors)
    texts = []
    failed = False
    for e in result.elections:
        comp = e.seats
        seat_findings = [f for f in e.findings if f.code.startswith("SEATS.") or (f.code == "CHECK.NOT_RUN" and f.field == "SEATS")]
        failed |= any(f.severity is Severity.ERROR for f in seat_findings)
        if comp is None:
            texts.append(f"{e.id}: " + "; ".join(f.message(lang) for f in seat_findings) + "\n" if seat_findings else "")
            continue
        text = render(comp.outcome.allocation, comp.outcome, comp.names, fmt, explain, comp.lots,
                      title=f"{e.id}: seats from {comp.source} ({comp.seats_from})" if fmt is not Format.JSON else "")
        if fmt is Format.JSON:
            import json as _json

            data = _json.loads(text)
            data["election"] = e.id
            data["differences"] = [{**f.to_dict(lang)} for f in seat_findings]
            texts.append(to_json(data))
        else:
            diff = [f"{f.code}: {f.message(lang)}" for f in seat_findings]
            texts.append(text + ("\n" + "\n".join(diff) + "\n" if diff else ""))
    emit("".join(texts), output, paths)
    if result.input_errors:
        raise typer.Exit(int(ExitCode.INPUT))
    raise typer.Exit(int(ExitCode.FINDINGS if failed else ExitCode.OK))


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
    from osv_verify.inspect import inspect as run

    infos, errors, skipped = run(paths)
    header = ["election", "name", "category", "date", "seats", "files", "levels", "units", "lists", "candidates",
              "eligible", "admitted", "valid", "blank", "invalid"]
    rows = [[i.id, i.name, i.category, i.date, i.seats if i.seats is not None else "unknown", len(i.files),
             ", ".join(f"{k}: {v}" for k, v in i.levels.items()), i.reporting_units, i.lists, i.candidates,
             *(i.totals.get(k) for k in ("eligible", "admitted", "valid", "blank", "invalid"))] for i in infos]
    if fmt is Format.JSON:
        emit(to_json({"schema": "osv-verify/inspect/1", "elections": [i.to_dict() for i in infos],
                      "input_errors": [str(e) for e in errors], "skipped": skipped}), output, paths)
    elif fmt is Format.CSV:
        emit(to_csv(header, rows), output, paths)
    elif fmt is Format.MARKDOWN or output is not None:
        emit(to_markdown(header, rows), output, paths)
    else:
        from rich.table import Table

        table = Table(*header, show_lines=False)
        for row in rows:
            table.add_row(*("-" if v is None else str(v) for v in row))
        _console(stderr=False).print(table)
    report_input_errors(errors)
    raise typer.Exit(int(ExitCode.INPUT if errors else ExitCode.OK))


def load_count(path: Path) -> "CountFile":
    """Exactly one count (510 or OSV CSV) from a path, or an input error saying what is there."""
    from osv_verify.io.discover import discover, load
    from osv_verify.model import CountFile

    inv = discover([path])
    if inv.problems:
        raise inv.problems[0]
    counts = [e for e in inv.entries if e.kind.startswith("510") or e.kind == "osv4-3"]
    if len(counts) != 1:
        found = ", ".join(sorted({e.kind for e in inv.entries})) or "nothing readable"
        raise InputError(str(path), f"expected one count file (EML 510 or OSV4-3 CSV), found {len(counts)} ({found})")
    doc = load(counts[0])
    assert isinstance(doc, CountFile)
    return doc


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
    from osv_verify.compare import compare as run
    from osv_verify.report.findings import COLUMNS, _row, shown

    result = run(load_count(a), load_count(b))
    findings = shown(result.findings, min_severity)
    summary = result.summary()
    if fmt is Format.JSON:
        emit(to_json({"schema": "osv-verify/compare/1", "summary": summary,
                      "findings": [{**f.to_dict(lang), "election": f.location.election} for f in findings]}), output, [a, b])
    elif fmt is Format.CSV:
        emit(to_csv(COLUMNS, [_row(f, f.location.election, lang) for f in findings]), output, [a, b])
    else:
        lines = [f"A: {a}", f"B: {b}",
                 f"{summary['units_compared']} units compared, {summary['units_identical']} identical, "
                 f"{summary['units_with_differences']} with differences, {summary['fields_with_differences']} fields differ"]
        if fmt is Format.MARKDOWN:
            text = "# osv-verify compare\n\n" + "  \n".join(lines) + "\n\n" + to_markdown(
                ["code", "severity", "location", "field", "A", "B", "message"],
                [[f.code, f.severity.value, f.location.label(), f.field, f.expected, f.actual, f.message(lang)] for f in findings])
        else:
            text = "\n".join(lines + _compare_sections(result, findings, lang)) + "\n"
        emit(text, output, [a, b])
    raise typer.Exit(int(ExitCode.OK if result.agree else ExitCode.FINDINGS))


@app.command()
def template(
    paths: Paths,
    authority: Annotated[Optional[str], typer.Option("--authority", help="Gemeente code (e.g. 0668) when the inputs hold several.")] = None,
    output: OutputOpt = None,
) -> None:
    """Write a blank entry sheet (OSV4-3 CSV layout) for one gemeente, from its 510b or OSV CSV,
    or from its polling stations (110b) and candidate lists (230b).

    Example: osv-verify template Telling_GR2022_WestMaasenWaal.eml.xml -o invoer-1.csv
    """
    from osv_verify import template as tpl
    from osv_verify.io.discover import discover, load
    from osv_verify.model import CandidateLists, CountFile, Definition, PollingStations

    inv = discover(paths)
    if inv.problems:
        raise inv.problems[0]
    docs = [load(e) for e in inv.entries]
    lists = [d for d in docs if isinstance(d, CandidateLists)]
    counts = [d for d in docs if isinstance(d, CountFile) and (authority is None or d.authority_id == authority)]
    stations = [d for d in docs if isinstance(d, PollingStations) and (authority is None or d.authority_id == authority)]
    definition = next((d for d in docs if isinstance(d, Definition)), None)
    if counts:
        authorities = {c.authority_id for c in counts}
        if len(authorities) > 1:
            raise UsageError(f"several gemeenten in the input ({', '.join(sorted(map(str, authorities)))}); choose one with --authority")
        sheet, names = tpl.from_count(counts[0], lists)
    elif stations:
        if len(stations) > 1:
            raise UsageError("several 110b files in the input; choose one gemeente with --authority")
        sheet, names = tpl.from_definition(stations[0], lists, definition)
    else:
        raise UsageError("no 510b, OSV4-3 CSV or 110b for a gemeente in the input" + (f" with code {authority}" if authority else ""))
    data = tpl.render(sheet, names)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        write_atomic(output, data, paths)
        _console(stderr=True).print(f"wrote {output}: {len(sheet.units)} stembureaus, {len(sheet.list_names)} lists",
                                    markup=False)


COMPARE_WORDS = {
    "nl": ("De invoeren komen overeen.", "Verschillen tussen A en B:", "Controles op invoer", "geen bevindingen"),
    "en": ("The entries agree.", "Differences between A and B:", "Checks on entry", "no findings"),
}


def _compare_sections(result, findings, lang: str) -> list[str]:
    """Plain-text body of ``compare``: first the differences, then each side's own checks."""
    agree, differ, checks, none = COMPARE_WORDS[lang]
    double = [f for f in findings if f.code.startswith("DOUBLE.")]
    out = ["", differ] + [f"  {f.code:<20} {f.message(lang)}" for f in double] if double else ["", agree]
    for side, count in (("A", result.a), ("B", result.b)):
        own = [f for f in findings if not f.code.startswith("DOUBLE.") and f.source == count.source]
        out += ["", f"{checks} {side}:"] + ([f"  {f.code:<20} {f.message(lang)}" for f in own] or [f"  {none}"])
    return out


def _thresholds(settings: list[str] | None) -> "Thresholds":
    """The plausibility and protocol thresholds with ``--set NAME=VALUE`` applied."""
    from osv_verify.checks.plausibility import Thresholds

    pairs = dict(item.split("=", 1) if "=" in item else (item, "") for item in settings or [])
    try:
        return Thresholds.with_overrides(pairs)
    except ValueError as err:
        raise UsageError(f"--set: {err}") from None


@app.command()
def protocol(
    paths: Paths,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="csv: the three spreadsheets per municipality into the --output folder; json, markdown (table: the same as markdown): the same content to stdout or --output FILE.", case_sensitive=False)] = Format.CSV,
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
    from osv_verify.protocol import run as run_protocol
    from osv_verify.report.hcp import render_json, render_markdown

    result = run_protocol(paths, _thresholds(settings), neighbourhoods)
    err_console = _console(stderr=True)
    if fmt is Format.CSV:
        if output is None:
            raise UsageError("--format csv writes a folder per municipality: give it with --output DIR",
                             nl="--format csv schrijft een map per gemeente: geef die op met --output MAP")
        _write_protocol_sheets(result, output, force, paths, lang)
    else:
        render = render_json if fmt is Format.JSON else render_markdown
        emit(render(result.municipalities, lang), output, paths)
    for nl, en in result.notes:
        err_console.print(f"osv-verify: {en if lang == 'en' else nl}", markup=False)
    report_input_errors(result.input_errors)
    if result.input_errors:
        raise typer.Exit(int(ExitCode.INPUT))
    if not result.municipalities:
        raise UsageError("no municipality count file (EML 510b) found in " + ", ".join(map(str, paths)),
                         nl="geen telbestand van een gemeente (EML 510b) gevonden in " + ", ".join(map(str, paths)))
    raise typer.Exit(int(ExitCode.OK))


def _write_protocol_sheets(result, out: Path, force: bool, inputs: list[Path], lang: str) -> None:
    """Every municipality's a.csv, b.csv and c.csv under ``out``; say on stderr what was written,
    what could not be checked and part B. Nothing is written when any file exists (no --force)."""
    from osv_verify.i18n import count, pick
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


@app.command(hidden=True, context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def synth(ctx: typer.Context) -> None:
    """Developer command: generate an election with injected faults (see python -m osv_verify.synth --help)."""
    from osv_verify.synth import main as synth_main

    raise typer.Exit(synth_main(list(ctx.args)))


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
    if expect is not None:
        want = normalise_hash(expect)
        if len(want) != 64 or any(c not in "0123456789abcdef" for c in want):
            raise UsageError(f"--expect {expect!r} is not a SHA-256 (64 hex digits, spaces allowed)")
    rows = []
    for path in files:
        if not path.is_file():
            raise InputError(str(path), "not a regular file" if path.exists() else "no such file")
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InputError(str(path), f"cannot read: {err.strerror or err}") from None
        printed = sha256_groups(data)
        match = None if expect is None else normalise_hash(printed) == normalise_hash(expect)
        rows.append([str(path), printed, match])
    header = ["file", "sha256", "matches"]
    if fmt is Format.JSON:
        emit(to_json([dict(zip(header, r)) for r in rows]), output, files)
    elif fmt is Format.CSV:
        emit(to_csv(header, rows), output, files)
    elif fmt is Format.MARKDOWN:
        emit(to_markdown(header, rows), output, files)
    else:
        word = {True: {"nl": "KLOPT", "en": "MATCHES"}, False: {"nl": "KLOPT NIET", "en": "DOES NOT MATCH"}}
        lines = [f"{p}\n  {h}" + (f"\n  {word[m][lang]}" if m is not None else "") for p, h, m in rows]
        emit("\n".join(lines) + "\n", output, files)
    if expect is not None and not all(r[2] for r in rows):
        raise typer.Exit(int(ExitCode.FINDINGS))


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code instead of exiting (testable, pypa/build style)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        app(args=args, prog_name="osv-verify")
    except SystemExit as exc:  # typer/click end every run this way
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else int(ExitCode.INPUT))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug in osv-verify
        if "--debug" in args:
            traceback.print_exc()
        print(f"osv-verify: internal error: {type(exc).__name__}: {exc} "
              "(please report this, with the --debug output, to the osv-verify developers)", file=sys.stderr)
        return int(ExitCode.INTERNAL)
    return 0
