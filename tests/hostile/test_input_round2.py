"""Hostile input, round 2 (issue 25): unreadable files and folders, symbolic link loops, digits
that are not ASCII, whitespace that is not XML's, NUL, UTF-32 and a double BOM, option files
that never end, and the caps on units and names. Each is a one-line input error naming the file
(exit 2) or a finding, the rest of the run completes, and never an internal error (exit 3)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import STATIONS, make_510b
from test_corpus import CSV, GOOD, run

from osv_verify import cli
from osv_verify.io import limits

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"



def input_errors(err: str) -> list[str]:
    assert "Traceback" not in err and "interne fout" not in err, err
    return [line for line in err.splitlines() if line.startswith("osv-verify: ")]


# ---------------------------------------------------------------- unreadable files, folders, loops


def test_a_symlink_loop_is_an_input_error_and_the_run_completes(tmp_path, capsys):
    shutil.copytree(DEMO, tmp_path / "set")
    (tmp_path / "set" / "a").symlink_to("b")
    (tmp_path / "set" / "b").symlink_to("a")
    code, out, err = run(capsys, "verify", tmp_path / "set", "-q")
    errors = input_errors(err)
    assert code == 2 and len(errors) == 2 and all("symbolische links" in e for e in errors)
    assert "GR2026_Kleinbroek: 5 bestanden" in out  # every other file was read


def test_unreadable_file_and_subfolder_are_said_and_the_rest_is_read():
    """As a user without the permission (root reads everything, so the run drops to nobody)."""
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("needs setpriv to drop root")
    folder = Path(tempfile.mkdtemp(prefix="osv-unreadable-"))
    try:
        folder.chmod(0o755)
        for f in DEMO.glob("*.xml"):
            shutil.copy(f, folder / f.name)
            (folder / f.name).chmod(0o644)
        (folder / "sub").mkdir()
        shutil.copy(DEMO / "Telling_GR2026_Kleinbroek.eml.xml", folder / "sub" / "x.eml.xml")
        (folder / "sub").chmod(0)
        (folder / "Kandidatenlijsten_GR2026_Kleinbroek.eml.xml").chmod(0)
        drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
        env = {**os.environ, "PYTHONPATH": str(Path(cli.__file__).resolve().parents[2]), "NO_COLOR": "1"}
        done = subprocess.run([*drop, sys.executable, "-m", "osv_verify", "verify", str(folder), "-q"],
                              capture_output=True, text=True, env=env, cwd="/")
        errors = input_errors(done.stderr)
        assert done.returncode == 2, done.stderr
        assert any(e.endswith("sub: niet te lezen: geen toegang") for e in errors), errors  # said, not skipped
        assert any("Kandidatenlijsten_GR2026_Kleinbroek.eml.xml: niet te lezen: geen toegang" in e for e in errors)
        assert "GR2026_Kleinbroek: 3 bestanden" in done.stdout
    finally:
        (folder / "sub").chmod(0o755)
        shutil.rmtree(folder)


# ---------------------------------------------------------------- digits and whitespace


def demo_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    shutil.copytree(DEMO, tmp_path / "set")
    path = tmp_path / "set" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path / "set"


@pytest.mark.parametrize("name, old, new", [
    ("Kandidatenlijsten_GR2026_Kleinbroek.eml.xml", '<CandidateIdentifier Id="1"', '<CandidateIdentifier Id="²"'),
    ("Kandidatenlijsten_GR2026_Kleinbroek.eml.xml", '<CandidateIdentifier Id="1"', '<CandidateIdentifier Id="٣"'),
    ("Resultaat_GR2026_Kleinbroek.eml.xml", "<Ranking>1</Ranking>", "<Ranking>²</Ranking>"),
    ("Resultaat_GR2026_Kleinbroek.eml.xml", "<Ranking>1</Ranking>", "<Ranking>١</Ranking>"),
])
def test_non_ascii_digits_are_not_numbers_and_never_crash(name, old, new, tmp_path, capsys):
    code, out, err = run(capsys, "verify", demo_with(tmp_path, name, old, new), "-f", "json")
    input_errors(err)
    assert code in (1, 2)


@pytest.mark.parametrize("token", ["²", "٣"])
def test_lots_with_non_ascii_digits_are_not_list_numbers(token, tmp_path, capsys):
    votes = tmp_path / "votes.csv"
    votes.write_text("list;name;votes\n1;A;600\n2;B;400\n3;C;400\n")
    lots = tmp_path / "lots.txt"
    lots.write_text(token + "\n", encoding="utf-8")
    code, _, err = run(capsys, "seats", "--votes", votes, "--seats", "3", "--lots", lots)
    assert code == 2 and len(input_errors(err)) == 1 and token in err


def test_nbsp_around_an_xml_count_is_not_a_number(tmp_path, capsys):
    path = tmp_path / "Telling.eml.xml"
    path.write_bytes(GOOD.replace(b"<ValidVotes>", b"<ValidVotes>\xc2\xa0", 1))
    code, _, err = run(capsys, "verify", path)
    assert code == 2 and "is geen geheel getal" in input_errors(err)[0]


def test_nbsp_around_a_csv_count_is_not_a_number(tmp_path, capsys):
    path = tmp_path / "osv.csv"
    path.write_text(CSV.replace('"1000";"500"', '"1000";"500\u00a0"'), encoding="utf-8")
    code, _, err = run(capsys, "verify", path)
    assert code == 2 and "is geen geheel getal" in input_errors(err)[0]


def test_nul_in_a_csv_name_is_refused(tmp_path, capsys):
    path = tmp_path / "osv.csv"
    path.write_text(CSV.replace("Jansen, A.", "Jansen\x00, A."), encoding="utf-8")
    code, _, err = run(capsys, "verify", path)
    errors = input_errors(err)
    assert code == 2 and "NUL" in errors[0] and "regel 20" in errors[0]


@pytest.mark.parametrize("encoding, word", [("utf-32", "UTF-32"), ("utf-32-be", "UTF-32"), ("utf-16", "UTF-16")])
def test_utf32_is_named_utf32(encoding, word, tmp_path, capsys):
    path = tmp_path / "osv.csv"
    data = CSV.lstrip("\ufeff").encode(encoding)
    path.write_bytes(data if encoding != "utf-32-be" else b"\x00\x00\xfe\xff" + data)
    code, _, err = run(capsys, "verify", path)
    assert code == 2 and f"{word}-tekst" in input_errors(err)[0]


def test_a_double_bom_has_its_own_message(tmp_path, capsys):
    path = tmp_path / "Telling.eml.xml"
    path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + GOOD)
    code, _, err = run(capsys, "verify", path)
    assert code == 2 and "twee byte-order-marks" in input_errors(err)[0]


# ---------------------------------------------------------------- option files and caps


@pytest.mark.parametrize("option", ["--votes", "--lots", "--neighbourhoods"])
def test_an_option_file_that_never_ends_is_one_line(option, tmp_path, capsys):
    fifo = tmp_path / "endless"
    os.mkfifo(fifo)  # like /dev/zero: not a regular file; never opened, so nothing blocks
    votes = tmp_path / "votes.csv"
    votes.write_text("list;name;votes\n1;A;600\n2;B;400\n")
    args = {"--votes": ["seats", "--votes", fifo, "--seats", "3"],
            "--lots": ["seats", "--votes", votes, "--seats", "3", "--lots", fifo],
            "--neighbourhoods": ["protocol", DEMO, "-f", "json", "--neighbourhoods", fifo]}[option]
    code, _, err = run(capsys, *args)
    errors = input_errors(err)
    assert code == 2 and len(errors) == 1 and str(fifo) in errors[0] and "geen gewoon bestand" in errors[0]


def test_an_option_file_over_the_limit_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(limits, "MAX_OPTION_FILE_BYTES", 10)
    votes = tmp_path / "votes.csv"
    votes.write_text("list;name;votes\n1;A;600\n2;B;400\n")
    code, _, err = run(capsys, "seats", "--votes", votes, "--seats", "3")
    assert code == 2 and "boven de grens van 10 bytes" in input_errors(err)[0]


def test_too_many_units_and_too_long_a_name_are_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNITS_PER_FILE", 2)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "osv.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "a" / "Telling.eml.xml").write_bytes(make_510b(STATIONS))
    code, _, err = run(capsys, "verify", tmp_path / "a")
    errors = input_errors(err)
    assert code == 2 and len(errors) == 1 and "Telling.eml.xml" in errors[0] and "boven de grens van 2" in errors[0]
    monkeypatch.setattr(limits, "MAX_UNITS_PER_FILE", 100)
    monkeypatch.setattr(limits, "MAX_NAME_CHARS", 12)
    code, _, err = run(capsys, "verify", tmp_path / "a")
    errors = input_errors(err)
    assert code == 2 and sorted(Path(e.split(": ")[2]).name for e in errors) == ["Telling.eml.xml", "osv.csv"]
    assert all("boven de grens van 12" in e for e in errors)
