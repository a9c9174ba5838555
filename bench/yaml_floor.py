"""The floor under `quizgen check` of a library: reading its YAML with positions, and nothing else.

    python bench/yaml_floor.py CONTENT_DIR

Composes every question file of every article with libyaml's C parser (`yaml.compose` with
`CSafeLoader`: the node tree with each value's line and column, which quizgen needs to report
`path:line:col` and which a plain `safe_load` throws away), then stops. quizgen reads its YAML this
way; bench/run.py times this script beside `check` so its ratio against the minimal genanki script
can be read against this floor.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
