"""quizgen new: an article folder from saved news pages of several shapes, a URL, a text file, nothing."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.cli import app
from generator.commands import output as cli
from generator.sources.load import load_article_set
from generator.sources.read_article import read_article

pytest.importorskip("trafilatura", reason="quizgen new --from a page needs the new extra (pip install -e '.[test]')")

PAGES = Path(__file__).resolve().parent / "pages"
runner = CliRunner()
USAGE = getattr(cli, "EXIT_USAGE", cli.EXIT_CONTENT)  # the status of a mistake in the command
CHROME = ("Share", "Tweet", "Sign up", "newsletter", "Subscribe", "Related stories", "Swimming pool",
          "Comments", "reader42", "About time", "Copyright", "rights reserved", "Home", "Log in", "Privacy",
          "Terms", "Topics", "By Priya", "ראשי", "כל הזכויות")


def new(tmp_path, slug: str, source: str | None):
    args = ["new", slug, "--content", str(tmp_path / "questions")]
    if source is not None:
        args += ["--from", source]
    return runner.invoke(app, args)


def made(tmp_path, slug: str, page: str):
    result = new(tmp_path, slug, str(PAGES / page))
    assert result.exit_code == 0, result.output
    folder = tmp_path / "questions" / slug
    article = read_article((folder / "article.md").read_bytes(), "article.md", slug)
    text = (folder / "article.md").read_text(encoding="utf-8")
    return result, folder, article, text


def front_matter(text: str) -> dict[str, str]:
    """The keys actually set (not commented) in the front matter."""
    block = text.split("---\n")[1]
    return {m[1]: m[2] for m in re.finditer(r"^([a-z]+): (.*)$", block, flags=re.M)}


def assert_checks(folder):
    """The new folder passes quizgen check: it loads, with no question yet."""
    found = load_article_set(folder)
    assert found.questions == ()


def assert_no_chrome(text: str):
    body = text.split("---\n", 2)[2]
    for chrome in CHROME:
        assert chrome not in body, chrome


def test_article_with_figures_keeps_its_captions_in_place(tmp_path):
    result, folder, article, text = made(tmp_path, "harbour", "figures.html")
    assert article.meta.title == "Harbour reopens after storm"
    assert [(b.kind, b.text[:30]) for b in article.blocks] == [
        ("caption", "Fishing boats return to the ha"),
        ("paragraph", "The harbour of Westport reopen"),
        ("paragraph", "Harbour master Ellen Marsh sai"),
        ("caption", "A crane lifts the pilot boat f"),
        ("paragraph", "The pilot boat was lifted from"),
        ("paragraph", "Fishermen had lost three days "),
    ]
    assert article.blocks[0].text == "Fishing boats return to the harbour on Monday morning. Credit: Jane Roe"
    # the footer's "© 2024" is no publication date, and the page names no author
    assert front_matter(text) == {
        "title": "Harbour reopens after storm", "publication": "The Coastal Times",
        "url": "https://coastal.example/news/harbour-reopens", "language": "en-GB",
    }
    assert "# date: " in text and "# author: " in text
    assert_no_chrome(text)
    assert "4 paragraphs, 2 captions" in result.stdout
    assert "not on the page (left as comments): author, date" in result.stdout
    assert_checks(folder)


def test_wordpress_captions_sharing_related_posts_and_comments(tmp_path):
    _, folder, article, text = made(tmp_path, "halle", "wordpress.html")
    assert article.meta.title == "Le marché couvert rouvre ses portes"
    assert [b.kind for b in article.blocks] == ["paragraph", "caption", "paragraph", "paragraph"]
    assert article.blocks[1].text == "La nouvelle halle, vue depuis la place de la Mairie."
    assert article.blocks[2].text.startswith("Les travaux ont coûté près de quatre millions d’euros")
    assert front_matter(text) == {"title": "Le marché couvert rouvre ses portes", "publication": "La Gazette du Val",
                                  "language": "fr"}
    body = text.split("---\n", 2)[2]
    for chrome in ("Partager", "Facebook", "Articles similaires", "piscine", "Enfin", "commentaire", "WordPress", "Accueil"):
        assert chrome not in body, chrome
    assert_checks(folder)


def test_a_text_box_whose_class_mentions_captions_stays_text(tmp_path):
    page = tmp_path / "page.html"
    paragraphs = "".join(f"<p>Paragraph {n} of the article says something about the town and its river, at length.</p>"
                         for n in range(1, 5))
    page.write_text(f'<html lang="en"><head><title>A title</title></head><body><article><h1>A title</h1>'
                    f'<div class="body with-captions">{paragraphs}</div></article></body></html>', encoding="utf-8")
    result = new(tmp_path, "boxed", str(page))
    assert result.exit_code == 0, result.output
    article = read_article((tmp_path / "questions" / "boxed" / "article.md").read_bytes(), "article.md", "boxed")
    assert [b.kind for b in article.blocks] == ["paragraph"] * 4


def test_page_with_comments_and_related_links_gives_the_article_alone(tmp_path):
    _, folder, article, text = made(tmp_path, "library", "comments.html")
    assert article.meta.title == "Library keeps its doors open on Sundays"
    assert [b.text.split()[:3] for b in article.blocks] == [
        ["The", "town", "council"], ["The", "library", "had"], ["Councillor", "Amir", "Haddad,"], ["The", "money", "will"],
    ]
    assert all(b.kind == "paragraph" for b in article.blocks)
    assert front_matter(text) == {"title": "Library keeps its doors open on Sundays", "publication": "Riverside Herald",
                                  "language": "en"}
    assert_no_chrome(text)
    assert_checks(folder)


def test_byline_and_date_come_from_the_pages_metadata(tmp_path):
    _, folder, article, text = made(tmp_path, "wind-farm", "metadata.html")
    meta = article.meta
    assert (meta.title, meta.author, meta.publication, meta.date, meta.url, meta.language) == (
        "Wind farm approved off the northern coast", "Priya Natarajan", "Energy Weekly", "2024-03-14",
        "https://energy.example.org/2024/wind-farm-approved", "en-US",
    )
    assert len(article.paragraphs) == 4
    assert article.paragraphs[0].text.startswith("The government approved on Thursday")
    assert_no_chrome(text)  # the visible byline is metadata, not a paragraph
    assert_checks(folder)


def test_non_english_page_takes_its_language_from_the_lang_attribute(tmp_path):
    _, folder, article, text = made(tmp_path, "night-train", "hebrew.html")
    assert article.meta.title == "הרכבת הקלה תפעל גם בלילה"
    assert article.meta.language == "he" and article.meta.rtl
    assert [b.kind for b in article.blocks] == ["paragraph", "caption", "paragraph", "paragraph"]
    assert article.blocks[1].text == "רכבת בתחנה המרכזית בשעות הערב"
    assert front_matter(text) == {"title": "הרכבת הקלה תפעל גם בלילה", "language": "he"}
    assert_no_chrome(text)
    assert_checks(folder)


def test_a_page_without_lang_gets_no_language_guessed(tmp_path):
    _, folder, article, text = made(tmp_path, "new-bridge", "russian-no-lang.html")
    assert article.meta.title == "В городе открылся новый мост"
    assert len(article.paragraphs) == 3
    assert "language" not in front_matter(text)
    assert "\n# language: " in text


def test_bare_text_file(tmp_path):
    result, folder, article, text = made(tmp_path, "trees", "bare.txt")
    assert article.meta.title == "Volunteers plant a thousand trees along the river"
    assert [p.text.split()[0] for p in article.paragraphs] == ["More", "The", "Organisers"]
    assert front_matter(text) == {"title": "Volunteers plant a thousand trees along the river"}
    assert_checks(folder)


def test_text_with_one_paragraph_per_line_and_no_title(tmp_path):
    page = tmp_path / "pasted.txt"
    page.write_text("The first paragraph of a pasted article.\nThe second one.\nThe third one.\n", encoding="utf-8")
    result = new(tmp_path, "pasted", str(page))
    assert result.exit_code == 0, result.output
    assert "no title found" in result.stdout
    text = (tmp_path / "questions" / "pasted" / "article.md").read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    assert [b.strip() for b in body.split("\n\n") if b.strip()] == [
        "The first paragraph of a pasted article.", "The second one.", "The third one."]
    check = runner.invoke(app, ["check", str(tmp_path / "questions")])
    assert check.exit_code == 1
    assert check.stderr.endswith("pasted/article.md:2:8: error: 'title' must not be empty\n1 problem found.\n")


def test_skeleton_without_from_fails_check_with_the_documented_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "my-article"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("wrote questions/my-article/article.md\nwrote questions/my-article/questions.yaml\n")
    check = runner.invoke(app, ["check"])
    assert check.exit_code == 1
    assert check.stderr == ("questions/my-article/article.md:2:8: error: 'title' must not be empty\n"
                            "questions/my-article/article.md:10:1: error: article has no text after its front matter\n"
                            "2 problems found.\n")


def test_never_overwrites_and_validates_the_slug(tmp_path):
    folder = tmp_path / "questions" / "taken"
    folder.mkdir(parents=True)
    (folder / "article.md").write_text("mine", encoding="utf-8")
    result = new(tmp_path, "taken", str(PAGES / "bare.txt"))
    assert result.exit_code == USAGE
    assert result.stderr.startswith("quizgen: error: ") and "already exists; quizgen new never overwrites" in result.stderr
    assert (folder / "article.md").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in folder.iterdir()) == ["article.md"]
    for bad in ("Bad", "two--hyphens", "trailing-", "a_b"):
        result = new(tmp_path, bad, None)
        assert result.exit_code == USAGE and "is not a valid slug" in result.stderr, bad
        assert not (tmp_path / "questions" / bad).exists()
    long = "harbour-" * 29 + "banks"  # 237 bytes: '<slug>-sheet-A-named.html' would be 256 (tests/cases/slug-too-long)
    result = new(tmp_path, long, str(PAGES / "bare.txt"))
    assert result.exit_code == USAGE and result.stderr == (
        "quizgen: error: slug 'harbour-harbour-harbour-harbour-harbour-…' is 237 bytes long: build writes files named "
        "after it with up to 19 bytes more ('<slug>-sheet-A-named.html'), and a file name has at most 255 bytes; "
        "shorten it to at most 236 bytes\n")
    assert not (tmp_path / "questions" / long).exists()
    assert new(tmp_path, long[:-1], str(PAGES / "bare.txt")).exit_code == 0
    result = new(tmp_path, "missing", str(tmp_path / "nope.html"))
    assert result.exit_code == USAGE and "no such file" in result.stderr
    assert not (tmp_path / "questions" / "missing").exists()


def test_starter_examples_are_every_kind_and_valid_once_uncommented(tmp_path):
    _, folder, _, _ = made(tmp_path, "harbour", "figures.html")
    starter = (folder / "questions.yaml").read_text(encoding="utf-8")
    assert_checks(folder)  # as written: comments only
    uncommented = re.sub(r"^#(  .*)$", r"\1", starter, flags=re.M).replace("questions: []", "questions:")
    (folder / "questions.yaml").write_text(uncommented, encoding="utf-8")
    with pytest.raises(Exception) as caught:
        load_article_set(folder)
    problems = caught.value.problems  # type: ignore[attr-defined]
    kinds = re.findall(r"^\s+kind: (\w+)", uncommented, flags=re.M)
    assert kinds == ["qa", "cloze", "mcq", "truefalse", "order", "attribution"]
    # the shapes are right: what is left is to quote the article
    assert problems and all("not found in the article" in p.message for p in problems), problems


def test_url_is_fetched_and_kept_as_the_articles_address(tmp_path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(PAGES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/comments.html"
        result = new(tmp_path, "library", url)
        missing = new(tmp_path, "gone", url.replace("comments", "gone"))
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    text = (tmp_path / "questions" / "library" / "article.md").read_text(encoding="utf-8")
    assert front_matter(text)["url"] == url  # the page names no address of its own
    assert missing.exit_code == 74
    assert missing.stderr == f"quizgen: error: cannot fetch {url.replace('comments', 'gone')}: the server answered 404 File not found\n"


def test_failed_fetch_is_one_line_and_exit_74(tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/article"
    result = new(tmp_path, "offline", url)
    assert result.exit_code == 74
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"quizgen: error: cannot fetch {url}: ")
    assert "save the page from a browser and use --from FILE" in result.stderr
    assert not (tmp_path / "questions" / "offline").exists()


ZEALAND = ("New Zealand’s government said on Monday that the café on the harbour would reopen. "
           "The harbour master’s office confirmed the date and the cost of the works.")


def _page(body: str, head: str = "") -> str:
    return (f'<html lang="en"><head>{head}<title>New Zealand’s harbour café</title></head><body><article>'
            f'<h1>New Zealand’s harbour café</h1>' + "".join(f"<p>{body} ({n})</p>" for n in range(1, 5))
            + "</article></body></html>")


def _comments(text: str) -> list[str]:
    return [line for line in text.split("---\n")[1].splitlines() if line.startswith("# decoding:")]


@pytest.mark.parametrize(("name", "data", "note"), [
    # the page declares UTF-8 well before its text: read as such, never as Latin-1
    ("meta-utf8", _page(ZEALAND, '<meta charset="utf-8">').encode("utf-8"), "decoding: utf-8, as the page says utf-8"),
    # windows-1252 bytes and no declaration at all: the detector decides
    ("undeclared-1252", _page(ZEALAND * 3).encode("cp1252"), "detected by charset-normalizer (no charset declared)"),
    # a Latin-1 label on UTF-8 bytes: the label is wrong
    ("wrong-label", _page(ZEALAND, '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">').encode("utf-8"),
     "decoding: utf-8 (the page says iso-8859-1, yet the bytes are valid UTF-8)"),
    # the page was saved already double-encoded: ftfy repairs it, last
    ("double-encoded", _page(ZEALAND.encode("utf-8").decode("cp1252"), '<meta charset="utf-8">').encode("utf-8"),
     "decoding: ftfy repaired mojibake in"),
    ("bom", b"\xef\xbb\xbf" + _page(ZEALAND).encode("utf-8"), "decoding: utf-8, from the byte order mark"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 20 else "")
def test_text_is_decoded_right_and_the_front_matter_says_how(tmp_path, name, data, note):
    page = tmp_path / f"{name}.html"
    page.write_bytes(data)
    _, folder, article, text = made(tmp_path, name, str(page))
    assert article.meta.title == "New Zealand’s harbour café"
    assert article.paragraphs[0].text == f"{ZEALAND * (3 if name == 'undeclared-1252' else 1)} (1)"
    body = text.split("---\n", 2)[2]
    assert "â" not in body and "Ã" not in body and "Ã" not in front_matter(text)["title"]
    assert any(note in line for line in _comments(text)), _comments(text)
    assert_checks(folder)


def test_the_servers_charset_counts_and_a_disagreement_goes_to_the_detector():
    from generator.tools import page_decode

    data = _page(ZEALAND * 3, '<meta charset="utf-8">').encode("cp1252")
    decoded = page_decode.decode(data, "windows-1252")
    assert "New Zealand’s" in decoded.text
    assert decoded.notes == ["decoding: cp1252, chosen by charset-normalizer (the server says windows-1252; "
                             "the page says utf-8: they disagree)"]
    declared = page_decode.decode(_page(ZEALAND * 3, '<meta charset="utf-8">').encode("cp1252"))
    assert "New Zealand’s" in declared.text
    assert declared.notes[0].endswith("detected by charset-normalizer (the page says utf-8, which does not read the bytes)")
    agreed = page_decode.decode(_page(ZEALAND).encode("cp1252"), "windows-1252")
    assert agreed.notes == ["decoding: cp1252, as the server says windows-1252"]
