"""Every error keeps the verdict from an all-clear, whatever part it counts in (trial 2, attacker:
a corrigendum's CORR.ORIGINAL errors came with "everything that could be checked agrees")."""

from __future__ import annotations

import io

import pytest

from eml13 import Unit, station, write_510b
from osv_verify.app.election import ElectionInputs, RunRecord
from osv_verify.app.verdict import Status, judge
from osv_verify.app.verify import verify
from osv_verify.checks import aggregate
from osv_verify.checks.registry import RULES
from osv_verify.core.findings import Finding, Severity
from osv_verify.io import eml

ALL_CLEAR = ("alles wat gecontroleerd kon worden, klopt", "De optellingen kloppen:")
SB1 = station({1: [10, 5], 2: [7]})


def _sentences(verdict) -> list[str]:
    return [s.text.nl for s in verdict.answer]


def _clean_count():
    return eml.read_count(io.BytesIO(write_510b({"SB1": Unit(dict(SB1))})), "x.eml.xml")


ERROR_RULES = sorted(c for c, r in RULES.items() if r.severity is Severity.ERROR or Severity.ERROR in r.variants.values())


@pytest.mark.parametrize("code", ERROR_RULES)
def test_one_error_of_any_rule_rules_out_the_all_clear(code):
    count = _clean_count()
    record = RunRecord(summaries=[aggregate.Summary.of(count)], units_checked=2)
    part = RULES[code].part
    f = Finding(code, Severity.ERROR, aggregate.file_location(count), "fout", "error", part=part.value if part else None)
    verdict = judge(ElectionInputs(id=count.election.id), record, None, [f])
    said = _sentences(verdict)
    assert not any(s.startswith("Deels gecontroleerd: alles") for s in said), said
    assert any(s.good is False for s in verdict.answer), said  # the error is told in the plain answer
    listed = {p.key: p for p in verdict.parts}
    if part in listed:  # counted in its part, done or not
        assert listed[part].errors == 1


def test_a_corrigendum_whose_original_numbers_do_not_add_up_gets_no_all_clear(tmp_path):
    fixed = dict(SB1, **{"candidate 1.1": 11, "list 1": 16, "valid": 23, "admitted": 25, "poll_cards": 22})
    wrong = {"candidate 1.1": 10, "list 1": 15, "valid": 22, "admitted": 25}  # admitted left unchanged: the original breaks A+B+C=D
    (tmp_path / "c.eml.xml").write_bytes(write_510b({"SB1": Unit(fixed, earlier=wrong)}, phase="corrigendum"))
    run = verify([tmp_path / "c.eml.xml"])
    assert "CORR.ORIGINAL" in {f.code for f in run.findings}
    said = _sentences(run.elections[0].verdict)
    assert not any(s.startswith(ALL_CLEAR) for s in said), said
    assert any("eerdere versie van de telling" in s for s in said), said  # the corrigendum stands alone: said


def test_a_clean_corrigendum_alone_says_its_earlier_version_was_not_given(tmp_path):
    fixed = dict(SB1, **{"candidate 1.1": 11, "list 1": 16, "valid": 23, "admitted": 25, "poll_cards": 22})
    before = {"candidate 1.1": 10, "list 1": 15, "valid": 22, "admitted": 24, "poll_cards": 21}
    (tmp_path / "c.eml.xml").write_bytes(write_510b({"SB1": Unit(fixed, earlier=before)}, phase="corrigendum"))
    run = verify([tmp_path / "c.eml.xml"])
    verdict = run.elections[0].verdict
    sessions = [p for p in verdict.parts if p.key == "sessions"]
    assert sessions and not sessions[0].done and "c.eml.xml" in sessions[0].what.nl
    assert verdict.status is Status.PARTLY
