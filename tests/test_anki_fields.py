"""Field values: escaping, cloze syntax that cannot break, tags, deck names."""

from __future__ import annotations

from generator.model import Cloze, Deletion, Origin
from generator.outputs.anki import deck_name, tags
from generator.outputs.anki.fields import cloze_text, text


def cloze(*segments) -> Cloze:
    return Cloze(id="c", tests="event", anchor=None, origin=Origin("q.yaml", 1, 1), text="", segments=segments)


def test_text_is_escaped_and_cannot_be_read_as_template_syntax():
    assert text('<b onclick="x">{{Answer}}</b>\nnext') == (
        "&lt;b onclick=&quot;x&quot;&gt;{<!-- -->{Answer}<!-- -->}&lt;/b&gt;<br>next")
    assert text(None) == ""


def test_cloze_keeps_numbers_and_hints():
    assert cloze_text(cloze("In ", Deletion(1, "2008"), " at the ", Deletion(2, "Beijing Olympics", "an event"), ".")) == (
        "In {{c1::2008}} at the {{c2::Beijing Olympics::an event}}.")


def test_cloze_answer_cannot_end_its_deletion_early():
    out = cloze_text(cloze(Deletion(3, "a}}b::c", "x}}y::z:"), " {{c9::no}} ", Deletion(1, "ends:")))
    assert out == (
        "{{c3::a}<!-- -->}b:<!-- -->:c::x}<!-- -->}y:<!-- -->:z:<!-- -->}} "
        "{<!-- -->{c9::no}<!-- -->} {{c1::ends:<!-- -->}}"
    )


def test_tags_spaces_become_hyphens(mini_library):
    (found,) = mini_library.sets
    assert tags(found, "qa", "event", ("middle east", "2008", "qa")) == [
        "quizgen::mini", "quizgen::kind::qa", "quizgen::tests::event", "middle-east", "2008", "qa"]


def test_deck_name_keeps_title_in_one_deck(mini_library):
    (found,) = mini_library.sets
    assert deck_name(found, None) == "Articles::A Small Article"
    assert deck_name(found, "Course") == "Course::A Small Article"


def test_colons_in_a_title_never_make_subdecks_or_blank_decks(mini_library):
    from dataclasses import replace

    (found,) = mini_library.sets
    def named(title):
        return deck_name(replace(found, article=replace(found.article, meta=replace(found.article.meta, title=title))), None)
    assert named("Peace::: a plan") == "Articles::Peace: a plan"
    assert named("::::") == "Articles::Untitled"
    assert named("War :: and :::: peace") == "Articles::War : and : peace"


def test_a_note_s_cards_are_the_ones_genanki_gives_it(mini_library):
    """package.cards works out the note type's part of genanki's rule once: the same cards as `Note.cards`."""
    import genanki

    from generator.outputs.anki import plan
    from generator.outputs.anki.notetypes import FIELDS, NOTE_TYPES, model
    from generator.outputs.anki.package import cards

    (found,) = mini_library.sets
    texts = ["", "x", "{{c1::a}}", "{{c2::a}} {{c1::b::h}} {{c2::c}}", "{{c0::a}} {{c12::b}}", "{{c3::}} {{c4::a\nb}}",
             "{{c1:a}}", "<b>{{c5::<i>x</i>}}</b>"]
    rows = [[f"{i}" if i % k == 0 else "" for i in range(len(FIELDS))] for k in (1, 2, 3, 5, 7, len(FIELDS) + 1)]
    rows += [[t if i == FIELDS.index(name) else "" for i in range(len(FIELDS))] for t in texts for name in FIELDS]
    rows += [[p.fields.get(f, "") for f in FIELDS] for p in plan(found, 1)]
    for t in NOTE_TYPES.values():
        for fields in rows:
            note = genanki.Note(model=model(t), fields=fields)
            assert cards(note) == {c.ord for c in genanki.Note(model=model(t), fields=fields).cards}, fields


def test_text_returns_as_they_are_only_texts_with_nothing_to_change():
    """`text`'s quick answer (none of _SPECIAL's characters, sought one by one) is what escaping them gives."""
    import html

    from generator.kinds.anki_text import _BREAK, _SPECIAL, text

    def escaped(value: str) -> str:  # text without its quick answer
        out = html.escape(value).replace("\n", "<br>")
        return out.replace("{{", "{" + _BREAK + "{").replace("}}", "}" + _BREAK + "}")

    samples = ["plain", "“curly” — dash", "日本語", "", "a\tb\rc", "x}y", "{x", "a\nb", "&amp;", "<b>", "5 > 3", 'say "hi"',
               "it's", "{{c1::x}}", "}}", "é\u0301", "\x00\x7f\u2028"]
    for s in samples + [a + b for a in samples for b in samples]:
        assert text(s) == escaped(s), s
        if _SPECIAL.search(s) is None:
            assert text(s) is s, s
