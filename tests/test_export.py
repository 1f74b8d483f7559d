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
}


def xpath_numbers(path: Path) -> set[tuple]:
    """(unit, kind, list, candidate, field, value) for every number in a 510, read with XPath."""
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
                cid = sel.find("e:Candidate/e:CandidateIdentifier", N).get("Id")
                found.add((unit, "candidate", current, cid, f"candidate {current}.{cid}", value))
        for el in g:
            key = (etree.QName(el).localname, el.get("ReasonCode"))
            if key in REASONS:
                found.add((unit, "count", None, None, REASONS[key], int(el.text)))
    return found


def as_tuples(exported) -> set[tuple]:
    return {(r.unit, r.kind, r.list, r.candidate, r.field, r.value) for r in exported}


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
    for r in exported:
        assert r.election == "GR2022_WestMaasenWaal" and r.authority == "0668" and r.source == str(path)
        if r.level == "stembureau":  # "Stembureau Dorpshuis De Hucht (postcode: 6626 AC)"
            assert names[r.unit] == f"Stembureau {r.unit_name} (postcode: {r.postcode})"
        else:
            assert (r.level, r.unit, r.unit_name, r.postcode) == ("gemeente", "0668", "West Maas en Waal", None)


@pytest.mark.realdata
def test_names_come_from_the_230b_and_one_publication_per_count(real_data: Path):
    folder = real_data / "GR2022" / "WestMaasenWaal"
    run = Export()
    exported = list(rows([folder], run))
    # the EML and the OSV CSV are the same count: exported once, from the EML
    assert {r.source for r in exported} == {str(folder / "Telling_GR2022_WestMaasenWaal.eml.xml")}
    assert run.not_exported == [(str(folder / "osv4-3_telling_gr2022_westmaasenwaal.csv"), str(folder / "Telling_GR2022_WestMaasenWaal.eml.xml"))]
    lists = etree.parse(str(folder / "Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml"))
    for aff in lists.iterfind(".//e:Affiliation", N):
        number = int(aff.find("e:AffiliationIdentifier", N).get("Id"))
        name = aff.findtext("e:AffiliationIdentifier/e:RegisteredName", namespaces=N)
        assert {r.list_name for r in exported if r.list == number} == {name}
        for cand in aff.iterfind("e:Candidate", N):
            pos = cand.find("e:CandidateIdentifier", N).get("Id")
            last = cand.findtext(".//xnl:LastName", namespaces=N)
            shown = {r.candidate_name for r in exported if r.list == number and r.candidate == pos}
            assert len(shown) == 1 and last in shown.pop(), (number, pos)


def test_absent_numbers_are_absent_rows(tmp_path: Path):
    data = make_510b(STATIONS).replace(b'<RejectedVotes ReasonCode="blanco">1</RejectedVotes>', b"", 1)
    path = tmp_path / "t.eml.xml"
    path.write_bytes(data)
    exported = list(rows([path]))
    blank = {r.unit for r in exported if r.field == "blank"}
    assert "0999::SB1" not in blank and {"0999::SB2", "0999::SB3"} <= blank  # absent, not 0
    assert len([r for r in exported if r.unit == "0999::SB1"]) == len([r for r in exported if r.unit == "0999::SB2"]) - 1


def test_cli_csv_opens_in_a_dutch_spreadsheet(tmp_path: Path, capsys, demo_510b: Path):
    assert cli.main(["export", str(demo_510b)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff")), delimiter=";"))
    assert tuple(table[0]) == COLUMNS
    sb1 = {r["field"]: r["value"] for r in table if r["unit"] == "0999::SB1"}
    assert sb1["list 1"] == "75" and sb1["candidate 2.2"] == "10" and sb1["blank"] == "1"
    assert "getallen geëxporteerd" in err


def test_cli_json_is_one_document_and_output_is_atomic(tmp_path: Path, capsys, demo_510b: Path):
    target = tmp_path / "out" / "numbers.json"
    assert cli.main(["export", str(demo_510b), "--format", "json", "-o", str(target), "--lang", "en"]) == 0
    _, err = capsys.readouterr()
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["schema"] == "osv-verify/export/1" and doc["input_errors"] == []
    assert len(doc["rows"]) == len(list(rows([demo_510b]))) and set(doc["rows"][0]) == set(COLUMNS)
    assert "numbers exported to" in err
    assert [p.name for p in target.parent.iterdir()] == ["numbers.json"]  # no temp file left


def test_cli_bad_file_is_one_line_and_the_rest_is_exported(tmp_path: Path, capsys, demo_510b: Path):
    bad = tmp_path / "broken.eml.xml"
    bad.write_bytes(b"<EML")
    target = tmp_path / "numbers.csv"
    assert cli.main(["export", str(demo_510b), str(bad), "-o", str(target)]) == 2
    _, err = capsys.readouterr()
    assert "Traceback" not in err and sum("broken.eml.xml" in line for line in err.splitlines()) == 1
    assert "0999::SB3" in target.read_text(encoding="utf-8")


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
    assert not any(r.candidate_name for r in rows([eml_file]) if r.kind == "candidate")  # a 510b numbers them only
    exported = [r for r in rows([eml_file, csv_file]) if r.kind == "candidate"]
    assert {r.source for r in exported} == {str(eml_file)}
    assert all(r.candidate_name for r in exported)
    reuvers = {r.candidate_name for r in exported if (r.list, r.candidate) == (1, "1")}
    assert len(reuvers) == 1 and "Reuvers" in reuvers.pop()
