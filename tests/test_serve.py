"""`quizgen serve`: what is served to whom, the command line, the QR code, stopping cleanly."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, build_files
from typer.testing import CliRunner

from generator.cli import app
from generator.errors import UsageError
from generator.pipeline.manifest import MANIFEST
from generator.tools.serve import Site, StudyServer, network_addresses, qr_code

runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The mini article built with two quiz versions and the PDFs' places taken by plain files."""
    out = tmp_path_factory.mktemp("serve") / "decks"
    shutil.copytree(FIXTURES, out.parent / "content")  # a build writes anki.lock beside the questions
    build_files(out.parent / "content", out)
    (out / "notes.txt").write_text("the teacher's own file, not an output", encoding="utf-8")
    (out / ".hidden").write_text("hidden", encoding="utf-8")
    (out.parent / "secret.txt").write_text("outside the folder", encoding="utf-8")
    return out


def get(site: Site, path: str) -> tuple[int, str, bytes]:
    answer = site.answer(path)
    return int(answer.status), answer.content_type, answer.body


def test_students_get_the_study_pages_their_app_files_and_the_decks(built):
    site = Site(built)
    assert site.served() == sorted([
        "mini-study.html", "mini-study.webmanifest", "mini.apkg", "mini-study-icon-192.png", "mini-study-icon-512.png",
        "study-sw.js"])
    for name in site.served():
        status, _, body = get(site, f"/{name}")
        assert status == 200 and body == (built / name).read_bytes()
    assert get(site, "/mini-study.webmanifest")[1] == "application/manifest+json"
    assert get(site, "/study-sw.js")[1].startswith("text/javascript")
    assert get(site, "/mini-study.html?utm=x")[0] == 200


def test_keys_and_quizzes_are_refused_without_teacher(built):
    site = Site(built)
    for name in ("mini-key.html", "mini-quiz.html"):
        status, _, body = get(site, f"/{name}")
        assert status == 403 and b"--teacher" in body
    assert Site(built, teacher=True).answer("/mini-key.html").body == (built / "mini-key.html").read_bytes()


def test_what_a_file_is_comes_from_the_manifest_not_its_name(built, tmp_path):
    out = tmp_path / "decks"
    shutil.copytree(built, out)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["entries"]["mini:quiz"]["outputs"].append("mini-answers.pdf")  # a key PDF, whatever its name
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (out / "mini-answers.pdf").write_bytes(b"%PDF-1.7 key")
    (out / "mini-key-copy.html").write_bytes(b"a copy the build never wrote")
    site = Site(out)
    assert get(site, "/mini-answers.pdf")[0] == 403
    assert get(site, "/mini-key-copy.html")[0] == 404
    assert Site(out, teacher=True).answer("/mini-answers.pdf").content_type == "application/pdf"


def test_nothing_outside_the_folder_no_hidden_file_no_stray_file(built):
    for site in (Site(built), Site(built, teacher=True)):
        for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/.quizgen-manifest.json",
                     "/.hidden", "/notes.txt", "/sub/mini-study.html", "//etc/passwd", "/%00", "/nothing.html",
                     "/mini-study.html/", "/study-sw.js%00.png"):
            assert get(site, path)[0] == 404, path


def test_a_symlink_is_never_followed(built, tmp_path):
    out = tmp_path / "decks"
    shutil.copytree(built, out)
    (out / "mini.apkg").unlink()
    (out / "mini.apkg").symlink_to(built.parent / "secret.txt")
    assert get(Site(out), "/mini.apkg")[0] == 404


def test_the_students_index_links_only_what_they_may_open(built):
    status, kind, body = get(Site(built), "/")
    assert status == 200 and kind.startswith("text/html")
    html = body.decode("utf-8")
    assert 'href="mini-study.html"' in html and 'href="mini.apkg"' in html
    assert "key" not in html.lower() and "quiz.html" not in html
    assert get(Site(built), "/index.html")[2] == body
    assert get(Site(built, teacher=True), "/")[2] == (built / "teacher.html").read_bytes()  # keys listed
    assert 'href="mini-key.html"' in (built / "teacher.html").read_text(encoding="utf-8")
    assert get(Site(built), "/teacher.html")[0] == 403


def test_a_rebuild_is_seen_without_a_restart(built, tmp_path):
    out = tmp_path / "decks"
    shutil.copytree(built, out)
    site = Site(out)
    assert "mini.apkg" in site.served()
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    del manifest["entries"]["mini:anki"]
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    assert "mini.apkg" not in site.served()


def test_a_folder_without_a_build_is_a_user_error(tmp_path):
    with pytest.raises(UsageError, match="no quizgen build"):
        Site(tmp_path)
    result = runner.invoke(app, ["serve", "--out", str(tmp_path / "none"), "--port", "0"])
    assert result.exit_code == 2
    assert result.stderr.startswith("quizgen: error: ") and "quizgen build --out" in result.stderr


def test_the_server_answers_over_http(built):
    server = StudyServer(Site(built), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for method, path, status in (("GET", "/mini-study.html", 200), ("HEAD", "/mini-study.html", 200),
                                     ("GET", "/mini-key.html", 403), ("GET", "/../secret.txt", 404),
                                     ("POST", "/mini-study.html", 501)):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            connection.request(method, path)
            response = connection.getresponse()
            body = response.read()
            assert response.status == status, (method, path)
            if status == 200:
                assert response.getheader("Cache-Control") == "no-cache"
                assert response.getheader("X-Content-Type-Options") == "nosniff"
                assert body == (b"" if method == "HEAD" else (built / "mini-study.html").read_bytes())
            connection.close()
    finally:
        server.shutdown()
        server.server_close()
    assert server.urls() == [(f"http://127.0.0.1:{server.port}/", "")]


def test_every_network_is_listed_first_then_this_computer(built):
    server = StudyServer(Site(built), "0.0.0.0", 0)
    try:
        urls = server.urls()
    finally:
        server.server_close()
    assert urls[-1] == (f"http://127.0.0.1:{server.port}/", "this computer")
    assert [u for u, _ in urls[:-1]] == [f"http://{a}:{server.port}/" for a in network_addresses()]
    assert all(not a.startswith("127.") for a in network_addresses())


def test_a_port_in_use_is_a_user_error(built):
    server = StudyServer(Site(built), "127.0.0.1", 0)
    try:
        with pytest.raises(UsageError, match="cannot listen on 127.0.0.1"):
            StudyServer(Site(built), "127.0.0.1", server.port)
    finally:
        server.server_close()


def test_help_shows_every_option():
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--host", "--port", "--teacher", "--cert", "--key", "--https"):
        assert option in result.stdout


def test_a_key_without_a_certificate_is_a_user_error(built):
    result = runner.invoke(app, ["serve", "--out", str(built), "--key", "k.pem", "--port", "0"])
    assert result.exit_code == 2 and result.stderr == "quizgen: error: --key needs --cert\n"
    result = runner.invoke(app, ["serve", "--out", str(built), "--cert", "missing.pem", "--port", "0"])
    assert result.exit_code == 2 and "cannot use the certificate missing.pem" in result.stderr


def test_the_qr_code_encodes_the_address_dark_on_light_with_a_quiet_zone():
    segno = pytest.importorskip("segno", reason="segno is in the serve and test extras")
    url = "http://192.0.2.7:8000/"
    code = qr_code(url)
    assert code is not None
    # each character is two modules, drawn ▀ with the upper one's colour in front and the lower one's
    # behind: black (16) or white (231), whatever the terminal's own colours are
    cells = [re.findall(r"\x1b\[38;5;(16|231);48;5;(16|231)m\u2580", row) for row in code.splitlines()]
    assert all(row.endswith("\x1b[0m") for row in code.splitlines())
    drawn = [[int(top == "16") for top, _ in row] for row in cells]
    lower = [[int(bottom == "16") for _, bottom in row] for row in cells]
    modules = [m for pair in zip(drawn, lower) for m in pair]
    want = [list(r) for r in segno.make(url, error="m").matrix_iter(scale=1, border=4)]
    assert modules[: len(want)] == want and not any(modules[len(want):][0])  # the last half row is light
    assert not any(want[0]) and not any(r[0] for r in want)  # a light quiet zone of 4 modules around it


def serve_process(out: Path, *args: str) -> tuple[subprocess.Popen, list[str]]:
    """`quizgen serve` in its own process, once it printed its addresses and code."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--out", out.name, "--host", "127.0.0.1",
                                "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env, cwd=out.parent)
    lines: list[str] = []
    assert process.stdout is not None
    wanted = 0
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if len(lines) == 2:  # the address: then its code, or a line saying how to get one
            code = qr_code(lines[1].strip(), ansi=False)  # not a terminal: characters only
            wanted = 2 + (len(code.splitlines()) if code else 1)
        if wanted and len(lines) == wanted:
            break
    return process, lines


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_the_command_prints_its_address_and_code_and_stops_cleanly(built, stop):
    process, lines = serve_process(built)
    try:
        assert lines[0] == f"serving {built.name} (students' pages only: study pages and Anki decks; --teacher adds keys)"
        url = lines[1].strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        code = qr_code(url, ansi=False)
        if code is not None:
            assert "\n".join(lines[2:]) == code.rstrip("\n")
        connection = http.client.HTTPConnection("127.0.0.1", int(url.split(":")[2].rstrip("/")), timeout=10)
        connection.request("GET", "/mini-study.html")
        assert connection.getresponse().status == 200
        connection.close()
    finally:
        process.send_signal(stop)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0
    assert err.splitlines()[-1] == f"stopped serving {built.name}"
    assert "Traceback" not in err


def test_https_with_the_users_certificate(built, tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    process, lines = serve_process(built, "--cert", str(cert), "--key", str(key))
    try:
        url = lines[1].strip()
        assert url.startswith("https://127.0.0.1:")
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False
        connection = http.client.HTTPSConnection("127.0.0.1", int(url.split(":")[2].rstrip("/")), context=context,
                                                 timeout=10)
        connection.request("GET", "/study-sw.js")
        assert connection.getresponse().read() == (built / "study-sw.js").read_bytes()
        connection.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)
    assert process.returncode == 0


def test_the_readme_shows_the_real_options_and_first_line():
    from docs_pages import section as docs_section

    section = docs_section("how-to/teachers.md", "## Serving to phones and installing")
    help_text = runner.invoke(app, ["serve", "--help"]).stdout
    table = [line for line in section.splitlines() if line.startswith("| `--")]
    assert len(table) == 8  # --watch, --content and --https too
    for line in table:
        for option in line.split("|")[1].replace("`", "").split(","):
            assert option.split()[0] in help_text, option
    assert "serving decks (students' pages only: study pages and Anki decks; --teacher adds keys)\n" in section


def test_the_default_routes_address_comes_first_and_the_others_are_listed(built, monkeypatch):
    """A docker bridge (172.17.0.1) and a VPN (10.8.0.2) sort before the Wi-Fi (192.168.1.20) by
    number; the address the default route leaves from is put first, and the QR code shows it."""
    psutil = pytest.importorskip("psutil", reason="psutil is in the serve extra")
    import socket
    from collections import namedtuple

    from generator.tools import serve

    Address = namedtuple("Address", "family address")
    interfaces = {"docker0": [Address(socket.AF_INET, "172.17.0.1")], "tun0": [Address(socket.AF_INET, "10.8.0.2")],
                  "wlan0": [Address(socket.AF_INET, "192.168.1.20")], "lo": [Address(socket.AF_INET, "127.0.0.1")]}
    monkeypatch.setattr(psutil, "net_if_addrs", lambda: interfaces)
    monkeypatch.setattr(serve, "default_route_address", lambda: "192.168.1.20")
    assert network_addresses() == ["192.168.1.20", "10.8.0.2", "172.17.0.1"]
    server = StudyServer(Site(built), "0.0.0.0", 0)
    try:
        urls = server.urls()
    finally:
        server.server_close()
    port = server.port
    assert urls == [(f"http://192.168.1.20:{port}/", "phones on this network"),
                    (f"http://10.8.0.2:{port}/", "another network of this computer"),
                    (f"http://172.17.0.1:{port}/", "another network of this computer"),
                    (f"http://127.0.0.1:{port}/", "this computer")]
    assert serve.default_route_address() in network_addresses()


def test_the_default_route_is_found_without_sending_anything():
    from generator.tools.serve import default_route_address

    address = default_route_address()
    assert address is None or (not address.startswith("127.") and address.count(".") == 3)
