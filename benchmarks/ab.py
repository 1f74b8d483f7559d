"""Speed and memory of two checkouts of osv-verify on the same data, runs alternating.

``make bench`` measures one tree; on a shared machine its numbers drift with the load. To say
whether a change made the tool slower, run the same measurement on the tree before and after
it, alternating old and new run by run, so that both see the same load; report the medians.

Usage: python benchmarks/ab.py OLD_TREE NEW_TREE [--runs 5] [--stations 10000]
Each tree needs its own ``.venv`` (``make .venv/.installed`` in it). The generated sets come from
this tree's ``bench-out/`` (``make bench`` writes them; the generator is deterministic).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CHILD, DATA, generate  # noqa: E402  (the measured work is make bench's own)

WHAT = ("read", "inspect", "verify", "export")


def once(tree: Path, what: str, paths: list[Path]) -> tuple[float, float]:
    out = subprocess.run([str(tree / ".venv" / "bin" / "python"), "-c", CHILD, what, *map(str, paths)],
                         capture_output=True, text=True, check=True, cwd=tree)
    wall, rss_kb = out.stdout.split()
    return float(wall), int(rss_kb) / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--stations", type=int, default=10_000)
    a = ap.parse_args()
    old, new = a.old.resolve(), a.new.resolve()
    for tree in (old, new):
        (tree / "bench-out").mkdir(exist_ok=True)  # the export child writes there
    sets = [("real GR2022/eml", [DATA / "GR2022" / "eml"]),
            (f"generated TK, {a.stations} stations",
             [generate(f"tk-{a.stations}", category="TK", stations=a.stations, lists=25, candidates=50, seed=1)]),
            ("generated GR, large municipality",
             [generate("gr-large", category="GR", stations=600, lists=20, candidates=50, seed=2)])]
    print("| data | command | old s | new s | new/old | old MB | new MB |\n|---|---|---|---|---|---|---|")
    for label, paths in sets:
        for what in WHAT:
            runs: dict[Path, list[tuple[float, float]]] = {old: [], new: []}
            for _ in range(a.runs):
                for tree in (old, new):
                    runs[tree].append(once(tree, what, paths))
            t_old, t_new = (statistics.median(w for w, _ in runs[t]) for t in (old, new))
            m_old, m_new = (max(m for _, m in runs[t]) for t in (old, new))
            print(f"| {label} | {what} | {t_old:.2f} | {t_new:.2f} | {t_new / t_old:.2f} | {m_old:.0f} | {m_new:.0f} |",
                  flush=True)


if __name__ == "__main__":
    main()
