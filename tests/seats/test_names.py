"""Identity of candidates across sources (osv_verify.seats.names) and its use in SEATS.ELECTED."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from osv_verify.core.findings import Severity
from osv_verify.io.eml import read_document
from osv_verify.seats.names import How, identify, loose_key
from osv_verify.devtools.synth import generate
from osv_verify.app.verify import verify


@pytest.mark.parametrize(("published", "listed"), [
    ("Koehorst - van Dijk, C.J.", "van Koehorst - van Dijk, C.J."),  # prefix before, hyphen spacing
    ("Koehorst-van Dijk, CJ", "van Koehorst - van Dijk, C.J."),
    ("Pas, M.A.", "Pas, M.A. Pas"),  # repeated surname
    ("Dijk, C.J. van", "van Dijk, C.J."),  # prefix after the initials
    ("Ozturk, E.", "Öztürk, E."),  # accents
    ("van 't Hof, S.E.M.", "van ’t Hof, S. E. M"),
])
def test_same_person_spelled_differently_is_found_loosely(published: str, listed: str) -> None:
    roster = {"1": "Jansen, A.", "4": listed, "7": "Bakker, P."}
    assert identify(published, roster) == identify(published, roster) is not None
    found = identify(published, roster)
    assert found is not None and found.keys == ("4",) and found.how is How.SPELLING


def test_exact_name_is_exact() -> None:
    found = identify("van Dreumel, C.G.H.M.", {"2": "van Dreumel, C. G. H. M.", "3": "Dreumel, C."})
    assert found is not None and found.keys == ("2",) and found.how is How.EXACT


def test_surname_alone_only_when_one_side_has_no_initials() -> None:
    assert identify("Koehorst - van Dijk", {"5": "van Koehorst - van Dijk, C.J."}).how is How.SURNAME
    assert identify("Koehorst, A.", {"5": "Koehorst, B."}) is None  # different initials: a different person


def test_two_people_on_one_list_are_never_matched_by_a_loose_rule() -> None:
    # "de Vries, J." and "Vries, J." are two candidates: "van Vries, J." fits both loosely
    assert loose_key("de Vries, J.") == loose_key("Vries, J.")
    assert identify("van Vries, J.", {"1": "de Vries, J.", "6": "Vries, J."}) is None
    # the exact name still identifies the one it names
    assert identify("Vries, J.", {"1": "de Vries, J.", "6": "Vries, J."}).keys == ("6",)
    # surname only: two candidates of that surname, so no one
    assert identify("Vries", {"1": "Vries, J.", "6": "Vries, K."}) is None
    # different initials are different people
    assert identify("Vries, K.", {"1": "Vries, J."}) is None
    assert identify("Vries, J.K.", {"1": "Vries, J."}) is None


def test_namesakes_are_kept_together_unless_the_position_is_known() -> None:
    roster = {"1": "Weststrate, C.", "5": "Weststrate, C.", "6": "Jong, B."}
    assert identify("Weststrate, C.", roster).keys == ("1", "5")
    assert identify("Weststrate, C.", roster, position="5").keys == ("5",)


# ---- end to end: a municipality's 510b + OSV CSV + 520 (written by osv_verify.devtools.synth) ----------

def _election(tmp_path: Path) -> tuple[Path, str, list[tuple[int, str, str]]]:
    """A GR election without 230b, so the names come from the OSV CSV (as in GR2022)."""
    generate(tmp_path, category="GR", stations=3, lists=3, candidates=6, seed=1)
    next(tmp_path.glob("Kandidatenlijsten_*")).unlink()
    csv = next(tmp_path.glob("osv4-3_*.csv"))
    result = read_document(next(tmp_path.glob("Resultaat_*")).open("rb"), "520", "520")
    elected = [(e.list_number, str(e.candidate.number), e.candidate.display_name) for e in result.elected]
    return csv, csv.read_text(encoding="utf-8-sig"), elected


def _rename(text: str, old: str, new: str) -> str:
    assert text.count(f'"{old}"') == 1
    return text.replace(f'"{old}"', f'"{new}"')


def _list_rows(text: str, lst: int) -> list[str]:
    """The candidate names of list ``lst`` in the CSV, in list order."""
    names, current = [], None
    for line in text.splitlines():
        if m := re.match(r'"(\d+)";"', line):
            current = int(m[1])
        elif (m := re.match(r';;"\d+";"([^"]+)"', line)) and current == lst:
            names.append(m[1])
    return names


def _seat_findings(path: Path) -> tuple[list, list]:
    [report] = verify([path]).elections
    return ([f for f in report.findings if f.code == "SEATS.ELECTED"],
            [f for f in report.findings if f.code == "SEATS.NAME_SPELLING"])


def test_clean_election_has_no_seat_findings(tmp_path: Path) -> None:
    _election(tmp_path)
    assert _seat_findings(tmp_path) == ([], [])


@pytest.mark.parametrize("respell", [
    lambda last, ini: f"van {last}, {ini}",  # the CSV adds a prefix the 520 does not have
    lambda last, ini: f"{last}, {ini} {last}",  # the CSV repeats the surname
    lambda last, ini: f"{last.replace('e', 'é')}, {ini}",  # accents
])
def test_name_spelled_differently_in_the_csv_is_an_info_not_an_error(tmp_path: Path, respell) -> None:
    csv, text, elected = _election(tmp_path)
    lst, _, name = elected[0]
    last, ini = name.split(", ")
    csv.write_text(_rename(text, name, respell(last, ini)), encoding="utf-8")
    wrong, spelled = _seat_findings(tmp_path)
    assert wrong == []
    [note] = spelled
    assert note.severity is Severity.INFO and note.actual_text == name and note.expected_text == respell(last, ini)
    assert "OSV CSV writes" in note.message_en and "dezelfde persoon" in note.message_nl


def test_a_different_person_is_still_an_error(tmp_path: Path) -> None:
    """The CSV names an elected position differently (another person): SEATS.ELECTED stays."""
    csv, text, elected = _election(tmp_path)
    _, _, name = elected[0]
    csv.write_text(_rename(text, name, "Zwanenburg, Q."), encoding="utf-8")
    wrong, spelled = _seat_findings(tmp_path)
    assert spelled == [] and len(wrong) == 2  # elected by law but not in the 520; in the 520 but not on the list
    assert any("Zwanenburg, Q. is elected by law" in f.message_en for f in wrong)


def test_namesakes_on_one_list_are_not_matched_loosely(tmp_path: Path) -> None:
    """Two candidates whose names differ only in a prefix: the 520's third spelling fits both."""
    csv, text, elected = _election(tmp_path)
    lst, _, name = elected[0]
    last, ini = name.split(", ")
    other = next(n for n in _list_rows(text, lst) if n not in {e[2] for e in elected})
    text = _rename(text, name, f"van {last}, {ini}")
    text = _rename(text, other, f"de {last}, {ini}")
    csv.write_text(text, encoding="utf-8")
    wrong, spelled = _seat_findings(tmp_path)
    assert spelled == [] and wrong  # not hidden by a loose rule


@pytest.mark.realdata
def test_real_municipality_with_names_respelled_in_its_520(real_data: Path, tmp_path: Path) -> None:
    """Deventer GR2022 (510b + OSV CSV + 520, real files, copied to a temporary folder): its 520
    rewritten with the two spellings of issue 12 (the surname repeated after the initials
    dropped; a prefix left out) gives two SEATS.NAME_SPELLING notes and no SEATS.ELECTED."""
    eml = real_data / "GR2022" / "eml"
    for src in (eml / "Telling_GR2022_Deventer.eml.xml", real_data / "GR2022/osv4-3_bulk/osv4-3_telling_gr2022_deventer.csv"):
        (tmp_path / src.name).write_bytes(src.read_bytes())
    result = (eml / "Resultaat_GR2022_Deventer.eml.xml").read_bytes()
    assert _seat_findings_of(tmp_path, result) == ([], [])  # as published: the names agree exactly
    for old, new in ((b'"Initials">M.H.J. Evers<', b'"Initials">M.H.J.<'),
                     (b"<xnl:NamePrefix>te</xnl:NamePrefix><xnl:LastName>Boekhorst",
                      b"<xnl:NamePrefix></xnl:NamePrefix><xnl:LastName>Boekhorst")):
        assert result.count(old) == 1
        result = result.replace(old, new)
    wrong, spelled = _seat_findings_of(tmp_path, result)
    assert wrong == []
    assert sorted((f.actual_text, f.expected_text) for f in spelled) == [
        ("Boekhorst, E.B.M.", "te Boekhorst, E.B.M."), ("Evers, M.H.J.", "Evers, M.H.J. Evers")]


def _seat_findings_of(folder: Path, result: bytes) -> tuple[list, list]:
    (folder / "Resultaat_GR2022_Deventer.eml.xml").write_bytes(result)
    return _seat_findings(folder)


def test_520_ids_are_used_as_positions_only_when_the_file_shows_they_are() -> None:
    """OSV writes list positions as 520 Ids, Abacus the new ranking (and OSV's GR2022 520s the
    order of election): the Ids count as positions only when every exactly named candidate's Id
    is its position."""
    from osv_verify.checks.outcome import _ids_are_positions
    from osv_verify.core.model import Candidate, ElectedCandidate, ElectionRef, ResultFile

    names = {(1, "1"): "Jansen, A.", (1, "2"): "Visser, C.", (1, "4"): "Bakker, B.", (1, "5"): "Bakker, B."}

    def result(*elected: tuple[int, str, str]) -> ResultFile:
        return ResultFile(source="520", election=ElectionRef(id="X"), elected=tuple(
            ElectedCandidate(list_number=1, candidate=Candidate(number=n, last_name=last, initials=ini))
            for n, last, ini in elected))

    assert _ids_are_positions(result((1, "Jansen", "A."), (4, "Bakker", "B.")), names)
    assert not _ids_are_positions(result((1, "Jansen", "A."), (2, "Bakker", "B."), (3, "Visser", "C.")), names)
    assert not _ids_are_positions(result((4, "Bakker", "B.")), names)  # namesakes prove nothing
    assert not _ids_are_positions(result((7, "Pieters", "D.")), names)  # nobody named exactly
