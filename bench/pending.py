"""A rebuild while another program has unwritten data pending (issue 31).

    python bench/pending.py [--megabytes 512] [--dir DIR]

Copies the bundled article into a folder on a disk (not tmpfs: there nothing is ever "unwritten";
default: a temporary folder under /var/tmp), builds it once, then writes MEGABYTES of another
program's data into a file beside it without flushing it (it stays in the page cache, waiting to be
written), edits one question and times, in this process, the rebuild `quizgen serve --watch` makes
(no flush) and the one `quizgen build` makes (its outputs flushed before they are renamed into
place). Before issue 31 a build flushed the whole file system (syncfs), so both waited for the other
program's data. Prints both times; the target is a `serve --watch` rebuild under 0.1 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "israels-hushed-military-ties-with-russia"
OLD = "Who led the de-confliction talks between the Israel Defense Forces"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=512)
    parser.add_argument("--dir", type=Path, default=Path("/var/tmp") if Path("/var/tmp").is_dir() else None)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    from generator.pipeline.build import build

    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        content, out = Path(tmp) / "questions", Path(tmp) / "decks"
        shutil.copytree(ROOT / "questions" / SLUG, content / SLUG)
        question = next(p for p in sorted((content / SLUG).glob("*.yaml")) if OLD in p.read_text(encoding="utf-8"))
        text = question.read_text(encoding="utf-8")
        build(content, out)
        os.sync()  # start from a quiet disk
        figures = {}
        for run, (label, durable) in enumerate((("serve --watch rebuild (no flush)", False), ("build (flushed)", True))):
            with open(Path(tmp) / "other-program.bin", "wb") as other:  # written, never flushed
                block = os.urandom(1 << 20)
                for _ in range(args.megabytes):
                    other.write(block)
            question.write_text(text.replace(OLD, f"{OLD} (run {run})"), encoding="utf-8")
            started, cpu = time.perf_counter(), time.process_time()
            build(content, out, durable=durable)
            figures[label] = (time.perf_counter() - started, time.process_time() - cpu)
            os.sync()
    where = os.statvfs(args.dir or tempfile.gettempdir())
    print(f"rebuild of the bundled article with {args.megabytes} MB of another program's data pending "
          f"(file system block size {where.f_bsize}):")
    for label, (seconds, cpu) in figures.items():
        print(f"  {label}: {seconds:.3f} s (CPU {cpu:.3f} s; the rest is waiting: for the disk, or for a core)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
