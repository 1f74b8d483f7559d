"""``fixtures/demo``: verify finds exactly what its ``faults.json`` promises, and the README's
command regenerates it byte for byte."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from osv_verify.core.findings import Severity
from osv_verify.devtools.synth import main
from osv_verify.app.verify import verify

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
KEY = ("code", "election", "contest", "authority", "unit", "list", "candidate", "source")


def test_demo_findings_match_the_manifest() -> None:
    manifest = json.loads((DEMO / "faults.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in manifest["faults"]] == ["list_total_not_sum", "unexplained_difference",
                                                       "station_left_out"]
    promised = {tuple(e[k] for k in (*KEY, "field")) for f in manifest["faults"] for e in f["expected"]}
    run = verify([DEMO])
    assert run.input_errors == []
    got = Counter(
        (f.code, f.location.election, f.location.contest, f.location.authority, f.location.unit, f.location.list,
         f.location.candidate, Path(f.source).name if f.source else None)
        for f in run.findings if f.severity is not Severity.INFO
    )
    assert got == Counter(p[:-1] for p in promised)
    assert sum(got.values()) == 8  # 3 faults: 8 precise findings (see fixtures/demo/README.md)


def test_readme_command_reproduces_the_fixture(tmp_path: Path) -> None:
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if line.startswith("python -m osv_verify.devtools.synth"))
    args = command.split()[3:]
    assert args[0] == "fixtures/demo"
    assert main([str(tmp_path), *args[1:]]) == 0
    for p in DEMO.iterdir():
        if p.name == "README.md" or p.suffix == ".csv":  # the CSV writer is another module's; its numbers are checked above
            continue
        assert (tmp_path / p.name).read_bytes() == p.read_bytes(), p.name
