"""The Kiesraad's research CSVs (issue 24): read completely by content, agree with the EML where
both are given, add up on their own, and a mutated copy gives exactly the findings of its
mutations. The expected numbers are read here with csv and lxml, not the project's readers."""

from __future__ import annotations

import csv
import functools
import io
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from lxml import etree

from osv_verify import cli
from osv_verify.app.export import Export, rows
from osv_verify.app.verify import verify
from osv_verify.checks.research import check_research
from osv_verify.io import kiesraad_csv
from osv_verify.io.discover import discover
from osv_verify.core.text import Text

ZIP = Path("TK2025") / "kiesraad_csv" / "TK2025_CSV.zip"
WMW_510B = Path("TK2025") / "Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml"
UITSLAG, STATIONS = "TK2025_uitslag.csv", "TK2025_Stemmen_Per_Lijst_Per_Stembureau.csv"
N = {"e": "urn:oasis:names:tc:evs:schema:eml"}


@functools.cache
def members(real_data: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(real_data / ZIP) as z:
        return {name: z.read(name) for name in (UITSLAG, STATIONS)}


@functools.cache
def plain(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture(scope="module")
def research(real_data_module: Path) -> kiesraad_csv.Research:
    files = [kiesraad_csv.read(data, name) for name, data in members(real_data_module).items()]
    return kiesraad_csv.combine("TK2025", files)


@pytest.fixture(scope="module")
def real_data_module() -> Path:
    from conftest import REAL

    if not REAL.is_dir():
        pytest.skip("real published data not found")
    return REAL


@pytest.mark.realdata
def test_both_files_are_recognised_by_content_in_the_zip_and_renamed(real_data: Path, tmp_path: Path):
    inv = discover([real_data / ZIP])
    assert sorted(e.kind for e in inv.entries) == ["kr-stembureaus", "kr-uitslag"]
    assert {e.election.id for e in inv.entries} == {"TK2025"} and [s.name.rsplit("!", 1)[1] for s in inv.skipped] == ["README_TK2025.txt"]
    renamed = tmp_path / "download.csv"
    renamed.write_bytes(members(real_data)[UITSLAG])
    assert [e.kind for e in discover([renamed]).entries] == ["kr-uitslag"]


@pytest.mark.realdata
def test_every_station_and_every_level_is_read(real_data: Path, research: kiesraad_csv.Research):
    data = members(real_data)
    stations = plain(data[STATIONS])
    by_station: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for r in stations:
        by_station[(r["GemeenteCode"].zfill(4), r["StembureauCode"])][r["PartijNaam"]] = int(r["AantalStemmen"])
    read = {(code, t.code): t for code, ts in research.stations.items() for t in ts}
    assert len(read) == len(by_station) == 10_085
    names = research.uitslag.list_names
    for key, votes in by_station.items():
        assert {names[n]: v for n, v in read[key].lists.items()} == votes
    uitslag = plain(data[UITSLAG])
    regions = Counter(r["RegioCode"][0] for r in {r["RegioCode"]: r for r in uitslag}.values())
    assert regions == Counter(r.code[0] for r in research.uitslag.regions.values()) == {"G": 343, "K": 20, "P": 13, "O": 3, "L": 1}
    # every number of the uitslag is one exported row; KandidaatGekozen one row (field elected) per elected candidate
    run = Export()
    exported = list(rows([real_data / ZIP], run))
    assert run.input_errors == [] and len(exported) == len(stations) + sum(
        r["VeldType"] != "KandidaatGekozen" or r["Waarde"] == "1" for r in uitslag)


@pytest.mark.realdata
def test_west_maas_en_waal_agrees_number_for_number_with_its_510b(real_data: Path):
    tree = etree.parse(str(real_data / WMW_510B))
    names = {a.get("Id"): a.findtext("e:RegisteredName", namespaces=N) for a in tree.iterfind(".//e:AffiliationIdentifier", N)}
    from_eml: dict[str, dict[str, int]] = {}
    for unit in tree.iterfind(".//e:ReportingUnitVotes", N):
        code = unit.find("e:ReportingUnitIdentifier", N).get("Id").split("::")[1]
        from_eml[code] = {names[s.find("e:AffiliationIdentifier", N).get("Id")]: int(s.findtext("e:ValidVotes", namespaces=N))
                          for s in unit.iterfind("e:Selection", N) if s.find("e:AffiliationIdentifier", N) is not None}
    from_csv: dict[str, dict[str, int]] = defaultdict(dict)
    for r in plain(members(real_data)[STATIONS]):
        if r["GemeenteCode"] == "668":
            from_csv[r["StembureauCode"]][r["PartijNaam"]] = int(r["AantalStemmen"])
    assert from_csv == from_eml and len(from_eml) == 11
    # and verify finds no difference between them, nor in the research data's own sums
    result = verify([real_data / ZIP, real_data / WMW_510B])
    assert [f.code for f in result.findings if f.code.startswith(("AGG.RESEARCH", "SEATS.RESEARCH"))] == []
    assert result.input_errors == []


@pytest.mark.realdata
def test_own_sums_and_seats_check_out(research: kiesraad_csv.Research):
    assert list(check_research(research)) == []
    land = research.regions("land")[0]
    assert sum(land.seats.values()) == 150 and len(land.elected) == 150


def _mutate(real_data: Path, tmp_path: Path) -> Path:
    """A copy of both files with three mutations: a station's list votes (+1), a kieskring's
    blank votes (+5), the seats of list 14 (Volt, +1)."""
    data = {k: v.decode("utf-8") for k, v in members(real_data).items()}
    lines = data[STATIONS].split("\r\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("668;") and ";SB1;" in line and line.endswith(";BBB;61"))
    lines[at] = lines[at].removesuffix(";61") + ";62"
    data[STATIONS] = "\r\n".join(lines)
    old = "Groningen;K1;P20;L528;;;;;;;;;;;AantalBlancoStemmen;"
    at = data[UITSLAG].index(old) + len(old)
    end = data[UITSLAG].index("\n", at)
    blank = int(data[UITSLAG][at:end])
    data[UITSLAG] = data[UITSLAG][:at] + str(blank + 5) + data[UITSLAG][end:]
    assert "Nederland;L528;;;;;Volt;;;;;;;;LijstAantalZetels;1\n" in data[UITSLAG]
    data[UITSLAG] = data[UITSLAG].replace("Nederland;L528;;;;;Volt;;;;;;;;LijstAantalZetels;1\n", "Nederland;L528;;;;;Volt;;;;;;;;LijstAantalZetels;2\n")
    folder = tmp_path / "mutated"
    folder.mkdir()
    for name, text in data.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder


@pytest.mark.realdata
def test_a_mutated_copy_gives_exactly_the_findings_of_its_mutations(real_data: Path, tmp_path: Path):
    folder = _mutate(real_data, tmp_path)
    result = verify([folder, real_data / WMW_510B])
    assert result.input_errors == []
    got = sorted((f.code, f.location.authority, f.location.unit, f.field, f.expected, f.actual) for f in result.findings
                 if f.code.startswith(("AGG.RESEARCH", "SEATS.RESEARCH")))
    assert got == sorted([
        # the station: against the 510b, and its gemeente no longer adds up from its stations
        ("AGG.RESEARCH", "0668", "0668::SB1", "list 6", 61, 62),
        ("AGG.RESEARCH_SUM", "G0668", None, "list 6", _list_votes(real_data, "G0668", "6") + 1, _list_votes(real_data, "G0668", "6")),
        # the kieskring's blank votes: its gemeenten, its province and H = E + F + G
        ("AGG.RESEARCH_SUM", "K1", None, "blank", _sum_blank(real_data, "K1"), _sum_blank(real_data, "K1") + 5),
        ("AGG.RESEARCH_SUM", "K1", None, "ballots_found", _h(real_data, "K1") + 5, _h(real_data, "K1")),
        ("AGG.RESEARCH_SUM", "P20", None, "blank", _sum_blank(real_data, "K1") + 5, _sum_blank(real_data, "K1")),
        # Volt's seats: neither the law nor the elected rows give 2
        ("SEATS.RESEARCH", "L528", None, "list 14", 1, 2),
        ("SEATS.RESEARCH", "L528", None, "list 14", 1, 2),
    ])


def _uitslag_value(real_data: Path, code: str, what: str) -> int:
    return next(int(r["Waarde"]) for r in plain(members(real_data)[UITSLAG]) if r["RegioCode"] == code and r["VeldType"] == what)


def _list_votes(real_data: Path, code: str, number: str) -> int:
    return next(int(r["Waarde"]) for r in plain(members(real_data)[UITSLAG])
                if r["RegioCode"] == code and r["VeldType"] == "LijstAantalStemmen" and r["LijstNummer"] == number)


def _sum_blank(real_data: Path, code: str) -> int:
    return _uitslag_value(real_data, code, "AantalBlancoStemmen")


def _h(real_data: Path, code: str) -> int:
    return _uitslag_value(real_data, code, "Opkomst")


def test_the_stations_file_alone_is_one_input_error(tmp_path: Path, capsys):
    path = tmp_path / STATIONS
    path.write_text('"GemeenteCode";"GemeenteNaam";"Postcode";"StembureauNaam";"StembureauCode";"PartijNaam";"AantalStemmen"\r\n'
                    '1;Testdorp;"1234AB";Stembureau X;SB1;"A";5\r\n', encoding="utf-8")
    assert cli.main(["verify", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"{path}: the lists in this file are named only; their numbers are in the uitslag" in err and "Traceback" not in err


def test_a_bad_number_is_one_line_naming_file_and_line(tmp_path: Path):
    path = tmp_path / UITSLAG
    header = ";".join(kiesraad_csv.UITSLAG)
    path.write_text(f"{header}\nNederland;L1;;;;;A;;;;;;;;LijstAantalZetels;twee\n", encoding="utf-8")
    from osv_verify.core.errors import InputError

    with pytest.raises(InputError) as err:
        kiesraad_csv.read(path.read_bytes(), str(path))
    assert err.value.message.startswith(f"{path}: line 2, column Waarde: ")


@pytest.mark.realdata
def test_jobs_compare_each_count_with_its_part_of_the_research_data(real_data: Path, tmp_path: Path):
    # two municipal counts, so --jobs checks them in worker processes, each with only its part
    wmw = (real_data / WMW_510B).read_bytes()
    other = tmp_path / "Telling_TK2025_gemeente_Groningen.eml.xml"
    other.write_bytes(wmw.replace(b'Id="0668', b'Id="0014'))
    inputs = [real_data / ZIP, real_data / WMW_510B, other]
    one = sorted(map(repr, verify(inputs).findings))
    assert sorted(map(repr, verify(inputs, jobs=2).findings)) == one
    assert any("AGG.RESEARCH'" in f and "'0014'" in f for f in one)  # Groningen's numbers are not West Maas en Waal's


@pytest.mark.realdata
def test_research_only_is_partly_verified_and_its_errors_count_in_their_parts(real_data: Path, tmp_path: Path):
    """Fix round: the research CSVs alone were "niet gecontroleerd" (exit 4) though their checks
    ran; now they are a part of the verdict, their seats the seat part, and errors count there."""
    from osv_verify.app.verdict import Status
    from osv_verify.checks.rule import PartKey

    verdict = verify([real_data / "TK2025" / "kiesraad_csv"]).elections[0].verdict
    assert verdict.status is Status.PARTLY
    parts = {p.key: p for p in verdict.parts}
    assert parts[PartKey.RESEARCH].done and parts[PartKey.RESEARCH].errors == 0
    assert "10085" in parts[PartKey.RESEARCH].what.nl  # the stations file's stations (wc: its distinct SB codes)
    assert parts[PartKey.SEATS].done and parts[PartKey.SEATS].errors == 0
    assert not parts[PartKey.STATIONS].done and "niets over de uitslag" not in (parts[PartKey.STATIONS].means or Text("", "")).nl
    mutated = verify([_mutate(real_data, tmp_path)]).elections[0]
    parts = {p.key: p for p in mutated.verdict.parts}
    assert mutated.verdict.status is Status.PARTLY
    assert parts[PartKey.RESEARCH].errors == 4  # G0668 list 6, K1 blank and ballots_found, P20 blank (no 510b here)
    assert parts[PartKey.SEATS].errors == 2 and parts[PartKey.SEATS].done


@pytest.mark.realdata
def test_station_names_lose_their_stembureau_prefix_with_or_without_a_postcode(real_data: Path, tmp_path: Path):
    """Fix round: Almere SB123 has no postcode in the research CSV and kept "Stembureau "."""
    out = tmp_path / "stations.csv"
    assert cli.main(["export", str(real_data / ZIP), "-t", "stations", "-o", str(out)]) == 0
    with out.open(encoding="utf-8-sig") as f:
        stations = {(r["municipality_code"], r["unit"]): r for r in csv.DictReader(f, delimiter=";")}
    raw = {(r["GemeenteCode"].zfill(4), r["StembureauCode"]): r for r in plain(members(real_data)[STATIONS])}
    assert raw[("0034", "SB123")]["StembureauNaam"] == "Stembureau Drive-Through 1 Doemere" and not raw[("0034", "SB123")]["Postcode"]
    assert stations[("0034", "SB123")]["name"] == "Drive-Through 1 Doemere"
    # the prefix goes once: Leeuwarden's stations are called "Stembureau Stembureau Stadhuis" in the file
    assert not [k for k, s in stations.items() if (s["name"] or "").startswith("Stembureau ")
                and not raw[k]["StembureauNaam"].startswith("Stembureau Stembureau ")]
    assert len(stations) == len(raw)


@pytest.mark.realdata
def test_research_sources_are_marked_derived_so_a_sum_counts_each_vote_once(real_data: Path):
    """Fix round: the research CSV and the 510b of West Maas en Waal were both level 'stembureau'
    with nothing telling them apart, so a plain SUM counted the municipality twice."""
    run = Export()
    got = list(rows([real_data / ZIP, real_data / WMW_510B], run))
    derived = {s.source: s.derived for s in run.sources}
    assert {s.kind: s.derived for s in run.sources} == {"510b": False, "kr-uitslag": True, "kr-stembureaus": True}
    station_votes = [r for r in got if r.level == "stembureau" and r.municipality_code == "0668" and r.field is None and r.candidate is None]
    everything = sum(r.value for r in station_votes)
    counted_once = sum(r.value for r in station_votes if not derived[r.source])
    plain_once = sum(int(r["AantalStemmen"]) for r in plain(members(real_data)[STATIONS]) if r["GemeenteCode"] == "668")
    assert counted_once == plain_once and everything == 2 * plain_once
