"""A static site generator for school-library reading programmes."""

from pathlib import Path

__version__ = "0.1.0"
SETTINGS_FILE = "content/site.yaml"  # the site's settings (its language is read first of all)
PACKAGE = Path(__file__).resolve().parent
# The checkout, when the package runs from one: the sample site and the docs live there
# (the default theme and the schemas are package data: see `generator.resources`).
PROJECT = PACKAGE.parent
