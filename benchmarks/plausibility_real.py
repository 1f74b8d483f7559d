"""How well the plausibility checks hold on REAL published stations (issues 15 and 23).

Every municipal count with polling stations in ``../shared/data`` (the 510b files of GR2022
A-D, GR2022 West Maas en Waal, TK2025, GR2026, PS2019/AB2019 Tytsjerksteradiel, HCP's test
files, and the GR2022 OSV4-3 CSVs of the municipalities whose 510b is not there), read with
the project's own readers, grouped in data sets (``dataset``):

* **alarms on untouched stations**: every plausibility finding (and W.201-W.204) per 1,000
  real stations. A real station may really be wrong; ``--show`` lists every P.LIST_SWAP alarm
  so it can be checked by hand;
* **list swaps**: in one station at a time two lists' columns are exchanged, as a typist who
  picks the wrong list screen or a PV writer who fills in the wrong list's page would: the
  totals AND the candidate votes by position (the shorter list padded with zero-vote
  positions, so every sum still holds; asserted). Eligible: both lists >= 50 votes and the
  larger total at least 25 % above the smaller. Named = P.LIST_SWAP names exactly that pair;
* **candidate swaps**: two candidates of one list exchange their votes (>= 15 votes apart);
* **zeros**: a station's invalid votes (>= 14) moved to blank.

P.LIST_SWAP is calibrated, not tuned: a station is flagged when its score exceeds the k-th
highest score of a reference of real untouched stations (``swap.conformal_threshold``). Here
that is measured so that it cannot flatter: **leave one data set out** (the threshold for a
data set comes from the stations of all the others; nothing is fitted on the one scored), and
also leave one municipality out. Intervals are Wilson 95 % intervals.

``--write`` stores the reference of ALL data (the highest untouched scores) and the measured
figures in ``osv_verify/checks/swap_reference.py``, which the product reads and every message
quotes; a test recomputes ``digest`` on four municipalities to check that it is current.

Usage: ``python benchmarks/plausibility_real.py [--per 25] [--seed 1] [--quick] [--show] [--write]``
(a few minutes on the full data).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import random
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from fractions import Fraction
from pathlib import Path

from osv_verify.checks import swap
from osv_verify.checks.measured import wilson
from osv_verify.checks import protocol_rules as protocol
from osv_verify.checks.plausibility import (CALIBRATED, SIZE_CLASSES, candidate_fit_pairs, check_plausibility, compared_stations,
                                            party_share_score, size_class)
from osv_verify.checks.registry import RULES
from osv_verify.checks.tally import Context, check_tally
from osv_verify.checks.thresholds import DEFAULTS, Thresholds
from osv_verify.checks.unit_type import set_apart
from osv_verify.core.findings import Location, Severity
from osv_verify.core.model import CountFile, Level, Tally
from osv_verify.io.discover import discover, load

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("OSV_VERIFY_DATA", ROOT.parent / "shared" / "data"))
REFERENCE = ROOT / "osv_verify" / "checks" / "swap_reference.py"

#: Where the station-level counts are; 510b first, so a CSV is only used where no 510b exists.
FOLDERS = ("GR2022/eml", "GR2022/WestMaasenWaal", "TK2025", "GR2026", "PS2019", "AB2019", "hcp",
           "GR2022/osv4-3_bulk")
#: A small, fast selection for the test: four municipalities of different kinds.
QUICK = ("Aalten", "Bloemendaal", "Coevorden", "West Maas en Waal")
#: How many of the highest reference scores are kept (enough for rates up to 10 per 1,000).
KEEP = 34

LIST_MIN_VOTES = 50
CANDIDATE_MIN_DIFFERENCE = 15
ZERO_MIN = 14
#: Municipality sizes (stations) for the table by size.
SIZES = ((3, 19, "3-19"), (20, 99, "20-99"), (100, 10**9, ">= 100"))


def municipalities(data: Path = DATA, names: Iterable[str] | None = None) -> list[CountFile]:
    """Every municipality count file with at least 3 polling stations, one per (election,
    municipality): the 510b where there is one, else the OSV4-3 CSV."""
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


def dataset(count: CountFile) -> str:
    """The data set a count belongs to: its election, and for GR2022 whether the 510b or only
    the OSV4-3 CSV was published here (the large cities); HCP's files are fakes."""
    if "hcp" in Path(count.source).parts:
        return "HCP test files"
    election = count.election.id.split("_")[0]
    if election == "GR2022":
        return "GR2022 510b" if count.kind == "510b" else "GR2022 CSV only"
    return election


def digest(ms: Iterable[Municipality]) -> str:
    """What the checks say about the untouched stations of the ``QUICK`` municipalities (every
    P.LIST_SWAP score and every other check's alarm count): stored with the reference, and a
    test recomputes it, so a change to any check shows as a reference that is not current."""
    h = hashlib.sha256()
    for m in sorted(ms, key=lambda m: m.name):
        if m.authority in QUICK:
            h.update(repr((m.name, sorted((code, k, str(v)) for code, s in m.scores.items() for k, v in s.items()),
                           sorted(m.alarms.items()))).encode())
    return h.hexdigest()[:16]


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


def _tally_findings(count: CountFile, u: Tally, t: Thresholds) -> list:
    ctx = Context(location=Location(election=count.election.id, unit=u.id), source=count.source, element=u.element,
                  station=True, thresholds=t)
    return list(check_tally(u, ctx))


def _errors(count: CountFile, u: Tally, t: Thresholds) -> Counter[str]:
    return Counter(f.code for f in _tally_findings(count, u, t) if f.severity is Severity.ERROR)


def _replaced(count: CountFile, u: Tally) -> CountFile:
    return count.model_copy(update={"units": [u if v.id == u.id else v for v in count.units]})


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


@dataclass
class Injected:
    """One injected list swap: the score of the injected pair, and whether that pair is the one
    the detector would name first among the pairs sharing a list (then named at any threshold
    below its score)."""

    note: str
    score: Fraction
    first: bool


@dataclass
class Municipality:
    """What one municipal count gave: the calibrated checks' scores (untouched stations and
    injected faults), and the other checks' alarms and recall."""

    name: str
    authority: str
    dataset: str
    scores: dict[str, dict[str, Fraction]] = field(default_factory=lambda: {c: {} for c in CALIBRATED})  # code -> untouched station -> score
    injected: dict[str, list[Injected]] = field(default_factory=lambda: {c: [] for c in CALIBRATED})
    alarms: Counter[str] = field(default_factory=Counter)  # code -> untouched stations flagged
    recall: dict[str, Recall] = field(default_factory=dict)

    @property
    def stations(self) -> int:
        return len(self.scores["P.LIST_SWAP"])


def candidate_codes() -> list[str]:
    """Every candidate-swap code in the catalogue (the protocol's and any stricter variant)."""
    return sorted(c for c in RULES if c.startswith("P.") and "CANDIDATE" in c)


def _list_swap_scores(count: CountFile, units: list[Tally], order: list[Tally], rng: random.Random, per: int,
                      m: Municipality, t: Thresholds) -> None:
    hoods = swap.Neighbourhoods(units)
    for u in units:
        m.scores["P.LIST_SWAP"][u.id] = swap.station_score(swap.pair_evidence(hoods, u, t.list_swap_min_votes))
    for u in order:
        if len(m.injected["P.LIST_SWAP"]) >= per:
            break
        pairs = [(a, b) for a in sorted(u.lists) for b in sorted(u.lists) if a < b
                 and min(u.lists[a], u.lists[b]) >= LIST_MIN_VOTES
                 and 4 * max(u.lists[a], u.lists[b]) >= 5 * min(u.lists[a], u.lists[b])]
        if not pairs:
            continue
        a, b = rng.choice(pairs)
        changed = swap_lists(u, a, b)
        assert _errors(count, changed, t) == _errors(count, u, t), f"{m.name} {u.id}: the swap broke a sum"
        # the untouched stations' neighbourhoods: the tested station is never its own reference, and
        # the lists' lengths stay those of the real list (the padded positions are not read)
        evidence = swap.pair_evidence(hoods, changed, t.list_swap_min_votes)
        score = max((e.score for e in evidence if {e.a, e.b} == {a, b}), default=Fraction(0))
        first = any({e.a, e.b} == {a, b} for e in swap.named_pairs(evidence, Fraction(0)))  # every pair found scores above 0
        m.injected["P.LIST_SWAP"].append(Injected(f"{m.name} {u.id}: lists {a} ({u.lists[a]}) and {b} ({u.lists[b]})", score, first))


def evaluate_one(count: CountFile, t: Thresholds = DEFAULTS, per: int = 25, seed: int = 1) -> Municipality:
    """Scores and alarms on the untouched stations of one municipality, then up to ``per``
    injections of each kind, each in its own station."""
    m = Municipality(f"{count.election.id} {count.authority_name}", count.authority_name or "", dataset(count))
    units = set_apart([u for u in count.units if u.id])[0]  # mobile and special stations are not compared
    flagged: set[tuple[str, str]] = set()
    for f in check_plausibility(count, t):
        if f.code not in CALIBRATED:  # the calibrated checks are measured by their scores, whatever the threshold
            flagged.add((f.code, f.location.unit))
    for compared, u, ref in compared_stations(count, t):
        m.scores["P.PARTY_SHARE"][u.id] = party_share_score(protocol.list_shares(u, protocol.municipality_total(compared)))
        m.scores["P.CANDIDATE_SWAP_FIT"][u.id] = max((p.score for p in candidate_fit_pairs(u, ref, t)), default=Fraction(0))
    for u in units:
        flagged |= {(f.code, u.id) for f in _tally_findings(count, u, t) if f.code.startswith("W.")}
    m.alarms.update(code for code, _ in flagged)
    rng = random.Random(f"{seed}:{count.source}")
    order = rng.sample(units, len(units))
    _list_swap_scores(count, units, order, rng, per, m, t)
    cand_codes = candidate_codes()
    m.recall = {k: Recall() for k in (*cand_codes, "P.ZERO")}
    for u in order:
        if m.recall[cand_codes[0]].injected >= per:
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
        fit = max((p.score for _, v, ref in compared_stations(_replaced(count, changed), t, only={u.id})
                   for p in candidate_fit_pairs(v, ref, t) if p.high.key in (x, y)), default=Fraction(0))
        m.injected["P.CANDIDATE_SWAP_FIT"].append(Injected(f"{m.name} {u.id}: candidates {x[0]}.{x[1]} and {y[1]}", fit, True))
        for code in cand_codes:
            m.recall[code].add(code in named, f"{m.name} {u.id}: candidates {x[0]}.{x[1]} ({u.candidates[x]}) "
                                              f"and {y[0]}.{y[1]} ({u.candidates[y]})")
    for u in order:
        if m.recall["P.ZERO"].injected >= per:
            break
        if u.counts.get("invalid", 0) < ZERO_MIN or "blank" not in u.counts:
            continue
        changed = zero_invalid(u)
        hit = any(f.code == "P.ZERO" and f.field == "invalid"
                  for f in check_plausibility(_replaced(count, changed), t, only={u.id}))
        m.recall["P.ZERO"].add(hit, f"{m.name} {u.id}: {u.counts['invalid']} invalid votes set to 0")
    return m


@dataclass
class Outcome:
    """P.LIST_SWAP on a group of municipalities at a threshold fitted without them."""

    flagged: int = 0
    stations: int = 0
    named: int = 0
    injected: int = 0
    not_held: int = 0  # stations in groups where the reference was too small for the rate
    not_held_injected: int = 0  # injected faults in those groups
    alarms: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def add(self, m: Municipality, code: str, threshold: Fraction | None) -> None:
        scores, injected = m.scores[code], m.injected[code]
        self.stations += len(scores)
        self.injected += len(injected)
        if threshold is None:
            self.not_held += len(scores)
            self.not_held_injected += len(injected)
            return
        self.alarms += [f"{m.name} {uid}: score {float(s):.2f}" for uid, s in scores.items() if s > threshold]
        self.flagged += sum(s > threshold for s in scores.values())
        hits = [i.first and i.score > threshold for i in injected]
        self.named += sum(hits)
        self.missed += [f"{i.note}: score {float(i.score):.2f}" for i, hit in zip(injected, hits) if not hit]

    def merge(self, other: Outcome) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def figures(self) -> tuple[int, int, int, int]:
        """(flagged, stations, named, injected) where the rate could be held (the others apart)."""
        return self.flagged, self.stations - self.not_held, self.named, self.injected - self.not_held_injected


#: Data sets that are no real election: reported, never part of a reference.
FAKES = ("HCP test files",)


def reference_scores(ms: Iterable[Municipality], code: str, label: str | None = None) -> list[Fraction]:
    """The untouched stations' scores of ``code`` (of the municipalities of size class ``label``,
    ``plausibility.size_class``, if given), highest first (real elections only: HCP's files are
    fakes built to trigger every check)."""
    return sorted((s for m in ms if m.dataset not in FAKES and label in (None, klass(m, code))
                   for s in m.scores[code].values()), reverse=True)


def klass(m: Municipality, code: str) -> str:
    return size_class(code, m.stations)


def leave_one_out(ms: list[Municipality], group: Callable[[Municipality], str], code: str, per_1000: int,
                  row: Callable[[Municipality], str] = lambda m: m.dataset) -> dict[str, Outcome]:
    """Per group: ``code`` at the threshold from every OTHER group's untouched stations (of the
    same size class where ``code`` has classes); rows by ``row``."""
    out: dict[str, Outcome] = {}
    for g in sorted({group(m) for m in ms}):
        for label in sorted({klass(m, code) for m in ms if group(m) == g}):
            ref = reference_scores((m for m in ms if group(m) != g), code, label)
            threshold = swap.conformal_threshold(ref, len(ref), per_1000)
            for m in ms:
                if group(m) == g and klass(m, code) == label:
                    out.setdefault(row(m), Outcome()).add(m, code, threshold)
    return out


def election(m: Municipality) -> str:
    return m.name.split("_")[0].split(" ")[0]


def _kth_of_others(highest: list[Fraction], k: int, own: Fraction) -> Fraction:
    """The k-th highest of ``highest`` (highest first) once ``own`` (one of them) is taken out."""
    top = highest[:k + 1]
    return (top[:top.index(own)] + top[top.index(own) + 1:])[k - 1] if own in top else top[k - 1]


def self_calibrated(ms: list[Municipality], code: str, per_1000: int, tuning: Callable[[Municipality], bool]
                    ) -> dict[str, Outcome]:
    """Issue 23, step 3 (an experiment, not what ``verify`` does): each election's threshold from
    its OWN untouched stations (a station against the k-th highest of the others of its
    election, k = floor(rate x N / 1,000); its labels are not used), where the election has
    enough stations for the rate; else the reference of the other data sets, as
    ``leave_one_out``. Rows per data set, the part where it was chosen (``tuning``) apart."""
    out: dict[str, Outcome] = {}
    for e in sorted({election(m) for m in ms}):
        group = [m for m in ms if election(m) == e]
        own = sorted((s for m in group for s in m.scores[code].values()), reverse=True)
        k = per_1000 * len(own) // 1000
        ref = reference_scores((m for m in ms if m.dataset != group[0].dataset), code)
        fallback = swap.conformal_threshold(ref, len(ref), per_1000)
        for m in group:
            row = out.setdefault(f"{m.dataset}{' (tuning part)' if tuning(m) else ''}", Outcome())
            if k == 0:
                row.add(m, code, fallback)
                continue
            scores = m.scores[code]
            row.stations += len(scores)
            row.injected += len(m.injected[code])
            row.flagged += sum(s > _kth_of_others(own, k, s) for s in scores.values())
            row.named += sum(i.first and i.score > _kth_of_others(own, k, scores[i.note.split(": ")[0].split(" ")[-1]])
                             for i in m.injected[code])
    return out


def _size(m: Municipality) -> str:
    return next(label for lo, hi, label in SIZES if lo <= m.stations <= hi)


def _rate(k: int, n: int, per: int = 1000) -> str:
    lo, hi = wilson(k, n)
    return f"{per * k / n:.1f} [{per * lo:.1f}-{per * hi:.1f}] ({k})" if n else "-"


def _share(k: int, n: int) -> str:
    lo, hi = wilson(k, n)
    return f"{k} of {n} ({100 * k / n:.1f} % [{100 * lo:.1f}-{100 * hi:.1f}])" if n else "-"


def swap_table(parts: dict[str, Outcome]) -> list[str]:
    lines = ["| data set | stations | flagged per 1,000 [95 %] | injected faults named [95 %] | stations where the rate cannot be held |",
             "|---|---|---|---|---|"]
    for name, o in parts.items():
        lines.append(f"| {name} | {o.stations:,} | {_rate(o.flagged, o.stations - o.not_held)} | "
                     f"{_share(o.named, o.injected)} | {o.not_held} |")
    return lines


def _with_total(parts: dict[str, Outcome]) -> dict[str, Outcome]:
    """The parts and "all real data" (the fakes left out)."""
    total = Outcome()
    for name, o in parts.items():
        if name not in FAKES:
            total.merge(o)
    return {**parts, "all real data": total}


ALARM_CODES = ("P.ZERO", "P.NO_EXPLANATION", "P.MISSING_EXPLANATION", "W.201", "W.202", "W.203", "W.204")
#: The checks with fixed rules, measured by their alarms (the calibrated ones by their scores).
OTHER_CODES = (*(c for c in candidate_codes() if c not in CALIBRATED), *ALARM_CODES)


def others_table(ms: list[Municipality]) -> list[str]:
    """The other checks (fixed rules, nothing fitted): alarms and recall per data set."""
    sets = sorted({m.dataset for m in ms}) + ["all real data"]
    pick = {s: [m for m in ms if s == m.dataset or (s == "all real data" and m.dataset not in FAKES)] for s in sets}
    lines = ["| code | " + " | ".join(sets) + " |", "|---|" + "---|" * len(sets)]
    for code in OTHER_CODES:
        lines.append(f"| {code} per 1,000 | " + " | ".join(
            _rate(sum(m.alarms[code] for m in g), sum(m.stations for m in g)) for g in pick.values()) + " |")
    for code in (*(c for c in candidate_codes() if c not in CALIBRATED), "P.ZERO"):
        lines.append(f"| {code} named | " + " | ".join(
            _share(sum(m.recall[code].found for m in g), sum(m.recall[code].injected for m in g)) for g in pick.values())
            + " |")
    return lines


def measured_figures(ms: list[Municipality]) -> dict[str, tuple[int, int, int, int]]:
    """code -> (untouched stations flagged, stations, injected faults named, injected) over all
    real data, for the checks with fixed rules."""
    ms = [m for m in ms if m.dataset not in FAKES]
    stations = sum(m.stations for m in ms)
    out = {}
    for code in OTHER_CODES:
        r = [m.recall[code] for m in ms if code in m.recall]
        out[code] = (sum(m.alarms[code] for m in ms), stations, sum(x.found for x in r), sum(x.injected for x in r))
    return out


def quoted(by_municipality: Outcome) -> tuple[str, Outcome]:
    """The held-out figure a message quotes: leave one municipality out (issue 23: "leave one
    election (or one municipality) out"). One election, GR2022, holds 98 % of the stations
    here, so leaving an election out leaves no reference for it; leaving a data set out makes
    the five large cities the only reference of the 2,175 other GR2022 stations (a change of
    kind, not only of data), and is reported beside it."""
    return ("municipality", by_municipality)


def tuning_part(m: Municipality) -> bool:
    """The part P.LIST_SWAP's constants were chosen on (issue 23, fourth round): the GR2022 510b
    municipalities A and B."""
    return m.dataset == "GR2022 510b" and m.authority[:1] in "AB"


#: Municipalities with fewer fixed stations than this are "small": P.LIST_SWAP's rate there is
#: measured and quoted apart (issue 23, fourth round: every held-out alarm was in one).
SMALL_STATIONS = SIZES[1][0]


def small_figures(ms: list[Municipality], code: str, per_1000: int) -> tuple[int, int]:
    """(untouched stations flagged, stations) in the real municipalities under ``SMALL_STATIONS``
    stations, each at the threshold from the other municipalities (as ``leave_one_out``)."""
    o = leave_one_out([m for m in ms if m.dataset not in FAKES], lambda m: m.name, code, per_1000,
                      row=lambda m: "small" if m.stations < SMALL_STATIONS else "other").get("small", Outcome())
    return o.flagged, o.stations - o.not_held


def write_reference(ms: list[Municipality], held_out: dict[str, tuple[str, Outcome]], per_1000: int,
                    path: Path = REFERENCE) -> None:
    """``held_out``: code -> (how it was held out, its outcome over all real data)."""
    refs = {(code, label): reference_scores(ms, code, None if label == "all" else label)
            for code in CALIBRATED for label in sorted({klass(m, code) for m in ms if m.dataset not in FAKES})}
    stations = sum(m.stations for m in ms if m.dataset not in FAKES)
    highest = "".join(f"\n    {key!r}: ({len(ref)}, (" + "".join(
        f"\n        Fraction({s.numerator},\n                 {s.denominator})," for s in ref[:KEEP]) + "\n    )),"
        for key, ref in refs.items())
    figures = {**{code: o.figures() for code, (_, o) in held_out.items()}, **measured_figures(ms)}
    path.write_text(f'''"""Written by ``benchmarks/plausibility_real.py --write``; do not edit by hand.

The references of the calibrated checks ({", ".join(CALIBRATED)}): the highest scores of
{stations:,} real untouched stations (every municipal count with stations in ``../shared/data``),
per size class where a check has them (``plausibility.SIZE_CLASSES``), from which
``swap.conformal_threshold`` takes the score a station must exceed; and what every
plausibility check did on those stations, for ``checks/measured.py``. The calibrated checks'
figures are held out at {per_1000} per 1,000 (``HELD_OUT``: each data set, or each
municipality, scored at a threshold from the others only).
"""

from fractions import Fraction

#: ``benchmarks/plausibility_real.digest()``: what the checks said on the QUICK municipalities.
QUICK_DIGEST = "{digest(ms)}"
#: (calibrated check, size class) -> (real untouched stations in its reference, their highest scores, highest first).
REFERENCES = {{{highest}\n}}
#: How each calibrated check's figures below were held out: leaving out one "data set" or one "municipality".
HELD_OUT = {{{", ".join(f"{code!r}: {how!r}" for code, (how, _) in held_out.items())}}}
#: Stations where that could not be measured (a reference without them too small for the rate).
NOT_HELD = {{{", ".join(f"{code!r}: {o.not_held}" for code, (_, o) in held_out.items())}}}
#: The rate (per 1,000 stations) the calibrated checks' figures below were measured at.
MEASURED_AT = {per_1000}
#: P.LIST_SWAP in municipalities of fewer than SMALL_STATIONS fixed stations, held out as above:
#: (untouched stations flagged, stations); its messages there quote this instead.
SMALL_STATIONS = {SMALL_STATIONS}
SMALL = {small_figures(ms, "P.LIST_SWAP", per_1000)!r}
#: code -> (untouched stations flagged, stations, injected faults named, injected).
FIGURES = {{
{"".join(f"    {code!r}: {v!r},{chr(10)}" for code, v in figures.items())}}}
''')


def run(counts: Iterable[CountFile], t: Thresholds = DEFAULTS, per: int = 25, seed: int = 1,
        progress: bool = False) -> list[Municipality]:
    out = []
    for count in counts:
        if progress:
            print(f"{count.election.id} {count.authority_name} ({len(count.units)})", file=sys.stderr)
        out.append(evaluate_one(count, t, per, seed))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per", type=int, default=25, help="injections of each kind per municipality (default 25)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK)}")
    ap.add_argument("--show", action="store_true", help="list every P.LIST_SWAP alarm and missed list swap")
    ap.add_argument("--write", action="store_true", help=f"write {REFERENCE.relative_to(ROOT)}")
    ap.add_argument("--save", metavar="PATH", help="pickle what every municipality gave (for analysis without re-running)")
    ap.add_argument("--load", metavar="PATH", help="use what --save stored instead of reading and scoring the data again")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a plausibility setting")
    a = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"real data not found at {DATA} (set OSV_VERIFY_DATA)", file=sys.stderr)
        return 2
    t = Thresholds.with_overrides(dict(s.split("=", 1) for s in a.set))
    rates = {getattr(t, setting) for setting, _ in CALIBRATED.values()}
    if len(rates) > 1:
        print(f"the calibrated checks are measured at one rate ({', '.join(s for s, _ in CALIBRATED.values())})",
              file=sys.stderr)
        return 2
    rate = rates.pop()
    if a.load:
        with open(a.load, "rb") as f:
            ms = pickle.load(f)
    else:
        ms = run(municipalities(DATA, QUICK if a.quick else None), t, a.per, a.seed, progress=True)
    by_set, held_out = {}, {}
    sized_row = lambda m: f"municipalities of {_size(m)} stations"  # noqa: E731
    for code in CALIBRATED:
        by_set[code] = _with_total(leave_one_out(ms, lambda m: m.dataset, code, rate))
        by_muni = _with_total(leave_one_out(ms, lambda m: m.name, code, rate))
        held_out[code] = quoted(by_muni["all real data"])
        classes = f" (reference per size class: {', '.join(sorted({klass(m, code) for m in ms}))})" if code in SIZE_CLASSES else ""
        print(f"\n{code} at {rate} per 1,000{classes}, leave one data set out:\n")
        print("\n".join(swap_table(by_set[code])))
        print("\nleave one municipality out:\n")
        print("\n".join(swap_table(by_muni)))
        for how, group in (("data set", lambda m: m.dataset), ("municipality", lambda m: m.name)):
            print(f"\nby municipality size, leave one {how} out:\n")
            print("\n".join(swap_table(leave_one_out(ms, group, code, rate, row=sized_row))))
        if code == "P.LIST_SWAP":
            print("\nleave one municipality out, the part the constants were chosen on apart:\n")
            parts = leave_one_out(ms, lambda m: m.name, code, rate,
                                  row=lambda m: f"{m.dataset} (chosen on: A-B)" if tuning_part(m) else m.dataset)
            print("\n".join(swap_table(_with_total(parts))))
        print(f"\nquoted in the messages: leave one {held_out[code][0]} out")
        if a.show:
            print(f"\n{code} on untouched stations (leave one data set out):")
            print("\n".join("  " + n for n in by_set[code]["all real data"].alarms))
            if code == "P.LIST_SWAP":
                print("\nMissed list swaps:")
                print("\n".join("  " + n for n in by_set[code]["all real data"].missed))
    print("\nP.LIST_SWAP self-calibrated per election (an experiment, issue 23 step 3; chosen on GR2022 510b A-B):\n")
    print("\n".join(swap_table(_with_total(self_calibrated(ms, "P.LIST_SWAP", rate, tuning=tuning_part)))))
    print("\nThe other checks (fixed rules; untouched stations flagged per 1,000, injected faults named):\n")
    print("\n".join(others_table(ms)))
    print(f"\nSetup: seed {a.seed}, up to {a.per} injections of each kind per municipality, settings {t}.")
    if a.write:
        write_reference(ms, held_out, rate)
        print(f"\nwritten: {REFERENCE}")
    if a.save:
        with open(a.save, "wb") as f:
            pickle.dump(ms, f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
