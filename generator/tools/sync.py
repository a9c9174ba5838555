"""Study progress synced between a learner's devices by `quizgen serve`, without accounts.

A study page keeps its progress as a review log (study.js): events named by a device and its
counter, so two copies merge by a set union. This module keeps each learner's log, per article, in
an SQLite database beside the served folder (`<folder>-sync.sqlite3`, created on the first sync,
its schema versioned with `PRAGMA user_version`), and answers one small API:

    POST   /api/sync/<slug>/<learner>   {"cursor": n, "events": [...]}  -> {"cursor": m, "events": [...], "added": k, "store": s}
    DELETE /api/sync/<slug>/<learner>   -> {"deleted": k}
    GET    /api/sync-qr?text=...        -> the text as a QR code (SVG), for pairing another device

A learner is a random code the page makes (`[a-z0-9]{20,64}`): whoever holds it reads and adds to
that log, nothing else identifies anyone. A POST adds the events the server lacks and returns every
event after `cursor` (the server's own sequence), so a device sends what it has and gets what it
lacks; `store` names the database the cursor counts in (a page told of another, or told to `restart`
for a cursor past the file's end, sends and reads all again). Everything is bounded (`Limits`); a request that breaks a rule gets a 4xx that says which,
and changes nothing (one transaction per request).
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from generator.tools.sync_reply import Reply
from generator.tools.sync_reply import ca_reply as _ca
from generator.tools.sync_reply import error as _error
from generator.tools.sync_reply import json_reply as _json
from generator.tools.sync_reply import qr_reply as _qr

SCHEMA_VERSION = 2
PREFIX = "/api/sync"
QR_PATH = "/api/sync-qr"
CA_PATH = "/api/ca.pem"  # with serve --https: the local authority's certificate, for phones to trust
LEARNER = re.compile(r"^[a-z0-9]{20,64}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
DEVICE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
EVENT_KEY = re.compile(r"^[A-Za-z0-9_-]{1,40}:[0-9]{1,15}$")


@dataclass(frozen=True)
class Limits:
    body_bytes: int = 512 * 1024  # one request's body
    events_per_request: int = 2000
    learners_per_article: int = 1000
    events_per_learner: int = 100_000
    rate_per_learner: float = 10.0  # requests a second, on average
    burst_per_learner: int = 40  # requests at once


class BadRequest(Exception):
    pass


def _int(value: Any, lo: int, hi: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi


def _num(value: Any, lo: float, hi: float) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and lo <= value <= hi


def _record_ok(rec: Any) -> bool:
    if not isinstance(rec, dict):
        return False
    ints = {"st": 3, "ls": 100, "r": 10**6, "l": 10**6, "f": 10**7}
    nums = {"m": 1e15, "due": 1e15, "s": 1e6, "d": 11, "sd": 1e6, "ed": 1e6, "lr": 1e15}
    return (all(_int(rec.get(k), 0, hi) for k, hi in ints.items()) and all(_num(rec.get(k), 0, hi) for k, hi in nums.items())
            and set(rec) <= set(ints) | set(nums))


def _reset(e: dict[str, Any]) -> set[str]:
    upto, ids = e.get("upto"), e.get("ids")
    if not isinstance(upto, dict) or not all(isinstance(k, str) and DEVICE.match(k) and _int(v, 0, 10**15) for k, v in upto.items()):
        raise BadRequest("a reset's upto maps device names to counters")
    if ids is not None and not (isinstance(ids, list) and all(isinstance(i, str) and 0 < len(i) <= 200 for i in ids)):
        raise BadRequest("a reset's ids is null or a list of card ids")
    return {"k", "upto", "ids"}


def _undo(e: dict[str, Any]) -> set[str]:
    if not (isinstance(e.get("of"), str) and EVENT_KEY.match(e["of"])):
        raise BadRequest("an undo's of names an event as device:counter")
    return {"k", "of"}


def _card_id(e: dict[str, Any]) -> None:
    if not (isinstance(e.get("id"), str) and 0 < len(e["id"]) <= 200):
        raise BadRequest("a grade names its card in id")


def _set(e: dict[str, Any]) -> set[str]:
    _card_id(e)
    if not _record_ok(e.get("rec")):
        raise BadRequest("a set event's rec is not a card record")
    return {"k", "id", "rec"}


def _grade(e: dict[str, Any]) -> set[str]:
    _card_id(e)
    if not _int(e.get("r"), 1, 4):
        raise BadRequest("a grade's r is 1, 2, 3 or 4")
    if "a" in e and not (isinstance(e["a"], str) and len(e["a"]) <= 500):
        raise BadRequest("a grade's a (the answer typed) is text of at most 500 characters")
    if "ms" in e and not _int(e["ms"], 0, 86_400_000):
        raise BadRequest("a grade's ms (time taken) is a whole number of ms up to a day")
    return {"id", "r", "a", "ms"}


def _suspend(e: dict[str, Any]) -> set[str]:
    _card_id(e)
    if not isinstance(e.get("on"), bool):
        raise BadRequest("a suspend's on is true or false")
    return {"k", "id", "on"}


_KINDS = {"reset": _reset, "undo": _undo, "set": _set, "suspend": _suspend, None: _grade}


def clean_event(e: Any) -> dict[str, Any]:
    """One event as the page writes it (study.js, cleanEvent), or BadRequest saying what is wrong."""
    if not isinstance(e, dict):
        raise BadRequest("an event is not an object")
    if not (isinstance(e.get("d"), str) and DEVICE.match(e["d"]) and _int(e.get("c"), 1, 10**15) and _num(e.get("t"), 0, 1e15)):
        raise BadRequest("an event needs d (a device name), c (its counter, 1 or more) and t (a time in ms)")
    check = _KINDS.get(e.get("k")) if isinstance(e.get("k"), (str, type(None))) else None
    if check is None:
        raise BadRequest(f"unknown event kind {str(e.get('k'))[:20]!r}")
    extra = set(e) - check(e) - {"d", "c", "t"}
    if extra:
        raise BadRequest(f"unknown key {sorted(extra)[0][:20]!r} in an event")
    return e


@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass
class SyncStore:
    """The learners' logs of one served folder, in SQLite; thread-safe (one connection, one lock)."""

    path: Path
    limits: Limits = field(default_factory=Limits)
    clock: Any = time.monotonic

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._store = ""  # the database's identity, read with it
        self._buckets: dict[tuple[str, str], _Bucket] = {}

    def _connect(self) -> sqlite3.Connection:
        """The database, created with its schema on first use."""
        if self._db is None:
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                db.close()
                raise RuntimeError(f"{self.path} was written by a newer quizgen (schema {version}); upgrade quizgen")
            if version < 1:
                db.executescript("""
                    BEGIN;
                    CREATE TABLE IF NOT EXISTS learners (slug TEXT NOT NULL, learner TEXT NOT NULL, created REAL NOT NULL,
                        PRIMARY KEY (slug, learner));
                    CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, slug TEXT NOT NULL,
                        learner TEXT NOT NULL, device TEXT NOT NULL, counter INTEGER NOT NULL, body TEXT NOT NULL,
                        UNIQUE (slug, learner, device, counter));
                    CREATE INDEX IF NOT EXISTS events_by_learner ON events (slug, learner, seq);
                    PRAGMA user_version = 1; COMMIT;""")
            if version < 2:  # the store's name, made with it (schema 1 had none): a moved or new file has another
                db.executescript(f"""BEGIN; CREATE TABLE IF NOT EXISTS store (id TEXT NOT NULL);
                    INSERT INTO store SELECT '{secrets.token_hex(8)}' WHERE NOT EXISTS (SELECT 1 FROM store);
                    PRAGMA user_version = 2; COMMIT;""")
            self._store = db.execute("SELECT id FROM store").fetchone()[0]
            self._db = db
        return self._db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
            self._db = None

    def _allowed(self, slug: str, learner: str) -> bool:
        """The rate limit: a token bucket per article and learner."""
        now = self.clock()
        key = (slug, learner)
        b = self._buckets.get(key)
        if b is None:
            if len(self._buckets) > 100_000:
                self._buckets.clear()
            b = self._buckets[key] = _Bucket(float(self.limits.burst_per_learner), now)
        b.tokens = min(float(self.limits.burst_per_learner), b.tokens + (now - b.at) * self.limits.rate_per_learner)
        b.at = now
        if b.tokens < 1:
            return False
        b.tokens -= 1
        return True

    def push(self, slug: str, learner: str, cursor: int, events: list[dict[str, Any]]) -> Reply:
        """Add the events the log lacks; return those after `cursor`."""
        with self._lock:
            if not self._allowed(slug, learner):
                return _error(HTTPStatus.TOO_MANY_REQUESTS, "too many requests for this learner; try again in a second",
                              (("Retry-After", "1"),))
            db = self._connect()
            db.execute("BEGIN IMMEDIATE")
            try:
                known = db.execute("SELECT 1 FROM learners WHERE slug = ? AND learner = ?", (slug, learner)).fetchone()
                if not known:
                    count = db.execute("SELECT COUNT(*) FROM learners WHERE slug = ?", (slug,)).fetchone()[0]
                    if count >= self.limits.learners_per_article:
                        db.execute("ROLLBACK")
                        return _error(HTTPStatus.INSUFFICIENT_STORAGE, "this article has as many learners as the server keeps")
                    db.execute("INSERT INTO learners VALUES (?, ?, ?)", (slug, learner, time.time()))
                top = db.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'events'").fetchone()[0]
                restart = cursor > top  # a cursor this file never gave: a restored older copy
                if restart:  # renamed, so that every device reads all again (see `_renamed`)
                    self._store = _renamed(db)
                have = db.execute("SELECT COUNT(*) FROM events WHERE slug = ? AND learner = ?", (slug, learner)).fetchone()[0]
                added = 0
                for e in events:
                    cur = db.execute("INSERT OR IGNORE INTO events (slug, learner, device, counter, body) VALUES (?, ?, ?, ?, ?)",
                                     (slug, learner, e["d"], e["c"], json.dumps(e, separators=(",", ":"), sort_keys=True)))
                    added += cur.rowcount
                if have + added > self.limits.events_per_learner:
                    db.execute("ROLLBACK")
                    return _error(HTTPStatus.INSUFFICIENT_STORAGE, "this learner's log is as long as the server keeps")
                rows = db.execute("SELECT seq, body FROM events WHERE slug = ? AND learner = ? AND seq > ? ORDER BY seq",
                                  (slug, learner, cursor)).fetchall()
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        last = rows[-1][0] if rows else cursor
        again = ',"restart":true' if restart else ""
        body = '{"cursor":%d,"added":%d,"store":"%s"%s,"events":[%s]}' % (last, added, self._store, again, ",".join(r[1] for r in rows))
        return Reply(HTTPStatus.OK, body.encode("utf-8"))

    def delete(self, slug: str, learner: str) -> Reply:
        with self._lock:
            if not self._allowed(slug, learner):
                return _error(HTTPStatus.TOO_MANY_REQUESTS, "too many requests for this learner; try again in a second",
                              (("Retry-After", "1"),))
            if not self.path.exists():
                return _json(HTTPStatus.OK, {"deleted": 0})
            db = self._connect()
            db.execute("BEGIN IMMEDIATE")
            n = db.execute("DELETE FROM events WHERE slug = ? AND learner = ?", (slug, learner)).rowcount
            db.execute("DELETE FROM learners WHERE slug = ? AND learner = ?", (slug, learner))
            db.execute("COMMIT")
        return _json(HTTPStatus.OK, {"deleted": n})

    def counts(self) -> dict[tuple[str, str], int]:
        """Events per (article, learner): for tests and the bench."""
        with self._lock:
            rows = self._connect().execute("SELECT slug, learner, COUNT(*) FROM events GROUP BY slug, learner").fetchall()
        return {(s, learner): n for s, learner, n in rows}


def _renamed(db: sqlite3.Connection) -> str:
    """A new name for a store put back from an older copy: its sequence numbers are given again, and a
    device that syncs after another has re-sent its log would find its cursor inside the file again."""
    name = secrets.token_hex(8)
    db.execute("UPDATE store SET id = ?", (name,))
    return name


def store_path(root: Path) -> Path:
    """Where a served folder's logs are kept: beside it, never inside (a build never touches it)."""
    return root.parent / f"{root.name}-sync.sqlite3"


def handles(path: str) -> bool:
    return urlsplit(path).path.startswith("/api/")


def answer(store: SyncStore, method: str, target: str, body: bytes | None, articles: set[str], ca: Path | None = None) -> Reply:
    """The reply to one API request; `body` is None when it was longer than the limit."""
    url = urlsplit(target)
    if url.path == QR_PATH and method in ("GET", "HEAD"):
        return _qr(parse_qs(url.query).get("text", [""])[0])
    if url.path == CA_PATH and method in ("GET", "HEAD"):
        return _ca(ca)
    parts = url.path[len(PREFIX) + 1:].split("/") if url.path.startswith(PREFIX + "/") else []
    if len(parts) != 2:
        return _error(HTTPStatus.NOT_FOUND, "no such API; the sync API is /api/sync/<article>/<learner>")
    slug, learner = parts
    if not SLUG.match(slug) or slug not in articles:
        return _error(HTTPStatus.NOT_FOUND, "no study page of that article is served here")
    if not LEARNER.match(learner):
        return _error(HTTPStatus.BAD_REQUEST, "a learner code is 20 to 64 lower-case letters and digits")
    if method == "DELETE":
        return store.delete(slug, learner)
    if method != "POST":
        return _error(HTTPStatus.METHOD_NOT_ALLOWED, "use POST to sync, DELETE to delete", (("Allow", "POST, DELETE"),))
    if body is None:
        return _error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request is over {store.limits.body_bytes} bytes; send fewer events at once")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _error(HTTPStatus.BAD_REQUEST, "the body is not JSON")
    try:
        cursor, events = _request(data, store.limits)
    except BadRequest as e:
        return _error(HTTPStatus.BAD_REQUEST, str(e))
    return store.push(slug, learner, cursor, events)


def _request(data: Any, limits: Limits) -> tuple[int, list[dict[str, Any]]]:
    if not isinstance(data, dict) or set(data) - {"cursor", "events"}:
        raise BadRequest('the body is {"cursor": n, "events": [...]}')
    cursor = data.get("cursor", 0)
    events = data.get("events", [])
    if not _int(cursor, 0, 2**62):
        raise BadRequest("cursor is a whole number, 0 or more")
    if not isinstance(events, list):
        raise BadRequest("events is a list")
    if len(events) > limits.events_per_request:
        raise BadRequest(f"at most {limits.events_per_request} events a request")
    return cursor, [clean_event(e) for e in events]


def serve_request(handler: Any, method: str) -> None:
    """Answer one API request on an `http.server` handler whose server has `site` and `sync_store`."""
    store: SyncStore = handler.server.sync_store
    body: bytes | None = b""
    if method == "POST":
        try:
            length = int(handler.headers.get("Content-Length", ""))
        except ValueError:
            length = -1
        if length < 0:
            _send(handler, _error(HTTPStatus.LENGTH_REQUIRED, "a sync request says its Content-Length"))
            handler.close_connection = True
            return
        if length > store.limits.body_bytes:
            body = None
            handler.close_connection = True  # the body is never read
        else:
            body = handler.rfile.read(length)
    articles = {name[: -len("-study.html")] for name in handler.server.site.served() if name.endswith("-study.html")}
    try:
        reply = answer(store, method, handler.path, body, articles, getattr(handler.server, "ca_certificate", None))
    except (sqlite3.Error, RuntimeError) as e:
        reply = _error(HTTPStatus.SERVICE_UNAVAILABLE, f"the sync store cannot be used: {e}")
    _send(handler, reply, head=method == "HEAD")


def _send(handler: Any, reply: Reply, *, head: bool = False) -> None:
    handler.send_response(reply.status)
    handler.send_header("Content-Type", reply.content_type)
    handler.send_header("Content-Length", str(len(reply.body)))
    handler.send_header("Cache-Control", "no-store")
    handler.send_header("X-Content-Type-Options", "nosniff")
    for name, value in reply.headers:
        handler.send_header(name, value)
    handler.end_headers()
    if not head:
        handler.wfile.write(reply.body)
