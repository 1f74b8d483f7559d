"""Render a seat allocation: table, step log (``--explain``), JSON, Markdown, CSV."""

from __future__ import annotations

from fractions import Fraction

from osv_verify.checks.elected_order import ORDER_NOTE, ElectedNames, NameSource
from osv_verify.core.text import Text, count, pick
from osv_verify.core.escape import md_cell
from osv_verify.report.output import Format, to_csv, to_json, to_markdown
from osv_verify.seats.apportion import Allocation, Step, StepKind
from osv_verify.seats.groups import GroupResult

HEADER = ["list", "name", "votes", "full_seats", "residual_seats", "seats"]


def mixed(value: Fraction) -> str:
    """A fraction as a mixed number, the way the PV prints a quota: ``340 1/5`` (``2/15`` below 1)."""
    whole, rest = divmod(value.numerator, value.denominator)
    if not rest:
        return str(whole)
    return f"{whole} {rest}/{value.denominator}" if whole else f"{rest}/{value.denominator}"


def allocation_rows(allocation: Allocation) -> list[list[object]]:
    return [[ls.number, ls.name, ls.votes, ls.full_seats, ls.residual_seats, ls.seats] for ls in allocation.lists]


def open_seats(allocation: Allocation) -> int:
    """How many seats the allocation left open: the law needs lots before they can be given."""
    return allocation.rules.seats - sum(ls.seats for ls in allocation.lists)


def open_row(allocation: Allocation, outcome: GroupResult | None, lang: str) -> list[object] | None:
    """The row that marks the open seats in every table (text, Markdown, CSV, HTML): no list
    holds them until the lots are drawn. ``None`` when every seat is allocated."""
    need = outcome.lots_required if outcome is not None else allocation.lots_required
    n = open_seats(allocation)
    if need is None or n <= 0:
        return None
    options = ", ".join(str(o) for o in need.options)
    label = Text(f"OPEN: loting tussen {options} ({need.article})", f"OPEN: lots between {options} ({need.article})")
    return ["?", label.render(lang), "", "", "", n]


#: Shown instead of a name that no file establishes (never a guess, never a bare number).
NAME_UNKNOWN = Text("naam niet vastgesteld", "name not established")
NAME_UNKNOWN_WHY = Text(
    "naam niet vastgesteld: geen bestand zegt wie op die plaats van de lijst staat (de 520 nummert de gekozenen niet naar "
    "hun plaats op de lijst, en hun volgorde van verkiezing is voor deze lijst niet bewezen); geef de 230b "
    "(Kandidatenlijsten_...) of de OSV4-3-CSV erbij",
    "name not established: no file says who stands at that place on the list (the 520 does not number the elected by "
    "their place on the list, and their order of election is not proven for this list); add the 230b "
    "(Kandidatenlijsten_...) or the OSV4-3 CSV")


def elected_rows(outcome: GroupResult | None, names: ElectedNames) -> list[dict[str, object]]:
    """The law's elected candidates, each with the name a source establishes and that source,
    else ``name`` and ``name_source`` None."""
    if outcome is None:
        return []
    rows = []
    for party in outcome.parties:
        for e in party.elected:
            key = (party.number, e.candidate)
            source = names.sources.get(key) if key in names.names else None
            between = names.undecided.get(key)
            rows.append({"list": party.number, "candidate": e.candidate, "name": None if between else names.get(key),
                         "name_source": source.value if source and not between else None,
                         "lot_between": list(between) if between else None, "reason": e.reason.value, "sublist": e.sublist})
    return rows


def name_notes(data: dict[str, object], lang: str) -> list[str]:
    """Said once under the elected: where names come from the 520 by order of election and what
    that does not check, and per list why its names could not be established."""
    rows: list[dict[str, object]] = data["elected"]  # type: ignore[assignment]
    notes = []
    by_order = sorted({int(r["list"]) for r in rows if r["name_source"] == NameSource.ORDER_OF_ELECTION.value})  # type: ignore[call-overload]
    if by_order:
        lists = ", ".join(map(str, by_order))
        notes.append(pick(lang, f"lijst {lists}: ", f"list {lists}: ")
                     + f"{NameSource.ORDER_OF_ELECTION.text.render(lang)}: {ORDER_NOTE.render(lang)}")
    for item in data["names_not_established"]:  # type: ignore[attr-defined]
        notes.append(pick(lang, f"lijst {item['list']}: {NAME_UNKNOWN.nl}: {item['why_nl']}",
                          f"list {item['list']}: {NAME_UNKNOWN.en}: {item['why']}"))
    if any(r["name"] is None for r in rows):
        notes.append(NAME_UNKNOWN_WHY.render(lang))
    return notes


def candidate_label(row: dict[str, object], lang: str) -> str:
    """``plaats 7: name`` (the name alone where candidates are known by ShortCode), the name
    replaced by NAME_UNKNOWN where no file establishes it."""
    name = str(row["name"] or NAME_UNKNOWN.render(lang))
    between = row.get("lot_between")
    if between:  # a lot decided who, and no file shows which way
        places = pick(lang, " of ", " or ").join(map(str, between))  # type: ignore[call-overload]
        return pick(lang, f"plaats {places} (loting): ", f"place {places} (lot): ") + name
    return pick(lang, "plaats ", "place ") + f"{row['candidate']}: {name}" if str(row["candidate"]).isdigit() else name


def elected_label(row: dict[str, object], lang: str) -> str:
    """``lijst 3, plaats 7: name`` (``lijst 3: name`` where candidates are known by ShortCode)."""
    by_place = str(row["candidate"]).isdigit()
    return pick(lang, "lijst", "list") + f" {row['list']}" + (", " if by_place else ": ") + candidate_label(row, lang)


def to_data(allocation: Allocation, outcome: GroupResult | None, names: ElectedNames,
            lots: tuple[object, ...] = ()) -> dict[str, object]:
    """One allocation as ``osv-verify seats --format json`` gives it (an item of ``elections``)."""
    need = outcome.lots_required if outcome is not None else allocation.lots_required
    return {
        "seats": allocation.rules.seats,
        "votes": allocation.total_votes,
        "quota": str(allocation.quota),
        "quota_mixed": mixed(allocation.quota),
        "allocation": [dict(zip(HEADER, row)) for row in allocation_rows(allocation)],
        "steps": [
            {"article": s.article, "kind": s.kind.value, "list": s.list_number, "change": s.change,
             "value": str(s.value), "seat": s.seat, "tied": list(s.tied), "from_list": s.from_list,
             "description": step_text(s).en, "description_nl": step_text(s).nl}
            for s in allocation.steps
        ],
        "lots_drawn": list(lots),
        "lots_required": [] if need is None else [
            {"article": need.article, "kind": need.kind, "options": list(need.options),
             "seats_at_stake": need.seats_at_stake, "description": need.text.en, "description_nl": need.text.nl}],
        "open_seats": open_seats(allocation),
        "warnings": [{"code": w.code, "message": w.text.en, "message_nl": w.text.nl} for w in allocation.warnings],
        "law_notes": [n.en for n in allocation.rules.notes],  # e.g. the law's preference threshold used instead of the 110a's
        "law_notes_nl": [n.nl for n in allocation.rules.notes],
        "elected": (elected := elected_rows(outcome, names)),
        "names_not_established": [  # lists whose elected no file names, and why the 520's order of election could not
            {"list": lst, "why": why.en, "why_nl": why.nl} for lst, why in sorted(names.unnamed.items())
            if any(r["list"] == lst and r["name"] is None for r in elected)],
    }


def seats_document(elections: list[dict[str, object]], input_errors: list[str]) -> str:
    """The whole ``seats --format json`` output: one JSON document for the run, however many
    elections it holds (schema ``osv-verify/seats/3``)."""
    from osv_verify.report.schema import schema_id

    return to_json({"schema": schema_id("seats"), "elections": elections, "input_errors": input_errors})


#: The column heads for people (table, Markdown) in Dutch; CSV and JSON keep the English keys.
HEADER_NL = ["lijst", "naam", "stemmen", "volle zetels", "restzetels", "zetels"]

#: Words of the text report: ``WORDS[lang][key]``.
WORDS = {
    "nl": {"head": "zetels {seats}, stemmen op lijsten {votes}, kiesdeler {quota}", "steps": "stappen", "elected": "gekozen",
           "warning": "waarschuwing", "law": "wet", "lots": "LOTING NODIG: {what}; {open} nog niet verdeeld (geef de uitkomst van de loting met --lots BESTAND)",
           "preference": "voorkeurstemmen", "list order": "lijstvolgorde"},
    "en": {"head": "seats {seats}, votes on lists {votes}, quota (kiesdeler) {quota}", "steps": "steps", "elected": "elected",
           "warning": "warning", "law": "law", "lots": "LOTS REQUIRED: {what}; {open} not yet allocated (give the drawn outcome with --lots FILE)",
           "preference": "preference votes", "list order": "list order"},
}

_KIND_NL = {StepKind.HIGHEST_AVERAGE: "grootste gemiddelde", StepKind.LARGEST_REMAINDER: "grootste overschot",
            StepKind.UNIQUE_HIGHEST_AVERAGE: "grootste gemiddelde (één per lijst)"}


def seats_title(election: str, source: str, seats_from: str, lang: str) -> str:
    """The heading of one election's seat report: what it was computed from, and where the
    number of seats came from (the 110a, or the 520 when no 110a was given)."""
    if lang == "en":
        return f"{election}: seats computed from {source}; number of seats from the {seats_from}"
    return f"{election}: zetelverdeling berekend uit {source}; aantal zetels uit de {seats_from}"


def step_text(step: Step) -> Text:
    """One step of the allocation in words, both languages written from the step's data."""
    n, value = step.list_number, mixed(step.value)
    if step.kind is StepKind.FULL_SEATS:
        return Text(f"lijst {n}: {count(step.change, 'volle zetel', 'volle zetels')} ({value} keer de kiesdeler)",
                    f"list {n}: {count(step.change, 'full seat', 'full seats')} ({value} times the quota)")
    if step.kind is StepKind.ABSOLUTE_MAJORITY:
        return Text(f"lijst {n} heeft de volstrekte meerderheid van de stemmen: restzetel {step.seat} gaat over "
                    f"van lijst {step.from_list} naar lijst {n}",
                    f"list {n} has an absolute majority of the votes: residual seat {step.seat} moves from list "
                    f"{step.from_list} to list {n}")
    if step.kind is StepKind.LIST_EXHAUSTION:
        candidates = int(step.value)
        return Text(f"lijst {n} heeft maar {count(candidates, 'kandidaat', 'kandidaten')}: een zetel vervalt",
                    f"list {n} has only {count(candidates, 'candidate', 'candidates')}: a {step.withdrawn} seat is withdrawn")
    others = ", ".join(str(t) for t in step.tied if t != n)
    return Text(f"restzetel {step.seat} naar lijst {n}: {_KIND_NL[step.kind]} {value}"
                + (f" (gelijk met lijst {others})" if others else ""),
                f"residual seat {step.seat} to list {n}: {step.kind.value.replace('_', ' ')} {value}"
                + (f" (tied with lists {others})" if others else ""))


def render(allocation: Allocation, outcome: GroupResult | None, names: ElectedNames, fmt: Format,
           explain: bool, lots: tuple[object, ...] = (), title: str = "", lang: str = "nl") -> str:
    data = to_data(allocation, outcome, names, lots)
    if fmt is Format.JSON:
        return seats_document([data], [])
    rows = allocation_rows(allocation)
    open_seat = open_row(allocation, outcome, lang)
    if open_seat is not None:
        rows.append(open_seat)
    if fmt is Format.CSV:
        return to_csv(HEADER, rows)
    w = WORDS["en" if lang == "en" else "nl"]
    header = HEADER if lang == "en" else HEADER_NL
    lines: list[str] = [f"# {md_cell(title)}", ""] if title and fmt is Format.MARKDOWN else ([title, ""] if title else [])
    lines.append(w["head"].format(seats=allocation.rules.seats, votes=allocation.total_votes, quota=mixed(allocation.quota)))
    lines.append("")
    if fmt is Format.MARKDOWN:
        lines.append(to_markdown(header, rows))
    else:
        widths = [4, max([4, *(len(str(row[1])) for row in rows)]), 9, 12, 14, 6]
        lines.append("  ".join(h.ljust(wd) for h, wd in zip(header, widths)))
        for row in rows:
            lines.append("  ".join(str(v).ljust(wd) for v, wd in zip(row, widths)))
    if explain:
        lines += ["", f"{w['steps']}:" if fmt is not Format.MARKDOWN else f"## {w['steps']}", ""]
        lines += [f"- {s.article}: {step_text(s).render(lang)}" for s in allocation.steps]
        lines += [f"- {w['law']}: {note.render(lang)}" for note in allocation.rules.notes]
    for warning in allocation.warnings:
        lines.append(f"{w['warning']} {warning.code}: {warning.text.render(lang)}")
    need = outcome.lots_required if outcome is not None else allocation.lots_required
    if need is not None:
        n = open_seats(allocation)
        lines.append(w["lots"].format(what=need.text.render(lang),
                                      open=count(n, "zetel", "zetels") if lang != "en" else count(n, "seat", "seats")))
    if data["elected"]:
        lines += ["", f"{w['elected']}:" if fmt is not Format.MARKDOWN else f"## {w['elected']}", ""]
        name = md_cell if fmt is Format.MARKDOWN else str
        lines += [f"- {name(elected_label(e, lang))} ({w.get(str(e['reason']), e['reason'])})"
                  for e in data["elected"]]  # type: ignore[union-attr]
        notes = name_notes(data, lang)
        lines += ["", *notes] if notes else []
    return "\n".join(lines) + "\n"
