"""An output plug-in from another distribution (tests/plugins/toyout), installed with pip and found
through its `quizgen.builders` entry point: it is linked from the index pages, listed by --only, built
with --only and --pdf --only, skipped when unchanged and pruned, with no edit to quizgen."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
from conftest import FIXTURES

from generator.outputs import Builder, BuilderError, Option, Output, register

TOY = Path(__file__).parent / "plugins" / "toyout"


@pytest.fixture(scope="module")
def toy_env(tmp_path_factory):
    """The environment of a `quizgen` whose Python finds the toy plug-in as an installed distribution:
    its package and the `.dist-info` an installer writes from its pyproject.toml (name, version, entry
    points), on PYTHONPATH, so that importlib.metadata discovers its `quizgen.builders` entry point.
    (Not `pip install`: with this setuptools it needs the `wheel` package, and took 18 s on a busy machine.)"""
    site = tmp_path_factory.mktemp("toy-site")
    project = tomllib.loads((TOY / "pyproject.toml").read_text("utf-8"))["project"]
    shutil.copytree(TOY / "quizgen_toyout", site / "quizgen_toyout")
    info = site / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n", "utf-8")
    (info / "entry_points.txt").write_text("".join(
        f"[{group}]\n" + "".join(f"{name} = {value}\n" for name, value in points.items())
        for group, points in project["entry-points"].items()), "utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])),
           "QUIZGEN_CACHE_DIR": str(site.parent / "toy-cache"), "SOURCE_DATE_EPOCH": "1700000000"}
    return env


@pytest.fixture
def library(tmp_path):
    for slug in ("alpha", "beta"):
        shutil.copytree(FIXTURES / "mini", tmp_path / "content" / slug)
    article = tmp_path / "content" / "beta" / "article.md"  # a title of its own: one deck an article
    article.write_text(article.read_text(encoding="utf-8").replace("title: A Small Article", "title: Another Small Article"),
                       encoding="utf-8")
    return tmp_path


def quizgen(env, cwd, *args: str, status: int = 0) -> list[str]:
    done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == status, done.stdout + done.stderr
    return (done.stdout + done.stderr).splitlines()


def entries(out: Path) -> dict:
    return json.loads((out / ".quizgen-manifest.json").read_text("utf-8"))["entries"]


def test_the_toy_output_is_linked_built_again_only_when_changed_and_pruned(toy_env, library):
    out = library / "out"
    quizgen(toy_env, library, "build", "content", "--out", "out")
    assert (out / "alpha-toy.html").is_file() and (out / "beta-toy-answers.txt").read_text().startswith("opened-when\tqa\n")
    index, teacher = (out / "index.html").read_text("utf-8"), (out / "teacher.html").read_text("utf-8")
    assert 'href="alpha-toy.html"' in index and "alpha-toy-answers.txt" not in index  # the teacher's file stays off
    assert 'href="alpha-toy.html"' in teacher and 'href="alpha-toy-answers.txt"' in teacher
    assert entries(out)["alpha:toy"]["outputs"] == ["alpha-toy.html", "alpha-toy-answers.txt"]
    # unchanged: nothing built, the manifest (keyed by the plug-in's name too) kept
    assert quizgen(toy_env, library, "build", "content", "--out", "out")[-1] == \
        "built 0 outputs of 0 articles, skipped 2 unchanged articles, into out"
    # --only the plug-in: its files alone
    lines = quizgen(toy_env, library, "build", "content", "--out", "out", "--only", "toy", "--force")
    assert sorted(line for line in lines if line.startswith("wrote")) == sorted(
        f"wrote out/{slug}-toy{end}" for slug in ("alpha", "beta") for end in (".html", "-answers.txt"))
    # an article gone: its toy files are stale, then pruned with the others
    shutil.rmtree(library / "content" / "beta")
    lines = quizgen(toy_env, library, "build", "content", "--out", "out", "--prune")
    assert "removed: out/beta-toy.html (its article is gone)" in lines
    assert "removed: out/beta-toy-answers.txt (its article is gone)" in lines
    assert not (out / "beta-toy.html").exists() and (out / "alpha-toy.html").is_file()


def test_only_and_the_plug_in_option_are_in_builds_help(toy_env, library):
    help_text = " ".join(" ".join(quizgen(toy_env, library, "build", "--help")).split())
    only = help_text[help_text.index("--only"):]
    assert "Build only these outputs (repeatable): anki, quiz, study, index, toy, or an export: moodle, gift, qti, " \
        "flashcards." in only
    assert "--toy-heading <str> The toy page's heading (default: the article's title)." in help_text
    assert "--install-completion" not in help_text
    assert quizgen(toy_env, library, "build", "content", "--only", "nope", status=2)[-1].endswith(
        "the outputs are anki, quiz, study, index, moodle, gift, qti, flashcards, toy")


def test_a_printable_plug_in_page_is_printed_with_pdf_only(toy_env, library):
    from generator.outputs.pdf import find_chromium

    if find_chromium() is None:
        if os.environ.get("QUIZGEN_REQUIRE_BROWSER"):
            pytest.fail("browser tests are required here (QUIZGEN_REQUIRE_BROWSER is set): no Chromium")
        pytest.skip("no Chromium on the PATH (Debian: apt-get install chromium)")
    shutil.rmtree(library / "content" / "beta")
    quizgen(toy_env, library, "build", "content", "--out", "out", "--pdf", "--only", "toy")
    assert (library / "out" / "alpha-toy.pdf").read_bytes().startswith(b"%PDF")
    assert entries(library / "out")["alpha:toy"]["outputs"] == ["alpha-toy.html", "alpha-toy-answers.txt", "alpha-toy.pdf"]


@pytest.mark.parametrize(("attributes", "message"), [
    ({"name": "Toy"}, "its name 'Toy' must be lowercase letters"),
    ({"name": "stale"}, "and not 'stale'"),
    ({"name": "quiz"}, "the name 'quiz' is already the builder generator.outputs.quiz.QuizBuilder's"),
    ({"name": "toy", "outputs": ("toy.html",)}, "its output pattern 'toy.html' must be '{slug}-...'"),
    ({"name": "toy", "outputs": ("{slug}-toy/x.html",)}, "its output pattern '{slug}-toy/x.html'"),
    ({"name": "toy", "cli_options": (Option("--toy-x", "x"),)}, "its option --toy-x has no field 'toy_x' in its Options"),
    ({"name": "toy", "cli_options": (Option("-x", "x"),)}, "its option '-x' must be an Option whose flag is '--'"),
])
def test_a_builder_breaking_the_contract_is_refused_at_registration(attributes, message):
    from generator.outputs import all_builders

    all_builders()
    with pytest.raises(BuilderError, match="cannot be registered") as refused:
        register(type("Bad", (Builder,), {"format": "bad", **attributes}))
    assert message in str(refused.value)


def test_an_output_not_named_as_declared_is_refused():
    from generator.outputs import check_outputs

    class Loose(Builder):
        name = "loose"
        format = "x"
        outputs = ("{slug}-loose.html",)

    check_outputs(Loose, "mini", [Output("mini-loose.html", b""), Output("mini-loose.pdf", b"")])
    with pytest.raises(BuilderError, match="'loose' wrote 'index2.html', which none of its output patterns"):
        check_outputs(Loose, "mini", [Output("index2.html", b"")])


def test_the_plug_in_option_comes_from_the_command_line_or_quizgen_toml(toy_env, library):
    out = library / "out"
    quizgen(toy_env, library, "build", "content", "--out", "out", "--only", "toy", "--toy-heading", "Given <here>")
    assert "<h1>Given &lt;here&gt;</h1>" in (out / "alpha-toy.html").read_text("utf-8")
    (library / "quizgen.toml").write_text('toy-heading = "From the file"\n', "utf-8")
    lines = quizgen(toy_env, library, "build", "content", "--out", "out", "--only", "toy", "--verbose")
    assert "<h1>From the file</h1>" in (out / "alpha-toy.html").read_text("utf-8")  # a changed option rebuilds
    assert "  toy-heading = 'From the file' (quizgen.toml:1)" in lines
    (library / "quizgen.toml").write_text("toy-heading = 3\n", "utf-8")
    assert quizgen(toy_env, library, "build", "content", status=1)[0] == \
        "quizgen.toml:1:15: error: toy-heading must be a string, not a number"


SERVE = """
import sys
from pathlib import Path
from generator.tools.serve import Site
site = Site(Path(sys.argv[1]))
print(" ".join(site.served()))
for name in sys.argv[2:]:
    print(name, int(site.answer("/" + name).status), int(Site(Path(sys.argv[1]), teacher=True).answer("/" + name).status))
"""


def test_quizgen_serve_gives_students_the_plug_ins_page_and_not_its_answers(toy_env, library):
    """What `quizgen serve` gives students comes from the builders (`for_students`, `is_teacher_file`):
    the toy page without --teacher, its answers only with it."""
    shutil.rmtree(library / "content" / "beta")
    quizgen(toy_env, library, "build", "content", "--out", "out")
    done = subprocess.run([sys.executable, "-c", SERVE, str(library / "out"), "alpha-toy.html", "alpha-toy-answers.txt",
                           "alpha-key.html", "alpha-study.html"], env=toy_env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    served, *answers = done.stdout.splitlines()
    assert "alpha-toy.html" in served.split() and "alpha-study.html" in served.split()
    assert "alpha-toy-answers.txt" not in served.split() and "alpha-key.html" not in served.split()
    assert answers == ["alpha-toy.html 200 200", "alpha-toy-answers.txt 403 200", "alpha-key.html 403 200",
                       "alpha-study.html 200 200"]
