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

from osv_verify.core.version import __version__
from osv_verify.core.findings import Finding, Severity
from osv_verify.checks.rule import field_label
from osv_verify.core.text import Text, count, pick, severity
from osv_verify.report.html.verdict_box import plain_answer
from osv_verify.core.escape import md_cell, rich_text
from osv_verify.report.output import Format, to_csv, to_json, to_markdown
from osv_verify.app.verdict import ANSWERED, PART_TITLES, STATUS_WORDS, Part, Status, Verdict
from osv_verify.report.schema import schema_id
from osv_verify.app.verify import ElectionReport, RunResult

SCHEMA = schema_id("findings")
LOCATION_COLUMNS = ["election", "contest", "authority", "unit", "list", "candidate"]
COLUMNS = ["code", "severity", *LOCATION_COLUMNS, "field", "expected", "actual", "expected_text", "actual_text",
           "difference", "derivation", "message", "source", "element"]
STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "dim"}
COLOUR = {True: "green", False: "red", None: "yellow"}  # a sentence of the answer: good, bad, neither

#: The run's fixed sentences.
WORDS = {
    "ok": Text("geen fouten gevonden", "no errors found"),
    "unread": Text("geen enkel bestand van deze verkiezing kon worden gelezen (zie de invoerfouten)",
                   "none of this election's files could be read (see the input errors)"),
    "input": Text("invoerfouten", "input errors"),
    "skipped": Text("overgeslagen (geen verkiezingsbestand)", "skipped (not an election file)"),
}

#: Singular and plural nouns of the summary lines: key -> (nl one, nl many, en one, en many).
NOUNS = {
    "files": ("bestand", "bestanden", "file", "files"),
    "units": ("eenheid", "eenheden", "unit", "units"),
    "errors": ("fout", "fouten", "error", "errors"),
    "warnings": ("waarschuwing", "waarschuwingen", "warning", "warnings"),
    "input": ("invoerfout", "invoerfouten", "input error", "input errors"),
    "elections": ("verkiezing", "verkiezingen", "election", "elections"),
}


def _n(n: int, noun: str, lang: str) -> str:
    nl_one, nl_many, en_one, en_many = NOUNS[noun]
    return pick(lang, count(n, nl_one, nl_many), count(n, en_one, en_many))


def _title(part: Part, lang: str) -> str:
    nl, en = PART_TITLES[part.key]
    return pick(lang, nl, en)


def _status(status: Status, lang: str) -> str:
    nl, en = STATUS_WORDS[status]
    return pick(lang, nl, en)


def verdict_dict(v: Verdict, lang: str) -> dict[str, object]:
    """The verdict for JSON: every field one type; texts in the chosen language and in both."""
    return {
        "status": v.status.value,
        "status_text": _status(v.status, lang),
        "parts": [{
            "key": p.key.value,
            "title": _title(p, lang),
            "done": p.done,
            "errors": p.errors,
            "what": p.what.render(lang),
            "what_nl": p.what.nl,
            "what_en": p.what.en,
            "needs": p.needs.render(lang) if p.needs else "",
            "needs_nl": p.needs.nl if p.needs else "",
            "needs_en": p.needs.en if p.needs else "",
            "means": p.means.render(lang) if p.means else "",
            "means_nl": p.means.nl if p.means else "",
            "means_en": p.means.en if p.means else "",
        } for p in v.parts],
        "answer": [{"good": s.good, "text": s.text.render(lang), "text_nl": s.text.nl, "text_en": s.text.en}
                   for s in v.answer],
    }


def verdict_lines(e: ElectionReport, lang: str) -> list[str]:
    """One line per part that was not verified, or verified with a caveat (the number of seats
    taken from the 520, say): what, why, and which file would make it (fully) run."""
    lines = []
    for p in e.verdict.parts if e.verdict else ():
        needs = p.needs.render(lang) if p.needs else ""
        if p.done and (not needs or p.key in ANSWERED):
            continue  # done in full (the status says so), or its caveat is in the plain answer: one line per part
        head = pick(lang, "niet gecontroleerd", "not verified") if not p.done else pick(lang, "met voorbehoud", "with a caveat")
        line = f"{head}: {_title(p, lang)}: {p.what.render(lang)}"
        if p.means:
            line += f"; {pick(lang, 'niet nagegaan', 'not checked')}: {p.means.render(lang)}"
        if needs:
            line += f" ({pick(lang, 'nodig', 'needs')}: {needs})"
        lines.append(line)
    if e.unread:
        lines.append(pick(lang, "niet gelezen: ", "not read: ") + ", ".join(Path(n).name for n in e.unread))
    return lines


def _nothing_found(e: ElectionReport, lang: str) -> str:
    """What to say when no finding is shown: never "no errors" about what did not run."""
    if not e.files:
        return WORDS["unread"].render(lang)
    if e.verdict is None or e.verdict.status is Status.VERIFIED:
        return WORDS["ok"].render(lang)
    if e.verdict.status is Status.NOT_VERIFIED:
        return pick(lang, "niet gecontroleerd: geen telling van deze verkiezing kon worden gecontroleerd",
                    "not verified: no count of this election could be checked")
    return pick(lang, "geen fouten gevonden in wat gecontroleerd is", "no errors found in what was checked")


def run_summary_line(result: RunResult, lang: str) -> str:
    """The run in one line: elections per status, errors, input errors (always shown)."""
    statuses = [e.verdict.status for e in result.elections if e.verdict is not None]
    parts = [f"{_status(s, lang)} {statuses.count(s)}" for s in Status if statuses.count(s)]
    errors = sum(e.count(Severity.ERROR) for e in result.elections)
    text = f"{pick(lang, 'Totaal', 'Total')}: {_n(len(result.elections), 'elections', lang)}"
    if parts:
        text += f" ({', '.join(parts)})"
    return f"{text}, {_n(errors, 'errors', lang)}, {_n(len(result.input_errors), 'input', lang)}"


#: Field keys that are not numbers of the PV, in Dutch words (the PV's numbers come from the model).
OTHER_FIELDS_NL = {"explanations": "verklaringen", "unit": "eenheid", "lots": "loting", "more_ballots - fewer_ballots": "I - J"}


def field_words(field: str | None, lang: str) -> str | None:
    """The field column for people: in Dutch the PV's own words (``blanco stemmen``, ``lijst 3``);
    in English the stable key, as before."""
    if lang == "en" or not field:
        return field
    return OTHER_FIELDS_NL.get(field) or field_label(field, "nl")


def shown(findings: Iterable[Finding], min_severity: Severity) -> list[Finding]:
    return [f for f in findings if f.severity.rank >= min_severity.rank]


def csv_row(f: Finding, election: str, lang: str) -> list[object]:
    """A CSV row (``COLUMNS``): each part of the location in its own column."""
    loc = f.location
    return [f.code, f.severity.value, election, loc.contest, loc.authority, loc.unit, loc.list, loc.candidate,
            f.field, f.expected, f.actual, f.expected_text, f.actual_text, f.difference,
            f.derivation, f.message(lang), f.source, f.element]


MARKDOWN_HEADER = ["code", "severity", "location", "field", "expected", "actual", "message"]
MARKDOWN_HEADER_NL = ["code", "ernst", "plaats", "veld", "verwacht", "gevonden", "melding"]


def markdown_row(f: Finding, lang: str) -> list[object]:
    """A Markdown table row: code, severity, location, field, the two values, message."""
    return [f.code, severity(f.severity.value, lang), f.location.label(lang), field_words(f.field, lang), f.shown("expected"),
            f.shown("actual"), f.message(lang)]


def summary(e: ElectionReport, min_severity: Severity, lang: str = "nl") -> dict[str, object]:
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
        "input_errors": len(e.unread),
        "unread": list(e.unread),
        "status": e.verdict.status.value if e.verdict else "",
        **({"verdict": verdict_dict(e.verdict, lang)} if e.verdict else {}),
        **({"printed": {
            "pvs": [{"pv": pv, "model": model, "eml": eml, "hash_agrees": same} for pv, model, eml, same in e.printed.pvs],
            "signatures": [{"signature": s, "eml": eml, "signer": signer} for s, eml, signer in e.printed.signatures],
            "not_checked": [t.render(lang) for t in e.printed.not_checked],
        }} if e.printed else {}),
    }


def summary_line(e: ElectionReport, lang: str, unplaced: int = 0) -> str:
    """``GR2022_X: 1 bestand, 0 eenheden gecontroleerd, 0 fouten, 0 waarschuwingen, 0 invoerfouten:
    niet gecontroleerd (niet: ...)``: the status and the parts not verified at any --min-severity;
    with ``unplaced`` input errors of the run that belong to no election, that the status holds
    for the files read (the run exits 2 beside it)."""
    line = (f"{e.id}: {_n(len(e.files), 'files', lang)}, {_n(e.units_checked, 'units', lang)} "
            f"{pick(lang, 'gecontroleerd', 'checked')}, {_n(e.count(Severity.ERROR), 'errors', lang)}, "
            f"{_n(e.count(Severity.WARNING), 'warnings', lang)}, {_n(len(e.unread), 'input', lang)}")
    if e.verdict is None:
        return line
    line += f": {_status(e.verdict.status, lang)}"
    missing = [_title(p, lang) for p in e.verdict.not_done()]
    if missing:
        line += f" ({pick(lang, 'niet', 'not')}: {', '.join(missing)})"
    if unplaced:
        line += pick(lang, f"; dit oordeel geldt alleen voor de gelezen bestanden: {_n(unplaced, 'input', lang)} "
                           f"buiten elke verkiezing (een bestand dat niet gelezen kon worden kan bij deze verkiezing horen)",
                     f"; this verdict holds only for the files read: {_n(unplaced, 'input', lang)} outside any "
                     f"election (a file that could not be read may belong to this one)")
    return line


def render_text(result: RunResult, fmt: Format, lang: str, min_severity: Severity) -> str:
    if fmt is Format.JSON:
        return to_json({
            "schema": SCHEMA,
            "tool": {"name": "osv-verify", "version": __version__},
            "summary": {
                "elections": [summary(e, min_severity, lang) for e in result.elections],
                "errors": sum(e.count(Severity.ERROR) for e in result.elections),
                "warnings": sum(e.count(Severity.WARNING) for e in result.elections),
                "input_errors": [str(err) for err in result.input_errors],
                "skipped": result.skipped,
                "copies": [{"file": copy, "same_as": original} for copy, original in result.copies],
            },
            "findings": [
                {**f.to_dict(lang), "election": e.id}
                for e in result.elections for f in shown(e.findings, min_severity)
            ],
        })
    rows = [csv_row(f, e.id, lang) for e in result.elections for f in shown(e.findings, min_severity)]
    if fmt is Format.CSV:
        return to_csv(COLUMNS, rows)
    return _markdown(result, lang, min_severity)


def _markdown(result: RunResult, lang: str, min_severity: Severity) -> str:
    out = ["# osv-verify", ""]
    for e in result.elections:
        title = e.ref.name if e.ref and e.ref.name else e.id
        out += [f"## {md_cell(title)} ({md_cell(e.id)})", "", md_cell(summary_line(e, lang, result.unplaced)), ""]
        notes = [sentence for _, sentence in plain_answer(e.verdict, lang)] if e.verdict else []
        notes += verdict_lines(e, lang)
        if notes:
            out += [f"- {md_cell(line)}" for line in notes] + [""]
        findings = shown(e.findings, min_severity)
        if not findings:
            out += [_nothing_found(e, lang) + ".", ""]
            continue
        out.append(to_markdown(
            MARKDOWN_HEADER_NL if lang == "nl" else MARKDOWN_HEADER,
            [markdown_row(f, lang) for f in findings],
        ))
    if result.input_errors:
        out += [f"## {WORDS['input'].render(lang)}", ""] + [f"- {md_cell(err.message_in(lang))}" for err in result.input_errors] + [""]
    if result.copies:
        out += [f"- {md_cell(pick(lang, f'{copy}: dezelfde bytes als {original}; één keer gelezen', f'{copy}: the same bytes as {original}; read once'))}"
                for copy, original in result.copies] + [""]
    out += [run_summary_line(result, lang), ""]
    return "\n".join(out)


def print_table(result: RunResult, console: Console, lang: str, min_severity: Severity, quiet: bool) -> None:
    for e in result.elections:
        console.print(summary_line(e, lang, result.unplaced), style="bold", highlight=False, markup=False)
        if e.verdict is not None and not quiet:
            for good, sentence in plain_answer(e.verdict, lang):  # only about checks that ran
                console.print(f"  [{COLOUR[good]}]{rich_text(sentence)}[/]", highlight=False)
        if quiet:
            continue
        for line in verdict_lines(e, lang):
            console.print(f"  {line}", style="yellow", highlight=False, markup=False)
        findings = shown(e.findings, min_severity)
        if not findings:
            ok = e.verdict is None or e.verdict.status is not Status.NOT_VERIFIED
            console.print(f"  {_nothing_found(e, lang)}", style="green" if ok and e.files else "red",
                          highlight=False, markup=False)
            continue
        for (where, source), group in groupby(findings, key=lambda f: (f.location.label(lang), f.source)):
            first = next(iter(group_list := list(group)))
            name = e.unit_names.get(first.location.unit or first.location.authority or "")
            where_named = f"{rich_text(where)} — {rich_text(name)}" if name else rich_text(where)
            title = f"{where_named}  [dim]{rich_text(Path(source).name)}[/dim]" if source else where_named
            table = Table(title=title, title_justify="left", show_header=False, box=None, pad_edge=False)
            table.add_column("code", no_wrap=True)
            table.add_column("message")
            for f in group_list:
                text = f.message(lang)
                text = text.removeprefix(f"{where}: ")
                table.add_row(f"[{STYLE[f.severity]}]{f.code}[/]", rich_text(text))
            console.print(table)
    if result.skipped and not quiet:
        # named when few (a report written beside the files, a note): the reader sees what was left out
        names = f": {', '.join(Path(n).name for n in result.skipped)}" if len(result.skipped) <= 5 else ""
        console.print(f"{len(result.skipped)} {WORDS['skipped'].render(lang)}{names}", style="dim", highlight=False, markup=False)
    for copy, original in result.copies:
        console.print(pick(lang, f"{copy}: dezelfde bytes als {original}; één keer gelezen",
                           f"{copy}: the same bytes as {original}; read once"), style="dim", highlight=False, markup=False)
    if result.elections or result.input_errors:
        console.print(run_summary_line(result, lang), style="bold", highlight=False, markup=False)
