"""Papers printed before a rebuild are still marked: a replaced answer sheet's teacher file is kept
under its code in `<out>/sheet-keys/`, and `quizgen mark --key <out>` reads it (outputs/sheet_keys.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

from generator.cli import app

pytest.importorskip("cv2")  # drawing and reading the scans: the mark extra

runner = CliRunner()


def build(content: Path, out: Path, *more: str):
    result = runner.invoke(app, ["build", str(content), "--out", str(out), *more])
    assert result.exit_code == 0, result.output
    return result


def code(out: Path) -> str:
    return json.loads((out / "mini-sheet.json").read_text(encoding="utf-8"))["code"]


def test_papers_printed_before_a_fix_are_marked_after_the_rebuild(tmp_path):
    from test_mark_layout import _scans

    from generator.tools.mark import mark

    content, out = tmp_path / "content", tmp_path / "decks"
    shutil.copytree(FIXTURES / "mini", content / "mini")
    build(content, out, "--answer-sheet")
    printed = code(out)
    before = (out / "mini-sheet.json").read_bytes()
    scans = _scans(json.loads(before), tmp_path / "scans", ("123456", "654321"))
    assert not (out / "sheet-keys").exists()  # nothing replaced yet

    question = content / "mini" / "q.yaml"
    question.write_text(question.read_text(encoding="utf-8").replace(
        "question: When was the bridge opened?", "question: On what day was the bridge opened?"), encoding="utf-8")
    result = build(content, out, "--answer-sheet")
    assert code(out) != printed
    kept = out / "sheet-keys" / f"mini-sheet-{printed}.json"
    assert kept.read_bytes() == before
    assert f"kept {kept} (the teacher file of the answer sheets printed with code {printed}" in result.stdout

    marked = mark([scans], out, jobs=1)
    assert marked.unplaced == 0
    assert sorted((s.number, s.data["code"]) for s in marked.students) == [("123456", printed), ("654321", printed)]

    build(content, out, "--answer-sheet", "--force")  # the same code again: nothing more kept
    assert [p.name for p in (out / "sheet-keys").iterdir()] == [kept.name]
    now = code(out)
    result = build(content, out, "--prune")  # no answer sheet: the current teacher file is pruned, and kept
    assert not (out / "mini-sheet.json").exists()
    assert sorted(p.name for p in (out / "sheet-keys").iterdir()) == sorted([kept.name, f"mini-sheet-{now}.json"])
    assert len(mark([scans], out, jobs=1).students) == 2  # the kept files alone are a key


def test_a_kept_copy_of_a_code_the_folder_has_is_not_a_second_teacher_file(tmp_path):
    from generator.tools.mark.grade import load_keys

    content, out = tmp_path / "content", tmp_path / "decks"
    shutil.copytree(FIXTURES / "mini", content / "mini")
    build(content, out, "--answer-sheet")
    (out / "sheet-keys").mkdir()
    shutil.copyfile(out / "mini-sheet.json", out / "sheet-keys" / f"mini-sheet-{code(out)}.json")
    (key,) = load_keys(out).values()
    assert key[0] == "mini-sheet.json"


def test_serve_never_hands_out_the_kept_teacher_files(tmp_path):
    from generator.tools.serve import Site

    content, out = tmp_path / "content", tmp_path / "decks"
    shutil.copytree(FIXTURES / "mini", content / "mini")
    build(content, out, "--answer-sheet")
    build(content, out, "--prune")  # keeps mini-sheet.json under its code
    (kept,) = (out / "sheet-keys").iterdir()
    for teacher in (False, True):
        site = Site(out, teacher=teacher)
        for path in (f"/sheet-keys/{kept.name}", f"/sheet-keys%2F{kept.name}", "/sheet-keys", "/sheet-keys/"):
            answer = site.answer(path)
            assert answer.status == 404 and kept.read_bytes() not in answer.body, path
