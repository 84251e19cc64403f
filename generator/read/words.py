"""The theme's words in the site's language (`language:` in content/site.yaml).

Chinese is the source language: the Chinese strings in the templates are the message ids,
so a Chinese site needs no catalogue and its pages come out exactly as written. Other
languages have a Babel catalogue per theme, `themes/<theme>/locale/<lang>/LC_MESSAGES/
messages.po`, read at build time (no compile step a teacher could forget). A school's theme
may carry its own catalogue; its translations win over the default theme's.

Strings the templates show but Python makes (menu labels, category and roster-kind names,
feed labels) are marked with `N_` where they are written, so `pybabel extract` finds them
too (see babel.cfg and docs/languages.md).

`Words` is the site's words outside the templates: the feeds, the search index and the
calendar items made from content files say them, with the same translations the pages use.

`--lang` on the command line is another thing: the language of the generator's messages.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from babel.dates import format_skeleton, get_day_names
from babel.messages.pofile import read_po

if TYPE_CHECKING:
    pass

SOURCE_LANGUAGE = "zh-CN"
CATALOGUE = Path("LC_MESSAGES") / "messages.po"


@dataclass(frozen=True)
class SiteLanguage:
    """How the site's `language:` setting is used: the `<html lang>` value, the catalogue
    folder, and the Babel locale that formats dates and names weekdays."""

    tag: str  # for <html lang>
    catalogue: str | None  # folder under locale/, None for the source language
    locale: Locale


def site_language(setting: str) -> SiteLanguage:
    """`en`, `en-GB`, `en-US` (any case) are English; anything else is Chinese, as
    `generator.cli.site_language` decides for messages."""
    text = setting.strip()
    if text.lower().startswith("en"):
        tag = {"en-gb": "en-GB", "en-us": "en-US"}.get(text.lower(), "en")
        return SiteLanguage(tag, "en", Locale.parse(tag, sep="-"))
    return SiteLanguage(SOURCE_LANGUAGE, None, Locale.parse("zh_CN"))


class CatalogueTranslations(gettext.NullTranslations):
    """gettext over message tables read from .po files; an untranslated message (or one
    marked fuzzy) shows its Chinese id, so a gap is visible rather than blank."""

    def __init__(self, messages: dict[str, str]) -> None:
        super().__init__()
        self.messages = messages

    def gettext(self, message: str) -> str:
        return self.messages.get(message) or message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        # The theme has no plural messages: Chinese has no plural forms to start from.
        return self.gettext(msgid1 if n == 1 else msgid2)


def read_catalogue(path: Path) -> dict[str, str]:
    """msgid → translation for every translated, non-fuzzy message in one .po file."""
    with path.open("rb") as f:
        catalog = read_po(f)
    return {
        str(m.id): str(m.string)
        for m in catalog
        if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }


def translations(theme_dirs: tuple[Path, ...], language: SiteLanguage) -> gettext.NullTranslations:
    """The theme's translations for the site language; the school's theme first."""
    if language.catalogue is None:
        return gettext.NullTranslations()
    messages: dict[str, str] = {}
    for theme in reversed(theme_dirs):
        path = theme / "locale" / language.catalogue / CATALOGUE
        if path.is_file():
            messages.update(read_catalogue(path))
    return CatalogueTranslations(messages)


def weekday_names(locale: Locale) -> list[str]:
    """Abbreviated weekday names, Monday first (周一…周日, Mon…Sun)."""
    names = get_day_names("abbreviated", locale=locale)
    return [names[i] for i in range(7)]


class Words:
    """The site's words in its language, for what Python writes: the theme's translations
    (the school's theme first), and the locale's dates and weekday names, as the pages
    write them. `_("负责人：%(name)s", name=…)` is the templates' `_` without the escaping."""

    def __init__(self, theme_dirs: tuple[Path, ...], setting: str) -> None:
        language = site_language(setting)
        self.locale = language.locale
        self.translations = translations(theme_dirs, language)
        self.weekdays = weekday_names(self.locale)

    def _(self, message: str, **values: object) -> str:
        return self.translations.gettext(message) % values

    @property
    def key(self) -> tuple[str, object]:
        """What the words are made of, to compare (not to hash): results kept by the preview
        are made again when the language or a translation changed."""
        return str(self.locale), getattr(self.translations, "messages", None)

    def day(self, day: date) -> str:
        return _day(day, self.locale)

    def span(self, first: date, last: date) -> str:
        if first == last:
            return self.day(first)
        skeleton = "MMMd" if last.year == first.year else "yMMMd"
        return f"{self.day(first)}–{format_skeleton(skeleton, last, locale=self.locale)}"

    def month(self, year: int, month: int) -> str:
        return format_skeleton("yMMMM", date(year, month, 1), locale=self.locale)


@lru_cache(maxsize=8192)  # a 20-term archive names a few thousand days, on every save
def _day(day: date, locale: Locale) -> str:
    return format_skeleton("yMMMd", day, locale=locale)
