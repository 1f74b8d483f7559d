"""``osv-verify template``: a blank entry sheet for one gemeente, in the OSV4-3 CSV layout.

Municipal staff type each paper PV into it twice (two people, two copies) and then run
``osv-verify compare`` on the two copies, and on a copy and the published file. The layout
is the one the municipality's own software exports (BOM, ``;``), so it opens cleanly in a
spreadsheet, with the header block naming the election and the gemeente.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from osv_verify.core.errors import UsageError
from osv_verify.core.text import Text
from osv_verify.io.discover import discover, load
from osv_verify.io.osv_csv_write import write_osv_csv
from osv_verify.core.model import (
    CandidateKey,
    CandidateLists,
    CountFile,
    Definition,
    Document,
    Level,
    PollingStations,
    ResultFile,
    Tally,
)

#: The numbers a station PV gives, blank in the sheet.
STATION_KEYS = ("eligible", "poll_cards", "proxy_certificates", "voter_cards", "admitted", "valid", "blank",
                "invalid", "more_ballots", "fewer_ballots", "taken_home", "too_few_issued", "too_many_issued",
                "no_explanation", "other_explanation")


def names_from(docs: Sequence[Document], contest: str | None) -> tuple[dict[int, str], dict[tuple[int, str], str]]:
    """List names and candidate names by (list, position) from every input that has them.

    A 520 names the elected candidates, an OSV CSV (or another count) all candidates of its
    lists, the 230b of the gemeente's contest (any, if unknown) every candidate; later
    sources win, so the 230b, the candidates' own registration, has the last word.
    """
    list_names: dict[int, str] = {}
    cand_names: dict[tuple[int, str], str] = {}
    for doc in docs:
        if isinstance(doc, ResultFile):
            for e in doc.elected:
                if e.list_name:
                    list_names[e.list_number] = e.list_name
                if e.candidate.number is not None:
                    cand_names[(e.list_number, str(e.candidate.number))] = e.candidate.display_name
    for doc in docs:
        if isinstance(doc, CountFile):
            list_names.update(doc.list_names)
            cand_names.update({(k[0], k[1]): name for k, name in doc.candidate_names.items() if k[1] is not None and name})
    lists = [d for d in docs if isinstance(d, CandidateLists)]
    chosen = [c for c in lists if contest in (None, "geen", c.contest_id)] or lists
    for doc in chosen[:1]:
        for pl in doc.lists:
            list_names[pl.number] = pl.name
            for c in pl.candidates:
                if c.number is not None:
                    cand_names[(pl.number, str(c.number))] = c.display_name
    return list_names, cand_names


def _keyed(names: dict[tuple[int, str], str], keys: Iterable[CandidateKey]) -> dict[CandidateKey, str]:
    """The names under the sheet's own candidate keys (which may carry a ShortCode), and
    under ``(list, position, None)`` for candidates the sheet does not have yet."""
    out = {(lst, pos, None): name for (lst, pos), name in names.items()}
    for key in keys:
        if key[1] is not None and (key[0], key[1]) in names:
            out.pop((key[0], key[1], None), None)
            out[key] = names[(key[0], key[1])]
    return out


def _skeleton_tally(tally_id: str | None, name: str | None, lists: CandidateLists) -> Tally:
    return Tally(
        id=tally_id,
        name=name,
        counts={k: 0 for k in STATION_KEYS},
        lists={pl.number: 0 for pl in lists.lists},
        candidates={(pl.number, str(c.number), None): 0 for pl in lists.lists for c in pl.candidates if c.number is not None},
    )


def from_count(count: CountFile, docs: Sequence[Document]) -> tuple[CountFile, dict[CandidateKey, str]]:
    """Blank sheet with the units, lists and candidates of an existing 510b or OSV CSV; the
    names from every input that has them (``names_from``)."""
    if count.level is not Level.MUNICIPALITY:
        raise UsageError(Text(f"{count.source} is een telling van niveau {count.level.value}; een invoerblad is voor één gemeente (510b)",
                              f"{count.source} is a {count.level.value} count; a template is made for one gemeente (510b)"))
    list_names, cand_names = names_from([*docs, count], count.contest_id)
    keys = {k for t in [count.total, *count.units] if t is not None for k in t.candidates}
    sheet = count.model_copy(update={"list_names": {**count.list_names, **list_names}})
    return sheet, {**count.candidate_names, **_keyed(cand_names, keys)}


def from_definition(stations: PollingStations, docs: Sequence[Document], definition: Definition | None) -> tuple[CountFile, dict[CandidateKey, str]]:
    """Blank sheet from the polling stations (110b) and candidate lists (230b)."""
    lists = [d for d in docs if isinstance(d, CandidateLists)]
    if not lists:
        raise UsageError(Text("een invoerblad uit een 110b heeft ook de kandidatenlijsten (230b) nodig",
                              "a template from a 110b also needs the candidate lists (230b)"))
    list_names, names = names_from(docs, stations.contest_id)
    cand_names = _keyed(names, ())
    chosen = next((c for c in lists if c.contest_id in (None, "geen", stations.contest_id)), lists[0])
    authority = stations.authority_id
    units = [
        _skeleton_tally(f"{authority}::SB{s.number}", f"Stembureau {s.name}" + (f" (postcode: {s.postcode})" if s.postcode else ""), chosen)
        for s in stations.stations
    ]
    election = definition.election if definition else stations.election
    sheet = CountFile(
        source="template",
        kind="510b",
        level=Level.MUNICIPALITY,
        election=election,
        authority_id=authority,
        authority_name=election.domain_name if election.domain_id == authority else None,
        contest_id=stations.contest_id,
        list_names=list_names,
        total=_skeleton_tally(None, None, chosen),
        units=units,
    )
    return sheet, cand_names


def render(sheet: CountFile, names: dict[CandidateKey, str]) -> bytes:
    return write_osv_csv(sheet, candidate_names=names, blank=True)


def sheet_for(paths: Iterable[str | Path], authority: str | None = None) -> tuple[CountFile, dict[CandidateKey, str]]:
    """The blank sheet of the one gemeente among ``paths`` (or the one with code ``authority``):
    from its count (the published EML first; a CSV adds its names), else from its 110b."""
    inv = discover(paths)
    if inv.problems:
        raise inv.problems[0]
    docs = [load(e) for e in inv.entries]
    counts = [d for d in docs if isinstance(d, CountFile) and (authority is None or d.authority_id == authority)]
    counts.sort(key=lambda c: c.kind == "osv4-3")  # the published EML first; a CSV adds its names
    stations = [d for d in docs if isinstance(d, PollingStations) and (authority is None or d.authority_id == authority)]
    definition = next((d for d in docs if isinstance(d, Definition)), None)
    if counts:
        authorities = {c.authority_id for c in counts}
        if len(authorities) > 1:
            several = ", ".join(sorted(map(str, authorities)))
            raise UsageError(Text(f"meerdere gemeenten in de invoer ({several}); kies er een met --authority",
                                  f"several gemeenten in the input ({several}); choose one with --authority"))
        sheet, names = from_count(counts[0], docs)
    elif stations:
        if len(stations) > 1:
            raise UsageError(Text("meerdere 110b-bestanden in de invoer; kies een gemeente met --authority",
                                  "several 110b files in the input; choose one gemeente with --authority"))
        sheet, names = from_definition(stations[0], docs, definition)
    else:
        code_en, code_nl = (f" with code {authority}", f" met code {authority}") if authority else ("", "")
        raise UsageError(Text(f"geen 510b, OSV4-3-CSV of 110b van een gemeente in de invoer{code_nl}",
                              f"no 510b, OSV4-3 CSV or 110b for a gemeente in the input{code_en}"))
    return sheet, names
