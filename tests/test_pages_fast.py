"""The pages' quicker paths through Jinja (generator/outputs/pages.py: its own code generator, context
calls and macro calls, over Jinja 3.1's internals) change no byte of any page: every output of the
quiz (versions, answer sheet, key appended), the study page and the index, in English and in a
right-to-left language, rendered both ways."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, ROOT

from generator import memo
from generator.outputs import BuildOptions
from generator.outputs import pages as pages_module
from generator.outputs.index import IndexBuilder
from generator.outputs.quiz import QuizBuilder
from generator.outputs.quiz_options import QuizOptions
from generator.outputs.study import StudyBuilder
from generator.pipeline import cachedir
from generator.pipeline.build import summarise
from generator.sources.load import load_article_set

BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"


def _outputs(found, language: str | None) -> dict[str, bytes]:
    memo.clear()  # the environments (and their compiled templates) made anew
    quiz = BuildOptions(timestamp=0, settings=(QuizOptions(versions=2, answer_sheet=True, append_key=True),),
                        ui_language=language)
    plain = BuildOptions(timestamp=0, ui_language=language)
    outputs = [*QuizBuilder().build(found, quiz), *QuizBuilder().build(found, plain), *StudyBuilder().build(found, plain)]
    summary = summarise(found, 0.0, tuple(o.name for o in outputs))
    outputs += IndexBuilder().finish([summary], plain)
    return {o.name + str(i): o.data for i, o in enumerate(outputs)}


@pytest.mark.parametrize(("folder", "language"), [(BUNDLED, None), (FIXTURES / "mini", "he"), (BUNDLED, "de")])
def test_the_quick_paths_write_what_jinja_writes(monkeypatch, folder, language):
    if not pages_module.FAST_PATHS:
        pytest.skip(f"Jinja {pages_module.jinja2.__version__}: the quick paths are off, Jinja's own code renders")
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", cachedir.OFF)
    found = load_article_set(folder)
    quick = _outputs(found, language)
    monkeypatch.setattr(pages_module, "FAST_PATHS", False)
    plain = _outputs(found, language)
    memo.clear()
    assert len(quick) > 5 and quick.keys() == plain.keys()
    assert [name for name in quick if quick[name] != plain[name]] == []
