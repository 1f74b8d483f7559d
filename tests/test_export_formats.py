"""The export as Parquet and DuckDB (issue 24): the same rows and columns as the CSV, the small
tables, the stations' turnout and wijk, and a one-line error when an extra is missing."""

from __future__ import annotations

import builtins
import csv
import io
import sys
import typing
from pathlib import Path

import pytest

from osv_verify import cli
from osv_verify.app.export import TABLES, Export, rows

pq = pytest.importorskip("pyarrow.parquet")
duckdb = pytest.importorskip("duckdb")


def typed(table: str, cells: list[str]) -> tuple:
    """A CSV row with the types of the table's columns (empty: None)."""
    out = []
    for (name, hint), cell in zip(typing.get_type_hints(TABLES[table]).items(), cells):
        base = next((a for a in typing.get_args(hint) if a is not type(None)), hint)
        out.append(None if cell == "" else (cell == "True") if base is bool else base(cell))
    return tuple(out)


def csv_table(path: Path, table: str) -> list[tuple]:
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";")
    assert tuple(next(reader)) == TABLES[table]._fields
    return [typed(table, r) for r in reader]


@pytest.fixture(scope="module")
def exported(real_data: Path, tmp_path_factory) -> tuple[Path, list[Path]]:
    """One export of a sample of real sets (an EML+CSV pair that disagrees, a CSV-only city, a
    TK 510b, a PS 510b with its CSV) in every format."""
    out = tmp_path_factory.mktemp("export")
    gr = real_data / "GR2022"
    inputs = [gr / "eml" / "Telling_GR2022_DeBilt.eml.xml", gr / "osv4-3_bulk" / "osv4-3_telling_gr2022_debilt.csv",
              gr / "osv4-3_bulk" / "osv4-3_telling_gr2022_almere.csv", real_data / "TK2025" / "Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml",
              real_data / "PS2019"]
    args = [str(p) for p in inputs]
    for table in ("numbers", "sources", "stations"):
        assert cli.main(["export", *args, "-t", table, "-o", str(out / f"{table}.csv")]) == 0
        assert cli.main(["export", *args, "-t", table, "-f", "parquet", "-o", str(out / f"{table}.parquet")]) == 0
    assert cli.main(["export", *args, "-f", "duckdb", "-o", str(out / "all.duckdb")]) == 0
    return out, inputs


@pytest.mark.realdata
@pytest.mark.parametrize("table", ["numbers", "sources", "stations"])
def test_parquet_and_duckdb_hold_exactly_the_csv_rows(exported, table: str):
    out, _ = exported
    from_csv = csv_table(out / f"{table}.csv", table)
    parquet = pq.read_table(out / f"{table}.parquet")
    assert parquet.column_names == list(TABLES[table]._fields)
    assert [tuple(r.values()) for r in parquet.to_pylist()] == from_csv
    con = duckdb.connect(str(out / "all.duckdb"), read_only=True)
    assert [d[0] for d in con.execute(f"SELECT * FROM {table}").description] == list(TABLES[table]._fields)
    order = ", ".join(str(i + 1) for i in range(len(TABLES[table]._fields)))
    assert con.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall() == sorted(from_csv, key=_sortable)
    assert len(from_csv) > (1000 if table == "numbers" else 1)


def _sortable(row: tuple) -> tuple:
    return tuple((v is None, v if v is not None else 0) for v in row)


@pytest.mark.realdata
def test_duckdb_holds_every_table_and_the_findings_of_verify(exported):
    out, inputs = exported
    from osv_verify.app.verify import verify

    con = duckdb.connect(str(out / "all.duckdb"), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert tables == {*TABLES, "findings"}
    found = verify(inputs).findings
    assert con.execute("SELECT count(*) FROM findings").fetchone()[0] == len(found)
    assert sorted(r[0] for r in con.execute("SELECT code FROM findings").fetchall()) == sorted(f.code for f in found)
    # De Bilt's two publications differ: both are exported and the sources table says by how much
    assert con.execute("SELECT count(*) FROM findings WHERE code = 'AGG.SOURCES'").fetchone()[0] == \
        con.execute("SELECT differences FROM sources WHERE file LIKE '%debilt.csv'").fetchone()[0]


@pytest.mark.realdata
def test_turnout_is_never_computed_from_an_eligible_of_0_or_1(exported):
    out, _ = exported
    stations = csv_table(out / "stations.csv", "stations")
    fields = TABLES["stations"]._fields
    at = {name: fields.index(name) for name in ("eligible", "admitted", "turnout")}
    with_turnout = [s for s in stations if s[at["turnout"]] is not None]
    assert with_turnout and any(s[at["eligible"]] in (0, 1) for s in stations)  # the convention is in the data
    for s in stations:
        eligible, admitted, turnout = (s[at[k]] for k in ("eligible", "admitted", "turnout"))
        if eligible is None or eligible <= 1 or admitted is None or admitted > eligible:
            assert turnout is None
        elif turnout is not None:  # else the count's stations' Cast are not their own registers (next test)
            assert turnout == round(100 * admitted / eligible, 2)


@pytest.mark.realdata
def test_stations_get_their_cbs_wijk_with_neighbourhoods(real_data: Path, tmp_path: Path):
    from osv_verify.report.export_writer import write

    wmw = real_data / "GR2022" / "WestMaasenWaal"
    table = real_data / "hcp" / "cbs" / "zip_to_neighbourhood_2024.csv"
    with open(tmp_path / "s.csv", "w", encoding="utf-8", newline="") as f:
        run = write([wmw], f, table="stations", neighbourhoods=table)
    cbs = {r[0]: r[1] for r in csv.reader(open(table, encoding="utf-8")) if r and r[0] != "zip_code"}
    assert run.stations and all(s.wijk == cbs.get(s.postcode) for s in run.stations)
    assert sum(s.wijk is not None for s in run.stations) >= len(run.stations) - 2
    assert all(s.wijk.startswith("WK0668") for s in run.stations if s.wijk)


@pytest.mark.parametrize(("fmt", "module", "extra"), [("parquet", "pyarrow", "parquet"), ("duckdb", "duckdb", "duckdb")])
def test_a_missing_extra_is_one_line_and_exit_2(fmt: str, module: str, extra: str, demo_510b: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch, capsys):
    real_import = builtins.__import__

    def without(name: str, *args, **kwargs):
        if name.split(".")[0] == module:
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without)
    monkeypatch.delitem(sys.modules, module, raising=False)
    target = tmp_path / f"out.{fmt}"
    assert cli.main(["export", str(demo_510b), "-f", fmt, "-o", str(target), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"export --format {fmt} needs the extra '{extra}': pip install 'osv-verify[{extra}]'" in err
    assert "Traceback" not in err and list(tmp_path.iterdir()) == [demo_510b]  # nothing written


def test_parquet_and_duckdb_need_an_output_file(demo_510b: Path, capsys):
    for fmt in ("parquet", "duckdb"):
        assert cli.main(["export", str(demo_510b), "-f", fmt]) == 2
        assert "-o" in capsys.readouterr().err


def test_every_format_has_the_same_numbers(demo_510b: Path, tmp_path: Path):
    expected = list(rows([demo_510b], Export()))
    assert cli.main(["export", str(demo_510b), "-o", str(tmp_path / "n.csv")]) == 0
    assert cli.main(["export", str(demo_510b), "-f", "parquet", "-o", str(tmp_path / "n.parquet")]) == 0
    assert cli.main(["export", str(demo_510b), "-f", "duckdb", "-o", str(tmp_path / "n.duckdb")]) == 0
    assert csv_table(tmp_path / "n.csv", "numbers") == [tuple(r) for r in expected]
    assert [tuple(r.values()) for r in pq.read_table(tmp_path / "n.parquet").to_pylist()] == [tuple(r) for r in expected]
    con = duckdb.connect(str(tmp_path / "n.duckdb"), read_only=True)
    assert sorted(con.execute("SELECT * FROM numbers").fetchall(), key=_sortable) == sorted(map(tuple, expected), key=_sortable)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([demo_510b.name, "n.csv", "n.duckdb", "n.parquet"])  # no temporary left


def _plain_row(path: Path, name: str) -> tuple[int, list[int]]:
    """The municipality's and the stations' numbers of one row of an OSV4-3 CSV, read plainly."""
    row = next(line.split(";") for line in path.read_text(encoding="utf-8-sig").splitlines() if line.startswith(f";{name};"))
    return int(row[4]), [int(v) for v in row[5:] if v.strip()]


def _plain_cast(path: Path) -> tuple[int, list[int]]:
    return _plain_row(path, "opgeroepenen")


@pytest.mark.realdata
def test_turnout_only_where_the_stations_cast_are_their_own_registers(real_data: Path, tmp_path: Path):
    """Fix round (issue 20): Culemborg puts the whole municipality's Cast on every station, and
    Bernheze's mobile stations' Cast do not add up with the rest (SB60: Cast 254, 923 admitted):
    no station turnout there. A municipality whose stations' Cast add up to its own keeps it."""
    bulk = real_data / "GR2022" / "osv4-3_bulk"
    culemborg, bernheze, aalsmeer = (bulk / f"osv4-3_telling_gr2022_{m}.csv" for m in ("culemborg", "bernheze", "aalsmeer"))
    whole, cast = _plain_cast(culemborg)
    assert set(cast) == {0, 23168} and whole == sum(cast)  # the whole municipality on each station, "summed"
    whole, cast = _plain_cast(bernheze)
    admitted = [sum(v) for v in zip(*(_plain_row(bernheze, r)[1] for r in ("geldige stempas", "geldig volmachtbewijs", "geldige kiezerspas")))]
    assert sum(cast) == whole and (cast[18], admitted[18]) == (254, 923)  # SB60 (the 19th station)
    whole, cast = _plain_cast(aalsmeer)
    assert sum(cast) == whole and min(cast) > 1
    out = tmp_path / "stations.csv"
    assert cli.main(["export", str(culemborg), str(bernheze), str(aalsmeer), "-t", "stations", "-o", str(out)]) == 0
    fields = TABLES["stations"]._fields
    at = {name: fields.index(name) for name in ("municipality", "turnout")}
    stations = csv_table(out, "stations")
    by = {}
    for s in stations:
        by.setdefault(s[at["municipality"]], []).append(s[at["turnout"]])
    assert len(by) == 3
    for name, turnouts in by.items():
        assert (all(t is not None for t in turnouts) if name == "Aalsmeer" else all(t is None for t in turnouts)), name
