"""The files the package ships besides its code: the default theme and the JSON Schemas.

They live inside the package (`generator/themes/default`, `generator/schemas`), so a checkout
(`python build.py`), `python -m generator` and an installed wheel (`library-site`) all find
them the same way, through `importlib.resources`. A site's own `themes/` folder is the
school's: it overrides or extends the packaged default, file by file.
"""

from __future__ import annotations

import atexit
import contextlib
from importlib.resources import as_file, files
from pathlib import Path

_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


def packaged(*parts: str) -> Path:
    """A folder or file shipped with the package, as a real path (Jinja's loader and
    `shutil` need one). An installed wheel or a checkout is already one; a zipped install
    is extracted once, for the life of the process."""
    resource = files("generator").joinpath(*parts)
    if isinstance(resource, Path):
        return resource
    return _extracted.enter_context(as_file(resource))


def default_theme() -> Path:
    return packaged("themes", "default")


def schema_folder() -> Path:
    return packaged("schemas")
