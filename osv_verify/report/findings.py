"""Render the findings of a run: terminal table, JSON, Markdown, CSV.

The JSON shape is ``osv_verify.report.schema.FindingsDoc`` (``docs/schema/findings.json``).
Version 2: ``expected``/``actual`` are integers or null, any text is in ``expected_text``/
``actual_text``; CSV has one column per location part.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

from rich.console import Console
from rich.table import Table

from osv_verify import __version__
from osv_verify.findings import Finding, Severity
from osv_verify.report.output import Format, to_csv, to_json, to_markdown
from osv_verify.report.schema import schema_id
from osv_verify.verify import ElectionReport, RunResult

SCHEMA = schema_id("findings")
LOCATION_COLUMNS = ["election", "contest", "authority", "unit", "list", "candidate"]
COLUMNS = ["code", "severity", *LOCATION_COLUMNS, "field", "expected", "actual", "expected_text", "actual_text",
           "difference", "derivation", "message", "source", "element"]
STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "dim"}

WORDS = {
    "nl": {"errors": "fouten", "warnings": "waarschuwingen", "info": "info", "files": "bestanden", "units": "eenheden gecontroleerd",
           "input": "invoerfouten", "ok": "geen fouten gevonden", "election": "verkiezing", "skipped": "overgeslagen (geen verkiezingsbestand)",
           "unread": "geen enkel bestand van deze verkiezing kon worden gelezen (zie de invoerfouten)"},
    "en": {"errors": "errors", "warnings": "warnings", "info": "info", "files": "files", "units": "units checked",
           "input": "input errors", "ok": "no errors found", "election": "election", "skipped": "skipped (not an election file)",
           "unread": "none of this election's files could be read (see the input errors)"},
}


def shown(findings: Iterable[Finding], min_severity: Severity) -> list[Finding]:
    return [f for f in findings if f.severity.rank >= min_severity.rank]


def _row(f: Finding, election: str, lang: str) -> list[object]:
    """A CSV row (``COLUMNS``): each part of the location in its own column."""
    loc = f.location
    return [f.code, f.severity.value, election, loc.contest, loc.authority, loc.unit, loc.list, loc.candidate,
            f.field, f.expected, f.actual, f.expected_text, f.actual_text, f.difference,
            f.derivation, f.message(lang), f.source, f.element]


def summary(e: ElectionReport, min_severity: Severity) -> dict[str, object]:
    return {
        "election": e.id,
        "name": e.ref.name if e.ref else None,
        "date": e.ref.date.isoformat() if e.ref and e.ref.date else None,
        "category": e.ref.category if e.ref else None,
        "files": len(e.files),
        "units_checked": e.units_checked,
        "errors": e.count(Severity.ERROR),
        "warnings": e.count(Severity.WARNING),
        "info": e.count(Severity.INFO),
    }


def summary_line(e: ElectionReport, lang: str) -> str:
    w = WORDS[lang]
    return (f"{e.id}: {len(e.files)} {w['files']}, {e.units_checked} {w['units']}, "
            f"{e.count(Severity.ERROR)} {w['errors']}, {e.count(Severity.WARNING)} {w['warnings']}")


def render_text(result: RunResult, fmt: Format, lang: str, min_severity: Severity) -> str:
    if fmt is Format.JSON:
        return to_json({
            "schema": SCHEMA,
            "tool": {"name": "osv-verify", "version": __version__},
            "summary": {
                "elections": [summary(e, min_severity) for e in result.elections],
                "errors": sum(e.count(Severity.ERROR) for e in result.elections),
                "warnings": sum(e.count(Severity.WARNING) for e in result.elections),
                "input_errors": [str(err) for err in result.input_errors],
                "skipped": result.skipped,
            },
            "findings": [
                {**f.to_dict(lang), "election": e.id}
                for e in result.elections for f in shown(e.findings, min_severity)
            ],
        })
    rows = [_row(f, e.id, lang) for e in result.elections for f in shown(e.findings, min_severity)]
    if fmt is Format.CSV:
        return to_csv(COLUMNS, rows)
    return _markdown(result, lang, min_severity)


def _markdown(result: RunResult, lang: str, min_severity: Severity) -> str:
    w = WORDS[lang]
    out = ["# osv-verify", ""]
    for e in result.elections:
        title = e.ref.name if e.ref and e.ref.name else e.id
        out += [f"## {title} ({e.id})", "", summary_line(e, lang), ""]
        findings = shown(e.findings, min_severity)
        if not findings:
            out += [(w["ok"] if e.files else w["unread"]) + ".", ""]
            continue
        out.append(to_markdown(
            ["code", "severity", "location", "field", "expected", "actual", "message"],
            [[f.code, f.severity.value, f.location.label(), f.field, f.shown("expected"), f.shown("actual"), f.message(lang)]
             for f in findings],
        ))
    if result.input_errors:
        out += [f"## {w['input']}", ""] + [f"- {err}" for err in result.input_errors] + [""]
    return "\n".join(out)


def print_table(result: RunResult, console: Console, lang: str, min_severity: Severity, quiet: bool) -> None:
    w = WORDS[lang]
    for e in result.elections:
        console.print(f"[bold]{summary_line(e, lang)}[/bold]", highlight=False)
        if quiet:
            continue
        findings = shown(e.findings, min_severity)
        if not e.files:
            console.print(f"  [red]{w['unread']}[/red]")
            continue
        if not findings:
            console.print(f"  [green]{w['ok']}[/green]")
            continue
        for (where, source), group in groupby(findings, key=lambda f: (f.location.label(), f.source)):
            title = f"{where}  [dim]{Path(source).name}[/dim]" if source else where
            table = Table(title=title, title_justify="left", show_header=False, box=None, pad_edge=False)
            table.add_column("code", no_wrap=True)
            table.add_column("message")
            for f in group:
                text = f.message(lang)
                text = text.removeprefix(f"{where}: ")
                table.add_row(f"[{STYLE[f.severity]}]{f.code}[/]", text)
            console.print(table)
    if result.skipped and not quiet:
        console.print(f"[dim]{len(result.skipped)} {w['skipped']}[/dim]")
