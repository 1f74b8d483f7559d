"""The shape of every JSON output, described once, here; the JSON Schemas in ``docs/schema/``
are generated from it (``make docs``) and a test validates real outputs against them.

Each output is one entry of ``OUTPUTS``: its kind, version and a ``TypedDict`` for the
document, marked ``@with_config(STRICT)``; pydantic (``TypeAdapter.json_schema``) makes the
schema. A field's description is ``Annotated[..., Field(description=...)]``, a TypedDict's its
docstring. The renderers build their documents as these types and put ``schema_id(kind)`` in the
``schema`` key. To add an output (``protocol``, say) or a field (the verdict in the verify
summary): add or extend its type here and run ``make docs``.

Versions: a number goes up when a shape changes incompatibly (a field removed, renamed or
retyped); adding a field keeps it.

Long because every JSON shape the tool writes is described here once, side by side (the
JSON Schemas in docs/schema are generated from this one place and real outputs validated
against them).
"""

from __future__ import annotations

import typing
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import ConfigDict, Field, TypeAdapter, with_config
from pydantic.json_schema import GenerateJsonSchema
from typing_extensions import NotRequired, TypedDict  # pydantic needs these on Python 3.11

from osv_verify.core.findings import Location, Severity
from osv_verify.app.inspection import ElectionInfo
from osv_verify.app.export import CandidateRow, ElectionRow, ListRow, RegionRow, Row, SourceRow, StationRow

#: Every document refuses unknown keys, and so does every object in it: pydantic passes a
#: TypedDict's or dataclass's configuration on to the ones inside it that have none.
STRICT = ConfigDict(extra="forbid")

# ---------------------------------------------------------------- shared parts


class Tool(TypedDict):
    name: Literal["osv-verify"]
    version: str


class FindingJSON(TypedDict):
    """One finding (``Finding.to_dict``)."""

    code: Annotated[str, Field(description="the check's code, see docs/checks.md")]
    severity: Severity
    location: Location
    message_nl: str
    message_en: str
    message: Annotated[str, Field(description="the message in the language of --lang")]
    election: str
    field: Annotated[str | None, Field(description='which number: a count key ("blank"), "list 3", "candidate 3.7", or another key')]
    expected: Annotated[int | None, Field(description="the number the check expected (None when not a number: see expected_text)")]
    actual: Annotated[int | None, Field(description="the number the file gives (None when not a number: see actual_text)")]
    expected_text: Annotated[str | None, Field(description="an expected value that is not a count: a percentage, a date, an id")]
    actual_text: str | None
    difference: Annotated[int | None, Field(description="actual - expected, when both are numbers")]
    derivation: Annotated[str | None, Field(description="how expected was derived")]
    source: Annotated[str | None, Field(description="the file where actual was read")]
    element: Annotated[str | None, Field(description="the place in that file")]


# ---------------------------------------------------------------- verify --format json


class VerdictPartJSON(TypedDict):
    """One kind of check of an election's verdict (``osv_verify.app.verdict.Part``)."""

    key: Annotated[str, Field(description="stations (the sums on each PV), explanations (each PV's difference between admitted voters and ballots explained), totals, levels, sources, units, definition, seats, elected, plausibility, sessions (corrections in a later session) or printed (the PDF PVs and signatures against the EML: ondertekend en afgedrukt)")]
    title: Annotated[str, Field(description="the part's title in the language of --lang")]
    done: Annotated[bool, Field(description="the check ran")]
    errors: Annotated[int, Field(description="errors it found")]
    what: Annotated[str, Field(description="what it covered, or why it did not run (language of --lang)")]
    what_nl: str
    what_en: str
    needs: Annotated[str, Field(description="the file that would make it (fully) run; empty when nothing is needed")]
    needs_nl: str
    needs_en: str
    means: Annotated[str, Field(description="not done: what that leaves open for the reader; empty when done")]
    means_nl: str
    means_en: str


class VerdictSentenceJSON(TypedDict):
    """One sentence of the plain answer (``osv_verify.app.verdict.Sentence``)."""

    good: Annotated[bool | None, Field(description="good news (true), bad news (false) or neither (null)")]
    text: Annotated[str, Field(description="the sentence in the language of --lang")]
    text_nl: str
    text_en: str


class VerdictJSON(TypedDict):
    status: Annotated[str, Field(description="verified, partly_verified or not_verified")]
    status_text: Annotated[str, Field(description="the status in words, in the language of --lang")]
    parts: list[VerdictPartJSON]
    answer: Annotated[list[VerdictSentenceJSON], Field(description="the plain answer a citizen reads, only about parts that ran")]


class PrintedPvJSON(TypedDict):
    pv: Annotated[str, Field(description="the PDF proces-verbaal")]
    model: Annotated[str, Field(description="na31-1, na31-2, na14-2 or p22-2")]
    eml: Annotated[str, Field(description="the count file it belongs to (by its footer hash, else by the municipality it names)")]
    hash_agrees: Annotated[bool, Field(description="its footer carries the SHA-256 of that file")]


class SignatureJSON(TypedDict):
    signature: str
    eml: Annotated[str, Field(description="the count file it signs")]
    signer: Annotated[str | None, Field(description="the trusted certificate it verified under (--trust); null when none confirmed it")]


class PrintedJSON(TypedDict):
    """Signed and printed (issue 22): which PDF PV and signature belong to which count file."""

    pvs: list[PrintedPvJSON]
    signatures: list[SignatureJSON]
    not_checked: Annotated[list[str], Field(description="what could not be checked and why (language of --lang)")]


class ElectionSummary(TypedDict):
    election: str
    name: str | None
    date: Annotated[str | None, Field(description="YYYY-MM-DD")]
    category: str | None
    files: int
    units_checked: int
    errors: int
    warnings: int
    info: int
    input_errors: Annotated[int, Field(description="files of this election that could not be read")]
    unread: Annotated[list[str], Field(description="those files")]
    status: Annotated[str, Field(description="verified, partly_verified or not_verified: what could be checked (see verdict)")]
    verdict: NotRequired[VerdictJSON]
    printed: NotRequired[PrintedJSON]


class CopyJSON(TypedDict):
    file: str
    same_as: Annotated[str, Field(description="the file with the same bytes that was read instead")]


class RunSummary(TypedDict):
    elections: list[ElectionSummary]
    errors: int
    warnings: int
    input_errors: Annotated[list[str], Field(description="files that could not be read, one line each")]
    skipped: Annotated[list[str], Field(description="files that are not election files")]
    copies: Annotated[list[CopyJSON], Field(description="files given more than once (the same bytes): read once")]


@with_config(STRICT)
class FindingsDoc(TypedDict):
    """``osv-verify verify --format json``."""

    schema: str
    tool: Tool
    summary: RunSummary
    findings: list[FindingJSON]


# ---------------------------------------------------------------- compare --format json


class CompareSummary(TypedDict):
    a: str
    b: str
    units_compared: int
    units_identical: int
    units_with_differences: int
    units_not_filled_in: Annotated[int, Field(description="units left empty entirely on one side or both")]
    fields_with_differences: int
    bad_cells: Annotated[int, Field(description="cells that could not be read as a number (DOUBLE.BAD_CELL)")]
    errors: int
    warnings: int


@with_config(STRICT)
class CompareDoc(TypedDict):
    """``osv-verify compare --format json``."""

    schema: str
    summary: CompareSummary
    findings: list[FindingJSON]


# ---------------------------------------------------------------- seats --format json


class SeatRow(TypedDict):
    list: int
    name: str
    votes: int
    full_seats: int
    residual_seats: int
    seats: int


class SeatStep(TypedDict):
    article: Annotated[str, Field(description="the Kieswet article")]
    kind: str
    list: int
    change: int
    value: Annotated[str, Field(description="what decided, an exact fraction (e.g. 1234/5)")]
    seat: int | None
    tied: list[int]
    from_list: int | None
    description: Annotated[str, Field(description="the step in words (English)")]
    description_nl: Annotated[str, Field(description="the same in Dutch")]


class LotsNeeded(TypedDict):
    article: str
    kind: str
    options: list[int | str]
    seats_at_stake: int
    description: str
    description_nl: NotRequired[Annotated[str, Field(description="the same in Dutch")]]


class SeatWarningJSON(TypedDict):
    code: str
    message: Annotated[str, Field(description="in English")]
    message_nl: Annotated[str, Field(description="the same in Dutch")]


class ElectedJSON(TypedDict):
    list: int
    candidate: Annotated[str, Field(description="the candidate's position on the list (its ShortCode where the count knows candidates by ShortCode)")]
    name: Annotated[str | None, Field(description="the name a file establishes for that candidate (230b, OSV CSV, ShortCode, 520 Ids proven to be positions, or the 520's order of election where it is proven for the list); null when none does: a 520's Id alone is never taken for a position")]
    name_source: Annotated[Literal["230b", "osv4-3", "520-shortcode", "520-id", "520-order"] | None,
                           Field(description="where the name comes from; 520-order: the 520's k-th elected of the list, where the number and kind (Ranking) of its elected equal the law's order of election, Id by Id (the 520 is then not checked by it); null with name null")]
    lot_between: Annotated[list[str] | None, Field(description="where a lot decided this seat and no file shows which way it went: the places it was between (candidate is then the first draw that fits the 520, not established); else null")]
    reason: Literal["preference", "list order"]
    sublist: int


class UnnamedListJSON(TypedDict):
    list: int
    why: Annotated[str, Field(description="in English")]
    why_nl: Annotated[str, Field(description="the same in Dutch")]


class SeatsElection(TypedDict):
    """One election's (or the what-if's) seats. The allocation's fields are absent when the
    seats could not be computed (``computed`` false; ``differences`` says why)."""

    election: NotRequired[Annotated[str, Field(description="the election id (absent for --votes)")]]
    computed: NotRequired[Annotated[bool, Field(description="the seats could be computed from the files")]]
    seats: NotRequired[int]
    votes: NotRequired[int]
    quota: NotRequired[Annotated[str, Field(description="the kiesdeler, an exact fraction")]]
    quota_mixed: NotRequired[Annotated[str, Field(description="the kiesdeler as the PV prints it: 340 1/5")]]
    allocation: NotRequired[list[SeatRow]]
    steps: NotRequired[list[SeatStep]]
    lots_drawn: NotRequired[list[int | str]]
    lots_required: NotRequired[list[LotsNeeded]]
    open_seats: NotRequired[Annotated[int, Field(description="seats left unallocated until the lots of lots_required are drawn (--lots); 0 when complete")]]
    warnings: NotRequired[list[SeatWarningJSON]]
    law_notes: NotRequired[Annotated[list[str], Field(description="where the law decided against the files (English)")]]
    law_notes_nl: NotRequired[Annotated[list[str], Field(description="the same in Dutch")]]
    elected: NotRequired[list[ElectedJSON]]
    names_not_established: NotRequired[Annotated[list[UnnamedListJSON], Field(description="lists with elected rows no file names, and why the 520's order of election could not name them")]]
    differences: NotRequired[Annotated[list[FindingJSON], Field(description="the SEATS.* findings: our seats against the 520")]]


@with_config(STRICT)
class SeatsDoc(TypedDict):
    """``osv-verify seats --format json``: one document for the run."""

    schema: str
    elections: list[SeatsElection]
    input_errors: Annotated[list[str], Field(description="files that could not be read, one line each")]


# ---------------------------------------------------------------- protocol --format json


class ProtocolNotRun(TypedDict):
    column: Annotated[str, Field(description="the protocol's column (in the language of --lang)")]
    reason: str


class MunicipalityProtocolJSON(TypedDict):
    """One municipality's part A (``report.hcp.to_dict``): the rows of the three lists with
    the spreadsheets' column names (in the language of --lang) as keys and their cells as text."""

    source: str
    election: str
    election_name: str
    date: str
    contest: str
    authority: str
    authority_name: str
    protocol_version: str
    pv_used: Annotated[bool, Field(description="a PV (Model Na 31-1/31-2) was read for the recounted stations")]
    neighbourhoods_used: Annotated[bool, Field(description="the CBS wijk table was the candidate check's reference")]
    stations: int
    a: Annotated[list[dict[str, str]], Field(description="list a: unexplained differences, one row per station that needs a look")]
    b: Annotated[list[dict[str, str]], Field(description="list b: everything else, one row per station that needs a look")]
    c: Annotated[list[dict[str, str]], Field(description="list c: every list's deviation in every station")]
    not_run: list[ProtocolNotRun]
    part_b: Annotated[str | None, Field(description="part B (the additions) in one line")]
    notes: Annotated[list[str], Field(description="what a reader must know to read the lists (a mobile or special station compared like the others)")]


@with_config(STRICT)
class ProtocolDoc(TypedDict):
    """``osv-verify protocol --format json``."""

    schema: str
    municipalities: list[MunicipalityProtocolJSON]


# ---------------------------------------------------------------- inspect --format json


@with_config(STRICT)
class InspectDoc(TypedDict):
    """``osv-verify inspect --format json``."""

    schema: str
    elections: list[ElectionInfo]
    input_errors: list[str]
    skipped: list[str]


# ---------------------------------------------------------------- hash --format json


class HashJSON(TypedDict):
    file: str
    sha256: Annotated[str, Field(description="as the PV prints it: 16 groups of 4 hex digits")]
    matches: Annotated[bool | None, Field(description="with --expect: whether it matches, else null")]


@with_config(STRICT)
class HashDoc(TypedDict):
    """``osv-verify hash --format json``."""

    schema: str
    expected: Annotated[str | None, Field(description="the hash given with --expect, as the PV prints it; null without --expect")]
    files: list[HashJSON]


# ---------------------------------------------------------------- verify --list-checks --format json


class CheckJSON(TypedDict):
    code: str
    severity: Severity
    title: str
    titel: Annotated[str, Field(description="the title in Dutch")]
    mirrors: Annotated[str | None, Field(description="the Kiesraad / OSV check it reproduces")]
    law: str | None
    scope: str


class SettingJSON(TypedDict):
    setting: str
    default: int
    meaning: str


MeasuredJSON = TypedDict("MeasuredJSON", {
    "code": str,
    "measured on real data": Annotated[str, Field(description="how the check did on the real files (docs/plausibility.md)")],
    "gemeten op echte data": Annotated[str, Field(description="the same in Dutch")],
})


@with_config(STRICT)
class ChecksDoc(TypedDict):
    """``osv-verify verify --list-checks --format json``."""

    schema: str
    checks: list[CheckJSON]
    plausibility_settings: list[SettingJSON]
    plausibility_measured: list[MeasuredJSON]


class Words(TypedDict):
    """One text in both languages (a ``core.text.Text`` as data)."""

    nl: str
    en: str


@with_config(STRICT)
class RuleExample(TypedDict):
    """A rule's example: how it is run and its units (field key -> number; text: a cell as typed)."""

    runner: Annotated[str, Field(description="pv (one PV or total), file (a total and its units), plausibility (a gemeente's stations with --plausibility), entries (two entries compared) or printed (a PDF PV's printed numbers)")]
    units: Annotated[dict[str, dict[str, int | str]], Field(description="by unit: station, total, SB1, ...")]
    other: Annotated[dict[str, dict[str, int | str]] | None, Field(description="entries: the second entry (B)")]
    also: Annotated[list[str], Field(description="codes it cannot come without")]


@with_config(STRICT)
class RuleDoc(TypedDict):
    """``osv-verify explain CODE --format json``: one rule of the catalogue."""

    schema: str
    code: str
    severity: Severity
    variants: Annotated[dict[str, Severity], Field(description="another severity the check gives, and when")]
    part: Annotated[str | None, Field(description="the part of an election's verdict its errors count in")]
    family: Annotated[str, Field(description="the part of the code before the dot")]
    status: Annotated[str, Field(description="active, or retired (never reused)")]
    title: Words
    why: Annotated[Words, Field(description="what goes wrong in an election when this fails")]
    mirrors: Annotated[str | None, Field(description="the Kiesraad / OSV check it reproduces")]
    law: str | None
    scope: Annotated[Words, Field(description="which PVs or totals it applies to (empty: all)")]
    example: Annotated[RuleExample | None, Field(description="a minimal input that gives exactly this code")]
    example_note: Annotated[Words | None, Field(description="why there is no short example (it needs whole documents)")]


# ---------------------------------------------------------------- export --format json


def _json_of(shape: type, title: str) -> type:
    """A row type as it is written (``row._asdict()``): an object, where pydantic would make a
    NamedTuple an array."""
    return TypedDict(title, typing.get_type_hints(shape))  # type: ignore[operator]


RowJSON = _json_of(Row, "Number")
SourceJSON = _json_of(SourceRow, "Source")
StationJSON = _json_of(StationRow, "Station")
ListJSON = _json_of(ListRow, "List")
CandidateJSON = _json_of(CandidateRow, "Candidate")
ElectionJSON = _json_of(ElectionRow, "Election")
RegionJSON = _json_of(RegionRow, "Region")


@with_config(STRICT)
class ExportDoc(TypedDict):
    """``osv-verify export --format json``: one document, written as a stream; every table of
    the export (``osv_verify.app.export``), the numbers first."""

    schema: str
    tool: Tool
    numbers: Annotated[list[RowJSON], Field(description="one row per published number; source is a number in sources")]
    sources: Annotated[list[SourceJSON], Field(description="each count file, relative to the path given; same_as/differences: another publication of the same count and how many numbers differ from it (both exported when they differ); derived: the Kiesraad's research data, which repeat counts the EML/OSV give")]
    stations: list[StationJSON]
    lists: list[ListJSON]
    candidates: list[CandidateJSON]
    elections: list[ElectionJSON]
    regions: Annotated[list[RegionJSON], Field(description="the names of the areas the numbers' authority codes stand for")]
    input_errors: list[str]
    skipped: list[str]


# ---------------------------------------------------------------- the outputs


class Output(NamedTuple):
    kind: str
    version: int
    shape: type
    command: str


OUTPUTS: dict[str, Output] = {o.kind: o for o in (
    Output("findings", 2, FindingsDoc, "osv-verify verify --format json"),
    Output("compare", 2, CompareDoc, "osv-verify compare --format json"),
    Output("seats", 3, SeatsDoc, "osv-verify seats --format json"),
    Output("inspect", 1, InspectDoc, "osv-verify inspect --format json"),
    Output("hash", 1, HashDoc, "osv-verify hash --format json"),
    Output("checks", 1, ChecksDoc, "osv-verify verify --list-checks --format json"),
    Output("export", 2, ExportDoc, "osv-verify export --format json"),
    Output("protocol", 1, ProtocolDoc, "osv-verify protocol --format json"),
    Output("rule", 3, RuleDoc, "osv-verify explain CODE --format json"),
)}


def schema_id(kind: str) -> str:
    """The ``schema`` value of an output: ``osv-verify/<kind>/<version>``."""
    return f"osv-verify/{kind}/{OUTPUTS[kind].version}"


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one output, generated by pydantic from its type."""
    out = OUTPUTS[kind]
    doc = TypeAdapter(out.shape).json_schema(mode="serialization", schema_generator=_Generator)
    doc["properties"]["schema"] = {"const": schema_id(kind)}
    del doc["title"]  # the class's name: the output's title is its command
    defs = doc.pop("$defs")  # the parts, after the document
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_id(kind), "title": out.command,
            **doc, "$defs": defs}


class _Generator(GenerateJsonSchema):
    """pydantic's generator, but every field of a dataclass is required and has no default (the
    outputs write every field: ``asdict``), and a property gets no title made from its name."""

    def field_is_required(self, field: Any, total: bool) -> bool:
        return super().field_is_required(field, total) if field["type"] == "typed-dict-field" else True

    def default_schema(self, schema: Any) -> dict[str, Any]:
        return self.generate_inner(schema["schema"])

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False
