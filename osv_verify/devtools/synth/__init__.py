"""Generator of complete, internally consistent elections, with named faults injected on request.

``generate(out_dir, category="GR"|"TK", ...)`` writes what the Kiesraad and the municipalities
publish: the 110a election definition, the 230b candidate lists (per kieskring for TK), a 510b
per municipality (and its OSV4-3 CSV), for TK a 510c per kieskring and the 510d, and the 520
result whose seats come from ``osv_verify.seats`` (the project's own Kieswet P 5-P 19). It
returns a ``Manifest`` and writes it as ``faults.json``.

The numbers are realistic: turnout 60-85 % per station, ~0.3 % blank, ~0.5 % invalid, votes
drawn voter by voter (multinomial) from list shares that vary per municipality and station and
candidate weights skewed to the list leaders; ~12 % of the stations have a small difference
between admitted voters and ballots, always recorded as 'meer'/'minder getelde stembiljetten'
and explained (GR2022/TK2021 style explanation codes). A clean set raises no error and no
warning: blank and invalid stay below 3 %, differences below 2 % and 15, no zero totals.

Deterministic for a seed: the clean election depends only on the seed and the sizes
(``random.Random(seed)``); faults are placed with a second generator, so the same seed with or
without faults gives the same underlying election.

Faults (``FAULTS``) mutate the generated numbers *before* writing, so every file stays
well-formed; each fault records what it changed and the findings ``osv-verify verify`` must
give for it (code and location, per file), see ``FAULTS`` and ``fixtures/demo/README.md``.

Station PVs keep two views: the *published* PV (what the 510b shows for the station) and the
*counted* PV (what the municipality's total was added up from). Normally they are the same;
a fault in one station's published PV (``candidate_typo``, ``list_total_not_sum``,
``unexplained_difference``) leaves the total as it was, so the total then disagrees with its
stations (AGG.TOTAL) as well as the station with itself.

The parts, in the order a run uses them: ``election`` (the shape: municipalities, kieskringen,
seats, names; ``ballot`` the lists and candidates, ``names`` the invented names), ``faults``
(the catalogue and where each fault goes), ``run`` (what one run carries: the generators, the
writer, the fault records), ``municipality`` (the stations from ``votes``, the faults of
``station_faults``, the 510b and CSV), ``levels`` (510c, 510d), ``documents`` (230b, 110a),
``result`` (520), ``manifest`` (``faults.json``).

Run ``python -m osv_verify.devtools.synth OUT_DIR --category GR --stations 5 --seed 1 --faults 3``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from osv_verify.devtools.synth.ballot import PV
from osv_verify.devtools.synth.documents import write_candidate_lists, write_definition
from osv_verify.devtools.synth.election import CATEGORIES, Kieskring, build
from osv_verify.devtools.synth.faults import FAULTS, Planned, plan_faults
from osv_verify.devtools.synth.levels import write_central, write_district
from osv_verify.devtools.synth.manifest import Manifest
from osv_verify.devtools.synth.municipality import write_municipality
from osv_verify.devtools.synth.ps_ab import EXPECTED_2027, FAULTS_2027, KINDS, generate_2027
from osv_verify.devtools.synth.result import write_result
from osv_verify.devtools.synth.run import Run, Writer

__all__ = ["EXPECTED_2027", "FAULTS", "FAULTS_2027", "Manifest", "generate", "generate_2027", "main"]

CSV_NOTE = ("each 510b and its OSV4-3 CSV carry the same numbers: a fault in a 510b is in its CSV too; verify "
            "reports it once, in the 510b (a second publication is only checked where it differs from the first)")


def generate(
    out_dir: str | Path,
    *,
    category: str = "GR",
    stations: int = 5,
    lists: int = 4,
    candidates: int = 6,
    seed: int = 0,
    faults: int | Sequence[str] | None = None,
    municipalities: int | None = None,
    districts: int | None = None,
    seats: int | None = None,
    date: dt.date | None = None,
    csv: bool = True,
    neighbourhoods: bool = False,
) -> Manifest:
    """Write a complete election to ``out_dir`` (created if needed) and return its manifest.

    ``stations`` counts polling stations in the whole election; for TK they are spread over
    ``municipalities`` (default ~28 stations each) in ``districts`` kieskringen (default
    min(20, municipalities)). ``seats`` defaults to the Gemeentewet table for GR (from the
    eligible voters) and to 150 for TK (or half the candidates when there are fewer than 300).
    ``faults`` is a number of random faults or a list of names from ``FAULTS``.
    ``neighbourhoods`` gives stations the local structure of real municipalities (village
    parties, local candidates; ``votes.neighbourhoods``); off by default, so that a seed keeps
    generating the same files (fixtures/demo).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    category = category.upper()
    rng = random.Random(seed)
    election = build(rng, category, stations, lists, candidates, municipalities, districts, seats, date)
    notes = [CSV_NOTE if csv else "no OSV4-3 CSV written (csv=False)"]
    params = {"category": category, "stations": stations, "lists": lists, "candidates": candidates,
              "municipalities": len(election.gemeenten), "districts": len(election.kieskringen),
              "seats": election.seats, "date": election.date.isoformat(), "csv": csv,
              "faults": faults if isinstance(faults, int) or faults is None else list(faults)}
    manifest = Manifest(str(out), category, election.ref.id, seed, params, notes=notes)
    frng = random.Random(f"faults:{seed}")
    plan = plan_faults(faults, frng, election.gemeenten, category, notes)
    run = Run(election, rng, frng, random.Random(f"lots:{seed}"), Writer(out, manifest), seed, csv, neighbourhoods)
    start = time.perf_counter()
    top = _write_counts(run, plan)
    write_definition(run)
    write_result(run, top, move_seat=any(p.name == "wrong_seat_520" for p in plan))
    manifest.faults = run.records
    manifest.seconds = round(time.perf_counter() - start, 2)
    (out / "faults.json").write_text(json.dumps(manifest.to_dict(), indent=2, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    return manifest


def _write_counts(run: Run, plan: list[Planned]) -> PV:
    """The candidate lists and every count file, level by level; returns the top total."""
    e = run.election
    faults_by_g: dict[int, list[Planned]] = {}
    for p in plan:
        if p.gemeente is not None:
            faults_by_g.setdefault(p.gemeente, []).append(p)
    if not e.tk:
        g = e.gemeenten[0]
        write_candidate_lists(run, e.file_name("230b"), "geen", None, f"Centraal stembureau {g.name}")
        return write_municipality(run, g, faults_by_g.get(0, []), ("geen", None))
    districts: list[tuple[Kieskring, PV]] = []
    for kk in e.kieskringen:
        write_candidate_lists(run, e.file_name("230b", kk.name), str(kk.number), kk.name, "De Kiesraad")
        contest = (str(kk.number), kk.name)
        units = [(g, write_municipality(run, g, faults_by_g.get(g.index, []), contest)) for g in kk.gemeenten]
        districts.append((kk, write_district(run, kk, units)))
    return write_central(run, districts)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m osv_verify.devtools.synth", description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir")
    p.add_argument("--category", default="GR", choices=CATEGORIES + KINDS,
                   help="GR, TK, or PS / AB: the 2027 shape (Abacus 510b, corrigendum, published zips; ps_ab)")
    p.add_argument("--stations", type=int, help="polling stations in the whole election (default 5; PS/AB 24)")
    p.add_argument("--lists", type=int, default=4)
    p.add_argument("--candidates", type=int, default=6)
    p.add_argument("--municipalities", type=int)
    p.add_argument("--districts", type=int)
    p.add_argument("--seats", type=int)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--faults", default="0", help="a number of random faults, or names separated by commas: "
                                                  + ", ".join(FAULTS) + "; for PS/AB names only: " + ", ".join(FAULTS_2027))
    p.add_argument("--no-csv", action="store_true", help="do not write the OSV4-3 CSV files")
    p.add_argument("--sessions", type=int, default=1, help="PS/AB: later sessions with corrections (default 1)")
    p.add_argument("--version", choices=("1.3", "1.3.1"),
                   help="PS/AB: the corrigendum's EML_NL version, 1.3 (kr:Initial*) or 1.3.1 (kr:Previous*)")
    a = p.parse_args(argv)
    faults: int | list[str] = int(a.faults) if a.faults.isdigit() else [f.strip() for f in a.faults.split(",") if f.strip()]
    try:
        if a.category in KINDS:
            if isinstance(faults, int) and faults:
                raise ValueError("for PS/AB name the faults: " + ", ".join(FAULTS_2027))
            m = generate_2027(a.out_dir, category=a.category, stations=a.stations or 24, lists=a.lists,
                              candidates=a.candidates, seed=a.seed, faults=[] if isinstance(faults, int) else faults,
                              version=a.version, municipalities=a.municipalities, later_sessions=a.sessions)
        else:
            m = generate(a.out_dir, category=a.category, stations=a.stations or 5, lists=a.lists, candidates=a.candidates,
                         seed=a.seed, faults=faults, municipalities=a.municipalities, districts=a.districts,
                         seats=a.seats, csv=not a.no_csv)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"{m.election}: {len(m.files)} files, {m.bytes_written / 1e6:.1f} MB in {m.seconds:.1f} s; "
          f"{len(m.faults)} fault(s): {', '.join(f.name for f in m.faults) or 'none'}")
    for note in m.notes:
        print(f"note: {note}")
    return 0
