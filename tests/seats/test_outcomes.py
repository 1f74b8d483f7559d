"""Differential test: reproduce every official seat count in ``shared/data/outcomes``.

The files (compiled from Kiesraad results data) give, per region, each party's vote total and
seats: ``Regio;Code;Type;Partij;AantalStemmen;AantalZetels`` (only ``Type == Partij`` rows are
parties), or for GR2022 one file with all municipalities
``Gemeente;Code;AmsterdamseCode;Partij;AantalStemmen;AantalZetels;<extra>``. The number of seats
is the sum of the official seats; the category and election date come from the file name; a
region is identified by its ``Code`` (two municipalities are called Bergen).

What the files lack, and how it is supplied:

* List numbers: the lists are numbered in file order. Numbers only matter when a tie needs a
  lot; no region here needs one (asserted), and the only tie (Maastricht 2022) has enough seats
  for both lists.
* Candidates per list (P 10): not in the files, so lists are taken to have enough candidates,
  except where the GR2022 file's unnamed seventh column gives a number: it does so only for
  Enkhuizen's "Blanco (Segerius, C.H.)", a list with one candidate, the real case behind Abacus
  vector 14. A list that really ran out elsewhere would show up here as a mismatch.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from osv_verify.seats import ListInput, allocate, rules_for

DATA = Path(os.environ.get("OSV_VERIFY_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"))
NAME = re.compile(r"uitslag_(?P<cat>[A-Z]+)(?P<date>\d{8})_(?P<region>.+)\.csv$")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    parties: tuple[tuple[str, int, int, int | None], ...]
    """(party, votes, official seats, candidates if given)."""

    @property
    def seats(self) -> int:
        return sum(s for _, _, s, _ in self.parties)

    def lists(self) -> list[ListInput]:
        return [ListInput(i, votes, name, cands) for i, (name, votes, _, cands) in enumerate(self.parties, start=1)]


def read_outcomes(path: Path) -> tuple[str, datetime.date, list[Region]]:
    """One outcome file: category, election date and the regions in it."""
    m = NAME.match(path.name)
    assert m, f"unexpected file name {path.name}"
    date = datetime.datetime.strptime(m["date"], "%Y%m%d").date()
    regions: dict[str, tuple[str, list[tuple[str, int, int, int | None]]]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    gr_layout = rows[0][0] == "Gemeente"
    for row in rows[1:]:
        if not gr_layout and row[2] != "Partij":
            continue
        extra = row[6] if len(row) > 6 else ""
        party = (row[3], int(row[4]), int(row[5] or 0), int(extra) if extra else None)
        regions.setdefault(row[1], (row[0], []))[1].append(party)
    return m["cat"], date, [Region(code, name, tuple(ps)) for code, (name, ps) in regions.items()]


FILES = sorted((DATA / "outcomes").glob("*.csv")) if (DATA / "outcomes").is_dir() else []


@pytest.mark.realdata
@pytest.mark.parametrize("path", FILES, ids=[p.stem.removeprefix("uitslag_") for p in FILES])
def test_official_seats_are_reproduced(path: Path, real_data: Path) -> None:
    category, date, regions = read_outcomes(path)
    assert regions
    wrong = []
    for region in regions:
        allocation = allocate(region.lists(), rules_for(category, region.seats, election_date=date))
        assert allocation.complete, f"{region.name}: {allocation.lots_required}"
        got = [ls.seats for ls in allocation.lists]
        expected = [s for _, _, s, _ in region.parties]
        if got != expected:
            wrong.append(f"{region.code} {region.name}: expected {expected}, computed {got}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.realdata
def test_all_outcome_files_present(real_data: Path) -> None:
    """Guard against the parametrization above silently testing nothing."""
    assert len(FILES) >= 40
    _, _, gr2022 = read_outcomes(real_data / "outcomes" / "uitslag_GR20220316_Gemeente.csv")
    assert len(gr2022) == 333  # the municipalities that voted on 16 March 2022


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["uitslag_EP20190523_Nederland.csv", "uitslag_EP20240606_Nederland.csv"])
def test_european_parliament_needs_the_quota_for_residual_seats(name: str, real_data: Path) -> None:
    """Why ``residual_requires_quota`` is on for EP: without it the official result is not reproduced."""
    category, date, (region,) = read_outcomes(real_data / "outcomes" / name)
    rules = rules_for(category, region.seats, election_date=date)
    expected = [s for _, _, s, _ in region.parties]
    assert [ls.seats for ls in allocate(region.lists(), rules).lists] == expected
    relaxed = dataclasses.replace(rules, residual_requires_quota=False)
    assert [ls.seats for ls in allocate(region.lists(), relaxed).lists] != expected


@pytest.mark.realdata
def test_enkhuizen_2022_needs_the_candidate_count(real_data: Path) -> None:
    """P 10: with unlimited candidates the blank list would have 2 seats, officially 1."""
    _, date, regions = read_outcomes(real_data / "outcomes" / "uitslag_GR20220316_Gemeente.csv")
    (enkhuizen,) = [r for r in regions if r.code == "G0388"]
    unlimited = [ListInput(li.number, li.votes, li.name) for li in enkhuizen.lists()]
    computed = allocate(unlimited, rules_for("GR", enkhuizen.seats, election_date=date))
    blank = next(ls for ls in computed.lists if ls.name.startswith("Blanco"))
    assert blank.seats == 2
