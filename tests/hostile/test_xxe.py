"""XXE and friends: no file outside the inputs is read, nothing is fetched from the network.

(a) External entities, parameter entities, an external DTD and XInclude point at a secret file
    next to (not among) the inputs. The secret text must appear nowhere: not on stdout, not on
    stderr, not in ``--format json``. Where the file system keeps access times, the secret's
    atime (set to 1970 first) must not move either: proof that libxml2 did not even open it.
(b) The same constructs (plus a schemaLocation and a stylesheet PI) point at an HTTP server on
    127.0.0.1 (ephemeral port, background thread that stops by itself). A control request proves
    the server works; after the runs it must have seen nothing else.

Each run goes through ``main([...])`` in-process, and once through ``python -m osv_verify`` as a
subprocess (a fresh libxml2, no proxy variables).

The file payloads are real: an lxml parser with ``resolve_entities=True, load_dtd=True`` and
``xinclude()`` leaks the secret from all of them except ``xinclude-xml`` and ``stylesheet-pi``.
libxml2 >= 2.13 has no HTTP client of its own, so on such a build (b) guards against fetching
added in Python (a resolver, urllib) rather than against a parser option.
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import NS, STATIONS, make_510b

from osv_verify import cli

PROXY_VARS = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY")


@pytest.fixture(autouse=True)
def _plain_output_and_no_proxy(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)


# ---------------------------------------------------------------- a loopback HTTP server that records every request


class _Recorder(http.server.BaseHTTPRequestHandler):
    def _answer(self) -> None:
        self.server.hits.append((self.command, self.path))  # type: ignore[attr-defined]
        token = self.server.token  # type: ignore[attr-defined]
        body = (f'<!ENTITY leak "{token}">' if self.path.endswith(".dtd") else token).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml-dtd" if self.path.endswith(".dtd") else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@contextmanager
def loopback_server(token: str, lifetime: float = 60.0) -> Iterator[http.server.HTTPServer]:
    """An HTTP server on 127.0.0.1:<ephemeral>; its thread ends when told to or after ``lifetime`` s."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    server.hits = []  # type: ignore[attr-defined]
    server.token = token  # type: ignore[attr-defined]
    server.timeout = 0.1
    stop = threading.Event()
    deadline = time.monotonic() + lifetime

    def serve() -> None:
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                server.handle_request()
        finally:
            server.server_close()

    thread = threading.Thread(target=serve, name="xxe-loopback", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        thread.join(timeout=5)
        assert not thread.is_alive()


def control_request(server: http.server.HTTPServer) -> None:
    """Prove the server answers (no proxy: straight to loopback), then forget the request."""
    port = server.server_address[1]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"http://127.0.0.1:{port}/control", timeout=5) as response:
        assert response.read().decode() == server.token  # type: ignore[attr-defined]
    assert server.hits == [("GET", "/control")]  # type: ignore[attr-defined]
    server.hits.clear()  # type: ignore[attr-defined]


# ---------------------------------------------------------------- attack files


def _510b(name_payload: str, before: str = "", xinclude_ns: bool = False) -> bytes:
    """A valid 510b whose ElectionName (printed in every output) carries ``name_payload``."""
    data = make_510b(STATIONS).decode()
    data = data.replace("<ElectionName>Gemeenteraad Testdorp 2030</ElectionName>",
                        f"<ElectionName>Gemeenteraad {name_payload} 2030</ElectionName>", 1)
    if xinclude_ns:
        data = data.replace("<EML ", '<EML xmlns:xi="http://www.w3.org/2001/XInclude" ', 1)
    return (before + data).encode()


def _110a(payload: str, doctype: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{doctype}\n<EML {NS} Id="110a"><ElectionEvent><Election>'
        f'<ElectionIdentifier Id="GR2030_Testdorp"><ElectionName>{payload}</ElectionName></ElectionIdentifier>'
        f"<kr:NumberOfSeats>13</kr:NumberOfSeats><kr:RegisteredParties><kr:RegisteredParty>"
        f"<kr:RegisteredAppellation>{payload}</kr:RegisteredAppellation></kr:RegisteredParty></kr:RegisteredParties>"
        f"</Election></ElectionEvent></EML>\n"
    ).encode()


def attacks(base: str, secret: Path, dtd: Path) -> dict[str, bytes]:
    """``base`` is where the payload lives: ``file://`` + folder, or ``http://127.0.0.1:port``."""
    s_url = f"{base}/secret.txt" if base.startswith("http") else f"file://{secret}"
    d_url = f"{base}/evil.dtd" if base.startswith("http") else f"file://{dtd}"
    x_url = f"{base}/xinclude.txt" if base.startswith("http") else str(secret)
    files = {
        "entity": _510b("&xxe;", f'<?xml version="1.0"?>\n<!DOCTYPE EML [<!ENTITY xxe SYSTEM "{s_url}">]>\n'),
        "parameter-entity": _510b("&leak;", f'<!DOCTYPE EML [<!ENTITY % p SYSTEM "{d_url}"> %p;]>\n'),
        "external-dtd": _510b("&leak;", f'<!DOCTYPE EML SYSTEM "{d_url}">\n'),
        "public-dtd": _510b("&leak;", f'<!DOCTYPE EML PUBLIC "-//Kiesraad//DTD EML//NL" "{d_url}">\n'),
        "bom-then-doctype": b"\xef\xbb\xbf" + _510b("&xxe;", f'<!DOCTYPE EML [<!ENTITY xxe SYSTEM "{s_url}">]>\n'),
        "comment-then-doctype": _510b("&xxe;", f'<!-- kiesraad -->\n<!DOCTYPE EML [<!ENTITY xxe SYSTEM "{s_url}">]>\n'),
        "xinclude-text": _510b(f'<xi:include href="{x_url}" parse="text"/>', xinclude_ns=True),
        "xinclude-xml": _510b(f'<xi:include href="{d_url}" parse="xml"><xi:fallback>x</xi:fallback></xi:include>', xinclude_ns=True),
        "stylesheet-pi": _510b("Testdorp", f'<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="{s_url}"?>\n'),
        "110a-entity": _110a("&xxe;", f'<!DOCTYPE EML [<!ENTITY xxe SYSTEM "{s_url}">]>'),
    }
    if base.startswith("http"):
        files["schema-location"] = _510b("Testdorp").replace(
            b"<EML ", f'<EML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                      f'xsi:schemaLocation="urn:oasis:names:tc:evs:schema:eml {base}/510-count-v5-0.xsd" '.encode(), 1)
    else:
        files["entity-relative"] = _510b("&xxe;", '<!DOCTYPE EML [<!ENTITY xxe SYSTEM "../private/secret.txt">]>\n')
    return files


def write_inputs(folder: Path, files: dict[str, bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files.items():
        p = folder / f"{name}.eml.xml"
        p.write_bytes(data)
        paths.append(p)
    zipped = folder / "attacks.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(f"in-zip/{name}.eml.xml", data)
    paths.append(zipped)
    return paths


@pytest.fixture
def secret_files(tmp_path) -> tuple[str, Path, Path]:
    """A secret text and a DTD that would leak it, in ``private/`` (never an input), atime 1970."""
    token = f"XXE-SECRET-{uuid.uuid4().hex}"
    private = tmp_path / "private"
    private.mkdir()
    secret = private / "secret.txt"
    secret.write_text(token)
    dtd = private / "evil.dtd"
    dtd.write_text(f'<!ENTITY leak SYSTEM "file://{secret}">')
    for p in (secret, dtd):
        os.utime(p, (0, p.stat().st_mtime))
    return token, secret, dtd


def atime_is_tracked(tmp_path: Path) -> bool:
    """Does reading a file move its atime here (relatime does, when atime < mtime)?"""
    probe = tmp_path / "atime-probe.txt"
    probe.write_text("probe")
    os.utime(probe, (0, probe.stat().st_mtime))
    probe.read_text()
    return probe.stat().st_atime > 0


def run(capsys, *args: object) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def check_inert(code: int, out: str, err: str, token: str, what: str) -> None:
    assert code in (0, 2), f"{what}: exit {code}: {err}"
    assert "Traceback" not in err and "internal error" not in err, what
    assert token not in out and token not in err, f"{what}: the secret leaked into the output"


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    env.update(NO_COLOR="1", COLUMNS="200")
    return env


# ---------------------------------------------------------------- (a) local files


def test_external_entities_never_read_a_local_file(tmp_path, capsys, secret_files):
    token, secret, dtd = secret_files
    paths = write_inputs(tmp_path / "inputs", attacks(f"file://{secret.parent}", secret, dtd))
    for path in paths:
        for extra in ([], ["--format", "json"], ["--format", "csv"], ["--format", "markdown", "--lang", "en"]):
            code, out, err = run(capsys, "verify", path, *extra)
            check_inert(code, out, err, token, f"verify {path.name} {extra}")
        code, out, err = run(capsys, "inspect", path, "--format", "json")
        check_inert(code, out, err, token, f"inspect {path.name}")
    # every DOCTYPE is refused by name; XInclude and the stylesheet PI are inert (verified as plain 510b)
    code, out, err = run(capsys, "verify", *paths[:-1])
    assert code == 2
    refused = [line for line in err.splitlines() if "DOCTYPE" in line]
    assert len(refused) == 8 and len(err.splitlines()) == 8, err
    assert "xinclude-text" not in err and "stylesheet-pi" not in err
    # --output: the JSON file holds no secret either
    report = tmp_path / "report.json"
    code, out, err = run(capsys, "verify", tmp_path / "inputs", "--format", "json", "--output", report)
    assert code == 2 and token not in report.read_text() and token not in out + err

    proc = subprocess.run(
        [sys.executable, "-m", "osv_verify", "verify", str(tmp_path / "inputs"), "--format", "json"],
        capture_output=True, text=True, timeout=60, env=_clean_env(), cwd=tmp_path / "inputs",  # relative SYSTEM ids resolve from here too
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert token not in proc.stdout and token not in proc.stderr

    if atime_is_tracked(tmp_path):
        assert secret.stat().st_atime == 0, "the secret file was opened"
        assert dtd.stat().st_atime == 0, "the evil DTD was opened"


# ---------------------------------------------------------------- (b) network


def test_nothing_is_fetched_from_the_network(tmp_path, capsys, secret_files):
    token, secret, dtd = secret_files
    net_token = f"NET-TOKEN-{uuid.uuid4().hex}"
    with loopback_server(net_token) as server:
        control_request(server)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        paths = write_inputs(tmp_path / "inputs", attacks(base, secret, dtd))
        for path in paths:
            for extra in ([], ["--format", "json"]):
                code, out, err = run(capsys, "verify", path, *extra)
                check_inert(code, out, err, net_token, f"verify {path.name} {extra}")
            code, out, err = run(capsys, "inspect", path, "--format", "json")
            check_inert(code, out, err, net_token, f"inspect {path.name}")
        proc = subprocess.run(
            [sys.executable, "-m", "osv_verify", "verify", str(tmp_path / "inputs"), "--format", "json"],
            capture_output=True, text=True, timeout=60, env=_clean_env(), cwd=tmp_path,
        )
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert net_token not in proc.stdout + proc.stderr
        time.sleep(0.3)  # let a late request, if any, arrive before we look
        assert server.hits == [], f"osv-verify made network requests: {server.hits}"  # type: ignore[attr-defined]
