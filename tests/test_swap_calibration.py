"""P.LIST_SWAP's calibration (issue 23): a threshold taken from real untouched stations by rank,
the reference current for the detector, the search for neighbours linear in stations, and the
measured figures in every message."""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import pytest

from osv_verify.checks import plausibility, protocol_rules, swap, swap_reference
from osv_verify.checks.measured import MEASURED, wilson
from osv_verify.checks.thresholds import Thresholds
from osv_verify.core.errors import UsageError
from osv_verify.core.model import CountFile, ElectionRef, Level, Tally

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import plausibility_real  # noqa: E402


def test_the_threshold_is_the_kth_highest_reference_score():
    highest = [Fraction(9), Fraction(7), Fraction(5), Fraction(3)]
    # N = 2,999: k = floor(1 x 3,000 / 1,000) = 3 at 1 per 1,000, 6 at 2 (beyond what is kept)
    assert swap.conformal_threshold(highest, 2999, 1) == 5
    assert swap.conformal_threshold(highest, 2998, 1) == 7  # k = 2
    assert swap.conformal_threshold(highest, 998, 1) is None  # too few stations for 1 per 1,000: nothing fires
    with pytest.raises(UsageError, match="list_swap_per_1000"):
        swap.conformal_threshold(highest, 2999, 2)


@pytest.mark.parametrize("key", sorted(swap_reference.REFERENCES))
def test_the_stored_reference_holds_the_rate(key):
    """Each reference (a calibrated check, and its size class where it has them) holds enough
    real stations for 1 per 1,000 (k >= 1), and the threshold is its k-th highest score."""
    code, label = key
    stations, highest = swap_reference.REFERENCES[key]
    assert stations >= 999 and len(highest) == plausibility_real.KEEP
    assert list(highest) == sorted(highest, reverse=True)
    k = (stations + 1) // 1000  # at 1 per 1,000
    size = {"all": 0, "< 100": 50, ">= 100": 100}[label]
    assert plausibility.size_class(code, size) == label
    assert plausibility.calibrated_threshold(code, Thresholds(), size) == highest[k - 1]


def test_candidate_fit_has_a_reference_per_size_class():
    """P.CANDIDATE_SWAP_FIT: municipalities under 100 stations and of 100 or more each have their
    own reference (a small one got the large cities' threshold: 19.8 alarms per 1,000 held out)."""
    assert {label for code, label in swap_reference.REFERENCES if code == "P.CANDIDATE_SWAP_FIT"} == {"< 100", ">= 100"}
    assert [plausibility.size_class("P.CANDIDATE_SWAP_FIT", n) for n in (3, 99, 100, 589)] == ["< 100", "< 100", ">= 100", ">= 100"]
    assert plausibility.size_class("P.LIST_SWAP", 589) == "all"
    small, large = (plausibility.calibrated_threshold("P.CANDIDATE_SWAP_FIT", Thresholds(), n) for n in (50, 150))
    assert small != large


@pytest.mark.parametrize("code", sorted(plausibility.CALIBRATED))
def test_messages_quote_the_held_out_figures_with_intervals(code):
    flagged, stations, named, injected = swap_reference.FIGURES[code]
    text = MEASURED[code]
    lo, hi = wilson(flagged, stations)
    assert f"{1000 * flagged / stations:.1f} per 1,000 (95 %: {1000 * lo:.1f}-{1000 * hi:.1f})" in text.en
    how = swap_reference.HELD_OUT[code]
    assert ("other data sets only" if how == "data set" else "other municipalities" + (" of its size class" if code in plausibility.SIZE_CLASSES else "") + " only") in text.en
    assert ("andere datasets" if how == "data set" else "andere gemeenten" + (" van haar grootteklasse" if code in plausibility.SIZE_CLASSES else "")) in text.nl
    assert text.en.count("named") == (code != "P.PARTY_SHARE") and text.nl.count("benoemd") == (code != "P.PARTY_SHARE")
    if code != "P.PARTY_SHARE":  # no fault is injected for it
        lo, hi = wilson(named, injected)
        assert injected > 1000 and f"{100 * named / injected:.1f} %" in text.en and f"{100 * lo:.1f}-{100 * hi:.1f} %" in text.en


def test_the_protocols_candidate_rule_is_not_calibrated():
    """P.CANDIDATE_SWAP stays the protocol's rule (factor 5, 15 votes; its measured rate is
    quoted, as a workload); only osv-verify's stricter reading is calibrated."""
    assert "P.CANDIDATE_SWAP" not in plausibility.CALIBRATED and "P.CANDIDATE_SWAP" in MEASURED
    flagged, stations, _, _ = swap_reference.FIGURES["P.CANDIDATE_SWAP"]
    assert flagged * 1000 > 20 * stations  # fires on far more than 1 per 1,000 real stations: the protocol's workload


def _list_of(cols: list[int], i: int) -> Tally:
    return Tally(id=f"0999::SB{i}", counts={"valid": sum(cols)}, lists={1: sum(cols)},
                 candidates={(1, str(p), None): v for p, v in enumerate(cols, 1)})


def test_candidate_fit_score_is_the_smaller_factor_exactly():
    """Candidates 1 and 2 of a list exchanged: the score is the smaller of (votes + 1) /
    (expected + 1) of the one above and (expected + 1) / (votes + 1) of the one below, as a
    Fraction; the threshold decides on it, and a factor below the threshold is not flagged."""
    others = [_list_of([80, 10, 10], i) for i in range(2, 6)]
    u = _list_of([10, 80, 10], 1)
    ref = protocol_rules.summed(others)
    [pair] = plausibility.candidate_fit_pairs(u, ref, Thresholds())
    # expected: candidate 2 has 40 of 400 elsewhere -> 10 here, candidate 1 320 of 400 -> 80
    assert pair.high.key == (1, "2", None) and pair.low.key == (1, "1", None)
    assert pair.score == min(Fraction(81, 11), Fraction(81, 11)) and isinstance(pair.score, Fraction)
    count = CountFile(source="t.xml", kind="510b", level=Level.MUNICIPALITY, election=ElectionRef(id="GR2030_T"),
                      authority_id="0999", units=[u, *others])
    fit = [f for f in plausibility.check_plausibility(count, Thresholds()) if f.code == "P.CANDIDATE_SWAP_FIT"]
    above = plausibility.calibrated_threshold("P.CANDIDATE_SWAP_FIT", Thresholds())
    assert bool(fit) is (pair.score > above)
    protocol = [f for f in plausibility.check_plausibility(count, Thresholds()) if f.code == "P.CANDIDATE_SWAP"]
    assert protocol  # the protocol's rule fires at its factor 5 whatever the calibration


def test_wilson_interval():
    lo, hi = wilson(0, 100)
    assert lo == 0 and 0.036 < hi < 0.038
    lo, hi = wilson(50, 100)
    assert 0.40 < lo < 0.41 and 0.59 < hi < 0.60


def _station(i: int, shares: tuple[int, int, int, int]) -> Tally:
    lists = {n + 1: v for n, v in enumerate(shares)}
    return Tally(id=f"0999::SB{i}", counts={"valid": sum(shares)}, lists=lists,
                 candidates={(n, str(p), None): v // 2 for n, v in lists.items() for p in (1, 2)})


def test_neighbours_are_sought_among_a_bounded_number_of_stations():
    """Above 2 x WINDOW + 1 stations, a station's candidate neighbours are those near it in the
    order of the three largest lists' shares: at most 3 x (2 x WINDOW + 1), whatever the size."""
    units = [_station(i, (100 + i % 97, 80 + (i * 7) % 89, 60 + (i * 13) % 83, 50)) for i in range(1, 1201)]
    hoods = swap.Neighbourhoods(units)
    assert len(hoods.distances(units[0])) <= 3 * (2 * swap.WINDOW + 1)
    small = swap.Neighbourhoods(units[:2 * swap.WINDOW + 1])
    assert len(small.distances(units[0])) == 2 * swap.WINDOW  # every other station


def test_the_municipality_total_is_summed_once(monkeypatch):
    """The reference of P.PARTY_SHARE and P.CANDIDATE_SWAP is summed once per file, not once
    per station (that made --plausibility quadratic in stations, issue 25)."""
    calls = []
    summed = protocol_rules.summed
    monkeypatch.setattr(protocol_rules, "summed", lambda units: calls.append(1) or summed(units))
    units = [_station(i, (100 + i, 80, 60, 50)) for i in range(1, 41)]
    count = CountFile(source="t.xml", kind="osv4-3", level=Level.MUNICIPALITY, election=ElectionRef(id="GR2030_T"),
                      authority_id="0999", units=units)
    assert count.total is None
    list(plausibility.check_plausibility(count, Thresholds()))
    assert len(calls) == 1


@pytest.mark.realdata
def test_the_reference_is_current(real_data: Path):
    """The reference was written by the harness for the checks as they are now: what they say
    on four real municipalities is what the harness recorded (re-run
    ``benchmarks/plausibility_real.py --write`` after changing a check)."""
    ms = plausibility_real.run(plausibility_real.municipalities(real_data, plausibility_real.QUICK), per=0)
    assert plausibility_real.digest(ms) == swap_reference.QUICK_DIGEST


def _swapped_village(stations: int = 13) -> CountFile:
    """Alike stations and one whose lists 1 and 2 are exchanged, columns and totals."""
    def tally(i: int, swapped: bool = False) -> Tally:
        cols = {1: [150 + i, 60, 40, 30], 2: [20, 70 + i, 15, 10], 3: [90, 30, 20, 10]}
        if swapped:
            cols[1], cols[2] = cols[2], cols[1]
        return Tally(id=f"0999::SB{i}", counts={"valid": sum(map(sum, cols.values()))},
                     lists={n: sum(c) for n, c in cols.items()},
                     candidates={(n, str(p), None): v for n, c in cols.items() for p, v in enumerate(c, 1)})
    return CountFile(source="t.xml", kind="510b", level=Level.MUNICIPALITY, election=ElectionRef(id="GR2030_T"),
                     authority_id="0999", units=[tally(1, swapped=True), *(tally(i) for i in range(2, stations + 1))])


def test_the_message_quotes_the_rate_only_for_the_settings_it_was_measured_at():
    found = [f for f in plausibility.check_plausibility(_swapped_village(), Thresholds()) if f.code == "P.LIST_SWAP"]
    assert [f.location.unit for f in found] == ["0999::SB1"]
    assert MEASURED["P.LIST_SWAP"].en in found[0].message_en
    other = [f for f in plausibility.check_plausibility(_swapped_village(), Thresholds(list_swap_per_1000=3))
             if f.code == "P.LIST_SWAP"]
    assert "measured only at 1 per 1,000" in other[0].message_en and MEASURED["P.LIST_SWAP"].en not in other[0].message_en


def test_in_a_small_municipality_the_message_quotes_the_small_municipalities_rate():
    """Issue 23, fourth round: every held-out alarm was in a municipality under SMALL_STATIONS
    stations, where the overall rate does not hold; the message there says so, with that rate."""
    from osv_verify.checks.measured import SMALL_MUNICIPALITY

    flagged, stations = swap_reference.SMALL
    assert stations >= 400 and f"({flagged} of {stations:,})" in SMALL_MUNICIPALITY.en
    assert f"({flagged} van {stations})" in SMALL_MUNICIPALITY.nl
    for n, small in ((13, True), (swap_reference.SMALL_STATIONS, False)):
        [found] = [f for f in plausibility.check_plausibility(_swapped_village(n), Thresholds()) if f.code == "P.LIST_SWAP"]
        assert (SMALL_MUNICIPALITY.en in found.message_en) is small and (SMALL_MUNICIPALITY.nl in found.message_nl) is small
        assert MEASURED["P.LIST_SWAP"].en in found.message_en and "not proof" in found.message_en


def test_the_other_way_round_is_said_only_when_each_list_fits_the_others_expectation():
    """User trial: Bladel SB5 printed "(the other way round)" for 96 votes against 97 expected."""
    from osv_verify.checks.swap import SwapEvidence

    def ev(xa, xb, ea, eb):
        return SwapEvidence(3, 4, xa, xb, Fraction(ea), Fraction(eb), Fraction(1), 10)

    assert not plausibility.looks_reversed(ev(96, 159, 97, 60))
    assert plausibility.looks_reversed(ev(104, 142, 128, 94))
    [found] = [f for f in plausibility.check_plausibility(_swapped_village(), Thresholds()) if f.code == "P.LIST_SWAP"]
    assert "(the other way round)" in found.message_en and "(andersom)" in found.message_nl


def test_a_rate_beyond_the_reference_is_a_usage_error():
    with pytest.raises(UsageError, match="at most 10"):
        list(plausibility.check_plausibility(_swapped_village(), Thresholds(list_swap_per_1000=11)))


def test_a_mobile_station_is_neither_compared_nor_in_the_reference():
    """kr:ReportingUnitType (i21-read): a mobile station is set apart (CHECK.UNIT_APART), is
    not compared with the fixed stations, and its votes are not in their reference, so the
    swapped village stays flagged against the same fixed stations."""
    count = _swapped_village()
    mobile = _station(99, (900, 10, 10, 10)).model_copy(update={"unit_type": "Mobile"})
    with_mobile = count.model_copy(update={"units": [*count.units, mobile]})
    compared = list(plausibility.compared_stations(with_mobile, Thresholds()))
    assert mobile.id not in {u.id for _, u, _ in compared}
    assert [ref.lists for _, u, ref in compared if u.id == "0999::SB1"] == \
           [ref.lists for _, u, ref in plausibility.compared_stations(count, Thresholds()) if u.id == "0999::SB1"]
    found = [(f.code, f.location.unit) for f in plausibility.check_plausibility(with_mobile, Thresholds())]
    assert ("CHECK.UNIT_APART", mobile.id) in found and ("P.LIST_SWAP", "0999::SB1") in found
    assert not [code for code, unit in found if unit == mobile.id and code.startswith("P.")]


def test_the_protocols_candidate_rule_quotes_its_measured_rate_only_at_the_protocols_settings():
    """P.CANDIDATE_SWAP is the protocol's rule, not calibrated: its message says how often it fires
    on real stations (the harness's figure), and that nothing was measured at other settings."""
    from dataclasses import replace

    from osv_verify.checks.measured import MEASURED
    from osv_verify.checks.plausibility import protocol_rate
    from osv_verify.checks.thresholds import DEFAULTS

    assert protocol_rate(DEFAULTS) == MEASURED["P.CANDIDATE_SWAP"]
    assert "per 1.000" in protocol_rate(DEFAULTS).nl and "real stations" in protocol_rate(DEFAULTS).en
    other = protocol_rate(replace(DEFAULTS, candidate_factor=DEFAULTS.candidate_factor + 1))
    assert other != MEASURED["P.CANDIDATE_SWAP"] and "niet gemeten" in other.nl and "not measured" in other.en
