"""Writing outputs safely: each to a temporary file in the same folder, then renamed into place.

A build that fails or is interrupted leaves every earlier output as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from generator.builders import Output


def check_names(outputs: list[Output]) -> None:
    """Every output goes directly inside the output folder, and no two outputs share a name."""
    seen: set[str] = set()
    for output in outputs:
        name = output.name
        if not name or name in (".", "..") or "/" in name or "\\" in name or name.startswith("."):
            raise ValueError(f"output name {name!r} would leave the output folder")
        if name in seen:
            raise ValueError(f"two outputs are both named {name!r}")
        seen.add(name)


def write_outputs(folder: Path, outputs: list[Output]) -> list[Path]:
    """Write every output into `folder` atomically; returns the paths written."""
    check_names(outputs)
    folder.mkdir(parents=True, exist_ok=True)
    umask = os.umask(0)
    os.umask(umask)
    written = []
    for output in outputs:
        target = folder / output.name
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{output.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(output.data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(target)
    return written
