"""The generated PS2027 / AB2027 sets (``devtools/synth/ps_ab``): the files are in the 2027 shape
(EML_NL 1.3 as Abacus writes it under OSV2020-U levels, in the published zips), add up, validate
against the EML_NL 1.3 schemas where those cover them, and carry each injected fault."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from osv_verify.app.verify import verify
from osv_verify.checks.aggregate import check_file
from osv_verify.devtools.synth import EXPECTED_2027, FAULTS_2027, generate_2027
from osv_verify.io.eml import read_count

XSD = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "eml_nl_xsd"
SCHEMAS = {"510": "510-count-kiesraad-strict.xsd", "110a": "110a-electionevent-kiesraad-strict.xsd",
           "110b": "110b-electionevent-kiesraad-strict.xsd", "230b": "230-candidatelist-kiesraad-strict.xsd",
           "520": "520-result-kiesraad-strict.xsd"}


def members(path: Path, data: bytes | None = None, inside: str = "") -> dict[str, bytes]:
    """Every file in ``path``, nested zips opened: ``outer.zip!inner.zip!name`` -> bytes."""
    data = path.read_bytes() if data is None else data
    name = inside or path.name
    if not name.endswith(".zip"):
        return {name: data}
    out: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for n in z.namelist():
            out |= members(path, z.read(n), f"{name}!{n}")
    return out


def files(out: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for p in sorted(out.iterdir()):
        if p.name != "faults.json":
            found |= members(p)
    return found


def as_13(data: bytes) -> bytes:
    """A 1.3.1 file (rust-eml-nl: kr:Previous*, kr:Phase before EventIdentifier) written the
    EML_NL 1.3 way; the same numbers (with two sessions, previous = first)."""
    data = re.sub(rb"(\s*<kr:Phase [^>]*/>)(\s*<EventIdentifier/>)", rb"\2\1", data)
    return data.replace(b"kr:Previous", b"kr:Initial").replace(b'Version="1.3.1"', b'Version="1.3"')


def counts(found: dict[str, bytes], kind: str = "510b") -> dict[str, object]:
    """The count files of ``kind``, read by the project's reader."""
    return {n: read_count(io.BytesIO(b), n) for n, b in found.items()
            if n.endswith(".eml.xml") and f'Id="{kind}"' in b[:400].decode()}


@pytest.fixture(scope="module")
def ps(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ps")
    generate_2027(out, category="PS", stations=24, seed=3)
    return out


@pytest.fixture(scope="module")
def ab(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ab")
    generate_2027(out, category="AB", stations=12, seed=4)
    return out


@pytest.fixture(scope="module")
def schemas():
    if not XSD.is_dir():
        pytest.skip("../shared/reference/eml_nl_xsd is absent")
    return {k: etree.XMLSchema(etree.parse(str(XSD / f))) for k, f in SCHEMAS.items()}


def _schema_key(data: bytes) -> str:
    kind = re.search(rb'Id="(\d{3}[a-d]?)"', data).group(1).decode()  # type: ignore[union-attr]
    return "510" if kind.startswith("510") else kind


def test_the_published_layout(ps, ab):
    for out, eid in ((ps, "ps2027_"), (ab, "ab2027_")):
        names = sorted(p.name for p in out.iterdir())
        assert sum(n.startswith(f"definitieve-documenten_{eid}") and "_gemeente_" in n for n in names) == (6 if out is ps else 3)
        assert sum(n.startswith(f"correctie_{eid}") for n in names) == 1
        assert sum(n.startswith(f"vaststelling-uitslag_{eid}") for n in names) == 1
        assert any(n.startswith("abacus-exporteren_stemgebieden-") and "-eml_110b_stembureaus-" in n for n in names)
        inner = files(out)
        gsb = [n for n in inner if re.search(r"definitieve-documenten_.*_gemeente_.*\.zip!Telling_.*\.zip!Telling_.*\.eml\.xml$", n)]
        assert len(gsb) == (6 if out is ps else 3)
        assert any(re.search(r"!Totaaltelling_.*\.zip!Totaaltelling_.*\.eml\.xml$", n) for n in inner)
        assert any(re.search(r"vaststelling-uitslag_.*\.zip!Resultaat_.*\.zip!Resultaat_.*\.eml\.xml$", n) for n in inner)
        csvs = [n for n in inner if n.endswith(".csv")]
        assert any("!abacus_telling_" in n for n in csvs) and any("!osv4-3_telling_" in n for n in csvs)
    assert sum("_kieskring_" in p.name for p in ps.iterdir()) == 2  # PS2: an OSV 510c per kieskring


def test_every_file_validates_against_eml_nl_1_3(ps, ab, schemas):
    """Every EML file validates, except the 1.3.1 corrigendum (kr:Previous*, kr:Phase first),
    which the 1.3 schema does not cover: there the schema objects to the Phase placement, and
    the file validates once written the 1.3 way."""
    checked = 0
    for name, data in {**files(ps), **files(ab)}.items():
        if not name.endswith(".eml.xml"):
            continue
        doc = etree.fromstring(data)
        schema = schemas[_schema_key(data)]
        if b'Version="1.3.1"' in data:
            assert not schema.validate(doc)
            assert "Phase" in str(schema.error_log.last_error)
            doc = etree.fromstring(as_13(data))
        assert schema.validate(doc), (name, schema.error_log.last_error)
        checked += 1
    assert checked > 30


def test_abacus_510b_markers(ps):
    found = files(ps)
    gsb = {n: b for n, b in found.items() if "!Telling_" in n and "_gemeente_" in n.rsplit("!", 1)[1]}
    methods = set()
    for data in gsb.values():
        text = data.decode()
        assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<EML ')
        assert "\n  <TransactionId>" in text and "xmlns:rg=" in text and "xmlns:xsi=" in text
        assert "ds:CanonicalizationMethod" not in text and "xmlns:ds" not in text
        assert re.search(r"<kr:CreationDateTime>2027-03-\d\dT[\d:.]+\+01:00</kr:CreationDateTime>", text)
        assert '<ContestIdentifier Id="geen"/>' in text and '<kr:Schema Version="1.3"/>' in text
        assert text.index('ReasonCode="blanco"') < text.index('ReasonCode="ongeldig"')
        assert "<kr:ReportingUnitType>FixedLocation</kr:ReportingUnitType>" in text
        methods |= set(re.findall(r'MethodCode="([^"]+)"', text))
        phase = re.search(r'PhaseCode="([^"]+)"', text).group(1)  # type: ignore[union-attr]
        cso = 'MethodCode="centrale stemopneming"' in text
        # Abacus: investigations only for a central count's first session
        assert ("kr:ReportingUnitInvestigations" in text) == (cso and phase == "eerste zitting")
    assert methods == {"centrale stemopneming", "decentrale stemopneming"}
    assert any("<kr:ReportingUnitType>Mobile</kr:ReportingUnitType>" in b.decode() for b in gsb.values())
    assert any(b.decode().count("<kr:SharedLocation>true</kr:SharedLocation>") == 2 for b in gsb.values())


@pytest.mark.parametrize("which", ["ps", "ab"])
def test_the_reader_reads_what_abacus_writes(which, request):
    """What the Abacus writer puts in, the project's reader gets out: producer, schema version,
    counting method, phase, corrigendum spelling; the 1.3.1 file read as it is and as 1.3 gives
    the same numbers."""
    found = files(request.getfixturevalue(which))
    read = counts(found)
    gsb = [c for n, c in read.items() if "_gemeente_" in n.rsplit("!", 1)[1]]
    assert {c.producer for c in gsb} == {"Abacus"}
    assert {c.counting_method for c in gsb} == {"centrale stemopneming", "decentrale stemopneming"}
    later = [c for c in gsb if c.phase == "corrigendum"]
    assert len(later) == 1 and {c.phase for c in gsb} == {"eerste zitting", "corrigendum"}
    spelling, version = ("Initial", "1.3") if which == "ps" else ("Previous", "1.3.1")
    assert (later[0].twin_spelling, later[0].schema_version) == (spelling, version)
    (name,) = [n for n, c in read.items() if c is later[0]]
    again = read_count(io.BytesIO(as_13(found[name])), name)
    assert [u.initial for u in again.units] == [u.initial for u in later[0].units]
    assert again.total.initial == later[0].total.initial


def test_voter_cards_in_every_unit_and_each_total_adds_up(ps, ab):
    for out in (ps, ab):
        for name, count in counts(files(out)).items():
            for t in [count.total, *count.units]:
                assert "voter_cards" in t.counts, (name, t.id)
            assert list(check_file(count)) == [], name


def test_ab_eligible_voters_per_part_and_kieskring_from_the_110a(ab):
    """AB: each municipal part's 510b under the water board's 510d, whose units are the parts
    with their own eligible voters; the 110a puts every municipality in kieskring 1."""
    found = files(ab)
    parts = {c.authority_id: c.total.counts["eligible"] for c in counts(found).values()}
    (central,) = counts(found, "510d").values()
    assert {u.id: u.counts["eligible"] for u in central.units} == parts
    definition = next(b for n, b in found.items() if n.startswith("Verkiezingsdefinitie_")).decode()
    for code in parts:
        assert f'RegionNumber="{int(code)}" RegionCategory="GEMEENTE" SuperiorRegionNumber="1"' in definition


def _sessions(found: dict[str, bytes]) -> tuple[object, object]:
    by_phase = {c.phase: c for n, c in counts(found).items() if c.authority_id == _corrected(found)}
    return by_phase["eerste zitting"], by_phase["corrigendum"]


def _corrected(found: dict[str, bytes]) -> str:
    name = next(n for n in found if n.startswith("correctie_") and n.endswith(".eml.xml"))
    return re.search(rb'AuthorityIdentifier Id="(\d{4})"', found[name]).group(1).decode()  # type: ignore[union-attr]


def _value(t, key: str) -> int:
    if key.startswith("list "):
        return t.lists[int(key[5:])]
    if key.startswith("candidate "):
        lst, _, pos = key[10:].partition(".")
        return t.candidates[(int(lst), pos, None)]
    return t.counts[key]


def _original_adds_up(t) -> bool:
    lists = {n: t.initial.get(f"list {n}", v) for n, v in t.lists.items()}
    sums: dict[int, int] = {}
    for (lst, pos, _), v in t.candidates.items():
        sums[lst] = sums.get(lst, 0) + t.initial.get(f"candidate {lst}.{pos}", v)
    return lists == sums and sum(lists.values()) == t.initial.get("valid", t.counts["valid"])


@pytest.mark.parametrize("which", ["ps", "ab"])
def test_the_corrigendum_holds_the_first_sessions_numbers(which, request):
    """Twins only where a number changed, each holding the first session's value; the original
    numbers add up as the corrected ones do; every station is still there."""
    found = files(request.getfixturevalue(which))
    first, later = _sessions(found)
    twin = "Initial" if which == "ps" else "Previous"
    assert any(f"<kr:{twin}ValidVotes>".encode() in b for n, b in found.items() if n.startswith("correctie_"))
    earlier = {u.id: u for u in first.units}
    assert [u.id for u in later.units] == list(earlier)
    changed = [u for u in later.units if u.initial]
    assert len(changed) == 1 and later.total.initial
    for t, before in [(later.total, first.total), *((u, earlier[u.id]) for u in later.units)]:
        for key, value in t.initial.items():
            assert value == _value(before, key) != _value(t, key)
        assert _original_adds_up(t)
        if not t.initial:
            assert (t.counts, t.lists, t.candidates) == (before.counts, before.lists, before.candidates)


@pytest.mark.parametrize("category", ["PS", "AB"])
def test_two_later_sessions(category, tmp_path):
    """With two later sessions the meanings differ: kr:Initial* (PS, 1.3) holds the first
    session's numbers, kr:Previous* (AB, 1.3.1) the previous session's; either verifies clean."""
    generate_2027(tmp_path, category=category, stations=24, seed=5, later_sessions=2)
    found = files(tmp_path)
    code = _corrected(found)
    versions = sorted((c for c in counts(found).values() if c.authority_id == code), key=lambda c: c.created)
    assert [c.phase for c in versions] == ["eerste zitting", "corrigendum", "corrigendum"]
    first, middle, last = versions
    base = {u.id: u for u in (first if category == "PS" else middle).units}
    assert sum(bool(u.initial) for u in last.units) == (2 if category == "PS" else 1)
    for u in last.units:
        for key, value in u.initial.items():
            assert value == _value(base[u.id], key) != _value(u, key)
    assert _judged(tmp_path) == []


def test_faults_are_in_the_files(tmp_path):
    generate_2027(tmp_path, category="PS", stations=24, seed=3, faults=list(FAULTS_2027))
    found = files(tmp_path)
    first, later = _sessions(found)
    # station_gone: a station of the first session is missing from the corrigendum
    assert len({u.id for u in first.units} - {u.id for u in later.units}) == 1
    # original_not_adding_up: the corrected station's earlier numbers no longer add up
    (station,) = [u for u in later.units if u.initial]
    assert not _original_adds_up(station)
    # missing_voter_cards: one station of another municipality has no C, and still A + B = D
    gone = [(c, u) for c in counts(found).values() for u in c.units if "voter_cards" not in u.counts]
    assert len(gone) == 1 and gone[0][0].authority_id != first.authority_id
    u = gone[0][1]
    assert u.counts["poll_cards"] + u.counts["proxy_certificates"] == u.counts["admitted"]
    # outdated_510b_used: the kieskring's 510c holds the first session's total, not the newest
    unit = next(u for c in counts(found, "510c").values() for u in c.units if u.code == first.authority_id)
    assert unit.lists == first.total.lists != later.total.lists
    names = {f["name"] for f in json.loads((tmp_path / "faults.json").read_text())["faults"]}
    assert names == set(FAULTS_2027)
    # together they give their findings and nothing else
    assert {f.code for f in _judged(tmp_path)} == {c for codes in EXPECTED_2027.values() for c in codes}


def _judged(out: Path) -> list:
    result = verify([str(out)])
    assert not result.input_errors
    assert len(result.elections) == 1
    return [f for f in result.findings if f.severity.value != "info"]


def test_clean_ps_verifies_clean(ps):
    """Both sessions of the corrected municipality read as versions of one count, the newest
    used above it: a clean province gives no error and no warning."""
    assert _judged(ps) == []


def test_clean_ab_verifies_clean(ab):
    """The water board's 510d lists the municipal parts (as OSV2020-U's AB 510d and Abacus's
    510d test file do): each part's newest 510b is compared with its unit there."""
    assert _judged(ab) == []


@pytest.mark.parametrize("category", ["PS", "AB"])
@pytest.mark.parametrize("fault", list(FAULTS_2027))
def test_each_fault_gives_its_findings_and_nothing_else(fault, category, tmp_path):
    manifest = generate_2027(tmp_path, category=category, stations=24, seed=3, faults=[fault])
    (rec,) = manifest.faults
    (municipality,) = {re.search(r"\d{4}", f"{e['authority']} {e['unit']}").group() for e in rec.expected}  # type: ignore[union-attr]
    found = _judged(tmp_path)
    assert {f.code for f in found} == set(EXPECTED_2027[fault])
    for f in found:
        assert municipality in f"{f.location.authority} {f.location.unit}", f


def test_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generate_2027(a, category="AB", stations=9, seed=7)
    generate_2027(b, category="AB", stations=9, seed=7)
    assert files(a) == files(b)


def test_refuses_what_cannot_be():
    with pytest.raises(ValueError, match="unknown fault"):
        generate_2027("/nonexistent", category="PS", faults=["nope"])
    with pytest.raises(ValueError, match="category"):
        generate_2027("/nonexistent", category="GR")


def test_command_line(tmp_path, capsys):
    from osv_verify.devtools.synth import main

    assert main([str(tmp_path / "ps"), "--category", "PS", "--version", "1.3.1", "--faults", "missing_voter_cards"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("PS2027_") and "missing_voter_cards" in out and "kr:Previous*" in out
    assert main([str(tmp_path / "ab"), "--category", "AB", "--faults", "2"]) == 2
    assert "name the faults" in capsys.readouterr().err
