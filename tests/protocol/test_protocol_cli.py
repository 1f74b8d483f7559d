"""``osv-verify protocol``: folders and files written, never over existing ones without --force,
bad input refused with one line while the rest completes, JSON and Markdown of the same content."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from osv_verify import cli


def test_spreadsheets_for_every_municipality_and_a_refused_file(capsys, real_data: Path, tmp_path: Path):
    out = tmp_path / "controle"
    code = cli.main(["protocol", str(real_data / "hcp" / "emls"), str(real_data / "hcp" / "e2e"), "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 2  # invalid_eml_id.eml.xml refused ...
    refused = [line for line in err.splitlines() if "invalid_eml_id" in line]
    assert len(refused) == 1 and "Traceback" not in err
    # ... and both good files still have all three spreadsheets
    assert sorted(p.name for p in out.iterdir()) == ["Fake_test_data_Telling_EP2024_gemeente_Steenwijkerland",
                                                     "empty_party_name"]
    for folder in out.iterdir():
        assert sorted(p.name for p in folder.iterdir()) == ["a.csv", "b.csv", "c.csv"]
    assert "Deel B" in err and "geschreven" in err


def test_existing_spreadsheets_need_force(capsys, real_data: Path, tmp_path: Path):
    src = real_data / "hcp" / "e2e"
    assert cli.main(["protocol", str(src), "-o", str(tmp_path)]) == 0
    a = next(tmp_path.rglob("a.csv"))
    a.write_text("mine", encoding="utf-8")
    assert cli.main(["protocol", str(src), "-o", str(tmp_path)]) == 2
    assert a.read_text(encoding="utf-8") == "mine"
    assert "--force" in capsys.readouterr().err
    assert cli.main(["protocol", str(src), "-o", str(tmp_path), "--force"]) == 0
    assert a.read_text(encoding="utf-8").startswith("Versie controleprotocol;TK2025")


def test_csv_needs_an_output_folder(capsys, real_data: Path):
    assert cli.main(["protocol", str(real_data / "hcp" / "e2e")]) == 2
    assert "--output" in capsys.readouterr().err


def test_json_has_the_rows_and_the_recount_from_the_pv(capsys, real_data: Path):
    assert cli.main(["protocol", str(real_data / "hcp" / "FAKE_TEST_DATA_TK2023_DORDRECHT"), "--format", "json"]) == 0
    [m] = json.loads(capsys.readouterr().out)["municipalities"]
    assert m["pv_used"] and m["a"] == []  # station 1's difference of 28: recounted, so not on a
    [row] = m["b"]
    assert row["Stembureaunummer"] == "1" and row["Al herteld"] == "ja" and row[
        "Stembureau >=15 of >=2.0% verschil tussen toegelaten kiezers en uitgebrachte stemmen"] == "ja (28)"


def test_pv_in_the_definitive_documents_zip(capsys, real_data: Path, tmp_path: Path):
    """OSV2020's zip: the PV beside an inner zip holding the 510b."""
    import zipfile

    src = real_data / "hcp" / "FAKE_TEST_DATA_TK2023_DORDRECHT"
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as z:
        z.write(src / "Fake_test_data_Telling_TK2023_gemeente_Dordrecht.eml.xml", "Telling.eml.xml")
    outer = tmp_path / "definitieve-documenten.zip"
    with zipfile.ZipFile(outer, "w") as z:
        z.write(inner, "Telling.zip")
        z.write(src / "Model_Na31-1.odt", "Model_Na31-1.odt")
    assert cli.main(["protocol", str(outer), "-f", "json"]) == 0
    [m] = json.loads(capsys.readouterr().out)["municipalities"]
    assert m["pv_used"] and m["b"][0]["Al herteld"] == "ja"


def test_abacus_file_markdown_in_english_says_what_could_not_run(capsys, real_data: Path, tmp_path: Path):
    shutil.copy(real_data / "GR2026" / "Vlieland" / "Telling_GR2026_Vlieland.eml.xml", tmp_path)
    assert cli.main(["protocol", str(tmp_path), "-f", "markdown", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "## Not checked" in out and "no 'geen verklaring'" in out
    assert "Part B: the additions were recomputed; the municipality's total equals the sum of 1 station." in out


def test_thresholds_are_settings(capsys, real_data: Path):
    src = str(real_data / "hcp" / "e2e")
    assert cli.main(["protocol", src, "-f", "json", "--set", "difference_votes=500"]) == 0
    rows = json.loads(capsys.readouterr().out)["municipalities"][0]["b"]
    column = "Stembureau >=500 of >=2.0% verschil tussen toegelaten kiezers en uitgebrachte stemmen"
    assert [r[column] for r in rows] == ["", "", "ja (100.0%)", "ja (20.0%)"]  # station 1: 417 is under 2 %
    assert cli.main(["protocol", src, "--set", "nope=1", "-f", "json"]) == 2


def test_a_broken_pv_is_one_error_line_and_the_protocol_is_still_written(capsys, real_data: Path, tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(real_data / "hcp" / "e2e" / "Fake_test_data_Telling_EP2024_gemeente_Steenwijkerland.eml.xml", src)
    (src / "Model_Na31-1.odt").write_bytes(b"PK\x03\x04cut short")
    assert cli.main(["protocol", str(src), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if "Model_Na31-1.odt" in line] and "Traceback" not in err
    assert len(list((tmp_path / "out").rglob("*.csv"))) == 3


def test_part_b_comes_from_the_same_run_reading_each_file_once(monkeypatch):
    """Part B is verify's AGG findings, from one discovery and one read of each file, not a second run."""
    from collections import Counter

    import osv_verify.io.discover as discover_module
    from osv_verify.app.protocol import run

    reads: Counter[str] = Counter()
    real_load = discover_module.load

    def counting_load(entry):
        reads[entry.source.name] += 1
        return real_load(entry)

    monkeypatch.setattr(discover_module, "load", counting_load)
    demo = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
    [protocol] = run([demo]).municipalities
    assert protocol.part_b is not None and protocol.part_b.nl.startswith("Deel B")
    assert reads and set(reads.values()) == {1}, reads
    assert len(reads) == 5  # 110a, 230b, 510b, its OSV CSV and the 520: each read by the one verify run
