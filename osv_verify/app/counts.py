"""Count files as the use cases take them: which entries are counts, which of them publish the
same count, and the checks of one count file on its own (``verify``, ``compare``, ``export``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from osv_verify.checks import aggregate, corrections
from osv_verify.checks.category import check_voter_cards
from osv_verify.checks.earlier import Earlier
from osv_verify.checks.plausibility import check_plausibility
from osv_verify.checks.registry import rule
from osv_verify.checks.thresholds import DEFAULTS, Thresholds
from osv_verify.checks.tally import Context, check_tally
from osv_verify.core.findings import Finding, Location
from osv_verify.core.model import CountFile, Level
from osv_verify.core.text import Text
from osv_verify.io.eml_common import COUNT_LEVELS
from osv_verify.io.discover import Entry


def is_count(entry: Entry) -> bool:
    """A count file: an EML 510 (any level) or an OSV4-3 CSV."""
    return entry.kind in COUNT_LEVELS or entry.kind == "osv4-3"


def publications(entries: Iterable[Entry]) -> list[list[Entry]]:
    """The count entries grouped so that publications of the same count (EML and CSV of one
    authority at one level) are read together: compared by ``verify``, exported once."""
    groups: dict[tuple, list[Entry]] = {}
    for e in entries:
        if is_count(e):
            key = (e.level, e.authority) if e.authority else ("single", e.source.name)
            groups.setdefault(key, []).append(e)
    return list(groups.values())


def units_in(count: CountFile) -> int:
    """The tallies of a count file that ``check_count`` checks: its total and each unit."""
    return (count.total is not None) + len(count.units)


def check_count(count: CountFile, plausibility: Thresholds | None = None,
                not_run: Counter[tuple[str, Text]] | None = None, earlier: Earlier | None = None) -> Iterator[Finding]:
    """Every check of one count file on its own: each PV and total (``checks.tally``), the totals
    against their units (``checks.aggregate``) and, with ``plausibility`` thresholds, the
    plausibility checks of its stations, each fact once (``once``). A check that cannot run on a
    tally is counted in ``not_run`` (code, why)."""
    yield from once(_checks_of(count, plausibility, Counter() if not_run is None else not_run, earlier))


def _checks_of(count: CountFile, plausibility: Thresholds | None, not_run: Counter[tuple[str, Text]],
               earlier: Earlier | None = None) -> Iterator[Finding]:
    station_units = count.level in (Level.MUNICIPALITY, Level.STATION)
    tallies = ([(count.total, False)] if count.total is not None else []) + [(u, station_units) for u in count.units]
    for tally, is_station in tallies:
        ctx = Context(
            location=aggregate.file_location(count, tally.id),
            source=count.source,
            element=tally.element,
            station=is_station,
            not_run=not_run,
            stations_in_file=tally is count.total and station_units and bool(count.units),
            thresholds=plausibility or DEFAULTS,
            above_municipality=count.level in (Level.DISTRICT, Level.CENTRAL),
        )
        yield from check_tally(tally, ctx)
    yield from aggregate.check_file(count)
    yield from check_voter_cards(count)
    yield from corrections.check_file(count)
    if plausibility is not None and station_units:
        yield from check_plausibility(count, plausibility, earlier=earlier)


def once(findings: Iterable[Finding]) -> Iterator[Finding]:
    """Each fact once: a finding whose rule ``restates`` another is dropped when that rule found
    the same difference at the same place before it (``P.MISSING_EXPLANATION`` beside the error
    ``TALLY.EXPLANATIONS`` on one station); the owning rule runs first."""
    seen: set[tuple[str, Location, object]] = set()
    for f in findings:
        owner = rule(f.code).restates
        if owner is None or (owner, f.location, f.expected) not in seen:
            seen.add((f.code, f.location, f.expected))
            yield f
