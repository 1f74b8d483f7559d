"""The documents before election day: the 230b candidate lists and the 110a election definition."""

from __future__ import annotations

from osv_verify.core.model import CandidateLists, Definition, Region
from osv_verify.devtools import eml_write
from osv_verify.devtools.synth.run import Run


def write_candidate_lists(run: Run, file: str, contest_id: str, contest_name: str | None, authority_name: str) -> None:
    e = run.election
    lists = CandidateLists(source="", election=e.ref, authority_id="CSB", contest_id=contest_id,
                           contest_name=contest_name, lists=tuple(e.ballot.lists))
    run.writer.bytes(file, eml_write.write_candidate_lists(
        lists, authority_name=authority_name, issue_date=e.issue, created=e.lists_created,
        nomination_date=e.nomination))


def write_definition(run: Run) -> None:
    e = run.election
    if e.tk:
        regions = [Region(number="1", category="STAAT", name="Nederland")]
        regions += [Region(number=str(kk.number), category="KIESKRING", name=kk.name, superior_number="1",
                           superior_category="STAAT") for kk in e.kieskringen]
        regions += [Region(number=str(int(g.code)), category="GEMEENTE", name=g.name,
                           superior_number=str(kk.number), superior_category="KIESKRING")
                    for kk in e.kieskringen for g in kk.gemeenten]
    else:
        g = e.gemeenten[0]
        regions = [Region(number=str(int(g.code)), category="GEMEENTE", name=g.name)]
    d = Definition(source="", election=e.ref, seats=e.seats, preference_threshold=e.threshold,
                   contest_id=e.definition_contest, regions=tuple(regions),
                   parties=tuple(pl.name for pl in e.ballot.lists))
    run.writer.bytes(e.file_name("110a"), eml_write.write_definition(
        d, issue_date=e.issue, created=e.lists_created, nomination_date=e.nomination))
