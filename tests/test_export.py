"""The tidy export (``osv-verify export``, ``osv_verify.app.export``).

The real 510b is checked number for number against a direct lxml XPath reading of the XML
made here, with this test's own table of EML reason codes (not the reader's).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import STATIONS, make_510b
from lxml import etree

from osv_verify import cli
from osv_verify.app.export import COLUMNS, Export, rows

N = {"e": "urn:oasis:names:tc:evs:schema:eml", "xnl": "urn:oasis:names:tc:ciq:xsdschema:xNL:2.0"}
#: The EML_NL elements and reason codes of a PV's counts, as the EML_NL 510 documents them.
REASONS = {
    ("Cast", None): "eligible", ("TotalCounted", None): "valid",
    ("RejectedVotes", "blanco"): "blank", ("RejectedVotes", "ongeldig"): "invalid",
    ("UncountedVotes", "geldige stempassen"): "poll_cards", ("UncountedVotes", "geldige volmachtbewijzen"): "proxy_certificates",
    ("UncountedVotes", "geldige kiezerspassen"): "voter_cards", ("UncountedVotes", "toegelaten kiezers"): "admitted",
    ("UncountedVotes", "meer getelde stembiljetten"): "more_ballots", ("UncountedVotes", "minder getelde stembiljetten"): "fewer_ballots",
    ("UncountedVotes", "meegenomen stembiljetten"): "taken_home", ("UncountedVotes", "te weinig uitgereikte stembiljetten"): "too_few_issued",
    ("UncountedVotes", "te veel uitgereikte stembiljetten"): "too_many_issued", ("UncountedVotes", "geen verklaring"): "no_explanation",
    ("UncountedVotes", "andere verklaring"): "other_explanation",
    ("UncountedVotes", "geen briefstembiljetten"): "no_postal_ballot", ("UncountedVotes", "te veel briefstembiljetten"): "too_many_postal_ballots",
    ("UncountedVotes", "kwijtgeraakte stembiljetten"): "lost_ballots",
}


def xpath_numbers(path: Path) -> set[tuple]:
    """(unit id, kind, list, candidate, field, value) for every number in a 510, read with XPath."""
    tree = etree.parse(str(path))
    authority = tree.find(".//e:ManagingAuthority/e:AuthorityIdentifier", N).get("Id")
    found: set[tuple] = set()
    groups = [(authority, g) for g in tree.findall(".//e:TotalVotes", N)]
    groups += [(g.find("e:ReportingUnitIdentifier", N).get("Id"), g) for g in tree.findall(".//e:ReportingUnitVotes", N)]
    for unit, g in groups:
        current = None
        for sel in g.findall("e:Selection", N):
            value = int(sel.findtext("e:ValidVotes", namespaces=N))
            aff = sel.find("e:AffiliationIdentifier", N)
            if aff is not None:
                current = int(aff.get("Id"))
                found.add((unit, "list", current, None, f"list {current}", value))
            else:
                ident = sel.find("e:Candidate/e:CandidateIdentifier", N)
                cid = ident.get("Id") or ident.get("ShortCode")  # a 510d names candidates by ShortCode only
                found.add((unit, "candidate", current, cid, f"candidate {current}.{cid}", value))
        for el in g:
            key = (etree.QName(el).localname, el.get("ReasonCode"))
            if key in REASONS:
                found.add((unit, "count", None, None, REASONS[key], int(el.text)))
    return found


def as_tuples(exported, authority: str = "0668") -> set[tuple]:
    """The export's rows in ``xpath_numbers``'s shape."""
    out = set()
    for r in exported:
        unit = authority if r.unit is None else f"{authority}::{r.unit}"
        kind = "count" if r.field else "candidate" if r.candidate else "list"
        field = r.field or (f"candidate {r.list}.{r.candidate}" if r.candidate else f"list {r.list}")
        out.add((unit, kind, r.list, r.candidate, field, r.value))
    return out


@pytest.mark.realdata
def test_real_510b_exports_every_number_as_the_xml_has_it(real_data: Path):
    path = real_data / "GR2022" / "WestMaasenWaal" / "Telling_GR2022_WestMaasenWaal.eml.xml"
    run = Export()
    exported = list(rows([path], run))
    assert run.input_errors == []
    expected = xpath_numbers(path)
    assert len(exported) == len(expected) == len(as_tuples(exported))  # one row per number, none twice
    assert as_tuples(exported) == expected
    tree = etree.parse(str(path))
    names = {u.get("Id"): u.text for u in tree.iterfind(".//e:ReportingUnitVotes/e:ReportingUnitIdentifier", N)}
    for r in exported:  # the municipality on every row, the source relative to what was passed
        assert (r.election, r.authority, r.municipality_code, r.municipality, r.source) == (
            "GR2022_WestMaasenWaal", "0668", "0668", "West Maas en Waal", 1)
        assert r.level == ("gemeente" if r.unit is None else "stembureau")
    assert [s.file for s in run.sources] == ["Telling_GR2022_WestMaasenWaal.eml.xml"]
    for s in run.stations:  # "Stembureau Dorpshuis De Hucht (postcode: 6626 AC)"
        assert names[f"0668::{s.unit}"] == f"Stembureau {s.name} (postcode: {s.postcode[:4]} {s.postcode[4:]})"
    assert len(run.stations) == len(names)


@pytest.mark.realdata
def test_names_come_from_the_230b_and_one_publication_per_count(real_data: Path):
    folder = real_data / "GR2022" / "WestMaasenWaal"
    run = Export()
    exported = list(rows([folder], run))
    # the EML and the OSV CSV are the same count with the same numbers: exported once, from the EML
    assert {r.source for r in exported if r.field != "elected"} == {1}  # and the 520's elected (source 3)
    assert [(s.file, s.exported, s.same_as, s.differences) for s in run.sources] == [
        ("Telling_GR2022_WestMaasenWaal.eml.xml", True, None, None),
        ("osv4-3_telling_gr2022_westmaasenwaal.csv", False, 1, 0),
        ("Resultaat_GR2022_WestMaasenWaal.eml.xml", True, None, None)]
    assert run.not_exported == [("osv4-3_telling_gr2022_westmaasenwaal.csv", "Telling_GR2022_WestMaasenWaal.eml.xml")]
    assert run.disagreeing == []
    lists = etree.parse(str(folder / "Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml"))
    list_names = {n: name for (_, n), name in run.lists.items()}
    cand_names = {(n, c): name for (_, n, c), name in run.candidates.items()}
    for aff in lists.iterfind(".//e:Affiliation", N):
        number = int(aff.find("e:AffiliationIdentifier", N).get("Id"))
        assert list_names[number] == aff.findtext("e:AffiliationIdentifier/e:RegisteredName", namespaces=N)
        for cand in aff.iterfind("e:Candidate", N):
            pos = cand.find("e:CandidateIdentifier", N).get("Id")
            assert cand.findtext(".//xnl:LastName", namespaces=N) in cand_names[(number, pos)], (number, pos)
    assert {(r.list, r.candidate) for r in exported if r.candidate} <= set(cand_names)


def test_absent_numbers_are_absent_rows(tmp_path: Path):
    data = make_510b(STATIONS).replace(b'<RejectedVotes ReasonCode="blanco">1</RejectedVotes>', b"", 1)
    path = tmp_path / "t.eml.xml"
    path.write_bytes(data)
    exported = list(rows([path]))
    blank = {r.unit for r in exported if r.field == "blank"}
    assert "SB1" not in blank and {"SB2", "SB3"} <= blank  # absent, not 0
    assert len([r for r in exported if r.unit == "SB1"]) == len([r for r in exported if r.unit == "SB2"]) - 1


def test_cli_csv_opens_in_a_dutch_spreadsheet(tmp_path: Path, capsys, demo_510b: Path):
    assert cli.main(["export", str(demo_510b)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff")), delimiter=";"))
    assert tuple(table[0]) == COLUMNS
    sb1 = {(r["field"], r["list"], r["candidate"]): r["value"] for r in table if r["unit"] == "SB1"}
    assert sb1[("", "1", "")] == "75" and sb1[("", "2", "2")] == "10" and sb1[("blank", "", "")] == "1"
    assert "getallen geëxporteerd" in err


def test_cli_json_is_one_document_and_output_is_atomic(tmp_path: Path, capsys, demo_510b: Path):
    target = tmp_path / "out" / "numbers.json"
    target.parent.mkdir()  # a missing folder is refused, never made
    assert cli.main(["export", str(demo_510b), "--format", "json", "-o", str(target), "--lang", "en"]) == 0
    _, err = capsys.readouterr()
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["schema"] == "osv-verify/export/2" and doc["input_errors"] == []
    assert len(doc["numbers"]) == len(list(rows([demo_510b]))) and set(doc["numbers"][0]) == set(COLUMNS)
    assert [s["file"] for s in doc["sources"]] == [demo_510b.name] and len(doc["stations"]) == 3
    assert "numbers exported to" in err
    assert [p.name for p in target.parent.iterdir()] == ["numbers.json"]  # no temp file left


def test_cli_bad_file_is_one_line_and_the_rest_is_exported(tmp_path: Path, capsys, demo_510b: Path):
    bad = tmp_path / "broken.eml.xml"
    bad.write_bytes(b"<EML")
    target = tmp_path / "numbers.csv"
    assert cli.main(["export", str(demo_510b), str(bad), "-o", str(target)]) == 2
    _, err = capsys.readouterr()
    assert "Traceback" not in err and sum("broken.eml.xml" in line for line in err.splitlines()) == 1
    assert ";SB3;" in target.read_text(encoding="utf-8")


def test_cli_refuses_to_overwrite_an_input(tmp_path: Path, capsys, demo_510b: Path):
    before = demo_510b.read_bytes()
    assert cli.main(["export", str(demo_510b), "-o", str(demo_510b)]) == 2
    assert demo_510b.read_bytes() == before
    assert cli.main(["export", str(tmp_path / "nothing-here")]) == 2


def test_output_file_gets_ordinary_permissions(tmp_path: Path, capsys, demo_510b: Path):
    import os

    umask = os.umask(0o022)
    try:
        target = tmp_path / "numbers.csv"
        assert cli.main(["export", str(demo_510b), "-o", str(target)]) == 0
        assert target.stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600
    finally:
        os.umask(umask)


@pytest.mark.realdata
def test_without_a_230b_the_osv_csv_names_the_candidates(real_data: Path):
    folder = real_data / "GR2022" / "WestMaasenWaal"
    eml_file, csv_file = folder / "Telling_GR2022_WestMaasenWaal.eml.xml", folder / "osv4-3_telling_gr2022_westmaasenwaal.csv"
    alone = Export()
    list(rows([eml_file], alone))
    assert alone.candidates == {}  # a 510b numbers them only
    run = Export()
    exported = [r for r in rows([eml_file, csv_file], run) if r.candidate]
    assert {r.source for r in exported} == {1}
    assert all((r.election, r.list, r.candidate) in run.candidates for r in exported)
    assert "Reuvers" in run.candidates[("GR2022_WestMaasenWaal", 1, "1")]


# ---------------------------------------------------------------- issue 20: postcodes, disagreeing publications


def csv_postcodes(path: Path) -> dict[str, str]:
    """SBn -> postcode (1234AB) from an OSV4-3 CSV's Gebiednummer and Postcode rows, read with csv."""
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    numbers = next(r for r in table if r and r[0] == "Gebiednummer")
    postcodes = next(r for r in table if r and r[0] == "Postcode")
    return {f"SB{n}": pc.replace(" ", "") for n, pc in zip(numbers[5:], postcodes[5:]) if n and pc.strip()}


@pytest.mark.realdata
def test_a_csv_only_municipality_keeps_every_station_postcode(real_data: Path):
    # issue 20: the export dropped every postcode that came from an OSV4-3 CSV
    for name in ("osv4-3_telling_gr2022_debilt.csv", "osv4-3_telling_gr2022_almere.csv"):
        path = real_data / "GR2022" / "osv4-3_bulk" / name
        run = Export()
        list(rows([path], run))
        expected = csv_postcodes(path)
        assert expected and {s.unit: s.postcode for s in run.stations if s.postcode} == expected


def _mutated_pair(real_data: Path, tmp_path: Path, changes: int) -> tuple[Path, Path]:
    """West Maas en Waal's EML and its OSV CSV, with ``changes`` station numbers of the CSV raised by 1."""
    folder = real_data / "GR2022" / "WestMaasenWaal"
    eml_copy = tmp_path / "Telling_GR2022_WestMaasenWaal.eml.xml"
    eml_copy.write_bytes((folder / eml_copy.name).read_bytes())
    table = list(csv.reader(io.StringIO((folder / "osv4-3_telling_gr2022_westmaasenwaal.csv").read_text(encoding="utf-8-sig")),
                            delimiter=";"))
    changed = 0
    for cells in table:
        if changed < changes and cells and cells[0].isdigit() and cells[1]:  # a list row: bump one station's list total
            cells[5] = str(int(cells[5]) + 1)
            changed += 1
    assert changed == changes
    csv_copy = tmp_path / "osv4-3_telling_gr2022_westmaasenwaal.csv"
    with open(csv_copy, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\n").writerows(table)
    return eml_copy, csv_copy


@pytest.mark.realdata
def test_a_publication_that_disagrees_is_exported_and_named(real_data: Path, tmp_path: Path, capsys):
    # issue 20: an OSV CSV that differs from the EML of the same count was skipped as "the same count"
    eml_copy, csv_copy = _mutated_pair(real_data, tmp_path, changes=2)
    run = Export()
    exported = list(rows([tmp_path], run))
    from osv_verify.app.verify import verify

    sources = [f for f in verify([tmp_path]).findings if f.code == "AGG.SOURCES"]
    assert run.disagreeing == [(csv_copy.name, eml_copy.name, len(sources))] and len(sources) >= 2
    assert {r.source for r in exported} == {1, 2}  # both publications, each row saying which
    from_csv = {(r.unit, r.field, r.list, r.candidate): r.value for r in exported if r.source == 2}
    from_eml = {(r.unit, r.field, r.list, r.candidate): r.value for r in exported if r.source == 1}
    differ = {k for k in from_csv.keys() & from_eml.keys() if from_csv[k] != from_eml[k]}
    assert {(k[0], k[2]) for k in differ if k[0]} == {("SB1", 1), ("SB1", 2)}
    assert cli.main(["export", str(tmp_path), "-o", str(tmp_path / "out.csv")]) == 0
    err = capsys.readouterr().err
    assert f"LET OP: {csv_copy.name} en {eml_copy.name} zijn dezelfde telling maar verschillen in {len(sources)} getallen" in err


@pytest.mark.realdata
def test_de_bilt_csv_and_eml_disagree_and_both_are_exported(real_data: Path):
    gr = real_data / "GR2022"
    eml_file, csv_file = gr / "eml" / "Telling_GR2022_DeBilt.eml.xml", gr / "osv4-3_bulk" / "osv4-3_telling_gr2022_debilt.csv"
    run = Export()
    list(rows([eml_file, csv_file], run))
    from osv_verify.app.verify import verify

    sources = [f for f in verify([eml_file, csv_file]).findings if f.code == "AGG.SOURCES"]
    assert run.disagreeing == [(csv_file.name, eml_file.name, len(sources))] and len(sources) > 100


@pytest.mark.realdata
def test_a_520_exports_its_elected_instead_of_nothing(real_data: Path):
    """Fix round: a 520 alone printed a header, "geen telbestanden" and exit 2; its elected
    candidates are now rows (field elected, value 1, so a sum per list is the seats)."""
    path = real_data / "GR2022" / "WestMaasenWaal" / "Resultaat_GR2022_WestMaasenWaal.eml.xml"
    tree = etree.parse(str(path))
    plain: dict[int, list[str]] = {}
    affiliation = None
    for sel in tree.iter("{*}Selection"):
        if sel.find("{*}AffiliationIdentifier") is not None:
            affiliation = int(sel.find("{*}AffiliationIdentifier").get("Id"))
        elif sel.findtext("{*}Elected") == "yes":
            plain.setdefault(affiliation, []).append(sel.find(".//{*}CandidateIdentifier").get("Id"))
    run = Export()
    got = list(rows([path], run))
    assert [s.kind for s in run.sources] == ["520"]
    assert {(r.field, r.value) for r in got} == {("elected", 1)}
    by_list: dict[int, list[str]] = {}
    for r in got:
        by_list.setdefault(r.list, []).append(r.candidate)
    assert by_list == plain and sum(map(len, plain.values())) == 17


@pytest.mark.realdata
def test_the_research_data_keep_their_elected_and_the_names_of_their_regions(real_data: Path):
    """Fix round: the 150 KandidaatGekozen rows were in no table, and K12, P28, L528 had no name."""
    import zipfile

    with zipfile.ZipFile(real_data / "TK2025" / "kiesraad_csv" / "TK2025_CSV.zip") as z:
        uitslag = list(csv.DictReader(io.StringIO(z.read("TK2025_uitslag.csv").decode("utf-8-sig")), delimiter=";"))
    elected = [r for r in uitslag if r["VeldType"] == "KandidaatGekozen" and r["Waarde"] == "1"]
    names = {r["RegioCode"]: r["Regio"] for r in uitslag}
    run = Export()
    got = [r for r in rows([real_data / "TK2025" / "kiesraad_csv"], run) if r.field == "elected"]
    assert len(got) == len(elected) == 150
    seats = {}
    for r in got:
        seats[r.list] = seats.get(r.list, 0) + r.value
    plain_seats = {}
    for r in uitslag:
        if r["VeldType"] == "LijstAantalZetels" and int(r["Waarde"]):
            plain_seats[r["LijstNaam"]] = int(r["Waarde"])
    assert {run.lists[("TK2025", n)]: v for n, v in seats.items()} == plain_seats
    regions = {r.authority: r.name for r in run.table("regions")}
    assert regions == names and (regions["K12"], regions["P28"], regions["L528"]) == ("'s-Gravenhage", "Zuid-Holland", "Nederland")
