"""The bad-input corpus: every case reports exactly its expected lines (see cases_lib.py)."""

from __future__ import annotations

import pytest

from cases_lib import CASES, report

CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case_reports_expected_lines(case, tmp_path):
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert expected, f"{case.name} has no expected lines"
    assert report(case, tmp_path) == expected


def test_every_line_has_the_compiler_form():
    import re

    form = re.compile(r"^[^:]+:\d+:\d+: error: \S")
    for case in CASE_DIRS:
        for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
            assert form.match(line), f"{case.name}: {line}"
