"""Articles and passages in different Unicode forms, with invisible characters, and in unspaced scripts."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from generator.checks.anchor import ArticleIndex, NotFound, normalise
from generator.checks.lints.article_text import warnings
from generator.checks.validate import _has_word
from generator.cli import app
from generator.model import Article, ArticleMeta, Block, Span
from generator.sources.read_article import read_article
from generator.unicode_forms import plain, visible, word_count

SHY, ZWSP, ZWNJ = "\u00ad", "\u200b", "\u200c"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def article(*texts: str, language: str = "en") -> Article:
    blocks = tuple(Block("paragraph", i + 1, text, i * 2 + 1) for i, text in enumerate(texts))
    return Article("a", "a.md", ArticleMeta("T", language=language), blocks)


@pytest.mark.parametrize(
    "text, passage, quoted",
    [
        (nfd("the owner, Zoë Brontë, had bought it"), "Zoë Brontë", nfd("Zoë Brontë")),  # NFD article
        ("the owner, Zoë Brontë, had bought it", nfd("Zoë Brontë"), "Zoë Brontë"),  # NFD passage
        (f"two moorings from the break{SHY}water.", "from the breakwater", f"from the break{SHY}water"),
        (f"the pilot{ZWSP}boat will be raised", "pilot boat will", None),  # ZWSP is not a space
        (f"the pilot{ZWSP}boat will be raised", "pilotboat will", f"pilot{ZWSP}boat will"),
        (f"{SHY}Harbour master Tom{nfd('é')} Hale", "Harbour master Tomé", f"Harbour master Tom{nfd('é')}"),  # a leading one is left out
        (f"Tomé{SHY} Hale{ZWSP} said", "Tomé Hale", f"Tomé{SHY} Hale"),  # so is a trailing one
        (f"a {ZWSP} b c", "a b c", f"a {ZWSP} b c"),  # a word of nothing but one
        (nfd("Café Rosé “reopened” – at last"), "Café Rosé \"reopened\" - at", nfd("Café Rosé “reopened” – at")),
    ],
)
def test_passages_match_whatever_the_form_and_point_at_the_article_as_written(text, passage, quoted):
    index = ArticleIndex(article("Before it.", text))
    if quoted is None:
        with pytest.raises(NotFound):
            index.anchor(passage)
        return
    found = index.anchor(passage)
    (span,) = found.spans
    assert span.block == 1 and text[span.start : span.end] == quoted


def test_persian_zero_width_non_joiner_is_part_of_the_word():
    """U+200C chooses how Persian letters join (می‌خواهم): a passage without it is another spelling."""
    text = f"او گفت می{ZWNJ}خواهم بروم"
    index = ArticleIndex(article(text, language="fa"))
    assert index.anchor(f"می{ZWNJ}خواهم").spans == (Span(0, 7, 15),)
    with pytest.raises(NotFound) as e:
        index.anchor("میخواهم بروم")
    assert "<U+200C>" in e.value.message  # the two spellings never look the same in the message


# letters with accents (NFC) and the invisible characters, to mix into articles
PIECE = st.sampled_from(["a", "b", "é", "ö", "ñ", "ǖ", "ệ", "가", "x", "'", "’", "—", "1", SHY, ZWSP, ZWNJ])
WORD = st.lists(PIECE, min_size=1, max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORD, min_size=3, max_size=12), st.data())
def test_any_stretch_of_a_mixed_article_anchors_to_itself(words, data):
    """Write an article in NFD with invisible characters; any stretch of it, quoted in NFC without
    them, anchors (when unique) to a span whose text is that stretch as written."""
    text = nfd(" ".join(words))
    wanted = normalise(text).split(" ")
    lo = data.draw(st.integers(0, len(wanted) - 1))
    hi = data.draw(st.integers(lo + 1, len(wanted)))
    passage = " ".join(wanted[lo:hi])
    assume(passage)  # words of invisible characters alone: nothing to quote (an empty passage is an error)
    index = ArticleIndex(article(text))
    if len(index.find_all(passage)) != 1:
        return
    (span,) = index.anchor(passage, ends=False).spans
    written = text[span.start : span.end]
    assert normalise(written) == passage
    assert written == written.strip(SHY + ZWSP + " ")  # the span starts and ends on characters that show


def test_a_passage_never_cuts_a_letter_from_the_accents_written_after_it():
    """q + U+0301 has no single character: "The q" is another letter, as "Jose" is not "José" (a case
    hypothesis found: "0" anchored to "0<U+FEFF><U+0301>" and quoted it with its accent)."""
    index = ArticleIndex(article(f"The q\u0301 sign came after 0{ZWSP}\u0301 and Jose\u0301 too."))
    for passage in ("The q", "after 0", "and Jose", "\u0301 sign"):
        with pytest.raises(NotFound):
            index.anchor(passage, ends=False)
    (span,) = index.anchor("The q\u0301 sign", ends=False).spans
    assert (span.start, span.end) == (0, 11)
    assert index.anchor("and José too", ends=False).spans


def test_messages_show_invisible_characters():
    index = ArticleIndex(article("The harbour master Tom Hale said the moorings had gone and boats were lost."))
    with pytest.raises(NotFound) as e:
        index.anchor(f"harbour master Tom{ZWNJ} Hale said")
    assert 'the article has "Tom" where the passage has "Tom<U+200C>"' in e.value.message
    assert visible(f"break{SHY}water") == "break<U+00AD>water"
    assert visible("plain text, ‘quoted’ — Zoë") == "plain text, ‘quoted’ — Zoë"


def test_article_text_warns_where_invisible_characters_are():
    text = f"---\ntitle: T\n---\n\nThe storm tore two moorings.\n\nThey fell from the break{SHY}water and the pilot{ZWSP}boat sank.\n"
    found = [w for w in warnings(read_article(text.encode(), "a.md", "a")) if "invisible" in w.message]
    assert [(w.line, w.col) for w in found] == [(7, 25)]
    assert "soft hyphen in 'break<U+00AD>water', 2 such characters in this block" in found[0].message


def test_plain_drops_ignored_characters_and_composes_accents():
    assert plain(nfd(f"Zoë{SHY} Brontë{ZWSP}")) == "Zoë Brontë"
    assert plain(f"می{ZWNJ}خواهم") == f"می{ZWNJ}خواهم"  # the non-joiner is spelling


def test_new_from_a_page_writes_nfc_without_invisible_or_control_characters(tmp_path):
    page = tmp_path / "page.html"
    body = "".join(
        f"<p>{nfd('Harbour master Tomé Hale said')} the storm tore two moorings from the break&shy;water and sank a "
        f"pilot{ZWSP}boat at\x0canchor, paragraph {i}, and the town\x1b would need weeks to recover from it all.</p>"
        for i in range(6)
    )
    page.write_text(f"<html lang='en'><head><title>Storm</title></head><body><article><h1>Storm</h1>{body}</article></body></html>",
                    encoding="utf-8")
    result = CliRunner().invoke(app, ["new", "storm", "--content", str(tmp_path / "q"), "--from", str(page)])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "q" / "storm" / "article.md").read_text(encoding="utf-8")
    assert "Tomé Hale" in text and "breakwater" in text and "pilotboat" in text
    assert unicodedata.is_normalized("NFC", text) and SHY not in text and ZWSP not in text
    assert "# removed 6 soft hyphens (U+00AD), 6 zero-width spaces (U+200B)" in text
    assert "\x1b" not in text and "the town would" in text  # what check refuses (unicode_forms.CONTROL)
    assert "\x0c" not in text and "at anchor" in text  # a form feed between words: a space, as white space is
    assert "# removed 6 control characters (U+001B), which no output can show" in text


ZH = ("西港港口于周一重新开放，此前三天，一场风暴从防波堤上扯下了两个系泊设施。",
      "这场风暴是自1987年以来袭击海岸的最严重风暴，带来了每小时140公里的阵风。")


def test_when_in_chinese_and_japanese_needs_no_word_edges_against_their_letters():
    assert _has_word(ZH[1], "1987年") and _has_word(ZH[1], "1987") and _has_word(ZH[1], "140公里")
    assert not _has_word(ZH[1], "987年") and not _has_word(ZH[1], "9")  # digits still have edges
    ja = "港は1987年以来で最悪の嵐の後、月曜日に再開した。"
    assert _has_word(ja, "1987年") and _has_word(ja, "月曜日")
    assert not _has_word("in 1990", "9") and not _has_word("Mayor", "May")  # spaced scripts as before


def test_check_accepts_a_chinese_when_from_the_passages_paragraph(tmp_path, monkeypatch):
    folder = tmp_path / "gangkou"
    folder.mkdir()
    (folder / "article.md").write_text("---\ntitle: 港口重新开放\nlanguage: zh\n---\n\n" + "\n\n".join(ZH) + "\n", encoding="utf-8")
    (folder / "q.yaml").write_text(
        "questions:\n  - id: since\n    kind: qa\n    tests: event\n    question: 自哪一年以来？\n    answer: 1987年\n"
        "    passage: 这场风暴是自1987年以来袭击海岸的最严重风暴\n    when: \"1987年\"\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", "gangkou"])
    assert result.exit_code == 0, result.output
    assert "when" not in result.output


def test_word_count_counts_unspaced_scripts_by_characters():
    assert word_count("The storm tore two moorings.") == 5  # spaced text: as split() counts
    assert word_count("自1987年以来") == 1 + round(5 / 1.5)  # the number, and the characters at 1.5 a word
    assert word_count("ท่าเรือเปิดอีกครั้ง") == round(19 / 4)
    text = "".join(ZH) * 3  # 200 characters or so: about 130 words, and no longer "1 word"
    assert 130 < word_count(text) < 145


def test_has_ignored_finds_each_ignored_character() -> None:
    from generator.unicode_forms import IGNORED, has_ignored

    for ch in IGNORED:
        assert has_ignored(f"caf\u00e9 {ch}x") and has_ignored(ch)
    assert not has_ignored("caf\u00e9 \u200c\u200d\u200e x") and not has_ignored("plain ASCII")
