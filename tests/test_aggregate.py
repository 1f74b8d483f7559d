"""Aggregation checks on small hand-written files: totals, diagnoses, levels, definitions."""

from __future__ import annotations

import io

from conftest import STATIONS, make_510b

from osv_verify.checks.aggregate import Summary, check_file, check_levels
from osv_verify.io import eml
from osv_verify.core.model import CountFile, Level, Tally


def read(data: bytes) -> CountFile:
    return eml.read_count(io.BytesIO(data), "t.xml")


def codes(count: CountFile) -> list[tuple]:
    return sorted((f.code, f.location.unit, f.field) for f in check_file(count))


def test_consistent_file_is_clean():
    assert codes(read(make_510b(STATIONS))) == []


def test_a_station_left_out_of_the_total_is_named_once():
    count = read(make_510b(STATIONS))
    sb2 = count.units[1]
    total = count.total
    total.counts = {k: v - sb2.counts.get(k, 0) for k, v in total.counts.items()}
    total.lists = {k: v - sb2.lists[k] for k, v in total.lists.items()}
    total.candidates = {k: v - sb2.candidates[k] for k, v in total.candidates.items()}
    assert codes(count) == [("AGG.UNIT_LEFT_OUT", "0999::SB2", "unit")]


def test_a_station_counted_twice_in_the_total_is_named_once():
    count = read(make_510b(STATIONS))
    sb3 = count.units[2]
    total = count.total
    total.counts = {k: v + sb3.counts.get(k, 0) for k, v in total.counts.items()}
    total.lists = {k: v + sb3.lists[k] for k, v in total.lists.items()}
    total.candidates = {k: v + sb3.candidates[k] for k, v in total.candidates.items()}
    found = codes(count)
    assert found == [("AGG.UNIT_TWICE", "0999::SB3", "unit")]


def test_a_single_wrong_number_is_not_blamed_on_a_station():
    count = read(make_510b(STATIONS, total_override={"blank": 4}))
    assert codes(count) == [("AGG.TOTAL", None, "blank")]


def test_levels_compare_a_gemeente_total_with_its_column_above():
    lower = read(make_510b(STATIONS))
    copy = Tally(id="HSB3::0999", counts=dict(lower.total.counts), lists=dict(lower.total.lists),
                 candidates=dict(lower.total.candidates))
    copy.counts["invalid"] += 5
    upper = CountFile(source="k.xml", kind="510c", level=Level.DISTRICT, election=lower.election,
                      authority_id="HSB3", contest_id="geen", units=[copy], total=None)
    found = [(f.code, f.location.unit, f.field, f.expected, f.actual) for f in
             check_levels([Summary.of(lower), Summary.of(upper)])]
    assert found == [("AGG.LEVEL", "HSB3::0999", "invalid", 3, 8)]
    upper.units = []
    # the gemeente file names no kieskring (contest "geen"): nothing says it belongs in HSB3,
    # so it is not missing there; its upward comparison could not be made
    found = [(f.code, f.location.unit) for f in check_levels([Summary.of(lower), Summary.of(upper)])]
    assert found == [("AGG.NO_LEVEL_ABOVE", None)]
    # a TK 510b names its kieskring as its contest: then HSB3 should list it
    lower.contest_id = "3"
    found = [(f.code, f.location.unit) for f in check_levels([Summary.of(lower), Summary.of(upper)])]
    assert found == [("AGG.MISSING_UNIT", "HSB3::0999")]
