"""The catalogues are compiled when the package is built (setup.py, generator/catalogues.py), and read
at run time with the standard gettext module: no Babel in a build."""

from __future__ import annotations

import shutil

from conftest import FIXTURES
from test_startup import imported

from generator import catalogues, i18n


def test_the_compiled_catalogues_are_those_of_the_po_files_and_the_script():
    """A checkout's compiled files match its .po files and study.js (else: python -m generator.catalogues)."""
    stale = [path.relative_to(catalogues.PACKAGE).as_posix() for path, data in catalogues.compiled().items()
             if not path.is_file() or path.read_bytes() != data]
    assert stale == [], "run: python -m generator.catalogues"


def test_every_shipped_catalogue_is_read(tmp_path):
    assert set(i18n.languages()) == {"en", *(p.parent.parent.name for p in catalogues.LOCALES.glob("*/LC_MESSAGES/*.po"))}
    assert i18n.gettext_for("de")("title") != "title"
    assert i18n.script_messages("de", "ltr")["lang"] == "de"


def test_compile_all_writes_only_what_changed(tmp_path):
    locales = tmp_path / "locales"
    shutil.copytree(catalogues.LOCALES, locales, ignore=shutil.ignore_patterns("*.mo", "*.json"))
    written = catalogues.compile_all(locales)
    assert {p.name for p in written} == {"quizgen.mo", catalogues.SCRIPT_FILE}
    assert len(written) == 2 * len(list(locales.glob("*/LC_MESSAGES/*.po"))) + 1  # English: the script's only
    assert catalogues.compile_all(locales) == []


def test_a_build_in_another_language_imports_no_babel(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content / "mini")
    modules = imported(tmp_path, "build", str(content), "-o", str(tmp_path / "out"), "--ui-language", "de")
    assert "generator.outputs.study" in modules and "gettext" in modules  # it did build, in German
    assert not [m for m in modules if m == "babel" or m.startswith("babel.")]
