"""A static site generator for school-library reading programmes."""

__version__ = "0.1.0"
