"""The command line through ``main(argv)``: exit codes, formats, errors, output files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import STATIONS, make_510b

from osv_verify import cli
from osv_verify.checks.registry import ACTIVE
from osv_verify.devtools.docs import generated


@pytest.fixture(autouse=True)
def no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_file_exits_0(capsys, demo_510b):
    code, out, err = run(capsys, "verify", demo_510b)
    assert code == 0, err
    assert "GR2030_Testdorp: 1 bestand, 4 eenheden gecontroleerd, 0 fouten" in out
    assert "\x1b[" not in out  # NO_COLOR


def test_error_exits_1_and_exit_zero_exits_0(capsys, tmp_path):
    bad = tmp_path / "t.xml"
    bad.write_bytes(make_510b(STATIONS, total_override={"blank": 4}))
    code, out, _ = run(capsys, "verify", bad, "--lang", "en")
    assert code == 1 and "AGG.TOTAL" in out and "blank votes is 4 in the total, but the 3 polling stations add up to 3" in out
    assert run(capsys, "verify", bad, "--exit-zero")[0] == 0


def test_json_is_documented_shape(capsys, tmp_path):
    bad = tmp_path / "t.xml"
    bad.write_bytes(make_510b(STATIONS, total_override={"blank": 4}))
    code, out, _ = run(capsys, "verify", bad, "--format", "json", "--lang", "en")
    data = json.loads(out)
    assert data["schema"] == "osv-verify/findings/2"
    assert data["summary"]["errors"] >= 1
    f = next(f for f in data["findings"] if f["code"] == "AGG.TOTAL")
    assert (f["field"], f["expected"], f["actual"], f["difference"]) == ("blank", 3, 4, 1)
    assert f["location"]["authority"] == "0999" and f["election"] == "GR2030_Testdorp"
    assert f["source"] == str(bad) and f["message"].startswith("0999:")


def test_csv_and_markdown(capsys, tmp_path):
    bad = tmp_path / "t.xml"
    bad.write_bytes(make_510b(STATIONS, total_override={"blank": 4}))
    _, out, _ = run(capsys, "verify", bad, "--format", "csv")
    assert out.startswith("\ufeff")  # UTF-8 BOM: a Dutch spreadsheet opens it as UTF-8
    header, first = out.removeprefix("\ufeff").splitlines()[:2]
    assert header.startswith("code;severity;election;contest;authority;unit;list;candidate;field;expected;actual;expected_text;actual_text")
    assert first.startswith("AGG.TOTAL;error;GR2030_Testdorp;geen;0999;;;;blank;3;4;;;1;")
    _, out, _ = run(capsys, "verify", bad, "--format", "markdown")
    assert out.startswith("# osv-verify") and "| AGG.TOTAL | fout |" in out


def test_missing_input_is_exit_2_one_line_no_traceback(capsys, tmp_path, demo_510b):
    code, out, err = run(capsys, "verify", demo_510b, tmp_path / "nope.xml")
    assert code == 2
    assert err.strip().splitlines() == [f"osv-verify: invoerfout: {tmp_path / 'nope.xml'}: bestand of map bestaat niet"]
    assert "Traceback" not in err and "GR2030_Testdorp" in out  # the rest of the run still completed
    code, out, err = run(capsys, "verify", demo_510b, tmp_path / "nope.xml", "--lang", "en")
    assert err.strip().splitlines() == [f"osv-verify: input error: {tmp_path / 'nope.xml'}: no such file or folder"]


def test_broken_file_among_good_ones(capsys, tmp_path, demo_510b):
    (tmp_path / "broken.eml.xml").write_bytes(b"<EML><Count>")
    code, out, err = run(capsys, "verify", tmp_path)
    assert code == 2 and "broken.eml.xml: regel 1, kolom 13: geen geldige XML" in err and "GR2030_Testdorp" in out
    code, out, err = run(capsys, "verify", tmp_path, "--lang=en")
    assert code == 2 and "broken.eml.xml: line 1, column 13: not well-formed XML" in err


def test_output_is_written_and_never_over_an_input(capsys, tmp_path, demo_510b):
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()  # a missing folder is refused, never made (tests/hostile/test_writes.py)
    code, out, _ = run(capsys, "verify", demo_510b, "--format", "json", "--output", target)
    assert code == 0 and out == "" and json.loads(target.read_text())["summary"]["errors"] == 0
    before = demo_510b.read_bytes()
    code, _, err = run(capsys, "verify", demo_510b, "--format", "json", "--output", demo_510b)
    assert code == 2 and "zou een invoerbestand overschrijven" in err and demo_510b.read_bytes() == before


def test_list_checks_lists_the_catalogue(capsys):
    code, out, _ = run(capsys, "verify", "--list-checks")
    assert code == 0 and all(c in out for c in ACTIVE)
    _, out, _ = run(capsys, "verify", "--list-checks", "--format", "json")
    assert {r["code"] for r in json.loads(out)["checks"]} == set(ACTIVE)


def test_docs_are_generated_and_in_sync():
    for path, text in generated().items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run `make docs`"


def test_internal_error_is_exit_3(capsys, monkeypatch, demo_510b):
    import osv_verify.app.verify

    def boom(*a, **k):
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(osv_verify.app.verify, "verify", boom)
    code, _, err = run(capsys, "verify", demo_510b)
    assert code == 3 and "interne fout" in err and "meld dit" in err and "Traceback" not in err
    code, _, err = run(capsys, "verify", demo_510b, "--lang", "en")
    assert code == 3 and "internal error" in err and "please report" in err and "Traceback" not in err


def test_every_command_has_lang_and_debug(capsys):
    from osv_verify.devtools.docs import commands

    assert len(commands()) >= 9
    for name in commands():
        code, out, _ = run(capsys, name, "--help")
        assert code == 0 and "--lang" in out and "--debug" in out, name


def test_debug_shows_the_traceback_of_an_internal_error_on_any_command(capsys, monkeypatch, demo_510b):
    import osv_verify.app.verify

    def boom(*a, **k):
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(osv_verify.app.verify, "verify", boom)
    code, _, err = run(capsys, "seats", demo_510b, "--debug")  # seats had no --debug: a usage error
    assert code == 3 and "Traceback" in err and "ZeroDivisionError: oops" in err and "interne fout" in err
    code, _, err = run(capsys, "seats", demo_510b, "--lang", "en")
    assert code == 3 and "Traceback" not in err and err.count("\n") == 1 and "internal error" in err


def test_inspect_json(capsys, demo_510b):
    code, out, _ = run(capsys, "inspect", demo_510b, "--format", "json")
    (e,) = json.loads(out)["elections"]
    assert (e["id"], e["category"], e["reporting_units"], e["lists"], e["seats"]) == ("GR2030_Testdorp", "GR", 3, 3, None)
    assert e["totals"]["valid"] == 348


def test_hash(capsys, tmp_path):
    f = tmp_path / "a.xml"
    f.write_bytes(b"<a>xyz</a>")
    import hashlib

    digest = hashlib.sha256(b"<a>xyz</a>").hexdigest()
    grouped = " ".join(digest[i : i + 4] for i in range(0, 64, 4))
    code, out, _ = run(capsys, "hash", f)
    assert code == 0 and grouped in out
    assert run(capsys, "hash", f, "--expect", digest.upper())[0] == 0
    assert run(capsys, "hash", f, "--expect", "0" * 64)[0] == 1
    assert run(capsys, "hash", f, "--expect", "not a hash")[0] == 2


@pytest.mark.realdata
def test_hash_of_the_tytsjerksteradiel_pv(capsys, real_data):
    """The hash printed on PV N 11 of Tytsjerksteradiel (PS2019), per the data README."""
    path = real_data / "PS2019" / "Telling_PS2019_Fryslan_gemeente_Tytsjerksteradiel.eml.xml"
    on_paper = "5B09 5DAE 163A 90B3 1A74 15BE A81B 2318 23E0 1AE1 024A A8C8 2F03 DBD2 56B7 8369"
    code, out, _ = run(capsys, "hash", path, "--expect", on_paper, "--lang", "en")
    assert code == 0 and "MATCHES" in out
    assert on_paper.lower() in out
    wrong = on_paper[:-1] + "8"
    code, out, _ = run(capsys, "hash", path, "--expect", wrong, "--lang", "en")
    assert code == 1 and "DOES NOT MATCH" in out


def test_python_dash_m_and_version():
    out = subprocess.run([sys.executable, "-m", "osv_verify", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("osv-verify ")


def test_jobs_give_the_same_result(capsys, tmp_path):
    """--jobs reads and checks count files in worker processes; the report is identical,
    input errors included."""
    from osv_verify.devtools.synth import generate

    generate(tmp_path / "tk", category="TK", stations=30, municipalities=6, districts=3, lists=5, candidates=8,
             seed=3, faults=4)
    (tmp_path / "tk" / "broken.eml.xml").write_bytes(b"<EML><Count>")
    outputs = []
    for jobs in ("1", "2"):
        code = cli.main(["verify", str(tmp_path / "tk"), "--format", "json", "--jobs", jobs])
        out, err = capsys.readouterr()
        outputs.append((code, json.loads(out)["findings"], err))
    assert outputs[0] == outputs[1] and outputs[0][0] == 2 and "broken.eml.xml" in outputs[0][2]
    assert len(outputs[0][1]) > 3  # the faults were found, in both runs


def test_generated_election_verifies_clean(tmp_path):
    """The generator is a developer tool (python -m osv_verify.devtools.synth), not a command."""
    from osv_verify.devtools.synth import main as synth_main

    assert synth_main([str(tmp_path / "e"), "--category", "GR", "--stations", "3", "--seed", "2"]) == 0
    assert cli.main(["verify", str(tmp_path / "e"), "-q"]) == 0


# ---- found by the review of the merged work: never an all-clear from a file compared with itself


def test_a_file_given_twice_is_read_once_not_two_publications_that_agree(capsys, tmp_path):
    path = tmp_path / "Telling_GR2030_Testdorp.eml.xml"
    path.write_bytes(make_510b(STATIONS))
    copy = tmp_path / "kopie" / "Telling.eml.xml"
    copy.parent.mkdir()
    copy.write_bytes(path.read_bytes())
    code, out, _ = run(capsys, "verify", path, path, copy, "--format", "json")
    doc = json.loads(out)
    (election,) = doc["summary"]["elections"]
    assert election["files"] == 1
    parts = {p["key"]: p["done"] for p in election["verdict"]["parts"]}
    assert parts.get("sources") is not True  # one publication: nothing to compare it with
    assert sorted(c["file"] for c in doc["summary"]["copies"]) == sorted([str(path), str(copy)])


def test_compare_refuses_a_file_against_itself(capsys, tmp_path):
    path = tmp_path / "a.xml"
    path.write_bytes(make_510b(STATIONS))
    code, out, err = run(capsys, "compare", path, tmp_path / "." / "a.xml")
    assert code == 2 and out == "" and "hetzelfde bestand" in err and len(err.strip().splitlines()) == 1
    other = tmp_path / "b.xml"  # two entries with the same numbers: they agree
    other.write_bytes(path.read_bytes())
    code, out, _ = run(capsys, "compare", path, other)
    assert code == 0 and "De invoeren komen overeen." in out


def test_seats_without_a_count_is_not_verified_and_seats_needs_votes(capsys, real_data):
    code, out, _ = run(capsys, "seats", real_data / "TK2021" / "Resultaat_TK2021.eml.xml")
    assert code == 4 and out.count("TK2021") == 1
    code, _, err = run(capsys, "seats", "--seats", "5", real_data / "GR2026" / "Vlieland")
    assert code == 2 and "--seats hoort bij --votes" in err


def test_hash_goes_on_past_a_bad_path(capsys, tmp_path):
    good = tmp_path / "a.xml"
    good.write_bytes(b"<x/>")
    code, out, err = run(capsys, "hash", tmp_path / "missing.xml", good)
    assert code == 2 and str(good) in out and "missing.xml: bestand bestaat niet" in err
