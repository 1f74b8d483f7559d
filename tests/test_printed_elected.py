"""PV.ELECTED and PV.LOTS (issue 22): a P 22-2's elected and lots against the recomputed
allocation, on the Abacus template examples, with the counts and names their JSON (the answer
key) and the PV's own candidate table give (there is no 520 or 230b for them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from osv_verify.checks.elected_order import ElectedNames, NameSource
from osv_verify.checks.outcome import SeatComputation
from osv_verify.checks.printed import check_elected, check_lots, required_lots
from osv_verify.core.findings import Location
from osv_verify.io.pdf_pv import PdfPv, read_pdf_pv
from osv_verify.seats.from_counts import explore_lots
from osv_verify.seats.groups import PartyInput, SubList
from osv_verify.seats.rules import rules_for

pytestmark = pytest.mark.realdata

CASES = ["gte-19-seats", "gte-19-seats-and-p9", "gte-19-seats-and-p7-drawing-lots",
         # not "gte-19-seats-and-p9-drawing-lots-and-deceased-candidates": no draw of the recomputation
         # gives its elected (a deceased candidate's seat passes on, which the counts do not show)
         "gte-19-seats-and-p9-drawing-lots-and-p10-and-deceased-candidates", "lt-19-seats", "lt-19-seats-and-p10",
         "lt-19-seats-and-p15-drawing-lots", "lt-19-seats-and-p7-drawing-lots", "lt-19-seats-and-p9-and-p10",
         "lt-19-seats-and-p9-drawing-lots"]


def _name(c: dict) -> str:
    last = " ".join(p for p in (c.get("last_name_prefix"), c["last_name"]) if p)
    return f"{last}, {c['initials']}"


def votes_of(key: dict) -> dict[int, dict[int, int]]:
    """Candidate votes from the answer key: the JSON gives them for the nominated (elected)
    candidates; the rest of the list total is spread evenly over the others (the test asserts
    that this reproduces the JSON's seats and elected, so the spreading changes nothing)."""
    totals = {g["number"]: g["total"] for g in key["summary"]["votes_counts"]["political_group_total_votes"]}
    out: dict[int, dict[int, int]] = {}
    for lst in key["candidate_nomination"]["list_candidate_nomination"]:
        n = lst["list_number"]
        known = {c["candidate"]["number"]: c["votes"]
                 for c in lst["preferential_nomination_columns"] + lst["other_nomination_columns"]}
        rest = [c["number"] for c in lst["updated_candidate_ranking"] if c["number"] not in known]
        left = totals[n] - sum(known.values())
        votes = dict(known)
        for i, c in enumerate(sorted(rest)):
            votes[c] = left // len(rest) + (1 if i < left % len(rest) else 0)
        assert sum(votes.values()) == totals[n]
        out[n] = votes
    return out


def computation(base: Path) -> tuple[PdfPv, SeatComputation, dict]:
    """The PV, and the allocation recomputed from the answer key's votes (its list totals are
    the PV's), with the seats of the JSON; the draw is the one that gives the JSON's seats
    per list (as a 520 would show it); names by place from the JSON's candidates (as a 230b)."""
    key = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
    pv = read_pdf_pv(base.with_suffix(".pdf").read_bytes(), base.with_suffix(".pdf").name)
    totals = {g["number"]: g["total"] for g in key["summary"]["votes_counts"]["political_group_total_votes"]}
    assert pv.printed.lists == totals
    votes = votes_of(key)
    parties = [PartyInput(n, (SubList((1,), tuple((str(c), v) for c, v in sorted(votes.get(n, {}).items()))),),
                          pv.list_names.get(n, "")) for n in sorted(totals)]
    rules = rules_for("GR", key["election"]["number_of_seats"])
    first, outcomes = explore_lots(parties, rules)
    want = {c["list_number"]: c["list_seats"] for c in key["candidate_nomination"]["list_candidate_nomination"]}
    chosen = {(c["list_number"], str(c["number"])) for c in key["candidate_nomination"]["chosen_candidates"]}
    found = [o for o in outcomes if {p.number: p.seats for p in o.result.parties if p.seats} == {n: s for n, s in want.items() if s}
             and {(p.number, e.candidate) for p in o.result.parties for e in p.elected} == chosen]
    outcome, lots = (first, ()) if first.complete else (found[0].result, found[0].lots)
    names = ElectedNames()
    for lst in key["candidate_nomination"]["list_candidate_nomination"]:
        for c in lst["updated_candidate_ranking"]:
            names.names[(lst["list_number"], str(c["number"]))] = _name(c)
            names.sources[(lst["list_number"], str(c["number"]))] = NameSource.CANDIDATE_LISTS
    return pv, SeatComputation(rules, outcome, tuple(lots), names, pv.source, "110a", tuple(parties)), key


@pytest.mark.parametrize("case", CASES)
def test_silent_on_the_true_pv(real_data: Path, case: str) -> None:
    pv, comp, _ = computation(real_data / "abacus-pv" / "abacus-examples" / case)
    found, skipped = check_elected(pv, comp.outcome, comp.names, Location("e"))
    assert [f.message("en") for f in found] == []
    assert skipped == {}
    seats = comp.outcome.allocation.seats_per_list
    assert list(check_lots(pv, comp.parties, comp.rules, seats, comp.lots, Location("e"))) == []


def test_a_tampered_name_fires(real_data: Path) -> None:
    pv, comp, _ = computation(real_data / "abacus-pv" / "abacus-examples" / "gte-19-seats")
    elected = {e.candidate for p in comp.outcome.parties if p.number == 3 for e in p.elected}
    assert len(elected) == 1 and len(pv.elected[3]) == 1
    loser = next(v for (lst, c), v in sorted(comp.names.names.items()) if lst == 3 and c not in elected)
    swapped = comp.names.names[(3, next(iter(elected)))]  # the name the 230b gives (the PV adds the first name)
    pv.elected[3][0] = loser  # a candidate of the list who is not elected, printed as elected
    found, _ = check_elected(pv, comp.outcome, comp.names, Location("e"))
    texts = sorted(f.message("en") for f in found)
    assert [f.code for f in found] == ["PV.ELECTED", "PV.ELECTED"]
    assert any(loser in t and "not elected" in t for t in texts)
    assert any(swapped in t and "does not name" in t for t in texts)
    pv.elected[3][0] = "Nergens, X."  # a name not on the list at all
    found, _ = check_elected(pv, comp.outcome, comp.names, Location("e"))
    assert any("a name not on that list" in f.message("en") for f in found)


def test_a_tampered_lot_fires(real_data: Path) -> None:
    pv, comp, _ = computation(real_data / "abacus-pv" / "abacus-examples" / "gte-19-seats-and-p7-drawing-lots")
    seats = comp.outcome.allocation.seats_per_list
    assert len(pv.lot_lists) == 3 and len(required_lots(comp.parties, comp.rules, comp.lots)) == 3
    pv.lot_lists[0] = frozenset({2, 3, 4})
    assert [f.code for f in check_lots(pv, comp.parties, comp.rules, seats, comp.lots, Location("e"))] == ["PV.LOTS"]
    pv.lot_lists = []  # a PV that prints no lot where the law needs them
    assert [f.code for f in check_lots(pv, comp.parties, comp.rules, seats, comp.lots, Location("e"))] == ["PV.LOTS"]


def test_names_not_established_are_not_compared(real_data: Path) -> None:
    """Without a file that names list 2's candidates, its elected are not compared (the verdict
    part says so and why), and a wrong name there is not reported as one."""
    from osv_verify.app.printed import Pairing, PrintedInputs, PrintedReport, check_printed
    from osv_verify.io.discover import Entry
    from osv_verify.io.sources import Source

    base = real_data / "abacus-pv" / "abacus-examples" / "gte-19-seats"
    pv, comp, _ = computation(base)
    for key in [k for k in comp.names.names if k[0] == 2]:
        del comp.names.names[key]
    pv.elected[2][0] = "Nergens, X."
    item = Entry(Source(pv.source, base.with_suffix(".pdf")), "pv-pdf", None, pdf=pv)
    result = Entry(Source("Resultaat_x.eml.xml", base.with_suffix(".pdf")), "520", None)
    record = PrintedReport()
    inputs = PrintedInputs(digests={"Resultaat_x.eml.xml": pv.hash})
    found = list(check_printed("e", [Pairing(item, result, "hash")], inputs, [], {}, {}, pv.seats, record, comp))
    assert [f.code for f in found if f.code in ("PV.ELECTED", "PV.SEATS", "PV.LOTS")] == []
    notes = [t.en for t in record.not_checked]
    assert any("the elected of list 2 on the PV were not compared" in t and "establishes the name" in t for t in notes), notes
    assert not any("list 1" in t for t in notes)
