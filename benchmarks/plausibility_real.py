"""How well the plausibility checks hold on REAL published stations (issue 15).

For every municipality whose station counts are in ``../shared/data`` (the 510b files of
GR2022 A-D, GR2022 West Maas en Waal, TK2025, GR2026, PS2019/AB2019 Tytsjerksteradiel, and
the GR2022 OSV4-3 CSVs of the municipalities whose 510b is not there), read with the
project's own readers:

* **alarms on untouched stations**: every plausibility finding (and W.201-W.204) per 1,000
  real stations. A real station may really be wrong; for the swap checks every alarm is
  listed (``--show``) so it can be checked by hand;
* **list swaps**: in one station at a time two lists' columns are exchanged, as a typist who
  picks the wrong list screen or a PV writer who fills in the wrong list's page would: the
  totals AND the candidate votes by position. The shorter list is padded with zero-vote
  positions so that every position has a partner (positions beyond a list's own length are
  then votes for a candidate that does not exist; the detector only compares positions both
  lists have). Every sum still holds; the harness checks that the station gets no new
  arithmetic finding. Eligible: both lists >= 50 votes and the larger total at least 25 %
  above the smaller. Recall = share of injected swaps for which P.LIST_SWAP names that pair;
* **candidate swaps**: two candidates of one list exchange their votes (they differ by at
  least 15 votes); recall of each candidate-swap code in the catalogue separately;
* **zeros**: a station's invalid votes moved to blank (the invalid count left at 0); recall
  of P.ZERO where at least 14 invalid votes were moved.

Injections happen in memory on the model (``Tally``), one station at a time, and only that
station is checked again (``check_plausibility(..., only=...)``): the other stations are the
same, so this is exactly what a full run on the changed file would say about that station.
Deterministic: the stations, pairs and candidates come from ``random.Random(seed:source)``.

Usage: ``python benchmarks/plausibility_real.py [--per 25] [--seed 1] [--quick] [--show]``
prints the tables recorded in docs/plausibility.md (a few minutes on the full data).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from osv_verify.checks.plausibility import check_plausibility
from osv_verify.checks.thresholds import DEFAULTS, Thresholds
from osv_verify.checks.registry import RULES
from osv_verify.checks.tally import Context, check_tally
from osv_verify.core.findings import Finding, Location, Severity
from osv_verify.io.discover import discover, load
from osv_verify.core.model import CountFile, Level, Tally

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("OSV_VERIFY_DATA", ROOT.parent / "shared" / "data"))

#: Where the station-level counts are; 510b first, so a CSV is only used where no 510b exists.
FOLDERS = ("GR2022/eml", "GR2022/WestMaasenWaal", "TK2025", "GR2026", "PS2019", "AB2019", "GR2022/osv4-3_bulk")

#: The municipalities the P.LIST_SWAP settings were chosen on; everything else is held out.
TUNED_ON = "GR2022 510b, municipalities A and B"
#: A small, fast selection for the test: four municipalities of different kinds.
QUICK = ("Aalten", "Bloemendaal", "Coevorden", "West Maas en Waal")

LIST_MIN_VOTES = 50
CANDIDATE_MIN_DIFFERENCE = 15
ZERO_MIN = 14


def municipalities(data: Path = DATA, names: Iterable[str] | None = None) -> list[CountFile]:
    """Every municipality count file with polling stations, one per (election, municipality):
    the 510b where there is one, else the OSV4-3 CSV."""
    wanted = set(names) if names is not None else None
    inv = discover([data / f for f in FOLDERS if (data / f).exists()])
    seen: set[tuple[str, str | None]] = set()
    out: list[CountFile] = []
    for entry in sorted(inv.entries, key=lambda e: (e.kind != "510b", e.source.name)):
        if entry.kind not in ("510b", "osv4-3") or entry.level is not Level.MUNICIPALITY:
            continue
        count = load(entry)
        key = (count.election.id, count.authority_id)
        if key in seen or (wanted is not None and count.authority_name not in wanted):
            continue
        seen.add(key)
        if len([u for u in count.units if u.id]) >= 3:
            out.append(count)
    return sorted(out, key=lambda c: (c.election.id, c.authority_name or ""))


def tuned_on(count: CountFile) -> bool:
    """Part of the tuning set (see ``TUNED_ON``)."""
    return (count.kind == "510b" and count.election.id.startswith("GR2022")
            and (count.authority_name or "z")[0].upper() in "AB")


def _position(key: tuple) -> int:
    return int(key[1]) if key[1] and str(key[1]).isdigit() else 0


def swap_lists(u: Tally, a: int, b: int) -> Tally:
    """``u`` with lists a and b exchanged: totals and candidate votes by position; the shorter
    list padded with zero-vote positions so that every vote moves and every sum holds."""
    ka = sorted((k for k in u.candidates if k[0] == a), key=_position)
    kb = sorted((k for k in u.candidates if k[0] == b), key=_position)
    longest = max(len(ka), len(kb))
    pad = lambda keys, lst: keys + [(lst, str(_position(keys[-1]) + i + 1 if keys else i + 1), None)  # noqa: E731
                                    for i in range(longest - len(keys))]
    ka, kb = pad(ka, a), pad(kb, b)
    candidates = {k: v for k, v in u.candidates.items() if k[0] not in (a, b)}
    for x, y in zip(ka, kb):
        candidates[x] = u.candidates.get(y, 0)
        candidates[y] = u.candidates.get(x, 0)
    lists = dict(u.lists)
    lists[a], lists[b] = u.lists[b], u.lists[a]
    return u.model_copy(update={"lists": lists, "candidates": candidates})


def swap_candidates(u: Tally, x: tuple, y: tuple) -> Tally:
    candidates = dict(u.candidates)
    candidates[x], candidates[y] = u.candidates[y], u.candidates[x]
    return u.model_copy(update={"candidates": candidates})


def zero_invalid(u: Tally) -> Tally:
    counts = dict(u.counts)
    counts["blank"], counts["invalid"] = counts["blank"] + counts["invalid"], 0
    return u.model_copy(update={"counts": counts})


def _errors(count: CountFile, u: Tally, t: Thresholds) -> Counter[str]:
    ctx = Context(location=Location(election=count.election.id, unit=u.id), source=count.source, element=u.element, station=True, thresholds=t)
    return Counter(f.code for f in check_tally(u, ctx) if f.severity is Severity.ERROR)


def _warnings(count: CountFile, u: Tally, t: Thresholds) -> set[str]:
    ctx = Context(location=Location(election=count.election.id, unit=u.id), source=count.source, element=u.element, station=True, thresholds=t)
    return {f.code for f in check_tally(u, ctx) if f.code.startswith("W.")}


def _replaced(count: CountFile, u: Tally) -> CountFile:
    return count.model_copy(update={"units": [u if v.id == u.id else v for v in count.units]})


def _pair(f: Finding) -> frozenset[int]:
    return frozenset(int(p.split()[-1]) for p in (f.field or "").split("/"))


@dataclass
class Recall:
    injected: int = 0
    found: int = 0
    missed: list[str] = field(default_factory=list)

    def add(self, hit: bool, note: str) -> None:
        self.injected += 1
        self.found += hit
        if not hit:
            self.missed.append(note)

    def share(self) -> str:
        return f"{100 * self.found / self.injected:.1f} %" if self.injected else "-"


@dataclass
class Evaluation:
    stations: int = 0
    municipalities: int = 0
    alarms: Counter[str] = field(default_factory=Counter)  # code -> stations flagged (untouched)
    alarm_notes: list[str] = field(default_factory=list)
    recall: dict[str, Recall] = field(default_factory=dict)

    def per_1000(self, code: str) -> float:
        return 1000 * self.alarms[code] / self.stations if self.stations else 0.0

    def merge(self, other: Evaluation) -> None:
        self.stations += other.stations
        self.municipalities += other.municipalities
        self.alarms.update(other.alarms)
        self.alarm_notes += other.alarm_notes
        for k, r in other.recall.items():
            mine = self.recall.setdefault(k, Recall())
            mine.injected += r.injected
            mine.found += r.found
            mine.missed += r.missed


def candidate_codes() -> list[str]:
    """Every candidate-swap code in the catalogue (the protocol's and any stricter variant)."""
    return sorted(c for c in RULES if c.startswith("P.") and "CANDIDATE" in c)


def evaluate_one(count: CountFile, t: Thresholds = DEFAULTS, per: int = 25, seed: int = 1) -> Evaluation:
    """Alarms on the untouched stations of one municipality, then up to ``per`` injections of
    each kind, each in its own station."""
    ev = Evaluation(municipalities=1)
    units = [u for u in count.units if u.id]
    ev.stations = len(units)
    name = f"{count.election.id} {count.authority_name}"
    flagged: set[tuple[str, str]] = set()
    for f in check_plausibility(count, t):
        if (f.code, f.location.unit) not in flagged:
            flagged.add((f.code, f.location.unit))
            if f.code == "P.LIST_SWAP":
                ev.alarm_notes.append(f"{name}: {f.message_en}")
    for u in units:
        flagged |= {(code, u.id) for code in _warnings(count, u, t)}
    ev.alarms.update(code for code, _ in flagged)

    rng = random.Random(f"{seed}:{count.source}")
    order = rng.sample(units, len(units))
    cand_codes = candidate_codes()
    recall = {k: Recall() for k in ("P.LIST_SWAP", *cand_codes, "P.ZERO")}
    ev.recall = recall
    for u in order:
        if recall["P.LIST_SWAP"].injected >= per:
            break
        pairs = [(a, b) for a in sorted(u.lists) for b in sorted(u.lists) if a < b
                 and min(u.lists[a], u.lists[b]) >= LIST_MIN_VOTES
                 and 4 * max(u.lists[a], u.lists[b]) >= 5 * min(u.lists[a], u.lists[b])]
        if not pairs:
            continue
        a, b = rng.choice(pairs)
        changed = swap_lists(u, a, b)
        assert _errors(count, changed, t) == _errors(count, u, t), f"{name} {u.id}: the swap broke a sum"
        hit = any(f.code == "P.LIST_SWAP" and _pair(f) == {a, b}
                  for f in check_plausibility(_replaced(count, changed), t, only={u.id}))
        recall["P.LIST_SWAP"].add(hit, f"{name} {u.id}: lists {a} ({u.lists[a]}) and {b} ({u.lists[b]})")
    for u in order:
        if recall[cand_codes[0]].injected >= per:
            break
        pairs = [(x, y) for x in u.candidates for y in u.candidates if x[0] == y[0] and _position(x) < _position(y)
                 and abs(u.candidates[x] - u.candidates[y]) >= CANDIDATE_MIN_DIFFERENCE]
        if not pairs:
            continue
        x, y = rng.choice(sorted(pairs, key=str))
        changed = swap_candidates(u, x, y)
        assert _errors(count, changed, t) == _errors(count, u, t)
        named = {f.code for f in check_plausibility(_replaced(count, changed), t, only={u.id})
                 if f.code in cand_codes and f.location.list == x[0] and f.location.candidate in (x[1], y[1])}
        for code in cand_codes:
            recall[code].add(code in named, f"{name} {u.id}: candidates {x[0]}.{x[1]} ({u.candidates[x]}) "
                                            f"and {y[0]}.{y[1]} ({u.candidates[y]})")
    for u in order:
        if recall["P.ZERO"].injected >= per:
            break
        if u.counts.get("invalid", 0) < ZERO_MIN or "blank" not in u.counts:
            continue
        changed = zero_invalid(u)
        hit = any(f.code == "P.ZERO" and f.field == "invalid"
                  for f in check_plausibility(_replaced(count, changed), t, only={u.id}))
        recall["P.ZERO"].add(hit, f"{name} {u.id}: {u.counts['invalid']} invalid votes set to 0")
    return ev


def evaluate(counts: Iterable[CountFile], t: Thresholds = DEFAULTS, per: int = 25, seed: int = 1,
             progress: bool = False) -> tuple[Evaluation, Evaluation]:
    """(tuning set, held-out set)."""
    tuned, held = Evaluation(), Evaluation()
    for count in counts:
        if progress:
            print(f"{count.election.id} {count.authority_name} ({len(count.units)})", file=sys.stderr)
        (tuned if tuned_on(count) else held).merge(evaluate_one(count, t, per, seed))
    return tuned, held


ALARM_CODES = ("P.LIST_SWAP", "P.ZERO", "P.PARTY_SHARE", "P.NO_EXPLANATION", "P.MISSING_EXPLANATION", "W.201", "W.202", "W.203", "W.204")


def report(parts: dict[str, Evaluation]) -> str:
    cols = list(parts)
    codes = list(ALARM_CODES[:1]) + candidate_codes() + list(ALARM_CODES[1:])
    lines = ["Untouched real stations flagged, per 1,000 stations:", "",
             "| code | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    lines.append("| stations (municipalities) | " + " | ".join(
        f"{p.stations:,} ({p.municipalities})" for p in parts.values()) + " |")
    for code in codes:
        lines.append(f"| {code} | " + " | ".join(f"{p.per_1000(code):.1f} ({p.alarms[code]})" for p in parts.values())
                     + " |")
    labels = {"P.LIST_SWAP": "list swap named (P.LIST_SWAP, right pair)",
              **{code: f"candidate swap named ({code})" for code in candidate_codes()},
              "P.ZERO": f"invalid votes (>= {ZERO_MIN}) set to 0 found (P.ZERO)"}
    lines += ["", "Injected faults found (recall):", "",
              "| injected fault | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for key, label in labels.items():
        lines.append(f"| {label} | " + " | ".join(
            f"{p.recall[key].found} of {p.recall[key].injected} ({p.recall[key].share()})" if key in p.recall else "-"
            for p in parts.values()) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per", type=int, default=25, help="injections of each kind per municipality (default 25)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK)}")
    ap.add_argument("--show", action="store_true", help="list every P.LIST_SWAP alarm and missed list swap")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a plausibility setting")
    a = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"real data not found at {DATA} (set OSV_VERIFY_DATA)", file=sys.stderr)
        return 2
    t = Thresholds.with_overrides(dict(s.split("=", 1) for s in a.set))
    counts = municipalities(DATA, QUICK if a.quick else None)
    tuned, held = evaluate(counts, t, a.per, a.seed, progress=True)
    both = Evaluation()
    both.merge(tuned)
    both.merge(held)
    print(report({f"tuning set ({TUNED_ON})": tuned, "held out (all others)": held, "all": both}))
    print(f"\nSetup: seed {a.seed}, up to {a.per} injections of each kind per municipality, "
          f"settings {t}.")
    if a.show:
        print("\nP.LIST_SWAP on untouched stations:")
        print("\n".join("  " + n for n in both.alarm_notes))
        print("\nMissed list swaps:")
        print("\n".join("  " + n for n in both.recall["P.LIST_SWAP"].missed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
