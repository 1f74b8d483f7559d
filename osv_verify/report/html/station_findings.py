"""Findings grouped per polling station, with the PV's own letters and field names, and for
a warning about a list's share a chart of the station against the rest of its municipality."""

from __future__ import annotations

import re
from fractions import Fraction

from osv_verify.checks.rule import field_label
from osv_verify.core.errors import place_in
from osv_verify.core.findings import Finding
from osv_verify.core.model import FIELD_BY_KEY
from osv_verify.core.text import Text, count, pick, severity
from osv_verify.report.html.page import basename, esc, percent, strip_where


#: The warnings about a list's share of a station's votes: only their group gets the chart of each
#: list's share in the station against the rest of the municipality (a chart beside a warning
#: about blank votes or explanations would show numbers the warning is not about).
SHARE_CODES = {"P.PARTY_SHARE", "P.LIST_SWAP"}

#: Finding fields that are not one number of the PV.
OTHER_FIELDS = {
    "explanations": Text("verklaringen van het verschil tussen D en H", "explanations of the difference between D and H"),
    "more_ballots - fewer_ballots": Text("I - J (meer min minder getelde stembiljetten)", "I - J (more minus fewer ballots counted)"),
    "unit": Text("stembureau", "unit"),
    "lots": Text("loting", "lots"),
}


def field_html(field: str | None, lang: str, list_names: dict[int, str],
               candidate_names: dict[tuple[int, str], str]) -> str:
    """A finding's field as the PV names it: letter and name (``D toegelaten kiezers``), or
    the list or candidate with its name."""
    if not field:
        return ""
    if field in FIELD_BY_KEY:
        f = FIELD_BY_KEY[field]
        name = esc(pick(lang, f.nl, f.en))
        return f'<strong class="code">{esc(f.letter)}</strong> {name}' if f.letter else name
    if field in OTHER_FIELDS:
        return esc(OTHER_FIELDS[field].render(lang))
    m = re.fullmatch(r"(\d+) fields", field)
    if m:
        return esc(count(int(m.group(1)), pick(lang, "veld", "field"), pick(lang, "velden", "fields")))
    m = re.fullmatch(r"list (\d+)(?: \((.*)\))?", field)
    if m:
        number = int(m.group(1))
        name = m.group(2) or list_names.get(number)
        return esc(pick(lang, "lijst", "list") + f" {number}" + (f" ({name})" if name else ""))
    m = re.fullmatch(r"candidate (\d+)\.(\S+)", field)
    if m:
        name = candidate_names.get((int(m.group(1)), m.group(2)))
        return esc(pick(lang, "kandidaat", "candidate") + f" {m.group(1)}.{m.group(2)}" + (f" ({name})" if name else ""))
    return esc(field_label(field, lang))


def unit_title(authority: str | None, unit: str | None, names: dict[str, str], lang: str) -> str:
    """The heading of a group: the station's name as the file gives it, then its code."""
    if unit:
        name = names.get(unit)
        code = f' <span class="code">{esc(unit)}</span>'
        return (esc(name) + code) if name else esc(pick(lang, "Eenheid", "Unit")) + code
    if authority:
        name = names.get(authority)
        label = pick(lang, "Totaal", "Total") + (f" {name}" if name else "")
        return esc(label) + f' <span class="code">{esc(authority)}</span>'
    return esc(pick(lang, "De verkiezing als geheel", "The election as a whole"))


def findings_html(findings: list[Finding], lang: str, unit_names: dict[str, str], list_names: dict[int, str],
                  candidate_names: dict[tuple[int, str], str],
                  station_lists: dict[str, dict[str, dict[int, int]]] | None = None) -> str:
    """Findings grouped per station (file totals and the election as a whole first), each
    group with the station's name, the PV's field letters, and for a warning about a list's
    share a chart of the station against the rest of its municipality."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.location.authority or "", f.location.unit or ""), []).append(f)
    header = [pick(lang, "ernst", "severity"), pick(lang, "veld", "field"), pick(lang, "verwacht", "expected"),
              pick(lang, "gevonden", "found"), pick(lang, "wat", "what")]
    out = []
    for (authority, unit), group in groups.items():
        rows = []
        for f in group:
            sev = severity(f.severity.value, lang)
            src = (f'<br><span class="src">{esc(basename(f.source))}' + (f" &middot; {esc(place_in(f.element, lang))}" if f.element else "") + "</span>"
                   if f.source else "")
            numbers = "".join(f'<td class="n" data-label="{esc(header[i])}">{esc(v)}</td>' if v is not None else '<td class="n"></td>'
                              for i, v in ((2, f.shown("expected")), (3, f.shown("actual"))))
            rows.append(f'<tr><td class="sev {f.severity.value}">{esc(sev)} <span class="code">{esc(f.code)}</span></td>'
                        f"<td>{field_html(f.field, lang, list_names, candidate_names)}</td>{numbers}"
                        f"<td>{esc(strip_where(f, lang))}{src}</td></tr>")
        head = "".join(f'<th scope="col"{" class=n" if i in (2, 3) else ""}>{esc(h)}</th>' for i, h in enumerate(header))
        chart = ""
        if station_lists and unit and any(f.code in SHARE_CODES for f in group):
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
             f'font-family="system-ui,sans-serif" font-size="12"><title>{esc(title)}</title>',
             f'<rect x="{label_w}" y="4" width="12" height="10" fill="#1d4f91"/><text x="{label_w + 16}" y="13">{esc(here_word)}</text>',
             f'<rect x="{label_w + 130}" y="4" width="12" height="10" fill="#a9b8cf"/><text x="{label_w + 146}" y="13">{esc(rest_word)}</text>']
    for i, number in enumerate(numbers):
        y = 24 + i * row_h
        name = list_names.get(number, "")
        label = f"{number}. {name}" if name else f"{pick(lang, 'lijst', 'list')} {number}"
        if len(label) > 28:
            label = label[:27] + "\u2026"
        a, b = here.get(number, 0), rest.get(number, 0)
        wa, wb = (int(Fraction(v * bar_w, t)) for v, t in ((a, total_here), (b, total_rest)))
        parts.append(f'<text x="0" y="{y + 17}">{esc(label)}</text>'
                     f'<rect x="{label_w}" y="{y + 2}" width="{wa}" height="13" fill="#1d4f91"/>'
                     f'<text x="{label_w + wa + 4}" y="{y + 13}">{esc(percent(a, total_here))}</text>'
                     f'<rect x="{label_w}" y="{y + 16}" width="{wb}" height="13" fill="#a9b8cf"/>'
                     f'<text x="{label_w + wb + 4}" y="{y + 27}">{esc(percent(b, total_rest))}</text>')
    parts.append("</svg>")
    return "".join(parts)
