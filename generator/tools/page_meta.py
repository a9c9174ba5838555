"""What a saved page states about itself in its markup: bylines, dates and what kind of page it is.

Read first, before any extractor's guess: JSON-LD (`<script type="application/ld+json">`, the
schema.org Article types), then the `<meta>` tags news sites write (author, byl, article:author,
parsely-author, article:published_time, date). Names are tidied ("By " dropped), split where a
byline lists several, deduplicated whatever their case, and placeholders a CMS writes where it has
no name ("Username", "admin", "Staff") are dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
                 "blogposting", "review", "scholarlyarticle", "techarticle", "backgroundnewsarticle", "liveblogposting",
                 "socialmediaposting", "report", "posting"}
NOT_ARTICLE_TYPES = {"website", "collectionpage", "itemlist", "searchresultspage", "profilepage", "product",
                     "aboutpage", "contactpage", "store", "organization"}
PLACEHOLDERS = {"username", "user", "admin", "administrator", "staff", "editor", "editors", "unknown", "anonymous",
                "guest", "author", "webmaster", "null", "none", "undefined", "root"}
_AUTHOR_META = ("author", "byl", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator",
                "article:author", "og:article:author", "citation_author")
_DATE_META = ("article:published_time", "og:article:published_time", "datepublished", "date", "dc.date",
              "dcterms.date", "pubdate", "publishdate", "sailthru.date", "parsely-pub-date", "dc.date.issued")
_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})")


@dataclass
class PageMeta:
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    types: set[str] = field(default_factory=set)  # JSON-LD @types, lower case
    og_type: str | None = None

    @property
    def says_article(self) -> bool:
        return bool(self.types & ARTICLE_TYPES) or self.og_type == "article" or self.date is not None

    @property
    def says_not_article(self) -> bool:
        declared = self.types or ({self.og_type} if self.og_type else set())
        return bool(declared) and declared <= NOT_ARTICLE_TYPES and not self.says_article


def read(tree: Any) -> PageMeta:
    """The page's own statements about itself."""
    found = PageMeta()
    names = _from_json_ld(tree, found)
    names += _from_meta(tree, found)
    if not names:  # the visible byline, as microdata or a link marks it
        for element in tree.xpath("//*[@itemprop='author'] | //a[@rel='author']")[:6]:
            inner = element.xpath(".//*[@itemprop='name']")
            text = " ".join((inner[0] if inner else element).text_content().split())
            if 0 < len(text) <= 80:
                names += split_names(text)
    found.authors = tidy(names)
    return found


def _from_json_ld(tree: Any, found: PageMeta) -> list[str]:
    """The authors of the page's schema.org articles; their types and date go into `found`."""
    names: list[str] = []
    for item in _json_ld(tree):
        kinds = item.get("@type")
        kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
        lowered = {str(k).lower() for k in kinds}
        found.types |= lowered
        if lowered & ARTICLE_TYPES:
            names += _ld_names(item.get("author"))
            found.date = found.date or _iso(item.get("datePublished")) or _iso(item.get("dateCreated"))
    return names


def _from_meta(tree: Any, found: PageMeta) -> list[str]:
    """The authors the meta tags name; the date and og:type go into `found`."""
    names: list[str] = []
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if not content:
            continue
        if key in _AUTHOR_META and not names_from_meta_blocked(content):
            names += split_names(content)
        elif key in _DATE_META and found.date is None:
            found.date = _iso(content)
        elif key == "og:type":
            found.og_type = content.lower()
    return names


def names_from_meta_blocked(content: str) -> bool:
    """A meta value that is an address (article:author often is), not a name."""
    return content.startswith(("http://", "https://", "/")) or "@" in content


def _json_ld(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        text = script.text.strip().removeprefix("<!--").removesuffix("-->").strip()
        text = text.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
        try:
            data = json.loads(text)
        except ValueError:
            try:  # some sites put control characters (raw newlines) inside strings
                data = json.loads(text, strict=False)
            except ValueError:
                continue
        yield from _items(data, 0)


def _items(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _items(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _items(data["@graph"], depth + 1)


def _ld_names(author: Any) -> list[str]:
    if isinstance(author, str):
        return split_names(author)
    if isinstance(author, dict):
        name = author.get("name")
        return split_names(name) if isinstance(name, str) else []
    if isinstance(author, list):
        return [n for a in author for n in _ld_names(a)]
    return []


def _iso(value: Any) -> str | None:
    m = _ISO.match(str(value).strip()) if value else None
    return m.group(1) if m else None


def split_names(text: str) -> list[str]:
    """The names in a byline: "By A and B", "A, B & C", "A; B"."""
    text = " ".join(text.split())
    text = re.sub(r"^(?:by|par|por|von|di|door|av)\s+", "", text, flags=re.I)
    parts = re.split(r"\s*(?:;|,|\band\b|&|\bet\b|\by\b|\bund\b|\bwith\b|\bavec\b)\s*", text, flags=re.I)
    return [p.strip(" .·|-–—()") for p in parts if p.strip(" .·|-–—()")]


def tidy(names: list[str]) -> list[str]:
    """Names in order, each once whatever its case, without placeholders, addresses or dates."""
    kept: list[str] = []
    seen: set[str] = set()
    for name in names:
        key = " ".join(name.casefold().split())
        if (not key or key in seen or key in PLACEHOLDERS or any(ch.isdigit() for ch in key) or len(key) > 60
                or names_from_meta_blocked(name)):
            continue
        seen.add(key)
        kept.append(name.title() if name.isupper() and " " in name else name)
    # a handle beside the full name it stands for ("devindra" beside "Devindra Hardawar")
    return [n for n in kept if " " in n or n[:1].isupper() is True or
            not any(n.casefold() in other.casefold().split() for other in kept if other != n)]
