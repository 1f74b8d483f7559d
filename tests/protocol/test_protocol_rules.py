"""One test per protocol rule at its boundaries (checks/protocol.py), and the cells HCP's
layout prints for them (report/hcp.py)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from osv_verify.checks.plausibility import check_plausibility
from osv_verify.checks.thresholds import Thresholds
from osv_verify.checks.protocol_rules import (
    check_difference,
    check_missing_explanations,
    check_no_explanation,
    check_share,
    check_switched,
    check_zero_votes,
    run_protocol,
)
from osv_verify.core.model import CountFile, ElectionRef, Level, Tally
from osv_verify.report.hcp import b_cells, c_cells, sheet_text, station_name

T = Thresholds()


def unit(sid: str = "SB1", lists: dict[int, list[int]] | None = None, name: str | None = None, **counts: int) -> Tally:
    lists = lists if lists is not None else {1: [60, 40]}
    valid = sum(sum(c) for c in lists.values())
    base = {"valid": valid, "blank": 0, "invalid": 0, "admitted": valid}
    return Tally(id=f"0999::{sid}", name=name or f"Stembureau {sid}", counts={**base, **counts},
                 lists={n: sum(c) for n, c in lists.items()},
                 candidates={(n, str(i), None): v for n, c in lists.items() for i, v in enumerate(c, 1)})


def total(*units: Tally) -> Tally:
    t = Tally(counts={"valid": sum(u.counts["valid"] for u in units)})
    for u in units:
        for k, v in u.lists.items():
            t.lists[k] = t.lists.get(k, 0) + v
        for k, v in u.candidates.items():
            t.candidates[k] = t.candidates.get(k, 0) + v
    return t


def municipality(*units: Tally) -> CountFile:
    return CountFile(source="Telling_GR2030_Test.eml.xml", kind="510b", level=Level.MUNICIPALITY,
                     election=ElectionRef(id="GR2030_Test", name="Gemeenteraad Test 2030"), authority_id="0999",
                     authority_name="Test", contest_id="geen", list_names={1: "Lijst Een", 2: "Lijst Twee"},
                     total=total(*units), units=list(units))


def test_zero_votes_only_when_nothing_was_counted():
    assert check_zero_votes(unit(lists={1: [0, 0]}, admitted=0))
    assert not check_zero_votes(unit(lists={1: [0, 0]}, blank=1))


@pytest.mark.parametrize("invalid, fires", [(3, True), (2, False)])
def test_invalid_share_from_three_percent_of_all_votes(invalid, fires):
    # 97 valid + 3 invalid = 100 votes: 3 % exactly fires (>=), 2 of 99 does not
    u = unit(lists={1: [97]}, invalid=invalid)
    assert (check_share(u, "invalid", T) is not None) is fires
    if fires:
        assert b_cells(municipality(u), run_protocol(municipality(u)).stations[0])[1] == "ja (3.0%)"


def test_blank_share_strict_setting_needs_more_than_three_percent():
    u = unit(lists={1: [97]}, blank=3)
    assert check_share(u, "blank", T) == Fraction(3, 100)
    assert check_share(u, "blank", Thresholds(blank_invalid_strict=1)) is None


@pytest.mark.parametrize("admitted, want", [(85, "ja (15)"), (86, "ja (14.0%)"), (98, "ja (2.0%)"), (99, None)])
def test_difference_by_votes_then_by_percentage(admitted, want):
    # 100 votes: a difference of 15 reports the number; 14 (14 %) and 2 (2 %) the percentage; 1 nothing
    u = unit(lists={1: [100]}, admitted=admitted)
    assert (check_difference(u, T) is None) is (want is None)
    assert b_cells(municipality(u), run_protocol(municipality(u)).stations[0])[3] == (want or "")


def test_difference_is_one_rule_with_w203_and_needs_admitted_voters():
    """W.203 and the protocol's column are one rule (checks/protocol_rules.check_difference):
    a station whose file gives no admitted voters has no difference (absent is not zero; it was
    a difference of all its votes in the protocol before), and no votes for admitted voters fire
    (Abacus W.203: the division gives infinity)."""
    from osv_verify.checks.tally import Context, check_tally
    from osv_verify.core.findings import Location

    def w203(u: Tally) -> bool:
        return "W.203" in [f.code for f in check_tally(u, Context(Location("e"), "x", None, True))]

    no_admitted = unit(lists={1: [500]})
    del no_admitted.counts["admitted"]
    assert check_difference(no_admitted, T) is None and not w203(no_admitted)
    assert b_cells(municipality(no_admitted), run_protocol(municipality(no_admitted)).stations[0])[3] == ""
    nobody = unit(lists={1: [0]}, admitted=5)
    assert check_difference(nobody, T) is not None and w203(nobody)
    assert b_cells(municipality(nobody), run_protocol(municipality(nobody)).stations[0])[3] == "ja (5)"


def test_no_explanation_as_recorded_and_absent_in_abacus_files():
    assert check_no_explanation(unit(no_explanation=4)) == 4
    assert check_no_explanation(unit()) is None


def test_missing_explanations_count_only_the_difference_s_own_direction():
    # 1 ballot fewer than admitted, only 'te veel uitgereikte stembiljetten' 1 (the other direction): short by 1
    fewer = unit(lists={1: [100]}, admitted=101, too_many_issued=1, no_explanation=0)
    assert check_missing_explanations(fewer) == 1
    # the same difference explained in its own direction: nothing missing
    assert check_missing_explanations(unit(lists={1: [100]}, admitted=101, taken_home=1, no_explanation=0)) == 0
    # more ballots, explanations exceeding the difference: the excess counts too (HCP: absolute value)
    assert check_missing_explanations(unit(lists={1: [100]}, admitted=98, too_many_issued=5, no_explanation=0)) == 3
    # votes equal admitted voters: nothing to explain, even with explanations filled in (that is F.305's)
    assert check_missing_explanations(unit(lists={1: [100]}, admitted=100, taken_home=2)) == 0
    # a difference but no explanation fields at all (Abacus): cannot be computed
    assert check_missing_explanations(unit(lists={1: [100]}, admitted=101)) is None


def test_list_share_at_fifty_points_either_way():
    here = unit("SB1", {1: [75, 0], 2: [25, 0]})
    rest = unit("SB2", {1: [25, 0], 2: [75, 0]})
    p = run_protocol(municipality(here, rest))
    assert p.stations[0].lists_off == [(1, Fraction(1, 2)), (2, Fraction(-1, 2))]
    assert b_cells(municipality(here, rest), p.stations[0])[4] == "Lijst Een (50.0%), Lijst Twee (-50.0%)"
    assert c_cells(municipality(here, rest), p.stations[0]) == ["+50.0%", "-50.0%"]
    near = unit("SB1", {1: [74, 0], 2: [26, 0]})
    assert run_protocol(municipality(near, rest)).stations[0].lists_off == []


def test_switched_candidates_every_pair_at_factor_and_minimum():
    # elsewhere candidate 1 has 90 %, candidates 2 and 3 5 % each of list 1
    others = [unit(f"SB{i}", {1: [90, 5, 5]}) for i in range(2, 5)]
    # here: candidate 2 has 15 (expected 1 = 20 x 5 %: >= 5x and >= 15 votes) and 3 has 15: both far above;
    # candidate 1 has 0 where 18 were expected: far below. Two pairs.
    here = unit("SB1", {1: [0, 15, 15]})
    pairs = check_switched(here, total(here, *others), {1: "Lijst Een"}, T)
    assert [(p.more.number, p.fewer.number) for p in pairs] == [("2", "1"), ("3", "1")]
    assert [(p.more.votes, round(p.more.expected), p.fewer.votes, round(p.fewer.expected)) for p in pairs] == \
        [(15, 2, 0, 27), (15, 2, 0, 27)]
    # 14 votes is under the minimum: no candidate far above, no pair
    below = unit("SB1", {1: [0, 14, 16]})
    assert [(p.more.number, p.fewer.number) for p in check_switched(below, total(below, *others), {}, T)] == [("3", "1")]


def test_switched_candidates_need_two_stations_in_the_municipality():
    alone = unit("SB1", {1: [0, 15, 15]})
    assert run_protocol(municipality(alone)).stations[0].switched == []


def test_neighbourhood_reference_from_five_stations_else_the_municipality():
    # the wijk (5 stations) votes like the station; the rest of the municipality does not
    wijk = [unit(f"SB{i}", {1: [0, 30, 30]}) for i in range(1, 6)]
    city = [unit(f"SB{i}", {1: [90, 5, 5]}) for i in range(6, 60)]
    count = municipality(*wijk, *city)
    in_wijk = {u.id: "WK099901" for u in wijk}
    assert run_protocol(count).stations[0].switched  # against the municipality: flagged
    assert run_protocol(count, wijk_of=in_wijk).stations[0].switched == []  # against its wijk: not
    small = {u.id: "WK099901" for u in wijk[:4]}  # 4 stations: the municipality decides, never dropped
    assert run_protocol(count, wijk_of=small).stations[0].switched


def test_recounted_station_is_marked_and_left_off_a():
    u = unit("SB1", {1: [100]}, admitted=128, no_explanation=28)
    p = run_protocol(municipality(u, unit("SB2")), recounted={"0999::SB1"})
    assert p.a_rows == [] and p.b_rows[0].recounted
    assert run_protocol(municipality(u, unit("SB2"))).a_rows[0].number == "1"


def test_all_three_sheets_are_written_when_nothing_needs_a_look():
    p = run_protocol(municipality(unit("SB1"), unit("SB2")))
    a, b, c = (sheet_text(p, s).splitlines() for s in "abc")
    assert len(a) == 10 and len(b) == 10 and len(c) == 12  # header block + column header (+ every station in c)
    assert a[0] == "Versie controleprotocol;TK2025" and a[9].startswith("Verkiezingnummer;Type;")


def test_station_name_without_postcode_and_prefix():
    assert station_name("Stembureau Stembureau De Hoek (postcode: 1234 AB)") == "De Hoek"


def test_plausibility_reports_no_explanation_in_a_single_station_file():
    count = municipality(unit("SB1", {1: [100]}, admitted=104, no_explanation=4))
    assert [f.code for f in check_plausibility(count)] == ["P.NO_EXPLANATION"]
    short = municipality(unit("SB1", {1: [100]}, admitted=101, too_many_issued=1, no_explanation=0))
    found = [(f.code, f.expected, f.actual) for f in check_plausibility(short)]
    assert found == [("P.MISSING_EXPLANATION", 1, 0)]  # 1 fewer; 'te veel uitgereikt' explains the other direction


def test_without_a_pv_the_summary_never_claims_no_recount():
    from osv_verify.report.hcp import rows

    p = run_protocol(municipality(unit("SB1", {1: [100]}, admitted=104, no_explanation=4)))
    (row,) = rows(p, "a")
    assert not p.pv_used and "Niet herteld" not in row[-1] and "niet gelezen" in row[-1]
    p.pv_used = True  # with the PV read and the station not on it: not recounted, as the PV says
    assert rows(p, "a")[0][-1].endswith("Niet herteld.")


def test_not_run_names_per_column_the_stations_and_the_counts_their_file_lacks():
    complete = unit("SB1", no_explanation=0)
    no_blank = unit("SB2", no_explanation=0)
    del no_blank.counts["blank"]
    no_d = unit("SB3", lists={1: [100]}, no_explanation=0)
    del no_d.counts["admitted"]
    differs = unit("SB4", lists={1: [100]}, admitted=101)  # a difference, and no explanation fields at all (Abacus)
    said = {(n.column, n.why.nl) for n in run_protocol(municipality(complete, no_blank, no_d, differs)).not_run}
    no_f = "stembureau 2: geen blanco stemmen (F) in het bestand"
    assert said == {
        ("no_explanation", "het bestand noemt geen 'geen verklaring' (geen verklaringen met reden, zoals in bestanden "
                           "van Abacus)"),
        ("missing_explanations", no_f), ("missing_explanations", "stembureau 3: geen toegelaten kiezers (D) in het bestand"),
        ("missing_explanations", "stembureau 4: verschil tussen toegelaten kiezers en stemmen, maar het bestand noemt "
                                 "de verklaringen niet"),
        ("zero_votes", no_f), ("invalid_share", no_f), ("blank_share", no_f),
        ("difference", no_f), ("difference", "stembureau 3: geen toegelaten kiezers (D) in het bestand"),
    }
    both = unit("SB1", no_explanation=0)
    del both.counts["admitted"], both.counts["invalid"]
    [why] = [n.why for n in run_protocol(municipality(both)).not_run if n.column == "difference"]
    assert why == ("bij geen enkel stembureau gecontroleerd: geen toegelaten kiezers (D) of ongeldige stemmen (G) in het bestand",
                   "not checked for any station: no admitted voters (D) or invalid votes (G) in the file")
