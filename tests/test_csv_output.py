"""``--format csv`` of verify and compare: UTF-8 with BOM, ``;``, one column per part of the location."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import STATIONS, make_510b

from osv_verify import cli
from osv_verify.report.listing import COLUMNS


def table(capsys, *args: object) -> list[dict[str, str]]:
    cli.main([str(a) for a in args])
    out = capsys.readouterr().out
    assert out.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff")), delimiter=";"))


def test_compare_csv_splits_the_location(tmp_path: Path, capsys):
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    a.write_bytes(make_510b(STATIONS))
    changed = {**STATIONS, "SB2": {**STATIONS["SB2"], 2: [61, 3]}}  # candidate 2.1 at SB2: 60 -> 61
    b.write_bytes(make_510b(changed))
    rows = table(capsys, "compare", a, b, "--format", "csv", "--min-severity", "info")
    assert rows and list(rows[0]) == COLUMNS
    cand = next(r for r in rows if r["code"] == "DOUBLE.DIFFERENT" and r["field"] == "candidate 2.1" and r["unit"] == "0999::SB2")
    assert (cand["election"], cand["authority"], cand["list"], cand["candidate"]) == ("GR2030_Testdorp", "0999", "2", "1")
    assert (cand["expected"], cand["actual"], cand["difference"]) == ("60", "61", "1")


def test_verify_csv_puts_text_values_in_their_own_columns(tmp_path: Path, capsys):
    path = tmp_path / "t.xml"
    path.write_bytes(make_510b(STATIONS, created="2030-03-19T10:00:00.000"))  # before election day (2030-03-20)
    rows = table(capsys, "verify", path, "--format", "csv", "--min-severity", "info")
    early = next(r for r in rows if r["code"] == "META.CREATED_EARLY")
    assert (early["expected"], early["actual"]) == ("", "")
    assert early["expected_text"] == "2030-03-20" and early["actual_text"].startswith("2030-03-19")
