"""Starting an article: `quizgen new SLUG [--from PAGE]` writes `<content>/<slug>/` for an author.

From a saved web page or a URL, page_extract.py reads the article and the page's own metadata.
From a plain text file, the first line is the title when it stands alone. Without a source, an
empty skeleton. Always with a starter question file holding one commented example of every kind.

Nothing here prints; `plan_article` returns the files, `write_article` writes them (never over
anything: the folder must not exist).
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import UsageError
from generator.sources.inputs import ARTICLE_FILE
from generator.sources.read_article import CAPTION
from generator.sources.schema import SLUG_PATTERN, slug_too_long
from generator.tools import page_decode
from generator.tools.page_extract import Extracted, from_html, is_url, repaired

QUESTIONS_FILE = "questions.yaml"
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
FETCH_TIMEOUT = 20  # seconds
MAX_PAGE = 10_000_000  # bytes read from a URL at most


class FetchError(Exception):
    """A URL could not be fetched (no network, no such host, an HTTP error)."""


def check_slug(slug: str) -> None:
    if not re.match(SLUG_PATTERN, slug):
        raise UsageError(f"'{slug}' is not a valid slug: use lowercase letters, digits and single hyphens (my-article)")
    too_long = slug_too_long(slug, "slug")  # check would refuse the folder
    if too_long:
        raise UsageError(too_long)


def fetch(url: str) -> tuple[bytes, str | None]:
    """The bytes at `url` and the charset its server declares; raises FetchError with the reason in plain words."""
    request = urllib.request.Request(url, headers={"User-Agent": "quizgen (quizgen new)"})
    try:
        deadline = time.monotonic() + FETCH_TIMEOUT  # in all: a server that trickles bytes is given up too
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            chunks, size = [], 0
            while size < MAX_PAGE and (chunk := response.read1(min(1 << 16, MAX_PAGE - size))):
                chunks.append(chunk)
                size += len(chunk)
                if time.monotonic() > deadline:
                    raise FetchError(f"cannot fetch {url}: it took more than {FETCH_TIMEOUT} seconds; save the page "
                                     "from a browser and use --from FILE")
            return b"".join(chunks), response.headers.get_content_charset()
    except urllib.error.HTTPError as e:
        raise FetchError(f"cannot fetch {url}: the server answered {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        reason = e.reason.strerror if isinstance(e.reason, OSError) and e.reason.strerror else e.reason
        raise FetchError(f"cannot fetch {url}: {reason}; save the page from a browser and use --from FILE") from None
    except (OSError, ValueError) as e:
        raise FetchError(f"cannot fetch {url}: {e}; save the page from a browser and use --from FILE") from None


def read_source(source: str) -> Extracted:
    """The article in `source`: a URL, a saved web page or a plain text file."""
    if is_url(source):
        extracted = from_html(*fetch(source))
        extracted.url = extracted.url or source  # the address it was fetched from is a fact
        return extracted
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"--from {source}: no such file (give a saved web page, a text file or an http(s) URL)")
    data = path.read_bytes()
    if path.suffix.lower() in HTML_SUFFIXES or _looks_like_html(data):
        return from_html(data)
    try:
        decoded = page_decode.decode(data, html=False)
    except page_decode.Undecodable:
        raise UsageError(f"--from {source}: not text nor a web page") from None
    found = from_text(decoded.text)
    found.notes = decoded.notes
    return repaired(found)


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def from_text(text: str) -> Extracted:
    """A plain text file: blocks at blank lines (or one per line when it has none)."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if any(not line for line in _trim(lines)):
        blocks = [" ".join(b.split()) for b in "\n".join(lines).split("\n\n") if b.strip()]
    else:
        blocks = [line for line in lines if line]
    found = Extracted()
    # the first line is the title when it stands alone, short, as a headline does
    if len(blocks) > 1 and len(blocks[0]) <= 200 and "\n" not in blocks[0] and not blocks[0].endswith("."):
        found.title = blocks.pop(0)
    found.blocks = [" ".join(b.split()) for b in blocks]
    return found


def _trim(lines: list[str]) -> list[str]:
    start = next((i for i, line in enumerate(lines) if line), len(lines))
    end = len(lines) - next((i for i, line in enumerate(reversed(lines)) if line), len(lines))
    return lines[start:end]


def article_text(found: Extracted) -> str:
    """article.md: front matter with only what was found (the rest as comments), then the blocks."""
    lines = ["---"]

    def key(name: str, value: str | None, example: str) -> None:
        if value:
            lines.append(_yaml_line(name, value))
        else:
            lines.append(f"# {name}: {example}")

    if found.title:
        lines.append(_yaml_line("title", found.title))
    else:
        lines.append('title: ""  # the headline, as the article gives it (required)')
    if found.description:
        lines.append("# the page's summary; keep it as the subtitle only if the article shows it so:")
        lines.append("# " + _yaml_line("subtitle", found.description))
    else:
        lines.append("# subtitle: the line under the headline, if there is one")
    key("author", found.author, "as the byline gives it")
    key("publication", found.publication, "the newspaper or site")
    key("date", found.date, "yyyy-mm-dd, when the article gives it")
    key("url", found.url, "https://... where the article is")
    lines.append("# kind: news, analysis, opinion...")
    key("language", found.language, "en (default), he, ar, ru...")
    lines += [f"# {note}" for note in found.notes]  # how the page's bytes were read: check the text if repaired
    lines.append("---")
    lines.append("")
    if found.blocks:
        for block in found.blocks:
            lines += [block, ""]
    else:
        lines += ["", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _yaml_line(name: str, value: str) -> str:
    return yaml.safe_dump({name: value}, allow_unicode=True, width=10_000, default_flow_style=False).rstrip("\n")


STARTER = """\
# yaml-language-server: $schema=../question-file.schema.json
# Questions about article.md. Every passage is a quote found word for word in the article.
# To start, uncomment an example below (remove "# " from its lines), replace "[]" after
# "questions:" by nothing, and fill it in from the article. An id is forever: never change or reuse one.
# `quizgen check` says what is wrong and which paragraphs no question cites yet;
# `quizgen serve --watch` shows the pages again each time you save.
questions: []

#  - id: short-answer                # qa: a question and its short answer
#    kind: qa
#    tests: event                    # event (what happened) or claim (who asserts what)
#    question: Who did what?
#    answer: Someone
#    passage: a quote from the article that gives the answer
#
#  - id: fill-in                     # cloze: a quote with the words to hide in [[ ]]
#    kind: cloze
#    tests: event
#    text: a quote from the article with [[c1::the words to hide]] in it
#
#  - id: multiple-choice             # mcq: the right answer and wrong choices
#    kind: mcq
#    tests: event
#    question: Which one?
#    answer: The right one
#    distractors: [A wrong one, Another wrong one]
#    passage: a quote from the article that gives the answer
#
#  - id: true-or-false               # truefalse: a false statement needs its correction
#    kind: truefalse
#    tests: claim
#    statement: According to the article, something is so.
#    answer: false
#    correction: What the article says instead.
#    passage: a quote from the article that settles it
#
#  - id: chronology                  # order: three or more events, earliest first
#    kind: order
#    tests: event
#    events:
#      - text: The first event
#        passage: a quote about the first event
#      - text: The second event
#        passage: a quote about the second event
#      - text: The third event
#        passage: a quote about the third event
#
#  - id: who-says-so                 # attribution: who holds a claim
#    kind: attribution
#    tests: claim
#    claim: What someone asserts.
#    source: Who asserts it
#    distractors: [Someone else]
#    passage: a quote from the article where they assert it
"""


@dataclass(frozen=True)
class NewArticle:
    folder: Path
    files: dict[str, str]  # file name: text
    found: Extracted

    def report(self) -> list[str]:
        """What was found, what was not, and what to do next."""
        found = self.found
        article, questions = self.folder / ARTICLE_FILE, self.folder / QUESTIONS_FILE
        if not found.blocks:
            return [f"empty skeleton: give the title and paste the article's text into {article},",
                    f"then write questions in {questions} (quizgen check says what is missing)"]
        captions = sum(b.startswith(CAPTION) for b in found.blocks)
        paragraphs = len(found.blocks) - captions
        keys = ("title", "author", "publication", "date", "url", "language")
        have = [k for k in keys if getattr(found, k)]
        lines = [f"{paragraphs} paragraph{'s' if paragraphs != 1 else ''}, {captions} caption{'s' if captions != 1 else ''}; "
                 f"from the page: {', '.join(have) or 'nothing'}"
                 + (f"; not on the page (left as comments): {', '.join(k for k in keys if k not in have)}" if len(have) < len(keys) else "")]
        if not found.title:
            lines.append(f"no title found: write it in {article} (title: ...)")
        lines.append(f"next: read {article} against the page, then write questions in {questions}; "
                     "quizgen serve --watch shows them as you save")
        return lines


def plan_article(content: Path, slug: str, source: str | None) -> NewArticle:
    """What `quizgen new` will write; raises UsageError or FetchError before anything is written."""
    check_slug(slug)
    folder = content / slug
    if folder.exists() or folder.is_symlink():
        raise UsageError(f"{folder} already exists; quizgen new never overwrites (choose another slug or remove it)")
    found = read_source(source) if source is not None else Extracted()
    if source is not None and not found.blocks:
        raise UsageError(f"found no article text in {source}")
    return NewArticle(folder, {ARTICLE_FILE: article_text(found), QUESTIONS_FILE: STARTER}, found)


def write_article(plan: NewArticle) -> list[Path]:
    """Create the folder (which must not exist yet) and its files; the paths written."""
    plan.folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        plan.folder.mkdir()
    except FileExistsError:
        raise UsageError(f"{plan.folder} already exists; quizgen new never overwrites") from None
    written = []
    for name, text in plan.files.items():
        path = plan.folder / name
        with path.open("x", encoding="utf-8", newline="\n") as f:
            f.write(text)
        written.append(path)
    return written
