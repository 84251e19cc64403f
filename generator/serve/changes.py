"""What a changed file means for the site: the kind of change and the input's name.

Apart from the watcher (`serve.watch`, which needs watchdog) because the build uses it
too, to tell which inputs changed since the last build (`pipeline`).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from generator import SETTINGS_FILE
from generator.serve.templates import template_input

EVENTS_FILE = "events.yaml"
CONTENT_DIR = "content"
# Editors' backup, swap and temporary files: their final rename is what counts.
_SCRATCH_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".bak", ".part", ".crdownload")


class ChangeKind(StrEnum):
    DATA = "data"  # events.yaml and the YAML files under content/
    CONTENT = "content"  # any other file under content/ (pages, pictures)
    TEMPLATE = "template"
    STATIC = "static"  # a theme's static/ file, copied as is
    SETTINGS = "settings"  # content/site.yaml or a theme's catalogue: everything


class Change(NamedTuple):
    kind: ChangeKind
    name: str  # the input's name as dependencies record it


def classify_change(path: Path, root: Path, theme_dirs: Iterable[Path]) -> Change | None:
    """What a changed file means for the site, or None when it does not matter to it."""
    if _scratch(path.name):
        return None
    for theme in theme_dirs:
        for part, kind in (("templates", ChangeKind.TEMPLATE), ("static", ChangeKind.STATIC)):
            rel = _inside(path, theme / part)
            if rel is not None:
                name = template_input(rel) if kind is ChangeKind.TEMPLATE else f"static/{rel}"
                return Change(kind, name)
        rel = _inside(path, theme / "locale")
        if rel is not None and rel.endswith(".po"):  # the words of every page
            return Change(ChangeKind.SETTINGS, f"locale/{rel}")
    rel = _inside(path, root)
    if rel is None:
        return None
    if rel == EVENTS_FILE:
        return Change(ChangeKind.DATA, rel)
    if rel == SETTINGS_FILE:
        return Change(ChangeKind.SETTINGS, rel)
    if rel.startswith(CONTENT_DIR + "/"):
        if rel.endswith((".yaml", ".yml")):
            return Change(ChangeKind.DATA, rel)
        return Change(ChangeKind.CONTENT, rel)
    return None


def _scratch(name: str) -> bool:
    return (
        name.startswith((".", "~$", "#"))
        or name.endswith(_SCRATCH_SUFFIXES)
        or ".bak-" in name  # backups kept by `import --force` (generator/importer.py)
    )


def _inside(path: Path, folder: Path) -> str | None:
    try:
        rel = path.relative_to(folder)
    except ValueError:
        return None
    parts = rel.parts
    if not parts or any(p.startswith(".") for p in parts):
        return None
    return rel.as_posix()
