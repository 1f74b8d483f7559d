"""``osv-verify inspect``: what the files contain, as JSON, CSV, Markdown or a terminal table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from osv_verify.core.text import pick
from osv_verify.core.escape import rich_text
from osv_verify.report.output import Format, to_csv, to_json, to_markdown

if TYPE_CHECKING:
    from rich.console import Console

    from osv_verify.app.inspection import ElectionInfo
    from osv_verify.core.errors import InputError

#: The column keys: CSV and JSON keep them; table and Markdown show ``HEADER_NL`` in Dutch.
HEADER = ["election", "name", "category", "date", "seats", "files", "levels", "units", "lists", "candidates",
          "eligible", "admitted", "valid", "blank", "invalid", "published_twice", "eml"]
HEADER_NL = ["verkiezing", "naam", "categorie", "datum", "zetels", "bestanden", "niveaus", "eenheden", "lijsten",
             "kandidaten", "kiesgerechtigden", "toegelaten", "geldig", "blanco", "ongeldig", "dubbel gepubliceerd", "eml"]


def _rows(infos: list[ElectionInfo], lang: str) -> list[list[object]]:
    unknown = pick(lang, "onbekend", "unknown")
    return [[i.id, i.name, i.category, i.date, i.seats if i.seats is not None else unknown, len(i.files),
             ", ".join(f"{k}: {v}" for k, v in i.levels.items()), i.reporting_units, i.lists, i.candidates,
             *(i.totals.get(k) for k in ("eligible", "admitted", "valid", "blank", "invalid")),
             _twice(i, lang), _written(i, lang)] for i in infos]


def _written(info: ElectionInfo, lang: str) -> str | None:
    """How the EML counts are written, each way once: who wrote them, EML_NL version, counting
    method, session and the spelling of a corrigendum's original numbers."""
    seen: dict[str, int] = {}
    for f in info.files:
        if "producer" not in f:
            continue
        parts = [f.get("producer") or pick(lang, "maker onbekend", "producer unknown"),
                 "EML_NL " + (f.get("schema_version") or pick(lang, "1.2.2 of ouder", "1.2.2 or older"))]
        parts += [v for v in (f.get("counting_method"), f.get("phase")) if v]
        if f.get("corrigendum_spelling"):
            parts.append(pick(lang, "oorspronkelijke getallen als ", "original numbers as ")
                         + " + ".join(f"kr:{s}*" for s in (f.get("corrigendum_spelling") or "").split("+")))
        if f.get("invalid"):
            parts.append(pick(lang, "ongeldig (niet gebruikt): ", "invalid (not used): ") + ", ".join(dict.fromkeys(f.get("invalid") or [])))
        line = ", ".join(parts)
        seen[line] = seen.get(line, 0) + 1
    return "; ".join(f"{line} ({n}x)" if n > 1 else line for line, n in seen.items()) or None


def _twice(info: ElectionInfo, lang: str) -> str | None:
    """Each count published in two forms, with both files: it is counted once above."""
    if not info.published_twice:
        return None
    return "; ".join(
        pick(lang, f"{t['level']} {t['authority']} in twee vormen gepubliceerd, één keer geteld: ",
             f"{t['level']} {t['authority']} published in two forms, counted once: ")
        + pick(lang, " en ", " and ").join(Path(f).name for f in t["files"]) + _session(t.get("session"), lang)
        for t in info.published_twice)


def _session(session: str | None, lang: str) -> str:
    """Which version of the count the CSV equals, where it is not simply the newest."""
    if session == "earlier":
        return pick(lang, " (de CSV is die van een eerdere zitting)", " (the CSV is that of an earlier session)")
    if session == "none":
        return pick(lang, " (de CSV is gelijk aan geen van de versies)", " (the CSV equals none of the versions)")
    return ""


def _header(lang: str) -> list[str]:
    return HEADER_NL if lang == "nl" else HEADER


def render(infos: list[ElectionInfo], errors: list[InputError], skipped: list[str], fmt: Format, lang: str) -> str:
    """JSON (``inspect/1``), CSV, or Markdown (also for ``table`` into a file)."""
    if fmt is Format.JSON:
        from osv_verify.report.schema import schema_id

        return to_json({"schema": schema_id("inspect"), "elections": [i.to_dict() for i in infos],
                        "input_errors": [str(e) for e in errors], "skipped": skipped})
    if fmt is Format.CSV:
        return to_csv(HEADER, _rows(infos, lang))
    return to_markdown(_header(lang), _rows(infos, lang))


def print_table(infos: list[ElectionInfo], console: Console, lang: str) -> None:
    """The terminal table: one row per election, ``-`` for a number the files do not give."""
    from rich.table import Table

    table = Table(*_header(lang), show_lines=False)
    for row in _rows(infos, lang):
        table.add_row(*("-" if v is None else rich_text(v) for v in row))
    console.print(table)
