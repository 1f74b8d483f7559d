"""``protocol --format html``: the control protocol's lists per municipality."""

from __future__ import annotations

from typing import TYPE_CHECKING

from osv_verify.core.text import pick
from osv_verify.report import hcp
from osv_verify.report.html.page import Section, esc, input_error_sections, page, tables_section, what_now_html

if TYPE_CHECKING:
    from osv_verify.app.protocol import ProtocolRun


def render_protocol(result: ProtocolRun, lang: str) -> str:
    """``osv-verify protocol --format html``: per municipality the protocol's three lists (as
    the spreadsheets have them, without the columns every row repeats), what could not be
    checked, and part B."""
    words = hcp.sheet_titles(lang)
    sections = input_error_sections(result.input_errors, lang)
    for p in result.municipalities:
        skip = len(hcp.ID_COLUMNS) - 2  # keep the station's number and name
        tables = []
        for sheet in hcp.SHEETS:
            rows = [row[skip:] for row in hcp.rows(p, sheet, lang)] or [[words["none"]]]
            tables.append((words[sheet], hcp.columns(p, sheet, lang)[skip:], rows))
        section = tables_section(f"{p.authority_name} ({p.authority_id}), {p.election_name}", tables)
        notes = [f"<li class=\"skip\">{esc(hcp.column_label(p, n.column, lang))}: {esc(n.why.render(lang))}</li>"
                 for n in p.not_run]
        extra = (f"<h4>{esc(words['not_run'])}</h4><ul>{''.join(notes)}</ul>" if notes else "")
        if p.part_b:
            extra += f"<h4>{esc(words['part_b'])}</h4><p>{esc(pick(lang, *p.part_b))}</p>"
        sections.append(Section(section.title, section.body + extra))
    if result.notes:
        sections.append(Section(pick(lang, "Opmerkingen", "Notes"),
                                "<ul>" + "".join(f"<li>{esc(pick(lang, nl, en))}</li>" for nl, en in result.notes) + "</ul>"))
    sections.append(Section(pick(lang, "Wat nu?", "What now?"), what_now_html(lang)))
    return page(pick(lang, "Controleprotocol, deel A", "Control protocol, part A"), sections, lang)
