"""Generated PS2027 and AB2027 elections in the shape of 17 March 2027 (issue 21, abacus-2027.md).

``generate_2027(out_dir, category="PS"|"AB", ...)`` writes, as the week after the election will
publish them:

* per municipality the Abacus 510b (EML_NL 1.3, ``eml_write_abacus``), alternately a central
  (CSO) and a decentral (DSO) count, voter cards (C) in every unit, one mobile station, two
  stations sharing a building (``kr:SharedLocation``); its
  counts CSV (named ``abacus_telling_...`` or ``osv4-3_telling_...``, the name is not settled);
  both in ``definitieve-documenten_..._gemeente_...zip`` with the 510b in a nested
  ``Telling_...zip``; its station list as Abacus exports it (110b) in
  ``abacus-exporteren_stemgebieden-...zip``;
* one municipality with a later session with corrections (or several, ``later_sessions``): a
  complete new 510b (phase corrigendum) in ``correctie_...zip``, in which one station moved votes
  between two candidates of two lists; its earlier numbers as ``kr:Initial*`` (EML_NL 1.3,
  ``version="1.3"``, the first session's; the default for PS) or ``kr:Previous*`` (rust-eml-nl's
  "1.3.1", the previous session's, ``kr:Phase`` before ``EventIdentifier``; the default for AB);
* above the municipalities, as OSV2020-U writes them (``eml_write_counts``): for PS (two
  kieskringen) a 510c per kieskring and the province's 510d, for AB (a water board over parts of
  three municipalities, each with the eligible voters of its part) the water board's 510d with a
  unit per municipal part; built from each municipality's newest 510b; the 520 with the seats of
  ``osv_verify.seats``; in ``definitieve-documenten_...zip`` (``Totaaltelling_...zip`` nested)
  and ``vaststelling-uitslag_...zip`` (``Resultaat_...zip`` nested);
* the 110a (kieskring of each municipality in its election tree; the 510b says ``geen``) and
  the 230b per kieskring, loose, as the Kiesraad publishes them.

No PV PDF and no ``.signature`` is written (they cannot be made honestly here); the zips hold
what a verifier reads. Faults (``FAULTS_2027``), each selectable, change the files before they are
written and are recorded in ``faults.json`` with what they changed and what a verifier must say.
Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from osv_verify.core.model import EXPLANATION_KEYS, CountFile, Definition, ElectionRef, Level, Region, Station, Tally
from osv_verify.devtools import eml_write
from osv_verify.devtools.eml_write_abacus import TWINS, AbacusStyle, write_abacus_count, write_abacus_stations
from osv_verify.devtools.eml_write_counts import write_count
from osv_verify.devtools.synth import published
from osv_verify.devtools.synth.ballot import PV, make_ballot, sum_pvs
from osv_verify.devtools.synth.documents import write_candidate_lists
from osv_verify.devtools.synth.election import Election, Gemeente, Kieskring
from osv_verify.devtools.synth.levels import HIDDEN_AT_HSB, write_central, write_district
from osv_verify.devtools.synth.manifest import Change, FaultRecord, Manifest, expected_finding
from osv_verify.devtools.synth.municipality import csv_of
from osv_verify.devtools.synth.names import ascii_name, place_names, station_name
from osv_verify.devtools.synth.result import write_result
from osv_verify.devtools.synth.run import Run, Writer
from osv_verify.devtools.synth.votes import draw_stations
from osv_verify.seats.rules import statutory_preference

KINDS = ("PS", "AB")
ELECTION_DAY = dt.date(2027, 3, 17)
TZ = dt.timezone(dt.timedelta(hours=1))  # Dutch winter time, as Abacus writes it in March
#: name -> what it changes; each a fault a verifier of the 2027 files must report
#: name -> the codes ``osv-verify verify`` gives for it (and nothing else), at the municipality it hits
EXPECTED_2027: dict[str, tuple[str, ...]] = {
    "outdated_510b_used": ("CORR.OUTDATED",),
    "original_not_adding_up": ("CORR.ORIGINAL", "CORR.EARLIER"),
    "missing_voter_cards": ("TALLY.VOTER_CARDS",),
    "station_gone": ("CORR.GONE", "AGG.TOTAL", "AGG.MISSING_UNIT"),
}
FAULTS_2027: dict[str, str] = {
    "outdated_510b_used": "the level above (PS: the kieskring's 510c, AB: the water board's 510d) adds up the "
                          "first-session 510b of the municipality that published a corrigendum",
    "original_not_adding_up": "in the corrigendum one earlier number (kr:Initial*/Previous*) of the corrected station "
                              "is 5 more than the first session published, so its original numbers do not add up",
    "missing_voter_cards": "one station of another municipality has no 'geldige kiezerspassen' (C); its voter cards are "
                           "counted among its poll cards (A), so everything else still adds up",
    "station_gone": "a station of the first session is missing from the corrigendum; its total still counts it",
}


class _Files(Writer):
    """Keeps the written files in memory, to be put into the published zips."""

    def __init__(self, manifest: Manifest) -> None:
        super().__init__(Path(manifest.out_dir), manifest)
        self.data: dict[str, bytes] = {}

    def bytes(self, name: str, data: bytes) -> None:
        self.data[name] = data

    def count(self, name: str, count: CountFile) -> None:
        self.data[name] = write_count(count)


@dataclass
class _Gsb:
    """One municipality's count for this election: its sessions (first, and a corrigendum)."""

    g: Gemeente
    method: str
    true: list[PV]
    unit_ids: list[str]
    names: list[str]
    unit_types: dict[str, str]
    shared: frozenset[str] = frozenset()  # stations at one location with another (kr:SharedLocation)
    version: str = "1.3"  # the corrigendum's schema version (TWINS)
    sessions: list[CountFile] = field(default_factory=list)
    totals: list[PV] = field(default_factory=list)  # per session, the total it publishes


def generate_2027(out_dir: str | Path, *, category: str = "PS", stations: int = 24, lists: int = 5,
                  candidates: int = 8, seed: int = 0, faults: Sequence[str] = (),
                  version: str | None = None, municipalities: int | None = None, later_sessions: int = 1) -> Manifest:
    """Write a PS2027 (two kieskringen) or AB2027 (a water board over municipal parts) into
    ``out_dir`` and return its manifest (also written as ``faults.json``). ``municipalities``:
    6 for PS and 3 for AB by default (at least 2); ``stations`` are spread evenly over them
    (at least 2 each). ``version`` is the corrigendum's schema version: ``1.3``
    (``kr:Initial*``) or ``1.3.1`` (``kr:Previous*``); by default 1.3 for PS and 1.3.1 for AB,
    so the two sets show both. ``later_sessions``: how many later sessions with corrections the
    corrected municipality held (1 or more; from 2 on, first-session and previous-session values
    differ)."""
    category = category.upper()
    if category not in KINDS:
        raise ValueError(f"category must be one of {', '.join(KINDS)}")
    unknown = set(faults) - set(FAULTS_2027)
    if unknown:
        raise ValueError(f"unknown fault(s) {', '.join(sorted(unknown))}; known: {', '.join(FAULTS_2027)}")
    n_gem = municipalities or (6 if category == "PS" else 3)
    if n_gem < 2 or stations < 2 * n_gem or lists < 2 or candidates < 2 or not 1 <= later_sessions < stations // n_gem:
        raise ValueError(f"need at least 2 municipalities, {2 * n_gem} stations, 2 lists, 2 candidates, and "
                         "fewer later sessions than stations in a municipality")
    version = version or ("1.3" if category == "PS" else "1.3.1")
    start = time.perf_counter()
    rng = random.Random(seed)
    e = _election(rng, category, n_gem, stations, lists, candidates)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    params = {"category": category, "stations": stations, "lists": lists, "candidates": candidates,
              "municipalities": n_gem, "seats": e.seats, "version": version, "later_sessions": later_sessions,
              "faults": list(faults)}
    manifest = Manifest(str(out), category, e.ref.id, seed, params, notes=[
        "no PV PDF and no .signature are written: the zips hold the EML and CSV files"])
    files = _Files(manifest)
    run = Run(e, rng, random.Random(f"faults:{seed}"), random.Random(f"lots:{seed}"), files, seed, True, False)
    gsbs = [_first_session(run, g, i) for i, g in enumerate(e.gemeenten)]
    _corrigendum(run, gsbs[0], version, "original_not_adding_up" in faults, "station_gone" in faults, later_sessions)
    if "missing_voter_cards" in faults:
        _drop_voter_cards(run, gsbs[1])
    used = {gsb.g.index: gsb.totals[0 if "outdated_510b_used" in faults and gsb is gsbs[0] else -1] for gsb in gsbs}
    if "outdated_510b_used" in faults:
        rec = FaultRecord("outdated_510b_used", FAULTS_2027["outdated_510b_used"], note=(
            f"the level above takes {gsbs[0].g.name}'s total from {_eml_name(e, gsbs[0].g)} of the first session, "
            "not from the corrigendum"))
        upper = f"HSB{gsbs[0].g.kieskring}" if category == "PS" else "CSB"
        _expect(e, rec, upper, f"{upper}::{gsbs[0].g.code}" if category == "PS" else gsbs[0].g.code)
        run.records.append(rec)
    top = _upper_levels(run, used)
    write_result(run, top, move_seat=False)
    _write_documents(run)
    _publish(run, gsbs, out)
    manifest.faults = run.records
    manifest.seconds = round(time.perf_counter() - start, 2)
    (out / "faults.json").write_text(json.dumps(manifest.to_dict(), indent=2, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    return manifest


def _election(rng: random.Random, category: str, n_gem: int, stations: int, lists: int, candidates: int) -> Election:
    names = place_names(rng, n_gem + 1)
    region = names.pop()
    codes = sorted(rng.sample(range(3, 2000), n_gem))
    sizes = [stations // n_gem + (1 if i < stations % n_gem else 0) for i in range(n_gem)]
    gemeenten = [Gemeente(i, f"{codes[i]:04d}", names[i], 0, sizes[i]) for i in range(n_gem)]
    kieskringen: list[Kieskring] = []
    if category == "PS":
        for k, gems in enumerate((gemeenten[: n_gem // 2], gemeenten[n_gem // 2:]), start=1):
            for g in gems:
                g.kieskring = k
            kieskringen.append(Kieskring(k, gems[0].name, gems))
    else:
        for g in gemeenten:
            g.kieskring = 1
    # PS lists stand in both kieskringen (candidates with a ShortCode, as in the province's 510d)
    ballot = make_ballot(rng, "TK" if category == "PS" else "AB", lists, candidates, names)
    for g in gemeenten:
        g.share_noise = [rng.lognormvariate(0, 0.35) for _ in range(lists)]
    seats = 39 if category == "PS" else 21
    eid = f"{category}2027_{ascii_name(region)}"
    what = f"Provinciale Staten {region}" if category == "PS" else f"Algemeen bestuur van het waterschap {region}"
    ref = ElectionRef(id=eid, name=f"{what} 2027", category=category, subcategory=f"{category}2",
                      domain_id=str(rng.randint(1, 29)), domain_name=region, date=ELECTION_DAY)
    threshold = int(statutory_preference(category, seats) * 100)
    return Election(category, ELECTION_DAY, gemeenten, kieskringen, ballot, seats, threshold, ref, ref)


def _when(days: int, index: int) -> dt.datetime:
    """A creation time with its offset, ``days`` after election day, a few minutes apart."""
    base = dt.datetime.combine(ELECTION_DAY, dt.time(13, 28, 35, 904000), TZ)
    return base + dt.timedelta(days=days, minutes=11 * index, milliseconds=37 * index)


def _eml_name(e: Election, g: Gemeente) -> str:
    return f"Telling_{e.ref.id}_gemeente_{published.slugify(g.name)}.eml.xml"


def _first_session(run: Run, g: Gemeente, index: int) -> _Gsb:
    """``g``'s stations drawn and its first-session 510b; the ``index``-th municipality is counted
    centrally when even, decentrally when odd."""
    e = run.election
    true = draw_stations(run.rng, e.ballot, g, e.category, None)
    for pv in true:  # Abacus keeps no explanation counts (#3766)
        for key in EXPLANATION_KEYS:
            pv.counts.pop(key, None)
    ids = [f"{g.code}::SB{i + 1}" for i in range(len(true))]
    types = {ids[-1]: "Mobile"} if index == 1 else {}
    gsb = _Gsb(g, "centrale stemopneming" if index % 2 == 0 else "decentrale stemopneming", true, ids,
               [station_name(run.rng) for _ in true], types, frozenset(ids[:2]) if index == 2 else frozenset())
    if gsb.shared:
        gsb.names[1] = gsb.names[0]  # two stations in one building
    total = sum_pvs(true, e.ballot.n)
    gsb.totals.append(total)
    gsb.sessions.append(_count(e, gsb, total, [pv.tally(e.ballot.keys_pos, tid=i, name=n)
                                               for pv, i, n in zip(true, ids, gsb.names)], "eerste zitting", 1))
    return gsb


def _count(e: Election, gsb: _Gsb, total: PV, units: list[Tally], phase: str, days: int) -> CountFile:
    return CountFile.model_construct(
        source=_eml_name(e, gsb.g), kind="510b", level=Level.MUNICIPALITY, election=e.ref, authority_id=gsb.g.code,
        authority_name=gsb.g.name, created=_when(days, gsb.g.index), contest_id="geen", contest_name=None,
        list_names={pl.number: pl.name for pl in e.ballot.lists}, candidate_names={},
        total=total.tally(e.ballot.keys_pos), units=units, phase=phase, schema_version=None)


def _corrigendum(run: Run, gsb: _Gsb, version: str, bad_original: bool, drop_station: bool, later: int) -> None:
    """The ``later`` sessions with corrections. In each, at another station 1-3 votes move from a
    candidate of one list to a candidate of another (H, E and the admitted voters stay), found on
    recount; each new 510b lists every station, the numbers that changed with their earlier
    values: those of the first session (``kr:Initial*``, 1.3) or of the previous one
    (``kr:Previous*``, 1.3.1). The faults go into the last session."""
    e, b = run.election, run.election.ballot
    name = _eml_name(e, gsb.g)
    stations = list(gsb.true)
    fixed_at = run.frng.sample(range(len(stations)), later)
    for n, k in enumerate(fixed_at, start=1):
        previous = stations
        base = gsb.true if TWINS[version] == "Initial" else previous
        base_total = gsb.totals[0 if TWINS[version] == "Initial" else -1]
        fixed = _recount(run, previous[k])
        stations = [fixed if i == k else pv for i, pv in enumerate(previous)]
        last = n == later
        gone = next(i for i in range(len(stations)) if i != k) if last and drop_station else None
        total = sum_pvs(stations, b.n)  # station_gone: the file leaves a station out, its total still counts it
        units = []
        for i, pv in enumerate(stations):
            if i != gone:
                units.append(pv.tally(b.keys_pos, tid=gsb.unit_ids[i], name=gsb.names[i]))
                units[-1].initial = _earlier(base[i], pv, b.keys_pos)
        count = _count(e, gsb, total, units, "corrigendum", 3 + 3 * n)
        count.total.initial = _earlier(base_total, total, b.keys_pos)  # type: ignore[union-attr]
        station = next(u for u in units if u.id == gsb.unit_ids[k])
        moved = ", ".join(f"{key} {previous_value} -> {_value(fixed, key, b.keys_pos)}"
                          for key, previous_value in sorted(_earlier(previous[k], fixed, b.keys_pos).items()))
        run.manifest.notes.append(f"corrigendum {n} (not a fault): {gsb.g.name} ({gsb.g.code}) corrected {station.id} "
                                  f"({moved}); earlier numbers as kr:{TWINS[version]}* (EML_NL {version})")
        if last and bad_original:
            key = next(f for f in sorted(station.initial) if f.startswith("list "))
            wrong = station.initial[key] + 5
            f = FaultRecord("original_not_adding_up", FAULTS_2027["original_not_adding_up"])
            f.changes.append(Change(name, station.id, f"earlier {key}", station.initial[key], wrong))
            station.initial[key] = wrong
            _expect(e, f, gsb.g.code)
            run.records.append(f)
        if gone is not None:
            f = FaultRecord("station_gone", FAULTS_2027["station_gone"])
            f.changes.append(Change(name, gsb.unit_ids[gone], "unit", "present in the earlier session", "absent"))
            _expect(e, f, gsb.g.code)
            run.records.append(f)
        gsb.totals.append(total)
        gsb.sessions.append(count)
    gsb.version = version


def _recount(run: Run, pv: PV) -> PV:
    """``pv`` after a recount that moved 1-3 votes from a candidate of one list to one of another."""
    b = run.election.ballot
    a = next(i for i in range(b.n) if pv.vec[i] >= 3)  # a candidate with votes to give
    list_a = next(i for i, (o, size) in enumerate(zip(b.offsets, b.sizes)) if o <= a < o + size)
    list_c = run.frng.choice([i for i in range(len(b.lists)) if i != list_a])
    c = b.offsets[list_c] + run.frng.randrange(b.sizes[list_c])
    d = run.frng.randint(1, min(3, pv.vec[a]))
    fixed = pv.copy()
    fixed.vec[a] -= d
    fixed.vec[c] += d
    fixed.lists = b.list_totals(fixed.vec)
    return fixed


def _earlier(before: PV, after: PV, keys: Sequence) -> dict[str, int]:
    """The twins of a corrigendum: every number of ``before`` that ``after`` changed, by field key."""
    out = {k: v for k, v in before.counts.items() if after.counts.get(k) != v}
    out |= {f"list {n}": v for n, v in before.lists.items() if after.lists.get(n) != v}
    out |= {f"candidate {key[0]}.{key[1]}": v for key, v, w in zip(keys, before.vec, after.vec) if v != w}
    return out


def _value(pv: PV, key: str, keys: Sequence) -> int:
    if key.startswith("list "):
        return pv.lists[int(key[5:])]
    if key.startswith("candidate "):
        lst, _, pos = key[10:].partition(".")
        return pv.vec[list(keys).index((int(lst), pos, None))]
    return pv.counts[key]


def _expect(e: Election, rec: FaultRecord, authority: str, unit: str | None = None) -> None:
    """The findings ``rec`` must give (``EXPECTED_2027``), by code and where (fields and files vary)."""
    rec.expected += [expected_finding(code, e.ref.id, None, authority, unit, "") for code in EXPECTED_2027[rec.name]]


def _drop_voter_cards(run: Run, gsb: _Gsb) -> None:
    """missing_voter_cards: a station's C counted among its poll cards (A), C left out; the
    municipal total added up from its stations as published."""
    e = run.election
    count = gsb.sessions[-1]
    k = max(range(len(count.units)), key=lambda i: count.units[i].counts.get("voter_cards", 0))
    t = count.units[k]
    cards = t.counts.pop("voter_cards")
    t.counts["poll_cards"] += cards
    count.total.counts["poll_cards"] += cards  # type: ignore[union-attr]
    count.total.counts["voter_cards"] -= cards  # type: ignore[union-attr]
    total = gsb.totals[-1]
    total.counts["poll_cards"] += cards
    total.counts["voter_cards"] -= cards
    f = FaultRecord("missing_voter_cards", FAULTS_2027["missing_voter_cards"])
    f.changes.append(Change(count.source, t.id, "voter_cards", cards, None))
    _expect(e, f, gsb.g.code, t.id)
    run.records.append(f)


def _upper_levels(run: Run, used: dict[int, PV]) -> PV:
    """The OSV2020-U files above the municipalities, from the totals ``used``; returns the top."""
    e = run.election
    if e.category == "PS":
        districts = [(kk, write_district(run, kk, [(g, used[g.index]) for g in kk.gemeenten])) for kk in e.kieskringen]
        return write_central(run, districts)
    b = e.ballot
    units = [used[g.index].tally(b.keys_pos, tid=g.code, name=g.name, drop=HIDDEN_AT_HSB) for g in e.gemeenten]
    total = sum_pvs(used.values(), b.n)
    count = CountFile.model_construct(
        source="", kind="510d", level=Level.CENTRAL, election=e.ref, authority_id="CSB", authority_name=e.central_name,
        created=e.time(5), contest_id="geen", contest_name=None, list_names={pl.number: pl.name for pl in b.lists},
        candidate_names={}, total=total.tally(b.keys_pos, drop=HIDDEN_AT_HSB), units=units, phase=None,
        schema_version=None)
    run.writer.count(e.file_name("510d"), count)
    return total


def _write_documents(run: Run) -> None:
    """The 110a (with the kieskring of each municipality) and the 230b per kieskring."""
    e = run.election
    top = "PROVINCIE" if e.category == "PS" else "WATERSCHAP"
    regions = [Region(number=e.ref.domain_id or "1", category=top, name=e.central_name)]
    circles = e.kieskringen or [Kieskring(1, e.central_name, e.gemeenten)]
    regions += [Region(number=str(kk.number), category="KIESKRING", name=kk.name, superior_number=regions[0].number,
                       superior_category=top) for kk in circles]
    regions += [Region(number=str(int(g.code)), category="GEMEENTE", name=g.name, superior_number=str(kk.number),
                       superior_category="KIESKRING") for kk in circles for g in kk.gemeenten]
    d = Definition(source="", election=e.ref, seats=e.seats, preference_threshold=e.threshold,
                   contest_id=e.definition_contest, regions=tuple(regions),
                   parties=tuple(pl.name for pl in e.ballot.lists))
    run.writer.bytes(e.file_name("110a"), eml_write.write_definition(
        d, issue_date=e.issue, created=e.lists_created, nomination_date=e.nomination))
    if e.category == "PS":
        for kk in e.kieskringen:
            write_candidate_lists(run, e.file_name("230b", kk.name), str(kk.number), kk.name, f"Hoofdstembureau {kk.name}")
    else:
        write_candidate_lists(run, e.file_name("230b"), "geen", None, f"Centraal stembureau {e.central_name}")


def _publish(run: Run, gsbs: list[_Gsb], out: Path) -> None:
    """Every file into its published zip (or loose, for the 110a and 230b), in ``out``."""
    e, data = run.election, run.writer.data  # type: ignore[attr-defined]
    eid = e.ref.id
    written: dict[str, bytes] = {}
    for gsb in gsbs:
        g = gsb.g
        csv_name = (f"abacus_telling_{eid.lower()}_gemeente_{published.hyphen(g.name)}.csv" if g.index % 2
                    else f"osv4-3_telling_{eid.lower()}_gemeente_{published.hyphen(g.name)}.csv")
        for n, count in enumerate(gsb.sessions):
            version = gsb.version if count.phase == "corrigendum" else "1.3"
            eml = write_abacus_count(count, AbacusStyle(gsb.method, version, gsb.unit_types, gsb.shared))
            inner = published.counts_zip(_eml_name(e, g), eml)
            members = {csv_name: csv_of(count, e.ballot.names()), inner[0]: inner[1]}
            when = count.created + dt.timedelta(minutes=3)  # type: ignore[operator]
            name, blob = (published.definitive(eid, "gemeente", g.name, when, members) if n == 0
                          else published.correction(eid, g.name, when, members))
            written[name] = blob
        stations = [Station(number=uid.rsplit("SB", 1)[1], name=nm.partition(" (postcode: ")[0],
                            postcode=nm.partition(" (postcode: ")[2].rstrip(")") or None, eligible=pv.counts["eligible"])
                    for uid, nm, pv in zip(gsb.unit_ids, gsb.names, gsb.true)]
        types = {uid.rsplit("SB", 1)[1]: t for uid, t in gsb.unit_types.items()}
        created = _when(-20, g.index)
        eml = write_abacus_stations(e.ref, g.code, g.name, stations, created, types)
        name, blob = published.station_list(e.ref.name or eid, created, f"Stembureaus_{eid}_{published.slugify(g.name)}.eml.xml", eml)
        written[name] = blob
    if e.category == "PS":
        for kk in e.kieskringen:
            file_510c = e.file_name("510c", kk.name)
            inner = published.counts_zip(file_510c, data[file_510c])
            name, blob = published.definitive(eid, "kieskring", kk.name, _when(3, kk.number), {inner[0]: inner[1]})
            written[name] = blob
    inner = published.counts_zip(f"Totaaltelling_{eid}_{'provincie' if e.category == 'PS' else 'waterschap'}_"
                                 f"{published.slugify(e.central_name)}.eml.xml", data[e.file_name("510d")])
    name, blob = published.definitive(eid, "provincie" if e.category == "PS" else "waterschap", e.central_name,
                                      _when(8, 0), {inner[0]: inner[1]})
    written[name] = blob
    inner = published.counts_zip(e.file_name("520"), data[e.file_name("520")])
    name, blob = published.determination(eid, _when(8, 1), {inner[0]: inner[1]})
    written[name] = blob
    for doc in [n for n in data if n.startswith(("Verkiezingsdefinitie_", "Kandidatenlijsten_"))]:
        written[doc] = data[doc]
    for name, blob in written.items():
        (out / name).write_bytes(blob)
        run.manifest.files.append(name)
        run.manifest.bytes_written += len(blob)
