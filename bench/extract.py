"""How well `quizgen new --from PAGE` extracts real saved pages: python bench/extract.py [NAME...]

Runs quizgen's page reader on every page of tests/corpus/pages/ (see its README: real pages from
Mozilla Readability's test suite, each with the reference extraction of that suite) and prints, per
page: word-level similarity of the body text (captions apart) with the reference (difflib's ratio over the words, 1.0 = the same
words in the same order), reference paragraphs lost (under 80 % of their words found, in order),
mojibake left (the article-text lint's pattern), and whether the title and byline match the
reference metadata. With --lost, the reference paragraphs not found, each marked LOST, or chrome
(a block quizgen removes on purpose, by the article-text lint's patterns) or subtitle (the page's
summary, which quizgen offers as a commented subtitle): only LOST ones count. Pages the reference marks as not readerable (a product page, a demo) must be
refused. The last lines count the pages at >= 0.95 with no paragraph lost.
"""

from __future__ import annotations

import difflib
import gzip
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.checks.lints.article_text import MOJIBAKE, chrome_kind  # noqa: E402
from generator.errors import UsageError  # noqa: E402
from generator.tools.page_extract import from_html  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "pages"
WORD = re.compile(r"\w+", re.UNICODE)
BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figcaption", "td", "dd", "dt")
# Captions are compared apart from the body: quizgen keeps every figure's caption as a [caption]
# block, where the reference keeps some and drops others.


def words(text: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(text)]


def reference_blocks(html_text: str) -> list[str]:
    """The reference extraction's blocks of text: innermost block elements, in order."""
    from lxml import html

    tree = html.fromstring(html_text)
    found = []
    for element in tree.iter(*BLOCKS):
        if any(child.tag in BLOCKS for child in element.iterdescendants()):
            continue
        if element.tag == "figcaption" or any(a.tag == "figcaption" for a in element.iterancestors()):
            continue
        text = " ".join(element.text_content().split())
        if text:
            found.append(text)
    return found


def same(a: str | None, b: str | None) -> bool:
    norm = lambda s: " ".join(words(s or ""))  # noqa: E731
    return norm(a) == norm(b)


def byline_ok(found: str | None, expected: str | None) -> bool:
    """The reference byline's names are those found (a "By " and the site's name as byline aside)."""
    if not expected:
        return True  # nothing to compare with: not counted as wrong
    connectors = {"by", "par", "por", "avec", "et", "and", "with", "y", "und", "von"}
    expected_words = set(words(expected)) - connectors
    return bool(found) and expected_words <= set(words(found or ""))


def _compare(reference: list[str], body: list[str], blocks: list[str]) -> tuple[float, list[bool]]:
    """Similarity of the body's words with the reference's, and which reference words are found.

    A reference paragraph kept as one of quizgen's [caption] blocks (a caption the reference holds as
    a paragraph) is found: coverage is measured against every block, captions included."""
    ref_words = [w for b in reference for w in words(b)]
    out_words = [w for b in body for w in words(b)]
    matcher = difflib.SequenceMatcher(None, ref_words, out_words, autojunk=False)
    every_word = [w for b in blocks for w in words(b.removeprefix("[caption] "))]
    coverage = matcher if every_word == out_words else difflib.SequenceMatcher(None, ref_words, every_word, autojunk=False)
    covered = [False] * len(ref_words)
    for a, _, size in coverage.get_matching_blocks():
        covered[a:a + size] = [True] * size
    return matcher.ratio(), covered


def _kept(blocks: list[str], covered: list[bool], skip: list[bool] | None = None) -> list[bool]:
    """For each block (of the full reference, when `skip` marks those left out of `blocks`): whether
    80 % of its words are found, in order; blocks under five words always count as kept."""
    result, start, index = [], 0, 0
    for i, block in enumerate(blocks if skip is None else [None] * len(skip)):
        if skip is not None and skip[i]:
            result.append(True)
            continue
        text = blocks[index] if skip is not None else block
        index += 1
        n = len(words(text))
        result.append(n < 5 or sum(covered[start:start + n]) >= 0.8 * n)
        start += n
    return result


def measure(page: Path) -> dict:
    meta = json.loads((page / "expected-metadata.json").read_text(encoding="utf-8"))
    data = gzip.decompress((page / "source.html.gz").read_bytes())
    reference = reference_blocks(gzip.decompress((page / "expected.html.gz").read_bytes()).decode("utf-8"))
    row: dict = {"page": page.name, "article": meta.get("readerable", True)}
    try:
        found = from_html(data)
    except UsageError as e:
        row.update(refused=str(e))
        return row
    text = [b for b in found.blocks if not b.startswith("[caption] ")]
    judged = page / "chrome.txt"  # reference blocks judged page chrome by reading the page (see the README)
    chrome = {" ".join(words(line)) for line in judged.read_text(encoding="utf-8").splitlines()} if judged.exists() else set()
    is_chrome = [chrome_kind(b) is not None or " ".join(words(b)) in chrome for b in reference]
    # the reference without the chrome quizgen removes on purpose (judged so, or by the lint's patterns)
    article = [b for b, c in zip(reference, is_chrome) if not c]
    similarity, covered = _compare(article, text, found.blocks)
    strict_similarity, strict_covered = _compare(reference, text, found.blocks)
    lost, strict, excused = 0, 0, []
    for block, c, kept, strict_kept in zip(reference, is_chrome, _kept(article, covered, is_chrome), _kept(reference, strict_covered)):
        if strict_kept:
            continue
        strict += 1
        if c:
            excused.append(f"chrome: {block}")
        elif kept:
            continue
        elif found.description and same(block, found.description):
            excused.append(f"subtitle: {block}")  # offered as the commented subtitle
        else:
            lost += 1
            excused.append(f"LOST: {block}")
    row.update(
        similarity=similarity, strict_similarity=strict_similarity, lost=lost, strict=strict, paragraphs=len(reference),
        mojibake=sum(len(MOJIBAKE.findall(t)) for t in [*text, found.title or ""]),
        missing=excused, title=same(found.title, meta.get("title")) or words(meta.get("title") or "")[:6] == words(found.title or "")[:6],
        byline=byline_ok(found.author, meta.get("byline")), author=found.author,
    )
    return row


def main(names: list[str], show_lost: bool = False) -> None:
    pages = sorted(p for p in CORPUS.iterdir() if p.is_dir() and (not names or p.name in names))
    rows = []
    started = time.perf_counter()
    print(f"{'page':<20} {'sim':>5} {'lost':>9} {'moji':>4} title byline  author")
    for page in pages:
        row = measure(page)
        rows.append(row)
        if "refused" in row:
            verdict = "refused (right)" if not row["article"] else "REFUSED (wrong)"
            print(f"{row['page']:<20} {verdict}: {row['refused'][:90]}")
            continue
        flag = "" if row["article"] else "  NOT AN ARTICLE, yet taken"
        print(f"{row['page']:<20} {row['similarity']:5.3f} {row['lost']:>3} of {row['paragraphs']:<3} {row['mojibake']:>4} "
              f"{'ok' if row['title'] else 'WRONG':<5} {'ok' if row['byline'] else 'WRONG':<6}  {row['author'] or '-'}{flag}")
        if show_lost:
            for line in row["missing"]:
                print(f"    {line[:150]}")
    articles = [r for r in rows if r["article"]]
    good = [r for r in articles if "refused" not in r and r["similarity"] >= 0.95 and r["lost"] == 0]
    strict = [r for r in articles if "refused" not in r and r["strict_similarity"] >= 0.95 and r["strict"] == 0]
    others = [r for r in rows if not r["article"]]
    print(f"\n{len(good)} of {len(articles)} article pages ({100 * len(good) / max(len(articles), 1):.0f} %) at >= 0.95 with no paragraph lost")
    print(f"(against the whole reference, its chrome included: {len(strict)} of {len(articles)}, "
          f"{100 * len(strict) / max(len(articles), 1):.0f} %)")
    taken = [r for r in articles if "refused" not in r]
    print(f"median similarity {sorted(r['similarity'] for r in taken)[len(taken) // 2]:.3f}; "
          f"paragraphs lost {sum(r['lost'] for r in taken)} of {sum(r['paragraphs'] for r in taken)}; "
          f"mojibake {sum(r['mojibake'] for r in taken)}; titles right {sum(r['title'] for r in taken)} of {len(taken)}; "
          f"bylines right {sum(r['byline'] for r in taken)} of {len(taken)}; articles refused {len(articles) - len(taken)}")
    excused = sum(line.startswith("chrome: ") for r in taken for line in r["missing"])
    print(f"reference blocks left out as chrome: {excused} (--lost lists them)")
    print(f"non-article pages refused: {sum('refused' in r for r in others)} of {len(others)}")
    print(f"{time.perf_counter() - started:.1f} s for {len(rows)} pages")


if __name__ == "__main__":
    main([a for a in sys.argv[1:] if a != "--lost"], "--lost" in sys.argv)
