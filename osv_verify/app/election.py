"""One election as ``verify`` sees it: its inputs (frozen) and the record of what the run did.

``ElectionInputs`` are the small documents of the election, read whole before any count
(definitions, candidate lists, polling stations, results) and the run's settings (lots,
plausibility thresholds): the checks take from them what they need, as arguments.
``RunRecord`` is what the run did and met (the files read and not read, the units checked, the
checks that could not run, the summaries of the counts, the names the files give): only
``osv_verify.app.verify`` writes it; the verdict (``osv_verify.app.verdict``) reads it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from osv_verify.app.printed import PrintedReport
from osv_verify.checks.aggregate import Summary
from osv_verify.checks.corrections import Sessions
from osv_verify.checks.definition import agreed_definition
from osv_verify.checks.earlier import Earlier
from osv_verify.checks.thresholds import Thresholds
from osv_verify.core.model import CandidateLists, CountFile, Definition, ElectionRef, Level, PollingStations, ResultFile
from osv_verify.core.text import Text
from osv_verify.io.kiesraad_csv import Research


@dataclass(frozen=True)
class ElectionInputs:
    """The small documents of one election and the run's settings; counts are streamed past."""

    id: str
    definitions: tuple[Definition, ...] = ()  # every 110a read
    lists: tuple[CandidateLists, ...] = ()
    stations: tuple[PollingStations, ...] = ()
    results: tuple[ResultFile, ...] = ()
    lots: tuple[int | str, ...] = ()  # drawn lots (list numbers or candidate ids), in order
    plausibility: Thresholds | None = None  # run the plausibility checks with these settings
    research: Research | None = None  # the Kiesraad's research CSVs of the election (issue 24)
    earlier: Earlier | None = None  # an earlier election's station counts (verify --earlier, issue 23)

    @cached_property
    def definition(self) -> Definition | None:
        """The 110a, when every 110a of the election agrees (``agreed_definition``)."""
        return agreed_definition(self.definitions)


@dataclass
class RunRecord:
    """What ``verify`` did for one election, and the names its files gave on the way."""

    files: list[tuple[str, str]] = field(default_factory=list)  # (kind, source)
    unread: list[str] = field(default_factory=list)  # files of this election that failed to read
    refs: list[tuple[str, ElectionRef]] = field(default_factory=list)  # (source, the election it names)
    summaries: list[Summary] = field(default_factory=list)
    units_checked: int = 0
    not_run: Counter[tuple[str, Text]] = field(default_factory=Counter)  # (code, why) -> units
    ran: Counter[str] = field(default_factory=Counter)  # "sources": pairs compared, "units": files against the definition
    differing: list[tuple[str, str]] = field(default_factory=list)  # (kind, kind) of two publications of one count that differ
    unit_names: dict[str, str] = field(default_factory=dict)  # unit id (and authority id) -> name, as the files give it
    list_names: dict[int, str] = field(default_factory=dict)
    station_lists: dict[str, dict[str, dict[int, int]]] = field(default_factory=dict)  # with plausibility only
    sessions: list[Sessions] = field(default_factory=list)  # counts published again after a later session
    superseded: list[Summary] = field(default_factory=list)  # their earlier versions (CORR.OUTDATED)
    created: dict[str, dt.datetime] = field(default_factory=dict)  # count file source -> its creation time (signatures)
    printed: PrintedReport = field(default_factory=PrintedReport)  # its PDF PVs and signatures (app/printed.py)

    @property
    def first_ref(self) -> ElectionRef | None:
        """The election as the first file read names it."""
        return self.refs[0][1] if self.refs else None

    def remember_names(self, count: CountFile, with_station_lists: bool) -> None:
        """Keep the names the file gives (first one read wins) so reports can say "Dorpshuis De
        Hucht", not only ``0668::SB1``; with ``with_station_lists`` also each station's list totals."""
        if count.authority_id and count.authority_name:
            self.unit_names.setdefault(count.authority_id, count.authority_name)
        for unit in count.units:
            if unit.id and unit.name:
                self.unit_names.setdefault(unit.id, unit.name)
        for number, name in count.list_names.items():
            self.list_names.setdefault(number, name)
        if count.created is not None:
            self.created[count.source] = count.created
        if with_station_lists and count.level in (Level.MUNICIPALITY, Level.STATION):
            stations = self.station_lists.setdefault(count.authority_id or "", {})
            for unit in count.units:
                if unit.id:
                    stations.setdefault(unit.id, dict(unit.lists))

    def merge(self, part: RunRecord) -> None:
        """Add what a worker process did for some of the election's counts (``--jobs``)."""
        self.summaries.extend(part.summaries)
        self.files.extend(part.files)
        self.refs.extend(part.refs)
        self.created.update(part.created)
        self.units_checked += part.units_checked
        self.not_run.update(part.not_run)
        for key, value in part.unit_names.items():
            self.unit_names.setdefault(key, value)
        for number, name in part.list_names.items():
            self.list_names.setdefault(number, name)
        for authority, stations in part.station_lists.items():
            self.station_lists.setdefault(authority, {}).update(stations)
        self.unread.extend(part.unread)
        self.ran.update(part.ran)
        self.differing.extend(part.differing)
        self.sessions.extend(part.sessions)
        self.superseded.extend(part.superseded)


def election_ref(inputs: ElectionInputs, record: RunRecord) -> ElectionRef | None:
    """The election: as its agreed 110a defines it, else as the first file read names it."""
    definition = inputs.definition
    return definition.election if definition else record.first_ref
