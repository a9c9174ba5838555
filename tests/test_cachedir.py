"""The cache folder: compiled templates kept between runs (Jinja's own bytecode cache) change no output."""

from __future__ import annotations

import os
import stat

import pytest
from conftest import FIXTURES

from generator import memo
from generator.outputs import BuildOptions
from generator.outputs import pages as pages_module
from generator.outputs.quiz import QuizBuilder
from generator.outputs.quiz_options import QuizOptions
from generator.outputs.study import StudyBuilder
from generator.pipeline import cachedir
from generator.sources.load import load_article_set


def _forget() -> None:
    """What the process keeps in memory, so that the next build reads (or fills) the cache folder."""
    memo.clear()


@pytest.fixture
def forget():
    _forget()
    yield
    _forget()


def _outputs(found, language: str | None = None) -> dict[str, bytes]:
    options = BuildOptions(timestamp=0, settings=(QuizOptions(versions=2, answer_sheet=True, append_key=True),),
                           ui_language=language)
    outputs = [*QuizBuilder().build(found, options), *StudyBuilder().build(found, options)]
    return {o.name: o.data for o in outputs}


@pytest.mark.parametrize("language", [None, "de"])
def test_a_cold_a_warm_and_no_cache_give_the_same_bytes(tmp_path, monkeypatch, forget, language):
    found = load_article_set(FIXTURES / "mini")
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", cachedir.OFF)
    expected = _outputs(found, language)
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path / "cache"))
    _forget()
    assert _outputs(found, language) == expected  # cold: fills the folder
    kinds = {p.name for p in (tmp_path / "cache").iterdir() if p.name != cachedir.SECRET}
    assert kinds == {"templates"}  # the catalogues are compiled when the package is built, not here
    assert os.listdir(tmp_path / "cache" / "templates")
    _forget()
    assert _outputs(found, language) == expected  # warm: read back


def test_off_writes_nothing(tmp_path, monkeypatch, forget):
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", cachedir.OFF)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    _outputs(load_article_set(FIXTURES / "mini"), "fr")
    assert list(tmp_path.iterdir()) == []


def test_the_folder_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv("QUIZGEN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cachedir.folder() == tmp_path / "quizgen"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # the XDG spec: a relative path is ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cachedir.folder() == tmp_path / "home" / ".cache" / "quizgen"


def test_damaged_entries_are_computed_again(tmp_path, monkeypatch, forget):
    found = load_article_set(FIXTURES / "mini")
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path))
    expected = _outputs(found, "he")
    damaged = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(damaged) >= 3
    for p in damaged:
        p.write_bytes(p.read_bytes()[:7])  # cut short, as by a full disk
    _forget()
    assert _outputs(found, "he") == expected


def test_an_unwritable_folder_only_costs_time(tmp_path, monkeypatch, forget):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    found = load_article_set(FIXTURES / "mini")
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", cachedir.OFF)
    expected = _outputs(found)
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(blocker / "cache"))
    _forget()
    assert _outputs(found) == expected


def test_a_template_entry_is_keyed_by_its_source_and_the_options(tmp_path, monkeypatch):
    import jinja2

    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path))
    cache = pages_module.bytecode_cache()
    assert cache is not None
    env = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ 1 + 1 }}"}), bytecode_cache=cache)
    assert env.get_template("t").render() == "2"
    entries = os.listdir(tmp_path / "templates")
    assert len(entries) == 1 and entries[0].startswith(pages_module.SETTINGS[:16])  # the options name the entry
    edited = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ 2 + 2 }}"}), bytecode_cache=cache)
    assert edited.get_template("t").render() == "4"  # same name and file, new source: not the stale entry


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_template_folder_another_user_could_write_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path))
    assert pages_module.bytecode_cache() is not None
    assert stat.S_IMODE(os.stat(tmp_path / "templates").st_mode) == 0o700
    os.chmod(tmp_path, 0o777)
    assert pages_module.bytecode_cache() is None


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_the_cache_is_private_even_with_umask_000_and_a_planted_entry_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path / "cache"))
    old = os.umask(0)
    try:
        cachedir.write("templates", "entry", b"compiled")
    finally:
        os.umask(old)
    root = tmp_path / "cache"
    assert stat.S_IMODE(root.stat().st_mode) == 0o700 and stat.S_IMODE((root / "templates").stat().st_mode) == 0o700
    assert stat.S_IMODE((root / cachedir.SECRET).stat().st_mode) == 0o600
    assert cachedir.read("templates", "entry") == b"compiled"
    (root / "templates" / "planted").write_bytes(b"\0" * 32 + b"import os; os.system('evil')")
    assert cachedir.read("templates", "planted") is None
    signed = (root / "templates" / "entry").read_bytes()
    (root / "templates" / "entry").write_bytes(signed[:-1] + b"X")  # altered
    assert cachedir.read("templates", "entry") is None
    os.chmod(root / "templates", 0o777)  # a folder others may write into: nothing in it is trusted
    (root / "templates" / "entry").write_bytes(signed)
    assert cachedir.read("templates", "entry") is None
