"""Writing, red-teamed (issue 25): only regular files are written, nothing is replaced without
--force (checked at the moment of writing), protocol folders made from data stay inside
--output and apart, no symbolic link is written through, every write failure is one line and
exit 2, and no temporary file is left behind (SIGTERM too)."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from conftest import STATIONS, make_510b
from test_corpus import GOOD, run

from osv_verify.report import output
from osv_verify.report.output import WriteError, open_atomic


@pytest.fixture(autouse=True)
def _plain_output(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")



def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("osv-verify: fout")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture
def count_file(tmp_path: Path) -> Path:
    p = tmp_path / "in" / "Telling_GR2030_Testdorp.eml.xml"
    p.parent.mkdir()
    p.write_bytes(GOOD)
    (p.parent / "copy.eml.xml").write_bytes(GOOD)
    return p


@pytest.fixture
def votes_file(tmp_path: Path) -> Path:
    p = tmp_path / "in-votes.csv"
    p.write_text("list;name;votes\n1;A;600\n2;B;400\n", encoding="utf-8")
    return p


def commands(count_file: Path, votes_file: Path) -> dict[str, list[object]]:
    """Every command that writes ``-o FILE``, with an input it accepts."""
    return {
        "verify": ["verify", count_file, "-f", "json"],
        "export": ["export", count_file, "--no-progress"],
        "seats": ["seats", "--votes", votes_file, "--seats", "5", "-f", "json"],
        "inspect": ["inspect", count_file, "-f", "json"],
        "hash": ["hash", count_file, "-f", "json"],
        "compare": ["compare", count_file, votes_file.parent / "in" / "copy.eml.xml", "-f", "json"],
        "template": ["template", count_file],
        "protocol": ["protocol", count_file, "-f", "json"],
    }


@pytest.mark.parametrize("command", ["verify", "export", "seats", "inspect", "hash", "compare", "template", "protocol"])
def test_no_command_replaces_an_existing_file_without_force(command, count_file, votes_file, tmp_path, capsys):
    args = commands(count_file, votes_file)[command]
    target = tmp_path / "out.txt"
    target.write_text("mine")
    target.chmod(0o444)  # write-protected too
    code, _, err = run(capsys, *args, "-o", target)
    assert code == 2 and target.read_text() == "mine"
    assert str(target) in one_error_line(err)
    code, _, err = run(capsys, *args, "-o", target, "--force")
    assert code in (0, 1, 4) and target.read_text() != "mine", err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.txt.")]


def test_a_file_made_while_writing_is_not_replaced(tmp_path):
    """The check is at the moment of the move, not at the start (the window `template` had)."""
    target = tmp_path / "report.json"
    with pytest.raises(WriteError):
        with open_atomic(target) as f:
            f.write("ours")
            target.write_text("someone else's")
    assert target.read_text() == "someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_output_into_a_fifo_streams_and_keeps_the_fifo(count_file, tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    code, _, err = run(capsys, "verify", count_file, "-f", "json", "-o", fifo)
    reader.join(10)
    assert code == 0, err
    assert fifo.is_fifo() and b'"findings"' in got[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "pipe"]  # no temporary file next to it


def test_output_to_a_device_is_written_into_not_replaced(monkeypatch, tmp_path):
    """``-o /dev/null`` as root: the device is opened for writing, never renamed over. Checked
    on a path whose type is reported as a character device (no real device is touched)."""
    target = tmp_path / "device"
    target.write_text("")
    real_stat = os.stat
    monkeypatch.setattr(output.os, "stat", lambda p, *a, **k: os.stat_result((0o20666, *real_stat(p)[1:])) if Path(p) == target else real_stat(p, *a, **k))
    monkeypatch.setattr(output.os, "fstat", lambda fd: os.stat_result((0o20666, *real_stat(target)[1:])))
    ino = real_stat(target).st_ino
    with open_atomic(target) as f:
        f.write("streamed")
    assert real_stat(target).st_ino == ino and target.read_text() == "streamed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["device"]


def test_dash_is_stdout(count_file, capsys):
    code, out, _ = run(capsys, "verify", count_file, "-f", "json", "-o", "-")
    assert code == 0 and out.startswith("{") and not Path("-").exists()


def test_a_stream_that_fails_is_one_line_exit_2(count_file, tmp_path, capsys):
    """Writing into a FIFO whose reader has gone (as into a full device): one line, exit 2.
    (Never the real /dev/full or /dev/null in a test: the old code renamed over them.)"""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = threading.Thread(target=lambda: os.close(os.open(fifo, os.O_RDONLY)))
    reader.start()
    stations = {f"SB{i}": {1: [i, 2, 3], 2: [4, 5]} for i in range(1, 200)}
    count_file.write_bytes(make_510b(stations))
    code, _, err = run(capsys, "export", count_file, "-o", fifo)  # far more than a pipe holds
    reader.join(10)
    assert code == 2 and str(fifo) in one_error_line(err) and fifo.is_fifo()


@pytest.mark.parametrize("case", ["dir", "empty", "parent_is_file", "read_only", "disk_full"])
def test_write_failures_are_one_line_exit_2_and_keep_the_result(case, count_file, tmp_path, capsys, monkeypatch):
    target = {"dir": tmp_path, "empty": "", "parent_is_file": count_file / "report.json"}.get(case, tmp_path / "r.json")
    if case == "read_only":
        monkeypatch.setattr(output.tempfile, "mkstemp", lambda **k: (_ for _ in ()).throw(PermissionError(errno.EACCES, "Permission denied")))
    if case == "disk_full":
        monkeypatch.setattr(output.os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")))
    code, out, err = run(capsys, "verify", count_file, "-f", "json", "-o", target)
    assert code == 2, err
    one_error_line(err)
    assert "interne fout" not in err
    if case in ("read_only", "disk_full"):  # found only at the end: the run's result is still said
        assert "GR2030_Testdorp" in err
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".r.json")]


def test_output_never_written_through_a_symlink(count_file, tmp_path, capsys):
    dangling = tmp_path / "link.json"
    dangling.symlink_to(tmp_path / "made" / "by" / "link.json")
    code, _, err = run(capsys, "verify", count_file, "-f", "json", "-o", dangling, "--force")
    assert code == 2 and "symbolische link" in one_error_line(err)
    assert not (tmp_path / "made").exists()


def zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_protocol_folders_from_data_stay_inside_and_apart(tmp_path, capsys):
    other = make_510b(STATIONS, authority="0998", election="GR2030_Testdorp")
    third = make_510b(STATIONS, authority="0997", election="GR2030_Testdorp")
    a = zip_of(tmp_path / "a.zip", {"Telling.eml.xml": GOOD, "x/..": other})
    b = zip_of(tmp_path / "b.zip", {"Telling.eml.xml": third, "sub/...eml.xml": make_510b(STATIONS, authority="0996")})
    out = tmp_path / "out" / "controle"
    code, _, err = run(capsys, "protocol", a, b, "-o", out)
    assert code in (0, 1), err
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.csv"))
    assert all(str(p).startswith("out/controle/") for p in made), made
    assert len({p.parent for p in made}) == 4 and len(made) == 12  # four counts, four folders, three sheets each
    assert all(p.parent.parent == Path("out/controle") for p in made)


def test_protocol_does_not_write_through_a_dangling_symlink(tmp_path, count_file, capsys):
    out = tmp_path / "controle"
    (out / "Telling_GR2030_Testdorp").mkdir(parents=True)
    (out / "Telling_GR2030_Testdorp" / "a.csv").symlink_to(tmp_path / "elsewhere.csv")
    code, _, err = run(capsys, "protocol", count_file, "-o", out)
    assert code == 2 and not (tmp_path / "elsewhere.csv").exists()
    code, _, err = run(capsys, "protocol", count_file, "-o", out, "--force")
    assert code == 2 and not (tmp_path / "elsewhere.csv").exists()
    assert "symbolische link" in err and "1 van de 1 gemeenten" in err


def test_protocol_force_writes_the_others_when_one_write_is_refused(tmp_path, capsys):
    counts = {name: make_510b(STATIONS, authority=code) for name, code in (("A.eml.xml", "0999"), ("B.eml.xml", "0998"), ("C.eml.xml", "0997"))}
    inputs = zip_of(tmp_path / "in.zip", counts)
    out = tmp_path / "out"
    (out / "B").mkdir(parents=True)
    (out / "B" / "a.csv").symlink_to(tmp_path / "elsewhere.csv")
    code, _, err = run(capsys, "protocol", inputs, "-o", out, "--force")
    assert code == 2 and not (tmp_path / "elsewhere.csv").exists()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.csv") if not p.is_symlink()) == [
        "A/a.csv", "A/b.csv", "A/c.csv", "C/a.csv", "C/b.csv", "C/c.csv"]
    assert "out/B/a.csv" in err and "1 van de 3 gemeenten" in err


def test_protocol_folders_are_never_a_windows_device_name():
    from osv_verify.report.hcp import folder_name

    class Count:
        def __init__(self, source: str):
            self.source = source

    assert [folder_name(Count(n)) for n in ("x.zip!CON.eml.xml", "nul.txt", "Com1.xml", "CONTROLE.xml")] == [
        "CON_", "nul.txt_", "Com1_", "CONTROLE"]


SLOW_EXPORT = """
import sys, time
from osv_verify import cli
from osv_verify.report import export_writer
real = export_writer.write_csv
def slow(rows, out, *columns):
    out.write("started\\n"); out.flush()
    print("writing", flush=True, file=sys.stderr)
    time.sleep(60)
export_writer.write_csv = slow
sys.exit(cli.main(sys.argv[1:]))
"""


def test_sigterm_removes_the_temporary_file(count_file, tmp_path):
    target = tmp_path / "out" / "export.csv"
    target.parent.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", SLOW_EXPORT, "export", str(count_file), "-o", str(target)],
                            stderr=subprocess.PIPE, text=True)
    assert proc.stderr.readline().strip() == "writing"
    assert [p.name for p in target.parent.iterdir()]  # the temporary file exists now
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 128 + signal.SIGTERM
    assert list(target.parent.iterdir()) == [] and "Traceback" not in proc.stderr.read()


def test_export_into_a_closed_pipe_exits_quietly(tmp_path):
    stations = {f"SB{i}": {1: [i, 2, 3], 2: [4, 5]} for i in range(1, 400)}
    big = tmp_path / "Telling.eml.xml"
    big.write_bytes(make_510b(stations))
    proc = subprocess.Popen([sys.executable, "-m", "osv_verify", "export", str(big), "--no-progress"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    code = proc.wait(60)
    err = proc.stderr.read().decode()
    assert code == 0 and err == "", err


def test_an_empty_output_is_named_as_empty_not_as_the_current_folder(count_file, capsys):
    code, _, err = run(capsys, "verify", count_file, "-o", "")
    assert code == 2 and "--output is leeg" in one_error_line(err) and "naar ." not in err


def test_a_file_in_a_folder_that_does_not_exist_is_refused_not_made(count_file, tmp_path, capsys):
    code, _, err = run(capsys, "verify", count_file, "-o", tmp_path / "nope" / "x.txt")
    assert code == 2 and "bestaat niet" in one_error_line(err)
    assert not (tmp_path / "nope").exists()
