"""yamlsource's quick conversion (a call a list or mapping) gives _Converter's data, or leaves the file
to it: every tag, odd key, limit and alias is found and reported by _Converter alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from generator.sources import yamlsource
from generator.sources.yaml_compose import compose

CASES = [
    "a: 1\nb: [x, y, {c: ~}]\n", "a: 1\na: 2\n", "~: x\n", "<<: x\n", "'<<': x\n", "'': 1\n", "'~': 1\n",
    "a: null\nb: 'null'\nc: ~\nd: Null\ne:\n", "a: !!int 5\n", "a: !!str\n  - 1\n", "a: !custom x\n", "!!map {a: 1}",
    "hello", "? [a]\n: b\n", "- &x a\n- *x\n", "a: " + "x" * 20_001 + "\n", "a: " + "[" * 63 + "x" + "]" * 63,
    "a: " + "[" * 64 + "x" + "]" * 64, "a: " + "[" * 64 + "]" * 64, "[" + ",".join(["a"] * 199_999) + "]",
    "[" + ",".join(["a"] * 200_000) + "]", 'a: "\\x01"\n',
    'a: &x "' + "x" * 19_000 + '"\nb: [' + ", ".join(['{"k":*x}'] * 110) + "]\n",  # an alias no pattern of may_alias sees
]


def _outcome(convert: Callable[[Any, str], Any], text: str) -> Any:
    try:
        return convert(compose(text), text)
    except yamlsource._Fail as f:
        return f.line, f.col, f.message


@pytest.mark.parametrize("text", CASES)
def test_quick_conversion_is_the_converters(text: str) -> None:
    surrogates = "\\" in text
    slow = _outcome(lambda node, _: yamlsource._Converter(0, surrogates=surrogates).convert(node, 0), text)
    assert _outcome(lambda node, t: yamlsource._convert(node, 0, surrogates, t), text) == slow
