"""Issue 21: EML_NL 1.3 / 1.3.1 count files as Abacus will write them for PS/AB 2027, corrections
after a later session, the PS/AB voter-card rule, and the published zips read by content."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import eml13
from eml13 import Unit, station, write_510b
from pv.odt_builder import zip_of
from osv_verify.app.inspection import inspect
from osv_verify.app.verify import verify
from osv_verify.checks.aggregate import check_file
from osv_verify.checks.corrections import order_versions
from osv_verify.io import eml

S1, S2, S3 = station({1: [10, 5], 2: [7]}), station({1: [3, 4], 2: [9]}), station({1: [1, 1], 2: [2]})
S2_FIXED = station({1: [3, 5], 2: [9]})  # one more vote for candidate 1.2 after a recount
BEFORE = {k: S2[k] for k in S2 if S2[k] != S2_FIXED[k]}
FIRST = {"SB1": Unit(dict(S1)), "SB2": Unit(dict(S2)), "SB3": Unit(dict(S3))}


def read(data: bytes):
    return eml.read_count(io.BytesIO(data), "x.eml.xml")


def codes(run) -> list[str]:
    """The errors and warnings, apart from the blank/invalid share warnings of these tiny stations."""
    return sorted(f.code for f in run.findings if f.severity != "info" and not f.code.startswith("W.20"))


def corrected(spelling: str = "Initial", **kw) -> bytes:
    units = {"SB1": Unit(dict(S1)), "SB2": Unit(dict(S2_FIXED), earlier=dict(BEFORE)), "SB3": Unit(dict(S3))}
    return write_510b(units, phase="corrigendum", spelling=spelling, created="2027-03-24T10:00:00.000+01:00", **kw)


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize("spelling, schema, before", [("Initial", "1.3", False), ("Previous", "1.3.1", True)])
def test_both_spellings_and_both_places_of_phase_are_read(spelling, schema, before):
    count = read(corrected(spelling, schema=schema, phase_before_event=before))
    assert (count.producer, count.schema_version, count.phase, count.counting_method, count.twin_spelling) == (
        "Abacus", schema, "corrigendum", "centrale stemopneming", spelling)
    sb2 = count.units[1]
    assert sb2.initial == BEFORE and sb2.counts["admitted"] == S2_FIXED["admitted"]
    assert count.total.initial["list 1"] == S1["list 1"] + S2["list 1"] + S3["list 1"]
    assert count.notes == []


def test_unit_type_and_shared_location_are_read_and_an_unknown_kr_element_is_a_note_not_an_error():
    units = {"SB1": Unit(dict(S1), unit_type="FixedLocation", shared=True), "SB2": Unit(dict(S2), unit_type="Mobile")}
    count = read(write_510b(units, extra_header="  <kr:Futuristic>ja</kr:Futuristic>"))
    assert [(u.unit_type, u.shared_location) for u in count.units] == [("FixedLocation", True), ("Mobile", None)]
    assert [n[:2] for n in count.notes] == [("unknown", "kr:Futuristic")]


def test_osv_file_is_told_apart_from_abacus(real_data):
    path = real_data / "GR2026" / "Vlieland" / "Telling_GR2026_Vlieland.eml.xml"
    with open(path, "rb") as f:
        assert eml.read_count(f, str(path)).producer == "OSV2020-U"
    assert read(write_510b(FIRST)).producer == "Abacus"


def test_a_twin_after_its_element_is_misplaced_a_twin_in_a_first_session_and_an_equal_one_are_warned(tmp_path):
    moved = corrected().replace(b'<kr:InitialUncountedVotes ReasonCode="toegelaten kiezers">19</kr:InitialUncountedVotes>', b"")
    moved = moved.replace(b"</ReportingUnitVotes>", b'<kr:InitialUncountedVotes ReasonCode="toegelaten kiezers">19</kr:InitialUncountedVotes></ReportingUnitVotes>', 1)
    assert ("misplaced", "kr:InitialUncountedVotes 'toegelaten kiezers'") in [n[:2] for n in read(moved).notes]
    (tmp_path / "m.xml").write_bytes(moved)
    assert "CORR.MISPLACED" in codes(verify([tmp_path / "m.xml"]))
    first_with_twin = corrected().replace(b'PhaseCode="corrigendum"', b'PhaseCode="eerste zitting"')
    (tmp_path / "m.xml").write_bytes(first_with_twin)
    assert codes(verify([tmp_path / "m.xml"])) == ["CORR.NO_PHASE"]
    units = {"SB1": Unit(dict(S1), earlier={"eligible": S1["eligible"]})}
    (tmp_path / "m.xml").write_bytes(write_510b(units, phase="corrigendum"))
    assert codes(verify([tmp_path / "m.xml"])) == ["CORR.SAME_VALUE"]
    (tmp_path / "m.xml").write_bytes(write_510b(units, phase="corrigendum", spelling="Previous"))
    assert codes(verify([tmp_path / "m.xml"])) == []  # rust-eml-nl's Previous* may repeat an unchanged number


def test_original_numbers_that_do_not_add_up_are_an_error(tmp_path):
    wrong = dict(BEFORE)
    del wrong["admitted"]  # D corrected, but its original left out: A + B + C no longer equals D before
    units = {"SB1": Unit(dict(S1)), "SB2": Unit(dict(S2_FIXED), earlier=wrong), "SB3": Unit(dict(S3))}
    (tmp_path / "c.xml").write_bytes(write_510b(units, phase="corrigendum"))
    run = verify([tmp_path / "c.xml"])
    found = [f for f in run.findings if f.code == "CORR.ORIGINAL"]
    assert {(f.location.unit, f.message_en.split(" fails")[0][-5:]) for f in found} >= {("0999::SB2", "F.201")}
    (tmp_path / "c.xml").write_bytes(corrected())
    assert codes(verify([tmp_path / "c.xml"])) == []


# ---------------------------------------------------------------- versions


def test_versions_are_ordered_by_content_never_by_name(tmp_path):
    (tmp_path / "z_first.xml").write_bytes(write_510b(FIRST))
    (tmp_path / "a_second.xml").write_bytes(corrected())
    assert [Path(c.source).name for c in order_versions([read((tmp_path / n).read_bytes()).model_copy(update={"source": n})
                                                         for n in ("a_second.xml", "z_first.xml")])] == ["z_first.xml", "a_second.xml"]
    run = verify([tmp_path])
    assert codes(run) == []
    (e,) = run.elections
    story = next(p for p in e.verdict.parts if p.key == "sessions")
    assert "z_first.xml (eerste zitting" in story.what.nl and "daarna a_second.xml (corrigendum" in story.what.nl
    assert "1 eenheid" in story.what.nl and "1 unit" in story.what.en
    assert e.units_checked == 4  # the newest version only: 3 stations and its total


def test_same_time_and_phase_cannot_be_ordered_and_are_compared_as_publications(tmp_path):
    (tmp_path / "a.xml").write_bytes(write_510b(FIRST))
    (tmp_path / "b.xml").write_bytes(corrected().replace(b"2027-03-24T10:00:00.000", b"2027-03-18T22:14:05.904")
                                     .replace(b'"corrigendum"', b'"eerste zitting"'))
    assert "AGG.SOURCES" in codes(verify([tmp_path]))


def test_an_earlier_number_that_is_not_the_earlier_file_and_an_unmarked_change_are_errors(tmp_path):
    (tmp_path / "a.xml").write_bytes(write_510b(FIRST))
    wrong = {**BEFORE, "list 1": BEFORE["list 1"] + 1}
    units = {"SB1": Unit(dict(S1)), "SB2": Unit(dict(S2_FIXED), earlier=wrong), "SB3": Unit(dict(S3))}
    (tmp_path / "b.xml").write_bytes(write_510b(units, phase="corrigendum", created="2027-03-24T10:00:00+01:00"))
    assert "CORR.EARLIER" in codes(verify([tmp_path]))
    s3 = dict(S3, blank=S3["blank"] + 1, admitted=S3["admitted"] + 1, poll_cards=S3["poll_cards"] + 1)
    units = {"SB1": Unit(dict(S1)), "SB2": Unit(dict(S2_FIXED), earlier=dict(BEFORE)), "SB3": Unit(s3)}
    (tmp_path / "b.xml").write_bytes(write_510b(units, phase="corrigendum", created="2027-03-24T10:00:00+01:00"))
    found = [f for f in verify([tmp_path]).findings if f.code == "CORR.UNMARKED"]
    assert {(f.location.unit, f.field) for f in found} >= {("0999::SB3", "blank"), ("0999::SB3", "admitted")}


def test_three_sessions_say_which_meaning_of_the_original_numbers_fits(tmp_path):
    (tmp_path / "a.xml").write_bytes(write_510b(FIRST))
    (tmp_path / "b.xml").write_bytes(corrected())
    s2_again = station({1: [3, 5], 2: [10]})  # a third session: one more vote for candidate 2.1
    for spelling, earlier, fits in (("Previous", {k: S2_FIXED[k] for k in s2_again if s2_again[k] != S2_FIXED[k]}, "previous session"),
                                    ("Initial", {k: S2[k] for k in s2_again if s2_again[k] != S2[k]}, "first session")):
        units = {"SB1": Unit(dict(S1)), "SB2": Unit(s2_again, earlier=earlier), "SB3": Unit(dict(S3))}
        (tmp_path / "c.xml").write_bytes(write_510b(units, phase="corrigendum", spelling=spelling, created="2027-03-25T09:00:00+01:00"))
        run = verify([tmp_path])
        assert codes(run) == [], spelling
        assert fits in next(p for p in run.elections[0].verdict.parts if p.key == "sessions").what.en


def test_a_station_gone_in_the_next_session_is_an_error_and_a_new_one_is_named(tmp_path):
    (tmp_path / "a.xml").write_bytes(write_510b(FIRST))
    units = {"SB1": Unit(dict(S1)), "SB2": Unit(dict(S2)), "SB4": Unit(dict(S3))}
    (tmp_path / "b.xml").write_bytes(write_510b(units, phase="corrigendum", created="2027-03-24T10:00:00+01:00"))
    run = verify([tmp_path])
    found = {(f.code, f.location.unit) for f in run.findings}
    assert {("CORR.GONE", "0999::SB3"), ("CORR.NEW_UNIT", "0999::SB4")} <= found
    story = next(p for p in run.elections[0].verdict.parts if p.key == "sessions").what.en
    assert "gone: 0999::SB3" in story and "new: 0999::SB4" in story  # in the story too, not only as findings


def test_a_level_above_built_from_the_outdated_version_names_both_files(tmp_path):
    (tmp_path / "Telling_a.xml").write_bytes(write_510b(FIRST))
    (tmp_path / "Telling_b.xml").write_bytes(corrected())
    upper = {"0999": eml13.total_of(FIRST)}
    (tmp_path / "Telling_HSB1.xml").write_bytes(write_510b(upper, kind="510c", authority=("HSB1", "Kieskring 1"), contest="1"))
    (f,) = [f for f in verify([tmp_path]).findings if f.severity == "error"]
    assert f.code == "CORR.OUTDATED" and "Telling_a.xml" in f.message_nl and "Telling_b.xml" in f.message_nl
    upper = {"0999": eml13.total_of({"SB1": Unit(dict(S1)), "SB2": Unit(dict(S2_FIXED)), "SB3": Unit(dict(S3))})}
    (tmp_path / "Telling_HSB1.xml").write_bytes(write_510b(upper, kind="510c", authority=("HSB1", "Kieskring 1"), contest="1"))
    assert [f for f in verify([tmp_path]).findings if f.severity == "error"] == []


def _csv_of(data: bytes) -> bytes:
    from osv_verify.io.osv_csv_write import write_osv_csv
    return write_osv_csv(read(data))


def _sources_sentences(run) -> str:
    return " ".join(s.text.en for s in run.elections[0].verdict.answer)


def test_a_csv_of_the_earlier_session_is_named_as_such_never_identical_nor_wrong(tmp_path):
    """Fix round, issue 21: a CSV equal to an earlier version was passed as "identical" (it
    was compared with every version) and, beside the corrected 510b alone, blamed as AGG.SOURCES."""
    (tmp_path / "a.xml").write_bytes(write_510b(FIRST))
    (tmp_path / "b.xml").write_bytes(corrected())
    (tmp_path / "osv4-3_telling.csv").write_bytes(_csv_of(write_510b(FIRST)))
    run = verify([tmp_path])
    (f,) = [f for f in run.findings if f.code == "CORR.EARLIER_PUBLICATION"]
    assert f.severity == "warning" and "a.xml" in f.message_en and "b.xml" in f.message_en
    assert "AGG.SOURCES" not in codes(run)
    said = _sources_sentences(run)
    assert "of an earlier session" in said and "identical" not in said
    (tmp_path / "a.xml").unlink()  # the corrected 510b alone: the CSV equals its original numbers
    run = verify([tmp_path])
    (f,) = [f for f in run.findings if f.code == "CORR.EARLIER_PUBLICATION"]
    assert codes(run) == ["CORR.EARLIER_PUBLICATION"] and "original numbers (kr:Initial*) of b.xml" in f.message_en
    (tmp_path / "osv4-3_telling.csv").write_bytes(_csv_of(corrected()))  # the newest one's CSV: identical
    run = verify([tmp_path])
    assert codes(run) == [] and "identical" in _sources_sentences(run)
    (tmp_path / "osv4-3_first.csv").write_bytes(_csv_of(write_510b(FIRST)))  # both: the earlier one was replaced
    run = verify([tmp_path])
    (f,) = [f for f in run.findings if f.code == "CORR.EARLIER_PUBLICATION"]
    assert f.severity == "info" and "osv4-3_first.csv" in f.message_en and "the newest version's CSV equals" in _sources_sentences(run)


def test_a_csv_of_the_earlier_session_in_the_correction_download_is_an_error_and_another_csv_is_agg_sources(tmp_path):
    (tmp_path / "definitieve-documenten_x-20270318-221405.zip").write_bytes(zip_of({"Telling.zip": zip_of({"T.eml.xml": write_510b(FIRST)})}))
    stale = _csv_of(write_510b(FIRST))
    (tmp_path / "correctie_x-20270324-100000.zip").write_bytes(zip_of({"Telling.zip": zip_of({"T.eml.xml": corrected()}),
                                                                      "osv4-3_telling.csv": stale}))
    run = verify([tmp_path])
    (f,) = [f for f in run.findings if f.code == "CORR.EARLIER_PUBLICATION"]
    assert f.severity == "error" and "in the same download" in f.message_en
    other = dict(S1, blank=S1["blank"] + 1, valid=S1["valid"] - 1)
    (tmp_path / "correctie_x-20270324-100000.zip").write_bytes(zip_of({"Telling.zip": zip_of({"T.eml.xml": corrected()}),
                                                                      "osv4-3_telling.csv": _csv_of(write_510b({**FIRST, "SB1": Unit(other)}))}))
    run = verify([tmp_path])
    assert "CORR.EARLIER_PUBLICATION" not in codes(run) and "AGG.SOURCES" in codes(run)
    assert all("definitieve" not in f.message_en for f in run.findings if f.code == "AGG.SOURCES")  # against the newest


@pytest.mark.realdata
def test_real_first_session_csv_beside_the_corrigendum_is_the_earlier_publication(real_data):
    run = verify([real_data / "GR2022" / "WestMaasenWaal", real_data / "abacus-pv" / "WestMaasenWaal_corrigendum.eml.xml"])
    assert [f.code for f in run.findings if f.code in ("CORR.EARLIER_PUBLICATION", "AGG.SOURCES")] == ["CORR.EARLIER_PUBLICATION"]
    assert "identical" not in _sources_sentences(run)


# ---------------------------------------------------------------- PS/AB rules


def test_voter_cards_must_be_given_in_ps_and_ab_and_not_in_gr(tmp_path):
    def found(units, category, **kw):
        (tmp_path / "x.xml").write_bytes(write_510b(units, eid=f"{category}2027_Waterland", category=category, **kw))
        return [(f.code, f.severity.value, f.location.unit) for f in verify([tmp_path]).findings if f.code == "TALLY.VOTER_CARDS"]

    no_cards = {"SB1": Unit(station({1: [10]}, cards=None)), "SB2": Unit(station({1: [12]}))}
    assert found(no_cards, "AB") == [("TALLY.VOTER_CARDS", "error", "0999::SB1")]  # the station, not again its total
    assert found(no_cards, "PS") == [("TALLY.VOTER_CARDS", "error", "0999::SB1")]
    assert found({"SB1": Unit(station({1: [10]}, cards=None))}, "GR") == []
    assert found({"SB1": Unit(station({1: [10]}, cards=0))}, "GR") == []  # OSV writes 0 in GR
    # a number in GR: OSV let a station enter one (GR2022 Achtkarspelen SB13: 423 + 60 + 2 = 485)
    assert found({"SB1": Unit(station({1: [10]}, cards=2))}, "GR") == [("TALLY.VOTER_CARDS", "warning", "0999::SB1")]
    total_only = Unit(station({1: [10]}, cards=None))
    assert found({}, "PS", total=total_only) == [("TALLY.VOTER_CARDS", "error", None)]


def test_a_water_boards_municipal_count_needs_the_510d_not_a_kieskring_count(tmp_path):
    """Fix round: AB has no kieskring; the level above a municipality's count is the 510d."""
    for eid, category, needed, not_needed in (("AB2027_Waterland", "AB", "510d", "510c"), ("PS2027_Noordland", "PS", "510c", "510d")):
        (tmp_path / "a.xml").write_bytes(write_510b(FIRST, eid=eid, category=category))
        run = verify([tmp_path])
        (f,) = [f for f in run.findings if f.code == "AGG.NO_LEVEL_ABOVE"]
        (levels,) = [p for p in run.elections[0].verdict.parts if p.key == "levels"]
        assert needed in f.message_en and not_needed not in f.message_en, category
        assert needed in levels.needs.en and not_needed not in levels.needs.en, category


def test_a_water_board_count_with_no_stations_and_no_eligible_voters_reads(tmp_path):
    empty = station({1: [0]}, blank=0, invalid=0, proxies=0, cards=0, eligible=0)
    (tmp_path / "x.xml").write_bytes(write_510b({}, eid="AB2027_Waterland", category="AB", total=Unit(empty)))
    run = verify([tmp_path])
    assert run.input_errors == [] and not [f for f in run.findings if f.severity == "error"]


def test_mobile_station_is_set_apart_in_the_plausibility_checks(tmp_path):
    from osv_verify.checks.thresholds import DEFAULTS
    units = {f"SB{i}": Unit(station({1: [300, 200], 2: [300, 200]}, eligible=2000)) for i in range(1, 9)}
    units["SB9"] = Unit(station({1: [0, 0], 2: [500, 400]}, eligible=2000), unit_type="Mobile")  # all one list
    (tmp_path / "x.xml").write_bytes(write_510b(units))
    found = verify([tmp_path], plausibility=DEFAULTS).findings
    assert [(f.code, f.location.unit) for f in found if f.code.startswith(("P.", "CHECK.UNIT"))] == [("CHECK.UNIT_APART", "0999::SB9")]
    units["SB9"].unit_type = None
    (tmp_path / "x.xml").write_bytes(write_510b(units))
    assert any(f.location.unit == "0999::SB9" and f.code.startswith("P.") for f in verify([tmp_path], plausibility=DEFAULTS).findings)


def test_the_protocol_says_a_mobile_station_is_compared_like_the_fixed_ones(tmp_path):
    """Fix round: protocol listed a Mobile station among the fixed ones with no note."""
    from osv_verify.app.protocol import run
    from osv_verify.report.hcp import render_markdown, sheet_text
    units = {f"SB{i}": Unit(station({1: [300, 200], 2: [300, 200]}, eligible=2000)) for i in range(1, 4)}
    units["SB9"] = Unit(station({1: [0, 0], 2: [500, 400]}, eligible=2000), unit_type="Mobile")
    (tmp_path / "x.xml").write_bytes(write_510b(units))
    (m,) = run([tmp_path]).municipalities
    assert [n.en[:40] for n in m.notes] == ["station 9 is a mobile station (kr:Report"]
    assert "Opmerking;stembureau 9 is een mobiel stembureau" in sheet_text(m, "c")
    assert "## Notes" in render_markdown([m], "en")
    units["SB9"].unit_type = "FixedLocation"
    (tmp_path / "x.xml").write_bytes(write_510b(units))
    (m,) = run([tmp_path]).municipalities
    assert m.notes == [] and "Opmerking" not in sheet_text(m, "c")


def test_kieskring_comes_from_the_110a_tree_not_from_the_contest_geen(tmp_path):
    from osv_verify.checks.aggregate import Summary, level_links
    from osv_verify.core.model import Definition, ElectionRef, Region
    lower = Summary.of(read(write_510b(FIRST)))
    upper = Summary.of(read(write_510b({"0001": eml13.total_of(FIRST)}, kind="510c", authority=("HSB2", "K2"), contest="2")))
    tree = Definition(source="110a", election=ElectionRef(id="PS2027_Noordland"),
                      regions=(Region(number="999", category="GEMEENTE", superior_number="2", superior_category="KIESKRING"),))
    assert level_links([lower, upper], tree).missing == [(lower, upper)]  # 0999 belongs in HSB2 and is not there
    assert level_links([lower, upper]).missing == []  # without the tree, "geen" says nothing
    numbered = Summary.of(read(write_510b(FIRST, contest="1")))  # AB2019 and OSV write a number there
    assert level_links([numbered, upper], tree).missing == [(numbered, upper)]  # the tree decides


def test_the_kieskring_taken_from_the_110a_is_shown_in_findings_and_the_protocol(tmp_path):
    """Fix round: findings said contest "geen" and protocol c.csv "Kieskringnummer;geen" where
    the 110a tree places the municipality in kieskring 2."""
    import datetime as dt
    from osv_verify.app.protocol import run
    from osv_verify.core.model import Definition, Region
    from osv_verify.devtools.eml_write import write_definition
    count = read(write_510b(FIRST))
    tree = Definition(source="110a", election=count.election.model_copy(update={"date": dt.date(2027, 3, 17)}), seats=47,
                      regions=(Region(number="1", category="KIESKRING", name="K1"), Region(number="2", category="KIESKRING", name="K2"),
                               Region(number="998", category="GEMEENTE", name="Elders", superior_number="1", superior_category="KIESKRING"),
                               Region(number="999", category="GEMEENTE", name="Dorpum", superior_number="2", superior_category="KIESKRING")))
    (tmp_path / "Verkiezingsdefinitie.eml.xml").write_bytes(write_definition(tree))
    wrong = dict(S1, blank=S1["blank"] + 1)  # a sum that does not add up: a finding at the municipality
    (tmp_path / "Telling.eml.xml").write_bytes(write_510b({**FIRST, "SB1": Unit(wrong)}))
    found = [f for f in verify([tmp_path]).findings if f.location.authority == "0999"]
    assert found and {f.location.contest for f in found} == {"2"}
    (municipality,) = run([tmp_path]).municipalities
    assert municipality.contest_id == "2"
    (tmp_path / "Telling.eml.xml").unlink()  # a kieskring 1 count listing 0999, which the tree puts in kieskring 2
    (tmp_path / "Telling_HSB1.eml.xml").write_bytes(write_510b({"0999": eml13.total_of(FIRST)}, kind="510c", authority=("HSB1", "K1"), contest="1"))
    (f,) = [f for f in verify([tmp_path]).findings if f.code == "AGG.EXTRA_UNIT"]
    assert "is not in kieskring 1 of" in f.message_en and "(which places 0999 under kieskring 2)" in f.message_en


# ---------------------------------------------------------------- published zips and inspect


def test_published_zips_are_read_by_content_with_the_inner_zip_and_inspect_tells_the_sessions(tmp_path):
    first = write_510b(FIRST)
    # the PDF PVs and the signature of the real layout are left out: they are read now (issue 22),
    # and stand-ins would rightly be refused; their reading is tested in tests/test_printed.py
    inner = zip_of({"Telling_PS2027_Noordland_gemeente_Dorpum.eml.xml": first, "notes.txt": b"x"})
    (tmp_path / "definitieve-documenten_ps2027_noordland_gemeente_dorpum-20270318-221405.zip").write_bytes(
        zip_of({"inner.bin": inner}))  # the inner zip, whatever its name
    fixed = zip_of({"Telling_PS2027_Noordland_gemeente_Dorpum.eml.xml": corrected(spelling="Previous", schema="1.3.1")})
    (tmp_path / "correctie_ps2027_noordland_gemeente_dorpum-20270324-100000.zip").write_bytes(
        zip_of({"Telling_x.zip": fixed}))
    run = verify([tmp_path])
    assert run.input_errors == [] and codes(run) == []
    assert [p.key for p in run.elections[0].verdict.parts if p.key == "sessions"] == ["sessions"]
    infos, errors, skipped = inspect([tmp_path])
    assert errors == [] and any(s.endswith("notes.txt") for s in skipped)
    (info,) = infos
    assert [(f.get("producer"), f.get("phase"), f.get("corrigendum_spelling")) for f in info.files] == [
        ("Abacus", "corrigendum", "Previous"), ("Abacus", "eerste zitting", None)]
    assert info.levels == {"gemeente": 1} and info.totals["admitted"] == sum(
        s["admitted"] for s in (S1, S2_FIXED, S3))  # the newest version, counted once


def test_inspect_pairs_each_csv_with_the_version_it_equals_and_counts_the_municipality_once(tmp_path):
    """Fix round: the correction's CSV was paired with the first-session 510b and the
    municipality counted twice (the first session's CSV and the correction's)."""
    (tmp_path / "definitieve-documenten_x-20270318-221405.zip").write_bytes(
        zip_of({"Telling.zip": zip_of({"T.eml.xml": write_510b(FIRST)}), "osv4-3_telling.csv": _csv_of(write_510b(FIRST))}))
    (tmp_path / "correctie_x-20270324-100000.zip").write_bytes(
        zip_of({"Telling.zip": zip_of({"T.eml.xml": corrected()}), "osv4-3_telling.csv": _csv_of(corrected())}))
    (info,) = inspect([tmp_path])[0]
    assert info.levels == {"gemeente": 1} and info.reporting_units == 3
    pairs = sorted((t["session"], [Path(f.split("!")[0]).name[:4] for f in t["files"]]) for t in info.published_twice)
    assert pairs == [("earlier", ["defi", "defi"]), ("newest", ["corr", "corr"])]
    assert info.totals["admitted"] == sum(s["admitted"] for s in (S1, S2_FIXED, S3))


def test_inspect_json_shows_how_each_count_is_written(tmp_path):
    from typer.testing import CliRunner
    from osv_verify.cli import app
    (tmp_path / "b.xml").write_bytes(corrected())
    out = CliRunner().invoke(app, ["inspect", str(tmp_path), "--format", "json"]).stdout
    (f,) = json.loads(out)["elections"][0]["files"]
    assert f == {"kind": "510b", "source": str(tmp_path / "b.xml"), "producer": "Abacus", "schema_version": "1.3",
                 "counting_method": "centrale stemopneming", "phase": "corrigendum", "corrigendum_spelling": "Initial"}
    table = CliRunner().invoke(app, ["inspect", str(tmp_path), "--format", "csv", "--lang", "en"]).stdout
    assert "Abacus, EML_NL 1.3, centrale stemopneming, corrigendum, original numbers as kr:Initial*" in table


@pytest.mark.realdata
def test_real_corrigendum_material_reads(real_data):
    base = real_data / "abacus-pv"
    run = verify([base / "WestMaasenWaal_corrigendum.eml.xml", base / "Telling_GR2022_WestMaasenWaal.eml.xml"])
    # the edited copy is dated a day later and marks nothing (EML_NL 1.2.2): a newer version,
    # used as the count; its differences (stations 1 and 7) are told, not judged
    assert run.input_errors == [] and codes(run) == []
    story = next(p for p in run.elections[0].verdict.parts if p.key == "sessions").what.en
    assert story.startswith("West Maas en Waal (0668): 2 versions, Telling_GR2022_WestMaasenWaal.eml.xml")
    assert "2 units" in story and "marks no corrections" in story
    assert "in 27 numbers: 2 units (0668::SB1, 0668::SB7) and the total (13 numbers)" in story  # the total's changes count too


def test_abacus_510b_under_an_osv_510c_is_linked_and_compared_like_any_other(tmp_path):
    import datetime as dt
    from osv_verify.core.model import CountFile, Level
    from osv_verify.devtools.eml_write_counts import write_count
    (tmp_path / "Telling_gemeente.xml").write_bytes(write_510b(FIRST))
    gemeente = read(write_510b(FIRST))

    def kieskring(total) -> bytes:
        unit = total.model_copy(update={"id": "HSB1::0999", "name": "Dorpum"})
        return write_count(CountFile(source="k", kind="510c", level=Level.DISTRICT, election=gemeente.election,
                                     authority_id="HSB1", authority_name="Kieskring 1", created=dt.datetime(2027, 3, 20, 9),
                                     contest_id="1", list_names=gemeente.list_names, total=total, units=[unit]))

    (tmp_path / "Telling_kieskring.xml").write_bytes(kieskring(gemeente.total))
    run = verify([tmp_path])
    assert codes(run) == [] and next(p for p in run.elections[0].verdict.parts if p.key == "levels").what.en.startswith("1 total compared with the level above")
    infos, _, _ = inspect([tmp_path])
    assert sorted(f.get("producer") or "-" for f in infos[0].files) == ["Abacus", "OSV2020-U"]
    wrong = gemeente.total.model_copy(update={"lists": {**gemeente.total.lists, 1: gemeente.total.lists[1] + 1}})
    (tmp_path / "Telling_kieskring.xml").write_bytes(kieskring(wrong))
    assert {(f.code, f.field) for f in verify([tmp_path]).findings if f.severity == "error"} >= {("AGG.LEVEL", "list 1")}
    # a 510c carries no admitted voters: F.201 and F.305-F.312 belong to the 510b given, no reservation
    pv_only = ("poll_cards", "proxy_certificates", "voter_cards", "admitted", "more_ballots", "fewer_ballots")
    bare = gemeente.total.model_copy(update={"counts": {k: v for k, v in gemeente.total.counts.items() if k not in pv_only}})
    (tmp_path / "Telling_kieskring.xml").write_bytes(kieskring(bare))
    parts = {p.key: p for p in verify([tmp_path]).elections[0].verdict.parts}
    assert parts["stations"].needs is None and parts["explanations"].needs is None
    assert "F.201" not in parts["stations"].what.en
    (tmp_path / "Telling_gemeente.xml").unlink()  # the 510c alone: the PV checks did not run anywhere
    parts = {p.key: p for p in verify([tmp_path]).elections[0].verdict.parts}
    assert "F.201" in parts["stations"].what.en and "510b" in parts["stations"].needs.en


def test_a_water_boards_central_count_lists_the_municipal_parts_and_is_linked_to_each_510b(tmp_path):
    ab = {"eid": "AB2027_Waterland", "category": "AB"}
    (tmp_path / "Telling_0999.xml").write_bytes(write_510b(FIRST, **ab))
    other = {"SB1": Unit(dict(S3))}
    (tmp_path / "Telling_0998.xml").write_bytes(write_510b(other, authority=("0998", "Anderdorp"), **ab))
    parts = {"0999": eml13.total_of(FIRST), "0998": eml13.total_of(other)}
    (tmp_path / "Totaaltelling.xml").write_bytes(write_510b(parts, kind="510d", authority=("CSB", "Waterland"), **ab))
    run = verify([tmp_path])
    assert codes(run) == [] and "AGG.NO_LEVEL_ABOVE" not in {f.code for f in run.findings}
    assert next(p for p in run.elections[0].verdict.parts if p.key == "levels").what.en == "2 totals compared with the level above"
    del parts["0998"]
    (tmp_path / "Totaaltelling.xml").write_bytes(write_510b(parts, kind="510d", authority=("CSB", "Waterland"), **ab))
    assert {(f.code, f.location.unit) for f in verify([tmp_path]).findings if f.severity == "error"} >= {("AGG.MISSING_UNIT", "0998")}


def test_the_control_protocol_runs_once_per_municipality_on_its_newest_version(tmp_path):
    from osv_verify.app.protocol import run
    (tmp_path / "a.xml").write_bytes(write_510b(FIRST))
    (tmp_path / "b.xml").write_bytes(corrected())
    (tmp_path / "osv4-3_telling.csv").write_bytes(_csv_of(corrected()))
    result = run([tmp_path])
    (municipality,) = result.municipalities
    assert municipality.source.endswith("b.xml")
    said = [n.en for n in result.notes]  # said, not silent: which version was used, which skipped
    assert any("uses the newest version" in n and n.count("b.xml") == 1 and "a.xml (an earlier session) was skipped" in n for n in said)
    assert any(n.endswith("osv4-3_telling.csv: skipped; the protocol uses this municipality's 510b (EML)") for n in said)


def test_sessions_one_and_three_without_two_say_a_session_in_between_may_be_missing(tmp_path):
    (tmp_path / "a.xml").write_bytes(write_510b(FIRST))  # session 2 (corrected()) is not given
    s2_again = station({1: [3, 5], 2: [10]})
    earlier = {k: S2_FIXED[k] for k in s2_again if s2_again[k] != S2_FIXED[k]}  # Previous*: session 2's numbers
    units = {"SB1": Unit(dict(S1)), "SB2": Unit(s2_again, earlier=earlier), "SB3": Unit(dict(S3))}
    (tmp_path / "c.xml").write_bytes(write_510b(units, phase="corrigendum", spelling="Previous", schema="1.3.1",
                                                created="2027-03-25T09:00:00+01:00"))
    run = verify([tmp_path])
    found = [f for f in run.findings if f.code == "CORR.EARLIER"]
    assert found and all("a session in between may be missing" in f.message_en for f in found)
    story = next(p for p in run.elections[0].verdict.parts if p.key == "sessions")
    assert "misschien ontbreekt een zitting daartussen" in story.what.nl
    # the Initial spelling means the first session: no session can be missing in between
    units["SB2"] = Unit(s2_again, earlier={**{k: S2[k] for k in s2_again if s2_again[k] != S2[k]}, "list 2": 1})
    (tmp_path / "c.xml").write_bytes(write_510b(units, phase="corrigendum", created="2027-03-25T09:00:00+01:00"))
    found = [f for f in verify([tmp_path]).findings if f.code == "CORR.EARLIER"]
    assert found and not any("in between" in f.message_en for f in found)


@pytest.mark.parametrize("change, element, severity", [
    ((b"<kr:ReportingUnitType>Mobile<", b"<kr:ReportingUnitType>Spaceship<"), "kr:ReportingUnitType 'Spaceship'", "error"),
    ((b"<kr:SharedLocation>true<", b"<kr:SharedLocation>maybe<"), "kr:SharedLocation 'maybe'", "error"),
    ((b'PhaseCode="eerste zitting"', b'PhaseCode="derde zitting"'), "kr:Phase 'derde zitting'", "error"),
    ((b'MethodCode="centrale stemopneming"', b'MethodCode="telepathie"'), "kr:CountingMethod 'telepathie'", "error"),
    ((b'<kr:Schema Version="1.3"/>', b'<kr:Schema Version="9.9"/>'), "kr:Schema '9.9'", "warning"),
    ((b'<kr:Phase PhaseCode="eerste zitting"/>', b'<kr:Phase PhaseCode="corrigendum"/><kr:Phase PhaseCode="eerste zitting"/>'),
     "kr:Phase", "error"),
])
def test_a_value_the_schema_does_not_allow_is_a_finding_not_used_and_shown_by_inspect(tmp_path, change, element, severity):
    units = {"SB1": Unit(dict(S1), unit_type="Mobile", shared=True), "SB2": Unit(dict(S2))}
    data = write_510b(units)
    assert change[0] in data
    (tmp_path / "a.eml.xml").write_bytes(data.replace(*change))
    run = verify([tmp_path])
    assert run.input_errors == []
    (found,) = [f for f in run.findings if f.code == "META.SCHEMA_VALUE"]
    assert (found.field, found.severity) == (element, severity)
    count = read((tmp_path / "a.eml.xml").read_bytes())
    sb1 = count.units[0]
    if severity == "error":  # the value is not used
        assert None in (sb1.unit_type, sb1.shared_location, count.phase, count.counting_method)
        (info,), _, _ = inspect([tmp_path])
        assert info.files[0]["invalid"] == [element]


def test_a_twin_twice_mixed_spellings_and_a_twin_in_the_header_are_not_silent(tmp_path):
    mixed = corrected().replace(b"kr:InitialValidVotes", b"kr:PreviousValidVotes", 2)  # the first twins only
    (tmp_path / "m.eml.xml").write_bytes(mixed)
    assert "CORR.MIXED_SPELLING" in {f.code for f in verify([tmp_path / "m.eml.xml"]).findings}
    header = corrected().replace(b"  <Count>", b'  <kr:InitialCast>5</kr:InitialCast>\n  <Count>')
    (tmp_path / "h.eml.xml").write_bytes(header)
    assert [f.field for f in verify([tmp_path / "h.eml.xml"]).findings if f.code == "CORR.MISPLACED"] == ["kr:InitialCast"]
    unit = b"<ReportingUnitVotes>"
    first = corrected().index(b"<kr:Initial", corrected().index(unit))
    end = corrected().index(b"\n", first)
    line = corrected()[first:end]
    (tmp_path / "d.eml.xml").write_bytes(corrected()[:end] + b"\n" + line + corrected()[end:])
    run = verify([tmp_path / "d.eml.xml"])
    assert any("appears twice in one" in str(e) for e in run.input_errors), run.input_errors


def test_a_corrigendum_under_this_code_with_another_name_does_not_replace_the_count(tmp_path):
    (tmp_path / "a.xml").write_bytes(write_510b(FIRST))
    (tmp_path / "b.xml").write_bytes(corrected(authority=("0999", "Anderdorp")))
    run = verify([tmp_path])
    (named,) = [f for f in run.findings if f.code == "AGG.AUTHORITY_NAME"]
    assert "a.xml" in named.message_en and "b.xml" in named.message_en  # both files named
    assert "Anderdorp" in named.message_en and "Dorpum" in named.message_en
    assert not any("2 versions" in p.what.en for p in run.elections[0].verdict.parts)  # not versions of one count
    assert "AGG.SOURCES" in codes(run)


def test_a_station_id_of_another_municipality_is_an_error():
    count = read(write_510b({"SB1": Unit(dict(S1))}, authority=("0888", "Anderdorp")).replace(b'Id="0888::SB1"', b'Id="0999::SB1"'))
    found = [f for f in check_file(count) if f.code == "AGG.UNIT_AUTHORITY"]
    assert [(f.location.unit, f.actual_text, f.expected_text) for f in found] == [("0999::SB1", "0999", "0888")]
    assert not [f for f in check_file(read(write_510b(FIRST))) if f.code == "AGG.UNIT_AUTHORITY"]
