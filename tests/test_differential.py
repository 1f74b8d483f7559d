"""Differential test (issue 20, "Done when"): every real file set in ../shared/data that osv-verify
verifies, read a second time by a plain reading (``plain_reading``: lxml and csv, none of the
project's readers), and

* every finding of the rule families that are arithmetic on the published numbers (a PV's sums,
  its difference between admitted voters and ballots and their explanation, a total against its
  units, a level against the level above, two publications of one count) has its expected and
  found number derived again from the plain reading, and they agree;
* on every first publication of a count, the plain reading flags exactly the PVs the product
  flags for those PV rules (nothing missed, nothing invented);
* every cell of the control protocol's sheets a, b and c (``osv-verify protocol``) that is a
  number of the files is recomputed from the plain reading (the candidate-swap column is a
  model, not a number of the files, and is left to tests/test_plausibility.py).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

import pytest
from lxml import etree

import plain_reading as plain
from test_realdata_walk import COMBINATIONS
from osv_verify import cli
from osv_verify.app.verify import verify
from osv_verify.core.findings import Finding

pytestmark = pytest.mark.realdata

#: Every set of real files, as a user passes them (tests/test_realdata_walk.py), and the
#: protocol's test material and the PDF folder's EML files.
SETS: dict[str, list[str]] = {
    **COMBINATIONS,
    "abacus-pv": ["abacus-pv"],
    "hcp e2e": ["hcp/e2e"],
    "hcp emls": ["hcp/emls"],
    "hcp Dordrecht": ["hcp/FAKE_TEST_DATA_TK2023_DORDRECHT"],
}
#: Sets with stations, for the protocol's sheets (as benchmarks/golden.py runs them).
STATION_SETS = ["GR2022 eml", "GR2022 West Maas en Waal", "TK2025", "GR2026 Vlieland", "GR2026 Renswoude",
                "PS2019", "AB2019", "abacus-pv", "hcp e2e", "hcp Dordrecht"]
PROTOCOL_PATHS = {**SETS, "GR2022 eml": ["GR2022/eml"]}
#: The PV rules whose every flag the plain reading reproduces both ways.
PV_RULES = {"F.201", "F.202", "F.402", "F.305", "F.306", "F.307", "F.308", "F.309", "F.312", "TALLY.EXPLANATIONS"}
DERIVED = PV_RULES | {"TALLY.BALLOTS_FOUND", "AGG.TOTAL", "AGG.SOURCES", "AGG.LEVEL"}


class Files:
    """The plain reading of every count file of a set, read once."""

    def __init__(self) -> None:
        self.cache: dict[Path, plain.Plain] = {}

    def __call__(self, path: str | Path) -> plain.Plain:
        path = Path(path).resolve()
        if path not in self.cache:
            self.cache[path] = plain.read(path)
        return self.cache[path]


def numbers_at(reading: plain.Plain, contest: str | None, unit: str | None) -> tuple[str | None, plain.Numbers]:
    """The numbers of one unit (None: the file's total), by contest where the file has it."""
    code = unit.rsplit("::", 1)[-1] if unit else None
    if (contest, code) in reading:
        return contest, reading[(contest, code)]
    (match,) = [(c, n) for (c, u), n in reading.items() if u == code]
    return match


def pv_flags(n: plain.Numbers, station: bool) -> dict[str, tuple[int, int]]:
    """The PV rules on one PV, plainly: code -> (expected, found). A station's explanations
    must add up to |H - D|; a total's to I + J (the rules of checks/tally.py, from the protocol)."""
    out: dict[str, tuple[int, int]] = {}
    h, d = plain.ballots(n), n.get("admitted")
    if all(k in n for k in ("poll_cards", "proxy_certificates", "admitted")):
        a = n["poll_cards"] + n["proxy_certificates"] + n.get("voter_cards", 0)
        if a != d:
            out["F.201"] = (a, d)
    lists = {k: v for k, v in n.items() if k.startswith("list ")}
    if "valid" in n and lists and sum(lists.values()) != n["valid"]:
        out["F.202"] = (sum(lists.values()), n["valid"])
    for key, total in lists.items():
        cands = [v for k, v in n.items() if k.startswith(f"candidate {key[5:]}.")]
        if cands and sum(cands) != total:
            out[f"F.402 {key}"] = (sum(cands), total)
    if h is not None and d is not None and "more_ballots" in n and "fewer_ballots" in n:
        more, fewer = n["more_ballots"], n["fewer_ballots"]
        if not station:
            if h - d != more - fewer:
                out["F.312"] = (h - d, more - fewer)
        elif h == d:
            for key, value in (("more_ballots", more), ("fewer_ballots", fewer)):
                if value:
                    out[f"F.305 {key}"] = (0, value)
        elif h > d:
            if more != h - d:
                out["F.306"] = (h - d, more)
            if fewer:
                out["F.307"] = (0, fewer)
        else:
            if fewer != d - h:
                out["F.308"] = (d - h, fewer)
            if more:
                out["F.309"] = (0, more)
    given = [k for k in plain.EXPLANATIONS if k in n]
    if given:
        explained = sum(n[k] for k in given)
        if station and h is not None and d is not None:
            if explained != abs(h - d):
                out["TALLY.EXPLANATIONS"] = (abs(h - d), explained)
        elif "more_ballots" in n and "fewer_ballots" in n and explained != n["more_ballots"] + n["fewer_ballots"]:
            out["TALLY.EXPLANATIONS"] = (n["more_ballots"] + n["fewer_ballots"], explained)
    return out


def flag_key(f: Finding) -> str:
    if f.code == "F.402":
        return f"F.402 {f.field}"
    if f.code == "F.305":
        return f"F.305 {f.field}"
    return f.code


def derive(f: Finding, files: Files) -> tuple[int | None, int | None]:
    """(expected, found) of a finding, derived again from the plain reading of its files."""
    reading = files(f.source)
    contest, n = numbers_at(reading, f.location.contest, f.location.unit)
    if f.code in PV_RULES:
        station = f.location.unit is not None and f.derivation != "I + J"
        return pv_flags(n, station).get(flag_key(f), (None, None))
    if f.code == "TALLY.BALLOTS_FOUND":
        return plain.ballots(n), n.get("ballots_found")
    if f.code == "AGG.TOTAL":
        units = {u: v for (c, u), v in reading.items() if c == contest and u is not None}
        left_out = re.search(r"other than (\S+)", f.derivation or "")
        if left_out:
            units.pop(left_out.group(1).rsplit("::", 1)[-1])
        return sum(v[f.field] for v in units.values() if f.field in v), n.get(f.field)
    if f.code == "AGG.SOURCES":
        first = re.search(r" in (.+), but ", f.message_en).group(1)
        return numbers_at(files(first), f.location.contest, f.location.unit)[1].get(f.field), n.get(f.field)
    if f.code == "AGG.LEVEL":
        lower = files(f.derivation.removeprefix("total of "))
        return numbers_at(lower, None, None)[1].get(f.field), n.get(f.field)
    raise AssertionError(f.code)


def count_files(paths: list[Path]) -> list[Path]:
    """The count files below ``paths``: OSV4-3 CSVs and EML 510s (by the id in their root)."""
    return [f for p in paths for f in (sorted(p.rglob("*")) if p.is_dir() else [p]) if plain.is_count(f)]


@pytest.fixture(scope="module")
def runs(real_data: Path):
    """Each set verified once (the product), and one plain reading shared by the tests."""
    return {name: verify([real_data / p for p in paths]) for name, paths in SETS.items()}, Files()


@pytest.mark.parametrize("name", list(SETS))
def test_every_arithmetic_finding_is_derived_again_from_a_plain_reading(runs, name):
    results, files = runs
    checked = 0
    for f in results[name].findings:
        if f.code in DERIVED and (isinstance(f.expected, int) or isinstance(f.actual, int)) and not _printed(f):
            assert derive(f, files) == (f.expected, f.actual), (f.code, f.location, f.field, f.source)
            checked += 1
    # abacus-pv has none since its corrigendum of West Maas en Waal is read as the newer version
    # of the same count (issue 21), not as a second publication that differs
    if name in ("GR2022", "TK2021", "hcp e2e"):
        assert checked > 0  # the sets with arithmetic findings do reach this test


@pytest.mark.parametrize("name", list(SETS))
def test_the_plain_reading_flags_exactly_the_pvs_the_product_flags(runs, name, real_data):
    """Both ways, on the first publication of each count (a second one that agrees to the last
    number is not checked again; one that differs is compared, and its findings derived above)."""
    results, files = runs
    sources = {Path(f.source).resolve() for f in results[name].findings if f.code == "AGG.SOURCES"}
    product = {(Path(f.source).resolve(), f.location.unit.rsplit("::", 1)[-1] if f.location.unit else None, flag_key(f))
               for f in results[name].findings if f.code in PV_RULES and not _printed(f)}
    mine = set()
    firsts = _first_publications(count_files([real_data / p for p in SETS[name]]), files)
    for path in firsts:
        for (contest, unit), n in files(path).items():
            station = unit is not None and unit.upper().startswith("SB")  # a kieskring's units are totals
            if unit is None and any(u is not None and u.upper().startswith("SB") for _, u in files(path)):
                flags = {k: v for k, v in pv_flags(n, False).items() if k != "TALLY.EXPLANATIONS"}  # the stations carry it
            else:
                flags = pv_flags(n, station)
            mine |= {(path, unit, key) for key in flags}
    assert {m for m in product if m[0] in firsts} == mine
    assert {m[0] for m in product} <= firsts | sources  # a second publication only where it differs


def _printed(f) -> bool:
    """A finding about a PDF PV's printed numbers: those are read again against each PDF's
    answer-key JSON in tests/io/test_pdf_pv.py, not here (this plain reading is of EML and CSV)."""
    return str(f.source).lower().endswith(".pdf")


def _first_publications(paths: list[Path], files: Files) -> set[Path]:
    """The EML of each count (the newest by its kr:CreationDateTime where a later session
    corrected it: verify checks that version), or its CSV where no EML of it is among the files
    (verify reads the EML first and compares the CSV with it)."""
    by_authority: dict[tuple[str, str], list[Path]] = defaultdict(list)
    for p in paths:
        try:
            authority = plain.read_csv(p)[0] if p.suffix.lower() == ".csv" else plain.eml_authority(p)
            files(p)
        except Exception:  # noqa: BLE001 - a file the product cannot read either (hcp/emls)
            continue
        by_authority[(authority or p.name, _election_of(p))].append(p.resolve())
    firsts = set()
    for group in by_authority.values():
        emls = [p for p in group if p.suffix.lower() != ".csv"]
        firsts.add(max(emls, key=_created) if emls else group[0])
    return firsts


def _created(path: Path) -> str:
    """An EML's kr:CreationDateTime (ISO text, so it sorts by time)."""
    return etree.parse(str(path)).findtext(".//{http://www.kiesraad.nl/extensions}CreationDateTime") or ""


def _election_of(path: Path) -> str:
    """The election a count belongs to, plainly: year and category from the name (only to keep
    PS2019 and AB2019 of one gemeente apart)."""
    name = path.name
    if path.suffix.lower() != ".csv":  # an EML says it itself (a corrigendum's file name may not)
        found = etree.parse(str(path)).find(".//{urn:oasis:names:tc:evs:schema:eml}ElectionIdentifier")
        name = found.get("Id", name) if found is not None else name
    m = re.search(r"(GR|TK|PS|AB|EP)\d{4}", name, re.IGNORECASE)
    return m.group(0).upper() if m else path.parent.name


# ---------------------------------------------------------------- the protocol's sheets


def sheet(path: Path) -> list[dict[str, str]]:
    rows = list(csv.reader(path.open(encoding="utf-8-sig", newline=""), delimiter=";"))
    start = next(i for i, r in enumerate(rows) if r and r[0] == "Verkiezingnummer")
    return [dict(zip(rows[start], r)) for r in rows[start + 1:] if r]


def pct_matches(shown: str, exact: Fraction) -> bool:
    """A percentage as a sheet prints it (``+12.9%``, ``3.1%``) is the exact value to 0.05."""
    value = Fraction(shown.strip().rstrip("%"))
    return abs(value - exact * 100) <= Fraction(1, 20)


@pytest.mark.parametrize("name", STATION_SETS)
def test_every_protocol_cell_is_recomputed_from_the_plain_reading(real_data, tmp_path, capsys, name):
    paths = [real_data / p for p in PROTOCOL_PATHS[name]]
    assert cli.main(["protocol", *map(str, paths), "-o", str(tmp_path)]) in (0, 1)
    capsys.readouterr()
    recounts = any(p.rglob("*.odt") if p.is_dir() else [] for p in paths)
    folders = sorted(d for d in tmp_path.iterdir() if d.is_dir())
    assert folders
    if len(folders) > 20:  # GR2022's 75 municipalities: every third keeps the suite quick (23 s -> 8 s)
        folders = folders[::3]
    emls = {f.name.removesuffix(".eml.xml"): f for f in count_files(paths) if f.name.endswith(".xml")}
    for folder in folders:
        reading = plain.read_eml(emls[folder.name])
        _sheet_a(folder, reading, recounts)
        _sheet_b(folder, reading)
        _sheet_c(folder, reading)


def _stations(reading: plain.Plain) -> dict[str, plain.Numbers]:
    return {u[2:]: n for (_, u), n in reading.items() if u is not None and u.upper().startswith("SB")}


def _total(reading: plain.Plain) -> plain.Numbers:
    return next(n for (_, u), n in reading.items() if u is None)


def _sheet_a(folder: Path, reading: plain.Plain, recounts: bool) -> None:
    stations = _stations(reading)
    expected = {}
    for number, n in stations.items():
        h, d = plain.ballots(n), n.get("admitted")
        none = n.get("no_explanation", 0)
        missing = ""
        if h is not None and d is not None and h != d and any(k in n for k in (plain.MORE if h > d else plain.FEWER)):
            short = abs(abs(h - d) - sum(n.get(k, 0) for k in (plain.MORE if h > d else plain.FEWER)))
            missing = str(short) if short else ""
        if none or missing:
            expected[number] = (str(none) if none else "", missing)
    rows = {r["Stembureaunummer"]: r for r in sheet(folder / "a.csv")}
    for number, r in rows.items():
        assert (r["Aantal geen verklaring voor verschil"], r["Aantal ontbrekende verklaringen voor verschil"]) == \
            expected[number], (folder.name, number)
    if not recounts:  # a recounted station is left off (its PV says so), the rest are all there
        assert set(rows) == set(expected), folder.name


def _sheet_b(folder: Path, reading: plain.Plain) -> None:
    stations, total = _stations(reading), _total(reading)
    rows = {r["Stembureaunummer"]: r for r in sheet(folder / "b.csv")}
    for number, n in stations.items():
        h, d = plain.ballots(n), n.get("admitted")
        r = rows.get(number)
        cells = {k.split(" ", 1)[1] if k.startswith("Stembureau ") else k: v for k, v in (r or {}).items()}
        flagged = []
        zero = h == 0
        flagged.append(zero)
        if r:
            assert (cells["met nul stemmen"] != "") == zero, (folder.name, number)
        for key, word in (("invalid", "ongeldig"), ("blank", "blanco")):
            fires = h is not None and n.get(key, 0) > 0 and 100 * n[key] >= 3 * h
            flagged.append(fires)
            if r:
                cell = next(v for k, v in cells.items() if k.endswith(word))
                assert (cell != "") == fires, (folder.name, number, word)
                if fires:
                    assert pct_matches(re.fullmatch(r"ja \((.*)\)", cell).group(1), Fraction(n[key], h))
        if h is not None and d is not None:
            diff = abs(h - d)
            fires = diff >= 15 or (diff > 0 and 100 * diff >= 2 * h)
            flagged.append(fires)
            if r:
                cell = next(v for k, v in cells.items() if "verschil" in k)
                assert (cell != "") == fires, (folder.name, number)
                if fires and diff >= 15:
                    assert cell == f"ja ({diff})"
                elif fires:
                    assert pct_matches(re.fullmatch(r"ja \((.*)\)", cell).group(1), Fraction(diff, h))
        off = _lists_off(n, total)
        flagged.append(bool(off))
        if r:
            cell = next(v for k, v in cells.items() if "afwijking" in k)
            shown = re.findall(r"\((-?[\d.]+%)\)", cell)
            assert len(shown) == len(off) and all(pct_matches(s, x) for s, x in zip(shown, off.values())), \
                (folder.name, number, cell)
        if any(flagged):
            assert r is not None, (folder.name, number)


def _lists_off(n: plain.Numbers, total: plain.Numbers) -> dict[int, Fraction]:
    """Lists 50 points or more off the rest of the municipality (the total minus this station)."""
    return {lst: dev for lst, dev in _deviations(n, total).items() if abs(dev) * 100 >= 50}


def _deviations(n: plain.Numbers, total: plain.Numbers) -> dict[int, Fraction]:
    here_n, rest_n = n.get("valid", 0), total.get("valid", 0) - n.get("valid", 0)
    out = {}
    for key, v in n.items():
        if key.startswith("list "):
            rest = total.get(key, 0) - v
            out[int(key[5:])] = (Fraction(v, here_n) if here_n else 0) - (Fraction(rest, rest_n) if rest_n else 0)
    return dict(sorted(out.items()))


def _sheet_c(folder: Path, reading: plain.Plain) -> None:
    stations, total = _stations(reading), _total(reading)
    rows = {r["Stembureaunummer"]: r for r in sheet(folder / "c.csv")}
    assert set(rows) == set(stations), folder.name
    for number, r in rows.items():
        deviations = _deviations(stations[number], total)
        cells = list(r.values())[7:]
        assert len(cells) == len(deviations), (folder.name, number)
        for cell, exact in zip(cells, deviations.values()):
            assert pct_matches(cell, exact), (folder.name, number, cell, exact)
