"""A static site generator for school-library reading programmes."""

__version__ = "0.1.0"
SETTINGS_FILE = "content/site.yaml"  # the site's settings (its language is read first of all)
