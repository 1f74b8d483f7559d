"""What one rule of the catalogue is: ``Rule`` and the data it carries besides its words.

The rows themselves are ``checks/registry.py``. A rule says which verdict part its findings
count in (``part``), its family (the part of its code before the dot), whether it is still in
use (``status``: a retired code stays a row and is never given to another rule), why it
matters (``why``), and a minimal input that a test runs through the real check to get exactly
this code (``example``, an ``Example``: which runner, which units), or where that needs whole
documents, a note that says why there is none (``example_note``). Where one rule has a second severity (a warning at a total, say),
that is data too (``variants``), chosen by the check with ``Rule.finding(variant=...)``.
Its words (``title``, the ``message`` template, ``why``, ``scope``) are each a ``Text``,
Dutch first; report/ renders them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from osv_verify.core.findings import Finding, Location, Severity
from osv_verify.core.model import FIELD_BY_KEY
from osv_verify.core.text import Text


class PartKey(StrEnum):
    """The kinds of check a verdict reports on, in the order a report shows them."""

    STATIONS = "stations"  # the sums on every PV (station or total) on its own: F.2xx, F.4xx; W.2xx warnings
    EXPLANATIONS = "explanations"  # every PV's difference between admitted voters and ballots explained: F.305-F.312, TALLY.EXPLANATIONS
    TOTALS = "totals"  # a total against the sum of its units (AGG.TOTAL and friends)
    LEVELS = "levels"  # a level against the level above (AGG.LEVEL)
    SOURCES = "sources"  # two publications of one count (AGG.SOURCES)
    RESEARCH = "research"  # the Kiesraad's research CSVs on their own: sums across levels (AGG.RESEARCH_SUM)
    UNITS = "units"  # the units present against the 110a/110b (AGG.MISSING_UNIT, AGG.EXTRA_UNIT)
    DEFINITION = "definition"  # the 110a/230b against the law and each other (DEF.*)
    SEATS = "seats"  # the seat allocation against the 520 (SEATS.ALLOCATION)
    ELECTED = "elected"  # the elected candidates against the 520 (SEATS.ELECTED)
    PLAUSIBILITY = "plausibility"  # --plausibility only
    SESSIONS = "sessions"  # the versions of one count after a later session (CORR.*)
    PRINTED = "printed"  # the PDF PVs and the signatures against the EML (PV.*, SIG.*, F.203, F.403)


class Family(StrEnum):
    """A code's family: what comes before the dot (the HTML legend and ``explain`` name it)."""

    F = "F"  # an error on one PV, with the Abacus code
    W = "W"  # a warning on one PV, with the Abacus code
    TALLY = "TALLY"  # one PV on its own, beyond Abacus
    AGG = "AGG"  # a total against its units, a level against the next, two publications
    P = "P"  # plausibility (the control protocol)
    SEATS = "SEATS"  # seat allocation and elected candidates
    DOUBLE = "DOUBLE"  # double entry (compare)
    DEF = "DEF"  # the election's definition (110a, 230b)
    META = "META"  # data about the election in the files
    CHECK = "CHECK"  # a check that could not run
    CORR = "CORR"  # a count corrected in a later session (corrigendum, Model Na 14-2)
    PV = "PV"  # a printed (PDF) PV against its EML
    SIG = "SIG"  # an EML's signature


class RuleStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"  # no check makes it any more; the code is never reused


class Runner(StrEnum):
    """How an example is run (``app/examples.py`` holds the one runner of each)."""

    PV = "pv"  # one PV (``station``) or one total (``total``) through the tally checks
    FILE = "file"  # a file's ``total`` and its units through the file checks
    PLAUSIBILITY = "plausibility"  # a gemeente's stations (SB1, ...) through the plausibility checks at DEFAULTS
    PRINTED = "printed"  # a printed PV (``pv``: count keys as boxes, ``list n`` E.n, ``table n`` a candidate table's total)
    ENTRIES = "entries"  # two entries of one gemeente's count (``units`` is A, ``other`` B), as compare does


#: Units by name: ``station`` or ``total`` alone, or a file's ``total`` with its units (``SB1``,
#: ... stations; other names gemeenten). Each maps field keys to numbers: a count key
#: (``admitted``), ``list 1`` or ``candidate 1.2``; in an entry (``Runner.ENTRIES``) a cell as
#: typed (text) where it cannot be read.
Units = Mapping[str, Mapping[str, int | str]]


@dataclass(frozen=True)
class Example:
    """A minimal input that a test runs through the real checks to get exactly one code; a plain
    ``Units`` mapping in a rule is a ``pv`` example (one unit) or a ``file`` example."""

    units: Units
    runner: Runner | None = None  # None: pv for one unit, file for more
    other: Units | None = None  # Runner.ENTRIES: the second entry (B)
    also: tuple[str, ...] = ()  # codes this one cannot come without (a stricter reading of another rule)

    def __post_init__(self) -> None:
        if self.runner is None:
            object.__setattr__(self, "runner", Runner.PV if len(self.units) == 1 else Runner.FILE)
        if (self.other is not None) != (self.runner is Runner.ENTRIES):
            raise ValueError("an entries example, and only one, gives the second entry (other)")


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: Text
    message: Text  # the message template in both languages (see checks/registry.py)
    mirrors: str | Text | None = None  # the Kiesraad/OSV check it reproduces (a name; Text where it says more)
    law: str | Text | None = None  # the article or document (a name; Text where it says more)
    scope: Text = Text("", "")  # which PVs or totals it applies to
    part: PartKey | None = None  # the verdict part its error findings count in (None: no part)
    why: Text = Text("", "")  # what goes wrong in an election when this fails, in one sentence
    example: Example | Units | None = None  # a plain mapping becomes an Example
    example_note: Text | None = None  # why there is no short example (needs whole documents)
    variants: Mapping[str, Severity] = field(default_factory=dict)  # another severity, and when
    #: The rule that owns the fact this one can restate: where both find the same difference at
    #: the same place (same location and expected number), only that rule's finding is reported.
    restates: str | None = None
    status: RuleStatus = RuleStatus.ACTIVE
    family: Family = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "family", Family(self.code.split(".")[0]))
        if self.example is not None and not isinstance(self.example, Example):
            object.__setattr__(self, "example", Example(self.example))

    def finding(
        self,
        location: Location,
        *,
        field: str | None = None,
        expected: int | str | None = None,  # text becomes Finding.expected_text
        actual: int | str | None = None,
        derivation: str | None = None,
        source: str | None = None,
        element: str | None = None,
        variant: str | None = None,
        part: PartKey | None = None,
        **words: object,
    ) -> Finding:
        """The finding, its message filled in both languages: a ``Text`` word gives each
        language its own sentence; ``variant`` names one of ``variants`` (its severity);
        ``part`` overrides the rule's for a check that makes this code for another part."""
        if self.status is RuleStatus.RETIRED:
            raise ValueError(f"{self.code} is retired: no check makes it any more")
        diff = actual - expected if isinstance(actual, int) and isinstance(expected, int) else None
        values = {"expected": expected, "actual": actual, "derivation": derivation or "",
                  "diff": f"{diff:+d}" if diff is not None else ""}
        nl = {**values, **{k: v.nl if isinstance(v, Text) else v for k, v in words.items()}}
        en = {**values, **{k: v.en if isinstance(v, Text) else v for k, v in words.items()}}
        return Finding(
            code=self.code,
            severity=self.variants[variant] if variant is not None else self.severity,
            location=location,
            message_nl=self.message.nl.format(field=field_label(field, "nl"), where=location.label("nl"), **nl),
            message_en=self.message.en.format(field=field_label(field, "en"), where=location.label("en"), **en),
            field=field,
            expected=expected,
            actual=actual,
            derivation=derivation,
            source=source,
            element=element,
            part=part or self.part,
        )


def field_label(field: str | None, lang: str) -> str:
    """A stable field key ("blank", "list 3", "candidate 3.7") in words of the language."""
    if not field:
        return ""
    if field in FIELD_BY_KEY:
        f = FIELD_BY_KEY[field]
        return f.nl if lang == "nl" else f.en
    if lang == "nl":
        return field.replace("candidate ", "kandidaat ").replace("list ", "lijst ")
    return field
