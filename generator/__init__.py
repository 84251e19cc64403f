"""A static site generator for school-library reading programmes."""

from pathlib import Path

__version__ = "0.1.0"
SETTINGS_FILE = "content/site.yaml"  # the site's settings (its language is read first of all)
PACKAGE = Path(__file__).resolve().parent
# The checkout the package runs from: the default theme, the schemas and the docs live here.
PROJECT = PACKAGE.parent
BUILTIN_THEMES = PROJECT / "themes"
