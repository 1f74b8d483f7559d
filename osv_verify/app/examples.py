"""A rule's example (``checks/rule.Example``) run through the real checks: the one runner of each
kind, shared by the tests (every example gives exactly its code) and ``explain`` (what it gives).

Every example is a municipality's count of ``GR2030_Testdorp`` (gemeente 0999), read from a file
``x.xml``; a file's units named ``SB..`` are stations (a gemeente's 510b), others gemeenten (a
kieskring's 510c).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from osv_verify.app.compare import Entry, compare
from osv_verify.checks.aggregate import check_file
from osv_verify.checks.category import check_voter_cards
from osv_verify.checks.plausibility import check_plausibility
from osv_verify.checks.printed import BOX_KEYS, check_pv
from osv_verify.checks.rule import Example, Runner, Units
from osv_verify.checks.tally import Context, check_tally
from osv_verify.checks.thresholds import DEFAULTS
from osv_verify.core.errors import InputError
from osv_verify.core.findings import Finding, Location
from osv_verify.core.model import CountFile, ElectionRef, Level, Tally
from osv_verify.io.numbers import parse_count
from osv_verify.io.osv_csv import BadCell
from osv_verify.io.pdf_pv import PdfPv

ELECTION = "GR2030_Testdorp"


def tally(name: str, fields: Mapping[str, int | str]) -> Tally:
    """A tally from an example's fields: ``list 1``, ``candidate 1.2`` or a count key (numbers only)."""
    t = Tally(id=None if name in ("total", "station") else f"0999::{name}")
    for key, value in fields.items():
        if isinstance(value, str):
            continue  # a cell that cannot be read: see bad_cells
        if key.startswith("list "):
            t.lists[int(key[5:])] = value
        elif key.startswith("candidate "):
            lst, _, number = key[10:].partition(".")
            t.candidates[(int(lst), number, None)] = value
        else:
            t.counts[key] = value
    return t


def count_file(units: Units) -> CountFile:
    """A file: its ``total`` (when given) and every other unit."""
    stations = all(name.startswith("SB") for name in units if name != "total")
    return CountFile(source="x.xml", kind="510b" if stations else "510c",
                     level=Level.MUNICIPALITY if stations else Level.DISTRICT,
                     election=ElectionRef(id=ELECTION, category="GR"), authority_id="0999",
                     total=tally("total", units["total"]) if "total" in units else None,
                     units=[tally(name, fields) for name, fields in units.items() if name != "total"])


def bad_cells(units: Units) -> list[BadCell]:
    """The cells of an entry given as text: each one a cell the reader could not read."""
    out = []
    for column, (name, fields) in enumerate(units.items(), start=2):
        for row, (key, value) in enumerate(fields.items(), start=2):
            if isinstance(value, str):
                try:  # the reader's own refusal of the cell, word for word
                    parse_count(value, "x.csv", f"row {row}, column {column}")
                    continue  # text that reads as a count is a count
                except InputError as refused:
                    error = refused
                kind, cell_key = ("lists", int(key[5:])) if key.startswith("list ") else ("counts", key)
                out.append(BadCell(None if name == "total" else f"0999::{name}", kind, cell_key, row, column, error))
    return out


def _pv(example: Example) -> list[Finding]:
    (name, fields), = example.units.items()
    ctx = Context(Location(ELECTION), "x.xml", None, station=name == "station")
    return list(check_tally(tally(name, fields), ctx))


def _file(example: Example) -> list[Finding]:
    count = count_file(example.units)
    return [*check_file(count), *check_voter_cards(count)]


def _plausibility(example: Example) -> list[Finding]:
    return list(check_plausibility(count_file(example.units), DEFAULTS))


def _printed(example: Example) -> list[Finding]:
    """A PDF PV with the example's numbers: count keys as its boxes, ``list n`` as E.n,
    ``candidate n.c`` in its candidate table and ``table n`` as that table's total."""
    (_, fields), = example.units.items()
    pv = PdfPv("x.pdf", "na31-2", "0" * 64, "01-01-2030 00:00:00", 1, "0999", "Testdorp")
    letters = {key: letter for letter, key in BOX_KEYS.items()}
    for key, value in fields.items():
        assert isinstance(value, int)
        if key.startswith("list "):
            pv.printed.lists[int(key[5:])] = value
        elif key.startswith("table "):
            pv.printed.list_table_totals[int(key[6:])] = value
        elif key.startswith("candidate "):
            lst, _, number = key[10:].partition(".")
            pv.printed.candidates.setdefault(int(lst), {})[int(number)] = value
        else:
            pv.printed.boxes[letters[key]] = value
    return list(check_pv(pv, Location(ELECTION, authority="0999")))


def _entries(example: Example) -> list[Finding]:
    assert example.other is not None
    a, b = (Entry(count_file(units), bad_cells=bad_cells(units)) for units in (example.units, example.other))
    return compare(a, b).findings


RUNNERS: dict[Runner, Callable[[Example], list[Finding]]] = {
    Runner.PV: _pv, Runner.FILE: _file, Runner.PLAUSIBILITY: _plausibility, Runner.ENTRIES: _entries,
    Runner.PRINTED: _printed,
}


def run_example(example: Example) -> list[Finding]:
    """The findings the real checks give on ``example``, by its runner."""
    assert example.runner is not None
    return RUNNERS[example.runner](example)
