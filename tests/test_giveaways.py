"""Giveaways and groups: detection, the warnings `check` prints, and quizzes assembled without them."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from generator.checks.giveaways import giveaways, keep_apart, words
from generator.checks.selection import assemble, draw, full_quiz_left_out, quotas
from generator.cli import app
from generator.model import (
    Article,
    ArticleMeta,
    ArticleSet,
    Attribution,
    Chronology,
    Cloze,
    Deletion,
    Event,
    MultipleChoice,
    Origin,
    ShortAnswer,
    TrueFalse,
)
from generator.outputs.quiz_options import QuizOptions
from generator.shuffle import DEFAULT_SEED
from generator.sources.load import load_article_set

SLUG = "israels-hushed-military-ties-with-russia"
BUNDLED = ROOT / "questions" / SLUG
BEFORE = Path(__file__).parent / "bundled-before-giveaways" / SLUG  # the bundled questions before the fix
# the bundled questions before issue 23 reworded them, and the pairs a reader found in them
BEFORE_MEANING = Path(__file__).parent / "bundled-before-meaning" / SLUG
READER_PAIRS = Path(__file__).parent / "bundled-before-meaning" / "reader-pairs.txt"
runner = CliRunner()


@pytest.fixture(scope="module")
def before():
    return load_article_set(BEFORE)


@pytest.fixture(scope="module")
def before_meaning():
    return load_article_set(BEFORE_MEANING)


def reader_pairs() -> dict[tuple[str, str], str]:
    """The labelled pairs: (giver, taker) -> the pattern a reader named."""
    found = {}
    for line in READER_PAIRS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            giver, taker, pattern = line.split(" ", 2)
            found[giver, taker] = pattern
    return found


@pytest.fixture(scope="module")
def bundled():
    return load_article_set(BUNDLED)


def pairs(found, questions=None) -> set[tuple[str, str]]:
    return {(g.giver.id, g.taker.id) for g in giveaways(found, questions)}


def test_finds_every_giveaway_the_issue_lists_before_the_fix(before):
    found = pairs(before)
    listed = {
        ("georgia-warning-subject", "georgia-warning-year"),  # Q5 prints 2008, Q53 asks it
        ("georgia-warning-meeting-place", "georgia-warning-year"),  # Q36
        ("georgia-contractors-recalled", "georgia-warning-year"),  # Q54
        ("without-doubt-statement", "reactor-year"),  # Q2's choice: reactor ... in 2007; Q57 asks it
        ("reactor-foreign-sources", "reactor-year"),  # Q19
        ("where-did-it-happen-gru-base", "gru-agency"),  # Q49 names the GRU, Q40's blank
        ("chronology", "philosemitic-reasons"),  # Q62 prints classmates and teachers, Q34's blanks
        ("shrapnel-presented", "shrapnel-which-leader"),  # Q38 opens "In a meeting with Olmert", Q8 asks
    }
    assert listed <= found
    by_pair = {(g.giver.id, g.taker.id): g for g in giveaways(before)}
    assert by_pair[("shrapnel-presented", "shrapnel-which-leader")].printed == "Olmert"
    assert by_pair[("where-did-it-happen-gru-base", "gru-agency")].printed == "GRU"


def test_the_chronology_is_given_away_by_its_dates_printed_elsewhere(before):
    found = pairs(before)
    assert ("georgia-warning-subject", "chronology") in found  # "in 2008?"
    assert ("october-7-warship", "chronology") in found  # "on October 7?"
    assert ("where-did-it-happen-sept-21-meeting", "chronology") in found  # "their Sept. 21 meeting"


def test_finds_every_pair_a_reader_found_before_the_rewording(before_meaning):
    """Issue 23: word forms, paraphrase and word order, true/false facts and corrections, chronology
    events, attribution sources and cues, acronyms, elimination: 21 pairs, all found."""
    labelled = reader_pairs()
    assert len(labelled) == 21
    by_pair = {(g.giver.id, g.taker.id): g for g in giveaways(before_meaning)}
    assert set(labelled) - set(by_pair) == set()
    printed = {pair: by_pair[pair].printed for pair in labelled}
    assert printed["s300-air-strike", "s300-promise"] == "Iranian"  # a stem of "Iranians"
    assert printed["where-did-it-happen-gru-base", "gru-agency"] == "GRU"  # the article's acronym
    assert printed["gru-agency", "israel-kept-mum-tf"] == "kept mum"  # a false statement's correction
    assert printed["regard-extends-to-israel", "some-think-too-powerful"] == "think"  # "Some think"
    assert printed["georgia-warning-year", "georgia-warning-subject"] == "attack"  # the one choice an attack
    assert set(printed["jews-in-russia-number", "officials-past-jews-safety"].split()) == {"past", "officials"}
    # the full quiz of the set as it stood left out many more than a well-written set does
    assert len(assemble(before_meaning, QuizOptions()).left_out) >= 15
    # check's full quiz, without QuizOptions: the same questions left out, with the default seed
    assert full_quiz_left_out(before_meaning) == assemble(before_meaning, QuizOptions()).left_out
    assert QuizOptions().seed == DEFAULT_SEED  # one default seed, which check's full quiz uses too


def test_bundled_full_quiz_has_no_giveaway_and_one_question_per_group(bundled):
    quiz = assemble(bundled, QuizOptions())
    assert pairs(bundled, quiz.questions) == set()
    groups = Counter(q.group for q in quiz.questions if q.group)
    assert groups and set(groups.values()) == {1}
    assert len(quiz.questions) + len(quiz.left_out) == len(bundled.questions) == 65
    # one question of each group: the central claim (asked for its content, and attributed to the
    # author) and the Olmert shrapnel; every other pair was reworded (issues 15 and 23)
    assert [q.id for q in quiz.left_out] == ["central-claim-relationship", "shrapnel-which-leader"]
    assert {(g.giver.id, g.taker.id) for g in giveaways(bundled) if g.giver.group is None} == set()


@pytest.mark.parametrize("count", [10, 20])
def test_draws_of_seeds_1_to_50_hold_no_pair(bundled, count):
    for seed in range(1, 51):
        drawn = assemble(bundled, QuizOptions(count=count, seed=str(seed))).questions
        assert len(drawn) == count
        assert pairs(bundled, drawn) == set(), seed
        assert len({q.group for q in drawn if q.group}) == sum(1 for q in drawn if q.group), seed


def _readme_selections() -> list[QuizOptions]:
    """The quiz selection of every `quizgen build` command the README and the docs show (the options that pick questions)."""
    import re
    import shlex

    from docs_pages import all_text

    found = []
    for line in all_text().splitlines():
        if not line.startswith("quizgen build"):
            continue
        args = shlex.split(line.split("#")[0])
        picked: dict = {}
        for flag, value in zip(args, [*args[1:], ""]):
            if flag in ("--questions", "-n"):
                picked["count"] = int(value)
            elif flag == "--seed":
                picked["seed"] = value
            elif flag == "--tests":
                picked["tests"] = value
            elif flag in ("--tag", "--kind"):
                key = "tags" if flag == "--tag" else "kinds"
                picked[key] = (*picked.get(key, ()), value)
        assert not re.search(r"--(questions|seed|tests|tag|kind)\b", " ".join(args)) or picked
        found.append(QuizOptions(**picked))
    return found


def test_every_readme_example_quiz_holds_no_pair(bundled):
    selections = _readme_selections()
    assert QuizOptions(count=10, tests="claim", seed="7") in selections  # the README's draw
    for options in selections:
        quiz = assemble(bundled, options).questions
        assert quiz and pairs(bundled, quiz) == set(), options


def test_twenty_random_draws_of_ten_have_no_giveaway_and_are_balanced(bundled):
    available = Counter(q.kind for q in assemble(bundled, QuizOptions()).questions)
    for seed in range(20):
        options = QuizOptions(count=10, seed=str(seed))
        drawn = assemble(bundled, options).questions
        assert len(drawn) == 10
        assert pairs(bundled, drawn) == set(), seed
        assert len({q.group for q in drawn if q.group}) == sum(1 for q in drawn if q.group)
        kinds = Counter(q.kind for q in drawn)
        for kind, n in available.items():  # each kind within one of its proportional share
            assert abs(kinds[kind] - 10 * n / sum(available.values())) < 1, (seed, kinds)
    assert assemble(bundled, QuizOptions(count=10, seed="3")) == assemble(bundled, QuizOptions(count=10, seed="3"))
    assert assemble(bundled, QuizOptions(count=10, seed="3")) != assemble(bundled, QuizOptions(count=10, seed="4"))


def test_quotas_by_largest_remainder():
    assert quotas(Counter(qa=21, cloze=8, mcq=10, truefalse=11, order=2, attribution=11), 10, "s") == {
        "qa": 3, "cloze": 1, "mcq": 2, "truefalse": 2, "order": 0, "attribution": 2}
    assert quotas(Counter(qa=1, mcq=1), 1, "a") in ({"qa": 1, "mcq": 0}, {"qa": 0, "mcq": 1})
    assert {tuple(sorted(quotas(Counter(qa=1, mcq=1), 1, str(s)).items())) for s in range(20)} == {
        (("mcq", 0), ("qa", 1)), (("mcq", 1), ("qa", 0))}  # the seed breaks ties, both ways
    assert sum(quotas(Counter(qa=3, mcq=3, cloze=3), 7, "x").values()) == 7


def test_asking_for_more_than_available_gives_the_full_quiz_and_says_why(bundled):
    full = assemble(bundled, QuizOptions(count=64))
    assert len(full.questions) == 63 == len(assemble(bundled, QuizOptions()).questions)
    assert full.short is not None and full.short.startswith(
        "the article 'israels-hushed-military-ties-with-russia' has only 63 questions available for a quiz of 64")
    assert len(assemble(bundled, QuizOptions(count=63)).questions) == 63
    assert assemble(bundled, QuizOptions(count=63)).short is None
    order = assemble(bundled, QuizOptions(count=3, kinds=("order",)))
    assert len(order.questions) == 2 and order.short is not None and "has only 2 questions available" in order.short
    assert assemble(bundled, QuizOptions(count=3, tags=("no-such-tag",))).questions == []  # no quiz, no error


def test_keep_apart_is_a_maximum_independent_set():
    # a path a-b-c-d-e: the most is three (a, c, e); a star keeps its leaves
    path = {"a": {"b"}, "b": {"a", "c"}, "c": {"b", "d"}, "d": {"c", "e"}, "e": {"d"}}
    assert keep_apart(list("abcde"), path, "s") == ["a", "c", "e"]
    star = {"hub": {"x", "y", "z"}, "x": {"hub"}, "y": {"hub"}, "z": {"hub"}, "free": set()}
    assert keep_apart(["hub", "x", "y", "z", "free"], star, "s") == ["x", "y", "z", "free"]
    pair = {"p": {"q"}, "q": {"p"}}
    kept = {tuple(keep_apart(["p", "q"], pair, str(s))) for s in range(20)}
    assert kept == {("p",), ("q",)}  # a tie: the seed decides, both ways


# Matching rules, on hand-made questions

def _set(*questions) -> ArticleSet:
    article = Article("a", "a/article.md", ArticleMeta(title="T"), ())
    return ArticleSet(article, tuple(questions))


def _qa(qid, question, answer):
    return ShortAnswer(id=qid, tests="event", anchor=None, origin=Origin("q.yaml", 1, 1), question=question, answer=answer)


def _tf(qid, statement):
    return TrueFalse(id=qid, tests="event", anchor=None, origin=Origin("q.yaml", 2, 1), statement=statement, answer=True)


def _cloze(qid, *segments):
    return Cloze(id=qid, tests="event", anchor=None, origin=Origin("q.yaml", 3, 1), text="", segments=segments)


def test_words_ignore_case_punctuation_and_white_space():
    assert words("the GRU (Russian  military\nintelligence)") == ("the", "gru", "russian", "military", "intelligence")
    assert words("in 2008?") == ("in", "2008")
    assert words("Israel’s S-300") == ("israel", "s", "s", "300")


@pytest.mark.parametrize(("answer", "printed", "found"), [
    ("GRU", "the listening base of the GRU (Russian military intelligence)", True),
    ("2008", "What did Putin warn of in 2008?", True),
    ("Iran", "Russia has supplied the Iranians with air defenses.", False),  # another word
    ("Iran", "Iran's air defenses were upgraded.", True),
    ("In Moscow", "Moscow kept quiet about the strikes.", True),  # small words at the ends dropped
    ("North Korea", "Weapons came from North   Korea.", True),
    ("North Korea", "Weapons came from the north.", False),
    ("Ehud Olmert", "In a meeting with Olmert, officers showed shrapnel.", True),  # a name's last word
    ("Second Lebanon War", "Before the civil war broke out.", False),  # 'war' uncapitalised is no name
    ("the", "The council met at the hall.", False),  # a small word gives nothing away
    ("It", "It was said.", False),
])
def test_matching(answer, printed, found):
    quiz = _set(_qa("asks", "What?", answer), _tf("prints", printed))
    assert (("prints", "asks") in pairs(quiz)) == found


@pytest.mark.parametrize(("language", "answer", "printed", "unrelated"), [
    ("en", "Refurbishing old aircraft", "Most deals were for the refurbishment of old aircraft.", "The aircraft flew."),
    ("fr", "les négociations", "La négociation a échoué.", "Le ministre a parlé."),
    ("es", "las negociaciones", "La negociación fracasó.", "El ministro habló."),
    ("de", "die Verhandlungen", "Die Verhandlung scheiterte.", "Der Minister sprach."),
    ("ru", "переговоры", "Срыв переговоров удивил всех.", "Министр выступил."),
    ("ar", "الحكومة", "قررت للحكومة ذلك.", "تحدث الوزير."),
    ("he", "הסכם", "ההסכמים נחתמו אתמול.", "השר דיבר."),
])
def test_word_forms_in_every_catalogued_language(language, answer, printed, unrelated):
    article = Article("a", "a/article.md", ArticleMeta(title="T", language=language), ())
    quiz = ArticleSet(article, (_qa("asks", "?", answer), _tf("prints", printed), _tf("other", unrelated)))
    assert pairs(quiz) == {("prints", "asks")}


def test_acronyms_the_article_defines_stand_for_their_expansion():
    from generator.model import Block

    blocks = (Block("paragraph", 1, "The base was run by GRU (Russian military intelligence) on the Golan.", 1),
              Block("paragraph", 2, "Talks with the Israel Defense Forces (IDF) ended.", 3))
    article = Article("a", "a/article.md", ArticleMeta(title="T"), blocks)

    def found(*questions):
        return pairs(ArticleSet(article, questions))

    assert found(_qa("asks", "Who ran it?", "Russian military intelligence"), _tf("prints", "The GRU ran a base.")) == {
        ("prints", "asks")}
    assert found(_qa("asks", "Who held talks?", "The IDF"), _tf("prints", "The Israel Defense Forces held talks.")) == {
        ("prints", "asks")}
    # one word of the expansion is not the acronym: "military" alone gives nothing away
    assert found(_qa("asks", "What was monitored?", "Military communications"), _tf("prints", "The GRU ran a base.")) == set()


def test_a_word_most_questions_print_gives_nothing_away():
    many = [_tf(f"t{i}", f"Russia did thing {i}.") for i in range(6)]
    quiz = _set(_qa("asks", "Which country?", "Russia"), *many)
    assert pairs(quiz) == set()


def test_a_name_most_questions_print_is_the_subject_not_a_giveaway():
    many = [_tf(f"t{i}", f"The Interior Ministry did thing {i}.") for i in range(6)]
    assert pairs(_set(_qa("asks", "Who?", "The Interior Ministry"), *many)) == set()
    assert len(pairs(_set(_qa("asks", "Who?", "The Interior Ministry"), *many[:2], _tf("x", "Y."), _tf("z", "W.")))) == 2


def test_a_draw_that_gets_stuck_falls_back_to_a_set_without_conflicts():
    hub, *leaves = [_qa(n, "Q?", n) for n in ("hub", "a", "b", "c")]
    free = [_tf(f"f{i}", "S.") for i in range(3)]
    pool = [hub, *leaves, *free]
    apart = {q.id: set() for q in pool}
    apart["hub"] = {"a", "b", "c"}
    for leaf in "abc":
        apart[leaf] = {"hub"}
    kept = keep_apart([q.id for q in pool], apart, "s")
    assert sorted(kept) == ["a", "b", "c", "f0", "f1", "f2"]
    for seed in range(20):
        chosen = draw(pool, apart, kept, 6, str(seed))
        assert sorted(chosen) == sorted(kept)  # the only six without a conflict, whatever the seed


def test_cloze_blanks_and_hints_and_choices_and_events():
    cloze = _cloze("blank", "Putin had Jewish ", Deletion(1, "classmates"), " and ", Deletion(2, "teachers", "a job"))
    events = Chronology(id="order", tests="event", anchor=None, origin=Origin("q.yaml", 4, 1), question="Order?",
                        events=(Event("He had Jewish classmates and teachers", None, "1960s"),  # type: ignore[arg-type]
                                Event("Warning given", None, "2008")))  # type: ignore[arg-type]
    mcq = MultipleChoice(id="mcq", tests="event", anchor=None, origin=Origin("q.yaml", 5, 1), question="When?",
                         answer="In 2008", distractors=("In 2007",))
    quiz = _set(cloze, events, mcq)
    assert pairs(quiz) == {("order", "blank"), ("mcq", "order")}  # the mcq's choice prints an event's date
    tf = _tf("both", "It happened in 2008, not in 2007.")
    assert ("both", "mcq") not in pairs(_set(mcq, tf))  # the right choice beside a wrong one singles nothing out
    who = Attribution(id="who", tests="claim", anchor=None, origin=Origin("q.yaml", 6, 1), question="Who?",
                      claim="X.", source="The mayor", distractors=("Critics",))
    other = Attribution(id="other", tests="claim", anchor=None, origin=Origin("q.yaml", 7, 1), question="Who?",
                        claim="Y.", source="Critics", distractors=("The mayor",))
    assert pairs(_set(who, other)) == set()  # a source offered as a choice asserts nothing


# What `check` prints

GIVER = """  - id: plan-year-tf
    kind: truefalse
    tests: event
    statement: The council approved the plan in 2021.
    answer: true
    passage: In 2021 the council approved the plan.
"""


def test_check_on_the_frozen_set_warns_at_each_giver_with_the_shared_words(tmp_path):
    import shutil

    shutil.copytree(BEFORE_MEANING, tmp_path / SLUG)
    result = runner.invoke(app, ["check", str(tmp_path), "--verbose"])  # every warning, not five a rule
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "gives away" in line]
    assert len(lines) == 24  # 27 pairs, 3 of them within a declared group
    assert any(line.startswith(f"{tmp_path / SLUG / 'claims.yaml'}:") and "gives away question 's300-promise'" in line
               and 'prints "Iranian" (from "Iranians"), its blank c2' in line for line in lines)
    assert any("gives away question 'israel-kept-mum-tf'" in line and 'prints "kept mum" (from "In both cases Israel '
               'kept mum"), the correction of its false statement' in line for line in lines)


def test_check_warns_at_the_giving_question_and_exits_0(content):
    with (content / "mini" / "q.yaml").open("a", encoding="utf-8") as f:
        f.write(GIVER)
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "mini/q.yaml:54:5: warning: gives away question 'chronology' (mini/q.yaml:27): prints \"2021\", "
        "the date of its event 1; a quiz leaves one of the two out (reword one, or give both the same 'group')",
        "mini/q.yaml:54:5: warning: gives away question 'year-plan' (mini/q.yaml:52): prints \"2021\", "
        "its answer; a quiz leaves one of the two out (reword one, or give both the same 'group')",
    ]
    assert result.stdout.splitlines()[-2:] == [
        "  full quiz: leaves out 1 of 10 (giveaways, groups): plan-year-tf",
        "1 article, 10 questions: no problems, 2 warnings",
    ]
    strict = runner.invoke(app, ["check", ".", "--strict"])
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[-1] == "quizgen: error: 2 warnings, and --strict makes warnings fail"
    assert runner.invoke(app, ["check", ".", "--strict"]).stdout == result.stdout


def test_strict_passes_without_warnings_and_groups_silence_a_pair(content):
    assert runner.invoke(app, ["check", ".", "--strict"]).exit_code == 0
    q = content / "mini" / "q.yaml"
    text = q.read_text(encoding="utf-8")
    text = text.replace("year: 2021}}", "year: 2021}, group: plan}")  # a template's row in a group
    q.write_text(text + GIVER.replace("    answer: true\n", "    answer: true\n    group: plan\n"), encoding="utf-8")
    result = runner.invoke(app, ["check", ".", "--strict"])
    assert result.exit_code == 1
    assert [line.split(": warning: ")[1].split(" (")[0] for line in result.stderr.splitlines()[:-1]] == [
        "gives away question 'chronology'"]  # the pair within the group is not warned about


def test_allow_giveaway_silences_the_pair_and_lets_both_share_a_quiz(content):
    with (content / "mini" / "q.yaml").open("a", encoding="utf-8") as f:
        f.write(GIVER.replace("    answer: true\n", "    answer: true\n    allow: [giveaway]\n"))
    result = runner.invoke(app, ["check", ".", "--strict"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "1 article, 10 questions: no problems"
    found = load_article_set(content / "mini")
    assert len(giveaways(found)) == 2  # still found, but allowed
    assert [q.id for q in assemble(found, QuizOptions()).left_out] == []


def test_errors_and_warnings_are_counted_apart(content):
    with (content / "mini" / "q.yaml").open("a", encoding="utf-8") as f:
        f.write(GIVER)
    (content / "broken").mkdir()
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "1 problem and 2 warnings found."


def test_build_says_how_many_were_left_out_and_warns_of_too_many(content):
    with (content / "mini" / "q.yaml").open("a", encoding="utf-8") as f:
        f.write(GIVER)
    result = runner.invoke(app, ["build", ".", "--out", "out", "--only", "quiz"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "built 2 outputs of 1 article, skipped 0 unchanged articles, into out; left 1 question out of the quiz "
        "so that none gives another away (quizgen check lists them)")
    shutil.rmtree(content / "out")  # not an article folder of "."
    too_many = runner.invoke(app, ["build", ".", "--out", str(content.parent / "out2"), "--questions", "10"])
    assert too_many.exit_code == 0, too_many.output
    assert too_many.stderr.startswith("quizgen: warning: --questions: the article 'mini' has only 9 questions available "
                                      "for a quiz of 10")
    assert (content.parent / "out2" / "mini-quiz.html").exists()


# Working once per text or per question instead of once per pair (issue 18): the same results.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_words_of_ascii_text_skip_nfkc_with_the_same_result(text):
    import re
    import unicodedata

    from generator.checks.giveaways.text import _QUOTES

    full = tuple(re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()))
    assert words(text) == full


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"aZ9_ .,'-\"", *"\u00a0\u00ab\u00bb\u2009\u202f\u2010\u2011\u2013\u2014\u2015\u2018\u2019"
                                          "\u201c\u201d\u201e\u2026\u2032\u2033", "é", "e\u0301", "\u0301", "ß", "\ufb01", "\u2017",
                                          "\u05d0", "\u00ad"]), max_size=30).map("".join))
def test_words_of_text_with_dashes_and_curly_quotes_are_those_of_nfkc(text):
    import re
    import unicodedata

    from generator.checks.giveaways.text import _QUOTES

    full = tuple(re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()))
    assert words(text) == full


def test_a_large_conflicted_part_is_kept_apart_greedily_and_independent():
    ids = [f"q{i}" for i in range(120)]
    apart = {q: {ids[(i + 1) % 120], ids[(i - 1) % 120], ids[(i + 7) % 120], ids[(i - 7) % 120]} for i, q in enumerate(ids)}
    kept = keep_apart(ids, apart, "seed")
    assert len(kept) >= 120 // 5
    assert all(not (apart[a] & set(kept)) for a in kept)
    assert kept == keep_apart(ids, apart, "seed")


def test_pairs_are_kept_per_article_while_it_lives_and_go_with_it():
    import gc

    from generator.checks.giveaways import find as module

    sets = [_set() for _ in range(3)]
    for found in sets:
        assert giveaways(found) is giveaways(found)  # found once, then kept
    assert all(id(found) in module._CACHE for found in sets)
    gone = id(sets[1])
    del sets[1], found
    gc.collect()
    assert gone not in module._CACHE  # dropped when its article went, without a scan of the others
    assert all(id(found) in module._CACHE for found in sets)


def test_the_greedy_choice_is_the_fewest_conflicts_first_lowest_rank_on_a_tie():
    """The heap keeps exactly what counting every question's conflicts at every step kept."""
    import random

    from generator.checks.giveaways.apart import _greedy

    def reference(part, apart, rank):
        left, kept = set(part), set()
        while left:
            q = min(left, key=lambda x: (len(apart[x] & left), rank[x]))
            kept.add(q)
            left -= apart[q] | {q}
        return kept

    r = random.Random(7)
    for trial in range(300):
        n = r.randint(1, 60)
        ids = [f"q{i}" for i in range(n)]
        apart = {q: set() for q in ids}
        for _ in range(r.randint(0, 3 * n)):
            a, b = r.sample(ids, 2) if n > 1 else (ids[0], ids[0])
            if a != b:
                apart[a].add(b)
                if trial % 5:  # mostly both ways, as conflicts() makes them; sometimes one way, or outside
                    apart[b].add(a)
        if trial % 7 == 0:
            apart[ids[0]].add("elsewhere")
        part = r.sample(ids, r.randint(1, n))
        rank = {q: i for i, q in enumerate(r.sample(ids, n))}
        assert _greedy(part, apart, rank) == reference(part, apart, rank)


def test_a_giveaway_warning_shows_the_characters_that_do_not_show():
    """A soft hyphen or a zero-width space in the printed words or the answer is spelt out, as the
    anchoring messages spell it (unicode_forms.visible): two quotes that look alike never differ unseen."""
    from generator.checks.giveaways import warnings

    quiz = _set(_qa("asks", "What sank?", "A pi\u00adlot boat"), _tf("prints", "The pi\u00adlot\u200bboat will be raised."))
    (problem,), _ = warnings(quiz)
    assert problem.message == (
        "gives away question 'asks' (q.yaml:1): prints \"pi<U+00AD>lot<U+200B>boat\" (from \"A pi<U+00AD>lot boat\"), "
        "its answer; a quiz leaves one of the two out (reword one, or give both the same 'group')")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([".", "!", "?", "؟", "。", '"', "'", "”", "’", "»", ")", " ", "\n", "a", "B", "1"]), max_size=20).map("".join))
def test_sentence_ends_are_those_after_a_mark(text):
    import re

    from generator.checks.giveaways.text import _SENTENCE_END

    after_mark = re.compile(r"(?<=[.!?؟。])[\"'”’»)]*\s+")  # as first written: the ends of the text after each mark
    assert [m.end() for m in _SENTENCE_END.finditer(text)] == [m.end() for m in after_mark.finditer(text)]
