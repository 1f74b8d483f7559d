"""One municipality: its stations drawn, its faults put in, its 510b (and OSV4-3 CSV) written."""

from __future__ import annotations

import random

from osv_verify.checks.aggregate import field_name, values
from osv_verify.core.model import CandidateKey, CountFile, Level, Tally
from osv_verify.devtools.synth.ballot import PV, ballots_found, sum_pvs
from osv_verify.devtools.synth.election import Gemeente
from osv_verify.devtools.synth.faults import FAULTS, Planned
from osv_verify.devtools.synth.manifest import FaultRecord, expected_finding
from osv_verify.devtools.synth.names import station_name
from osv_verify.devtools.synth.run import Run
from osv_verify.devtools.synth.station_faults import STATION_FAULTS, Fields, Stations
from osv_verify.devtools.synth.votes import draw_stations
from osv_verify.io.osv_csv_write import write_osv_csv

#: Faults applied first: the ones that change every station or a whole list (a later fault
#: then works on the changed numbers).
FIRST = {"eligible_zero": 0, "swap_lists": 1}


def write_municipality(run: Run, g: Gemeente, planned: list[Planned], contest: tuple[str, str | None]) -> PV:
    """Writes ``g``'s 510b (and its CSV) and returns the total it publishes."""
    e = run.election
    ballot = e.ballot
    hoods = random.Random(f"hoods:{run.seed}:{g.code}") if run.neighbourhoods else None
    true = draw_stations(run.rng, ballot, g, e.category, hoods)
    file_510b = e.file_name("510b", g.name)
    # The CSV carries the same numbers as the 510b; verify checks the second publication of
    # a count only where it differs from the first, so findings are expected in the 510b.
    s = Stations(true=true, published=list(true), counted=[True] * len(true),
                 unit_ids=[f"{g.code}::SB{i + 1}" for i in range(len(true))], free=list(range(len(true))),
                 file=file_510b, election=e.ref.id, contest=contest[0], authority=g.code, ballot=ballot,
                 frng=run.frng)
    touched: list[tuple[FaultRecord, Fields]] = []  # fields each fault disturbs in total vs units
    for p in sorted(planned, key=lambda p: FIRST.get(p.name, 2)):
        rec = FaultRecord(p.name, FAULTS[p.name].description)
        if p.name == "total_copied_wrong" or (p.name == "eligible_zero" and e.tk):
            run.pending.setdefault(g.index, []).append(rec)  # applied to the 510c unit
            continue
        run.records.append(rec)
        fields = STATION_FAULTS[p.name](s, rec)
        if fields:
            touched.append((rec, fields))
    total = sum_pvs((pv for pv, keep in zip(true, s.counted) if keep), ballot.n)
    station_names = [station_name(run.rng) for _ in true]
    units = [pv.tally(ballot.keys_pos, tid=s.unit_ids[i], name=station_names[i]) for i, pv in enumerate(s.published)]
    if s.duplicate is not None:
        units.insert(s.duplicate + 1, units[s.duplicate])
    count = CountFile.model_construct(
        source=file_510b, kind="510b", level=Level.MUNICIPALITY, election=e.ref, authority_id=g.code,
        authority_name=g.name, created=e.time(1, g.index), contest_id=contest[0], contest_name=contest[1],
        list_names={pl.number: pl.name for pl in ballot.lists}, candidate_names={},
        total=total.tally(ballot.keys_pos), units=units, phase=None, schema_version=None,
    )
    run.writer.count(file_510b, count)
    if run.csv:
        _write_csv(run, e.file_name("csv", g.name), count)
    # Other faults' fields in the total are compared as verify does once it has named a
    # station left out: with that station added back.
    left_out = [pv for pv, keep in zip(s.published, s.counted) if not keep]
    compared = count if not left_out else count.model_copy(
        update={"total": sum_pvs([total, *left_out], ballot.n).tally(ballot.keys_pos)})
    for rec, fields in touched:
        for key in _total_mismatches(compared, fields):
            kind, value = key
            rec.expected.append(expected_finding(
                "AGG.TOTAL", e.ref.id, contest[0], g.code, None, file_510b,
                lst=value if kind == "list" else value[0] if kind == "candidate" else None,
                candidate=value[1] if kind == "candidate" else None, fld=field_name(key)))
    return total


def _write_csv(run: Run, name: str, count: CountFile) -> None:
    run.writer.bytes(name, csv_of(count.model_copy(update={"source": name}), run.election.ballot.names()))


def csv_of(count: CountFile, candidate_names: dict[CandidateKey, str]) -> bytes:
    """The OSV4-3 CSV of a 510b: the same numbers, plus the ballots found that only the CSV prints."""
    def with_ballots_found(t: Tally) -> Tally:
        return t.model_copy(update={"counts": {**t.counts, "ballots_found": ballots_found(t)}})

    assert count.total is not None
    return write_osv_csv(count.model_copy(update={"units": [with_ballots_found(u) for u in count.units],
                                                  "total": with_ballots_found(count.total)}),
                         candidate_names=candidate_names)


def _total_mismatches(count: CountFile, fields: Fields) -> list[tuple]:
    """The fields (of ``fields``) in which the file's total is not the sum of its units."""
    assert count.total is not None
    want = values(count.total, "id")
    sums: dict[tuple, int] = {}
    for u in count.units:
        for k, v in values(u, "id").items():
            sums[k] = sums.get(k, 0) + v
    return [k for k in want if k in fields and sums.get(k) != want[k]]
