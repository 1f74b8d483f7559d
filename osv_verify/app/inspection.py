"""``osv-verify inspect``: what is in these files, per election, without judging it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing_extensions import NotRequired, TypedDict  # pydantic needs this on Python 3.11

from osv_verify.checks.aggregate import check_same_count
from osv_verify.checks.corrections import as_original, order_versions
from osv_verify.core.errors import InputError
from osv_verify.io.discover import discover, load
from osv_verify.io.kiesraad_csv import ResearchFile
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
    """One count published in two forms (its EML and its OSV4-3 CSV): counted once, both files
    named; the CSV paired with the EML version it equals."""

    level: str
    authority: str
    files: list[str]
    #: the version of the count the CSV equals: "newest", "earlier" (an earlier session's EML or
    #: the corrigendum's original numbers: the CSV is outdated) or "none" (it equals no version)
    session: NotRequired[str]


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
        grouped: dict[tuple[str, str], list[tuple[CountFile, str]]] = {}  # (level, authority) -> its count files
        result_seats = None
        research_names: set[tuple[str, object]] = set()  # lists and candidates the research uitslag names
        for entry in entries:
            try:
                doc = load(entry)
            except InputError as err:
                errors.append(err)
                continue
            info.files.append(file_info(entry.kind, entry.source.name, doc))
            if doc.election is not None:  # type: ignore[union-attr]
                _adopt(info, doc.election)  # type: ignore[union-attr]
            if isinstance(doc, ResearchFile):
                research_names.update((("list", n) for n in doc.list_names))
                research_names.update(("candidate", k) for k in doc.candidate_names)
                units += _research(info, doc)
            elif isinstance(doc, Definition):
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
                grouped.setdefault((doc.level.value, doc.authority_id or entry.source.name), []).append((doc, entry.source.name))
        for group in grouped.values():
            doc = _one_count(group, info.published_twice)  # its versions and forms: counted once
            info.levels[doc.level.value] = info.levels.get(doc.level.value, 0) + 1
            units += len(doc.units)
            tops.setdefault(doc.level, []).append(doc.model_copy(update={"units": []}))
            if not lists and doc.total is not None:
                candidates.update((k[0], k[2] or k[1]) for k in doc.total.candidates)
        if info.seats is None and result_seats:
            info.seats, info.seats_from = result_seats, "520 (number of elected candidates)"
        info.reporting_units = units
        info.lists = len({n for _, n in lists}) if lists else (_count_lists(tops) or sum(k == "list" for k, _ in research_names))
        info.candidates = len(candidates) or sum(k == "candidate" for k, _ in research_names)
        _totals(info, tops)
        infos.append(info)
    return infos, errors, [s.name for s in inv.skipped]


def _research(info: ElectionInfo, doc: ResearchFile) -> int:
    """What a research CSV holds, added to ``info``: its regions per level (or its stations),
    the seats of its land row and, without a count file, the land's totals; its stations."""
    if doc.kind == "kr-stembureaus":
        stations = {(code, station) for code, _, _, _, station, *_ in doc.stations}
        info.levels["onderzoeksdata stembureau"] = info.levels.get("onderzoeksdata stembureau", 0) + len(stations)
        return len(stations)
    for region in doc.regions.values():
        level = f"onderzoeksdata {region.level}"
        info.levels[level] = info.levels.get(level, 0) + 1
        if region.level == "land":
            if region.seats and info.seats is None:
                info.seats, info.seats_from = sum(region.seats.values()), "onderzoeksdata (LijstAantalZetels)"
            if info.totals_from is None:
                info.totals = {key: region.tally.counts.get(key) for key in TOTAL_KEYS}
                info.totals_from = f"onderzoeksdata {region.code}"
    return 0



def _one_count(group: list[tuple[CountFile, str]], twice: list[PublishedTwice]) -> CountFile:
    """The count file that stands for one count: its newest EML version (``order_versions``, by
    content; the one read first where content does not order them), else its first CSV. Each
    other CSV is named in ``twice`` beside the EML version it equals, and which session that is."""
    emls = [(d, name) for d, name in group if d.kind != "osv4-3"]
    csvs = [(d, name) for d, name in group if d.kind == "osv4-3"]
    ordered = order_versions([d for d, _ in emls]) if len(emls) > 1 else None
    versions = [(d, name) for o in ordered for d, name in emls if d is o] if ordered else emls[:1]
    kept, kept_name = versions[-1] if versions else csvs.pop(0)
    earlier = [(v, name) for v, name in versions[:-1]]
    if (before := as_original(kept)) is not None:
        earlier.append((before, kept_name))
    for csv, name in csvs:
        if not any(check_same_count(kept, csv)):
            twin, session = kept_name, "newest"
        else:
            twin, session = next(((n, "earlier") for v, n in earlier if not any(check_same_count(v, csv))), (kept_name, "none"))
        twice.append({"level": kept.level.value, "authority": kept.authority_id or "", "files": [twin, name], "session": session})
    return kept


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
