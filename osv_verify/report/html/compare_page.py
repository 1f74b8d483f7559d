"""``compare --format html``: do the two entries agree, then each side's own checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from osv_verify.checks.registry import family
from osv_verify.checks.rule import Family
from osv_verify.core.findings import Finding, Severity
from osv_verify.core.text import count, pick
from osv_verify.report.html.page import Section, closing_sections, esc, page
from osv_verify.report.html.station_findings import findings_html

if TYPE_CHECKING:
    from osv_verify.app.compare import Comparison


def render_compare(comparison: Comparison, a: str, b: str, findings: list[Finding], lang: str) -> str:
    """``osv-verify compare --format html``: do the two entries agree, then each side's checks."""
    s = comparison.summary()
    double = [f for f in findings if family(f.code) is Family.DOUBLE]
    own = [f for f in findings if family(f.code) is not Family.DOUBLE]
    names = {u.id: u.name for side in (comparison.b, comparison.a) for u in side.units if u.id and u.name}
    for side in (comparison.b, comparison.a):
        if side.authority_id and side.authority_name:
            names[side.authority_id] = side.authority_name
    list_names = {**comparison.b.list_names, **comparison.a.list_names}
    cands = {(k[0], k[1]): n for side in (comparison.b, comparison.a) for k, n in side.candidate_names.items() if k[1]}
    n_units = s["units_compared"]
    facts = pick(lang, f"{count(n_units, 'stembureau', 'stembureaus')} vergeleken: {s['units_identical']} identiek, "
                       f"{s['units_with_differences']} met verschillen, {count(s['fields_with_differences'], 'veld verschilt', 'velden verschillen')}.",  # type: ignore[arg-type]
                 f"{count(n_units, 'polling station', 'polling stations')} compared: {s['units_identical']} identical, "
                 f"{s['units_with_differences']} with differences, {count(s['fields_with_differences'], 'field differs', 'fields differ')}.")  # type: ignore[arg-type]
    double_errors = any(f.severity is Severity.ERROR for f in double)
    if n_units == 0 and comparison.a.total is None:
        status, css = pick(lang, "Niets vergeleken", "Nothing compared"), "not_verified"
    elif double_errors:
        status, css = pick(lang, "A en B verschillen", "A and B differ"), "errors"
    else:
        status, css = pick(lang, "A en B komen overeen", "A and B agree"), "verified"
    own_errors = sum(f.severity is Severity.ERROR for f in own)
    if own_errors:
        css = "errors"
    own_text = (pick(lang, "De controles op elke invoer vinden geen fouten.", "The checks on each entry find no errors.")
                if own_errors == 0 else
                pick(lang, f"De controles op de invoer vinden {count(own_errors, 'fout', 'fouten')}.",
                     f"The checks on the entries find {count(own_errors, 'error', 'errors')}."))
    body = (f'<div class="verdict {css}"><p class="status">{esc(status)}</p><p>{esc(facts)}</p>'
            f'<ul><li class="{"yes" if not own_errors else "no"}">{esc(own_text)}</li></ul></div>'
            f'<p class="meta">A: {esc(a)}<br>B: {esc(b)}</p>')
    sections = [Section(pick(lang, "Dubbele invoer", "Double entry"), body)]
    if double:
        sections.append(Section(pick(lang, "Verschillen tussen A en B", "Differences between A and B"),
                                findings_html(double, lang, names, list_names, cands)))
    if own:
        sections.append(Section(pick(lang, "Controles op elke invoer", "Checks on each entry"),
                                findings_html(own, lang, names, list_names, cands)))
    note = pick(lang, "In de tabellen is 'verwacht' de waarde in A en 'gevonden' de waarde in B.",
                "In the tables, 'expected' is the value in A and 'found' the value in B.")
    sections.append(Section("", f'<p class="meta">{esc(note)}</p>'))
    text = " ".join(sec.body for sec in sections)
    sections += closing_sections(findings, lang, text)
    return page(pick(lang, "Vergelijking van twee invoeren", "Comparison of two entries"), sections, lang)
