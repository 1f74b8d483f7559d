"""PVs among the inputs: classified by content, also inside OSV2020's "definitieve documenten" zip."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from odt_builder import content, odt, row, zip_of

from osv_verify.core.errors import InputError
from osv_verify.io import odt as pvodt
from osv_verify.io.discover import discover, load, load_pv

DORDRECHT = "hcp/FAKE_TEST_DATA_TK2023_DORDRECHT"
EML = "Fake_test_data_Telling_TK2023_gemeente_Dordrecht.eml.xml"


def definitieve_documenten(real_data: Path, tmp_path: Path) -> Path:
    """As OSV2020 hands it to the municipality: the PV beside an inner zip holding the 510b."""
    folder = real_data / DORDRECHT
    inner = zip_of({EML: (folder / EML).read_bytes()})
    outer = tmp_path / "definitieve documenten.zip"
    outer.write_bytes(zip_of({"Model_Na31-1.odt": (folder / "Model_Na31-1.odt").read_bytes(), "EML_bestanden.zip": inner}))
    return outer


@pytest.mark.realdata
def test_nested_zip_gives_the_510b_and_its_pv(real_data: Path, tmp_path: Path) -> None:
    outer = definitieve_documenten(real_data, tmp_path)
    inv = discover([outer])
    assert inv.problems == []
    assert [(e.kind, e.source.name) for e in inv.entries] == [("510b", f"{outer}!EML_bestanden.zip!{EML}")]
    assert [(e.kind, e.authority, e.source.name) for e in inv.pvs] == [("na31-1", "Dordrecht", f"{outer}!Model_Na31-1.odt")]
    count, pv = load(inv.entries[0]), load_pv(inv.pvs[0])
    paired, alone = pvodt.pair_pvs([pv], [count])
    assert alone == [] and pvodt.match_recounted(paired[count.source], count).recounted == {"0505::SB1"}


@pytest.mark.realdata
def test_folder_of_pvs_and_counts(real_data: Path) -> None:
    inv = discover([real_data / "hcp"])
    assert len(inv.pvs) == 12 and {e.kind for e in inv.pvs} == {"na31-1", "na31-2"}
    assert all(e.source in inv.skipped for e in inv.pvs)  # no other command reads a PV
    assert not any("odt" in p.source for p in inv.problems)


@pytest.mark.realdata
@pytest.mark.parametrize("command", ["verify", "inspect"])
def test_other_commands_keep_working_with_pvs(real_data: Path, tmp_path: Path, command: str) -> None:
    outer = definitieve_documenten(real_data, tmp_path)
    run = subprocess.run([sys.executable, "-m", "osv_verify", command, str(outer)], capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    assert "odt" not in run.stderr and "Traceback" not in run.stderr


def test_a_broken_pv_is_one_error_and_the_rest_of_the_run_completes(tmp_path: Path) -> None:
    good = odt(content("31-2", {"NieuweTelling": [row("4", "Oost")]}))
    (tmp_path / "Model_Na31-2.odt").write_bytes(good)
    (tmp_path / "kapot.odt").write_bytes(odt(b"<office:document-content"))
    (tmp_path / "brief.odt").write_bytes(odt(content("99-9")))  # another OpenDocument: skipped
    inv = discover([tmp_path])
    assert [e.kind for e in inv.pvs] == ["na31-2"] and inv.pvs[0].pv.recounted == (pvodt.PvStation(4, "Oost"),)
    assert [p.source for p in inv.problems] == [str(tmp_path / "kapot.odt")]
    assert [s.name for s in inv.skipped] == [str(tmp_path / n) for n in ("Model_Na31-2.odt", "brief.odt")]


def test_a_document_named_on_the_command_line_must_be_a_pv(tmp_path: Path) -> None:
    other = tmp_path / "brief.odt"
    other.write_bytes(odt(content("99-9")))
    inv = discover([other])
    assert [p.message for p in inv.problems] == [f"{other}: not a Model Na 31-1 or Na 31-2 proces-verbaal (no such heading)"]


def test_an_odt_without_content_is_an_error_not_an_archive(tmp_path: Path) -> None:
    bad = tmp_path / "Model_Na31-1.odt"
    bad.write_bytes(odt(None))
    inv = discover([tmp_path])
    assert [p.message for p in inv.problems] == [f"{bad}: content.xml: no content.xml: not an OpenDocument text"]


@pytest.mark.parametrize(("name", "data", "problem"), [
    ("Model_Na31-2.pdf", b"%PDF-1.7\n1 0 obj << >> endobj", "not a readable PDF"),
    ("toelichting.pdf", b"%PDF-1.7\n<< /Title (Toelichting) >>", "not a readable PDF"),
])
def test_a_damaged_pdf_is_an_input_error_whatever_its_name(tmp_path: Path, name: str, data: bytes, problem: str) -> None:
    (tmp_path / name).write_bytes(data)
    inv = discover([tmp_path])
    assert inv.pvs == []
    assert [p.message_in("en") for p in inv.problems] == [f"{tmp_path / name}: {problem} (damaged, cut short or beyond the limits)"]


@pytest.mark.realdata
def test_a_pdf_pv_is_recognised_by_content_and_its_recounts_said_not_read(real_data: Path, tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes((real_data / "abacus-pv" / "Ameland_Na31-2.pdf").read_bytes())
    inv = discover([tmp_path])
    assert [(e.kind, e.pdf.model if e.pdf else None) for e in inv.pvs] == [("pv-pdf", "na31-2")]
    assert inv.problems == []
    with pytest.raises(InputError, match="recount tick boxes of a PV in PDF form"):
        load_pv(inv.pvs[0])


def test_cli_exit_2_one_line_for_a_hostile_pv(tmp_path: Path) -> None:
    bad = tmp_path / "Model_Na31-1.odt"
    bad.write_bytes(odt(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'))
    run = subprocess.run([sys.executable, "-m", "osv_verify", "verify", str(bad)], capture_output=True, text=True)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len([line for line in lines if str(bad) in line]) == 1 and "DOCTYPE" in run.stderr
    assert "Traceback" not in run.stderr and "root:" not in run.stderr


@pytest.mark.realdata
def test_every_test_pv_through_a_nested_zip(real_data: Path, tmp_path: Path) -> None:
    from test_pv_odt import EXPECTED

    inner = zip_of({f"pv{i}/{Path(name).name}": (real_data / "hcp" / name).read_bytes() for i, name in enumerate(sorted(EXPECTED))})
    outer = tmp_path / "outer.zip"
    outer.write_bytes(zip_of({"inner.zip": inner}))
    inv = discover([outer])
    assert inv.problems == [] and len(inv.pvs) == len(EXPECTED)
    for i, name in enumerate(sorted(EXPECTED)):
        entry = next(e for e in inv.pvs if e.source.name == f"{outer}!inner.zip!pv{i}/{Path(name).name}")
        model, stations = EXPECTED[name]
        assert entry.kind == model
        assert [(s.number, s.name, s.postcode) for s in load_pv(entry).recounted] == stations


def test_a_damaged_definitieve_documenten_zip_never_crashes(tmp_path: Path) -> None:
    """Every byte flip of an outer zip (PV + inner zip with a 510b): discovery and loading give
    entries or one-line input errors, never an exception of another kind."""
    import random

    from conftest import STATIONS, make_510b

    good = zip_of({"Model_Na31-1.odt": odt(content("31-1", {"NieuweTelling": [row("1", "A")]})),
                   "EML.zip": zip_of({"Telling.eml.xml": make_510b(STATIONS)})})
    rng = random.Random(5)
    target = tmp_path / "dd.zip"
    for i in range(0, len(good), 3):
        b = bytearray(good)
        b[i] ^= rng.randrange(1, 256)
        target.write_bytes(bytes(b))
        inv = discover([target])
        for entry in inv.entries:
            try:
                load(entry)
            except InputError as err:
                assert "\n" not in err.message
        assert all(p.source.startswith(str(target)) and "\n" not in p.message for p in inv.problems)


def test_an_odt_named_like_a_pv_that_is_not_one_is_an_error(tmp_path: Path) -> None:
    odd = tmp_path / "Model_Na31-2.odt"
    odd.write_bytes(odt(content("99-9")))  # a changed template: no heading this reader knows
    inv = discover([tmp_path])
    assert inv.pvs == [] and [p.source for p in inv.problems] == [str(odd)]
