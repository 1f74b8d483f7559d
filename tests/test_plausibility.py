"""Plausibility checks: rules at their boundaries, recall and false alarms on generated
elections, and the protocol's findings on real files computed independently."""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import pytest
from lxml import etree

from osv_verify.checks.plausibility import calibrated_threshold, check_plausibility
from osv_verify.checks.thresholds import Thresholds
from osv_verify.core.errors import UsageError
from osv_verify.core.model import CountFile, ElectionRef, Level, Tally
from osv_verify.app.verify import verify

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from plausibility_eval import evaluate  # noqa: E402
import plausibility_real  # noqa: E402

N = {"e": "urn:oasis:names:tc:evs:schema:eml"}
#: Share of injected list swaps the quick test must see named (49 of 80 were, at the stored reference).
QUICK_NAMED = 0.5


def station(sid: str, lists: dict[int, list[int]], blank: int = 2, invalid: int = 3, **counts: int) -> Tally:
    valid = sum(sum(c) for c in lists.values())
    return Tally(
        id=f"0999::{sid}",
        counts={"valid": valid, "blank": blank, "invalid": invalid, **counts},
        lists={n: sum(c) for n, c in lists.items()},
        candidates={(n, str(i), None): v for n, c in lists.items() for i, v in enumerate(c, 1)},
    )


def municipality(*units: Tally) -> CountFile:
    return CountFile(source="t.xml", kind="510b", level=Level.MUNICIPALITY, election=ElectionRef(id="GR2030_T"),
                     authority_id="0999", units=list(units))


def codes(count: CountFile, t: Thresholds = Thresholds()) -> list[tuple[str, str | None, str | None]]:
    return sorted((f.code, f.location.unit, f.field) for f in check_plausibility(count, t))


BASE = {1: [300, 60, 40], 2: [150, 30, 20], 3: [100, 20, 30]}


def test_similar_stations_are_clean():
    assert codes(municipality(*(station(f"SB{i}", BASE) for i in range(1, 6)))) == []


@pytest.mark.parametrize("above, fires", [(1, True), (0, False)])
def test_party_share_at_the_calibrated_threshold(above, fires):
    """P.PARTY_SHARE fires above the deviation that 1 in 1,000 real untouched stations exceed
    (issue 23), not at the protocol's fixed 50 points."""
    threshold = calibrated_threshold("P.PARTY_SHARE", Thresholds())
    share_pp = int(threshold * 100) + above  # whole points: at most the threshold, or just above it
    # in the others list 1 has 10 %; the tested station gives it 10 + share_pp %
    other = {1: [100], 2: [900]}
    tested = {1: [100 + 10 * share_pp], 2: [900 - 10 * share_pp]}
    found = codes(municipality(station("SB1", tested), *(station(f"SB{i}", other) for i in range(2, 5))))
    assert (("P.PARTY_SHARE", "0999::SB1", "list 1") in found) is fires


def test_no_explanation_counts_are_flagged():
    found = codes(municipality(station("SB1", BASE, no_explanation=2), *(station(f"SB{i}", BASE) for i in range(2, 5))))
    assert found == [("P.NO_EXPLANATION", "0999::SB1", "no_explanation")]


def test_swapped_candidates_are_flagged_and_a_local_favourite_is_not():
    swapped = {1: [60, 300, 40], 2: [150, 30, 20], 3: [100, 20, 30]}
    found = codes(municipality(station("SB1", swapped), *(station(f"SB{i}", BASE) for i in range(2, 6))))
    assert ("P.CANDIDATE_SWAP", "0999::SB1", "candidate 1.2") in found
    favourite = {1: [300, 60, 240], 2: [150, 30, 20], 3: [100, 20, 30]}  # candidate 3 popular here, nobody swapped
    found = codes(municipality(station("SB1", favourite), *(station(f"SB{i}", BASE) for i in range(2, 6))))
    assert not [f for f in found if f[0] == "P.CANDIDATE_SWAP"]


@pytest.mark.parametrize("elsewhere, fires", [(14, True), (13, False)])
def test_zero_invalid_votes_at_the_threshold(elsewhere, fires):
    # the others have `elsewhere` invalid votes among as many ballots: that many expected here
    others = [station(f"SB{i}", BASE, invalid=elsewhere) for i in range(2, 5)]
    found = codes(municipality(station("SB1", BASE, blank=2 + elsewhere, invalid=0), *others))
    assert (("P.ZERO", "0999::SB1", "invalid") in found) is fires


def test_thresholds_are_settings():
    with pytest.raises(UsageError, match="unknown plausibility setting"):
        Thresholds.with_overrides({"nope": "1"})
    assert Thresholds.with_overrides({"party_share_pp": "40"}).party_share_pp == 40


def test_recall_and_false_alarms_on_generated_elections():
    """On 40 generated municipalities per fault (deterministic seeds): < 1 false swap per 1,000
    stations, and >= 85 % of swapped lists with >= 50 votes each found. Issue 15 asked 90 %
    of its tuned detector; since issue 23 P.LIST_SWAP's threshold is the one that holds 1 per
    1,000 on real stations, and 31 of 36 are named here (the misses: lists with nearly the
    same totals, 156 and 160 votes, that the real-data harness does not count as swaps)."""
    ev = evaluate(range(40))
    assert ev.faults["swap_lists"].eligible >= 30
    assert ev.recall("swap_lists") >= 0.85, ev.faults["swap_lists"].notes
    assert ev.false_swaps_per_1000() < 1
    assert ev.recall("swap_candidates") >= 0.6


def _protocol_by_xpath(path: Path, above: Fraction) -> tuple[set[str], set[str]]:
    """Stations with 'geen verklaring' > 0, and stations where a list's share differs more than
    ``above`` from the rest of the municipality, computed with plain XPath from the file."""
    units = etree.parse(str(path)).findall(".//e:ReportingUnitVotes", N)
    lists: dict[str, dict[str, int]] = {}
    unexplained = set()
    for u in units:
        uid = u.find("e:ReportingUnitIdentifier", N).get("Id")
        lists[uid] = {s.find("e:AffiliationIdentifier", N).get("Id"): int(s.findtext("e:ValidVotes", namespaces=N))
                      for s in u.findall("e:Selection", N) if s.find("e:AffiliationIdentifier", N) is not None}
        if int(u.findtext("e:UncountedVotes[@ReasonCode='geen verklaring']", default="0", namespaces=N) or 0) > 0:
            unexplained.add(uid)
    totals: dict[str, int] = {}
    for per in lists.values():
        for k, v in per.items():
            totals[k] = totals.get(k, 0) + v
    deviating = set()
    for uid, per in lists.items():
        n, rest_n = sum(per.values()), sum(totals.values()) - sum(per.values())
        for k, v in per.items():
            if n and rest_n and abs(v * rest_n - (totals[k] - v) * n) > above * n * rest_n:
                deviating.add(uid)
    return unexplained, deviating


@pytest.mark.realdata
def test_protocol_findings_on_real_files(real_data: Path):
    files = sorted((real_data / "GR2022" / "eml").glob("Telling_*.xml"))[:25]
    result = verify(files, plausibility=Thresholds())
    got_unexplained = {f.location.unit for f in result.findings if f.code == "P.NO_EXPLANATION"}
    got_deviating = {f.location.unit for f in result.findings if f.code == "P.PARTY_SHARE"}
    want_unexplained, want_deviating = set(), set()
    for path in files:
        u, d = _protocol_by_xpath(path, calibrated_threshold("P.PARTY_SHARE", Thresholds()))
        want_unexplained |= u
        want_deviating |= d
    assert got_unexplained == want_unexplained and len(want_unexplained) > 20
    assert got_deviating == want_deviating
    # a plausibility finding is never an error
    assert all(f.severity.value == "warning" for f in result.findings if f.code.startswith("P."))


def _village(i: int, swap: bool = False, favourite: bool = False) -> Tally:
    """Stations that differ by neighbourhood: lists 1 and 2 trade places between two halves of
    town, list 3 is steady. Each list divides its votes in its own way over its candidates."""
    x1, x2 = (200, 100) if i % 2 else (180, 110)
    cols = {1: [x1 * 6 // 10, x1 * 3 // 10, x1 - x1 * 6 // 10 - x1 * 3 // 10],
            2: [x2 * 2 // 10, x2 * 3 // 10, x2 - x2 * 2 // 10 - x2 * 3 // 10],
            3: [40 + i % 3, 30, 30]}
    if favourite:  # a local candidate: list 2's third candidate gets 120 extra votes here
        cols[2][2] += 120
    if swap:
        cols[1], cols[2] = cols[2], cols[1]
    return station(f"SB{i}", cols)


def test_list_swap_is_named_and_a_local_favourite_is_not():
    others = [_village(i) for i in range(2, 14)]
    found = codes(municipality(_village(1, swap=True), *others))
    assert ("P.LIST_SWAP", "0999::SB1", "list 1 / list 2") in found
    found = codes(municipality(_village(1, favourite=True), *others))
    assert not [f for f in found if f[0] == "P.LIST_SWAP"]
    assert codes(municipality(_village(1), *others)) == []


def test_list_swap_needs_50_votes_in_both_lists():
    others = [_village(i) for i in range(2, 14)]
    count = municipality(_village(1, swap=True), *others)
    assert not [f for f in codes(count, Thresholds(list_swap_min_votes=201)) if f[0] == "P.LIST_SWAP"]


def test_injected_list_swap_keeps_every_sum():
    u = station("SB1", {1: [5, 4, 3], 2: [7, 1], 3: [9]})
    v = plausibility_real.swap_lists(u, 1, 2)
    assert v.lists == {1: 8, 2: 12, 3: 9}
    for lst in (1, 2):
        assert sum(c for k, c in v.candidates.items() if k[0] == lst) == v.lists[lst]
    assert v.candidates[(1, "1", None)] == 7 and v.candidates[(2, "3", None)] == 3  # padded position


@pytest.mark.realdata
def test_swap_detection_on_four_real_municipalities(real_data: Path):
    """The quick version of ``make bench-plausibility``: four real municipalities (Aalten,
    Bloemendaal, Coevorden, West Maas en Waal GR2022 and TK2025) at the threshold of the stored
    reference. The reference holds these stations too, so this is not a held-out figure (the
    full harness's leave-one-data-set-out figures are): no untouched station flagged, and the
    injected list swaps named at about the rate measured there."""
    from osv_verify.checks import swap, swap_reference
    ms = plausibility_real.run(plausibility_real.municipalities(real_data, plausibility_real.QUICK), per=20)
    stations, highest = swap_reference.REFERENCES[("P.LIST_SWAP", "all")]
    threshold = swap.conformal_threshold(list(highest), stations, 1)
    outcome = plausibility_real.Outcome()
    for m in ms:
        outcome.add(m, "P.LIST_SWAP", threshold)
    assert outcome.stations >= 90 and outcome.injected >= 50
    assert outcome.flagged == 0, outcome.alarms
    assert outcome.named >= QUICK_NAMED * outcome.injected, outcome.missed


def test_column_distances_in_integers_equal_the_share_differences():
    """swap._both_readings sums |v/T - c/D| over one common denominator: the same exact
    fractions as summing the share differences one by one (an all-zero column counts 0)."""
    from fractions import Fraction

    from osv_verify.checks.swap import Division, _both_readings

    def l1(column, q):
        total = sum(column)
        return sum((abs(Fraction(v, total) - Fraction(c, q.total)) for v, c in zip(column, q.counts)),
                   Fraction(0)) if total else Fraction(0)

    qa, qb = Division([61, 30, 9], 100), Division([5, 12, 3], 20)
    for ca, cb in (([120, 40, 8], [10, 70, 12]), ([7, 0, 1], [0, 0, 0]), ([0, 0, 0], [3, 3, 3])):
        assert _both_readings(ca, cb, qa, qb) == (l1(ca, qa) + l1(cb, qb), l1(ca, qb) + l1(cb, qa))
    assert _both_readings([120, 40, 8], [10, 70, 12], qa, qb)[0] == Fraction(
        abs(Fraction(120, 168) - Fraction(61, 100)) + abs(Fraction(40, 168) - Fraction(30, 100))
        + abs(Fraction(8, 168) - Fraction(9, 100)) + abs(Fraction(10, 92) - Fraction(5, 20))
        + abs(Fraction(70, 92) - Fraction(12, 20)) + abs(Fraction(12, 92) - Fraction(3, 20)))


def test_a_pair_is_judged_against_two_references_and_keeps_the_smaller_score():
    """Issue 23, fourth round: a pair is scored against the stations nearest in the other
    lists' candidate votes and against those nearest in the other lists' shares; the smaller
    score counts, with the expected votes of that reference, and an untouched station of the
    same municipality scores less."""
    from osv_verify.checks import swap

    def village(i: int) -> dict[int, list[int]]:
        return {1: [150 + i, 60, 40, 30], 2: [20, 70 + i, 15, 10], 3: [90 + 3 * i, 30, 20, 10 + i % 4]}

    units = [station(f"SB{i}", village(i)) for i in range(1, 14)]
    cols = village(1)
    units[0] = station("SB1", {1: cols[2], 2: cols[1], 3: cols[3]})
    hoods = swap.Neighbourhoods(units)
    dist = hoods.distances(units[0])
    n = sum(units[0].lists.values())
    local, broad = (swap._judged(hoods, hoods.nearest(dist, 1, 2, swap.NEIGHBOURS, flag), swap._columns(units[0]),
                                 units[0], 1, 2, n) for flag in (True, False))
    assert hoods.nearest(dist, 1, 2, swap.NEIGHBOURS, True) != hoods.nearest(dist, 1, 2, swap.NEIGHBOURS, False)
    [ev] = [e for e in swap.pair_evidence(hoods, units[0], 50) if (e.a, e.b) == (1, 2)]
    assert ev == min(local, broad, key=lambda e: e.score) and ev.score > 0
    assert swap.station_score(swap.pair_evidence(hoods, units[6], 50)) < ev.score


def test_the_candidate_root_distances_are_the_sums_of_squares():
    """Neighbourhoods.distances sums (x - y)^2 of the candidates' root shares per list as
    |r|^2 + |s|^2 - 2 r.s: the same integers as summing the squares one by one."""
    import math

    from osv_verify.checks import swap

    units = [station("SB1", {1: [5, 4, 3], 2: [7, 1]}), station("SB2", {1: [1, 9, 2], 2: [3, 3]}),
             station("SB3", {1: [6, 0, 6], 2: [0, 8]})]
    hoods = swap.Neighbourhoods(units)
    for d in hoods.distances(units[0]):
        other = units[d.index]
        for k, lst in enumerate(hoods.lists):
            mine, theirs = ([math.isqrt(v.candidates[(lst, str(p), None)] * swap.PPM ** 2 // sum(v.lists.values()))
                             for p in range(1, hoods.length[lst] + 1)] for v in (units[0], other))
            assert d.candidates[k] == sum((x - y) ** 2 for x, y in zip(mine, theirs))
        assert d.candidates_total == sum(d.candidates)


def test_a_difference_not_explained_is_reported_once():
    """The error TALLY.EXPLANATIONS owns the fact; P.MISSING_EXPLANATION (which restates it, in
    the registry) is dropped for the same station and difference, and kept where it says more."""
    from osv_verify.app.counts import check_count

    # SB1: 2 more ballots than admitted voters, nothing explained: both rules find |H - D| = 2
    sb1 = station("SB1", BASE, admitted=753, more_ballots=2, fewer_ballots=0, too_many_issued=0, taken_home=0)
    # SB2: explained in total (2), but by an explanation of the other direction: only the P warning
    sb2 = station("SB2", BASE, admitted=753, more_ballots=2, fewer_ballots=0, too_many_issued=0, taken_home=2)
    count = municipality(sb1, sb2, *(station(f"SB{i}", BASE) for i in range(3, 6)))
    found = sorted((f.code, f.location.unit) for f in check_count(count, Thresholds())
                   if f.field == "explanations")
    assert found == [("P.MISSING_EXPLANATION", "0999::SB2"), ("TALLY.EXPLANATIONS", "0999::SB1")]
    assert {f.code for f in check_plausibility(count, Thresholds())} >= {"P.MISSING_EXPLANATION"}
