"""The printed PVs of ../shared/data/abacus-pv against their EML files: every pairing and every
deliberate inconsistency its README describes is reported, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from osv_verify.app.verify import verify
from osv_verify.checks.printed import check_pv, check_seats, compare_numbers
from osv_verify.checks.rule import PartKey
from osv_verify.core.findings import Location
from osv_verify.io.discover import discover, load
from osv_verify.io.pdf_pv import read_pdf_pv

pytestmark = pytest.mark.realdata


def printed_findings(report) -> list[tuple[str, str | None, int | None, int | None]]:
    return sorted((f.code, f.field, f.expected, f.actual) for f in report.findings if f.part == PartKey.PRINTED.value)


@pytest.fixture(scope="module")
def run(real_data: Path):
    return verify([real_data / "abacus-pv"])


def test_every_pairing_as_the_readme_describes(run) -> None:
    pairs = {Path(pv).name: (model, Path(eml).name, same)
             for e in run.elections if e.printed for pv, model, eml, same in e.printed.pvs}
    assert pairs == {
        "WestMaasenWaal_Na31-2.pdf": ("na31-2", "Telling_GR2022_WestMaasenWaal.eml.xml", True),
        "Ameland_Na31-2.pdf": ("na31-2", "Telling_GR2022_Ameland.eml.xml", True),
        "BaarleNassau_Na31-2.pdf": ("na31-2", "Telling_GR2022_BaarleNassau.eml.xml", True),
        # the tampered PV names Ameland but carries Baarle-Nassau's hash: paired by content
        "Ameland_Na31-2_tampered.pdf": ("na31-2", "Telling_GR2022_Ameland.eml.xml", False),
        "WestMaasenWaal_Na14-2.pdf": ("na14-2", "WestMaasenWaal_corrigendum.eml.xml", True),
    }
    # the template examples have no EML: skipped, never paired with a real file
    assert sum(1 for name in run.skipped if name.endswith(".pdf")) == 17


def test_exactly_the_deliberate_inconsistencies_and_nothing_else(run) -> None:
    by_election = {e.id: printed_findings(e) for e in run.elections}
    assert by_election["GR2022_BaarleNassau"] == []
    assert by_election["GR2022_WestMaasenWaal"] == []
    hash_ = next(f for e in run.elections for f in e.findings if f.code == "PV.HASH")
    assert "Telling_GR2022_BaarleNassau.eml.xml" in hash_.message_en
    assert by_election["GR2022_Ameland"] == sorted([
        ("F.202", "valid", 2169, 2159),  # E.1 + ... + E.6 = 2169, box E 2159
        ("PV.HASH", "sha256", None, None),
        ("PV.NUMBER", "list 3", 257, 267),
        ("PV.NUMBER", "candidate 3.1", 92, 102),
    ])


def test_the_corrigendum_is_compared_with_both_counts(run, real_data: Path) -> None:
    wmw = next(e for e in run.elections if e.id == "GR2022_WestMaasenWaal")
    part = next(p for p in wmw.verdict.parts if p.key is PartKey.PRINTED)
    assert part.done and part.errors == 0  # the original column was compared too (nothing left unchecked)
    # the check can fail: the original numbers against the corrected count differ exactly where the README says
    pv = read_pdf_pv((real_data / "abacus-pv" / "WestMaasenWaal_Na14-2.pdf").read_bytes(), "WestMaasenWaal_Na14-2.pdf")
    corrected, = [load(e) for e in discover([real_data / "abacus-pv" / "WestMaasenWaal_corrigendum.eml.xml"]).entries]
    found = {(f.field, f.expected, f.actual) for f in compare_numbers(pv, pv.original, corrected.total, "c.xml", Location("e"), "PV.ORIGINAL")}
    assert found == {("poll_cards", 8122, 8121), ("admitted", 9399, 9398), ("valid", 9352, 9350), ("blank", 20, 21),
                     ("more_ballots", 0, 1), ("fewer_ballots", 0, 1), ("list 2", 1347, 1345), ("list 4", 1156, 1157),
                     ("list 8", 672, 671), ("candidate 2.1", 621, 619), ("candidate 4.1", 315, 314),
                     ("candidate 4.3", 197, 199), ("candidate 8.1", 146, 145)}


def test_the_template_examples_own_inconsistencies(real_data: Path) -> None:
    """The Na 14-2 examples' candidates do not add up to their list totals (README): F.402."""
    path = real_data / "abacus-pv" / "abacus-examples" / "model-na-14-2-GR.pdf"
    pv = read_pdf_pv(path.read_bytes(), path.name)
    codes = {f.code for f in check_pv(pv, Location("e"))}
    assert "F.402" in codes


def test_p22_2_seats_against_an_allocation(real_data: Path) -> None:
    path = real_data / "abacus-pv" / "abacus-examples" / "gte-19-seats.pdf"
    pv = read_pdf_pv(path.read_bytes(), path.name)
    assert list(check_seats(pv, pv.seats, Location("e"))) == []
    moved = {**pv.seats, 1: pv.seats[1] - 1, 2: pv.seats[2] + 1}
    assert [(f.code, f.field) for f in check_seats(pv, moved, Location("e"))] == [("PV.SEATS", "list 1"), ("PV.SEATS", "list 2")]


def test_the_json_names_each_pairing_and_validates(capsys, real_data: Path) -> None:
    from tests.test_schema import check, output

    pv = real_data / "abacus-pv"
    doc = output(capsys, "verify", pv / "Telling_GR2022_Ameland.eml.xml", pv / "Ameland_Na31-2_tampered.pdf",
                 "--format", "json", "--lang", "en")
    check("findings", doc)
    election, = doc["summary"]["elections"]
    assert election["printed"]["pvs"] == [{"pv": str(pv / "Ameland_Na31-2_tampered.pdf"), "model": "na31-2",
                                           "eml": str(pv / "Telling_GR2022_Ameland.eml.xml"), "hash_agrees": False}]
    part, = [p for p in election["verdict"]["parts"] if p["key"] == "printed"]
    assert part["done"] and part["errors"] == 4


def test_a_pv_that_prints_less_than_the_eml_does_not_agree(real_data: Path) -> None:
    """An attacker's minimal PDF with the right footer hash and one true number is not a match."""
    from osv_verify.io.pdf_pv import parse_pv

    page = ("Gemeente 0060 Ameland\nModel Na 31-2\n3.054 Z Kiesgerechtigden\n"
            "Datum: 16-03-2022 23:43:17. Digitale vingerafdruk van EML-telbestand bij dit PV:\n"
            "76e5 35f2 cced d5a3 cadd 4a40 1db1 9b86 2948 c3cf 9286 09d6 7122 b075 4e35 112f\n")
    pv = parse_pv([page], "forged.pdf")
    count, = [load(e) for e in discover([real_data / "abacus-pv" / "Telling_GR2022_Ameland.eml.xml"]).entries]
    found = list(compare_numbers(pv, pv.printed, count.total, "eml", Location("e")))
    assert {f.code for f in found} == {"PV.MISSING"}
    assert {"poll_cards", "list 3", "candidate 3.1"} <= {f.field for f in found}
    assert "eligible" not in {f.field for f in found}


def test_the_html_report_shows_the_part(real_data: Path) -> None:
    from osv_verify.core.findings import Severity
    from osv_verify.report.html.verify_page import render_verify

    pv = real_data / "abacus-pv"
    result = verify([pv / "Telling_GR2022_BaarleNassau.eml.xml", pv / "BaarleNassau_Na31-2.pdf"])
    page = render_verify(result, "en", Severity.WARNING)
    assert "<strong>signed and printed</strong>: BaarleNassau_Na31-2.pdf (Model Na 31-2) belongs to Telling_GR2022_BaarleNassau.eml.xml" in page
    assert "What was printed or signed matches the count file" in page


def test_a_p22_2_says_its_elected_were_not_compared(real_data: Path) -> None:
    """Its seats are compared; without the recomputation itself (its elected and the names the
    files establish) the elected it prints are not, and the verdict part says so rather than
    letting the seats stand for them (with it: tests/test_printed_elected.py)."""
    from osv_verify.app.printed import Pairing, PrintedInputs, PrintedReport, check_printed
    from osv_verify.io.discover import Entry
    from osv_verify.io.sources import Source

    path = real_data / "abacus-pv" / "abacus-examples" / "gte-19-seats.pdf"
    pv = read_pdf_pv(path.read_bytes(), path.name)
    assert any(pv.elected.values())
    item = Entry(Source(path.name, path), "pv-pdf", None, pdf=pv)
    result = Entry(Source("Resultaat_x.eml.xml", path), "520", None)
    record = PrintedReport()
    inputs = PrintedInputs(digests={"Resultaat_x.eml.xml": pv.hash})
    found = list(check_printed("e", [Pairing(item, result, "hash")], inputs, [], {}, {}, pv.seats, record))
    assert [f.code for f in found if f.code == "PV.SEATS"] == []
    assert any("elected candidates and the lots on the PV were not compared" in t.en for t in record.not_checked)
