"""The OSV4-3 CSV writer: a ``CountFile`` in the genuine layout (``osv_csv`` describes it), for
``osv-verify template`` (an entry sheet) and the generated test sets."""

from __future__ import annotations

from collections.abc import Mapping

from osv_verify.core.escape import csv_cell
from osv_verify.core.model import CandidateKey, CountFile, Level, Tally
from osv_verify.core.postcode import split_station_name
from osv_verify.io.csv_records import BOM, DELIMITER
from osv_verify.io.osv_csv import COLUMN_HEADER, KIND, LABEL_BY_KEY, ROW_LABELS, STANDARD_KEYS


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return '"' + text.replace('"', '""') + '"' if text else ""


def _line(cells: list[object], for_spreadsheet: bool = False) -> str:
    return DELIMITER.join(_cell(csv_cell(c)) if for_spreadsheet else _cell(c) for c in cells)


def _column_name(unit: Tally, from_eml: bool) -> tuple[str, str | None]:
    """Column name and postcode. EML names are cleaned as OSV does (``Stembureau X (postcode:
    1234 AB)`` -> ``X``, ``1234 AB``); names read from a CSV are kept as they are."""
    name = unit.name or unit.id or "?"
    if not from_eml:
        return name, None
    bare, postcode = split_station_name(name, at_end=True)
    name = bare.removeprefix("Stembureau ")
    return name or unit.id or "?", postcode


def _gebiednummer(level: Level, unit_id: str | None) -> str:
    """The region number OSV prints: ``0668::SB12`` -> ``12``, ``HSB2::0059`` -> ``0059``, ``HSB3`` -> ``3``."""
    code = unit_id.rsplit("::", 1)[-1] if unit_id else ""
    prefix = "HSB" if level is Level.CENTRAL else "" if level is Level.DISTRICT else "SB"
    return code[len(prefix):] if prefix and code.upper().startswith(prefix) and code[len(prefix):] else code


def _position_order(key: CandidateKey) -> tuple[int, int, str]:
    """Numeric positions first, in numeric order (compared as digit strings); others after."""
    pos = key[1]
    if pos and pos.isascii() and pos.isdigit():
        digits = pos.lstrip("0")
        return 0, len(digits), digits
    return 1, 0, ""


def _candidates_by_list(tallies: list[Tally], names: Mapping[CandidateKey, str]) -> dict[int, list[CandidateKey]]:
    """Every candidate key per list: positions in numeric order, then the rest as first seen."""
    seen: dict[CandidateKey, None] = {}
    for t in tallies:
        seen.update(dict.fromkeys(t.candidates))
    seen.update(dict.fromkeys(names))
    by_list: dict[int, list[CandidateKey]] = {}
    for key in seen:
        by_list.setdefault(key[0], []).append(key)
    for keys in by_list.values():
        keys.sort(key=_position_order)
    return by_list


def write_osv_csv(
    count: CountFile, *, candidate_names: Mapping[CandidateKey, str] | None = None, blank: bool = False
) -> bytes:
    """Write ``count`` in the genuine OSV4-3 layout: UTF-8 with BOM, ``;``, every non-empty cell
    quoted, ``\\n`` line ends, no final newline. Absent numbers are empty cells.

    ``candidate_names`` adds or overrides names (a 510 carries none; take them from the 230b).
    ``blank=True`` leaves every number empty: an entry sheet for the municipality, to be opened
    in a spreadsheet, so a name that would start a formula gets a leading ``'`` (``csv_cell``).
    ``read_osv_csv`` gives back every number and id; a candidate keyed by position and
    ShortCode comes back keyed by position only. A station-level (510a) file is written as a
    gemeente file.
    """
    names = {**count.candidate_names, **(candidate_names or {})}
    units = count.units
    tallies = [count.total, *units]
    present = [t for t in tallies if t is not None]
    from_eml = count.kind != KIND

    def numbers(part: str, key: str | int | CandidateKey) -> list[int | None]:
        return [None if blank or t is None else getattr(t, part).get(key) for t in tallies]

    prefix = {Level.DISTRICT: "Kieskring ", Level.CENTRAL: ""}.get(count.level, "Gemeente ")
    columns = [_column_name(u, from_eml) for u in units]
    lines = [
        _line(["Verkiezing", None, count.election.name or count.election.id], blank),
        _line(["Datum", None, count.election.date.isoformat() if count.election.date else None], blank),
        _line(["Gebied", None, prefix + (count.authority_name or "")], blank),
        _line(["Nummer", None, count.authority_id], blank),
        "",
        _line([*COLUMN_HEADER, *(name for name, _ in columns)], blank),
        _line(["Gebiednummer", None, None, None, None, *(_gebiednummer(count.level, u.id) for u in units)], blank),
    ]
    if any(postcode for _, postcode in columns):
        lines.append(_line(["Postcode", None, None, None, None, *(postcode for _, postcode in columns)], blank))
    for key in ROW_LABELS.values():
        if key in STANDARD_KEYS or any(key in t.counts for t in present):
            lines.append(_line([None, LABEL_BY_KEY[key], None, None, *numbers("counts", key)], blank))
    by_list = _candidates_by_list(present, names)
    for n in sorted(set(count.list_names).union(*(t.lists for t in present), by_list)):
        lines.append(_line([n, count.list_names.get(n), None, None, *numbers("lists", n)], blank))
        for key in by_list.get(n, ()):
            position = key[1] if key[1] is not None else f"({key[2]})"
            name = names.get(key, key[2] if key[1] is None else None)
            lines.append(_line([None, None, position, name, *numbers("candidates", key)], blank))
    return (BOM + "\n".join(lines)).encode("utf-8")
