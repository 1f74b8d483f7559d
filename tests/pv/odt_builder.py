"""Build small OpenDocument PVs in tests: the fields and tables OSV2020 writes, nothing else."""

from __future__ import annotations

import io
import zipfile

OFFICE_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
NUMBER = "erfassungsgebiet.get('nummer')"
NAME = "erfassungsgebiet.get('name')"
POSTCODE = "if (erfassungsgebiet.anschrift.plz) {'(postcode: '+erfassungsgebiet.anschrift.plz+')'} else {''}"


def span(description: str, value: str) -> str:
    return f'<text:span text:description="{description}">{value}</text:span>'


def row(number: str, name: str, postcode: str = "") -> str:
    pc = f"(postcode: {postcode})" if postcode else ""
    return (f"<table:table-row><table:table-cell><text:p>Nummer {span(NUMBER, number)} Locatie stembureau "
            f"{span(NAME, name)}{span(POSTCODE, pc)}</text:p></table:table-cell></table:table-row>")


def content(model: str = "31-1", tables: dict[str, list[str]] | None = None, municipality: str = "Dordrecht",
            body: str = "Tweede Kamer der Staten-Generaal", date: str = "november 2023") -> bytes:
    tables = tables if tables is not None else {}
    parts = [f"<text:p>Model Na {model}</text:p>",
             f"<text:p>De verkiezing van de leden van de {span('parameter_zuWaehlendesGremium.substring(3)', body)}</text:p>",
             f"<text:p>{span(chr(39).join(['format.formatDatumPattern(wahlterminAlsDate, ', 'MMMM yyyy', ')']), date)}</text:p>",
             f"<text:p>Gemeente {span(chr(39).join(['gebietMitListen.get(', 'name', ')']), municipality)}</text:p>"]
    for name, rows in tables.items():
        parts.append(f'<table:table table:name="{name}">{"".join(rows)}</table:table>')
    return (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {OFFICE_NS}>'
            f'<office:body><office:text>{"".join(parts)}</office:text></office:body></office:document-content>').encode()


def odt(content_xml: bytes | None, mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        if content_xml is not None:
            z.writestr("content.xml", content_xml)
        z.writestr("META-INF/manifest.xml", b'<?xml version="1.0"?><manifest/>')
    return buf.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()
