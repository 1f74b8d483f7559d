"""The election model: plain data read from published files, shared by checks, seats and reports.

Readers (``osv_verify.io``) build these objects; checks and reports only read them. A count
that a file does not give is *absent* (missing from ``Tally.counts``), never 0.

Readers build ``Tally`` objects with ``model_construct`` (they validate numbers themselves while
parsing): a national set has millions of candidate counts and pydantic validation of each would
dominate the run time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

#: A candidate inside a tally: (list number, candidate Id, ShortCode). Id is the position on
#: the list (absent in national totals of TK/EK/PS2, which use ShortCode only); ShortCode is
#: only present in central (CSB) files. OSV CSV rows without a position put the name in the
#: third slot.
CandidateKey = tuple[int, str | None, str | None]


@dataclass(frozen=True)
class CountField:
    """One number on a proces-verbaal, named as the paper form names it."""

    key: str
    letter: str
    nl: str
    en: str


#: Every per-PV count the published files can carry, in the order of the paper form.
COUNT_FIELDS: tuple[CountField, ...] = (
    CountField("eligible", "Z", "kiesgerechtigden (opgeroepenen)", "eligible voters"),
    CountField("poll_cards", "A", "geldige stempassen", "valid poll cards"),
    CountField("proxy_certificates", "B", "geldige volmachtbewijzen", "valid proxy certificates"),
    CountField("voter_cards", "C", "geldige kiezerspassen", "valid voter cards"),
    CountField("admitted", "D", "toegelaten kiezers", "admitted voters"),
    CountField("valid", "E", "stemmen op kandidaten (geldige stembiljetten)", "votes on candidates"),
    CountField("blank", "F", "blanco stemmen", "blank votes"),
    CountField("invalid", "G", "ongeldige stemmen", "invalid votes"),
    CountField("ballots_found", "H", "aangetroffen stembiljetten", "ballots found (E + F + G)"),
    CountField("more_ballots", "I", "meer getelde stembiljetten", "more ballots counted than admitted"),
    CountField("fewer_ballots", "J", "minder getelde stembiljetten", "fewer ballots counted than admitted"),
    CountField("taken_home", "", "meegenomen stembiljetten", "ballots taken away by voters"),
    CountField("too_few_issued", "", "te weinig uitgereikte stembiljetten", "too few ballots issued"),
    CountField("too_many_issued", "", "te veel uitgereikte stembiljetten", "too many ballots issued"),
    CountField("no_postal_ballot", "", "geen briefstembiljetten", "no postal ballot in envelope"),
    CountField("too_many_postal_ballots", "", "te veel briefstembiljetten", "too many postal ballots"),
    CountField("lost_ballots", "", "kwijtgeraakte stembiljetten", "ballots lost"),
    CountField("no_explanation", "", "geen verklaring", "no explanation"),
    CountField("other_explanation", "", "andere verklaring", "other explanation"),
)
FIELD_BY_KEY: dict[str, CountField] = {f.key: f for f in COUNT_FIELDS}

#: Counts that explain a difference between admitted voters and counted ballots.
EXPLANATION_KEYS: tuple[str, ...] = (
    "taken_home",
    "too_few_issued",
    "too_many_issued",
    "no_postal_ballot",
    "too_many_postal_ballots",
    "lost_ballots",
    "no_explanation",
    "other_explanation",
)


class Level(StrEnum):
    """Who made the count: the authority level of a file (or of one of its units)."""

    STATION = "stembureau"
    MUNICIPALITY = "gemeente"
    DISTRICT = "kieskring"
    CENTRAL = "centraal"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ElectionRef(Frozen):
    """The ``ElectionIdentifier`` block every EML file carries."""

    id: str
    name: str | None = None
    category: str | None = None
    subcategory: str | None = None
    domain_id: str | None = None
    domain_name: str | None = None
    date: dt.date | None = None


class Tally(BaseModel):
    """The counts of one proces-verbaal (a reporting unit) or of one total.

    ``counts`` holds the numbers of ``COUNT_FIELDS`` that the file gives (absent = unknown),
    ``lists`` the list totals by list number, ``candidates`` the candidate votes.
    """

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, description="ReportingUnitIdentifier Id, e.g. 0518::SB1; None for a total")
    name: str | None = None
    postcode: str | None = Field(None, description="the station's postcode where the file gives it apart from the name (OSV CSV Postcode row)")
    counts: dict[str, int] = Field(default_factory=dict)
    lists: dict[int, int] = Field(default_factory=dict)
    candidates: dict[CandidateKey, int] = Field(default_factory=dict)
    investigations: dict[str, bool] = Field(default_factory=dict)
    initial: dict[str, int] = Field(
        default_factory=dict,
        description="a corrigendum's earlier values (kr:Initial* or kr:Previous*), by field key: a count key, 'list 3', 'candidate 3.7'",
    )
    element: str | None = Field(None, description="where in the source file, for findings")
    unit_type: str | None = Field(None, description="kr:ReportingUnitType (EML_NL 1.3): FixedLocation, Mobile or Special")
    shared_location: bool | None = Field(None, description="kr:SharedLocation (EML_NL 1.3): shares its place with another station")

    @property
    def votes_cast(self) -> int | None:
        """H = E + F + G (total ballots found), when all three are known.

        EML does not carry H; the OSV CSV prints it as ``ballots_found``, which a check
        compares with this sum.
        """
        c = self.counts
        try:
            return c["valid"] + c["blank"] + c["invalid"]
        except KeyError:
            return None

    @property
    def code(self) -> str | None:
        """The unit's own code: the last part of the Id (``SB3``, ``0518``, ``HSB9``)."""
        return self.id.rsplit("::", 1)[-1] if self.id else None


class CountFile(BaseModel):
    """A 510a/b/c/d EML file or an OSV4-3 CSV export: a total and its reporting units."""

    model_config = ConfigDict(extra="forbid")

    source: str
    kind: str = Field(description="510a, 510b, 510c, 510d or osv4-3")
    level: Level
    election: ElectionRef
    authority_id: str | None = None
    authority_name: str | None = None
    created: dt.datetime | None = None
    contest_id: str | None = None
    contest_name: str | None = None
    list_names: dict[int, str] = Field(default_factory=dict)
    candidate_names: dict[CandidateKey, str] = Field(default_factory=dict)
    total: Tally | None = None
    units: list[Tally] = Field(default_factory=list)
    phase: str | None = Field(None, description="kr:Phase PhaseCode: 'eerste zitting' or 'corrigendum'")
    schema_version: str | None = Field(None, description="kr:Schema Version (absent: EML_NL 1.2.2 or older)")
    counting_method: str | None = Field(None, description="kr:CountingMethod: 'centrale stemopneming' or 'decentrale stemopneming'")
    producer: str | None = Field(None, description="'Abacus' or 'OSV2020-U' by the way the file is written; None when unclear")
    twin_spelling: str | None = Field(None, description="the corrigendum twins used: 'Initial' (EML_NL 1.3), 'Previous' (rust-eml-nl 1.3.1) or both")
    notes: list[tuple[str, str, str]] = Field(
        default_factory=list,
        description="what the reader met beside the counts: (kind, element, place), kind 'unknown' (a kr: element it does not know), 'misplaced' (a twin not right before its element), 'invalid' (a value the schema does not allow, not used), 'repeated' (kr:Phase more than once, not used) or 'version' (a kr:Schema version it does not know)",
    )

    @property
    def unit_level(self) -> Level:
        """The level of the reporting units inside this file (one below the file's own)."""
        return {
            Level.MUNICIPALITY: Level.STATION,
            Level.DISTRICT: Level.MUNICIPALITY,
            Level.CENTRAL: Level.DISTRICT,
            Level.STATION: Level.STATION,
        }[self.level]


class Candidate(Frozen):
    number: int | None = None
    short_code: str | None = None
    initials: str | None = None
    first_name: str | None = None
    prefix: str | None = None
    last_name: str | None = None
    gender: str | None = None
    locality: str | None = None

    @property
    def display_name(self) -> str:
        """``prefix lastname, initials`` as the OSV CSV writes a candidate."""
        last = " ".join(p for p in (self.prefix, self.last_name) if p)
        return f"{last}, {self.initials}" if self.initials else last or (self.short_code or "?")


class PartyList(Frozen):
    """One list (affiliation) of a 230b: its number, name and candidates in list order."""

    number: int
    name: str = ""
    type: str | None = None
    set_number: str | None = None
    candidates: tuple[Candidate, ...] = ()


class CandidateLists(Frozen):
    """A 230b file: the lists of one contest (kieskring, or the whole municipality)."""

    source: str
    election: ElectionRef
    authority_id: str | None = None
    contest_id: str | None = None
    contest_name: str | None = None
    lists: tuple[PartyList, ...] = ()


class Region(Frozen):
    number: str
    category: str
    name: str = ""
    superior_number: str | None = None
    superior_category: str | None = None


class Definition(Frozen):
    """A 110a election definition."""

    source: str
    election: ElectionRef
    seats: int | None = None
    preference_threshold: int | None = None
    contest_id: str | None = None
    regions: tuple[Region, ...] = ()
    parties: tuple[str, ...] = ()


class Station(Frozen):
    number: str
    name: str = ""
    postcode: str | None = None
    eligible: int | None = None
    channel: str | None = None


class PollingStations(Frozen):
    """A 110b file: the polling stations of one municipality."""

    source: str
    election: ElectionRef
    authority_id: str | None = None
    contest_id: str | None = None
    max_votes: int | None = None
    stations: tuple[Station, ...] = ()


class ElectedCandidate(Frozen):
    list_number: int
    list_name: str = ""
    candidate: Candidate
    ranking: int | None = Field(None, description="1 = elected on preference votes, 2 = otherwise")


class ResultFile(Frozen):
    """A 520 result: the elected candidates per list."""

    source: str
    election: ElectionRef
    authority_id: str | None = None
    contest_id: str | None = None
    created: dt.datetime | None = None
    elected: tuple[ElectedCandidate, ...] = ()

    def seats_per_list(self) -> dict[int, int]:
        seats: dict[int, int] = {}
        for e in self.elected:
            seats[e.list_number] = seats.get(e.list_number, 0) + 1
        return seats


Document = CountFile | CandidateLists | Definition | PollingStations | ResultFile
