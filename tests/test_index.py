"""The index pages: every article, linked only to the files the build made for it; keys only for the teacher."""

from __future__ import annotations

from conftest import FIXTURES
from study_helpers import HOSTILE, parse, write_hostile

from generator.outputs import BuildOptions
from generator.outputs.index import IndexBuilder, is_teacher_file, links
from generator.sources.load import load_library

OPTIONS = BuildOptions(timestamp=1_700_000_000)


def index_html(library, names: list[str], teacher: bool = False) -> str:
    from generator.pipeline.build import summarise

    summaries = [summarise(found, 0, tuple(n for n in names if n.startswith(found.article.slug))) for found in library.sets]
    students, teachers = IndexBuilder().finish(summaries, OPTIONS)
    assert (students.name, teachers.name) == ("index.html", "teacher.html")
    return (teachers if teacher else students).data.decode("utf-8")


def hrefs(html: str) -> list[str]:
    return [attrs["href"] for tag, attrs in parse(html).tags if tag == "a"]


def test_links_only_to_outputs_that_exist():
    library = load_library(FIXTURES)
    assert hrefs(index_html(library, ["mini.apkg"])) == ["mini.apkg"]
    every = ["mini.apkg", "mini-key.html", "mini-quiz.html", "mini-study.html", "other-quiz.html"]
    assert hrefs(index_html(library, every)) == ["mini-study.html", "mini-quiz.html", "mini.apkg"]
    assert hrefs(index_html(library, [])) == []
    assert "Nothing was built for this article." in index_html(library, [])


def test_lettered_versions_in_order_and_no_lookalikes():
    names = {"mini-quiz-B.html", "mini-quiz-A.html", "mini-key-A.html", "mini-key-B.html",
             "mini-quiz-x.html", "mini-extra-quiz.html", "mini-quiz.pdf", "minimal-quiz.html"}
    assert [(link.label, link.href) for link in links("mini", names, teacher=True)] == [
        ("Quiz A", "mini-quiz-A.html"), ("Quiz B", "mini-quiz-B.html"),
        ("Answer key A", "mini-key-A.html"), ("Answer key B", "mini-key-B.html"), ("Quiz (PDF)", "mini-quiz.pdf"),
    ]
    assert [link.href for link in links("mini", names)] == ["mini-quiz-A.html", "mini-quiz-B.html"]


def test_keys_only_on_the_teachers_index():
    library = load_library(FIXTURES)
    built = ["mini.apkg", "mini-study.html", "mini-quiz-A.html", "mini-quiz-B.html", "mini-key-A.html",
             "mini-key-B.html", "mini-quiz-key-A.html", "mini-quiz-key-B.html", "mini-quiz-A.pdf",
             "mini-key-A.pdf", "mini-quiz-key-A.pdf", "mini-quiz-B.pdf", "mini-key-B.pdf", "mini-quiz-key-B.pdf"]
    students = hrefs(index_html(library, built))
    assert students == ["mini-study.html", "mini-quiz-A.html", "mini-quiz-B.html", "mini.apkg"]
    assert not any(is_teacher_file(h) for h in students)
    teacher_page = index_html(library, built, teacher=True)
    teachers = hrefs(teacher_page)
    assert set(teachers) == set(built) | {"index.html"}  # every file built, every PDF among them
    assert teachers[:2] == ["index.html", "mini-study.html"]
    assert "for the teacher: do not publish them" in teacher_page
    assert '<meta name="robots" content="noindex, nofollow">' in teacher_page
    assert "noindex" not in index_html(library, built)


def test_teacher_files_are_told_by_name():
    teacher = ["a-key.html", "a-key-B.pdf", "a-quiz-key.html", "a-quiz-key-AB.pdf", "teacher.html",
               "house-keys-quiz-key.html"]
    student = ["index.html", "a-quiz.html", "a-quiz-B.pdf", "a-study.html", "a.apkg", "house-keys-quiz-quiz.html",
               "the-key-study.html", "the-key.apkg", "a-key-x.html"]
    assert [n for n in teacher if not is_teacher_file(n)] == []
    assert [n for n in student if is_teacher_file(n)] == []


def test_lists_title_author_and_count():
    html = index_html(load_library(FIXTURES), ["mini-study.html"])
    assert "<h2 lang=\"en\" dir=\"ltr\">A Small Article</h2>" in html
    assert "Ann Writer</bdi> · 9 questions" in html


def test_the_build_links_what_it_wrote(content):
    from conftest import build_files

    outputs = build_files(content, content / "out")
    names = set(outputs)
    found = hrefs(outputs["index.html"].decode("utf-8"))
    assert "mini-study.html" in found and "mini.apkg" in found
    assert set(found) <= names  # relative names of files in the same folder


def test_hostile_titles_are_text(tmp_path):
    write_hostile(tmp_path / "evil")
    html = index_html(load_library(tmp_path), ["evil-study.html", "evil.apkg"])
    page = parse(html)
    assert {tag for tag, _ in page.tags} <= {"html", "head", "meta", "title", "link", "style", "body", "header",
                                             "h1", "p", "main", "ul", "li", "h2", "bdi", "a", "footer", "script"}
    for _tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on") and "alert(" not in (value or "") and "javascript:" not in (value or "")
    assert hrefs(html) == ["evil-study.html", "evil.apkg"]
    assert f"T {HOSTILE}".replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in html
    # one script: ours (index/due.js), allowed by its hash; no user text ever reaches it
    from generator.outputs.pages import static

    assert [text for _, text in page.scripts] == [static("generator.outputs.index", "due.js")]
    assert "script-src 'sha256-" in html


def test_identical_input_gives_identical_bytes():
    names = ["mini-study.html", "mini.apkg"]
    assert index_html(load_library(FIXTURES), names) == index_html(load_library(FIXTURES), list(reversed(names)))


def test_lettered_files_are_found_as_the_pattern_finds_them():
    import re

    from generator.outputs.quiz import lettered as _lettered

    names = {
        "a-quiz.html", "a-quiz-A.html", "a-quiz-AB.html", "a-quiz-ABC.html", "a-quiz-a.html", "a-quiz-.html",
        "a-quiz-Ä.html", "a-quiz-A.pdf", "a-quizA.html", "a-quiz-key.html", "a-quiz-key-B.html", "a-quiz.html.bak",
        "a.b-quiz-C.html", "a-quiz-1.html", "a-quiz--A.html", "a-quiz-key-A.pdf", "aa-quiz-A.html",
    }
    for slug in ("a", "a.b", "aa"):
        for what in ("quiz", "key", "quiz-key", "sheet"):
            for ext in ("html", "pdf"):
                pattern = re.compile(re.escape(f"{slug}-{what}") + r"(?:-([A-Z]{1,2}))?\." + re.escape(ext))
                found = [(m.group(1) or "", name) for name in names if (m := pattern.fullmatch(name))]
                assert _lettered(slug, what, names, ext) == sorted(found, key=lambda item: (len(item[0]), item[0]))
