"""What must be known before anything is loaded: the language of the messages.

Light on purpose (no pydantic, no Jinja): the command line asks it on every run, the no-op
build included.
"""

from __future__ import annotations

from pathlib import Path

from generator import SETTINGS_FILE
from generator.read.text import Source, read_source
from generator.read.yamlio import parse_yaml


def peek_language(root: Path) -> str:
    """`language:` in content/site.yaml when the file can be read at all (even with other
    problems, its messages should come in the school's language), else zh."""
    source = read_source(root / SETTINGS_FILE, SETTINGS_FILE)
    if isinstance(source, Source):
        marked, _ = parse_yaml(source)
        value = marked.data.get("language") if isinstance(marked.data, dict) else None
        if isinstance(value, str) and value.strip().lower().startswith("en"):
            return "en"
    return "zh"
