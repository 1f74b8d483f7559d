"""The HTML report (``--format html``): self-contained, verdict first, station names, the PV's
letters, seats, charts, both languages; and rendered in a real browser (headless Chromium)."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import tempfile
import threading
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from osv_verify import cli
from osv_verify.core.findings import Finding, Location, Severity
from osv_verify.core.text import Text
from osv_verify.report.html.page import percent
from osv_verify.report.html.verdict_box import plain_answer
from osv_verify.report.html.verify_page import render_verify
from osv_verify.app.verdict import answer, Part, Status, Verdict
from osv_verify.checks.rule import PartKey
from osv_verify.app.verify import ElectionReport, RunResult, verify

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"
VOID = {"meta", "br", "hr", "img", "input", "link", "rect", "path", "line", "circle"}


@pytest.fixture(autouse=True)
def no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")


def run(capsys, *args: object) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


class _Nesting(HTMLParser):
    """Every element closed, in order; no script, no external resource."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.problems.append("script")
        for name, value in attrs:
            if name in ("src", "href", "srcset", "poster", "data", "action") and value and not value.startswith("#"):
                self.problems.append(f"{tag} {name}={value}")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()


def assert_self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>\n")
    parser = _Nesting()
    parser.feed(page)
    parser.close()
    assert parser.problems == [] and parser.stack == []
    assert "url(" not in page and "@import" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page


def demo_html(capsys, *extra: str) -> str:
    code, out, err = run(capsys, "verify", DEMO, "--format", "html", *extra)
    assert code == 1, err  # the demo has errors
    return out


# ---- HTML without a browser ---------------------------------------------------------------

def test_demo_report_is_self_contained_valid_and_dutch(capsys):
    page = demo_html(capsys)
    assert_self_contained(page)
    assert '<html lang="nl">' in page
    # the verdict box comes before the findings, the findings before the seats
    assert page.index('class="verdict') < page.index("Bevindingen per stembureau") < page.index("Zetelverdeling, herberekend")
    # the station's name as the file gives it, beside its code
    assert "Stembureau Gemeentehuis Noorddijk (postcode: 4140 ZM)" in page and "1168::SB1" in page
    # the PV's own letter and field name, and the legend for the letters in the messages (|H - D|)
    assert '<strong class="code">I</strong> meer getelde stembiljetten' in page
    legend = page[page.index("<h2>Legenda</h2>"):]
    assert "<dt>D</dt><dd>toegelaten kiezers" in legend and "<dt>H</dt><dd>aangetroffen stembiljetten" in legend
    assert "<dt>F.306</dt>" in legend and "<dt>kiesdeler</dt>" in legend
    # the seat table (13 seats, kiesdeler 4517/13 = 347 6/13) and the elected by name
    assert "13 zetels, 4517 stemmen op lijsten, kiesdeler 347 6/13" in page
    assert "Oosterhuis, N." in page and "voorkeurstemmen (P 15)" in page
    assert "<h2>Wat nu?</h2>" in page and "centraal stembureau" in page
    assert "Bevindingen" in page and "What now" not in page


def test_english_report(capsys):
    page = demo_html(capsys, "--lang", "en")
    assert_self_contained(page)
    assert '<html lang="en">' in page
    for text in ("Findings per polling station", "Seat allocation, recomputed", "<h2>What now?</h2>", "<h2>Legend</h2>",
                 "admitted voters", "13 seats, 4517 votes on lists"):
        assert text in page
    for dutch in ("Bevindingen", "Wat nu", "Legenda", "toegelaten kiezers", "zetels"):
        assert dutch not in page


def _report(verdict: Verdict | None, findings: list[Finding] = (), **kw) -> RunResult:  # type: ignore[assignment]
    e = ElectionReport("GR2026_X", None, [("510b", "Telling_GR2026_X.eml.xml")], 3, list(findings), verdict=verdict, **kw)
    return RunResult([e], [], [])


def test_names_and_messages_are_escaped():
    f = Finding("F.202", Severity.ERROR, Location("GR2026_X", authority="0001", unit="0001::SB1"),
                "0001::SB1: <b>fout</b> & meer", "0001::SB1: <b>error</b> & more", field="list 2", expected=1, actual=2)
    page = render_verify(_report(None, [f], unit_names={"0001::SB1": "Café <script>alert(1)</script> & Zn"},
                                 list_names={2: "Lijst \"<i>\""}), "nl")
    assert_self_contained(page)
    assert "Café &lt;script&gt;alert(1)&lt;/script&gt; &amp; Zn" in page
    assert "&lt;b&gt;fout&lt;/b&gt; &amp; meer" in page and "lijst 2 (Lijst &quot;&lt;i&gt;&quot;)" in page


PARTLY_PARTS = (
    Part(PartKey.STATIONS, True, Text("3 stembureaus", "3 polling stations")),
    Part(PartKey.TOTALS, True, Text("1 gemeentetotaal", "1 municipal total")),
    Part(PartKey.SEATS, False, Text("geen 520 (uitslag) bij de invoer", "no 520 (result) among the inputs"),
         needs=Text("Resultaat_GR2026_X.eml.xml (520)", "Resultaat_GR2026_X.eml.xml (520)")),
)
PARTLY = Verdict(Status.PARTLY, PARTLY_PARTS, answer=answer(Status.PARTLY, PARTLY_PARTS))


def test_verdict_first_says_what_ran_and_what_did_not():
    page = render_verify(_report(PARTLY), "nl")
    box = page[page.index('<div class="verdict'):]
    assert box.startswith('<div class="verdict partly_verified">')
    assert "Deels gecontroleerd" in box
    assert "De optellingen kloppen: 3 stembureaus; 1 gemeentetotaal." in box
    assert "geen 520 (uitslag) bij de invoer" in box and "Nodig: <strong>Resultaat_GR2026_X.eml.xml (520)</strong>" in box
    assert "zetelverdeling klopt" not in page  # the seats did not run: nothing said about them
    en = render_verify(_report(PARTLY), "en")
    assert "Partly verified" in en and "The sums add up: 3 polling stations; 1 municipal total." in en
    assert "Needs: <strong>Resultaat_GR2026_X.eml.xml (520)</strong>" in en


def test_plain_answer_only_about_parts_that_ran():
    parts = (Part(PartKey.TOTALS, True, Text("1 totaal", "1 total"), errors=2),
             Part(PartKey.SEATS, True, Text("13 zetels", "13 seats")),
             Part(PartKey.ELECTED, False, Text("geen namen", "no names")))
    v = Verdict(Status.VERIFIED, parts, answer=answer(Status.VERIFIED, parts))
    assert plain_answer(v, "nl") == [(False, "De optellingen kloppen niet: 2 fouten: een getal is niet de som van de getallen "
                                             "waaruit het volgt, dus minstens één van die getallen is verkeerd geteld, ingevoerd of overgenomen."),
                                     (True, "De zetelverdeling klopt: 13 zetels.")]
    assert plain_answer(v, "en")[1] == (True, "The seat allocation is right: 13 seats.")
    nothing_parts = (Part(PartKey.STATIONS, False, Text("geen telling", "no count")),)
    nothing = Verdict(Status.NOT_VERIFIED, nothing_parts, answer=answer(Status.NOT_VERIFIED, nothing_parts))
    assert plain_answer(nothing, "nl") == []
    page = render_verify(_report(nothing), "nl")
    assert "Niet gecontroleerd" in page and 'class="yes"' not in page


def test_without_a_verdict_only_the_facts():
    """Until a verdict is computed the report states counts, never a status or an all-clear."""
    page = render_verify(_report(None), "nl")
    assert "1 bestand gelezen, 3 processen-verbaal en totalen gecontroleerd: 0 fouten, 0 waarschuwingen." in page
    for claim in ("Gecontroleerd<", "klopt", "kloppen"):
        assert claim not in page.split("<h2>Wat nu?</h2>")[0]
    unread = RunResult([replace(_report(None).elections[0], files=[], units_checked=0)], [], [])
    assert "Niet gecontroleerd: geen enkel bestand" in render_verify(unread, "nl")


def test_percent_is_exact_and_rounds_half_up():
    assert percent(1, 8) == "12,5 %" and percent(1, 3) == "33,3 %" and percent(2, 3) == "66,7 %"
    assert percent(1, 2000) == "0,1 %" and percent(0, 5) == "0,0 %" and percent(1, 0) == "-"


def test_unit_names_are_the_same_with_jobs(tmp_path):
    from osv_verify.devtools.synth import generate

    generate(tmp_path / "tk", category="TK", stations=12, municipalities=3, districts=2, lists=3, candidates=4, seed=5)
    one, two = verify([tmp_path / "tk"]), verify([tmp_path / "tk"], jobs=2)
    assert one.elections[0].unit_names and one.elections[0].unit_names == two.elections[0].unit_names


def test_compare_and_seats_html(capsys):
    code, page, _ = run(capsys, "compare", DEMO / "Telling_GR2026_Kleinbroek.eml.xml",
                        DEMO / "osv4-3_Telling_GR2026_Kleinbroek.csv", "--format", "html")
    assert_self_contained(page)
    assert "A en B komen overeen" in page and "5 stembureaus vergeleken: 5 identiek" in page
    assert "De controles op de invoer vinden" in page and "Stembureau Wijkcentrum Maaswolde" in page
    code, page, _ = run(capsys, "seats", DEMO, "--format", "html", "--lang", "en")
    assert code == 0
    assert_self_contained(page)
    assert "The 520&#x27;s seats per list and elected candidates are right" in page
    assert "quota (kiesdeler) 347 6/13" in page and "Oosterhuis, N." in page


def test_html_refused_where_there_is_no_report(capsys):
    code, out, err = run(capsys, "inspect", DEMO, "--format", "html")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "verify, compare, seats of protocol" in err


# ---- real data ----------------------------------------------------------------------------

def _list_share(count_xml: Path, unit: str, number: str) -> str:
    """One list's share of a station's list votes, read straight from the 510b."""
    root = ET.parse(count_xml).getroot()
    for ru in root.iterfind(".//{*}ReportingUnitVotes"):
        if ru.find("{*}ReportingUnitIdentifier").get("Id") == unit:
            lists = {s.find("{*}AffiliationIdentifier").get("Id"): int(s.find("{*}ValidVotes").text)
                     for s in ru.findall("{*}Selection") if s.find("{*}AffiliationIdentifier") is not None}
            return percent(lists[number], sum(lists.values()))
    raise AssertionError(unit)


def test_real_municipality_with_plausibility(capsys, real_data):
    folder = real_data / "GR2022" / "WestMaasenWaal"
    # P.PARTY_SHARE is calibrated (issue 23): list 8's 60 points in SB7 are flagged at 10 per 1,000, not at 1
    code, page, err = run(capsys, "verify", folder, "--plausibility", "--set", "party_share_per_1000=10", "--format", "html")
    assert code == 1, err
    assert_self_contained(page)
    article = re.search(r'<article class="unit"><h4>Stembureau Kulturhus d&#x27;n Dulper \(postcode: 6657 CB\) '
                        r'<span class="code">0668::SB7</span>.*?</article>', page)
    assert article, "SB7 is grouped under its own name"
    block = article.group(0)
    assert "P.PARTY_SHARE" in block and "<svg" in block and "rest van de gemeente" in block
    # the chart's bar for list 8 shows the share the 510b itself gives (536 of the station's votes)
    share = _list_share(folder / "Telling_GR2022_WestMaasenWaal.eml.xml", "0668::SB7", "8")
    assert share == "62,0 %" and f">{share}</text>" in block
    # a chart only beside a warning about a list's share: SB1 has warnings on candidates and
    # explanations, not on party shares, so no chart of the lists' shares
    sb1 = re.search(r'<article class="unit"><h4>[^<]*<span class="code">0668::SB1</span>.*?</article>', page).group(0)
    assert "P.CANDIDATE_SWAP" in sb1 and "P.PARTY_SHARE" not in sb1 and "<svg" not in sb1


def test_share_codes_are_rules_about_a_lists_share():
    from osv_verify.checks.registry import RULES
    from osv_verify.report.html.station_findings import SHARE_CODES

    assert SHARE_CODES <= set(RULES) and all(RULES[c].family.value == "P" for c in SHARE_CODES)


# ---- a real browser ----------------------------------------------------------------------

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
needs_browser = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium; .ci/run does)")
#: Chromium itself calls Google's update, time and account services; those are not requests
#: of the page. Content hosts on the same domains (fonts, ajax, ...) still count as the page's.
BROWSER_OWN = (".google.com", ".googleapis.com", ".gvt1.com")
CONTENT_HOSTS = ("fonts.", "ajax.", "maps.", "storage.", "www.googleapis.com")


def _page_request(host: str) -> bool:
    return not host.endswith(BROWSER_OWN) or host.startswith(CONTENT_HOSTS)


def chromium(page: Path, *flags: str) -> tuple[str, set[str]]:
    """Run headless Chromium on ``page`` with every request sent to a local recording proxy
    that answers none: (stdout, hosts the page tried to reach)."""
    hosts: list[str] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(32)
    server.settimeout(0.2)
    stop = threading.Event()

    def record() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    line = conn.recv(1024).split(b"\r\n", 1)[0].decode("latin-1")
                except OSError:
                    continue
                target = line.split(" ")[1] if " " in line else line
                hosts.append(re.sub(r"^\w+://", "", target).split("/")[0].split(":")[0])

    thread = threading.Thread(target=record, daemon=True)
    thread.start()
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-default-apps", "--no-default-browser-check", f"--user-data-dir={profile}",
             f"--proxy-server=http://127.0.0.1:{server.getsockname()[1]}", "--proxy-bypass-list=<-loopback>",
             "--virtual-time-budget=2000", *flags, page.as_uri()],
            capture_output=True, text=True, timeout=120)
    stop.set()
    thread.join()
    server.close()
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, {h for h in hosts if _page_request(h)}


@needs_browser
def test_browser_detects_a_page_that_loads_from_outside(tmp_path):
    """The detector itself: a page with an external image and style is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><head><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=X">'
                   '</head><body><img src="http://example.com/x.png"></body></html>')
    _, hosts = chromium(bad, "--dump-dom")
    assert {"example.com", "fonts.googleapis.com"} <= hosts


def _text(dom: str) -> str:
    """What a reader sees: the DOM's text without tags and style."""
    dom = re.sub(r"<style>.*?</style>", " ", dom, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom)).replace("&#x27;", "'").replace("&amp;", "&")


@needs_browser
def test_browser_renders_the_demo_offline(capsys, tmp_path):
    page = tmp_path / "demo.html"
    assert run(capsys, "verify", DEMO, "--format", "html", "--output", page)[0] == 1
    dom, hosts = chromium(page, "--dump-dom")
    assert hosts == set(), f"the report tried to load from {hosts}"
    rendered = _Nesting()
    rendered.feed(dom)
    assert rendered.problems == []  # nothing in the rendered DOM refers outside the page
    text = _text(dom)
    assert "Deels gecontroleerd" in text and "De optellingen kloppen niet: 6 fouten:" in text
    assert "Niet elk verschil tussen toegelaten kiezers en stembiljetten is verklaard: 2 fouten op 1 proces-verbaal." in text
    assert "Stembureau Wijkcentrum Maaswolde (postcode: 7602 HM) 1168::SB5" in text
    assert "lijst naam stemmen volle zetels restzetels zetels 1 Partij van het Noorden 2012 5 1 6" in text
    png = tmp_path / "demo.png"
    chromium(page, f"--screenshot={png}", "--window-size=900,1600", "--hide-scrollbars")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000  # a drawn page, not a blank one


@needs_browser
def test_browser_renders_a_real_municipality(capsys, tmp_path, real_data):
    page = tmp_path / "wmw.html"
    # P.PARTY_SHARE is calibrated (issue 23): list 8's 60 points in SB7 are flagged at 10 per 1,000, not at 1
    code, _, _ = run(capsys, "verify", real_data / "GR2022" / "WestMaasenWaal", "--plausibility", "--lang", "en",
                     "--set", "party_share_per_1000=10", "--format", "html", "--output", page)
    assert code == 1
    dom, hosts = chromium(page, "--dump-dom")
    assert hosts == set(), f"the report tried to load from {hosts}"
    text = _text(dom)
    assert "Stembureau Kulturhus d'n Dulper (postcode: 6657 CB) 0668::SB7" in text
    assert "this station rest of the municipality" in text and "62,0 %" in text
    assert "17 seats, 9350 votes on lists, quota (kiesdeler) 550" in text
    assert "What now?" in text


def test_overview_and_a_count_that_could_not_be_checked():
    """Several elections get an overview; a 520 alone (no count checked) never reads as 0 errors."""
    from osv_verify.report.html.page import tables_section

    checked = _report(None).elections[0]
    only_520 = replace(checked, id="GR2026_Y", files=[("520", "Resultaat_GR2026_Y.eml.xml")], units_checked=0)
    extra = [tables_section("Controleprotocol", [("0001 X", ["stembureau", "blanco >= 3 %"], [["0001::SB1", "4"]])])]
    page = render_verify(RunResult([checked, only_520], [], []), "nl", extra=extra)
    assert_self_contained(page)
    overview = page[page.index("<h2>Overzicht</h2>"):page.index('<section class="election">')]
    assert '<a href="#e-GR2026_Y">GR2026_Y</a></td><td>niets gecontroleerd</td><td class="n">0</td>' in overview
    assert "1 bestand gelezen, maar geen enkele telling (proces-verbaal of totaal) kon worden gecontroleerd" in page
    assert page.index("<h2>Controleprotocol</h2>") < page.index("<h2>Wat nu?</h2>") and "<td>0001::SB1</td>" in page


def test_what_if_seats_html(capsys, tmp_path):
    votes = tmp_path / "votes.csv"
    votes.write_text("list;name;votes\n1;A & <b>;100\n2;B;60\n3;C;40\n")
    code, page, _ = run(capsys, "seats", "--votes", votes, "--seats", "5", "--format", "html")
    # lists 1 and 2 both keep a remainder of 20 (P 8): lots are needed, the fifth seat stays open (exit 4)
    assert code == 4 and "OPEN: loting tussen 1, 2 (P 8)" in page
    assert_self_contained(page)
    assert "5 zetels, 200 stemmen op lijsten, kiesdeler 40" in page and "A &amp; &lt;b&gt;" in page
    assert "een rekenvoorbeeld, geen controle" in page and "gepubliceerde bestanden" not in page


def test_table_output_names_stations_and_gives_the_plain_answer(capsys, monkeypatch):
    from rich.console import Console

    from osv_verify.report.listing import print_table

    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, "verify", DEMO)
    assert code == 1 and "1168::SB1 — Stembureau Gemeentehuis Noorddijk (postcode: 4140 ZM)" in out
    console = Console(record=True, width=200, no_color=True)
    print_table(_report(PARTLY), console, "nl", Severity.WARNING, quiet=False)
    text = console.export_text()
    assert "De optellingen kloppen: 3 stembureaus; 1 gemeentetotaal." in text and "De zetelverdeling klopt" not in text


def test_legend_explains_formula_letters_not_the_entries_a_and_b():
    from osv_verify.report.html.page import legend_html

    loc = Location("X", authority="0001", unit="0001::SB1")
    double = Finding("DOUBLE.DIFFERENT", Severity.ERROR, loc, "0001::SB1: lijst 1 is 3 in A, maar 4 in B",
                     "0001::SB1: list 1 is 3 in A, but 4 in B", field="list 1", expected=3, actual=4)
    formula = Finding("TALLY.EXPLANATIONS", Severity.ERROR, loc, "0001::SB1: het verschil (|H - D|) is 3",
                      "0001::SB1: the difference (|H - D|) is 3", field="explanations")
    legend = legend_html([double, formula], "nl", "")
    assert "<dt>A</dt>" not in legend and "<dt>B</dt>" not in legend
    assert "<dt>D</dt><dd>toegelaten kiezers" in legend and "<dt>H</dt>" in legend and "<dt>DOUBLE.*</dt>" in legend


def test_input_errors_are_in_the_page_and_the_run_completes(capsys, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(DEMO, folder)
    (folder / "kapot.eml.xml").write_bytes(b"<EML><Count>")
    code, page, err = run(capsys, "verify", folder, "--format", "html")
    assert code == 2 and "kapot.eml.xml" in err and "Traceback" not in err
    assert_self_contained(page)
    assert "<h2>Invoerfouten</h2>" in page and "kapot.eml.xml" in page
    assert "Stembureau Gemeentehuis Noorddijk" in page  # the rest of the run is reported
