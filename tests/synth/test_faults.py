"""Every injected fault yields exactly the findings its manifest entry promises (code and
location, per file), and no other error or warning."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from osv_verify.core.findings import Finding, Severity
from osv_verify.devtools.synth import FAULTS, Manifest, generate
from osv_verify.app.verify import RunResult, verify

SIZES = {
    "GR": dict(stations=5, lists=4, candidates=6),
    "TK": dict(stations=30, municipalities=6, districts=3, lists=5, candidates=8),
}
KEY = ("code", "election", "contest", "authority", "unit", "list", "candidate", "source")


def found(run: RunResult) -> Counter[tuple]:
    """Errors and warnings as (code, election, contest, authority, unit, list, candidate, file)."""
    def key(f: Finding) -> tuple:
        loc = f.location
        return (f.code, loc.election, loc.contest, loc.authority, loc.unit, loc.list, loc.candidate,
                Path(f.source).name if f.source else None)

    return Counter(key(f) for f in run.findings if f.severity is not Severity.INFO)


def expected(manifest: Manifest) -> Counter[tuple]:
    return Counter(tuple(e[k] for k in KEY) for e in manifest.expected_findings())


def check(tmp_path: Path, manifest: Manifest) -> RunResult:
    run = verify([tmp_path])
    got, want = found(run), expected(manifest)
    if manifest.category == "TK" and manifest.parameters["seats"] != 150:
        # a TK set with fewer than 150 seats (shrunk for speed) is not lawful, and DEF.SEATS rightly says so
        got = Counter({k: n for k, n in got.items() if k[0] != "DEF.SEATS"})
    assert got == want, f"missing {dict(want - got)}; unexpected {dict(got - want)}"
    errors = sorted((Path(e.source).name, e.problem.en) for e in run.input_errors)
    promised = sorted((e["source"], e["problem"]) for f in manifest.faults for e in f.expected_input_errors)
    assert [s for s, _ in errors] == [s for s, _ in promised]
    assert all(p in problem for (_, problem), (_, p) in zip(errors, promised))
    return run


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("category", sorted(SIZES))
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_fault_alone(tmp_path: Path, fault: str, category: str, seed: int) -> None:
    if category not in FAULTS[fault].categories:
        with pytest.raises(ValueError, match="does not apply"):
            generate(tmp_path, category=category, seed=seed, faults=[fault], **SIZES[category])
        return
    manifest = generate(tmp_path, category=category, seed=seed, faults=[fault], **SIZES[category])
    [record] = manifest.faults
    assert record.name == fault and record.changes
    if fault in ("swap_lists", "swap_candidates", "zero_invalid"):  # consistent: for --plausibility only
        assert record.expected == [] and ("plausibility" in record.note or "consistent" in record.note)
    else:
        assert record.expected or record.expected_input_errors
    check(tmp_path, manifest)


# What each fault must cause, by code (the exact locations are in the manifest and checked above).
PROMISED = {
    "swap_lists": set(),
    "swap_candidates": set(),
    "zero_invalid": set(),
    "candidate_typo": {"F.402", "AGG.TOTAL"},
    "list_total_not_sum": {"F.402", "F.202", "AGG.TOTAL"},
    "unexplained_difference": {"TALLY.EXPLANATIONS", "AGG.TOTAL"},
    "station_left_out": {"AGG.UNIT_LEFT_OUT"},
    "duplicated_station": {"AGG.DUPLICATE_UNIT"},
    "wrong_seat_520": {"SEATS.ALLOCATION", "SEATS.ELECTED"},
}


@pytest.mark.parametrize("category", sorted(SIZES))
@pytest.mark.parametrize("fault", sorted(PROMISED))
def test_fault_codes(tmp_path: Path, fault: str, category: str) -> None:
    manifest = generate(tmp_path, category=category, seed=1, faults=[fault], **SIZES[category])
    codes = {e["code"] for e in manifest.faults[0].expected}
    assert PROMISED[fault] <= codes
    if fault == "unexplained_difference":
        assert codes & {"F.306", "F.308"}
    if fault in ("station_left_out", "duplicated_station"):  # one finding names the station, no AGG.TOTAL
        assert len(manifest.faults[0].expected) == 1


def test_kieskring_faults(tmp_path: Path) -> None:
    m = generate(tmp_path / "a", category="TK", seed=2, faults=["eligible_zero"], **SIZES["TK"])
    codes = Counter(e["code"] for e in m.faults[0].expected)
    assert codes["W.205"] >= 1 and codes["AGG.LEVEL"] == 1  # the 510b (its CSV is the same count)
    m = generate(tmp_path / "b", category="TK", seed=2, faults=["total_copied_wrong"], **SIZES["TK"])
    assert Counter(e["code"] for e in m.faults[0].expected) == {"AGG.LEVEL": 1}
    m = generate(tmp_path / "c", category="GR", seed=2, faults=["eligible_zero"], **SIZES["GR"])
    assert Counter(e["code"] for e in m.faults[0].expected) == {"W.205": 1}


@pytest.mark.parametrize("seed", range(12))
def test_random_faults_together(tmp_path: Path, seed: int) -> None:
    gr = generate(tmp_path / "gr", category="GR", seed=seed, faults=3, stations=6)
    assert len(gr.faults) == 3
    check(tmp_path / "gr", gr)
    tk = generate(tmp_path / "tk", category="TK", seed=seed, faults=5, stations=40, municipalities=8, districts=3,
                  lists=5, candidates=8)
    assert len(tk.faults) == 5
    check(tmp_path / "tk", tk)


def test_faults_in_one_municipality_add_up(tmp_path: Path) -> None:
    """Three faults in the single municipality of a GR election (as in fixtures/demo): where two
    of them disturb the same total field there is one AGG.TOTAL, not two."""
    for seed in range(8):
        out = tmp_path / str(seed)
        m = generate(out, category="GR", seed=seed, stations=5,
                     faults=["list_total_not_sum", "unexplained_difference", "station_left_out"])
        check(out, m)


def test_manifest_file(tmp_path: Path) -> None:
    m = generate(tmp_path, category="GR", seed=4, faults=["candidate_typo"], stations=4)
    data = json.loads((tmp_path / "faults.json").read_text(encoding="utf-8"))
    [fault] = data["faults"]
    assert fault["name"] == "candidate_typo"
    assert fault["file"] == fault["changes"][0]["file"] and fault["unit"].endswith("::SB" + fault["unit"].split("SB")[-1])
    assert fault["old"] != fault["new"]
    assert {tuple(e[k] for k in KEY) for e in fault["expected"]} == {tuple(e[k] for k in KEY) for e in m.faults[0].expected}
    assert all((tmp_path / name).exists() for name in data["files"])


def test_impossible_placements_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        generate(tmp_path, faults=["no_such_fault"])
    with pytest.raises(ValueError, match="cannot be placed"):
        generate(tmp_path, category="GR", stations=1, faults=["station_left_out"])
    with pytest.raises(ValueError, match="cannot be placed"):
        generate(tmp_path, category="GR", stations=5, faults=["candidate_typo", "duplicated_station"])
    m = generate(tmp_path, category="GR", stations=2, faults=5)
    assert len(m.faults) < 5 and any("could be placed" in n for n in m.notes)
