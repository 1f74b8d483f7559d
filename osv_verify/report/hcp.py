"""The control protocol's three spreadsheets in the layout of the Kiesraad's HCP, and the same
content as JSON or Markdown.

Per municipality: ``a.csv`` (unexplained differences), ``b.csv`` (everything else) and
``c.csv`` (every list's deviation in every station), ``;``-separated UTF-8 with a header
block, one row per station that needs a look, all three files even when nothing does.

Cells read as HCP writes them (a CSB can put both side by side): ``ja (3.1%)``, ``ja (28)``,
``<list name> (51.3%)``, ``+38.3%``. The decisions behind them are exact
(``checks/protocol.py``); only here is a share turned into a decimal number, with the same
float arithmetic and rounding as HCP's (Python's ``round`` to one decimal), so that the
printed figures are the same.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from osv_verify.core.postcode import without_postcodes
from osv_verify.checks.protocol_rules import MunicipalityProtocol, StationProtocol, SwitchedPair
from osv_verify.core.errors import UsageError
from osv_verify.core.text import Text, count, pick
from osv_verify.core.escape import csv_cell, md_cell
from osv_verify.report.output import WriteError, os_refusal, to_json, write_atomic

if TYPE_CHECKING:
    from rich.console import Console

    from osv_verify.app.protocol import ProtocolRun

#: The protocol version whose columns these are (HCP's ``Versie controleprotocol``).
PROTOCOL_VERSION = "TK2025"
SHEETS = ("a", "b", "c")
ID_COLUMNS = ["Verkiezingnummer", "Type", "Kieskringnummer", "Gemeentenummer", "Gemeentenaam", "Stembureaunummer",
              "Stembureaunaam"]
ID_COLUMNS_EN = ["Election", "Sheet", "Electoral district", "Municipality code", "Municipality", "Station number",
                 "Station name"]
_PREFIX = re.compile(r"^(Stembureau\s)+")


def _pct(share: Fraction) -> float:
    """A share as HCP's percentage: the float quotient times 100 (display only)."""
    return float(share) * 100


def _one(x: float) -> str:
    return f"{round(x, 1)}"


def _points(here: Fraction, rest: Fraction) -> float:
    return _pct(here) - _pct(rest)


def station_name(name: str) -> str:
    """The station's name without its ``(postcode: ...)`` and its leading ``Stembureau``."""
    return _PREFIX.sub("", without_postcodes(name)).strip()


def _threshold(value: int) -> str:
    return f"{float(value)}"


def columns(p: MunicipalityProtocol, sheet: str, lang: str = "nl") -> list[str]:
    """The column header of a sheet (Dutch: HCP's; English for --lang en in JSON/Markdown)."""
    t = p.thresholds
    if sheet == "a":
        own = (["Aantal geen verklaring voor verschil", "Aantal ontbrekende verklaringen voor verschil", "Al herteld",
                "Samenvatting"] if lang == "nl" else
               ["Recorded 'no explanation'", "Explanations missing", "Already recounted", "Summary"])
    elif sheet == "b":
        own = ([
            "Stembureau met nul stemmen",
            f"Stembureau >={_threshold(t.blank_invalid_pct)}% ongeldig",
            f"Stembureau >={_threshold(t.blank_invalid_pct)}% blanco",
            f"Stembureau >={t.difference_votes} of >={_threshold(t.difference_pct)}% verschil tussen toegelaten kiezers "
            "en uitgebrachte stemmen",
            f"Stembureau met lijst >={_threshold(t.party_share_pp)}% afwijking",
            "Mogelijk verwisselde kandidaten", "Al herteld", "Samenvatting"] if lang == "nl" else [
            "No votes", f"Invalid >={_threshold(t.blank_invalid_pct)}%", f"Blank >={_threshold(t.blank_invalid_pct)}%",
            f"Admitted voters and votes differ >={t.difference_votes} or >={_threshold(t.difference_pct)}%",
            f"List >={_threshold(t.party_share_pp)} points off", "Possibly switched candidates", "Already recounted",
            "Summary"])
    else:
        own = [p.list_names.get(lst, "") for lst in _c_lists(p)]
    return (ID_COLUMNS if lang == "nl" else ID_COLUMNS_EN) + own


def _c_lists(p: MunicipalityProtocol) -> list[int]:
    return sorted(p.stations[0].shares) if p.stations else []


def _id_cells(p: MunicipalityProtocol, s: StationProtocol, sheet: str) -> list[str]:
    return [p.election_id, sheet.upper(), p.contest_id, p.authority_id, p.authority_name, s.number, station_name(s.name)]


def _list_label(p: MunicipalityProtocol, lst: int) -> str:
    return p.list_names.get(lst) or f"{lst}. blanco"


def switched_text(pair: SwitchedPair) -> str:
    """One pair as HCP's column shows it: list, both candidates, their votes and expectations."""
    name = f" ({pair.list_name})" if pair.list_name else ""
    return (f"Mogelijke verwisseling op lijst {pair.list_number}{name}: "
            f"Kandidaat {pair.more.number} had {pair.more.votes} stemmen maar verwachting was {round(pair.more.expected)}. "
            f"Kandidaat {pair.fewer.number} had {pair.fewer.votes} stemmen maar verwachting was {round(pair.fewer.expected)}")


def b_cells(p: MunicipalityProtocol, s: StationProtocol) -> list[str]:
    """The six check columns of sheet b and 'Al herteld'."""
    d = s.difference
    diff = "" if d is None else f"ja ({d.votes})" if d.share is None else f"ja ({_one(_pct(d.share))}%)"
    lists = sorted(f"{_list_label(p, lst)} ({_one(_points(*s.shares[lst]))}%)" for lst, _ in s.lists_off)
    return [
        "ja" if s.zero_votes else "",
        f"ja ({_one(_pct(s.invalid_share))}%)" if s.invalid_share is not None else "",
        f"ja ({_one(_pct(s.blank_share))}%)" if s.blank_share is not None else "",
        diff,
        ", ".join(lists),
        ", ".join(switched_text(x) for x in s.switched),
        "ja" if s.recounted else "",
    ]


def a_cells(s: StationProtocol) -> list[str]:
    return [str(s.no_explanation or ""), str(s.missing_explanations or ""), "ja" if s.recounted else ""]


def c_cells(p: MunicipalityProtocol, s: StationProtocol) -> list[str]:
    out = []
    for lst in sorted(s.shares):
        x = round(_points(*s.shares[lst]), 1)
        out.append(f"{'+' if x > 0.0 else ''}{x}%")
    return out


# --- the summary sentence (our own words) ---------------------------------------------------------


def summary_a(p: MunicipalityProtocol, s: StationProtocol, lang: str = "nl") -> str:
    parts = []
    if s.no_explanation:
        parts.append(pick(lang, f"{s.no_explanation} keer 'geen verklaring' ingevuld",
                          f"'no explanation' recorded {s.no_explanation} times"))
    if s.missing_explanations:
        parts.append(pick(lang, f"de verklaringen wijken {s.missing_explanations} af van het verschil",
                          f"the explanations are {s.missing_explanations} off the difference"))
    head = pick(lang, "Onverklaard verschil tussen toegelaten kiezers en getelde stembiljetten: ",
                "Unexplained difference between admitted voters and ballots counted: ")
    if not p.pv_used:  # only the PV says which stations were recounted: never claim "not recounted" without it
        tail = pick(lang, " Of er al herteld is, staat in het proces-verbaal (Na 31-1/31-2); dat is niet gelezen.",
                    " Whether it was already recounted is in the PV (Na 31-1/31-2), which was not read.")
    elif s.recounted:
        tail = pick(lang, " Al herteld.", " Already recounted.")
    else:
        tail = pick(lang, " Niet herteld.", " Not recounted.")
    return head + "; ".join(parts) + "." + tail


def summary_b(p: MunicipalityProtocol, s: StationProtocol, lang: str = "nl") -> str:
    parts = []
    if s.zero_votes:
        parts.append(pick(lang, "geen enkele stem", "no votes at all"))
    if s.invalid_share is not None:
        parts.append(f"{_one(_pct(s.invalid_share))}% {pick(lang, 'ongeldig', 'invalid')}")
    if s.blank_share is not None:
        parts.append(f"{_one(_pct(s.blank_share))}% {pick(lang, 'blanco', 'blank')}")
    if s.difference is not None:
        size = str(s.difference.votes) if s.difference.share is None else f"{_one(_pct(s.difference.share))}%"
        parts.append(pick(lang, f"toegelaten kiezers en stemmen verschillen {size}", f"admitted voters and votes differ by {size}"))
    for lst, _ in s.lists_off:
        x = _one(_points(*s.shares[lst]))
        parts.append(pick(lang, f"lijst {lst} wijkt {x} procentpunt af van de rest van de gemeente",
                          f"list {lst} is {x} points off the rest of the municipality"))
    for x in s.switched:
        a, b = x.more, x.fewer
        parts.append(pick(lang,
                          f"lijst {x.list_number}: kandidaat {a.number} heeft {a.votes} stemmen (verwacht {round(a.expected)}) "
                          f"en kandidaat {b.number} {b.votes} (verwacht {round(b.expected)}), mogelijk verwisseld",
                          f"list {x.list_number}: candidate {a.number} has {a.votes} votes (expected {round(a.expected)}) and "
                          f"candidate {b.number} {b.votes} (expected {round(b.expected)}), possibly switched"))
    text = "; ".join(parts)
    return (text[:1].upper() + text[1:] + ".") if text else ""


# --- the three files -------------------------------------------------------------------------------


def _description(p: MunicipalityProtocol, sheet: str) -> str:
    if sheet == "a":
        return ("Stembureaus met een verschil zonder (volledige) verklaring, proces-verbaal "
                + ("gelezen" if p.pv_used else "niet gelezen"))
    if sheet == "b":
        return ("Stembureaus met nul stemmen, veel ongeldige of blanco stemmen, een groot verschil, een lijst die "
                "sterk afwijkt of mogelijk verwisselde kandidaten, wijkindeling "
                + ("gebruikt" if p.neighbourhoods_used else "niet gebruikt"))
    return "Afwijking van elke lijst per stembureau ten opzichte van de rest van de gemeente (procentpunten)"


def rows(p: MunicipalityProtocol, sheet: str, lang: str = "nl") -> list[list[str]]:
    """The data rows of one sheet, id columns first, the summary in ``lang``."""
    if sheet == "a":
        return [_id_cells(p, s, "a") + a_cells(s) + [summary_a(p, s, lang)] for s in p.a_rows]
    if sheet == "b":
        return [_id_cells(p, s, "b") + b_cells(p, s) + [summary_b(p, s, lang)] for s in p.b_rows]
    return [_id_cells(p, s, "c") + c_cells(p, s) for s in p.stations]


def sheet_text(p: MunicipalityProtocol, sheet: str) -> str:
    """One spreadsheet as HCP lays it out: header block, column header, rows (every cell
    through ``csv_cell``: a name from the files never runs as a formula)."""
    lines: list[list[object]] = [
        ["Versie controleprotocol", PROTOCOL_VERSION], ["Beschrijving", _description(p, sheet)], [],
        ["EML datum/tijd", p.created], ["Verkiezing", p.election_name], ["Datum", p.election_date],
        ["Kieskringnummer", p.contest_id], ["Gemeentenummer", p.authority_id], [],
        *(["Opmerking", n.nl] for n in p.notes), *([[]] if p.notes else []),
        columns(p, sheet), *rows(p, sheet)]
    buf = io.StringIO()
    csv.writer(buf, delimiter=";").writerows([csv_cell(c) for c in line] for line in lines)
    return buf.getvalue()


#: What a folder name made from a count file's name may hold; anything else becomes ``_``.
_UNSAFE_IN_NAME = re.compile(r"[^\w.,()+ -]")
_MAX_NAME = 100
#: Names Windows keeps for devices, with any extension (``CON``, ``nul.txt``): a folder so named
#: cannot be made or opened there, so it gets a ``_``.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10))}


def folder_name(p: MunicipalityProtocol) -> str:
    """The municipality's folder: the count file's name without ``.eml.xml`` (as HCP names
    it), made safe: one plain name (never ``..``, hidden or empty: ``telling`` then), letters,
    digits and ``.,()+ -_`` only, at most 100 characters, never a Windows device name."""
    name = re.split(r"[/\\]", p.source.split("!")[-1])[-1]
    for suffix in (".eml.xml", ".xml", ".csv"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    name = _UNSAFE_IN_NAME.sub("_", name)[:_MAX_NAME].strip(" .") or "telling"
    return f"{name}_" if name.split(".")[0].upper() in _RESERVED else name


def folder_names(municipalities: list[MunicipalityProtocol]) -> list[str]:
    """``folder_name`` of each, made unique (``-2``, ``-3``, ... in input order): two counts
    with the same file name (in two zips) never share a folder."""
    used: set[str] = set()
    names = []
    for m in municipalities:
        base = name = folder_name(m)
        n = 1
        while name.casefold() in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name.casefold())
        names.append(name)
    return names


@dataclass(frozen=True)
class Written:
    folder: Path
    files: tuple[Path, ...]


def _targets(folder: Path) -> tuple[Path, ...]:
    return tuple(folder / f"{sheet}.csv" for sheet in SHEETS)


def write_sheets(p: MunicipalityProtocol, folder: Path, inputs: list[Path], force: bool) -> Written:
    """a.csv, b.csv and c.csv into ``folder`` (atomically, never over an input, never through
    a symbolic link, an existing sheet only with ``force``)."""
    if folder.is_symlink():
        raise WriteError(Text(f"kan niet schrijven naar {folder}: is een symbolische link; osv-verify schrijft daar niet doorheen",
                              f"cannot write to {folder}: is a symbolic link; osv-verify does not write through one"))
    try:
        folder.mkdir(parents=True, exist_ok=True)  # inside the folder the user named (``folder_names``)
    except OSError as err:
        raise os_refusal(folder, err) from None
    targets = _targets(folder)
    for sheet, target in zip(SHEETS, targets):
        write_atomic(target, sheet_text(p, sheet), inputs, force)
    return Written(folder, targets)


def write_protocol_sheets(result: ProtocolRun, out: Path, force: bool, inputs: list[Path], lang: str,
                          console: Console) -> None:
    """Every municipality's a.csv, b.csv and c.csv under ``out/<its folder_names>`` (``protocol``
    and ``verify --protocol-csv``); say on ``console`` what was written, what could not be
    checked and part B. Nothing is written when any file exists (no --force); a write refused
    (a symbolic link, no permission) is that municipality's error, said at once: the rest are
    still written, and the run ends with a ``WriteError`` (exit 2)."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise WriteError(Text(f"kan niet schrijven naar {out}: geen map (of een symbolische link)",
                              f"cannot write to {out}: not a folder (or a symbolic link)"))
    folders = [out / name for name in folder_names(result.municipalities)]
    existing = [t for f in folders for t in _targets(f) if t.exists() or t.is_symlink()]
    if existing and not force:
        raise UsageError(Text(f"{existing[0]} bestaat al ({len(existing)} bestanden zouden worden vervangen); "
                              "gebruik --force of een andere map",
                              f"{existing[0]} already exists ({len(existing)} files would be replaced); use --force or another folder"))
    refused = 0
    for m, folder in zip(result.municipalities, folders):
        try:
            written = write_sheets(m, folder, inputs, force)
        except WriteError as err:  # that municipality's error; the others are still written
            refused += 1
            console.print(f"osv-verify: {pick(lang, 'fout', 'error')}: {err.message_in(lang)}", markup=False, style="red")
            continue
        stations = pick(lang, f"a: {count(len(m.a_rows), 'stembureau', 'stembureaus')}, b: {count(len(m.b_rows), 'stembureau', 'stembureaus')}",
                    f"a: {count(len(m.a_rows), 'station', 'stations')}, b: {count(len(m.b_rows), 'station', 'stations')}")
        console.print(f"{pick(lang, 'geschreven', 'wrote')} {written.folder}: a.csv, b.csv, c.csv ({stations})", markup=False)
        for n in m.not_run:
            console.print(f"  {pick(lang, 'niet gecontroleerd', 'not checked')}: {column_label(m, n.column, lang)}: "
                          f"{n.why.render(lang)}", markup=False)
        for note in m.notes:
            console.print(f"  {note.render(lang)}", markup=False)
        if m.part_b:
            console.print(f"  {pick(lang, *m.part_b)}", markup=False)
    if refused:
        total = len(result.municipalities)
        raise WriteError(Text(f"de spreadsheets van {refused} van de {total} gemeenten zijn niet geschreven (zie hierboven)",
                              f"the spreadsheets of {refused} of the {total} municipalities were not written (see above)"))


# --- the same content as JSON or Markdown -----------------------------------------------------------


#: The check columns of sheets a and b, by the field of ``StationProtocol`` each shows
#: (``NotRun.column``), in the order of ``columns``.
FIELDS = {
    "a": ("no_explanation", "missing_explanations", "recounted"),
    "b": ("zero_votes", "invalid_share", "blank_share", "difference", "lists_off", "switched", "recounted"),
}


def column_label(p: MunicipalityProtocol, column: str, lang: str) -> str:
    """The header, in ``lang``, of the column that shows ``column`` (a ``StationProtocol`` field)."""
    for sheet, fields in FIELDS.items():
        if column in fields:
            return columns(p, sheet, lang)[len(ID_COLUMNS) + fields.index(column)]
    return column


def _not_run(p: MunicipalityProtocol, lang: str) -> list[dict[str, str]]:
    return [{"column": column_label(p, n.column, lang), "reason": n.why.render(lang)} for n in p.not_run]


def to_dict(p: MunicipalityProtocol, lang: str = "nl") -> dict[str, object]:
    """One municipality: its header, the rows of a, b and c (cells as in the spreadsheets,
    column names in ``lang``), what could not be checked, and part B."""
    def table(sheet: str) -> list[dict[str, str]]:
        head = columns(p, sheet, lang)
        return [dict(zip(head, row)) for row in rows(p, sheet, lang)]

    return {
        "source": p.source, "election": p.election_id, "election_name": p.election_name, "date": p.election_date,
        "contest": p.contest_id, "authority": p.authority_id, "authority_name": p.authority_name,
        "protocol_version": PROTOCOL_VERSION, "pv_used": p.pv_used, "neighbourhoods_used": p.neighbourhoods_used,
        "stations": len(p.stations), "a": table("a"), "b": table("b"), "c": table("c"),
        "not_run": _not_run(p, lang), "part_b": pick(lang, *p.part_b) if p.part_b else None,
        "notes": [n.render(lang) for n in p.notes],
    }


def render_json(protocols: list[MunicipalityProtocol], lang: str = "nl") -> str:
    from osv_verify.report.schema import schema_id

    return to_json({"schema": schema_id("protocol"), "municipalities": [to_dict(p, lang) for p in protocols]})


#: Headings of the lists and notes, for Markdown and HTML.
SHEET_TITLES = {
    "a": Text("a: onverklaarde verschillen", "a: unexplained differences"),
    "b": Text("b: overige bevindingen", "b: other findings"),
    "c": Text("c: afwijking per lijst", "c: deviation per list"),
    "none": Text("geen stembureaus", "no stations"),
    "not_run": Text("Niet gecontroleerd", "Not checked"),
    "notes": Text("Opmerkingen", "Notes"),
    "part_b": Text("Deel B", "Part B"),
}


def sheet_titles(lang: str) -> dict[str, str]:
    """``SHEET_TITLES`` in ``lang``."""
    return {key: text.render(lang) for key, text in SHEET_TITLES.items()}


def render_markdown(protocols: list[MunicipalityProtocol], lang: str = "nl") -> str:
    words = sheet_titles(lang)
    out = []
    for p in protocols:
        d = to_dict(p, lang)
        out.append(f"# {md_cell(p.authority_name)} ({md_cell(p.authority_id)}), {md_cell(p.election_name)}\n")
        for sheet in SHEETS:
            table: list[dict[str, str]] = d[sheet]  # type: ignore[assignment]
            out.append(f"## {words[sheet]}\n")
            if not table:
                out.append(f"_{words['none']}_\n")
                continue
            head = list(table[0])[len(ID_COLUMNS) - 2:]
            out.append("| " + " | ".join(md_cell(h) for h in head) + " |")
            out.append("|" + "---|" * len(head))
            out += ["| " + " | ".join(md_cell(r[h]) for h in head) + " |" for r in table]
            out.append("")
        if p.notes:
            out.append(f"## {words['notes']}\n")
            out += [f"- {md_cell(n)}" for n in d["notes"]]  # type: ignore[union-attr]
            out.append("")
        if p.not_run:
            out.append(f"## {words['not_run']}\n")
            out += [f"- {md_cell(n['column'])}: {md_cell(n['reason'])}" for n in d["not_run"]]  # type: ignore[union-attr]
            out.append("")
        if d["part_b"]:
            out.append(f"## {words['part_b']}\n\n{md_cell(d['part_b'])}\n")
    return "\n".join(out) + "\n"
