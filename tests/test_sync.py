"""The sync API of `quizgen serve` (generator/tools/sync.py): learners' review logs in SQLite beside the
served folder, merged as set unions; every bad request is a clear 4xx that changes nothing."""

from __future__ import annotations

import http.client
import json
import shutil
import sqlite3
import threading

import pytest
from conftest import FIXTURES, build_files

from generator.tools.serve import Site, StudyServer
from generator.tools.sync import SCHEMA_VERSION, Limits, store_path

LEARNER = "a" * 22


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("sync")
    shutil.copytree(FIXTURES, root / "content")
    build_files(root / "content", root / "decks")
    return root / "decks"


@pytest.fixture
def server(built, tmp_path):
    out = tmp_path / "decks"
    shutil.copytree(built, out)
    server = StudyServer(Site(out), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    server.sync_store.close()


def call(server, method: str, path: str, body: bytes | dict | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    connection.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
    response = connection.getresponse()
    raw = response.read()
    connection.close()
    return response.status, (json.loads(raw) if response.getheader("Content-Type") == "application/json" else raw)


def grade(device: str, counter: int, card: str = "q1", rating: int = 3) -> dict:
    return {"d": device, "c": counter, "t": 1_700_000_000_000 + counter, "id": card, "r": rating}


def test_two_devices_sync_to_the_union_and_nothing_is_duplicated(server):
    url = f"/api/sync/mini/{LEARNER}"
    assert not store_path(server.site.root).exists()  # made on first use
    status, phone = call(server, "POST", url, {"cursor": 0, "events": [grade("phone", 1), grade("phone", 2)]})
    assert status == 200 and phone["added"] == 2 and len(phone["events"]) == 2
    assert store_path(server.site.root).exists() and store_path(server.site.root).parent == server.site.root.parent
    status, laptop = call(server, "POST", url, {"cursor": 0, "events": [grade("laptop", 1), grade("phone", 2)]})
    assert status == 200 and laptop["added"] == 1
    assert {(e["d"], e["c"]) for e in laptop["events"]} == {("phone", 1), ("phone", 2), ("laptop", 1)}
    status, again = call(server, "POST", url, {"cursor": phone["cursor"], "events": []})
    assert [(e["d"], e["c"]) for e in again["events"]] == [("laptop", 1)]  # only what the phone lacks
    assert server.sync_store.counts() == {("mini", LEARNER): 3}
    with sqlite3.connect(store_path(server.site.root)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    status, gone = call(server, "DELETE", url)
    assert status == 200 and gone == {"deleted": 3}
    assert server.sync_store.counts() == {}


@pytest.mark.parametrize(("path", "body", "status", "says"), [
    ("/api/sync/mini/short", {"events": []}, 400, "learner code"),
    ("/api/sync/nothere/" + LEARNER, {"events": []}, 404, "no study page"),
    ("/api/sync/mini/" + LEARNER, b"{not json", 400, "not JSON"),
    ("/api/sync/mini/" + LEARNER, {"events": [grade("phone", 1, rating=5)]}, 400, "r is 1, 2, 3 or 4"),
    ("/api/sync/mini/" + LEARNER, {"events": [grade("phone", 1), {"d": "x y", "c": 1, "t": 0, "id": "q", "r": 1}]}, 400, "device"),
    ("/api/sync/mini/" + LEARNER, {"events": [{**grade("phone", 1), "evil": 1}]}, 400, "unknown key"),
    ("/api/sync/mini/" + LEARNER, {"events": [{"d": "p", "c": 1, "t": 0, "k": "reset", "upto": [], "ids": None}]}, 400, "upto"),
    ("/api/sync/mini/" + LEARNER, {"cursor": -1, "events": []}, 400, "cursor"),
    ("/api/sync/mini/" + LEARNER, {"events": [grade("p", c) for c in range(1, 2002)]}, 400, "at most 2000"),
    ("/api/elsewhere", {}, 404, "no such API"),
])
def test_bad_requests_get_a_clear_4xx_and_change_nothing(server, path, body, status, says):
    got, answer = call(server, "POST", path, body)
    assert got == status and says in answer["error"]
    if store_path(server.site.root).exists():
        assert server.sync_store.counts() == {}


def test_limits_on_learners_and_rate(server):
    server.sync_store.limits = Limits(learners_per_article=2, burst_per_learner=3, rate_per_learner=0.001)
    for n in range(2):
        assert call(server, "POST", f"/api/sync/mini/{str(n) * 22}", {"events": []})[0] == 200
    status, answer = call(server, "POST", f"/api/sync/mini/{'9' * 22}", {"events": []})
    assert status == 507 and "as many learners" in answer["error"]
    statuses = [call(server, "POST", f"/api/sync/mini/{'0' * 22}", {"events": []})[0] for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_pairing_qr_is_dark_on_light_with_a_quiet_zone(server):
    pytest.importorskip("segno", reason="QR codes need the serve extra")
    status, svg = call(server, "GET", "/api/sync-qr?text=http%3A%2F%2F192.168.1.20%3A8000%2Fmini-study.html%23sync%3D" + LEARNER)
    assert status == 200 and svg.startswith(b"<svg")
    assert b'fill="#fff"' in svg and b'stroke="#000"' in svg


def test_other_posts_are_still_not_served(server):
    assert call(server, "POST", "/mini-study.html", b"")[0] == 501


def test_an_oversized_request_is_refused_before_its_body_is_read(server):
    import socket

    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(f"POST /api/sync/mini/{LEARNER} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {513 * 1024}\r\n\r\n".encode())
        chunks = []
        while chunk := s.recv(65536):  # the server closes the connection after its answer
            chunks.append(chunk)
        head = b"".join(chunks).decode("latin-1")
    assert head.split()[1] == "413" and "send fewer events at once" in head
    assert not store_path(server.site.root).exists()  # nothing was made, nothing changed


def test_every_answer_names_its_store_and_a_store_of_schema_1_keeps_its_logs(tmp_path):
    """A cursor counts in one database: each answer names it (`store`), so a page can tell a moved,
    deleted or restored store file from the one its cursor counts in (tests/test_sync_browser.py).
    A store written before stores had a name keeps every event and gets one."""
    from generator.tools.sync import SyncStore

    store = SyncStore(tmp_path / "a.sqlite3")
    first = json.loads(store.push("mini", LEARNER, 0, [grade("phone", 1)]).body)
    again = json.loads(store.push("mini", LEARNER, first["cursor"], []).body)
    store.close()
    reopened = json.loads(SyncStore(tmp_path / "a.sqlite3").push("mini", LEARNER, 0, []).body)
    other = json.loads(SyncStore(tmp_path / "b.sqlite3").push("mini", LEARNER, 0, []).body)
    assert first["store"] == again["store"] == reopened["store"] != other["store"]
    assert len(reopened["events"]) == 1 and other["events"] == []
    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(old) as db:  # as quizgen wrote it before (schema 1)
        db.executescript("""
            CREATE TABLE learners (slug TEXT NOT NULL, learner TEXT NOT NULL, created REAL NOT NULL, PRIMARY KEY (slug, learner));
            CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, slug TEXT NOT NULL, learner TEXT NOT NULL,
                device TEXT NOT NULL, counter INTEGER NOT NULL, body TEXT NOT NULL, UNIQUE (slug, learner, device, counter));
            PRAGMA user_version = 1;""")
        db.execute("INSERT INTO learners VALUES ('mini', ?, 0)", (LEARNER,))
        db.execute("INSERT INTO events (slug, learner, device, counter, body) VALUES ('mini', ?, 'phone', 1, ?)",
                   (LEARNER, json.dumps(grade("phone", 1), separators=(",", ":"), sort_keys=True)))
    db.close()
    upgraded = SyncStore(old)
    answer = json.loads(upgraded.push("mini", LEARNER, 0, [grade("laptop", 1)]).body)
    assert answer["added"] == 1 and len(answer["events"]) == 2 and answer["store"]
    assert json.loads(upgraded.push("mini", LEARNER, 0, []).body)["store"] == answer["store"]
    upgraded.close()
    with sqlite3.connect(old) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    db.close()


def test_a_cursor_the_file_never_gave_asks_the_page_to_start_again(tmp_path):
    """A store restored from an older copy keeps its name, but a device's cursor may be past its end:
    the answer says `restart` (the page then sends and reads everything again), and only then."""
    from generator.tools.sync import SyncStore

    store = SyncStore(tmp_path / "s.sqlite3")
    first = json.loads(store.push("mini", LEARNER, 0, [grade("phone", 1), grade("phone", 2)]).body)
    assert "restart" not in first and first["cursor"] == 2
    other = "b" * 22  # another learner's events move the file's sequence on: a cursor behind it is fine
    store.push("mini", other, 0, [grade("laptop", 1)])
    assert "restart" not in json.loads(store.push("mini", LEARNER, 3, []).body)
    past = json.loads(store.push("mini", LEARNER, 4, []).body)
    assert past["restart"] is True and past["events"] == []
    store.close()


def test_a_restored_store_is_renamed_when_a_device_finds_it_so_every_device_reads_all_again(tmp_path):
    """Two devices synced to 3 events; the file is put back from a copy of 2. The phone finds it first and
    re-sends its log; the laptop's cursor (3) is then inside the file again, at events it never read:
    the name it was told before must differ, or it would skip them (the browser test's 'restored' case)."""
    import shutil

    from generator.tools.sync import SyncStore

    path = tmp_path / "s.sqlite3"
    store = SyncStore(path)
    store.push("mini", LEARNER, 0, [grade("phone", 1), grade("laptop", 1)])
    store.close()
    shutil.copy(path, tmp_path / "copy.sqlite3")
    store = SyncStore(path)
    told = json.loads(store.push("mini", LEARNER, 2, [grade("laptop", 2)]).body)
    assert told["cursor"] == 3
    store.close()
    shutil.copy(tmp_path / "copy.sqlite3", path)
    store = SyncStore(path)
    phone = json.loads(store.push("mini", LEARNER, 3, [grade("phone", 2)]).body)  # past the restored end (2)
    assert phone["restart"] is True and phone["store"] != told["store"]
    again = json.loads(store.push("mini", LEARNER, 0, [grade("phone", 1), grade("phone", 2), grade("laptop", 1)]).body)
    assert again["store"] == phone["store"] and len(again["events"]) == 3
    laptop = json.loads(store.push("mini", LEARNER, 3, []).body)  # a cursor inside the file again
    assert "restart" not in laptop and laptop["store"] != told["store"]  # so the page reads all again
    store.close()
