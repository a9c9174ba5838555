"""What a `when` must look like (generator/checks/date_words.py), and how validate.py applies it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.checks.date_words import WORDS, looks_like_date
from generator.errors import ContentError
from generator.sources.load import load_article_set

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.mark.parametrize(("when", "language"), [
    ("2021", "en"), ("Sept. 21", "en"), ("١٩٤٨", "ar"), ("۱۴۰۲", "ar"), ("१९४८", "en"),
    ("the following spring", "en"), ("last week", "en"), ("Monday", "en"), ("in recent years", "en"),
    ("back in his childhood", "en"), ("a few months after the end of the war", "en"), ("YESTERDAY", "en"),
    ("au printemps", "fr"), ("la semaine dernière", "fr"), ("en février", "fr"), ("aujourd'hui", "fr"),
    ("el lunes pasado", "es"), ("ayer por la tarde", "es"), ("el fin de semana", "es"),
    ("im Frühjahr", "de"), ("vor zwei Jahren", "de"), ("am Montagabend", "de"), ("letzte Woche", "de"),
    ("в прошлом году", "ru"), ("весной", "ru"), ("в понедельник", "ru"), ("в январе", "ru"), ("вчера", "ru"),
    ("בינואר", "he"), ("ביום שני", "he"), ("אתמול", "he"), ("בקיץ שעבר", "he"), ("ה' באייר", "he"), ("לפני שנה", "he"),
    ("يوم الاثنين", "ar"), ("أمس", "ar"), ("في رمضان", "ar"), ("الأسبوع الماضي", "ar"), ("وفي الصيف", "ar"),
    ("בחורף", "he-IL"),  # a tag with a region uses its language's list
    # Chinese and Japanese have no spaces between words: an entry is found anywhere in the `when`
    ("周一", "zh"), ("上周一晚上", "zh"), ("星期天", "zh"), ("礼拜五", "zh"), ("三月", "zh"), ("一九八七年", "zh"),
    ("去年春天", "zh"), ("昨天下午", "zh"), ("下周", "zh"), ("週一", "zh-TW"), ("禮拜天", "zh-Hant"),
    ("月曜日", "ja"), ("先週の金曜日", "ja"), ("昨日", "ja"), ("今朝", "ja"), ("三月", "ja"), ("来年の春", "ja"),
])
def test_dates_and_times_pass(when, language):
    assert looks_like_date(when, language)


@pytest.mark.parametrize(("when", "language"), [
    ("the", "en"), ("he", "en"), ("the council", "en"), ("Jane Roe", "en"), ("", "en"), ("  ", "en"),
    ("le conseil", "fr"), ("el puente", "es"), ("der Rat", "de"), ("мост", "ru"),
    ("הגשר", "he"), ("המבקרת", "he"), ("الجسر", "ar"), ("أحد", "ar"),
    ("an", "en"),  # French for "year", but not a date in an English article
    ("港口", "zh"), ("引航船", "zh"), ("周恩来", "zh"), ("日本", "zh"), ("市议会", "zh"),
    ("港", "ja"), ("日本", "ja"), ("名前", "ja"), ("自分", "ja"), ("議会", "ja"),
    ("周一", "en"),  # a Chinese weekday, but not a date in an English article
])
def test_words_that_are_no_date_fail(when, language):
    assert not looks_like_date(when, language)


def test_a_language_without_a_list_is_checked_against_every_list():
    assert looks_like_date("primavera", "it") and looks_like_date("Monday", "pt")
    assert not looks_like_date("il ponte", "it")


def test_every_language_of_the_project_has_its_list():
    assert set(WORDS) == {"en", "fr", "es", "de", "ru", "he", "ar", "zh", "ja"}
    for months, weekdays, relative in WORDS.values():
        assert len(months) >= 12 and len(weekdays) >= 7 and relative
        for entry in (*months, *weekdays, *relative):  # one word each: a text is compared word by word
            assert re.fullmatch(r"\w+\*?", entry), entry


def _article_with(tmp_path: Path, when: str, allow: str = "") -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder, dirs_exist_ok=True)
    (folder / "q.yaml").write_text(
        "questions:\n  - id: opened-when\n    kind: qa\n    tests: event\n    question: When was the bridge opened?\n"
        "    answer: Monday, 3 March 2025\n    passage: The mayor opened the new bridge on Monday, 3 March 2025\n"
        f"    when: {when}\n" + (f"    allow: [{allow}]\n" if allow else ""),
        encoding="utf-8",
    )
    return folder


def test_allow_when_date_accepts_a_when_that_looks_like_no_date(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = load_article_set(_article_with(tmp_path, "the new bridge", "when-date"))
    assert found.questions[0].when == "the new bridge"


def test_allow_does_not_excuse_a_when_the_block_does_not_give(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ContentError) as e:
        load_article_set(_article_with(tmp_path, "the old bridge", "when-date"))
    assert [p.message for p in e.value.problems] == [
        "'when' \"the old bridge\" does not appear as a whole word or number in ¶1, where the passage is; "
        "give the date as that block does"
    ]


def test_a_time_word_passes_and_is_still_looked_for_in_the_block(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_article_set(_article_with(tmp_path, "Monday")).questions[0].when == "Monday"
    with pytest.raises(ContentError) as e:
        load_article_set(_article_with(tmp_path, "Tuesday"))
    assert "does not appear as a whole word" in e.value.problems[0].message


def test_a_chinese_or_japanese_weekday_passes_where_the_article_has_it(tmp_path, monkeypatch):
    """`when: 周一` (`月曜日`) is a date as `when: Monday` is, and is still looked for in the passage's block."""
    monkeypatch.chdir(tmp_path)
    articles = {
        "zh": ("西港港口于周一重新开放，此前三天，一场风暴击沉了一艘引航船。", "西港港口于周一重新开放", "周一", "港口",
               '"一月", "周一", "昨天"'),
        "ja": ("ウェストポートの港は月曜日に再開した。三日前の嵐で水先船が沈んだ。", "港は月曜日に再開した", "月曜日", "港",
               '"一月", "月曜日", "昨日"'),
    }
    for language, (text, passage, when, place, examples) in articles.items():
        folder = tmp_path / language
        folder.mkdir()
        (folder / "article.md").write_text(f"---\ntitle: 港\nlanguage: {language}\n---\n\n{text}\n", encoding="utf-8")
        question = f"questions:\n  - id: opened\n    kind: qa\n    tests: event\n    question: ？\n    answer: {when}\n    passage: {passage}\n"
        (folder / "q.yaml").write_text(question + f"    when: {when}\n", encoding="utf-8")
        assert load_article_set(folder).questions[0].when == when
        (folder / "q.yaml").write_text(question + f"    when: {place}\n", encoding="utf-8")
        with pytest.raises(ContentError) as e:
            load_article_set(folder)
        assert [p.message for p in e.value.problems] == [
            f"'when' \"{place}\" does not look like a date or a time: it has no digit and no month, weekday or time word "
            f"(such as {examples}); "
            "give the date as the article does, or add 'allow: [when-date]' to the question if it is meant"
        ]
