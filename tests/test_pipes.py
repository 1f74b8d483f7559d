"""Table output into a pipe or file: no wrapping, no truncation (stdout is not a terminal
under capsys, as in a pipe). COLUMNS is set narrow to show it is not what decides."""

from __future__ import annotations

from pathlib import Path

from conftest import STATIONS, make_510b

from osv_verify import cli


def test_piped_table_output_is_neither_wrapped_nor_cut(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("NO_COLOR", "1")
    long_dir = tmp_path / ("een-hele-lange-mapnaam-" * 4)
    long_dir.mkdir()
    name = "Telling_GR2030_" + "Testdorp" * 20 + ".eml.xml"
    (long_dir / name).write_bytes(make_510b(STATIONS, total_override={"blank": 4}))
    assert cli.main(["verify", str(long_dir)]) == 1
    out = capsys.readouterr().out
    assert "…" not in out
    assert any(line.rstrip().endswith(name) for line in out.splitlines())  # the file name whole, on its line
    message = "blanco stemmen is 4 in het totaal, maar de 3 stembureaus tellen op tot 3"
    assert any(line.startswith("AGG.TOTAL") and message in line for line in out.splitlines())  # one line

    assert cli.main(["inspect", str(long_dir)]) == 0
    out = capsys.readouterr().out
    assert "…" not in out and "Gemeenteraad Testdorp 2030" in out
    header = out.splitlines()[1]
    assert all(word in header for word in ("verkiezing", "kiesgerechtigden", "toegelaten", "ongeldig"))  # no column squeezed away
