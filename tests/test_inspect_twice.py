"""``inspect`` shows a count published twice (its EML 510b and its OSV4-3 CSV) once (issue 20)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from lxml import etree

from osv_verify import cli

N = {"e": "urn:oasis:names:tc:evs:schema:eml"}

CASES = [("PS2019", "Telling_PS2019_Fryslan_gemeente_Tytsjerksteradiel.eml.xml",
          "osv4-3_Telling_PS2019_Fryslan_gemeente_Tytsjerksteradiel.csv")]


def _stations(path: Path) -> int:
    """The stations of a 510b, by a plain lxml read."""
    return len(etree.parse(str(path)).findall(".//e:ReportingUnitVotes", N))


def _run(capsys, *args: str) -> str:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_ps2019_eml_and_csv_are_one_count(capsys, real_data: Path, lang: str):
    folder = real_data / "PS2019"
    eml_name, csv_name = CASES[0][1], CASES[0][2]
    stations = _stations(folder / eml_name)
    assert stations == 25
    doc = json.loads(_run(capsys, "inspect", folder, "--format", "json", "--lang", lang))
    (info,) = doc["elections"]
    assert info["reporting_units"] == stations
    assert info["levels"] == {"gemeente": 1}
    (twice,) = info["published_twice"]
    assert [Path(f).name for f in twice["files"]] == [eml_name, csv_name]
    rows = list(csv.reader(_run(capsys, "inspect", folder, "--format", "csv", "--lang", lang).lstrip("\ufeff").splitlines(), delimiter=";"))
    row = dict(zip(rows[0], rows[1]))
    assert row["units"] == str(stations) and eml_name in row["published_twice"] and csv_name in row["published_twice"]
    word = "twee vormen" if lang == "nl" else "two forms"
    md = _run(capsys, "inspect", folder, "--format", "markdown", "--lang", lang)
    assert f"| {stations} |" in md and word in md and csv_name in md
    table = _run(capsys, "inspect", folder, "--lang", lang)
    assert " 25 " in table and " 50 " not in table


def test_tk2025_west_maas_en_waal_counted_once(capsys, real_data: Path):
    eml_path = real_data / "TK2025" / "Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml"
    csvs = sorted((real_data / "TK2025" / "osv").glob("*.csv"))
    if not eml_path.is_file() or not csvs:
        pytest.skip("TK2025 West Maas en Waal not present")
    stations = _stations(eml_path)
    assert stations == 11
    doc = json.loads(_run(capsys, "inspect", eml_path, *csvs, "--format", "json"))
    (info,) = [e for e in doc["elections"] if e["reporting_units"]]
    assert info["reporting_units"] == stations
    assert len(info["published_twice"]) == 1
