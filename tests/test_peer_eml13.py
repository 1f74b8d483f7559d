"""Issue 21, "Done when": the Kiesraad's own EML_NL 1.3 / 1.3.1 example files read through the
product give the findings a person expects.

The files are test-data copies (or, where a file could not be used as it is, own equivalents) in
``tests/data/peers/``; its README names each source repository, path and commit. Every number
asserted below was checked by hand against the file; the comments say why a finding must (or must
not) be there.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from osv_verify.app.inspection import inspect
from osv_verify.app.verify import verify
from osv_verify.checks.corrections import original
from osv_verify.cli import main
from osv_verify.devtools.eml_write_counts import write_count
from osv_verify.io import eml

PEERS = Path(__file__).parent / "data" / "peers"
RUST = PEERS / "rust-eml-nl" / "election_count"
HCP = PEERS / "hcp"
EXAMPLE = PEERS / "eml_nl" / "510b_corrigendum_example_completed.eml.xml"


def read(path: Path):
    with open(path, "rb") as f:
        return eml.read_count(f, str(path))


def other_municipality(path: Path) -> tuple[list[tuple[str, str, str, str]], set[str]]:
    """HCP's fakes are Juinen (9999) but number their stations with a real municipality's code
    (0505::SB1, 0439::SB1): AGG.UNIT_AUTHORITY rightly names each station once; the rest apart."""
    rest, units = [], set()
    for row in found(path):
        if row[0] == "AGG.UNIT_AUTHORITY":
            units.add(row[2])
        else:
            rest.append(row)
    return rest, units


def found(path: Path, *, source: Path | None = None) -> list[tuple[str, str, str, str]]:
    """Every error and warning of ``verify`` on one file: (code, severity, unit, field)."""
    run = verify([source or path])
    assert run.input_errors == []
    return sorted((f.code, f.severity.value, f.location.unit or "", f.field or "") for f in run.findings if f.severity.value != "info")


# ------------------------------------------------------------ rust-eml-nl test-files/election_count

# The 1.3 variants and their 1.2.2 twins (the same file without kr:Schema): what each adds is read.
# All hold the same GR count: list 1 = 100 = 50 + 50 candidates, TotalCounted 100, ongeldig 0,
# blanco 0, Cast 100, and no UncountedVotes at all: nothing fails; F.201 and F.305-F.312 cannot run
# (no admitted voters), which the run says as CHECK.NOT_RUN (info), not as a finding.
# None of these hand-written files is written the way a program writes (XML declaration, but a
# timestamp without UTC offset and no ds:CanonicalizationMethod): the producer is unknown, not guessed.
PLAIN = [
    # file, schema, counting method, phase, (unit type, shared location)
    ("deserialize_eml510b_test.eml.xml", None, None, None, (None, None)),  # its <Phase/> is in the EML namespace: not kr:Phase
    ("deserialize_eml510b_test_1_2_2_reporting_unit_type.eml.xml", None, None, None, ("FixedLocation", False)),
    ("deserialize_eml510b_test_1_3_reporting_unit_type.eml.xml", "1.3", None, None, ("FixedLocation", False)),
    ("eml_510b_1_2_2_with_counting_method.xml", None, "centrale stemopneming", None, (None, None)),
    ("eml_510b_1_3_with_counting_method.xml", "1.3", "centrale stemopneming", None, (None, None)),
    ("eml_510b_1_2_2_with_phase.xml", None, None, "eerste zitting", (None, None)),  # Phase after EventIdentifier (EML_NL)
    ("eml_510b_1_3_with_phase.xml", "1.3", None, "eerste zitting", (None, None)),  # Phase before it (rust-eml-nl)
    ("eml_510b_1_2_2_with_optionals.xml", None, "centrale stemopneming", "eerste zitting", (None, None)),
    ("eml_510b_1_3_with_optionals.xml", "1.3", "centrale stemopneming", "eerste zitting", (None, None)),
]


@pytest.mark.parametrize("name, schema, method, phase, unit", PLAIN, ids=[p[0] for p in PLAIN])
def test_rust_eml_nl_variants_are_read_and_clean(name, schema, method, phase, unit):
    count = read(RUST / name)
    assert (count.producer, count.schema_version, count.counting_method, count.phase, count.twin_spelling) == (
        None, schema, method, phase, None)
    (station,) = count.units
    assert (station.id, station.unit_type, station.shared_location) == ("HSB1::1234", *unit)
    assert station.lists == {1: 100} and sorted(station.candidates.values()) == [50, 50]
    assert count.notes == [] and found(RUST / name) == []
    not_run = [f for f in verify([RUST / name]).findings if f.code == "CHECK.NOT_RUN"]
    assert len(not_run) == 2 and "F.201" in not_run[0].message_en


@pytest.mark.parametrize("name, schema", [("deserialize_eml510b_test_1_2_2_with_previous_values.eml.xml", None),
                                          ("deserialize_eml510b_test_1_3_1_with_previous_values.eml.xml", "1.3.1")])
def test_rust_eml_nl_previous_values_are_read_and_warned_for_a_missing_corrigendum_phase(name, schema):
    count = read(RUST / name)
    assert (count.schema_version, count.twin_spelling, count.phase) == (schema, "Previous", None)
    # the previous session, by hand: list 1 99 = 49 + 50; TotalCounted 99 + ongeldig 1 + blanco 0 = 100
    # ballots, Cast 100; now: 100 = 50 + 50, 100 + 0 + 0. Both add up, so no CORR.ORIGINAL.
    previous = {"list 1": 99, "candidate 1.1": 49, "candidate 1.2": 50, "eligible": 100, "valid": 99, "invalid": 1, "blank": 0}
    assert count.total.initial == previous and count.units[0].initial == previous
    # rust-eml-nl repeats unchanged numbers (candidate 1.2 50, Cast 100, blanco 0) as kr:Previous*:
    # allowed for that spelling (CORR.SAME_VALUE is for EML_NL 1.3's kr:Initial* only). What is wrong:
    # the file carries corrigendum numbers without kr:Phase "corrigendum" (schema 1.3 / 1.3.1 text).
    assert found(RUST / name) == [("CORR.NO_PHASE", "warning", "", "kr:Phase")]


def test_rust_eml_nl_construction_output_is_abacus_written_and_its_nonsense_numbers_are_found():
    count = read(RUST / "eml510b_construction_output.eml.xml")
    # XML declaration, +00:00 offset, no ds:CanonicalizationMethod: as rust-eml-nl (Abacus) writes
    assert (count.producer, count.schema_version, count.phase) == ("Abacus", None, None)
    assert count.units[0].candidates and count.list_names == {1: "Example"}
    # a serialisation test, not a count: total TotalCounted 65 vs list 16 (F.202), station 10 vs 16 (F.202);
    # the total is not the station's sum for admitted (10 vs 5), blanco (100 vs 10), TotalCounted (65 vs 10);
    # station: 20 ballots for 5 admitted (W.203), blanco 10 of 20 (W.201); created 2014 for an election in 2222
    assert found(RUST / "eml510b_construction_output.eml.xml") == [
        ("AGG.TOTAL", "error", "", "admitted"), ("AGG.TOTAL", "error", "", "blank"), ("AGG.TOTAL", "error", "", "valid"),
        ("F.202", "error", "", "valid"), ("F.202", "error", "SB1234", "valid"),
        ("META.CREATED_EARLY", "warning", "", "kr:CreationDateTime"),
        ("W.201", "warning", "SB1234", "blank"), ("W.203", "warning", "SB1234", "admitted")]


# ------------------------------------------------------------ EML_NL documentation: the corrigendum example

def test_eml_nl_corrigendum_example_reads_its_initial_numbers_where_the_documentation_puts_them():
    count = read(EXAMPLE)
    # ds:CanonicalizationMethod, no declaration, no offset: written the way OSV2020-U writes
    assert (count.producer, count.schema_version, count.counting_method, count.phase, count.twin_spelling) == (
        "OSV2020-U", "1.3", "centrale stemopneming", "corrigendum", "Initial")
    # the numbers shown in the example (the rest is the completion described in the README)
    assert {k: count.total.initial[k] for k in ("list 1", "valid", "invalid", "other_explanation")} == {
        "list 1": 1887, "valid": 10704, "invalid": 20, "other_explanation": 1}
    assert (count.total.lists[1], count.total.counts["valid"], count.total.counts["invalid"],
            count.total.counts["other_explanation"]) == (1886, 10702, 19, 0)
    sb4 = count.units[1]
    assert sb4.id == "0312::SB4" and sb4.initial == {} and sb4.counts["admitted"] == 695
    # kr:InitialUncountedVotes "andere verklaring" stands before the whole run of UncountedVotes
    # (as the schema's sequence has it), not right before its own element: not misplaced
    assert count.notes == []


def test_eml_nl_corrigendum_example_findings_are_those_its_numbers_give():
    # Corrected total: 10702 + 19 + 20 = 10741 ballots for 10745 admitted (9799 + 922 + 24 = 10745, F.201
    # holds): 4 fewer, but "minder getelde stembiljetten" says 3 -> F.312 on the total. The station holding
    # the rest of Bunnik inherits it (10046 for 10050, 3 fewer noted, explanations 3): F.308 and
    # TALLY.EXPLANATIONS. SB4 (as in the example: 692 + 3 + 0 = 695 = 650 + 41 + 4) is clean.
    # The original numbers: 10704 + 20 + 20 = 10744 ballots, 1 fewer, still 3 noted, explanations
    # 3 + 1 = 4: they fail the same rules on the same fields, so this is reported once, for the
    # corrected numbers, and no CORR.ORIGINAL follows. The twins themselves add up: list 1 1887 =
    # 1655 + 232, 1887 + 8817 = 10704, and the total's originals are the stations' originals summed.
    assert found(EXAMPLE) == [("F.308", "error", "0312::SB1", "fewer_ballots"), ("F.312", "error", "", "more_ballots - fewer_ballots"),
                              ("TALLY.EXPLANATIONS", "error", "0312::SB1", "explanations")]


def test_eml_nl_corrigendum_example_with_an_original_that_does_not_add_up(tmp_path):
    # one original changed: the total's InitialValidVotes of list 1 1887 -> 1888. Then before the
    # correction list 1 was not its candidates' sum (1655 + 232 = 1887: F.402), the lists not
    # TotalCounted (1888 + 8817 = 10705 vs 10704: F.202) and the total not its stations' sum (1756 + 131
    # = 1887: AGG.TOTAL): each a CORR.ORIGINAL, beside the three errors the example already has
    wrong = tmp_path / "wrong.eml.xml"
    wrong.write_bytes(EXAMPLE.read_bytes().replace(b"<kr:InitialValidVotes>1887<", b"<kr:InitialValidVotes>1888<", 1))
    run = verify([wrong])
    assert sorted((f.field, f.message_en.split(" fails")[0].rsplit(" ", 1)[-1]) for f in run.findings if f.code == "CORR.ORIGINAL") == [
        ("list 1", "AGG.TOTAL"), ("list 1", "F.402"), ("valid", "F.202")]
    assert len([f for f in run.findings if f.severity.value == "error"]) == 6


def _first_session_of_the_example(tmp_path: Path, **changed_sb4: int) -> Path:
    """The example's first session as the product rebuilds it (its kr:Initial* put back, no twins,
    no kr:Phase, created that morning), optionally with numbers of SB4 changed, written as OSV does."""
    count = read(EXAMPLE)
    units = [original(u) for u in count.units]
    units[1] = units[1].model_copy(update={"counts": {**units[1].counts, **changed_sb4}})
    first = count.model_copy(update={"total": original(count.total), "units": units, "phase": None,
                                     "created": dt.datetime(2023, 11, 23, 9, 0)})
    path = tmp_path / "Telling_TK2023_gemeente_Bunnik_eerste_zitting.eml.xml"
    path.write_bytes(write_count(first))
    return path


def test_eml_nl_corrigendum_example_with_its_first_session_tells_the_sessions(tmp_path):
    first = _first_session_of_the_example(tmp_path)
    run = verify([first, EXAMPLE])
    # only the newest is checked (its three errors above); every kr:Initial* is the first file's number,
    # every number without one is unchanged, no station is gone: no CORR.* finding
    assert sorted((f.code, f.source) for f in run.findings if f.severity.value == "error") == [
        (code, str(EXAMPLE)) for code in ("F.308", "F.312", "TALLY.EXPLANATIONS")]
    story = next(p for p in run.elections[0].verdict.parts if p.key == "sessions").what.en
    assert story.startswith("Bunnik (0312): 2 versions, Telling_TK2023_gemeente_Bunnik_eerste_zitting.eml.xml")
    assert "1 unit (0312::SB1)" in story and "the total (7 numbers)" in story and "those of the earlier file" in story


def test_eml_nl_corrigendum_example_against_a_first_session_it_does_not_fit(tmp_path):
    # SB4 had 694 admitted voters in the first session: the corrigendum changed it without a
    # kr:InitialUncountedVotes, so the change is not marked (CORR.UNMARKED on SB4, nothing else new)
    first = _first_session_of_the_example(tmp_path, admitted=694)
    found_ = [(f.code, f.location.unit, f.field, f.expected, f.actual) for f in verify([first, EXAMPLE]).findings if f.code.startswith("CORR.")]
    assert found_ == [("CORR.UNMARKED", "0312::SB4", "admitted", 694, 695)]


def test_inspect_through_the_command_line_names_how_the_example_is_written(capsys):
    assert main(["inspect", str(EXAMPLE), "--format", "json"]) == 0
    (f,) = json.loads(capsys.readouterr().out)["elections"][0]["files"]
    assert (f["producer"], f["schema_version"], f["counting_method"], f["phase"], f["corrigendum_spelling"]) == (
        "OSV2020-U", "1.3", "centrale stemopneming", "corrigendum", "Initial")


# ------------------------------------------------------------ HCP: recounted_info_eml and the Juinen fakes

CSO = ("toegelaten kiezers opnieuw vastgesteld", "onderzocht vanwege andere reden", "stembiljetten deels herteld")
DSO = ("onderzocht vanwege onverklaard verschil", "onderzocht vanwege andere fout", "uitslag gecorrigeerd")


@pytest.mark.parametrize("name, codes, flags", [
    ("recounted_cso.eml.xml", CSO, (True, False, False)), ("not_recounted_cso.eml.xml", CSO, (False, True, True)),
    ("recounted_dso.eml.xml", DSO, (True, False, True)), ("not_recounted_dso.eml.xml", DSO, (False, False, False))])
def test_hcp_recounted_info_files_read_their_investigations(name, codes, flags):
    path = HCP / "recounted_info_eml" / name
    count = read(path)
    assert (count.producer, count.schema_version, count.phase, count.election.id) == ("OSV2020-U", None, None, "TK1980")
    (station,) = count.units
    assert station.investigations == dict(zip(codes, flags))
    # 72065 + 3 + 2 = 72070 ballots for 72095 + 3 + 0 = 72098 admitted: 28 fewer, noted as 28 and
    # explained as 23 + 3 + 0 + 2 + 0: every rule holds; 28 is more than W.203 lets pass unremarked
    assert other_municipality(path) == ([("W.203", "warning", "0505::SB1", "admitted")], {"0505::SB1"})


def test_hcp_juinen_cso_fake_is_clean_apart_from_its_large_differences():
    path = HCP / "e2e" / "Juinen_CSO_equivalent.eml.xml"
    count = read(path)
    assert (count.producer, count.schema_version, count.counting_method, count.contest_id) == ("OSV2020-U", None, None, "geen")
    assert count.list_names.get(10) is None and count.total.lists[10] == 300  # a list without a name (empty RegisteredName)
    assert "voter_cards" not in count.total.counts  # GR: no kiezerspassen, and none required
    assert [u.investigations[CSO[0]] for u in count.units] == [True, True, False]
    # SB1 6000 + 20 + 35 = 6055 for 6005 (50 more, noted), SB2 3640 for 4605 (965 fewer), SB3 2425 for
    # 3430 (1005 fewer): all noted right, all large (W.203); the total is their sum, with both 50 more
    # and 1970 fewer (50 - 1970 = 12120 - 14040). The fake is dated 16 January for 18 March.
    rest, units = other_municipality(path)
    assert units == {u.id for u in count.units}
    assert rest == [("META.CREATED_EARLY", "warning", "", "kr:CreationDateTime"),
                           ("W.203", "warning", "0439::SB1", "admitted"), ("W.203", "warning", "0439::SB2", "admitted"),
                           ("W.203", "warning", "0439::SB3", "admitted")]


def test_hcp_juinen_dso_fake_gives_each_of_its_faults():
    path = HCP / "e2e" / "Juinen_DSO_equivalent.eml.xml"
    count = read(path)
    assert [u.investigations[DSO[2]] for u in count.units] == [False, True, True]
    # the DSO fake keeps the CSO total but breaks its stations: SB1 ongeldig 200 / blanco 350 (6550 ballots
    # for 6005 admitted, 50 more noted: F.306), SB2 TotalCounted 0 with lists of 3600 (F.202), SB3 list 1
    # 3000 over candidates of 300 (F.402) and lists of 5100 for TotalCounted 2400 (F.202); so the total
    # is no longer the stations' sum (AGG.TOTAL on blanco, ongeldig, TotalCounted, list 1, minder getelde)
    rest, units = other_municipality(path)
    assert units == {u.id for u in count.units}
    assert [c for c in rest if c[1] == "error"] == [
        ("AGG.TOTAL", "error", "", "blank"), ("AGG.TOTAL", "error", "", "fewer_ballots"), ("AGG.TOTAL", "error", "", "invalid"),
        ("AGG.TOTAL", "error", "", "list 1"), ("AGG.TOTAL", "error", "", "valid"),
        ("F.202", "error", "0439::SB2", "valid"), ("F.202", "error", "0439::SB3", "valid"),
        ("F.306", "error", "0439::SB1", "more_ballots"), ("F.402", "error", "0439::SB3", "list 1")]


def test_inspect_reads_every_peer_file_without_an_error():
    infos, errors, skipped = inspect([PEERS])
    assert errors == [] and [Path(s).name for s in skipped] == ["README.md"]
    assert sum(len(i.files) for i in infos) == len(list(PEERS.rglob("*.xml")))
