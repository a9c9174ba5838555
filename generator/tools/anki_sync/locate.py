"""Where Anki desktop keeps a profile's collection, as Anki itself decides it.

Anki's base folder is the `ANKI_BASE` environment variable when set, else `%APPDATA%\\Anki2` on
Windows, `~/Library/Application Support/Anki2` on macOS and `$XDG_DATA_HOME/Anki2` (default
`~/.local/share/Anki2`) elsewhere; each profile is a folder in it holding `collection.anki2`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from generator.errors import UsageError

COLLECTION_FILE = "collection.anki2"
_NOT_PROFILES = {"addons21", "logs"}


def anki_base(env: Mapping[str, str] | None = None, platform: str | None = None, home: Path | None = None) -> Path:
    """Anki's base folder on this system (the parameters are for tests)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    home = Path.home() if home is None else home
    if env.get("ANKI_BASE"):
        return Path(env["ANKI_BASE"])
    if platform.startswith("win"):
        return Path(env.get("APPDATA") or home / "AppData" / "Roaming") / "Anki2"
    if platform == "darwin":
        return home / "Library" / "Application Support" / "Anki2"
    return Path(env.get("XDG_DATA_HOME") or home / ".local" / "share") / "Anki2"


def profiles(base: Path) -> list[str]:
    """The profile names in a base folder: its folders that hold a collection."""
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if p.name not in _NOT_PROFILES and (p / COLLECTION_FILE).is_file())


def find_collection(collection: Path | None, profile: str | None, base: Path | None = None) -> Path:
    """The collection file from `--collection` or `--profile` (or the only profile); raises UsageError."""
    if collection is not None and profile is not None:
        raise UsageError("give either --collection or --profile, not both")
    if collection is not None:
        if collection.is_dir():
            collection = collection / COLLECTION_FILE
        if not collection.is_file():
            raise UsageError(f"{collection}: no such collection file")
        return collection
    base = anki_base() if base is None else base
    names = profiles(base)
    if profile is None:
        if len(names) == 1:
            return base / names[0] / COLLECTION_FILE
        found = f"profiles found: {', '.join(names)}" if names else f"no profile found in {base}"
        raise UsageError(f"say which collection to sync with --profile NAME or --collection PATH ({found})")
    path = base / profile / COLLECTION_FILE
    if not path.is_file():
        known = f"; profiles found: {', '.join(names)}" if names else f"; no profile found in {base} (set ANKI_BASE if Anki keeps its data elsewhere)"
        raise UsageError(f"no Anki profile '{profile}' ({path} does not exist){known}")
    return path
