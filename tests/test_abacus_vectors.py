"""The kiesraad/abacus unit tests of its validation rules, replayed against the project's checks.

``tests/data/abacus_rule_vectors.json`` holds each input vector of Abacus's ``test_f###`` /
``test_w###`` functions (``backend/src/domain/results/*.rs``) whose inputs a 510 carries, as
data: the PV fields by the letters of the paper form, the codes the Abacus assertion covers
(``scope``, in the project's codes) and the codes Abacus expects. Each vector becomes the tally a
510 would give for that PV (a polling station, or a GSB total) and runs through
``checks.tally.check_tally``; the codes found inside the scope must be exactly the expected ones.

Where the project differs on purpose, the vector says which codes the project gives instead
(``project``) and names the difference; every difference is a section of
``docs/abacus-rules.md`` with the rule text that decides it. Vectors whose inputs no 510
carries (H as typed, the tick boxes) are listed under ``not_replayable`` with the reason.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from osv_verify.checks.registry import RULES
from osv_verify.checks.tally import Context, check_tally
from osv_verify.core.findings import Location
from osv_verify.core.model import Tally

ROOT = Path(__file__).resolve().parent.parent
DATA = json.loads((Path(__file__).parent / "data" / "abacus_rule_vectors.json").read_text(encoding="utf-8"))
DOC = (ROOT / "docs" / "abacus-rules.md").read_text(encoding="utf-8")

#: PV letter -> the model's count key (a 510's Cast, TotalCounted, RejectedVotes, UncountedVotes)
LETTERS = {"Z": "eligible", "A": "poll_cards", "B": "proxy_certificates", "C": "voter_cards", "D": "admitted",
           "E": "valid", "F": "blank", "G": "invalid", "I": "more_ballots", "J": "fewer_ballots"}
#: codes whose rule reads H (= E + F + G in a 510)
READS_H = {"F.305", "F.306", "F.307", "F.308", "F.309", "F.312", "W.201", "W.202", "W.203", "W.204", "W.205", "W.206"}


def as_510(pv: dict) -> Tally:
    """The tally a 510 gives for this PV: its counts, list totals and candidate votes."""
    t = Tally(id="0999::SB1", counts={LETTERS[k]: v for k, v in pv.items() if k in LETTERS})
    for number, lst in pv.get("lists", {}).items():
        t.lists[int(number)] = lst["total"]
        for position, votes in enumerate(lst.get("candidates", []), start=1):
            t.candidates[(int(number), str(position), None)] = votes
    return t


def codes(vector: dict) -> set[str]:
    ctx = Context(Location("PS2027_Testland"), "x.eml.xml", None, station=vector["level"] == "station")
    return {f.code for f in check_tally(as_510(vector["pv"]), ctx)} & set(vector["scope"])


def name(vector: dict) -> str:
    return f"{Path(vector['source']).stem}::{vector['test']}[{vector['case']}]"


VECTORS = DATA["vectors"]


@pytest.mark.parametrize("vector", VECTORS, ids=[name(v) for v in VECTORS])
def test_vector(vector):
    expected = vector.get("project", vector["abacus"])
    assert codes(vector) == set(expected), vector.get("note", "")


@pytest.mark.parametrize("vector", VECTORS, ids=[name(v) for v in VECTORS])
def test_vector_is_well_formed(vector):
    """The transcription itself: the scope is the project's codes, H is what a 510 can carry where
    a rule in scope reads it, and a difference is declared exactly where the codes differ."""
    assert set(vector["scope"]) <= set(RULES)
    pv = vector["pv"]
    if "H" in pv and READS_H & set(vector["scope"]):
        assert pv["H"] == pv["E"] + pv["F"] + pv["G"], "a 510 carries H only as E + F + G"
    if "project" in vector:
        assert set(vector["project"]) != set(vector["abacus"]), "a declared difference that is not one"
        assert vector["differences"]
    else:
        assert set(vector["abacus"]) <= set(vector["scope"]), "an Abacus code the project does not have"


def test_every_difference_is_documented():
    sections = set(re.findall(r"^### `([^`]+)`", DOC, flags=re.MULTILINE))
    used = {d for v in VECTORS for d in v.get("differences", [])}
    assert used <= sections, used - sections
    assert sections <= used, f"documented but no vector shows it: {sections - used}"
    for entry in DATA["not_replayable"]:
        assert entry["why"] and entry["abacus"]


def test_the_vectors_cover_every_rule_a_510_carries():
    """F.201, F.202, F.305-F.309, F.312, F.401/F.402, W.201-W.206 each have a vector that fires."""
    fired = {c for v in VECTORS for c in v["abacus"]}
    assert {"F.201", "F.202", "F.305", "F.306", "F.307", "F.308", "F.309", "F.312", "F.401", "F.402",
            "W.201", "W.202", "W.203", "W.204", "W.205", "W.206"} <= fired
    assert len(VECTORS) >= 100
