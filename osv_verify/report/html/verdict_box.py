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
#: The parts whose agreement a citizen reads as "the sums add up".
ARITHMETIC = (PartKey.STATIONS, PartKey.TOTALS, PartKey.LEVELS)
#: What a citizen reads when a group of parts ran and found nothing, or found errors.
PLAIN = {
    "sums": (Text("De optellingen kloppen", "The sums add up"), Text("De optellingen kloppen niet", "The sums do not add up")),
    PartKey.SOURCES: (Text("De publicaties van dezelfde telling zijn gelijk", "The publications of the same count are identical"),
                      Text("De publicaties van dezelfde telling verschillen", "The publications of the same count differ")),
    PartKey.UNITS: (Text("Alle stembureaus van de definitie zijn er", "Every unit of the definition is there"),
                    Text("Stembureaus ontbreken of zijn extra", "Units are missing or extra")),
    PartKey.SEATS: (Text("De zetelverdeling klopt", "The seat allocation is right"),
                    Text("De zetelverdeling klopt niet", "The seat allocation is wrong")),
    PartKey.ELECTED: (Text("De gekozen kandidaten kloppen", "The elected candidates are right"),
                      Text("De gekozen kandidaten kloppen niet", "The elected candidates are wrong")),
    PartKey.DEFINITION: (Text("De definitie van de verkiezing past bij de wet", "The election's definition fits the law"),
                         Text("De definitie van de verkiezing past niet bij de wet", "The election's definition contradicts the law")),
    PartKey.PRINTED: (Text("Wat is afgedrukt of ondertekend, past bij het telbestand",
                           "What was printed or signed matches the count file"),
                      Text("Wat is afgedrukt of ondertekend, past niet bij het telbestand",
                           "What was printed or signed does not match the count file")),
}


def plain_answer(verdict: Verdict, lang: str) -> list[tuple[bool, str]]:
    """The plain sentences of a verdict, each with whether it is good news: "De optellingen
    kloppen: ...", only for parts that ran (never about a check that did not run)."""
    out: list[tuple[bool, str]] = []
    done = {p.key: p for p in verdict.done()}
    sums = [done[k] for k in ARITHMETIC if k in done]
    if sums:
        errors = sum(p.errors for p in sums)
        good, bad = PLAIN["sums"]
        what = "; ".join(p.what.render(lang) for p in sums)
        out.append((errors == 0, f"{good.render(lang)}: {what}." if errors == 0
                    else f"{bad.render(lang)}: {pick(lang, count(errors, 'fout', 'fouten'), count(errors, 'error', 'errors'))}."))
    for key in (PartKey.SOURCES, PartKey.UNITS, PartKey.DEFINITION, PartKey.SEATS, PartKey.ELECTED, PartKey.PRINTED):
        if key in done:
            good, bad = PLAIN[key]
            part = done[key]
            out.append((part.errors == 0, (f"{good.render(lang)}: {part.what.render(lang)}." if part.errors == 0
                                           else f"{bad.render(lang)}: {part.what.render(lang)}.")))
    return out


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
        lines.append("<ul>" + "".join(f'<li class="{"yes" if ok else "no"}">{esc(text)}</li>' for ok, text in answer) + "</ul>")
    done = v.done()
    if done:
        lines.append(f"<h3>{esc(pick(lang, 'Wat is gecontroleerd', 'What was checked'))}</h3><ul>")
        for p in done:
            result = (pick(lang, "klopt", "agrees") if p.errors == 0
                      else pick(lang, count(p.errors, "fout", "fouten"), count(p.errors, "error", "errors")))
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
            lines.append(f'<li class="skip"><strong>{esc(pick(lang, *PART_TITLES[p.key]))}</strong>: {esc(p.what.render(lang))}.{extra}</li>')
        lines.append("</ul>")
    return f'<div class="verdict {css}">' + "".join(lines) + "</div>"
