"""``verify --earlier``: an earlier election's counts as P.PARTY_SHARE's reference for the same
stations (issue 23): a station that deviated so then is no anomaly now; matching is said when
unsure, and an unsure match is not used."""

from __future__ import annotations

from pathlib import Path

import pytest

from osv_verify.app.verify import read_earlier, verify
from osv_verify.checks import plausibility
from osv_verify.checks.earlier import Earlier
from osv_verify.checks.thresholds import Thresholds
from osv_verify.core.model import CountFile, ElectionRef, Level, Tally

NAMES = {1: "Dorpsbelang", 2: "VVD", 3: "CDA"}


def _count(election: str, village: tuple[int, int, int], postcode: str = "9999 AA", number: int = 1,
           names: dict[int, str] = NAMES) -> CountFile:
    """Twelve alike stations and a village station (``number``) with its own votes per list."""
    def tally(i: int, lists: tuple[int, int, int], pc: str) -> Tally:
        votes = dict(zip((1, 2, 3), lists))
        return Tally(id=f"0999::SB{i}", name=f"Stembureau {i} (postcode: {pc})", counts={"valid": sum(lists)},
                     lists=votes, candidates={(k, "1", None): v for k, v in votes.items()})
    others = [tally(i, (10, 300 + i, 200), f"1{i:03d} AB") for i in range(2, 14)]
    return CountFile(source=f"{election}.xml", kind="510b", level=Level.MUNICIPALITY, election=ElectionRef(id=election),
                     authority_id="0999", list_names=names, units=[tally(number, village, postcode), *others])


def read_earlier_counts(counts: list[CountFile]) -> Earlier:
    earlier = Earlier()
    for count in counts:
        earlier.add(count)
    return earlier


def _share_findings(count: CountFile, earlier: Earlier | None = None) -> list:
    return [f for f in plausibility.check_plausibility(count, Thresholds(), earlier=earlier) if f.code == "P.PARTY_SHARE"]


def test_a_station_that_always_votes_so_is_no_anomaly():
    now = _count("GR2030_T", (420, 40, 40))
    assert [f.location.unit for f in _share_findings(now)] == ["0999::SB1"]  # 84 % against about 2 %
    earlier = read_earlier_counts([_count("GR2026_T", (400, 50, 50))])
    assert _share_findings(now, earlier) == []


def test_a_new_deviation_is_still_flagged_and_says_how_the_station_was_matched():
    now = _count("GR2030_T", (420, 40, 40))
    earlier = read_earlier_counts([_count("GR2026_T", (15, 300, 200))])  # then like the rest
    [f] = _share_findings(now, earlier)
    assert "matched for sure to station 1 of GR2026_T" in f.message_en and "+" in f.message_en


def test_an_unsure_match_is_not_used_and_said():
    """The same number with another postcode: 'onzeker', not used (the station stays flagged)."""
    now = _count("GR2030_T", (420, 40, 40))
    earlier = read_earlier_counts([_count("GR2026_T", (400, 50, 50), postcode="9998 ZZ")])
    [f] = _share_findings(now, earlier)
    assert "onzeker" in f.message_nl and "not used" in f.message_en


def test_a_renumbered_station_with_a_unique_postcode_is_used_and_said_unsure():
    now = _count("GR2030_T", (420, 40, 40))
    earlier = read_earlier_counts([_count("GR2026_T", (400, 50, 50), number=20)])
    assert _share_findings(now, earlier) == []
    match = earlier.match(now, now.units[0])
    assert match.station is not None and not match.sure and "another number" in match.note.en


def test_a_party_is_matched_by_its_exact_name_only():
    now = _count("GR2030_T", (420, 40, 40))
    earlier = read_earlier_counts([_count("GR2026_T", (400, 50, 50), names={1: "Dorpsbelang 2026", 2: "VVD", 3: "CDA"})])
    [f] = _share_findings(now, earlier)
    assert "party not found by name" in f.message_en


@pytest.mark.realdata
def test_real_pair_west_maas_en_waal_gr2022_then_tk2025(real_data: Path):
    """The one real pair here: West Maas en Waal's stations in GR2022 and TK2025. The stations
    were renumbered: none matches for sure, three by a postcode only they have (unsure, used),
    the rest not at all; VVD and CDA are the only parties with the same name."""
    earlier, problems = read_earlier([real_data / "GR2022" / "WestMaasenWaal"])
    assert problems == [] and len(earlier.municipalities["0668"].stations) == 21
    tk = real_data / "TK2025" / "Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml"
    from osv_verify.io.discover import discover, load
    [entry] = [e for e in discover([tk]).entries if e.kind == "510b"]
    count = load(entry)
    matches = {u.id: earlier.match(count, u) for u in count.units if u.id}
    assert not any(m.sure for m in matches.values())
    assert sorted(u for u, m in matches.items() if m.station) == ["0668::SB2", "0668::SB3", "0668::SB8"]
    assert {count.list_names[k] for k in count.list_names
            if earlier.deviation(count, matches["0668::SB2"].station, k) is not None} == {"VVD", "CDA"}
    result = verify([tk], plausibility=Thresholds(), earlier=[real_data / "GR2022" / "WestMaasenWaal"])
    assert result.input_errors == []


def test_cli_earlier_needs_plausibility(capsys, demo_510b):
    from osv_verify import cli
    code = cli.main(["verify", str(demo_510b), "--earlier", str(demo_510b)])
    err = capsys.readouterr().err
    assert code == 2 and "--earlier" in err and "--plausibility" in err
    code = cli.main(["verify", str(demo_510b), "--plausibility", "--earlier", str(demo_510b)])
    assert code == 0, capsys.readouterr().err
