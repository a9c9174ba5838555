"""The main text of a page, chosen: trafilatura's blocks or a second extractor's (readability-lxml)
by a quality score, the paragraphs only the second found put back, page chrome removed, and a page
that is not an article (a section front, a list of teasers, a product page) refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.checks.lints.article_text import CHROME, REFERENCE, chrome_kind
from generator.errors import UsageError
from generator.sources.read_article import CAPTION
from generator.tools import page_meta


def link_texts(tree) -> set[str]:
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


def refuse_non_article(blocks: list[str], stated: page_meta.PageMeta, headlines: set[str]) -> None:
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
    score = 0.0
    for block in blocks:
        text = block.removeprefix(f"{CAPTION} ")
        count = _word_count(text)
        if _JUNK.search(text) or any(pattern.search(text) for pattern, _ in CHROME):
            score -= 3 * count
        elif _is_prose(text):
            score += count
    return score


def best(first: list[str], page: str, title: str | None, description: str | None = None) -> list[str]:
    """trafilatura's blocks, or readability-lxml's when they score clearly better (or the first has
    none); without page chrome either way."""
    first = without_chrome(first)
    second = readability_blocks(page, title)
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
    block = second[index]
    between = 0 < index < len(second) - 1 and shared[index - 1] and shared[index + 1]
    return ((_is_prose(block) or between) and not block.startswith(CAPTION)
            and chrome_kind(block, any_length=True) is None)


def without_chrome(blocks: list[str]) -> list[str]:
    """The blocks less those that are page chrome (the article-text lint's patterns: "Share", "941
    comments", "Read more: ...", "© 2019 ..."), and less edit links and reference marks ("[edit]", "[2]")."""
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


def readability_blocks(page: str, title: str | None) -> list[str] | None:
    """The page's main text by readability-lxml (a port of Arc90's Readability), as blocks; None when unavailable."""
    try:
        # lxml and readability-lxml (the [new] extra): only when trafilatura's choice is checked against readability's
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
        if not text or (element.tag.startswith("h") and title and same_words(text, title)):
            continue
        inside_caption = element.tag == "figcaption" or any(a.tag == "figcaption" for a in element.iterancestors())
        blocks.append(f"{CAPTION} {text}" if inside_caption else text)
    return blocks


def same_words(a: str, b: str) -> bool:
    """The same words (a title in the page's <title> with straight quotes, its headline with curly ones)."""
    return _key(a) == _key(b)


# -- headings and lists the extractors dropped, put back from the page --------------------------

_LEAVES = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre", "td", "th")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_RESTORED = (*_HEADINGS, "li", "dt", "dd")
_OUTSIDE = ("nav", "aside", "footer", "header", "form", "menu")  # never the article's own text
MAX_GAP = 40  # blocks of the page between two kept paragraphs, at most, for what lies between to be put back


@dataclass(frozen=True)
class Leaf:
    """A block of the page (an element holding no other block), in page order."""

    tag: str
    text: str
    key: str
    outside: bool  # in a menu, sidebar, header, footer or form, or in a box of page chrome


def page_leaves(tree, chrome: str, caption_mark: str) -> list[Leaf]:
    """The page's blocks in order; `chrome` is the XPath of boxes of page chrome. Figure captions
    (paragraphs starting with `caption_mark`) are not among them: they come as captions or not at all."""
    boxes = set(tree.xpath(chrome))
    leaves = []
    for element in tree.iter(*_LEAVES):
        if any(child.tag in _LEAVES or child.tag in ("script", "style") for child in element.iterdescendants()):
            continue  # its blocks come on their own; a script's text is code
        text = " ".join(element.text_content().split())
        if not text or text.startswith(caption_mark):
            continue
        outside = any(a.tag in _OUTSIDE or a in boxes or _aside(a) for a in (element, *element.iterancestors()))
        leaves.append(Leaf(element.tag, text, _key(text), outside))
    return leaves


_ASIDE_CLASS = re.compile(r"(?:^|[-_])(?:dek|standfirst|share|sharing|hidden|sr-only|toolbar|tools)(?:$|[-_])")


def _aside(element) -> bool:
    """An element the reader does not see as the article's text: hidden, or a box of sharing buttons
    or tools, or the summary under the headline (a "dek" or "standfirst", offered as the subtitle)."""
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if re.search(r"display\s*:\s*none", element.get("style") or ""):
        return True
    return any(_ASIDE_CLASS.search(token) for token in (element.get("class") or "").lower().split())


def _anchors(blocks: list[str], leaves: list[Leaf]) -> list[tuple[int, int]]:
    """(block, leaf) pairs: each kept block found among the page's blocks, in order (a block that is
    a leaf, holds one, or is held by one)."""
    found, start = [], 0
    for index, block in enumerate(blocks):
        key = _key(block)
        if not key or block.startswith(CAPTION):
            continue
        for at in range(start, min(len(leaves), start + 4 * MAX_GAP)):
            leaf = leaves[at].key
            if leaf and (leaf == key or (len(leaf) >= 20 and leaf in key) or (len(key) >= 20 and key in leaf)):
                found.append((index, at))
                start = at + 1
                break
    return found


def restored(blocks: list[str], leaves: list[Leaf], title: str | None, description: str | None) -> list[str]:
    """`blocks` with the headings and list items of the page that stand between two of them put back
    (and between the headline and the first): the extractors drop a section's heading, a lead set as
    a heading, a list of names. Never before the headline (a masthead, a sidebar), nor from a menu,
    sidebar, header or footer, nor hidden, nor page chrome, nor far from the text kept (at most
    MAX_GAP blocks of the page between two kept ones). A first block that is the page's summary as
    the header shows it is left out: it is offered as the commented subtitle."""
    anchors = _anchors(blocks, leaves)
    if anchors and anchors[0][0] == 0 and description and same_words(blocks[0], description) and leaves[anchors[0][1]].outside:
        blocks, anchors = blocks[1:], [(block - 1, at) for block, at in anchors[1:]]  # the summary in the header: the subtitle
    anchors = _from_headline(anchors, leaves, title)
    have = {_key(b) for b in blocks} | {_key(title or ""), _key(description or "")}
    result = list(blocks)
    for (block, at), (next_block, next_at) in reversed(list(zip(anchors, anchors[1:]))):
        if next_block == block + 1 and next_at - at - 1 <= MAX_GAP:
            # under the headline: a lead set as a heading, not a list of tools
            result[block + 1:block + 1] = _between(leaves[at + 1:next_at], _RESTORED if block >= 0 else _HEADINGS, have)
    return result


def _from_headline(anchors: list[tuple[int, int]], leaves: list[Leaf], title: str | None) -> list[tuple[int, int]]:
    """The anchors from the headline on, the headline first (as block -1): the article starts at its
    headline, and what stands before it is the site's. Unchanged when no heading is the title."""
    key = _key(title or "")
    headline = next((at for at, leaf in enumerate(leaves) if key and leaf.tag in ("h1", "h2") and leaf.key == key), None)
    if headline is None:
        return anchors
    return [(-1, headline)] + [(block, at) for block, at in anchors if at > headline]


def _between(leaves: list[Leaf], kinds: tuple[str, ...], have: set[str]) -> list[str]:
    """The texts of `leaves` to put back: of those kinds, the article's own, not there yet, no chrome."""
    return [leaf.text for leaf in leaves if leaf.tag in kinds and not leaf.outside and leaf.key not in have
            and chrome_kind(leaf.text, any_length=True) is None]
