from __future__ import annotations

from pathlib import Path

from generator.sources.read_article import read_article

ARTICLE = """\
---
title: "A Title: With a Colon"
author: Ann Writer
language: he
---

[caption] A photo, October 7. Credit: AP

First paragraph,
on two lines.

Second paragraph.

[caption] Another photo.

Third paragraph.
"""


def test_blocks_are_numbered_by_kind(tmp_path: Path):
    path = tmp_path / "article.md"
    path.write_text(ARTICLE, encoding="utf-8")
    article = read_article(path.read_bytes(), "article.md", "a")
    assert [(b.label, b.line, b.text) for b in article.blocks] == [
        ("caption 1", 7, "A photo, October 7. Credit: AP"),
        ("¶1", 9, "First paragraph,\non two lines."),
        ("¶2", 12, "Second paragraph."),
        ("caption 2", 14, "Another photo."),
        ("¶3", 16, "Third paragraph."),
    ]
    assert [b.number for b in article.paragraphs] == [1, 2, 3]
    assert (article.meta.title, article.meta.author, article.meta.date, article.meta.url) == (
        "A Title: With a Colon", "Ann Writer", None, None)
    assert article.meta.rtl and article.meta.language == "he"


def test_crlf_and_bom_are_read(tmp_path: Path):
    path = tmp_path / "article.md"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode())
    article = read_article(path.read_bytes(), "article.md", "a")
    assert article.blocks[1].text == "First paragraph,\non two lines."
    assert not read_article_meta_default(tmp_path).rtl


def read_article_meta_default(tmp_path: Path):
    path = tmp_path / "plain.md"
    path.write_text("---\ntitle: T\n---\n\nText.\n", encoding="utf-8")
    return read_article(path.read_bytes(), "plain.md", "a").meta
