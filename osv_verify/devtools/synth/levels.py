"""The levels above the municipalities (TK): a 510c per kieskring, with the faults made in
copying a municipality's total into it, and the national 510d."""

from __future__ import annotations

from osv_verify.core.model import CountFile, Level, Tally
from osv_verify.devtools.synth.ballot import PV, sum_pvs
from osv_verify.devtools.synth.election import Gemeente, Kieskring
from osv_verify.devtools.synth.faults import typo
from osv_verify.devtools.synth.manifest import Change, FaultRecord, expected_finding
from osv_verify.devtools.synth.run import Run

#: OSV hides these at the kieskring (HSB) and central (CSB) level (osv.md 1.4).
HIDDEN_AT_HSB = frozenset({"poll_cards", "admitted"})
HIDDEN_AT_CSB = HIDDEN_AT_HSB | {"voter_cards"}
#: The fields total_copied_wrong may change: none that a sum inside the 510c unit checks.
COPY_FIELDS = ("eligible", "blank", "invalid", "proxy_certificates", "voter_cards")


def write_district(run: Run, kk: Kieskring, units: list[tuple[Gemeente, PV]]) -> PV:
    """Writes the kieskring's 510c from its municipalities' totals and returns its total."""
    e = run.election
    eid, authority, file_510c = e.ref.id, f"HSB{kk.number}", e.file_name("510c", kk.name)
    published: list[PV] = []
    tallies: list[Tally] = []
    eligible_recs: list[FaultRecord] = []
    for g, total in units:
        pv = PV({k: v for k, v in total.counts.items() if k not in HIDDEN_AT_HSB}, dict(total.lists), list(total.vec))
        unit_id = f"{authority}::{g.code}"
        for rec in run.pending.pop(g.index, []):
            run.records.append(rec)
            if rec.name == "eligible_zero":
                key, new = "eligible", 0
                rec.expected.append(expected_finding("W.205", eid, str(kk.number), authority, unit_id, file_510c,
                                                     fld="eligible"))
            else:
                key, new = _copy_typo(run, pv)
            rec.changes.append(Change(file_510c, unit_id, key, pv.counts[key], new))
            pv.counts[key] = new
            if key == "eligible":
                eligible_recs.append(rec)
            rec.expected.append(expected_finding("AGG.LEVEL", eid, str(kk.number), authority, unit_id, file_510c,
                                                 fld=key))
        published.append(pv)
        tallies.append(pv.tally(e.ballot.keys_pos, tid=unit_id, name=g.name))
    total = sum_pvs(published, e.ballot.n)
    for code, fld in eligible_warnings(total):
        for rec in eligible_recs:
            rec.expected.append(expected_finding(code, eid, str(kk.number), authority, None, file_510c, fld=fld))
    run.eligible[kk.number] = eligible_recs
    count = CountFile.model_construct(
        source=file_510c, kind="510c", level=Level.DISTRICT, election=e.ref, authority_id=authority,
        authority_name=kk.name, created=e.time(2, kk.number), contest_id=str(kk.number), contest_name=kk.name,
        list_names={pl.number: pl.name for pl in e.ballot.lists}, candidate_names={},
        total=total.tally(e.ballot.keys_pos), units=tallies, phase=None, schema_version=None,
    )
    run.writer.count(file_510c, count)
    return total


def _copy_typo(run: Run, pv: PV) -> tuple[str, int]:
    """total_copied_wrong: a field of at least 10 and its typo (eligible voters stay above the ballots)."""
    key = run.frng.choice([k for k in COPY_FIELDS if pv.counts.get(k, 0) >= 10] or ["eligible"])
    h = pv.counts["valid"] + pv.counts["blank"] + pv.counts["invalid"]
    for _ in range(100):
        new = typo(pv.counts[key], run.frng)
        if new > 0 and (key != "eligible" or new > h):
            break
    return key, new


def write_central(run: Run, districts: list[tuple[Kieskring, PV]]) -> PV:
    """Writes the 510d from the kieskringen's totals and returns the national total."""
    e = run.election
    ballot = e.ballot
    units = [pv.tally(ballot.keys_unit, tid=f"HSB{kk.number}", name=f"Kieskring {kk.name}", drop=HIDDEN_AT_CSB)
             for kk, pv in districts]
    total = sum_pvs((pv for _, pv in districts), ballot.n)
    file_510d, eid = e.file_name("510d"), e.ref.id
    for kk, pv in districts:
        for rec in run.eligible.get(kk.number, []):
            for code, fld in eligible_warnings(pv):
                rec.expected.append(expected_finding(code, eid, "alle", "CSB", f"HSB{kk.number}", file_510d, fld=fld))
            for code, fld in eligible_warnings(total):
                rec.expected.append(expected_finding(code, eid, "alle", "CSB", None, file_510d, fld=fld))
    count = CountFile.model_construct(
        source="", kind="510d", level=Level.CENTRAL, election=e.central_ref, authority_id="CSB",
        authority_name=e.central_name, created=e.time(5), contest_id="alle", contest_name=None,
        list_names={pl.number: pl.name for pl in ballot.lists}, candidate_names={},
        total=total.tally(ballot.keys_code, drop=HIDDEN_AT_CSB), units=units, phase=None, schema_version=None,
    )
    run.writer.count(file_510d, count)
    return total


def eligible_warnings(pv: PV) -> list[tuple[str, str]]:
    """(code, field) of W.205 for a kieskring or national total: 0 eligible voters. No W.206
    there: admitted voters are not published at these levels, and ballots are never compared
    with the register (voters with a voter card may come from elsewhere)."""
    return [("W.205", "eligible")] if pv.counts["eligible"] == 0 else []
