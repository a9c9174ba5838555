from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.checks.anchor import ArticleIndex, NotFound, normalise
from generator.model import Article, ArticleMeta, Block, Span


def article(*texts: str, captions: tuple[int, ...] = ()) -> Article:
    blocks, counts = [], {"paragraph": 0, "caption": 0}
    for i, text in enumerate(texts):
        kind = "caption" if i in captions else "paragraph"
        counts[kind] += 1
        blocks.append(Block(kind, counts[kind], text, i * 2 + 1))
    return Article("a", "a.md", ArticleMeta("T"), tuple(blocks))


@pytest.mark.parametrize(
    "text, passage",
    [
        ("He said \u201chello\u201d twice.", 'said "hello" twice'),  # curly double quotes
        ('He said "hello" twice.', "said \u201chello\u201d twice"),  # straight in the article
        ("Putin\u2019s side", "Putin's side"),  # curly apostrophe
        ("Putin's side", "Putin\u2019s side"),
        ("\u2018de-confliction\u2019 talks", "'de-confliction' talks"),
        ("last month \u2013 a promise", "last month - a promise"),  # en dash
        ("last month \u2014 a promise", "last month - a promise"),  # em dash
        ("well\u2010equipped force", "well-equipped force"),  # hyphen U+2010
        ("well-equipped force", "well\u2014equipped force"),  # passage has the dash
        ("Sept.\u00a021 meeting", "Sept. 21 meeting"),  # non-breaking space
        ("the  two   nations", "the two nations"),  # repeated white space
        ("the two\nnations", "the two nations"),  # line break inside a paragraph
        ("the two nations", "the\ttwo\n  nations"),  # white space in the passage
        ("ב\u05be1945 נוסד האו\u05f4ם", 'ב-1945 נוסד האו"ם'),  # Hebrew maqaf and gershayim
        ("צה\u05f3ל ומשרד", "צה'ל ומשרד"),  # Hebrew geresh
        ("\u06a9\u062a\u0627\u0628 \u06cc\u06a9", "\u0643\u062a\u0627\u0628 \u064a\u0643"),  # Persian keheh/yeh, Arabic kaf/yeh
    ],
)
def test_normalisations_find_the_passage(text, passage):
    doc = article("Before. " + text + " After.")
    anchor = ArticleIndex(doc).anchor(passage)
    quoted = anchor.quote(doc)
    assert normalise(quoted) == normalise(passage)
    assert (doc.blocks[0].text.index(quoted), anchor.cite(doc)) == (anchor.spans[0].start, "¶1")


def test_span_is_the_exact_original_text():
    doc = article("First para.", "He said \u201chello\u201d \u2014  twice,\nthen left.")
    anchor = ArticleIndex(doc).anchor('said "hello" - twice, then')
    (span,) = anchor.spans
    assert (span.block, doc.blocks[1].text[span.start : span.end]) == (1, "said \u201chello\u201d \u2014  twice,\nthen")


def test_case_must_match():
    with pytest.raises(NotFound):
        ArticleIndex(article("The Pentagon announced")).anchor("the pentagon announced")


def test_passage_across_two_paragraphs_cites_both():
    doc = article("One ends here.", "Two starts here.", "Three.")
    anchor = ArticleIndex(doc).anchor("ends here. Two starts")
    assert anchor.cite(doc) == "¶1–2"
    assert [doc.blocks[s.block].text[s.start : s.end] for s in anchor.spans] == ["ends here.", "Two starts"]


def test_caption_is_cited_as_caption():
    doc = article("Body text.", "A ship at sea, October 7.", captions=(1,))
    assert ArticleIndex(doc).anchor("October 7").cite(doc) == "caption 1"


def test_ambiguous_passage_lists_places():
    doc = article("Putin said no.", "Later Putin said no again.")
    with pytest.raises(NotFound) as e:
        ArticleIndex(doc).anchor("Putin said no")
    assert e.value.message == "passage is found 2 times in the article (¶1, ¶2); quote more words to make it unique"


def test_missing_passage_names_closest_and_difference():
    doc = article("Nothing here.", "Israel received from Putin in 2008 advance warning of the attack.")
    with pytest.raises(NotFound) as e:
        ArticleIndex(doc).anchor("Israel received from Putin in 2009 advance warning")
    assert e.value.message == (
        'passage not found in the article; closest is ¶2: "Israel received from Putin in 2008 advance warning"'
        ' (the article has "2008" where the passage has "2009")'
    )


DRAKE = article(
    "The voyage was long. Many sailors fell ill on the way home, and the great explorer wrote of it in his log.",
    "Drake died aboard his ship off Portobelo in 1596, of dysentery.",
    "The mayor opened the new bridge on Monday, 3 March 2025, after \u201cfive years\u201d of work.",
)


@pytest.mark.parametrize(
    "passage, hint",
    [
        # words the article has elsewhere: said to be missing here, and where they are
        ("the great explorer Drake died aboard ship",
         '¶2: "Drake died aboard his ship" (the passage starts with "the great explorer", which the article has in'
         ' ¶1 but not before "Drake died"; the article has "aboard his ship" where the passage has "aboard ship")'),
        ("Drake died aboard ship off Portobelo",
         '¶2: "Drake died aboard his ship off Portobelo" (the article has "aboard his ship" where the passage has'
         ' "aboard ship")'),
        ("The mayor opened the bridge on Monday",  # a word left out: shown with its neighbours
         '¶3: "The mayor opened the new bridge on Monday" (the article has "the new bridge" where the passage has'
         ' "the bridge")'),
        ("The mayor opened the new bridge on a Monday",  # a word added
         '¶3: "The mayor opened the new bridge on Monday" (the article has "on Monday," where the passage has'
         ' "on a Monday")'),
        ("Drake died aboard his ship off Panama",  # a different last word, found nowhere else
         '¶2: "Drake died aboard his ship off Portobelo" (the article has "Portobelo" where the passage has'
         ' "Panama")'),
        ("of dysentery. The mayor closed the new bridge",  # across two paragraphs
         '¶2–3: "of dysentery. The mayor opened the new bridge" (the article has "opened" where the passage has'
         ' "closed")'),
    ],
)
def test_closest_passage_says_plainly_what_differs(passage, hint):
    with pytest.raises(NotFound) as e:
        ArticleIndex(DRAKE).anchor(passage)
    assert e.value.message == "passage not found in the article; closest is " + hint


def test_missing_passage_with_nothing_close():
    with pytest.raises(NotFound) as e:
        ArticleIndex(article("Short text.")).anchor("zzzz qqqq xxxx")
    assert e.value.message == "passage not found in the article; nothing in the article comes close"


def test_many_passages_against_a_long_article():
    paragraphs = [f"Paragraph {i} says that event {i} happened in year {1900 + i}." for i in range(2000)]
    index = ArticleIndex(article(*paragraphs))
    anchors = [index.anchor(f"event {i} happened in year {1900 + i}.") for i in range(0, 2000, 7)]
    assert [a.spans[0].block for a in anchors] == list(range(0, 2000, 7))


def test_the_hint_threshold_is_a_score_of_50():
    from generator.checks.anchor import ArticleIndex, NotFound
    from generator.model import Article, ArticleMeta, Block

    text = "the council approved the plan in twenty twenty one after long talks"
    index = ArticleIndex(Article("a", "a.md", ArticleMeta("t"), (Block("paragraph", 1, text, 1),)))
    messages = {}
    for passage in ("plan qqqqq", "talks qqqqqqqqqq"):  # scores 50.0 and 47.6
        try:
            index.anchor(passage)
        except NotFound as e:
            messages[passage] = e.message
    assert "closest is ¶1" in messages["plan qqqqq"]
    assert messages["talks qqqqqqqqqq"].endswith("; nothing in the article comes close")


@pytest.mark.parametrize("passage", ["Drake died \u2026 in 1596", "Drake died ... in 1596", "Drake died...in 1596"])
def test_passage_given_by_its_ends_is_the_whole_stretch(passage):
    found = ArticleIndex(DRAKE).anchor(passage)
    assert found.passage == "Drake died aboard his ship off Portobelo in 1596"
    assert found.quote(DRAKE) == found.passage
    assert found.spans == (Span(1, 0, 48),)


@pytest.mark.parametrize(
    "passage, message",
    [
        ("Drake died \u2026 of", 'the end of the passage, "of", is found 4 times in the article (¶1, ¶2 ×2, ¶3); quote more words at its end'),
        ("the \u2026 Portobelo", 'the start of the passage, "the", is found 3 times in the article (¶1 ×2, ¶3); quote more words at its start'),
        ("in 1596 \u2026 Drake died", "the end of the passage (¶2) comes before its start (¶2)"),
        ("Many sailors \u2026 Drake died", "the two ends of the passage are in different blocks (¶1–2); a passage given by its ends stays within one"),
        ("Drake \u2026 Portobelo \u2026 dysentery", "passage not found in the article; a passage given by its ends has one '…' between them, no more"),
    ],
)
def test_passage_given_by_its_ends_is_as_strict_as_a_whole_one(passage, message):
    with pytest.raises(NotFound) as e:
        ArticleIndex(DRAKE).anchor(passage)
    assert e.value.message == message


def test_passage_given_by_its_ends_is_bounded():
    near = "Start here " + "word " * 115 + "and the end."  # 598 characters
    assert ArticleIndex(article(near)).anchor("Start here \u2026 the end.").spans == (Span(0, 0, 598),)
    far = "Start here " + "word " * 117 + "and the end."
    with pytest.raises(NotFound) as e:
        ArticleIndex(article(far)).anchor("Start here \u2026 the end.")
    assert e.value.message == "the passage from its start to its end is 608 characters long; one given by its ends is 600 at most"


def test_an_ellipsis_the_article_has_is_quoted_as_it_is():
    doc = article("He paused... then spoke.", "He paused and then spoke.")
    assert ArticleIndex(doc).anchor("He paused... then spoke").spans == (Span(0, 0, 23),)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab '\"`-\n\t\u2018\u2019\u201c\u201d\u2013\u2014\u05f3\u06cc\u06a9\u00a0x"), max_size=30))
def test_normalise_skips_translating_only_texts_that_need_none(text):
    from generator.checks.normal_form import _TRANSLATE

    assert normalise(text) == " ".join(re.findall(r"\S+", text.translate(_TRANSLATE)))


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "B", " ", "  ", "\n", "`", "’", "“", "—", "־", "ی", "ک", "é", "e\u0301", "\u0301", "\u00ad",
                                 "\u200b", "\ufb01", "\u05d0", "\u05b7", "ى\u0654"]), max_size=16).map("".join))
def test_normalise_is_normalised_as_simple_says(text):
    from generator.checks.normal_form import normalise, normalised, simple

    assert normalise(text) == normalised(text, simple(text))


@pytest.mark.parametrize("text", ["plain  text ", "a `quoted` one", "“curly” — dash", "Jose\u0301 cafe\u0301", "caf\u00e9",
                                  "soft\u00adhyphen", "یک ک", "\u05d0\u05bc ״x״", "", "A\u0308\u0301 \u1e9b\u0323", "中文“引号”"])
def test_simple_normalised_is_simple_and_normalised(text):
    from generator.checks.normal_form import normalised, simple, simple_normalised

    assert simple_normalised(text) == (simple(text), normalised(text, simple(text)))
