"""The verdict's plain answer (issue 20): what a citizen reads without a legend. A sum that does
not add up is said apart from a difference between voters and ballots that is not explained;
two publications of one count that disagree are counted in one sentence; a clean but partly
verified election says what that means. Numbers in the sentences come from the findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from osv_verify.app.verdict import Part, Status, answer
from osv_verify.app.verify import verify
from osv_verify.checks.rule import PartKey
from osv_verify.core.findings import Finding, Location, Severity
from osv_verify.core.text import Text


def sentences(report, lang: str = "nl") -> list[str]:
    return [s.text.render(lang) for s in report.verdict.answer]


def _error(code: str, part: PartKey, unit: str) -> Finding:
    return Finding(code, Severity.ERROR, Location("GR2030_X", authority="0999", unit=unit), "m", "m", part=part.value)


def test_sources_say_how_many_errors_their_disagreement_makes():
    parts = [Part(PartKey.STATIONS, True, Text("3", "3")), Part(PartKey.SOURCES, True, Text("1", "1"), errors=2)]
    findings = [_error("AGG.SOURCES", PartKey.SOURCES, "0999::SB1"), _error("AGG.SOURCES", PartKey.SOURCES, "0999::SB2"),
                _error("F.306", PartKey.EXPLANATIONS, "0999::SB1")]
    (_, sources, rest) = answer(Status.VERIFIED, parts, findings, [("510b", "osv4-3")])
    assert rest.good is False and rest.text.en.startswith("1 more error")  # F.306 counts in a part not listed here
    assert sources.good is False and sources.text.nl.startswith(
        "2 van de 3 fouten komen doordat de EML en de OSV4-3-CSV van dezelfde telling niet overeenkomen")
    assert sources.text.en.startswith("2 of the 3 errors come from the EML and the OSV4-3 CSV of the same count disagreeing")
    (_, alone) = answer(Status.VERIFIED, parts, findings[:2], [("osv4-3", "osv4-3")])
    assert alone.text.nl.startswith("Alle 2 fouten komen doordat twee publicaties van dezelfde telling")


def test_unexplained_differences_are_not_called_sums_that_do_not_add_up():
    parts = [Part(PartKey.STATIONS, True, Text("4 tellingen", "4 counts")),
             Part(PartKey.EXPLANATIONS, True, Text("4 tellingen", "4 counts"), errors=3),
             Part(PartKey.TOTALS, True, Text("1 totaal", "1 total"))]
    findings = [_error("TALLY.EXPLANATIONS", PartKey.EXPLANATIONS, "0999::SB1"),
                _error("F.306", PartKey.EXPLANATIONS, "0999::SB1"), _error("F.308", PartKey.EXPLANATIONS, "0999::SB2")]
    sums, explained = answer(Status.VERIFIED, parts, findings)
    assert sums.good is True and sums.text.nl == "De optellingen kloppen: 4 tellingen; 1 totaal."
    assert explained.good is False and explained.text.nl.startswith(
        "Niet elk verschil tussen toegelaten kiezers en stembiljetten is verklaard: 3 fouten op 2 processen-verbaal.")


@pytest.mark.realdata
def test_west_maas_en_waal_sums_add_up_and_two_differences_are_unexplained(real_data: Path):
    (report,) = verify([real_data / "GR2022" / "WestMaasenWaal"]).elections
    said = sentences(report)
    unexplained = {f.location.unit for f in report.findings if f.code == "TALLY.EXPLANATIONS"}
    assert len(unexplained) == 2
    assert said[0].startswith("De optellingen kloppen: ")  # was "De optellingen kloppen niet: 2 fouten."
    assert said[1].startswith("Niet elk verschil tussen toegelaten kiezers en stembiljetten is verklaard: "
                              f"2 fouten op {len(unexplained)} processen-verbaal. Dat is geen rekenfout")


@pytest.mark.realdata
def test_de_bilt_says_which_errors_come_from_its_two_disagreeing_publications(real_data: Path):
    files = [real_data / "GR2022" / "eml" / "Telling_GR2022_DeBilt.eml.xml",
             real_data / "GR2022" / "osv4-3_bulk" / "osv4-3_telling_gr2022_debilt.csv"]
    (report,) = verify(files).elections
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    from_sources = sum(f.code == "AGG.SOURCES" for f in errors)
    assert 0 < from_sources < len(errors)
    assert (f"{from_sources} van de {len(errors)} fouten komen doordat de EML en de OSV4-3-CSV van dezelfde telling "
            "niet overeenkomen") in " ".join(sentences(report))
    assert f"{from_sources} of the {len(errors)} errors come from the EML and the OSV4-3 CSV" in " ".join(sentences(report, "en"))


@pytest.mark.realdata
def test_a_clean_municipality_without_its_110b_says_what_partly_means(real_data: Path):
    (report,) = verify([real_data / "GR2026" / "Vlieland"]).elections
    assert report.verdict.status is Status.PARTLY and not report.count(Severity.ERROR)
    assert sentences(report)[0].startswith("Deels gecontroleerd: alles wat gecontroleerd kon worden, klopt")
    (units,) = report.verdict.not_done()
    assert units.key is PartKey.UNITS and "110b" in units.needs.nl
    assert "een stembureau dat in de bestanden ontbreekt" in units.means.nl and "missing from the files" in units.means.en


@pytest.mark.realdata
def test_the_partial_all_clear_names_the_warnings_below_it(real_data: Path):
    """A citizen reading "alles klopt" must not miss a plausibility warning: the sentence says how
    many warnings follow (no error, something to look at), counted from the report's findings."""
    from osv_verify.checks.thresholds import Thresholds

    path = real_data / "GR2022" / "eml" / "Telling_GR2022_Doesburg.eml.xml"
    (report,) = verify([path], plausibility=Thresholds()).elections
    warned = report.count(Severity.WARNING)
    assert report.verdict.status is Status.PARTLY and not report.count(Severity.ERROR) and warned >= 1
    noun = "waarschuwing" if warned == 1 else "waarschuwingen"
    assert sentences(report)[0].startswith(f"Deels gecontroleerd: alles wat gecontroleerd kon worden, klopt ({warned} {noun} "
                                           "hieronder: geen fout, wel iets om na te kijken)")
    assert f"agrees ({warned} warning" in sentences(report, "en")[0]
    (plain,) = verify([path]).elections
    assert ("hieronder: geen fout" in sentences(plain)[0]) is (plain.count(Severity.WARNING) > 0)


@pytest.mark.realdata
def test_every_difference_explained_is_said_only_where_it_was_established(real_data: Path):
    """TK2021's kieskring files publish no admitted voters (F.305-F.312 cannot run there) and its
    totals carry TALLY.EXPLANATIONS warnings: no claim that every difference is explained."""
    (report,) = verify([real_data / "TK2021"]).elections
    (explained,) = [s for s in report.verdict.answer if "verschillen tussen toegelaten kiezers" in s.text.nl]
    warnings = sum(f.code == "TALLY.EXPLANATIONS" for f in report.findings)
    assert explained.good is None and not explained.text.nl.startswith("Elk verschil")
    assert f"{warnings} waarschuwingen, zie hieronder" in explained.text.nl and "F.305-F.312 niet uitgevoerd" in explained.text.nl
