"""Double entry: ``compare`` on a real 510b and its OSV CSV, then with one change on one side."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from osv_verify import cli
from osv_verify.compare import compare
from osv_verify.io import eml, osv_csv
from osv_verify.model import CountFile

pytestmark = pytest.mark.realdata
EML = "TK2025/Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml"
CSV = "TK2025/osv/osv4-3_telling_tk2025_gemeente_westmaasenwaal.csv"


@pytest.fixture(scope="module")
def pair(real_data: Path) -> tuple[CountFile, CountFile]:
    a = eml.read_count((real_data / EML).open("rb"), str(real_data / EML))
    b = osv_csv.read_osv_csv((real_data / CSV).read_bytes(), str(real_data / CSV))
    return a, b


def doubles(result) -> set[tuple]:
    return {(f.code, f.location.unit, f.field, f.expected, f.actual) for f in result.findings if f.code.startswith("DOUBLE.")}


def changed(count: CountFile) -> CountFile:
    return count.model_copy(update={"units": [copy.deepcopy(u) for u in count.units], "total": copy.deepcopy(count.total)})


def test_published_eml_and_csv_agree(pair):
    a, b = pair
    result = compare(a, b)
    assert doubles(result) == set()
    assert result.units_compared == len(a.units) == 11 and result.units_identical == 11
    assert result.agree


def unit(count: CountFile, uid: str):
    return next(u for u in count.units if u.id == uid)


def test_each_change_is_reported_exactly_once(pair):
    a, b = pair
    b2 = changed(b)
    sb3 = unit(b2, "0668::SB3")
    key = next(k for k in sb3.candidates if k[0] == 2 and k[1] == "4")
    sb3.candidates[key] += 10
    unit(b2, "0668::SB5").lists[1] -= 1
    unit(b2, "0668::SB7").counts["blank"] += 2
    unit(b2, "0668::SB8").counts["no_explanation"] = 3
    old = {
        "cand": unit(a, "0668::SB3").candidates[(2, "4", None)],
        "list": unit(a, "0668::SB5").lists[1],
        "blank": unit(a, "0668::SB7").counts["blank"],
        "expl": unit(a, "0668::SB8").counts["no_explanation"],
    }
    result = compare(a, b2)
    assert doubles(result) == {
        ("DOUBLE.DIFFERENT", "0668::SB3", "candidate 2.4", old["cand"], old["cand"] + 10),
        ("DOUBLE.DIFFERENT", "0668::SB5", "list 1", old["list"], old["list"] - 1),
        ("DOUBLE.DIFFERENT", "0668::SB7", "blank", old["blank"], old["blank"] + 2),
        ("DOUBLE.DIFFERENT", "0668::SB8", "no_explanation", old["expl"], 3),
    }
    assert result.units_different == 4
    assert result.fields_different == 4 and not result.agree
    # and B on its own is now wrong where the changes broke its arithmetic
    own_b = {(f.code, f.location.unit) for f in result.findings if f.source == b.source and not f.code.startswith("DOUBLE")}
    assert ("F.402", "0668::SB3") in own_b and ("F.402", "0668::SB5") in own_b


def test_missing_and_swapped_stations(pair):
    a, b = pair
    b2 = changed(b)
    b2.units = [u for u in b2.units if u.id != "0668::SB11"]
    s1, s2 = unit(b2, "0668::SB1"), unit(b2, "0668::SB2")
    s1.id, s2.id = s2.id, s1.id
    result = compare(a, b2)
    found = doubles(result)
    assert ("DOUBLE.UNIT_MISSING", "0668::SB11", "unit", None, None) in found
    diffs = [f for f in found if f[0] == "DOUBLE.DIFFERENT"]
    assert {f[1] for f in diffs} == {"0668::SB1", "0668::SB2"}
    # every field that differs between the two stations, once per station
    a1, a2 = unit(a, "0668::SB1"), unit(a, "0668::SB2")
    differing = [k for k in a1.lists if a1.lists[k] != a2.lists[k]]
    assert {(f[1], f[2]) for f in diffs if f[2].startswith("list ")} == {
        (uid, f"list {k}") for k in differing for uid in ("0668::SB1", "0668::SB2")}


def test_blank_template_gives_findings_not_a_crash(pair, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    a, _ = pair
    blank = tmp_path / "invoer.csv"
    blank.write_bytes(osv_csv.write_osv_csv(a, blank=True))
    code = cli.main(["compare", str(blank), a.source, "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 1
    # a blank sheet is not filled in, unit by unit: never "identical", never a list of 1,000 fields
    assert "0668::SB1: nothing filled in in A (B has " in out and "11 units compared: 0 identical" in out
    assert "11 not filled in" in out and "DOUBLE.EMPTY" not in out
    assert "Checks on entry A:\n  nothing filled in: not checked" in out


def test_cli_exit_0_when_agreeing(real_data, capsys):
    code = cli.main(["compare", str(real_data / EML), str(real_data / CSV)])
    assert code == 0 and "De invoeren komen overeen." in capsys.readouterr().out
