"""Entry templates: blank sheets that, filled in with the real numbers, equal the published file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import NS

from osv_verify import cli
from osv_verify.app.compare import compare
from osv_verify.io import eml, osv_csv
from osv_verify.io.osv_csv_write import write_osv_csv

pytestmark = pytest.mark.realdata


def fill(template: bytes, count) -> bytes:
    """Type the published numbers into the blank sheet, cell by cell, like a person would."""
    rows = list(csv.reader(io.StringIO(template.decode("utf-8-sig")), delimiter=";"))
    numbers = next(r for r in rows if r and r[0] == "Gebiednummer")[5:]
    units = {u.id.rsplit("::SB", 1)[1]: u for u in count.units}
    tallies = [count.total] + [units[n] for n in numbers]
    current = None
    for row in rows:
        if len(row) < 5 or row[0] in ("Lijstnummer", "Gebiednummer", "Postcode", "Verkiezing"):
            continue
        if row[0] == "" and row[1]:
            key = osv_csv.ROW_LABELS[row[1].strip()]
            cells = [t.votes_cast if key == "ballots_found" else t.counts.get(key) for t in tallies]
        elif row[0].isdigit():
            current = int(row[0])
            cells = [t.lists.get(current) for t in tallies]
        elif row[2].isdigit():
            cells = [t.candidates.get((current, row[2], None)) for t in tallies]
        else:
            continue
        row[4:] = ["" if v is None else str(v) for v in cells]
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def test_template_filled_with_real_numbers_equals_the_510b(real_data: Path, tmp_path: Path, capsys):
    published = real_data / "TK2025" / "Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml"
    lists = real_data / "TK2025" / "Kandidatenlijsten_TK2025_Nijmegen.eml.xml"
    sheet = tmp_path / "invoer.csv"
    assert cli.main(["template", str(published), str(lists), "-o", str(sheet)]) == 0
    blank = sheet.read_bytes()
    assert blank.startswith(b"\xef\xbb\xbf") and b'"Gebied";;"Gemeente West Maas en Waal"' in blank
    assert "Wilders, G." in blank.decode("utf-8")  # candidate names from the 230b
    count = eml.read_count(published.open("rb"), str(published))
    filled = tmp_path / "ingevuld.csv"
    filled.write_bytes(fill(blank, count))
    result = compare(count, osv_csv.read_osv_csv(filled.read_bytes(), str(filled)))
    assert [f for f in result.findings if f.code.startswith("DOUBLE.")] == []
    assert result.units_identical == len(count.units) == 11


def test_half_filled_template_names_the_empty_fields(real_data: Path, tmp_path: Path):
    published = real_data / "TK2025" / "Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml"
    count = eml.read_count(published.open("rb"), str(published))
    text = fill(write_osv_csv(count, blank=True), count).decode("utf-8-sig")
    lines = text.splitlines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith(";blanco stembiljetten"))
    cells = lines[i].split(";")
    cells[5] = ""  # column 6, station 1: its blank votes not typed in
    lines[i] = ";".join(cells)
    half = osv_csv.read_osv_csv(("\ufeff" + "\n".join(lines)).encode(), "half.csv")
    result = compare(half, count)
    empty = [f for f in result.findings if f.code == "DOUBLE.EMPTY"]
    assert len(empty) == 1 and empty[0].location.unit == "0668::SB1" and "blank" in empty[0].message_en


def test_template_from_polling_stations_and_lists(real_data: Path, tmp_path: Path):
    stations = tmp_path / "Stembureaus_GR2026_Vlieland.eml.xml"
    stations.write_text(
        f'<EML {NS} Id="110b" SchemaVersion="5"><TransactionId>1</TransactionId><ElectionEvent><EventIdentifier></EventIdentifier>'
        '<Election><ElectionIdentifier Id="GR2026_Vlieland"><ElectionName>Gemeenteraad Vlieland 2026</ElectionName>'
        '<ElectionCategory>GR</ElectionCategory><kr:ElectionDomain Id="0096">Vlieland</kr:ElectionDomain>'
        '<kr:ElectionDate>2026-03-18</kr:ElectionDate></ElectionIdentifier><Contest><ContestIdentifier Id="geen"></ContestIdentifier>'
        '<ReportingUnit><ReportingUnitIdentifier Id="0096">Vlieland</ReportingUnitIdentifier></ReportingUnit>'
        '<VotingMethod>SPV</VotingMethod>'
        '<PollingPlace Channel="polling"><PhysicalLocation><Address><Locality><xal:LocalityName>De Vliestroom</xal:LocalityName>'
        '<xal:PostalCode><xal:PostalCodeNumber>8899 BE</xal:PostalCodeNumber></xal:PostalCode></Locality></Address>'
        '<PollingStation Id="1">1060</PollingStation></PhysicalLocation></PollingPlace>'
        '<PollingPlace Channel="polling"><PhysicalLocation><Address><xal:AddressLine>Stembureau Haven (postcode: 8899 AA)</xal:AddressLine>'
        '</Address><PollingStation Id="2"></PollingStation></PhysicalLocation></PollingPlace>'
        "</Contest></Election></ElectionEvent></EML>",
        encoding="utf-8",
    )
    lists = real_data / "GR2026" / "Vlieland" / "Kandidatenlijsten_GR2026_Vlieland.eml.xml"
    sheet = tmp_path / "invoer.csv"
    assert cli.main(["template", str(stations), str(lists), "-o", str(sheet)]) == 0
    back = osv_csv.read_osv_csv(sheet.read_bytes(), str(sheet))
    assert [u.id for u in back.units] == ["0096::SB1", "0096::SB2"]
    assert back.list_names[1] == "Lijst Fier" and not back.units[0].counts and not back.units[0].lists
    assert "Lanting, R.A." in sheet.read_text(encoding="utf-8-sig")


def test_template_never_overwrites_without_force(real_data: Path, tmp_path: Path, capsys):
    published = real_data / "GR2022" / "WestMaasenWaal" / "Telling_GR2022_WestMaasenWaal.eml.xml"
    sheet = tmp_path / "invoer-1.csv"
    sheet.write_text("a filled-in sheet", encoding="utf-8")
    assert cli.main(["template", str(published), "-o", str(sheet)]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"osv-verify: fout: {sheet} bestaat al (misschien een ingevuld invoerblad); geef --force om het te overschrijven"]
    assert sheet.read_text(encoding="utf-8") == "a filled-in sheet"
    assert cli.main(["template", str(published), "-o", str(sheet), "--lang", "en"]) == 2
    assert "exists (perhaps a filled-in sheet); give --force" in capsys.readouterr().err
    assert cli.main(["template", str(published), "-o", str(sheet), "--force"]) == 0
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbf\"Verkiezing\"")


@pytest.mark.parametrize("names_from, named", [
    ("osv4-3_telling_gr2022_westmaasenwaal.csv", 251),  # every candidate
    ("Resultaat_GR2022_WestMaasenWaal.eml.xml", 17),  # the 520 names the 17 elected
    ("Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml", 251),
])
def test_template_from_510b_takes_names_from_any_input(real_data: Path, tmp_path: Path, capsys, names_from, named):
    folder = real_data / "GR2022" / "WestMaasenWaal"
    sheet = tmp_path / "invoer.csv"
    assert cli.main(["template", str(folder / "Telling_GR2022_WestMaasenWaal.eml.xml"), str(folder / names_from),
                     "-o", str(sheet)]) == 0
    assert f"21 stembureaus, 8 lijsten, {named} kandidaten met naam" in capsys.readouterr().err
    back = osv_csv.read_osv_csv(sheet.read_bytes(), str(sheet))
    names = {k[:2]: n for k, n in back.candidate_names.items()}
    assert len(names) == named and names[(1, "1")] == "Reuvers, R.A.N."  # list 1, first candidate
    assert not any(u.candidates or u.counts for u in back.units)  # and still blank


def test_template_from_510b_alone_has_no_names_and_says_so(real_data: Path, tmp_path: Path, capsys):
    published = real_data / "GR2022" / "WestMaasenWaal" / "Telling_GR2022_WestMaasenWaal.eml.xml"
    assert cli.main(["template", str(published), "-o", str(tmp_path / "t.csv"), "--lang", "en"]) == 0
    assert "21 polling stations, 8 lists, 0 named candidates" in capsys.readouterr().err
