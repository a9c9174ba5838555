"""Serving the output folder to phones on the same network: `quizgen serve`.

What may be served is read from the build's manifest (`.quizgen-manifest.json`), which records
which builder wrote each file, and the builders say which of their files are for students
(`Builder.for_students`, less the files that `is_teacher_file`): students get the study pages with
their web app files, the Anki decks and a plug-in's student files; the printable quizzes, their
answer keys (HTML and PDF), the exports and the index that lists them are the teacher's, served
only with `teacher`. A file the manifest does not list, a hidden file (the
manifest itself) or anything outside the folder is never served. Without `teacher`, the index is
made afresh from the manifest and links only to what students may open.

`Site` decides and reads; `StudyServer` is a plain threading HTTP server over a `Site`, so a
later `--watch` can rebuild under it (the site rereads the manifest whenever it changes) and add
to the pages it reads (`Site.read`). Nothing here prints: the caller passes `log` for each request.
"""

from __future__ import annotations

import io
import re
import socket
import ssl
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.errors import EnvironmentFault, UsageError
from generator.outputs import all_builders
from generator.pipeline.manifest import MANIFEST, ArticleSummary, Manifest
from generator.pipeline.write import interrupted, settle
from generator.tools import sync

REQUEST_TIMEOUT = 20.0  # seconds a connection may stay silent (a request sent half, a TLS handshake) before it is closed
MAX_THREADS = 64  # requests answered at once; more wait in the listen queue, never a thread each
SETTLE_WAIT = 5.0  # seconds a request waits for a build's commit to end before it is told to reload
# Whatever the manifest and the builders say (the manifest is a file in the folder, and could be
# altered): a name that shows answers (README, "Keys stay with the teacher"), a teacher file of the
# answer sheets or the teacher's index is never a student's, and a student gets only these kinds of file.
TEACHERS_NAMES = re.compile(r"(.*-key(-[A-Z])?\.(html|pdf)|.*-sheet(-[A-Z])?\.json|teacher\.html)\Z")
STUDENTS_SUFFIXES = (".html", ".apkg", ".webmanifest", ".png", ".js")
INDEX = "index.html"
TEACHER_INDEX = "teacher.html"  # the build's list of quizzes, keys and PDFs: the teacher's home page
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".webmanifest": "application/manifest+json",
    ".js": "text/javascript; charset=utf-8",
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".json": "application/json",
}


@dataclass(frozen=True)
class Answer:
    """What to send for one request: a status, and the body with its type when there is one."""

    status: HTTPStatus
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"


def _refusal(status: HTTPStatus, text: str) -> Answer:
    return Answer(status, (text + "\n").encode("utf-8"))


def students(name: str, builder: str) -> bool:
    """Whether a file of this name, written by this builder, may be served to students: its builder
    says its files are for students (`Builder.for_students`: the study pages, the Anki decks, a
    plug-in that says so) and no builder says the file shows answers (`Builder.is_teacher_file`)."""
    builders = all_builders()
    cls = builders.get(builder)
    if cls is None or not cls.for_students or not name.endswith(STUDENTS_SUFFIXES) or TEACHERS_NAMES.match(name):
        return False
    return not any(b.is_teacher_file(name) for b in builders.values())


class Site:
    """The output folder as the server sees it: which files are served, and their bytes."""

    def __init__(self, root: Path, *, teacher: bool = False) -> None:
        if not root.is_dir():
            raise UsageError(f"{root} is not a folder; build into it first (quizgen build --out {root})")
        settle(root)  # a build killed in its commit (its manifest set aside, say): the previous set put back first
        if not (root / MANIFEST).is_file():
            raise UsageError(f"{root} holds no quizgen build (no {MANIFEST}); run quizgen build --out {root} first")
        self.root = root.resolve()
        self.teacher = teacher
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._manifest = Manifest()
        self._kinds: dict[str, str] = {}

    def kinds(self) -> dict[str, str]:
        """Every file the last build wrote, by name: the builder that wrote it."""
        self._refresh()
        return self._kinds

    def served(self) -> list[str]:
        """The names of the files this site serves, in order."""
        return sorted(name for name, builder in self.kinds().items() if self.teacher or students(name, builder))

    def _refresh(self) -> None:
        """Reread the manifest when a build changed it."""
        try:
            stat = (self.root / MANIFEST).stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = None
        with self._lock:
            if stamp == self._stamp:
                return
            manifest = Manifest.read(self.root)
            kinds: dict[str, str] = {}
            for key, entry in manifest.entries.items():
                builder = key.split(":", 1)[1]
                if builder == "stale":  # files of earlier options (build.py): not the current set, not served
                    continue
                for name in entry.outputs:
                    kinds[name] = builder
            self._manifest, self._kinds, self._stamp = manifest, kinds, stamp

    def answer(self, target: str, *, local: bool = True) -> Answer:
        """The answer to a GET of `target` (the request's path, with any query); `local`: asked
        from this computer (loopback), which only the live preview's channel cares about."""
        if interrupted(self.root):  # a commit under way or killed: never a new quiz beside an old key
            try:
                settle(self.root, wait=SETTLE_WAIT)
            except EnvironmentFault:
                return _refusal(HTTPStatus.SERVICE_UNAVAILABLE, "a build is writing the outputs; reload in a moment")
        name = unquote(urlsplit(target).path)
        if name in ("/", f"/{INDEX}"):
            return self._index()
        if not name.startswith("/") or "/" in name[1:] or "\\" in name or "\0" in name:
            return _refusal(HTTPStatus.NOT_FOUND, "not found")  # every output lies directly in the folder
        name = name[1:]
        builder = self.kinds().get(name)
        if name.startswith(".") or builder is None:
            return _refusal(HTTPStatus.NOT_FOUND, "not found")
        if not self.teacher and not students(name, builder):
            return _refusal(HTTPStatus.FORBIDDEN, "answer keys and quizzes are served only with quizgen serve --teacher")
        data = self.read(name)
        if data is None:
            return _refusal(HTTPStatus.NOT_FOUND, "not found")
        return Answer(HTTPStatus.OK, data, TYPES.get(Path(name).suffix, "application/octet-stream"))

    def read(self, name: str) -> bytes | None:
        """The bytes of a served file; None when it is gone or is not a plain file inside the folder."""
        path = self.root / name
        try:
            if path.is_symlink() or not path.is_file() or path.resolve().parent != self.root:
                return None
            return path.read_bytes()
        except OSError:
            return None

    def _index(self) -> Answer:
        if self.teacher:
            home = TEACHER_INDEX if TEACHER_INDEX in self.kinds() else INDEX
            data = self.read(home) if home in self.kinds() else None
            if data is not None:
                return Answer(HTTPStatus.OK, data, TYPES[".html"])
        # the index builder and Jinja2: only when the index is missing
        from generator.outputs.index import render_index

        served = set(self.served())
        self._refresh()
        summaries = [
            ArticleSummary(**{**s.__dict__, "outputs": tuple(n for n in s.outputs if n in served)})
            for _, s in sorted(self._manifest.articles.items())
        ]
        return Answer(HTTPStatus.OK, render_index(summaries).encode("utf-8"), TYPES[".html"])


class Handler(BaseHTTPRequestHandler):
    server: StudyServer
    server_version = "quizgen"
    sys_version = ""
    timeout = REQUEST_TIMEOUT  # StreamRequestHandler sets it on the connection: an idle client is let go

    def do_GET(self) -> None:
        if sync.handles(self.path):
            return sync.serve_request(self, "GET")
        self._send(head=False)

    def do_HEAD(self) -> None:
        if sync.handles(self.path):
            return sync.serve_request(self, "HEAD")
        self._send(head=True)

    def do_POST(self) -> None:  # the study pages' sync API (sync.py), the only thing that takes a body
        self._api("POST")

    def do_DELETE(self) -> None:
        self._api("DELETE")

    def _api(self, method: str) -> None:
        if sync.handles(self.path):
            sync.serve_request(self, method)
        else:
            self.send_error(HTTPStatus.NOT_IMPLEMENTED, f"Unsupported method ({method!r})")

    def _send(self, *, head: bool) -> None:
        answer = self.server.site.answer(self.path, local=_loopback(self.client_address[0]))
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Cache-Control", "no-cache")  # a rebuilt page is fetched again
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if not head:
            self.wfile.write(answer.body)

    def log_message(self, format: str, *args: object) -> None:
        if self.server.log:
            self.server.log(f"{self.client_address[0]} {format % args}")


def _loopback(address: str) -> bool:
    return address.startswith("127.") or address in ("::1", "::ffff:127.0.0.1")


class _Slot:
    """One request's place among the server's MAX_THREADS: freed once, by whichever side gets there first."""

    def __init__(self, slots: threading.BoundedSemaphore) -> None:
        self._slots = slots
        self._lock = threading.Lock()
        self._held = True

    def free(self) -> None:
        with self._lock:
            held, self._held = self._held, False
        if held:
            self._slots.release()


class StudyServer(ThreadingHTTPServer):
    """An HTTP(S) server of one `Site`; `serve_forever()` runs it, `shutdown()` stops it.

    A thread per request, at most `MAX_THREADS` at once (a burst waits in the listen queue), each
    connection closed after `REQUEST_TIMEOUT` seconds of silence: 600 half-sent requests held 601
    threads for ever before."""

    daemon_threads = True
    request_queue_size = 256

    def __init__(self, site: Site, host: str = "0.0.0.0", port: int = 8000, *,
                 tls: ssl.SSLContext | None = None, log: Callable[[str], None] | None = None) -> None:
        self.site = site
        self.log = log
        self.sync_store = sync.SyncStore(sync.store_path(site.root))  # the file is made on the first sync
        self.ca_certificate: Path | None = None  # with --https: quizgen's local authority, offered at /api/ca.pem
        self.scheme = "https" if tls else "http"
        self._slots = threading.BoundedSemaphore(MAX_THREADS)
        try:
            super().__init__((host, port), Handler)
        except OSError as e:
            raise UsageError(f"cannot listen on {host}:{port}: {e.strerror or e} (choose another --port or --host)") from None
        if tls:
            # the handshake happens in each request's thread, so a silent client holds up nobody
            self.socket = tls.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)

    def process_request(self, request: Any, client_address: Any) -> None:
        self._slots.acquire()  # the accepting loop waits for a free slot
        slot = _Slot(self._slots)
        try:
            threading.Thread(target=self._serve_one, args=(request, client_address, slot), daemon=True).start()
        except BaseException:
            # not started, or Ctrl-C inside start() once the thread runs: the slot is freed once either way
            slot.free()
            raise

    def _serve_one(self, request: Any, client_address: Any, slot: _Slot) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            slot.free()

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the browser went away (a page closed while its request waited): nothing to report
        super().handle_error(request, client_address)  # type: ignore[arg-type]

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def urls(self) -> list[tuple[str, str]]:
        """(address, who can open it): the network's addresses first, the phones' way in."""
        host = str(self.server_address[0])
        if host not in ("0.0.0.0", ""):
            return [(f"{self.scheme}://{_bracketed(host)}:{self.port}/", "")]
        found = network_addresses()
        route = default_route_address()
        lan = [(f"{self.scheme}://{a}:{self.port}/",
                "phones on this network" if a == route or (route not in found and i == 0) else "another network of this computer")
               for i, a in enumerate(found)]
        return [*lan, (f"{self.scheme}://127.0.0.1:{self.port}/", "this computer")]


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def network_addresses() -> list[str]:
    """This computer's IPv4 addresses on its networks (not loopback), found without sending anything."""
    found: list[str] = []
    try:
        import psutil  # the serve extra: optional

        for addresses in psutil.net_if_addrs().values():
            found += [a.address for a in addresses if a.family == socket.AF_INET]
    except ImportError:  # without the serve extra: what the host name resolves to
        try:
            found = socket.gethostbyname_ex(socket.gethostname())[2]
        except OSError:
            found = []
    route = default_route_address()  # the Wi-Fi or wired network's, before a VPN's or docker's
    return sorted({a for a in found if not a.startswith("127.") and not a.startswith("169.254.")},
                  key=lambda a: (a != route, tuple(int(part) for part in a.split("."))))


def default_route_address() -> str | None:
    """The IPv4 address this computer sends from to other networks (its default route's interface),
    found by connecting a UDP socket, which sends nothing; None without a default route."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1 (RFC 5737): only routed, never reached
            address = str(s.getsockname()[0])
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def tls_context(cert: Path, key: Path | None) -> ssl.SSLContext:
    """A server TLS context from the user's certificate (PEM) and its private key."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as e:
        raise UsageError(f"cannot use the certificate {cert}{f' and key {key}' if key else ''}: {e}") from None
    return context


def qr_code(url: str, *, ansi: bool = True) -> str | None:
    """`url` as a QR code drawn with block characters for a terminal, dark on light in its colours
    (`ansi`), else in the terminal's own; None without the serve extra."""
    try:
        import segno  # the serve extra: optional
    except ImportError:
        return None
    if not ansi:  # a pipe or a log: characters only
        plain = io.StringIO()
        segno.make(url, error="m").terminal(out=plain, compact=True)
        return plain.getvalue()
    rows = [list(row) for row in segno.make(url, error="m").matrix_iter(scale=1, border=4)]  # a quiet zone of 4
    rows.append([0] * len(rows[0]))
    out = io.StringIO()
    for top, bottom in zip(rows[::2], rows[1::2]):
        # dark on light whatever the terminal's colours: black (16) and white (231) of the 256-colour palette
        out.write("".join(f"\x1b[38;5;{16 if t else 231};48;5;{16 if b else 231}m\u2580" for t, b in zip(top, bottom)) + "\x1b[0m\n")
    return out.getvalue()
