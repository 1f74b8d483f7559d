"""The faults put into one municipality's stations before its 510b is written, one function each.

A fault that keeps a PV consistent (``swap_lists``, ``swap_candidates``, ``zero_invalid``,
``eligible_zero``) changes the station as counted, so the total is added up from the changed
PV. A fault in one station's *published* PV (``candidate_typo``, ``list_total_not_sum``,
``unexplained_difference``) changes a copy and leaves the total as it was, so the total then
disagrees with its stations (AGG.TOTAL) as well as the station with itself: such a fault
returns the fields of the total it disturbs.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from osv_verify.devtools.synth.ballot import PV, Ballot
from osv_verify.devtools.synth.faults import typo
from osv_verify.devtools.synth.manifest import Change, FaultRecord, expected_finding

#: The fields of a count file's total (``checks.aggregate.values`` keys) a fault disturbs.
Fields = set[tuple]


@dataclass
class Stations:
    """One municipality's stations while faults are put in."""

    true: list[PV]  # as counted: the total is added up from these
    published: list[PV]  # as the 510b shows them
    counted: list[bool]  # False: left out of the municipality's total
    unit_ids: list[str]
    free: list[int]  # stations no fault has taken yet
    file: str  # the 510b, where verify reports (its CSV repeats the same numbers)
    election: str
    contest: str
    authority: str
    ballot: Ballot
    frng: random.Random
    duplicate: int | None = None

    def take(self, pred: Callable[[int], bool] = lambda i: True) -> int | None:
        """A station no fault has taken yet (and that fits ``pred``), chosen by the fault generator."""
        options = [i for i in self.free if pred(i)]
        if not options:
            return None
        i = self.frng.choice(options)
        self.free.remove(i)
        return i

    def expected(self, code: str, unit: str | None, **kw: object) -> dict[str, object]:
        return expected_finding(code, self.election, self.contest, self.authority, unit, self.file,
                                **kw)  # type: ignore[arg-type]

    def change(self, rec: FaultRecord, i: int, fld: str, old: object, new: object) -> None:
        rec.changes.append(Change(self.file, self.unit_ids[i], fld, old, new))


def eligible_zero(s: Stations, rec: FaultRecord) -> None:
    """GR: the municipality publishes 0 eligible voters everywhere (TK: in the 510c, see levels)."""
    for i, pv in enumerate(s.true):
        s.change(rec, i, "eligible", pv.counts["eligible"], 0)
        pv.counts["eligible"] = 0
    rec.expected.append(s.expected("W.205", None, fld="eligible"))


def swap_lists(s: Stations, rec: FaultRecord) -> None:
    i = s.take()
    assert i is not None
    pv, ballot = s.true[i], s.ballot
    pairs = [(a, b) for a in range(len(ballot.lists)) for b in range(a + 1, len(ballot.lists))
             if ballot.sizes[a] == ballot.sizes[b]
             and pv.lists[ballot.lists[a].number] != pv.lists[ballot.lists[b].number]]
    if not pairs:
        rec.note = "no two lists with as many candidates and different totals: nothing swapped"
        return
    a, b = s.frng.choice(pairs)
    na, nb = ballot.lists[a].number, ballot.lists[b].number
    oa, ob, k = ballot.offsets[a], ballot.offsets[b], ballot.sizes[a]
    s.change(rec, i, f"list {na}", pv.lists[na], pv.lists[nb])
    s.change(rec, i, f"list {nb}", pv.lists[nb], pv.lists[na])
    pv.lists[na], pv.lists[nb] = pv.lists[nb], pv.lists[na]
    pv.vec[oa:oa + k], pv.vec[ob:ob + k] = pv.vec[ob:ob + k], pv.vec[oa:oa + k]
    rec.note = ("internally consistent at every level (the totals are added up from the swapped PV): "
                "expected [] for verify; for plausibility checks")


def swap_candidates(s: Stations, rec: FaultRecord) -> None:
    i = s.take()
    assert i is not None
    pv, ballot = s.true[i], s.ballot
    li = max(range(len(ballot.lists)), key=lambda a: pv.lists[ballot.lists[a].number])
    o, k = ballot.offsets[li], ballot.sizes[li]
    others = [j for j in range(o + 1, o + k) if pv.vec[j] != pv.vec[o]]
    if not others:
        rec.note = "all candidates of the list have equal votes: nothing swapped"
        return
    j = s.frng.choice(others)
    lst = ballot.lists[li].number
    pos = ballot.keys_pos[j][1]
    s.change(rec, i, f"candidate {lst}.1", pv.vec[o], pv.vec[j])
    s.change(rec, i, f"candidate {lst}.{pos}", pv.vec[j], pv.vec[o])
    pv.vec[o], pv.vec[j] = pv.vec[j], pv.vec[o]
    rec.note = "internally consistent (the totals are added up from it): expected [] for verify"


def zero_invalid(s: Stations, rec: FaultRecord) -> None:
    i = s.take(lambda i: s.true[i].counts["invalid"] > 0)
    if i is None:
        rec.note = "no station with invalid votes: nothing changed"
        return
    c = s.true[i].counts
    s.change(rec, i, "invalid", c["invalid"], 0)
    s.change(rec, i, "blank", c["blank"], c["blank"] + c["invalid"])
    c["blank"], c["invalid"] = c["blank"] + c["invalid"], 0
    rec.note = "internally consistent (the totals are added up from it): expected [] for verify"


def candidate_typo(s: Stations, rec: FaultRecord) -> Fields:
    i = s.take(lambda i: any(s.true[i].vec))
    assert i is not None
    pv = s.published[i] = s.true[i].copy()
    j = s.frng.choice([j for j, v in enumerate(pv.vec) if v > 0])
    lst, pos = s.ballot.keys_pos[j][0], s.ballot.keys_pos[j][1]
    new = typo(pv.vec[j], s.frng)
    s.change(rec, i, f"candidate {lst}.{pos}", pv.vec[j], new)
    pv.vec[j] = new
    rec.expected.append(s.expected("F.402", s.unit_ids[i], lst=lst, fld=f"list {lst}"))
    return {("candidate", (lst, pos))}


def list_total_not_sum(s: Stations, rec: FaultRecord) -> Fields:
    i = s.take()
    assert i is not None
    pv = s.published[i] = s.true[i].copy()
    lst = s.frng.choice(s.ballot.lists).number
    delta = s.frng.choice([d for d in range(-10, 11) if d and pv.lists[lst] + d >= 0])
    s.change(rec, i, f"list {lst}", pv.lists[lst], pv.lists[lst] + delta)
    pv.lists[lst] += delta
    rec.expected.append(s.expected("F.402", s.unit_ids[i], lst=lst, fld=f"list {lst}"))
    rec.expected.append(s.expected("F.202", s.unit_ids[i], fld="valid"))
    return {("list", lst)}


def unexplained_difference(s: Stations, rec: FaultRecord) -> Fields:
    def exact(i: int) -> bool:
        c = s.true[i].counts
        return c["more_ballots"] == c["fewer_ballots"] == 0

    i = s.take(exact)
    if i is None:
        i = s.take()
    assert i is not None
    pv = s.published[i] = s.true[i].copy()
    c = pv.counts
    h = c["valid"] + c["blank"] + c["invalid"]
    options = []
    for delta in (-3, -2, -1, 1, 2, 3):
        gap = h - (c["admitted"] + delta)
        if c["poll_cards"] + delta >= 0 and gap != h - c["admitted"] and abs(gap) < 15 and 100 * abs(gap) < 2 * h:
            options.append(delta)
    delta = s.frng.choice(options)
    for key in ("poll_cards", "admitted"):
        s.change(rec, i, key, c[key], c[key] + delta)
        c[key] += delta
    rec.expected += [s.expected(code, s.unit_ids[i], fld=fld) for code, fld in difference_findings(pv)]
    return {("count", "poll_cards"), ("count", "admitted")}


def difference_findings(pv: PV) -> list[tuple[str, str]]:
    """(code, field) of what the Kiesraad's F.305-F.309 rules and the explanation sum say about a station PV."""
    c = pv.counts
    h, d, more, fewer = c["valid"] + c["blank"] + c["invalid"], c["admitted"], c["more_ballots"], c["fewer_ballots"]
    out: list[tuple[str, str]] = []
    if h == d:
        out += [("F.305", key) for key in ("more_ballots", "fewer_ballots") if c[key]]
    elif h > d:
        if more != h - d:
            out.append(("F.306", "more_ballots"))
        if fewer:
            out.append(("F.307", "fewer_ballots"))
    else:
        if fewer != d - h:
            out.append(("F.308", "fewer_ballots"))
        if more:
            out.append(("F.309", "more_ballots"))
    if sum(c[k] for k in ("taken_home", "too_few_issued", "too_many_issued", "no_explanation",
                          "other_explanation")) != abs(h - d):
        out.append(("TALLY.EXPLANATIONS", "explanations"))
    return out


def station_left_out(s: Stations, rec: FaultRecord) -> None:
    i = s.take(lambda i: sum(v > 0 for v in s.true[i].vec) >= 3)
    assert i is not None
    s.counted[i] = False
    s.change(rec, i, "counted in TotalVotes", "yes", "no")
    rec.expected.append(s.expected("AGG.UNIT_LEFT_OUT", s.unit_ids[i], fld="unit"))


def duplicated_station(s: Stations, rec: FaultRecord) -> None:
    i = s.take()
    assert i is not None
    s.duplicate = i
    s.change(rec, i, "ReportingUnitVotes", 1, 2)
    rec.expected.append(s.expected("AGG.DUPLICATE_UNIT", s.unit_ids[i], fld="unit"))
    rec.note = ("the units add up to the total plus exactly the duplicated station, which the "
                "duplicate explains: no AGG.TOTAL")


#: The faults put into a municipality's stations, by name.
STATION_FAULTS: dict[str, Callable[[Stations, FaultRecord], Fields | None]] = {
    f.__name__: f for f in (eligible_zero, swap_lists, swap_candidates, zero_invalid, candidate_typo,
                            list_total_not_sum, unexplained_difference, station_left_out, duplicated_station)
}
