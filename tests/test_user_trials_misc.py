"""Problems users found trying the merged issues 20-25 (reports, messages, inputs); each test
failed before its fix."""

from __future__ import annotations

import json

import pytest
from test_cli import no_color, run  # noqa: F401 - the CLI runner and its plain-terminal fixture (autouse)

from osv_verify.core.findings import Location


def test_hash_mismatch_shows_the_expected_hash(capsys, demo_510b):
    wrong = "0" * 64
    code, out, _ = run(capsys, "hash", demo_510b, "--expect", wrong, "--lang", "en")
    assert code == 1
    assert "DOES NOT MATCH; expected:\n  " + " ".join(["0000"] * 16) in out
    code, out, _ = run(capsys, "hash", demo_510b, "--expect", wrong, "--format", "json")
    doc = json.loads(out)
    assert doc["expected"] == " ".join(["0000"] * 16) and doc["files"][0]["matches"] is False
    code, out, _ = run(capsys, "hash", demo_510b, "--format", "json")
    assert json.loads(out)["expected"] is None


def test_a_committee_file_is_labelled_with_its_election():
    assert Location("GR2022_Barneveld", authority="CSB").label() == "GR2022_Barneveld / CSB"
    assert Location("PS2019_Fryslan", authority="HSB2").label("en") == "PS2019_Fryslan / HSB2"
    # a municipality's units keep their short label
    assert Location("GR2022_Barneveld", authority="0203", unit="0203::SB1").label() == "0203::SB1"
    assert Location("GR2022_Barneveld", authority="0203").label() == "0203"


def test_a_csv_cut_off_mid_row_is_an_input_error(capsys, tmp_path, real_data):
    full = real_data / "GR2022" / "WestMaasenWaal" / "osv4-3_telling_gr2022_westmaasenwaal.csv"
    cut = tmp_path / "t.csv"
    cut.write_bytes(full.read_bytes()[:3000])
    code, out, err = run(capsys, "template", cut, "--lang", "en")
    assert code == 2 and "t.csv" in err and "row 23" in err and "ends in the middle of a row" in err
    assert "0 lists" not in out
    code, out, err = run(capsys, "compare", cut, full)
    assert code == 2 and "rij 23" in err and "DOUBLE.EMPTY" not in out
    # the same file cut at a line end is a shorter file, not an error; the full one reads
    code, _, err = run(capsys, "template", full)
    assert code == 0, err


def test_the_tools_own_html_report_in_a_folder_is_skipped(capsys, tmp_path, demo_510b):
    folder = tmp_path / "uitslag"
    folder.mkdir()
    (folder / "telling.eml.xml").write_bytes(demo_510b.read_bytes())
    code, _, err = run(capsys, "verify", folder / "telling.eml.xml", "--format", "html", "-o", folder / "rapport.html")
    assert code == 0, err
    assert (folder / "rapport.html").read_bytes().startswith(b"<!DOCTYPE html")
    code, out, err = run(capsys, "verify", folder, "--format", "json")
    assert code == 0, err
    summary = json.loads(out)["summary"]
    assert summary["input_errors"] == [] and any(s.endswith("rapport.html") for s in summary["skipped"])
    code, out, _ = run(capsys, "verify", folder)
    assert code == 0 and "1 overgeslagen (geen verkiezingsbestand): rapport.html" in out
    # named on the command line: one clear line, not the DTD refusal
    code, _, err = run(capsys, "verify", folder / "rapport.html", "--lang", "en")
    assert code == 2 and "rapport.html: an HTML page, not an EML file" in err and "DTD" not in err


def test_a_dtd_in_real_xml_is_still_refused_and_the_verdict_says_so(capsys, tmp_path, demo_510b):
    folder = tmp_path / "uitslag"
    folder.mkdir()
    (folder / "telling.eml.xml").write_bytes(demo_510b.read_bytes())
    (folder / "x.xml").write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>')
    code, out, err = run(capsys, "verify", folder)
    assert code == 2 and "x.xml" in err and "DOCTYPE" in err
    first = out.splitlines()[0]
    assert "gecontroleerd" in first and "; dit oordeel geldt alleen voor de gelezen bestanden: 1 invoerfout buiten elke verkiezing" in first


def test_a_seat_warning_reaches_the_verdict():
    """Too few candidates: seats stay unassigned (Kieswet P 10). The 520 may agree, but the
    verdict says so with the warning, never a plain "klopt"."""
    from osv_verify.app.verdict import Part, PartKey, Status, answer
    from osv_verify.core.text import Text

    seats = Part(PartKey.SEATS, True, Text("herberekend", "recomputed"),
                 caveat=Text("15 zetels blijven onverdeeld: geen lijst kan nog een zetel krijgen",
                             "15 seats stay unassigned: no list can take another seat"))
    (sentence,) = answer(Status.VERIFIED, [seats])
    assert sentence.good is None
    assert sentence.text.nl == ("De zetelverdeling klopt, met voorbehoud: herberekend; waarschuwing: 15 zetels blijven "
                                "onverdeeld: geen lijst kan nog een zetel krijgen.")
    assert sentence.text.en.startswith("The seat allocation is right, with a caveat: recomputed; warning: 15 seats stay")


def test_a_generated_province_with_too_few_candidates_says_so_in_verify(capsys, tmp_path):
    """The same through ``verify``: the generated PS2027 (5 lists of 6 candidates for 39 seats)
    leaves seats unassigned; ``seats`` warned, ``verify`` said "De zetelverdeling klopt"."""
    from osv_verify.devtools.synth import generate_2027

    generate_2027(tmp_path, category="PS", seed=1, candidates=6)  # as the README's command writes it
    code, out, err = run(capsys, "seats", tmp_path)
    assert "zetels blijven onverdeeld" in out, err
    code, out, err = run(capsys, "verify", tmp_path)
    assert "De zetelverdeling klopt:" not in out
    assert "De zetelverdeling klopt, met voorbehoud: " in out and "; waarschuwing: " in out and "zetels blijven onverdeeld" in out


@pytest.mark.parametrize("election", ["PS2019", "AB2019"])
def test_seats_says_why_it_computed_nothing(capsys, real_data, election):
    """A municipality's count of a provincial or water-board election: the seats cannot be
    computed, and ``seats`` said nothing at all (exit 4, JSON only ``computed: false``)."""
    code, out, err = run(capsys, "seats", real_data / election, "--lang", "en")
    assert code == 4, err
    assert out.strip() == (f"{election}_Fryslan: SEATS not run: needs the count that covers the whole election, and it is "
                           "missing: the central count (510d, Totaaltelling_...)")
    code, out, _ = run(capsys, "seats", real_data / election, "--format", "json")
    (doc,) = json.loads(out)["elections"]
    assert doc["computed"] is False and [d["code"] for d in doc["differences"]] == ["CHECK.NOT_RUN"]
    assert "Totaaltelling_" in doc["differences"][0]["message_nl"]


def test_w202_shows_the_share_and_the_threshold_as_what_they_are(capsys, real_data):
    """Barneveld SB11: 3 invalid of 56 ballots. The 3 % threshold (2 or more of 56) was shown as
    "verwacht 2" and "(3 % = 2)", the share (5.4 %) nowhere."""
    from osv_verify.checks.tally import percent

    assert percent(3, 56).nl == "5,4" and percent(3, 56).en == "5.4"  # 3000/56 = 53.57 tenths
    assert percent(1, 40).en == "2.5" and percent(1, 3).en == "33.3" and percent(2, 3).en == "66.7"  # half up, exact
    assert percent(1, 40).en == "2.5" and percent(1, 3).en == "33.3" and percent(2, 3).en == "66.7"
    path = real_data / "GR2022" / "eml" / "Telling_GR2022_Barneveld.eml.xml"
    code, out, _ = run(capsys, "verify", path, "--format", "json")
    (w202,) = [f for f in json.loads(out)["findings"] if f["code"] == "W.202" and f["location"]["unit"] == "0203::SB11"]
    assert w202["expected"] is None and w202["actual"] == 3  # the threshold is no expected count
    assert w202["message_nl"].endswith("3 ongeldige stemmen van 56 stembiljetten, dat is 5,4 %; de drempel is 3 % (2 of meer van 56)")
    assert w202["message_en"].endswith("3 invalid votes of 56 ballots, that is 5.4 %; the threshold is 3 % (2 or more of 56)")


#: Words of running text in English or Dutch: a str field holding one is a sentence that one of
#: the two languages reads in the other's words. Names (Abacus F.201, Kieswet P 5, model Na 31-2,
#: controleprotocol, kr:Initial*) are the same in both and may stay a plain str.
PROSE = {
    # English
    "the", "and", "or", "with", "when", "where", "as", "also", "only", "not", "is", "are", "an", "for", "to",
    "from", "by", "beyond", "notes", "warning", "error", "check", "import", "views", "calibrated", "implemented",
    "officially", "votes", "compares", "data", "present", "absent", "against", "each", "one", "part", "entry",
    # Dutch
    "de", "het", "een", "en", "niet", "wordt", "bij", "alleen", "voor", "van", "mag", "direct", "elk", "elke",
    "zijn", "gebruikt", "bevat", "alle", "aanvaardt", "geen", "met", "toont", "tot", "over", "dezelfde",
    "deel", "waarschuwing", "fout", "gewijzigd", "eerste", "vorige", "zitting", "nooit", "gebruiken", "geldig",
    "drie", "maanden", "ingesloten", "vooraf", "verkregen", "afgedrukt", "bevatten", "moet", "gelijk", "eraan",
}


def test_every_text_a_user_reads_in_the_registry_is_in_both_languages():
    """``explain`` shows every field of a rule; a plain str is shown as is in Dutch and in
    English, so it may hold names only, never a sentence (Text(nl, en) holds those)."""
    import dataclasses
    import re
    from enum import Enum

    from osv_verify.checks.registry import RULES

    wrong = []
    for code, r in RULES.items():
        for f in dataclasses.fields(r):
            value = getattr(r, f.name)
            if f.name in ("code", "restates") or not isinstance(value, str) or isinstance(value, Enum):
                continue
            unquoted = re.sub(r"'[^']*'", "", value)  # a quoted message of the Kiesraad's tools is a name
            words = set(re.findall(r"[a-zA-Z]+", unquoted.lower())) & PROSE
            if words:
                wrong.append(f"{code}.{f.name}: {value!r} ({', '.join(sorted(words))})")
            if "shared/" in value or ".md" in value:
                wrong.append(f"{code}.{f.name} cites an internal path: {value!r}")
    assert not wrong, "\n".join(wrong)


def test_compare_names_a_missing_row_by_its_label(capsys, tmp_path, real_data):
    """A row one sheet lacks was named by its internal key: "rij of other_explanation"."""
    full = real_data / "GR2022" / "WestMaasenWaal" / "osv4-3_telling_gr2022_westmaasenwaal.csv"
    lines = full.read_bytes().split(b"\n")
    short = tmp_path / "a.csv"
    short.write_bytes(b"\n".join(line for line in lines if b'"andere verklaring"' not in line))
    _, out, _ = run(capsys, "compare", short, full)
    assert "cel: kolom 5 (Totaal), de rij van andere verklaring (ontbreekt)" in out
    _, out, _ = run(capsys, "compare", short, full, "--lang", "en")
    assert "cell: column 5 (Totaal), the row of other explanation (missing)" in out
    assert "other_explanation" not in out and "row of candidate" not in out
