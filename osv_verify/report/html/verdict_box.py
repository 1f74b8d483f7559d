"""The verdict of one election as a citizen reads it: the plain answer ("De optellingen
kloppen"), what was checked, and what could not be checked and which file would make it run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from osv_verify.core.findings import Severity
from osv_verify.core.text import Text, count, pick
from osv_verify.app.verdict import STATUS_WORDS as VERDICT_WORDS, PART_TITLES, Status, Verdict
from osv_verify.checks.registry import family
from osv_verify.checks.rule import Family, PartKey
from osv_verify.report.html.page import esc, strip_where

if TYPE_CHECKING:
    from osv_verify.app.verify import ElectionReport


#: The verdict's own words (osv_verify.app.verdict), as a heading.
STATUS_WORDS = {status: Text(nl.capitalize(), en.capitalize()) for status, (nl, en) in VERDICT_WORDS.items()}
#: The class of an answer's sentence: good news, bad news, neither.
TONE = {True: "yes", False: "no", None: "skip"}


def plain_answer(verdict: Verdict, lang: str) -> list[tuple[bool | None, str]]:
    """The plain sentences of a verdict (``Verdict.answer``), each with whether it is good news
    (None: neither), in the chosen language."""
    return [(s.good, s.text.render(lang)) for s in verdict.answer]


def verdict_html(e: ElectionReport, lang: str) -> str:
    """The verdict box: status, the plain answer, what ran and what could not (and why)."""
    errors, warnings = e.count(Severity.ERROR), e.count(Severity.WARNING)
    tally = pick(lang, f"{count(errors, 'fout', 'fouten')}, {count(warnings, 'waarschuwing', 'waarschuwingen')}",
                 f"{count(errors, 'error', 'errors')}, {count(warnings, 'warning', 'warnings')}")
    v = e.verdict
    if v is None:
        # no verdict computed: state the facts only, never a status or "all clear"
        if not e.files:
            status = pick(lang, "Niet gecontroleerd: geen enkel bestand van deze verkiezing kon worden gelezen",
                          "Not verified: none of this election's files could be read")
            return f'<div class="verdict not_verified"><p class="status">{esc(status)}</p></div>'
        if e.units_checked == 0:
            facts = pick(lang, f"{count(len(e.files), 'bestand', 'bestanden')} gelezen, maar geen enkele telling "
                               f"(proces-verbaal of totaal) kon worden gecontroleerd: {tally}.",
                         f"{count(len(e.files), 'file', 'files')} read, but no count (proces-verbaal or total) "
                         f"could be checked: {tally}.")
        else:
            facts = pick(lang, f"{count(len(e.files), 'bestand', 'bestanden')} gelezen, "
                               f"{count(e.units_checked, 'proces-verbaal of totaal', 'processen-verbaal en totalen')} gecontroleerd: {tally}.",
                         f"{count(len(e.files), 'file', 'files')} read, "
                         f"{count(e.units_checked, 'proces-verbaal or total', 'processen-verbaal and totals')} checked: {tally}.")
        not_run = [f for f in e.findings if f.code == "CHECK.NOT_RUN"]
        items = "".join(f'<li class="skip">{esc(strip_where(f, lang))}</li>' for f in not_run)
        head = pick(lang, "Niet uitgevoerd:", "Not run:")
        return (f'<div class="verdict{" errors" if errors else ""}"><p class="status">{esc(facts)}</p>'
                + (f"<p>{esc(head)}</p><ul>{items}</ul>" if items else "") + "</div>")
    css = v.status.value + (" errors" if errors else "")
    status = STATUS_WORDS[v.status].render(lang)
    lines = [f'<p class="status">{esc(status)}</p>']
    if v.status is Status.NOT_VERIFIED:
        lines.append("<p>" + esc(pick(lang, "Geen enkele telling van deze verkiezing kon worden gecontroleerd; "
                                           "dit rapport zegt dus niet dat de uitslag klopt.",
                                     "No count of this election could be checked, so this report does not say "
                                     "the result is right.")) + "</p>")
    else:
        lines.append(f"<p>{esc(tally)}</p>")
    answer = plain_answer(v, lang)
    if answer:
        lines.append("<ul>" + "".join(f'<li class="{TONE[good]}">{esc(text)}</li>' for good, text in answer) + "</ul>")
    done = v.done()
    if done:
        lines.append(f"<h3>{esc(pick(lang, 'Wat is gecontroleerd', 'What was checked'))}</h3><ul>")
        for p in done:
            result = (pick(lang, "klopt", "agrees") if p.errors == 0
                      else pick(lang, count(p.errors, "fout", "fouten"), count(p.errors, "error", "errors")))
            if p.caveat is not None and p.errors == 0:  # a seat warning: never "agrees" without it
                result = pick(lang, "klopt, met voorbehoud: ", "agrees, with a caveat: ") + p.caveat.render(lang)
            if p.key is PartKey.PLAUSIBILITY:  # warnings, never "agrees": a reason to look, or none
                n = sum(family(f.code) is Family.P and f.severity is Severity.WARNING for f in e.findings)
                result = pick(lang, f"{count(n, 'waarschuwing', 'waarschuwingen')} (een reden om het PV te bekijken)",
                              f"{count(n, 'warning', 'warnings')} (a reason to look at the PV)") if n else \
                    pick(lang, "geen stembureau om naar te kijken", "no station to look at")
            lines.append(f'<li class="{"yes" if p.errors == 0 else "no"}"><strong>{esc(pick(lang, *PART_TITLES[p.key]))}</strong>: '
                         f"{esc(p.what.render(lang))} &mdash; {esc(result)}</li>")
        lines.append("</ul>")
    not_done = v.not_done()
    if not_done:
        lines.append(f"<h3>{esc(pick(lang, 'Wat niet gecontroleerd kon worden', 'What could not be checked'))}</h3><ul>")
        for p in not_done:
            needs = p.needs.render(lang) if p.needs else ""
            extra = f" {esc(pick(lang, 'Nodig:', 'Needs:'))} <strong>{esc(needs)}</strong>" if needs else ""
            means = f" {esc(pick(lang, 'Niet nagegaan:', 'Not checked:'))} {esc(p.means.render(lang))}." if p.means else ""
            lines.append(f'<li class="skip"><strong>{esc(pick(lang, *PART_TITLES[p.key]))}</strong>: {esc(p.what.render(lang))}.'
                         f"{means}{extra}</li>")
        lines.append("</ul>")
    return f'<div class="verdict {css}">' + "".join(lines) + "</div>"
