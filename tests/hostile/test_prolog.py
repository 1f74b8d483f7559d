"""The DOCTYPE refusal is decided by the project's own reading of the prolog, before libxml2
parses anything: the message and the decision never depend on the lxml version installed."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from osv_verify.core.errors import InputError
from osv_verify.io import xmlsafe

ROOT = b'<EML xmlns="urn:oasis:names:tc:evs:schema:eml" Id="510b"/>'
DOCTYPE = b'<!DOCTYPE EML [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
OWN_MESSAGE = "has a DOCTYPE/DTD; EML files never do, so it is refused"


def _never_parse(*args, **kwargs):
    raise AssertionError("libxml2 was asked to parse a document the prolog check must refuse")


@pytest.mark.parametrize("document", [
    DOCTYPE + ROOT,
    b'<?xml version="1.0"?>\n' + DOCTYPE + b"\n" + ROOT,
    b"\xef\xbb\xbf" + DOCTYPE + ROOT,
    b"<!-- a comment -->\n<?pi x?>\n" + DOCTYPE + ROOT,
    b"<!--" + b"x" * 200_000 + b"-->" + DOCTYPE + ROOT,  # across several read chunks
    ('<?xml version="1.0" encoding="UTF-16"?>' + DOCTYPE.decode() + ROOT.decode()).encode("utf-16"),
    ('<?xml version="1.0" encoding="UTF-16"?>' + DOCTYPE.decode() + ROOT.decode()).encode("utf-16-le"),
    ('<?xml version="1.0" encoding="UTF-32"?>' + DOCTYPE.decode() + ROOT.decode()).encode("utf-32"),
], ids=["bare", "declaration", "bom", "comment-pi", "long-comment", "utf16-bom", "utf16-le", "utf32"])
@pytest.mark.parametrize("how", ["parse", "iterparse"])
def test_doctype_refused_before_libxml2_sees_it(document, how, monkeypatch):
    monkeypatch.setattr(etree, "parse", _never_parse)
    monkeypatch.setattr(etree, "iterparse", _never_parse)
    with pytest.raises(InputError, match=OWN_MESSAGE) as err:
        if how == "parse":
            xmlsafe.parse(io.BytesIO(document), "x.xml")
        else:
            list(xmlsafe.iterparse(io.BytesIO(document), "x.xml", ("{urn:oasis:names:tc:evs:schema:eml}EML",)))
    assert str(err.value).startswith("x.xml: ")


@pytest.mark.parametrize("document", [
    ROOT,
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- <!DOCTYPE in a comment> -->\n' + ROOT,
    b"<?pi <!DOCTYPE inside a PI ?>" + ROOT,
    b"\n\n  " + ROOT,
    ROOT[:-2] + b"><Note>&lt;!DOCTYPE x&gt;</Note></EML>",
])
def test_documents_without_doctype_are_read_whole(document):
    tree = xmlsafe.parse(io.BytesIO(document), "x.xml")
    assert tree.getroot().get("Id") == "510b"
    events = list(xmlsafe.iterparse(io.BytesIO(document), "x.xml", ("{urn:oasis:names:tc:evs:schema:eml}EML",)))
    assert [e for e, _ in events] == ["start", "end"]


def test_a_prolog_longer_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(xmlsafe, "PROLOG_LIMIT", 100_000)
    with pytest.raises(InputError, match="prolog"):
        xmlsafe.parse(io.BytesIO(b"<!--" + b"x" * 300_000 + b"-->" + ROOT), "x.xml")


def test_an_unclosed_comment_is_left_to_the_parser():
    with pytest.raises(InputError, match="not well-formed XML"):
        xmlsafe.parse(io.BytesIO(b"<!-- never closed"), "x.xml")


def test_a_lowercase_doctype_is_a_syntax_error_not_a_dtd():
    """XML is case-sensitive: libxml2 stops at '<!doctype' before reading any declaration."""
    with pytest.raises(InputError, match="not well-formed XML"):
        xmlsafe.parse(io.BytesIO(b'<!doctype html>\n<html><body>404</body></html>'), "x.xml")
