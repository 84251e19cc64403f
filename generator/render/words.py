"""The theme's words in the site's language (`language:` in content/site.yaml).

Chinese is the source language: the Chinese strings in the templates are the message ids,
so a Chinese site needs no catalogue and its pages come out exactly as written. Other
languages have a Babel catalogue per theme, `themes/<theme>/locale/<lang>/LC_MESSAGES/
messages.po`, read at build time (no compile step a teacher could forget). A school's theme
may carry its own catalogue; its translations win over the default theme's.

Strings the templates show but Python makes (menu labels, category and roster-kind names,
feed labels) are marked with `N_` where they are written, so `pybabel extract` finds them
too (see babel.cfg and docs/languages.md).

`--lang` on the command line is another thing: the language of the generator's messages.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po

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
