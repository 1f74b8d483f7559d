"""The research CSVs read as the OSV CSV reader reads (fix round after the attacker's trial):
by content, not name; another separator, a NUL or an overlong name is one input error; a
second copy of a file is compared with the first; names reach a terminal without controls."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from osv_verify.app.verify import verify
from osv_verify.core.errors import InputError
from osv_verify.io import kiesraad_csv
from osv_verify.io.discover import discover

from test_research import STATIONS, UITSLAG, WMW_510B, members

HEAD_U = ";".join(kiesraad_csv.UITSLAG)
HEAD_S = ";".join(kiesraad_csv.STATIONS)


def uitslag(name: str = "Partij A") -> str:
    rows = [f"Dorp;G0999;K6;P25;;;;;;;;;;;{field};{value}" for field, value in
            (("Kiesgerechtigden", 100), ("AantalGeldigeStemmen", 30), ("AantalBlancoStemmen", 0),
             ("AantalOngeldigeStemmen", 0), ("Opkomst", 30))]
    rows += [f"Dorp;G0999;K6;P25;;1;{name};;;;;;;;LijstAantalStemmen;10",
             "Dorp;G0999;K6;P25;;2;Partij B;;;;;;;;LijstAantalStemmen;20"]
    return "\n".join([HEAD_U, *rows]) + "\n"


def stations(b_votes: int = 20, name: str = "Partij A") -> str:
    return "\n".join([HEAD_S, f"0999;Dorp;1234AB;School;SB1;{name};10", f"0999;Dorp;1234AB;School;SB1;Partij B;{b_votes}"]) + "\n"


def test_the_header_with_commas_is_an_input_error_naming_the_file(tmp_path: Path):
    (tmp_path / "TK2025_uitslag.csv").write_text(uitslag().replace(";", ","))
    inv = discover([tmp_path])
    assert not inv.skipped and len(inv.problems) == 1
    assert "TK2025_uitslag.csv" in str(inv.problems[0]) and "','" in str(inv.problems[0])


@pytest.mark.parametrize("bad", ["Partij\x00A", "P" * 3000])
def test_a_nul_or_an_overlong_name_is_an_input_error(bad: str):
    data = (HEAD_U + "\n" + f"Dorp;G0999;K6;P25;;1;{bad};;;;;;;;LijstAantalStemmen;10\n").encode()
    with pytest.raises(InputError, match="line 2"):
        kiesraad_csv.read(data, "TK2025_uitslag.csv")


def test_a_control_character_reaches_a_terminal_as_a_replacement(tmp_path: Path):
    from osv_verify.cli.common import TerminalStream  # what export writes stdout through

    class Tty:
        def __init__(self):
            self.text = ""

        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> int:
            self.text += text
            return len(text)

    tty = Tty()
    TerminalStream(tty).write("B\x1b]52;c;ZWNobw==\x07BB\n")  # OSC 52: write the clipboard
    assert tty.text == "B\ufffd]52;c;ZWNobw==\ufffdBB\n"


def test_two_copies_under_other_names_that_disagree_are_compared(tmp_path: Path):
    with zipfile.ZipFile(tmp_path / "research.zip", "w") as z:
        z.writestr("u.txt", uitslag())
        z.writestr("a.txt", stations())
        z.writestr("c.txt", stations(b_votes=21))
    result = verify([tmp_path / "research.zip"])
    found = [f for f in result.findings if f.code == "AGG.RESEARCH"]
    assert [(f.location.unit, f.location.list) for f in found] == [("0999::SB1", 2)], result.findings


def test_the_zip_name_gives_the_election_and_the_report_says_so(tmp_path: Path):
    with zipfile.ZipFile(tmp_path / "TK2023_CSV.zip", "w") as z:
        z.writestr("u.txt", uitslag())
        z.writestr("a.txt", stations())
    result = verify([tmp_path / "TK2023_CSV.zip"])
    assert [e.id for e in result.elections] == ["TK2023"]
    assert sorted(f.source.rsplit("!", 1)[1] for f in result.findings if f.code == "META.RESEARCH_ELECTION") == ["a.txt", "u.txt"]
    assert kiesraad_csv.election_of("x/research.zip!u.txt") is None


@pytest.mark.realdata
def test_renamed_copies_are_compared_with_the_eml_of_the_run(real_data: Path, tmp_path: Path):
    data = members(real_data)
    (tmp_path / "uitslag.csv").write_bytes(data[UITSLAG])
    lines = data[STATIONS].decode("utf-8-sig").splitlines(keepends=True)
    changed = [ln.replace(";61\r", ";62\r") if ln.startswith("668;") and ";SB1;" in ln and ";BBB;" in ln else ln for ln in lines]
    assert changed != lines
    (tmp_path / "stemmen.csv").write_text("".join(changed), encoding="utf-8")
    result = verify([tmp_path, real_data / WMW_510B])
    assert [e.id for e in result.elections] == ["TK2025"]
    found = [(f.location.unit, f.location.list) for f in result.findings if f.code == "AGG.RESEARCH"]
    assert ("0668::SB1", 6) in found
    assert not [f for f in result.findings if f.code == "META.RESEARCH_ELECTION"]  # the 510b's content said which


@pytest.mark.realdata
def test_inspect_shows_what_the_research_csvs_hold(real_data: Path):
    from osv_verify.app.inspection import inspect

    from test_research import plain

    data = members(real_data)
    stations = {(r["GemeenteCode"], r["StembureauCode"]) for r in plain(data[STATIONS])}
    uitslag = plain(data[UITSLAG])
    gemeenten = {r["RegioCode"] for r in uitslag if r["RegioCode"][0] in "GO"}
    seats = sum(int(r["Waarde"]) for r in uitslag if r["VeldType"] == "LijstAantalZetels")
    lists = {r["LijstNummer"] for r in uitslag if r["LijstNummer"]}
    (info,), errors, _ = inspect([real_data / "TK2025" / "kiesraad_csv" / "TK2025_CSV.zip"])
    assert not errors
    assert (info.reporting_units, info.seats, info.lists) == (len(stations), seats, len(lists)) and seats == 150
    assert info.levels["onderzoeksdata stembureau"] == len(stations) and info.levels["onderzoeksdata gemeente"] == len(gemeenten)
    assert info.candidates > 1000 and info.totals["valid"] and info.totals_from == "onderzoeksdata L528"
