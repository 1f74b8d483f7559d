"""The one type for everything osv-verify reports: a ``Finding``.

Checks create findings through ``Rule.finding`` (``osv_verify.checks.registry``) so code,
severity and wording always come from the catalogue. Reports only read findings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from dataclasses import field as dc_field
from enum import IntEnum, StrEnum


class Severity(StrEnum):
    ERROR = "error"  # the published numbers contradict each other or the law
    WARNING = "warning"  # allowed, but worth a look (or a recount)
    INFO = "info"  # context: a check that could not run, numbers that cannot be compared

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


class ExitCode(IntEnum):
    OK = 0  # verified, no errors
    FINDINGS = 1  # errors (discrepancies) found
    INPUT = 2  # an input or usage error: something could not be read
    INTERNAL = 3  # a bug in osv-verify: please report
    NOT_VERIFIED = 4  # no errors, but an election had no count that could be checked (osv_verify.app.verdict)


@dataclass(frozen=True)
class Location:
    """Where a finding is: from the election down to one candidate."""

    election: str
    contest: str | None = None
    authority: str | None = None  # the file's authority: gemeente code, HSBn, CSB
    unit: str | None = None  # reporting unit id (e.g. 0518::SB1), None for a file total
    list: int | None = None
    candidate: str | None = None

    def label(self, lang: str = "nl") -> str:
        """``0668::SB3 / lijst 2 kandidaat 4`` (``list 2 candidate 4`` in English)."""
        parts = [p for p in (self.authority, self.unit) if p]
        if self.unit and self.authority and self.unit.startswith(self.authority):
            parts = [self.unit]
        elif not self.unit and self.authority and not self.authority.isdigit():
            # a committee's own file (CSB, HSB2, PSB): the committee code alone does not say which election
            parts = [self.election, self.authority]
        if not parts:
            parts = [self.election]
        if self.list is not None:
            words = ("list", "candidate") if lang == "en" else ("lijst", "kandidaat")
            parts.append(f"{words[0]} {self.list}" + (f" {words[1]} {self.candidate}" if self.candidate else ""))
        return " / ".join(parts)

    def sort_key(self) -> tuple:
        return (self.election, self.contest or "", self.authority or "", _natural(self.unit or ""), self.list or 0, _natural(self.candidate or ""))


def _natural(text: str) -> tuple:
    """Sort SB2 before SB10."""
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    location: Location
    message_nl: str
    message_en: str
    field: str | None = None  # which number: "blank", "list 3", "candidate 3.7", "eligible"
    expected: int | None = None  # a number, always; text goes to ``expected_text`` (see __post_init__)
    actual: int | None = None
    derivation: str | None = None  # how ``expected`` was derived, e.g. "sum of 23 stations"
    source: str | None = None  # file where ``actual`` was read
    element: str | None = None  # place in that file
    part: str | None = dc_field(default=None, compare=False)  # the verdict part it counts in (a checks.rule.PartKey)
    expected_text: str | None = None  # an expected value that is not a count: "12.5%", a date, an election id
    actual_text: str | None = None

    def __post_init__(self) -> None:
        """One type per field: ``expected``/``actual`` hold integers only. A check may pass
        text (a percentage, a date, an id); it is moved to ``expected_text``/``actual_text``
        here, the one place, so the JSON keeps a fixed type for every field."""
        for name in ("expected", "actual"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                object.__setattr__(self, name, None)
                object.__setattr__(self, f"{name}_text", str(value))

    def shown(self, name: str) -> int | str | None:
        """``expected`` or ``actual`` as a report shows it: the number, else the text."""
        value = getattr(self, name)
        return value if value is not None else getattr(self, f"{name}_text")

    @property
    def difference(self) -> int | None:
        if isinstance(self.expected, int) and isinstance(self.actual, int):
            return self.actual - self.expected
        return None

    def message(self, lang: str = "nl") -> str:
        return self.message_en if lang == "en" else self.message_nl

    def sort_key(self) -> tuple:
        return (self.location.sort_key(), self.code, self.field or "")

    def to_dict(self, lang: str | None = None) -> dict[str, object]:
        d = asdict(self)
        d["severity"] = self.severity.value
        d["difference"] = self.difference
        if lang is not None:
            d["message"] = self.message(lang)
        d.pop("part")  # the verdict's bookkeeping, not part of the finding's JSON
        return d
