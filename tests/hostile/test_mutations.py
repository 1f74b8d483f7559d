"""Property tests: real published files, mutated at random, through the real command line.

Mutations: delete an element (CSV: a line), duplicate one, truncate at a random byte, flip a digit
inside a number, rename a tag (CSV: a label), insert garbage bytes. Whatever comes out,
``main`` must return 0, 1 or 2 (never 3, never raise), print no traceback, keep stderr to
``osv-verify: ...`` lines (and empty unless the exit code is 2), and leave the input as it was.

The strong property uses Renswoude GR2026, where every station carries every count, so every
number sits in some equation: change exactly one digit of one ``ValidVotes``/``Cast``/
``TotalCounted``/``RejectedVotes``/``UncountedVotes`` and some error or warning must point at
that unit, or at the file total for the same field.

A third property is metamorphic: after structural mutations (delete, duplicate, move, stray
element, changed attribute, changed digit), every station or gemeente of a 510 must read exactly
as it reads in a file that holds only that unit. The reader caches the layout of earlier units;
this is the oracle that a cached layout is never applied to a unit it does not fit.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from lxml import etree

from osv_verify import cli
from osv_verify.core.errors import InputError
from osv_verify.io.eml import read_count
from osv_verify.core.findings import Severity
from osv_verify.app.verify import verify

pytestmark = pytest.mark.realdata

RENSWOUDE = "GR2026/Renswoude/Telling_GR2026_Renswoude.eml.xml"
FILES = {
    "renswoude-510b": RENSWOUDE,
    "westmaasenwaal-osv-csv": "GR2022/WestMaasenWaal/osv4-3_telling_gr2022_westmaasenwaal.csv",
    "tk2021-lelystad-510c": "TK2021/Telling_TK2021_kieskring_Lelystad.eml.xml",
}
E = "{urn:oasis:names:tc:evs:schema:eml}"
#: A parser for *our* copy of a trusted published file (it has no DTD); never used on mutants.
TRUSTED = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

#: What ran, for the summary line at the end of the module (``-v``).
STATS: Counter[tuple[str, str, int]] = Counter()


@pytest.fixture(autouse=True)
def _plain_output(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture(scope="module", autouse=True)
def _summary(request):
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None or not STATS or request.config.option.verbose <= 0:
        return
    by_code: Counter[int] = Counter()
    for (_, _, code), n in STATS.items():
        by_code[code] += n
    with capture.global_and_fixture_disabled():
        reporter.write_line(f"\nhostile mutations: {sum(STATS.values())} runs, exit codes {dict(sorted(by_code.items()))}")
        for (name, op, code), n in sorted(STATS.items()):
            reporter.write_line(f"  {name:<24} {op:<18} exit {code}: {n}")


@functools.lru_cache(maxsize=None)
def original(path: Path) -> bytes:
    return path.read_bytes()


# ---------------------------------------------------------------- mutations

Draw = Callable[[st.SearchStrategy], object]

GARBAGE = st.one_of(
    st.binary(min_size=1, max_size=24),
    st.sampled_from([
        b"<", b">", b"&", b"&amp;", b"&#0;", b"]]>", b"<!DOCTYPE EML [<!ENTITY x 'y'>]>", b"<![CDATA[", b"\x00",
        b"\xff\xfe", b"\xc3", b'"', b"'", b";", b"\r", b"\n", b"</EML>", b"<Selection>", b"</Selection>", b"-1",
        b"99999999999", b"\xef\xbb\xbf", b"<?xml version='1.0'?>",
    ]),
)
TAGS = [E + t for t in ("ValidVotes", "Cast", "TotalCounted", "RejectedVotes", "UncountedVotes", "Selection", "TotalVotes",
                        "ReportingUnitVotes", "ReportingUnitIdentifier", "AffiliationIdentifier", "Candidate",
                        "CandidateIdentifier", "Contest", "ContestIdentifier", "ElectionIdentifier", "EML", "Count")]
TAGS += ["{http://www.kiesraad.nl/extensions}CreationDateTime", "{urn:example:other}ValidVotes", "Plain"]
CSV_LABELS = ["Verkiezing", "Datum", "Gebied", "Nummer", "Lijstnummer", "Gebiednummer", "Postcode", "Totaal",
              "opgeroepenen", "toegelaten kiezers", "geldige stembiljetten", "blanco stembiljetten",
              "ongeldige stembiljetten", "geen verklaring", "onbekend", "", "-", "1", "(Jansen)"]


def _elements(data: bytes) -> tuple[etree._Element, list[etree._Element]]:
    root = etree.fromstring(data, TRUSTED)
    return root, [el for el in root.iter(etree.Element) if el is not root]


def xml_delete(data: bytes, draw: Draw) -> bytes:
    root, els = _elements(data)
    el = els[draw(st.integers(0, len(els) - 1))]
    note(f"delete <{etree.QName(el).localname}> at line {el.sourceline}")
    el.getparent().remove(el)
    return etree.tostring(root, encoding="UTF-8")


def xml_duplicate(data: bytes, draw: Draw) -> bytes:
    root, els = _elements(data)
    el = els[draw(st.integers(0, len(els) - 1))]
    note(f"duplicate <{etree.QName(el).localname}> at line {el.sourceline}")
    el.addnext(copy.deepcopy(el))
    return etree.tostring(root, encoding="UTF-8")


def xml_rename(data: bytes, draw: Draw) -> bytes:
    root, els = _elements(data + b"")
    el = draw(st.sampled_from([root, *els]) if len(els) < 50 else st.integers(-1, len(els) - 1).map(lambda i: root if i < 0 else els[i]))
    el.tag = draw(st.sampled_from(TAGS))
    note(f"rename element at line {el.sourceline} to {el.tag}")
    return etree.tostring(root, encoding="UTF-8")


def truncate(data: bytes, draw: Draw) -> bytes:
    k = draw(st.integers(0, len(data) - 1))
    note(f"truncate at byte {k} of {len(data)}")
    return data[:k]


def flip_digit(data: bytes, draw: Draw) -> bytes:
    """One digit of one number (XML: inside a text node; CSV: anywhere) becomes another digit."""
    numbers = list(re.finditer(rb">(\d+)<", data)) or list(re.finditer(rb"\d+", data))
    if data.lstrip(b"\xef\xbb\xbf")[:1] != b"<":
        numbers = list(re.finditer(rb"\d+", data))
    m = numbers[draw(st.integers(0, len(numbers) - 1))]
    start, end = m.span(m.lastindex or 0)
    pos = draw(st.integers(start, end - 1))
    new = draw(st.sampled_from([d for d in b"0123456789" if d != data[pos]]))
    note(f"flip digit at byte {pos}: {chr(data[pos])} -> {chr(new)} in {data[start:end]!r}")
    return data[:pos] + bytes([new]) + data[pos + 1 :]


def insert_garbage(data: bytes, draw: Draw) -> bytes:
    pos = draw(st.integers(0, len(data)))
    junk = draw(GARBAGE)
    note(f"insert {junk!r} at byte {pos}")
    return data[:pos] + junk + data[pos:]


def csv_delete(data: bytes, draw: Draw) -> bytes:
    lines = data.split(b"\n")
    i = draw(st.integers(0, len(lines) - 1))
    note(f"delete line {i + 1}: {lines[i][:60]!r}")
    return b"\n".join(lines[:i] + lines[i + 1 :])


def csv_duplicate(data: bytes, draw: Draw) -> bytes:
    lines = data.split(b"\n")
    i = draw(st.integers(0, len(lines) - 1))
    note(f"duplicate line {i + 1}: {lines[i][:60]!r}")
    return b"\n".join(lines[: i + 1] + lines[i:])


def csv_rename(data: bytes, draw: Draw) -> bytes:
    labels = list(re.finditer(rb'"([^";\d][^";]*)"', data))
    m = labels[draw(st.integers(0, len(labels) - 1))]
    new = draw(st.sampled_from(CSV_LABELS)).encode()
    note(f"rename label {m.group(1)!r} -> {new!r}")
    return data[: m.start(1)] + new + data[m.end(1) :]


XML_OPS = {"delete": xml_delete, "duplicate": xml_duplicate, "truncate": truncate, "flip-digit": flip_digit,
           "rename": xml_rename, "garbage": insert_garbage}
CSV_OPS = {"delete": csv_delete, "duplicate": csv_duplicate, "truncate": truncate, "flip-digit": flip_digit,
           "rename": csv_rename, "garbage": insert_garbage}


# ---------------------------------------------------------------- property 1: never a crash, never a traceback

@pytest.mark.parametrize("name", list(FILES))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_mutated_real_file_is_judged_not_crashed(name, real_data, capsys, data):
    source = real_data / FILES[name]
    pristine = original(source)
    ops = CSV_OPS if source.suffix == ".csv" else XML_OPS
    op = data.draw(st.sampled_from(sorted(ops)), label="mutation")
    mutant = ops[op](pristine, data.draw)
    with tempfile.TemporaryDirectory(prefix="osv-hostile-") as tmp:
        path = Path(tmp) / source.name
        path.write_bytes(mutant)
        digest = hashlib.sha256(mutant).hexdigest()
        capsys.readouterr()
        code = cli.main(["verify", str(path)])
        out, err = capsys.readouterr()
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, "the input was modified"
        assert sorted(p.name for p in Path(tmp).iterdir()) == [source.name], "a file appeared next to the input"
    STATS[(name, op, code)] += 1
    note(f"exit {code}; stderr: {err[:500]}")
    assert code in (0, 1, 2, 4), err  # 4: nothing left to check (e.g. Contests deleted)
    assert "Traceback" not in err and "internal error" not in err
    lines = err.splitlines()
    if code == 2:
        assert lines and all(line.startswith("osv-verify: ") for line in lines), err
        assert any(str(path) in line for line in lines), err  # the file is named
    else:
        assert err == "", err  # no progress lines off a terminal, no warnings leaking from libraries


# ---------------------------------------------------------------- property 2: one changed number is always noticed

#: ReasonCode -> field key (the stable keys of osv_verify.core.model.COUNT_FIELDS), written out here on purpose.
REASONS = {
    "blanco": "blank", "ongeldig": "invalid", "geldige stempassen": "poll_cards",
    "geldige volmachtbewijzen": "proxy_certificates", "geldige kiezerspassen": "voter_cards",
    "toegelaten kiezers": "admitted", "meer getelde stembiljetten": "more_ballots",
    "minder getelde stembiljetten": "fewer_ballots", "geen verklaring": "no_explanation",
    "andere verklaring": "other_explanation",
}
NUMBER = re.compile(rb'<(ValidVotes|Cast|TotalCounted|RejectedVotes|UncountedVotes)(?: ReasonCode="([^"]*)")?>(\d+)</')


@dataclass(frozen=True)
class Number:
    start: int  # byte span of the digits
    end: int
    unit: str | None  # ReportingUnitIdentifier Id, None in TotalVotes
    field: str  # "eligible", "blank", "list 3", "candidate 3.7"


@functools.lru_cache(maxsize=None)
def numbers_of(path: Path) -> tuple[Number, ...]:
    """Every count in a 510 with its unit and field, found by scanning the bytes (not by our reader)."""
    data = original(path)
    marks = sorted(
        [(m.start(), None) for m in re.finditer(rb"<TotalVotes>", data)]
        + [(m.start(), m.group(1).decode()) for m in re.finditer(rb'<ReportingUnitIdentifier Id="([^"]+)"', data)]
    )
    out = []
    for m in NUMBER.finditer(data):
        unit = next((u for pos, u in reversed(marks) if pos < m.start()), "?")
        tag = m.group(1).decode()
        if tag == "ValidVotes":
            before = data[: m.start()]
            selection = before[before.rfind(b"<Selection>") :]
            own = re.search(rb'<AffiliationIdentifier Id="(\d+)"', selection)
            if own:
                field = f"list {own.group(1).decode()}"
            else:
                lst = re.findall(rb'<AffiliationIdentifier Id="(\d+)"', before)[-1].decode()
                cand = re.search(rb'<CandidateIdentifier Id="(\d+)"', selection).group(1).decode()
                field = f"candidate {lst}.{cand}"
        elif tag == "Cast":
            field = "eligible"
        elif tag == "TotalCounted":
            field = "valid"
        else:
            field = REASONS[m.group(2).decode()]  # KeyError: a reason code this test does not know
        assert unit != "?"
        out.append(Number(m.start(3), m.end(3), unit, field))
    return tuple(out)


def test_renswoude_is_clean_and_every_number_is_found(real_data):
    """The premise of the strong property: no error or warning as published; the scan sees every count."""
    path = real_data / RENSWOUDE
    result = verify([path])
    assert result.input_errors == []
    assert [f for f in result.findings if f.severity in (Severity.ERROR, Severity.WARNING)] == []
    nums = numbers_of(path)
    units = {n.unit for n in nums}
    assert units == {None, "0339::SB1", "0339::SB2", "0339::SB3"}
    for unit in units:  # every station carries every count
        fields = {n.field for n in nums if n.unit == unit}
        assert {"eligible", "valid", "blank", "invalid", "admitted", "poll_cards", "proxy_certificates",
                "more_ballots", "fewer_ballots"} <= fields
    assert len(nums) == len(re.findall(rb"<ValidVotes>|<Cast>|<TotalCounted>|<RejectedVotes |<UncountedVotes ", original(path)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_one_changed_number_is_always_noticed(real_data, data):
    path = real_data / RENSWOUDE
    pristine = original(path)
    nums = numbers_of(path)
    n = nums[data.draw(st.integers(0, len(nums) - 1), label="number")]
    pos = data.draw(st.integers(n.start, n.end - 1), label="digit")
    new = data.draw(st.sampled_from([d for d in b"0123456789" if d != pristine[pos]]), label="new digit")
    mutant = pristine[:pos] + bytes([new]) + pristine[pos + 1 :]
    note(f"{n.unit or 'total'} {n.field}: {pristine[n.start:n.end].decode()} -> {mutant[n.start:n.end].decode()}")
    with tempfile.TemporaryDirectory(prefix="osv-hostile-") as tmp:
        target = Path(tmp) / path.name
        target.write_bytes(mutant)
        result = verify([target])
    STATS[("renswoude-one-number", "flip-digit", 1 if any(f.severity is Severity.ERROR for f in result.findings) else 0)] += 1
    assert result.input_errors == [], result.input_errors  # a digit for a digit: still a readable file
    loud = [f for f in result.findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    note("findings: " + "; ".join(f"{f.code} {f.location.unit} {f.field}" for f in loud))
    at_unit = [f for f in loud if n.unit is not None and f.location.unit == n.unit]
    at_total = [f for f in loud if f.location.unit is None and f.field == n.field]
    assert at_unit or at_total, f"changing {n.field} of {n.unit or 'the total'} went unnoticed"


# ---------------------------------------------------------------- property 3: a unit reads as it would alone

KR = "{http://www.kiesraad.nl/extensions}"
VOTE_GROUPS = (E + "TotalVotes", E + "ReportingUnitVotes")
STRAY_TAGS = [KR + "Opmerking", E + "Note", "{urn:example:other}Selection", KR + "ReportingUnitType"]


def _groups(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(*VOTE_GROUPS))


def xml_move(data: bytes, draw: Draw) -> bytes:
    """Move one Selection to another place among its siblings."""
    root = etree.fromstring(data, TRUSTED)
    selections = list(root.iter(E + "Selection"))
    if not selections:  # an earlier mutation removed them all
        return data
    el = selections[draw(st.integers(0, len(selections) - 1))]
    parent = el.getparent()
    parent.remove(el)
    at = draw(st.integers(0, len(parent)))
    parent.insert(at, el)
    note(f"move Selection (line {el.sourceline}) to child {at} of its vote group")
    return etree.tostring(root, encoding="UTF-8")


def xml_stray(data: bytes, draw: Draw) -> bytes:
    """Put an element the reader ignores (or should) somewhere in a vote group."""
    root = etree.fromstring(data, TRUSTED)
    groups = _groups(root)
    if not groups:
        return data
    group = groups[draw(st.integers(0, len(groups) - 1))]
    at = draw(st.integers(0, len(group)))
    group.insert(at, etree.Element(draw(st.sampled_from(STRAY_TAGS))))
    note(f"stray element at child {at} of the vote group at line {group.sourceline}")
    return etree.tostring(root, encoding="UTF-8")


def xml_attribute(data: bytes, draw: Draw) -> bytes:
    """Give one Id/ShortCode/ReasonCode in a vote group another value (often one used elsewhere)."""
    root = etree.fromstring(data, TRUSTED)
    els = [el for g in _groups(root) for el in g.iter() if el.attrib]
    if not els:
        return data
    el = els[draw(st.integers(0, len(els) - 1))]
    name = draw(st.sampled_from(sorted(el.attrib)))
    seen = sorted({e.get(name) for e in els[:2000] if e.get(name) is not None})
    value = draw(st.one_of(st.sampled_from(seen), st.text("0123456789ABCXYZ", min_size=0, max_size=4)))
    note(f"{etree.QName(el).localname} {name}={el.get(name)!r} -> {value!r}")
    el.set(name, value)
    return etree.tostring(root, encoding="UTF-8")


STRUCTURAL_OPS = {"delete": xml_delete, "duplicate": xml_duplicate, "move": xml_move, "stray": xml_stray,
                  "attribute": xml_attribute, "flip-digit": flip_digit}


def units_alone(data: bytes) -> list[bytes]:
    """One document per ReportingUnitVotes: the same file with every other vote group removed."""
    root = etree.fromstring(data, TRUSTED)
    groups = _groups(root)
    places = [(g, g.getparent()) for g in groups]
    for g, parent in places:
        parent.remove(g)
    out = []
    for g, parent in places:
        if g.tag != E + "ReportingUnitVotes":
            continue
        parent.append(g)
        out.append(etree.tostring(root, encoding="UTF-8"))
        parent.remove(g)
    return out


def _as_read(t) -> tuple:
    return t.id, t.counts, t.lists, t.candidates, t.investigations


@pytest.mark.parametrize("name", ["renswoude-510b", "tk2021-lelystad-510c"])
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_unit_reads_as_it_would_alone(name, real_data, data):
    mutant = original(real_data / FILES[name])
    ops = data.draw(st.lists(st.sampled_from(sorted(STRUCTURAL_OPS)), min_size=1, max_size=3), label="mutations")
    for op in ops:
        mutant = STRUCTURAL_OPS[op](mutant, data.draw)
    try:
        whole = read_count(io.BytesIO(mutant), "whole.eml.xml")
    except InputError as err:
        STATS[(name + "-alone", "+".join(ops), 2)] += 1
        note(f"not read: {err}")
        return
    STATS[(name + "-alone", "+".join(ops), 0)] += 1
    alone = units_alone(mutant)
    assert len(alone) == len(whole.units)
    for k, (unit, doc) in enumerate(zip(whole.units, alone)):
        (single,) = read_count(io.BytesIO(doc), "alone.eml.xml").units
        assert _as_read(unit) == _as_read(single), f"unit {k} ({unit.id}) reads differently inside the file"


def test_layout_cache_is_not_fooled_by_an_ignored_element(real_data):
    root = etree.fromstring(original(real_data / RENSWOUDE), TRUSTED)
    unit = list(root.iter(E + "ReportingUnitVotes"))[1]
    selections = [c for c in unit if c.tag == E + "Selection"]
    last_list = max(i for i, s in enumerate(selections) if s.find(E + "AffiliationIdentifier") is not None)
    moved = selections[last_list - 1]
    at = unit.index(moved)
    unit.remove(moved)
    unit.insert(at, etree.Element(KR + "Opmerking"))
    selections[last_list].addnext(moved)
    mutant = etree.tostring(root, encoding="UTF-8")
    with pytest.raises(InputError, match="candidate 5.8 appears twice in one unit"):
        read_count(io.BytesIO(units_alone(mutant)[1]), "alone.eml.xml")
    with pytest.raises(InputError, match="candidate 5.8 appears twice in one unit"):
        read_count(io.BytesIO(mutant), "whole.eml.xml")
