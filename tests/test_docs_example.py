"""The journalist's questions in the README tell the truth about the real data: the database is
made by the command the README shows, each ```sql block is run on it and must give the rows in
the ```text block under it. The CDA answer is also recomputed from the XML with lxml."""

from __future__ import annotations

import re
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

import pytest
from lxml import etree

from osv_verify import cli

pytestmark = pytest.mark.realdata
duckdb = pytest.importorskip("duckdb")
PAGE = Path(__file__).resolve().parents[1] / "README.md"
N = {"e": "urn:oasis:names:tc:evs:schema:eml"}


def questions() -> list[tuple[str, list[str]]]:
    """(query, the rows shown under it) for each ```sql block of the README."""
    text = PAGE.read_text(encoding="utf-8")
    return [(sql, shown.splitlines()) for sql, shown in re.findall(r"```sql\n(.*?)```\s*```text\n(.*?)```", text, re.DOTALL)]


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    from conftest import REAL

    if not REAL.is_dir():
        pytest.skip("real published data not found")
    command = re.search(r"\$ osv-verify (export \S+ \S+ -f duckdb -o verkiezingen\.duckdb)", PAGE.read_text(encoding="utf-8"))
    assert command, "the README shows the command that makes the database"
    target = tmp_path_factory.mktemp("db") / "verkiezingen.duckdb"
    args = [a.replace("../shared/data", str(REAL)) for a in command.group(1).split()[:-1]] + [str(target)]
    assert cli.main(args) in (0, 2)  # 2: GR2022 holds three 520s that are garbage at the source
    return target


def test_the_readme_has_three_questions():
    assert len(questions()) == 3


@pytest.mark.parametrize("index", range(3))
def test_each_sql_answer_shown_is_what_the_database_says(database: Path, index: int):
    sql, shown = questions()[index]
    con = duckdb.connect(str(database), read_only=True)
    assert [" | ".join(map(str, row)) for row in con.execute(sql).fetchall()] == shown


def test_the_cda_answer_is_the_xml_recomputed(real_data: Path):
    folder = real_data / "GR2022" / "WestMaasenWaal"
    tree = etree.parse(str(folder / "Telling_GR2022_WestMaasenWaal.eml.xml"))
    lists = etree.parse(str(folder / "Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml"))
    cda = next(a.find("e:AffiliationIdentifier", N).get("Id") for a in lists.iterfind(".//e:Affiliation", N)
               if a.findtext("e:AffiliationIdentifier/e:RegisteredName", namespaces=N) == "CDA")
    votes: dict[str, dict[str, int]] = defaultdict(dict)
    for unit in tree.iterfind(".//e:ReportingUnitVotes", N):
        code = unit.find("e:ReportingUnitIdentifier", N).get("Id").split("::")[1]
        for sel in unit.iterfind("e:Selection", N):
            aff = sel.find("e:AffiliationIdentifier", N)
            if aff is not None:
                votes[code][aff.get("Id")] = int(sel.findtext("e:ValidVotes", namespaces=N))
    share = sorted(((-Fraction(100 * v[cda], sum(v.values())), code) for code, v in votes.items()))[:5]
    shown = questions()[0][1]
    assert [(line.split(" | ")[0], line.split(" | ")[2]) for line in shown] == [(code, f"{float(-s):.1f}") for s, code in share]
