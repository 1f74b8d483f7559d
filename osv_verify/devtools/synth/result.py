"""The 520: seats and elected candidates from the project's own Kieswet (``osv_verify.seats``),
lots drawn where the law needs them, and the wrong_seat_520 fault."""

from __future__ import annotations

from osv_verify.core.model import ElectedCandidate, ResultFile
from osv_verify.devtools import eml_write
from osv_verify.devtools.synth.ballot import PV
from osv_verify.devtools.synth.faults import FAULTS
from osv_verify.devtools.synth.manifest import Change, FaultRecord, expected_finding
from osv_verify.devtools.synth.run import Run
from osv_verify.seats import ListInput, allocate, nominate, rules_for
from osv_verify.seats.nominate import Reason

#: Per list: its ranking (candidate numbers), the ones elected, and whether each was elected by preference.
Rankings = dict[int, tuple[tuple[int, ...], set[int], dict[int, bool]]]


def write_result(run: Run, top: PV, *, move_seat: bool) -> None:
    """Writes the 520 for the national (or municipal) total ``top``; records seats and lots in the manifest."""
    e = run.election
    rules = rules_for(e.category, e.seats, election_date=e.date, preference_threshold_pct=e.threshold)
    inputs = [ListInput(pl.number, top.lists[pl.number], pl.name, len(pl.candidates)) for pl in e.ballot.lists]
    lots: list[object] = []
    allocation = allocate(inputs, rules)
    while not allocation.complete:
        assert allocation.lots_required is not None
        lots.append(run.lrng.choice(allocation.lots_required.options))
        allocation = allocate(inputs, rules, lots)  # type: ignore[arg-type]
    per_list = allocation.seats_per_list
    rankings: Rankings = {}
    for pl, o in zip(e.ballot.lists, e.ballot.offsets):
        votes = [(c.number, top.vec[o + j]) for j, c in enumerate(pl.candidates)]
        cand_lots: list[object] = []
        nom = nominate(pl.number, per_list.get(pl.number, 0), votes, allocation.quota, rules)  # type: ignore[arg-type]
        while not nom.complete:
            assert nom.lots_required is not None
            cand_lots.append(run.lrng.choice(nom.lots_required.options))
            nom = nominate(pl.number, per_list.get(pl.number, 0), votes, allocation.quota, rules,  # type: ignore[arg-type]
                           lots=cand_lots)  # type: ignore[arg-type]
        lots += cand_lots
        reasons = {c.candidate: c.reason is Reason.PREFERENCE for c in nom.elected}
        rankings[pl.number] = (nom.ranking, set(reasons), reasons)
    run.manifest.seats = dict(per_list)
    run.manifest.lots = lots
    moved = _move_seat(run, rankings) if move_seat else None
    elected: list[ElectedCandidate] = []
    for pl in e.ballot.lists:
        ranking, chosen, preferred = rankings[pl.number]
        for pos, number in enumerate(ranking, start=1):
            if number in chosen:
                c = pl.candidates[number - 1]
                elected.append(ElectedCandidate(
                    list_number=pl.number, list_name=pl.name, candidate=c.model_copy(update={"number": pos}),
                    ranking=1 if preferred.get(number) else 2))
    result = ResultFile(source="", election=e.central_ref, authority_id="CSB", contest_id=e.definition_contest,
                        created=e.time(6), elected=tuple(elected))
    file_520 = e.file_name("520")
    run.writer.bytes(file_520, eml_write.write_result(result, authority_name=e.central_name))
    if moved is not None:
        rec, a, b = moved
        rec.changes.append(Change(file_520, None, "seats", f"list {a}: {per_list[a]}, list {b}: {per_list.get(b, 0)}",
                                  f"list {a}: {per_list[a] - 1}, list {b}: {per_list.get(b, 0) + 1}"))
        for lst in (a, b):
            for code in ("SEATS.ALLOCATION", "SEATS.ELECTED"):
                rec.expected.append(expected_finding(code, e.ref.id, result.contest_id, result.authority_id, None,
                                                     file_520, lst=lst, fld=f"list {lst}"))
        run.records.append(rec)


def _move_seat(run: Run, rankings: Rankings) -> tuple[FaultRecord, int, int] | None:
    """wrong_seat_520: one seat moved in ``rankings`` from list a to list b; None when no list can give one."""
    rec = FaultRecord("wrong_seat_520", FAULTS["wrong_seat_520"].description)
    donors = [n for n, (_, chosen, _) in rankings.items() if chosen]
    takers = [n for n, (ranking, chosen, _) in rankings.items() if len(chosen) < len(ranking)]
    pairs = [(a, b) for a in donors for b in takers if a != b]
    if not pairs:
        rec.note = "no list can give a seat to another: nothing moved"
        run.records.append(rec)
        return None
    a, b = run.frng.choice(pairs)
    ranking_a, chosen_a, _ = rankings[a]
    chosen_a.discard(max(chosen_a, key=ranking_a.index))
    ranking_b, chosen_b, _ = rankings[b]
    chosen_b.add(next(n for n in ranking_b if n not in chosen_b))
    return rec, a, b
