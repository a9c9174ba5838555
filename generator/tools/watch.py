"""Live preview: `quizgen serve --watch` rebuilds on save and reloads the open pages.

A `Rebuilder` builds the content in this process each time an article or question file changes
(watchfiles tells us), and counts builds: each one, good or failed, is a new *generation*. A failed
build changes no output (the build writes all or nothing), so the pages keep showing the last good
build, and its problems are kept to be shown.

`WatchSite` serves the folder as `Site` does and adds, to every HTML page it serves, a small script
that asks `/__quizgen/watch` about builds: the server holds the question until the generation
changes (or a few seconds pass), then answers with the generation and its problems. The script
reloads the page after a good build and shows the problems in an overlay after a failed one; the
overlay goes with the reload that follows the fix. The page's Content-Security-Policy is widened for
exactly that script (its hash) and for asking this server (`connect-src 'self'`), in that response
only: the built files keep their bytes, and opened from a file they ask for nothing.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from generator.errors import ContentError, UsageError
from generator.pipeline.lockfile import LOCK_FILE
from generator.sources.inputs import ARTICLE_FILE, QUESTION_SUFFIXES
from generator.tools.serve import TYPES, Answer, Site

ENDPOINT = "/__quizgen/watch"
HOLD = 2.0  # seconds a question about builds is held before the same state is answered
DEBOUNCE_MS = 50  # an editor's save is often several writes

# Plain ES5 and DOM, as the study page; text only through textContent, so a message is never markup.
SCRIPT = """(function () {
  'use strict';
  var me = document.currentScript, seen = Number(me.getAttribute('data-generation')), box = null;
  function show(problems) {
    if (!box) {
      box = document.createElement('div');
      box.id = 'quizgen-watch-overlay';
      box.setAttribute('role', 'alert');
      var s = box.style;
      s.position = 'fixed'; s.left = '0'; s.right = '0'; s.top = '0'; s.zIndex = '2147483647';
      s.maxHeight = '60vh'; s.overflow = 'auto'; s.margin = '0'; s.padding = '1em';
      s.background = '#fff0f0'; s.color = '#600'; s.borderBottom = '3px solid #c00';
      s.font = '14px/1.4 ui-monospace, monospace'; s.whiteSpace = 'pre-wrap'; s.textAlign = 'left';
      s.direction = 'ltr';
      document.body.appendChild(box);
    }
    box.textContent = 'quizgen: the last save has problems; this page is the last good build.\\n\\n' +
      problems.join('\\n');
  }
  function hide() { if (box) { box.remove(); box = null; } }
  function ask(since) {
    fetch('""" + ENDPOINT + """?since=' + since, { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (state) {
        if (state.problems.length) show(state.problems);
        else if (state.generation !== seen) { location.reload(); return; }
        else hide();
        ask(state.generation);
      }, function () { setTimeout(function () { ask(since); }, 1000); });
  }
  ask(-1);
}());"""
SCRIPT_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii") + "'"
_CSP = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")', re.I)


@dataclass
class BuildState:
    generation: int = 0
    problems: list[str] = field(default_factory=list)


class Rebuilder:
    """Builds `content` into `out`, once now and again on every change; keeps the latest state."""

    def __init__(self, content: Path, out: Path, build: Callable[[], object], log: Callable[[str], None]) -> None:
        self.content, self.out = content, out
        self._build = build
        self._log = log
        self._changed = threading.Condition()
        self.state = BuildState()
        self._locks: dict[str, bytes | None] = {}  # each article's anki.lock as the last build left it

    def _lock_files(self) -> dict[str, bytes | None]:
        """The anki.lock of every article folder of the content, by absolute path (None: unreadable)."""
        found: dict[str, bytes | None] = {}
        for path in self.content.glob(f"*/{LOCK_FILE}"):
            found[os.path.abspath(path)] = _read(path)
        return found

    def _only_own_locks(self, changes: Iterable[tuple[object, str]]) -> bool:
        """Whether a batch of changes is only the locks the last build wrote, as it left them: nothing to
        build again (a second build would reload the open pages a second time)."""
        return all(os.path.basename(path) == LOCK_FILE and os.path.abspath(path) in self._locks
                   and self._locks[os.path.abspath(path)] == _read(Path(path)) for _, path in changes)

    def rebuild(self) -> bool:
        """One build; its problems become the state's. True when it succeeded."""
        started = time.monotonic()
        try:
            self._build()
            problems: list[str] = []
        except ContentError as e:
            problems = [str(p) for p in e.problems]
        except UsageError as e:
            problems = [f"quizgen: error: {e}"]
        except Exception as e:  # a bug: shown like a problem, so that the preview keeps running
            problems = [f"quizgen: internal error ({type(e).__name__}: {e}); run quizgen --debug build to see the traceback"]
        self._locks = self._lock_files()
        with self._changed:
            self.state = BuildState(self.state.generation + 1, problems)
            self._changed.notify_all()
        took = time.monotonic() - started
        if problems:
            for line in problems:
                self._log(line)
            count = len(problems)
            self._log(f"{count} problem{'s' if count != 1 else ''} found; still serving the last good build")
        else:
            self._log(f"rebuilt in {took:.2f} s")
        return not problems

    def wait(self, since: int, timeout: float = HOLD) -> BuildState:
        """The state once its generation differs from `since`, or after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self.state.generation != since, timeout)
            return self.state

    def run(self, stop: threading.Event) -> None:
        """Rebuild on every change of an article or question file until `stop` is set."""
        import watchfiles  # the watch extra, only for --watch

        for changes in watchfiles.watch(self.content, watch_filter=_content_file, stop_event=stop,
                                        debounce=DEBOUNCE_MS, step=20, raise_interrupt=False):
            if not self._only_own_locks(changes):
                self.rebuild()

    def start(self) -> threading.Event:
        """Watch in a background thread; set the returned event to stop."""
        stop = threading.Event()
        threading.Thread(target=self.run, args=(stop,), daemon=True, name="quizgen-watch").start()
        return stop


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _content_file(change: object, path: str) -> bool:
    """Whether a change may change what builds: an article or question file, an article's anki.lock
    (removed or mended as an error asks), or a folder (an article folder made, copied, renamed or
    removed: the files of a folder copied in at once are not all reported). Not hidden files, nor
    editors' backups; a name without a dot that is a file rebuilds for nothing, harmlessly."""
    name = Path(path).name
    if name.startswith((".", "~")) or name.endswith("~"):
        return False
    return name in (ARTICLE_FILE, LOCK_FILE) or name.lower().endswith(QUESTION_SUFFIXES) or "." not in name


def watch_available() -> None:
    try:
        import watchfiles  # noqa: F401  (the watch extra: only asked whether it is installed)
    except ImportError:
        raise UsageError("quizgen serve --watch needs watchfiles: pip install -e '.[watch]' in the quizgen folder") from None


class WatchSite(Site):
    """A `Site` whose HTML pages learn about rebuilds, and which answers the pages' questions."""

    def __init__(self, root: Path, rebuilder: Rebuilder, *, teacher: bool = False) -> None:
        super().__init__(root, teacher=teacher)
        self.rebuilder = rebuilder

    def answer(self, target: str, *, local: bool = True) -> Answer:
        parts = urlsplit(target)
        shared = local or self.teacher  # the author's problems quote answers: this computer only, unless --teacher
        if parts.path == ENDPOINT and not shared:
            return Answer(HTTPStatus.FORBIDDEN, b"the live preview is for this computer only (or with --teacher)\n")
        if parts.path == ENDPOINT:
            try:
                since = int(parse_qs(parts.query).get("since", ["-1"])[0])
            except ValueError:
                since = -1
            state = self.rebuilder.wait(since)
            body = json.dumps({"generation": state.generation, "problems": state.problems}).encode("utf-8")
            return Answer(HTTPStatus.OK, body, TYPES[".json"])
        answer = super().answer(target, local=local)
        if shared and answer.status == HTTPStatus.OK and answer.content_type == TYPES[".html"]:
            page = inject(answer.body.decode("utf-8"), self.rebuilder.state.generation)
            return Answer(answer.status, page.encode("utf-8"), answer.content_type)
        return answer


def inject(page: str, generation: int) -> str:
    """The page with the watch script before </body>, and its CSP allowing that script to ask."""
    tag = f'<script data-generation="{generation}">{SCRIPT}</script>'
    page = _CSP.sub(lambda m: m[1] + _widen(m[2]) + m[3], page, count=1)
    at = page.lower().rfind("</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag


def _widen(attribute: str) -> str:
    """The policy (an attribute's text, entities and all) allowing the watch script to ask."""
    policy = html.unescape(attribute)
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    names = [d.split()[0].lower() for d in directives]
    for name, source in (("script-src", SCRIPT_HASH), ("connect-src", "'self'")):
        if name in names:
            i = names.index(name)
            if source not in directives[i].split():  # a study page may allow it already (its sync)
                directives[i] = directives[i].replace("'none'", "").rstrip() + " " + source
        else:
            directives.append(f"{name} {source}")
    return html.escape("; ".join(" ".join(d.split()) for d in directives), quote=False).replace('"', "&quot;")
