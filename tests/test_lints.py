"""Item-writing lints: each rule on small questions, flagged and clean; allow:, key points, the bundled set."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from generator.checks.lints import RULE_NAMES
from generator.checks.lints.registry import _registry, lint, warnings
from generator.cli import app
from generator.errors import ContentError
from generator.model import (
    Article,
    ArticleMeta,
    ArticleSet,
    Attribution,
    Cloze,
    Deletion,
    MultipleChoice,
    Origin,
    ShortAnswer,
    TrueFalse,
)
from generator.sources.load import load_article_set

SLUG = "israels-hushed-military-ties-with-russia"
BUNDLED = ROOT / "questions" / SLUG
BEFORE = Path(__file__).parent / "bundled-before-lints" / SLUG  # the bundled questions before issue 15
MINI = Path(__file__).parent / "fixtures" / "mini"
runner = CliRunner()


def _set(*questions) -> ArticleSet:
    return ArticleSet(Article("a", "a/article.md", ArticleMeta(title="T"), ()), tuple(questions))


def mcq(question, answer, *distractors, qid="m", allow=()):
    return MultipleChoice(id=qid, tests="event", anchor=None, origin=Origin("q.yaml", 4, 5), question=question,
                          answer=answer, distractors=tuple(distractors), allow=tuple(allow))


def qa(question, answer, qid="q"):
    return ShortAnswer(id=qid, tests="event", anchor=None, origin=Origin("q.yaml", 9, 5), question=question, answer=answer)


def tf(statement, answer=True):
    return TrueFalse(id="t", tests="claim", anchor=None, origin=Origin("q.yaml", 12, 5), statement=statement,
                     answer=answer, correction=None if answer else "No.")


def cloze(*segments):
    return Cloze(id="c", tests="event", anchor=None, origin=Origin("q.yaml", 15, 5), text="", segments=segments)


def attribution(claim, source, *distractors, qid="a", generated=False):
    return Attribution(id=qid, tests="claim", anchor=None, origin=Origin("q.yaml", 20, 5), question="Who holds this view?",
                       claim=claim, source=source, distractors=tuple(distractors), generated=generated)


def flagged(rule, *questions) -> list[str]:
    return [q.id for q, name, _ in lint(_set(*questions), [rule])]


def test_every_rule_is_registered_once_with_a_guideline():
    registry = _registry()
    assert tuple(registry) == RULE_NAMES
    assert all(rule.guideline for rule, _ in registry.values())


def test_longest_answer():
    assert flagged("longest-answer", mcq("Who?", "The deputy chiefs of staff of both of the militaries", "The ministers", "The generals")) == ["m"]
    assert flagged("longest-answer", mcq("Who?", "The deputy chiefs of staff", "The defense ministers of both", "The generals")) == []
    assert flagged("longest-answer", mcq("Who?", "Ehud Olmert", "Sharon", "Barak")) == []  # twice as long, but within the margin


def test_lone_shape():
    assert flagged("lone-shape", mcq("How?", "With limp statements", "It kept silent", "It threatened", "It broke off")) == ["m"]
    assert flagged("lone-shape", mcq("Who?", "The chiefs of both militaries", "The ministers of both countries", "The heads of both countries")) == ["m"]
    assert flagged("lone-shape", mcq("How?", "It issued limp statements", "It kept silent", "It threatened")) == []
    assert flagged("lone-shape", mcq("What?", "Drones", "Tanks", "Air-defense systems")) == []


def test_overlapping_choices():
    assert flagged("overlapping-choices", mcq("Where?", "Iran", "Iran and Syria", "Egypt")) == ["m"]
    assert flagged("overlapping-choices", mcq("What did the drones monitor?", "The drones' radio traffic", "Tanks", "Ships")) == ["m"]  # clang
    assert flagged("overlapping-choices", mcq("How often?", "Each year", "Every other year", "Only in a crisis")) == []
    assert flagged("overlapping-choices", mcq("What did Israel sell?", "Drones to Israel's partner", "Tanks from Israel", "Ships")) == []


def test_distractor_right_elsewhere():
    asked = qa("Where were the talks?", "In Tel Aviv")
    assert flagged("distractor-right-elsewhere", mcq("Where did they meet?", "In Moscow", "Tel Aviv", "Beijing"), asked) == ["m"]
    assert flagged("distractor-right-elsewhere", mcq("When did they meet?", "In 2008", "Tel Aviv", "2007"), asked) == []  # another shape
    assert flagged("distractor-right-elsewhere", mcq("Where did they meet?", "In Moscow", "Haifa", "Beijing"), asked) == []


def test_all_none_of_the_above():
    assert flagged("all-none-of-the-above", mcq("Who?", "Israel", "Russia", "All of the above")) == ["m"]
    assert flagged("all-none-of-the-above", mcq("Who?", "None of these", "Russia", "Iran")) == ["m"]
    assert flagged("all-none-of-the-above", mcq("Who?", "All the prime ministers", "Russia", "Iran")) == []


def test_negative_stem():
    assert flagged("negative-stem", mcq("Which did Putin not promise?", "A", "B")) == ["m"]
    assert flagged("negative-stem", qa("Who didn't believe it?", "Some")) == ["q"]
    assert flagged("negative-stem", mcq("Which did Putin NOT promise?", "A", "B")) == []
    assert flagged("negative-stem", mcq('Which is presented as "without doubt"?', "A", "B")) == []


def test_truefalse_cue():
    assert [q for q, _, m in lint(_set(tf("Israel always protested.", False)), ["truefalse-cue"]) if "always" in m]
    assert flagged("truefalse-cue", tf("It is not true that Israel did not know.")) == ["t"]
    assert flagged("truefalse-cue", tf("Israel knew of the plan in advance.")) == []
    assert flagged("truefalse-cue", tf("Israel did not protest.")) == []  # one negative is fine


@pytest.mark.parametrize(("segments", "why"), [
    (("Putin met ", Deletion(1, "the"), " leaders."), "function word"),
    (("In 2008 Putin warned Israel; the war began in ", Deletion(1, "2008"), "."), "prints anyway"),
    (("prime ministers ", Deletion(1, "Ariel Sharon"), ", Ehud Olmert and Netanyahu met Putin"), "list"),
    (("prime ministers Sharon, Olmert and ", Deletion(1, "Netanyahu"), " met Putin"), "list"),
    (("the base operated by ", Deletion(1, "GRU"), " (Russian military intelligence)"), "gloss"),
    (('and would make do with just "', Deletion(1, "technical details"), '."'), "quotation"),
])
def test_cloze_blank_flagged(segments, why):
    found = lint(_set(cloze(*segments)), ["cloze-blank"])
    assert len(found) == 1 and why in found[0][2]


def test_cloze_blank_clean():
    assert flagged("cloze-blank", cloze("a shift to weapons from ", Deletion(1, "Iran"), " and ", Deletion(2, "North Korea"))) == []
    assert flagged("cloze-blank", cloze("the end of the ", Deletion(1, "Second Lebanon War"), ", Israeli officers met")) == []
    assert flagged("cloze-blank", cloze("Putin warned Israel in ", Deletion(1, "2008"), ".")) == []
    assert flagged("cloze-blank", cloze("He met ", Deletion(1, "Shimon Peres"), " at the Olympics.")) == []


def test_answer_in_question():
    assert flagged("answer-in-question", qa("What did the drones, surveillance drones, do?", "Surveillance drones")) == ["q"]
    assert flagged("answer-in-question", cloze("Putin met ", Deletion(1, "Peres"), " in Beijing; Peres was president.")) == ["c"]
    assert flagged("answer-in-question", cloze("Putin met ", Deletion(1, "Peres", "Shimon Peres"), ".")) == ["c"]  # in its hint
    assert flagged("answer-in-question", attribution("Russia did not know.", "Russia", "Israel")) == ["a"]
    assert flagged("answer-in-question", qa("What did Israel sell to Russia?", "Surveillance drones")) == []
    assert flagged("answer-in-question", cloze("Putin met ", Deletion(1, "Peres"), " in Beijing.")) == []


def test_source_kind():
    unnamed = attribution("Israel bombed it.", "Foreign sources", "Some unnamed people", "The author", generated=True)
    assert flagged("source-kind", unnamed) == ["a"]
    written = attribution("Israel bombed it.", "Foreign sources", "Some unnamed people", "The author")
    assert flagged("source-kind", written) == []  # written by the author: their choice
    named = attribution("He is philosemitic.", "Putin's supporters", "Putin's critics", "Some unnamed people", generated=True)
    assert flagged("source-kind", named) == []


def test_shortest_answer():
    padded = ("A consortium of European defense companies", "The Russian state arms exporter")
    assert flagged("shortest-answer", mcq("Who sold the drones?", "Israel", *padded)) == ["m"]
    assert flagged("shortest-answer", mcq("Who sold the drones?", "Israel", "Russia", "The United States")) == []


def test_convergence():
    assert flagged("convergence", mcq("What did Russia buy?", "Drones", "Israeli tanks", "Israeli rifles", "Israeli radar")) == ["m"]
    assert flagged("convergence", mcq("What did Russia buy?", "Israeli drones", "Israeli tanks", "Israeli rifles")) == []
    assert flagged("convergence", mcq("What did Russia buy?", "Drones", "Israeli tanks")) == []  # one wrong choice shares with none


def test_both_letters_and_other_languages_refer_to_the_choices():
    assert flagged("all-none-of-the-above", mcq("Who?", "Both A and B", "Israel", "Russia")) == ["m"]
    assert flagged("all-none-of-the-above", mcq("Qui ?", "Aucune de ces réponses", "Israël", "Russie")) == ["m"]
    assert flagged("all-none-of-the-above", mcq("Who?", "Both Israel and Russia", "Israel", "Russia")) == []


def test_absolute_phrases_in_true_false():
    assert flagged("truefalse-cue", tf("The only thing Israel wanted was quiet.", False)) == ["t"]
    assert flagged("truefalse-cue", tf("No one knew of the base.", False)) == ["t"]
    assert flagged("truefalse-cue", tf("Israel was one of the buyers.")) == []


def test_same_choice_but_for_case_and_punctuation():
    assert flagged("same-choice", mcq("Where?", "Tel Aviv", "Tel Aviv.", "Moscow")) == ["m"]
    assert flagged("same-choice", mcq("Where?", "Tel Aviv", "Moscow.", "Sochi")) == []


def test_overlapping_written_sources():
    assert flagged("overlapping-sources", attribution("Putin is too strong.", "Some unnamed people", "Unnamed supporters", "The author")) == ["a"]
    assert flagged("overlapping-sources", attribution("Jews were safe.", "Israeli officials in the past", "Israeli officials", "Putin")) == ["a"]
    assert flagged("overlapping-sources", attribution("Putin is too strong.", "Some unnamed people", "Putin's critics", "The author")) == []


def test_truefalse_balance_is_one_warning_for_the_set():
    def statement(n, answer):
        return TrueFalse(id=f"t{n}", tests="claim", anchor=None, origin=Origin("q.yaml", n, 5), statement=f"S{n}.",
                         answer=answer, correction=None if answer else "No.")
    assert flagged("truefalse-balance", *(statement(n, n == 0) for n in range(5))) == ["t0"]  # 4 of 5 false
    assert flagged("truefalse-balance", *(statement(n, n < 2) for n in range(5))) == []  # 3 of 5


def test_the_two_false_positives_of_issue_23():
    # the negative is what was promised, not how the question asks
    assert flagged("negative-stem", mcq("What did Putin promise not to supply to Iran?", "The S-300", "Tanks", "Jets")) == []
    # a wrong year offered as a wrong year, though it is the right year of another event
    asked = qa("In which year did Putin warn Israel?", "2008")
    assert flagged("distractor-right-elsewhere", mcq("In which year was the reactor destroyed?", "2007", "2008", "2006"), asked) == []


def test_allow_silences_one_rule_for_one_question():
    long = ("Who?", "The deputy chiefs of staff of both of the militaries", "The ministers", "The generals")
    assert flagged("longest-answer", mcq(*long, allow=["longest-answer"])) == []
    assert flagged("longest-answer", mcq(*long, allow=["lone-shape"])) == ["m"]


def test_a_warning_names_its_rule_guideline_and_place():
    problem = warnings(_set(mcq("Who?", "All of the above", "Russia and Iran", "Israel and Syria")))[0]
    assert str(problem).startswith("q.yaml:4:5: warning: all-none-of-the-above: choice \"All of the above\" refers to the other choices (Haladyna")
    assert str(problem).endswith("add 'allow: [all-none-of-the-above]' if it is meant")


def _content(tmp_path, questions: str, front: str = "") -> Path:
    folder = tmp_path / "questions" / "mini"
    folder.mkdir(parents=True)
    article = (MINI / "article.md").read_text(encoding="utf-8")
    (folder / "article.md").write_text(article.replace("language: en\n", "language: en\n" + front), encoding="utf-8")
    (folder / "q.yaml").write_text(questions, encoding="utf-8")
    return folder


LONG = """questions:
  - id: who-opened
    kind: mcq
    tests: event
    {extra}
    question: Who opened the bridge?
    answer: The mayor of the town, after five years of work
    distractors: [The auditor, Critics]
    passage: The mayor opened the new bridge on Monday
"""


def test_check_warns_and_strict_fails_and_allow_passes(tmp_path, monkeypatch):
    _content(tmp_path, LONG.format(extra="tags: []"))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0
    assert result.stderr.startswith("questions/mini/q.yaml:2:5: warning: longest-answer: the right choice is the longest by far (47 characters, the others 7–11)")
    assert runner.invoke(app, ["check", "--strict"]).exit_code == 1
    (tmp_path / "questions" / "mini" / "q.yaml").write_text(LONG.format(extra="allow: [longest-answer]"), encoding="utf-8")
    result = runner.invoke(app, ["check", "--strict"])
    assert result.exit_code == 0 and result.stderr == ""


def test_an_unknown_rule_in_allow_is_an_error_with_a_hint(tmp_path):
    folder = _content(tmp_path, LONG.format(extra="allow: [longest-answers]"))
    with pytest.raises(ContentError) as e:
        load_article_set(folder)
    assert "unknown lint rule 'longest-answers' in 'allow' (did you mean 'longest-answer'?)" in str(e.value)
    assert ":5:13: error:" in str(e.value)


def test_key_points_are_counted_and_an_unknown_one_is_an_error(tmp_path, monkeypatch):
    front = "key_points:\n  opening: The bridge opened late\n  cost: The bridge cost twice its budget\n"
    _content(tmp_path, LONG.format(extra="key: opening"), front)
    monkeypatch.chdir(tmp_path)
    lines = runner.invoke(app, ["check"]).stdout.splitlines()
    assert "  key points: 1 of 2 tested; not tested: cost" in lines
    assert "    opening: 1 question, 1 with warnings" in lines
    assert "    cost: 0 questions" in lines
    assert "  per paragraph: ¶1 1 · ¶2 0 · ¶3 0 (caption 1 0)" in lines
    shutil.rmtree(tmp_path / "questions")
    folder = _content(tmp_path, LONG.format(extra="key: openin"), front)
    with pytest.raises(ContentError, match="unknown key point 'openin' \\(did you mean 'opening'\\?\\); the article lists opening, cost"):
        load_article_set(folder)


def test_a_key_point_id_of_the_wrong_form_is_told_the_form_key_points_take(tmp_path):
    """Not the message of a template's placeholder names ('letters, digits and _'), which
    'storm_damage' satisfies: a key point id is written like a question's id."""
    folder = _content(tmp_path, LONG.format(extra="key: storm_damage"), "key_points:\n  storm_damage: The storm's damage\n")
    with pytest.raises(ContentError) as e:
        load_article_set(folder)
    message = str(e.value)
    assert "'storm_damage' in 'key_points' must be lowercase letters, digits and single hyphens, like 'storm-damage'" in message
    assert "'key' must name a key point of the article's front matter: lowercase letters, digits and single hyphens" in message
    assert "placeholder" not in message


# a template whose right answer is the longest choice by far in every row
ROWS = """questions:
  - id: who
    kind: mcq
    tests: event
    question: "Who {{{{ did }}}}?"
    answer: "{{{{ who }}}} of the town, after five years of work"
    distractors: [The auditor, Critics]
    key: opening
    allow: [{template_allow}]
    rows:
      - id: opened
        passage: The mayor opened the new bridge on Monday
        values: {{did: opened the bridge, who: The mayor}}
        allow: [{row_allow}]
      - id: insists
        passage: The mayor insists it was built on time.
        values: {{did: insists the bridge was built on time, who: The mayor}}
        key: cost
"""
POINTS = "key_points:\n  opening: The bridge opened late\n  cost: The bridge cost twice its budget\n"


def test_a_rows_allow_silences_that_rows_lint_only(tmp_path, monkeypatch):
    _content(tmp_path, ROWS.format(template_allow="lone-shape", row_allow="longest-answer"), POINTS)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.stderr.splitlines() if ": warning: " in line]
    # the other row is flagged, at its own line
    assert warned == [line for line in warned if line.startswith("questions/mini/q.yaml:15:9: warning: longest-answer: ")]
    assert len(warned) == 1
    allowed = {q.id: q.allow for q in load_article_set(tmp_path / "questions" / "mini").questions}
    assert allowed == {"who-opened": ("lone-shape", "longest-answer"), "who-insists": ("lone-shape",)}


def test_a_rows_allow_adds_to_the_templates(tmp_path, monkeypatch):
    _content(tmp_path, ROWS.format(template_allow="longest-answer", row_allow="lone-shape"), POINTS)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", "--strict"])
    assert result.exit_code == 0 and result.stderr == ""  # the template's allow still holds for both rows


def test_a_rows_key_replaces_the_templates_in_the_key_points_line(tmp_path, monkeypatch):
    _content(tmp_path, ROWS.format(template_allow="lone-shape", row_allow="longest-answer"), POINTS)
    monkeypatch.chdir(tmp_path)
    lines = runner.invoke(app, ["check"]).stdout.splitlines()
    assert "  key points: 2 of 2 tested" in lines
    assert "    opening: 1 question" in lines  # the row without a key of its own takes the template's
    assert "    cost: 1 question, 1 with warnings" in lines


def test_an_unknown_rule_or_key_point_on_a_row_is_reported_at_the_row(tmp_path):
    rows = ROWS.format(template_allow="lone-shape", row_allow="longest-answers").replace("key: cost", "key: cots")
    folder = _content(tmp_path, rows, POINTS)
    with pytest.raises(ContentError) as e:
        load_article_set(folder)
    assert [str(p) for p in e.value.problems] == [
        f"{folder / 'q.yaml'}:14:17: error: unknown lint rule 'longest-answers' in 'allow' (did you mean 'longest-answer'?); "
        "the rules are " + ", ".join((*RULE_NAMES, "when-date", "when-tie", "giveaway")),
        f"{folder / 'q.yaml'}:18:14: error: unknown key point 'cots' (did you mean 'cost'?); the article lists opening, cost",
    ]


# The bundled set: the flaws issue 15 lists, before; none left, after

def by_rule(found) -> dict[str, set[str]]:
    flags: dict[str, set[str]] = {}
    for q, name, _ in lint(found):
        flags.setdefault(name, set()).add(q.id)
    return flags


# the 17 questions issue 15 names as flawed (misleading or weak)
FLAWED = {
    "without-doubt-statement", "russians-no-confrontation", "obama-struggling", "moscow-reaction-to-strikes",
    "some-think-too-powerful", "reactor-foreign-sources", "regard-extends-to-israel", "defense-establishment-doubts",
    "officials-past-jews-safety", "idf-russia-talks-stage", "putin-jewish-representatives-date",
    "caption-danger-moscow-jews-tf", "s300-promise", "gru-agency", "pentagon-technical-details", "assad-promise",
    "where-did-it-happen-putin-childhood",
}


def test_the_lints_flag_the_cue_cases_of_the_old_set_and_few_clean_questions():
    before = load_article_set(BEFORE)
    flags = by_rule(before)
    # the set's statements, 9 of 11 false, flagged once at the first: a flaw of the set, not of the question
    assert flags.pop("truefalse-balance") == {"meeting-no-surprise-tf"}
    assert {"without-doubt-statement", "russians-no-confrontation", "obama-struggling"} <= flags["longest-answer"]
    assert "moscow-reaction-to-strikes" in flags["lone-shape"]
    # "Foreign sources" shown beside "Some unnamed people": the wrong choices drawn from the article's
    # other sources (sorted) put it on iaf-strikes-foreign-sources; drawn in the order of the files,
    # they put it on reactor-foreign-sources (a cue case of the set) instead
    assert flags["source-kind"] == {"iaf-strikes-foreign-sources"}
    assert {"s300-promise", "gru-agency", "pentagon-technical-details"} <= flags["cloze-blank"]
    assert "idf-russia-talks-stage" in flags["truefalse-cue"]
    flagged_ids = set().union(*flags.values())
    clean = {q.id for q in before.questions} - FLAWED
    assert len(clean) == 46
    # a few clean questions flagged, each a real (smaller) cue, fixed in the new set
    assert flagged_ids & clean == {"idf-russia-talks-leaders", "philosemitic-claim", "russia-hezbollah-missiles-promise",
                                   "iaf-strikes-foreign-sources"}


def test_the_bundled_set_has_no_lint_left_but_one_allowed():
    found = load_article_set(BUNDLED)
    assert lint(found) == []
    allowed = {q.id: q.allow for q in found.questions if q.allow}
    assert allowed == {"russia-hezbollah-missiles-promise": ("answer-in-question",)}


def _right_elsewhere_by_pairs(found):
    """distractor-right-elsewhere as first written: every wrong choice against every other answer."""
    from generator.checks.lints.distractor_right_elsewhere import _run, shape

    asked = [q for q in found.questions if isinstance(q, (MultipleChoice, ShortAnswer))]
    flagged = []
    for q in asked:
        if not isinstance(q, MultipleChoice):
            continue
        for d in q.distractors:
            needle = _run(d)
            if needle.strip() == "":
                continue
            other = next((o for o in asked if o is not q and shape(o.question) == shape(q.question) and needle in _run(o.answer)), None)
            if other is not None:
                flagged.append((q.id, d, other.id))
                break
    return flagged


def test_distractor_right_elsewhere_works_once_per_question_not_per_pair(monkeypatch):
    from generator.checks.lints import distractor_right_elsewhere as rule

    stems = ["Who led the {}?", "Where did the {} meet?", "What did the {} sign?", "The {} said so, didn't it?"]
    names = ["Anna Ruiz", "the Defence Ministry", "Tel Aviv", "an accord", "the", "Ruiz", "Ministry of Defence", "..."]
    questions = []
    for i in range(240):
        stem = stems[i % len(stems)].format(f"group {i}")
        answer = names[i % len(names)] + ("" if i % 3 else f" {i}")
        wrong = [names[(i + k) % len(names)] for k in (1, 3)] + [f"{i + 5}"]
        if i % 5 == 0:
            questions.append(qa(stem, answer, qid=f"q{i}"))
        else:
            questions.append(mcq(stem, answer, *wrong, qid=f"q{i}"))
    found = _set(*questions)
    expected = _right_elsewhere_by_pairs(found)
    calls = []
    shape = rule.shape
    monkeypatch.setattr(rule, "shape", lambda text: calls.append(text) or shape(text))
    got = [(q.id, reason) for q, reason in rule.check(found)]
    assert len(got) == len(expected) > 40
    assert [(q, f"wrong choice \"{d}\" is the right answer of '{o}'") for q, d, o in expected] == [
        (q, reason.split(", which")[0]) for q, reason in got
    ]
    assert len(calls) == len(questions)  # one shape per question, not one per pair of questions


# Quicker ways to the same answers (issue 31): the negatives of a text, and overlapping choices.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = ["not", "NOT", "No", "never", "none", "nor", "except", "cannot", "isn't", "don’t", "N'T", "know", "_no", "no_",
           "'not", "not'", "nó", "no\u0301t", "n", "'", "’", " ", ",", ".", "-", "a", "1", "é"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_negatives_are_those_of_every_token(text):
    import re

    from generator.checks.lints.text import NEGATIVES, negatives

    tokens = [m.group() for m in re.finditer(r"[\w’']+", text) if m.group().casefold() in NEGATIVES]
    assert negatives(text) == tokens + [m.group() for m in re.finditer(r"n[’']t\b", text, re.IGNORECASE)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["a", "b", "the", "in", "c d", "B", ".", "a b"]), max_size=4).map(" ".join),
                min_size=2, max_size=5))
def test_overlapping_choices_are_found_as_by_every_pair(texts):
    from generator.checks.lints import overlapping_choices
    from generator.checks.lints.text import content_words, key_run

    found = _set(mcq("Q?", texts[0], *texts[1:]))
    sets, runs = [content_words(t) for t in texts], [key_run(t) for t in texts]
    pair = next(((a, b) for i, a in enumerate(texts) for j, b in enumerate(texts)
                 if i != j and sets[i] and runs[i] != runs[j] and runs[i] in runs[j]), None)
    flagged = [reason for _, reason in overlapping_choices.check(found) if "is contained in" in reason]
    assert flagged == ([f"choice \"{pair[0]}\" is contained in choice \"{pair[1]}\": the two overlap"] if pair else [])
