"""How well the plausibility checks find consistent errors: recall on injected swaps and
zeros, false alarms on clean stations, measured on generated elections (``osv_verify.devtools.synth``).

``python benchmarks/plausibility_eval.py [--seeds 200]`` prints the table that
``docs/plausibility.md`` records; ``tests/test_plausibility.py`` runs a smaller version and
asserts the targets (>= 90 % of list swaps with >= 50 votes per list found, < 1 false swap per
1,000 clean stations).
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from osv_verify.checks.thresholds import Thresholds
from osv_verify.devtools.synth import generate
from osv_verify.app.verify import verify

#: fault -> the code that should find it
TARGETS = {"swap_lists": "P.LIST_SWAP", "swap_candidates": "P.CANDIDATE_SWAP", "zero_invalid": "P.ZERO"}
SWAP_CODES = ("P.LIST_SWAP", "P.CANDIDATE_SWAP")


@dataclass
class Tally:
    injected: int = 0
    eligible: int = 0  # injected faults that meet the condition the target is stated for
    found: int = 0
    found_eligible: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class Evaluation:
    faults: dict[str, Tally] = field(default_factory=dict)
    clean_stations: int = 0
    false_swaps: int = 0
    false_other: int = 0

    def recall(self, fault: str, eligible_only: bool = True) -> float:
        t = self.faults[fault]
        return (t.found_eligible / t.eligible if t.eligible else 1.0) if eligible_only else (t.found / t.injected if t.injected else 1.0)

    def false_swaps_per_1000(self) -> float:
        return 1000 * self.false_swaps / self.clean_stations if self.clean_stations else 0.0


def _condition(fault: str, changes: list) -> bool:
    """The condition each target is stated for: both swapped lists with >= 50 votes; both
    swapped candidates with a difference of >= 15 votes; at least 14 invalid votes zeroed."""
    if fault == "swap_lists":
        return all(int(c.old) >= 50 for c in changes)
    if fault == "swap_candidates":
        return abs(int(changes[0].old) - int(changes[1].old)) >= 15
    return int(changes[0].old) >= 14


def evaluate(seeds: Iterable[int], stations: int = 40, lists: int = 6, candidates: int = 10,
             thresholds: Thresholds | None = None, neighbourhoods: bool = False) -> Evaluation:
    t = thresholds or Thresholds()
    ev = Evaluation({name: Tally() for name in TARGETS})
    with tempfile.TemporaryDirectory(prefix="osv-plaus-") as tmp:
        for seed in seeds:
            for fault, code in TARGETS.items():
                out = Path(tmp) / f"{fault}-{seed}"
                manifest = generate(out, category="GR", stations=stations, lists=lists, candidates=candidates,
                                    seed=seed, faults=[fault], csv=False, neighbourhoods=neighbourhoods)
                (record,) = manifest.faults
                if not record.changes:
                    continue
                unit = record.changes[0].unit
                result = verify([out], plausibility=t)
                hits = [f for f in result.findings if f.code == code and f.location.unit == unit]
                others = [f for f in result.findings if f.code in SWAP_CODES + ("P.ZERO",)
                          and f.location.unit != unit]
                tally = ev.faults[fault]
                tally.injected += 1
                tally.found += bool(hits)
                if _condition(fault, record.changes):
                    tally.eligible += 1
                    tally.found_eligible += bool(hits)
                    if not hits:
                        tally.notes.append(f"seed {seed}: missed {fault} at {unit}: "
                                           + ", ".join(f"{c.field} {c.old}->{c.new}" for c in record.changes))
                # every other station of a faulted election is a clean station too
                ev.clean_stations += stations - 1
                ev.false_swaps += sum(f.code in SWAP_CODES for f in others)
                ev.false_other += sum(f.code == "P.ZERO" for f in others)
    return ev


def report(ev: Evaluation, seeds: int, stations: int, neighbourhoods: bool = False) -> str:
    lines = [
        "| fault | finding | injected | found | condition | meeting it | found of those |",
        "|---|---|---|---|---|---|---|",
    ]
    conditions = {"swap_lists": "both lists >= 50 votes", "swap_candidates": "votes differ by >= 15",
                  "zero_invalid": ">= 14 invalid votes zeroed"}
    for fault, code in TARGETS.items():
        t = ev.faults[fault]
        lines.append(f"| {fault} | {code} | {t.injected} | {t.found} ({100 * ev.recall(fault, False):.1f} %) | "
                     f"{conditions[fault]} | {t.eligible} | {t.found_eligible} ({100 * ev.recall(fault):.1f} %) |")
    lines += [
        "",
        f"Clean stations (every other station of the generated elections): {ev.clean_stations}; false swap "
        f"findings: {ev.false_swaps} ({ev.false_swaps_per_1000():.2f} per 1,000 stations); false P.ZERO: "
        f"{ev.false_other}.",
        "",
        f"Setup: {seeds} seeds x 3 faults, GR elections of {stations} stations, 6 lists of 10 candidates, "
        f"default thresholds{', stations differing by neighbourhood' if neighbourhoods else ''}.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--stations", type=int, default=40)
    ap.add_argument("--neighbourhoods", action="store_true", help="stations differ by neighbourhood (synth)")
    a = ap.parse_args(argv)
    ev = evaluate(range(a.seeds), stations=a.stations, neighbourhoods=a.neighbourhoods)
    print(report(ev, a.seeds, a.stations, a.neighbourhoods))
    for fault in TARGETS:
        for note in ev.faults[fault].notes[:10]:
            print("  " + note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
