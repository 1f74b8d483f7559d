"""``osv-verify explain CODE``: one rule of the registry, as text or JSON."""

from __future__ import annotations

import json

import pytest

from osv_verify import cli
from osv_verify.checks.registry import RULES


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_code_explains_itself(code, capsys):
    assert cli.main(["explain", code, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"code:     {code}\n") and "family:" in out and "why:" in out


def test_json_carries_every_field(capsys):
    assert cli.main(["explain", "tally.explanations", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["code"], doc["severity"], doc["variants"], doc["part"], doc["family"], doc["status"]) == (
        "TALLY.EXPLANATIONS", "error", {"total": "warning"}, "explanations", "TALLY", "active")
    assert doc["example"] == {"runner": "pv", "units": {"station": RULES["TALLY.EXPLANATIONS"].example.units["station"]},
                              "other": None, "also": []}
    assert doc["example_note"] is None


def test_the_example_in_the_words_of_the_language_and_what_it_gives(capsys):
    assert cli.main(["explain", "F.201"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("voorbeeld:"))
    assert line.split(":", 1)[1].strip() == "stembureau: geldige stempassen=10, geldige volmachtbewijzen=1, toegelaten kiezers=12"
    assert "geeft:" in out and "toegelaten kiezers 12" in out
    assert cli.main(["explain", "F.201", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "example:  polling station: valid poll cards=10, valid proxy certificates=1, admitted voters=12\n" in out
    assert "gives:" in out and "admitted voters 12" in out


def test_plausibility_and_double_entry_examples_name_their_runner(capsys):
    assert cli.main(["explain", "P.ZERO", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "example:  with --plausibility (default settings): station SB1: " in out
    assert cli.main(["explain", "DOUBLE.DIFFERENT"]) == 0
    out = capsys.readouterr().out
    assert "twee invoeren vergeleken (compare): A: stembureau SB1: blanco stemmen=1 | B: stembureau SB1: blanco stemmen=2" in out


def test_a_rule_without_an_example_prints_its_note(capsys):
    rule = RULES["SEATS.ALLOCATION"]
    assert cli.main(["explain", "SEATS.ALLOCATION"]) == 0
    out = capsys.readouterr().out
    assert f"voorbeeld:      {rule.example_note.nl}\n" in out and "geeft:" not in out
    assert cli.main(["explain", "SEATS.ALLOCATION", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["example"] is None and doc["example_note"] == {"nl": rule.example_note.nl, "en": rule.example_note.en}


def test_dutch_by_default(capsys):
    assert cli.main(["explain", "W.203"]) == 0
    out = capsys.readouterr().out
    assert "ernst:" in out and "waarschuwing" in out and RULES["W.203"].title.nl in out


def test_an_unknown_code_is_one_usage_line_naming_close_codes(capsys):
    assert cli.main(["explain", "F.2O1", "--lang", "en"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "unknown check code 'F.2O1'" in err and "F.201" in err


def test_why_and_scope_in_the_language(capsys):
    rule = RULES["F.306"]
    assert cli.main(["explain", "F.306"]) == 0
    out = capsys.readouterr().out
    assert rule.why.nl in out and rule.scope.nl in out and rule.why.en not in out
    assert "verschil tussen toegelaten kiezers en stembiljetten verklaard" in out and "actief" in out
    assert "explanations" not in out
    assert cli.main(["explain", "F.306", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert rule.why.en in out and rule.scope.en in out and rule.why.nl not in out
    assert "difference between admitted voters and ballots explained" in out and "active" in out


def test_json_gives_both_languages(capsys):
    assert cli.main(["explain", "F.306", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rule = RULES["F.306"]
    assert doc["why"] == {"nl": rule.why.nl, "en": rule.why.en}
    assert doc["title"] == {"nl": rule.title.nl, "en": rule.title.en}
    assert doc["scope"] == {"nl": rule.scope.nl, "en": rule.scope.en} and "titel" not in doc


def test_an_unknown_code_is_echoed_short_and_names_nothing_when_nothing_is_close(capsys):
    assert cli.main(["explain", "Q" * 10_000]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) < 200 and "bedoelt u" not in err and "onbekende controlecode" in err
