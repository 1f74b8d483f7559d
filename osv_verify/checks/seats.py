"""Seats and elected candidates recomputed and compared with the published 520."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from osv_verify.checks.registry import rule
from osv_verify.findings import Finding, Location

if TYPE_CHECKING:
    from osv_verify.verify import ElectionData


def check_seats(data: ElectionData) -> Iterator[Finding]:
    if data.results:
        yield rule("CHECK.NOT_RUN").finding(Location(election=data.id), field="SEATS", check="SEATS",
                                            why="seat allocation is not implemented yet")
