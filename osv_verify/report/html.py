"""The HTML report a citizen reads: one self-contained file (``--format html``).

No scripts, no external styles, fonts or images: inline CSS and inline SVG only, so the file
works offline, when mailed and when printed. Per election the *verdict* comes first (what was
verified, what could not be, and which file would make it run), then the findings grouped per
polling station under the name the file gives it, with the PV's own letters and field names,
the seat table with its steps, a legend of every letter and code used, and what to do next.

A page is a list of sections (``Section``: a title and an HTML body); ``page`` wraps them.
Each command builds its own sections: ``render_verify``, ``render_compare``, ``render_seats``;
``tables_section`` takes any titled tables (the control protocol's per-municipality lists,
say). Every text is in Dutch and in English (``lang``); every value from a file is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from html import escape
from typing import TYPE_CHECKING

from osv_verify.core.version import __version__
from osv_verify.checks.registry import RULES
from osv_verify.checks.rule import Family, PartKey, field_label
from osv_verify.core.findings import Finding, Severity
from osv_verify.core.text import count, pick
from osv_verify.core.errors import place_in
from osv_verify.core.model import FIELD_BY_KEY
from osv_verify.app.verdict import STATUS_WORDS as VERDICT_WORDS, PART_TITLES, Status, Verdict

if TYPE_CHECKING:
    from osv_verify.app.compare import Comparison
    from osv_verify.seats.apportion import Allocation
    from osv_verify.seats.groups import GroupResult
    from osv_verify.app.protocol import ProtocolRun
    from osv_verify.app.verify import ElectionReport, RunResult


@dataclass(frozen=True)
class Section:
    """One part of a page: a heading and its (already escaped) HTML body."""

    title: str
    body: str
    css_class: str = ""


# ---- words ---------------------------------------------------------------------------------

SEVERITY_WORDS = {
    Severity.ERROR: ("fout", "error"),
    Severity.WARNING: ("waarschuwing", "warning"),
    Severity.INFO: ("info", "info"),
}
#: The verdict's own words (osv_verify.app.verdict), as a heading.
STATUS_WORDS = {status: (nl.capitalize(), en.capitalize()) for status, (nl, en) in VERDICT_WORDS.items()}
#: The parts whose agreement a citizen reads as "the sums add up".
ARITHMETIC = (PartKey.STATIONS, PartKey.TOTALS, PartKey.LEVELS)
#: What a citizen reads when a group of parts ran and found nothing, or found errors.
PLAIN = {
    "sums": (("De optellingen kloppen", "The sums add up"), ("De optellingen kloppen niet", "The sums do not add up")),
    PartKey.SOURCES: (("De publicaties van dezelfde telling zijn gelijk", "The publications of the same count are identical"),
                      ("De publicaties van dezelfde telling verschillen", "The publications of the same count differ")),
    PartKey.UNITS: (("Alle stembureaus van de definitie zijn er", "Every unit of the definition is there"),
                    ("Stembureaus ontbreken of zijn extra", "Units are missing or extra")),
    PartKey.SEATS: (("De zetelverdeling klopt", "The seat allocation is right"),
                    ("De zetelverdeling klopt niet", "The seat allocation is wrong")),
    PartKey.ELECTED: (("De gekozen kandidaten kloppen", "The elected candidates are right"),
                      ("De gekozen kandidaten kloppen niet", "The elected candidates are wrong")),
    PartKey.DEFINITION: (("De definitie van de verkiezing past bij de wet", "The election's definition fits the law"),
                         ("De definitie van de verkiezing past niet bij de wet", "The election's definition contradicts the law")),
}
#: Code families, for the legend.
FAMILIES = {
    Family.F: ("fout op een proces-verbaal (code van de Kiesraad-software Abacus)", "error on a proces-verbaal (code of the Kiesraad's Abacus software)"),
    Family.W: ("waarschuwing op een proces-verbaal (code van Abacus)", "warning on a proces-verbaal (Abacus code)"),
    Family.TALLY: ("een proces-verbaal op zichzelf", "one proces-verbaal on its own"),
    Family.AGG: ("een totaal tegen zijn stembureaus, of een niveau tegen het volgende", "a total against its units, or one level against the next"),
    Family.P: ("plausibiliteit volgens het controleprotocol: een reden om het papieren PV te bekijken, geen bewijs van een fout",
           "plausibility per the control protocol: a reason to look at the paper PV, not proof of an error"),
    Family.SEATS: ("zetelverdeling en gekozen kandidaten (Kieswet hoofdstuk P)", "seat allocation and elected candidates (Kieswet chapter P)"),
    Family.DOUBLE: ("dubbele invoer: twee invoeren van hetzelfde PV", "double entry: two entries of the same PV"),
    Family.DEF: ("definitie van de verkiezing (110a, 230b)", "definition of the election (110a, 230b)"),
    Family.META: ("gegevens over de verkiezing in de bestanden", "data about the election in the files"),
    Family.CHECK: ("een controle die niet kon draaien", "a check that could not run"),
}
#: Abbreviations a page may use, with what they mean.
ABBREVIATIONS = {
    "PV": ("proces-verbaal: het verslag van een stembureau of stembureau-totaal", "proces-verbaal: the official report of a polling station or of a total"),
    "SB": ("stembureau (SB3 = stembureau 3)", "polling station (SB3 = station 3)"),
    "HSB": ("hoofdstembureau (kieskring)", "principal electoral committee (electoral district)"),
    "CSB": ("centraal stembureau: stelt de uitslag vast", "central electoral committee: determines the result"),
    "510b": ("telling van een gemeente met alle stembureaus (EML)", "count of a municipality with all its stations (EML)"),
    "510c": ("telling van een kieskring (EML)", "count of an electoral district (EML)"),
    "510d": ("totaaltelling van de verkiezing (EML)", "total count of the election (EML)"),
    "520": ("uitslag: de gekozen kandidaten (EML)", "result: the elected candidates (EML)"),
    "110a": ("definitie van de verkiezing, met het aantal zetels (EML)", "definition of the election, with the number of seats (EML)"),
    "110b": ("lijst van stembureaus (EML)", "list of polling stations (EML)"),
    "230b": ("kandidatenlijsten (EML)", "candidate lists (EML)"),
    "OSV4-3": ("CSV-export van de uitslagsoftware, per stembureau", "CSV export of the results software, per station"),
    "kiesdeler": ("aantal stemmen op lijsten gedeeld door het aantal zetels (Kieswet P 5)", "votes on lists divided by the number of seats (Kieswet P 5)"),
}
#: The page may load nothing from anywhere: a browser refuses any script or external resource.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
#: The codes that show a station's lists beside it: plausibility, and the PV warnings the protocol shares.
PLAUSIBILITY_CODES = {code for code, r in RULES.items() if r.family is Family.P} | {"W.201", "W.202", "W.203", "W.204"}
#: Finding fields that are not one number of the PV.
OTHER_FIELDS = {
    "explanations": ("verklaringen van het verschil tussen D en H", "explanations of the difference between D and H"),
    "more_ballots - fewer_ballots": ("I - J (meer min minder getelde stembiljetten)", "I - J (more minus fewer ballots counted)"),
    "unit": ("stembureau", "unit"),
    "lots": ("loting", "lots"),
}

CSS = """
:root{--ok:#1b6e3a;--bad:#a4161a;--warn:#8a5a00;--muted:#5b6168;--line:#d7dadf;--bg:#f6f7f9}
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2125;margin:0;background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.3rem;margin:2rem 0 .5rem;border-bottom:2px solid var(--line)}
h3{font-size:1.1rem;margin:1.5rem 0 .5rem}h4{font-size:1rem;margin:1rem 0 .25rem}
.meta,.code,.src{color:var(--muted);font-size:.85rem}.code{font-family:ui-monospace,monospace}
.verdict{border-left:.5rem solid var(--muted);background:var(--bg);padding:.75rem 1rem;margin:1rem 0}
.verdict.verified{border-color:var(--ok)}.verdict.partly_verified{border-color:var(--warn)}
.verdict.not_verified{border-color:var(--muted)}.verdict.errors{border-color:var(--bad)}
.verdict .status{font-size:1.25rem;font-weight:700;margin:0}
.verdict ul{margin:.25rem 0;padding-left:0;list-style:none}
.yes::before{content:"\\2713  ";color:var(--ok);font-weight:700}.no::before{content:"\\2717  ";color:var(--bad);font-weight:700}
.skip::before{content:"\\2013  ";color:var(--muted);font-weight:700}
table{border-collapse:collapse;width:100%;margin:.25rem 0 1rem;font-size:.95rem}
th,td{border-bottom:1px solid var(--line);padding:.3rem .4rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.sev{font-weight:700}.findings .sev .code{display:block}.src{overflow-wrap:anywhere}.sev.error{color:var(--bad)}.sev.warning{color:var(--warn)}.sev.info{color:var(--muted)}
.unit{border:1px solid var(--line);border-radius:.4rem;padding:.25rem .75rem;margin:.75rem 0;break-inside:avoid}
dl.legend{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.legend dt{font-weight:700}dl.legend dd{margin:0}
svg{max-width:100%;height:auto}
@media (max-width:48rem){body{font-size:15px}main{padding:.5rem}table{font-size:.85rem}.findings .sev .code{display:inline}
.findings thead{display:none}.findings tr,.findings td{display:block;border:0;padding:.1rem 0}
.findings tr{border-bottom:1px solid var(--line);padding:.4rem 0}.findings td.n{display:inline-block;text-align:left;margin-right:1rem}
.findings td[data-label]::before{content:attr(data-label) ": ";color:var(--muted)}}
@media print{main{max-width:none}h2{break-after:avoid}.unit{border-color:#999}a{color:inherit}}
"""


# ---- small helpers ------------------------------------------------------------------------

def _t(lang: str, pair: tuple[str, str]) -> str:
    return pick(lang, *pair)


def _e(value: object) -> str:
    return "" if value is None else escape(str(value))


def percent(part: int, whole: int) -> str:
    """``part / whole`` as a percentage with one decimal, rounded half up, exactly."""
    if whole == 0:
        return "-"
    tenths = Fraction(part * 1000, whole) + Fraction(1, 2)
    whole_tenths = tenths.numerator // tenths.denominator
    return f"{whole_tenths // 10},{whole_tenths % 10} %"


def table(header: list[str], rows: Iterable[list[object]], numeric: Iterable[int] = ()) -> str:
    """An HTML table; columns in ``numeric`` are right-aligned. Cells are escaped."""
    num = set(numeric)
    head = "".join(f'<th{" class=n" if i in num else ""} scope="col">{_e(h)}</th>' for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f'<td{" class=n" if i in num else ""}>{_e(v)}</td>' for i, v in enumerate(row)) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def page(title: str, sections: list[Section], lang: str, footer: str | None = None) -> str:
    """The whole document: one file, inline CSS, no scripts, no external resources."""
    parts = [(f'<section class="{s.css_class}">' if s.css_class else "<section>")
             + (f"<h2>{_e(s.title)}</h2>" if s.title else "") + f"{s.body}</section>" for s in sections]
    footer = footer or pick(lang, f"Gemaakt met osv-verify {__version__}: een onafhankelijke controle van de gepubliceerde bestanden. "
                        "Alleen wat hierboven als gecontroleerd staat, is gecontroleerd.",
                  f"Made with osv-verify {__version__}: an independent check of the published files. "
                  "Only what is listed above as checked was checked.")
    return (f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
            f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            f"<h1>{_e(title)}</h1>\n" + "\n".join(parts) +
            f'\n<footer><p class="meta">{_e(footer)}</p></footer>\n</main>\n</body>\n</html>\n')


# ---- the verdict --------------------------------------------------------------------------

def plain_answer(verdict: Verdict, lang: str) -> list[tuple[bool, str]]:
    """The plain sentences of a verdict, each with whether it is good news: "De optellingen
    kloppen: ...", only for parts that ran (never about a check that did not run)."""
    out: list[tuple[bool, str]] = []
    done = {p.key: p for p in verdict.done()}
    sums = [done[k] for k in ARITHMETIC if k in done]
    if sums:
        errors = sum(p.errors for p in sums)
        good, bad = PLAIN["sums"]
        what = "; ".join(p.what(lang) for p in sums)
        out.append((errors == 0, f"{_t(lang, good)}: {what}." if errors == 0
                    else f"{_t(lang, bad)}: {count(errors, 'fout', 'fouten') if lang != 'en' else count(errors, 'error', 'errors')}."))
    for key in (PartKey.SOURCES, PartKey.UNITS, PartKey.DEFINITION, PartKey.SEATS, PartKey.ELECTED):
        if key in done:
            good, bad = PLAIN[key]
            part = done[key]
            out.append((part.errors == 0, (f"{_t(lang, good)}: {part.what(lang)}." if part.errors == 0
                                           else f"{_t(lang, bad)}: {part.what(lang)}.")))
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
            return f'<div class="verdict not_verified"><p class="status">{_e(status)}</p></div>'
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
        items = "".join(f'<li class="skip">{_e(_strip_where(f, lang))}</li>' for f in not_run)
        head = pick(lang, "Niet uitgevoerd:", "Not run:")
        return (f'<div class="verdict{" errors" if errors else ""}"><p class="status">{_e(facts)}</p>'
                + (f"<p>{_e(head)}</p><ul>{items}</ul>" if items else "") + "</div>")
    css = v.status.value + (" errors" if errors else "")
    status = _t(lang, STATUS_WORDS[v.status])
    lines = [f'<p class="status">{_e(status)}</p>']
    if v.status is Status.NOT_VERIFIED:
        lines.append("<p>" + _e(pick(lang, "Geen enkele telling van deze verkiezing kon worden gecontroleerd; "
                                           "dit rapport zegt dus niet dat de uitslag klopt.",
                                     "No count of this election could be checked, so this report does not say "
                                     "the result is right.")) + "</p>")
    else:
        lines.append(f"<p>{_e(tally)}</p>")
    answer = plain_answer(v, lang)
    if answer:
        lines.append("<ul>" + "".join(f'<li class="{"yes" if ok else "no"}">{_e(text)}</li>' for ok, text in answer) + "</ul>")
    done = v.done()
    if done:
        lines.append(f"<h3>{_e(pick(lang, 'Wat is gecontroleerd', 'What was checked'))}</h3><ul>")
        for p in done:
            result = (pick(lang, "klopt", "agrees") if p.errors == 0
                      else pick(lang, count(p.errors, "fout", "fouten"), count(p.errors, "error", "errors")))
            if p.key is PartKey.PLAUSIBILITY:  # warnings, never "agrees": a reason to look, or none
                n = sum(RULES[f.code].family is Family.P and f.severity is Severity.WARNING for f in e.findings)
                result = pick(lang, f"{count(n, 'waarschuwing', 'waarschuwingen')} (een reden om het PV te bekijken)",
                              f"{count(n, 'warning', 'warnings')} (a reason to look at the PV)") if n else \
                    pick(lang, "geen stembureau om naar te kijken", "no station to look at")
            lines.append(f'<li class="{"yes" if p.errors == 0 else "no"}"><strong>{_e(_t(lang, PART_TITLES[p.key]))}</strong>: '
                         f"{_e(p.what(lang))} &mdash; {_e(result)}</li>")
        lines.append("</ul>")
    not_done = v.not_done()
    if not_done:
        lines.append(f"<h3>{_e(pick(lang, 'Wat niet gecontroleerd kon worden', 'What could not be checked'))}</h3><ul>")
        for p in not_done:
            needs = p.needs(lang)
            extra = f" {_e(pick(lang, 'Nodig:', 'Needs:'))} <strong>{_e(needs)}</strong>" if needs else ""
            lines.append(f'<li class="skip"><strong>{_e(_t(lang, PART_TITLES[p.key]))}</strong>: {_e(p.what(lang))}.{extra}</li>')
        lines.append("</ul>")
    return f'<div class="verdict {css}">' + "".join(lines) + "</div>"


# ---- findings per station -----------------------------------------------------------------

def _basename(source: str) -> str:
    """A file as a reader recognises it: its name (``archive.zip!member`` keeps the member)."""
    return re.split(r"[\\/]", source)[-1]


def _strip_where(f: Finding, lang: str) -> str:
    return f.message(lang).removeprefix(f"{f.location.label()}: ")


def field_html(field: str | None, lang: str, list_names: dict[int, str],
               candidate_names: dict[tuple[int, str], str]) -> str:
    """A finding's field as the PV names it: letter and name (``D toegelaten kiezers``), or
    the list or candidate with its name."""
    if not field:
        return ""
    if field in FIELD_BY_KEY:
        f = FIELD_BY_KEY[field]
        name = _e(pick(lang, f.nl, f.en))
        return f'<strong class="code">{_e(f.letter)}</strong> {name}' if f.letter else name
    if field in OTHER_FIELDS:
        return _e(_t(lang, OTHER_FIELDS[field]))
    m = re.fullmatch(r"(\d+) fields", field)
    if m:
        return _e(count(int(m.group(1)), pick(lang, "veld", "field"), pick(lang, "velden", "fields")))
    m = re.fullmatch(r"list (\d+)(?: \((.*)\))?", field)
    if m:
        number = int(m.group(1))
        name = m.group(2) or list_names.get(number)
        return _e(pick(lang, "lijst", "list") + f" {number}" + (f" ({name})" if name else ""))
    m = re.fullmatch(r"candidate (\d+)\.(\S+)", field)
    if m:
        name = candidate_names.get((int(m.group(1)), m.group(2)))
        return _e(pick(lang, "kandidaat", "candidate") + f" {m.group(1)}.{m.group(2)}" + (f" ({name})" if name else ""))
    return _e(field_label(field, lang))


def unit_title(authority: str | None, unit: str | None, names: dict[str, str], lang: str) -> str:
    """The heading of a group: the station's name as the file gives it, then its code."""
    if unit:
        name = names.get(unit)
        code = f' <span class="code">{_e(unit)}</span>'
        return (_e(name) + code) if name else _e(pick(lang, "Eenheid", "Unit")) + code
    if authority:
        name = names.get(authority)
        label = pick(lang, "Totaal", "Total") + (f" {name}" if name else "")
        return _e(label) + f' <span class="code">{_e(authority)}</span>'
    return _e(pick(lang, "De verkiezing als geheel", "The election as a whole"))


def findings_html(findings: list[Finding], lang: str, unit_names: dict[str, str], list_names: dict[int, str],
                  candidate_names: dict[tuple[int, str], str],
                  station_lists: dict[str, dict[str, dict[int, int]]] | None = None) -> str:
    """Findings grouped per station (file totals and the election as a whole first), each
    group with the station's name, the PV's field letters, and for a plausibility warning a
    chart of the station against the rest of its municipality."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.location.authority or "", f.location.unit or ""), []).append(f)
    header = [pick(lang, "ernst", "severity"), pick(lang, "veld", "field"), pick(lang, "verwacht", "expected"),
              pick(lang, "gevonden", "found"), pick(lang, "wat", "what")]
    out = []
    for (authority, unit), group in groups.items():
        rows = []
        for f in group:
            sev = _t(lang, SEVERITY_WORDS[f.severity])
            src = (f'<br><span class="src">{_e(_basename(f.source))}' + (f" &middot; {_e(place_in(f.element, lang))}" if f.element else "") + "</span>"
                   if f.source else "")
            numbers = "".join(f'<td class="n" data-label="{_e(header[i])}">{_e(v)}</td>' if v is not None else '<td class="n"></td>'
                              for i, v in ((2, f.shown("expected")), (3, f.shown("actual"))))
            rows.append(f'<tr><td class="sev {f.severity.value}">{_e(sev)} <span class="code">{_e(f.code)}</span></td>'
                        f"<td>{field_html(f.field, lang, list_names, candidate_names)}</td>{numbers}"
                        f"<td>{_e(_strip_where(f, lang))}{src}</td></tr>")
        head = "".join(f'<th scope="col"{" class=n" if i in (2, 3) else ""}>{_e(h)}</th>' for i, h in enumerate(header))
        chart = ""
        if station_lists and unit and any(f.code in PLAUSIBILITY_CODES for f in group):
            chart = share_chart(unit, station_lists.get(authority, {}), list_names, lang)
        out.append(f'<article class="unit"><h4>{unit_title(authority or None, unit or None, unit_names, lang)}</h4>'
                   f'<table class="findings"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>{chart}</article>')
    return "".join(out)


def share_chart(unit: str, stations: dict[str, dict[int, int]], list_names: dict[int, str], lang: str) -> str:
    """Inline SVG: each list's share of the votes in this station against the rest of the
    municipality (all other stations in the same file summed)."""
    here = stations.get(unit)
    if not here:
        return ""
    rest: dict[int, int] = {}
    for uid, lists in stations.items():
        if uid != unit:
            for number, votes in lists.items():
                rest[number] = rest.get(number, 0) + votes
    numbers = sorted(set(here) | set(rest))
    total_here, total_rest = sum(here.values()), sum(rest.values())
    if not numbers or total_here == 0 or total_rest == 0:
        return ""
    label_w, bar_w, row_h = 190, 300, 34
    height = 30 + row_h * len(numbers)
    here_word, rest_word = pick(lang, "dit stembureau", "this station"), pick(lang, "rest van de gemeente", "rest of the municipality")
    title = pick(lang, f"Aandeel per lijst: {unit} tegen de rest van de gemeente",
                 f"Share per list: {unit} against the rest of the municipality")
    width = label_w + bar_w + 70
    parts = [f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
             f'font-family="system-ui,sans-serif" font-size="12"><title>{_e(title)}</title>',
             f'<rect x="{label_w}" y="4" width="12" height="10" fill="#1d4f91"/><text x="{label_w + 16}" y="13">{_e(here_word)}</text>',
             f'<rect x="{label_w + 130}" y="4" width="12" height="10" fill="#a9b8cf"/><text x="{label_w + 146}" y="13">{_e(rest_word)}</text>']
    for i, number in enumerate(numbers):
        y = 24 + i * row_h
        name = list_names.get(number, "")
        label = f"{number}. {name}" if name else f"{pick(lang, 'lijst', 'list')} {number}"
        if len(label) > 28:
            label = label[:27] + "\u2026"
        a, b = here.get(number, 0), rest.get(number, 0)
        wa, wb = (int(Fraction(v * bar_w, t)) for v, t in ((a, total_here), (b, total_rest)))
        parts.append(f'<text x="0" y="{y + 17}">{_e(label)}</text>'
                     f'<rect x="{label_w}" y="{y + 2}" width="{wa}" height="13" fill="#1d4f91"/>'
                     f'<text x="{label_w + wa + 4}" y="{y + 13}">{_e(percent(a, total_here))}</text>'
                     f'<rect x="{label_w}" y="{y + 16}" width="{wb}" height="13" fill="#a9b8cf"/>'
                     f'<text x="{label_w + wb + 4}" y="{y + 27}">{_e(percent(b, total_rest))}</text>')
    parts.append("</svg>")
    return "".join(parts)


# ---- seats --------------------------------------------------------------------------------

def seats_html(allocation: Allocation, outcome: GroupResult | None, names: dict[tuple[int, str], str],
               lots: tuple[object, ...], lang: str) -> str:
    """The seat table, the kiesdeler, every step with its article, and the elected candidates."""
    from osv_verify.report.seat_table import allocation_rows, mixed, to_data

    data = to_data(allocation, outcome, names, lots)
    intro = pick(lang, f"{allocation.rules.seats} zetels, {allocation.total_votes} stemmen op lijsten, "
                       f"kiesdeler {mixed(allocation.quota)} (Kieswet P 5).",
                 f"{allocation.rules.seats} seats, {allocation.total_votes} votes on lists, "
                 f"quota (kiesdeler) {mixed(allocation.quota)} (Kieswet P 5).")
    header = [pick(lang, "lijst", "list"), pick(lang, "naam", "name"), pick(lang, "stemmen", "votes"),
              pick(lang, "volle zetels", "full seats"), pick(lang, "restzetels", "residual seats"), pick(lang, "zetels", "seats")]
    out = [f"<p>{_e(intro)}</p>", table(header, allocation_rows(allocation), numeric=(2, 3, 4, 5))]
    steps = data["steps"]
    if steps:
        out.append(f"<h4>{_e(pick(lang, 'De stappen', 'The steps'))}</h4><ol>"
                   + "".join(f'<li><span class="code">{_e(s["article"])}</span> {_e(s["description"])}</li>' for s in steps)  # type: ignore[index]
                   + "</ol>")
    for w in data["warnings"]:  # type: ignore[union-attr]
        out.append(f'<p class="sev warning">{_e(w["code"])}: {_e(w["message"])}</p>')
    for need in data["lots_required"]:  # type: ignore[union-attr]
        out.append(f'<p class="sev warning">{_e(pick(lang, "Loting nodig", "Lots required"))}: {_e(need["description"])}</p>')
    elected = data["elected"]
    if elected:
        reason = {"preference": pick(lang, "voorkeurstemmen (P 15)", "preference votes (P 15)"),
                  "list order": pick(lang, "lijstvolgorde (P 17)", "list order (P 17)")}
        lists = {ls.number: ls.name for ls in allocation.lists}
        out.append(f"<h4>{_e(pick(lang, 'Gekozen kandidaten volgens de wet', 'Candidates elected by law'))}</h4>")
        out.append(table([pick(lang, "lijst", "list"), pick(lang, "kandidaat", "candidate"), pick(lang, "gekozen op", "elected on")],
                         [[f"{r['list']} {lists.get(r['list'], '')}".strip(), r["name"], reason.get(str(r["reason"]), r["reason"])]  # type: ignore[index]
                          for r in elected]))  # type: ignore[union-attr]
    return "".join(out)


# ---- legend and what now ------------------------------------------------------------------

#: PV letters in a formula of a message ("|H - D|", "I - J", "E + F + G"); a lone "A" or "B"
#: (the two entries of ``compare``) is not a PV letter.
_FORMULA = re.compile(r"(?=\b([A-JZ])\s*[-+=]\s*([A-JZ])\b)")


def legend_html(findings: list[Finding], lang: str, text: str) -> str:
    """Every PV letter, code family and abbreviation the page uses, and what it means."""
    letters: set[str] = set()
    for f in findings:
        if f.field in FIELD_BY_KEY and FIELD_BY_KEY[f.field].letter:
            letters.add(FIELD_BY_KEY[f.field].letter)
        for pair in _FORMULA.findall(f.message(lang)):
            letters.update(pair)
    by_letter = {f.letter: f for f in FIELD_BY_KEY.values() if f.letter}
    rows = [(letter, pick(lang, by_letter[letter].nl, by_letter[letter].en) + pick(lang, " (letter op het PV)", " (letter on the PV)"))
            for letter in sorted(letters, key="ZABCDEFGHIJ".index) if letter in by_letter]
    codes = sorted({f.code for f in findings})
    families = {RULES[c].family for c in codes}
    for family, words in FAMILIES.items():
        if family in families:
            rows.append((f"{family}.*", _t(lang, words)))
    for code in codes:
        r = RULES.get(code)
        if r is not None:
            rows.append((code, pick(lang, r.titel, r.title)))
    for abbr, words in ABBREVIATIONS.items():
        if re.search(rf"(?<![\w-]){re.escape(abbr)}(?![\w-])", text, flags=re.IGNORECASE if abbr == "kiesdeler" else 0):
            rows.append((abbr, _t(lang, words)))
    if not rows:
        return ""
    return '<dl class="legend">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows) + "</dl>"


def what_now_html(lang: str) -> str:
    """Where to see the paper PV and how to raise a problem: only what the sources support
    (municipal and Kiesraad pages; shared/reference/peers.md section 3)."""
    if lang == "en":
        items = [
            "<strong>Look at the paper proces-verbaal.</strong> A finding here is about the published file. "
            "Municipalities publish the processen-verbaal of their polling stations on their website, often only for "
            "a few months after the election; compare the numbers named here with the PV of that station. The "
            "Kiesraad publishes results on verkiezingsuitslagen.nl.",
            "<strong>Raise it with the central electoral committee before the result is determined.</strong> The "
            "centraal stembureau (for a municipal council: the municipality's own; in elections with electoral "
            "districts the hoofdstembureau first adds up its district) checks the counts and can order the "
            "municipality to investigate or recount. The session in which it determines the result is public, "
            "and voters can raise objections there; they are recorded in its proces-verbaal. Contact the "
            "municipality or the committee before that session.",
            "<strong>After the result has been determined</strong> no appeal against that decision is possible: "
            "the newly elected body decides on the validity of the election, with the committee's proces-verbaal "
            "(including the objections raised) in front of it.",
            "<strong>A warning is not an error.</strong> Plausibility warnings (codes P. and W.) are reasons to look "
            "at the paper PV, as the Kiesraad's control protocol asks the central electoral committee to do; most "
            "have an ordinary explanation.",
        ]
    else:
        items = [
            "<strong>Bekijk het papieren proces-verbaal.</strong> Een bevinding hier gaat over het gepubliceerde "
            "bestand. Gemeenten publiceren de processen-verbaal van hun stembureaus op hun website, vaak maar enkele "
            "maanden na de verkiezing; vergelijk de getallen die hier genoemd worden met het PV van dat stembureau. "
            "De Kiesraad publiceert uitslagen op verkiezingsuitslagen.nl.",
            "<strong>Meld het bij het centraal stembureau voordat de uitslag is vastgesteld.</strong> Het centraal "
            "stembureau (bij een gemeenteraadsverkiezing dat van de gemeente zelf; bij verkiezingen met kieskringen "
            "telt eerst het hoofdstembureau de kieskring op) controleert de tellingen en kan de gemeente opdracht "
            "geven tot onderzoek of hertelling. De zitting waarin het de "
            "uitslag vaststelt is openbaar; kiezers kunnen daar bezwaren inbrengen, die in het proces-verbaal "
            "worden opgenomen. Neem vóór die zitting contact op met de gemeente of het centraal stembureau.",
            "<strong>Na de vaststelling van de uitslag</strong> staat tegen dat besluit geen beroep open: het "
            "nieuw gekozen orgaan beslist over de geldigheid van de verkiezing, met het proces-verbaal van het "
            "centraal stembureau (en de ingebrachte bezwaren) voor zich.",
            "<strong>Een waarschuwing is geen fout.</strong> Plausibiliteitswaarschuwingen (codes P. en W.) zijn een "
            "reden om het papieren PV te bekijken, zoals het controleprotocol van de Kiesraad het centraal "
            "stembureau vraagt; de meeste hebben een gewone verklaring.",
        ]
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def tables_section(title: str, tables: list[tuple[str, list[str], list[list[object]]]]) -> Section:
    """Any titled tables as one section: e.g. the control protocol's list per municipality
    (``report.protocol.rows``), one (title, header, rows) each."""
    body = "".join(f"<h4>{_e(t)}</h4>{table(header, rows)}" for t, header, rows in tables)
    return Section(title, body)


# ---- the commands -------------------------------------------------------------------------

def _shown(findings: list[Finding], min_severity: Severity) -> list[Finding]:
    return [f for f in findings if f.severity.rank >= min_severity.rank and f.code != "CHECK.NOT_RUN"]


def election_sections(e: ElectionReport, lang: str, min_severity: Severity) -> list[Section]:
    """Verdict, findings per station, seats and legend of one election."""
    name = e.ref.name if e.ref and e.ref.name else e.id
    date = f", {e.ref.date.isoformat()}" if e.ref and e.ref.date else ""
    findings = _shown(e.findings, min_severity)
    candidate_names = dict(getattr(e.seats, "names", None) or {})
    body = [verdict_html(e, lang)]
    files = ", ".join(_basename(source) for _, source in e.files)
    if files:
        body.append(f'<p class="meta">{_e(pick(lang, "Bestanden", "Files"))}: {_e(files)}</p>')
    if findings:
        body.append(f"<h3>{_e(pick(lang, 'Bevindingen per stembureau', 'Findings per polling station'))}</h3>")
        body.append(findings_html(findings, lang, e.unit_names, e.list_names, candidate_names, e.station_lists))
    elif e.files:
        hidden = sum(f.code != "CHECK.NOT_RUN" for f in e.findings)
        note = pick(lang, f"Geen bevindingen van deze ernst ({count(hidden, 'lichtere bevinding', 'lichtere bevindingen')} niet getoond).",
                    f"No findings of this severity ({count(hidden, 'lesser finding', 'lesser findings')} not shown).")
        body.append(f"<p>{_e(note)}</p>")
    comp = e.seats
    if comp is not None:
        body.append(f"<h3>{_e(pick(lang, 'Zetelverdeling, herberekend', 'Seat allocation, recomputed'))}</h3>")
        where = pick(lang, f"Berekend uit {_basename(comp.source)}; aantal zetels uit de {comp.seats_from}.",
                     f"Computed from {_basename(comp.source)}; number of seats from the {comp.seats_from}.")
        body.append(f'<p class="meta">{_e(where)}</p>')
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
            status = _t(lang, STATUS_WORDS[e.verdict.status])
        else:  # no verdict computed: say only the fact that nothing was checked, when so
            status = pick(lang, "niets gecontroleerd", "nothing checked") if e.units_checked == 0 else ""
        name = e.ref.name if e.ref and e.ref.name else e.id
        rows.append(f'<tr><td><a href="#{_anchor(e.id)}">{_e(name)}</a></td><td>{_e(status)}</td>'
                    f'<td class="n">{e.units_checked}</td>'
                    f'<td class="n">{e.count(Severity.ERROR)}</td><td class="n">{e.count(Severity.WARNING)}</td></tr>')
    head = [pick(lang, "verkiezing", "election"), pick(lang, "oordeel", "verdict"),
            pick(lang, "PV's en totalen gecontroleerd", "PVs and totals checked"),
            pick(lang, "fouten", "errors"), pick(lang, "waarschuwingen", "warnings")]
    heads = "".join(f'<th scope="col"{" class=n" if i > 1 else ""}>{_e(h)}</th>' for i, h in enumerate(head))
    return [Section(pick(lang, "Overzicht", "Overview"), f"<table><thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table>")]


def _closing(findings: list[Finding], lang: str, text: str) -> list[Section]:
    legend = legend_html(findings, lang, text)
    out = [Section(pick(lang, "Legenda", "Legend"), legend)] if legend else []
    return out + [Section(pick(lang, "Wat nu?", "What now?"), what_now_html(lang))]


def _input_errors(errors: list, lang: str) -> list[Section]:
    if not errors:
        return []
    items = "".join(f"<li>{_e(err.message_in(lang) if hasattr(err, 'message_in') else err)}</li>" for err in errors)
    note = pick(lang, "Deze bestanden konden niet worden gelezen; wat erin staat is niet gecontroleerd.",
                "These files could not be read; what they contain was not checked.")
    return [Section(pick(lang, "Invoerfouten", "Input errors"), f"<p>{_e(note)}</p><ul>{items}</ul>")]


def render_verify(result: RunResult, lang: str, min_severity: Severity = Severity.WARNING,
                  extra: list[Section] = ()) -> str:  # type: ignore[assignment]
    """``osv-verify verify --format html``; ``extra`` sections (the control protocol's tables
    per municipality, ``tables_section``) come after the elections, before the legend."""
    sections = overview(result, lang) + _input_errors(result.input_errors, lang)  # unread files first: not checked
    sections += [s for e in result.elections for s in election_sections(e, lang, min_severity)]
    sections += list(extra)
    shown = [f for e in result.elections for f in _shown(e.findings, min_severity)]
    text = " ".join(s.body for s in sections)
    sections += _closing(shown, lang, text)
    title = pick(lang, "Controle van de verkiezingsuitslag", "Check of the election result")
    return page(title, sections, lang)


def render_compare(comparison: Comparison, a: str, b: str, findings: list[Finding], lang: str) -> str:
    """``osv-verify compare --format html``: do the two entries agree, then each side's checks."""
    s = comparison.summary()
    double = [f for f in findings if RULES[f.code].family is Family.DOUBLE]
    own = [f for f in findings if RULES[f.code].family is not Family.DOUBLE]
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
    body = (f'<div class="verdict {css}"><p class="status">{_e(status)}</p><p>{_e(facts)}</p>'
            f'<ul><li class="{"yes" if not own_errors else "no"}">{_e(own_text)}</li></ul></div>'
            f'<p class="meta">A: {_e(a)}<br>B: {_e(b)}</p>')
    sections = [Section(pick(lang, "Dubbele invoer", "Double entry"), body)]
    if double:
        sections.append(Section(pick(lang, "Verschillen tussen A en B", "Differences between A and B"),
                                findings_html(double, lang, names, list_names, cands)))
    if own:
        sections.append(Section(pick(lang, "Controles op elke invoer", "Checks on each entry"),
                                findings_html(own, lang, names, list_names, cands)))
    note = pick(lang, "In de tabellen is 'verwacht' de waarde in A en 'gevonden' de waarde in B.",
                "In the tables, 'expected' is the value in A and 'found' the value in B.")
    sections.append(Section("", f'<p class="meta">{_e(note)}</p>'))
    text = " ".join(sec.body for sec in sections)
    sections += _closing(findings, lang, text)
    return page(pick(lang, "Vergelijking van twee invoeren", "Comparison of two entries"), sections, lang)


def render_seats(result: RunResult, lang: str) -> str:
    """``osv-verify seats PATH... --format html``: per election the seat table, its steps,
    the elected candidates, and the differences with the 520."""
    sections = []
    shown: list[Finding] = []
    for e in result.elections:
        seat_findings = [f for f in e.findings if RULES[f.code].family is Family.SEATS or (f.code == "CHECK.NOT_RUN" and (f.field or "").startswith("SEATS"))]
        name = e.ref.name if e.ref and e.ref.name else e.id
        comp = e.seats
        body = []
        if comp is None:
            body.append('<div class="verdict not_verified"><p class="status">'
                        + _e(pick(lang, "Zetelverdeling niet berekend", "Seat allocation not computed")) + "</p><ul>"
                        + "".join(f'<li class="skip">{_e(_strip_where(f, lang))}</li>' for f in seat_findings) + "</ul></div>")
        else:
            errors = [f for f in seat_findings if f.severity is Severity.ERROR]
            has_520 = any(kind == "520" for kind, _ in e.files)
            if not has_520:
                status, css = pick(lang, "Herberekend; geen 520 (uitslag) om mee te vergelijken",
                                   "Recomputed; no 520 (result) to compare with"), "partly_verified"
            elif errors:
                status, css = pick(lang, f"De 520 wijkt af: {count(len(errors), 'fout', 'fouten')}",
                                   f"The 520 differs: {count(len(errors), 'error', 'errors')}"), "errors"
            elif any(f.code == "CHECK.NOT_RUN" and f.field == "SEATS.ELECTED" for f in seat_findings):
                status, css = pick(lang, "De zetels per lijst in de 520 kloppen (de gekozen kandidaten konden niet worden vergeleken)",
                                   "The 520's seats per list are right (the elected candidates could not be compared)"), "partly_verified"
            else:
                status, css = pick(lang, "De zetels per lijst en de gekozen kandidaten in de 520 kloppen",
                                   "The 520's seats per list and elected candidates are right"), "verified"
            notes = [f for f in seat_findings if f.code == "CHECK.NOT_RUN"]
            body.append(f'<div class="verdict {css}"><p class="status">{_e(status)}</p>'
                        + ("<ul>" + "".join(f'<li class="skip">{_e(_strip_where(f, lang))}</li>' for f in notes) + "</ul>" if notes else "")
                        + "</div>")
            body.append(seats_html(comp.outcome.allocation, comp.outcome, comp.names, comp.lots, lang))
            differences = [f for f in seat_findings if f.code != "CHECK.NOT_RUN"]
            if differences:
                body.append(f"<h3>{_e(pick(lang, 'Verschillen met de 520', 'Differences with the 520'))}</h3>")
                body.append(findings_html(differences, lang, e.unit_names, e.list_names, comp.names))
                shown += differences
        sections.append(Section(f"{name} ({e.id})", "".join(body), "election"))
    sections += _input_errors(result.input_errors, lang)
    text = " ".join(s.body for s in sections)
    sections += _closing(shown, lang, text)
    return page(pick(lang, "Zetelverdeling", "Seat allocation"), sections, lang)


def render_what_if(allocation: Allocation, outcome: GroupResult | None, names: dict[tuple[int, str], str],
                   lots: tuple[object, ...], lang: str) -> str:
    """``osv-verify seats --votes ... --format html``: a what-if calculation, no election files."""
    note = pick(lang, "Een rekenvoorbeeld met de opgegeven stemmen; geen controle van een gepubliceerde uitslag.",
                "A calculation with the votes given; not a check of a published result.")
    body = f'<p class="meta">{_e(note)}</p>' + seats_html(allocation, outcome, names, lots, lang)
    sections = [Section(pick(lang, "Zetelverdeling", "Seat allocation"), body)]
    legend = legend_html([], lang, body)
    if legend:
        sections.append(Section(pick(lang, "Legenda", "Legend"), legend))
    footer = pick(lang, f"Gemaakt met osv-verify {__version__}: een rekenvoorbeeld, geen controle.",
                  f"Made with osv-verify {__version__}: a calculation, not a check.")
    return page(pick(lang, "Zetelverdeling (rekenvoorbeeld)", "Seat allocation (what-if)"), sections, lang, footer)


def render_protocol(result: ProtocolRun, lang: str) -> str:
    """``osv-verify protocol --format html``: per municipality the protocol's three lists (as
    the spreadsheets have them, without the columns every row repeats), what could not be
    checked, and part B."""
    from osv_verify.report import hcp

    words = hcp.SHEET_TITLES[lang]
    sections = _input_errors(result.input_errors, lang)
    for p in result.municipalities:
        skip = len(hcp.ID_COLUMNS) - 2  # keep the station's number and name
        tables = []
        for sheet in hcp.SHEETS:
            rows = [row[skip:] for row in hcp.rows(p, sheet, lang)] or [[words["none"]]]
            tables.append((words[sheet], hcp.columns(p, sheet, lang)[skip:], rows))
        section = tables_section(f"{p.authority_name} ({p.authority_id}), {p.election_name}", tables)
        notes = [f"<li class=\"skip\">{_e(hcp.column_label(p, n.column, lang))}: {_e(pick(lang, n.nl, n.en))}</li>"
                 for n in p.not_run]
        extra = (f"<h4>{_e(words['not_run'])}</h4><ul>{''.join(notes)}</ul>" if notes else "")
        if p.part_b:
            extra += f"<h4>{_e(words['part_b'])}</h4><p>{_e(pick(lang, *p.part_b))}</p>"
        sections.append(Section(section.title, section.body + extra))
    if result.notes:
        sections.append(Section(pick(lang, "Opmerkingen", "Notes"),
                                "<ul>" + "".join(f"<li>{_e(pick(lang, nl, en))}</li>" for nl, en in result.notes) + "</ul>"))
    sections.append(Section(pick(lang, "Wat nu?", "What now?"), what_now_html(lang)))
    return page(pick(lang, "Controleprotocol, deel A", "Control protocol, part A"), sections, lang)
