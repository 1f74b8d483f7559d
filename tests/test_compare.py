"""Double entry: ``compare`` on a real 510b and its OSV CSV, then with one change on one side."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from osv_verify import cli
from osv_verify.app.compare import compare
from osv_verify.io import eml, osv_csv
from osv_verify.io.osv_csv_write import write_osv_csv
from osv_verify.core.model import CountFile

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
    blank.write_bytes(write_osv_csv(a, blank=True))
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


# ---- the safe entry workflow (issue 14) ------------------------------------------------

GR = "GR2022/WestMaasenWaal/Telling_GR2022_WestMaasenWaal.eml.xml"


def sheet_lines(count: CountFile) -> list[str]:
    """The published numbers typed into a blank sheet, as CSV lines."""
    from test_template import fill

    return fill(write_osv_csv(count, blank=True), count).decode("utf-8-sig").splitlines()


def write_sheet(path: Path, lines: list[str]) -> Path:
    path.write_bytes(("\ufeff" + "\n".join(lines)).encode())
    return path


def set_cell(lines: list[str], label: str, column: int, value: str) -> int:
    """Type ``value`` into the cell (row labelled ``label``, 1-based ``column``); returns the row."""
    i = next(i for i, ln in enumerate(lines) if ln.split(";")[1:2] == [label])
    cells = lines[i].split(";")
    cells[column - 1] = value
    lines[i] = ";".join(cells)
    return i + 1


def test_other_election_is_one_line_and_exit_2(real_data, capsys):
    code = cli.main(["compare", str(real_data / EML), str(real_data / GR)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        "osv-verify: fout: A en B zijn geen invoer van dezelfde telling (A: TK 2025-10-29, gemeente 0668; "
        "B: GR 2022-03-16, gemeente 0668); niets vergeleken"]
    assert cli.main(["compare", str(real_data / EML), str(real_data / GR), "--lang", "en"]) == 2
    assert "A and B are not entries of the same count" in capsys.readouterr().err


def test_other_authority_or_level_is_not_the_same_count(pair):
    from osv_verify.app.compare import NotTheSameCount
    from osv_verify.core.identity import same_count
    from osv_verify.core.model import Level

    a, b = pair
    assert same_count(a, b)  # EML and CSV of one count: ids and kinds differ, the count does not
    other_authority = b.model_copy(update={"authority_id": "0669"})
    other_level = b.model_copy(update={"level": Level.DISTRICT})
    other_date = b.model_copy(update={"election": b.election.model_copy(update={"date": None})})
    assert not same_count(a, other_authority) and not same_count(a, other_level)
    assert same_count(a, other_date)  # a part one side does not state does not decide
    with pytest.raises(NotTheSameCount):
        compare(a, other_authority)


def test_empty_column_is_not_filled_in_never_identical(real_data, pair, tmp_path, capsys):
    a, _ = pair
    lines = sheet_lines(a)
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Gebiednummer"))
    col = lines[start].split(";").index("1") + 1  # station 1's column
    for i in range(start + 1, len(lines)):
        cells = lines[i].split(";")
        if cells[0] != "Postcode":
            cells[col - 1] = ""  # nothing typed in for station 1
            lines[i] = ";".join(cells)
    one = write_sheet(tmp_path / "invoer-1.csv", lines)
    two = write_sheet(tmp_path / "invoer-2.csv", lines)
    code = cli.main(["compare", str(one), str(two), "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 1
    assert "11 units compared: 10 identical, 0 with differences, 1 not filled in" in out
    assert "0668::SB1: nothing filled in in A or B; not compared" in out
    code = cli.main(["compare", str(one), str(real_data / EML)])
    out = capsys.readouterr().out
    assert code == 1 and "0668::SB1: niets ingevuld in A (B heeft " in out and "10 gelijk" in out


def test_empty_cell_shows_the_other_value_and_the_cell(real_data, pair, tmp_path, capsys):
    a, _ = pair
    lines = sheet_lines(a)
    row = set_cell(lines, "blanco stembiljetten", 6, "")  # column 6: station 1
    blank_sb1 = unit(a, "0668::SB1").counts["blank"]
    sheet = write_sheet(tmp_path / "invoer.csv", lines)
    code = cli.main(["compare", str(sheet), str(real_data / EML)])
    out = capsys.readouterr().out
    assert code == 1
    line = next(ln for ln in out.splitlines() if "DOUBLE.EMPTY" in ln)
    assert f"0668::SB1: blanco stemmen niet ingevuld in invoer A (B heeft {blank_sb1}); cel: rij {row}, kolom 6 (" in line
    code = cli.main(["compare", str(sheet), str(real_data / EML), "--lang", "en"])
    line = next(ln for ln in capsys.readouterr().out.splitlines() if "DOUBLE.EMPTY" in ln)
    assert f"blank votes not filled in on side A (B has {blank_sb1}); cell: row {row}, column 6 (" in line


def test_bad_cells_are_reported_and_the_comparison_goes_on(real_data, pair, tmp_path, capsys):
    a, _ = pair
    lines = sheet_lines(a)
    r1 = set_cell(lines, "blanco stembiljetten", 6, '12a')  # text in a number cell
    r2 = set_cell(lines, "ongeldige stembiljetten", 7, '-3')  # a negative number
    valid_sb3 = unit(a, "0668::SB3").counts["valid"]
    set_cell(lines, "geldige stembiljetten", 8, str(valid_sb3 + 1))  # and a plain typing error
    sheet = write_sheet(tmp_path / "invoer.csv", lines)
    code = cli.main(["compare", str(sheet), str(real_data / EML), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    found = {(f["code"], f["location"]["unit"], f["field"]) for f in data["findings"] if f["code"].startswith("DOUBLE.")}
    assert found == {("DOUBLE.BAD_CELL", "0668::SB1", "blank"), ("DOUBLE.BAD_CELL", "0668::SB2", "invalid"),
                     ("DOUBLE.DIFFERENT", "0668::SB3", "valid")}
    bad = next(f for f in data["findings"] if f["code"] == "DOUBLE.BAD_CELL" and f["field"] == "blank")
    assert f"cel rij {r1}, kolom 6 in invoer A is niet te lezen" in bad["message"]
    assert f"(B heeft {unit(a, '0668::SB1').counts['blank']})" in bad["message"]
    assert data["summary"]["bad_cells"] == 2 and data["summary"]["units_with_differences"] == 3
    neg = next(f for f in data["findings"] if f["code"] == "DOUBLE.BAD_CELL" and f["field"] == "invalid")
    assert f"rij {r2}, kolom 7" in neg["message"]
    # verify still reads strictly: the same sheet is an input error there
    assert cli.main(["verify", str(sheet)]) == 2
    assert f"rij {r1}, kolom 6: aantal '12a' is geen geheel getal" in capsys.readouterr().err
