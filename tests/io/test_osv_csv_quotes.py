"""OSV4-3 CSV as it is really published: quote characters inside unquoted fields (issue 12, item 4).

The re-saved, unquoted form of the GR2022 bulk set writes a list name that holds quotes as
``9;"Leefbaar 's-Hertogenbosch" Paul Kagie;;;3130;...``: the field opens with a quote, but the
quote closes before the field ends. That is text, quotes included; a quote that never closes or
quotes that do not pair up are still refused with row and column.
"""

from __future__ import annotations

import pytest

from osv_verify.core.errors import InputError
from osv_verify.io.osv_csv import osv_csv_rows, read_osv_csv

NAME = "\"Leefbaar 's-Hertogenbosch\" Paul Kagie"

#: Unquoted and padded with ';', as the GR2022 bulk set is; row 12 is the list with quotes.
UNQUOTED = (
    "\ufeffVerkiezing;;Gemeenteraad 's-Hertogenbosch 2022;;;;\r\n"  # row 1
    "Datum;;2022-03-16;;;;\r\n"
    "Gebied;;Gemeente 's-Hertogenbosch;;;;\r\n"
    "Nummer;;0796;;;;\r\n"
    ";;;;;;\r\n"  # row 5
    "Lijstnummer;Aanduiding;Volgnummer;Naam kandidaat;Totaal;Zaal 1;Zaal 2\r\n"
    "Gebiednummer;;;;;1;2\r\n"
    ";opgeroepenen;;;9000;4000;5000\r\n"
    ";geldige stembiljetten;;;6000;2500;3500\r\n"  # row 9
    "1;Partij A;;;2870;1200;1670\r\n"
    ";;1;Jansen, A.;2870;1200;1670\r\n"
    f"9;{NAME};;;3130;1300;1830\r\n"  # row 12
    ";;1;Kagie, P.;3000;1250;1750\r\n"
    ";;2;\"Bakker\" de Wit, J.;130;50;80\r\n"  # quotes at the start of a candidate name too
)

#: The same sheet fully quoted, as OSV itself writes it ("" inside a quoted cell).
QUOTED = "\n".join(
    ";".join('"' + c.replace('"', '""') + '"' if c else "" for c in line.split(";"))
    for line in UNQUOTED.removeprefix("\ufeff").rstrip("\r\n").split("\r\n")
)


def test_quotes_inside_an_unquoted_field_are_text() -> None:
    count = read_osv_csv(UNQUOTED.encode("utf-8"), "sheet.csv")
    assert count.list_names == {1: "Partij A", 9: NAME}
    assert count.candidate_names[(9, "2", None)] == '"Bakker" de Wit, J.'
    assert count.total.lists == {1: 2870, 9: 3130}
    assert [u.lists[9] for u in count.units] == [1300, 1830]
    assert osv_csv_rows(UNQUOTED.encode("utf-8"), "sheet.csv")[9] == 12
    assert osv_csv_rows(UNQUOTED.encode("utf-8"), "sheet.csv")[(9, "1", None)] == 13


def test_the_fully_quoted_form_reads_the_same() -> None:
    assert f'"9";"{NAME.replace(chr(34), chr(34) * 2)}"' in QUOTED
    quoted = read_osv_csv(QUOTED.encode("utf-8"), "quoted.csv")
    unquoted = read_osv_csv(UNQUOTED.encode("utf-8"), "sheet.csv")
    assert quoted.model_dump(exclude={"source"}) == unquoted.model_dump(exclude={"source"})


@pytest.mark.parametrize(("line", "problem", "where"), [
    # a quote that opens the field and never closes, and quotes that do not pair up
    ('9;"Leefbaar Paul Kagie;;;3130;1300;1830', "not valid CSV", "row 12, column 2"),
    ('9;"Leefbaar" Paul "Kagie;;;3130;1300;1830', "do not pair up", "row 12, column 2"),
    ('9;Leefbaar;;;"3130" 1;1300;1830', "is not a whole non-negative number", "row 12, column 5"),
])
def test_broken_csv_is_still_refused_with_row_and_column(line: str, problem: str, where: str) -> None:
    text = UNQUOTED.replace(f"9;{NAME};;;3130;1300;1830", line)
    with pytest.raises(InputError) as err:
        read_osv_csv(text.encode("utf-8"), "broken.csv")
    assert problem in err.value.problem.en and err.value.where == where



def test_a_quote_that_never_closes_is_refused() -> None:
    text = UNQUOTED.replace('"Bakker" de Wit', "Bakker de Wit").replace(f"9;{NAME};", '9;"Leefbaar Paul Kagie;')
    with pytest.raises(InputError) as err:
        read_osv_csv(text.encode("utf-8"), "broken.csv")
    assert "never closed" in err.value.problem.en and err.value.where == "row 12, column 2"
    assert "nooit gesloten" in err.value.problem.nl


def test_a_quote_running_over_a_line_end_and_then_text_is_refused() -> None:
    text = UNQUOTED.replace(f"9;{NAME};", '9;"Leefbaar\r\nKagie" Paul;')
    with pytest.raises(InputError) as err:
        read_osv_csv(text.encode("utf-8"), "broken.csv")
    assert "do not pair up" in err.value.problem.en and err.value.where == "row 12, column 2"


def test_a_municipality_s_csv_of_that_shape_is_verified_not_refused(tmp_path) -> None:
    from osv_verify.app.verify import verify

    (tmp_path / "osv4-3_telling_gr2022_shertogenbosch.csv").write_bytes(UNQUOTED.encode("utf-8"))
    run = verify([tmp_path])
    assert run.input_errors == [] and [e.units_checked for e in run.elections] == [3]
