"""``protocol`` on a municipality published only as an OSV4-3 CSV (issue 24: the big cities in
the real data): the CSV holds the same numbers as the 510b, so it gives the same sheets."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from osv_verify.app.protocol import run
from osv_verify.checks.protocol_rules import MunicipalityProtocol


def sheets(protocol: MunicipalityProtocol) -> tuple:
    """Every station's protocol (a, b and c) and the lists; not the names, which each file
    writes its own way (the 510b adds "Stembureau" and the postcode)."""
    return [replace(s, name=None) for s in protocol.stations], protocol.list_names, protocol.authority_id, protocol.not_run


@pytest.mark.realdata
def test_a_csv_only_municipality_gets_the_protocol_its_510b_gives(real_data: Path):
    folder = real_data / "GR2022" / "WestMaasenWaal"
    from_eml = run([folder / "Telling_GR2022_WestMaasenWaal.eml.xml"]).municipalities
    from_csv = run([folder / "osv4-3_telling_gr2022_westmaasenwaal.csv"]).municipalities
    assert len(from_eml) == len(from_csv) == 1
    assert sheets(from_csv[0]) == sheets(from_eml[0])


@pytest.mark.realdata
def test_given_both_the_510b_is_used_once(real_data: Path):
    result = run([real_data / "GR2022" / "WestMaasenWaal"])
    assert [Path(m.source).name for m in result.municipalities] == ["Telling_GR2022_WestMaasenWaal.eml.xml"]


@pytest.mark.realdata
def test_the_big_cities_published_as_csv_only_get_their_protocol(real_data: Path):
    bulk = real_data / "GR2022" / "osv4-3_bulk"
    result = run([bulk / "osv4-3_telling_gr2022_almere.csv", bulk / "osv4-3_telling_gr2022_amsterdam.csv"])
    assert result.input_errors == []
    assert sorted(m.authority_id for m in result.municipalities) == ["0034", "0363"]
    assert all(len(m.stations) > 100 for m in result.municipalities)
