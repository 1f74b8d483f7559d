"""The EML readers on small files written here, by hand."""

from __future__ import annotations

import io

import pytest
from conftest import NS, STATIONS, make_510b, station_counts, vote_group
from hypothesis import given
from hypothesis import strategies as st

from osv_verify.core.errors import InputError
from osv_verify.io import eml, xmlsafe
from osv_verify.io.eml_documents import read_result
from osv_verify.core.model import Level


def read(data: bytes):
    return eml.read_count(io.BytesIO(data), "test.xml")


def test_510b_reads_every_number():
    count = read(make_510b(STATIONS))
    assert count.kind == "510b" and count.level is Level.MUNICIPALITY
    assert count.election.id == "GR2030_Testdorp" and str(count.election.date) == "2030-03-20"
    assert count.authority_id == "0999" and count.contest_id == "geen"
    assert [u.id for u in count.units] == ["0999::SB1", "0999::SB2", "0999::SB3"]
    sb2 = count.units[1]
    assert sb2.lists == {1: 56, 2: 63, 3: 12}
    assert sb2.candidates[(1, "2", None)] == 25
    assert sb2.counts == station_counts(STATIONS["SB2"])
    assert count.total.lists == {1: 186, 2: 143, 3: 19}
    assert count.list_names == {1: "Lijst 1", 2: "Lijst 2", 3: "Lijst 3"}


def test_absent_counts_stay_absent():
    body = vote_group({1: [3, 4]}, {"valid": 7, "blank": 0, "invalid": 0}, "0999::SB1")
    data = make_510b(STATIONS).replace(b"</Contest>", f"<ReportingUnitVotes>{body}</ReportingUnitVotes></Contest>".encode())
    unit = read(data.replace(b"0999::SB1\">Stembureau 0999::SB1", b"0999::SB9\">x", 1)).units[-1]
    assert "admitted" not in unit.counts and "eligible" not in unit.counts
    assert unit.counts == {"valid": 7, "blank": 0, "invalid": 0}


def test_slow_and_fast_paths_agree():
    """A unit whose layout differs (extra element between selections) takes the slow path."""
    data = make_510b(STATIONS)
    odd = data.replace(b"<Cast>", b"<kr:Unknown>1</kr:Unknown><Cast>", 1)
    assert read(odd).total == read(data).total


@pytest.mark.parametrize(
    "mutation, message",
    [
        (lambda d: d.replace(b"<ValidVotes>50</ValidVotes>", b"<ValidVotes>5O</ValidVotes>", 1), "not a whole non-negative number"),
        (lambda d: d.replace(b"<ValidVotes>50</ValidVotes>", b"<ValidVotes>-5</ValidVotes>", 1), "not a whole non-negative number"),
        (lambda d: d.replace(b"<ValidVotes>50</ValidVotes>", b"<ValidVotes>1000000000</ValidVotes>", 1), "larger than any real count"),
        (lambda d: d.replace(b"<ValidVotes>50</ValidVotes>", b"<ValidVotes></ValidVotes>", 1), "not a whole non-negative number"),
        (lambda d: d[:-40], "not well-formed XML"),
        (lambda d: d.replace(b'Id="510b"', b'Id="510x"'), "is not a 510 count"),
        (lambda d: d.replace(b"0999::SB2", b"0999::SB1"), None),  # duplicates are findings, not input errors
    ],
)
def test_bad_numbers_and_structure(mutation, message):
    data = mutation(make_510b(STATIONS))
    if message is None:
        assert [u.id for u in read(data).units].count("0999::SB1") == 2
        return
    with pytest.raises(InputError, match=message) as exc:
        read(data)
    assert exc.value.source == "test.xml"


def test_error_names_the_line():
    data = make_510b(STATIONS).replace(b"><Selection>", b">\n<Selection>")
    bad = data.replace(b"<ValidVotes>44</ValidVotes>", b"<ValidVotes>x</ValidVotes>", 1)
    with pytest.raises(InputError) as exc:
        read(bad)
    assert exc.value.where and exc.value.where.startswith("line ")


def test_doctype_is_refused():
    data = b'<!DOCTYPE EML [<!ENTITY x "y">]>' + make_510b(STATIONS)
    with pytest.raises(InputError, match="DOCTYPE"):
        read(data)


def test_investigations_and_unknown_elements():
    extra = (
        '<kr:ReportingUnitInvestigations><kr:Investigation ReasonCode="uitslag gecorrigeerd">true</kr:Investigation>'
        '</kr:ReportingUnitInvestigations><kr:Future>9</kr:Future>'
    )
    body = vote_group({1: [3]}, {"valid": 3, "blank": 0, "invalid": 0}, "0999::SB7", extra)
    data = make_510b(STATIONS).replace(b"</Contest>", f"<ReportingUnitVotes>{body}</ReportingUnitVotes></Contest>".encode())
    unit = read(data).units[-1]
    assert unit.investigations == {"uitslag gecorrigeerd": True}


def test_peek_classifies_by_content():
    kind, election, authority = eml.peek(io.BytesIO(make_510b(STATIONS)), "x")
    assert (kind, election.id, authority) == ("510b", "GR2030_Testdorp", "0999")
    with pytest.raises(InputError, match="not an EML_NL file"):
        eml.peek(io.BytesIO(b"<html><body>hi</body></html>"), "x")


def _result_xml(candidates: str) -> bytes:
    return (
        f'<EML {NS} Id="520" SchemaVersion="5"><TransactionId>1</TransactionId><Result><Election>'
        '<ElectionIdentifier Id="GR2030_Testdorp"><ElectionCategory>GR</ElectionCategory>'
        '<kr:ElectionDate>2030-03-20</kr:ElectionDate></ElectionIdentifier><Contest>'
        '<ContestIdentifier Id="geen"></ContestIdentifier><Selection><AffiliationIdentifier Id="2">'
        "<RegisteredName>B</RegisteredName></AffiliationIdentifier><Elected>yes</Elected></Selection>"
        f"{candidates}</Contest></Election></Result></EML>"
    ).encode()


def test_520_reads_elected_candidates_with_names():
    cand = (
        '<Selection><Candidate><CandidateIdentifier Id="4" ShortCode="JansenP"></CandidateIdentifier>'
        '<CandidateFullName><xnl:PersonName><xnl:NameLine NameType="Initials">P.</xnl:NameLine>'
        "<xnl:NamePrefix>de</xnl:NamePrefix><xnl:LastName>Jansen</xnl:LastName></xnl:PersonName></CandidateFullName>"
        "</Candidate><Ranking>1</Ranking><Elected>yes</Elected></Selection>"
    )
    tree = xmlsafe.parse(io.BytesIO(_result_xml(cand)), "r.xml")
    result = read_result(tree.getroot(), "r.xml")
    (e,) = result.elected
    assert (e.list_number, e.candidate.short_code, e.candidate.display_name, e.ranking) == (2, "JansenP", "de Jansen, P.", 1)
    assert result.seats_per_list() == {2: 1}


@given(st.dictionaries(st.sampled_from(["SB1", "SB2", "SB3", "SB10"]),
                       st.dictionaries(st.integers(1, 5), st.lists(st.integers(0, 5000), min_size=1, max_size=4),
                                       min_size=1, max_size=3), min_size=1, max_size=4))
def test_property_reader_returns_what_was_written(stations):
    count = read(make_510b(stations))
    for unit, (sb, lists) in zip(count.units, stations.items()):
        assert unit.id == f"0999::{sb}"
        assert unit.lists == {n: sum(c) for n, c in lists.items()}
        assert unit.candidates == {(n, str(i), None): v for n, c in lists.items() for i, v in enumerate(c, 1)}


def test_corrigendum_elements_of_eml_nl_1_3_are_read():
    """kr:Phase and the kr:Initial* values before a correction (EML_NL 1.3)."""
    data = make_510b(STATIONS)
    data = data.replace(b"<EventIdentifier></EventIdentifier>",
                        b'<EventIdentifier></EventIdentifier><kr:Phase PhaseCode="corrigendum"></kr:Phase>', 1)
    unit = b'<ReportingUnitIdentifier Id="0999::SB2">'
    i = data.index(unit)
    head, tail = data[:i], data[i:]
    tail = tail.replace(b"<ValidVotes>30</ValidVotes>", b"<kr:InitialValidVotes>31</kr:InitialValidVotes><ValidVotes>30</ValidVotes>", 1)
    tail = tail.replace(b"<Cast>", b"<kr:InitialCast>499</kr:InitialCast><Cast>", 1)
    tail = tail.replace(b'<RejectedVotes ReasonCode="blanco">',
                        b'<kr:InitialRejectedVotes ReasonCode="blanco">2</kr:InitialRejectedVotes><RejectedVotes ReasonCode="blanco">', 1)
    count = read(head + tail)
    assert count.phase == "corrigendum"
    sb2 = next(u for u in count.units if u.id == "0999::SB2")
    assert sb2.initial == {"candidate 1.1": 31, "eligible": 499, "blank": 2}
    assert sb2.candidates[(1, "1", None)] == 30 and sb2.counts["blank"] == 1
