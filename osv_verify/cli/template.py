"""``osv-verify template``: a blank entry sheet (OSV4-3 CSV layout) for one gemeente."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from osv_verify.cli.common import Lang, LangOpt, OutputOpt, Paths, app, make_console
from osv_verify.core.errors import UsageError
from osv_verify.core.text import count as n_of
from osv_verify.core.text import pick
from osv_verify.report.output import write_atomic


@app.command()
def template(
    paths: Paths,
    authority: Annotated[Optional[str], typer.Option("--authority", help="Gemeente code (e.g. 0668) when the inputs hold several.")] = None,
    output: OutputOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --output when it exists (it may be a filled-in sheet).")] = False,
    lang: LangOpt = Lang.NL,
) -> None:
    """Write a blank entry sheet (OSV4-3 CSV layout) for one gemeente, from its 510b or OSV CSV,
    or from its polling stations (110b) and candidate lists (230b). List and candidate names
    come from every input that has them (230b, OSV CSV, 520).

    Example: osv-verify template Telling_GR2022_WestMaasenWaal.eml.xml Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml -o invoer-1.csv
    """
    from osv_verify.app import template as tpl
    from osv_verify.io.discover import discover, load
    from osv_verify.core.model import CountFile, Definition, PollingStations

    if output is not None and output.exists() and not force:
        raise UsageError(f"{output} exists (perhaps a filled-in sheet); give --force to overwrite it",
                         nl=f"{output} bestaat al (misschien een ingevuld invoerblad); geef --force om het te overschrijven")
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
            raise UsageError(f"several gemeenten in the input ({several}); choose one with --authority",
                             nl=f"meerdere gemeenten in de invoer ({several}); kies er een met --authority")
        sheet, names = tpl.from_count(counts[0], docs)
    elif stations:
        if len(stations) > 1:
            raise UsageError("several 110b files in the input; choose one gemeente with --authority",
                             nl="meerdere 110b-bestanden in de invoer; kies een gemeente met --authority")
        sheet, names = tpl.from_definition(stations[0], docs, definition)
    else:
        code_en, code_nl = (f" with code {authority}", f" met code {authority}") if authority else ("", "")
        raise UsageError(f"no 510b, OSV4-3 CSV or 110b for a gemeente in the input{code_en}",
                         nl=f"geen 510b, OSV4-3-CSV of 110b van een gemeente in de invoer{code_nl}")
    data = tpl.render(sheet, names)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        write_atomic(output, data, paths)
        stations_n = n_of(len(sheet.units), "stembureau", "stembureaus")
        lists_n = len(sheet.list_names)
        named = sum(1 for name in names.values() if name)
        make_console(stderr=True).print(pick(lang, f"geschreven: {output}: {stations_n}, {n_of(lists_n, 'lijst', 'lijsten')}, "
                                               f"{n_of(named, 'kandidaat', 'kandidaten')} met naam",
                                         f"wrote {output}: {n_of(len(sheet.units), 'polling station', 'polling stations')}, "
                                         f"{n_of(lists_n, 'list', 'lists')}, {n_of(named, 'named candidate', 'named candidates')}"),
                                    markup=False)
