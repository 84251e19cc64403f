"""Build the library site: `python build.py --help`."""

from generator.interrupt import early

early()  # first: Ctrl+C during the imports below ends cleanly too

from generator.cli import run  # noqa: E402

if __name__ == "__main__":
    run()
