"""The seat allocation as HTML: the table, the kiesdeler, every step with its article, the
elected candidates; ``seats --format html`` for an election's files or a what-if."""

from __future__ import annotations

from typing import TYPE_CHECKING

from osv_verify.checks.registry import family
from osv_verify.checks.rule import Family
from osv_verify.core.version import __version__
from osv_verify.core.findings import Finding
from osv_verify.core.text import count, pick
from osv_verify.report.html.page import Section, closing_sections, esc, input_error_sections, legend_html, page, strip_where, table
from osv_verify.report.html.station_findings import findings_html
from osv_verify.app.verdict import SeatStatus

if TYPE_CHECKING:
    from osv_verify.checks.elected_order import ElectedNames
    from osv_verify.seats.apportion import Allocation
    from osv_verify.seats.groups import GroupResult
    from osv_verify.app.verify import RunResult


def seats_html(allocation: Allocation, outcome: GroupResult | None, names: ElectedNames,
               lots: tuple[object, ...], lang: str) -> str:
    """The seat table, the kiesdeler, every step with its article, and the elected candidates."""
    from osv_verify.report.seat_table import allocation_rows, candidate_label, mixed, name_notes, open_row, step_text, to_data

    data = to_data(allocation, outcome, names, lots)
    intro = pick(lang, f"{allocation.rules.seats} zetels, {allocation.total_votes} stemmen op lijsten, "
                       f"kiesdeler {mixed(allocation.quota)} (Kieswet P 5).",
                 f"{allocation.rules.seats} seats, {allocation.total_votes} votes on lists, "
                 f"quota (kiesdeler) {mixed(allocation.quota)} (Kieswet P 5).")
    header = [pick(lang, "lijst", "list"), pick(lang, "naam", "name"), pick(lang, "stemmen", "votes"),
              pick(lang, "volle zetels", "full seats"), pick(lang, "restzetels", "residual seats"), pick(lang, "zetels", "seats")]
    rows = allocation_rows(allocation)
    open_seat = open_row(allocation, outcome, lang)
    if open_seat is not None:
        rows.append(open_seat)
    out = [f"<p>{esc(intro)}</p>", table(header, rows, numeric=(2, 3, 4, 5))]
    if allocation.steps:
        out.append(f"<h4>{esc(pick(lang, 'De stappen', 'The steps'))}</h4><ol>"
                   + "".join(f'<li><span class="code">{esc(s.article)}</span> {esc(step_text(s).render(lang))}</li>'
                             for s in allocation.steps)
                   + "</ol>")
    for w in allocation.warnings:
        out.append(f'<p class="sev warning">{esc(w.code)}: {esc(w.text.render(lang))}</p>')
    for need in data["lots_required"]:  # type: ignore[union-attr]
        out.append(f'<p class="sev warning">{esc(pick(lang, "Loting nodig", "Lots required"))}: '
                   f'{esc(pick(lang, str(need["description_nl"]), str(need["description"])))}; '
                   f'{esc(pick(lang, "open zetels", "open seats"))}: {data["open_seats"]}</p>')
    elected = data["elected"]
    if elected:
        reason = {"preference": pick(lang, "voorkeurstemmen (P 15)", "preference votes (P 15)"),
                  "list order": pick(lang, "lijstvolgorde (P 17)", "list order (P 17)")}
        lists = {ls.number: ls.name for ls in allocation.lists}
        out.append(f"<h4>{esc(pick(lang, 'Gekozen kandidaten volgens de wet', 'Candidates elected by law'))}</h4>")
        out.append(table([pick(lang, "lijst", "list"), pick(lang, "kandidaat", "candidate"), pick(lang, "gekozen op", "elected on")],
                         [[f"{r['list']} {lists.get(r['list'], '')}".strip(), candidate_label(r, lang),  # type: ignore[arg-type]
                           reason.get(str(r["reason"]), r["reason"])]  # type: ignore[index]
                          for r in elected]))  # type: ignore[union-attr]
        out += [f'<p class="meta">{esc(note)}</p>' for note in name_notes(data, lang)]
    return "".join(out)


def render_seats(result: RunResult, lang: str) -> str:
    """``osv-verify seats PATH... --format html``: per election the seat table, its steps,
    the elected candidates, and the differences with the 520."""
    sections = []
    shown: list[Finding] = []
    for e in result.elections:
        seat_findings = [f for f in e.findings if family(f.code) is Family.SEATS or (f.code == "CHECK.NOT_RUN" and (f.field or "").startswith("SEATS"))]
        name = e.ref.name if e.ref and e.ref.name else e.id
        comp = e.seats
        body = []
        if comp is None:
            body.append('<div class="verdict not_verified"><p class="status">'
                        + esc(pick(lang, "Zetelverdeling niet berekend", "Seat allocation not computed")) + "</p><ul>"
                        + "".join(f'<li class="skip">{esc(strip_where(f, lang))}</li>' for f in seat_findings) + "</ul></div>")
        else:
            seat_status, errors = e.verdict.seats, e.verdict.seat_errors
            if seat_status is SeatStatus.NO_RESULT:
                status, css = pick(lang, "Herberekend; geen 520 (uitslag) om mee te vergelijken",
                                   "Recomputed; no 520 (result) to compare with"), "partly_verified"
            elif seat_status is SeatStatus.DIFFERS:
                status, css = pick(lang, f"De 520 wijkt af: {count(errors, 'fout', 'fouten')}",
                                   f"The 520 differs: {count(errors, 'error', 'errors')}"), "errors"
            elif seat_status is SeatStatus.SEATS_ONLY:
                status, css = pick(lang, "De zetels per lijst in de 520 kloppen (de gekozen kandidaten konden niet worden vergeleken)",
                                   "The 520's seats per list are right (the elected candidates could not be compared)"), "partly_verified"
            else:
                status, css = pick(lang, "De zetels per lijst en de gekozen kandidaten in de 520 kloppen",
                                   "The 520's seats per list and elected candidates are right"), "verified"
            notes = [f for f in seat_findings if f.code == "CHECK.NOT_RUN"]
            body.append(f'<div class="verdict {css}"><p class="status">{esc(status)}</p>'
                        + ("<ul>" + "".join(f'<li class="skip">{esc(strip_where(f, lang))}</li>' for f in notes) + "</ul>" if notes else "")
                        + "</div>")
            body.append(seats_html(comp.outcome.allocation, comp.outcome, comp.names, comp.lots, lang))
            differences = [f for f in seat_findings if f.code != "CHECK.NOT_RUN"]
            if differences:
                body.append(f"<h3>{esc(pick(lang, 'Verschillen met de 520', 'Differences with the 520'))}</h3>")
                body.append(findings_html(differences, lang, e.unit_names, e.list_names, comp.names.names))
                shown += differences
        sections.append(Section(f"{name} ({e.id})", "".join(body), "election"))
    sections += input_error_sections(result.input_errors, lang)
    text = " ".join(s.body for s in sections)
    sections += closing_sections(shown, lang, text)
    return page(pick(lang, "Zetelverdeling", "Seat allocation"), sections, lang)


def render_what_if(allocation: Allocation, outcome: GroupResult | None, names: ElectedNames,
                   lots: tuple[object, ...], lang: str) -> str:
    """``osv-verify seats --votes ... --format html``: a what-if calculation, no election files."""
    note = pick(lang, "Een rekenvoorbeeld met de opgegeven stemmen; geen controle van een gepubliceerde uitslag.",
                "A calculation with the votes given; not a check of a published result.")
    body = f'<p class="meta">{esc(note)}</p>' + seats_html(allocation, outcome, names, lots, lang)
    sections = [Section(pick(lang, "Zetelverdeling", "Seat allocation"), body)]
    legend = legend_html([], lang, body)
    if legend:
        sections.append(Section(pick(lang, "Legenda", "Legend"), legend))
    footer = pick(lang, f"Gemaakt met osv-verify {__version__}: een rekenvoorbeeld, geen controle.",
                  f"Made with osv-verify {__version__}: a calculation, not a check.")
    return page(pick(lang, "Zetelverdeling (rekenvoorbeeld)", "Seat allocation (what-if)"), sections, lang, footer)
