"""``osv-verify seats`` and the seat checks of ``verify`` against the published 520s."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from osv_verify import cli
from osv_verify.core.findings import Severity
from osv_verify.app.verify import verify


def run(capsys, *args) -> tuple[int, str]:
    code = cli.main([str(a) for a in args])
    return code, capsys.readouterr().out


def test_what_if_calculator_json(capsys, tmp_path):
    """Abacus vector 8 (GR2022, real): 15 seats, P 9 moves the last residual seat to list 1."""
    votes = tmp_path / "v.csv"
    votes.write_text("list,name,votes\n1,A,2571\n2,B,977\n3,C,567\n4,D,536\n5,E,453\n", encoding="utf-8")
    code, out = run(capsys, "seats", "--votes", votes, "--seats", 15, "--format", "json")
    (data,) = json.loads(out)["elections"]
    assert code == 0
    assert [a["seats"] for a in data["allocation"]] == [8, 3, 2, 1, 1]
    assert data["quota"] == "5104/15" and data["lots_required"] == []
    assert set(data["allocation"][0]) == {"list", "name", "votes", "full_seats", "residual_seats", "seats"}
    assert any(s["article"] == "P 9" for s in data["steps"])


def test_what_if_lots_required_then_drawn(capsys, tmp_path):
    """Abacus vector 11: a largest-remainder tie among lists 2-6 for one seat; draw 6."""
    votes = tmp_path / "v.csv"
    votes.write_text("list;name;votes\n" + "".join(f"{i};L{i};{v}\n" for i, v in
                     enumerate([540, 160, 160, 80, 80, 80, 55, 45], 1)), encoding="utf-8")
    code, out = run(capsys, "seats", "--votes", votes, "--seats", 15, "--format", "json")
    need = json.loads(out)["elections"][0]["lots_required"]
    assert need and need[0]["options"] == [2, 3, 4, 5, 6]
    lots = tmp_path / "lots.txt"
    lots.write_text("6  # drawn in public session\n", encoding="utf-8")
    code, out = run(capsys, "seats", "--votes", votes, "--seats", 15, "--lots", lots, "--format", "json")
    assert [a["seats"] for a in json.loads(out)["elections"][0]["allocation"]] == [7, 2, 2, 1, 1, 2, 0, 0]


def _tie_for_the_last_seat(tmp_path: Path) -> Path:
    """Two seats; list 1 gets one by largest remainder, lists 2 and 3 tie (100 each) for the other."""
    votes = tmp_path / "tie.csv"
    votes.write_text("list;name;votes\n1;A;150\n2;B;100\n3;C;100\n", encoding="utf-8")
    return votes


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json", "html"])
def test_what_if_lots_needed_is_not_an_all_clear_and_marks_the_open_seat(capsys, tmp_path, fmt, lang):
    """Issue 20: with lots needed ``seats`` exited 0 and its table added up to 1 of 2 seats with
    no mark on the open seat. Now exit 4 (not established) and an OPEN row in every format."""
    votes = _tie_for_the_last_seat(tmp_path)
    code, out = run(capsys, "seats", "--votes", votes, "--seats", 2, "--format", fmt, "--lang", lang)
    assert code == 4
    if fmt == "json":
        (data,) = json.loads(out)["elections"]
        assert data["open_seats"] == 1 and sum(a["seats"] for a in data["allocation"]) == 1
        assert data["lots_required"][0]["options"] == [2, 3]
        assert data["lots_required"][0]["description_nl"] == "P 8: loting tussen 2, 3 om 1 zetel"
        return
    word = "loting tussen 2, 3" if lang == "nl" else "lots between 2, 3"
    assert f"OPEN: {word} (P 8)" in out
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"))
        assert rows[-1][0] == "?" and rows[-1][-1] == "1"
        assert sum(int(r[-1]) for r in rows[1:]) == 2  # the table adds up to the seats again
    if fmt in ("table", "markdown"):
        assert ("1 zetel nog niet verdeeld" if lang == "nl" else "1 seat not yet allocated") in out
    if fmt == "html":
        assert ("open zetels: 1" if lang == "nl" else "open seats: 1") in out


def test_what_if_lots_drawn_exits_0(capsys, tmp_path):
    votes = _tie_for_the_last_seat(tmp_path)
    lots = tmp_path / "lots.txt"
    lots.write_text("3\n", encoding="utf-8")
    code, out = run(capsys, "seats", "--votes", votes, "--seats", 2, "--lots", lots, "--format", "csv")
    assert code == 0 and "OPEN" not in out


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_what_if_date_before_the_earliest_law_is_refused(capsys, tmp_path, lang):
    """Issue 20: --date 1918-07-03 silently applied today's law (RKSP 33 seats, officially 30)."""
    votes = _tie_for_the_last_seat(tmp_path)
    code = cli.main(["seats", "--votes", str(votes), "--seats", "2", "--date", "1918-07-03", "--lang", lang])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "2013-10-17" in err and "1918-07-03" in err
    lots = tmp_path / "lots.txt"
    lots.write_text("3\n", encoding="utf-8")
    assert cli.main(["seats", "--votes", str(votes), "--seats", "2", "--lots", str(lots), "--date", "2013-10-17"]) == 0


def test_what_if_bad_input(capsys, tmp_path):
    votes = tmp_path / "v.csv"
    votes.write_text("list;votes\n1;5\n", encoding="utf-8")
    assert cli.main(["seats", "--votes", str(votes), "--seats", "9"]) == 2
    assert "ontbreekt: 'name'" in capsys.readouterr().err
    assert cli.main(["seats", "--votes", str(votes), "--seats", "9", "--lang", "en"]) == 2
    assert "missing 'name'" in capsys.readouterr().err
    assert cli.main(["seats", "--votes", str(votes)]) == 2


@pytest.mark.realdata
def test_gr2022_every_municipality_seats_and_elected_equal_the_520(real_data: Path):
    """GR2022 has no 110a: seats come from the 520; names come from the OSV CSVs."""
    result = verify([real_data / "GR2022" / "eml", real_data / "GR2022" / "osv4-3_bulk"])
    with_both = {p.name.split("_", 2)[2].split(".")[0] for p in (real_data / "GR2022" / "eml").glob("Resultaat_*")} & {
        p.name.split("_", 2)[2].split(".")[0] for p in (real_data / "GR2022" / "eml").glob("Telling_*")}
    assert len(with_both) >= 30
    checked = 0
    for e in result.elections:
        if e.id.split("_", 1)[1] not in with_both:
            continue
        seat_errors = [f for f in e.findings if f.code.startswith("SEATS.") and f.severity is Severity.ERROR]
        assert not seat_errors, (e.id, [f.message_en for f in seat_errors])
        assert e.seats is not None and e.seats.outcome.complete, e.id
        not_run = [f for f in e.findings if f.code == "CHECK.NOT_RUN" and "SEATS.ELECTED" in (f.field or "")]
        assert not not_run, e.id  # the candidates were compared too
        checked += 1
    assert checked == len(with_both)
    lots = {f.location.election: f.message_en for e in result.elections for f in e.findings if f.code == "SEATS.LOTS"}
    # real lots between candidates with equal preference votes (P 15), explained by the 520
    assert all("matches drawing" in m for m in lots.values())


@pytest.mark.realdata
@pytest.mark.parametrize("town", ["Vlieland", "Renswoude"])
def test_gr2026_seats_and_elected_equal_the_520(real_data, town, capsys):
    code, out = run(capsys, "seats", real_data / "GR2026" / town, "--format", "json")
    (data,) = json.loads(out)["elections"]
    assert code == 0 and data["differences"] == []
    assert sum(a["seats"] for a in data["allocation"]) == data["seats"]


@pytest.mark.realdata
def test_tk2021_seats_and_elected_from_510d_equal_the_520(real_data):
    result = verify([real_data / "TK2021"])
    (e,) = result.elections
    assert e.seats is not None and e.seats.outcome.complete
    assert sum(e.seats.outcome.allocation.seats_per_list.values()) == 150
    assert not [f for f in e.findings if f.code.startswith("SEATS.")]


def test_tk2021_elected_are_shown_by_name_not_shortcode(real_data, capsys):
    from osv_verify import cli

    assert cli.main(["seats", str(real_data / "TK2021")]) == 0
    out = capsys.readouterr().out
    assert "- lijst 1: Rutte, M. (voorkeurstemmen)" in out and "RutteM" not in out


DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "html"])
def test_elected_from_510b_and_520_alone_are_not_named_by_the_520s_ids(capsys, fmt, lang):
    """Issue 20: with only the 510b and the 520 the elected were named by the 520's Ids, taken
    for places on the list (in real 520s they follow the order of election). No file says who
    stands where: every format shows list and place and says the name is not established."""
    code, out = run(capsys, "seats", DEMO / "Telling_GR2026_Kleinbroek.eml.xml", DEMO / "Resultaat_GR2026_Kleinbroek.eml.xml",
                    DEMO / "Verkiezingsdefinitie_GR2026_Kleinbroek.eml.xml", "--format", fmt, "--lang", lang)
    assert code in (0, 1)
    if fmt == "json":
        (data,) = json.loads(out)["elections"]
        assert data["elected"] and all(e["name"] is None for e in data["elected"])
        return
    unknown = "naam niet vastgesteld" if lang == "nl" else "name not established"
    place = "lijst 1, plaats 1: " if lang == "nl" else "list 1, place 1: "
    assert (place + unknown if fmt != "html" else unknown) in out
    assert ("230b" in out) and ("OSV4-3" in out)  # which file would establish the names
    with_names = run(capsys, "seats", DEMO, "--format", "json")[1]
    names = [e["name"] for e in json.loads(with_names)["elections"][0]["elected"]]
    assert all(names) and not any(n in out for n in names)


@pytest.mark.parametrize("command", ["seats", "verify"])
def test_seat_steps_in_the_html_are_in_the_reports_language(capsys, command):
    """Issue 20: the Dutch HTML report showed the seat steps in English (``P 6 list 1: 2 full
    seats ...``). Each step is rendered in the language of --lang; the JSON gives both."""
    dutch = run(capsys, command, DEMO, "--format", "html")[1]
    assert "volle zetel" in dutch and "restzetel 1 naar lijst" in dutch
    assert "full seat" not in dutch and "residual seat" not in dutch
    english = run(capsys, command, DEMO, "--format", "html", "--lang", "en")[1]
    assert "full seat" in english and "volle zetel" not in english
    (data,) = json.loads(run(capsys, "seats", DEMO, "--format", "json")[1])["elections"]
    assert all(s["description_nl"].startswith(("lijst", "restzetel")) for s in data["steps"])


def test_the_names_a_report_uses_for_candidates_are_only_established_ones():
    """The same names label candidate fields in the verify HTML's station findings: from the 510b
    and the 520 alone there are none; with the 230b, every candidate of the lists."""
    (alone,) = verify([DEMO / "Telling_GR2026_Kleinbroek.eml.xml", DEMO / "Resultaat_GR2026_Kleinbroek.eml.xml"]).elections
    assert alone.seats is not None and alone.seats.names == {}
    (whole,) = verify([DEMO]).elections
    assert whole.seats is not None and len(whole.seats.names) > sum(len(p.elected) for p in whole.seats.outcome.parties)
