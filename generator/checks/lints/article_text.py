"""Article lints: signs that an article's text is not the article as its page shows it.

`quizgen new` (or a paste from a browser) can bring in mojibake, HTML tags or entities, page chrome
(sharing buttons, comment counts, "Read more" links, reference marks, copyright lines), a text cut to
one paragraph or a few lines, or the headline again as the first paragraph. Each is a warning at its
line in article.md saying what to fix; `check --strict` fails on them. These look at the article's
blocks, not at questions, so they run once per article (summary.check_folder) beside the item
lints of this package. Each pattern is written for the plain cases and measured on the corpus of
tests/cases; an article that means one of these words keeps the warning, which `--strict` users see.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.entities import html5

from generator.errors import Problem
from generator.model import Article, Block
from generator.unicode_forms import IGNORED, NAMES, has_ignored, visible, word_count

MIN_WORDS = 150  # words as unicode_forms.word_count counts them (characters at a rate in unspaced scripts)
# UTF-8 read as windows-1252 or Latin-1: "â€™", "Ã©", "Â " and the like
MOJIBAKE = re.compile(r"â€[\x80-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2018-\u203a\u2122\u02dc\u02c6\x9d]"
                      r"|â\u0080[\x80-\xbf]|Ã[\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2018-\u203a\u2122]"
                      r"|Â[\xa0-\xbf]")
TAG = re.compile(r"</?(?:[a-zA-Z][a-zA-Z0-9]*)(?:\s+[a-zA-Z_:][-\w:.]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*\s*/?>")
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
REFERENCE = re.compile(r"\[(?:\d{1,3}|edit|citation needed|[a-z])\]")
# A whole block that is page chrome, not the article; (pattern, what it is)
CHROME = (
    (re.compile(r"^(?:share|share this(?: article| story)?|share on \w+|all share services|tweet|email|print|comments?"
                r"|advertisement|skip advert(?:isement)?|listen|save|follow|close|fullscreen|thumbnails|previous|next"
                r"|previousnext|loading comments\W*|load more|show more|back to top|featured slide ?shows"
                r"|recent slide ?shows|\d+ of \d+)$", re.I), "a button or label of the page"),
    (re.compile(r"^(?:topics|tags|filed under|categories)\s*:", re.I), "a list of the site's topics"),
    (re.compile(r"^previous\s*next\b", re.I), "a slide show's controls"),
    (re.compile(r"^[\d,.]+k?\s+(?:comments?|shares?|replies|views)$", re.I), "a counter of the page"),
    (re.compile(r"^(?:media caption|image caption|image source|getty images|photo:|picture:|photos:|video:|map:|graphic:"
                r"|gallery:|interactive:|watch:|audio:)", re.I), "a media label"),
    (re.compile(r"^(?:read more|related|see also|more on this story|sign up|subscribe|click here|recommended"
                r"|continue reading(?: the main story)?)\b\s*[:\-–—]?", re.I),
     "a link to other pages"),
    (re.compile(r"^(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4}))", re.I), "a copyright line"),
)


def _at(article: Article, block: Block, pos: int, message: str) -> Problem:
    """A warning at character `pos` of `block`'s text (its lines are joined by newlines)."""
    line = block.line + block.text.count("\n", 0, pos)
    col = pos - (block.text.rfind("\n", 0, pos) + 1) + 1
    if block.kind == "caption" and line == block.line:
        col += len("[caption] ")
    return Problem(article.path, line, col, f"article-text: {message}", "warning")


def _mojibake(article: Article, block: Block) -> Iterator[Problem]:
    m = MOJIBAKE.search(block.text)
    if m is None:
        return
    start = block.text.rfind(" ", 0, m.start()) + 1
    end = block.text.find(" ", m.end())
    word = block.text[start:end if end >= 0 else len(block.text)]
    count = len(MOJIBAKE.findall(block.text))
    fixed = _ftfy(word)
    instead = f" (most likely {fixed!r})" if fixed and fixed != word else ""
    yield _at(article, block, m.start(), (
        f"mojibake {word!r}{instead}, {count} in this block: the page was read in the wrong encoding; "
        "run quizgen new on the page again (it repairs this) or retype the words as the page shows them"))


def _ftfy(text: str) -> str | None:
    try:
        import ftfy  # the new extra: optional
    except ImportError:
        return None
    return str(ftfy.fix_encoding(text))


def _markup(article: Article, block: Block) -> Iterator[Problem]:
    m = TAG.search(block.text)
    if m is not None:
        yield _at(article, block, m.start(), f"HTML tag {_short(m.group())} in the text: delete it (keep the words it holds)")
    for m in ENTITY.finditer(block.text):
        name = m.group()[1:]
        if name.startswith("#") or name in html5:
            yield _at(article, block, m.start(), f"HTML entity {m.group()} in the text: write the character it stands for "
                                                 f"({html.unescape(m.group())!r}) instead")
            return


def _invisible(article: Article, block: Block) -> Iterator[Problem]:
    """Soft hyphens, zero-width spaces and the like (unicode_forms.IGNORED): passages match without
    them, but an author cannot see them to quote or fix the text."""
    if not has_ignored(block.text):
        return
    at = min(i for i in (block.text.find(ch) for ch in IGNORED) if i >= 0)
    start = max(block.text.rfind(" ", 0, at), block.text.rfind("\n", 0, at)) + 1
    end = min((i for i in (block.text.find(" ", at), block.text.find("\n", at)) if i >= 0), default=len(block.text))
    count = sum(block.text.count(ch) for ch in IGNORED)
    yield _at(article, block, at, (
        f"invisible {NAMES[block.text[at]]} in {visible(_short(block.text[start:end]))!r}"
        f"{f', {count} such characters in this block' if count > 1 else ''}: delete "
        f"{'them' if count > 1 else 'it'} (quizgen new removes them; passages match without them)"))


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


LONG_CHROME = ("a media label", "a copyright line", "a slide show's controls")  # chrome at any length


# whether any of them can match: one search for the text that none matches (nearly every block)
_ANY_CHROME = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in CHROME), re.I)


def chrome_kind(text: str, *, any_length: bool = False) -> str | None:
    """What page chrome a block of text is (a short one, or a media label or copyright line), or None.

    `any_length`: a long block that starts as chrome does counts too ("Sign up for our newsletter, ...").
    """
    if _ANY_CHROME.search(text) is None:
        return None
    for pattern, what in CHROME:
        if pattern.search(text) and (any_length or len(text.split()) <= 12 or what in LONG_CHROME):
            return what
    return None


def _chrome(article: Article, block: Block) -> Iterator[Problem]:
    first = block.text.split("\n", 1)[0].strip()
    what = chrome_kind(first)
    if what is not None:
        yield _at(article, block, 0, f"{_short(first)!r} looks like {what}, not the article: delete this block")
        return
    m = REFERENCE.search(block.text)
    if m is not None:
        count = len(REFERENCE.findall(block.text))
        yield _at(article, block, m.start(), f"{m.group()} looks like an encyclopedia's edit link or reference mark"
                                             f"{f' ({count} in this block)' if count > 1 else ''}: delete {'them' if count > 1 else 'it'}")


def _shape(article: Article) -> Iterator[Problem]:
    paragraphs = article.paragraphs
    if not paragraphs:
        return
    first = paragraphs[0]
    # in Chinese, Japanese, Thai...: their characters at a rate; counted only as far as MIN_WORDS (all that matters)
    words = 0
    for p in paragraphs:
        words += word_count(p.text)
        if words >= MIN_WORDS:
            break
    if len(paragraphs) == 1:
        yield _at(article, first, 0, "the article has one paragraph: the text was probably cut or run together; "
                                     "compare with the page and put a blank line between paragraphs")
    elif words < MIN_WORDS:
        yield _at(article, first, 0, f"the article has {words} words (under {MIN_WORDS}): the text was probably cut; "
                                     "compare with the page and add what is missing")
    title = " ".join(article.meta.title.split()).casefold().rstrip(".")
    if title and " ".join(first.text.split()).casefold().rstrip(".") == title:
        yield _at(article, first, 0, "the first paragraph repeats the title: delete it (the title is in the front matter)")


def warnings(article: Article) -> list[Problem]:
    """Every article-text warning, in the order of the article."""
    found: list[Problem] = []
    for block in article.blocks:
        for check in (_mojibake, _markup, _invisible, _chrome):
            found += check(article, block)
    found += _shape(article)
    return found
