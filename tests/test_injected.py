"""Injected faults: take a real, clean 510b (GR2026 Renswoude), change one number, and assert
that exactly the expected findings appear (code, place, expected, actual) and nothing else."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from osv_verify.checks.aggregate import field_name, values
from osv_verify.core.findings import Severity
from osv_verify.io import eml
from osv_verify.app.verify import verify

pytestmark = pytest.mark.realdata
N = {"e": "urn:oasis:names:tc:evs:schema:eml", "kr": "http://www.kiesraad.nl/extensions"}
FILE = "GR2026/Renswoude/Telling_GR2026_Renswoude.eml.xml"


def unit(root: etree._Element, uid: str | None) -> etree._Element:
    if uid is None:
        return root.find(".//e:TotalVotes", N)
    return root.xpath(f".//e:ReportingUnitVotes[e:ReportingUnitIdentifier/@Id='{uid}']", namespaces=N)[0]


def bump(uid: str | None, xpath: str, by: int) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        el = unit(root, uid).xpath(xpath, namespaces=N)[0]
        el.text = str(int(el.text) + by)
    return change


def candidate(n: int, list_no: int = 1) -> str:
    return (f"e:Selection[e:Candidate/e:CandidateIdentifier/@Id='{n}']"
            f"[preceding-sibling::e:Selection[e:AffiliationIdentifier][1]/e:AffiliationIdentifier/@Id='{list_no}']/e:ValidVotes")


LIST1 = "e:Selection[e:AffiliationIdentifier/@Id='1']/e:ValidVotes"


def drop_station(root: etree._Element) -> None:
    el = unit(root, "0339::SB2")
    el.getparent().remove(el)


def duplicate_station(root: etree._Element) -> None:
    el = unit(root, "0339::SB2")
    el.addnext(etree.fromstring(etree.tostring(el)))


def early(root: etree._Element) -> None:
    root.find("kr:CreationDateTime", N).text = "2026-03-17T21:00:00.000"


def signature(f) -> tuple:
    return (f.code, f.location.unit, f.field, f.shown("expected"), f.shown("actual"))


def findings_of(path: Path) -> set[tuple]:
    result = verify([path])
    assert not result.input_errors
    return {signature(f) for f in result.findings if f.severity is not Severity.INFO}


def original(real_data: Path, uid: str | None, xpath: str) -> int:
    return int(unit(etree.parse(str(real_data / FILE)).getroot(), uid).xpath(xpath, namespaces=N)[0].text)


CASES = {
    # a candidate's votes at a station one higher: the list total no longer is their sum (F.402),
    # and the municipality total of that candidate no longer is the sum of the stations.
    "candidate+1": (bump("0339::SB1", candidate(2), 1), lambda o: {
        ("F.402", "0339::SB1", "list 1", o["l1_sb1"] + 1, o["l1_sb1"]),
        ("AGG.TOTAL", None, "candidate 1.2", o["c2_sum"] + 1, o["c2_sum"]),
    }),
    "list total-1": (bump("0339::SB3", LIST1, -1), lambda o: {
        ("F.402", "0339::SB3", "list 1", o["l1_sb3"], o["l1_sb3"] - 1),
        ("F.202", "0339::SB3", "valid", o["valid_sb3"] - 1, o["valid_sb3"]),
        ("AGG.TOTAL", None, "list 1", o["l1_sum"] - 1, o["l1_sum"]),
    }),
    "total blank+1": (bump(None, "e:RejectedVotes[@ReasonCode='blanco']", 1), lambda o: {
        ("AGG.TOTAL", None, "blank", o["blank_sum"], o["blank_sum"] + 1),
        ("F.312", None, "more_ballots - fewer_ballots", o["diff_total"] + 1, o["diff_total"]),
    }),
    "station left out": (drop_station, None),
    "station twice": (duplicate_station, None),
    "created before election day": (early, lambda o: {
        ("META.CREATED_EARLY", None, "kr:CreationDateTime", "2026-03-18", "2026-03-17 21:00:00"),
    }),
}


@pytest.fixture(scope="module")
def baseline(real_data: Path) -> tuple[Path, set[tuple], dict[str, int]]:
    path = real_data / FILE
    root = etree.parse(str(path)).getroot()
    o: dict[str, int] = {}
    o["l1_sb1"] = original(real_data, "0339::SB1", LIST1)
    o["l1_sb3"] = original(real_data, "0339::SB3", LIST1)
    o["valid_sb3"] = original(real_data, "0339::SB3", "e:TotalCounted")
    o["l1_sum"] = original(real_data, None, LIST1)
    o["c2_sum"] = original(real_data, None, candidate(2))
    o["blank_sum"] = original(real_data, None, "e:RejectedVotes[@ReasonCode='blanco']")
    tv = unit(root, None)
    more = int(tv.xpath("e:UncountedVotes[@ReasonCode='meer getelde stembiljetten']/text()", namespaces=N)[0])
    fewer = int(tv.xpath("e:UncountedVotes[@ReasonCode='minder getelde stembiljetten']/text()", namespaces=N)[0])
    o["diff_total"] = more - fewer
    return path, findings_of(path), o


@pytest.mark.parametrize("name", list(CASES))
def test_one_changed_number_gives_exactly_its_findings(name, baseline, tmp_path):
    path, before, o = baseline
    assert not {f for f in before if f[0] not in ("W.201", "W.202", "W.203")}, "baseline is not clean"
    change, expected = CASES[name]
    tree = etree.parse(str(path))
    change(tree.getroot())
    mutated = tmp_path / path.name
    mutated.write_bytes(etree.tostring(tree))
    new = findings_of(mutated) - before
    if expected is not None:
        assert new == expected(o)
    elif name == "station left out":
        # the station's PV is gone from the file, but the total still holds its numbers: every
        # number it contributed is now off by exactly that much (no unit in the file explains it)
        count = eml.read_count(path.open("rb"), str(path))
        sb2 = next(u for u in count.units if u.id == "0339::SB2")
        total = values(count.total, "id")
        want = {("AGG.TOTAL", None, field_name(k), total[k] - v, total[k]) for k, v in values(sb2, "id").items() if v}
        assert new == want and len(want) == new_fields(path) > 10
    else:
        # the total counts it once while the units count it twice: the duplicate explains it all
        assert new == {("AGG.DUPLICATE_UNIT", "0339::SB2", "unit", None, 2)}


def new_fields(path: Path) -> int:
    """How many numbers of the total station 2 contributed to (non-zero)."""
    count = eml.read_count(path.open("rb"), str(path))
    sb2 = next(u for u in count.units if u.id == "0339::SB2")
    total = values(count.total, "id")
    return sum(1 for k, v in values(sb2, "id").items() if v and k in total)
