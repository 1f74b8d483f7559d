"""Generated elections without faults verify clean, and their numbers look like real ones.

A clean set raises no error and, by construction, no warning either: blank and invalid votes
stay below 3 % (W.201/W.202), differences between admitted voters and ballots below 2 % and
below 15 (W.203), no zero totals or eligible voters (W.204/W.205), never more voters than
eligible (W.206), and municipal totals large enough that a zero blank/invalid count is never
implausible (W.ZERO). Only informational findings remain (CHECK.NOT_RUN: a kieskring/national
file does not publish admitted voters, so F.201 and F.305-F.312 cannot run there).
"""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest

from osv_verify.core.findings import Severity
from osv_verify.io import bytelane, eml, eml_counts
from osv_verify.io.discover import discover, load
from osv_verify.core.model import CountFile, ResultFile
from osv_verify.devtools.synth import FAULTS, generate, main
from osv_verify.app.verify import verify

CASES = [
    ("GR", dict(stations=1, lists=2, candidates=1)),
    ("GR", dict(stations=3, lists=4, candidates=6)),
    ("GR", dict(stations=12, lists=7, candidates=12)),
    ("TK", dict(stations=6, municipalities=3, districts=2, lists=3, candidates=5)),
    ("TK", dict(stations=40, municipalities=7, districts=3, lists=6, candidates=10)),
]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("category, sizes", CASES)
def test_clean_sets_have_no_errors_and_no_warnings(tmp_path: Path, category: str, sizes: dict, seed: int) -> None:
    manifest = generate(tmp_path, category=category, seed=seed, **sizes)
    assert manifest.faults == []
    run = verify([tmp_path])
    assert run.input_errors == []
    assert [e.id for e in run.elections] == [manifest.election]
    # a TK set with fewer than 150 seats (shrunk for speed) is not lawful, and DEF.SEATS rightly says so
    shrunk = category == "TK" and manifest.parameters["seats"] != 150
    loud = [f"{f.code} {f.message_en}" for f in run.findings
            if f.severity is not Severity.INFO and not (shrunk and f.code == "DEF.SEATS")]
    assert loud == []
    info = Counter(f.code for f in run.findings if not (shrunk and f.code == "DEF.SEATS"))
    assert set(info) <= {"CHECK.NOT_RUN", "SEATS.LOTS"}


def test_tk_files_and_levels(tmp_path: Path) -> None:
    m = generate(tmp_path, category="TK", stations=20, municipalities=5, districts=2, lists=4, candidates=6, seed=3)
    kinds = Counter(e.kind for e in discover([tmp_path]).entries)
    assert kinds == {"110a": 1, "230b": 2, "510b": 5, "osv4-3": 5, "510c": 2, "510d": 1, "520": 1}
    central = next(load(e) for e in discover([tmp_path]).entries if e.kind == "510d")
    assert isinstance(central, CountFile)
    assert central.total is not None and all(k[1] is None and k[2] for k in central.total.candidates)
    assert all(u.id.startswith("HSB") and all(k[1] and k[2] for k in u.candidates) for u in central.units)
    assert "admitted" not in central.total.counts and "voter_cards" not in central.total.counts
    district = next(load(e) for e in discover([tmp_path]).entries if e.kind == "510c")
    assert all(u.id.startswith(district.authority_id + "::") for u in district.units)
    assert "poll_cards" not in district.total.counts and "voter_cards" in district.total.counts
    result = next(load(e) for e in discover([tmp_path]).entries if e.kind == "520")
    assert isinstance(result, ResultFile)
    assert sum(result.seats_per_list().values()) == sum(m.seats.values())
    assert all(e.candidate.short_code for e in result.elected)


def test_numbers_are_realistic(tmp_path: Path) -> None:
    generate(tmp_path, category="GR", stations=40, lists=6, candidates=10, seed=11)
    path = next(tmp_path.glob("Telling_*.eml.xml"))
    with open(path, "rb") as f:
        count = eml.read_count(f, path.name)
    differences = 0
    for u in count.units:
        c = u.counts
        h = c["valid"] + c["blank"] + c["invalid"]
        assert 0.58 <= c["admitted"] / c["eligible"] <= 0.86
        assert c["poll_cards"] + c["proxy_certificates"] + c["voter_cards"] == c["admitted"]
        assert c["more_ballots"] - c["fewer_ballots"] == h - c["admitted"]
        explained = sum(c[k] for k in ("taken_home", "too_few_issued", "too_many_issued", "no_explanation",
                                       "other_explanation"))
        assert explained == c["more_ballots"] + c["fewer_ballots"]
        differences += explained > 0
    assert 0 < differences < len(count.units) // 2
    t = count.total
    h = t.votes_cast
    assert 0.001 < t.counts["blank"] / h < 0.006 and 0.002 < t.counts["invalid"] / h < 0.009
    for n, total in t.lists.items():  # the list leader usually gets the most preference votes
        votes = [v for (lst, _, _), v in t.candidates.items() if lst == n]
        assert sum(votes) == total
    leaders = sum(max(range(10), key=lambda j: [v for (lst, _, _), v in t.candidates.items() if lst == n][j]) == 0
                  for n in t.lists)
    assert leaders >= 3


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(a, category="TK", stations=12, municipalities=3, districts=2, lists=3, candidates=4, seed=5)
    generate(b, category="TK", stations=12, municipalities=3, districts=2, lists=3, candidates=4, seed=5)
    generate(c, category="TK", stations=12, municipalities=3, districts=2, lists=3, candidates=4, seed=6)
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    assert any(not (c / f).exists() or (a / f).read_bytes() != (c / f).read_bytes() for f in files)


def test_faults_do_not_change_the_underlying_election(tmp_path: Path) -> None:
    """Faults are placed with their own random generator: the same seed with a fault that
    only touches the 520 gives the same counts."""
    generate(tmp_path / "clean", category="GR", stations=4, seed=9)
    generate(tmp_path / "fault", category="GR", stations=4, seed=9, faults=["wrong_seat_520"])
    for p in (tmp_path / "clean").iterdir():
        if not p.name.startswith(("Resultaat", "faults")):
            assert p.read_bytes() == (tmp_path / "fault" / p.name).read_bytes(), p.name


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "--category", "GR", "--stations", "5", "--seed", "1", "--faults", "3"]) == 0
    out = capsys.readouterr().out
    assert "3 fault(s)" in out
    manifest = json.loads((tmp_path / "faults.json").read_text(encoding="utf-8"))
    assert len(manifest["faults"]) == 3 and all(f["name"] in FAULTS for f in manifest["faults"])
    assert main([str(tmp_path / "x"), "--faults", "no_such_fault"]) == 2
    assert main([str(tmp_path / "y"), "--category", "GR", "--faults", "total_copied_wrong"]) == 2


def test_generated_counts_are_read_by_the_byte_lane_exactly(tmp_path: Path) -> None:
    """The generator writes the real files' byte style, so the benchmark measures the lane."""
    generate(tmp_path, category="TK", stations=60, lists=4, candidates=6, seed=5)
    files = sorted(tmp_path.glob("*Telling*.eml.xml"))
    assert len(files) > 3
    for path in files:
        data = path.read_bytes()
        fast = bytelane.read_count_fast(io.BytesIO(data), path.name, None)
        assert fast is not None, path.name
        assert fast.model_dump() == eml_counts.read_count_lxml(io.BytesIO(data), path.name, None).model_dump()
