"""Reading an article file: YAML front matter, then blocks of text (paragraphs and captions)."""

from __future__ import annotations

import re
from dataclasses import replace

from pydantic import ValidationError

from generator.errors import ContentError, Problem
from generator.model import Article, ArticleMeta, Block
from generator.sources import schema_errors, yamlsource
from generator.sources.schema import ArticleFrontMatter
from generator.unicode_forms import CONTROL

CAPTION = "[caption]"


class ArticleProblems(ContentError):
    """Problems of an article file whose text could still be read: `article` is that text, its front
    matter without the wrong keys (a missing or wrong title stands in as "untitled"), so that its
    question files' passages are anchored all the same and every problem is reported at once."""

    def __init__(self, problems: list[Problem], article: Article) -> None:
        super().__init__(problems)
        self.article = article


def read_article(raw: bytes, shown: str, slug: str) -> Article:
    """The article file's bytes as an article (`shown` is how its path is printed); raises ContentError
    (ArticleProblems when only its front matter is wrong)."""
    text = yamlsource.decode(raw, shown)
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(
            [Problem(shown, 1, 1, "article has no front matter: its first line must be '---', then the metadata, then '---'")]
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ContentError(
            [Problem(shown, 1, 1, "front matter is not closed: add a line '---' after the metadata")]
        ) from None
    data, marks = yamlsource.load("\n".join(lines[1:end]), shown, line_offset=1)
    meta, problems = _meta(data, marks, shown)
    blocks = _blocks(lines, end + 1)
    if not any(b.kind == "paragraph" for b in blocks):
        raise ContentError([*problems, Problem(shown, end + 1, 1, "article has no text after its front matter")])
    meta, more = _skips(meta, marks, lines, shown, sum(b.kind == "paragraph" for b in blocks))
    if CONTROL.search(text, sum(len(line) + 1 for line in lines[: end + 1])):
        more += _controls(lines, end + 1, shown)
    article = Article(slug=slug, path=shown, meta=meta, blocks=blocks)
    if problems or more:
        raise ArticleProblems(problems + more, article)
    return article


def _controls(lines: list[str], first: int, shown: str) -> list[Problem]:
    """An error at each line of the text that holds a control character (its first one)."""
    found = []
    for number in range(first, len(lines)):
        m = CONTROL.search(lines[number])
        if m:
            found.append(Problem(shown, number + 1, m.start() + 1, f"the text holds the control character "
                                 f"U+{ord(m.group()):04X}, which no output can show (and which makes the XML exports "
                                 "unreadable); delete it, or put a space for it"))
    return found


UNTITLED = "untitled"  # the title a front matter without a right one stands in with, while its questions are checked


def _meta(data: object, marks: yamlsource.Marks, shown: str) -> tuple[ArticleMeta, list[Problem]]:
    """The front matter as metadata, and its problems: with problems, the metadata of its right keys."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        got = schema_errors.describe(data)
        problems.append(Problem(shown, 2, 1, f"front matter must be a mapping of keys to values (title: ...), not {got}"))
        data = {"title": UNTITLED}
    try:  # the validator itself, not `model_validate` (read_questions._validate)
        fm = ArticleFrontMatter.__pydantic_validator__.validate_python(data)
    except ValidationError as e:
        problems += schema_errors.problems(e, ArticleFrontMatter, shown, lambda loc, key: marks.at(loc, key=key))
        wrong = {err["loc"][0] for err in e.errors() if err["loc"]}
        kept = {k: v for k, v in data.items() if k not in wrong and k in ArticleFrontMatter.model_fields}
        fm = ArticleFrontMatter.model_validate({"title": UNTITLED, **kept})
    fields = dict(fm.__dict__)  # its fields, by name (model_dump's copies of them, which are made tuples here, are not needed)
    fields["key_points"] = tuple(fields["key_points"].items())
    fields["coverage_skip"] = tuple((n, "") for n in fields["coverage_skip"])
    return ArticleMeta(**fields), problems


def _skips(meta: ArticleMeta, marks: yamlsource.Marks, lines: list[str], shown: str,
           paragraphs: int) -> tuple[ArticleMeta, list[Problem]]:
    """`coverage_skip` with each paragraph's reason: the comment on its line (or on the key's line);
    and a problem for each number past the last paragraph (left out)."""
    if not meta.coverage_skip:  # (most articles)
        return meta, []
    skips, problems = [], []
    key_line = marks.at(("coverage_skip",), key=True)[0]
    for i, (number, _) in enumerate(meta.coverage_skip):
        line, col = marks.at(("coverage_skip", i))
        if number > paragraphs:
            problems.append(Problem(shown, line, col, f"'coverage_skip' names ¶{number}, but the article has {paragraphs} body paragraphs"))
            continue
        reason = _comment(lines[line - 1]) or _comment(lines[key_line - 1])
        skips.append((number, reason))
    return replace(meta, coverage_skip=tuple(skips)), problems


def _comment(line: str) -> str:
    """The text of a YAML comment at the end of a line (one that starts with ' #'), if any."""
    m = re.search(r"(?:^|\s)#\s*(.*?)\s*$", line)
    return m.group(1) if m else ""


def _blocks(lines: list[str], first: int) -> tuple[Block, ...]:
    """Blocks are separated by blank lines; one starting with `[caption]` is a caption."""
    blocks: list[Block] = []
    counts = {"paragraph": 0, "caption": 0}
    current: list[str] = []
    start = 0
    for number, line in enumerate([*lines[first:], ""], start=first + 1):
        line = line.strip()
        if line:
            if not current:
                start = number
            current.append(line)
            continue
        if current:
            text = "\n".join(current)
            kind = "paragraph"
            if text.startswith(CAPTION):
                kind, text = "caption", text[len(CAPTION) :].strip()
            counts[kind] += 1
            blocks.append(Block(kind, counts[kind], text, start))  # type: ignore[arg-type]
            current = []
    return tuple(blocks)
