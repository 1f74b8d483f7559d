"""The page shell every HTML report shares: one self-contained file (``--format html``).

No scripts, no external styles, fonts or images: inline CSS and inline SVG only, so the file
works offline, when mailed and when printed. A page is a list of sections (``Section``: a title
and an HTML body); ``page`` wraps them, and ends with a legend of every letter, code and
abbreviation used and what to do next. Every value from a file goes through ``esc``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from html import escape

from osv_verify.core.version import __version__
from osv_verify.checks.registry import RULES, family
from osv_verify.checks.rule import Family
from osv_verify.core.findings import Finding
from osv_verify.core.text import Text, pick
from osv_verify.core.model import FIELD_BY_KEY


@dataclass(frozen=True)
class Section:
    """One part of a page: a heading and its (already escaped) HTML body."""

    title: str
    body: str
    css_class: str = ""


#: Code families, for the legend.
FAMILIES = {
    Family.F: Text("fout op een proces-verbaal (code van de Kiesraad-software Abacus)", "error on a proces-verbaal (code of the Kiesraad's Abacus software)"),
    Family.W: Text("waarschuwing op een proces-verbaal (code van Abacus)", "warning on a proces-verbaal (Abacus code)"),
    Family.TALLY: Text("een proces-verbaal op zichzelf", "one proces-verbaal on its own"),
    Family.AGG: Text("een totaal tegen zijn stembureaus, of een niveau tegen het volgende", "a total against its units, or one level against the next"),
    Family.P: Text("plausibiliteit volgens het controleprotocol: een reden om het papieren PV te bekijken, geen bewijs van een fout",
           "plausibility per the control protocol: a reason to look at the paper PV, not proof of an error"),
    Family.SEATS: Text("zetelverdeling en gekozen kandidaten (Kieswet hoofdstuk P)", "seat allocation and elected candidates (Kieswet chapter P)"),
    Family.DOUBLE: Text("dubbele invoer: twee invoeren van hetzelfde PV", "double entry: two entries of the same PV"),
    Family.DEF: Text("definitie van de verkiezing (110a, 230b)", "definition of the election (110a, 230b)"),
    Family.META: Text("gegevens over de verkiezing in de bestanden", "data about the election in the files"),
    Family.CHECK: Text("een controle die niet kon draaien", "a check that could not run"),
    Family.CORR: Text("een telling die in een volgende zitting is gecorrigeerd (corrigendum)", "a count corrected in a later session (corrigendum)"),
    Family.PV: Text("een afgedrukt proces-verbaal (PDF) tegen zijn EML-bestand", "a printed PV (PDF) against its EML file"),
    Family.SIG: Text("de digitale handtekening van een EML-bestand", "the digital signature of an EML file"),
}
#: Abbreviations a page may use, with what they mean.
ABBREVIATIONS = {
    "PV": Text("proces-verbaal: het verslag van een stembureau of stembureau-totaal", "proces-verbaal: the official report of a polling station or of a total"),
    "SB": Text("stembureau (SB3 = stembureau 3)", "polling station (SB3 = station 3)"),
    "HSB": Text("hoofdstembureau (kieskring)", "principal electoral committee (electoral district)"),
    "CSB": Text("centraal stembureau: stelt de uitslag vast", "central electoral committee: determines the result"),
    "510b": Text("telling van een gemeente met alle stembureaus (EML)", "count of a municipality with all its stations (EML)"),
    "510c": Text("telling van een kieskring (EML)", "count of an electoral district (EML)"),
    "510d": Text("totaaltelling van de verkiezing (EML)", "total count of the election (EML)"),
    "520": Text("uitslag: de gekozen kandidaten (EML)", "result: the elected candidates (EML)"),
    "110a": Text("definitie van de verkiezing, met het aantal zetels (EML)", "definition of the election, with the number of seats (EML)"),
    "110b": Text("lijst van stembureaus (EML)", "list of polling stations (EML)"),
    "230b": Text("kandidatenlijsten (EML)", "candidate lists (EML)"),
    "OSV4-3": Text("CSV-export van de uitslagsoftware, per stembureau", "CSV export of the results software, per station"),
    "kiesdeler": Text("aantal stemmen op lijsten gedeeld door het aantal zetels (Kieswet P 5)", "votes on lists divided by the number of seats (Kieswet P 5)"),
}

#: The page may load nothing from anywhere: a browser refuses any script or external resource.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

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


def esc(value: object) -> str:
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
    head = "".join(f'<th{" class=n" if i in num else ""} scope="col">{esc(h)}</th>' for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f'<td{" class=n" if i in num else ""}>{esc(v)}</td>' for i, v in enumerate(row)) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def page(title: str, sections: list[Section], lang: str, footer: str | None = None) -> str:
    """The whole document: one file, inline CSS, no scripts, no external resources."""
    parts = [(f'<section class="{s.css_class}">' if s.css_class else "<section>")
             + (f"<h2>{esc(s.title)}</h2>" if s.title else "") + f"{s.body}</section>" for s in sections]
    footer = footer or pick(lang, f"Gemaakt met osv-verify {__version__}: een onafhankelijke controle van de gepubliceerde bestanden. "
                        "Alleen wat hierboven als gecontroleerd staat, is gecontroleerd.",
                  f"Made with osv-verify {__version__}: an independent check of the published files. "
                  "Only what is listed above as checked was checked.")
    return (f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            f"<h1>{esc(title)}</h1>\n" + "\n".join(parts) +
            f'\n<footer><p class="meta">{esc(footer)}</p></footer>\n</main>\n</body>\n</html>\n')


def basename(source: str) -> str:
    """A file as a reader recognises it: its name (``archive.zip!member`` keeps the member)."""
    return re.split(r"[\\/]", source)[-1]


def strip_where(f: Finding, lang: str) -> str:
    return f.message(lang).removeprefix(f"{f.location.label()}: ")

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
    families = {family(c) for c in codes}
    for fam, words in FAMILIES.items():
        if fam in families:
            rows.append((f"{fam}.*", words.render(lang)))
    for code in codes:
        r = RULES.get(code)
        if r is not None:
            rows.append((code, r.title.render(lang)))
    for abbr, words in ABBREVIATIONS.items():
        if re.search(rf"(?<![\w-]){re.escape(abbr)}(?![\w-])", text, flags=re.IGNORECASE if abbr == "kiesdeler" else 0):
            rows.append((abbr, words.render(lang)))
    if not rows:
        return ""
    return '<dl class="legend">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows) + "</dl>"


#: What to do next: where to see the paper PV and how to raise a problem, only what the sources
#: support (municipal and Kiesraad pages; shared/reference/peers.md section 3). Trusted HTML.
WHAT_NOW = (
    Text("<strong>Bekijk het papieren proces-verbaal.</strong> Een bevinding hier gaat over het gepubliceerde "
         "bestand. Gemeenten publiceren de processen-verbaal van hun stembureaus op hun website, vaak maar enkele "
         "maanden na de verkiezing; vergelijk de getallen die hier genoemd worden met het PV van dat stembureau. "
         "De Kiesraad publiceert uitslagen op verkiezingsuitslagen.nl.",
         "<strong>Look at the paper proces-verbaal.</strong> A finding here is about the published file. "
         "Municipalities publish the processen-verbaal of their polling stations on their website, often only for "
         "a few months after the election; compare the numbers named here with the PV of that station. The "
         "Kiesraad publishes results on verkiezingsuitslagen.nl."),
    Text("<strong>Meld het bij het centraal stembureau voordat de uitslag is vastgesteld.</strong> Het centraal "
         "stembureau (bij een gemeenteraadsverkiezing dat van de gemeente zelf; bij verkiezingen met kieskringen "
         "telt eerst het hoofdstembureau de kieskring op) controleert de tellingen en kan de gemeente opdracht "
         "geven tot onderzoek of hertelling. De zitting waarin het de "
         "uitslag vaststelt is openbaar; kiezers kunnen daar bezwaren inbrengen, die in het proces-verbaal "
         "worden opgenomen. Neem vóór die zitting contact op met de gemeente of het centraal stembureau.",
         "<strong>Raise it with the central electoral committee before the result is determined.</strong> The "
         "centraal stembureau (for a municipal council: the municipality's own; in elections with electoral "
         "districts the hoofdstembureau first adds up its district) checks the counts and can order the "
         "municipality to investigate or recount. The session in which it determines the result is public, "
         "and voters can raise objections there; they are recorded in its proces-verbaal. Contact the "
         "municipality or the committee before that session."),
    Text("<strong>Na de vaststelling van de uitslag</strong> staat tegen dat besluit geen beroep open: het "
         "nieuw gekozen orgaan beslist over de geldigheid van de verkiezing, met het proces-verbaal van het "
         "centraal stembureau (en de ingebrachte bezwaren) voor zich.",
         "<strong>After the result has been determined</strong> no appeal against that decision is possible: "
         "the newly elected body decides on the validity of the election, with the committee's proces-verbaal "
         "(including the objections raised) in front of it."),
    Text("<strong>Een waarschuwing is geen fout.</strong> Plausibiliteitswaarschuwingen (codes P. en W.) zijn een "
         "reden om het papieren PV te bekijken, zoals het controleprotocol van de Kiesraad het centraal "
         "stembureau vraagt; de meeste hebben een gewone verklaring.",
         "<strong>A warning is not an error.</strong> Plausibility warnings (codes P. and W.) are reasons to look "
         "at the paper PV, as the Kiesraad's control protocol asks the central electoral committee to do; most "
         "have an ordinary explanation."),
)


def what_now_html(lang: str) -> str:
    """The list of ``WHAT_NOW`` in ``lang``."""
    return "<ul>" + "".join(f"<li>{item.render(lang)}</li>" for item in WHAT_NOW) + "</ul>"


def tables_section(title: str, tables: list[tuple[str, list[str], list[list[object]]]]) -> Section:
    """Any titled tables as one section: e.g. the control protocol's list per municipality
    (``report.protocol.rows``), one (title, header, rows) each."""
    body = "".join(f"<h4>{esc(t)}</h4>{table(header, rows)}" for t, header, rows in tables)
    return Section(title, body)


def closing_sections(findings: list[Finding], lang: str, text: str) -> list[Section]:
    legend = legend_html(findings, lang, text)
    out = [Section(pick(lang, "Legenda", "Legend"), legend)] if legend else []
    return out + [Section(pick(lang, "Wat nu?", "What now?"), what_now_html(lang))]


def input_error_sections(errors: list, lang: str) -> list[Section]:
    if not errors:
        return []
    items = "".join(f"<li>{esc(err.message_in(lang) if hasattr(err, 'message_in') else err)}</li>" for err in errors)
    note = pick(lang, "Deze bestanden konden niet worden gelezen; wat erin staat is niet gecontroleerd.",
                "These files could not be read; what they contain was not checked.")
    return [Section(pick(lang, "Invoerfouten", "Input errors"), f"<p>{esc(note)}</p><ul>{items}</ul>")]
