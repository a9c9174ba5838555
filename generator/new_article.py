"""Starting an article: `quizgen new SLUG [--from PAGE]` writes `<content>/<slug>/` for an author.

From a saved web page or a URL, trafilatura (a maintained extractor made for news pages) finds the
main text and the page's own metadata; this module keeps its paragraphs, turns figure captions into
`[caption]` blocks, and writes only the metadata the page has: the language comes from the page's
`lang` attribute alone, the date only from the page's markup (never from its text or footer). From
a plain text file, the first line is the title when it stands alone. Without a source, an empty
skeleton. Always with a starter question file holding one commented example of every kind.

Nothing here prints; `plan_article` returns the files, `write_article` writes them (never over
anything: the folder must not exist).
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator import page_decode, page_meta
from generator.errors import UsageError
from generator.inputs import ARTICLE_FILE
from generator.read_article import CAPTION
from generator.schema import SLUG_PATTERN

QUESTIONS_FILE = "questions.yaml"
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # as the front matter accepts it
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FETCH_TIMEOUT = 20  # seconds
MAX_PAGE = 10_000_000  # bytes read from a URL at most
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# quizgen is not on PyPI: an extra is installed from the clone
NEW_EXTRA_HINT = "pip install -e '.[new]' (in the quizgen folder, inside its virtual environment)"
# Marks a figure caption through the extractor, which would drop it otherwise: letters only, so
# that no cleaning step touches it, and unlike anything a page says.
_CAPTION_MARK = "QuizgenCaptionMarkZq"
# Page chrome that extractors sometimes keep: sharing, sign-up and "read more" boxes, comments.
_CHROME = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' share ') or contains(@class, 'social')"
    " or contains(@class, 'newsletter') or contains(@class, 'signup') or contains(@class, 'sign-up')"
    " or contains(@class, 'subscribe') or contains(@class, 'related') or contains(@class, 'comments')"
    " or contains(@class, 'read-more') or contains(@class, 'recommended') or @id='comments'"
    " or contains(@class, 'advert') or contains(@class, 'promo')]"
)


class FetchError(Exception):
    """A URL could not be fetched (no network, no such host, an HTTP error)."""


@dataclass
class Extracted:
    """What a source gave: the article's metadata as the page states it, and its blocks of text."""

    title: str | None = None
    author: str | None = None
    publication: str | None = None
    date: str | None = None
    url: str | None = None
    language: str | None = None
    description: str | None = None  # offered as a commented subtitle: a page's summary is not always one
    blocks: list[str] = field(default_factory=list)  # paragraphs, and captions starting with "[caption] "
    notes: list[str] = field(default_factory=list)  # how the text was read (decoding, repairs), as comments


def check_slug(slug: str) -> None:
    if not re.match(SLUG_PATTERN, slug):
        raise UsageError(f"'{slug}' is not a valid slug: use lowercase letters, digits and single hyphens (my-article)")


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


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
    return _repaired(found)


def _repaired(found: Extracted) -> Extracted:
    """Mojibake left in the text repaired (ftfy), as a last resort, and noted."""
    fields = [found.title, found.author, found.publication, found.description]
    texts, note = page_decode.repair([f or "" for f in fields] + found.blocks)
    if note:
        found.title, found.author, found.publication, found.description = (t or None for t in texts[:4])
        found.blocks = texts[4:]
        found.notes.append(note)
    return found


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


def from_html(data: bytes, http_charset: str | None = None) -> Extracted:
    """A web page: its text decoded as a browser would, then its main text and metadata."""
    try:
        import trafilatura
        from lxml import etree, html
    except ImportError:
        raise UsageError(f"quizgen new --from a web page needs trafilatura: {NEW_EXTRA_HINT}") from None
    try:
        decoded = page_decode.decode(data, http_charset)
    except page_decode.Undecodable:
        raise UsageError("the page is not text in any encoding quizgen knows") from None
    page = _XML_DECLARATION.sub("", decoded.text, count=1)
    try:  # lxml refuses a str that still declares its encoding
        tree = html.fromstring(page)
    except (etree.ParserError, ValueError):
        raise UsageError("the page is empty or not HTML") from None
    language = _language(tree)
    stated = page_meta.read(tree)  # bylines, dates and the page's kind, before any extractor's guess
    headlines = _link_texts(tree)
    _mark_captions(tree)
    document: Any = trafilatura.bare_extraction(
        tree, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
        prune_xpath=_CHROME, date_extraction_params={"extensive_search": False, "original_date": True},
        as_dict=False,
    )
    found = Extracted(language=language, notes=decoded.notes)
    if document is None:
        found.blocks = _readability(page, None) or []
        _refuse_non_article(found.blocks, stated, headlines)
        return _repaired(found)
    found.title = _clean(document.title)
    authors = stated.authors or page_meta.tidy(page_meta.split_names(document.author or ""))
    found.author = "; ".join(authors) or None
    found.publication = _clean(document.sitename)
    if found.publication and document.hostname and found.publication.lower() in (document.hostname.lower(), document.hostname.lower().removeprefix("www.")):
        found.publication = None  # the host name, not a name the page gives itself
    date = stated.date or _clean(document.date)
    found.date = date if date and ISO_DATE.match(date) else None
    url = _clean(document.url)
    found.url = url if url and is_url(url) and not re.search(r"\s", url) else None
    found.description = _clean(document.description)
    found.blocks = _best(_blocks(document.body, found.title), page, found.title, found.description)
    _refuse_non_article(found.blocks, stated, headlines)
    return _repaired(found)


def _link_texts(tree) -> set[str]:
    """The texts of the page's links of three words or more (headlines of other pages, in a teaser list)."""
    texts = set()
    for link in tree.iter("a"):
        key = _key(link.text_content())
        if key.count(" ") >= 2:
            texts.add(key)
    return texts


def _teasers(blocks: list[str], headlines: set[str]) -> int:
    """How many blocks start with the text of a link: a headline and its teaser, in a list of them."""
    count = 0
    for block in blocks:
        key = _key(block)
        words = key.split()
        if any(" ".join(words[:n]) in headlines for n in range(3, min(len(words), 16) + 1)):
            count += 1
    return count


def _refuse_non_article(blocks: list[str], stated: page_meta.PageMeta, headlines: set[str]) -> None:
    """Raise UsageError for a page that is not an article: a site's front or section page, a list of
    teasers, a product page, or a page whose article a script loads later."""
    texts = [b for b in blocks if not b.startswith(CAPTION)]
    words = sum(_word_count(b) for b in texts)
    prose = sum(_word_count(b) for b in texts if _is_prose(b))
    advice = "open the article itself in the browser and save that page"
    if stated.says_not_article and prose < 400:
        kind = ", ".join(sorted(stated.types)) or f"og:type {stated.og_type}"
        raise UsageError(f"this page is not an article: it calls itself {kind}, gives no date nor article type, and has "
                         f"{prose} words of prose; {advice}")
    if not texts or prose == 0:
        raise UsageError(f"found no article text: {words} words, none in a paragraph of prose; if the page is an article, "
                         "its text may come from a script: save it once the browser shows the article "
                         "(File → Save Page As…, 'Web page, complete')")
    teasers = _teasers(texts, set(headlines))
    if len(texts) >= 6 and teasers >= 0.5 * len(texts):
        raise UsageError(f"this page looks like a list of headlines or teasers, not an article: {teasers} of its "
                         f"{len(texts)} blocks start with a link to another page; {advice}")
    if words >= 150 and prose < 0.4 * words and len(texts) >= 10:
        raise UsageError(f"this page looks like a list of headlines or teasers, not an article: {len(texts)} blocks, "
                         f"only {prose} of {words} words in paragraphs of prose; {advice}")


# -- a second extractor, and the choice between the two -------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…:;\"'”’»)\]。！？」』]$")
_JUNK = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|\b(?:src|href|style|width|height)=")
_READABILITY_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figcaption", "dd")
CHOICE_MARGIN = 1.15  # the second extractor's text must score this much higher to be taken


def _word_count(text: str) -> int:
    """Words, counting two characters of a script written without spaces (Chinese, Japanese) as one."""
    unspaced = sum(1 for ch in text if "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af")
    return max(len(text.split()), unspaced // 2)


def _is_prose(text: str) -> bool:
    return _word_count(text) >= 10 and _SENTENCE_END.search(text) is not None and not _JUNK.search(text)


def quality(blocks: list[str]) -> float:
    """How much a list of blocks looks like an article's text: words in prose blocks (ten words or
    more, ending as a sentence does), less three times the words in blocks of markup or page chrome."""
    from generator.lints.article_text import CHROME

    score = 0.0
    for block in blocks:
        text = block.removeprefix(f"{CAPTION} ")
        count = _word_count(text)
        if _JUNK.search(text) or any(pattern.search(text) for pattern, _ in CHROME):
            score -= 3 * count
        elif _is_prose(text):
            score += count
    return score


def _best(first: list[str], page: str, title: str | None, description: str | None = None) -> list[str]:
    """trafilatura's blocks, or readability-lxml's when they score clearly better (or the first has
    none); without page chrome either way."""
    first = without_chrome(first)
    second = _readability(page, title)
    if second is None:
        return first
    second = without_chrome(second)
    if quality(second) > CHOICE_MARGIN * max(quality(first), 0):
        return second
    return filled(first, second, description)


def _key(block: str) -> str:
    return " ".join(re.findall(r"\w+", block.removeprefix(f"{CAPTION} ").casefold()))


def filled(first: list[str], second: list[str], description: str | None = None) -> list[str]:
    """`first` with the prose paragraphs only `second` has before `first`'s last paragraph, put where
    `second` has them: a lead paragraph or a paragraph between two that one extractor dropped (and
    a heading or a block of code between two paragraphs both have). Nothing after the last shared
    paragraph is taken: author notes and sign-up boxes stand there; nor the page's summary
    (`description`), which the front matter offers as the subtitle."""
    joined = " ".join(_key(b) for b in first)
    shared = [bool(_key(b)) and (_key(b) in joined or (description is not None and _key(b) == _key(description)))
              for b in second]
    last_shared = max((i for i, s in enumerate(shared) if s), default=-1)
    result = list(first)
    position = 0  # where in `result` the next block of `second` goes
    for index, block in enumerate(second):
        key = _key(block)
        if shared[index]:
            at = next((i for i, k in enumerate(result) if key in _key(k) or _key(k) in key), None)
            position = (at + 1) if at is not None else position
        elif key and index < last_shared and _fills(second, shared, index):
            result.insert(position, block)
            position += 1
    return result


def _fills(second: list[str], shared: list[bool], index: int) -> bool:
    """Whether block `index` of the second extractor is article text the first one dropped."""
    from generator.lints.article_text import chrome_kind

    block = second[index]
    between = 0 < index < len(second) - 1 and shared[index - 1] and shared[index + 1]
    return ((_is_prose(block) or between) and not block.startswith(CAPTION)
            and chrome_kind(block, any_length=True) is None)


def without_chrome(blocks: list[str]) -> list[str]:
    """The blocks less those that are page chrome (the article-text lint's patterns: "Share", "941
    comments", "Read more: ...", "© 2019 ..."), and less edit links and reference marks ("[edit]", "[2]")."""
    from generator.lints.article_text import REFERENCE, chrome_kind

    repeated = {b for b in blocks if len(b.split()) < 8 and blocks.count(b) > 1}  # a widget's label, again and again
    kept = []
    for block in blocks:
        if block in repeated or chrome_kind(block.removeprefix(f"{CAPTION} ")) is not None:
            continue
        block = " ".join(REFERENCE.sub("", block).split())
        if block and block != CAPTION:
            kept.append(block)
    while kept and _word_count(kept[-1]) < 20 and not _SENTENCE_END.search(kept[-1]):
        kept.pop()  # the page's last labels and links after the article ("Recent Slide Shows")
    return kept


def _readability(page: str, title: str | None) -> list[str] | None:
    """The page's main text by readability-lxml (a port of Arc90's Readability), as blocks; None when unavailable."""
    try:
        from lxml import html
        from readability import Document
    except ImportError:
        return None
    try:
        summary = Document(page).summary(html_partial=True)
        tree = html.fromstring(summary)
    except Exception:  # readability gives up on some pages in its own ways: then there is no second opinion
        return None
    blocks: list[str] = []
    for element in tree.iter(*_READABILITY_BLOCKS):
        if any(child.tag in _READABILITY_BLOCKS for child in element.iterdescendants()):
            continue  # its inner blocks come on their own
        text = " ".join(element.text_content().split())
        if not text or (element.tag.startswith("h") and title and _same(text, title)):
            continue
        inside_caption = element.tag == "figcaption" or any(a.tag == "figcaption" for a in element.iterancestors())
        blocks.append(f"{CAPTION} {text}" if inside_caption else text)
    return blocks


def _language(tree) -> str | None:
    """The page's declared language (the lang attribute of <html>), never a guess."""
    declared = tree.getroottree().getroot().get("lang") or tree.getroottree().getroot().get("{http://www.w3.org/XML/1998/namespace}lang")
    if not declared:
        return None
    declared = declared.strip().replace("_", "-")
    primary, _, rest = declared.partition("-")
    declared = primary.lower() + ("-" + rest if rest else "")
    return declared if LANGUAGE.match(declared) else None


def _mark_captions(tree) -> None:
    """Put every figure caption in a marked paragraph where its figure stood.

    Figures are <figure> with <figcaption>, or (as WordPress and many CMSs write them) a box whose
    class names a caption, such as <div class="wp-caption"><img><p class="wp-caption-text">.
    """
    for figure in tree.xpath("//figure"):
        captions = figure.xpath(".//figcaption")
        _replace(figure, " ".join(" ".join(c.text_content().split()) for c in captions))
    captioned = "//*[contains(translate(@class, 'CAPTION', 'caption'), 'caption')]"
    for leaf in tree.xpath(captioned + "[not(.//*[contains(translate(@class, 'CAPTION', 'caption'), 'caption')])]"):
        text = " ".join(leaf.text_content().split())
        if len(text) > 600 or len(leaf.xpath(".//p")) > 1:
            continue  # a class that merely mentions captions on a box of text: not a caption
        box = leaf
        for ancestor in leaf.iterancestors():
            if ancestor.tag in ("body", "html", "article", "main") or len(ancestor.text_content().strip()) > len(text) + 200:
                break
            if "caption" in (ancestor.get("class") or "").lower():
                box = ancestor
        if box.getparent() is not None:
            _replace(box, text)


def _replace(element, caption: str) -> None:
    """Replace `element` by a marked paragraph holding `caption`, or remove it when there is none."""
    from lxml import html

    parent = element.getparent()
    if parent is None:
        return
    if caption.strip():
        paragraph = html.Element("p")
        paragraph.text = f"{_CAPTION_MARK} {caption.strip()}"
        paragraph.tail = element.tail
        parent.replace(element, paragraph)
    else:
        parent.remove(element)


def _blocks(body, title: str | None) -> list[str]:
    """Paragraphs, list items, quotes, headings, blocks of code and table rows in page order; the
    title heading left out."""
    if body is None:
        return []
    blocks: list[str] = []
    for element in body.iter("p", "head", "item", "quote", "code", "row"):
        if _inner(element):
            continue
        if element.tag == "row":  # a table's row: its cells on one line
            cells = [" ".join("".join(c.itertext()).split()) for c in element.iterchildren("cell")]
            text = " · ".join(c for c in cells if c)
        else:
            text = " ".join("".join(element.itertext()).split())
        if text.startswith(_CAPTION_MARK):
            caption = text[len(_CAPTION_MARK):].strip()
            blocks += [f"{CAPTION} {caption}"] if caption else []
        elif text and text != "---" and not (element.tag == "head" and title and _same(text, title)):
            blocks.append(text)
    return blocks


def _inner(element) -> bool:
    """Whether an element's text comes with another block's: a cell's paragraph, a quote's
    paragraphs (which come on their own), code within a sentence, a list item's paragraph."""
    ancestors = {a.tag for a in element.iterancestors()}
    if element.tag != "row" and "row" in ancestors:
        return True
    if element.tag == "quote":
        return element.find(".//p") is not None
    if element.tag == "code":
        return bool(ancestors & {"p", "head", "item", "quote", "code"})
    return element.tag == "p" and "item" in ancestors


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(str(value).split())
    return value or None


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
