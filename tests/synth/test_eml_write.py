"""EML writers: model -> bytes -> ``osv_verify.io.eml`` -> the same model, for every message type.

Also: the bytes are in canonical form (what OSV publishes), and the published files that our
model covers completely are rewritten byte for byte.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from osv_verify.io.eml_counts import ALLOWED, KNOWN_SCHEMAS
from osv_verify.io import eml
from osv_verify.devtools.eml_write import write_candidate_lists, write_definition, write_result
from osv_verify.devtools.eml_write_counts import WRITABLE_COUNTS, iter_count, write_count
from osv_verify.io.eml_common import NS
from osv_verify.io.eml_documents import WHOLE_READERS
from osv_verify.io.numbers import MAX_COUNT
from osv_verify.core.model import (
    Candidate,
    CandidateLists,
    CountFile,
    Definition,
    ElectedCandidate,
    ElectionRef,
    Level,
    PartyList,
    Region,
    ResultFile,
    Tally,
)

LEVELS = {"510a": Level.STATION, "510b": Level.MUNICIPALITY, "510c": Level.DISTRICT, "510d": Level.CENTRAL}

# ---------------------------------------------------------------- strategies

#: Text as the reader gives it back: no control characters, no surrounding white space, not empty.
text_st = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp")), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
opt_text = st.none() | text_st
count_st = st.integers(0, MAX_COUNT)
small_count = st.integers(0, 5000)
dates = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
datetimes = st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)) | st.datetimes(
    dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)
).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000))

elections = st.builds(
    ElectionRef, id=text_st, name=opt_text, category=opt_text, subcategory=opt_text, domain_id=opt_text,
    domain_name=opt_text, date=st.none() | dates,
)
candidates = st.builds(
    Candidate, number=st.none() | st.integers(0, 999), short_code=opt_text, initials=opt_text, first_name=opt_text,
    prefix=opt_text, last_name=opt_text, gender=opt_text, locality=opt_text,
)


@st.composite
def count_files(draw: st.DrawFn) -> CountFile:
    kind = draw(st.sampled_from(sorted(LEVELS)))
    list_numbers = draw(st.lists(st.integers(0, 40), unique=True, max_size=4))
    cand_keys = draw(st.lists(
        st.tuples(st.sampled_from(list_numbers), st.none() | st.integers(1, 60).map(str), opt_text)
        .filter(lambda k: k[1] is not None or k[2] is not None),
        unique=True, max_size=8,
    )) if list_numbers else []

    def tally(unit_id: str | None) -> Tally:
        keys = [k for k in cand_keys if draw(st.booleans())]
        return Tally(
            id=unit_id,
            name=draw(opt_text) if unit_id else None,
            counts=draw(st.dictionaries(st.sampled_from(sorted(WRITABLE_COUNTS)), count_st, max_size=8)),
            lists={n: draw(small_count) for n in list_numbers},
            candidates={k: draw(small_count) for k in keys},
            investigations=draw(st.dictionaries(text_st, st.booleans(), max_size=2)) if unit_id else {},
        )

    unit_ids = draw(st.lists(text_st, unique=True, max_size=4))
    total = tally(None) if draw(st.booleans()) else None
    units = [tally(u) for u in unit_ids]
    return CountFile(
        source="model", kind=kind, level=LEVELS[kind], election=draw(elections),
        authority_id=draw(opt_text), authority_name=draw(opt_text), created=draw(st.none() | datetimes),
        contest_id=draw(opt_text), contest_name=draw(opt_text),
        # list names travel inside the vote groups: a file without any cannot carry them
        list_names={n: draw(text_st) for n in list_numbers if draw(st.booleans())} if total or units else {},
        total=total,
        units=units,
        # values the schema allows (another is noted and not used: META.SCHEMA_VALUE)
        phase=draw(st.none() | st.sampled_from(ALLOWED["Phase"])), schema_version=draw(st.none() | st.sampled_from(KNOWN_SCHEMAS)),
    )


@st.composite
def candidate_lists(draw: st.DrawFn) -> CandidateLists:
    numbers = draw(st.lists(st.integers(0, 99), unique=True, max_size=4))
    return CandidateLists(
        source="model", election=draw(elections), authority_id=draw(opt_text), contest_id=draw(opt_text),
        contest_name=draw(opt_text),
        lists=tuple(
            PartyList(number=n, name=draw(st.just("") | text_st), type=draw(opt_text),
                      set_number=draw(st.none() | st.just("") | text_st),
                      # a 230b gives each candidate number once (the reader refuses two different people)
                      candidates=tuple(draw(st.lists(candidates, max_size=4, unique_by=lambda c: (
                          c.number if c.number is not None else object())))))
            for n in numbers
        ),
    )


@st.composite
def results(draw: st.DrawFn) -> ResultFile:
    elected: list[ElectedCandidate] = []
    for n in draw(st.lists(st.integers(0, 99), unique=True, max_size=4)):
        name = draw(st.just("") | text_st)
        for c in draw(st.lists(candidates, min_size=1, max_size=3)):
            elected.append(ElectedCandidate(list_number=n, list_name=name, candidate=c,
                                            ranking=draw(st.none() | st.integers(1, 2))))
    return ResultFile(source="model", election=draw(elections), authority_id=draw(opt_text),
                      contest_id=draw(opt_text), created=draw(st.none() | datetimes), elected=tuple(elected))


@st.composite
def definitions(draw: st.DrawFn) -> Definition:
    regions = draw(st.lists(st.builds(
        Region, number=text_st, category=text_st, name=st.just("") | text_st, superior_number=opt_text,
        superior_category=opt_text,
    ), max_size=4))
    return Definition(
        source="model", election=draw(elections), seats=draw(st.none() | count_st),
        preference_threshold=draw(st.none() | st.integers(0, 100)), contest_id=draw(opt_text),
        regions=tuple(regions), parties=tuple(draw(st.lists(text_st, max_size=3))),
    )


# ---------------------------------------------------------------- helpers


def read_back(data: bytes, kind: str) -> object:
    return eml.read_document(io.BytesIO(data), "written.eml.xml", kind)


def without_places(count: CountFile) -> CountFile:
    """``source`` and ``Tally.element`` are where the reader found things, ``producer`` how the
    file is written (the writer writes as OSV does): not part of the model."""
    def clean(t: Tally | None) -> Tally | None:
        return None if t is None else t.model_copy(update={"element": None})

    return count.model_copy(update={"source": "model", "producer": None, "total": clean(count.total),
                                    "units": [clean(u) for u in count.units]})


def is_canonical(data: bytes) -> bool:
    return etree.tostring(etree.fromstring(data), method="c14n") == data


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- round trips


@SETTINGS
@given(count_files())
def test_count_round_trip(count: CountFile) -> None:
    data = write_count(count)
    assert is_canonical(data)
    assert b"\n" not in data and not data.startswith(b"<?xml")
    assert without_places(read_back(data, count.kind)) == count
    assert b"".join(iter_count(count)) == data


@SETTINGS
@given(candidate_lists(), st.none() | text_st, st.none() | dates, st.none() | datetimes)
def test_candidate_lists_round_trip(lists: CandidateLists, authority: str | None, issue: dt.date | None,
                                    created: dt.datetime | None) -> None:
    data = write_candidate_lists(lists, authority_name=authority, issue_date=issue, created=created,
                                 nomination_date=issue)
    assert is_canonical(data)
    assert read_back(data, "230b").model_copy(update={"source": "model"}) == lists


@SETTINGS
@given(results(), st.none() | text_st)
def test_result_round_trip(result: ResultFile, authority: str | None) -> None:
    data = write_result(result, authority_name=authority)
    assert is_canonical(data)
    assert read_back(data, "520").model_copy(update={"source": "model"}) == result


@SETTINGS
@given(definitions(), st.none() | dates, st.none() | datetimes)
def test_definition_round_trip(definition: Definition, issue: dt.date | None, created: dt.datetime | None) -> None:
    data = write_definition(definition, issue_date=issue, created=created, nomination_date=issue)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n') and data.endswith(b"</EML>\n")
    assert read_back(data, "110a").model_copy(update={"source": "model"}) == definition


def test_escaping_and_canonical_details() -> None:
    t = Tally(id='0001::SB1', name='Zaal "A" & <B>', counts={"eligible": 10, "valid": 3, "blank": 0, "invalid": 1},
              lists={1: 3}, candidates={(1, "1", "Ab&C"): 3})
    count = CountFile(source="x", kind="510b", level=Level.MUNICIPALITY,
                      election=ElectionRef(id="GR2026_X", name="Gemeenteraad Ús & Zij 2026"),
                      list_names={1: "Stad & Land 100%"}, units=[t], contest_id="geen")
    data = write_count(count)
    assert b"<RegisteredName>Stad &amp; Land 100%</RegisteredName>" in data
    assert b'ShortCode="Ab&amp;C"' in data
    assert '<ElectionName>Gemeenteraad Ús &amp; Zij 2026</ElectionName>'.encode() in data
    assert b'<ReportingUnitIdentifier Id="0001::SB1">Zaal "A" &amp; &lt;B&gt;</ReportingUnitIdentifier>' in data
    assert b"<Cast>10</Cast><TotalCounted>3</TotalCounted>" in data
    assert b'<RejectedVotes ReasonCode="ongeldig">1</RejectedVotes><RejectedVotes ReasonCode="blanco">0</RejectedVotes>' in data
    assert b"/>" not in data and is_canonical(data)


@pytest.mark.parametrize("bad, problem", [
    ({"counts": {"ballots_found": 3}}, "cannot carry"),
    ({"counts": {"valid": -1}}, "not a count"),
    ({"counts": {"valid": MAX_COUNT + 1}}, "not a count"),
    ({"lists": {1: 2.5}}, "not a count"),
    ({"candidates": {(2, "1", None): 1}}, "list 2 has no total"),
    ({"name": "bell\x07"}, "XML cannot hold"),
])
def test_what_the_reader_would_refuse_is_not_written(bad: dict, problem: str) -> None:
    unit = Tally.model_construct(**{"id": "SB1", "name": None, "counts": {}, "lists": {1: 1}, "candidates": {},
                                    "investigations": {}, "element": None, **bad})
    count = CountFile.model_construct(source="x", kind="510a", level=Level.STATION, election=ElectionRef(id="E"),
                                      authority_id=None, authority_name=None, created=None, contest_id=None,
                                      contest_name=None, list_names={}, candidate_names={}, total=None, units=[unit],
                                      phase=None, schema_version=None)
    with pytest.raises(ValueError, match=problem):
        write_count(count)


def test_ballots_found_can_be_skipped() -> None:
    unit = Tally(id="SB1", counts={"valid": 1, "ballots_found": 1}, lists={1: 1})
    count = CountFile(source="x", kind="510a", level=Level.STATION, election=ElectionRef(id="E"), units=[unit])
    back = read_back(write_count(count, skip_unwritable=True), "510a")
    assert back.units[0].counts == {"valid": 1}


def test_result_lists_must_be_consecutive() -> None:
    c = Candidate(number=1, last_name="A")
    elected = tuple(ElectedCandidate(list_number=n, candidate=c) for n in (1, 2, 1))
    with pytest.raises(ValueError, match="not consecutive"):
        write_result(ResultFile(source="x", election=ElectionRef(id="E"), elected=elected))


# ---------------------------------------------------------------- the published files


def _header(root: etree._Element) -> dict[str, object]:
    auth = root.find("eml:ManagingAuthority/eml:AuthorityIdentifier", NS)
    issue = root.find("eml:IssueDate", NS)
    created = root.find("kr:CreationDateTime", NS)
    nomination = root.find(".//kr:NominationDate", NS)
    return {
        "authority_name": auth.text if auth is not None else None,
        "issue_date": dt.date.fromisoformat(issue.text) if issue is not None else None,
        "created": dt.datetime.fromisoformat(created.text) if created is not None else None,
        "nomination_date": dt.date.fromisoformat(nomination.text) if nomination is not None else None,
    }


COUNTS = ["GR2026/Vlieland/Telling_GR2026_Vlieland.eml.xml", "GR2022/WestMaasenWaal/Telling_GR2022_WestMaasenWaal.eml.xml",
          "TK2021/Telling_TK2021_kieskring_Groningen.eml.xml", "TK2021/Totaaltelling_TK2021.eml.xml"]


@pytest.mark.realdata
@pytest.mark.parametrize("name", COUNTS)
def test_published_510_rewritten_byte_for_byte(real_data: Path, name: str) -> None:
    path = real_data / name
    if not path.exists():
        pytest.skip(f"{name} not in the data set")
    raw = path.read_bytes()
    with open(path, "rb") as f:
        count = eml.read_count(f, name)
    assert write_count(count) == raw


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["GR2026/Vlieland/Kandidatenlijsten_GR2026_Vlieland.eml.xml",
                                  "GR2026/Vlieland/Resultaat_GR2026_Vlieland.eml.xml",
                                  "GR2022/WestMaasenWaal/Resultaat_GR2022_WestMaasenWaal.eml.xml",
                                  "TK2021/Kandidatenlijsten_TK2021_Groningen.eml.xml",
                                  "TK2021/Resultaat_TK2021.eml.xml",
                                  "GR2026/Vlieland/Verkiezingsdefinitie_GR2026_Vlieland.eml.xml",
                                  "TK2021/Verkiezingsdefinitie_TK2021.eml.xml"])
def test_published_files_rewritten(real_data: Path, name: str) -> None:
    """Byte for byte where the model holds everything the file says; otherwise (foreign
    addresses, empty FirstName, committees, FrysianExportAllowed) the same model."""
    path = real_data / name
    if not path.exists():
        pytest.skip(f"{name} not in the data set")
    raw = path.read_bytes()
    root = etree.fromstring(raw)
    kind = root.get("Id")
    doc = WHOLE_READERS[kind](root, name)
    h = _header(root)
    if kind == "230b":
        data = write_candidate_lists(doc, **h)
    elif kind == "520":
        data = write_result(doc, authority_name=h["authority_name"])
    else:
        data = write_definition(doc, issue_date=h["issue_date"], created=h["created"],
                                nomination_date=h["nomination_date"])
    assert WHOLE_READERS[kind](etree.fromstring(data), name) == doc
    if "Vlieland/Kandidatenlijsten" in name or "Resultaat_GR" in name:
        assert data == raw
