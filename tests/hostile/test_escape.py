"""Output that reaches other programs (issue 25): a name from the files never runs as a
spreadsheet formula, never drives the terminal (rich markup or control characters) and never
becomes HTML or a link in Markdown."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import STATIONS, make_510b
from test_corpus import CSV, run

from osv_verify.core.escape import csv_cell, md_cell, rich_text, terminal

FORMULA = '=HYPERLINK("http://evil","x")'
PLUS = "+cmd|' /C calc'!A0"
AT = "@SUM(1)"
MARKUP = "[/] [link=http://evil]klik[/link] [red]weg[/red]"
CONTROLS = "\x1b[2J\x1b]8;;http://evil\x1b\\\x1b]52;c;ZXZpbA==\x07\x9b31m"


def hostile_csv(tmp_path: Path, wrong: bool = True) -> Path:
    """The corpus' OSV4-3 CSV with a list, a candidate and a station named as an attacker would,
    and (``wrong``) one station that does not add up, so that it is reported by name."""
    text = (CSV.replace('"Partij A"', '"' + FORMULA.replace('"', '""') + '"')
            .replace('"Jansen, A."', f'"{PLUS}"')
            .replace('"Stembureau 1"', f'"{AT} {MARKUP} {CONTROLS}"')
            .replace('"Partij B"', '"\tTab"'))
    if wrong:
        text = text.replace(';"aangetroffen stembiljetten";;;"204";"102";"102"', ';"aangetroffen stembiljetten";;;"204";"103";"102"')
    path = tmp_path / "osv.csv"
    path.write_text(text, encoding="utf-8")
    return path


def hostile_510b(tmp_path: Path) -> Path:
    """A 510b whose station, list and election names are an attacker's (protocol needs a 510b)."""
    data = (make_510b(STATIONS).decode()
            .replace(">Stembureau 0999::SB1<", f">{AT} {MARKUP} &lt;script>alert(1)&lt;/script><")
            .replace(">Lijst 1<", ">" + FORMULA.replace('"', "&quot;") + "<")
            .replace(">Gemeenteraad Testdorp 2030<", ">&lt;img src=x onerror=alert(1)><"))
    path = tmp_path / "Telling_GR2030_Testdorp.eml.xml"
    path.write_text(data, encoding="utf-8")
    return path



def cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";") for c in row]


def assert_no_formula(all_cells: list[str]) -> None:
    for c in all_cells:
        assert not c.startswith(("=", "+", "-", "@", "\t", "\r")) or re.fullmatch(r"[+-][0-9]+([.,][0-9]+)?%?", c), c


# ---------------------------------------------------------------- the rules


@pytest.mark.parametrize("value, written", [
    ("=1+1", "'=1+1"), ("+31 6 1234", "'+31 6 1234"), ("-2+3", "'-2+3"), ("@x", "'@x"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("Partij = A", "Partij = A"), ("-3", "-3"), ("+38.3%", "+38.3%"), ("-0,5", "-0,5"),
    (-3, -3), (None, ""), ("", ""),
])
def test_csv_cell_neutralises_formulas_but_not_numbers(value, written):
    assert csv_cell(value) == written


def test_terminal_and_markdown_helpers():
    assert "\x1b" not in terminal(CONTROLS) and "\x07" not in terminal(CONTROLS) and "\x9b" not in terminal(CONTROLS)
    assert terminal("a\tb\nc") == "a\tb\nc"
    assert rich_text("[/]") == "\\[/]"
    md = md_cell("<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> a|b\nc")
    assert "<" not in md and "](" not in md.replace("\\](", "") and "\\|" in md and "\n" not in md


# ---------------------------------------------------------------- CSV in every writer


def test_export_csv_neutralises_formulas(tmp_path, capsys):
    got = []
    for table in ("numbers", "sources", "stations", "lists", "candidates", "elections"):  # names live in their own tables
        code, out, _ = run(capsys, "export", hostile_csv(tmp_path), "--table", table)
        assert code == 0
        got += cells(out)
    assert "'" + FORMULA in got and "'" + PLUS in got
    assert_no_formula(got)


def test_verify_csv_neutralises_formulas(tmp_path, capsys):
    path = hostile_csv(tmp_path)
    code, out, _ = run(capsys, "verify", path, "-f", "csv")
    assert code == 1
    assert_no_formula(cells(out))


def test_protocol_sheets_neutralise_formulas(tmp_path, capsys):
    out = tmp_path / "controle"
    code, _, err = run(capsys, "protocol", hostile_510b(tmp_path), "-o", out)
    assert code in (0, 1), err
    sheets = sorted(out.rglob("*.csv"))
    assert len(sheets) == 3
    c = cells((out / sheets[0].parent.name / "c.csv").read_text(encoding="utf-8"))
    assert any(x.startswith("'@SUM(1)") for x in c)
    for sheet in sheets:
        assert_no_formula(cells(sheet.read_text(encoding="utf-8")))


def test_template_neutralises_formulas(tmp_path, capsys):
    code, out, err = run(capsys, "template", hostile_csv(tmp_path, wrong=False))
    assert code == 0, err
    got = cells(out)
    assert "'" + PLUS in got and "'" + FORMULA in got
    assert_no_formula(got)


# ---------------------------------------------------------------- the terminal


def test_markup_and_controls_in_names_never_reach_the_terminal(tmp_path, capsys):
    code, out, err = run(capsys, "verify", hostile_csv(tmp_path))
    assert code == 1, err  # not 3: "[/]" does not crash the run
    assert "[/] [link=http://evil]klik[/link] [red]weg[/red]" in out  # shown as written, nothing vanishes
    for c in ("\x1b", "\x07", "\x9b"):
        assert c not in out and c not in err


def test_inspect_table_shows_markup_as_text(tmp_path, capsys):
    path = hostile_csv(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("Gemeenteraad Anderdorp 2030", "[/]Raad[link=x]"), encoding="utf-8")
    code, out, err = run(capsys, "inspect", path)
    assert code == 0, err
    assert "[/]Raad[link=x]" in out.replace("\n", "").replace("│", "").replace(" ", "")


def test_controls_in_a_member_name_never_reach_the_error_line(tmp_path, capsys):
    archive = tmp_path / "set.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("x\x1b[2J\x1b]52;c;ZXZpbA==\x07.eml.xml", b"<EML broken")
    code, out, err = run(capsys, "verify", archive)
    assert code == 2 and "set.zip" in err
    assert "\x1b" not in err + out and "\x07" not in err + out


# ---------------------------------------------------------------- Markdown


def test_seats_markdown_escapes_html_and_links(tmp_path, capsys):
    votes = tmp_path / "votes.csv"
    votes.write_text("list;name;votes\n1;<img src=x onerror=alert(1)>;600\n2;[x](javascript:alert(1));400\n3;<script>alert(1)</script>;10\n")
    code, out, err = run(capsys, "seats", "--votes", votes, "--seats", "3", "-f", "markdown")
    assert code == 0, err
    assert "<img" not in out and "<script" not in out and not re.search(r"(?<!\\)\]\(", out)
    assert "\\[x\\](javascript:alert(1))" in out  # shown as text


def test_protocol_markdown_escapes_html(tmp_path, capsys):
    code, out, err = run(capsys, "protocol", hostile_510b(tmp_path), "-f", "markdown")
    assert code in (0, 1), err
    assert "alert(1)" in out and "<script" not in out and "<img" not in out
