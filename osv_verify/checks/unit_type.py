"""Which polling stations the plausibility checks compare with each other (EML_NL 1.3
``kr:ReportingUnitType``).

A mobile station (``Mobile``: it moves between places during the day) or a special one
(``Special``, e.g. in a care home or a station at a railway station) serves other voters than
the fixed stations of its municipality, so its shares are not expected to look like theirs.
Such a station is set apart: it is not compared with the fixed stations, nor part of their
reference, and the report says so (CHECK.UNIT_APART). A file without the element (EML_NL 1.2.2, OSV)
has only fixed stations, as far as anyone can tell.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from osv_verify.checks import aggregate
from osv_verify.checks.registry import rule
from osv_verify.core.findings import Finding
from osv_verify.core.model import CountFile, Tally
from osv_verify.core.text import Text

APART = {"Mobile": ("mobiel stembureau", "mobile station"), "Special": ("bijzonder stembureau", "special station")}


def set_apart(units: Sequence[Tally]) -> tuple[list[Tally], list[Tally]]:
    """(the stations compared with each other, the mobile and special ones set apart)."""
    kept = [u for u in units if u.unit_type not in APART]
    return kept, [u for u in units if u.unit_type in APART]


def apart_findings(count: CountFile, apart: Sequence[Tally]) -> Iterator[Finding]:
    """CHECK.UNIT_APART (info) for each station ``set_apart`` took out of the comparison."""
    for u in apart:
        nl, en = APART[u.unit_type or ""]
        yield rule("CHECK.UNIT_APART").finding(aggregate.file_location(count, u.id), field="kr:ReportingUnitType",
                                           actual=u.unit_type, kind=Text(nl, en), source=count.source, element=u.element)
