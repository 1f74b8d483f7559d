"""``verify --format html``: per election the verdict first, then the findings per polling
station, the seat table, and with several elections an overview that links to each."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from osv_verify.core.findings import Finding, Severity
from osv_verify.core.text import count, pick
from osv_verify.report.html.page import Section, basename, closing_sections, esc, input_error_sections, page
from osv_verify.report.html.seats_page import seats_html
from osv_verify.report.html.station_findings import findings_html
from osv_verify.report.html.verdict_box import STATUS_WORDS, verdict_html

if TYPE_CHECKING:
    from osv_verify.app.verify import ElectionReport, RunResult


def _shown(findings: list[Finding], min_severity: Severity) -> list[Finding]:
    return [f for f in findings if f.severity.rank >= min_severity.rank and f.code != "CHECK.NOT_RUN"]


def election_sections(e: ElectionReport, lang: str, min_severity: Severity) -> list[Section]:
    """Verdict, findings per station, seats and legend of one election."""
    name = e.ref.name if e.ref and e.ref.name else e.id
    date = f", {e.ref.date.isoformat()}" if e.ref and e.ref.date else ""
    findings = _shown(e.findings, min_severity)
    candidate_names = e.seats.names.names if e.seats is not None else {}
    body = [verdict_html(e, lang)]
    files = ", ".join(basename(source) for _, source in e.files)
    if files:
        body.append(f'<p class="meta">{esc(pick(lang, "Bestanden", "Files"))}: {esc(files)}</p>')
    if findings:
        body.append(f"<h3>{esc(pick(lang, 'Bevindingen per stembureau', 'Findings per polling station'))}</h3>")
        body.append(findings_html(findings, lang, e.unit_names, e.list_names, candidate_names, e.station_lists))
    elif e.files:
        hidden = sum(f.code != "CHECK.NOT_RUN" for f in e.findings)
        note = pick(lang, f"Geen bevindingen van deze ernst ({count(hidden, 'lichtere bevinding', 'lichtere bevindingen')} niet getoond).",
                    f"No findings of this severity ({count(hidden, 'lesser finding', 'lesser findings')} not shown).")
        body.append(f"<p>{esc(note)}</p>")
    comp = e.seats
    if comp is not None:
        body.append(f"<h3>{esc(pick(lang, 'Zetelverdeling, herberekend', 'Seat allocation, recomputed'))}</h3>")
        where = pick(lang, f"Berekend uit {basename(comp.source)}; aantal zetels uit de {comp.seats_from}.",
                     f"Computed from {basename(comp.source)}; number of seats from the {comp.seats_from}.")
        body.append(f'<p class="meta">{esc(where)}</p>')
        body.append(seats_html(comp.outcome.allocation, comp.outcome, comp.names, comp.lots, lang))
    return [Section(f"{name} ({e.id}{date})", f'<a id="{_anchor(e.id)}"></a>' + "".join(body), "election")]


def _anchor(election: str) -> str:
    return "e-" + re.sub(r"[^A-Za-z0-9_-]", "-", election)


def overview(result: RunResult, lang: str) -> list[Section]:
    """With several elections: one line each (status, errors, warnings), linking to its part."""
    if len(result.elections) < 2:
        return []
    rows = []
    for e in result.elections:
        if e.verdict is not None:
            status = STATUS_WORDS[e.verdict.status].render(lang)
        else:  # no verdict computed: say only the fact that nothing was checked, when so
            status = pick(lang, "niets gecontroleerd", "nothing checked") if e.units_checked == 0 else ""
        name = e.ref.name if e.ref and e.ref.name else e.id
        rows.append(f'<tr><td><a href="#{_anchor(e.id)}">{esc(name)}</a></td><td>{esc(status)}</td>'
                    f'<td class="n">{e.units_checked}</td>'
                    f'<td class="n">{e.count(Severity.ERROR)}</td><td class="n">{e.count(Severity.WARNING)}</td></tr>')
    head = [pick(lang, "verkiezing", "election"), pick(lang, "oordeel", "verdict"),
            pick(lang, "PV's en totalen gecontroleerd", "PVs and totals checked"),
            pick(lang, "fouten", "errors"), pick(lang, "waarschuwingen", "warnings")]
    heads = "".join(f'<th scope="col"{" class=n" if i > 1 else ""}>{esc(h)}</th>' for i, h in enumerate(head))
    return [Section(pick(lang, "Overzicht", "Overview"), f"<table><thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table>")]


def render_verify(result: RunResult, lang: str, min_severity: Severity = Severity.WARNING,
                  extra: list[Section] = ()) -> str:  # type: ignore[assignment]
    """``osv-verify verify --format html``; ``extra`` sections (the control protocol's tables
    per municipality, ``tables_section``) come after the elections, before the legend."""
    sections = overview(result, lang) + input_error_sections(result.input_errors, lang)  # unread files first: not checked
    sections += [s for e in result.elections for s in election_sections(e, lang, min_severity)]
    sections += list(extra)
    shown = [f for e in result.elections for f in _shown(e.findings, min_severity)]
    text = " ".join(s.body for s in sections)
    sections += closing_sections(shown, lang, text)
    title = pick(lang, "Controle van de verkiezingsuitslag", "Check of the election result")
    return page(title, sections, lang)
