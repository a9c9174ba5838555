"""Property tests: whatever the YAML or the article text, quizgen loads it or says where it is wrong."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.checks.anchor import ArticleIndex, NotFound, normalise
from generator.errors import ContentError, Problem
from generator.sources.read_article import read_article
from generator.sources.read_questions import read_question_file
from generator.unicode_forms import plain

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any Unicode, with a bias towards what breaks text tools: right-to-left scripts, combining marks,
# emoji, NUL and other controls, typographic quotes and dashes, odd white space.
SPECIAL = "\u05d0\u05d1\u05d2\u0627\u0644\u0639\u0301\u0308\u200f\u200e\U0001f600\U0001f1ee\U0001f1f1\0\t\r\x0b\x1b\u2028\u00a0\u201c\u201d\u2019\u2014\ufeff:-[]{}#&*!|>'\"%@`"
text = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(SPECIAL)), max_size=80)
KEYS = ["questions", "id", "kind", "tests", "passage", "question", "answer", "distractors", "text", "events",
        "claim", "source", "rows", "values", "when", "tags", "statement", "correction", "explanation", "type_in"]
KINDS = ["qa", "cloze", "mcq", "truefalse", "order", "attribution", "event", "claim"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text,
                    st.sampled_from(KINDS))
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), text), children, max_size=6),
    ),
    max_leaves=25,
)
question_files = st.builds(
    lambda qs: {"questions": qs},
    st.lists(st.dictionaries(st.sampled_from(KEYS), documents, max_size=8), max_size=4),
)


def located(problems: list[Problem], path: str) -> None:
    """Every problem names the file and a real line and column."""
    assert problems
    for p in problems:
        assert p.path == path and p.line >= 1 and p.col >= 1 and p.message, p


def read_yaml_text(data: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "q.yaml"
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
        found = read_question_file(path.read_bytes(), "q.yaml")
        if found.problems:
            located(found.problems, "q.yaml")


@SETTINGS
@given(st.one_of(documents, question_files))
def test_any_yaml_document_loads_or_reports_a_location(document):
    read_yaml_text(yaml.safe_dump(document, allow_unicode=True))


@SETTINGS
@given(text)
def test_any_text_as_yaml_loads_or_reports_a_location(raw):
    read_yaml_text(raw.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.binary(max_size=200))
def test_any_bytes_as_yaml_load_or_report_a_location(raw):
    read_yaml_text(raw)


@SETTINGS
@given(st.lists(text, min_size=1, max_size=6), st.one_of(st.none(), text))
def test_any_article_text_loads_or_reports_a_location(paragraphs, title):
    front = "---\n" + (f"title: {yaml.safe_dump(title, allow_unicode=True).splitlines()[0]}\n" if title is not None else "")
    body = "\n\n".join(paragraphs)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.md"
        path.write_bytes((front + "---\n\n" + body).encode("utf-8", "surrogatepass"))
        try:
            article = read_article(path.read_bytes(), "article.md", "a")
        except ContentError as e:
            located(e.problems, "article.md")
        else:
            assert article.paragraphs


words = st.text(alphabet=st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(SPECIAL)),
                min_size=1, max_size=300)


@SETTINGS
@given(words, st.data())
def test_a_stretch_of_the_article_is_found_where_it_is(body, data):
    from generator.model import Article, ArticleMeta, Block

    article = Article("a", "a.md", ArticleMeta("T"), (Block("paragraph", 1, body, 1),))
    start = data.draw(st.integers(0, len(body) - 1))
    end = data.draw(st.integers(start + 1, len(body)))
    passage = body[start:end]
    assume(normalise(passage))
    # a stretch that cuts a letter from the accents written after it is another letter ("0" of "0\u0301")
    after = plain(body[end:])
    assume(not unicodedata.combining(normalise(passage)[0]) and not (after and unicodedata.combining(after[0])))
    index = ArticleIndex(article)
    try:
        anchor = index.anchor(passage)
    except NotFound as e:
        assert e.message.startswith("passage is found"), e.message  # ambiguous, never missing
        return
    # the span found reads, once normalised, exactly as the passage does
    assert normalise(anchor.quote(article)) == normalise(passage)
