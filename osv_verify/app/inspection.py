"""``osv-verify inspect``: what is in these files, per election, without judging it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing_extensions import NotRequired, TypedDict  # pydantic needs this on Python 3.11

from osv_verify.checks.corrections import order_versions
from osv_verify.core.errors import InputError
from osv_verify.io.discover import discover, load
from osv_verify.core.model import (
    CandidateLists,
    CountFile,
    Definition,
    ElectionRef,
    Level,
    PollingStations,
    ResultFile,
)

TOTAL_KEYS = ("eligible", "admitted", "valid", "blank", "invalid")
LEVEL_ORDER = [Level.CENTRAL, Level.DISTRICT, Level.MUNICIPALITY, Level.STATION]


class PublishedTwice(TypedDict):
    """One count published in two forms (its EML and its OSV4-3 CSV): counted once, both files named."""

    level: str
    authority: str
    files: list[str]


class FileInfo(TypedDict):
    """One file of an election; for an EML count also how it is written (EML_NL 1.3 and who wrote it)."""

    kind: str
    source: str
    producer: NotRequired[str | None]  # 'Abacus' or 'OSV2020-U' by the way the file is written; null: unclear
    schema_version: NotRequired[str | None]  # kr:Schema Version; null: EML_NL 1.2.2 or older
    counting_method: NotRequired[str | None]  # kr:CountingMethod
    phase: NotRequired[str | None]  # kr:Phase: 'eerste zitting' or 'corrigendum'
    corrigendum_spelling: NotRequired[str | None]  # 'Initial' (EML_NL 1.3), 'Previous' (rust-eml-nl 1.3.1); null: none
    invalid: NotRequired[list[str]]  # kr: values the schema does not allow, not used (META.SCHEMA_VALUE): "kr:Phase 'derde zitting'"


def file_info(kind: str, source: str, doc: object) -> FileInfo:
    info: FileInfo = {"kind": kind, "source": source}
    if isinstance(doc, CountFile) and doc.kind != "osv4-3":
        info.update(producer=doc.producer, schema_version=doc.schema_version, counting_method=doc.counting_method,
                    phase=doc.phase, corrigendum_spelling=doc.twin_spelling)
        if invalid := [element for kind, element, _ in doc.notes if kind in ("invalid", "repeated")]:
            info["invalid"] = invalid
    return info


@dataclass
class ElectionInfo:
    id: str
    name: str | None = None
    category: str | None = None
    subcategory: str | None = None
    date: str | None = None
    seats: int | None = None
    seats_from: str | None = None
    files: list[FileInfo] = field(default_factory=list)
    levels: dict[str, int] = field(default_factory=dict)  # level -> number of count files
    reporting_units: int = 0
    lists: int = 0
    candidates: int = 0
    totals: dict[str, int | None] = field(default_factory=dict)
    totals_from: str | None = None
    #: counts published in two forms (an EML and an OSV4-3 CSV of the same count), each counted once
    published_twice: list[PublishedTwice] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def _adopt(info: ElectionInfo, ref: ElectionRef) -> None:
    info.name = info.name or ref.name
    info.category = info.category or ref.category
    info.subcategory = info.subcategory or ref.subcategory
    info.date = info.date or (ref.date.isoformat() if ref.date else None)


def inspect(paths: Iterable[str | Path]) -> tuple[list[ElectionInfo], list[InputError], list[str]]:
    inv = discover(paths)
    errors = list(inv.problems)
    infos: list[ElectionInfo] = []
    for eid, entries in inv.elections().items():
        info = ElectionInfo(id=eid)
        tops: dict[Level, list[CountFile]] = {}
        lists: dict[tuple[str | None, int], int] = {}
        candidates: set[tuple] = set()
        units = 0
        seen: dict[tuple[str, str], tuple[str, str]] = {}  # (level, authority) -> (kind, file) counted
        result_seats = None
        for entry in entries:
            try:
                doc = load(entry)
            except InputError as err:
                errors.append(err)
                continue
            info.files.append(file_info(entry.kind, entry.source.name, doc))
            _adopt(info, doc.election)  # type: ignore[union-attr]
            if isinstance(doc, Definition):
                info.seats, info.seats_from = doc.seats, "110a"
            elif isinstance(doc, ResultFile):
                result_seats = len(doc.elected)
            elif isinstance(doc, CandidateLists):
                for pl in doc.lists:
                    lists[(doc.contest_id, pl.number)] = len(pl.candidates)
                    candidates.update((pl.number, c.short_code or c.display_name) for c in pl.candidates)
            elif isinstance(doc, PollingStations):
                info.levels["110b stembureaus"] = info.levels.get("110b stembureaus", 0) + len(doc.stations)
            elif isinstance(doc, CountFile):
                key = (doc.level.value, doc.authority_id or "")
                if doc.authority_id and key in seen and seen[key][0] != doc.kind:
                    # the same count in its other form: named, not added again
                    info.published_twice.append({"level": doc.level.value, "authority": doc.authority_id,
                                                 "files": [seen[key][1], entry.source.name]})
                    tops.setdefault(doc.level, []).append(doc.model_copy(update={"units": []}))
                    continue
                if doc.authority_id and key in seen and doc.kind != "osv4-3":
                    _newest_version(tops[doc.level], doc)  # a corrigendum of the same count: counted once
                    continue
                seen.setdefault(key, (doc.kind, entry.source.name))
                info.levels[doc.level.value] = info.levels.get(doc.level.value, 0) + 1
                units += len(doc.units)
                tops.setdefault(doc.level, []).append(doc.model_copy(update={"units": []}))
                if not lists and doc.total is not None:
                    candidates.update((k[0], k[2] or k[1]) for k in doc.total.candidates)
        if info.seats is None and result_seats:
            info.seats, info.seats_from = result_seats, "520 (number of elected candidates)"
        info.reporting_units = units
        info.lists = len({n for _, n in lists}) if lists else _count_lists(tops)
        info.candidates = len(candidates)
        _totals(info, tops)
        infos.append(info)
    return infos, errors, [s.name for s in inv.skipped]


def _newest_version(files: list[CountFile], doc: CountFile) -> None:
    """Keep the newer of two EML versions of one count (``order_versions``: by content); when
    their content does not order them, the one read first stays."""
    for i, kept in enumerate(files):
        if kept.authority_id == doc.authority_id and kept.kind == doc.kind:
            order = order_versions([kept, doc])
            if order is not None and order[-1] is doc:
                files[i] = doc.model_copy(update={"units": []})
            return


def _count_lists(tops: dict[Level, list[CountFile]]) -> int:
    numbers = {n for files in tops.values() for f in files if f.total for n in f.total.lists}
    return len(numbers)


def _totals(info: ElectionInfo, tops: dict[Level, list[CountFile]]) -> None:
    """Totals from the highest level present (summed when several files share that level)."""
    for level in LEVEL_ORDER:
        # one file per authority: an EML and an OSV CSV of the same count are not added up
        unique: dict[str | None, CountFile] = {}
        for f in tops.get(level, []):
            if f.total is not None and (f.authority_id not in unique or f.kind != "osv4-3"):
                unique[f.authority_id] = f
        files = list(unique.values())
        if not files:
            continue
        for key in TOTAL_KEYS:
            values = [f.total.counts.get(key) for f in files]  # type: ignore[union-attr]
            info.totals[key] = None if any(v is None for v in values) else sum(values)  # type: ignore[arg-type]
        info.totals_from = f"{len(files)} {level.value} total" + ("s" if len(files) > 1 else "")
        return
