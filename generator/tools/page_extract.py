"""Reading a web page for `quizgen new`: decoded as a browser would, its main text and metadata.

trafilatura (a maintained extractor made for news pages) finds the main text and the page's own
metadata; page_choice.py compares it with a second extractor and refuses a page that is not an
article. This module keeps the paragraphs, turns figure captions into `[caption]` blocks, and takes
only the metadata the page has: the language comes from the page's `lang` attribute alone, the date
only from the page's markup (never from its text or footer).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from generator.errors import UsageError
from generator.sources.read_article import CAPTION
from generator.tools import page_decode, page_meta
from generator.tools.page_choice import (
    best,
    link_texts,
    page_leaves,
    readability_blocks,
    refuse_non_article,
    restored,
    same_words,
)
from generator.unicode_forms import CONTROL, IGNORED, NAMES, has_ignored, plain

LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # as the front matter accepts it
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
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


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def repaired(found: Extracted) -> Extracted:
    """Mojibake left in the text repaired (ftfy), as a last resort, and noted; then the text in NFC
    without the characters that only mark where a line may break (unicode_forms.IGNORED), which
    would make passages typed from the page differ from article.md (noted when there were any)."""
    fields = [found.title, found.author, found.publication, found.description]
    texts, note = page_decode.repair([f or "" for f in fields] + found.blocks)
    if note:
        found.notes.append(note)
    dropped = Counter(ch for t in texts if has_ignored(t) for ch in t if ch in IGNORED)
    controls = Counter(ch for t in texts for ch in CONTROL.findall(t))  # what `check` refuses in an article
    texts = [plain(CONTROL.sub("", t)) for t in texts]  # a form feed is a space already: split as white space
    found.title, found.author, found.publication, found.description = (t or None for t in texts[:4])
    found.blocks = texts[4:]
    if dropped:
        said = ", ".join(f"{n} {NAMES[ch]}{'s' if n > 1 else ''} (U+{ord(ch):04X})" for ch, n in dropped.items())
        found.notes.append(f"removed {said}: invisible marks of where a line may break")
    if controls:
        said = ", ".join(f"U+{ord(ch):04X}" for ch in sorted(controls))
        found.notes.append(f"removed {sum(controls.values())} control character{'s' if sum(controls.values()) > 1 else ''} "
                           f"({said}), which no output can show")
    return found


def from_html(data: bytes, http_charset: str | None = None) -> Extracted:
    """A web page: its text decoded as a browser would, then its main text and metadata."""
    try:
        # trafilatura and lxml (the [new] extra, 60 MB): only when `quizgen new` reads a page
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
    headlines = link_texts(tree)
    _mark_captions(tree)
    leaves = page_leaves(tree, _CHROME, _CAPTION_MARK)  # before the extractor, which may prune the tree
    document: Any = trafilatura.bare_extraction(
        tree, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
        prune_xpath=_CHROME, date_extraction_params={"extensive_search": False, "original_date": True},
        as_dict=False,
    )
    found = Extracted(language=language, notes=decoded.notes)
    if document is None:
        found.blocks = readability_blocks(page, None) or []
        refuse_non_article(found.blocks, stated, headlines)
        return repaired(found)
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
    blocks = best(_blocks(document.body, found.title), page, found.title, found.description)
    found.blocks = restored(blocks, leaves, found.title, found.description)
    refuse_non_article(found.blocks, stated, headlines)
    return repaired(found)


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
    captioned = [e for e in tree.xpath("//*[contains(translate(@class, 'CAPTION', 'caption'), 'caption')]") if _names_caption(e)]
    inner = {a for e in captioned for a in e.iterancestors()}
    for leaf in (e for e in captioned if e not in inner):
        text = " ".join(leaf.text_content().split())
        if len(text) > 600 or len(leaf.xpath(".//p")) > 1:
            continue  # a class that merely mentions captions on a box of text: not a caption
        box = leaf
        for ancestor in leaf.iterancestors():
            if ancestor.tag in ("body", "html", "article", "main") or len(ancestor.text_content().strip()) > len(text) + 200:
                break
            if _names_caption(ancestor):
                box = ancestor
        if box.getparent() is not None:
            _replace(box, text)


def _names_caption(element) -> bool:
    """Whether a class of the element names a caption (`wp-caption`, `caption-text`), not its
    absence (`no_caption`, `nocaption`: a box without one, whose text is the article's)."""
    tokens = (element.get("class") or "").lower().split()
    return any("caption" in t and not re.match(r"(no|without)[-_]?caption", t) for t in tokens)


def _replace(element, caption: str) -> None:
    """Replace `element` by a marked paragraph holding `caption`, or remove it when there is none."""
    # lxml (the [new] extra): only when an extracted page is rewritten
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
        elif text and text != "---" and not (element.tag == "head" and title and same_words(text, title)):
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


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(str(value).split())
    return value or None
