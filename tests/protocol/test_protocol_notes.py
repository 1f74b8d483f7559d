"""What the protocol could not check is said, per column, with the stations and the true reason:
a real 510b (Bloemendaal GR2022) with the admitted voters (D) taken out of one station, or of
every station (absent is not zero: the columns that need D are not computed there)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from osv_verify import cli
from osv_verify.app.protocol import run

NAME = "Telling_GR2022_Bloemendaal.eml.xml"
ADMITTED = re.compile(r'<UncountedVotes ReasonCode="toegelaten kiezers">\d+</UncountedVotes>')
DIFFERENCE_NL = "Stembureau >=15 of >=2.0% verschil tussen toegelaten kiezers en uitgebrachte stemmen"
DIFFERENCE_EN = "Admitted voters and votes differ >=15 or >=2.0%"
MISSING_NL = "Aantal ontbrekende verklaringen voor verschil"
NO_D_NL = "geen toegelaten kiezers (D) in het bestand"
NO_D_EN = "no admitted voters (D) in the file"


def without_admitted(real_data: Path, folder: Path, stations: slice) -> Path:
    """The Bloemendaal 510b with the stations' 'toegelaten kiezers' removed (the first match is
    the municipality's total, which keeps it)."""
    src = real_data / "GR2022" / "eml" / NAME
    if not src.is_file():
        pytest.skip(f"{src} not found")
    text = src.read_text(encoding="utf-8")
    found = list(ADMITTED.finditer(text))[1:][stations]
    assert found
    for m in reversed(found):
        text = text[: m.start()] + text[m.end():]
    folder.mkdir()
    (folder / NAME).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def one(real_data: Path, tmp_path: Path) -> Path:
    return without_admitted(real_data, tmp_path / "one", slice(0, 1))  # station 1


@pytest.fixture
def none(real_data: Path, tmp_path: Path) -> Path:
    return without_admitted(real_data, tmp_path / "none", slice(None))


def notes(capsys, folder: Path, lang: str = "nl") -> dict[str, list[str]]:
    assert cli.main(["protocol", str(folder), "-f", "json", "--lang", lang]) == 0
    [m] = json.loads(capsys.readouterr().out)["municipalities"]
    out: dict[str, list[str]] = {}
    for n in m["not_run"]:
        out.setdefault(n["column"], []).append(n["reason"])
    return out


def test_difference_column_says_which_station_has_no_admitted_voters_in_every_output(capsys, one: Path, tmp_path: Path):
    assert notes(capsys, one)[DIFFERENCE_NL] == [f"stembureau 1: {NO_D_NL}"]
    assert notes(capsys, one, "en")[DIFFERENCE_EN] == [f"station 1: {NO_D_EN}"]
    assert cli.main(["protocol", str(one), "-f", "markdown"]) == 0
    assert f"- {DIFFERENCE_NL}: stembureau 1: {NO_D_NL}" in capsys.readouterr().out
    assert cli.main(["protocol", str(one), "-f", "html", "--lang", "en"]) == 0
    assert f"{DIFFERENCE_EN.replace('>', '&gt;')}: station 1: {NO_D_EN}</li>" in capsys.readouterr().out
    assert cli.main(["protocol", str(one), "-o", str(tmp_path / "sheets")]) == 0
    assert f"  niet gecontroleerd: {DIFFERENCE_NL}: stembureau 1: {NO_D_NL}" in capsys.readouterr().err.splitlines()


def test_missing_explanations_give_the_true_reason_no_admitted_voters(capsys, one: Path):
    assert notes(capsys, one)[MISSING_NL] == [f"stembureau 1: {NO_D_NL}"]  # not "the file gives no explanations"
    assert notes(capsys, one, "en")["Explanations missing"] == [f"station 1: {NO_D_EN}"]


def test_no_station_with_admitted_voters_says_the_columns_were_checked_for_none(capsys, none: Path):
    said = notes(capsys, none)
    assert said[DIFFERENCE_NL] == [f"bij geen enkel stembureau gecontroleerd: {NO_D_NL}"]
    assert said[MISSING_NL] == [f"bij geen enkel stembureau gecontroleerd: {NO_D_NL}"]
    assert notes(capsys, none, "en")[DIFFERENCE_EN] == [f"not checked for any station: {NO_D_EN}"]


def test_part_b_names_the_count_it_could_not_add_up(one: Path, none: Path):
    [m] = run([one]).municipalities
    assert m.part_b is not None
    nl, en = m.part_b
    assert "gelijk aan de som van 25 stembureaus, behalve wat ontbreekt en dus niet is nagerekend: " \
           "toegelaten kiezers (D) bij stembureau 1." in nl
    assert "equals the sum of 25 stations, except what is missing and so was not recomputed: " \
           "admitted voters (D) in station 1." in en
    [m] = run([none]).municipalities
    assert m.part_b is not None and m.part_b[0].endswith("toegelaten kiezers (D) bij elk stembureau.")
