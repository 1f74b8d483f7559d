"""Every JSON output carries its ``schema`` and validates against the generated JSON Schema
(docs/schema/, kept current by tests/test_cli.py::test_docs_are_generated_and_in_sync)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import STATIONS, make_510b

from osv_verify import cli
from osv_verify.checks.registry import rule
from osv_verify.core.findings import Location
from osv_verify.report.schema import OUTPUTS, json_schema, schema_id

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"
SCHEMA_DIR = Path(__file__).resolve().parents[1] / "docs" / "schema"


def output(capsys, *args: object) -> dict:
    cli.main([str(a) for a in args])
    return json.loads(capsys.readouterr().out)


def check(kind: str, doc: dict) -> None:
    """``doc`` names its schema and is valid against the file in docs/schema/."""
    assert doc["schema"] == schema_id(kind)
    on_disk = json.loads((SCHEMA_DIR / f"{kind}.json").read_text(encoding="utf-8"))
    assert on_disk == json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(on_disk)
    jsonschema.validate(doc, on_disk, cls=jsonschema.Draft202012Validator)


def test_verify_findings_with_an_error_validate(capsys, tmp_path):
    bad = tmp_path / "t.xml"
    bad.write_bytes(make_510b(STATIONS, total_override={"blank": 4}))
    check("findings", output(capsys, "verify", bad, "--format", "json", "--lang", "en"))


def test_text_values_go_to_their_own_fields(capsys, tmp_path):
    f = rule("META.ELECTION").finding(Location(election="X"), field="date", expected="2030-03-20", actual="2030-03-21",
                                      first="a", second="b", source="b")
    assert (f.expected, f.actual, f.expected_text, f.actual_text) == (None, None, "2030-03-20", "2030-03-21")
    assert "2030-03-21" in f.message_en  # the message still shows the value
    g = rule("F.201").finding(Location(election="X"), field="admitted", expected=10, actual=12)
    assert (g.expected, g.actual, g.expected_text, g.difference) == (10, 12, None, 2)


#: For each output, command lines whose JSON must validate (demo fixture and hand-made files).
KLEINBROEK = DEMO / "Telling_GR2026_Kleinbroek.eml.xml"
PRODUCERS: dict[str, list[list[object]]] = {
    "findings": [["verify", DEMO, "--format", "json", "--plausibility", "--min-severity", "info"]],
    "compare": [["compare", KLEINBROEK, DEMO / "osv4-3_Telling_GR2026_Kleinbroek.csv", "--format", "json", "--min-severity", "info"]],
    "seats": [["seats", DEMO, "--format", "json"], ["seats", "--votes", "{votes}", "--seats", "9", "--format", "json"]],
    "inspect": [["inspect", DEMO, "--format", "json"]],
    "hash": [["hash", KLEINBROEK, "--format", "json"], ["hash", KLEINBROEK, "--format", "json", "--expect", "0" * 64]],
    "checks": [["verify", "--list-checks", "--format", "json"]],
    "export": [["export", DEMO, "--format", "json"]],
    "protocol": [["protocol", DEMO, "--format", "json"]],
    "rule": [["explain", "TALLY.EXPLANATIONS", "--format", "json"], ["explain", "DOUBLE.OTHER_COUNT", "--format", "json"]],
}


def test_every_output_is_tested():
    assert set(PRODUCERS) == set(OUTPUTS)


def produced(kind: str, capsys, tmp_path) -> list[dict]:
    """The documents of ``PRODUCERS[kind]``."""
    votes = tmp_path / "votes.csv"
    votes.write_text("list;name;votes\n1;A;500\n2;B;300\n3;C;200\n", encoding="utf-8")
    return [output(capsys, *(str(a).format(votes=votes) for a in argv)) for argv in PRODUCERS[kind]]


@pytest.mark.parametrize("kind", sorted(PRODUCERS))
def test_outputs_validate(kind, capsys, tmp_path):
    for doc in produced(kind, capsys, tmp_path):
        check(kind, doc)


def objects(node: object, shape: tuple = (), keys: tuple = (), found: dict | None = None) -> dict[tuple, tuple]:
    """Every kind of object in a document (its path, list positions as ``[]``), with the keys
    that lead to its first occurrence."""
    found = {} if found is None else found
    if isinstance(node, dict):
        found.setdefault(shape, keys)
        for k, v in node.items():
            objects(v, (*shape, k), (*keys, k), found)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            objects(v, (*shape, "[]"), (*keys, i), found)
    return found


@pytest.mark.parametrize("kind", sorted(PRODUCERS))
def test_schemas_refuse_unknown_keys(kind, capsys, tmp_path):
    """The schemas are strict: a key they do not know is refused, in the document and in every
    object inside it (a list as its value fails the maps too, whose keys are free)."""
    schema = json_schema(kind)
    for doc in produced(kind, capsys, tmp_path):
        for keys in objects(doc).values():
            bad = json.loads(json.dumps(doc))
            target = bad
            for k in keys:
                target = target[k]
            target["not_in_the_schema"] = []
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate(bad, schema, cls=jsonschema.Draft202012Validator)


@pytest.mark.realdata
def test_real_outputs_validate(capsys, real_data):
    wmw = real_data / "GR2022" / "WestMaasenWaal"
    check("findings", output(capsys, "verify", wmw, real_data / "GR2022" / "eml" / "Telling_GR2022_Bloemendaal.eml.xml",
                             "--format", "json", "--plausibility", "--min-severity", "info"))
    check("seats", output(capsys, "seats", wmw, "--format", "json"))
    check("export", output(capsys, "export", wmw, "--format", "json"))

    check("protocol", output(capsys, "protocol", wmw, real_data / "hcp" / "FAKE_TEST_DATA_TK2023_DORDRECHT", "--format", "json"))
