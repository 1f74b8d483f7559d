"""Issue 20's differential test of the export: a sample of every real set in ``../shared/data``
(every set at least once) is exported file by file, and every row is derived again here by a
plain reading (lxml for EML, the csv module for an OSV4-3 CSV and the Kiesraad's research CSVs),
not by the project's readers, and must agree: the same numbers, no row more, no row less."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

import plain_reading as plain
from test_export import xpath_numbers

from osv_verify.app.export import Export, rows

pytestmark = pytest.mark.realdata

#: A sample of the count files of every real set (each set at least once).
EML = [
    "AB2019/Telling_AB2019_Fryslan_gemeente_Tytsjerksteradiel.eml.xml",
    "PS2019/Telling_PS2019_Fryslan_gemeente_Tytsjerksteradiel.eml.xml",
    "GR2022/WestMaasenWaal/Telling_GR2022_WestMaasenWaal.eml.xml",
    "GR2022/eml/Telling_GR2022_AaenHunze.eml.xml", "GR2022/eml/Telling_GR2022_DeBilt.eml.xml",
    "GR2022/eml/Telling_GR2022_Bloemendaal.eml.xml",
    "GR2026/Vlieland/Telling_GR2026_Vlieland.eml.xml", "GR2026/Renswoude/Telling_GR2026_Renswoude.eml.xml",
    "TK2021/Telling_TK2021_kieskring_Groningen.eml.xml", "TK2021/Totaaltelling_TK2021.eml.xml",
    "TK2025/Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml",
    "abacus-pv/Telling_GR2022_Ameland.eml.xml", "abacus-pv/WestMaasenWaal_corrigendum.eml.xml",
    "hcp/FAKE_TEST_DATA_TK2023_DORDRECHT/Fake_test_data_Telling_TK2023_gemeente_Dordrecht.eml.xml",
]
CSV = [
    "AB2019/osv4-3_Telling_AB2019_Fryslan_gemeente_Tytsjerksteradiel.csv",
    "PS2019/osv4-3_Telling_PS2019_Fryslan_gemeente_Tytsjerksteradiel.csv",
    "GR2022/WestMaasenWaal/osv4-3_telling_gr2022_westmaasenwaal.csv",
    "GR2022/osv4-3_bulk/osv4-3_telling_gr2022_almere.csv", "GR2022/osv4-3_bulk/osv4-3_telling_gr2022_debilt.csv",
    "GR2022/osv4-3_bulk/osv4-3_telling_gr2022_amsterdam.csv",
    "TK2023/osv/osv4-3-telling-tk2023-kieskring-leeuwarden.csv", "TK2023/osv/osv4-3_telling_tk2023_kieskring-1 groningen.csv",
    "TK2023/osv/osv4-3_telling_tk2023_kieskring_assen.csv",
    "TK2025/osv/osv4-3_telling_tk2025_gemeente_westmaasenwaal.csv",
]
#: The OSV4-3 CSV's row labels and the count each is (the plain reading's one table).
LABELS = plain.CSV_LABELS


def unit_of(code: str | None) -> str | None:
    """A unit as both sides can name it: ``SB3``/``3``/``0668::SB3`` -> ``3``, a total -> None."""
    if code is None:
        return None
    return code.rsplit("::", 1)[-1].removeprefix("SB").removeprefix("HSB").lstrip("0") or "0"


def exported(path: Path) -> set[tuple]:
    run = Export()
    out = list(rows([path], run))
    assert run.input_errors == []
    found = {(unit_of(r.unit), r.field, r.list, r.candidate, r.value) for r in out}
    assert len(found) == len(out)  # one row per number, none twice
    return found


@pytest.mark.parametrize("name", EML)
def test_every_eml_row_is_the_xml_read_plainly(real_data: Path, name: str):
    path = real_data / name
    plain = set()
    total_ids = {"CSB"}
    for unit, kind, lst, cand, field, value in xpath_numbers(path):
        u = None if "::" not in unit and not unit.startswith("HSB") or unit in total_ids else unit_of(unit)
        if unit.startswith("HSB") and "::" not in unit and "Totaaltelling" not in name:
            u = None  # a kieskring file's own total
        plain.add((u, field if kind == "count" else None, lst, cand, value))
    assert exported(path) == plain


def plain_csv(path: Path) -> set[tuple]:
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    header = next(i for i, r in enumerate(table) if r and r[0] == "Lijstnummer")
    codes = next((r for r in table if r and r[0] == "Gebiednummer"), None)
    width = len(table[header])
    units = [None] + [unit_of(c) for c in (codes[5:width] if codes else table[header][5:width])]
    found, current = set(), None
    for r in table[header + 1:]:
        if not r or r[0] in ("Gebiednummer", "Postcode") or len(r) < 5:
            continue
        cells = r[4:width]
        if r[0].isdigit():  # a list row
            current = int(r[0])
            found |= {(u, None, current, None, int(v)) for u, v in zip(units, cells) if v.strip()}
        elif r[2].strip():  # a candidate row
            found |= {(u, None, current, r[2].strip(), int(v)) for u, v in zip(units, cells) if v.strip()}
        elif r[1].strip() in LABELS:
            found |= {(u, LABELS[r[1].strip()], None, None, int(v)) for u, v in zip(units, cells) if v.strip()}
    return found


@pytest.mark.parametrize("name", CSV)
def test_every_osv_csv_row_is_the_csv_read_plainly(real_data: Path, name: str):
    path = real_data / name
    got = exported(path)
    plain = plain_csv(path)
    known = {r for r in got if r[1] is None or r[1] in LABELS.values()}  # a count under a label not in LABELS: not compared
    assert known == plain


def test_a_sample_of_the_research_rows_is_the_csv_read_plainly(real_data: Path):
    import zipfile

    path = real_data / "TK2025" / "kiesraad_csv" / "TK2025_CSV.zip"
    with zipfile.ZipFile(path) as z:
        stations = list(csv.DictReader(io.StringIO(z.read("TK2025_Stemmen_Per_Lijst_Per_Stembureau.csv").decode("utf-8-sig")), delimiter=";"))
        uitslag = list(csv.DictReader(io.StringIO(z.read("TK2025_uitslag.csv").decode("utf-8")), delimiter=";"))
    run = Export()
    out = list(rows([path], run))
    lists = {name: n for (_, n), name in run.lists.items()}
    by_station = {(r.municipality_code, r.unit, r.list): r.value for r in out if r.level == "stembureau"}
    for r in random.Random(24).sample(stations, 2000):
        assert by_station[(r["GemeenteCode"].zfill(4), r["StembureauCode"], lists[r["PartijNaam"]])] == int(r["AantalStemmen"])
    by_region = {(r.authority, r.field, r.list, r.candidate): r.value for r in out if r.level != "stembureau"}
    fields = {"Kiesgerechtigden": "eligible", "AantalGeldigeStemmen": "valid", "AantalBlancoStemmen": "blank",
              "AantalOngeldigeStemmen": "invalid", "Opkomst": "ballots_found"}
    people: dict[tuple[str, str], set[str]] = {}
    for r in uitslag:
        if r["VeldType"] == "KandidaatAantalStemmen":
            people.setdefault((r["LijstNummer"], r["KandidaatNummer"]), set()).add(r["KandidaatAchternaam"] + r["KandidaatInitialen"])
    for r in random.Random(20).sample([r for r in uitslag if r["VeldType"] != "KandidaatAantalStemmen" or r["RegioCode"][0] == "K"], 2000):
        what, value = r["VeldType"], int(r["Waarde"])
        if what == "KandidaatGekozen":
            continue
        key = ((r["RegioCode"], fields[what], None, None) if what in fields else
               (r["RegioCode"], "seats", lists[r["LijstNaam"]], None) if what == "LijstAantalZetels" else
               (r["RegioCode"], None, int(r["LijstNummer"]), None) if what == "LijstAantalStemmen" else
               (r["RegioCode"], None, int(r["LijstNummer"]), r["KandidaatNummer"]))
        if key[3] and len(people[(r["LijstNummer"], key[3])]) > 1:  # one number, other people per kieskring: named
            [key] = [k for k in by_region if k[:3] == key[:3] and k[3] and k[3].startswith(key[3] + " ")
                     and r["KandidaatAchternaam"] in k[3] and r["KandidaatInitialen"] in k[3]]
        assert by_region[key] == value, key
