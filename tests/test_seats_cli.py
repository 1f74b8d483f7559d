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
from osv_verify.checks.elected_order import NameSource


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


ALONE = (DEMO / "Telling_GR2026_Kleinbroek.eml.xml", DEMO / "Resultaat_GR2026_Kleinbroek.eml.xml")


def _names_by_place(capsys, *paths) -> dict[tuple[int, str], tuple[str | None, str | None]]:
    (data,) = json.loads(run(capsys, "seats", *paths, "--format", "json")[1])["elections"]
    return {(e["list"], e["candidate"]): (e["name"], e["name_source"]) for e in data["elected"]}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "html"])
def test_elected_from_510b_and_520_alone_are_named_by_order_of_election(capsys, fmt, lang):
    """Issue 20: with only the 510b and the 520 the elected were named by the 520's Ids, taken
    for places on the list (in real 520s they number the elected in order of election). Now the
    520's k-th elected of a list names the law's k-th elected, where the number and kinds
    (Ranking) agree Id by Id: every format shows place and name, and says once where the name
    comes from and that it does not check the 520."""
    code, out = run(capsys, "seats", *ALONE, DEMO / "Verkiezingsdefinitie_GR2026_Kleinbroek.eml.xml", "--format", fmt, "--lang", lang)
    assert code in (0, 1)
    whole = _names_by_place(capsys, DEMO)  # named by the 230b and the CSV
    assert {s for _, s in whole.values()} <= {"230b", "osv4-3"}
    if fmt == "json":
        (data,) = json.loads(out)["elections"]
        alone = {(e["list"], e["candidate"]): (e["name"], e["name_source"]) for e in data["elected"]}
        assert alone.keys() == whole.keys() and data["names_not_established"] == []
        assert all(src == "520-order" and name == whole[key][0] for key, (name, src) in alone.items())
        return
    place = "lijst 1, plaats 1: " if lang == "nl" else "list 1, place 1: "
    assert (place + "Oosterhuis, N." if fmt != "html" else "Oosterhuis, N.") in out
    source = "naam volgens de 520, op volgorde van verkiezing" if lang == "nl" else "name as given in the 520, by order of election"
    assert out.count(source) == 1
    assert ("niet gecontroleerd" if lang == "nl" else "not checked") in out
    assert ("naam niet vastgesteld" if lang == "nl" else "name not established") not in out


def _edited_520(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = ALONE[1].read_text(encoding="utf-8")
    assert text.count(old) >= count
    path = tmp_path / ALONE[1].name
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def test_a_list_whose_520_kinds_differ_from_the_law_is_not_named(capsys, tmp_path):
    """The proof fails for a list whose 520 gives another kind (Ranking) than the law at some
    Id: that list's rows stay 'naam niet vastgesteld' with the reason; the others are named. The
    520 then also counts another number elected on preference votes: SEATS.ELECTED (ranking)."""
    result = _edited_520(tmp_path, "<Ranking>1</Ranking>", "<Ranking>2</Ranking>")  # list 1, Id 1
    names = _names_by_place(capsys, ALONE[0], result)
    assert all(name is None for (lst, _), (name, _) in names.items() if lst == 1)
    assert all(src == "520-order" for (lst, _), (_, src) in names.items() if lst != 1)
    (data,) = json.loads(run(capsys, "seats", ALONE[0], result, "--format", "json")[1])["elections"]
    (why,) = data["names_not_established"]
    assert why["list"] == 1 and "LLLLLL" in why["why"] and "VLLLLL" in why["why"]
    (ranking,) = [d for d in data["differences"] if d["code"] == "SEATS.ELECTED"]
    assert ranking["severity"] == "warning" and "Ranking 1" in ranking["message_en"] and "by law 1" in ranking["message_en"]
    out = run(capsys, "seats", ALONE[0], result)[1]
    assert "lijst 1: naam niet vastgesteld: de soorten in de 520" in out and "lijst 1, plaats 1: naam niet vastgesteld" in out


def test_a_520_that_names_another_elected_at_a_place_is_a_finding(capsys, tmp_path):
    """Where a file names the place (230b) and the 520's order of election names someone else
    there, the 230b's name is shown and SEATS.ELECTED (variant order) says the 520 differs. From
    the 510b and the 520 alone the same 520 is not caught: its names are its own (said)."""
    result = _edited_520(tmp_path, '<CandidateIdentifier Id="2">', '<CandidateIdentifier Id="X">')  # list 1: Ids 2 and 3 swapped
    text = result.read_text(encoding="utf-8").replace('<CandidateIdentifier Id="3">', '<CandidateIdentifier Id="2">', 1)
    result.write_text(text.replace('<CandidateIdentifier Id="X">', '<CandidateIdentifier Id="3">', 1), encoding="utf-8")
    lists = DEMO / "Kandidatenlijsten_GR2026_Kleinbroek.eml.xml"
    code, out = run(capsys, "seats", ALONE[0], result, lists, "--format", "json")
    (data,) = json.loads(out)["elections"]
    order = [d for d in data["differences"] if d["code"] == "SEATS.ELECTED"]
    assert code == 0 and [d["severity"] for d in order] == ["warning", "warning"]  # places 2 and 3
    assert "Ter Horst, H.D. as elected number 2" in order[0]["message_en"] and "place 2, El Amrani, T." in order[0]["message_en"]
    assert "El Amrani, T. as elected number 3" in order[1]["message_en"]
    named = {(e["list"], e["candidate"]): (e["name"], e["name_source"]) for e in data["elected"]}
    assert named[(1, "2")] == ("El Amrani, T.", "230b")
    assert _names_by_place(capsys, ALONE[0], result)[(1, "2")] == ("Ter Horst, H.D.", "520-order")


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
    and the 520 alone only the elected, by order of election; with the 230b, every candidate of the lists."""
    (alone,) = verify(list(ALONE)).elections
    assert alone.seats is not None and set(alone.seats.names.sources.values()) == {NameSource.ORDER_OF_ELECTION}
    assert len(alone.seats.names.names) == sum(len(p.elected) for p in alone.seats.outcome.parties)  # the elected only
    (whole,) = verify([DEMO]).elections
    assert whole.seats is not None and len(whole.seats.names.names) > sum(len(p.elected) for p in whole.seats.outcome.parties)
