"""The floor under `quizgen check` of a library: reading its YAML with positions, and nothing else.

    python bench/yaml_floor.py CONTENT_DIR

Composes every question file of every article with libyaml's C parser and quizgen's own resolver
(`yaml.compose` with `CSafeLoader` whose `resolve` reads every untagged scalar as text and which
follows no node's path for path resolvers, as generator/sources/yamlsource.py does: the node tree with each value's line and column, which quizgen needs
to report `path:line:col` and which a plain `safe_load` throws away), then stops. The resolver is
copied here rather than imported, so the floor does not pay for importing quizgen (issue 31: the
stock SafeLoader's resolvers, which quizgen does not run, made this floor 0.38x where quizgen's own
reading costs 0.30x). bench/run.py times this script beside `check` so its ratio against the
minimal genanki script can be read against this floor.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

_STR, _SEQ, _MAP = ("tag:yaml.org,2002:" + t for t in ("str", "seq", "map"))


def _plain_resolve(self: object, kind: type, value: str, implicit: object) -> str:
    """generator/sources/yamlsource.py's resolver: every untagged scalar is text, no pattern runs on it."""
    return _STR if kind is yaml.ScalarNode else _SEQ if kind is yaml.SequenceNode else _MAP


def _no_path(self: object, parent: object = None, index: object = None) -> None:
    """generator/sources/yamlsource.py's: no path resolver, so no node's path is followed."""


Loader = type("Loader", (getattr(yaml, "CSafeLoader", yaml.SafeLoader),),
              {"resolve": _plain_resolve, "descend_resolver": _no_path, "ascend_resolver": _no_path})


def main(content: Path) -> int:
    nodes = 0
    for article in sorted(p for p in content.iterdir() if p.is_dir()):
        for path in sorted(article.glob("*.yaml")):
            if path.name == "anki.lock":
                continue
            node = yaml.compose(path.read_text(encoding="utf-8"), Loader=Loader)
            nodes += node is not None
    print(f"composed {nodes} question files")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
