"""Double entry ("vier ogen"): compare two entries of the same proces-verbaal, field by field.

Following the Kiesraad's double-entry rules, any inequality is a difference (no tolerance).
A number filled in on one side and empty on the other is reported as *not filled in*, never
as a difference with 0; a unit with nothing filled in is *not filled in*, never identical.
A cell of a filled-in sheet that cannot be read (text, a negative number) is reported with the
other differences and the comparison goes on. Each side is also checked on its own with the PV
checks of ``verify``: two entries that agree on a wrong total are still wrong.

Two files that are not entries of the same count (``osv_verify.core.identity.same_count``) are not
compared at all: ``compare`` raises ``NotTheSameCount`` (one line, exit code 2).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from osv_verify.checks.aggregate import differences, field_name, file_location, values
from osv_verify.checks.registry import rule
from osv_verify.checks.rule import field_label
from osv_verify.core.errors import InputError, UsageError, place_in
from osv_verify.core.findings import Finding, Location, Severity
from osv_verify.core.identity import same_count
from osv_verify.io import osv_csv
from osv_verify.core.model import CountFile, Level, Tally
from osv_verify.core.text import Text
from osv_verify.app.counts import check_count


class NotTheSameCount(UsageError):
    """The two files are counts of different PVs (another election, authority or level)."""


@dataclass
class Entry:
    """One side of a comparison: the count, and for an OSV CSV sheet where each number is
    (``rows``: key -> row) and the number cells that could not be read (``bad_cells``)."""

    count: CountFile
    rows: Mapping[object, int] = field(default_factory=dict)
    bad_cells: list[osv_csv.BadCell] = field(default_factory=list)


@dataclass
class Comparison:
    a: CountFile
    b: CountFile
    findings: list[Finding] = field(default_factory=list)
    units_compared: int = 0
    units_identical: int = 0
    units_different: int = 0
    units_not_filled_in: int = 0
    fields_different: int = 0
    bad_cells: int = 0

    @property
    def agree(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def summary(self) -> dict[str, object]:
        return {
            "a": self.a.source,
            "b": self.b.source,
            "units_compared": self.units_compared,
            "units_identical": self.units_identical,
            "units_with_differences": self.units_different,
            "units_not_filled_in": self.units_not_filled_in,
            "fields_with_differences": self.fields_different,
            "bad_cells": self.bad_cells,
            "errors": sum(f.severity is Severity.ERROR for f in self.findings),
            "warnings": sum(f.severity is Severity.WARNING for f in self.findings),
        }


def read_entry(path: Path) -> Entry:
    """Exactly one count (510 or OSV CSV) from a path, or an input error saying what is there.

    An OSV CSV is read leniently: a bad number cell becomes a ``DOUBLE.BAD_CELL`` finding."""
    from osv_verify.io.discover import discover, load

    inv = discover([path])
    if inv.problems:
        raise inv.problems[0]
    counts = [e for e in inv.entries if e.kind.startswith("510") or e.kind == "osv4-3"]
    if len(counts) != 1:
        kinds = ", ".join(sorted({e.kind for e in inv.entries}))
        raise InputError(str(path), Text(f"verwacht één tellingsbestand (EML 510 of OSV4-3-CSV), gevonden: {len(counts)} ({kinds or 'niets leesbaars'})",
                                         f"expected one count file (EML 510 or OSV4-3 CSV), found {len(counts)} ({kinds or 'nothing readable'})"))
    entry = counts[0]
    if entry.kind == "osv4-3":
        count, rows, bad = osv_csv.read_osv_csv_lenient(entry.source.read(), entry.source.name)
        return Entry(count, rows, bad)
    doc = load(entry)
    assert isinstance(doc, CountFile)
    return Entry(doc)


LEVEL_EN = {Level.STATION: "polling station", Level.MUNICIPALITY: "municipality", Level.DISTRICT: "electoral district",
            Level.CENTRAL: "central"}


def describe(count: CountFile, lang: str) -> str:
    """``GR 2022-03-16, gemeente 0668`` : what identifies a count, for the mismatch message."""
    level = Level.MUNICIPALITY if count.level is Level.STATION else count.level
    words = LEVEL_EN[level] if lang == "en" else level.value
    date = count.election.date.isoformat() if count.election.date else None
    return f"{count.election.category or '?'} {date or '?'}, {words} {count.authority_id or '?'}"


def _check_same_count(a: CountFile, b: CountFile) -> None:
    if not same_count(a, b):
        raise NotTheSameCount(Text(
            f"A en B zijn geen invoer van dezelfde telling (A: {describe(a, 'nl')}; B: {describe(b, 'nl')}); niets vergeleken",
            f"A and B are not entries of the same count (A: {describe(a, 'en')}; B: {describe(b, 'en')}); nothing compared"))


def _name(count_a: CountFile, count_b: CountFile, key: tuple) -> str:
    """' (list name)' or ' (candidate name)' as on the paper PV, when either side knows it."""
    kind, value = key
    if kind == "list":
        name = count_a.list_names.get(value) or count_b.list_names.get(value)  # type: ignore[arg-type]
    elif kind == "candidate":
        lst, cand = value
        names = {**count_b.candidate_names, **count_a.candidate_names}
        name = next((n for k, n in names.items() if k[0] == lst and cand in (k[1], k[2])), None)
    else:
        name = None
    return f" ({name})" if name else ""


def _field_location(where: Location, key: tuple) -> Location:
    if key[0] == "list":
        return Location(**{**where.__dict__, "list": key[1]})
    if key[0] == "candidate":
        return Location(**{**where.__dict__, "list": key[1][0], "candidate": str(key[1][1])})
    return where


def _bad_key(cell: osv_csv.BadCell) -> str:
    """The field key (as ``field_name``) of a bad cell's row."""
    if cell.kind == "counts":
        return str(cell.key)
    if cell.kind == "lists":
        return f"list {cell.key}"
    lst, position, name = cell.key  # type: ignore[misc]
    return f"candidate {lst}.{position if position is not None else name}"


def _row_key(key: tuple) -> object:
    """The key of ``osv_csv_rows`` for a compared field key."""
    kind, value = key
    return (value[0], value[1], None) if kind == "candidate" else value


def _column(tally: Tally) -> str:
    """``column 7 (Dorpshuis De Hucht)`` from a CSV tally's element (without the id note)."""
    return (tally.element or "").split(";", 1)[0]


def _cell(entry: Entry, tally: Tally, key: tuple) -> Text:
    """Where a number belongs in the file: ``row 14, column 7 (Dorpshuis De Hucht)`` in a CSV
    sheet (``rij``/``kolom`` in Dutch), the element in an EML file. A row the sheet lacks is
    named by the field's label (``de rij van andere verklaring``), never its internal key."""
    row = entry.rows.get(_row_key(key))
    if row is not None:
        place = f"row {row}, {_column(tally)}"
        return Text(place_in(place, "nl"), place)
    if entry.count.kind == "osv4-3":
        column = _column(tally)
        field = field_name(key)
        return Text(f"{place_in(column, 'nl')}, de rij van {field_label(field, 'nl')} (ontbreekt)",
                    f"{column}, the row of {field_label(field, 'en')} (missing)")
    return Text(tally.element or "?", tally.element or "?")


def _is_empty(t: Tally) -> bool:
    return not (t.counts or t.lists or t.candidates)


def _compare_tallies(a: Entry, b: Entry, ta: Tally, tb: Tally, where: Location, bad: set[str]) -> Iterator[Finding]:
    """The differences of one unit: different numbers, and numbers filled in on one side only.
    Fields with a bad cell (``bad``) are reported as ``DOUBLE.BAD_CELL`` instead."""
    for d in differences(ta, tb):
        key = field_name(d.key)
        if key in bad:
            continue
        loc = _field_location(where, d.key)
        name = _name(a.count, b.count, d.key)
        if d.a is None or d.b is None:
            empty, other, value = ("A", "B", d.b) if d.a is None else ("B", "A", d.a)
            entry, tally = (a, ta) if d.a is None else (b, tb)
            cell = _cell(entry, tally, d.key)
            yield rule("DOUBLE.EMPTY").finding(
                loc, field=key, expected=d.a, actual=d.b, name=name, side=empty, other=other, value=value,
                cell=cell, source=entry.count.source, element=cell.en)
        else:
            yield rule("DOUBLE.DIFFERENT").finding(loc, field=key, expected=d.a, actual=d.b, name=name,
                                                   source=b.count.source, element=tb.element)


def _bad_cell_findings(a: Entry, b: Entry) -> Iterator[Finding]:
    """``DOUBLE.BAD_CELL`` for every unreadable cell of either side, with the other side's number."""
    for side, other, entry, other_count in (("A", "B", a, b.count), ("B", "A", b, a.count)):
        tallies = {None: other_count.total, **{u.id: u for u in other_count.units}}
        for cell in entry.bad_cells:
            uid, tally_other = cell.unit, tallies.get(cell.unit)
            key = _bad_key(cell)
            numbers = values(tally_other, "id") if tally_other is not None else {}
            field_key = next((k for k in numbers if field_name(k) == key), None)
            value = numbers.get(field_key) if field_key else None
            loc = _field_location(file_location(entry.count, uid), field_key) if field_key else file_location(entry.count, uid)
            place = f"row {cell.row}, column {cell.column}"
            shown = "" if value is None else value
            yield rule("DOUBLE.BAD_CELL").finding(
                loc, field=key, name=_name(a.count, b.count, field_key) if field_key else "", side=side, other=other,
                cell=Text(place_in(place, "nl"), place), problem=cell.error.problem,
                value=shown if shown != "" else Text("niets", "nothing"), source=entry.count.source, element=place)


def _not_filled_in(where: Location, ta: Tally, tb: Tally, a: CountFile, b: CountFile) -> Finding | None:
    """A unit left empty entirely, on one side or both: not filled in, never identical."""
    empty_a, empty_b = _is_empty(ta), _is_empty(tb)
    if not (empty_a or empty_b):
        return None
    if empty_a and empty_b:
        side = Text("in A en in B", "in A or B")
    else:
        empty, other, t_other = ("A", "B", tb) if empty_a else ("B", "A", ta)
        n = len(t_other.counts) + len(t_other.lists) + len(t_other.candidates)
        side = Text(f"in {empty} ({other} heeft {n} {'getal' if n == 1 else 'getallen'})",
                    f"in {empty} ({other} has {n} {'number' if n == 1 else 'numbers'})")
    source = a.source if empty_a else b.source
    return rule("DOUBLE.NOT_FILLED_IN").finding(where, field="unit", side=side, source=source)


def compare(a: CountFile | Entry, b: CountFile | Entry) -> Comparison:
    """Compare two entries of the same count. Raises ``NotTheSameCount`` for files of
    different counts (see ``osv_verify.core.identity.same_count``)."""
    ea = a if isinstance(a, Entry) else Entry(a)
    eb = b if isinstance(b, Entry) else Entry(b)
    ca, cb = ea.count, eb.count
    _check_same_count(ca, cb)
    result = Comparison(ca, cb)
    if ca.election.id != cb.election.id:  # the same count, its id spelled otherwise: say so, no more
        result.findings.append(rule("META.ELECTION_ID").finding(
            Location(election=ca.election.id, authority=ca.authority_id), field="election", expected=ca.election.id,
            actual=cb.election.id, first=ca.source, second=cb.source, source=cb.source))
    units_a = {u.id: u for u in ca.units}
    units_b = {u.id: u for u in cb.units}
    for uid in sorted(units_a.keys() ^ units_b.keys(), key=str):
        present = ca.source if uid in units_a else cb.source
        result.findings.append(rule("DOUBLE.UNIT_MISSING").finding(
            file_location(ca, uid), field="unit", unit=uid, present=present, source=present))
    bad: dict[str | None, set[str]] = {}
    for cell in ea.bad_cells + eb.bad_cells:
        bad.setdefault(cell.unit, set()).add(_bad_key(cell))
    bad_cells = list(_bad_cell_findings(ea, eb))
    result.findings.extend(bad_cells)
    result.bad_cells = len(bad_cells)
    pairs = [(None, ca.total, cb.total)] + [(uid, units_a[uid], units_b[uid]) for uid in units_a if uid in units_b]
    for uid, ta, tb in pairs:
        if ta is None or tb is None:
            continue
        where = file_location(ca, uid)
        if uid is not None and not bad.get(uid):
            missing = _not_filled_in(where, ta, tb, ca, cb)
            if missing is not None:
                result.findings.append(missing)
                result.units_compared += 1
                result.units_not_filled_in += 1
                continue
        found = list(_compare_tallies(ea, eb, ta, tb, where, bad.get(uid, set())))
        result.findings.extend(found)
        if uid is not None:
            result.units_compared += 1
            if found or bad.get(uid):
                result.units_different += 1
            else:
                result.units_identical += 1
        result.fields_different += sum(f.code == "DOUBLE.DIFFERENT" for f in found)
    for side in (ca, cb):
        result.findings.extend(check_count(side))
    result.findings.sort(key=Finding.sort_key)
    return result

