"""The check catalogue rendered for ``verify --list-checks``, ``explain CODE`` and ``docs/checks.md``."""

from __future__ import annotations

from dataclasses import fields

from osv_verify.checks.measured import MEASURED
from osv_verify.checks.registry import ACTIVE, RULES
from osv_verify.app.verdict import PART_TITLES
from osv_verify.checks.rule import Example, Rule, RuleStatus, Runner, Units, field_label
from osv_verify.checks.thresholds import DEFAULTS, SETTINGS_HELP
from osv_verify.core.text import SEVERITY_NL, Text, pick
from osv_verify.report.output import Format, to_csv, to_json, to_markdown

HEADER = ["code", "severity", "title", "titel", "mirrors", "law", "scope"]


def rows() -> list[list[object]]:
    return [[r.code, r.severity.value, r.title.en, r.title.nl, name(r.mirrors, "en"), name(r.law, "en"), r.scope.en] for r in ACTIVE.values()]


def settings_rows(lang: str = "en") -> list[list[object]]:
    """The plausibility thresholds: name, default (the control protocol's value), meaning."""
    return [[f.name, getattr(DEFAULTS, f.name), SETTINGS_HELP[f.name].render(lang)] for f in fields(DEFAULTS)]


SETTINGS_HEADER = ["setting", "default", "meaning"]
MEASURED_HEADER = ["code", "measured on real data", "gemeten op echte data"]


def measured_rows() -> list[list[object]]:
    """What each plausibility check does on real stations (``osv_verify.checks.measured``)."""
    return [[code, m.en, m.nl] for code, m in MEASURED.items() if code in ACTIVE]


def render_catalogue(fmt: Format, lang: str = "nl") -> str:
    """The catalogue for ``--list-checks``: the text and Markdown in the language (Dutch titles
    by default), JSON and CSV with every column (``title`` and ``titel`` both)."""
    if fmt is Format.JSON:
        from osv_verify.report.schema import schema_id

        return to_json({"schema": schema_id("checks"), "checks": [dict(zip(HEADER, row)) for row in rows()],
                        "plausibility_settings": [dict(zip(SETTINGS_HEADER, row)) for row in settings_rows()],
                        "plausibility_measured": [dict(zip(MEASURED_HEADER, row)) for row in measured_rows()]})
    if fmt is Format.CSV:
        return to_csv(HEADER, rows())
    if fmt is Format.MARKDOWN and lang == "en":
        return (to_markdown(HEADER, rows()) + "\n" + to_markdown(SETTINGS_HEADER, settings_rows()) + "\n"
                + to_markdown(["code", "measured on real data"], [[code, en] for code, en, _ in measured_rows()]))
    if fmt is Format.MARKDOWN:  # the Dutch columns (mirrors and scope: see --lang en, or explain CODE)
        return (to_markdown(["code", "ernst", "titel", "wet"], [[r.code, SEVERITY_NL[r.severity.value], r.title.nl, name(r.law, "nl")] for r in ACTIVE.values()])
                + "\n" + to_markdown(["drempel", "standaard", "betekenis"],
                                      settings_rows("nl"))
                + "\n" + to_markdown(["code", "gemeten op echte data"], [[code, nl] for code, _, nl in measured_rows()]))
    width = max(len(r.code) for r in ACTIVE.values())
    en = lang == "en"
    text = "".join(f"{r.code:<{width}}  {r.severity.value if en else SEVERITY_NL[r.severity.value]:<12}  {r.title.render(lang)}\n"
                   for r in ACTIVE.values())
    if en:
        text += "\nplausibility settings (verify --plausibility --set NAME=VALUE):\n"
        text += "".join(f"  {name}={default}  {meaning}\n" for name, default, meaning in settings_rows())
        text += "\nmeasured on real data (benchmarks/plausibility_real.py, docs/plausibility.md):\n"
        return text + "".join(f"  {code}  {measured}\n" for code, measured, _ in measured_rows())
    text += "\ndrempels voor plausibiliteit (verify --plausibility --set NAAM=WAARDE):\n"
    text += "".join(f"  {name}={default}  {meaning}\n" for name, default, meaning in settings_rows("nl"))
    text += "\ngemeten op echte data (benchmarks/plausibility_real.py, docs/plausibility.md):\n"
    return text + "".join(f"  {code}  {measured}\n" for code, _, measured in measured_rows())


#: A rule's status in words.
STATUS_WORDS = {RuleStatus.ACTIVE: Text("actief", "active"), RuleStatus.RETIRED: Text("ingetrokken", "retired")}

#: Every field of a rule, as ``explain`` and docs/checks.md show it: (key, Dutch label, English label).
RULE_FIELDS = (("code", "code", "code"), ("severity", "ernst", "severity"), ("part", "onderdeel", "part"),
               ("family", "familie", "family"), ("status", "status", "status"), ("title", "titel", "title"),
               ("why", "waarom", "why"), ("mirrors", "Kiesraad-regel", "mirrors"), ("law", "wet", "law"),
               ("scope", "bereik", "scope"), ("example", "voorbeeld", "example"))


#: The words of an example's units and runners (unit names other than these: ``SB..`` a station, else a gemeente).
UNIT_WORDS = {"station": Text("stembureau", "polling station"), "total": Text("totaal", "total")}
RUNNER_WORDS = {
    Runner.PLAUSIBILITY: Text("met --plausibility (standaarddrempels): ", "with --plausibility (default settings): "),
    Runner.ENTRIES: Text("twee invoeren vergeleken (compare): ", "two entries compared (compare): "),
}


def _unit_text(units: Units, lang: str) -> str:
    def unit(name: str) -> str:
        if name in UNIT_WORDS:
            return UNIT_WORDS[name].render(lang)
        return (pick(lang, "stembureau ", "station ") if name.startswith("SB") else "gemeente ") + name

    def value(v: int | str) -> str:
        return repr(v) if isinstance(v, str) else str(v)  # text: a cell as typed, that cannot be read

    return "; ".join(f"{unit(name)}: " + (", ".join(f"{field_label(k, lang)}={value(v)}" for k, v in fields_.items())
                                          or pick(lang, "niets ingevuld", "nothing filled in"))
                     for name, fields_ in units.items())


def example_text(r: Rule, lang: str = "en") -> str:
    """The example in words of the language: ``stembureau: geldige stempassen=10, ...``
    (units separated by ``; ``), the runner when it is not one PV or file, the codes it also
    gives; a rule without one: its note."""
    example = r.example
    if not isinstance(example, Example):
        return r.example_note.render(lang) if r.example_note else ""
    text = RUNNER_WORDS[example.runner].render(lang) if example.runner in RUNNER_WORDS else ""
    if example.other is not None:
        text += f"A: {_unit_text(example.units, lang)} | B: {_unit_text(example.other, lang)}"
    else:
        text += _unit_text(example.units, lang)
    if example.also:
        text += pick(lang, " (geeft ook ", " (also gives ") + ", ".join(example.also) + ")"
    return text


def example_json(example: Example | None) -> dict[str, object] | None:
    """The example as data: the runner, the units (and for two entries the other), codes it also gives."""
    if not isinstance(example, Example):
        return None
    return {"runner": example.runner.value if example.runner else None, "units": example.units,
            "other": example.other, "also": list(example.also)}


def rule_values(r: Rule, lang: str) -> dict[str, str]:
    """Every field of one rule as text in ``lang``: the title, why, scope, part (the verdict's words
    for it) and status in the language (mirrors and law are names); a severity with variants names
    them: ``error (total: warning)``."""
    severity = (r.severity.value if lang == "en" else SEVERITY_NL[r.severity.value])
    if r.variants:
        severity += " (" + ", ".join(f"{name}: {s.value if lang == 'en' else SEVERITY_NL[s.value]}"
                                     for name, s in r.variants.items()) + ")"
    return {"code": r.code, "severity": severity, "part": PART_TITLES[r.part].render(lang) if r.part else "",
            "family": r.family, "status": STATUS_WORDS[r.status].render(lang), "title": r.title.render(lang),
            "why": r.why.render(lang), "mirrors": name(r.mirrors, lang) or "", "law": name(r.law, lang) or "", "scope": r.scope.render(lang),
            "example": example_text(r, lang)}


def name(value: str | Text | None, lang: str) -> str | None:
    """A rule's ``mirrors`` or ``law``: a name the same in both languages, or a ``Text``."""
    return value.render(lang) if isinstance(value, Text) else value


def both(text: Text) -> dict[str, str]:
    """A ``Text`` as JSON data: ``{"nl": ..., "en": ...}``."""
    return {"nl": text.nl, "en": text.en}


def render_rule(r: Rule, fmt: Format, lang: str = "nl") -> str:
    """``osv-verify explain CODE``: one rule, every field on its own line (JSON: the data)."""
    if fmt is Format.JSON:
        from osv_verify.report.schema import schema_id

        return to_json({"schema": schema_id("rule"), "code": r.code, "severity": r.severity.value,
                        "variants": {name: s.value for name, s in r.variants.items()}, "part": r.part,
                        "family": r.family.value, "status": r.status.value, "title": both(r.title),
                        "why": both(r.why), "mirrors": name(r.mirrors, "en"), "law": name(r.law, "en"), "scope": both(r.scope),
                        "example": example_json(r.example),
                        "example_note": both(r.example_note) if r.example_note else None})
    values = rule_values(r, lang)
    labels = [(key, en if lang == "en" else nl) for key, nl, en in RULE_FIELDS]
    if isinstance(r.example, Example):  # what the example gives, run through the real checks
        from osv_verify.app.examples import run_example

        values["gives"] = next((f.message_nl if lang == "nl" else f.message_en
                                for f in run_example(r.example) if f.code == r.code), "")
        labels.append(("gives", pick(lang, "geeft", "gives")))
    width = max(len(label) for _, label in labels)
    return "".join(f"{label + ':':<{width + 1}} {values[key]}\n" for key, label in labels if values[key])


def checks_markdown() -> str:
    """The content of docs/checks.md (a test keeps the file in sync): every rule, retired ones
    too, with every field."""
    header = [key for key, _, _ in RULE_FIELDS]
    at = header.index("title") + 1  # the reference is English, with the Dutch title beside it
    header.insert(at, "titel")
    rules = [[*values[:at], r.title.nl, *values[at:]] for r in RULES.values()
             for values in [list(rule_values(r, "en").values())]]
    intro = (
        "# Checks\n\n"
        "Generated from `osv_verify/checks/registry.py` by `make docs`; do not edit by hand.\n"
        "Kiesraad codes (F.xxx, W.xxx) have the meaning they have in Abacus; dotted codes are osv-verify's own.\n"
        "`osv-verify explain CODE` prints one rule. Part: the part of an election's verdict its errors count in.\n"
        "Example: a minimal input (one station's PV, one total, a file's total and its units, a gemeente's stations "
        "with --plausibility, or two entries compared) that gives exactly this code; where that needs whole documents, "
        "why there is none.\n\n"
    )
    return (intro + to_markdown(header, rules) + "\n## Plausibility settings\n\n"
            "`osv-verify verify --plausibility --set NAME=VALUE`; the defaults are the control protocol's values.\n\n"
            + to_markdown(SETTINGS_HEADER, settings_rows())
            + "\n## Plausibility checks measured on real data\n\n"
            "`benchmarks/plausibility_real.py` on the real files in `../shared/data`; see docs/plausibility.md.\n\n"
            + to_markdown(MEASURED_HEADER, measured_rows()))
