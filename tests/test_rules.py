"""One test per rule, at its boundaries: a valid baseline, then one change (Abacus style)."""

from __future__ import annotations

import pytest

from osv_verify.app.examples import run_example
from osv_verify.checks.registry import ACTIVE, RULES
from osv_verify.checks.rule import Example, Family, RuleStatus, Runner
from osv_verify.checks.tally import Context, check_tally
from osv_verify.core.findings import Location, Severity
from osv_verify.core.model import Tally
from osv_verify.core.text import Text


def valid_station(**changes: int) -> Tally:
    """A consistent station PV: 100 ballots (96 valid, 2 blank, 2 invalid) for 100 admitted."""
    counts = {
        "eligible": 400, "poll_cards": 90, "proxy_certificates": 8, "voter_cards": 2, "admitted": 100,
        "valid": 96, "blank": 2, "invalid": 2, "more_ballots": 0, "fewer_ballots": 0,
        "no_explanation": 0, "other_explanation": 0,
    }
    counts.update(changes)
    return Tally(
        id="0999::SB1",
        counts=counts,
        lists={1: 60, 2: 36},
        candidates={(1, "1", None): 50, (1, "2", None): 10, (2, "1", None): 36},
    )


def codes(t: Tally, station: bool = True) -> list[str]:
    ctx = Context(Location("GR2030_Testdorp", unit=t.id), "x.xml", None, station)
    return sorted(f.code for f in check_tally(t, ctx))


def test_baseline_is_clean():
    assert codes(valid_station()) == []
    assert codes(valid_station(), station=False) == []


# F.201: A + B + C = D
def test_f201_admitted_one_more_than_cards():
    assert codes(valid_station(admitted=101, fewer_ballots=1, no_explanation=1)) == ["F.201"]


def test_f201_voter_cards_absent_counts_as_not_given():
    t = valid_station(voter_cards=0)
    del t.counts["voter_cards"]
    assert codes(t) == ["F.201"]  # 90 + 8 = 98 != 100


def test_f201_not_run_without_admitted():
    t = valid_station()
    del t.counts["admitted"]
    ctx = Context(Location("e"), "x", None, True)
    assert [f.code for f in check_tally(t, ctx)] == []
    assert any(code == "F.201" for code, _ in ctx.not_run)


# F.202: E = sum of list totals
@pytest.mark.parametrize("valid, expected", [(95, ["F.202", "W.203"]), (96, []), (97, ["F.202", "W.203"])])
def test_f202_boundaries(valid, expected):
    t = valid_station(valid=valid)
    # keep H = D so only F.202 (and W.203 where H moves) can fire: adjust admitted too
    t.counts["admitted"] = valid + 4
    t.counts["poll_cards"] = valid + 4 - 10
    assert [c for c in codes(t) if c != "W.203"] == [c for c in expected if c != "W.203"]


# F.402: list total = sum of candidates
@pytest.mark.parametrize("list_total, fires", [(59, True), (60, False), (61, True)])
def test_f402_boundaries(list_total, fires):
    t = valid_station()
    t.lists[1] = list_total
    t.counts["valid"] = list_total + 36
    t.counts["admitted"] = t.counts["poll_cards"] = 0
    result = [c for c in codes(t) if c == "F.402"]
    assert result == (["F.402"] if fires else [])


def test_f402_list_without_candidate_counts_is_not_checked():
    t = valid_station()
    t.candidates = {}
    assert codes(t) == []


# F.305 - F.309 at a station, F.312 at a total
def test_f305_equal_but_more_recorded():
    # the explanations (0) still match the real difference |H - D| = 0
    assert codes(valid_station(more_ballots=1)) == ["F.305"]


@pytest.mark.parametrize("more, expected", [(2, []), (1, ["F.306"]), (3, ["F.306"]), (0, ["F.306"])])
def test_f306_more_ballots_must_be_the_difference(more, expected):
    # H = 102 (two extra blank votes), D = 100
    t = valid_station(blank=4, more_ballots=more, no_explanation=2)
    assert [c for c in codes(t) if c.startswith("F.3")] == expected


def test_f307_more_ballots_but_fewer_given():
    t = valid_station(blank=4, more_ballots=2, fewer_ballots=1, no_explanation=2)
    assert [c for c in codes(t) if c.startswith("F.3")] == ["F.307"]


@pytest.mark.parametrize("fewer, expected", [(1, []), (0, ["F.308"]), (2, ["F.308"])])
def test_f308_fewer_ballots_must_be_the_difference(fewer, expected):
    t = valid_station(invalid=1, fewer_ballots=fewer, no_explanation=1)
    assert [c for c in codes(t) if c.startswith("F.3")] == expected


def test_f309_fewer_ballots_but_more_given():
    t = valid_station(invalid=1, fewer_ballots=1, more_ballots=1, no_explanation=1)
    assert [c for c in codes(t) if c.startswith("F.3")] == ["F.309"]


@pytest.mark.parametrize("more, fewer, fires", [(3, 1, False), (2, 1, True), (2, 0, False), (0, 2, True)])
def test_f312_total_difference_is_more_minus_fewer(more, fewer, fires):
    # a total: H = 102, D = 100, so more - fewer must be 2
    t = valid_station(blank=4, more_ballots=more, fewer_ballots=fewer, no_explanation=more + fewer)
    assert ("F.312" in codes(t, station=False)) is fires


# TALLY.EXPLANATIONS
@pytest.mark.parametrize("explained, fires", [(2, False), (1, True), (3, True)])
def test_explanations_add_up_to_the_difference(explained, fires):
    t = valid_station(blank=4, more_ballots=2, no_explanation=explained)
    assert ("TALLY.EXPLANATIONS" in codes(t)) is fires


def test_explanations_at_a_total_are_a_warning():
    t = valid_station(blank=4, more_ballots=3, fewer_ballots=1, no_explanation=1)
    ctx = Context(Location("e"), "x", None, False)
    (f,) = [f for f in check_tally(t, ctx) if f.code == "TALLY.EXPLANATIONS"]
    assert f.severity is Severity.WARNING and (f.expected, f.actual) == (4, 1)


def test_ballots_found_row_of_csv():
    assert codes(valid_station(ballots_found=100)) == []
    assert codes(valid_station(ballots_found=101)) == ["TALLY.BALLOTS_FOUND"]


# W.201 / W.202: >= ceil(3 % of H), except F = H = 0 (Abacus vectors: H = 100, 2 no, 3 yes)
@pytest.mark.parametrize("key, code", [("blank", "W.201"), ("invalid", "W.202")])
@pytest.mark.parametrize("value, fires", [(2, False), (3, True)])
def test_w201_w202_three_percent(key, code, value, fires):
    t = valid_station(valid=100 - 2 - value, **{key: value, "blank" if key == "invalid" else "invalid": 2})
    t.counts["valid"] = 100 - 2 - value
    t.lists = {1: 100 - 2 - value}
    t.candidates = {}
    assert (code in codes(t)) is fires


# W.203 vectors from Abacus: (D, H, fires)
@pytest.mark.parametrize("d, h, fires", [(101, 100, False), (102, 100, True), (103, 100, True),
                                          (1000, 1014, False), (1000, 1015, True), (1014, 1000, False), (1016, 1000, True)])
def test_w203_vectors(d, h, fires):
    t = Tally(counts={"admitted": d, "valid": h, "blank": 0, "invalid": 0})
    assert ("W.203" in codes(t)) is fires


def test_w204_no_ballots():
    t = Tally(counts={"valid": 0, "blank": 0, "invalid": 0})
    assert "W.204" in codes(t)
    assert "W.201" not in codes(t)  # F = H = 0 is the exception


def test_w205_zero_eligible_only_for_totals():
    t = valid_station(eligible=0)
    assert "W.205" not in codes(t, station=True)  # stations carry 0 when unknown
    assert "W.205" in codes(t, station=False)


def test_w205_fires_whatever_the_ballots_as_abacus():
    """Abacus W.205 is Z = 0 on its own (issue 20); it needed H > 0 here, and H published."""
    assert codes(Tally(id="0999", counts={"eligible": 0}), station=False) == ["W.205"]
    empty = Tally(id="0999", counts={"eligible": 0, "valid": 0, "blank": 0, "invalid": 0})
    assert codes(empty, station=False) == ["W.204", "W.205"]


@pytest.mark.parametrize("changes, field", [
    ({"eligible": 100}, None),
    ({"eligible": 90}, None),  # Z = A: Abacus's W.206 needs Z < A
    ({"eligible": 89}, "poll_cards"),  # Abacus's vector: Z < A
    ({"eligible": 99}, None),  # D = 100 > Z, but D holds 2 voter cards, which may come from elsewhere
    ({"eligible": 99, "voter_cards": 0, "poll_cards": 92}, "admitted"),  # D = A + B: all this register's voters
    ({"eligible": 0}, None),  # W.205
])
def test_w206_fewer_eligible_than_own_voters(changes, field):
    findings = [f for f in check_tally(valid_station(**changes), Context(Location("e"), "x.xml", None, False)) if f.code == "W.206"]
    assert [f.field for f in findings] == ([field] if field else [])


def test_w206_never_compares_ballots_or_voter_cards():
    """Issue 20: TK2021's 510c gave W.206 for Ameland, Schiermonnikoog and Vlieland, where voters
    with a voter card from elsewhere make H (and D) exceed the register. Only the register's own
    voters (A, and D without voter cards) are compared with it."""
    ballots_only = Tally(id="0088", counts={"eligible": 785, "valid": 900, "blank": 3, "invalid": 4})
    assert "W.206" not in codes(ballots_only, station=False)
    with_cards = valid_station(eligible=95, poll_cards=90, voter_cards=2)
    assert "W.206" not in codes(with_cards, station=False)


def test_every_rule_has_words_in_both_languages():
    for r in RULES.values():
        assert isinstance(r.title, Text) and isinstance(r.why, Text) and isinstance(r.scope, Text), r.code
        assert all(r.title) and all(r.why) and (all(r.message) or r.status is RuleStatus.RETIRED), r.code
        assert bool(r.scope.nl) == bool(r.scope.en), r.code


@pytest.mark.parametrize("strict, value, fires", [(0, 3, True), (1, 3, False), (1, 4, True)])
def test_w201_threshold_and_operator_are_settings(strict, value, fires):
    """The protocol FAQ says "more than 3 %", Abacus and HCP ">= 3 %": both can be had."""
    from osv_verify.checks.thresholds import Thresholds

    t = Tally(counts={"valid": 100 - value, "blank": value, "invalid": 0})
    ctx = Context(Location("e"), "x", None, True, thresholds=Thresholds(blank_invalid_strict=strict))
    assert ("W.201" in [f.code for f in check_tally(t, ctx)]) is fires


def example_codes(example) -> set[str]:
    """The codes the real checks give on an example, by its runner (``app/examples.py``)."""
    return {f.code for f in run_example(example)}


@pytest.mark.parametrize("code", [c for c, r in ACTIVE.items() if r.example])
def test_every_example_gives_exactly_its_code(code):
    example = RULES[code].example
    assert example_codes(example) == {code, *example.also}


def test_every_active_rule_has_an_example_or_a_note_and_not_both():
    for code, r in ACTIVE.items():
        assert (r.example is None) != (r.example_note is None), code
        if r.example_note is not None:
            assert r.example_note.nl.startswith("geen kort voorbeeld: ") and r.example_note.en.startswith("no short example: "), code


def test_every_plausibility_and_double_entry_rule_has_an_example():
    assert all(r.example for r in ACTIVE.values() if r.family in (Family.P, Family.DOUBLE))


def test_a_plain_mapping_is_a_pv_or_file_example_and_entries_need_two():
    assert Example({"station": {"valid": 1}}).runner is Runner.PV
    assert Example({"total": {"valid": 1}, "SB1": {"valid": 1}}).runner is Runner.FILE
    assert isinstance(RULES["F.201"].example, Example)
    with pytest.raises(ValueError):
        Example({"SB1": {}}, Runner.ENTRIES)


def test_every_rule_a_single_tally_or_file_can_trigger_has_an_example():
    single = {r.family for r in ACTIVE.values()} & {Family.F, Family.W, Family.TALLY}
    assert all(r.example for r in ACTIVE.values() if r.family in single)
    by_file = {"AGG.TOTAL", "AGG.UNIT_LEFT_OUT", "AGG.UNIT_TWICE", "AGG.MISSING_COUNT", "AGG.NOT_COMPARABLE", "W.ZERO"}
    assert all(RULES[c].example for c in by_file)


def test_a_retired_code_stays_a_row_and_makes_no_finding():
    retired = RULES["DOUBLE.OTHER_COUNT"]
    assert retired.status is RuleStatus.RETIRED and "DOUBLE.OTHER_COUNT" not in ACTIVE
    with pytest.raises(ValueError, match="retired"):
        retired.finding(Location("e"))


def test_every_rule_has_a_part_or_none_by_design_and_a_why():
    no_part = {c for c, r in ACTIVE.items() if r.part is None}
    assert no_part == {"META.ELECTION", "META.ELECTION_ID", "META.UNKNOWN_ELEMENT", "META.SCHEMA_VALUE", "CHECK.NOT_RUN"} | {c for c in ACTIVE if c.startswith("DOUBLE.")}
    assert all(r.why.nl and r.why.en for r in RULES.values())
