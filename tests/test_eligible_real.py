"""Eligible voters (``Cast``) on the real files (issue 20), against a plain lxml / csv reading.

A total's ``Cast`` of 0 is W.205 (Abacus's CSB warning); a station's ``Cast`` of 0 or 1 is a
publishing convention, said once per file (TALLY.STATION_ELIGIBLE) with the number of stations
that publish it, counted here again from the raw files.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from lxml import etree

from osv_verify.app.verify import verify
from osv_verify.core.findings import Severity

pytestmark = pytest.mark.realdata
N = {"e": "urn:oasis:names:tc:evs:schema:eml"}


def stations_0_or_1(path: Path) -> int:
    """The stations of a 510b or an OSV4-3 CSV whose eligible voters are 0 or 1, read plainly."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            row = next(r for r in csv.reader(fh, delimiter=";") if len(r) > 1 and r[1] == "opgeroepenen")
        return sum(cell.strip() in ("0", "1") for cell in row[5:] if cell.strip())
    root = etree.parse(str(path))
    return sum(c.text.strip() in ("0", "1") for c in root.iterfind(".//e:ReportingUnitVotes/e:Cast", N))


@pytest.mark.parametrize("folder, stations, files, totals", [
    ("eml", 569, 60, {"Telling_GR2022_Beverwijk.eml.xml", "Telling_GR2022_Doetinchem.eml.xml"}),
    ("osv4-3_bulk", 771, 64, {"osv4-3_telling_gr2022_beverwijk.csv", "osv4-3_telling_gr2022_doetinchem.csv"}),
])
def test_gr2022_station_eligible_once_per_file_and_w205_on_totals(real_data, folder, stations, files, totals):
    """Each folder on its own (a CSV beside its identical EML is not checked twice)."""
    path = real_data / "GR2022" / folder
    said: dict[str, int] = {}
    w205 = set()
    for e in verify([path]).elections:
        for f in e.findings:
            if f.code == "TALLY.STATION_ELIGIBLE":
                assert f.severity is Severity.INFO and Path(f.source).name not in said  # once per file
                said[Path(f.source).name] = f.actual
            elif f.code == "W.205":
                w205.add(Path(f.source).name)
            assert f.code != "W.206", f.message("en")
    plain = {p.name: n for p in path.iterdir() if p.name.startswith(("Telling_", "osv4-3_")) and (n := stations_0_or_1(p))}
    assert said == plain
    assert (sum(plain.values()), len(plain)) == (stations, files)
    assert w205 == totals


def test_tk2021_w205_are_the_kiesraads_own_notes(real_data):
    """The Kiesraad's notes list six municipalities with 0 eligible voters in the kieskring 510c
    files; W.205 names exactly those, and no W.206 (the Wadden islands' voter cards)."""
    result = verify([real_data / "TK2021"])
    found = {f.location.unit for e in result.elections for f in e.findings if f.code == "W.205"}
    # Bloemendaal, Haarlem, Zandvoort (Haarlem), Leidschendam-Voorburg, Weststellingwerf, Berg en Dal
    assert found == {"HSB10::0377", "HSB10::0392", "HSB10::0473", "HSB15::1916", "HSB2::0098", "HSB6::1945"}
    assert not [f for e in result.elections for f in e.findings if f.code == "W.206"]


def test_one_cast_copied_onto_every_station_is_said_once_per_file(real_data):
    """Fix round (issue 20): Culemborg publishes 23,168 (its register) on 16 of its 19 stations,
    Beuningen 1,186 on all 18 (together its 21,348): TALLY.STATION_ELIGIBLE_COPY, once per file,
    and on no other file of GR2022 (read plainly: the opgeroepenen row of each CSV)."""
    bulk = real_data / "GR2022" / "osv4-3_bulk"
    plain = {}
    for p in bulk.glob("*.csv"):
        row = next((line.split(";") for line in p.read_text(encoding="utf-8-sig").splitlines() if line.startswith(";opgeroepenen;")), None)
        if row is None:
            continue
        above = [int(v) for v in row[5:] if v.strip() and int(v) > 1]
        if len(above) >= 10 and len(set(above)) == 1:
            plain[p.name] = (len(above), above[0])
    assert plain == {"osv4-3_telling_gr2022_culemborg.csv": (16, 23168), "osv4-3_telling_gr2022_beuningen.csv": (18, 1186)}
    found = [f for e in verify([bulk]).elections for f in e.findings if f.code == "TALLY.STATION_ELIGIBLE_COPY"]
    assert sorted(Path(f.source).name for f in found) == sorted(plain)  # once per file
    for f in found:
        n, value = plain[Path(f.source).name]
        assert f.severity is Severity.INFO and f.actual == n and f" {value} " in f.message_nl
