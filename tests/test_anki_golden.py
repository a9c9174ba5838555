"""Packages stay content-identical to the ones quizgen built before its Anki writer was made fast.

tests/golden/*-anki.json are dumps (tests/anki_dump.py) of packages built by quizgen at 7957e5e,
which wrote them through genanki's own write path: the notes, cards, note types (fields,
templates, CSS, ids, stamps), decks, GUIDs, tags and fields as the official `anki` backend reads
them back, and every row of the SQL collection; and the anki.lock each build wrote. Regenerate them only when a change is meant to
change the decks: `python tests/anki_dump.py --write-goldens` (see the README's contributor notes).
"""

from __future__ import annotations

import difflib

import pytest

pytest.importorskip("anki", reason="the `anki` package is in the test extras: pip install -e '.[test]'")

import anki_dump  # noqa: E402
import genanki  # noqa: E402


def _differences(got: dict, want: dict) -> str:
    a, b = anki_dump.to_text(want).splitlines(), anki_dump.to_text(got).splitlines()
    return "\n".join(list(difflib.unified_diff(a, b, "golden", "built now", n=2, lineterm=""))[:60])


@pytest.mark.parametrize("scenario", sorted(anki_dump.SCENARIOS))
def test_packages_hold_what_the_golden_dump_holds(scenario, tmp_path):
    got, want = anki_dump.scenario(scenario, tmp_path), anki_dump.golden(scenario)
    assert got == want, (
        f"the {scenario} package differs from {anki_dump.golden_path(scenario).name}:\n{_differences(got, want)}"
    )
    # genanki's write path warned about fields that look like unescaped HTML; quizgen's writer leaves
    # that check to the tests
    for note in got["backend"]["notes"]:
        for name, value in note["fields"].items():
            assert genanki.Note._find_invalid_html_tags_in_field(value) == [], (note["guid"], name, value)


def test_the_golden_comparison_sees_one_changed_field(tmp_path, monkeypatch):
    import generator.outputs.anki as anki_builder

    real = anki_builder.note_fields

    def one_more_space(found, q, *args):
        fields = real(found, q, *args)
        if q.id == found.questions[0].id:
            fields["Explanation"] += " "
        return fields

    monkeypatch.setattr(anki_builder, "note_fields", one_more_space)
    got, want = anki_dump.scenario("bundled", tmp_path), anki_dump.golden("bundled")
    assert got != want
    changed = [(n, w) for n, w in zip(got["backend"]["notes"], want["backend"]["notes"]) if n != w]
    assert len(changed) == 1
    note, before = changed[0]
    assert note["fields"]["Explanation"] == before["fields"]["Explanation"] + " "
    assert note["mod"] > before["mod"]  # a changed note gets a newer stamp


def test_without_sqlite_serialize_the_package_is_the_same(tmp_path, monkeypatch):
    # Python 3.10 has no Connection.serialize: the collection goes through a temporary file instead
    import generator.outputs.anki.package as package

    monkeypatch.setattr(package, "SERIALIZE", False)
    assert anki_dump.scenario("bundled", tmp_path) == anki_dump.golden("bundled")
