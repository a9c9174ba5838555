"""Loading the mini fixture: one question of every kind and a template, into the model."""

from __future__ import annotations

import pytest

from generator.model import (
    Attribution,
    Chronology,
    Cloze,
    Deletion,
    MultipleChoice,
    ShortAnswer,
    TrueFalse,
)


def by_id(library):
    (found,) = library.sets
    return found, {q.id: q for q in found.questions}


def test_every_kind_loads(mini_library):
    found, qs = by_id(mini_library)
    assert [q.id for q in found.questions] == [
        "opened-when", "build-years", "auditor", "budget-tf", "chronology", "on-time",
        "over-budget", "year-plan", "year-pillar",
    ]
    assert {q.kind for q in found.questions} == {"qa", "cloze", "mcq", "truefalse", "order", "attribution"}
    assert found.files == ("tests/fixtures/mini/q.yaml",) or found.files[0].endswith("mini/q.yaml")


def test_short_answer(mini_library):
    found, qs = by_id(mini_library)
    q = qs["opened-when"]
    assert isinstance(q, ShortAnswer)
    assert (q.question, q.answer, q.when, q.tests, q.type_in) == (
        "When was the bridge opened?", "Monday, 3 March 2025", "3 March 2025", "event", False)
    assert q.anchor.cite(found.article) == "¶1"
    assert (q.origin.line, q.origin.col) == (2, 5)


def test_cloze_anchors_its_plain_text(mini_library):
    found, qs = by_id(mini_library)
    q = qs["build-years"]
    assert isinstance(q, Cloze)
    assert q.numbers == (1, 2)
    assert q.segments[1] == Deletion(1, "five", "a number")
    assert q.plain == 'after "five years" of work - the longest build'
    assert q.anchor.quote(found.article) == "after \u201cfive years\u201d of work \u2014 the longest build"


def test_mcq_truefalse(mini_library):
    found, qs = by_id(mini_library)
    mcq, tf = qs["auditor"], qs["budget-tf"]
    assert isinstance(mcq, MultipleChoice) and mcq.distractors == ("The mayor", "Critics")
    assert isinstance(tf, TrueFalse)
    # `answer: no` in YAML is false, and the correction is kept for the answer side
    assert (tf.answer, tf.correction) == (False, "Critics say it cost twice its budget.")
    assert tf.anchor.cite(found.article) == "¶2"


def test_order_keeps_events_in_the_written_order(mini_library):
    found, qs = by_id(mini_library)
    q = qs["chronology"]
    assert isinstance(q, Chronology)
    assert [(e.text, e.when) for e in q.events] == [
        ("Plan approved", "2021"), ("First pillar set", "2022"), ("Costs rose", "2023")]
    assert [e.anchor.cite(found.article) for e in q.events] == ["¶3", "¶3", "¶2"]
    assert q.anchor is None and q.question == "Put these events in order, earliest first."


def test_attribution_defaults_to_the_other_sources(mini_library):
    found, qs = by_id(mini_library)
    on_time, over = qs["on-time"], qs["over-budget"]
    assert isinstance(on_time, Attribution)
    assert (on_time.source, on_time.distractors) == ("The mayor", ("Critics",))
    assert (over.source, over.distractors) == ("Critics", ("The mayor",))
    assert on_time.question == "Who holds this view?"


def test_template_rows_become_questions(mini_library):
    found, qs = by_id(mini_library)
    plan, pillar = qs["year-plan"], qs["year-pillar"]
    assert (plan.question, plan.answer, plan.when) == ("In which year was the plan approved?", "2021", None)
    assert (pillar.question, pillar.answer, pillar.when) == ("In which year was the first pillar set?", "2022", "2022")
    assert (plan.origin.template, plan.origin.row, plan.origin.line) == ("year", "plan", 52)
    assert plan.anchor.quote(found.article) == "In 2021 the council approved the plan"


def test_template_does_not_render_user_values_as_templates(content):
    from generator.sources.load import load_library

    (content / "mini" / "q.yaml").write_text(
        """questions:
  - id: t
    kind: qa
    tests: event
    question: "What did {{ who }} do?"
    answer: "{{ what }}"
    rows:
      - {id: a, passage: In 2021 the council approved the plan, values: {who: "{{ 7 * 7 }}", what: "<b>approved</b>"}}
      - {id: b, passage: In 2022 the first pillar was set, values: {who: x, what: y}}
      - {id: c, passage: found that costs rose in 2023, values: {who: x, what: y}}
      - {id: d, passage: Critics say the bridge cost twice its budget, values: {who: x, what: y}}
""",
        encoding="utf-8",
    )
    (found,) = load_library(content).sets
    q = found.questions[0]
    assert (q.question, q.answer) == ("What did {{ 7 * 7 }} do?", "<b>approved</b>")


def test_coverage_lists_uncited_paragraphs(content):
    from generator.sources.load import load_library

    (content / "mini" / "q.yaml").write_text(
        "questions:\n  - {id: a, kind: qa, tests: event, question: What, answer: A, passage: In 2021 the council}\n",
        encoding="utf-8",
    )
    (found,) = load_library(content).sets
    assert [b.label for b in found.uncovered()] == ["¶1", "¶2"]


def test_problems_in_several_files_and_articles_are_all_reported(content):
    import shutil

    import pytest

    from generator.errors import ContentError
    from generator.sources.load import load_library

    shutil.copytree(content / "mini", content / "other")
    (content / "mini" / "q.yaml").write_text("questions:\n  - {id: a, kind: qa}\n", encoding="utf-8")
    (content / "other" / "b.yaml").write_text("questions: [\n", encoding="utf-8")
    (content / "Bad_Slug").mkdir()
    with pytest.raises(ContentError) as e:
        load_library(content)
    assert [str(p) for p in e.value.problems] == [
        "Bad_Slug:1:1: error: folder name 'Bad_Slug' is not a valid slug: use lowercase letters, digits and single hyphens",
        "mini/q.yaml:2:5: error: missing required key 'answer'",
        "mini/q.yaml:2:5: error: missing required key 'question'",
        "mini/q.yaml:2:5: error: missing required key 'tests'",
        "other/b.yaml:2:1: error: YAML syntax: expected the node content, but found '<stream end>' while parsing a flow node",
    ]


def test_file_defaults_apply_unless_a_question_gives_its_own(content):
    from generator.sources.load import load_library

    (content / "mini" / "q.yaml").write_text(
        """defaults:
  tests: claim
  tags: [bridge, money]
questions:
  - {id: critics, kind: qa, question: What?, answer: Twice, passage: Critics say the bridge cost twice its budget.}
  - {id: insists, kind: qa, tests: event, tags: [], question: What?, answer: On time, passage: The mayor insists … on time.}
  - id: t
    kind: qa
    question: "When was {{ what }}?"
    answer: "{{ year }}"
    rows:
      - {id: a, passage: In 2021 the council approved the plan, values: {what: the plan approved, year: "2021"}}
""",
        encoding="utf-8",
    )
    (found,) = load_library(content).sets
    got = {q.id: (q.tests, q.tags, q.anchor.passage if q.anchor else None) for q in found.questions}
    assert got == {
        "critics": ("claim", ("bridge", "money"), "Critics say the bridge cost twice its budget."),
        "insists": ("event", (), "The mayor insists it was built on time."),
        "t-a": ("claim", ("bridge", "money"), "In 2021 the council approved the plan"),
    }


@pytest.mark.parametrize("wrong", ["tests: claim\n  tags: [bridge, \"money!\"]", "tests: claimm"])
def test_a_wrong_default_is_one_problem_and_the_questions_own_problems_are_all_reported(content, wrong):
    """One wrong default used to drop them all: every question relying on `tests` got "missing
    required key 'tests'" too, and a question's own mistake (a passage not in the article) waited."""
    from generator.errors import ContentError
    from generator.sources.load import load_library

    (content / "mini" / "q.yaml").write_text(
        f"""defaults:
  {wrong}
questions:
  - {{id: critics, kind: qa, question: What?, answer: Twice, passage: Critics say the bridge cost twice its budget.}}
  - {{id: typo, kind: qa, question: What?, answer: Twice, passage: Critics say the bridge cost twice its budgt.}}
""",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as e:
        load_library(content)
    messages = [p.message for p in e.value.problems]
    assert len(messages) == 2, messages
    assert messages[0].startswith("'tags[2]'" if "tags" in wrong else "'tests' must be 'event' or 'claim'")
    assert messages[1].startswith("passage not found in the article")


@pytest.mark.parametrize("front", ["auther: Someone\n", "coverage_skip: [9]\n", "title: \n"])
def test_a_wrong_front_matter_hides_no_problem_of_the_questions(content, front):
    """A misspelt key, a paragraph past the last, an empty title: the article's text is still read, and
    a passage that is not in it is reported in the same run (it waited for the front matter's fix)."""
    from generator.errors import ContentError
    from generator.sources.load import load_library

    article = content / "mini" / "article.md"
    text = article.read_text(encoding="utf-8")
    if front.startswith("title"):
        text = "\n".join(front.strip() if line.startswith("title:") else line for line in text.split("\n"))
    else:
        text = text.replace("language: en\n", "language: en\n" + front)
    article.write_text(text, encoding="utf-8")
    (content / "mini" / "q.yaml").write_text(
        "questions:\n  - {id: typo, kind: qa, tests: claim, question: What?, answer: Twice, "
        "passage: Critics say the bridge cost twice its budgt.}\n", encoding="utf-8")
    with pytest.raises(ContentError) as e:
        load_library(content)
    found = [(p.path.rsplit("/", 1)[-1], p.message.split(":")[0].split(" (")[0]) for p in e.value.problems]
    assert len(found) == 2 and found[0][0] == "article.md" and found[1] == ("q.yaml", "passage not found in the article; closest is ¶2"), found


@pytest.mark.parametrize("where", ["inside", "itself", "outside"])
def test_a_file_is_shown_as_display_path_shows_it(tmp_path, monkeypatch, where):
    """load.py shows an article's files from its folder's display path (display_in): the same text
    as display_path of each file, inside the working folder, in it, and outside it."""
    from generator.errors import display_in, display_path

    folder = tmp_path / "content" / "an-article"
    folder.mkdir(parents=True)
    (folder / "events.yaml").write_text("questions: []\n")
    cwd = {"inside": tmp_path, "itself": folder, "outside": tmp_path / "elsewhere"}[where]
    cwd.mkdir(exist_ok=True)
    monkeypatch.chdir(cwd)
    given = folder if where != "inside" else folder.relative_to(tmp_path)
    shown = display_in(display_path(given), "events.yaml")
    assert shown == display_path(given / "events.yaml")
    assert shown == {"inside": "content/an-article/events.yaml", "itself": "events.yaml",
                     "outside": str(folder.resolve() / "events.yaml")}[where]
