"""Dutch all the way: every command's success and error paths with ``--lang nl`` (the default)
print no English, and the same paths with ``--lang en`` print English.

What is not language is taken out before looking for English words: file paths and names,
check codes (``F.402``, ``DOUBLE.EMPTY``), option and setting names (``--lots``,
``zero_expected``), EML element names (``ReportingUnitVotes``), election ids
(``GR2030_Testdorp``) and anything quoted (``'12a'``: text from a file or a library). What
is left must not hold an English word from ``ENGLISH`` (words that are not Dutch words too).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from osv_verify import cli
from osv_verify.core.text import Text

ENGLISH = re.compile(
    r"\b(the|and|not|no|error|errors|warning|warnings|file|files|found|seats|steps|elected|list|lists|unit|units|"
    r"compared|identical|differences?|cannot|read|reading|missing|wrote|expected|give|choose|with|without|only|"
    r"number|numbers|votes|quota|candidate|candidates|checked|input|matches|unknown|such|exists|overwrite|must|"
    r"between|entries|entry|agree|same|count|other|has|have|are|which|when|from|should|nothing|filled|run|settings|"
    r"polling|station|stations|allocation|computed|invalid|blank|valid|eligible|admitted|explanation|explanations)\b",
    re.IGNORECASE,
)

NOT_LANGUAGE = [
    re.compile(r"'[^'\n]*'|\"[^\"\n]*\""),  # quoted: text from the file, or a library's own message
    re.compile(r"\S*[/\\]\S*"),  # paths
    re.compile(r"\S+\.(xml|csv|zip|txt|json)\b", re.IGNORECASE),  # file names
    re.compile(r"\b[A-Z][A-Z0-9]*(?:\.[A-Za-z0-9_]+)+(?:-[A-Z]\.\d+)?"),  # check codes: F.402, DOUBLE.EMPTY, F.305-F.312
    re.compile(r"--[\w-]+"),  # options
    re.compile(r"\b\w+_\w+\b"),  # identifiers: settings, election ids, JSON keys
    re.compile(r"\b[A-Z]{3,}\b"),  # check names: SEATS
    re.compile(r"\b[A-Z][a-z]+[A-Z]\w*"),  # EML element names: ReportingUnitVotes
]


def english_in(text: str) -> list[str]:
    for pattern in NOT_LANGUAGE:
        text = pattern.sub(" ", text)
    return sorted({m.group(0) for m in ENGLISH.finditer(text)})


def test_the_filter_finds_english_and_leaves_codes_paths_and_quotes():
    assert english_in("osv-verify: error: give at least one file") == ["error", "file", "give"]
    assert english_in("A: /tmp/x/invoer.csv  DOUBLE.EMPTY 0668::SB1: 'no such value' in ReportingUnitVotes") == []
    assert english_in("osv-verify: fout: geef minstens één bestand --list-checks blank_invalid_pct") == []


# ---- the runs --------------------------------------------------------------------------

WMW = "GR2022/WestMaasenWaal"


@pytest.fixture
def files(tmp_path: Path, demo_510b: Path, real_data: Path) -> dict[str, Path]:
    """Inputs for every path: good, broken, and the user's own sheets."""
    from conftest import STATIONS, make_510b

    bad_sum = dict(STATIONS)
    wrong = tmp_path / "wrong" / "Telling_GR2030_Testdorp.eml.xml"
    wrong.parent.mkdir()
    wrong.write_bytes(make_510b(bad_sum).replace(b"<ValidVotes>50</ValidVotes>", b"<ValidVotes>51</ValidVotes>", 1))
    broken = tmp_path / "broken.eml.xml"
    broken.write_bytes(b"<EML><Count>")
    note = tmp_path / "note.txt"
    note.write_text("just a note", encoding="utf-8")
    votes = tmp_path / "uitslag.csv"
    votes.write_text("list;name;votes\n1;Partij A;600\n2;Partij B;300\n3;Partij C;100\n", encoding="utf-8")
    lots = tmp_path / "loten.txt"
    lots.write_text("2\n", encoding="utf-8")
    votes_bad = tmp_path / "fout.csv"
    votes_bad.write_text("list;votes\n1;5\n", encoding="utf-8")
    sheet = tmp_path / "invoer-1.csv"
    assert cli.main(["template", str(real_data / WMW / "Telling_GR2022_WestMaasenWaal.eml.xml"), "-o", str(sheet)]) == 0
    filled = tmp_path / "invoer-2.csv"
    text = (real_data / WMW / "osv4-3_telling_gr2022_westmaasenwaal.csv").read_text(encoding="utf-8-sig").splitlines()
    i = next(i for i, ln in enumerate(text) if ln.split(";")[1:2] == ['"blanco stembiljetten"'])
    cells = text[i].split(";")
    cells[5], cells[6], cells[7] = '"12a"', "", '"-3"'  # a text, an empty and a negative cell
    text[i] = ";".join(cells)
    filled.write_text("\ufeff" + "\n".join(text), encoding="utf-8")
    return {"demo": demo_510b, "wrong": wrong, "broken": broken, "note": note, "votes": votes, "votes_bad": votes_bad, "lots": lots,
            "sheet": sheet, "filled": filled, "wmw": real_data / WMW, "tmp": tmp_path,
            "eml": real_data / WMW / "Telling_GR2022_WestMaasenWaal.eml.xml",
            "csv": real_data / WMW / "osv4-3_telling_gr2022_westmaasenwaal.csv",
            "tk": real_data / "TK2025" / "Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml"}


#: (name, arguments, exit code): the success and the error paths of every command.
RUNS = [
    ("command line: unknown option", ["verify", "{demo}", "--nope"], 2),
    ("command line: missing argument", ["hash"], 2),
    ("command line: bad value", ["verify", "{demo}", "--format", "xml"], 2),
    ("command line: no such command", ["nocmd"], 2),
    ("verify clean", ["verify", "{demo}"], 0),
    ("verify errors", ["verify", "{wrong}"], 1),
    ("verify real + plausibility", ["verify", "{wmw}", "--plausibility"], 1),
    ("verify markdown", ["verify", "{wmw}", "--format", "markdown", "--plausibility"], 1),
    ("verify json messages", ["verify", "{wmw}", "--format", "json"], 1),
    ("verify quiet", ["verify", "{wmw}", "--quiet"], 1),
    ("verify list-checks", ["verify", "--list-checks"], 0),
    ("verify list-checks markdown", ["verify", "--list-checks", "--format", "markdown"], 0),
    ("verify no paths", ["verify"], 2),
    ("verify missing", ["verify", "{demo}", "{tmp}/nope.xml"], 2),
    ("verify broken", ["verify", "{demo}", "{broken}"], 2),
    ("verify not an election file", ["verify", "{note}"], 2),
    ("verify bad cell", ["verify", "{filled}"], 2),
    ("verify unknown setting", ["verify", "{demo}", "--set", "nope=1"], 2),
    ("verify setting not a number", ["verify", "{demo}", "--set", "zero_expected=many"], 2),
    ("verify output over input", ["verify", "{demo}", "--format", "json", "--output", "{demo}"], 2),
    ("seats real", ["seats", "{wmw}", "--explain"], 0),
    ("seats real markdown", ["seats", "{wmw}", "--format", "markdown"], 0),
    ("seats what-if", ["seats", "--votes", "{votes}", "--seats", "9", "--explain"], 0),
    ("seats no paths", ["seats"], 2),
    ("seats votes without seats", ["seats", "--votes", "{votes}"], 2),
    ("seats bad votes file", ["seats", "--votes", "{votes_bad}", "--seats", "9"], 2),
    ("seats missing votes file", ["seats", "--votes", "{tmp}/nope.csv", "--seats", "9"], 2),
    ("seats bad date", ["seats", "--votes", "{votes}", "--seats", "9", "--date", "morgen"], 2),
    ("seats lots not needed", ["seats", "--votes", "{votes}", "--seats", "9", "--lots", "{lots}"], 2),
    ("seats bad category", ["seats", "--votes", "{votes}", "--seats", "9", "--category", "XX"], 2),
    ("inspect", ["inspect", "{wmw}"], 0),
    ("inspect markdown", ["inspect", "{demo}", "--format", "markdown"], 0),
    ("inspect missing", ["inspect", "{tmp}/nope.xml"], 2),
    ("compare agreeing entries", ["compare", "{eml}", "{csv}"], 1),  # both have the real TALLY.EXPLANATIONS errors
    ("compare differences, empty and bad cells", ["compare", "{filled}", "{eml}"], 1),
    ("compare blank sheet", ["compare", "{sheet}", "{eml}"], 1),
    ("compare markdown", ["compare", "{filled}", "{eml}", "--format", "markdown"], 1),
    ("compare json messages", ["compare", "{filled}", "{eml}", "--format", "json"], 1),
    ("compare other count", ["compare", "{eml}", "{tk}"], 2),
    ("compare not a count", ["compare", "{note}", "{eml}"], 2),
    ("template", ["template", "{eml}", "{csv}", "-o", "{tmp}/nieuw.csv"], 0),
    ("template would overwrite", ["template", "{eml}", "-o", "{sheet}"], 2),
    ("template nothing to build from", ["template", "{note}"], 2),
    ("hash", ["hash", "{demo}"], 0),
    ("hash mismatch", ["hash", "{demo}", "--expect", "0" * 64], 1),
    ("hash bad expect", ["hash", "{demo}", "--expect", "abc"], 2),
    ("hash missing", ["hash", "{tmp}/nope.xml"], 2),
    ("hash folder", ["hash", "{tmp}"], 2),
]


def run(capsys, args: list[str], files: dict[str, Path]) -> tuple[int, str]:
    code = cli.main([a.format(**files) for a in args])
    out, err = capsys.readouterr()
    if "json" in args and out:  # data: the keys are a schema, only the messages are language
        data = json.loads(out)
        out = "\n".join(str(f.get("message")) for f in data.get("findings", []))
    return code, out + err


@pytest.mark.realdata
@pytest.mark.parametrize("name, args, exit_code", RUNS, ids=[r[0] for r in RUNS])
def test_dutch_by_default_and_no_english(name, args, exit_code, files, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "400")  # no wrapping or cut words in tables
    code, text = run(capsys, args, files)
    assert code == exit_code, text
    assert text.strip(), "every path says something"
    assert english_in(text) == [], text


ENGLISH_RUNS = [r for r in RUNS if r[2] == 2 or r[0] in ("verify errors", "seats what-if", "compare differences, empty and bad cells")]


@pytest.mark.realdata
@pytest.mark.parametrize("name, args, exit_code", ENGLISH_RUNS, ids=[r[0] for r in ENGLISH_RUNS])
def test_english_with_lang_en(name, args, exit_code, files, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    code, text = run(capsys, [*args, "--lang", "en"], files)
    assert code == exit_code, text
    assert english_in(text), f"--lang en printed no English: {text}"
    assert not re.search(r"\b(fout|niet|bestand|bestanden|geen|lijst|zetels)\b", english_in_text_only(text)), text


def english_in_text_only(text: str) -> str:
    for pattern in NOT_LANGUAGE:
        text = pattern.sub(" ", text)
    return text


def test_command_line_errors_are_one_line(capsys):
    assert cli.main(["verify", "--nope"]) == 2
    assert capsys.readouterr().err == "osv-verify: fout: onbekende optie --nope; zie osv-verify verify --help\n"
    assert cli.main(["hash", "--lang", "en"]) == 2
    assert capsys.readouterr().err == "osv-verify: error: Missing argument 'files'; see osv-verify hash --help\n"


def test_internal_error_in_the_chosen_language(capsys, monkeypatch, demo_510b):
    import osv_verify.app.verify

    monkeypatch.setattr(osv_verify.app.verify, "verify", lambda *a, **k: 1 / 0)
    assert cli.main(["verify", str(demo_510b)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("osv-verify: interne fout: ZeroDivisionError") and english_in(err) == []
    assert cli.main(["verify", str(demo_510b), "--lang=en"]) == 3
    assert capsys.readouterr().err.startswith("osv-verify: internal error: ZeroDivisionError")


def test_place_words_and_pickling():
    import pickle

    from osv_verify.core.errors import InputError, UsageError

    err = InputError("a.csv", Text("aantal 'x' is geen geheel getal van 0 of meer",
                                   "count 'x' is not a whole non-negative number"), "row 3, column 7")
    assert err.message_in("nl") == "a.csv: rij 3, kolom 7: aantal 'x' is geen geheel getal van 0 of meer"
    assert err.message_in("en") == "a.csv: row 3, column 7: count 'x' is not a whole non-negative number"
    assert InputError("b.xml", Text("y", "x"), "line 4: Selection").message_in("nl") == "b.xml: regel 4: Selection: y"
    back = pickle.loads(pickle.dumps(err))
    assert back.message_in("nl") == err.message_in("nl") and back.where == "row 3, column 7"
    usage = pickle.loads(pickle.dumps(UsageError(Text("geef een bestand", "give a file"))))
    assert (usage.message_in("nl"), usage.message_in("en")) == ("geef een bestand", "give a file")


def test_singular_and_plural(capsys, demo_510b, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    cli.main(["verify", str(demo_510b)])
    out = capsys.readouterr().out
    assert "1 bestand, 4 eenheden gecontroleerd, 0 fouten, 0 waarschuwingen" in out
    cli.main(["verify", str(demo_510b), "--lang", "en"])
    assert "1 file, 4 units checked, 0 errors, 0 warnings" in capsys.readouterr().out
