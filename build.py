"""Build the library site: `python build.py --help`."""

from generator.cli import run

if __name__ == "__main__":
    run()
