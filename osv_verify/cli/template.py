"""``osv-verify template``: a blank entry sheet (OSV4-3 CSV layout) for one gemeente."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from osv_verify.cli.common import Lang, OutputOpt, Paths, command, make_console
from osv_verify.core.errors import UsageError
from osv_verify.core.text import Text, count as n_of
from osv_verify.core.text import pick
from osv_verify.report.output import write_atomic


@command()
def template(
    paths: Paths,
    authority: Annotated[Optional[str], typer.Option("--authority", help="Gemeente code (e.g. 0668) when the inputs hold several.")] = None,
    output: OutputOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --output when it exists (it may be a filled-in sheet).")] = False,
    lang: Lang = Lang.NL,
) -> None:
    """Write a blank entry sheet (OSV4-3 CSV layout) for one gemeente, from its 510b or OSV CSV,
    or from its polling stations (110b) and candidate lists (230b). List and candidate names
    come from every input that has them (230b, OSV CSV, 520).

    Example: osv-verify template Telling_GR2022_WestMaasenWaal.eml.xml Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml -o invoer-1.csv
    """
    from osv_verify.app import template as tpl

    if output is not None and output.exists() and not force:
        raise UsageError(Text(f"{output} bestaat al (misschien een ingevuld invoerblad); geef --force om het te overschrijven",
                              f"{output} exists (perhaps a filled-in sheet); give --force to overwrite it"))
    sheet, names = tpl.sheet_for(paths, authority)
    data = tpl.render(sheet, names)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        write_atomic(output, data, paths, force)
        stations_n = n_of(len(sheet.units), "stembureau", "stembureaus")
        lists_n = len(sheet.list_names)
        named = sum(1 for name in names.values() if name)
        make_console(stderr=True).print(pick(lang, f"geschreven: {output}: {stations_n}, {n_of(lists_n, 'lijst', 'lijsten')}, "
                                               f"{n_of(named, 'kandidaat', 'kandidaten')} met naam",
                                         f"wrote {output}: {n_of(len(sheet.units), 'polling station', 'polling stations')}, "
                                         f"{n_of(lists_n, 'list', 'lists')}, {n_of(named, 'named candidate', 'named candidates')}"),
                                    markup=False)
