"""Agreement with HCP: for every real 510b (and HCP's own test files) our a.csv, b.csv and
c.csv equal the spreadsheets HCP wrote (``shared/data/hcp/expected/``), station by station and
column by column, with the municipality and with the CBS wijken as the reference.

Not compared: the header's ``EML datum/tijd`` and ``Beschrijving`` and the ``Samenvatting``
column (sentences in our own words). The stations where we differ on purpose are named in
``neighbourhood_exceptions.txt`` (docs/protocol.md gives the protocol's text that decides them).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from osv_verify.checks.protocol_rules import MunicipalityProtocol, neighbourhood_groups
from osv_verify.app.protocol import run
from osv_verify.app.compare import read_entry
from osv_verify.io.neighbourhoods import read_neighbourhoods, wijk_of_stations
from osv_verify.report.hcp import folder_name, sheet_text

EXCEPTIONS = Path(__file__).with_name("neighbourhood_exceptions.txt")
NOT_COMPARED_HEADER = {"EML datum/tijd", "Beschrijving"}


def _inputs(data: Path) -> dict[str, list[Path]]:
    """Each expected folder's name -> what HCP was given (Dordrecht: with its PV)."""
    files = [*sorted((data / "GR2022" / "eml").glob("Telling_*.eml.xml")),
             data / "GR2022" / "WestMaasenWaal" / "Telling_GR2022_WestMaasenWaal.eml.xml",
             data / "TK2025" / "Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml",
             *sorted((data / "hcp").rglob("*.eml.xml"))]
    out = {f.name.removesuffix(".eml.xml"): [f] for f in files}
    dordrecht = data / "hcp" / "FAKE_TEST_DATA_TK2023_DORDRECHT"
    out["Fake_test_data_Telling_TK2023_gemeente_Dordrecht"] = [dordrecht]
    return out


def _sheet(text: str) -> tuple[dict[str, str], list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = {r[0]: r[1] for r in rows[:9] if len(r) == 2 and r[0] not in NOT_COMPARED_HEADER}
    return header, rows[9], rows[10:]


@pytest.fixture(scope="module")
def protocols(real_data: Path) -> dict[str, dict[str, MunicipalityProtocol]]:
    """Both runs, each over every input at once: mode -> expected folder name -> protocol."""
    paths = sorted({p for group in _inputs(real_data).values() for p in group})
    cbs = real_data / "hcp" / "cbs" / "zip_to_neighbourhood_2024.csv"
    out = {}
    for mode, table in (("municipality", None), ("neighbourhood", cbs)):
        result = run(paths, neighbourhoods=table, part_b=False)
        assert [e.source for e in result.input_errors] == [str(real_data / "hcp" / "emls" / "invalid_eml_id.eml.xml")]
        out[mode] = {folder_name(m): m for m in result.municipalities}
    return out


def _compare(expected: Path, found: dict[str, MunicipalityProtocol]) -> tuple[int, int, set[tuple[str, str]], list[str]]:
    """(stations, cells compared, stations whose switched column differs, other differences)."""
    mode = expected.name
    stations = cells = 0
    switched: set[tuple[str, str]] = set()
    problems: list[str] = []
    for folder in sorted(p for p in expected.iterdir() if p.is_dir()):
        protocol = found[folder.name]
        for sheet in "abc":
            want_head, want_cols, want_rows = _sheet((folder / f"{sheet}.csv").read_text(encoding="utf-8"))
            got_head, got_cols, got_rows = _sheet(sheet_text(protocol, sheet))
            assert got_head == want_head, (folder.name, sheet)
            assert got_cols == want_cols, (folder.name, sheet)
            summary = want_cols.index("Samenvatting") if sheet != "c" else len(want_cols)
            want = {r[5]: r[:summary] for r in want_rows}
            got = {r[5]: r[:summary] for r in got_rows}
            for number in sorted(want.keys() | got.keys()):
                w = want.get(number) or got[number][:7] + [""] * (summary - 7)
                g = got.get(number) or want[number][:7] + [""] * (summary - 7)
                stations += 1
                for i, (a, b) in enumerate(zip(w, g)):
                    cells += 1
                    if a == b:
                        continue
                    if sheet == "b" and want_cols[i] == "Mogelijk verwisselde kandidaten" and a == "":
                        switched.add((folder.name, number))
                    else:
                        problems.append(f"{mode} {folder.name} {sheet} station {number} {want_cols[i]}: HCP {a!r}, ours {b!r}")
    return stations, cells, switched, problems


def test_municipality_reference_agrees_with_hcp(real_data: Path, protocols) -> None:
    stations, cells, switched, problems = _compare(real_data / "hcp" / "expected" / "municipality",
                                                   protocols["municipality"])
    assert problems == [] and switched == set()
    assert stations > 2700 and cells > 40000  # every folder was compared (78 files, 2,746 rows)


def test_neighbourhood_reference_agrees_with_hcp_but_for_the_named_exceptions(real_data: Path, protocols) -> None:
    stations, cells, switched, problems = _compare(real_data / "hcp" / "expected" / "neighbourhood",
                                                   protocols["neighbourhood"])
    assert problems == []
    named = {tuple(line.split(";")) for line in EXCEPTIONS.read_text(encoding="utf-8").split() if line}
    assert switched == named
    assert stations > 2500 and cells > 40000


def test_each_exception_is_a_small_wijk_checked_against_the_municipality(real_data: Path, protocols) -> None:
    """The deliberate difference: HCP (30 September 2025) drops the candidate check for a
    station whose wijk has fewer than 5 stations; the protocol compares it with the whole
    municipality instead. So each named station lies in such a wijk, and our cell there is
    exactly HCP's own cell in the municipality run."""
    table = read_neighbourhoods(real_data / "hcp" / "cbs" / "zip_to_neighbourhood_2024.csv")
    inputs = _inputs(real_data)
    named: dict[str, set[str]] = {}
    for line in EXCEPTIONS.read_text(encoding="utf-8").split():
        folder, number = line.split(";")
        named.setdefault(folder, set()).add(number)
    assert named
    for folder, numbers in named.items():
        protocol = protocols["neighbourhood"][folder]
        count = read_entry(inputs[folder][0]).count
        units = [u for u in count.units if u.id]
        groups = neighbourhood_groups(units, wijk_of_stations(count, table))
        size = {u.id: len(g) for g in groups.values() for u in g}
        _, cols, city_rows = _sheet((real_data / "hcp" / "expected" / "municipality" / folder / "b.csv").read_text())
        column = cols.index("Mogelijk verwisselde kandidaten")
        city = {r[5]: r[column] for r in city_rows}
        _, _, ours = _sheet(sheet_text(protocol, "b"))
        mine = {r[5]: r[column] for r in ours}
        for s in protocol.stations:
            if s.number in numbers:
                assert 0 < size[s.id] < 5, (folder, s.number)
                assert mine[s.number] == city[s.number] != "", (folder, s.number)


def test_invalid_eml_id_is_refused_and_the_rest_runs(real_data: Path) -> None:
    result = run([real_data / "hcp" / "emls"], part_b=False)
    assert [e.source for e in result.input_errors] == [str(real_data / "hcp" / "emls" / "invalid_eml_id.eml.xml")]
    assert [m.authority_id for m in result.municipalities] == ["0518"]  # empty_party_name.eml.xml


@pytest.mark.parametrize("name", ["Renswoude", "Vlieland"])
def test_abacus_files_give_a_protocol_and_say_what_could_not_run(real_data: Path, name: str) -> None:
    [protocol] = run([real_data / "GR2026" / name], part_b=True).municipalities
    assert [n.column for n in protocol.not_run] == ["no_explanation"]
    assert all(s.missing_explanations == 0 for s in protocol.stations)  # votes = admitted: nothing to explain
    assert protocol.part_b is not None and "gelijk aan de som" in protocol.part_b[0]
    assert len(_sheet(sheet_text(protocol, "c"))[2]) == len(protocol.stations)
